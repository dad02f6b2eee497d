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

#include "block_cfg.h"

#include "init_failure.h"

#include <stdbool.h>
#include <string.h>

#define MAXB BLOCK_CFG_MAX

/* Block b ends in `if (<event b's result> CMP k)`: true to t, else f. */
static void branch_on_event(struct block_cfg *c, uint32_t b, uint8_t cmp, int64_t k, uint32_t t,
                            uint32_t f)
{
    block_cfg_edge(c, b, t);
    block_cfg_edge(c, b, f);
    c->blocks[b].cond.kind = LL_COND_EVENT;
    c->blocks[b].cond.event = b;
    c->blocks[b].cond.cmp = cmp;
    c->blocks[b].cond.cmp_k = k;
}

/* 0: while (pthread_cond_init(...) != 0) 1: nap(); 2: go on; 3: exit */
static void retry_loop(struct block_cfg *c, const char *api, enum ll_event_kind kind)
{
    block_cfg_init(c, 4);
    c->events[0].kind = (uint8_t)kind;
    c->events[0].api = api;
    branch_on_event(c, 0, LL_CMP_NE, 0, 1, 2);
    block_cfg_edge(c, 1, 0);
    block_cfg_edge(c, 2, 3);
}

static void test_retry_after_cond_init(void **state)
{
    (void)state;
    struct block_cfg c;
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
    struct block_cfg c;
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
    struct block_cfg c;
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
    struct block_cfg c;
    block_cfg_init(&c, 5);
    c.fn.exit = 3;
    c.events[0].kind = LL_EV_LOCK_INIT;
    c.events[0].api = "pthread_mutex_init";
    branch_on_event(&c, 0, LL_CMP_EQ, 0, 1, 2);
    block_cfg_edge(&c, 1, 3);
    block_cfg_edge(&c, 2, 3);
    uint8_t only[MAXB];
    assert_true(ll_init_failure_blocks(&c.fn, only));
    assert_int_equal(only[1], 0);
    assert_int_equal(only[2], 1);
    /* now block 1 also goes to 2 */
    c.blocks[1].nsucc = 0;
    block_cfg_edge(&c, 1, 2);
    assert_true(ll_init_failure_blocks(&c.fn, only));
    assert_int_equal(only[2], 0);
}

/* rv = pthread_cond_init(...); if (rv) nap(): through the local */
static void test_result_through_local(void **state)
{
    (void)state;
    struct block_cfg c;
    block_cfg_init(&c, 4);
    c.events[0].api = "pthread_cond_init";
    c.events[0].result_var = "rv";
    block_cfg_edge(&c, 0, 1);
    block_cfg_edge(&c, 0, 2);
    c.blocks[0].cond.kind = LL_COND_VAR;
    c.blocks[0].cond.var = "rv";
    c.blocks[0].cond.cmp = LL_CMP_TRUTH;
    block_cfg_edge(&c, 1, 2);
    block_cfg_edge(&c, 2, 3);
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
