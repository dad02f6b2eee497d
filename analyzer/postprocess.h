/*
 * postprocess: what happens to a finished report before it is written.
 * In order: findings of one rule at one site are merged into one (several
 * from one macro expansion); findings in excluded paths and of rules switched off in the
 * configuration are dropped; inline suppressions are applied and their
 * problems added as notes; configured severities are set; the baseline is
 * written (--write-baseline) and applied (--baseline).
 *
 * It runs after ll_report_finish(), because baselines match fingerprints,
 * and keeps every remaining finding's fingerprint as finish computed it:
 * removing a suppressed finding must not renumber its neighbours.  It does
 * not print the report or choose the exit status.
 */
#ifndef LL_POSTPROCESS_H
#define LL_POSTPROCESS_H

#include "cli.h"
#include "config.h"
#include "report.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct ll_post_stats {
    size_t excluded;   /* dropped: path excluded by the configuration */
    size_t disabled;   /* dropped: rule off in the configuration */
    size_t suppressed; /* dropped: inline locklint-ignore */
    size_t notes;      /* suppression notes added (bad or unused) */
    size_t baselined;  /* dropped: in the --baseline file */
    size_t fixed;      /* --baseline entries not seen in this run */
    size_t written;    /* findings written to --write-baseline */
    size_t unchanged;  /* dropped by the driver: no site on a changed line (--diff*) */
    size_t merged;     /* folded into a finding of the same rule at the same site */
    bool wrote_baseline;
};

/*
 * Post-processes r (finished: sorted, fingerprinted) in place.  `cwd` is
 * the project root, the directory finding paths are relative to (paths
 * given on the command line stay relative to the current directory).  `files` are the analysed
 * translation units' source files (absolute or relative to cwd; may be
 * NULL): they are scanned for suppressions besides the files findings are
 * in, so that unused suppressions there are reported.  Errors (an
 * unreadable or malformed baseline, a baseline that cannot be written,
 * out of memory) are printed on `err` as "locklint: error: ..." and
 * return -1; the caller exits with status 2.  Returns 0 otherwise.
 */
int ll_postprocess(struct ll_report *r, const struct ll_cli *cli, const struct ll_config *cfg,
                   const char *cwd, const char *const *files, size_t nfiles, FILE *err,
                   struct ll_post_stats *stats);

/* Whether one of the n patterns of v (rule ids or globs such as
 * 'lock-*') matches rule id `id`. */
bool ll_postprocess_rule_listed(const char *const *v, size_t n, const char *id);

/* Whether rule `id` ran under these options: selected on the command line
 * (--enable and --disable take globs) and not switched off in the
 * configuration (--enable wins over it).  unused-suppression and
 * bad-suppression are rules like the others here. */
bool ll_postprocess_rule_ran(const struct ll_cli *cli, const struct ll_config *cfg, const char *id);

/*
 * The summary's tail for stats, e.g. " (2 suppressed, 4 baselined, 1 fixed
 * since the baseline)", or "" when there is nothing to say.  Always
 * NUL-terminated.
 */
void ll_post_stats_describe(const struct ll_post_stats *stats, char *buf, size_t len);

#endif
