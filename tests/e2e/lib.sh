# lib.sh: the small assertion framework the end-to-end scripts share.
# A script sets BIN (the locklint binary) and W (its scratch directory),
# may set RUN_DIR (where `run` starts locklint; default $W) and may define
# check_context (extra lines shown when a check fails), then sources this.
# Each check prints `ok NAME` or `FAIL NAME`; `finish` prints
# `N passed, M failed` and gives the exit status.

npass=0
nfail=0
rc=0
last_cmd=""
TIMEOUT=()
if command -v timeout >/dev/null 2>&1; then
    TIMEOUT=(timeout 300)
fi

ok() {
    npass=$((npass + 1))
    echo "ok   $1"
}

fail() {
    local l
    nfail=$((nfail + 1))
    echo "FAIL $1"
    shift
    for l in "$@"; do
        printf '%s\n' "$l" | sed -e 's/^/       /'
    done
}

# run [--in DIR] ARGS...: runs locklint (from DIR, default $RUN_DIR or $W)
# with stdout in $W/out and stderr in $W/err; sets rc.  A sanitizer report
# is a failure of its own.
run() {
    local dir=${RUN_DIR:-$W}
    if [[ ${1-} == --in ]]; then
        dir=$2
        shift 2
    fi
    last_cmd="(cd $dir && locklint $*)"
    (cd "$dir" && "${TIMEOUT[@]}" "$BIN" "$@") >"$W/out" 2>"$W/err" </dev/null
    rc=$?
    if grep -qE 'ERROR: (Address|Leak|Thread)Sanitizer|runtime error:' "$W/err"; then
        fail "no sanitizer report: $last_cmd" "$(head -n 30 "$W/err")"
    fi
}

# check NAME PREDICATE ARGS...: one ok/FAIL line for the last run.
check() {
    local name=$1
    shift
    if "$@"; then
        ok "$name"
    else
        local extra=()
        if declare -F check_context >/dev/null; then
            extra=("$(check_context)")
        fi
        fail "$name" "command:     $last_cmd" "exit status: $rc" \
            "stdout:      $(head -c 1200 "$W/out")" "stderr:      $(head -c 1200 "$W/err")" \
            "${extra[@]}"
    fi
}

rc_is() { [[ $rc -eq $1 ]]; }
rc_not() { [[ $rc -ne $1 ]]; }
out_has() { grep -qE -- "$1" "$W/out"; }
out_has_fixed() { grep -qF -- "$1" "$W/out"; }
out_lacks() { ! grep -qE -- "$1" "$W/out"; }
out_empty() { [[ ! -s $W/out ]]; }
err_has() { grep -qE -- "$1" "$W/err"; }
err_has_fixed() { grep -qF -- "$1" "$W/err"; }
err_lacks() { ! grep -qE -- "$1" "$W/err"; }
same_files() { cmp -s "$1" "$2"; }
file_has() { grep -qE -- "$2" "$1"; }

finish() {
    echo "$npass passed, $nfail failed"
    [[ $nfail -eq 0 ]]
}
