# lib.sh: the small assertion framework the end-to-end scripts share.
# A script sets BIN (the locklint binary) and W (its scratch directory),
# may set RUN_DIR (where `run` starts locklint; default $W) and may define
# check_context (extra lines shown when a check fails), then sources this.
# It also has the predicates on findings (through tests/findings.py, the
# one parser of findings for every test script) and the writer of
# compile_commands.json files.
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

# --- findings: every check of a finding goes through tests/findings.py ---------

FINDINGS_PY="$(cd "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)/findings.py"
findings() { python3 "$FINDINGS_PY" "$@"; }

# finding_at FILE:LINE RULE [SEVERITY [TEXT]]: the last run printed a RULE
# finding at FILE:LINE (FILE or a path ending in /FILE), with that severity
# and a message containing TEXT when given.
finding_at() {
    local opts=(--at "$1" --rule "$2")
    [[ -n ${3-} ]] && opts+=(--severity "$3")
    [[ -n ${4-} ]] && opts+=(--message "$4")
    findings has "$W/out" "${opts[@]}"
}
# has_finding [FILTER...]: some finding passes findings.py's filters
# (--at, --rule, --severity, --message); no_finding: none does.
has_finding() { findings has "$W/out" "$@"; }
no_finding() { ! findings has "$W/out" "$@"; }
# n_findings_is N [FILTER...]: exactly N findings pass the filters.
n_findings_is() {
    local n=$1
    shift
    [[ $(findings count "$W/out" "$@") -eq $n ]]
}
# findings_only_in PREFIX: at least one finding, all in files whose path
# starts with PREFIX (a final `:` is ignored: `findings_only_in a.c:`).
findings_only_in() {
    local p=${1%:}
    [[ $(findings count "$W/out") -gt 0 && $(findings count "$W/out" --not-under "$p") -eq 0 ]]
}
# findings_expected DIR SRC...: the findings are exactly those written as
# `expect:` comments in the SRC files under DIR (see tests/findings.py);
# what differs is printed.
findings_expected() {
    local dir=$1
    shift
    findings expect -C "$dir" "$W/out" "$@" | sed -e 's/^/       /'
    return "${PIPESTATUS[0]}"
}

# --- compile databases ---------------------------------------------------------

# json_str S: S as a JSON string literal.
json_str() {
    local s=${1//\\/\\\\}
    s=${s//\"/\\\"}
    printf '"%s"' "$s"
}

# fixture_args FILE: the compiler arguments of a fixture, from a
# `// locklint-args: ARGS` comment in its first 20 lines, or the default
# `-std=c11 -D_GNU_SOURCE -pthread`.
fixture_args() {
    local spec
    spec=$(head -n 20 -- "$1" | sed -n 's|.*locklint-args: *||p' | head -n 1)
    printf '%s\n' "${spec:--std=c11 -D_GNU_SOURCE -pthread}"
}

# compdb_entry DIRECTORY FILE [ARG...]: one compile command, `cc ARG... -c
# FILE` run in DIRECTORY (default ARGs: -std=c11 -D_GNU_SOURCE -pthread).
compdb_entry() {
    local dir=$1 file=$2 a args
    shift 2
    (($# > 0)) || set -- -std=c11 -D_GNU_SOURCE -pthread
    args=$(json_str cc)
    for a in "$@" -c "$file"; do
        args+=", $(json_str "$a")"
    done
    printf '{"directory": %s, "file": %s, "arguments": [%s]}' \
        "$(json_str "$dir")" "$(json_str "$file")" "$args"
}

# write_compdb DIR ENTRY...: DIR/compile_commands.json (DIR created) holding
# the ENTRYs, each from compdb_entry.
write_compdb() {
    local dir=$1 sep="" e
    shift
    mkdir -p "$dir" || return
    {
        echo "["
        for e in "$@"; do
            printf '%s%s\n' "$sep" "$e"
            sep=","
        done
        echo "]"
    } >"$dir/compile_commands.json"
}
