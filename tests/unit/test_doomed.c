/*
 * Unit tests for analyzer/doomed: blocks from which every path ends the
 * process.  Functions are built by hand as blocks and edges; the frontend
 * is not involved.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "block_cfg.h"

#include "doomed.h"

#include <stdbool.h>
#include <string.h>

#define MAXB BLOCK_CFG_MAX

static uint32_t dying_event = UINT32_MAX;

static bool event_dies(void *ctx, uint32_t e)
{
    (void)ctx;
    return e == dying_event;
}

static void test_straight_line_lives(void **state)
{
    (void)state;
    struct block_cfg c;
    block_cfg_init(&c, 3);
    block_cfg_edge(&c, 0, 1);
    block_cfg_edge(&c, 1, 2);
    uint8_t d[MAXB];
    ll_doomed_blocks(&c.fn, NULL, NULL, d);
    assert_int_equal(d[0] + d[1] + d[2], 0);
}

/* if (bad) { report(); abort(); } go_on(); */
static void test_noreturn_branch_is_doomed(void **state)
{
    (void)state;
    struct block_cfg c;
    block_cfg_init(&c, 4);
    block_cfg_edge(&c, 0, 1); /* 1 ends in abort(): no successors */
    block_cfg_edge(&c, 0, 2);
    block_cfg_edge(&c, 2, 3);
    uint8_t d[MAXB];
    ll_doomed_blocks(&c.fn, NULL, NULL, d);
    assert_int_equal(d[0], 0);
    assert_int_equal(d[1], 1);
    assert_int_equal(d[2], 0);
    assert_int_equal(d[3], 0);
}

/* every path dies: so does the entry, and the exit never counts */
static void test_all_paths_die(void **state)
{
    (void)state;
    struct block_cfg c;
    block_cfg_init(&c, 5);
    block_cfg_edge(&c, 0, 1);
    block_cfg_edge(&c, 0, 2);
    block_cfg_edge(&c, 2, 3); /* 1 and 3 end in exit() */
    uint8_t d[MAXB];
    ll_doomed_blocks(&c.fn, NULL, NULL, d);
    assert_int_equal(d[0], 1);
    assert_int_equal(d[1], 1);
    assert_int_equal(d[2], 1);
    assert_int_equal(d[3], 1);
    assert_int_equal(d[4], 0);
}

/* for (;;) { work(); }: never reaches the exit, never dies either */
static void test_endless_loop_lives(void **state)
{
    (void)state;
    struct block_cfg c;
    block_cfg_init(&c, 4);
    block_cfg_edge(&c, 0, 1);
    block_cfg_edge(&c, 1, 2);
    block_cfg_edge(&c, 2, 1);
    uint8_t d[MAXB];
    ll_doomed_blocks(&c.fn, NULL, NULL, d);
    assert_int_equal(d[0] + d[1] + d[2] + d[3], 0);
}

/* a loop whose only way out dies: the loop is doomed with it */
static void test_loop_leaving_to_death(void **state)
{
    (void)state;
    struct block_cfg c;
    block_cfg_init(&c, 5);
    block_cfg_edge(&c, 0, 1);
    block_cfg_edge(&c, 1, 2);
    block_cfg_edge(&c, 2, 1);
    block_cfg_edge(&c, 2, 3); /* 3: abort() */
    uint8_t d[MAXB];
    ll_doomed_blocks(&c.fn, NULL, NULL, d);
    /* the cycle 1 <-> 2 has a successor that lives (itself) until the
     * fixpoint proves otherwise: it stays alive, like an endless loop */
    assert_int_equal(d[3], 1);
    assert_int_equal(d[1], 0);
    assert_int_equal(d[2], 0);
}

/* a call to a function that always dies ends its block like abort() */
static void test_call_to_dying_function(void **state)
{
    (void)state;
    struct block_cfg c;
    block_cfg_init(&c, 4);
    block_cfg_edge(&c, 0, 1);
    block_cfg_edge(&c, 0, 2);
    block_cfg_edge(&c, 1, 3);
    block_cfg_edge(&c, 2, 3);
    dying_event = 1;
    uint8_t d[MAXB];
    ll_doomed_blocks(&c.fn, event_dies, NULL, d);
    assert_int_equal(d[1], 1);
    assert_int_equal(d[0], 0);
    assert_int_equal(d[2], 0);
    dying_event = 3; /* the exit block itself is never doomed */
    ll_doomed_blocks(&c.fn, event_dies, NULL, d);
    assert_int_equal(d[0] + d[1] + d[2] + d[3], 0);
    dying_event = UINT32_MAX;
}

/* a body cut short proves nothing by its missing edges */
static void test_truncated_function(void **state)
{
    (void)state;
    struct block_cfg c;
    block_cfg_init(&c, 3);
    block_cfg_edge(&c, 0, 2); /* block 1 has no successors */
    c.fn.flags |= LL_FN_TRUNCATED;
    uint8_t d[MAXB];
    memset(d, 7, sizeof(d));
    ll_doomed_blocks(&c.fn, NULL, NULL, d);
    assert_int_equal(d[0] + d[1] + d[2], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_straight_line_lives),
        cmocka_unit_test(test_noreturn_branch_is_doomed),
        cmocka_unit_test(test_all_paths_die),
        cmocka_unit_test(test_endless_loop_lives),
        cmocka_unit_test(test_loop_leaving_to_death),
        cmocka_unit_test(test_call_to_dying_function),
        cmocka_unit_test(test_truncated_function),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
