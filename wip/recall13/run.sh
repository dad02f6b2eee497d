#!/bin/sh
# Run locklint on every case here and print, per file, the findings by
# severity and rule (remark = note). Usage: sh run.sh [BIN]
BIN=${1:-locklint}
cd "$(dirname "$0")" || exit 2
for f in *.c; do
    extra=""
    case $f in 82-* | 83-*) extra="--enable lock-lifecycle" ;; esac
    printf '%s: ' "$f"
    "$BIN" --no-cache -q --color never $extra "$f" -- -pthread 2>&1 |
        grep -oE '(warning|remark): .*\[[a-z-]+\]$' |
        sed -E 's/^(warning|remark): .*\[([a-z-]+)\]$/\1:\2/' | sort | uniq -c | tr -s ' \n' ' '
    echo
done
