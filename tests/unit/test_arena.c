/*
 * Unit tests for arena.c: zeroed allocations read zero whether their chunk
 * is fresh from the pool (not cleared again) or reused, in normal chunks,
 * oversized ones of every size class and one mapped alone; allocations are
 * aligned and do not overlap, strings work, a reset arena serves what follows from the chunks it
 * kept, and a child arena takes its memory from its parent and frees
 * nothing itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arena.h"

#include <stdbool.h>
#include <string.h>

static bool all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* 40 MB in pieces of many sizes: every zeroed piece reads zero before it
 * is written, every piece is aligned, and what was written stays. */
static void test_grows_zeroed_and_aligned(void **state)
{
    (void)state;
    struct ll_arena a;
    ll_arena_init(&a);
    unsigned char *prev = NULL;
    size_t prev_len = 0, total = 0;
    for (size_t i = 0; total < 40u << 20; i++) {
        size_t len = 1 + (i * 7919) % 3000;
        if (i % 97 == 0) /* large: a new chunk, or a chunk of its own past one chunk */
            len = 20000 + (i * 104729) % (i % 2 ? 44000u : 3u << 20);
        bool zero = i % 3 != 0;
        unsigned char *p = zero ? ll_arena_alloc(&a, len) : ll_arena_alloc_raw(&a, len);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        if (zero)
            assert_true(all_zero(p, len));
        memset(p, 0xa5, len);
        if (prev) /* the previous piece was not overwritten by this one */
            for (size_t k = 0; k < prev_len; k++)
                assert_int_equal(prev[k], 0xa5);
        prev = p;
        prev_len = len;
        total += len;
    }
    assert_true(a.total >= total);
    /* larger than the largest size class: mapped alone */
    unsigned char *huge = ll_arena_alloc(&a, 9u << 20);
    assert_non_null(huge);
    assert_true(all_zero(huge, 9u << 20));
    memset(huge, 1, 9u << 20);
    ll_arena_release(&a);
    assert_null(a.head);
    assert_int_equal(a.total, 0);
    /* reusable after release */
    char *s = ll_arena_strdup(&a, "again");
    assert_string_equal(s, "again");
    ll_arena_release(&a);
}

static void test_strings(void **state)
{
    (void)state;
    struct ll_arena a;
    ll_arena_init(&a);
    assert_null(ll_arena_strdup(&a, NULL));
    assert_string_equal(ll_arena_strndup(&a, "abcdef", 3), "abc");
    assert_string_equal(ll_arena_printf(&a, "%s-%d", "x", 42), "x-42");
    char big[70000];
    memset(big, 'q', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    char *c = ll_arena_strdup(&a, big);
    assert_non_null(c);
    assert_string_equal(c, big);
    ll_arena_release(&a);
}

static void test_child_uses_parent(void **state)
{
    (void)state;
    struct ll_arena parent, kids[3];
    ll_arena_init(&parent);
    for (int k = 0; k < 3; k++) {
        ll_arena_init_child(&kids[k], &parent);
        for (int i = 0; i < 1000; i++) {
            int *p = ll_arena_alloc(&kids[k], 100 * sizeof(int));
            assert_non_null(p);
            assert_true(all_zero((const unsigned char *)p, 100 * sizeof(int)));
            p[99] = k;
        }
        assert_null(kids[k].head); /* no chunk of its own */
        assert_int_equal(kids[k].total, 1000 * 100 * sizeof(int));
    }
    assert_true(parent.total >= 3 * 1000 * 100 * sizeof(int));
    char *s = ll_arena_strdup(&kids[1], "kept");
    /* releasing a child frees nothing: its memory is still readable */
    ll_arena_release(&kids[1]);
    assert_int_equal(kids[1].total, 0);
    assert_ptr_equal(kids[1].parent, &parent);
    assert_string_equal(s, "kept");
    assert_non_null(ll_arena_alloc(&kids[1], 8)); /* still a child */
    assert_null(kids[1].head);
    ll_arena_release(&kids[0]);
    ll_arena_release(&kids[2]);
    ll_arena_release(&parent);
}

/* A reset arena serves the next run from the chunks it kept, zeroed
 * allocations still read zero, and oversized pieces are not kept. */
static void test_reset_reuses(void **state)
{
    (void)state;
    struct ll_arena a;
    ll_arena_init(&a);
    for (int run = 0; run < 5; run++) {
        size_t len = run % 2 ? 3000 : 100;
        for (int i = 0; i < 2000; i++) {
            unsigned char *p = ll_arena_alloc(&a, len);
            assert_non_null(p);
            assert_true(all_zero(p, len));
            memset(p, 0xff, len);
        }
        unsigned char *big = ll_arena_alloc(&a, 100000);
        assert_non_null(big);
        assert_true(all_zero(big, 100000));
        memset(big, 0xff, 100000);
        assert_true(a.total >= 2000 * len + 100000);
        ll_arena_reset(&a);
        assert_null(a.head);
        assert_non_null(a.spare);
        assert_int_equal(a.total, 0);
    }
    ll_arena_release(&a);
    assert_null(a.spare);

    /* a child's reset frees nothing */
    struct ll_arena parent, kid;
    ll_arena_init(&parent);
    ll_arena_init_child(&kid, &parent);
    char *s = ll_arena_strdup(&kid, "stays");
    ll_arena_reset(&kid);
    assert_string_equal(s, "stays");
    assert_null(kid.spare);
    ll_arena_release(&parent);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grows_zeroed_and_aligned),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_child_uses_parent),
        cmocka_unit_test(test_reset_reuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
