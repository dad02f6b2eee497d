/*
 * loops: the natural loops of a function's CFG, found from the back edges
 * of a depth-first search -- loop statements and loops made with `goto`
 * alike (`again: if (busy) { wait(); goto again; }`).  The frontend's
 * loop_depth and LL_BLK_LOOP_HEAD only know loop statements; what must
 * see every loop (thread handles, condition waits) asks here.
 */
#ifndef LL_LOOPS_H
#define LL_LOOPS_H

#include "arena.h"
#include "ir.h"

#include <stdbool.h>
#include <stdint.h>

struct ll_loop {
    uint32_t head;
    uint32_t nlatches;
    uint32_t *latches; /* sources of the back edges */
    uint8_t *body;     /* per block: 1 when in the loop (the head included) */
    uint32_t size;     /* number of blocks in the loop */
};

/* The loops of fn, innermost (smallest) first, one per head, in `a`;
 * `tmp` holds the search's scratch.  At most LL_MAX_LOOPS back edges are
 * followed.  Returns 0, or -1 when out of memory. */
#define LL_MAX_LOOPS 256
int ll_find_loops(const struct ll_function *fn, struct ll_arena *a, struct ll_arena *tmp,
                  struct ll_loop **loops, uint32_t *nloops);

#endif
