#!/usr/bin/env bash
# test_untrusted.sh BINARY SRC_DIR BUILD_DIR
#
# End-to-end tests of locklint on hostile input (issue 16): a pull request
# controls compile_commands.json, the sources, the headers and
# .locklint.yml.  Each check here failed before the protection it tests:
# flags that write files where the database says (a marker file that must
# not appear) or flood standard error.
#
# Prints `ok NAME` or `FAIL NAME` per check, then `N passed, M failed`;
# exits 1 when any check failed.
set -u
export LC_ALL=C

if (($# != 3)); then
    echo "usage: $0 BINARY SRC_DIR BUILD_DIR" >&2
    exit 2
fi
BIN="$(cd "$(dirname -- "$1")" && pwd -P)/$(basename -- "$1")"
SRC=$(cd "$2" && pwd -P) || exit 2
W=$(mktemp -d) || exit 2
trap 'rm -rf "$W"' EXIT
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

no_path() { [[ ! -e $1 ]]; }
count_is() { [[ $(grep -cF -- "$2" "$W/err") -eq $1 ]]; }

P=$W/proj
mkdir -p "$P"
printf '#define X 1\n' >"$P/h.h"
for f in a b c; do
    printf '#include "h.h"\nint %s(void) { return X; }\n' "$f" >"$P/$f.c"
done

# --- the allow-list: flags that write files or flood stderr -------------
cat >"$P/compile_commands.json" <<JSON
[{"directory": "$P", "file": "a.c", "arguments": ["cc", "-c", "a.c",
   "-Xpreprocessor", "-dependency-file", "-Xpreprocessor", "$W/marker1",
   "-Xpreprocessor", "-MT", "-Xpreprocessor", "x"]},
 {"directory": "$P", "file": "b.c", "arguments": ["cc", "-c", "b.c", "-H",
   "-Xclang", "-header-include-file", "-Xclang", "$W/marker2",
   "-Xpreprocessor", "-dependency-file", "-Xpreprocessor", "$W/marker3",
   "-Xpreprocessor", "-MT", "-Xpreprocessor", "x"]},
 {"directory": "$P", "file": "c.c", "command": "cc -c c.c @$P/args.rsp"}]
JSON
printf -- '-Xpreprocessor -dependency-file -Xpreprocessor %s -Xpreprocessor -MT -Xpreprocessor x\n' \
    "$W/marker4" >"$P/args.rsp"
run -p "$P" --no-cache
check "allow-list: the run succeeds" rc_is 0
check "allow-list: -Xpreprocessor -dependency-file writes nothing" no_path "$W/marker1"
check "allow-list: -Xclang -header-include-file writes nothing" no_path "$W/marker2"
check "allow-list: a second TU with the flag writes nothing" no_path "$W/marker3"
check "allow-list: a response file's flags are sanitised too" no_path "$W/marker4"
check "allow-list: -H does not list the headers on stderr" err_lacks "^\. .*h\.h"
check "allow-list: a note names the dropped flag" \
    err_has_fixed "locklint: note: dropped compiler flag '-Xpreprocessor -dependency-file'"
check "allow-list: one note per flag per run, not per TU" \
    count_is 1 "'-Xpreprocessor -dependency-file'"
check "allow-list: -H is named" err_has_fixed "dropped compiler flag '-H'"

# The configuration cannot allow them back.
printf 'compiler-flags: [-Xpreprocessor]\n' >"$P/.locklint.yml"
run -p "$P" --no-cache
check "allow-list: .locklint.yml cannot allow -Xpreprocessor" rc_is 2
check "allow-list: ... and says why" err_has "compiler flag '-Xpreprocessor' cannot be allowed"
check "allow-list: ... writing nothing" no_path "$W/marker1"
rm -f "$P/.locklint.yml"

finish
