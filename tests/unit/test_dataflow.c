/*
 * Unit tests for analyzer/dataflow: functions are built by hand as blocks,
 * events and branch conditions in an arena, and the lock state before
 * chosen events is checked -- straight lines, the entry state of roots,
 * joins, branches correlated by their condition text and forgotten when a
 * variable they read is written, trylocks and checked locks tested through
 * the event or through the variable holding the result, loops, shared
 * mode, unreachable and infeasible code, more paths than the analysis
 * keeps apart, and a large generated graph.
 *
 * Points are observed through "probe" events: reads of a global that is
 * no lock, whose recorded state is the state at that point.  The frontend
 * is not involved.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cfg_build.h"
#include "dataflow.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building functions ------------------------------------------------ */

static uint32_t lock_ev(struct cfg *c, uint32_t blk, enum ll_event_kind kind, const char *lock)
{
    uint32_t e = cfg_event(c, blk, kind);
    c->fn.events[e].obj = cfg_path(LL_ROOT_GLOBAL, lock);
    c->fn.events[e].lock_kind = LL_LK_MUTEX;
    c->fn.events[e].mode = LL_MODE_EXCL;
    c->fn.events[e].api = kind == LL_EV_RELEASE ? "pthread_mutex_unlock" : "pthread_mutex_lock";
    return e;
}

static uint32_t acquire(struct cfg *c, uint32_t blk, const char *lock)
{
    return lock_ev(c, blk, LL_EV_ACQUIRE, lock);
}

static uint32_t release(struct cfg *c, uint32_t blk, const char *lock)
{
    return lock_ev(c, blk, LL_EV_RELEASE, lock);
}

static uint32_t trylock(struct cfg *c, uint32_t blk, const char *lock, const char *result_var)
{
    uint32_t e = lock_ev(c, blk, LL_EV_TRYACQUIRE, lock);
    c->fn.events[e].result_var = result_var;
    return e;
}

/* A read of a shared global that is no lock: a point to observe. */
static uint32_t probe(struct cfg *c, uint32_t blk)
{
    uint32_t e = cfg_event(c, blk, LL_EV_ACCESS);
    c->fn.events[e].obj = cfg_path(LL_ROOT_GLOBAL, "probe");
    return e;
}

/* A write of the local `var` (as the frontend records `var = ...`). */
static uint32_t write_local(struct cfg *c, uint32_t blk, const char *var)
{
    uint32_t e = cfg_event(c, blk, LL_EV_ACCESS);
    struct ll_path p = {.root = LL_ROOT_LOCAL, .param = -1};
    p.text = p.key = var;
    p.cls = "fn:var";
    c->fn.events[e].obj = p;
    c->fn.events[e].flags = LL_EVF_WRITE;
    return e;
}

/* An explicit return at the end of `blk`, which then goes to the exit. */
static void ret(struct cfg *c, uint32_t blk)
{
    cfg_event(c, blk, LL_EV_RETURN);
    cfg_edge(c, blk, c->fn.exit);
}

/* ---- running ------------------------------------------------------------ */

struct df {
    struct ll_arena arena; /* function and result */
    struct cfg cfg;
    struct ll_df_result r;
};

static int setup(void **state)
{
    struct df *d = calloc(1, sizeof(*d));
    if (!d)
        return -1;
    ll_arena_init(&d->arena);
    *state = d;
    return 0;
}

static int teardown(void **state)
{
    struct df *d = *state;
    ll_arena_release(&d->arena);
    free(d);
    return 0;
}

static void run(struct df *d, bool entry_free)
{
    struct ll_df_env env = {.entry_free = entry_free, .call_may_lock = NULL, .ctx = NULL};
    cfg_intern(&d->cfg);
    assert_int_equal(ll_dataflow_run(&d->cfg.fn, &env, &d->arena, &d->r), 0);
    assert_int_equal(d->r.nevents, d->cfg.fn.nevents);
}

static uint32_t lock_index(const struct df *d, const char *key)
{
    int i = ll_df_lock_index(&d->r, key);
    if (i < 0)
        fail_msg("no lock '%s'", key);
    return (uint32_t)i;
}

/* The state of `lock` before event e, which must be reached. */
static uint8_t st(const struct df *d, uint32_t e, const char *lock)
{
    assert_true(e < d->r.nevents);
    if (!d->r.reached[e])
        fail_msg("event %u is not reached", e);
    return ll_df_state(&d->r, e, lock_index(d, lock));
}

/* What `entry_free` starts with: not "as the caller left it", not held. */
static bool starts_not_held(uint8_t s)
{
    return s == LL_LS_NEVER;
}

