/*
 * graph_dot: the lock-order graph as Graphviz for people (--graph).  By
 * default only what matters is drawn: the edges on a cycle (each cycle in
 * a colour of its own, every edge labelled with its cycle, the function
 * and the site of the nesting) and the same-class nestings, with the
 * locks they join grouped by the file that takes them first, and a
 * legend.  --graph-all adds every other edge in grey.
 *
 * It only writes; the graph and its cycles come from lockgraph.h.
 */
#ifndef LL_GRAPH_DOT_H
#define LL_GRAPH_DOT_H

#include "lockgraph.h"

#include <stdbool.h>
#include <stdio.h>

/* Writes g with its cycles c[0..nc).  Paths are shown relative to `root`
 * (may be NULL).  Returns 0, or -1 on a write error or out of memory. */
int ll_graph_write_dot(FILE *out, const struct ll_lockgraph *g, const struct ll_lg_cycle *c,
                       size_t nc, const char *root, bool all);

#endif
