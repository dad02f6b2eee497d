/*
 * Unit tests for analyzer/baseline: a written baseline reads back, matches
 * by fingerprint, filters only what it holds and counts what it did not
 * see; fingerprints survive lines inserted above and unrelated renames, so
 * a baselined finding stays baselined; malformed files are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "baseline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void add(struct ll_report *r, const char *rule, const char *file, uint32_t line,
                const char *fn, const char *key, const char *msg)
{
    struct ll_site s = {file, line, 3, NULL};
    assert_non_null(ll_report_add(r, rule, LL_SEV_WARNING, &s, fn, key, "%s", msg));
}

/* The findings of one version of a small project. `shift` lines were
 * inserted at the top of a.c; `renamed` renames an unrelated function. */
static void project(struct ll_report *r, uint32_t shift, bool renamed, bool fixed_leak)
{
    ll_report_init(r);
    add(r, "double-lock", "src/a.c", 10 + shift, "worker", "m", "'m' acquired while already held");
    /* two identical findings in one function: ordinals tell them apart */
    add(r, "double-lock", "src/a.c", 30 + shift, "worker", "m", "'m' acquired while already held");
    if (!fixed_leak)
        add(r, "lock-leak", "src/a.c", 50 + shift, "push", "q->lock",
            "'q->lock' still held when 'push' returns here");
    add(r, "cond-wait-outside-loop", "src/b.c", 7, renamed ? "consume_all" : "consume", "ready",
        "wait on 'ready' is not in a loop");
    ll_report_finish(r);
}

static char *tmp_path(void)
{
    static char path[64];
    snprintf(path, sizeof(path), "/tmp/ll_baseline_%ld.json", (long)getpid());
    return path;
}

static void test_round_trip_and_filter(void **state)
{
    (void)state;
    struct ll_report r;
    char err[512];
    const char *path = tmp_path();
    project(&r, 0, false, false);
    assert_int_equal(ll_baseline_write(&r, path, err, sizeof(err)), 0);
    ll_report_release(&r);

    struct ll_baseline b;
    ll_baseline_init(&b);
    assert_int_equal(ll_baseline_load(&b, path, err, sizeof(err)), 0);
    assert_int_equal(b.count, 4);
    bool has_b = false;
    for (size_t i = 0; i < b.count; i++) {
        assert_int_equal(strlen(b.items[i].fingerprint), 16);
        assert_non_null(b.items[i].rule);
        assert_non_null(b.items[i].message);
        has_b = has_b || strcmp(b.items[i].file, "src/b.c") == 0;
    }
    assert_true(has_b);

    /* Lines inserted above every finding in a.c: still all baselined. */
    project(&r, 7, false, false);
    assert_int_equal(ll_baseline_filter(&b, &r), 4);
    assert_int_equal(r.count, 0);
    ll_report_release(&r);

    /* The lock leak is fixed and a new finding appears. */
    for (size_t i = 0; i < b.count; i++)
        b.items[i].seen = false;
    project(&r, 3, false, true);
    struct ll_site s = {"src/c.c", 4, 1, NULL};
    assert_non_null(
        ll_report_add(&r, "double-lock", LL_SEV_WARNING, &s, "fresh", "n", "new finding"));
    ll_report_finish(&r);
    assert_int_equal(ll_baseline_filter(&b, &r), 3);
    assert_int_equal(r.count, 1);
    assert_string_equal(r.items[0]->primary.file, "src/c.c");
    size_t unseen = 0;
    for (size_t i = 0; i < b.count; i++)
        if (!b.items[i].seen) {
            unseen++;
            assert_string_equal(b.items[i].rule, "lock-leak");
        }
    assert_int_equal(unseen, 1);
    ll_report_release(&r);
    ll_baseline_release(&b);
    remove(path);
}

static void test_fingerprints_survive_edits(void **state)
{
    (void)state;
    struct ll_report a, b, c;
    project(&a, 0, false, false);
    project(&b, 25, false, false); /* lines inserted above */
    project(&c, 0, true, false);   /* unrelated function renamed */
    assert_int_equal(a.count, b.count);
    for (size_t i = 0; i < a.count; i++) {
        assert_string_equal(a.items[i]->fingerprint, b.items[i]->fingerprint);
        for (size_t k = 0; k < i; k++) /* unique, even for the identical pair */
            assert_string_not_equal(a.items[i]->fingerprint, a.items[k]->fingerprint);
    }
    /* only the finding in the renamed function changes */
    size_t same = 0;
    for (size_t i = 0; i < a.count; i++)
        for (size_t k = 0; k < c.count; k++)
            if (strcmp(a.items[i]->fingerprint, c.items[k]->fingerprint) == 0)
                same++;
    assert_int_equal(same, a.count - 1);
    ll_report_release(&a);
    ll_report_release(&b);
    ll_report_release(&c);
}

