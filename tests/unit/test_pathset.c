/*
 * Unit tests for analyzer/pathset, the path-state engine, through a toy
 * client: slots are switches, OFF or ON (one bit each); acquiring switch
 * `sN` turns it on, releasing turns it off, a trylock leaves the outcome
 * to a later branch on its result.  The tests check what the engine owns
 * and the clients rely on: joins are unions, branch conditions are
 * remembered and forgotten when a variable they read (or contains it) is
 * written, `var = K` decides a later test of var however spelled (and
 * what a branch on var allowed decides a later one), a call given `&var`
 * forgets it, pendings resolve on the
 * branch over their event or variable (inverted too) and what that branch
 * said of their variable decides a later test of it, a path keeps
 * LL_PS_MAX_VALS locals' values and forgets the oldest, sets stay within
 * LL_PS_MAX_DISJUNCTS, the edge function sees every edge, loops end, a
 * second run starts afresh, and branches on calls the client calls pure
 * are correlated until what they read is written or an opaque call runs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cfg_build.h"
#include "pathset.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { OFF = 1, ON = 2, NSLOTS = 4 };

/* Interned strings: the engine compares by pointer. */
static const char *const F = "f", *const OK = "ok", *const CFG = "cfg", *const CFG_X = "cfg.x",
                         *const CFGX = "cfgx";

struct toy {
    struct ll_arena arena;
    struct cfg cfg;
    struct ll_pathset ps;
    uint8_t *state, *reached;
    uint32_t edges;                         /* edge function calls */
    uint32_t edge_from, edge_to;            /* the edge that turns s3 on */
    bool ps_used;                           /* ps holds memory to give back */
    const struct ll_cond *const *call_cond; /* ll_pathset_set_calls(), or NULL */
    const uint8_t *opaque;
};

static int slot_of(const struct ll_event *ev)
{
    return ev->obj.key && ev->obj.key[0] == 's' ? ev->obj.key[1] - '0' : -1;
}

static void toy_transfer(struct ll_pathset *ps, struct ll_ps_disj *d, uint32_t e, void *ctx)
{
    (void)ctx;
    const struct ll_event *ev = &ps->fn->events[e];
    int s = slot_of(ev);
    switch (ev->kind) {
    case LL_EV_ACQUIRE:
        ll_ps_set_checked(ps, d, e, (uint32_t)s, ON);
        break;
    case LL_EV_TRYACQUIRE:
        ll_ps_forget_slot(d, (uint32_t)s);
        bool inv = ev->api && strcmp(ev->api, "invert") == 0;
        ll_ps_pend(d, e, ev->result_var, (uint32_t)s, ON, inv ? LL_PS_NONZERO : LL_PS_ZERO,
                   inv ? LL_PS_ZERO : LL_PS_NONZERO);
        break;
    case LL_EV_RELEASE:
        ll_ps_forget_slot(d, (uint32_t)s);
        d->st[s] = OFF;
        break;
    case LL_EV_ACCESS:
        if (ev->flags & LL_EVF_WRITE)
            ll_ps_forget_var(d, ev->obj.key);
        break;
    default:
        break;
    }
}

static void toy_edge(struct ll_pathset *ps, struct ll_ps_disj *d, uint32_t from, uint32_t to,
                     void *ctx)
{
    (void)ps;
    struct toy *t = ctx;
    t->edges++;
    if (from == t->edge_from && to == t->edge_to)
        d->st[3] = ON;
}

static int setup(void **state)
{
    struct toy *t = calloc(1, sizeof(*t));
    if (!t)
        return -1;
    ll_arena_init(&t->arena);
    t->edge_from = t->edge_to = UINT32_MAX;
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    struct toy *t = *state;
    if (t->ps_used)
        ll_pathset_release(&t->ps);
    ll_arena_release(&t->arena);
    free(t);
    return 0;
}

static uint32_t sw(struct cfg *c, uint32_t blk, enum ll_event_kind kind, const char *name)
{
    uint32_t e = cfg_event(c, blk, kind);
    c->fn.events[e].obj = cfg_path(LL_ROOT_GLOBAL, name);
    return e;
}

