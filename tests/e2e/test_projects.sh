#!/usr/bin/env bash
# test_projects.sh BINARY SRC_DIR BUILD_DIR: every fixtures/projects/<name>/,
# and the demo, is a multi-TU program.  A compile_commands.json listing its
# .c files is generated in a temporary directory, locklint runs with -p on
# it, and the findings must match the inline `// expect: RULE 'text'`
# comments of all its files (.c and .h) exactly, message text included
# (tests/findings.py, as tests/run_fixtures.sh does for single files).
set -u
export LC_ALL=C

if (($# < 2)); then
    echo "usage: $0 BINARY SRC_DIR [BUILD_DIR]" >&2
    exit 2
fi
BIN="$(cd "$(dirname -- "$1")" && pwd -P)/$(basename -- "$1")"
SRC=$(cd "$2" && pwd -P) || exit 2
W=$(mktemp -d) || exit 2
trap 'rm -rf "$W"' EXIT

source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

for proj in "$SRC"/fixtures/projects/*/ "$SRC"/fixtures/demo/; do
    name=$(basename "$proj")
    entries=()
    for f in "$proj"*.c; do
        entries+=("$(compdb_entry "$proj" "$(basename "$f")")")
    done
    write_compdb "$W/$name" "${entries[@]}"
    srcs=()
    for f in "$proj"*.c "$proj"*.h; do
        [[ -e $f ]] && srcs+=("$(basename "$f")")
    done
    run --in "$proj" --no-cache -q -p "$W/$name"
    check "$name: locklint exits 0 or 1" eval '((rc == 0 || rc == 1))'
    check "$name: the findings are those expected" findings_expected "$proj" "${srcs[@]}"
done

# Several programs: a finding names its program at its main(); one that two
# programs reach (stats.c, linked into both) is reported once, naming both.
run --in "$SRC/fixtures/projects/two-programs-race" --no-cache -q -v -p "$W/two-programs-race"
check "two programs: -v counts the TUs neither links" \
    err_has "^locklint: the TUs no main\(\) reaches: 1 translation unit$"
check "two programs: the race names the daemon's main()" \
    out_has "^daemon\.c:[0-9]+:[0-9]+: note: in the program of this main\(\)$"
check "two programs: the shared finding names both programs" \
    out_has "^daemon\.c:[0-9]+:[0-9]+: note: in the program of this main\(\), also in that of .*tool\.c's main\(\)$"
check "two programs: the shared finding is reported once" \
    bash -c "[[ \$(grep -c '^stats\.c:.*\[lock-leak\]' '$W/out') == 1 ]]"
run --in "$SRC/fixtures/projects/two-programs-apart" --no-cache -v -q -p "$W/two-programs-apart"
check "two programs: -v gives each its TUs" \
    err_has "^locklint: program of main\(\) in .*tool_b\.c: 2 translation units$"
# A function two TUs define: the daemon gets the definition its other
# references link (2 TUs), -v counts the functions followed to both.
run --in "$SRC/fixtures/projects/duplicate-symbol-linked" --no-cache -v -q -p "$W/duplicate-symbol-linked"
check "duplicate symbol: the daemon links its own logger only" \
    err_has "^locklint: program of main\(\) in .*daemon\.c: 2 translation units$"
run --in "$SRC/fixtures/projects/duplicate-symbol-ambiguous" --no-cache -v -q -p "$W/duplicate-symbol-ambiguous"
check "duplicate symbol: -v counts a function followed to both definitions" \
    err_has "^locklint: 1 function defined in several linked translation units: a call reaches every definition, as a guess$"
# A library: -v says how many entry points it has.
run --in "$SRC/fixtures/projects/library-race" --no-cache -v -q -p "$W/library-race"
check "library: -v counts the entry points" \
    err_has "^locklint: 1 translation unit analysed as a library: 2 entry points$"

# -v on pool-jobs: the call through the job's field is resolved (to count_job
# and sum_job, through a dispatcher); one through a field nothing stores in
# is unknown and named.
run --in "$SRC/fixtures/projects/pool-jobs" --no-cache -v -p "$W/pool-jobs"
check "-v counts the calls through function pointers" \
    err_has_fixed "locklint: 1 call through function pointers: 1 resolved (1 through several functions), 0 unknown"
printf 'struct cb { void (*fn)(void); };\nvoid call(struct cb *c) { c->fn(); }\n' >"$W/unknown.c"
run --in "$W" --no-cache -v "$W/unknown.c" --
check "-v names an unknown call through a function pointer" \
    err_has "unknown: .*unknown\.c:2:27: 'c->fn' in 'call' \(nothing is stored in its slot\)"

# --graph on the demo: a Graphviz file with the Alice/Bob cycle in red and
# the philosophers' same-class nesting dashed.
run --in "$SRC/fixtures/demo" --no-cache -q -p "$W/demo" --graph "$W/order.dot"
check "--graph exits 1 on the demo" rc_is 1
check "--graph writes a digraph" file_has "$W/order.dot" '^digraph lockorder'
check "--graph names alice.lock" file_has "$W/order.dot" 'alice\.lock'
check "--graph draws the cycle in red" file_has "$W/order.dot" 'color=red'
check "--graph dashes the same-class nesting" file_has "$W/order.dot" 'style=dashed'
run --in "$SRC/fixtures/demo" --no-cache -q -p "$W/demo" --graph /nonexistent/dir/x.dot
check "--graph into a missing directory exits 2" rc_is 2

finish
