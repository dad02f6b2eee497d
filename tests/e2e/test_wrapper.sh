#!/usr/bin/env bash
# test_wrapper.sh BINARY SRC_DIR BUILD_DIR
#
# End-to-end tests of the wrapper modes and `locklint link`: the demo
# project built by CMake with CMAKE_C_CLANG_TIDY=locklint and with
# CMAKE_C_COMPILER_LAUNCHER=locklint-cc writes one .llfacts per object and
# builds as usual; `locklint link` over them prints byte for byte what a
# direct run over the build's compile_commands.json prints; facts compiled
# in two shards (two directories, as two machines would) link to the same
# JSON as a direct run, in any argument order; the launcher runs the
# compiler with its arguments unchanged and exits with its status, writes
# nothing for commands that do not compile C; damaged, foreign and
# non-regular facts files are skipped with a warning.
#
# Prints `ok NAME` / `FAIL NAME` per check, then `N passed, M failed`.
set -u
export LC_ALL=C

if (($# != 3)); then
    echo "usage: $0 BINARY SRC_DIR BUILD_DIR" >&2
    exit 2
fi
BIN="$(cd "$(dirname -- "$1")" && pwd -P)/$(basename -- "$1")"
CCBIN="$(dirname -- "$BIN")/locklint-cc"
SRC=$(cd "$2" && pwd -P) || exit 2
W=$(mktemp -d) || exit 2
trap 'rm -rf "$W"' EXIT

source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

nfacts() { find "$1" -name '*.llfacts' -type f | wc -l; }

cp -r "$SRC/fixtures/demo" "$W/src"
nsrc=$(ls "$W/src"/*.c | wc -l)

# --- CMake: the clang-tidy form ---------------------------------------------
if cmake -S "$W/src" -B "$W/tidy" -DCMAKE_C_CLANG_TIDY="$BIN" >"$W/cmake.log" 2>&1 &&
    make -C "$W/tidy" >"$W/make.log" 2>&1; then
    ok "cmake build with CMAKE_C_CLANG_TIDY=locklint"
else
    fail "cmake build with CMAKE_C_CLANG_TIDY=locklint" "$(tail -n 20 "$W/cmake.log" "$W/make.log")"
fi
check "tidy form: the build log has no locklint message" bash -c "! grep -q locklint: '$W/make.log'"
[[ $(nfacts "$W/tidy") -eq $nsrc ]] && ok "tidy form: one .llfacts per object" ||
    fail "tidy form: one .llfacts per object" "$(find "$W/tidy" -name '*.llfacts')"
[[ -f $W/tidy/CMakeFiles/demo.dir/bank.c.o.llfacts ]] && ok "tidy form: facts next to the object" ||
    fail "tidy form: facts next to the object"
[[ -x $W/tidy/demo ]] && ok "tidy form: the program is built" || fail "tidy form: the program is built"

run --in "$W/tidy" --no-cache --format json -o "$W/direct.json" -p .
check "direct run over the CMake build" rc_is 1
run --in "$W/tidy" link --format json -o "$W/tidy.json" -p .
check "link -p BUILD exits as a direct run does" rc_is 1
check "link -p BUILD: byte-identical JSON to the direct run" same_files "$W/tidy.json" "$W/direct.json"
check "link: the summary names every TU" err_has "7 findings in $nsrc translation units"
run --in "$W/tidy" link --format json -o "$W/tidy2.json" -p compile_commands.json
check "link -p compile_commands.json: its directory" same_files "$W/tidy2.json" "$W/direct.json"
run --in "$W/tidy" link --dump-facts -p .
check "link --dump-facts: a usage error" rc_is 2
run --in "$W/tidy" link -p .
check "link: text output" out_has 'bank\.c:[0-9]+:[0-9]+: warning: lock order inversion'

# --- CMake: the compiler launcher -------------------------------------------
if cmake -S "$W/src" -B "$W/launch" -DCMAKE_C_COMPILER_LAUNCHER="$CCBIN" >"$W/cmake.log" 2>&1 &&
    make -C "$W/launch" >"$W/make.log" 2>&1; then
    ok "cmake build with CMAKE_C_COMPILER_LAUNCHER=locklint-cc"
else
    fail "cmake build with CMAKE_C_COMPILER_LAUNCHER=locklint-cc" "$(tail -n 20 "$W/cmake.log" "$W/make.log")"
fi
[[ $(nfacts "$W/launch") -eq $nsrc ]] && ok "launcher: one .llfacts per object" ||
    fail "launcher: one .llfacts per object" "$(find "$W/launch" -name '*.llfacts')"
[[ -x $W/launch/demo ]] && ok "launcher: the program is built" || fail "launcher: the program is built"
run --in "$W/tidy" link --format json -o "$W/launch.json" "$W/launch"
check "launcher: link of its facts is byte-identical to the direct run" same_files "$W/launch.json" "$W/direct.json"

# --- two shards, as two machines would compile them -------------------------
mkdir -p "$W/shard1" "$W/shard2" "$W/direct"
files=("$W"/src/*.c)
{
    echo "["
    i=0
    for f in "${files[@]}"; do
        shard=$((i % 2 + 1))
        obj="shard$shard/$(basename "$f" .c).o"
        (cd "$W" && "$CCBIN" cc -std=c11 -D_GNU_SOURCE -pthread -MD -c "$f" -o "$obj") ||
            fail "shard compile of $f"
        ((i > 0)) && echo ","
        printf '{"directory": "%s", "file": "%s", "arguments": ["cc", "-std=c11", "-D_GNU_SOURCE", "-pthread", "-c", "%s", "-o", "%s"]}' \
            "$W" "$f" "$f" "$obj"
        i=$((i + 1))
    done
    echo "]"
} >"$W/direct/compile_commands.json"
[[ $(nfacts "$W/shard1") -gt 0 && $(($(nfacts "$W/shard1") + $(nfacts "$W/shard2"))) -eq $nsrc ]] &&
    ok "shards: every TU's facts in one of two shards" || fail "shards: every TU's facts in one of two shards"
run --no-cache --format json -o "$W/direct2.json" -p direct
check "shards: direct run" rc_is 1
run link --format json -o "$W/shards.json" shard1 shard2
check "shards: link of two shards is byte-identical to the direct run" same_files "$W/shards.json" "$W/direct2.json"
run link --format json -o "$W/shards-rev.json" shard2 $(ls "$W"/shard1/*.llfacts | sort -r)
check "shards: the order of the facts given does not matter" same_files "$W/shards-rev.json" "$W/direct2.json"
run link --format sarif -o "$W/shards.sarif" shard1 shard2
run --no-cache --format sarif -o "$W/direct2.sarif" -p direct
check "shards: SARIF too" same_files "$W/shards.sarif" "$W/direct2.sarif"

# --- the launcher is transparent --------------------------------------------
"$CCBIN" sh -c 'printf "%s|" "$@"; exit 3' sh 'a b' '' '-c' >"$W/out" 2>"$W/err"
rc=$?
last_cmd="locklint-cc sh -c ..."
check "launcher: exits with the command's status" rc_is 3
check "launcher: passes the arguments unchanged" out_has_fixed 'a b||-c|'
printf 'int main(void) { return x; }\n' >"$W/bad.c"
(cd "$W" && "$CCBIN" cc -c bad.c -o bad.o) >"$W/out" 2>"$W/err"
rc=$?
last_cmd="locklint-cc cc -c bad.c -o bad.o"
check "launcher: a failing compile fails" rc_not 0
check "launcher: the compiler's own error is shown" err_has "bad\.c.*(undeclared|error)"
(cd "$W" && "$CCBIN" cc -o demo-linked launch/CMakeFiles/demo.dir/*.o -pthread) >"$W/out" 2>"$W/err"
rc=$?
last_cmd="locklint-cc cc -o demo-linked OBJECTS"
check "launcher: a link step runs" rc_is 0
[[ ! -e $W/demo-linked.llfacts && -x $W/demo-linked ]] && ok "launcher: no facts for a link step" ||
    fail "launcher: no facts for a link step"
(cd "$W" && "$CCBIN" cc -E src/bank.c -o bank.i) >"$W/out" 2>"$W/err"
[[ ! -e $W/bank.i.llfacts ]] && ok "launcher: no facts for -E" || fail "launcher: no facts for -E"
(cd "$W" && "$CCBIN" cc -D_GNU_SOURCE -c src/bank.c src/leak.c) >"$W/out" 2>"$W/err"
[[ -f $W/bank.o.llfacts && -f $W/leak.o.llfacts ]] && ok "launcher: -c of two sources without -o" ||
    fail "launcher: -c of two sources without -o" "$(cat "$W/err")"
"$CCBIN" >"$W/out" 2>"$W/err"
rc=$?
last_cmd="locklint-cc"
check "launcher: no compiler is a usage error" rc_is 2
mkdir "$W/dir.o.llfacts"
(cd "$W" && "$CCBIN" cc -D_GNU_SOURCE -c src/bank.c -o dir.o) >"$W/out" 2>"$W/err"
rc=$?
last_cmd="locklint-cc cc -c src/bank.c -o dir.o (dir.o.llfacts a directory)"
check "launcher: facts that cannot be written do not fail the build" rc_is 0
check "launcher: ... and say so" err_has "no facts written: .*not a regular file"

# --- the clang-tidy form by hand ---------------------------------------------
run --extra-arg-before=--driver-mode=gcc --extra-arg=-DNDEBUG src/counter.c -- -D_GNU_SOURCE
check "tidy form without an object: an ordinary run" out_has 'counter\.c:[0-9]+:[0-9]+: warning: data race'
run --extra-arg=-fplugin=/nonexistent.so src/counter.c -- cc -D_GNU_SOURCE -c src/counter.c -o counter.o
check "tidy form: exit 0 in a build" rc_is 0
check "tidy form: extra arguments are sanitised" err_has 'fplugin'
[[ -f $W/counter.o.llfacts ]] && ok "tidy form: facts for -o" || fail "tidy form: facts for -o"

# --- untrusted facts ---------------------------------------------------------
mkdir -p "$W/bad"
cp "$W"/shard1/*.llfacts "$W/bad/"
one=$(ls "$W"/bad/*.llfacts | head -n 1)
head -c 100 "$one" >"$W/bad/truncated.o.llfacts"
printf 'hello' >"$W/bad/foreign.o.llfacts"
mkfifo "$W/bad/fifo.o.llfacts"
run link "$W/bad" "$W/bad/fifo.o.llfacts"
check "damaged facts: the link goes on" rc_is 1
check "damaged facts: a truncated file is named" err_has "truncated\.o\.llfacts: not linked: damaged"
check "damaged facts: a foreign file is named" err_has "foreign\.o\.llfacts: not linked: not a locklint facts file"
check "damaged facts: a FIFO is not read" err_has "fifo\.o\.llfacts: not linked: not a regular file"
run link "$W/bad/foreign.o.llfacts"
check "no facts file readable: exit 2" rc_is 2
run link "$W/nonexistent"
check "link of a missing path: exit 2" rc_is 2
run link
check "link without input: exit 2" rc_is 2

# --- the configuration used for the facts -----------------------------------
printf 'locks:\n  - {lock: my_lock, unlock: my_unlock}\n' >"$W/other.yml"
run link --config "$W/other.yml" shard1 shard2
check "link: facts extracted with other primitives are named" err_has "extracted with other lock and thread primitives"

finish
