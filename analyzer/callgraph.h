/*
 * callgraph: who calls whom among the program's functions, the strongly
 * connected components in bottom-up order (callees before callers), and
 * which thread roots reach each function.
 *
 * Direct calls are linked by USR; calls through pointers are left out (they
 * neither acquire nor release, as DESIGN.md says) except thread start
 * routines, which are roots.  Every walk here is iterative.
 */
#ifndef LL_CALLGRAPH_H
#define LL_CALLGRAPH_H

#include "bitset.h"
#include "program.h"

#include <stdbool.h>
#include <stdint.h>

struct ll_root {
    uint32_t fn;         /* index into the program's functions */
    bool multi_instance; /* created in a loop or from several sites */
    uint32_t sites;      /* thread creations naming it (0 for main) */
};

struct ll_callgraph {
    struct ll_arena arena;
    uint32_t n;         /* functions */
    uint32_t *ncallees; /* per function */
    uint32_t **callees; /* per function: distinct callee indices */
    uint32_t nsccs;
    uint32_t *scc;       /* per function: its component */
    uint32_t *order;     /* functions, callees' components first */
    uint32_t *scc_start; /* component c is order[scc_start[c] .. scc_start[c+1]) */
    bool *recursive;     /* per function: in a cycle (or calls itself) */
    uint32_t nroots;
    struct ll_root *roots;
    uint32_t root_words; /* 64-bit words per function in `reach` */
    uint64_t *reach;     /* per function: bit r set when root r reaches it */
};

/* Builds the graph for `p`. Returns 0 or -1 when out of memory. */
int ll_callgraph_build(struct ll_callgraph *g, const struct ll_program *p);
void ll_callgraph_release(struct ll_callgraph *g);

static inline bool ll_callgraph_reaches(const struct ll_callgraph *g, uint32_t root, uint32_t fn)
{
    return ll_bitset_has(&g->reach[(size_t)fn * g->root_words], root);
}

#endif
