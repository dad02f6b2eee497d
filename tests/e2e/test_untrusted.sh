#!/usr/bin/env bash
# test_untrusted.sh BINARY SRC_DIR BUILD_DIR
#
# End-to-end tests of locklint on hostile input (issue 16): a pull request
# controls compile_commands.json, the sources, the headers and
# .locklint.yml.  Each check here failed before the protection it tests:
# flags that write files where the database says (a marker file that must
# not appear) or flood standard error; FIFOs and devices as sources,
# headers, database, configuration or baseline (runs under a short
# `timeout`: a hang is a failure); code nested deeply enough to crash
# libclang next to a good TU whose finding must still be reported; a
# device, a FIFO or a directory as the file to write; errors that must
# say the real reason.
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

# --- non-regular files: nothing hangs, nothing fills memory -------------
TIMEOUT=(timeout 60)
G=$W/good
mkdir -p "$G"
cat >"$G/good.c" <<'C'
#include <pthread.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
void g(void)
{
    pthread_mutex_lock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}
C
mkfifo "$G/fifo.h" "$G/fifo.c" "$G/fifo.yml" "$G/fifo.json"
ln -s /dev/zero "$G/zero.h"
printf '#include "fifo.h"\nint x;\n' >"$G/inc_fifo.c"
printf '#include "zero.h"\nint y;\n' >"$G/inc_zero.c"
printf '#include "/dev/stdin"\nint z;\n' >"$G/inc_stdin.c"
good_finding() { grep -qF "good.c:6:5: warning: 'm' acquired while already held [double-lock]" "$W/out"; }

RUN_DIR=$G
run --no-cache good.c inc_fifo.c inc_zero.c inc_stdin.c -- -pthread
check "headers: a FIFO, /dev/zero and /dev/stdin do not hang the run" rc_not 124
check "headers: the run is incomplete (exit status 3)" rc_is 3
check "headers: a FIFO header is refused by name" \
    err_has_fixed "locklint: error: $G/inc_fifo.c: not analysed: '$G/fifo.h' is a FIFO, not a regular file"
check "headers: a link to /dev/zero is refused" \
    err_has_fixed "not analysed: '$G/zero.h' is a character device, not a regular file"
check "headers: #include \"/dev/stdin\" is refused" err_has_fixed "'/dev/stdin' is"
check "headers: the good TU's finding is still reported" good_finding

cat >"$G/compile_commands.json" <<JSON
[{"directory": "$G", "file": "fifo.c", "arguments": ["cc", "-c", "fifo.c"]},
 {"directory": "$G", "file": "good.c", "arguments": ["cc", "-c", "good.c", "-pthread"]}]
JSON
run -p . --no-cache
check "sources: a FIFO listed in the database does not hang the run" rc_is 1
check "sources: ... and is skipped, saying why" \
    err_has_fixed "'$G/fifo.c' listed in compile_commands.json: a FIFO, not a regular file, skipped"
check "sources: the good TU's finding is reported" good_finding
run --no-cache fifo.c
check "sources: a FIFO named on the command line is refused" rc_is 2
check "sources: ... saying why" err_has_fixed "'fifo.c' is a FIFO, not a source file"
run -p fifo.json --no-cache
check "database: a FIFO as compile_commands.json is refused" rc_is 2
check "database: ... saying why" err_has_fixed "cannot read 'fifo.json': a FIFO, not a regular file"
run -p . --no-cache --config fifo.yml
check "config: a FIFO as --config is refused" rc_is 2
check "config: ... saying why" \
    err_has_fixed "cannot read configuration 'fifo.yml': a FIFO, not a regular file"
run -p . --no-cache --baseline fifo.json
check "baseline: a FIFO as --baseline is refused" rc_is 2
check "baseline: ... saying why" err_has_fixed "cannot read baseline 'fifo.json': a FIFO, not a regular file"
mkfifo "$G/.locklint.yml"
run -p . --no-cache
check "config: a FIFO found as .locklint.yml is an error, not ignored" rc_is 2
check "config: ... saying why" err_has "cannot read configuration '.*\.locklint\.yml': a FIFO"
rm -f "$G/.locklint.yml"