/* A point to observe: a read of a global that is no switch. */
static uint32_t probe(struct cfg *c, uint32_t blk)
{
    uint32_t e = cfg_event(c, blk, LL_EV_ACCESS);
    c->fn.events[e].obj = cfg_path(LL_ROOT_GLOBAL, "probe");
    return e;
}

/* Runs the toy client from every switch OFF and records the states. */
static void run_with(struct toy *t, bool edge_fn)
{
    cfg_intern(&t->cfg);
    struct ll_ps_client client = {
        .nslots = NSLOTS, .transfer = toy_transfer, .edge = edge_fn ? toy_edge : NULL, .ctx = t};
    ll_pathset_init(&t->ps, &t->cfg.fn, NULL);
    t->ps_used = true;
    ll_pathset_set_client(&t->ps, &client);
    ll_pathset_set_calls(&t->ps, t->call_cond, t->opaque);
    uint8_t entry[NSLOTS];
    memset(entry, OFF, sizeof(entry));
    assert_int_equal(ll_pathset_run(&t->ps, entry), 0);
    uint32_t n = t->cfg.fn.nevents;
    t->state = cfg_alloc(&t->arena, (size_t)n * NSLOTS + 1);
    t->reached = cfg_alloc(&t->arena, n + 1);
    assert_int_equal(ll_pathset_record(&t->ps, t->state, t->reached, NULL), 0);
}

static void run(struct toy *t)
{
    run_with(t, false);
}

static uint8_t at(const struct toy *t, uint32_t e, uint32_t slot)
{
    assert_true(t->reached[e]);
    return t->state[(size_t)e * NSLOTS + slot];
}

/* ---- tests -------------------------------------------------------------- */

/* if (...) on(s0);  probe: both states, joined by union. */
static void test_join_is_union(void **state)
{
    struct toy *t = *state;
    struct cfg *c = &t->cfg;
    cfg_init(c, &t->arena, 4, 8);
    cfg_branch(c, 0, NULL, 1, 2);
    sw(c, 1, LL_EV_ACQUIRE, "s0");
    cfg_edge(c, 1, 2);
    uint32_t p = probe(c, 2);
    cfg_edge(c, 2, 3);
    run(t);
    assert_int_equal(at(t, p, 0), OFF | ON);
    assert_int_equal(at(t, p, 1), OFF);
}

/*
 * if (<cond>) on(s0); [write]; if (<cond>) probe_on else probe_off:
 * the second branch follows the first.  Built with `var` as the
 * condition's variable, and an optional write of `written` in between.
 */
static void correlated(struct toy *t, const char *var, const char *written, uint32_t *pt,
                       uint32_t *pf)
{
    struct cfg *c = &t->cfg;
    cfg_init(c, &t->arena, 7, 12);
    cfg_branch_var(c, 0, var, 1, 2);
    sw(c, 1, LL_EV_ACQUIRE, "s0");
    cfg_edge(c, 1, 2);
    probe(c, 2);
    if (written)
        cfg_write_local(c, 2, written, NULL);
    cfg_branch_var(c, 2, var, 3, 4);
    *pt = probe(c, 3);
    cfg_edge(c, 3, 5);
    *pf = probe(c, 4);
    cfg_edge(c, 4, 5);
    probe(c, 5);
    cfg_edge(c, 5, 6);
}

static void test_correlated_branches(void **state)
{
    struct toy *t = *state;
    uint32_t pt, pf;
    correlated(t, F, NULL, &pt, &pf);
    run(t);
    assert_int_equal(at(t, pt, 0), ON);
    assert_int_equal(at(t, pf, 0), OFF);
}

/* Writing the variable forgets the outcome. */
static void test_write_forgets(void **state)
{
    struct toy *t = *state;
    uint32_t pt, pf;
    correlated(t, F, F, &pt, &pf);
    run(t);
    assert_int_equal(at(t, pt, 0), OFF | ON);
    assert_int_equal(at(t, pf, 0), OFF | ON);
}

