/*
 * Unit tests for cache.c: XXH64 against the reference vectors; a stored TU
 * is found again, with the same facts, by a later open; changed arguments,
 * a changed or deleted dependency are misses, a new mtime with the same
 * content is a hit; entries whose files changed during the parse are not
 * stored; corrupt, truncated, foreign and newer-schema files are set aside
 * and rebuilt, also after a clean close stamped the file as checked; an
 * unwritable location gives no cache and a warning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fixture {
    char dir[64];
    char db[128], main_c[128], header[128];
    const char *argv[2];
    struct ll_tu_job job;
    char *warnbuf;
    size_t warnlen;
    FILE *warn;
};

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* Sets the mtime `ago` seconds in the past (plus `ns`). */
static void age(const char *path, long ago, long ns)
{
    struct timespec ts[2];
    clock_gettime(CLOCK_REALTIME, &ts[0]);
    ts[0].tv_sec -= ago;
    ts[0].tv_nsec = ns;
    ts[1] = ts[0];
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/ll_cache_XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->db, sizeof(fx->db), "%s/sub/dir/cache.sqlite", fx->dir);
    snprintf(fx->main_c, sizeof(fx->main_c), "%s/a.c", fx->dir);
    snprintf(fx->header, sizeof(fx->header), "%s/h.h", fx->dir);
    write_file(fx->main_c, "#include \"h.h\"\nint x;\n");
    write_file(fx->header, "extern int x;\n");
    age(fx->main_c, 100, 0);
    age(fx->header, 100, 0);
    fx->argv[0] = "-DX=1";
    fx->argv[1] = "-I.";
    fx->job.file = fx->main_c;
    fx->job.directory = fx->dir;
    fx->job.argc = 2;
    fx->job.argv = fx->argv;
    fx->warn = open_memstream(&fx->warnbuf, &fx->warnlen);
    assert_non_null(fx->warn);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    fclose(fx->warn);
    free(fx->warnbuf);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
    assert_int_equal(system(cmd), 0);
    free(fx);
    return 0;
}

static const char *warnings(struct fixture *fx)
{
    fflush(fx->warn);
    return fx->warnbuf ? fx->warnbuf : "";
}

static void make_facts(struct fixture *fx, struct ll_tu_facts *f)
{
    ll_tu_facts_init(f);
    struct ll_arena *a = &f->arena;
    f->main_file = ll_arena_strdup(a, fx->main_c);
    f->nfiles = 1;
    f->files = ll_arena_alloc(a, sizeof(*f->files));
    f->files[0] = f->main_file;
    f->file_system = ll_arena_alloc(a, 1);
    f->nglobals = 1;
    f->globals = ll_arena_alloc(a, sizeof(*f->globals));
    f->globals[0].usr = "c:@x";
    f->globals[0].name = "x";
    f->globals[0].type = "int";
    f->globals[0].loc.line = 2;
    f->ndeps = 2;
    f->deps = ll_arena_alloc(a, 2 * sizeof(*f->deps));
    f->deps[0] = fx->main_c;
    f->deps[1] = fx->header;
}

static struct timespec now_rt(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return t;
}

/* Stores the fixture's TU in a fresh open of the cache; returns what
 * ll_cache_store() did. */
static int store(struct fixture *fx)
{
    struct ll_cache *c = ll_cache_open(fx->db, fx->warn);
    assert_non_null(c);
    struct ll_tu_facts f;
    make_facts(fx, &f);
    int rc = ll_cache_store(c, &fx->job, &f, now_rt());
    ll_tu_facts_release(&f);
    ll_cache_close(c, NULL);
    return rc;
}

/* Looks the fixture's TU up in a fresh open; returns 1 hit, 0 miss. */
static int lookup(struct fixture *fx, struct ll_cache_stats *st)
{
    struct ll_cache *c = ll_cache_open(fx->db, fx->warn);
    assert_non_null(c);
    struct ll_cache_reader *r = ll_cache_reader_new(c);
    assert_non_null(r);
    struct ll_tu_facts g;
    ll_tu_facts_init(&g);
    int hit = ll_cache_lookup(r, &fx->job, &g);
    if (hit) {
        assert_string_equal(g.main_file, fx->main_c);
        assert_int_equal(g.nglobals, 1);
        assert_string_equal(g.globals[0].name, "x");
        assert_int_equal(g.globals[0].loc.line, 2);
        assert_int_equal(g.ndeps, 2);
        assert_string_equal(g.deps[1], fx->header);
    } else {
        assert_null(g.main_file);
        assert_int_equal(g.nglobals, 0);
    }
    ll_tu_facts_release(&g);
    ll_cache_reader_free(r);
    ll_cache_close(c, st);
    return hit;
}

