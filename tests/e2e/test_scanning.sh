#!/usr/bin/env bash
# test_scanning.sh BINARY SRC_DIR BUILD_DIR
#
# What code scanning and terminals see: SARIF per-rule precision and
# helpUri, notes linked from the message, toolExecutionNotifications for
# incomplete TUs, validation against the SARIF 2.1.0 schema (the copy in
# the npm package @microsoft/jest-sarif, with python3-jsonschema; skipped
# when either cannot be had); text `remark:` for note findings, the help
# line once per rule, --color and NO_COLOR; a file that does not parse
# without '--' is an error; --graph draws the cycles with a legend and
# files as clusters, --graph-all every edge.
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
BUILD=$(cd "$3" && pwd -P) || exit 2
W=$(mktemp -d) || exit 2
trap 'rm -rf "$W"' EXIT
export HOME=$W/home XDG_CACHE_HOME=$W/xdg
unset NO_COLOR

source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

CARGS=(-- -pthread -std=c11 -D_GNU_SOURCE)
P=$W/p
mkdir -p "$P"
cat >"$P/a.c" <<'EOF'
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t forks[2] = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER};

void twice(void)
{
    pthread_mutex_lock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void twice_again(void)
{
    pthread_mutex_lock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

int leak(int fail)
{
    pthread_mutex_lock(&forks[0]);
    if (fail)
        return -1;
    pthread_mutex_unlock(&forks[0]);
    return 0;
}
EOF
printf 'rules: {lock-leak: note}\n' >"$P/.locklint.yml"

# --- SARIF ------------------------------------------------------------------------------
run --in "$P" --no-cache --format sarif -o "$W/a.sarif" a.c "${CARGS[@]}"
check "sarif: written" test -s "$W/a.sarif"
if command -v jq >/dev/null 2>&1; then
    jqc() { jq -e "$1" "$W/a.sarif" >/dev/null; }
    check "sarif: precision is per rule, not 'medium' everywhere" \
        jqc '[.runs[0].tool.driver.rules[].properties.precision] | unique | length > 1'
    check "sarif: unprotected-write's precision is low (the triage)" \
        jqc '.runs[0].tool.driver.rules[] | select(.id == "unprotected-write") | .properties.precision == "low"'
    check "sarif: each rule's helpUri is its README section" \
        jqc '.runs[0].tool.driver.rules[] | select(.id == "double-lock") | .helpUri | endswith("#double-lock")'
    check "sarif: informationUri" jqc '.runs[0].tool.driver.informationUri | startswith("https://")'
    check "sarif: notes are linked from the message ([...](1))" \
        jqc '.runs[0].results[0].message.text | test("\\]\\(1\\)")'
    check "sarif: the linked ids exist among relatedLocations" \
        jqc '.runs[0].results[0].relatedLocations[0].id == 1'
    check "sarif: a clean run has no invocations (nothing to notify)" \
        jqc '.runs[0].invocations == null'
fi
printf '#include <pthread.h>\nvoid broken(void) { int x = ; }\n' >"$P/broken.c"
run --in "$P" --no-cache --format sarif -o "$W/b.sarif" a.c broken.c "${CARGS[@]}"
check "sarif: an incomplete TU is a toolExecutionNotification" \
    bash -c "jq -e '.runs[0].invocations[0].toolExecutionNotifications[0] |
        (.level == \"warning\") and (.message.text | test(\"analysis incomplete\")) and
        (.locations[0].physicalLocation.artifactLocation.uri == \"broken.c\")' '$W/b.sarif' >/dev/null"

# the SARIF 2.1.0 schema from npm, validated with python3-jsonschema
SCHEMA=$BUILD/sarif-schema/package/lib/schemas/sarif-2.1.0-rtm.5.json
if [[ ! -f $SCHEMA ]] && command -v npm >/dev/null 2>&1; then
    mkdir -p "$BUILD/sarif-schema"
    (cd "$BUILD/sarif-schema" && timeout 120 npm pack -q @microsoft/jest-sarif@1.0.0-beta.0 &&
        tar xzf microsoft-jest-sarif-1.0.0-beta.0.tgz) >/dev/null 2>&1
fi
# python3-jsonschema (scripts/setup) is Debian's python3's; another python3
# first on PATH may have its own
PYJS=
for py in python3 /usr/bin/python3; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import jsonschema' 2>/dev/null; then
        PYJS=$py
        break
    fi
done
if [[ -f $SCHEMA && -n $PYJS ]]; then
    run --in "$SRC/fixtures/demo" --no-cache -p "$BUILD/demo" --format sarif -o "$W/demo.sarif"
    for f in a b demo; do
        last_cmd="validate $f.sarif against $SCHEMA"
        check "sarif: $f.sarif is valid SARIF 2.1.0 (the OASIS schema)" "$PYJS" - "$SCHEMA" "$W/$f.sarif" <<'EOF'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
errors = list(jsonschema.validators.validator_for(schema)(schema).iter_errors(doc))
for e in errors[:5]:
    print(e.message[:300], list(e.path), file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
    done
else
    echo "skip SARIF schema validation (no npm package or no python3-jsonschema); tests/unit/test_sarif.c checks the structure"
fi

# --- text ---------------------------------------------------------------------------------
run --in "$P" --no-cache a.c "${CARGS[@]}"
check "text: a finding of severity note is a remark:" out_has '^a\.c:[0-9]+:[0-9]+: remark: .*\[lock-leak\]$'
check "text: evidence lines stay note:" out_has '^a\.c:[0-9]+:[0-9]+: note: '
check "text: no colour into a pipe" bash -c "! grep -q $'\\033' '$W/out'"
run --in "$P" --no-cache --color=always a.c "${CARGS[@]}"
check "text: --color=always colours the severity" bash -c "grep -q $'\\033\\[1;35mwarning:' '$W/out'"
run --in "$P" --no-cache --color=sometimes a.c "${CARGS[@]}"
check "text: a bad --color is a usage error" rc_is 2
if script -qec true /dev/null >/dev/null 2>&1; then
    tty_run() { # tty_run ENV... -- ARGS: locklint on a terminal
        (cd "$P" && env "$@" script -qec "$BIN --no-cache ${TTY_ARGS}" /dev/null) >"$W/tty" 2>&1 </dev/null
    }
    TTY_ARGS="a.c -- -pthread -std=c11 -D_GNU_SOURCE"
    tty_run TERM=xterm
    last_cmd="script locklint $TTY_ARGS"
    check "tty: colours by default" bash -c "grep -q $'\\033\\[' '$W/tty'"
    check "tty: the help line once per rule (two double locks, one help)" \
        bash -c "[[ \$(grep -c \"run 'locklint explain double-lock'\" '$W/tty') == 1 ]]"
    tty_run TERM=xterm NO_COLOR=1
    check "tty: NO_COLOR turns colours off" bash -c "! grep -q $'\\033\\[1' '$W/tty'"
    TTY_ARGS="--color=never a.c -- -pthread"
    tty_run TERM=xterm
    check "tty: --color=never" bash -c "! grep -q $'\\033\\[1' '$W/tty'"
fi

# --- several findings of one rule at one site are one ---------------------------------------
cat >"$P/mac.c" <<'EOF'
#include <pthread.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
#define LOCK_BOTH()                                                                                \
    do {                                                                                           \
        pthread_mutex_lock(&a);                                                                    \
        pthread_mutex_lock(&b);                                                                    \
    } while (0)

int both(int fail)
{
    LOCK_BOTH();
    if (fail)
        return -1;
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    return 0;
}
EOF
run --in "$P" --no-cache --enable lock-leak mac.c "${CARGS[@]}"
check "one macro expansion, two leaked locks, one return: one finding" \
    bash -c "[[ \$(grep -c '\[lock-leak\]$' '$W/out') == 1 ]]"
check "the other lock is an 'also:' note" out_has "^mac\.c:14:9: note: also: 'b' still held"

# --- a file that does not parse without compiler arguments --------------------------------
printf '#include <pthread.h>\n#include "missing.h"\nint f(struct q *x, int c)\n{\n    pthread_mutex_lock(&x->lock);\n    if (c)\n        return 1;\n    pthread_mutex_unlock(&x->lock);\n    return 0;\n}\n' >"$P/needs.c"
run --in "$P" --no-cache needs.c
check "no '--' and no parse: exit 2" rc_is 2
check "no '--' and no parse: a clear error saying what to do" \
    err_has "needs\.c does not parse without compiler arguments .*missing\.h.*give them after '--'"
check "no '--' and no parse: no finding about '?'" out_lacks "'\\?'"

# --- the lock-order graph ------------------------------------------------------------------
run --in "$SRC/fixtures/demo" --no-cache -p "$BUILD/demo" --graph "$W/g.dot"
check "graph: written" file_has "$W/g.dot" '^digraph lockorder'
check "graph: a cycle edge names its cycle, function and site" \
    file_has "$W/g.dot" 'label="C1: (alice|bob)_pays > transfer.nbank\.c:[0-9]+", color=red'
check "graph: nodes grouped by file" file_has "$W/g.dot" 'subgraph cluster_[0-9]+ \{'
check "graph: the file clusters are named relative to the root" \
    file_has "$W/g.dot" 'label="fixtures/demo/bank\.c"'
check "graph: a legend" file_has "$W/g.dot" 'cluster_legend'
check "graph: the same-class nesting is dashed" file_has "$W/g.dot" 'style=dashed'
check "graph: edges on no cycle are left out" bash -c "! grep -q 'grey60, fontcolor' '$W/g.dot'"
run --in "$SRC/fixtures/demo" --no-cache -p "$BUILD/demo" --graph "$W/all.dot" --graph-all
check "graph-all: the legend explains the grey edges" file_has "$W/all.dot" "grey</font>: an order on no"
check "graph-all: at least as many edges" \
    bash -c "(( \$(grep -c -- '->' '$W/all.dot') >= \$(grep -c -- '->' '$W/g.dot') ))"
if command -v dot >/dev/null 2>&1; then
    last_cmd="dot -Tsvg g.dot"
    check "graph: Graphviz renders it" dot -Tsvg "$W/g.dot" -o "$W/g.svg"
fi

finish
