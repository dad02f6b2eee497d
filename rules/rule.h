/*
 * rule: what every rule file exports, the registry of all of them, and the
 * report call rules make.
 *
 * A rule reads the analysed program through view.h and reports with
 * ll_diag(), which takes the rule's id and default severity from its
 * descriptor (like clang-tidy's diag()): no rule spells its own id.  It
 * keeps no state between calls, prints nothing, and does not depend on
 * another rule.  Its `doc` is what `locklint explain ID` prints: What it
 * does / Why is this bad / Example / Use instead / Known problems.
 */
#ifndef LL_RULE_H
#define LL_RULE_H

#include "report.h"
#include "view.h"

#include <stdarg.h>

struct ll_rule;

/* One run of one rule: the rule and the report its findings go to. */
struct ll_rule_ctx {
    const struct ll_rule *rule; /* borrowed */
    struct ll_report *report;   /* borrowed */
};

struct ll_rule {
    const char *id;      /* stable kebab-case name */
    const char *summary; /* one line */
    const char *doc;
    enum ll_severity severity; /* of its findings, unless it says otherwise (ll_diag_sev) */
    void (*check)(const struct ll_view *v, struct ll_rule_ctx *r);
};

/* Runs `rule` over the view, its findings into `report`. */
void ll_rule_check(const struct ll_rule *rule, const struct ll_view *v, struct ll_report *report);

/*
 * Reports a finding of the running rule at `at`, with the rule's default
 * severity: ll_report_add() with the id and severity from the descriptor.
 * Returns the finding to add notes and flows to, or NULL when out of
 * memory (the report remembers that).
 */
struct ll_finding *ll_diag(struct ll_rule_ctx *r, const struct ll_site *at, const char *function,
                           const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The same with a severity of its own, for a rule whose findings differ in
 * how sure they are. */
struct ll_finding *ll_diag_sev(struct ll_rule_ctx *r, enum ll_severity sev,
                               const struct ll_site *at, const char *function, const char *key,
                               const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* A note on finding fd (ll_finding_note()).  Returns 0 or -1 (out of memory). */
int ll_diag_note(struct ll_rule_ctx *r, struct ll_finding *fd, const struct ll_site *site,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A thread flow on finding fd (ll_finding_flow()).  Returns 0 or -1. */
int ll_diag_flow(struct ll_rule_ctx *r, struct ll_finding *fd, const char *thread,
                 const struct ll_site *steps, size_t nsteps);

/* Notes on fd saying where lock l, held at event e of f, was taken: the
 * acquisition, or the call of an inferred wrapper and the wrapper's own
 * acquisition ("'stats_lock' acquires 's->lock'").  Returns 0 or -1. */
int ll_diag_note_acquired(struct ll_rule_ctx *r, struct ll_finding *fd, const struct ll_fn_view *f,
                          uint32_t e, uint32_t l);

/* Says that the rule ran out of memory: the report is incomplete. */
void ll_diag_oom(struct ll_rule_ctx *r);

#define LL_RULE(name) extern const struct ll_rule ll_rule_##name;
#define LL_RULE_OFF(name) LL_RULE(name)
#include "rules.def"
#undef LL_RULE_OFF
#undef LL_RULE

/* All rules, in the order of rules.def. */
extern const struct ll_rule *const ll_rules[];
extern const size_t ll_nrules;

/* The rule with `id`, or NULL. */
const struct ll_rule *ll_rule_find(const char *id);

/* True when `rule` runs only when asked for (LL_RULE_OFF in rules.def):
 * `--enable ID`, or `ID: on` (or a severity) in the configuration. */
bool ll_rule_off_by_default(const struct ll_rule *rule);

#endif
