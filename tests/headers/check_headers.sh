#!/usr/bin/env bash
# Compiles every public header of authpp on its own (a translation unit that
# includes only it): each header must include what it uses. Syntax only, so
# the whole set takes a few CPU-minutes rather than a build.
#   check_headers.sh CXX INCLUDE_DIR [extra compiler flags…]
set -uo pipefail
cxx=$1
include=$(cd "$2" && pwd) || exit 2
shift 2
export AUTHPP_CXX="$cxx" AUTHPP_INCLUDE="$include" AUTHPP_FLAGS="$*"
check() {
    local out mode=
    # The separately compiled parts exist only with AUTHPP_SEPARATE_COMPILATION.
    case $1 in authpp/src.hpp | authpp/separate/*) mode=-DAUTHPP_SEPARATE_COMPILATION ;; esac
    # shellcheck disable=SC2086
    if ! out=$(printf '#include <%s>\n' "$1" |
        "$AUTHPP_CXX" -std=c++20 -fsyntax-only -Wall -Wextra $mode $AUTHPP_FLAGS -I"$AUTHPP_INCLUDE" -x c++ - 2>&1); then
        printf 'FAIL %s\n%s\n' "$1" "$out"
        return 1
    fi
    printf 'ok   %s\n' "$1"
}
export -f check
cd "$include" || exit 2
headers=$(find authpp -name '*.hpp' | sort)
count=$(printf '%s\n' "$headers" | wc -l)
if printf '%s\n' "$headers" | xargs -P "$(nproc)" -I{} bash -c 'check "$@"' _ {}; then
    echo "all $count headers compile on their own"
else
    echo "some of the $count headers do not compile on their own (FAIL above)"
    exit 1
fi
