#!/usr/bin/env bash
# test_cli.sh BINARY SRC_DIR BUILD_DIR
#
# End-to-end tests of the locklint command line: options and their errors,
# exit statuses, file mode and compile-database mode (on the demo project,
# whose compile_commands.json the configure step writes to BUILD_DIR/demo),
# the three output formats, bad input, and the cache.  Every run is also
# checked for sanitizer reports on stderr (ASan exits with status 1 by
# default, which would otherwise pass for "findings").
#
# Prints `ok NAME` or `FAIL NAME` (with the command, exit status and output)
# per check, then `N passed, M failed`; exits 1 when any check failed.
# Works from any directory; everything it writes goes to a temporary
# directory removed at exit.
set -u
export LC_ALL=C

if (($# != 3)); then
    echo "usage: $0 BINARY SRC_DIR BUILD_DIR" >&2
    exit 2
fi
BIN="$(cd "$(dirname -- "$1")" && pwd -P)/$(basename -- "$1")"
SRC=$(cd "$2" && pwd -P) || exit 2
BUILD=$(cd "$3" && pwd -P) || exit 2
if [[ ! -x $BIN ]]; then
    echo "test_cli: not an executable: $1" >&2
    exit 2
fi

W=$(mktemp -d) || exit 2
trap 'rm -rf "$W"' EXIT
# the default cache goes below $W, never into the real home
export HOME=$W/home XDG_CACHE_HOME=$W/xdg

HAVE_JQ=0
if command -v jq >/dev/null 2>&1; then
    HAVE_JQ=1
fi

VERSION=$(sed -n 's/^project(locklint VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
RULES=(double-lock unlock-not-held lock-leak cond-wait-outside-loop cond-wait-without-lock)
CARGS=(-- -pthread -std=c11 -D_GNU_SOURCE)
FIX=$SRC/fixtures
WARN_DIR=$FIX/double-lock
WARN=warn_copy_paste.c
GOOD=good_relock.c
WARN_LINE=$(grep -n 'expect: double-lock' "$WARN_DIR/$WARN" | head -n1 | cut -d: -f1)
DEMO_DB=$BUILD/demo

# The assertion framework (ok, fail, run, check, the common predicates).
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

rc_finding_or_clean() { [[ $rc -eq 0 || $rc -eq 1 ]]; }
# A usage/config/I/O error: status 2 and a `locklint: error:` line on stderr.
is_error() { [[ $rc -eq 2 ]] && grep -qE '^locklint: error: ' "$W/err"; }
file_nonempty() { [[ -s $1 ]]; }
no_path() { [[ ! -e $1 ]]; }
jq_true() { jq -e "$1" "$W/out" >/dev/null 2>&1; }

# Writes a compile_commands.json into directory $1 with the JSON text $2
# (for malformed ones; well-formed ones come from lib.sh's write_compdb).
compdb() {
    mkdir -p "$1"
    printf '%s\n' "$2" >"$1/compile_commands.json"
}

# --- version, help, rules ---------------------------------------------------

run --version
check "--version exits 0" rc_is 0
check "--version prints 'locklint $VERSION'" out_has "^locklint ${VERSION//./\\.}\$"

run --help
check "--help exits 0" rc_is 0
check "--help describes -p, --format and --fail-on" \
    eval 'out_has "-p" && out_has "--format" && out_has "--fail-on"'

run --no-such-option
check "unknown option is a usage error" is_error
check "unknown option is named" err_has_fixed "no-such-option"

run
check "no arguments is a usage error (exit 2)" rc_is 2
check "no arguments explains itself on stderr" err_has "."

run --list-rules
check "--list-rules exits 0" rc_is 0
for r in "${RULES[@]}"; do
    check "--list-rules lists $r with a severity and a summary" \
        out_has "^$r[[:space:]]+(error|warning|note)[[:space:]]+[^[:space:]]"
done

for r in "${RULES[@]}"; do
    run explain "$r"
    check "explain $r exits 0" rc_is 0
    check "explain $r talks about $r" out_has_fixed "$r"
done

run explain no-such-rule
check "explain of an unknown rule is an error" is_error
check "explain names the unknown rule" err_has_fixed "no-such-rule"

run explain
check "explain without a rule is an error" is_error

run --list-rules
check "--list-rules marks lock-lifecycle off by default" \
    out_has "^lock-lifecycle[[:space:]].*\\(off by default\\)\$"

# lock-lifecycle runs only when asked for (the fixture directory's
# .locklint.yml switches it on; a copy elsewhere has no configuration)
cp "$FIX/lock-lifecycle/warn_destroy_held.c" "$W/lifecycle.c"
run --in "$W" --no-cache lifecycle.c "${CARGS[@]}"
check "lock-lifecycle is off by default" out_lacks "\\[lock-lifecycle\\]"
run --in "$W" --no-cache --enable lock-lifecycle lifecycle.c "${CARGS[@]}"
check "--enable lock-lifecycle runs it" out_has_fixed "[lock-lifecycle]"
printf 'rules:\n  lock-lifecycle: on\n' >"$W/.locklint.yml"
run --in "$W" --no-cache lifecycle.c "${CARGS[@]}"
check "'lock-lifecycle: on' in the configuration runs it" out_has_fixed "[lock-lifecycle]"
rm -f "$W/.locklint.yml" "$W/lifecycle.c"

# --- option values ------------------------------------------------------------

run --no-cache --enable no-such-rule "$WARN_DIR/$WARN" "${CARGS[@]}"
check "--enable with an unknown rule is an error" is_error
check "--enable names the unknown rule" err_has_fixed "no-such-rule"

run --no-cache --disable double-lock,no-such-rule "$WARN_DIR/$WARN" "${CARGS[@]}"
check "--disable with an unknown rule is an error" is_error

run --no-cache --format xml "$WARN_DIR/$WARN" "${CARGS[@]}"
check "--format xml is an error" is_error

run --no-cache --fail-on sometimes "$WARN_DIR/$WARN" "${CARGS[@]}"
check "--fail-on sometimes is an error" is_error

run --no-cache -j many "$WARN_DIR/$WARN" "${CARGS[@]}"
check "-j many is an error" is_error

run --no-cache -p
check "-p without a value is an error" is_error

# --- file mode and exit statuses -----------------------------------------------

run --in "$WARN_DIR" --no-cache "$WARN" "${CARGS[@]}"
check "a warn fixture exits 1" rc_is 1
check "the finding is GCC-style, relative to the current directory" \
    finding_at "$WARN:$WARN_LINE" double-lock warning

run --in "$WARN_DIR" --no-cache --fail-on never "$WARN" "${CARGS[@]}"
check "--fail-on never exits 0 despite findings" rc_is 0
check "--fail-on never still prints the finding" has_finding --rule double-lock

run --in "$WARN_DIR" --no-cache --fail-on error "$WARN" "${CARGS[@]}"
check "--fail-on error exits 0 on warnings" rc_is 0

run --in "$WARN_DIR" --no-cache --fail-on warning "$WARN" "${CARGS[@]}"
check "--fail-on warning exits 1 on warnings" rc_is 1

run --in "$WARN_DIR" --no-cache --fail-on note "$WARN" "${CARGS[@]}"
check "--fail-on note exits 1 on warnings" rc_is 1

run --in "$WARN_DIR" --no-cache --disable double-lock,lock-leak "$WARN" "${CARGS[@]}"
check "--disable double-lock silences the fixture (exit 0)" rc_is 0
check "--disable double-lock prints no double-lock finding" no_finding --rule double-lock

run --in "$WARN_DIR" --no-cache "$GOOD" "${CARGS[@]}"
check "a good fixture exits 0" rc_is 0
check "a good fixture prints nothing" out_empty

run --in "$WARN_DIR" --no-cache "$WARN" "$GOOD" "${CARGS[@]}"
check "two files, one with a finding: exit 1" rc_is 1
check "two files: the finding is in the warn file only" findings_only_in "$WARN:"

run --in "$SRC" --no-cache "fixtures/double-lock/$WARN" "${CARGS[@]}"
check "a path under the current directory is printed relative to it" \
    out_has_fixed "fixtures/double-lock/$WARN:$WARN_LINE:"

run --no-cache "$WARN_DIR/$WARN" "${CARGS[@]}"
check "a path outside the current directory is printed absolute" \
    out_has_fixed "$WARN_DIR/$WARN:$WARN_LINE:"

cat >"$W/ifdef.c" <<'EOF'
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int n;

void bump(void)
{
    pthread_mutex_lock(&m);
    n++;
#ifdef LL_BUGGY
    pthread_mutex_lock(&m);
#else
    pthread_mutex_unlock(&m);
#endif
}
EOF
run --no-cache ifdef.c -- -pthread -std=c11
check "compiler arguments after --: without -DLL_BUGGY there is nothing to report" rc_is 0
run --no-cache ifdef.c -- -pthread -std=c11 -DLL_BUGGY
check "compiler arguments after --: -DLL_BUGGY reaches the parser" rc_is 1
check "compiler arguments after --: the double lock is on line 11" finding_at ifdef.c:11 double-lock

run --in "$WARN_DIR" --no-cache --dump-facts "$WARN" "${CARGS[@]}"
check "--dump-facts exits 0" rc_is 0
check "--dump-facts prints the functions" out_has "function"

# --- output formats --------------------------------------------------------------

run --in "$WARN_DIR" --no-cache --format json "$WARN" "${CARGS[@]}"
check "--format json exits 1 on findings" rc_is 1
if ((HAVE_JQ)); then
    check "--format json is valid JSON with version, findings and summary" \
        jq_true '(.version | type) == "string" and (.findings | type) == "array" and has("summary")'
    check "--format json finding has every documented field" \
        jq_true '.findings[0] | has("rule") and has("severity") and has("message") and has("function")
                 and has("key") and has("fingerprint") and has("related") and has("flows")
                 and (.location | has("file") and has("line") and has("column"))'
    check "--format json reports double-lock at line $WARN_LINE" \
        jq_true "any(.findings[]; .rule == \"double-lock\" and .location.line == $WARN_LINE)"
else
    check "--format json has findings" out_has '"findings"'
    check "--format json names the rule" out_has '"rule": *"double-lock"'
fi

run --in "$WARN_DIR" --no-cache --format json "$GOOD" "${CARGS[@]}"
check "--format json without findings exits 0" rc_is 0
if ((HAVE_JQ)); then
    check "--format json without findings has an empty findings array" jq_true '.findings == []'
else
    check "--format json without findings has a findings key" out_has '"findings"'
fi

run --in "$WARN_DIR" --no-cache --format sarif "$WARN" "${CARGS[@]}"
check "--format sarif exits 1 on findings" rc_is 1
check "--format sarif is SARIF 2.1.0" out_has '"version": *"2\.1\.0"'
check "--format sarif has a ruleId" out_has '"ruleId"'
if ((HAVE_JQ)); then
    check "--format sarif result: ruleId, start line and fingerprints" \
        jq_true "any(.runs[0].results[]; .ruleId == \"double-lock\"
                 and .locations[0].physicalLocation.region.startLine == $WARN_LINE
                 and (.partialFingerprints | length) > 0)"
    check "--format sarif describes its rules in tool.driver.rules" \
        jq_true '.runs[0].tool.driver.name == "locklint"
                 and any(.runs[0].tool.driver.rules[]; .id == "double-lock")'
fi

run --in "$WARN_DIR" --no-cache -o "$W/report.txt" "$WARN" "${CARGS[@]}"
check "-o FILE keeps the exit status" rc_is 1
check "-o FILE leaves stdout empty" out_empty
check "-o FILE writes the report" findings has "$W/report.txt" --rule double-lock

run --in "$WARN_DIR" --no-cache --format json -o "$W/report.json" "$WARN" "${CARGS[@]}"
if ((HAVE_JQ)); then
    check "-o FILE with --format json writes valid JSON" \
        eval "jq -e '.findings | length > 0' '$W/report.json' >/dev/null"
else
    check "-o FILE with --format json writes JSON" eval "grep -q '\"findings\"' '$W/report.json'"
fi

run --in "$WARN_DIR" --no-cache -o "$W/no/such/dir/report.txt" "$WARN" "${CARGS[@]}"
check "-o into a missing directory is an I/O error" is_error

# --- compile database mode: the demo project -------------------------------------

run --in "$SRC" --no-cache -p "$DEMO_DB"
cp "$W/out" "$W/demo_dir.out"
check "-p BUILD_DIR on the demo exits 1 (it has findings)" rc_is 1
(cd "$SRC" && shopt -s nullglob && printf '%s\n' fixtures/demo/*.[ch]) >"$W/demo_srcs"
mapfile -t demo_srcs <"$W/demo_srcs"
check "demo: the findings are those written in fixtures/demo" findings_expected "$SRC" "${demo_srcs[@]}"

run --in "$SRC" --no-cache -p "$DEMO_DB/compile_commands.json"
check "-p compile_commands.json exits 1" rc_is 1
check "-p FILE and -p DIR give the same report" same_files "$W/out" "$W/demo_dir.out"

run --in "$SRC" --no-cache -j 1 -p "$DEMO_DB"
cp "$W/out" "$W/demo_j1.out"
run --in "$SRC" --no-cache -j 4 -p "$DEMO_DB"
check "-j 1 and -j 4 give the same report" same_files "$W/out" "$W/demo_j1.out"

run --in "$SRC" --no-cache -p "$DEMO_DB" fixtures/demo/pool.c
check "-p DIR PATH exits 1 when PATH has findings" rc_is 1
check "-p DIR PATH reports only findings in PATH" findings_only_in "fixtures/demo/pool.c:"

run --in "$SRC" --no-cache --format json -p "$DEMO_DB"
if ((HAVE_JQ)); then
    check "demo --format json is valid JSON" jq_true '.findings | length > 0'
else
    check "demo --format json has findings" out_has '"findings"'
fi

# --- bad input ----------------------------------------------------------------------

run --no-cache "$W/no-such-file.c" "${CARGS[@]}"
check "a missing source file is an error" is_error
check "a missing source file is named" err_has_fixed "no-such-file.c"

run --no-cache -p "$W/no-such-dir"
check "-p with a missing path is an error" is_error

mkdir -p "$W/empty-dir"
run --no-cache -p "$W/empty-dir"
check "-p DIR without compile_commands.json is an error" is_error
check "the message names compile_commands.json" err_has_fixed "compile_commands.json"

compdb "$W/malformed" "[{\"directory\": \"$W\", \"file\": \"a.c\","
run --no-cache -p "$W/malformed"
check "malformed compile_commands.json is an error" is_error
check "the message gives the line (\"line N\" or FILE:LINE:COL)" \
    err_has "line [0-9]|compile_commands\.json:[0-9]+:"

compdb "$W/entry-without-key" "[{\"directory\": \"$WARN_DIR\", \"arguments\": [\"cc\", \"-c\", \"$GOOD\"]}]"
run --no-cache -p "$W/entry-without-key"
check "an entry without \"file\" is an error" is_error
check "the message mentions the missing key" err_has_fixed "file"

compdb "$W/emptydb" "[]"
run --no-cache -p "$W/emptydb"
check "an empty compile_commands.json is an error" is_error

write_compdb "$W/missing" "$(compdb_entry "$WARN_DIR" "$GOOD")" "$(compdb_entry "$W" gone.c)"
run --no-cache -p "$W/missing"
check "a listed file that is missing is not fatal" rc_finding_or_clean
check "a listed file that is missing gets a warning" err_has "^locklint: warning: .*gone\.c"

cat >"$W/broken.c" <<'EOF'
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

void ok_part(void)
{
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void broken_part(void)
{
    int x = ;
    undeclared_call(x
}
EOF
run --no-cache broken.c "${CARGS[@]}"
check "a file with syntax errors is not a usage error" rc_not 2
check "a file with syntax errors exits 0 or 1" rc_finding_or_clean
check "a file with syntax errors gets 'analysis incomplete'" err_has "analysis incomplete"

mkdir -p "$W/has space"
cp "$WARN_DIR/$WARN" "$W/has space/my file.c"
compdb "$W/has space" "[{\"directory\": \"$W/has space\", \"file\": \"my file.c\",
  \"command\": \"cc -std=c11 -D_GNU_SOURCE -pthread -c 'my file.c' -o 'my file.o'\"}]"
run --in "$W/has space" --no-cache -p .
check "a \"command\" entry for a path with spaces is analysed" rc_is 1
check "the path with spaces is printed as is" out_has_fixed "my file.c:$WARN_LINE:"

# A GCC entry gets -fgnuc-version (libclang calls itself GCC 4.2.1), at
# most 6: glibc's branches for GCC 7 and later (_Float32 under
# _GNU_SOURCE, malloc(deallocator) attributes) do not parse in clang 19,
# and every TU including <stdlib.h> would be incomplete.
mkdir -p "$W/gcc"
printf '#define _GNU_SOURCE\n#include <stdlib.h>\n#include <pthread.h>\nint main(void) { return 0; }\n' \
    >"$W/gcc/glibc.c"
compdb "$W/gcc" "[{\"directory\": \"$W/gcc\", \"file\": \"glibc.c\",
  \"command\": \"/usr/bin/gcc-12 -D_GNU_SOURCE -c glibc.c -o glibc.o\"}]"
run --in "$W/gcc" --no-cache -p .
check "a GCC entry parses glibc's <stdlib.h> completely" err_lacks "analysis incomplete"
check "... and exits 0" rc_is 0

compdb "$W/plugin" "[{\"directory\": \"$WARN_DIR\", \"file\": \"$GOOD\",
  \"arguments\": [\"cc\", \"-std=c11\", \"-D_GNU_SOURCE\", \"-pthread\",
                  \"-fplugin=$W/evil.so\", \"-Xclang\", \"-load\", \"-Xclang\", \"$W/evil.so\",
                  \"-c\", \"$GOOD\"]}]"
run --no-cache -p "$W/plugin"
check "code-loading flags are dropped, not fatal" rc_is 0
check "dropping -fplugin= is reported" err_has "plugin"

# --- the cache --------------------------------------------------------------------

mkdir -p "$W/cached"
cp "$WARN_DIR/$WARN" "$W/cached/$WARN"
write_compdb "$W/cached" "$(compdb_entry "$W/cached" "$WARN")"
run --in "$W/cached" -p .
cp "$W/out" "$W/cold.out"
check "cold run with the cache exits 1" rc_is 1
# The cache module may not exist yet; until it does, only the equivalence
# checks below apply.
if [[ -f $SRC/analyzer/cache.c ]]; then
    check "the cache is created in \$XDG_CACHE_HOME/locklint, one database for the project" \
        file_nonempty "$(echo "$XDG_CACHE_HOME"/locklint/cached-*.sqlite)"
    check "and nothing is written into the project" no_path "$W/cached/.locklint"
else
    echo "skip the cache is created in the cache directory (no analyzer/cache.c yet)"
fi
run --in "$W/cached" -p .
check "warm run exits 1" rc_is 1
check "warm run reports exactly what the cold run did" same_files "$W/out" "$W/cold.out"
{
    printf '/* two lines added\n   above the finding */\n'
    cat "$WARN_DIR/$WARN"
} >"$W/cached/$WARN"
run --in "$W/cached" -p .
check "an edited file is re-analysed (the finding moves down two lines)" \
    finding_at "$WARN:$((WARN_LINE + 2))" double-lock

mkdir -p "$W/uncached"
write_compdb "$W/uncached" "$(compdb_entry "$WARN_DIR" "$GOOD")"
run --no-cache -p "$W/uncached"
check "--no-cache exits 0 on a good file" rc_is 0
check "--no-cache writes no cache" bash -c "! compgen -G '$XDG_CACHE_HOME/locklint/uncached-*'"

# Two programs in one input: each is analysed on its own, -v names them.
mkdir -p "$W/twoprogs"
printf 'int main(void) { return 0; }\n' >"$W/twoprogs/tool_a.c"
printf 'int main(int argc, char **argv) { (void)argv; return argc; }\n' >"$W/twoprogs/tool_b.c"
run --in "$W/twoprogs" --no-cache -v tool_a.c tool_b.c
check "two main()s: exit 0 (no findings)" rc_is 0
check "two main()s: -v names the first program" \
    err_has "^locklint: program of main\(\) in .*tool_a\.c: 1 translation unit$"
check "two main()s: -v names the second program" \
    err_has "^locklint: program of main\(\) in .*tool_b\.c: 1 translation unit$"
run --in "$W/twoprogs" --no-cache -v tool_a.c
check "one main(): no program named" err_lacks "program of main"

# A race names the threads that reach the two accesses in the fewest calls.
cat >"$W/twoprogs/partner.c" <<'EOF_C'
#include <pthread.h>
#include <stdio.h>
static long hits;
static void show(void) { printf("%ld\n", hits); }
static void c3(void) { show(); }
static void c2(void) { c3(); }
static void c1(void) { c2(); }
static void *slow(void *a) { (void)a; c1(); return 0; }
static void *fast(void *a) { (void)a; show(); return 0; }
static void *writer(void *a) { (void)a; hits = 1; return 0; }
int main(void)
{
    pthread_t t[3];
    pthread_create(&t[0], 0, slow, 0);
    pthread_create(&t[1], 0, fast, 0);
    pthread_create(&t[2], 0, writer, 0);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], 0);
    return 0;
}
EOF_C
run --in "$W/twoprogs" --no-cache partner.c -- -pthread
check "race partner: a finding (exit 1)" rc_is 1
check "race partner: of the threads reading in show(), the one 1 call away is named" \
    out_has "note: conflicting read of 'hits' here, in 'show' \(thread 'fast'\)"