static void test_written_file_is_sorted_and_stable(void **state)
{
    (void)state;
    struct ll_report r;
    char err[512];
    const char *path = tmp_path();
    project(&r, 0, false, false);
    assert_int_equal(ll_baseline_write(&r, path, err, sizeof(err)), 0);
    ll_report_release(&r);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char text[8192];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    assert_non_null(strstr(text, "\"version\": 1"));
    assert_non_null(strstr(text, "\"tool\": \"locklint\""));
    assert_null(strstr(text, "\"line\"")); /* no line numbers: they churn */
    /* sorted by file: every src/a.c entry before src/b.c */
    char *last_a = NULL, *p = text;
    while ((p = strstr(p, "src/a.c")) != NULL)
        last_a = p++;
    assert_non_null(last_a);
    assert_true(strstr(text, "src/b.c") > last_a);

    /* the same findings written twice give the same bytes */
    project(&r, 9, false, false);
    assert_int_equal(ll_baseline_write(&r, path, err, sizeof(err)), 0);
    ll_report_release(&r);
    f = fopen(path, "r");
    assert_non_null(f);
    char text2[8192];
    size_t n2 = fread(text2, 1, sizeof(text2) - 1, f);
    fclose(f);
    text2[n2] = '\0';
    assert_string_equal(text, text2);
    remove(path);
}

static void test_empty_report_writes_empty_baseline(void **state)
{
    (void)state;
    struct ll_report r;
    ll_report_init(&r);
    ll_report_finish(&r);
    char err[512];
    const char *path = tmp_path();
    assert_int_equal(ll_baseline_write(&r, path, err, sizeof(err)), 0);
    struct ll_baseline b;
    ll_baseline_init(&b);
    assert_int_equal(ll_baseline_load(&b, path, err, sizeof(err)), 0);
    assert_int_equal(b.count, 0);
    assert_null(ll_baseline_find(&b, "0123456789abcdef"));
    ll_baseline_release(&b);
    ll_report_release(&r);
    remove(path);
}

static void expect_bad(const char *text, const char *needle)
{
    struct ll_baseline b;
    ll_baseline_init(&b);
    char err[512] = "";
    assert_int_equal(ll_baseline_parse(&b, "bl.json", text, strlen(text), err, sizeof(err)), -1);
    if (!strstr(err, needle) || strncmp(err, "bl.json", 7) != 0) {
        print_error("message '%s' lacks '%s' or the file name\n", err, needle);
        fail();
    }
    ll_baseline_release(&b);
}

static void test_malformed_baselines(void **state)
{
    (void)state;
    expect_bad("{", "not a locklint baseline");
    expect_bad("[]", "expected a JSON object");
    expect_bad("{\"findings\": []}", "version");
    expect_bad("{\"version\": 2, \"findings\": []}", "version 1");
    expect_bad("{\"version\": 1}", "'findings' must be an array");
    expect_bad("{\"version\": 1, \"findings\": [{\"rule\": \"x\"}]}", "fingerprint");
    expect_bad("{\"version\": 1, \"findings\": [{\"fingerprint\": \"XYZ\"}]}", "fingerprint");
    expect_bad("{\"version\": 1, \"findings\": [{\"fingerprint\": \"0123456789abcdef\", "
               "\"rule\": 3}]}",
               "must be strings");
    char err[512];
    struct ll_baseline b;
    ll_baseline_init(&b);
    assert_int_equal(ll_baseline_load(&b, "/nonexistent/bl.json", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "/nonexistent/bl.json"));
    /* extra keys are fine: a later version may add some */
    const char *ok = "{\"version\": 1, \"x\": 1, \"findings\": [{\"fingerprint\": "
                     "\"0123456789abcdef\", \"line\": 4}]}";
    assert_int_equal(ll_baseline_parse(&b, "ok.json", ok, strlen(ok), err, sizeof(err)), 0);
    assert_non_null(ll_baseline_find(&b, "0123456789abcdef"));
    assert_null(ll_baseline_find(&b, "0123456789abcdee"));
    ll_baseline_release(&b);
}

static void test_write_failure_keeps_old_file(void **state)
{
    (void)state;
    struct ll_report r;
    project(&r, 0, false, false);
    char err[512];
    assert_int_equal(ll_baseline_write(&r, "/nonexistent/dir/bl.json", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "/nonexistent/dir/bl.json"));
    ll_report_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_and_filter),
        cmocka_unit_test(test_fingerprints_survive_edits),
        cmocka_unit_test(test_written_file_is_sorted_and_stable),
        cmocka_unit_test(test_empty_report_writes_empty_baseline),
        cmocka_unit_test(test_malformed_baselines),
        cmocka_unit_test(test_write_failure_keeps_old_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
