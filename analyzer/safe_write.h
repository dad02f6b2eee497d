/*
 * safe_write: writing a file the user named (-o, --write-baseline,
 * --graph) without trusting what is at that path now.  The content goes
 * to a temporary file in the same directory, which is renamed over the
 * path only at the end: a rename replaces a directory entry and never
 * writes into a device or a FIFO, and a failed write leaves the old file
 * (or nothing) behind, never an empty or half-written one.  A path that
 * exists and is not a regular file (after links are resolved) is refused
 * up front with a clear reason.  A symbolic link to a regular file is
 * written through: its target is replaced, the link stays.
 *
 * It does not choose paths and does not print: messages go to the caller.
 */
#ifndef LL_SAFE_WRITE_H
#define LL_SAFE_WRITE_H

#include <stddef.h>
#include <stdio.h>

struct ll_safe_write {
    FILE *f;    /* write the content here */
    char *path; /* where it will be renamed to (links resolved) */
    char *tmp;  /* the temporary file */
};

/*
 * Opens a temporary file beside `path`.  Returns 0, or -1 with "cannot
 * write 'PATH': REASON" in errbuf: the path is a directory, a FIFO, a
 * device, a socket or a symbolic link loop, or the directory cannot be
 * written (strerror).  After -1 there is nothing to clean up.
 */
int ll_safe_write_open(struct ll_safe_write *w, const char *path, char *errbuf, size_t errlen);

/*
 * Flushes, closes and renames the temporary file over the path; the file
 * gets the old file's permissions, or 0666 less the umask.  Returns 0, or
 * -1 with "cannot write 'PATH': REASON" (a full disk, ...) after removing
 * the temporary file.  Either way `w` is released.
 */
int ll_safe_write_commit(struct ll_safe_write *w, const char *display, char *errbuf, size_t errlen);

/* Removes the temporary file and releases `w` (a write that failed on the
 * caller's side).  Safe on a released or zeroed `w`. */
void ll_safe_write_abort(struct ll_safe_write *w);

#endif
