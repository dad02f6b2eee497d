/*
 * suppress: inline suppressions written in the analysed sources.
 *
 *   lock(&m);   // locklint-ignore: double-lock the caller never holds it
 *   // locklint-ignore: lock-leak,unlock-not-held released by the callback
 *   pthread_mutex_unlock(&m);
 *   // locklint-ignore-begin: double-lock generated code
 *   ...
 *   // locklint-ignore-end
 *
 * A `locklint-ignore: RULE[,RULE] reason` comment silences findings of
 * those rules on its own line and, when nothing but the comment is on that
 * line, on the line below.  `locklint-ignore-begin[: RULE,...]` and
 * `locklint-ignore-end` silence a region (every rule when none is named).
 * `all` names every rule.  Both comment styles work; text inside string
 * literals is not a comment.
 *
 * Scanning records the suppressions of each file; applying removes the
 * matching findings from a finished report and remembers which
 * suppressions were used; then the problems are added to the report as
 * notes: unknown rule names, malformed or unbalanced comments
 * (`bad-suppression`) and suppressions that silenced nothing
 * (`unused-suppression`).  This module does not decide which files to
 * scan or whether a rule ran; the caller says.
 */
#ifndef LL_SUPPRESS_H
#define LL_SUPPRESS_H

#include "arena.h"
#include "output.h"
#include "report.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LL_RULE_UNUSED_SUPPRESSION "unused-suppression"
#define LL_RULE_BAD_SUPPRESSION "bad-suppression"

struct ll_suppression {
    const char *file; /* as given to the scan: the finding paths to match */
    uint32_t line;    /* of the comment */
    uint32_t first, last;
    bool region;
    size_t nrules; /* 0: every rule */
    const char **rules;
    bool *used; /* per rule; used[0] for every-rule suppressions */
};

/* A malformed or unbalanced comment, reported as bad-suppression. */
struct ll_suppress_problem {
    const char *file;
    uint32_t line;
    const char *message;
};

struct ll_suppress {
    struct ll_arena arena;
    struct ll_suppression *items;
    size_t count, cap;
    struct ll_suppress_problem *problems;
    size_t nproblems, problems_cap;
    char *text; /* the file being scanned: one buffer for every file */
    size_t text_cap;
};

/* The two pseudo-rules of the notes, for rule listings and SARIF. */
extern const struct ll_rule_info ll_suppress_rules[];
extern const size_t ll_suppress_nrules;
/* The pseudo-rule with `id`, or NULL. */
const struct ll_rule_info *ll_suppress_rule_find(const char *id);

void ll_suppress_init(struct ll_suppress *s);
void ll_suppress_release(struct ll_suppress *s);

/* Records the suppressions in `len` bytes of C source known as `file`.
 * Returns 0 or -1 when out of memory. */
int ll_suppress_scan_text(struct ll_suppress *s, const char *file, const char *text, size_t len);

/*
 * Reads `open_path` and scans it as `file`.  Returns 0, 1 when the file
 * cannot be read (it is then skipped: findings in it stay), or -1 when out
 * of memory.
 */
int ll_suppress_scan_file(struct ll_suppress *s, const char *file, const char *open_path);

/* Whether the file was scanned. */
bool ll_suppress_scanned(const struct ll_suppress *s, const char *file);

/* Removes the findings a suppression covers from r (a finished report;
 * order and fingerprints of the others are kept) and marks those
 * suppressions used.  Returns the number removed. */
size_t ll_suppress_apply(struct ll_suppress *s, struct ll_report *r);

/*
 * Adds a note to r for every problem: rule names `known` rejects
 * (bad-suppression), malformed or unbalanced comments (bad-suppression),
 * and suppressions of rules that `ran` accepts that silenced nothing
 * (unused-suppression).  `ran` may be NULL (every rule ran).  Returns the
 * number of notes added, or -1 when out of memory.  The notes have no
 * fingerprint yet (see ll_report_finish).
 */
long ll_suppress_report(const struct ll_suppress *s, struct ll_report *r,
                        bool (*known)(const char *id), bool (*ran)(const char *id, void *ctx),
                        void *ctx);

#endif
