/* libFuzzer harness: the whole analysis -- view phases and every rule --
 * over facts decoded from a blob.  The facts come from parsing untrusted
 * sources, so anything the decoder accepts (NULL paths, odd keys, empty
 * functions) must be analysed without a crash: the decoder checks the
 * format, this harness the analysis of what it lets through. */
#include "ir.h"
#include "ir_blob.h"
#include "report.h"
#include "rule.h"
#include "view_internal.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ll_tu_facts f;
    ll_tu_facts_init(&f);
    if (ll_facts_from_blob(data, size, &f) != 0)
        return 0;
    struct ll_view v;
    if (ll_view_build(&v, &f, 1, NULL, 0) == 0) {
        struct ll_report r;
        ll_report_init(&r);
        for (size_t i = 0; i < ll_nrules; i++)
            ll_rule_check(ll_rules[i], &v, &r);
        ll_report_release(&r);
    }
    ll_view_release(&v);
    ll_tu_facts_release(&f);
    return 0;
}