/* ---- tests --------------------------------------------------------------- */

/* B0 -> B1 [probe, lock L, probe, unlock L, probe, return] -> exit */
static void straight_line(struct df *d, uint32_t pr[3], uint32_t *lk, uint32_t *ul)
{
    struct cfg *c = &d->cfg;
    cfg_init(c, &d->arena, 3, 8);
    cfg_edge(c, 0, 1);
    pr[0] = probe(c, 1);
    *lk = acquire(c, 1, "L");
    pr[1] = probe(c, 1);
    *ul = release(c, 1, "L");
    pr[2] = probe(c, 1);
    ret(c, 1);
}

static void test_straight_line(void **state)
{
    struct df *d = *state;
    uint32_t pr[3], lk, ul;
    straight_line(d, pr, &lk, &ul);
    run(d, false);
    assert_int_equal(d->r.nlocks, 1);
    const struct ll_df_lock *l = &d->r.locks[lock_index(d, "L")];
    assert_string_equal(l->key, "L");
    assert_string_equal(l->text, "L");
    assert_string_equal(l->cls, "L");
    assert_int_equal(l->kind, LL_LK_MUTEX);
    assert_false(l->recursive);
    assert_ptr_equal(l->path, &d->cfg.fn.events[lk].obj);
    assert_int_equal(ll_df_lock_index(&d->r, "probe"), -1); /* accesses name no lock */
    assert_int_equal(ll_df_lock_index(&d->r, "nope"), -1);

    assert_int_equal(st(d, pr[0], "L"), LL_LS_ENTRY);
    assert_int_equal(st(d, lk, "L"), LL_LS_ENTRY); /* the state before the event */
    assert_int_equal(st(d, pr[1], "L"), LL_LS_HELD);
    assert_int_equal(st(d, ul, "L"), LL_LS_HELD);
    assert_int_equal(st(d, pr[2], "L"), LL_LS_FREE);
    for (uint32_t e = 0; e < d->r.nevents; e++)
        assert_int_equal(d->r.reached[e], 1);
}

static void test_entry_free(void **state)
{
    struct df *d = *state;
    uint32_t pr[3], lk, ul;
    straight_line(d, pr, &lk, &ul);
    run(d, true);
    uint8_t s0 = st(d, pr[0], "L");
    assert_true(starts_not_held(s0));
    assert_int_equal(st(d, lk, "L"), s0);
    assert_int_equal(st(d, pr[1], "L"), LL_LS_HELD);
    assert_int_equal(st(d, pr[2], "L"), LL_LS_FREE);

    assert_int_equal(s0, LL_LS_NEVER);

    /* the same function as a callee starts from ENTRY */
    struct ll_df_result entry;
    struct ll_df_env env = {.entry_free = false, .call_may_lock = NULL, .ctx = NULL};
    assert_int_equal(ll_dataflow_run(&d->cfg.fn, &env, &d->arena, &entry), 0);
    assert_int_equal(ll_df_state(&entry, pr[0], 0), LL_LS_ENTRY);
    assert_int_not_equal(ll_df_state(&entry, pr[0], 0), s0);
}

/* B1 [lock L] ? B2 [unlock L] : B3 [probe] ; both -> B4 [probe] */
static void test_if_else_merge(void **state)
{
    struct df *d = *state;
    struct cfg *c = &d->cfg;
    cfg_init(c, &d->arena, 6, 16);
    cfg_edge(c, 0, 1);
    acquire(c, 1, "L");
    cfg_branch(c, 1, NULL, 2, 3);
    uint32_t ul = release(c, 2, "L");
    uint32_t p2 = probe(c, 2);
    cfg_edge(c, 2, 4);
    uint32_t p3 = probe(c, 3);
    cfg_edge(c, 3, 4);
    uint32_t pj = probe(c, 4);
    ret(c, 4);
    run(d, false);
    assert_int_equal(st(d, ul, "L"), LL_LS_HELD);
    assert_int_equal(st(d, p2, "L"), LL_LS_FREE);
    assert_int_equal(st(d, p3, "L"), LL_LS_HELD);
    assert_int_equal(st(d, pj, "L"), LL_LS_HELD | LL_LS_FREE);

    /* a diamond where one side locks: ENTRY or HELD at the join */
    cfg_init(c, &d->arena, 6, 16);
    cfg_edge(c, 0, 1);
    probe(c, 1);
    cfg_branch(c, 1, NULL, 2, 3);
    acquire(c, 2, "L");
    cfg_edge(c, 2, 4);
    probe(c, 3);
    cfg_edge(c, 3, 4);
    pj = probe(c, 4);
    ret(c, 4);
    run(d, false);
    assert_int_equal(st(d, pj, "L"), LL_LS_HELD | LL_LS_ENTRY);
}