# A per-TU budget of source bytes ends a runaway include.
printf 'tu-source-limit-mib: 1\n' >"$G/.locklint.yml"
head -c 2000000 /dev/zero | tr '\0' ' ' >"$G/big.h"
printf '#include "big.h"\nint w;\n' >"$G/inc_big.c"
run --no-cache good.c inc_big.c -- -pthread
check "limit: a TU over tu-source-limit-mib is not analysed" \
    err_has_fixed "inc_big.c: not analysed: its sources exceed the limit of 1048576 bytes at '$G/big.h'"
check "limit: ... the run is incomplete" rc_is 3
check "limit: ... the good TU's finding is reported" good_finding
rm -f "$G/.locklint.yml"
TIMEOUT=(timeout 300)

# --- one TU cannot end the run: parser crashes ---------------------------
D=$W/deep
mkdir -p "$D"
cp "$G/good.c" "$D/"
{
    printf 'int a;\nvoid f(void)\n{\n    a = '
    printf 'a = %.0s' $(seq 30000)
    printf '1;\n}\n'
} >"$D/deep_assign.c"
{
    printf 'int a;\nint f(void)\n{\n    return '
    printf '!%.0s' $(seq 30000)
    printf 'a;\n}\n'
} >"$D/deep_not.c"
{
    printf 'int a;\nvoid f(void)\n{\n    if (a)\n        a = 0;\n'
    for i in $(seq 8000); do printf '    else if (a == %d)\n        a = %d;\n' "$i" "$i"; done
    printf '}\n'
} >"$D/deep_else.c"
cat >"$D/compile_commands.json" <<JSON
[{"directory": "$D", "file": "deep_assign.c", "arguments": ["cc", "-c", "deep_assign.c"]},
 {"directory": "$D", "file": "good.c", "arguments": ["cc", "-c", "good.c", "-pthread"]},
 {"directory": "$D", "file": "deep_not.c", "arguments": ["cc", "-c", "deep_not.c"]},
 {"directory": "$D", "file": "deep_else.c", "arguments": ["cc", "-c", "deep_else.c"]}]
JSON
RUN_DIR=$D
run -p . --no-cache --stats
check "crash: the run ends with status 3 (incomplete)" rc_is 3
check "crash: a = a = ... is reported as a parser crash" \
    err_has_fixed "locklint: error: $D/deep_assign.c: the parser crashed; its functions are not analysed"
check "crash: !!!... is reported as a parser crash" \
    err_has_fixed "locklint: error: $D/deep_not.c: the parser crashed; its functions are not analysed"
check "crash: a long else-if chain is reported as a parser crash" \
    err_has_fixed "locklint: error: $D/deep_else.c: the parser crashed; its functions are not analysed"
check "crash: the good TU's finding is still reported" good_finding
check "crash: --stats counts the crashes" err_has "stats: 4 TUs: 1 parsed, 0 reused, 3 failed \(3 crashed, 0 refused\)"
check "crash: the summary counts the good TU" err_has_fixed "locklint: 1 finding in 1 translation unit"
run -p . --no-cache --format sarif
check "crash: SARIF says the invocation was not successful" out_has '"executionSuccessful": false'
check "crash: SARIF lists each crash as a toolExecutionNotification" \
    out_has '"text": ".*deep_else.c: the parser crashed; its functions are not analysed'
check "crash: SARIF still has the good TU's result" out_has '"ruleId": "double-lock"'
run -p . --format json
run -p . --format json
check "crash: a warm run still reports the crashes (not cached)" rc_is 3

# --- writes only to what the user named, safely --------------------------
TIMEOUT=(timeout 60)
RUN_DIR=$G
rm -f "$G/fifo.c"
printf '[{"directory": "%s", "file": "good.c", "arguments": ["cc", "-c", "good.c", "-pthread"]}]\n' \
    "$G" >"$G/compile_commands.json"
if mknod "$W/devnode" c 1 3 2>/dev/null; then
    DEV=$W/devnode
    KIND="a character device"
    is_dev() { [[ -c $1 ]]; }
else
    mkfifo "$W/devnode"
    DEV=$W/devnode
    KIND="a FIFO"
    is_dev() { [[ -p $1 ]]; }
