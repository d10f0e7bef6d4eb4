#!/usr/bin/env bash
# run.sh TOOL WORKDIR [FILTER] — the interop suite: authpp-cookie (TOOL)
# against the real Auth.js, installed with `npm ci` into WORKDIR when needed.
#   run.sh TOOL WORKDIR --setup-only   only install (the CTest fixture)
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: run.sh /path/to/authpp-cookie WORKDIR [FILTER|--setup-only]" >&2
    exit 2
fi
tool=$1
work=$2
filter=${3:-}
# shellcheck source=tests/interop/setup.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

interop_setup "$work"
[ "$filter" = --setup-only ] && exit 0
if [ ! -x "$tool" ]; then
    echo "interop: no authpp-cookie at '$tool' (build the authpp-cookie target)" >&2
    exit 1
fi
exec node "$work/interop.mjs" "$tool" "$filter"
