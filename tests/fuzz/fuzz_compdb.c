/* libFuzzer harness: compile_commands.json as a pull request may write it
 * (analyzer/compdb.c: JSON, entries, shell splitting, the allow-list).
 * Each input is written to compile_commands.json in a scratch directory
 * and loaded from there, as the CLI does. */
#include "compdb.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/locklint-fuzz-compdb-XXXXXX";
static char path[sizeof(dir) + 32];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!mkdtemp(dir))
        abort();
    /* a source for entries to name */
    snprintf(path, sizeof(path), "%s/a.c", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        abort();
    fputs("int x;\n", f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/compile_commands.json", dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    struct ll_compdb db;
    ll_compdb_init(&db);
    char err[1024];
    ll_compdb_load(&db, path, "/rd", NULL, err, sizeof(err));
    ll_compdb_release(&db);
    return 0;
}