/* Writing `cfg` changes `cfg.x`: the condition over it is forgotten. */
static void test_write_of_whole_forgets_part(void **state)
{
    struct toy *t = *state;
    uint32_t pt, pf;
    correlated(t, CFG_X, CFG, &pt, &pf);
    run(t);
    assert_int_equal(at(t, pt, 0), OFF | ON);
}

/* `cfgx` is another variable: `cfg.x` stays known. */
static void test_write_of_other_keeps(void **state)
{
    struct toy *t = *state;
    uint32_t pt, pf;
    correlated(t, CFG_X, CFGX, &pt, &pf);
    run(t);
    assert_int_equal(at(t, pt, 0), ON);
    assert_int_equal(at(t, pf, 0), OFF);
}

/* A test of the local `var`: `var CMP k`, spelled `text`. */
static struct ll_cond *test_var(struct cfg *c, uint32_t blk, const char *var, const char *text,
                                uint8_t cmp, int64_t k, uint32_t t, uint32_t f)
{
    struct ll_cond *cond = cfg_branch_var(c, blk, var, t, f);
    cond->text = text;
    cond->cmp = cmp;
    cond->cmp_k = k;
    return cond;
}

/* f = value; if (f CMP k) probe_t else probe_f: which probes are reached. */
static void constant_then_test(struct toy *t, const char *value, uint8_t cmp, int64_t k,
                               bool address_taken, uint32_t *pt, uint32_t *pf)
{
    struct cfg *c = &t->cfg;
    cfg_init(c, &t->arena, 4, 8);
    cfg_write_local(c, 0, F, value);
    if (address_taken) { /* find(&f) */
        uint32_t e = cfg_event(c, 0, LL_EV_CALL);
        struct ll_path *arg = cfg_alloc(c->a, sizeof(*arg));
        *arg = cfg_path(LL_ROOT_LOCAL, F);
        arg->flags = LL_PATH_ADDR;
        c->fn.events[e].args = arg;
        c->fn.events[e].nargs = 1;
    }
    test_var(c, 0, F, "f CMP k", cmp, k, 1, 2);
    *pt = probe(c, 1);
    cfg_edge(c, 1, 3);
    *pf = probe(c, 2);
    cfg_edge(c, 2, 3);
    run(t);
}

/* f = 1; if (f) ... else unreached. */
static void test_learn_constant(void **state)
{
    uint32_t pt, pf;
    constant_then_test(*state, "1", LL_CMP_TRUTH, 0, false, &pt, &pf);
    struct toy *t = *state;
    assert_true(t->reached[pt]);
    assert_false(t->reached[pf]);
}

/* f = 2; if (f == 3) unreached else ...; f = 0 (NULL); if (f != 0) unreached. */
static void test_constant_decides_comparison(void **state)
{
    uint32_t pt, pf;
    struct toy *t = *state;
    constant_then_test(t, "2", LL_CMP_EQ, 3, false, &pt, &pf);
    assert_false(t->reached[pt]);
    assert_true(t->reached[pf]);
    ll_pathset_release(&t->ps);
    constant_then_test(t, "0", LL_CMP_NE, 0, false, &pt, &pf);
    assert_false(t->reached[pt]);
    assert_true(t->reached[pf]);
}

/* f = 0; find(&f); if (f) reached: the call may have set f. */
static void test_address_passed_forgets_constant(void **state)
{
    uint32_t pt, pf;
    struct toy *t = *state;
    constant_then_test(t, "0", LL_CMP_TRUTH, 0, true, &pt, &pf);
    assert_true(t->reached[pt]);
    assert_true(t->reached[pf]);
}

/* Block 1 tests f (`f CMP 0`, spelled `text`): probe 2 on its true arm,
 * probe 3 on its false one, both to block 4.  Runs the toy and checks
 * that only the true arm is reached: what block 0 told of f decides it. */
