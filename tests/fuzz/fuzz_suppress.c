/* libFuzzer harness: the suppression scanner (analyzer/suppress.c) on a
 * source file's text. */
#include "suppress.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ll_suppress s;
    ll_suppress_init(&s);
    ll_suppress_scan_text(&s, "/proj/a.c", (const char *)data, size);
    ll_suppress_release(&s);
    return 0;
}
