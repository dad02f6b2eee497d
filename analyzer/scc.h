/*
 * scc: the strongly connected components of a directed graph (Tarjan's
 * algorithm, iterative: no recursion however deep the graph).
 *
 * The graph is read through two callbacks, so that the call graph's
 * adjacency lists and the lock graph's edge arrays need no copy.  The
 * components come out in the order Tarjan completes them: a component
 * comes before every component that reaches it (callees before callers),
 * and the result depends only on the graph and the order of each node's
 * successors.
 */
#ifndef LL_SCC_H
#define LL_SCC_H

#include <stdint.h>

struct ll_scc_graph {
    uint32_t n; /* nodes 0 .. n-1 */
    /* Number of successors of v, and the i-th of them. */
    uint32_t (*degree)(const void *ctx, uint32_t v);
    uint32_t (*succ)(const void *ctx, uint32_t v, uint32_t i);
    const void *ctx;
};

/*
 * Finds the components of `g`.  Writes comp[v] (its component, numbered
 * in completion order) for every node; when `order` and `start` are not
 * NULL, also the nodes grouped by component, component c being
 * order[start[c] .. start[c+1]) (order: n entries, start: n+1).  Returns
 * the number of components, or -1 when out of memory.
 */
long ll_scc_find(const struct ll_scc_graph *g, uint32_t *comp, uint32_t *order, uint32_t *start);

#endif