static void true_arm_only(struct toy *t, const char *text, uint8_t cmp)
{
    struct cfg *c = &t->cfg;
    test_var(c, 1, F, text, cmp, 0, 2, 3);
    uint32_t p2 = probe(c, 2);
    cfg_edge(c, 2, 4);
    uint32_t p3 = probe(c, 3);
    cfg_edge(c, 3, 4);
    probe(c, 4);
    run(t);
    assert_true(t->reached[p2]);
    assert_false(t->reached[p3]);
}

/* if (f) { if (f != 0) probe_2 else probe_3 }: what the first test
 * allowed decides the second, spelled otherwise. */
static void test_branch_signs_decide_other_spelling(void **state)
{
    struct toy *t = *state;
    struct cfg *c = &t->cfg;
    cfg_init(c, &t->arena, 5, 8);
    test_var(c, 0, F, "f", LL_CMP_TRUTH, 0, 1, 4);
    true_arm_only(t, "f != 0", LL_CMP_NE);
}

/* if ((f = lookup())) { if (!f) unreached }: a branch on a call whose
 * result is stored in f says what f is. */
static void test_event_branch_tells_its_variable(void **state)
{
    struct toy *t = *state;
    struct cfg *c = &t->cfg;
    cfg_init(c, &t->arena, 5, 8);
    uint32_t e = cfg_event(c, 0, LL_EV_CALL);
    c->fn.events[e].result_var = F;
    struct ll_cond *cond = cfg_branch_event(c, 0, e, false, 1, 4);
    cond->cmp = LL_CMP_TRUTH;
    true_arm_only(t, "f", LL_CMP_TRUTH);
}

/* f = 0; pthread_create(&f, ...); if (f) ... else unreached: a created
 * thread's handle is not 0. */
static void test_created_handle_not_zero(void **state)
{
    struct toy *t = *state;
    struct cfg *c = &t->cfg;
    cfg_init(c, &t->arena, 4, 8);
    cfg_write_local(c, 0, F, "0");
    uint32_t e = cfg_event(c, 0, LL_EV_THREAD_CREATE);
    c->fn.events[e].obj = cfg_path(LL_ROOT_LOCAL, F);
    test_var(c, 0, F, "f", LL_CMP_TRUTH, 0, 1, 2);
    uint32_t pt = probe(c, 1);
    cfg_edge(c, 1, 3);
    uint32_t pf = probe(c, 2);
    cfg_edge(c, 2, 3);
    run(t);
    assert_true(t->reached[pt]);
    assert_false(t->reached[pf]);
}

/* if (ok) f = 0; else if (f != 0) goto out; if (f) unreached: both paths
 * into the last test know f is zero, one by a constant, one by a branch. */
static void test_constant_and_branch_agree(void **state)
{
    struct toy *t = *state;
    struct cfg *c = &t->cfg;
    cfg_init(c, &t->arena, 6, 8);
    test_var(c, 0, OK, "ok", LL_CMP_TRUTH, 0, 1, 2);
    cfg_write_local(c, 1, F, "0");
    cfg_edge(c, 1, 3);
    test_var(c, 2, F, "f != 0", LL_CMP_NE, 0, 5, 3);
    test_var(c, 3, F, "f", LL_CMP_TRUTH, 0, 4, 5);
    uint32_t p4 = probe(c, 4);
    cfg_edge(c, 4, 5);
    uint32_t p5 = probe(c, 5);
    run(t);
    assert_false(t->reached[p4]);
    assert_true(t->reached[p5]);
}

/* if (trylock(s0) == 0) probe_on else probe_off. */
static void test_pending_on_event(void **state)
{
    struct toy *t = *state;
    struct cfg *c = &t->cfg;
    cfg_init(c, &t->arena, 4, 8);
    uint32_t e = sw(c, 0, LL_EV_TRYACQUIRE, "s0");
    uint32_t before = probe(c, 0);
    cfg_branch_event(c, 0, e, true, 1, 2);
    uint32_t pt = probe(c, 1);
    cfg_edge(c, 1, 3);
    uint32_t pf = probe(c, 2);
    cfg_edge(c, 2, 3);
    run(t);
    assert_int_equal(at(t, before, 0), OFF); /* not decided yet */
    assert_int_equal(at(t, pt, 0), ON);
    assert_int_equal(at(t, pf, 0), OFF);
}

