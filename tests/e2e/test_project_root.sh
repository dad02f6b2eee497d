#!/usr/bin/env bash
# test_project_root.sh BINARY SRC_DIR BUILD_DIR
#
# One project root, one identity: in a temporary git repository whose
# compile_commands.json lies in build/, the same run started from the
# repository root, from build/ and from src/ writes byte-identical JSON,
# SARIF, Code Climate and baseline files; a baseline written at the
# root passes from build/; an exclude pattern and a vendored directory
# match from every directory; --project-root overrides the root; file
# mode finds the root too; `locklint link` of facts the launcher wrote in
# build/, run from the root, build/, src/ and a directory outside the
# project, writes the direct run's files byte for byte.
#
# Prints `ok NAME` / `FAIL NAME` per check and `N passed, M failed`.
set -u
export LC_ALL=C

if (($# != 3)); then
    echo "usage: $0 BINARY SRC_DIR BUILD_DIR" >&2
    exit 2
fi
BIN="$(cd "$(dirname -- "$1")" && pwd -P)/$(basename -- "$1")"
W=$(mktemp -d) || exit 2
trap 'rm -rf "$W"' EXIT
# never the real home: the cache goes below $W
export HOME=$W/home XDG_CACHE_HOME=$W/xdg GIT_CONFIG_NOSYSTEM=1

source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

P=$W/proj
mkdir -p "$P/src" "$P/build" "$P/src/vendor" "$P/gen"
cat >"$P/src/counter.c" <<'EOF'
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void counter_add(int twice)
{
    pthread_mutex_lock(&lock);
    if (twice)
        pthread_mutex_lock(&lock); // a double lock
    pthread_mutex_unlock(&lock);
}
EOF
for d in src/vendor gen; do
    sed -e "s/counter_add/${d//\//_}_add/" "$P/src/counter.c" >"$P/$d/copy.c"
done
entry() { # entry FILE
    printf '{"directory": "%s/build", "file": "../%s", "arguments": ["cc", "-pthread", "-c", "../%s"]}' \
        "$P" "$1" "$1"
}
printf '[%s,\n %s,\n %s]\n' "$(entry src/counter.c)" "$(entry src/vendor/copy.c)" \
    "$(entry gen/copy.c)" >"$P/build/compile_commands.json"
printf 'exclude:\n  - gen\n' >"$P/.locklint.yml"
(cd "$P" && git init -q . 2>/dev/null) || mkdir "$P/.git"

# the same run from three directories, in every format (the text names
# files as seen from where it runs, like a compiler's messages)
for d in . build src; do
    tag=${d//\//_}
    b=$(realpath --relative-to="$P/$d" "$P/build")
    for fmt in text json sarif codeclimate; do
        run --in "$P/$d" --no-cache -p "$b" --format $fmt -o "$W/$tag.$fmt"
    done
    run --in "$P/$d" --no-cache -p "$b" --write-baseline "$W/$tag.baseline"
done
for fmt in json sarif codeclimate baseline; do
    check "$fmt output from build/ is byte for byte the one from the root" \
        same_files "$W/..$fmt" "$W/build.$fmt"
    check "$fmt output from src/ is byte for byte the one from the root" \
        same_files "$W/..$fmt" "$W/src.$fmt"
done
check "paths are relative to the root (the directory of .locklint.yml)" \
    file_has "$W/build.json" '"file": "src/counter.c"'
check "the vendored directory is excluded from any directory" \
    bash -c "! grep -q vendor '$W/build.json'"
check "the exclude pattern matches from any directory" bash -c "! grep -q gen/ '$W/src.json'"
check "SARIF paths are relative" bash -c "grep -q '\"uri\": \"src/counter.c\"' '$W/build.sarif'"

run --in "$P/build" --no-cache -p . --baseline "$W/..baseline"
check "a baseline written at the root passes from build/" rc_is 0
check "and counts nothing as fixed" err_lacks 'fixed'

run --in "$P/src" --no-cache -p ../build counter.c --baseline "$W/..baseline"
check "a path filter given from src/ keeps the baseline's scope" rc_is 0
check "and nothing fixed is claimed" err_lacks 'fixed'

# link: facts written in the build tree by the launcher, linked from four
# directories (the root, build/, src/ and one outside the project) give
# what the direct runs gave, byte for byte
CCBIN="$(dirname -- "$BIN")/locklint-cc"
for f in src/counter.c src/vendor/copy.c gen/copy.c; do
    obj=${f//\//_}
    (cd "$P/build" && "$CCBIN" cc -pthread -c "../$f" -o "${obj%.c}.o") >"$W/cc.log" 2>&1 ||
        fail "launcher compile of $f" "$(cat "$W/cc.log")"
done
check "the launcher wrote the facts next to the objects" test -f "$P/build/gen_copy.o.llfacts"
mkdir -p "$W/elsewhere"
for d in . build src elsewhere; do
    tag=link_$d
    in=$P/$d
    [[ $d == elsewhere ]] && in=$W/elsewhere
    b=$(realpath --relative-to="$in" "$P/build")
    for fmt in json sarif codeclimate; do
        run --in "$in" link --format $fmt -o "$W/$tag.$fmt" -p "$b"
    done
    run --in "$in" link --write-baseline "$W/$tag.baseline" "$b"
    for fmt in json sarif codeclimate baseline; do
        check "link from $d: $fmt byte for byte the direct run's" \
            same_files "$W/..$fmt" "$W/$tag.$fmt"
    done
done
run --in "$W/elsewhere" link --format json -p "$P/build" --baseline "$W/..baseline"
check "link from outside: the direct run's baseline passes" rc_is 0
check "link from outside: nothing fixed is claimed" err_lacks 'fixed'
rm -f "$P"/build/*.o "$P"/build/*.llfacts

# without the configuration: the top of the git work tree
rm "$P/.locklint.yml"
run --in "$P/build" --no-cache -p . --format json
check "without .locklint.yml the git top is the root" out_has '"file": "src/counter.c"'
run --in "$P/src" --no-cache --format json --project-root .. counter.c -- -pthread
check "file mode with --project-root" out_has '"file": "src/counter.c"'
run --in "$P/src" --no-cache --format json counter.c -- -pthread
check "file mode finds the git top from any directory" out_has '"file": "src/counter.c"'
run --in "$P" --no-cache --format json -p build --project-root build
check "--project-root overrides: paths outside it stay absolute" \
    out_has_fixed "\"file\": \"$P/src/counter.c\""
run --in "$P/build" --no-cache -p .
check "text output names files relative to the current directory when under it..." \
    bash -c "[[ \$(grep -c '^$P/src/counter\.c:' '$W/out') == 2 ]]"
run --in "$P/src" --no-cache -p ../build
check "...and absolute elsewhere, as a compiler run there would" out_has '^counter\.c:9:9: warning'

run --in "$P" --no-cache -p build --project-root "$W/nonexistent"
check "a --project-root that is not a directory is an error" rc_is 2
check "naming it" err_has 'project root .*nonexistent.* is not a directory'

finish