/* How many files in the fixture's cache directory start with `prefix`. */
static int count_aside(struct fixture *fx, const char *reason)
{
    char dir[160], prefix[64];
    snprintf(dir, sizeof(dir), "%s/sub/dir", fx->dir);
    snprintf(prefix, sizeof(prefix), "cache.sqlite.%s-", reason);
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 && !strstr(e->d_name, "-wal") &&
            !strstr(e->d_name, "-shm"))
            n++;
    closedir(d);
    return n;
}

static void sql(const char *db, const char *stmt)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, stmt, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

/* ---- tests -------------------------------------------------------------- */

static void test_hash_vectors(void **state)
{
    (void)state;
    static const char fox[] =
        "The quick brown fox jumps over the lazy dog, twice: The quick brown fox";
    assert_int_equal(ll_hash64("", 0, 0), 0xef46db3751d8e999u);
    assert_int_equal(ll_hash64("abc", 3, 0), 0x44bc2cf5ad770999u);
    assert_int_equal(ll_hash64(fox, strlen(fox), 0), 0x41bf0c226bf6616fu);
    assert_true(ll_hash64("abc", 3, 1) != ll_hash64("abc", 3, 0));
}

static void test_miss_store_hit(void **state)
{
    struct fixture *fx = *state;
    assert_int_equal(lookup(fx, NULL), 0);
    struct stat sb;
    assert_int_equal(stat(fx->db, &sb), 0); /* directories made, file created */
    assert_int_equal(store(fx), 0);
    struct ll_cache_stats st;
    assert_int_equal(lookup(fx, &st), 1);
    assert_int_equal(st.rehashed, 0);
    assert_string_equal(warnings(fx), "");
}

static void test_arguments_are_key(void **state)
{
    struct fixture *fx = *state;
    assert_int_equal(store(fx), 0);
    fx->argv[0] = "-DX=2";
    assert_int_equal(lookup(fx, NULL), 0);
    fx->argv[0] = "-DX=1";
    fx->job.directory = "/elsewhere";
    assert_int_equal(lookup(fx, NULL), 0);
    fx->job.directory = fx->dir;
    assert_int_equal(lookup(fx, NULL), 1);
}

static void test_changed_header_misses(void **state)
{
    struct fixture *fx = *state;
    assert_int_equal(store(fx), 0);
    write_file(fx->header, "extern long x;\n"); /* other content and size */
    age(fx->header, 50, 0);
    assert_int_equal(lookup(fx, NULL), 0);
    /* Same size, other content, other mtime: the hash decides. */
    assert_int_equal(store(fx), 0);
    write_file(fx->header, "extern char x;\n");
    age(fx->header, 40, 0);
    write_file(fx->header, "extern LONG x;\n");
    age(fx->header, 30, 0);
    assert_int_equal(lookup(fx, NULL), 0);
}

static void test_touched_same_content_hits(void **state)
{
    struct fixture *fx = *state;
    assert_int_equal(store(fx), 0);
    age(fx->header, 20, 5);
    struct ll_cache_stats st;
    assert_int_equal(lookup(fx, &st), 1);
    assert_int_equal(st.rehashed, 1);
    assert_int_equal(st.stored, 1); /* the new mtime was written back */
    assert_int_equal(lookup(fx, &st), 1);
    assert_int_equal(st.rehashed, 0);
}

static void test_deleted_dependency_misses(void **state)
{
    struct fixture *fx = *state;
    assert_int_equal(store(fx), 0);
    assert_int_equal(unlink(fx->header), 0);
    assert_int_equal(lookup(fx, NULL), 0);
}

static void test_racy_not_stored(void **state)
{
    struct fixture *fx = *state;
    write_file(fx->header, "extern int x; /* just now */\n");
    struct ll_cache *c = ll_cache_open(fx->db, fx->warn);
    assert_non_null(c);
    struct ll_tu_facts f;
    make_facts(fx, &f);
    /* The header is newer than the parse's start. */
    struct timespec started = now_rt();
    started.tv_sec -= 5;
    assert_int_equal(ll_cache_store(c, &fx->job, &f, started), 1);
    ll_tu_facts_release(&f);
    struct ll_cache_stats st;
    ll_cache_close(c, &st);
    assert_int_equal(st.racy, 1);
    assert_int_equal(st.stored, 0);
    assert_int_equal(lookup(fx, NULL), 0);
}