/*
 * if (flag) lock(L);  [mid]  if (flag) unlock(L);  [end]
 *
 * B1 ?flag B2 [lock] : B3;  B2 -> B3;  B3 [mid] ?flag B4 [unlock] : B5;
 * B4 -> B5 [end]
 */
static void correlated(struct df *d, bool write_flag, uint32_t *ul, uint32_t *end)
{
    struct cfg *c = &d->cfg;
    cfg_init(c, &d->arena, 7, 16);
    cfg_edge(c, 0, 1);
    probe(c, 1);
    cfg_branch_var(c, 1, "flag", 2, 3);
    acquire(c, 2, "L");
    cfg_edge(c, 2, 3);
    probe(c, 3);
    if (write_flag)
        write_local(c, 3, "flag");
    cfg_branch_var(c, 3, "flag", 4, 5);
    *ul = release(c, 4, "L");
    cfg_edge(c, 4, 5);
    *end = probe(c, 5);
    ret(c, 5);
}

static void test_correlated_conditions(void **state)
{
    struct df *d = *state;
    uint32_t ul, end;
    correlated(d, false, &ul, &end);
    run(d, false);
    assert_int_equal(st(d, ul, "L"), LL_LS_HELD); /* only the path that locked */
    assert_int_equal(st(d, end, "L"), LL_LS_FREE | LL_LS_ENTRY);

    /* writing flag in between forgets what the first branch said */
    correlated(d, true, &ul, &end);
    run(d, false);
    assert_int_equal(st(d, ul, "L"), LL_LS_HELD | LL_LS_ENTRY);
    assert_int_equal(st(d, end, "L"), LL_LS_FREE | LL_LS_ENTRY | LL_LS_HELD);

    /* a write of another local forgets nothing */
    struct cfg *c = &d->cfg;
    cfg_init(c, &d->arena, 7, 16);
    cfg_edge(c, 0, 1);
    cfg_branch_var(c, 1, "flag", 2, 3);
    acquire(c, 2, "L");
    cfg_edge(c, 2, 3);
    write_local(c, 3, "other");
    cfg_branch_var(c, 3, "flag", 4, 5);
    ul = release(c, 4, "L");
    cfg_edge(c, 4, 5);
    probe(c, 5);
    ret(c, 5);
    run(d, false);
    assert_int_equal(st(d, ul, "L"), LL_LS_HELD);
}

/* Code only reachable along a path the conditions rule out is not reached. */
static void test_infeasible_and_unreachable(void **state)
{
    struct df *d = *state;
    struct cfg *c = &d->cfg;
    /* B1 ?flag B2 : B3;  B2 ?flag B4 : B5 [never];  B6 unreachable */
    cfg_init(c, &d->arena, 8, 16);
    cfg_edge(c, 0, 1);
    uint32_t p1 = probe(c, 1);
    cfg_branch_var(c, 1, "flag", 2, 3);
    acquire(c, 2, "L");
    cfg_branch_var(c, 2, "flag", 4, 5);
    uint32_t p3 = probe(c, 3);
    ret(c, 3);
    uint32_t p4 = probe(c, 4);
    ret(c, 4);
    uint32_t p5 = probe(c, 5);
    uint32_t r5 = release(c, 5, "L");
    ret(c, 5);
    uint32_t u6 = acquire(c, 6, "L");
    uint32_t p6 = probe(c, 6);
    ret(c, 6);
    run(d, false);
    assert_int_equal(d->r.reached[p1], 1);
    assert_int_equal(d->r.reached[p3], 1);
    assert_int_equal(d->r.reached[p4], 1);
    assert_int_equal(st(d, p4, "L"), LL_LS_HELD);
    assert_int_equal(d->r.reached[p5], 0);
    assert_int_equal(d->r.reached[r5], 0);
    assert_int_equal(d->r.reached[u6], 0);
    assert_int_equal(d->r.reached[p6], 0);
    assert_int_equal(ll_df_state(&d->r, p6, lock_index(d, "L")), 0);
    assert_int_equal(ll_df_state(&d->r, r5, lock_index(d, "L")), 0);
}