fi
run -p . --no-cache --write-baseline "$DEV"
check "write: --write-baseline to a device is refused" rc_is 2
check "write: ... saying why" err_has_fixed "cannot write '$DEV': $KIND, not a regular file"
check "write: ... and the device is left alone" is_dev "$DEV"
mkfifo "$W/out.fifo"
run -p . --no-cache -o "$W/out.fifo"
check "write: -o to a FIFO is refused, without hanging" rc_is 2
check "write: ... saying why" err_has_fixed "cannot write '$W/out.fifo': a FIFO, not a regular file"
check "write: ... and the FIFO is left alone" test -p "$W/out.fifo"
mkdir "$W/adir"
run -p . --no-cache --graph "$W/adir"
check "write: --graph to a directory is refused" rc_is 2
check "write: ... saying why" err_has_fixed "cannot write '$W/adir': a directory, not a regular file"
run -p . --no-cache -o "$W/nodir/report.txt"
check "write: -o into a missing directory says why" \
    err_has_fixed "cannot write '$W/nodir/report.txt': No such file or directory"
check "write: ... and leaves nothing behind" no_path "$W/nodir"
printf 'old\n' >"$W/real.txt"
ln -s real.txt "$W/link.txt"
run -p . --no-cache -o "$W/link.txt"
check "write: -o through a link to a regular file succeeds" rc_is 1
check "write: ... the link stays a link" test -L "$W/link.txt"
check "write: ... and its target has the report" file_has "$W/real.txt" "double-lock"
mkfifo "$W/cache.fifo"
run -p . --cache "$W/cache.fifo"
check "write: a FIFO as the cache does not hang the run" rc_is 1
check "write: ... the run goes on uncached, saying why" \
    err_has_fixed "cannot use the cache '$W/cache.fifo': '$W/cache.fifo' is a FIFO, not a regular file: running uncached"
check "write: ... and the FIFO is left alone" test -p "$W/cache.fifo"
rm -f "$W/cache.fifo"
leftovers() { ! ls -A "$W" | grep -q '^\.'; }
check "write: no temporary file is left behind" leftovers

TIMEOUT=(timeout 300)

# --- errors that say the real reason -------------------------------------
ln -s loop "$G/loop"
ln -s loop.c "$G/loop.c"
rm -f "$G/loop.c" && ln -s loop.c "$G/loop.c"
run -p loop --no-cache
check "errors: a symbolic link loop as -p says so" err_has_fixed "cannot open 'loop': a symbolic link loop"
run --no-cache loop.c
check "errors: a source that is a link loop says so" err_has_fixed "'loop.c': a symbolic link loop"
mkdir -p "$W/dirdb/compile_commands.json"
run -p "$W/dirdb" --no-cache
check "errors: a compile_commands.json that is a directory is not malformed JSON" \
    err_has_fixed "cannot read '$W/dirdb/compile_commands.json': a directory, not a regular file"
mkdir -p "$G/rspdir"
printf '[{"directory": "%s", "file": "good.c", "arguments": ["cc", "@rspdir", "good.c", "-pthread"]}]\n' \
    "$G" >"$G/compile_commands.json"
run -p . --no-cache
check "errors: @dir as a response file says it is a directory" \
    err_has_fixed "cannot read response file '$G/rspdir' in the arguments of '$G/good.c': a directory, not a regular file, dropped"
check "errors: ... and the run goes on" rc_is 1

# --- crafted code: the analysis' searches stay bounded ---------------------
# Two functions that call each other hundreds of times with the element a
# worker pops under its lock: looking for a write through the element in
# callees (analyzer/popped.c) once took 300^4 steps.
TIMEOUT=(timeout 60)
C=$W/crafted
mkdir -p "$C"
{
    printf '#include <pthread.h>
struct l { struct l *next; int n; };
'
    printf 'struct q { pthread_mutex_t m; struct l head; };
void b(struct l *x);
'
    printf 'void a(struct l *x) {'
    for ((i = 0; i < 300; i++)); do printf ' b(x);'; done
    printf ' }
void b(struct l *x) {'
    for ((i = 0; i < 300; i++)); do printf ' a(x);'; done
    printf ' }
void *w(void *arg) { struct q *q = arg; struct l *it;
'
    for ((i = 0; i < 50; i++)); do
        printf ' pthread_mutex_lock(&q->m); it = q->head.next; a(&q->head);'
        printf ' pthread_mutex_unlock(&q->m); it->n = %d;
' "$i"
    done
    printf ' return 0; }
'
} >"$C/calls.c"
RUN_DIR=$C
run --no-cache calls.c -- -pthread
check "crafted: mutually recursive calls do not hang the pop search" rc_not 124
check "crafted: ... and the run completes" rc_is 0

finish
