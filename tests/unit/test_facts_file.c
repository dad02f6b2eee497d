/*
 * Unit tests of facts_file: the .llfacts envelope round trip (facts of a
 * real threaded program parsed by the frontend), header checks, every
 * truncation refused, non-regular files refused, and -- since facts files
 * are untrusted input to `locklint link` -- damaged files that still
 * decode run through every whole-program phase and rule without a
 * sanitizer report.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "compdb.h"
#include "facts_file.h"
#include "frontend.h"
#include "ir_blob.h"
#include "report.h"
#include "rule.h"
#include "thread_wrappers.h"
#include "view_internal.h"

static const char program[] =
    "#include <pthread.h>\n"
    "#include <unistd.h>\n"
    "struct q { pthread_mutex_t lock; pthread_cond_t ne; int n; };\n"
    "static struct q g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};\n"
    "pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;\n"
    "int hits;\n"
    "static void q_lock(struct q *q) { pthread_mutex_lock(&q->lock); }\n"
    "static void q_unlock(struct q *q) { pthread_mutex_unlock(&q->lock); }\n"
    "static void *one(void *arg) {\n"
    "    pthread_mutex_lock(&a); pthread_mutex_lock(&b); hits++;\n"
    "    pthread_mutex_unlock(&b); pthread_mutex_unlock(&a);\n"
    "    q_lock(&g); if (g.n == 0) pthread_cond_wait(&g.ne, &g.lock); q_unlock(&g);\n"
    "    return arg;\n"
    "}\n"
    "static void *two(void *arg) {\n"
    "    pthread_mutex_lock(&b); pthread_mutex_lock(&a); sleep(1); hits++;\n"
    "    pthread_mutex_unlock(&a);\n"
    "    if (arg) return arg;\n"
    "    pthread_mutex_unlock(&b);\n"
    "    return 0;\n"
    "}\n"
    "static int spawn(pthread_t *t, void *(*fn)(void *), void *arg) {\n"
    "    return pthread_create(t, 0, fn, arg);\n"
    "}\n"
    "int main(void) {\n"
    "    pthread_t t[4]; int i;\n"
    "    for (i = 0; i < 4; i++) spawn(&t[i], i % 2 ? one : two, &i);\n"
    "    while (1) { pthread_t x; pthread_create(&x, 0, one, 0); }\n"
    "    return 0;\n"
    "}\n";

static char dir[64];

static void parse_program(struct ll_tu_facts *f)
{
    snprintf(dir, sizeof(dir), "/tmp/ll_facts_file_XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof(path), "%s/t.c", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(program, fp);
    fclose(fp);
    const char *files[] = {path};
    const char *args[] = {"-std=c11", "-pthread", "-D_GNU_SOURCE"};
    char err[256];
    struct ll_compdb db;
    ll_compdb_init(&db);
    assert_int_equal(
        ll_compdb_from_files(&db, files, 1, args, 3, LL_RESOURCE_DIR, NULL, err, sizeof(err)), 0);
    struct ll_frontend *fe = ll_frontend_new();
    assert_non_null(fe);
    ll_tu_facts_init(f);
    assert_int_equal(ll_frontend_parse(fe, &db.jobs[0], f, err, sizeof(err)), 0);
    ll_frontend_free(fe);
    ll_compdb_release(&db);
    unlink(path);
}

/* The bytes of the facts file of the test program. */
static unsigned char *file_bytes(size_t *len)
{
    struct ll_tu_facts f;
    parse_program(&f);
    char path[128], err[256];
    snprintf(path, sizeof(path), "%s/t.o.llfacts", dir);
    assert_int_equal(ll_facts_file_write(path, &f, 0x1122334455667788u, err, sizeof(err)), 0);
    ll_tu_facts_release(&f);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    unsigned char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 20, fp);
    fclose(fp);
    unlink(path);
    rmdir(dir);
    return buf;
}