/*
 * if (pred(td)) on(s0); [between]; if (pred(td)) probe_on else probe_off,
 * the two calls told to be one pure call (ll_pathset_set_calls()) unless
 * `plain`: `between` is a write of `written` when not NULL, and a call
 * with unknown effects when `opaque_call`.
 */
static void pure_calls(struct toy *t, bool plain, const char *written, bool opaque_call,
                       uint32_t *pt, uint32_t *pf)
{
    static const char *const vars[] = {"td", "td->o.x"};
    static const char text[] = "pred(td)";
    struct cfg *c = &t->cfg;
    cfg_init(c, &t->arena, 7, 12);
    uint32_t c1 = cfg_event(c, 0, LL_EV_CALL);
    cfg_branch_event(c, 0, c1, false, 1, 2);
    sw(c, 1, LL_EV_ACQUIRE, "s0");
    cfg_edge(c, 1, 2);
    probe(c, 2);
    if (written)
        cfg_write_local(c, 2, written, NULL);
    uint32_t mid = opaque_call ? cfg_event(c, 2, LL_EV_CALL) : UINT32_MAX;
    uint32_t c2 = cfg_event(c, 2, LL_EV_CALL);
    cfg_branch_event(c, 2, c2, false, 3, 4);
    *pt = probe(c, 3);
    cfg_edge(c, 3, 5);
    *pf = probe(c, 4);
    cfg_edge(c, 4, 5);
    probe(c, 5);
    cfg_edge(c, 5, 6);
    if (plain)
        return;
    struct ll_cond *conds = cfg_alloc(&t->arena, 2 * sizeof(*conds));
    const struct ll_cond **per_block = cfg_alloc(&t->arena, 7 * sizeof(*per_block));
    uint8_t *opaque = cfg_alloc(&t->arena, c->maxev);
    for (int i = 0; i < 2; i++) {
        conds[i].kind = LL_COND_EVENT;
        conds[i].event = i ? c2 : c1;
        conds[i].text = text; /* one pointer for both */
        conds[i].vars = (const char **)vars;
        conds[i].nvars = 2;
    }
    per_block[0] = &conds[0];
    per_block[2] = &conds[1];
    if (mid != UINT32_MAX)
        opaque[mid] = 1;
    t->call_cond = per_block;
    t->opaque = opaque;
}

/* The second test of the pure call follows the first. */
static void test_pure_call_correlated(void **state)
{
    struct toy *t = *state;
    uint32_t pt, pf;
    pure_calls(t, false, NULL, false, &pt, &pf);
    run(t);
    assert_int_equal(at(t, pt, 0), ON);
    assert_int_equal(at(t, pf, 0), OFF);
}

/* Calls the client says nothing of are not correlated. */
static void test_call_not_pure(void **state)
{
    struct toy *t = *state;
    uint32_t pt, pf;
    pure_calls(t, true, NULL, false, &pt, &pf);
    run(t);
    assert_int_equal(at(t, pt, 0), OFF | ON);
    assert_int_equal(at(t, pf, 0), OFF | ON);
}

/* A write of what the call reads, or of its argument, forgets the
 * outcome; a write of something else keeps it. */
static void test_pure_call_write_forgets(void **state)
{
    struct toy *t = *state;
    uint32_t pt, pf;
    pure_calls(t, false, "td->o.x", false, &pt, &pf);
    run(t);
    assert_int_equal(at(t, pt, 0), OFF | ON);
    ll_pathset_release(&t->ps);
    pure_calls(t, false, "td", false, &pt, &pf);
    run(t);
    assert_int_equal(at(t, pt, 0), OFF | ON);
    ll_pathset_release(&t->ps);
    pure_calls(t, false, "td->y", false, &pt, &pf);
    run(t);
    assert_int_equal(at(t, pt, 0), ON);
    assert_int_equal(at(t, pf, 0), OFF);
}

