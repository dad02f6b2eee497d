/*
 * Unit tests for analyzer/loops and analyzer/waitloop: natural loops of
 * hand-built CFGs (a loop statement's shape, a `goto` back to a label, a
 * forward jump that is no loop, nested loops innermost first), and the
 * wait check over a `goto` loop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cfg_build.h"
#include "loops.h"
#include "waitloop.h"

/* entry 0 -> 1 (label) -> 2 (wait) -> 1 (goto back); 1 -> 3 -> exit 4 */
static void goto_loop(struct cfg *c, struct ll_arena *a)
{
    cfg_init(c, a, 5, 8);
    cfg_edge(c, 0, 1);
    cfg_edge(c, 1, 2);
    cfg_edge(c, 2, 1);
    cfg_edge(c, 1, 3);
    cfg_edge(c, 3, 4);
}

static void test_goto_back_is_a_loop(void **state)
{
    (void)state;
    struct ll_arena a, tmp;
    ll_arena_init(&a);
    ll_arena_init(&tmp);
    struct cfg c;
    goto_loop(&c, &a);
    struct ll_loop *loops;
    uint32_t n;
    assert_int_equal(ll_find_loops(&c.fn, &a, &tmp, &loops, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(loops[0].head, 1);
    assert_int_equal(loops[0].size, 2);
    assert_true(loops[0].body[2]);
    assert_false(loops[0].body[3]);
    ll_arena_release(&tmp);
    ll_arena_release(&a);
}

static void test_forward_jump_is_no_loop(void **state)
{
    (void)state;
    struct ll_arena a, tmp;
    ll_arena_init(&a);
    ll_arena_init(&tmp);
    struct cfg c;
    cfg_init(&c, &a, 4, 4);
    cfg_edge(&c, 0, 1);
    cfg_edge(&c, 0, 2); /* goto take */
    cfg_edge(&c, 1, 2);
    cfg_edge(&c, 2, 3);
    struct ll_loop *loops;
    uint32_t n;
    assert_int_equal(ll_find_loops(&c.fn, &a, &tmp, &loops, &n), 0);
    assert_int_equal(n, 0);
    ll_arena_release(&tmp);
    ll_arena_release(&a);
}

static void test_nested_innermost_first(void **state)
{
    (void)state;
    struct ll_arena a, tmp;
    ll_arena_init(&a);
    ll_arena_init(&tmp);
    struct cfg c;
    /* 0 -> 1 (outer head) -> 2 (inner head) -> 3 -> 2; 2 -> 4 -> 1; 1 -> 5 */
    cfg_init(&c, &a, 6, 4);
    cfg_edge(&c, 0, 1);
    cfg_edge(&c, 1, 2);
    cfg_edge(&c, 2, 3);
    cfg_edge(&c, 3, 2);
    cfg_edge(&c, 2, 4);
    cfg_edge(&c, 4, 1);
    cfg_edge(&c, 1, 5);
    struct ll_loop *loops;
    uint32_t n;
    assert_int_equal(ll_find_loops(&c.fn, &a, &tmp, &loops, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(loops[0].head, 2);
    assert_int_equal(loops[0].size, 2);
    assert_int_equal(loops[1].head, 1);
    assert_int_equal(loops[1].size, 4);
    ll_arena_release(&tmp);
    ll_arena_release(&a);
}

static bool is_cond_wait(void *ctx, uint32_t x)
{
    const struct ll_function *fn = ctx;
    return fn->events[x].kind == LL_EV_COND_WAIT;
}

static void test_wait_in_goto_loop_is_rechecked(void **state)
{
    (void)state;
    struct ll_arena a;
    ll_arena_init(&a);
    struct cfg c;
    goto_loop(&c, &a);
    uint32_t w = cfg_event(&c, 2, LL_EV_COND_WAIT);
    cfg_event(&c, 3, LL_EV_CALL); /* the work after the loop */
    assert_true(ll_wait_rechecked(&c.fn, w, false, is_cond_wait, &c.fn));
    ll_arena_release(&a);
}

static void test_wait_before_forward_target_is_not(void **state)
{
    (void)state;
    struct ll_arena a;
    ll_arena_init(&a);
    struct cfg c;
    cfg_init(&c, &a, 4, 4);
    cfg_edge(&c, 0, 1);
    cfg_edge(&c, 0, 2);
    cfg_edge(&c, 1, 2);
    cfg_edge(&c, 2, 3);
    uint32_t w = cfg_event(&c, 1, LL_EV_COND_WAIT);
    cfg_event(&c, 2, LL_EV_CALL);
    assert_false(ll_wait_rechecked(&c.fn, w, false, is_cond_wait, &c.fn));
    ll_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_goto_back_is_a_loop),
        cmocka_unit_test(test_forward_jump_is_no_loop),
        cmocka_unit_test(test_nested_innermost_first),
        cmocka_unit_test(test_wait_in_goto_loop_is_rechecked),
        cmocka_unit_test(test_wait_before_forward_target_is_not),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
