/*
 * live_reach: which thread roots reach each function through calls the
 * program survives -- the call graph's reachability (callgraph.h) without
 * the calls made on doomed paths (doomed.h), where the process is going
 * down: an assertion's crash report reaches half a program, but it does
 * not run while the threads go on.  Nor through pthread_once: its routine
 * runs once, ordered before every caller goes on.
 */
#ifndef LL_LIVE_REACH_H
#define LL_LIVE_REACH_H

#include "arena.h"
#include "bitset.h"
#include "view_internal.h"

#include <stdbool.h>
#include <stdint.h>

struct ll_live_reach {
    uint32_t words;      /* 64-bit words per function: the call graph's root_words */
    uint64_t *reach;     /* per function: bit r set when root r reaches it alive */
    uint64_t *sure;      /* the same, without passing through a dispatcher that guesses:
                            one whose slot is called in several places, or is a
                            parameter (program.h, dispatch_in_place) */
    uint8_t **live;      /* per function, per event: 1 unless in a doomed block */
    uint8_t *root_depth; /* per function, per root (nroots a row): fewest live
                            calls from that root to it (0 for the root itself;
                            255 when unreached or farther) */
    uint32_t nroots;
};

/* The row of root_depth for function fn. */
static inline const uint8_t *ll_live_depths(const struct ll_live_reach *lr, uint32_t fn)
{
    return &lr->root_depth[(size_t)fn * lr->nroots];
}

/* Fills `out` with memory from `a`.  Returns 0, or -1 when out of memory. */
int ll_live_reach_build(const struct ll_view *v, struct ll_arena *a, struct ll_live_reach *out);

static inline bool ll_live_reaches(const struct ll_live_reach *lr, uint32_t root, uint32_t fn)
{
    return ll_bitset_has(&lr->reach[(size_t)fn * lr->words], root);
}

/* Root r reaches fn alive on a way that calls no function a pointer may
 * or may not hold. */
static inline bool ll_live_reaches_surely(const struct ll_live_reach *lr, uint32_t root,
                                          uint32_t fn)
{
    return ll_bitset_has(&lr->sure[(size_t)fn * lr->words], root);
}

/* Some root reaches fn alive. */
bool ll_live_reached(const struct ll_live_reach *lr, uint32_t fn);

#endif