# The compiler's own warnings are not reported (GCC-only -W options included).
run --in "$W/twoprogs" --no-cache tool_a.c -- -Wlogical-op -Wall
check "compiler warnings stay quiet: exit 0" rc_is 0
check "compiler warnings stay quiet: no 'unknown warning option'" err_lacks "warning option"

# cmake --install: every executable of the project into PREFIX/bin
if command -v cmake >/dev/null 2>&1 && [[ -f $BUILD/cmake_install.cmake ]]; then
    cmake --install "$BUILD" --prefix "$W/prefix" >"$W/install.log" 2>&1
    rc=$?
    last_cmd="cmake --install $BUILD --prefix $W/prefix"
    check "cmake --install exits 0" rc_is 0
    check "cmake --install installs bin/locklint" test -x "$W/prefix/bin/locklint"
    "$W/prefix/bin/locklint" --version >"$W/out" 2>"$W/err"
    rc=$?
    check "the installed locklint runs" out_has '^locklint [0-9]'
fi

# --- rules and filters on the command line ------------------------------------------
mkdir -p "$W/rules/gen"
cat >"$W/rules/mix.c" <<'EOF'
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

void twice(void)
{
    pthread_mutex_lock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

int leak(int fail)
{
    pthread_mutex_lock(&m); // locklint-ignore: cond-wait-outside-loop nothing to silence
    if (fail)
        return -1;
    pthread_mutex_unlock(&m);
    return 0;
}
EOF
sed -e "s/twice/twice_copy/; s/leak(/leak_copy(/" "$W/rules/mix.c" >"$W/rules/gen/copy.c"
run --in "$W/rules" --list-rules
check "--list-rules lists unused-suppression" out_has '^unused-suppression +note '
check "--list-rules lists bad-suppression" out_has '^bad-suppression +note '
run explain unused-suppression
check "explain unused-suppression documents it" out_has '^# unused-suppression$'
check "explain unused-suppression exits 0" rc_is 0
run --in "$W/rules" --no-cache mix.c "${CARGS[@]}"
check "all rules: the double lock, the leak and the unused suppression" \
    bash -c "grep -c ' \[[a-z-]*\]$' '$W/out' | grep -qx 3"
run --in "$W/rules" --no-cache --disable unused-suppression mix.c "${CARGS[@]}"
check "--disable unused-suppression drops the note" out_lacks '\[unused-suppression\]$'
check "--disable unused-suppression keeps the rest" out_has '\[double-lock\]$'
run --in "$W/rules" --no-cache --enable 'lock-*' mix.c "${CARGS[@]}"
check "--enable 'lock-*' runs lock-leak" out_has '\[lock-leak\]$'
check "--enable 'lock-*' runs no other rule" \
    bash -c "! grep -E '\[(double-lock|unused-suppression)\]$' '$W/out'"
run --in "$W/rules" --no-cache --disable 'double-*,*-suppression' mix.c "${CARGS[@]}"
check "--disable takes globs" bash -c "grep -c ' \[[a-z-]*\]$' '$W/out' | grep -qx 1"
run --in "$W/rules" --no-cache --enable 'nothing-*' mix.c "${CARGS[@]}"
check "a glob that names no rule is an error (exit 2)" rc_is 2
check "naming it" err_has "unknown rule 'nothing-\*'"
run --in "$W/rules" --no-cache --enable double-lock mix.c gen/copy.c "${CARGS[@]}"
check "two files, two double locks" bash -c "grep -c ' \[double-lock\]$' '$W/out' | grep -qx 2"
run --in "$W/rules" --no-cache --enable double-lock --exclude gen mix.c gen/copy.c "${CARGS[@]}"
check "--exclude GLOB drops the findings under it" out_lacks '^gen/'
check "--exclude GLOB: the summary counts it" err_has '1 excluded'
run --in "$W/rules/gen" --no-cache --enable double-lock --exclude '*.c' ../mix.c copy.c "${CARGS[@]}"
check "--exclude '*.c' matches from any directory" out_lacks 'double-lock'

finish
