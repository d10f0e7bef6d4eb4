# demo-lib.sh — what the demo scripts print with (sourced, not run):
# step headings, indented lines, ✓ for a good outcome and ✗ (exit 1) for a
# bad one; colours only on a terminal.
bold=$'\e[1m' green=$'\e[32m' red=$'\e[31m' dim=$'\e[2m' off=$'\e[0m'
if [ ! -t 1 ]; then bold='' green='' red='' dim='' off=''; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$off"; }
show() { printf '   %s\n' "$@"; }
good() { printf '   %s✓ %s%s\n' "$green" "$*" "$off"; }
bad() {
    printf '   %s✗ %s%s\n' "$red" "$*" "$off"
    exit 1
}