/* A call with unknown effects in between forgets it. */
static void test_pure_call_opaque_forgets(void **state)
{
    struct toy *t = *state;
    uint32_t pt, pf;
    pure_calls(t, false, NULL, true, &pt, &pf);
    run(t);
    assert_int_equal(at(t, pt, 0), OFF | ON);
    assert_int_equal(at(t, pf, 0), OFF | ON);
}

/* ok = trylock'(s0) (nonzero on success); if (ok) probe_on else probe_off.
 * Inverted: with true_when_zero unset, the true edge is success anyway. */
static void pending_on_var(struct toy *t, bool invert, uint32_t *pt, uint32_t *pf)
{
    struct cfg *c = &t->cfg;
    cfg_init(c, &t->arena, 4, 8);
    uint32_t e = sw(c, 0, LL_EV_TRYACQUIRE, "s0");
    c->fn.events[e].result_var = OK;
    if (invert)
        c->fn.events[e].api = "invert";
    struct ll_cond *cond = cfg_branch_var(c, 0, OK, 1, 2);
    cond->true_when_zero = !invert;
    *pt = probe(c, 1);
    cfg_edge(c, 1, 3);
    *pf = probe(c, 2);
    cfg_edge(c, 2, 3);
}

static void test_pending_on_var(void **state)
{
    struct toy *t = *state;
    uint32_t pt, pf;
    pending_on_var(t, false, &pt, &pf);
    run(t);
    assert_int_equal(at(t, pt, 0), ON);
    assert_int_equal(at(t, pf, 0), OFF);
}

static void test_pending_inverted(void **state)
{
    struct toy *t = *state;
    uint32_t pt, pf;
    pending_on_var(t, true, &pt, &pf);
    run(t);
    assert_int_equal(at(t, pt, 0), ON);
    assert_int_equal(at(t, pf, 0), OFF);
}

/*
 * ok = lookup'(s0) (nonzero on success); if (ok == 0) goto B3 [event
 * branch] else B3; B3: if (ok) probe_t else probe_f.  The first branch
 * decided the pending and what `ok` is on each path: the second test of
 * `ok`, spelled differently, follows it (memcached's `if ((h = try(k)) ==
 * NULL) continue; ... if (h) unlock(h);`), so s0 is on wherever ok is
 * nonzero and off wherever it is zero.
 */
static void test_pending_decided_var_followed(void **state)
{
    struct toy *t = *state;
    struct cfg *c = &t->cfg;
    cfg_init(c, &t->arena, 7, 8);
    uint32_t e = sw(c, 0, LL_EV_TRYACQUIRE, "s0");
    c->fn.events[e].result_var = OK;
    c->fn.events[e].api = "invert";
    struct ll_cond *first = cfg_branch_event(c, 0, e, true, 1, 2);
    first->cmp = LL_CMP_EQ; /* ok == 0 */
    cfg_edge(c, 1, 3);
    cfg_edge(c, 2, 3);
    struct ll_cond *second = cfg_branch_var(c, 3, OK, 4, 5);
    second->cmp = LL_CMP_TRUTH; /* if (ok) */
    uint32_t pt = probe(c, 4);
    cfg_edge(c, 4, 6);
    uint32_t pf = probe(c, 5);
    cfg_edge(c, 5, 6);
    run(t);
    assert_int_equal(at(t, pt, 0), ON);
    assert_int_equal(at(t, pf, 0), OFF);
}

/*
 * f = 1; c1 = 1; ... cN = 1; if (f) probe_t else probe_f.  Each write
 * teaches the path one local's value (blocks nobody reaches test c1..cN:
 * only tested locals are kept).  With N = LL_PS_MAX_VALS - 1 the
 * path still knows `f` and probe_f is unreached; one more pushes the
 * oldest, `f`, out.  The limit is the engine's, the same for every client.
 */