/* if (trylock(L) == 0) {probe} else {probe} */
static void test_trylock_event(void **state)
{
    struct df *d = *state;
    struct cfg *c = &d->cfg;
    for (int twz = 1; twz >= 0; twz--) {
        cfg_init(c, &d->arena, 6, 16);
        cfg_edge(c, 0, 1);
        uint32_t t = trylock(c, 1, "L", NULL);
        cfg_branch_event(c, 1, t, twz, 2, 3);
        uint32_t pt = probe(c, 2);
        cfg_edge(c, 2, 4);
        uint32_t pf = probe(c, 3);
        cfg_edge(c, 3, 4);
        uint32_t pj = probe(c, 4);
        ret(c, 4);
        run(d, false);
        assert_int_equal(st(d, t, "L"), LL_LS_ENTRY);
        /* with true_when_zero the true edge is success, else the false one */
        assert_int_equal(st(d, twz ? pt : pf, "L"), LL_LS_HELD);
        assert_int_equal(st(d, twz ? pf : pt, "L"), LL_LS_ENTRY);
        assert_int_equal(st(d, pj, "L"), LL_LS_HELD | LL_LS_ENTRY);

        /* in a thread root the failure edge keeps the lock not held */
        run(d, true);
        assert_int_equal(st(d, twz ? pt : pf, "L"), LL_LS_HELD);
        assert_true(starts_not_held(st(d, twz ? pf : pt, "L")));
    }
}

/*
 * if (lock(L) != 0) return;  -- a blocking lock call fails only on a
 * programming error, so no path goes on from its failure: a failure branch
 * that returns is not followed (nothing can be reported on it), one that
 * falls through rejoins with the lock taken.  A trylock keeps both
 * outcomes (test_cond_var_result).
 */
static void test_checked_acquire(void **state)
{
    struct df *d = *state;
    struct cfg *c = &d->cfg;
    cfg_init(c, &d->arena, 5, 16);
    cfg_edge(c, 0, 1);
    release(c, 1, "L");
    uint32_t a = acquire(c, 1, "L");
    cfg_branch_event(c, 1, a, false, 2, 3);
    uint32_t pfail = probe(c, 2);
    ret(c, 2);
    uint32_t pok = probe(c, 3);
    uint32_t ul = release(c, 3, "L");
    ret(c, 3);
    run(d, false);
    assert_int_equal(st(d, a, "L"), LL_LS_FREE);
    assert_false(d->r.reached[pfail]);
    assert_int_equal(st(d, pok, "L"), LL_LS_HELD);
    assert_int_equal(st(d, ul, "L"), LL_LS_HELD);

    /* if (lock(L) != 0) log(); [join]: the lock is taken after the join */
    cfg_init(c, &d->arena, 6, 16);
    cfg_edge(c, 0, 1);
    a = acquire(c, 1, "L");
    cfg_branch_event(c, 1, a, false, 2, 3);
    pfail = probe(c, 2);
    cfg_edge(c, 2, 3);
    uint32_t pj = probe(c, 3);
    ret(c, 3);
    run(d, true);
    assert_false(d->r.reached[pfail]);
    assert_int_equal(st(d, pj, "L"), LL_LS_HELD);

    /* unchecked, the same lock call holds on every path */
    cfg_init(c, &d->arena, 5, 16);
    cfg_edge(c, 0, 1);
    a = acquire(c, 1, "L");
    cfg_branch(c, 1, NULL, 2, 3);
    pfail = probe(c, 2);
    ret(c, 2);
    pok = probe(c, 3);
    ret(c, 3);
    run(d, false);
    assert_int_equal(st(d, pfail, "L"), LL_LS_HELD);
    assert_int_equal(st(d, pok, "L"), LL_LS_HELD);
}

/* rc = trylock(L); [probe]; if (rc) {failure} else {success} */
static void test_cond_var_result(void **state)
{
    struct df *d = *state;
    struct cfg *c = &d->cfg;
    for (int twz = 0; twz <= 1; twz++) {
        cfg_init(c, &d->arena, 6, 16);
        cfg_edge(c, 0, 1);
        trylock(c, 1, "L", "rc");
        cfg_edge(c, 1, 2);
        uint32_t mid = probe(c, 2);
        struct ll_cond *cond = cfg_branch_var(c, 2, "rc", 3, 4);
        cond->true_when_zero = (uint8_t)twz; /* if (rc) / if (rc == 0) */
        uint32_t pt = probe(c, 3);
        ret(c, 3);
        uint32_t pf = probe(c, 4);
        ret(c, 4);
        run(d, false);
        assert_int_equal(st(d, mid, "L"), LL_LS_ENTRY); /* not known yet */
        assert_int_equal(st(d, twz ? pt : pf, "L"), LL_LS_HELD);
        assert_int_equal(st(d, twz ? pf : pt, "L"), LL_LS_ENTRY);
    }

    /* a test of another variable does not decide the trylock */
    cfg_init(c, &d->arena, 6, 16);
    cfg_edge(c, 0, 1);
    trylock(c, 1, "L", "rc");
    cfg_edge(c, 1, 2);
    cfg_branch_var(c, 2, "other", 3, 4);
    uint32_t pt = probe(c, 3);
    ret(c, 3);
    uint32_t pf = probe(c, 4);
    ret(c, 4);
    run(d, false);
    assert_int_not_equal(st(d, pt, "L"), LL_LS_HELD);
    assert_int_not_equal(st(d, pf, "L"), LL_LS_HELD);
}

