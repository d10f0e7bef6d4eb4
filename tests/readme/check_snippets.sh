#!/usr/bin/env bash
# Compiles every C++ snippet of the README that follows a line
# "<!-- compiled -->": a snippet users copy must build against the headers.
# Usage: check_snippets.sh CXX README INCLUDE_DIR
set -euo pipefail
cxx=$1 readme=$2 include=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
awk -v dir="$work" '
    /<!-- compiled -->/ { want = 1; next }
    want && /^```cpp/ { n++; file = dir "/snippet" n ".cpp"; inside = 1; want = 0; next }
    inside && /^```/ { inside = 0; close(file); next }
    inside { print > file }
' "$readme"
count=$(ls "$work"/snippet*.cpp 2>/dev/null | wc -l)
if [ "$count" -eq 0 ]; then echo "no compiled snippets found in $readme" >&2; exit 1; fi
for f in "$work"/snippet*.cpp; do
    echo "== $(basename "$f")"
    "$cxx" -std=c++20 -fsyntax-only -Wall -Wextra -Werror -I "$include" "$f"
done
echo "$count snippet(s) compile"
