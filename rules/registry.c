/*
 * registry: the list of rules, built from rules.def.
 */
#include "rule.h"

#include <string.h>

#define LL_RULE(name) &ll_rule_##name,
const struct ll_rule *const ll_rules[] = {
#include "rules.def"
};
#undef LL_RULE

const size_t ll_nrules = sizeof(ll_rules) / sizeof(ll_rules[0]);

const struct ll_rule *ll_rule_find(const char *id)
{
    for (size_t i = 0; i < ll_nrules; i++)
        if (strcmp(ll_rules[i]->id, id) == 0)
            return ll_rules[i];
    return NULL;
}