/*
 * while (c) { lock(L); [probe] unlock(L); }
 *
 * B1 [probe] ? B2 [lock, probe, unlock] -> B1 : B3 [probe]
 */
static void test_loop_converges(void **state)
{
    struct df *d = *state;
    struct cfg *c = &d->cfg;
    cfg_init(c, &d->arena, 5, 16);
    cfg_edge(c, 0, 1);
    uint32_t head = probe(c, 1);
    cfg_branch(c, 1, NULL, 2, 3);
    uint32_t lk = acquire(c, 2, "L");
    uint32_t in = probe(c, 2);
    release(c, 2, "L");
    cfg_edge(c, 2, 1);
    uint32_t after = probe(c, 3);
    ret(c, 3);
    c->fn.blocks[1].loop_depth = c->fn.blocks[2].loop_depth = 1;
    run(d, false);
    assert_int_equal(st(d, head, "L"), LL_LS_ENTRY | LL_LS_FREE);
    assert_int_equal(st(d, lk, "L"), LL_LS_ENTRY | LL_LS_FREE);
    assert_int_equal(st(d, in, "L"), LL_LS_HELD);
    assert_int_equal(st(d, after, "L"), LL_LS_ENTRY | LL_LS_FREE);

    /* a lock without unlock in the body is held at the head the second time */
    cfg_init(c, &d->arena, 5, 16);
    cfg_edge(c, 0, 1);
    head = probe(c, 1);
    cfg_branch(c, 1, NULL, 2, 3);
    lk = acquire(c, 2, "L");
    cfg_edge(c, 2, 1);
    after = probe(c, 3);
    ret(c, 3);
    run(d, false);
    assert_int_equal(st(d, head, "L"), LL_LS_ENTRY | LL_LS_HELD);
    assert_int_equal(st(d, lk, "L"), LL_LS_ENTRY | LL_LS_HELD);

    /* a loop around a correlated pair, with the flag rewritten every time */
    cfg_init(c, &d->arena, 8, 16);
    cfg_edge(c, 0, 1);
    head = probe(c, 1);
    write_local(c, 1, "flag");
    cfg_branch_var(c, 1, "flag", 2, 3);
    acquire(c, 2, "L");
    cfg_edge(c, 2, 3);
    cfg_branch_var(c, 3, "flag", 4, 5);
    uint32_t ul = release(c, 4, "L");
    cfg_edge(c, 4, 5);
    probe(c, 5);
    cfg_branch(c, 5, NULL, 1, 6);
    after = probe(c, 6);
    ret(c, 6);
    run(d, false);
    assert_int_equal(st(d, ul, "L"), LL_LS_HELD);
    assert_int_equal(st(d, head, "L"), LL_LS_ENTRY | LL_LS_FREE);
    assert_int_equal(st(d, after, "L"), LL_LS_ENTRY | LL_LS_FREE);
}

static void test_shared_mode(void **state)
{
    struct df *d = *state;
    struct cfg *c = &d->cfg;
    /* B1 ? B2 [rdlock] : B3 [wrlock];  B4 [probe, unlock, probe] */
    cfg_init(c, &d->arena, 6, 16);
    cfg_edge(c, 0, 1);
    cfg_branch(c, 1, NULL, 2, 3);
    uint32_t rd = acquire(c, 2, "RW");
    c->fn.events[rd].mode = LL_MODE_SHARED;
    c->fn.events[rd].lock_kind = LL_LK_RWLOCK;
    uint32_t prd = probe(c, 2);
    cfg_edge(c, 2, 4);
    uint32_t wr = acquire(c, 3, "RW");
    c->fn.events[wr].lock_kind = LL_LK_RWLOCK;
    uint32_t pwr = probe(c, 3);
    cfg_edge(c, 3, 4);
    uint32_t pj = probe(c, 4);
    release(c, 4, "RW");
    uint32_t pend = probe(c, 4);
    ret(c, 4);
    run(d, false);
    assert_int_equal(d->r.locks[lock_index(d, "RW")].kind, LL_LK_RWLOCK);
    assert_int_equal(st(d, prd, "RW"), LL_LS_HELD | LL_LS_SHARED);
    assert_int_equal(st(d, pwr, "RW"), LL_LS_HELD);
    assert_int_equal(st(d, pj, "RW"), LL_LS_HELD | LL_LS_SHARED);
    assert_int_equal(st(d, pend, "RW"), LL_LS_FREE);
}

