/*
 * changes: the lines a change touches, for pull-request mode.  From a
 * unified diff (--diff FILE) or from git (--diff-base REF: every file a
 * finding names is compared with its content at REF), it builds the set
 * of changed lines of each file, and filters a report down to the findings
 * whose primary location or one of whose notes lies on one.
 *
 * git is run with a fixed argument vector, no shell, and settings that
 * keep it from running anything the analysed repository configures
 * (fsmonitor, hooks, transports for lazy fetches); only `rev-parse` and
 * `cat-file` are run, which apply no filters, textconv or external diff
 * drivers.  The comparison itself is done here (Myers' algorithm on
 * lines), so the work tree is never handed to git.
 */
#ifndef LL_CHANGES_H
#define LL_CHANGES_H

#include "report.h"

#include <stdbool.h>
#include <stddef.h>

struct ll_changes_file;

struct ll_changes {
    const char *root; /* project root: relative finding paths are under it */
    char top[4096];   /* the directory diff paths are relative to */
    char commit[64];  /* --diff-base: the commit compared with, else "" */
    struct ll_changes_file *files;
    size_t nfiles, cap;
};

/* Prepares a change set for `root` (borrowed, absolute). */
void ll_changes_init(struct ll_changes *c, const char *root);
void ll_changes_release(struct ll_changes *c);

/*
 * --diff FILE: reads a unified diff ("-" for standard input).  Paths after
 * "+++ " lose a leading "b/" and are relative to the top of the git work
 * tree holding the root (a `.git` entry above it), else to the root.  A
 * deletion touches the lines on both sides of it.  Returns 0, or -1 with
 * a message (unreadable file, not a unified diff).
 */
int ll_changes_read_diff(struct ll_changes *c, const char *path, char *err, size_t errlen);

/*
 * --diff-base REF: resolves REF in the git repository holding the root.
 * Returns 0, or -1 with a message (git missing, not a repository, no such
 * commit, a REF that starts with '-').
 */
int ll_changes_git_base(struct ll_changes *c, const char *ref, char *err, size_t errlen);

/*
 * Keeps the findings of r with a site on a changed line (with
 * --diff-base, each file's changes are computed on first use).  Returns
 * the number dropped, or -1 with a message when git failed.
 */
long ll_changes_filter(struct ll_changes *c, struct ll_report *r, char *err, size_t errlen);

/* Whether line `line` (1-based) of `file` (absolute, or relative to the
 * root) is changed.  Exposed for tests. */
bool ll_changes_has(struct ll_changes *c, const char *file, unsigned line);

/*
 * Marks in `changed` (nb entries, zeroed by the caller) the lines of b
 * that are not part of a longest common subsequence with a, and the lines
 * next to where lines of a were deleted; lines are compared by `a`/`b`
 * (hashes; equal hashes are taken as equal lines).  Returns 0, or -1 when
 * out of memory.  Exposed for tests.
 */
int ll_changes_diff_lines(const unsigned long long *a, size_t na, const unsigned long long *b,
                          size_t nb, bool *changed);

#endif
