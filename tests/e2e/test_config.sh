#!/usr/bin/env bash
# test_config.sh BINARY SRC_DIR BUILD_DIR
#
# End-to-end tests of .locklint.yml: found by walking up from the compile
# database, or given with --config; rules switched off or set to another
# severity; excluded paths and the vendored directories excluded by
# default; a home-made lock registered as a primitive; and every kind of
# mistake (YAML syntax, unknown key, duplicate key, wrong type, bad value,
# unknown rule) exiting 2 with a message that names the file and the line.
#
# Prints `ok NAME` / `FAIL NAME` per check and `N passed, M failed`; exits
# 1 when a check failed.
set -u
export LC_ALL=C

if (($# != 3)); then
    echo "usage: $0 BINARY SRC_DIR BUILD_DIR" >&2
    exit 2
fi
BIN="$(cd "$(dirname -- "$1")" && pwd -P)/$(basename -- "$1")"
SRC=$(cd "$2" && pwd -P) || exit 2
if [[ ! -x $BIN ]]; then
    echo "test_config: not an executable: $1" >&2
    exit 2
fi
if ! grep -q 'll_config_load_for' "$SRC/analyzer/driver.c"; then
    echo "test_config: skipped: analyzer/driver.c does not call ll_config_load_for() yet"
    exit 0
fi

W=$(mktemp -d) || exit 2
trap 'rm -rf "$W"' EXIT

# The assertion framework (ok, fail, run, check, the common predicates).
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"
check_context() { echo "config:      $(head -c 400 "$P/.locklint.yml" 2>/dev/null)"; }


# --- a project: a double lock in src/, one in third_party/, a home-made lock ---

P=$W/proj
RUN_DIR=$P
mkdir -p "$P/src" "$P/third_party/lib" "$P/build"
double_lock() { # double_lock FUNCTION
    cat <<EOF
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

void $1(int x)
{
    pthread_mutex_lock(&m);
    if (x)
        pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}
EOF
}
double_lock app >"$P/src/app.c"
double_lock vendored >"$P/third_party/lib/lib.c"
cat >"$P/src/spin.c" <<'EOF'
struct spin { volatile int v; };
void my_spin_lock(struct spin *s);
void my_spin_unlock(struct spin *s);

static struct spin s;

void twice(void)
{
    my_spin_lock(&s);
    my_spin_lock(&s);
    my_spin_unlock(&s);
}
EOF
write_compdb "$P/build" "$(compdb_entry "$P" src/app.c -std=c11 -pthread)" \
    "$(compdb_entry "$P" third_party/lib/lib.c -std=c11 -pthread)" \
    "$(compdb_entry "$P" src/spin.c -std=c11 -pthread)"

# --- defaults -----------------------------------------------------------------

run --no-cache -p build
check "without a configuration the src/ finding fails" rc_is 1
check "src/app.c is reported" finding_at src/app.c:9 double-lock warning
check "third_party/ is excluded by default" out_lacks 'third_party'
check "the home-made lock is unknown without configuration" out_lacks 'spin\.c'
check "the summary counts the excluded finding" err_has '1 excluded by the configuration'

# --- settings that take effect --------------------------------------------------------

cat >"$P/.locklint.yml" <<'EOF'
rules:
  double-lock: error
exclude-vendored: false
locks:
  - {lock: my_spin_lock, unlock: my_spin_unlock, kind: spin}
EOF
run --no-cache -p build
check "found walking up from build/: severity error" \
    finding_at src/app.c:9 double-lock error
check "exclude-vendored: false reports third_party/" has_finding --at third_party/lib/lib.c:9
check "a configured lock primitive is analysed" finding_at src/spin.c:10 double-lock error

run --no-cache -p build --fail-on error
check "--fail-on error fails on a finding raised to error" rc_is 1

cat >"$P/.locklint.yml" <<'EOF'
rules: {double-lock: note}
exclude: [src/spin.c, third_party]
EOF
run --no-cache -p build
check "a rule lowered to note does not fail at --fail-on warning" rc_is 0
check "...and is printed as a note" finding_at src/app.c:9 double-lock note
check "an exclude pattern drops its file" out_lacks 'spin\.c|third_party'

cat >"$P/.locklint.yml" <<'EOF'
rules:
  double-lock: off
EOF
run --no-cache -p build
check "a rule switched off reports nothing" rc_is 0
run --no-cache -p build --enable double-lock
check "--enable wins over off in the configuration" rc_is 1

mkdir -p "$W/elsewhere"
printf 'rules:\n  double-lock: error\n' >"$W/elsewhere/ci.yml"
run --no-cache -p build --config "$W/elsewhere/ci.yml"
check "--config FILE is used instead of the found one" has_finding --at src/app.c:9 --severity error
run --no-cache -p build --config "$W/elsewhere/none.yml"
check "a missing --config FILE exits 2" rc_is 2
check "...naming it" err_has_fixed "$W/elsewhere/none.yml"

# --- every kind of mistake: exit 2, file and line named -----------------------------------

# bad CONFIG_TEXT LINE NEEDLE: the run must exit 2 with
# "locklint: error: <path>/.locklint.yml:LINE: ...NEEDLE..."
bad() {
    printf '%s' "$1" >"$P/.locklint.yml"
    run --no-cache -p build
    check "config error exits 2: $3" rc_is 2
    check "config error names file and line $2: $3" \
        err_has "^locklint: error: $P/\.locklint\.yml:$2: .*$3"
    check "config error prints no report: $3" test ! -s "$W/out"
}
bad $'rules:\n  double-lock: [on\n' 3 'invalid YAML'
bad $'rules:\n\tdouble-lock: on\n' 2 'invalid YAML'
bad $'rules: {}\nexlude: [a]\n' 2 "unknown key 'exlude'"
bad $'locks:\n  - {lock: a, unlcok: b}\n' 2 "unknown key 'unlcok' in 'locks'"
bad $'threads:\n  - {create: go, start: 0, args: 1}\n' 2 "unknown key 'args' in 'threads'"
bad $'rules:\n  lock-leak: on\n  lock-leak: off\n' 3 "duplicate key 'lock-leak'"
bad $'rules: [double-lock]\n' 1 "'rules' must be a mapping"
bad $'exclude: third_party\n' 1 "'exclude' must be a list"
bad $'locks:\n  - my_lock\n' 2 "'locks' must be a mapping"
bad $'exclude-vendored: sometimes\n' 1 "'exclude-vendored' must be true or false"
bad $'rules:\n  double-lock: loud\n' 2 "bad value 'loud' for rule 'double-lock'"
bad $'rules:\n  dobule-lock: off\n' 2 "unknown rule 'dobule-lock'"
bad $'locks:\n  - {lock: a, arg: two}\n' 2 "'arg' must be an integer from 0 to 15"
bad $'locks:\n  - {lock: a, kind: futex}\n' 2 "bad value 'futex' for 'kind'"
bad $'threads:\n  - {create: go}\n' 2 "needs 'start'"
bad $'hierarchy:\n  - a after b\n' 2 "bad 'hierarchy' entry"
bad $'- just\n- a list\n' 1 'must be a mapping'

finish
