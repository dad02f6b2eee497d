#!/usr/bin/env bash
# test_cache.sh BINARY SRC_DIR BUILD_DIR
#
# End-to-end tests of the SQLite cache and of parallel analysis with the
# real binary: a warm run prints byte for byte what a cold run printed (on
# every fixture and on the demo project) and reuses every TU; the output is
# the same for any -j; a changed header re-parses exactly the TUs that
# include it; a corrupt, truncated, foreign or newer-schema cache file is
# set aside with a warning and rebuilt; an unwritable location means an
# uncached run with a warning; two processes on one cache both finish with
# the right results; --stats and the progress line.
#
# Sources are copied to a temporary directory and their mtimes set a minute
# back: locklint does not store a TU whose files changed within a second of
# its parse, and these tests want every TU stored.
#
# Prints `ok NAME` / `FAIL NAME` per check, then `N passed, M failed`.
set -u
export LC_ALL=C

if (($# != 3)); then
    echo "usage: $0 BINARY SRC_DIR BUILD_DIR" >&2
    exit 2
fi
BIN="$(cd "$(dirname -- "$1")" && pwd -P)/$(basename -- "$1")"
SRC=$(cd "$2" && pwd -P) || exit 2
W=$(mktemp -d) || exit 2
trap 'rm -rf "$W"' EXIT
# the default cache directory: below $W, never in the real home
export HOME=$W/home XDG_CACHE_HOME=$W/xdg
CD=$XDG_CACHE_HOME/locklint

# The assertion framework (ok, fail, run, check, the common predicates).
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

exists() { compgen -G "$1" >/dev/null; }
absent() { ! compgen -G "$1" >/dev/null; }
# stats_are PARSED REUSED: the --stats counts of the last run.
stats_are() { grep -qE "stats: [0-9]+ TUs: $1 parsed, $2 reused, 0 failed" "$W/err"; }
# The last run's stderr without the --stats lines and the cache's own
# warnings: what is left must not depend on the cache.
err_results() { grep -vE 'locklint: stats:|warning: (cache|cannot use the cache)' "$W/err"; }
# save NAME: the last run's stdout, stderr (as above) and exit status.
save() {
    cp "$W/out" "$W/$1.out"
    err_results >"$W/$1.err"
    echo "$rc" >"$W/$1.rc"
}
# same_as NAME: the last run printed and returned exactly what NAME did.
same_as() {
    err_results >"$W/cur.err"
    cmp -s "$W/out" "$W/$1.out" && cmp -s "$W/cur.err" "$W/$1.err" && [[ $rc == "$(cat "$W/$1.rc")" ]]
}
backdate() { find "$@" -type f -exec touch -d '-1 minute' {} +; }

# --- every fixture and the demo, as one project ------------------------------------

P=$W/proj
mkdir -p "$P"
cp -R "$SRC/fixtures" "$P/fixtures"
backdate "$P"
entries=()
for f in "$P"/fixtures/*/*.c; do
    read -r -a args <<<"$(fixture_args "$f")"
    entries+=("$(compdb_entry "$(dirname "$f")" "$f" "${args[@]}")")
done
write_compdb "$P" "${entries[@]}"
NTU=$(grep -c '"file"' "$P/compile_commands.json")

run --in "$P" --no-cache -j 2 -p .
save ref
check "reference run without the cache finds something (exit 1)" rc_is 1

run --in "$P" --stats -j 2 -p .
save cold
check "cold run: every TU parsed" stats_are "$NTU" 0
check "cold run: the cache is created in \$XDG_CACHE_HOME/locklint, named after the root" \
    exists "$CD/proj-[0-9a-f]*.sqlite"
check "the cache directory has a .gitignore with '*'" file_has "$CD/.gitignore" '^\*$'
check "the cache directory has a CACHEDIR.TAG" \
    file_has "$CD/CACHEDIR.TAG" '^Signature: 8a477f597d28d172789f06886806bc55'
check "nothing is written into the project" bash -c "! compgen -G '$P/.locklint*'"
check "cold run with the cache prints what the uncached run did" same_as ref
run --in "$P" --stats -j 2 -p .
check "warm run: every TU reused, none parsed" stats_are 0 "$NTU"
check "warm run is byte for byte the cold run (fixtures and demo)" same_as cold
for j in 1 3; do
    run --in "$P" --stats -j "$j" -p .
    check "warm run at -j $j is byte for byte the cold run" same_as cold
done
run --in "$P" --no-cache -j 1 -p .
check "uncached -j 1 is byte for byte the -j 2 run" same_as ref
run --in "$P" --no-cache -j 4 -p .
check "uncached -j 4 is byte for byte the -j 2 run" same_as ref
run --in "$P" --format json -j 2 -p .
cp "$W/out" "$W/json-warm.out"
run --in "$P" --format json --no-cache -j 1 -p .
check "json: warm -j 2 and uncached -j 1 are identical" same_files "$W/out" "$W/json-warm.out"

# --- invalidation: exactly the TUs that include a changed header -------------------

I=$W/inc
mkdir -p "$I"
cat >"$I/h1.h" <<'EOF'
#include <pthread.h>
extern pthread_mutex_t m1;
EOF
echo 'extern int h2_value;' >"$I/h2.h"
for n in a b; do
    cat >"$I/$n.c" <<EOF
#include "h1.h"
void f_$n(void)
{
    pthread_mutex_lock(&m1);
    pthread_mutex_unlock(&m1);
}
EOF
done
printf '#include "h2.h"\nint h2_value;\n' >"$I/c.c"
printf 'int d_alone(void) { return 4; }\n' >"$I/d.c"
entries=()
for n in a b c d; do
    entries+=("$(compdb_entry "$I" "$n.c" -std=c11 -pthread)")
done
write_compdb "$I" "${entries[@]}"
backdate "$I"
run --in "$I" --stats -p .
check "4 TUs: cold run parses 4" stats_are 4 0
echo 'extern int another;' >>"$I/h1.h"
touch -d '-30 seconds' "$I/h1.h"
run --in "$I" --stats -p .
check "a changed header re-parses exactly the 2 TUs that include it" stats_are 2 2
run --in "$I" --stats -p .
check "after that, all 4 are reused" stats_are 0 4
touch -d '-20 seconds' "$I/h2.h"
run --in "$I" --stats -p .
check "a header touched without a change re-parses nothing" stats_are 0 4
printf 'int d_alone(void) { return 5; }\n' >"$I/d.c"
touch -d '-10 seconds' "$I/d.c"
run --in "$I" --stats -p .
check "an edited .c file re-parses only itself" stats_are 1 3
run --in "$I" --stats -p . a.c
check "a path filter reuses what it keeps" stats_are 0 1
cp "$I/compile_commands.json" "$W/ccj.bak"
sed 's/"-std=c11"/"-std=c11", "-DCHANGED"/' "$W/ccj.bak" >"$I/compile_commands.json"
run --in "$I" --stats -p .
check "changed compiler arguments re-parse every TU" stats_are 4 0
cp "$W/ccj.bak" "$I/compile_commands.json"

# --- damaged, foreign and newer cache files -------------------------------------------

D=$(echo "$CD"/inc-*.sqlite)
run --in "$I" --stats -p .
save good
# The header: 16 bytes of magic; user_version at 60, application_id at 68.
patch_be32() { printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' 0 0 0 "$3")" |
    dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }

for kind in corrupt truncated foreign newer; do
    run --in "$I" -p . # a complete cache to damage
    case $kind in
    corrupt) head -c 3000 /dev/urandom >"$D" ;;
    truncated) truncate -s "$(($(stat -c %s "$D") / 2))" "$D" ;;
    foreign) patch_be32 "$D" 68 7 ;;
    newer) patch_be32 "$D" 60 99 ;;
    esac
    rm -f "$D".*
    run --in "$I" --stats -p .
    check "$kind cache: a warning says it is set aside" err_has "^locklint: warning: cache .* set aside"
    check "$kind cache: same results as with a good cache" same_as good
    set_aside=corrupt
    case $kind in foreign | newer) set_aside=$kind ;; esac
    check "$kind cache: the old file is kept as cache.sqlite.$set_aside-*" \
        exists "$D.$set_aside-*"
    run --in "$I" --stats -p .
    check "$kind cache: rebuilt, the next run reuses every TU" stats_are 0 4
done

# --- unwritable locations ---------------------------------------------------------------

echo "not a directory" >"$W/afile"
run --in "$I" --stats --cache "$W/afile/cache.sqlite" -p .
check "--cache under a regular file: a warning" err_has "^locklint: warning: .*running uncached"
check "--cache under a regular file: same results, uncached" same_as good
check "--cache under a regular file: every TU parsed" stats_are 4 0
U=$W/unwritable
mkdir -p "$U"
cp "$I"/*.c "$I"/*.h "$I/compile_commands.json" "$U/"
sed -i "s|$I|$U|g" "$U/compile_commands.json"
XDG_CACHE_HOME=$W/afile run --in "$U" -p .
check "default location not writable: a warning" err_has "^locklint: warning: .*running uncached"
check "default location not writable: still exits 0" rc_is 0
if [[ $(id -u) != 0 ]]; then
    mkdir -p "$W/ro"
    chmod 555 "$W/ro"
    run --in "$I" --cache "$W/ro/cache.sqlite" -p .
    check "--cache in a read-only directory: a warning" err_has "running uncached"
    chmod 755 "$W/ro"
fi

# --- two processes on one cache ----------------------------------------------------------

C=$W/shared.sqlite
for round in cold warm; do
    (cd "$P" && "${TIMEOUT[@]}" "$BIN" --cache "$C" -j 2 -p .) >"$W/p1.out" 2>"$W/p1.err" &
    pid1=$!
    (cd "$P" && "${TIMEOUT[@]}" "$BIN" --cache "$C" -j 2 -p .) >"$W/p2.out" 2>"$W/p2.err" &
    pid2=$!
    wait "$pid1"
    rc1=$?
    wait "$pid2"
    rc2=$?
    last_cmd="two concurrent (cd $P && locklint --cache $C -j 2 -p .), $round"
    rc=$rc1
    check "two processes at once ($round): the first exits 1" rc_is 1
    rc=$rc2
    check "two processes at once ($round): the second exits 1" rc_is 1
    check "two processes at once ($round): the first prints the reference" \
        same_files "$W/p1.out" "$W/ref.out"
    check "two processes at once ($round): the second prints the reference" \
        same_files "$W/p2.out" "$W/ref.out"
    check "two processes at once ($round): no warning" \
        eval "! grep -q 'warning: cache\|warning: cannot' '$W/p1.err' '$W/p2.err'"
done
run --in "$P" --stats --cache "$C" -j 2 -p .
check "after two concurrent runs the shared cache has every TU" stats_are 0 "$NTU"

# --- statistics and progress -----------------------------------------------------------

run --in "$I" --stats -p .
check "--stats names the phases' times" \
    err_has "stats: time: parse\+facts [0-9.]+s .*whole-program [0-9.]+s, rules [0-9.]+s"
run --in "$I" -v -p .
check "-v ends with the statistics" err_has "stats: 4 TUs: 0 parsed, 4 reused, 0 failed"
check "-v names the cache" err_has "cache '$CD/inc-[0-9a-f]{16}\.sqlite'"
run --in "$I" --no-cache -p .
check "no progress line when stderr is not a terminal" eval "! grep -q \$'\\r' '$W/err'"
if script -qec true /dev/null >/dev/null 2>&1; then
    (cd "$I" && script -qec "$BIN --no-cache -j 1 -p ." /dev/null) >"$W/tty" 2>&1 </dev/null
    last_cmd="script -qec 'locklint --no-cache -j 1 -p .'"
    check "a progress line on a terminal: [done/total] file" \
        eval "grep -qE 'locklint: \[4/4\] [a-d]\.c' '$W/tty'"
fi

# --- where the cache lives ----------------------------------------------------------------

run --in "$W" --stats -p "$I"
check "the same project from another directory uses the same database" stats_are 0 4
run --in "$I" --cache "$W/mine/" --stats -p .
check "--cache DIR/: a database named after the root inside it" exists "$W/mine/inc-*.sqlite"
check "--cache DIR/: marked as a cache directory" exists "$W/mine/CACHEDIR.TAG"
check "--cache DIR/ starts cold" stats_are 4 0
mkdir -p "$W/cfgproj"
cp "$I"/*.c "$I"/*.h "$W/cfgproj/"
sed "s|$I|$W/cfgproj|g" "$I/compile_commands.json" >"$W/cfgproj/compile_commands.json"
printf 'cache: ../cfg-cache\n' >"$W/cfgproj/.locklint.yml"
run --in "$W/cfgproj" -p .
check "a project's 'cache:' key is refused: the project must not choose where locklint writes" \
    rc_is 2
check "the error says why and what to use instead" err_has "'cache' is not read from a project's configuration.*--cache PATH"
check "nothing is written where the key pointed" absent "$W/cfg-cache"

run --in "$I" --cache-stats -p .
check "--cache-stats names the project's database and its entries" \
    out_has "^$CD/inc-[0-9a-f]{16}\.sqlite: 4 entries, [0-9]+ bytes \(limit 512\.0 MiB\)"
run --in "$W" --cache-stats
check "--cache-stats without input lists every database" out_has "cfgproj|inc-.*4 entries"
check "--cache-stats exits 0" rc_is 0

# --- the size limit: least recently used entries go -------------------------------------

E=$W/evict/
run --in "$I" --cache "$E" -p . a.c
run --in "$I" --cache "$E" --cache-stats -p .
sa=$(sed -nE 's/.*: 1 entries, ([0-9]+) bytes.*/\1/p' "$W/out")
check "--cache-stats counts the bytes of one entry" test -n "$sa"
run --in "$I" --cache "$E" --clear-cache -p .
check "--clear-cache removes the project's database" bash -c "! compgen -G '${E}inc-*.sqlite'"
check "--clear-cache says what it removed" out_has "^removed ${E}inc-"
run --in "$I" --cache "$E" -p . b.c c.c d.c
run --in "$I" --cache "$E" -p . a.c
# room for a.c's entry only, which the last run used
run --in "$I" --cache "$E" --cache-size "$((${sa:-1000} * 10 / 9 + 2))" --stats -p .
check "a run over the limit still reuses every entry" stats_are 0 4
check "and evicts the 3 least recently used at its end" err_has ', 3 evicted$'
run --in "$I" --cache "$E" --stats -p .
check "the evicted TUs are parsed again, the kept one reused" stats_are 3 1
# least recently used, not first stored: a.c stored first, then every
# entry aged by two hours (a reuse refreshes only entries older than an
# hour); a run over the limit that reuses a.c keeps it and evicts the rest
run --in "$I" --cache "$E" --clear-cache -p .
run --in "$I" --cache "$E" -p . a.c
run --in "$I" --cache "$E" -p . b.c c.c d.c
last_cmd="age the entries of ${E}inc-*.sqlite"
check "the entries are aged by two hours" python3 - "${E}"inc-*.sqlite <<'EOF2'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n = db.execute("UPDATE tu SET used = used - 7200000").rowcount
db.commit()
sys.exit(0 if n == 4 else 1)
EOF2
run --in "$I" --cache "$E" --cache-size "$((${sa:-1000} * 10 / 9 + 2))" --stats -p . a.c
check "LRU: the run reuses a.c and evicts the 3 others" err_has ', 3 evicted$'
run --in "$I" --cache "$E" --stats -p . a.c
check "LRU: a.c, first stored but last used, is kept" stats_are 0 1
run --in "$I" --cache "$E" --stats -p .
check "LRU: the others were evicted" stats_are 3 1
run --in "$I" --cache "$E" --cache-size 12Q -p .
check "a bad --cache-size exits 2" rc_is 2
run --in "$W" --cache "$E" --clear-cache
check "--clear-cache without input empties the cache directory" \
    bash -c "! compgen -G '${E}*.sqlite*'"

finish
