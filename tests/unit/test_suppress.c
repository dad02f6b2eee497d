/*
 * Unit tests for analyzer/suppress: which lines a comment covers, regions,
 * comments inside string literals, rule lists, and the notes for unknown
 * rules, malformed or unbalanced comments and unused suppressions.
 */
/* mkstemp() */
#define _XOPEN_SOURCE 700

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "suppress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add(struct ll_report *r, const char *rule, const char *file, uint32_t line)
{
    struct ll_site s = {file, line, 5, NULL};
    assert_non_null(ll_report_add(r, rule, LL_SEV_WARNING, &s, "fn", "m", "finding at %u", line));
}

/* Whether r still has a finding of `rule` at `line` of a file other than
 * b.c (the control file of the first test). */
static bool has(const struct ll_report *r, const char *rule, uint32_t line)
{
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->items[i]->rule, rule) == 0 && r->items[i]->primary.line == line &&
            strcmp(r->items[i]->primary.file, "b.c") != 0)
            return true;
    return false;
}

static bool known(const char *id)
{
    return strcmp(id, "double-lock") == 0 || strcmp(id, "lock-leak") == 0 ||
           strcmp(id, "unlock-not-held") == 0;
}

static bool ran_not_leak(const char *id, void *ctx)
{
    (void)ctx;
    return strcmp(id, "lock-leak") != 0;
}

/* Counts notes of `rule` whose message contains `text`. */
static size_t notes(const struct ll_report *r, const char *rule, const char *text)
{
    size_t n = 0;
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->items[i]->rule, rule) == 0 && strstr(r->items[i]->message, text))
            n++;
    return n;
}

static const char src_lines[] = "void f(void)\n"                                          /* 1 */
                                "{\n"                                                     /* 2 */
                                "    lock(&m); // locklint-ignore: double-lock ok\n"      /* 3 */
                                "    lock(&m);\n"                                         /* 4 */
                                "    // locklint-ignore: lock-leak,unlock-not-held why\n" /* 5 */
                                "    lock(&m);\n"                                         /* 6 */
                                "    lock(&m);\n"                                         /* 7 */
                                "    s = \"// locklint-ignore: double-lock\";\n"          /* 8 */
                                "    lock(&m);\n"                                         /* 9 */
                                "}\n";

static void test_line_comments(void **state)
{
    (void)state;
    struct ll_suppress s;
    ll_suppress_init(&s);
    assert_int_equal(ll_suppress_scan_text(&s, "a.c", src_lines, strlen(src_lines)), 0);
    assert_true(ll_suppress_scanned(&s, "a.c"));
    assert_false(ll_suppress_scanned(&s, "b.c"));
    struct ll_report r;
    ll_report_init(&r);
    add(&r, "double-lock", "a.c", 3); /* trailing comment: its own line */
    add(&r, "double-lock", "a.c", 4); /* ...but not the next one */
    add(&r, "lock-leak", "a.c", 6);   /* comment-only line: the line below */
    add(&r, "unlock-not-held", "a.c", 5);
    add(&r, "double-lock", "a.c", 6); /* not named */
    add(&r, "lock-leak", "a.c", 7);   /* two lines below */
    add(&r, "double-lock", "a.c", 9); /* the "comment" was a string */
    add(&r, "double-lock", "b.c", 3); /* other file */
    ll_report_finish(&r);
    assert_int_equal(ll_suppress_apply(&s, &r), 3);
    assert_false(has(&r, "double-lock", 3));
    assert_true(has(&r, "double-lock", 4));
    assert_false(has(&r, "lock-leak", 6));
    assert_false(has(&r, "unlock-not-held", 5));
    assert_true(has(&r, "double-lock", 6));
    assert_true(has(&r, "lock-leak", 7));
    assert_true(has(&r, "double-lock", 9));
    assert_int_equal(r.count, 5); /* with b.c's */
    /* everything was used: no notes */
    assert_int_equal(ll_suppress_report(&s, &r, known, NULL, NULL), 0);
    ll_report_release(&r);
    ll_suppress_release(&s);
}

/* Prose that mentions the directive is not one: only the first word of a
 * comment line counts. */
