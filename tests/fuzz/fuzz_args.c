/* libFuzzer harness: the argument sanitiser (analyzer/compdb.c).  The
 * input is a command line: NUL-separated arguments, and also the whole
 * input as a "command" string for the shell splitter. */
#include "compdb.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    const char **argv = calloc(size + 2, sizeof(*argv));
    if (!argv) {
        free(buf);
        return 0;
    }
    int argc = 0;
    for (size_t i = 0; i <= size; i += strlen(buf + i) + 1)
        argv[argc++] = buf + i;
    struct ll_compdb db;
    ll_compdb_init(&db);
    db.dir = "/proj";
    static const char *const extra[] = {"-fgnu-tm", "-mfoo*"};
    db.extra_flags = extra;
    db.nextra_flags = 2;
    const char **out;
    ll_compdb_sanitize(&db, argc, argv, argv[argc - 1], "/rd", NULL, &out);
    ll_compdb_split_command(&db.arena, buf, &out);
    ll_compdb_release(&db);
    free(argv);
    free(buf);
    return 0;
}
