/*
 * file_access: reading files a pull request controls.  Every file
 * locklint reads on its own account (compile_commands.json, response
 * files, .locklint.yml, a baseline, a source scanned for suppressions)
 * must be a regular file once symbolic links are resolved: a FIFO would
 * hang the run and /dev/zero would fill memory.  Opening never blocks (a
 * FIFO is opened non-blocking, seen for what it is and closed), and the
 * reasons it gives are the real ones: "a symbolic link loop", "a
 * directory", "a FIFO", not "does not exist" or "malformed".
 *
 * The files libclang reads (sources and headers) are guarded in the parse
 * worker instead (parse_worker.h); this module only gives the words.
 */
#ifndef LL_FILE_ACCESS_H
#define LL_FILE_ACCESS_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* "a directory", "a FIFO", "a character device", "a block device",
 * "a socket", or "not a regular file" for anything else. */
const char *ll_file_kind(mode_t mode);

/*
 * Why `path` cannot be read as a regular file, or NULL when it can:
 * "does not exist", "a symbolic link loop", "a directory, not a regular
 * file", or strerror(errno).  Follows links (stat), never opens.  The
 * reason is written into `why`, which is returned.
 */
const char *ll_file_not_regular(const char *path, char *why, size_t whylen);

/*
 * Opens `path` for reading when it is a regular file after links are
 * resolved, without blocking on a FIFO.  Returns the descriptor (close-on-
 * exec), or -1 with the reason (as ll_file_not_regular() words it) in
 * `why`.
 */
int ll_file_open_regular(const char *path, char *why, size_t whylen);

/* ll_file_open_regular() as a stdio stream ("rb"), or NULL with `why`. */
FILE *ll_file_fopen_regular(const char *path, char *why, size_t whylen);

#endif