static const char src_prose[] = "/*\n"
                                " * suppress: finds `locklint-ignore` comments\n"
                                " * locklint-ignore: double-lock the real one\n"
                                " */\n"
                                "x; // see locklint-ignore in the README\n";

static void test_prose_is_not_a_directive(void **state)
{
    (void)state;
    struct ll_suppress s;
    ll_suppress_init(&s);
    assert_int_equal(ll_suppress_scan_text(&s, "p.c", src_prose, strlen(src_prose)), 0);
    struct ll_report r;
    ll_report_init(&r);
    add(&r, "double-lock", "p.c", 3); /* the directive's own line */
    add(&r, "double-lock", "p.c", 5); /* a mention after code: not a directive */
    ll_report_finish(&r);
    assert_int_equal(ll_suppress_apply(&s, &r), 1);
    assert_false(has(&r, "double-lock", 3));
    assert_true(has(&r, "double-lock", 5));
    /* and the mention on line 2 is no malformed suppression */
    assert_int_equal(ll_suppress_report(&s, &r, known, NULL, NULL), 0);
    ll_report_release(&r);
    ll_suppress_release(&s);
}

static const char src_region[] = "int a;\n"                                            /* 1 */
                                 "/* locklint-ignore-begin: double-lock vendored */\n" /* 2 */
                                 "x;\n"                                                /* 3 */
                                 "x;\n"                                                /* 4 */
                                 "// locklint-ignore-end\n"                            /* 5 */
                                 "x;\n"                                                /* 6 */
                                 "// locklint-ignore-begin\n"                          /* 7 */
                                 "x;\n"                                                /* 8 */
                                 "// locklint-ignore-end\n";                           /* 9 */

static void test_regions(void **state)
{
    (void)state;
    struct ll_suppress s;
    ll_suppress_init(&s);
    assert_int_equal(ll_suppress_scan_text(&s, "r.c", src_region, strlen(src_region)), 0);
    struct ll_report r;
    ll_report_init(&r);
    add(&r, "double-lock", "r.c", 3);
    add(&r, "double-lock", "r.c", 4);
    add(&r, "lock-leak", "r.c", 4); /* not named by the first region */
    add(&r, "double-lock", "r.c", 6);
    add(&r, "lock-leak", "r.c", 8); /* the second region names no rule: all */
    ll_report_finish(&r);
    assert_int_equal(ll_suppress_apply(&s, &r), 3);
    assert_int_equal(r.count, 2);
    assert_true(has(&r, "lock-leak", 4));
    assert_true(has(&r, "double-lock", 6));
    assert_int_equal(ll_suppress_report(&s, &r, known, NULL, NULL), 0);
    ll_report_release(&r);
    ll_suppress_release(&s);
}

static const char src_bad[] = "// locklint-ignore: dobule-lock typo\n"      /* 1 */
                              "x;\n"                                        /* 2 */
                              "// locklint-ignore no colon\n"               /* 3 */
                              "// locklint-ignore-end\n"                    /* 4 */
                              "// locklint-ignore: double-lock stale\n"     /* 5 */
                              "x;\n"                                        /* 6 */
                              "// locklint-ignore: lock-leak not run\n"     /* 7 */
                              "x;\n"                                        /* 8 */
                              "// locklint-ignore-begin: unlock-not-held\n" /* 9 */
                              "x;\n";                                       /* 10 */

