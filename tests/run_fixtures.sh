#!/usr/bin/env bash
# run_fixtures.sh BINARY FIXTURE_DIR
#
# Checks every FIXTURE_DIR/*.c against the findings written inline in it, the
# way clang's -verify does.  Each file is analysed on its own, from inside
# FIXTURE_DIR, with
#
#     BINARY --no-cache --format text FILE.c -- -pthread -std=c11 -D_GNU_SOURCE
#
# (a `// locklint-args: ARGS` comment in the first 20 lines replaces the
# compiler arguments after `--`).
#
# Expectations, anywhere on a source line, several per line allowed:
#     expect: RULE               a RULE finding is reported on this line
#     expect: RULE 'text'        ... and its message contains `text`
#     expect-note: RULE [...]    ... and it is a note (expect-warning: a warning)
#     expect-no-findings         (once per file) nothing at all is reported
#
# A finding is a stdout line `FILE:LINE:COL: SEVERITY: MESSAGE [RULE]`; note
# lines without a `[rule]` tag belong to the finding above and are ignored.
# The matching is tests/findings.py's `expect` (shared with the end-to-end
# scripts).  Matching is exact, so every fixture is also a false-positive test: each
# expectation needs its own finding (same file, line and rule, message
# containing the text) and every finding needs an expectation.  Known gaps
# are written as expectations of today's behaviour with a `// known-gap:`
# comment, and are matched like the rest.
#
# A file also fails when locklint exits with anything but 0 (no findings) or
# 1 (findings), when the exit status disagrees with the findings printed,
# when stderr carries a sanitizer report or "analysis incomplete" (a fixture
# must parse cleanly), or when it has neither `expect:` nor
# `expect-no-findings` (or both).
#
# Prints PASS/FAIL per file (with what differed), then `N passed, M failed`.
# Exit status: 0 all passed, 1 a file failed, 2 bad usage.
set -u
export LC_ALL=C

if (($# != 2)); then
    echo "usage: $0 BINARY FIXTURE_DIR" >&2
    exit 2
fi

bin=$1
dir=$2
if [[ $bin != */* ]]; then
    bin=$(command -v -- "$bin") || {
        echo "run_fixtures: no such program: $1" >&2
        exit 2
    }
fi
if [[ ! -x $bin || -d $bin ]]; then
    echo "run_fixtures: not an executable: $bin" >&2
    exit 2
fi
bin="$(cd "$(dirname -- "$bin")" && pwd)/$(basename -- "$bin")"
if [[ ! -d $dir ]]; then
    echo "run_fixtures: not a directory: $dir" >&2
    exit 2
fi
dir=$(cd "$dir" && pwd)

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

default_args=(-pthread -std=c11 -D_GNU_SOURCE)
matcher="$(cd "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)/findings.py"
timeout_cmd=()
if command -v timeout >/dev/null 2>&1; then
    timeout_cmd=(timeout 300)
fi

shopt -s nullglob
files=("$dir"/*.c)
if ((${#files[@]} == 0)); then
    echo "run_fixtures: no .c files in $dir" >&2
    exit 1
fi

passed=0
failed=0
for path in "${files[@]}"; do
    name=${path##*/}
    args=("${default_args[@]}")
    spec=$(head -n 20 -- "$path" | grep -m1 -E '//[[:space:]]*locklint-args:')
    if [[ -n $spec ]]; then
        read -r -a args <<<"${spec#*locklint-args:}"
    fi

    (cd "$dir" && "${timeout_cmd[@]}" "$bin" --no-cache --format text "$name" -- "${args[@]}") \
        >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?

    problems=()
    case $rc in
    0 | 1) ;;
    2) problems+=("locklint exited with status 2 (usage, configuration or I/O error)") ;;
    124) problems+=("locklint timed out") ;;
    *) problems+=("locklint exited with status $rc (crash?)") ;;
    esac
    if grep -qE 'ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error:' "$tmp/err"; then
        problems+=("sanitizer report on stderr")
    fi
    if grep -q 'analysis incomplete' "$tmp/err"; then
        problems+=("the fixture did not parse cleanly (\"analysis incomplete\")")
    fi

    findings=0
    nwarn=0
    while IFS= read -r l; do
        case $l in
        "findings "*)
            read -r _ findings nwarn <<<"$l"
            ;;
        *) problems+=("$l") ;;
        esac
    done < <(python3 "$matcher" expect -C "$dir" --summary "$tmp/out" "$name")

    if ((rc == 0 && nwarn > 0)); then
        problems+=("exit status 0 although $nwarn warning(s) were reported")
    elif ((rc == 1 && nwarn == 0)); then
        problems+=("exit status 1 although no warning was reported")
    fi

    if ((${#problems[@]} == 0)); then
        passed=$((passed + 1))
        echo "PASS $name ($findings finding(s))"
    else
        failed=$((failed + 1))
        echo "FAIL $name"
        for p in "${problems[@]}"; do
            echo "    $p"
        done
        echo "    command: cd '$dir' && '$bin' --no-cache --format text '$name' -- ${args[*]}"
        if [[ -s $tmp/err ]]; then
            echo "    stderr:"
            sed -e 's/^/      | /' "$tmp/err" | head -n 60
        fi
    fi
done

echo "$passed passed, $failed failed"
((failed == 0))
