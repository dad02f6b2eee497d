/*
 * A hand-built function of up to BLOCK_CFG_MAX blocks for the unit tests of
 * block-level passes (doomed.c, init_failure.c): block b holds event b, a
 * call of `work`; the last block is the exit.  No frontend involved.
 */
#ifndef LL_TEST_BLOCK_CFG_H
#define LL_TEST_BLOCK_CFG_H

#include "ir.h"

#include <string.h>

#define BLOCK_CFG_MAX 8

struct block_cfg {
    struct ll_function fn;
    struct ll_block blocks[BLOCK_CFG_MAX];
    uint32_t succ[BLOCK_CFG_MAX][2];
    struct ll_event events[BLOCK_CFG_MAX];
};

static inline void block_cfg_init(struct block_cfg *c, uint32_t n)
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

static inline void block_cfg_edge(struct block_cfg *c, uint32_t from, uint32_t to)
{
    struct ll_block *b = &c->blocks[from];
    b->succ[b->nsucc++] = to;
}

#endif
