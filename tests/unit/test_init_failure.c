/*
 * Unit tests for analyzer/init_failure: blocks that run only after the
 * initialisation of a lock or condition failed.  Functions are built by
 * hand as blocks and edges; the frontend is not involved.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "init_failure.h"

#include <stdbool.h>
#include <string.h>

#define MAXB 8

struct cfg {
    struct ll_function fn;
    struct ll_block blocks[MAXB];
    uint32_t succ[MAXB][2];
    struct ll_event events[MAXB];
};

/* n blocks, the last the exit; block b holds event b, a plain call. */
static void cfg_init(struct cfg *c, uint32_t n)
{
    memset(c, 0, sizeof(*c));
    c->fn.name = "fn";
    c->fn.nblocks = n;
    c->fn.exit = n - 1;
    c->fn.blocks = c->blocks;
    c->fn.nevents = n;
    c->fn.events = c->events;
    for (uint32_t b = 0; b < n; b++) {
        c->blocks[b].succ = c->succ[b];
        c->blocks[b].first_event = b;
        c->blocks[b].nevents = 1;
        c->events[b].kind = LL_EV_CALL;
        c->events[b].api = "work";
    }
}

static void edge(struct cfg *c, uint32_t from, uint32_t to)
{
    struct ll_block *b = &c->blocks[from];
    b->succ[b->nsucc++] = to;
}

/* Block b ends in `if (<event b's result> CMP k)`: true to t, else f. */
static void branch_on_event(struct cfg *c, uint32_t b, uint8_t cmp, int64_t k, uint32_t t,
                            uint32_t f)
{
    edge(c, b, t);
    edge(c, b, f);
    c->blocks[b].cond.kind = LL_COND_EVENT;
    c->blocks[b].cond.event = b;
    c->blocks[b].cond.cmp = cmp;
    c->blocks[b].cond.cmp_k = k;
}

/* 0: while (pthread_cond_init(...) != 0) 1: nap(); 2: go on; 3: exit */
static void retry_loop(struct cfg *c, const char *api, enum ll_event_kind kind)
{
    cfg_init(c, 4);
    c->events[0].kind = (uint8_t)kind;
    c->events[0].api = api;
    branch_on_event(c, 0, LL_CMP_NE, 0, 1, 2);
    edge(c, 1, 0);
    edge(c, 2, 3);
}

static void test_retry_after_cond_init(void **state)
{
    (void)state;
    struct cfg c;
    retry_loop(&c, "pthread_cond_init", LL_EV_CALL);
    uint8_t only[MAXB];
    assert_true(ll_init_failure_blocks(&c.fn, only));
    assert_int_equal(only[0], 0);
    assert_int_equal(only[1], 1);
    assert_int_equal(only[2], 0);
    assert_int_equal(only[3], 0);
}

static void test_retry_after_lock_init_event(void **state)
{
    (void)state;
    struct cfg c;
    retry_loop(&c, "pthread_mutex_init", LL_EV_LOCK_INIT);
    uint8_t only[MAXB];
    assert_true(ll_init_failure_blocks(&c.fn, only));
    assert_int_equal(only[1], 1);
    assert_int_equal(only[2], 0);
}

/* a branch on any other call's result is no failure of an initialisation */
static void test_other_call_is_ordinary(void **state)
{
    (void)state;
    struct cfg c;
    retry_loop(&c, "read_config", LL_EV_CALL);
    uint8_t only[MAXB];
    assert_false(ll_init_failure_blocks(&c.fn, only));
}

/* if (pthread_mutex_init(...) == 0) 1: use; else 2: report; both to 3;
 * and the report block is also reached from elsewhere (0 -> 4 -> 2):
 * then it is an ordinary path too. */
static void test_block_reached_otherwise_is_ordinary(void **state)
{
    (void)state;
    struct cfg c;
    cfg_init(&c, 5);
    c.fn.exit = 3;
    c.events[0].kind = LL_EV_LOCK_INIT;
    c.events[0].api = "pthread_mutex_init";
    branch_on_event(&c, 0, LL_CMP_EQ, 0, 1, 2);
    edge(&c, 1, 3);
    edge(&c, 2, 3);
    uint8_t only[MAXB];
    assert_true(ll_init_failure_blocks(&c.fn, only));
    assert_int_equal(only[1], 0);
    assert_int_equal(only[2], 1);
    /* now block 1 also goes to 2 */
    c.blocks[1].nsucc = 0;
    edge(&c, 1, 2);
    assert_true(ll_init_failure_blocks(&c.fn, only));
    assert_int_equal(only[2], 0);
}

/* rv = pthread_cond_init(...); if (rv) nap(): through the local */
static void test_result_through_local(void **state)
{
    (void)state;
    struct cfg c;
    cfg_init(&c, 4);
    c.events[0].api = "pthread_cond_init";
    c.events[0].result_var = "rv";
    edge(&c, 0, 1);
    edge(&c, 0, 2);
    c.blocks[0].cond.kind = LL_COND_VAR;
    c.blocks[0].cond.var = "rv";
    c.blocks[0].cond.cmp = LL_CMP_TRUTH;
    edge(&c, 1, 2);
    edge(&c, 2, 3);
    uint8_t only[MAXB];
    assert_true(ll_init_failure_blocks(&c.fn, only));
    assert_int_equal(only[1], 1);
    assert_int_equal(only[2], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retry_after_cond_init),
        cmocka_unit_test(test_retry_after_lock_init_event),
        cmocka_unit_test(test_other_call_is_ordinary),
        cmocka_unit_test(test_block_reached_otherwise_is_ordinary),
        cmocka_unit_test(test_result_through_local),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
