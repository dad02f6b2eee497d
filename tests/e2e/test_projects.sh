#!/usr/bin/env bash
# test_projects.sh BINARY SRC_DIR BUILD_DIR: every fixtures/projects/<name>/,
# and the demo, is a multi-TU program.  A compile_commands.json listing its .c files is
# generated in a temporary directory, locklint runs with -p on it, and the
# findings must match the inline `// expect: RULE 'text'` comments of all
# its files exactly (as tests/run_fixtures.sh does for single files).
set -u
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
for proj in "$src"/fixtures/projects/*/ "$src"/fixtures/demo/; do
    name=$(basename "$proj")
    db="$tmp/$name"
    mkdir -p "$db"
    {
        echo "["
        first=1
        for f in "$proj"*.c; do
            [[ $first -eq 1 ]] || echo ","
            first=0
            printf '{"directory": "%s", "file": "%s", "arguments": ["cc", "-std=c11", "-D_GNU_SOURCE", "-pthread", "-c", "%s"]}' \
                "$proj" "$(basename "$f")" "$(basename "$f")"
        done
        echo "]"
    } >"$db/compile_commands.json"
    expected=$(cd "$proj" && grep -H -n -o "expect: [a-z-]*" ./*.c | sed -E 's|^\./||; s|:([0-9]+):expect: | \1 |' | sort)
    actual=$(cd "$proj" && "$bin" --no-cache -q -p "$db" 2>"$tmp/err" |
        sed -nE 's|^([^:]+):([0-9]+):[0-9]+: (warning\|error\|note): .*\[([a-z-]+)\]$|\1 \2 \4|p' | sort)
    if [[ "$expected" == "$actual" ]]; then
        echo "PASS $name"
        pass=$((pass + 1))
    else
        echo "FAIL $name"
        diff <(echo "$expected") <(echo "$actual") | sed 's/^/    /'
        sed 's/^/    stderr: /' "$tmp/err"
        fail=$((fail + 1))
    fi
done
# --graph on the demo: a Graphviz file with the Alice/Bob cycle in red and
# the philosophers' same-class nesting dashed.
(cd "$src/fixtures/demo" && "$bin" --no-cache -q -p "$tmp/demo" --graph "$tmp/order.dot" >/dev/null 2>&1)
rc=$?
if [[ $rc -eq 1 ]] && grep -q '^digraph lockorder' "$tmp/order.dot" &&
    grep -q 'alice.lock' "$tmp/order.dot" && grep -q 'color=red' "$tmp/order.dot" &&
    grep -q 'style=dashed' "$tmp/order.dot"; then
    echo "PASS --graph"
    pass=$((pass + 1))
else
    echo "FAIL --graph"
    sed 's/^/    /' "$tmp/order.dot" 2>/dev/null
    fail=$((fail + 1))
fi
(cd "$src/fixtures/demo" && "$bin" --no-cache -q -p "$tmp/demo" --graph /nonexistent/dir/x.dot >/dev/null 2>&1)
if [[ $? -ne 2 ]]; then
    echo "FAIL --graph into a missing directory should exit 2"
    fail=$((fail + 1))
else
    echo "PASS --graph into a missing directory fails"
    pass=$((pass + 1))
fi
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
