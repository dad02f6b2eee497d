#!/usr/bin/env bash
# run_facts.sh [--update] BINARY [FACTS_DIR]
#
# Golden tests of the frontend's lowering, the way sparse's test-linearize
# works: every FACTS_DIR/NAME.c (default: fixtures/facts beside this
# script) is lowered with
#
#     BINARY --no-cache --dump-facts NAME.c -- -std=c11 -pthread -D_GNU_SOURCE
#
# from inside FACTS_DIR (a `// locklint-args: ARGS` comment in the first 20
# lines replaces the compiler arguments), and the listing must equal
# NAME.facts byte for byte.  The first line's absolute path of the main
# file is cut to its basename so that the files compare across checkouts.
# A mismatch prints `diff -u NAME.facts actual`.
#
# --update rewrites every NAME.facts from the current binary instead (then
# read `git diff fixtures/facts` before committing: every changed line is a
# change of the lowering).  tests/update_facts.sh does that with the test
# build.
#
# Prints PASS/FAIL per file, then `N passed, M failed`.
# Exit status: 0 all passed (or updated), 1 a file failed, 2 bad usage.
set -u
export LC_ALL=C

update=0
if [[ ${1-} == --update ]]; then
    update=1
    shift
fi
if (($# < 1 || $# > 2)); then
    echo "usage: $0 [--update] BINARY [FACTS_DIR]" >&2
    exit 2
fi
here=$(cd "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
bin=$1
dir=${2:-$here/../fixtures/facts}
if [[ ! -x $bin || -d $bin ]]; then
    echo "run_facts: not an executable: $bin" >&2
    exit 2
fi
bin="$(cd "$(dirname -- "$bin")" && pwd)/$(basename -- "$bin")"
dir=$(cd "$dir" 2>/dev/null && pwd) || {
    echo "run_facts: not a directory: $2" >&2
    exit 2
}

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

shopt -s nullglob
files=("$dir"/*.c)
if ((${#files[@]} == 0)); then
    echo "run_facts: no .c files in $dir" >&2
    exit 1
fi

passed=0
failed=0
for path in "${files[@]}"; do
    name=${path##*/}
    golden=${path%.c}.facts
    args=(-std=c11 -pthread -D_GNU_SOURCE)
    spec=$(head -n 20 -- "$path" | grep -m1 -E '//[[:space:]]*locklint-args:')
    if [[ -n $spec ]]; then
        read -r -a args <<<"${spec#*locklint-args:}"
    fi
    (cd "$dir" && "$bin" --no-cache --dump-facts "$name" -- "${args[@]}") \
        >"$tmp/raw" 2>"$tmp/err" </dev/null
    rc=$?
    sed -e '1s|^tu .*/|tu |' "$tmp/raw" >"$tmp/actual"
    if ((rc != 0)) || grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$tmp/err"; then
        failed=$((failed + 1))
        echo "FAIL $name: locklint exited with status $rc"
        sed -e 's/^/      | /' "$tmp/err" | head -n 40
        continue
    fi
    if ((update)); then
        if ! cmp -s "$tmp/actual" "$golden"; then
            cp "$tmp/actual" "$golden"
            echo "UPDATED ${golden##*/}"
        fi
        passed=$((passed + 1))
        continue
    fi
    if [[ ! -f $golden ]]; then
        failed=$((failed + 1))
        echo "FAIL $name: no ${golden##*/} (write it with tests/update_facts.sh)"
        continue
    fi
    if cmp -s "$golden" "$tmp/actual"; then
        passed=$((passed + 1))
        echo "PASS $name"
    else
        failed=$((failed + 1))
        echo "FAIL $name: the facts differ from ${golden##*/}"
        diff -u --label "${golden##*/}" --label actual "$golden" "$tmp/actual" | sed -e 's/^/    /'
        echo "    command: cd '$dir' && '$bin' --no-cache --dump-facts '$name' -- ${args[*]}"
    fi
done

echo "$passed passed, $failed failed"
((failed == 0))
