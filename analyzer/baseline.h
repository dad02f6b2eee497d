/*
 * baseline: the findings a project has accepted, by fingerprint, in a JSON
 * file that is committed next to the code.  `--write-baseline FILE` records
 * the current findings; `--baseline FILE` reports only findings that are
 * not in it and counts the entries that were not seen any more (fixed).
 *
 * The file (version 1):
 *
 *   { "version": 1, "tool": "locklint",
 *     "findings": [ { "fingerprint": "98246f0b87c8e3ef", "rule": "double-lock",
 *                     "file": "src/a.c", "message": "..." }, ... ] }
 *
 * Only the fingerprint matches; rule, file and message are there for the
 * humans reviewing the file.  No line numbers, so that a baseline diff
 * shows only findings that came or went.  This module does not compute
 * fingerprints (report.c does) nor decide the exit status.
 */
#ifndef LL_BASELINE_H
#define LL_BASELINE_H

#include "arena.h"
#include "report.h"

#include <stdbool.h>
#include <stddef.h>

#define LL_BASELINE_VERSION 1

struct ll_baseline_entry {
    const char *fingerprint;
    const char *rule, *file, *message; /* may be NULL */
    bool seen;                         /* matched a finding of this run */
};

struct ll_baseline {
    struct ll_arena arena;
    struct ll_baseline_entry *items; /* sorted by fingerprint */
    size_t count;
};

void ll_baseline_init(struct ll_baseline *b);
void ll_baseline_release(struct ll_baseline *b);

/* Reads a baseline file into b (freshly initialised).  Returns 0, or -1
 * with "PATH: problem" in errbuf (missing file, not JSON, wrong shape). */
int ll_baseline_load(struct ll_baseline *b, const char *path, char *errbuf, size_t errlen);

/* Parses a baseline held in memory; `path` names it in messages. */
int ll_baseline_parse(struct ll_baseline *b, const char *path, const char *text, size_t len,
                      char *errbuf, size_t errlen);

/* The entry with this fingerprint, or NULL. */
struct ll_baseline_entry *ll_baseline_find(const struct ll_baseline *b, const char *fingerprint);

/* Sets `seen` on every entry some finding of r has. */
void ll_baseline_mark_seen(struct ll_baseline *b, const struct ll_report *r);

/* Removes from r every finding whose fingerprint is in b (keeping the
 * order of the rest) and marks those entries seen.  Returns the number
 * removed. */
size_t ll_baseline_filter(struct ll_baseline *b, struct ll_report *r);

/*
 * Writes r's findings as a baseline to `path` (through a temporary file
 * renamed over it, so a failed write leaves the old one).  Entries are
 * sorted by file, rule and fingerprint so that the file diffs well.
 * Returns 0, or -1 with a message.
 */
int ll_baseline_write(const struct ll_report *r, const char *path, char *errbuf, size_t errlen);

#endif
