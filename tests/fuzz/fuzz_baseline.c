/* libFuzzer harness: a baseline file (analyzer/baseline.c). */
#include "baseline.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ll_baseline b;
    ll_baseline_init(&b);
    char err[1024];
    ll_baseline_parse(&b, "/proj/baseline.json", (const char *)data, size, err, sizeof(err));
    ll_baseline_release(&b);
    return 0;
}
