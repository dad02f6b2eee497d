/*
 * cfg_build: functions built by hand for the unit tests of the analyses
 * over a CFG (pathset, dataflow): blocks, edges, branch conditions and
 * events in an arena, interned like the driver leaves every TU's.  Include
 * it after <cmocka.h>; everything is static inline.
 */
#ifndef LL_TEST_CFG_BUILD_H
#define LL_TEST_CFG_BUILD_H

#include "arena.h"
#include "ir.h"
#include "ir_intern.h"

#include <string.h>

#define CFG_MAX_SUCC 24

struct cfg {
    struct ll_arena *a;
    struct ll_function fn;
    uint32_t maxev;
};

static inline void *cfg_alloc(struct ll_arena *a, size_t n)
{
    void *p = ll_arena_alloc(a, n);
    assert_non_null(p);
    return p;
}

/* A function of `nblocks` blocks; the last one is the exit. */
static inline void cfg_init(struct cfg *c, struct ll_arena *a, uint32_t nblocks, uint32_t maxev)
{
    memset(c, 0, sizeof(*c));
    c->a = a;
    c->maxev = maxev;
    c->fn.name = "fn";
    c->fn.usr = "c:@F@fn";
    c->fn.nblocks = nblocks;
    c->fn.exit = nblocks - 1;
    c->fn.blocks = cfg_alloc(a, nblocks * sizeof(*c->fn.blocks));
    for (uint32_t b = 0; b < nblocks; b++)
        c->fn.blocks[b].succ = cfg_alloc(a, CFG_MAX_SUCC * sizeof(uint32_t));
    c->fn.events = cfg_alloc(a, (maxev + 1) * sizeof(*c->fn.events));
}

static inline void cfg_edge(struct cfg *c, uint32_t from, uint32_t to)
{
    struct ll_block *b = &c->fn.blocks[from];
    assert_true(b->nsucc < CFG_MAX_SUCC);
    assert_true(to < c->fn.nblocks);
    b->succ[b->nsucc++] = to;
}

/* A two-way branch at the end of `blk` on condition `text` (NULL: none
 * the analysis can remember): to t when true, f when false. */
static inline struct ll_cond *cfg_branch(struct cfg *c, uint32_t blk, const char *text, uint32_t t,
                                         uint32_t f)
{
    struct ll_block *b = &c->fn.blocks[blk];
    assert_int_equal(b->nsucc, 0);
    cfg_edge(c, blk, t);
    cfg_edge(c, blk, f);
    b->cond.kind = LL_COND_OTHER;
    b->cond.text = text;
    return &b->cond;
}

/* A branch on the local `var` (its text is the variable's name). */
static inline struct ll_cond *cfg_branch_var(struct cfg *c, uint32_t blk, const char *var,
                                             uint32_t t, uint32_t f)
{
    struct ll_cond *cond = cfg_branch(c, blk, var, t, f);
    cond->kind = LL_COND_VAR;
    cond->var = var;
    const char **vars = cfg_alloc(c->a, sizeof(*vars));
    vars[0] = var;
    cond->vars = vars;
    cond->nvars = 1;
    return cond;
}

/* A branch on the result of event `e`. */
static inline struct ll_cond *cfg_branch_event(struct cfg *c, uint32_t blk, uint32_t e,
                                               bool true_when_zero, uint32_t t, uint32_t f)
{
    struct ll_cond *cond = cfg_branch(c, blk, NULL, t, f);
    cond->kind = LL_COND_EVENT;
    cond->event = e;
    cond->true_when_zero = true_when_zero;
    c->fn.events[e].flags |= LL_EVF_CHECKED;
    return cond;
}

static inline struct ll_path cfg_path(enum ll_root_kind root, const char *name)
{
    struct ll_path p = {.root = (uint8_t)root, .param = -1};
    p.text = p.key = p.cls = name;
    return p;
}

/* Appends an event to `blk`; blocks must be filled in order. */
static inline uint32_t cfg_event(struct cfg *c, uint32_t blk, enum ll_event_kind kind)
{
    struct ll_function *fn = &c->fn;
    struct ll_block *b = &fn->blocks[blk];
    assert_true(fn->nevents < c->maxev);
    if (b->nevents == 0)
        b->first_event = fn->nevents;
    else
        assert_int_equal(b->first_event + b->nevents, fn->nevents); /* contiguous */
    uint32_t e = fn->nevents++;
    b->nevents++;
    struct ll_event *x = &fn->events[e];
    memset(x, 0, sizeof(*x));
    x->kind = (uint8_t)kind;
    x->obj.param = x->aux.param = -1;
    x->loc.line = e + 1;
    return e;
}

/* A write of the local `var`, of the constant `value` when not NULL. */
static inline uint32_t cfg_write_local(struct cfg *c, uint32_t blk, const char *var,
                                       const char *value)
{
    uint32_t e = cfg_event(c, blk, LL_EV_ACCESS);
    c->fn.events[e].obj = cfg_path(LL_ROOT_LOCAL, var);
    c->fn.events[e].flags = LL_EVF_WRITE;
    c->fn.events[e].result_var = value;
    return e;
}

/* The analyses want the function's strings interned (ir.h). */
static inline void cfg_intern(struct cfg *c)
{
    struct ll_tu_facts f;
    ll_tu_facts_init(&f);
    f.nfunctions = 1;
    f.functions = &c->fn;
    assert_int_equal(ll_facts_intern(&f), 0);
}

#endif