static void vals_limit(struct toy *t, uint32_t n, uint32_t *pt, uint32_t *pf)
{
    static const char *const names[] = {"c1",  "c2",  "c3",  "c4",  "c5",  "c6",  "c7",  "c8", "c9",
                                        "c10", "c11", "c12", "c13", "c14", "c15", "c16", "c17"};
    assert_true(n <= sizeof(names) / sizeof(names[0]));
    struct cfg *c = &t->cfg;
    uint32_t exit = 3 + n;
    cfg_init(c, &t->arena, exit + 1, n + 8);
    cfg_write_local(c, 0, F, "1");
    for (uint32_t i = 0; i < n; i++)
        cfg_write_local(c, 0, names[i], "1");
    test_var(c, 0, F, F, LL_CMP_TRUTH, 0, 1, 2);
    *pt = probe(c, 1);
    cfg_edge(c, 1, exit);
    *pf = probe(c, 2);
    cfg_edge(c, 2, exit);
    for (uint32_t i = 0; i < n; i++) /* unreached tests, so that c1..cN are worth keeping */
        test_var(c, 3 + i, names[i], names[i], LL_CMP_TRUTH, 0, exit, exit);
}

static void test_vals_limit_keeps_max(void **state)
{
    struct toy *t = *state;
    uint32_t pt, pf;
    vals_limit(t, LL_PS_MAX_VALS - 1, &pt, &pf);
    run(t);
    assert_true(t->reached[pt]);
    assert_false(t->reached[pf]);
}

