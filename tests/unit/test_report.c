/*
 * Unit tests for analyzer/report: copying into the arena, notes and flows,
 * sort order, duplicate removal, and fingerprints that survive moved lines
 * but tell different findings apart.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "report.h"

#include <stdio.h>
#include <string.h>

static struct ll_site site(const char *file, uint32_t line, uint32_t col)
{
    struct ll_site s = {file, line, col, NULL};
    return s;
}

static void test_add_copies_strings(void **state)
{
    (void)state;
    struct ll_report r;
    ll_report_init(&r);
    char file[] = "/p/a.c", rule[] = "double-lock", fn[] = "worker", key[] = "g_lock";
    struct ll_site s = site(file, 12, 5);
    struct ll_finding *f =
        ll_report_add(&r, rule, LL_SEV_ERROR, &s, fn, key, "'%s' acquired twice (%d)", "g_lock", 2);
    assert_non_null(f);
    memset(file, 'x', sizeof(file) - 1);
    memset(rule, 'x', sizeof(rule) - 1);
    memset(fn, 'x', sizeof(fn) - 1);
    memset(key, 'x', sizeof(key) - 1);
    assert_int_equal(r.count, 1);
    assert_ptr_equal(r.items[0], f);
    assert_string_equal(f->rule, "double-lock");
    assert_string_equal(f->function, "worker");
    assert_string_equal(f->key, "g_lock");
    assert_string_equal(f->message, "'g_lock' acquired twice (2)");
    assert_string_equal(f->primary.file, "/p/a.c");
    assert_int_equal(f->primary.line, 12);
    assert_int_equal(f->primary.col, 5);
    assert_null(f->primary.message);
    assert_int_equal(f->severity, LL_SEV_ERROR);
    assert_int_equal(f->nrelated, 0);
    assert_int_equal(f->nflows, 0);
    assert_false(r.oom);

    struct ll_finding *g = ll_report_add(&r, "lock-leak", LL_SEV_WARNING, &s, NULL, NULL, "x");
    assert_non_null(g);
    assert_null(g->function);
    assert_null(g->key);
    ll_report_release(&r);
    assert_int_equal(r.count, 0);
    assert_null(r.items);
}

static void test_many_findings_grow(void **state)
{
    (void)state;
    struct ll_report r;
    ll_report_init(&r);
    struct ll_site s = site("/p/a.c", 1, 1);
    for (int i = 0; i < 1000; i++) {
        s.line = (uint32_t)(1000 - i);
        assert_non_null(ll_report_add(&r, "lock-leak", LL_SEV_WARNING, &s, "f", "k", "n %d", i));
    }
    assert_int_equal(r.count, 1000);
    ll_report_finish(&r);
    assert_int_equal(r.count, 1000);
    for (size_t i = 0; i < r.count; i++)
        assert_int_equal(r.items[i]->primary.line, i + 1);
    ll_report_release(&r);
}

static void test_notes(void **state)
{
    (void)state;
    struct ll_report r;
    ll_report_init(&r);
    struct ll_site s = site("/p/a.c", 3, 1);
    struct ll_finding *f = ll_report_add(&r, "lock-order-inversion", LL_SEV_WARNING, &s, "f", "a,b",
                                         "'a' acquired while holding 'b'");
    assert_non_null(f);
    /* Enough notes to cross the implicit capacities 4 and 8. */
    char file[32];
    for (int i = 0; i < 11; i++) {
        snprintf(file, sizeof(file), "/p/n%d.c", i);
        struct ll_site n = {file, (uint32_t)(100 + i), (uint32_t)(i + 1), "ignored"};
        assert_int_equal(ll_finding_note(&r, f, &n, "note %d about '%s'", i, "b"), 0);
    }
    memset(file, 0, sizeof(file));
    assert_int_equal(f->nrelated, 11);
    for (int i = 0; i < 11; i++) {
        char want[32], wantf[32];
        snprintf(want, sizeof(want), "note %d about 'b'", i);
        snprintf(wantf, sizeof(wantf), "/p/n%d.c", i);
        assert_string_equal(f->related[i].message, want);
        assert_string_equal(f->related[i].file, wantf);
        assert_int_equal(f->related[i].line, 100 + i);
        assert_int_equal(f->related[i].col, i + 1);
    }
    ll_report_release(&r);
}

