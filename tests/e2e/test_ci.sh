#!/usr/bin/env bash
# test_ci.sh BINARY SRC_DIR BUILD_DIR
#
# End-to-end tests of what CI uses, in a temporary git repository with its
# own compile_commands.json: a baseline is written, the same code passes,
# a new finding fails with exit 1, a suppressed finding passes, a line
# inserted above a baselined finding still passes, a fixed finding is
# reported as such; the GitLab Code Quality output; the README recipes
# (the documented locklint command lines, the pre-commit hook script, the
# CMake custom target; the workflow YAML parses when python3-yaml is
# there).
#
# Prints `ok NAME` / `FAIL NAME` per check and `N passed, M failed`; exits
# 1 when a check failed.  Everything it writes goes to a temporary
# directory removed at exit.
set -u
export LC_ALL=C

if (($# != 3)); then
    echo "usage: $0 BINARY SRC_DIR BUILD_DIR" >&2
    exit 2
fi
BIN="$(cd "$(dirname -- "$1")" && pwd -P)/$(basename -- "$1")"
SRC=$(cd "$2" && pwd -P) || exit 2
if [[ ! -x $BIN ]]; then
    echo "test_ci: not an executable: $1" >&2
    exit 2
fi
if ! grep -q 'll_postprocess' "$SRC/analyzer/driver.c"; then
    echo "test_ci: skipped: analyzer/driver.c does not call ll_postprocess() yet"
    exit 0
fi
if ! command -v git >/dev/null 2>&1; then
    echo "test_ci: skipped: git is not installed"
    exit 0
fi

W=$(mktemp -d) || exit 2
trap 'rm -rf "$W"' EXIT
export HOME=$W GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org \
    GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org

HAVE_JQ=0
command -v jq >/dev/null 2>&1 && HAVE_JQ=1

# The assertion framework (ok, fail, run, check, the common predicates).
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

# --- a small project in a git repository -------------------------------------

P=$W/proj
RUN_DIR=$P
mkdir -p "$P/src"
cat >"$P/src/counter.c" <<'EOF'
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long total;

void counter_add(long n, int twice)
{
    pthread_mutex_lock(&lock);
    total += n;
    if (twice)
        pthread_mutex_lock(&lock);
    pthread_mutex_unlock(&lock);
}
EOF
cat >"$P/src/queue.c" <<'EOF'
#include <pthread.h>

static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static int items;

int queue_put(void)
{
    pthread_mutex_lock(&qlock);
    items++;
    pthread_mutex_unlock(&qlock);
    return 0;
}
EOF
write_compdb "$P" "$(compdb_entry "$P" src/counter.c -std=c11 -pthread)" \
    "$(compdb_entry "$P" src/queue.c -std=c11 -pthread)"
(cd "$P" && git init -q . && git add -A && git commit -qm initial) || exit 2

BL=.locklint-baseline.json

run --no-cache -p .
check "the project has one finding, which fails" rc_is 1
check "it is the double lock in counter.c" finding_at src/counter.c:11 double-lock

# --- baseline written, the same code passes ------------------------------------

run --no-cache -p . --write-baseline $BL
check "--write-baseline exits 0 (the findings are accepted)" rc_is 0
check "--write-baseline still prints the findings" has_finding --rule double-lock
check "the baseline file is written" test -s "$P/$BL"
check "the summary says the baseline was written" err_has '1 written to the baseline'
check "the baseline records rule, file and message" \
    file_has "$P/$BL" '"rule": "double-lock"'
check "the baseline has no line numbers" bash -c "! grep -q '\"line\"' '$P/$BL'"
if ((HAVE_JQ)); then
    check "the baseline is JSON with one 16-hex-digit fingerprint" \
        bash -c "jq -e '.version == 1 and (.findings | length) == 1 and
                 (.findings[0].fingerprint | test(\"^[0-9a-f]{16}$\"))' '$P/$BL' >/dev/null"
fi
(cd "$P" && git add $BL && git commit -qm baseline) || exit 2

run --no-cache -p . --baseline $BL
check "the same code passes with the baseline" rc_is 0
check "no finding is printed" n_findings_is 0
check "the summary counts the baselined finding" err_has '\(1 baselined\)'

# --- a new finding fails with exit 1 -----------------------------------------------

cat >>"$P/src/queue.c" <<'EOF'

int queue_take(int fast)
{
    pthread_mutex_lock(&qlock);
    if (fast)
        return -1;
    items--;
    pthread_mutex_unlock(&qlock);
    return 0;
}
EOF
run --no-cache -p . --baseline $BL
check "a new finding fails with exit 1" rc_is 1
check "the new finding is reported" finding_at src/queue.c:18 lock-leak
check "the baselined one is not" out_lacks 'counter\.c'
check "only the new finding is printed" n_findings_is 1

run --no-cache -p . --baseline $BL --format json
if ((HAVE_JQ)); then
    check "JSON output has only the new finding" \
        bash -c "jq -e '(.findings | length) == 1 and .findings[0].rule == \"lock-leak\"' '$W/out' >/dev/null"
fi

# --- a suppressed finding passes ------------------------------------------------------

sed -i 's|^        return -1;$|        return -1; // locklint-ignore: lock-leak the caller unlocks on -1|' \
    "$P/src/queue.c"
run --no-cache -p . --baseline $BL
check "a suppressed finding passes" rc_is 0
check "nothing is printed" n_findings_is 0
check "the summary counts the suppressed finding" err_has '1 suppressed'

run --no-cache -p .
check "without the baseline the old finding still fails" rc_is 1
check "...but the suppressed one stays silent" out_lacks 'queue\.c'

# an unknown rule and a stale suppression are notes; --fail-on decides
# (static: an exported function would be an entry point of this library,
# whose unlocked read races with queue_put)
cat >>"$P/src/queue.c" <<'EOF'

static int queue_size(void)
{
    // locklint-ignore: lock-leek typo
    return items; // locklint-ignore: double-lock stale
}
EOF
run --no-cache -p . --baseline $BL
check "suppression notes do not fail at --fail-on warning" rc_is 0
check "an unknown rule in a suppression is a note" \
    finding_at src/queue.c:26 bad-suppression note "unknown rule 'lock-leek'"
check "a suppression that silences nothing is a note" \
    has_finding --at src/queue.c:27 --rule unused-suppression --severity note \
    --message "'double-lock'" --message "silences no finding"
run --no-cache -p . --baseline $BL --fail-on note
check "suppression notes fail at --fail-on note" rc_is 1
run --no-cache -p . --baseline $BL --disable double-lock
check "a suppression of a rule that did not run is not called unused" \
    no_finding --rule unused-suppression
(cd "$P" && git checkout -q -- src/queue.c) || exit 2

# --- a line inserted above a baselined finding still passes -------------------------------

sed -i '1i /* Counter shared by the workers.\n   Protected by lock. */' "$P/src/counter.c"
run --no-cache -p . --baseline $BL
check "lines inserted above a baselined finding still pass" rc_is 0
check "...and it is still counted as baselined" err_has '1 baselined'
run --no-cache -p .
check "...although it moved down two lines" finding_at src/counter.c:13 double-lock

sed -i 's/^static long total;$/static long grand_total;/; s/total += n;/grand_total += n;/' \
    "$P/src/counter.c"
run --no-cache -p . --baseline $BL
check "renaming unrelated code still passes" rc_is 0

# --- a fixed finding is reported as such -------------------------------------------------

sed -i '/if (twice)/d; /^        pthread_mutex_lock(&lock);$/d' "$P/src/counter.c"
run --no-cache -p .
check "the fixed code has no finding" rc_is 0
run --no-cache -p . --baseline $BL
check "with the baseline it passes" rc_is 0
check "the fixed finding is reported as fixed" err_has '1 fixed since the baseline'
run --no-cache -p . --baseline $BL src/queue.c
check "with a path filter, findings elsewhere are not called fixed" \
    bash -c "! grep -q 'fixed' '$W/err'"
(cd "$P" && git checkout -q -- src/counter.c) || exit 2

# --- bad baselines -----------------------------------------------------------------------

run --no-cache -p . --baseline missing.json
check "a missing baseline is an error (exit 2)" rc_is 2
check "...naming the file" err_has "^locklint: error: .*missing\.json"
echo '{"version": 1, "findings": [{"rule": "x"}]}' >"$P/bad.json"
run --no-cache -p . --baseline bad.json
check "a malformed baseline is an error (exit 2)" rc_is 2
check "...naming the file and the problem" err_has "^locklint: error: bad\.json: .*fingerprint"
run --no-cache -p . --write-baseline /nonexistent/dir/bl.json
check "an unwritable baseline is an error (exit 2)" rc_is 2

# --- GitLab Code Quality --------------------------------------------------------------------

run --no-cache -p . --format codeclimate -o gl-code-quality-report.json
check "--format codeclimate exits 1 on findings" rc_is 1
CQ=$P/gl-code-quality-report.json
if ((HAVE_JQ)); then
    check "codeclimate: an array of issues with what GitLab reads" \
        bash -c "jq -e 'type == \"array\" and length == 1 and
            (.[0] | (.description | type == \"string\") and .check_name == \"double-lock\"
                and (.fingerprint | test(\"^[0-9a-f]{16}$\"))
                and (.severity | IN(\"info\", \"minor\", \"major\", \"critical\", \"blocker\"))
                and .location.path == \"src/counter.c\" and .location.lines.begin == 11)' \
            '$CQ' >/dev/null"
else
    check "codeclimate: location.path is relative" file_has "$CQ" '"path": "src/counter.c"'
    check "codeclimate: severity is major" file_has "$CQ" '"severity": "major"'
fi

# --- README recipes ----------------------------------------------------------------------------

README=$SRC/README.md
# The command lines the README's CI recipes run, exactly as written there.
GH_CMD='locklint -p build --format sarif -o locklint.sarif'
GL_CMD='locklint -p build --format codeclimate -o gl-code-quality-report.json'
for c in "$GH_CMD" "$GL_CMD"; do
    if grep -qF -- "$c" "$README"; then
        ok "README shows: $c"
    else
        fail "README shows: $c"
    fi
    mkdir -p "$P/build"
    cp "$P/compile_commands.json" "$P/build/"
    (cd "$P" && eval "\"\$BIN\" --no-cache ${c#locklint }") >"$W/out" 2>"$W/err"
    rc=$?
    last_cmd=$c
    check "recipe command fails the job on findings: $c" rc_is 1
    check "recipe command writes its report: $c" test -s "$P/${c##* }"
done

# The workflow and job YAML blocks parse.
if command -v python3 >/dev/null 2>&1 && python3 -c 'import yaml' 2>/dev/null; then
    awk '/^```yaml$/ { n++; f = sprintf("'"$W"'/block%d.yml", n); next }
         /^```$/ { f = "" } f { print > f }' "$README"
    nblocks=$(ls "$W"/block*.yml 2>/dev/null | wc -l)
    check "README has the YAML recipes" test "$nblocks" -ge 3
    for b in "$W"/block*.yml; do
        last_cmd="python3 yaml.safe_load $b"
        check "README YAML block $(basename "$b") parses" \
            python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$b"
    done
    check "the GitHub workflow uploads SARIF" grep -qh 'github/codeql-action/upload-sarif' "$W"/block*.yml
    check "the GitLab job reports codequality" grep -qh 'codequality: gl-code-quality-report.json' "$W"/block*.yml
else
    echo "skip README YAML blocks parse (no python3 with yaml)"
fi

# The pre-commit hook script.
HOOK=$SRC/scripts/pre-commit
check "the pre-commit hook script exists" test -x "$HOOK"
cp "$HOOK" "$P/.git/hooks/pre-commit"
mkdir -p "$W/bin"
ln -sf "$BIN" "$W/bin/locklint"
rm -f "$P/$BL" && (cd "$P" && git rm -q --cached $BL && git commit -qm 'no baseline') || exit 2
echo "/* touched */" >>"$P/src/counter.c"
(cd "$P" && git add src/counter.c &&
    PATH="$W/bin:$PATH" LOCKLINT_BUILD_DIR=. git commit -qm 'bad' >"$W/out" 2>"$W/err")
rc=$?
last_cmd="git commit (staged src/counter.c with a finding)"
check "the pre-commit hook refuses a commit with a finding" rc_is 1
cat "$W/out" "$W/err" >"$W/hook.out"
findings has "$W/hook.out" --at counter.c:11 --rule double-lock && ok "the hook names the finding" ||
    fail "the hook names the finding" "$(cat "$W/hook.out")"
(cd "$P" && git reset -q && git checkout -q -- src/counter.c)
echo "/* touched */" >>"$P/src/queue.c"
(cd "$P" && git add src/queue.c &&
    PATH="$W/bin:$PATH" LOCKLINT_BUILD_DIR=. git commit -qm 'good' >"$W/out" 2>"$W/err")
rc=$?
last_cmd="git commit (staged src/queue.c, clean)"
check "the pre-commit hook lets a clean file through" rc_is 0
echo "notes" >"$P/NOTES.txt"
(cd "$P" && git add NOTES.txt && PATH="$W/bin:$PATH" LOCKLINT_BUILD_DIR=. git commit -qm 'no C' \
    >"$W/out" 2>"$W/err")
rc=$?
last_cmd="git commit (no C file staged)"
check "the pre-commit hook does nothing without staged C files" rc_is 0

# The CMake custom target, as the README writes it.
if command -v cmake >/dev/null 2>&1; then
    awk '/^<!-- recipe: cmake -->$/ { on = 1; next } on && /^```cmake$/ { p = 1; next }
         p && /^```$/ { exit } p { print }' "$README" >"$W/recipe.cmake"
    check "README has the CMake recipe" test -s "$W/recipe.cmake"
    C=$W/cmakeproj
    mkdir -p "$C"
    cp "$P/src/counter.c" "$C/counter.c"
    {
        echo 'cmake_minimum_required(VERSION 3.18)'
        echo 'project(demo C)'
        echo 'set(CMAKE_EXPORT_COMPILE_COMMANDS ON)'
        echo 'add_library(demo STATIC counter.c)'
        cat "$W/recipe.cmake"
    } >"$C/CMakeLists.txt"
    last_cmd="cmake configure of the recipe"
    if cmake -S "$C" -B "$C/build" -DLOCKLINT_EXECUTABLE="$BIN" >"$W/out" 2>"$W/err"; then
        ok "the CMake recipe configures"
        cmake --build "$C/build" --target locklint >"$W/out" 2>&1
        rc=$?
        last_cmd="cmake --build build --target locklint"
        check "the locklint target fails on a finding" test "$rc" -ne 0
        check "the locklint target prints the finding" finding_at counter.c:11 double-lock
        sed -i '/if (twice)/d; /^        pthread_mutex_lock(&lock);$/d' "$C/counter.c"
        cmake --build "$C/build" --target locklint >"$W/out" 2>&1
        rc=$?
        check "the locklint target passes on clean code" rc_is 0
    else
        fail "the CMake recipe configures" "$(cat "$W/err")"
    fi
else
    echo "skip CMake recipe (no cmake)"
fi

finish