static void test_problems_are_notes(void **state)
{
    (void)state;
    struct ll_suppress s;
    ll_suppress_init(&s);
    assert_int_equal(ll_suppress_scan_text(&s, "bad.c", src_bad, strlen(src_bad)), 0);
    struct ll_report r;
    ll_report_init(&r);
    add(&r, "double-lock", "bad.c", 2); /* the typo does not silence it */
    add(&r, "unlock-not-held", "bad.c", 10);
    ll_report_finish(&r);
    assert_int_equal(ll_suppress_apply(&s, &r), 1); /* the open region still counts */
    assert_true(has(&r, "double-lock", 2));
    long n = ll_suppress_report(&s, &r, known, ran_not_leak, NULL);
    assert_int_equal(n, 5);
    assert_int_equal(notes(&r, LL_RULE_BAD_SUPPRESSION, "unknown rule 'dobule-lock'"), 1);
    assert_int_equal(notes(&r, LL_RULE_BAD_SUPPRESSION, "without rule names"), 1);
    assert_int_equal(notes(&r, LL_RULE_BAD_SUPPRESSION, "'locklint-ignore-end' without"), 1);
    assert_int_equal(notes(&r, LL_RULE_BAD_SUPPRESSION, "without a matching"), 1);
    assert_int_equal(notes(&r, LL_RULE_UNUSED_SUPPRESSION, "'double-lock' silences no finding"), 1);
    /* lock-leak did not run: its suppression is not called unused */
    assert_int_equal(notes(&r, LL_RULE_UNUSED_SUPPRESSION, "lock-leak"), 0);
    for (size_t i = 0; i < r.count; i++)
        if (strcmp(r.items[i]->rule, LL_RULE_UNUSED_SUPPRESSION) == 0) {
            assert_int_equal(r.items[i]->primary.line, 5);
            assert_int_equal(r.items[i]->severity, LL_SEV_NOTE);
        }
    ll_report_release(&r);
    ll_suppress_release(&s);
}

static void test_notes_are_never_suppressed(void **state)
{
    (void)state;
    static const char src[] = "// locklint-ignore-begin\n"
                              "// locklint-ignore: nonsense\n"
                              "// locklint-ignore-end\n";
    struct ll_suppress s;
    ll_suppress_init(&s);
    assert_int_equal(ll_suppress_scan_text(&s, "n.c", src, strlen(src)), 0);
    struct ll_report r;
    ll_report_init(&r);
    assert_int_equal(ll_suppress_apply(&s, &r), 0);
    assert_int_equal(ll_suppress_report(&s, &r, known, NULL, NULL), 2);
    ll_report_finish(&r);
    assert_int_equal(ll_suppress_apply(&s, &r), 0);
    assert_int_equal(r.count, 2);
    ll_report_release(&r);
    ll_suppress_release(&s);
}

static void test_scan_file(void **state)
{
    (void)state;
    char path[] = "/tmp/ll_suppress_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("/* a block\n   comment */ x; /* locklint-ignore: lock-leak, double-lock */\n", f);
    fclose(f);
    struct ll_suppress s;
    ll_suppress_init(&s);
    assert_int_equal(ll_suppress_scan_file(&s, "src/x.c", path), 0);
    assert_int_equal(ll_suppress_scan_file(&s, "gone.c", "/nonexistent/gone.c"), 1);
    assert_false(ll_suppress_scanned(&s, "gone.c"));
    struct ll_report r;
    ll_report_init(&r);
    add(&r, "lock-leak", "src/x.c", 2);
    add(&r, "double-lock", "src/x.c", 2);
    add(&r, "double-lock", "src/x.c", 3); /* code before the comment: not the next line */
    ll_report_finish(&r);
    assert_int_equal(ll_suppress_apply(&s, &r), 2);
    assert_true(has(&r, "double-lock", 3));
    ll_report_release(&r);
    ll_suppress_release(&s);
    remove(path);
}

static void test_pseudo_rules(void **state)
{
    (void)state;
    assert_int_equal(ll_suppress_nrules, 2);
    assert_non_null(ll_suppress_rule_find("unused-suppression"));
    assert_non_null(ll_suppress_rule_find("bad-suppression"));
    assert_null(ll_suppress_rule_find("double-lock"));
    for (size_t i = 0; i < ll_suppress_nrules; i++) {
        assert_int_equal(ll_suppress_rules[i].severity, LL_SEV_NOTE);
        assert_non_null(ll_suppress_rules[i].summary);
        assert_non_null(ll_suppress_rules[i].doc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_comments),
        cmocka_unit_test(test_regions),
        cmocka_unit_test(test_prose_is_not_a_directive),
        cmocka_unit_test(test_problems_are_notes),
        cmocka_unit_test(test_notes_are_never_suppressed),
        cmocka_unit_test(test_scan_file),
        cmocka_unit_test(test_pseudo_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
