/*
 * snippet: C source text parsed by the real frontend into interned facts,
 * as the driver leaves every TU, for the unit tests of the whole-program
 * passes (threadflow, race, live_reach, view).  Include it after <cmocka.h>.
 */
#ifndef LL_TEST_SNIPPET_H
#define LL_TEST_SNIPPET_H

#include "compdb.h"
#include "frontend.h"
#include "ir_intern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct snippet {
    struct ll_compdb db;
    struct ll_tu_facts facts;
};

/* Parses `src` (written to a temporary t.c) with -std=c11 -pthread. */
static inline void snippet_parse(struct snippet *s, const char *src)
{
    char dir[64], path[128], err[256];
    snprintf(dir, sizeof(dir), "/tmp/ll_snippet_XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/t.c", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(src, f);
    fclose(f);
    const char *files[] = {path};
    const char *args[] = {"-std=c11", "-pthread", "-D_GNU_SOURCE"};
    ll_compdb_init(&s->db);
    assert_int_equal(
        ll_compdb_from_files(&s->db, files, 1, args, 3, LL_RESOURCE_DIR, NULL, err, sizeof(err)),
        0);
    struct ll_frontend *fe = ll_frontend_new();
    assert_non_null(fe);
    ll_tu_facts_init(&s->facts);
    assert_int_equal(ll_frontend_parse(fe, &s->db.jobs[0], &s->facts, err, sizeof(err)), 0);
    ll_frontend_free(fe);
    assert_int_equal(ll_facts_intern(&s->facts), 0);
    unlink(path);
    rmdir(dir);
}

static inline void snippet_release(struct snippet *s)
{
    ll_tu_facts_release(&s->facts);
    ll_compdb_release(&s->db);
}

#endif