static void test_corrupt_set_aside(void **state)
{
    struct fixture *fx = *state;
    assert_int_equal(lookup(fx, NULL), 0); /* creates the directories */
    unlink(fx->db);
    char junk[4096];
    memset(junk, 'j', sizeof(junk) - 1);
    junk[sizeof(junk) - 1] = '\0';
    write_file(fx->db, junk);
    assert_int_equal(store(fx), 0);
    assert_non_null(strstr(warnings(fx), "set aside"));
    assert_int_equal(count_aside(fx, "corrupt"), 1);
    assert_int_equal(lookup(fx, NULL), 1);
}

static void test_truncated_set_aside(void **state)
{
    struct fixture *fx = *state;
    /* Enough entries for several pages, then half the file cut off. */
    struct ll_cache *c = ll_cache_open(fx->db, fx->warn);
    assert_non_null(c);
    struct ll_tu_facts f;
    make_facts(fx, &f);
    char name[64];
    for (int i = 0; i < 200; i++) {
        snprintf(name, sizeof(name), "-DN=%d", i);
        fx->argv[0] = name;
        assert_int_equal(ll_cache_store(c, &fx->job, &f, now_rt()), 0);
    }
    ll_tu_facts_release(&f);
    ll_cache_close(c, NULL);
    fx->argv[0] = "-DX=1";
    struct stat sb;
    assert_int_equal(stat(fx->db, &sb), 0);
    assert_true(sb.st_size > 16384);
    assert_int_equal(truncate(fx->db, sb.st_size / 2), 0);
    assert_int_equal(store(fx), 0);
    assert_non_null(strstr(warnings(fx), "set aside"));
    assert_int_equal(count_aside(fx, "corrupt"), 1);
    assert_int_equal(lookup(fx, NULL), 1);
}

/* A clean close stamps the file as checked; a page overwritten afterwards
 * (same size, new times) is checked again at the next open and the file
 * set aside. */
static void test_damaged_after_stamp_set_aside(void **state)
{
    struct fixture *fx = *state;
    assert_int_equal(store(fx), 0);
    char stamp[300], line[128] = "";
    snprintf(stamp, sizeof(stamp), "%s-checked", fx->db);
    FILE *f = fopen(stamp, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof(line), f));
    fclose(f);
    assert_non_null(strstr(line, "locklint-checked"));
    assert_int_equal(lookup(fx, NULL), 1); /* still a good cache */
    assert_null(strstr(warnings(fx), "set aside"));
    /* the table's root page (page 2) overwritten in place */
    int fd = open(fx->db, O_WRONLY);
    assert_true(fd >= 0);
    char junk[4096];
    memset(junk, 0x5a, sizeof(junk));
    assert_int_equal(pwrite(fd, junk, sizeof(junk), 4096), (ssize_t)sizeof(junk));
    close(fd);
    assert_int_equal(store(fx), 0);
    assert_non_null(strstr(warnings(fx), "set aside"));
    assert_int_equal(count_aside(fx, "corrupt"), 1);
    assert_int_equal(lookup(fx, NULL), 1);
}

static void test_foreign_set_aside(void **state)
{
    struct fixture *fx = *state;
    assert_int_equal(lookup(fx, NULL), 0);
    unlink(fx->db);
    sql(fx->db, "CREATE TABLE accounts(id INTEGER PRIMARY KEY, owner TEXT)");
    assert_int_equal(store(fx), 0);
    assert_non_null(strstr(warnings(fx), "not a locklint cache"));
    assert_int_equal(count_aside(fx, "foreign"), 1);
    assert_int_equal(lookup(fx, NULL), 1);
}

static void test_newer_set_aside(void **state)
{
    struct fixture *fx = *state;
    assert_int_equal(store(fx), 0);
    sql(fx->db, "PRAGMA user_version=99");
    assert_int_equal(lookup(fx, NULL), 0);
    assert_non_null(strstr(warnings(fx), "newer"));
    assert_int_equal(count_aside(fx, "newer"), 1);
}

static void test_unwritable_location(void **state)
{
    struct fixture *fx = *state;
    char path[200];
    /* A regular file where a directory should be: even root cannot write. */
    snprintf(path, sizeof(path), "%s/cache.sqlite", fx->main_c);
    struct ll_cache *c = ll_cache_open(path, fx->warn);
    assert_null(c);
    assert_non_null(strstr(warnings(fx), "running uncached"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_vectors),
        cmocka_unit_test_setup_teardown(test_miss_store_hit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arguments_are_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_header_misses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_touched_same_content_hits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_dependency_misses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_racy_not_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_set_aside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_set_aside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_after_stamp_set_aside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_set_aside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_set_aside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwritable_location, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