static void test_flows(void **state)
{
    (void)state;
    struct ll_report r;
    ll_report_init(&r);
    struct ll_site s = site("/p/a.c", 3, 1);
    struct ll_finding *f =
        ll_report_add(&r, "lock-order-inversion", LL_SEV_WARNING, &s, "f", "a,b", "m");
    assert_non_null(f);
    char thread[] = "worker";
    struct ll_site steps[2] = {{"/p/a.c", 10, 2, "acquires 'a'"},
                               {"/p/a.c", 11, 2, "acquires 'b'"}};
    assert_int_equal(ll_finding_flow(&r, f, thread, steps, 2), 0);
    steps[0].line = 99;
    steps[1].message = "changed";
    thread[0] = 'X';
    assert_int_equal(ll_finding_flow(&r, f, "main", steps, 1), 0);
    for (int i = 0; i < 6; i++)
        assert_int_equal(ll_finding_flow(&r, f, "extra", NULL, 0), 0);
    assert_int_equal(f->nflows, 8);
    assert_string_equal(f->flows[0].thread, "worker");
    assert_int_equal(f->flows[0].nsteps, 2);
    assert_int_equal(f->flows[0].steps[0].line, 10);
    assert_string_equal(f->flows[0].steps[0].message, "acquires 'a'");
    assert_string_equal(f->flows[0].steps[1].message, "acquires 'b'");
    assert_string_equal(f->flows[1].thread, "main");
    assert_int_equal(f->flows[1].nsteps, 1);
    assert_int_equal(f->flows[1].steps[0].line, 99);
    assert_int_equal(f->flows[7].nsteps, 0);
    ll_report_release(&r);
}

static void test_sort_order(void **state)
{
    (void)state;
    struct ll_report r;
    ll_report_init(&r);
    struct ll_site s;
    s = site("/p/b.c", 1, 1);
    ll_report_add(&r, "a-rule", LL_SEV_NOTE, &s, NULL, NULL, "m");
    s = site("/p/a.c", 20, 1);
    ll_report_add(&r, "a-rule", LL_SEV_NOTE, &s, NULL, NULL, "m");
    s = site("/p/a.c", 3, 9);
    ll_report_add(&r, "a-rule", LL_SEV_NOTE, &s, NULL, NULL, "m");
    s = site("/p/a.c", 3, 2);
    ll_report_add(&r, "z-rule", LL_SEV_NOTE, &s, NULL, NULL, "m");
    ll_report_add(&r, "b-rule", LL_SEV_NOTE, &s, NULL, NULL, "second");
    ll_report_add(&r, "b-rule", LL_SEV_NOTE, &s, NULL, NULL, "first");
    ll_report_finish(&r);
    assert_int_equal(r.count, 6);
    const char *want[][3] = {{"/p/a.c", "b-rule", "first"}, {"/p/a.c", "b-rule", "second"},
                             {"/p/a.c", "z-rule", "m"},     {"/p/a.c", "a-rule", "m"},
                             {"/p/a.c", "a-rule", "m"},     {"/p/b.c", "a-rule", "m"}};
    const uint32_t lines[] = {3, 3, 3, 3, 20, 1}, cols[] = {2, 2, 2, 9, 1, 1};
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(r.items[i]->primary.file, want[i][0]);
        assert_string_equal(r.items[i]->rule, want[i][1]);
        assert_string_equal(r.items[i]->message, want[i][2]);
        assert_int_equal(r.items[i]->primary.line, lines[i]);
        assert_int_equal(r.items[i]->primary.col, cols[i]);
    }
    ll_report_release(&r);
}

