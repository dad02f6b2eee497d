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
#include <string.h>

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

/* A call named "unlock_wrapper" only releases a lock. */
static bool is_unlock_call(void *ctx, uint32_t x)
{
    const struct ll_function *fn = ctx;
    return fn->events[x].api && strcmp(fn->events[x].api, "unlock_wrapper") == 0;
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
    struct ll_wait_oracle o = {is_cond_wait, NULL, &c.fn};
    assert_true(ll_wait_rechecked(&c.fn, w, false, &o));
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
    struct ll_wait_oracle o = {is_cond_wait, NULL, &c.fn};
    assert_false(ll_wait_rechecked(&c.fn, w, false, &o));
    ll_arena_release(&a);
}

/* for (;;) { if (c) { until(cv, t); unlock_wrapper(m); continue; } work(); }
 * with until() a wrapper that may not wait: what runs after it before the
 * loop's test is a release through a wrapper, which relies on nothing. */
static void test_release_wrapper_after_skippable_wait(void **state)
{
    (void)state;
    struct ll_arena a;
    ll_arena_init(&a);
    struct cfg c;
    cfg_init(&c, &a, 5, 4);
    cfg_edge(&c, 0, 1);
    cfg_edge(&c, 1, 2);
    cfg_edge(&c, 1, 3);
    cfg_edge(&c, 1, 4);
    cfg_edge(&c, 2, 1);
    cfg_edge(&c, 3, 1);
    c.fn.exit = 4;
    uint32_t w = cfg_event(&c, 2, LL_EV_CALL);
    uint32_t u = cfg_event(&c, 2, LL_EV_CALL);
    c.fn.events[u].api = "unlock_wrapper";
    cfg_event(&c, 3, LL_EV_CALL); /* work() */
    struct ll_wait_oracle o = {is_cond_wait, NULL, &c.fn};
    assert_false(ll_wait_rechecked(&c.fn, w, true, &o));
    o.is_quiet = is_unlock_call;
    assert_true(ll_wait_rechecked(&c.fn, w, true, &o));
    ll_arena_release(&a);
}

/* if (c->busy) wait; if (!c->busy) take(); : 0 guards the wait in 1, 2
 * tests the same shared condition again (loading c->busy first) and
 * branches to the take in 3 or to the exit 4.  With `dirty`, block 2
 * first writes c->n: the state is used before the test. */
static void retest_cfg(struct cfg *c, struct ll_arena *a, bool dirty, uint32_t *w)
{
    static const char text[] = "c->busy";
    static const char *const vars[] = {"c->busy", "c"};
    cfg_init(c, a, 5, 8);
    struct ll_cond *g = cfg_branch(c, 0, text, 1, 2);
    g->vars = (const char **)vars;
    g->nvars = 2;
    cfg_edge(c, 1, 2);
    *w = cfg_event(c, 1, LL_EV_COND_WAIT);
    if (dirty) {
        uint32_t x = cfg_event(c, 2, LL_EV_ACCESS);
        c->fn.events[x].obj = cfg_path(LL_ROOT_PARAM, "c->n");
        c->fn.events[x].obj.flags = LL_PATH_DEREF;
        c->fn.events[x].flags = LL_EVF_WRITE;
    }
    uint32_t r = cfg_event(c, 2, LL_EV_ACCESS);
    c->fn.events[r].obj = cfg_path(LL_ROOT_PARAM, "c->busy");
    c->fn.events[r].obj.flags = LL_PATH_DEREF;
    struct ll_cond *t = cfg_branch(c, 2, text, 4, 3);
    t->vars = (const char **)vars;
    t->nvars = 2;
    cfg_event(c, 3, LL_EV_CALL); /* take() */
    cfg_edge(c, 3, 4);
    c->fn.exit = 4;
}

static void test_wait_retested_by_if(void **state)
{
    (void)state;
    struct ll_arena a;
    ll_arena_init(&a);
    struct cfg c;
    uint32_t w;
    retest_cfg(&c, &a, false, &w);
    struct ll_wait_oracle o = {is_cond_wait, NULL, &c.fn};
    assert_true(ll_wait_rechecked(&c.fn, w, false, &o));
    ll_arena_release(&a);
    ll_arena_init(&a);
    retest_cfg(&c, &a, true, &w);
    o.ctx = &c.fn;
    assert_false(ll_wait_rechecked(&c.fn, w, false, &o));
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
        cmocka_unit_test(test_release_wrapper_after_skippable_wait),
        cmocka_unit_test(test_wait_retested_by_if),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
