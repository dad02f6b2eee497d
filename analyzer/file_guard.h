/*
 * file_guard: the file system layer libclang reads through, in a parse
 * worker process (parse_worker.h).  locklint's executable defines open()
 * (and open64/openat), exported so that libclang's and LLVM's calls bind
 * to it; armed, it lets through only what parsing needs:
 *
 *   - reading a regular file (after links are resolved) or a directory;
 *     a FIFO, a device or a socket is refused without blocking (a FIFO is
 *     opened non-blocking and looked at), so `#include "/dev/stdin"`, a
 *     header that is a FIFO or a link to /dev/zero cannot hang the parse
 *     or fill memory;
 *   - at most `max_bytes` of regular files per TU (the sum of the sizes of
 *     the files opened), which ends a runaway include;
 *   - no file opened for writing at all.
 *
 * Disarmed (the locklint process itself: SQLite, reports), open() is the
 * plain system call.  libclang offers no hook of its own for this: its
 * virtual-file overlay only maps names, unsaved files must be known
 * before the parse, and clang_getInclusions() reports after the open
 * that hangs.
 */
#ifndef LL_FILE_GUARD_H
#define LL_FILE_GUARD_H

#include <stddef.h>
#include <stdint.h>

/* Arms the guard for the whole process with a fresh byte budget
 * (0: no limit) and forgets earlier refusals. */
void ll_file_guard_arm(uint64_t max_bytes);
void ll_file_guard_disarm(void);

/*
 * Whether something was refused since ll_file_guard_arm(): returns 1 with
 * the first refusal in `why` ("'/p/x.h' is a FIFO, not a regular file",
 * "its sources exceed the limit of N bytes at '/p/big.h'", "it tried to
 * write '/p/out.d'"), 0 when nothing was.
 */
int ll_file_guard_refused(char *why, size_t whylen);

#endif
