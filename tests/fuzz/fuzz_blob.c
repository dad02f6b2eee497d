/* libFuzzer harness: the facts blob decoder (analyzer/ir_blob.c), which
 * reads what the cache and the parser processes hand back. */
#include "ir.h"
#include "ir_blob.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ll_tu_facts f;
    ll_tu_facts_init(&f);
    if (ll_facts_from_blob(data, size, &f) == 0)
        ll_tu_facts_release(&f);
    return 0;
}