/* Locals no branch tests take no room: f stays known past the limit. */
static void test_untested_locals_take_no_room(void **state)
{
    struct toy *t = *state;
    struct cfg *c = &t->cfg;
    static const char *const names[] = {"u1",  "u2",  "u3",  "u4",  "u5",  "u6",  "u7",  "u8", "u9",
                                        "u10", "u11", "u12", "u13", "u14", "u15", "u16", "u17"};
    cfg_init(c, &t->arena, 4, 24);
    cfg_write_local(c, 0, F, "1");
    for (uint32_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        cfg_write_local(c, 0, names[i], "1");
    test_var(c, 0, F, F, LL_CMP_TRUTH, 0, 1, 2);
    uint32_t pt = probe(c, 1);
    cfg_edge(c, 1, 3);
    uint32_t pf = probe(c, 2);
    cfg_edge(c, 2, 3);
    run(t);
    assert_true(t->reached[pt]);
    assert_false(t->reached[pf]);
}

static void test_vals_limit_forgets_oldest(void **state)
{
    struct toy *t = *state;
    uint32_t pt, pf;
    vals_limit(t, LL_PS_MAX_VALS, &pt, &pf);
    run(t);
    assert_true(t->reached[pt]);
    assert_true(t->reached[pf]);
}

/*
 * Six diamonds in a row, each on its own condition, each flipping a
 * switch: 64 paths, more than a set keeps.  The sets stay bounded, the
 * result covers every path (sound), and the run ends.
 */
static void test_more_paths_than_kept(void **state)
{
    struct toy *t = *state;
    struct cfg *c = &t->cfg;
    static const char *const conds[] = {"c0", "c1", "c2", "c3", "c4", "c5"};
    enum { N = 6 };
    cfg_init(c, &t->arena, 2 * N + 2, 4 * N + 4);
    for (uint32_t i = 0; i < N; i++) {
        uint32_t head = 2 * i, arm = 2 * i + 1, next = 2 * i + 2;
        cfg_branch(c, head, conds[i], arm, next);
        sw(c, arm, i % 2 ? LL_EV_RELEASE : LL_EV_ACQUIRE,
           i % 4 == 0   ? "s0"
           : i % 4 == 1 ? "s1"
           : i % 4 == 2 ? "s2"
                        : "s3");
        cfg_edge(c, arm, next);
    }
    uint32_t p = probe(c, 2 * N);
    cfg_edge(c, 2 * N, 2 * N + 1);
    run(t);
    for (uint32_t b = 0; b < c->fn.nblocks; b++)
        assert_true(t->ps.in[b].n <= LL_PS_MAX_DISJUNCTS);
    assert_int_equal(at(t, p, 0), OFF | ON);
    assert_int_equal(at(t, p, 1), OFF);
    assert_int_equal(at(t, p, 2), OFF | ON);
}

/* The edge function runs on every edge taken, and what it does arrives. */
static void test_edge_function(void **state)
{
    struct toy *t = *state;
    struct cfg *c = &t->cfg;
    cfg_init(c, &t->arena, 4, 8);
    cfg_branch(c, 0, NULL, 1, 2);
    uint32_t p1 = probe(c, 1);
    cfg_edge(c, 1, 3);
    uint32_t p2 = probe(c, 2);
    cfg_edge(c, 2, 3);
    uint32_t p3 = probe(c, 3);
    t->edge_from = 0;
    t->edge_to = 2;
    run_with(t, true);
    assert_int_equal(at(t, p1, 3), OFF);
    assert_int_equal(at(t, p2, 3), ON);
    assert_int_equal(at(t, p3, 3), OFF | ON);
    assert_true(t->edges >= 4);
}

/* while (...) { probe; if (...) on(s0) else off(s0) }: the loop ends, its
 * head sees both states. */
static void test_loop_ends(void **state)
{
    struct toy *t = *state;
    struct cfg *c = &t->cfg;
    cfg_init(c, &t->arena, 6, 8);
    cfg_edge(c, 0, 1);
    uint32_t p = probe(c, 1);
    cfg_branch(c, 1, NULL, 2, 5);
    cfg_branch(c, 2, NULL, 3, 4);
    sw(c, 3, LL_EV_ACQUIRE, "s0");
    cfg_edge(c, 3, 1);
    sw(c, 4, LL_EV_RELEASE, "s0");
    cfg_edge(c, 4, 1);
    run(t);
    assert_int_equal(at(t, p, 0), OFF | ON);
}

/* A second run forgets the first one's sets. */
static void test_rerun(void **state)
{
    struct toy *t = *state;
    struct cfg *c = &t->cfg;
    cfg_init(c, &t->arena, 2, 4);
    uint32_t p = probe(c, 0);
    cfg_edge(c, 0, 1);
    run(t);
    assert_int_equal(at(t, p, 0), OFF);
    uint8_t entry[NSLOTS] = {ON, ON, ON, ON};
    assert_int_equal(ll_pathset_run(&t->ps, entry), 0);
    memset(t->state, 0, (size_t)c->fn.nevents * NSLOTS);
    assert_int_equal(ll_pathset_record(&t->ps, t->state, t->reached, NULL), 0);
    assert_int_equal(at(t, p, 0), ON);
}

/* The state at the end of each block. */
static void test_block_out(void **state)
{
    struct toy *t = *state;
    struct cfg *c = &t->cfg;
    cfg_init(c, &t->arena, 2, 4);
    sw(c, 0, LL_EV_ACQUIRE, "s1");
    cfg_edge(c, 0, 1);
    run(t);
    uint8_t out[2 * NSLOTS];
    memset(out, 0, sizeof(out));
    memset(t->reached, 0, c->fn.nevents);
    assert_int_equal(ll_pathset_record(&t->ps, t->state, t->reached, out), 0);
    assert_int_equal(out[1], ON);
    assert_int_equal(out[0], OFF);
    assert_int_equal(out[NSLOTS + 1], ON);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_join_is_union, setup, teardown),
        cmocka_unit_test_setup_teardown(test_correlated_branches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_forgets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_of_whole_forgets_part, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_of_other_keeps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_learn_constant, setup, teardown),
        cmocka_unit_test_setup_teardown(test_constant_decides_comparison, setup, teardown),
        cmocka_unit_test_setup_teardown(test_address_passed_forgets_constant, setup, teardown),
        cmocka_unit_test_setup_teardown(test_branch_signs_decide_other_spelling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_constant_and_branch_agree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_branch_tells_its_variable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_created_handle_not_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pending_on_event, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pure_call_correlated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_call_not_pure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pure_call_write_forgets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pure_call_opaque_forgets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pending_on_var, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pending_inverted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pending_decided_var_followed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vals_limit_keeps_max, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vals_limit_forgets_oldest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_untested_locals_take_no_room, setup, teardown),
        cmocka_unit_test_setup_teardown(test_more_paths_than_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edge_function, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loop_ends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rerun, setup, teardown),
        cmocka_unit_test_setup_teardown(test_block_out, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