/* A recursive initialisation marks the lock; locks are told apart by key. */
static void test_locks_table(void **state)
{
    struct df *d = *state;
    struct cfg *c = &d->cfg;
    cfg_init(c, &d->arena, 3, 16);
    cfg_edge(c, 0, 1);
    uint32_t init = lock_ev(c, 1, LL_EV_LOCK_INIT, "R");
    c->fn.events[init].lock_kind = LL_LK_RECURSIVE;
    acquire(c, 1, "A");
    acquire(c, 1, "R");
    uint32_t p = probe(c, 1);
    /* a lock event without a path names no lock */
    uint32_t none = cfg_event(c, 1, LL_EV_ACQUIRE);
    uint32_t p2 = probe(c, 1);
    ret(c, 1);
    run(d, false);
    assert_int_equal(d->r.nlocks, 2);
    assert_true(d->r.locks[lock_index(d, "R")].recursive);
    assert_false(d->r.locks[lock_index(d, "A")].recursive);
    assert_int_equal(st(d, p, "A"), LL_LS_HELD);
    assert_int_equal(st(d, p, "R"), LL_LS_HELD);
    assert_int_equal(d->r.reached[none], 1);
    assert_int_equal(st(d, p2, "A"), LL_LS_HELD);

    /* no locks at all: nothing to track, every event counts as reached */
    cfg_init(c, &d->arena, 3, 4);
    cfg_edge(c, 0, 1);
    uint32_t q = probe(c, 1);
    ret(c, 1);
    run(d, false);
    assert_int_equal(d->r.nlocks, 0);
    assert_int_equal(d->r.reached[q], 1);
}

/* The callee named "locker" may take locks; anything else does not. */
static bool may_lock(const struct ll_event *call, void *ctx)
{
    int *calls = ctx;
    (*calls)++;
    return call->api && strcmp(call->api, "locker") == 0;
}

static uint32_t call_ev(struct cfg *c, uint32_t blk, const char *name)
{
    uint32_t e = cfg_event(c, blk, LL_EV_CALL);
    c->fn.events[e].api = name;
    c->fn.events[e].callee = name;
    return e;
}

/* A call that may lock turns "not held" into "as the callee left it". */
static void test_call_may_lock(void **state)
{
    struct df *d = *state;
    struct cfg *c = &d->cfg;
    cfg_init(c, &d->arena, 3, 16);
    cfg_edge(c, 0, 1);
    acquire(c, 1, "A");
    release(c, 1, "A");
    acquire(c, 1, "H");
    uint32_t p0 = probe(c, 1); /* A FREE, H HELD, N NEVER */
    call_ev(c, 1, "pure");
    uint32_t p1 = probe(c, 1);
    call_ev(c, 1, "locker");
    uint32_t p2 = probe(c, 1);
    acquire(c, 1, "N");
    release(c, 1, "H");
    release(c, 1, "N");
    ret(c, 1);
    /* N is first named after the probes, but it is tracked from the entry */
    int calls = 0;
    struct ll_df_env env = {.entry_free = true, .call_may_lock = may_lock, .ctx = &calls};
    cfg_intern(c);
    assert_int_equal(ll_dataflow_run(&c->fn, &env, &d->arena, &d->r), 0);
    assert_true(calls >= 2);
    assert_int_equal(st(d, p0, "A"), LL_LS_FREE);
    assert_int_equal(st(d, p0, "H"), LL_LS_HELD);
    assert_int_equal(st(d, p0, "N"), LL_LS_NEVER);
    assert_int_equal(st(d, p1, "A"), LL_LS_FREE); /* "pure" takes no lock */
    assert_int_equal(st(d, p1, "N"), LL_LS_NEVER);
    assert_int_equal(st(d, p2, "A"), LL_LS_ENTRY);
    assert_int_equal(st(d, p2, "H"), LL_LS_HELD); /* held stays held */
    assert_int_equal(st(d, p2, "N"), LL_LS_ENTRY);

    /* without the callback calls change nothing */
    run(d, true);
    assert_int_equal(st(d, p2, "A"), LL_LS_FREE);
    assert_int_equal(st(d, p2, "N"), LL_LS_NEVER);
}