static void test_duplicates_dropped(void **state)
{
    (void)state;
    struct ll_report r;
    ll_report_init(&r);
    struct ll_site s = site("/p/a.c", 5, 3);
    struct ll_site n = site("/p/a.c", 9, 3);
    struct ll_finding *f;
    f = ll_report_add(&r, "double-lock", LL_SEV_WARNING, &s, "f", "m", "'m' locked twice");
    ll_finding_note(&r, f, &n, "first lock here");
    /* Same rule, site and message: a duplicate even with other notes; the
     * higher severity is the one kept. */
    f = ll_report_add(&r, "double-lock", LL_SEV_ERROR, &s, "f", "m", "'m' locked twice");
    ll_finding_note(&r, f, &n, "first lock here");
    ll_finding_note(&r, f, &n, "and here");
    ll_report_add(&r, "double-lock", LL_SEV_WARNING, &s, "f", "m", "'m' locked twice");
    /* Different message, rule or column: kept. */
    ll_report_add(&r, "double-lock", LL_SEV_WARNING, &s, "f", "m", "'n' locked twice");
    ll_report_add(&r, "lock-leak", LL_SEV_WARNING, &s, "f", "m", "'m' locked twice");
    s.col = 4;
    ll_report_add(&r, "double-lock", LL_SEV_WARNING, &s, "f", "m", "'m' locked twice");
    ll_report_finish(&r);
    assert_int_equal(r.count, 4);
    assert_ptr_equal(r.items[0], f);
    assert_int_equal(r.items[0]->severity, LL_SEV_ERROR);
    assert_string_equal(r.items[0]->message, "'m' locked twice");
    assert_string_equal(r.items[1]->message, "'n' locked twice");
    assert_string_equal(r.items[2]->rule, "lock-leak");
    assert_int_equal(r.items[3]->primary.col, 4);
    ll_report_release(&r);
}

static int is_hex16(const char *s)
{
    if (strlen(s) != 16)
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return 0;
    return 1;
}

/* Fingerprint of a one-finding report. */
static void fingerprint_of(char out[17], const char *rule, const char *file, uint32_t line,
                           uint32_t col, const char *fn, const char *key, const char *msg)
{
    struct ll_report r;
    ll_report_init(&r);
    struct ll_site s = site(file, line, col);
    assert_non_null(ll_report_add(&r, rule, LL_SEV_WARNING, &s, fn, key, "%s", msg));
    ll_report_finish(&r);
    assert_true(is_hex16(r.items[0]->fingerprint));
    memcpy(out, r.items[0]->fingerprint, 17);
    ll_report_release(&r);
}

static void test_fingerprint_stable_across_lines(void **state)
{
    (void)state;
    char a[17], b[17], c[17];
    fingerprint_of(a, "double-lock", "/p/a.c", 10, 5, "f", "g_lock",
                   "'g_lock' acquired twice, first at line 8");
    fingerprint_of(b, "double-lock", "/p/a.c", 42, 9, "f", "g_lock",
                   "'g_lock' acquired twice, first at line 40");
    assert_string_equal(a, b);
    /* A number of any length is one '#'. */
    fingerprint_of(c, "double-lock", "/p/a.c", 1042, 1, "f", "g_lock",
                   "'g_lock' acquired twice, first at line 1040");
    assert_string_equal(a, c);
}

static void test_fingerprint_distinguishes(void **state)
{
    (void)state;
    char base[17], other[17];
    fingerprint_of(base, "double-lock", "/p/a.c", 10, 5, "f", "g_lock", "'g_lock' twice");
    fingerprint_of(other, "double-lock", "/p/a.c", 10, 5, "f", "h_lock", "'g_lock' twice");
    assert_string_not_equal(base, other);
    fingerprint_of(other, "lock-leak", "/p/a.c", 10, 5, "f", "g_lock", "'g_lock' twice");
    assert_string_not_equal(base, other);
    fingerprint_of(other, "double-lock", "/p/b.c", 10, 5, "f", "g_lock", "'g_lock' twice");
    assert_string_not_equal(base, other);
    fingerprint_of(other, "double-lock", "/p/a.c", 10, 5, "g", "g_lock", "'g_lock' twice");
    assert_string_not_equal(base, other);
    fingerprint_of(other, "double-lock", "/p/a.c", 10, 5, NULL, "g_lock", "'g_lock' twice");
    assert_string_not_equal(base, other);
    fingerprint_of(other, "double-lock", "/p/a.c", 10, 5, "f", "g_lock", "'h_lock' twice");
    assert_string_not_equal(base, other);
    /* Field boundaries matter: ("f","g_lock") is not ("fg","_lock"). */
    fingerprint_of(other, "double-lock", "/p/a.c", 10, 5, "fg", "_lock", "'g_lock' twice");
    assert_string_not_equal(base, other);
}

/* Two identical findings in one function, at lines l1 < l2, added in the
 * given order; copies out their fingerprints in report order. */