static void test_roundtrip(void **state)
{
    (void)state;
    struct ll_tu_facts f, g;
    parse_program(&f);
    char path[128], err[256];
    snprintf(path, sizeof(path), "%s/t.o.llfacts", dir);
    assert_int_equal(ll_facts_file_write(path, &f, 42, err, sizeof(err)), 0);
    /* written again over itself: replaced */
    assert_int_equal(ll_facts_file_write(path, &f, 43, err, sizeof(err)), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    ll_tu_facts_init(&g);
    uint64_t h = 0;
    assert_int_equal(ll_facts_file_read(path, &g, &h, err, sizeof(err)), 0);
    assert_int_equal(h, 43);
    /* the same facts: the same blob */
    unsigned char *b1, *b2;
    size_t n1, n2;
    assert_int_equal(ll_facts_to_blob(&f, &b1, &n1), 0);
    assert_int_equal(ll_facts_to_blob(&g, &b2, &n2), 0);
    assert_int_equal(n1, n2);
    assert_memory_equal(b1, b2, n1);
    free(b1);
    free(b2);
    assert_string_equal(g.main_file, f.main_file);
    ll_tu_facts_release(&g);

    /* a directory where the file should go is not replaced */
    unlink(path);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(ll_facts_file_write(path, &f, 42, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "not a regular file"));
    ll_tu_facts_init(&g);
    assert_int_equal(ll_facts_file_read(path, &g, &h, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "not a regular file"));
    rmdir(path);
    /* no temporary left behind */
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A %s)\"", dir);
    assert_int_equal(system(cmd), 0);
    rmdir(dir);
    ll_tu_facts_release(&f);
}

static void test_header_and_truncation(void **state)
{
    (void)state;
    size_t len;
    unsigned char *buf = file_bytes(&len);
    char err[256];
    uint64_t h;
    struct ll_tu_facts g;
    ll_tu_facts_init(&g);
    assert_int_equal(ll_facts_file_decode(buf, len, &g, &h, err, sizeof(err)), 0);
    assert_int_equal(h, 0x1122334455667788u);
    ll_tu_facts_release(&g);
    for (size_t n = 0; n < len; n++) {
        ll_tu_facts_init(&g);
        assert_int_equal(ll_facts_file_decode(buf, n, &g, &h, err, sizeof(err)), -1);
    }
    for (size_t i = 0; i < 12; i++) { /* magic and file version */
        buf[i] ^= 0x20;
        ll_tu_facts_init(&g);
        assert_int_equal(ll_facts_file_decode(buf, len, &g, &h, err, sizeof(err)), -1);
        buf[i] ^= 0x20;
    }
    free(buf);
}

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Everything `locklint link` does with facts that decoded. */
static void analyse(struct ll_tu_facts *f)
{
    struct ll_arena rewritten;
    ll_arena_init(&rewritten);
    struct ll_view view;
    memset(&view, 0, sizeof(view));
    struct ll_report report;
    ll_report_init(&report);
    if (ll_resolve_thread_wrappers(f, 1, &rewritten) >= 0 &&
        ll_view_build(&view, f, 1, NULL, 0) == 0) {
        for (size_t i = 0; i < ll_nrules; i++)
            ll_rule_check(ll_rules[i], &view, &report);
        ll_report_finish(&report);
    }
    ll_report_release(&report);
    ll_view_release(&view);
    ll_arena_release(&rewritten);
}

static void test_damaged_files_analysed_safely(void **state)
{
    (void)state;
    size_t len;
    unsigned char *orig = file_bytes(&len);
    unsigned char *p = malloc(len);
    assert_non_null(p);
    uint64_t seed = 0x2545f4914f6cdd1du;
    int accepted = 0;
    char err[256];
    uint64_t h;
    for (int iter = 0; iter < 1500; iter++) {
        memcpy(p, orig, len);
        int nflips = 1 + (int)(rng_next(&seed) % 3);
        for (int k = 0; k < nflips; k++) {
            size_t at = 20 + (size_t)(rng_next(&seed) % (len - 20));
            /* small values: string references, indices and enumerations
             * stay in range more often, so more damaged files decode */
            p[at] = (unsigned char)(rng_next(&seed) % (iter % 2 ? 256 : 4));
        }
        struct ll_tu_facts g;
        ll_tu_facts_init(&g);
        if (ll_facts_file_decode(p, len, &g, &h, err, sizeof(err)) == 0) {
            accepted++;
            analyse(&g);
            ll_tu_facts_release(&g);
        }
    }
    assert_true(accepted > 100);
    free(p);
    free(orig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_header_and_truncation),
        cmocka_unit_test(test_damaged_files_analysed_safely),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