/*
 * More independent paths than LL_DF_MAX_DISJUNCTS: first a switch with
 * one more case than that, each case taking its own lock; then NL diamonds
 * each locking their own lock on one side, on conditions with texts (so
 * the remembered facts differ too, past the number kept), followed by NL
 * pending trylocks of which only the newest is tested.
 */
#define NL 10

static void test_many_disjuncts(void **state)
{
    struct df *d = *state;
    struct cfg *c = &d->cfg;

    /* one more path than is kept apart, each holding its own lock: the
     * join must describe all of them */
    enum { NP = LL_DF_MAX_DISJUNCTS + 1 };
    char names[NP][8];
    cfg_init(c, &d->arena, NP + 4, 4 * NP);
    cfg_edge(c, 0, 1);
    for (uint32_t i = 0; i < NP; i++) {
        snprintf(names[i], sizeof(names[i]), "P%u", i);
        cfg_edge(c, 1, 2 + i); /* a switch */
        acquire(c, 2 + i, names[i]);
        cfg_edge(c, 2 + i, NP + 2);
    }
    uint32_t pj = probe(c, NP + 2);
    ret(c, NP + 2);
    run(d, false);
    assert_int_equal(d->r.nlocks, NP);
    for (uint32_t i = 0; i < NP; i++)
        assert_int_equal(st(d, pj, names[i]), LL_LS_ENTRY | LL_LS_HELD);

    static const char *const locks[NL] = {"L0", "L1", "L2", "L3", "L4",
                                          "L5", "L6", "L7", "L8", "L9"};
    static const char *const vars[NL] = {"c0", "c1", "c2", "c3", "c4",
                                         "c5", "c6", "c7", "c8", "c9"};
    static const char *const rcs[NL] = {"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"};
    /* blocks: 0 entry; diamond i: top 1+2i, side 2+2i, the join is the
     * next top; T = 1+2*NL holds the trylocks; T+1 success, T+2 failure */
    uint32_t T = 1 + 2 * NL;
    cfg_init(c, &d->arena, T + 4, 256);
    cfg_edge(c, 0, 1);
    for (uint32_t i = 0; i < NL; i++) {
        uint32_t top = 1 + 2 * i, side = top + 1, next = top + 2;
        probe(c, top);
        cfg_branch_var(c, top, vars[i], side, next);
        acquire(c, side, locks[i]);
        cfg_edge(c, side, next);
    }
    uint32_t pt = probe(c, T);
    for (uint32_t i = 0; i < NL; i++)
        trylock(c, T, locks[i], rcs[i]);
    cfg_branch_var(c, T, rcs[NL - 1], T + 2, T + 1); /* if (r9) failure else success */
    uint32_t pok = probe(c, T + 1);
    ret(c, T + 1);
    uint32_t pbad = probe(c, T + 2);
    ret(c, T + 2);
    run(d, false);
    for (uint32_t i = 0; i < NL; i++)
        assert_int_equal(st(d, pt, locks[i]), LL_LS_ENTRY | LL_LS_HELD);
    assert_int_equal(st(d, pok, locks[NL - 1]), LL_LS_HELD);
    assert_int_equal(st(d, pbad, locks[NL - 1]), LL_LS_ENTRY | LL_LS_HELD);
    for (uint32_t i = 0; i + 1 < NL; i++) /* untested trylocks decide nothing */
        assert_int_equal(st(d, pok, locks[i]), LL_LS_ENTRY | LL_LS_HELD);
}

/*
 * A large graph: a chain of diamonds over a few locks, with back edges
 * every so often, about 2000 blocks.  It must finish, and every block is
 * reachable so every event must be reached.
 */
