/*
 * registry: the list of rules, built from rules.def, and the report calls
 * of rule.h, which fill in the running rule's id and severity.
 */
#include "rule.h"

#include <string.h>

#define LL_RULE(name) &ll_rule_##name,
#define LL_RULE_OFF(name) LL_RULE(name)
const struct ll_rule *const ll_rules[] = {
#include "rules.def"
};
#undef LL_RULE_OFF
#undef LL_RULE

bool ll_rule_off_by_default(const struct ll_rule *rule)
{
#define LL_RULE(name)
#define LL_RULE_OFF(name)                                                                          \
    if (rule == &ll_rule_##name)                                                                   \
        return true;
#include "rules.def"
#undef LL_RULE_OFF
#undef LL_RULE
    return false;
}

const size_t ll_nrules = sizeof(ll_rules) / sizeof(ll_rules[0]);

const struct ll_rule *ll_rule_find(const char *id)
{
    for (size_t i = 0; i < ll_nrules; i++)
        if (strcmp(ll_rules[i]->id, id) == 0)
            return ll_rules[i];
    return NULL;
}

void ll_rule_check(const struct ll_rule *rule, const struct ll_view *v, struct ll_report *report)
{
    struct ll_rule_ctx r = {rule, report};
    rule->check(v, &r);
}

struct ll_finding *ll_diag(struct ll_rule_ctx *r, const struct ll_site *at, const char *function,
                           const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct ll_finding *fd =
        ll_report_vadd(r->report, r->rule->id, r->rule->severity, at, function, key, fmt, ap);
    va_end(ap);
    return fd;
}

struct ll_finding *ll_diag_sev(struct ll_rule_ctx *r, enum ll_severity sev,
                               const struct ll_site *at, const char *function, const char *key,
                               const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct ll_finding *fd = ll_report_vadd(r->report, r->rule->id, sev, at, function, key, fmt, ap);
    va_end(ap);
    return fd;
}

int ll_diag_note(struct ll_rule_ctx *r, struct ll_finding *fd, const struct ll_site *site,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = ll_finding_vnote(r->report, fd, site, fmt, ap);
    va_end(ap);
    return rc;
}

int ll_diag_flow(struct ll_rule_ctx *r, struct ll_finding *fd, const char *thread,
                 const struct ll_site *steps, size_t nsteps)
{
    return ll_finding_flow(r->report, fd, thread, steps, nsteps);
}

int ll_diag_note_acquired(struct ll_rule_ctx *r, struct ll_finding *fd, const struct ll_fn_view *f,
                          uint32_t e, uint32_t l)
{
    struct ll_acquisition a;
    if (!ll_fn_acquired_where(f, e, l, &a))
        return 0;
    if (!a.wrapper)
        return ll_diag_note(r, fd, &a.site, "'%s' acquired here", a.text);
    if (ll_diag_note(r, fd, &a.site, "'%s' acquired by calling '%s' here", a.text, a.wrapper) != 0)
        return -1;
    return ll_diag_note(r, fd, &a.effect->site, "'%s' acquires '%s' (an inferred wrapper)",
                        a.wrapper, a.effect->lock.text);
}

void ll_diag_oom(struct ll_rule_ctx *r)
{
    r->report->oom = true;
}