static void twin_fingerprints(char fp[2][17], uint32_t l1, uint32_t l2, int reverse)
{
    struct ll_report r;
    ll_report_init(&r);
    struct ll_site s1 = site("/p/a.c", l1, 3), s2 = site("/p/a.c", l2, 3);
    if (reverse)
        ll_report_add(&r, "unprotected-write", LL_SEV_WARNING, &s2, "f", "counter", "write");
    ll_report_add(&r, "unprotected-write", LL_SEV_WARNING, &s1, "f", "counter", "write");
    if (!reverse)
        ll_report_add(&r, "unprotected-write", LL_SEV_WARNING, &s2, "f", "counter", "write");
    /* An unrelated finding between them must not shift the ordinals. */
    struct ll_site s3 = site("/p/a.c", (l1 + l2) / 2, 1);
    ll_report_add(&r, "unprotected-write", LL_SEV_WARNING, &s3, "f", "other", "write");
    ll_report_finish(&r);
    assert_int_equal(r.count, 3);
    assert_int_equal(r.items[0]->primary.line, l1);
    assert_int_equal(r.items[2]->primary.line, l2);
    memcpy(fp[0], r.items[0]->fingerprint, 17);
    memcpy(fp[1], r.items[2]->fingerprint, 17);
    ll_report_release(&r);
}

static void test_fingerprint_ordinal(void **state)
{
    (void)state;
    char a[2][17], b[2][17], c[2][17];
    twin_fingerprints(a, 10, 20, 0);
    assert_string_not_equal(a[0], a[1]);
    assert_true(is_hex16(a[0]) && is_hex16(a[1]));
    /* Both moved down: same fingerprints, in the same order. */
    twin_fingerprints(b, 15, 31, 0);
    assert_string_equal(a[0], b[0]);
    assert_string_equal(a[1], b[1]);
    /* Insertion order does not matter. */
    twin_fingerprints(c, 10, 20, 1);
    assert_string_equal(a[0], c[0]);
    assert_string_equal(a[1], c[1]);
    /* The first of the twins has the fingerprint a lone finding would have. */
    char lone[17];
    fingerprint_of(lone, "unprotected-write", "/p/a.c", 77, 3, "f", "counter", "write");
    assert_string_equal(lone, a[0]);
}

static void test_count_at_least(void **state)
{
    (void)state;
    struct ll_report r;
    ll_report_init(&r);
    assert_int_equal(ll_report_count_at_least(&r, LL_SEV_NOTE), 0);
    struct ll_site s = site("/p/a.c", 1, 1);
    ll_report_add(&r, "r1", LL_SEV_NOTE, &s, NULL, NULL, "a");
    ll_report_add(&r, "r1", LL_SEV_WARNING, &s, NULL, NULL, "b");
    ll_report_add(&r, "r1", LL_SEV_WARNING, &s, NULL, NULL, "c");
    ll_report_add(&r, "r1", LL_SEV_ERROR, &s, NULL, NULL, "d");
    ll_report_finish(&r);
    assert_int_equal(ll_report_count_at_least(&r, LL_SEV_NOTE), 4);
    assert_int_equal(ll_report_count_at_least(&r, LL_SEV_WARNING), 3);
    assert_int_equal(ll_report_count_at_least(&r, LL_SEV_ERROR), 1);
    ll_report_release(&r);
}

static void test_severity_name(void **state)
{
    (void)state;
    assert_string_equal(ll_severity_name(LL_SEV_NOTE), "note");
    assert_string_equal(ll_severity_name(LL_SEV_WARNING), "warning");
    assert_string_equal(ll_severity_name(LL_SEV_ERROR), "error");
}

static void test_finish_empty(void **state)
{
    (void)state;
    struct ll_report r;
    ll_report_init(&r);
    ll_report_finish(&r);
    assert_int_equal(r.count, 0);
    assert_false(r.oom);
    ll_report_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_copies_strings),
        cmocka_unit_test(test_many_findings_grow),
        cmocka_unit_test(test_notes),
        cmocka_unit_test(test_flows),
        cmocka_unit_test(test_sort_order),
        cmocka_unit_test(test_duplicates_dropped),
        cmocka_unit_test(test_fingerprint_stable_across_lines),
        cmocka_unit_test(test_fingerprint_distinguishes),
        cmocka_unit_test(test_fingerprint_ordinal),
        cmocka_unit_test(test_count_at_least),
        cmocka_unit_test(test_severity_name),
        cmocka_unit_test(test_finish_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