static void test_big_graph(void **state)
{
    struct df *d = *state;
    struct cfg *c = &d->cfg;
    static const char *const locks[3] = {"A", "B", "C"};
    static const char *const vars[5] = {"v0", "v1", "v2", "v3", "v4"};
    const uint32_t ndiamonds = 666;
    /* block 0: entry; diamond i: top 1+3i, left 2+3i, right 3+3i; the
     * join is the next top; the last top is the tail; then the exit */
    uint32_t tail = 1 + 3 * ndiamonds;
    uint32_t nblocks = tail + 2;
    assert_true(nblocks >= 2000);
    cfg_init(c, &d->arena, nblocks, 8 * nblocks);
    cfg_edge(c, 0, 1);
    for (uint32_t i = 0; i < ndiamonds; i++) {
        uint32_t top = 1 + 3 * i, left = top + 1, right = top + 2, next = top + 3;
        probe(c, top);
        if (i % 7 == 3)
            write_local(c, top, vars[i % 5]);
        if (i % 2 == 0)
            cfg_branch_var(c, top, vars[i % 5], left, right);
        else
            cfg_branch(c, top, NULL, left, right);
        acquire(c, left, locks[i % 3]);
        probe(c, left);
        if (i % 50 == 49) {
            /* a back edge: left loops to an earlier top or goes on */
            cfg_branch(c, left, NULL, 1 + 3 * (i - 10), next);
        } else {
            cfg_edge(c, left, next);
        }
        release(c, right, locks[i % 3]);
        if (i % 4 == 1)
            release(c, right, locks[(i + 1) % 3]);
        cfg_edge(c, right, next);
    }
    uint32_t last = probe(c, tail);
    ret(c, tail);
    run(d, false);
    for (uint32_t e = 0; e < d->r.nevents; e++)
        if (!d->r.reached[e])
            fail_msg("event %u (line %u) not reached", e, d->cfg.fn.events[e].loc.line);
    assert_int_equal(d->r.nlocks, 3);
    uint8_t s = st(d, last, "A") | st(d, last, "B") | st(d, last, "C");
    assert_true(s & LL_LS_HELD);
    assert_true(s & LL_LS_FREE);

    /* and as a thread root */
    run(d, true);
    assert_true(starts_not_held(st(d, 0, "A")));
    for (uint32_t e = 0; e < d->r.nevents; e++)
        for (uint32_t l = 0; l < d->r.nlocks; l++)
            assert_false(ll_df_state(&d->r, e, l) & LL_LS_ENTRY);
}

/* OpenSSL's CRYPTO_THREAD_write_lock() returns 1 on success: `if
 * (lock(L))` (true: non-zero) is the success edge, the other one is not
 * followed; pthread's convention would have it the other way round. */
static void test_checked_acquire_ok_nonzero(void **state)
{
    struct df *d = *state;
    struct cfg *c = &d->cfg;
    cfg_init(c, &d->arena, 5, 16);
    cfg_edge(c, 0, 1);
    uint32_t a = acquire(c, 1, "L");
    c->fn.events[a].flags |= LL_EVF_OK_NONZERO;
    cfg_branch_event(c, 1, a, false, 2, 3); /* true: the result is non-zero */
    uint32_t pok = probe(c, 2);
    ret(c, 2);
    uint32_t pfail = probe(c, 3);
    ret(c, 3);
    run(d, false);
    assert_true(d->r.reached[pok]);
    assert_int_equal(st(d, pok, "L"), LL_LS_HELD);
    assert_false(d->r.reached[pfail]);
}

/* Hand-over-hand: lock n->lock, lock n->next->lock, release n->lock,
 * `n = n->next`: the cursor's lock is the one taken as n->next->lock
 * (held), and n->next->lock names the node after it (as the caller left
 * it).  Then `z++` after locking z->m moves no tracked lock: z->m stays
 * held (a cursor loop that forgot to release before moving on). */
static void test_cursor_moves(void **state)
{
    struct df *d = *state;
    struct cfg *c = &d->cfg;
    cfg_init(c, &d->arena, 3, 16);
    cfg_edge(c, 0, 1);
    c->fn.exit = 2;
    acquire(c, 1, "n->lock");
    acquire(c, 1, "n->next->lock");
    release(c, 1, "n->lock");
    uint32_t mv = write_local(c, 1, "n");
    c->fn.events[mv].aux = cfg_path(LL_ROOT_LOCAL, "n->next");
    c->fn.events[mv].aux.flags = LL_PATH_DEREF;
    uint32_t after = probe(c, 1);
    acquire(c, 1, "z->m");
    uint32_t step = write_local(c, 1, "z");
    c->fn.events[step].flags |= LL_EVF_UPDATE;
    uint32_t later = probe(c, 1);
    ret(c, 1);
    run(d, false);
    assert_int_equal(st(d, mv, "n->lock"), LL_LS_FREE);
    assert_int_equal(st(d, mv, "n->next->lock"), LL_LS_HELD);
    assert_int_equal(st(d, after, "n->lock"), LL_LS_HELD);
    assert_int_equal(st(d, after, "n->next->lock"), LL_LS_ENTRY);
    assert_int_equal(st(d, later, "z->m"), LL_LS_HELD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_straight_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_entry_free, setup, teardown),
        cmocka_unit_test_setup_teardown(test_if_else_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_correlated_conditions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_infeasible_and_unreachable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trylock_event, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checked_acquire, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cond_var_result, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loop_converges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shared_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_locks_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_call_may_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_disjuncts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_big_graph, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cursor_moves, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checked_acquire_ok_nonzero, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
