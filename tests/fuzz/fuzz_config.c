/* libFuzzer harness: .locklint.yml (analyzer/config.c). */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool known(const char *id)
{
    return strcmp(id, "double-lock") == 0 || strcmp(id, "lock-leak") == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ll_config cfg;
    ll_config_init(&cfg);
    char err[1024];
    ll_config_parse(&cfg, "/proj/.locklint.yml", (const char *)data, size, known, err, sizeof(err));
    ll_config_release(&cfg);
    return 0;
}
