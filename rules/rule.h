/*
 * rule: what every rule file exports, and the registry of all of them.
 *
 * A rule reads the analysed program through view.h and reports through
 * report.h.  It keeps no state between calls, prints nothing, and does not
 * depend on another rule.  Its `doc` is what `locklint explain ID` prints:
 * What it does / Why is this bad / Example / Use instead / Known problems.
 */
#ifndef LL_RULE_H
#define LL_RULE_H

#include "report.h"
#include "view.h"

struct ll_rule {
    const char *id;      /* stable kebab-case name */
    const char *summary; /* one line */
    const char *doc;
    enum ll_severity severity;
    void (*check)(const struct ll_view *v, struct ll_report *r);
};

#define LL_RULE(name) extern const struct ll_rule ll_rule_##name;
#include "rules.def"
#undef LL_RULE

/* All rules, in the order of rules.def. */
extern const struct ll_rule *const ll_rules[];
extern const size_t ll_nrules;

/* The rule with `id`, or NULL. */
const struct ll_rule *ll_rule_find(const char *id);

#endif
