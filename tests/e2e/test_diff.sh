#!/usr/bin/env bash
# test_diff.sh BINARY SRC_DIR BUILD_DIR
#
# Pull-request mode, in a temporary git repository: --diff-base REF
# reports, and fails on, only the findings with a site (the primary
# location or a note) on a line changed since REF, new files included;
# --diff FILE with the same changes as a unified diff gives the same
# report; baselines and suppressions still apply; a bad REF, a REF that
# looks like an option, and a directory outside git are errors (exit 2);
# and git runs nothing the analysed repository configures (fsmonitor,
# clean filters, hooks).
#
# Prints `ok NAME` / `FAIL NAME` per check and `N passed, M failed`.
set -u
export LC_ALL=C

if (($# != 3)); then
    echo "usage: $0 BINARY SRC_DIR BUILD_DIR" >&2
    exit 2
fi
BIN="$(cd "$(dirname -- "$1")" && pwd -P)/$(basename -- "$1")"
SRC=$(cd "$2" && pwd -P) || exit 2
if ! command -v git >/dev/null 2>&1; then
    echo "test_diff: skipped: git is not installed"
    exit 0
fi
W=$(mktemp -d) || exit 2
trap 'rm -rf "$W"' EXIT
export HOME=$W/home XDG_CACHE_HOME=$W/xdg GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t \
    GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
mkdir -p "$HOME"

source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

finding_lines() { grep -E ' \[[a-z0-9-]+\]$' "$W/out"; }
n_findings_is() { [[ $(finding_lines | wc -l) -eq $1 ]]; }

P=$W/proj
RUN_DIR=$P
mkdir -p "$P/src"
cat >"$P/src/a.c" <<'EOF'
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;

void old_double(int twice)
{
    pthread_mutex_lock(&m);
    if (twice)
        pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void *first_a_then_b(void *arg)
{
    pthread_mutex_lock(&a);
    pthread_mutex_lock(&b);
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    return arg;
}
EOF
entry() { # entry FILE
    printf '{"directory": "%s", "file": "%s", "arguments": ["cc", "-std=c11", "-pthread", "-c", "%s"]}' \
        "$P" "$1" "$1"
}
printf '[%s,\n %s]\n' "$(entry src/a.c)" "$(entry src/b.c)" >"$P/compile_commands.json"
printf 'int b_placeholder;\n' >"$P/src/b.c"
(cd "$P" && git init -q -b main . && git add -A && git commit -qm base) || exit 2

run --no-cache -p . --diff-base main
check "no change since the base: nothing reported" n_findings_is 0
check "no change since the base: exit 0" rc_is 0
check "the summary counts what lies outside the change" err_has '\(1 not on changed lines\)'

# the change: a leak appended to a.c, the other lock order in a new
# function of b.c (the inversion's primary site stays in old code)
git -C "$P" checkout -q -b feature
cat >>"$P/src/a.c" <<'EOF'

int new_leak(int fail)
{
    pthread_mutex_lock(&m);
    if (fail)
        return -1;
    pthread_mutex_unlock(&m);
    return 0;
}
EOF
cat >"$P/src/b.c" <<'EOF'
#include <pthread.h>

extern pthread_mutex_t a, b;
void *first_a_then_b(void *arg);

void *first_b_then_a(void *arg)
{
    pthread_mutex_lock(&b);
    pthread_mutex_lock(&a);
    pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&b);
    return arg;
}

void start_both(void)
{
    pthread_t x, y;
    pthread_create(&x, NULL, first_a_then_b, NULL);
    pthread_create(&y, NULL, first_b_then_a, NULL);
    pthread_join(x, NULL);
    pthread_join(y, NULL);
}
EOF
sed -i 's/^static pthread_mutex_t a = /pthread_mutex_t a = /' "$P/src/a.c"
(cd "$P" && git commit -qam feature) || exit 2

run --no-cache -p .
check "without --diff-base every finding is reported" out_has 'old_double|already held'
run --no-cache -p . --diff-base main
check "--diff-base: a finding on a changed line fails the run" rc_is 1
check "--diff-base: the new leak is reported" out_has '^src/a\.c:[0-9]+:[0-9]+: warning: .*\[lock-leak\]$'
check "--diff-base: a finding with a note on a changed line is reported" \
    out_has '\[lock-order-inversion\]$'
check "--diff-base: the old double lock is not" out_lacks '\[double-lock\]$'
check "--diff-base: the summary counts it" err_has '\(1 not on changed lines\)'
cp "$W/out" "$W/base.out"

git -C "$P" diff main >"$W/change.diff"
run --no-cache -p . --diff "$W/change.diff"
check "--diff FILE reports what --diff-base does" same_files "$W/out" "$W/base.out"
run --no-cache -p . --diff - <"$W/change.diff"
(cd "$P" && "$BIN" --no-cache -p . --diff - <"$W/change.diff" >"$W/out" 2>"$W/err")
rc=$?
check "--diff - reads standard input" same_files "$W/out" "$W/base.out"
git -C "$P" diff -U0 main >"$W/change0.diff"
run --no-cache -p . --diff "$W/change0.diff"
check "--diff with -U0 hunks reports the same" same_files "$W/out" "$W/base.out"

run --no-cache -p . --diff-base HEAD
check "--diff-base HEAD on a clean tree: nothing" n_findings_is 0
# uncommitted work counts: the work tree is compared, not HEAD
printf '\nvoid more(void)\n{\n    pthread_mutex_lock(&m);\n    pthread_mutex_lock(&m);\n    pthread_mutex_unlock(&m);\n}\n' >>"$P/src/a.c"
run --no-cache -p . --diff-base HEAD
check "--diff-base compares the work tree: an uncommitted change is reported" \
    out_has '^src/a\.c:3[0-9]:[0-9]+: warning: .*\[double-lock\]$'
check "--diff-base HEAD: only that one" n_findings_is 1
git -C "$P" checkout -q -- src/a.c

# baselines and suppressions still apply
run --no-cache -p . --write-baseline "$W/bl.json"
run --no-cache -p . --diff-base main --baseline "$W/bl.json"
check "--diff-base with a baseline holding everything: exit 0" rc_is 0
check "--diff-base with a baseline: nothing reported" n_findings_is 0
sed -i 's|^        return -1;$|        return -1; // locklint-ignore: lock-leak the caller unlocks|' "$P/src/a.c"
run --no-cache -p . --diff-base main
check "--diff-base with a suppressed new finding: it is gone" out_lacks '\[lock-leak\]$'
check "--diff-base: the other changed finding stays" out_has '\[lock-order-inversion\]$'
git -C "$P" checkout -q -- src/a.c

# errors
run --no-cache -p . --diff-base no-such-branch
check "an unknown --diff-base is an error (exit 2)" rc_is 2
check "naming it" err_has "no commit 'no-such-branch'"
run --no-cache -p . --diff-base --output=x
check "a --diff-base that looks like an option is refused" rc_is 2
run --no-cache -p . --diff "$W/none.diff"
check "a missing --diff file is an error (exit 2)" rc_is 2
printf 'hello\n' >"$W/notdiff"
run --no-cache -p . --diff "$W/notdiff"
check "a file that is not a unified diff is an error" err_has 'not a unified diff'
run --no-cache -p . --diff "$W/change.diff" --diff-base main
check "--diff and --diff-base together are a usage error" rc_is 2
mkdir -p "$W/nogit"
cp "$P/src/a.c" "$W/nogit/"
run --in "$W/nogit" --no-cache a.c --diff-base main -- -pthread
check "--diff-base outside a git work tree is an error" rc_is 2
check "saying so" err_has 'not in a git work tree'

# the README's recipes, as written there
README=$SRC/README.md
GH='locklint -p build --diff-base "$(git merge-base "origin/$GITHUB_BASE_REF" HEAD)"'
GL='locklint -p build --diff-base "$CI_MERGE_REQUEST_DIFF_BASE_SHA" --format codeclimate -o gl-code-quality-report.json'
mkdir -p "$P/build"
cp "$P/compile_commands.json" "$P/build/"
git -C "$P" update-ref refs/remotes/origin/main main
for c in "$GH" "$GL"; do
    check "README shows: $c" grep -qF -- "$c" "$README"
    (cd "$P" && GITHUB_BASE_REF=main CI_MERGE_REQUEST_DIFF_BASE_SHA=$(git rev-parse main) \
        eval "\"\$BIN\" --no-cache ${c#locklint }") >"$W/out" 2>"$W/err"
    rc=$?
    last_cmd=$c
    check "the recipe fails on the change's findings: $c" rc_is 1
done
check "the GitLab recipe writes the Code Quality report of the change" \
    bash -c "grep -q lock-leak '$P/gl-code-quality-report.json' && ! grep -q double-lock '$P/gl-code-quality-report.json'"

# nothing the repository configures runs
printf '*.c filter=evil diff=evil\n' >"$P/.gitattributes"
git -C "$P" config core.fsmonitor "touch $W/pwned-fsmonitor; false"
git -C "$P" config filter.evil.clean "touch $W/pwned-filter; cat"
git -C "$P" config diff.evil.textconv "touch $W/pwned-textconv; cat"
git -C "$P" config diff.external "touch $W/pwned-external"
git -C "$P" config core.pager "touch $W/pwned-pager; cat"
mkdir -p "$P/.git/hooks"
for h in post-checkout pre-commit reference-transaction; do
    printf '#!/bin/sh\ntouch %s/pwned-hook\n' "$W" >"$P/.git/hooks/$h"
    chmod +x "$P/.git/hooks/$h"
done
touch "$P/src/a.c" # a stat change that would make git re-read the file
run --no-cache -p . --diff-base main
check "a hostile repository configuration: the same findings" same_files "$W/out" "$W/base.out"
check "nothing the repository configures was run" bash -c "! compgen -G '$W/pwned*'"

finish
