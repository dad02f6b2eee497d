/*
 * lockgraph: the program's lock-order graph.  A node is a lock: one object
 * when its path names one object program-wide (a global, `alice.lock`),
 * else its class (`struct conn.lock`, `forks[]`), the way lockdep forgets
 * instances.  A class keeps its embedding path (`struct conn.in.lock` and
 * `struct conn.out.lock` are two nodes) unless the program also takes a
 * lock of that class where the embedding is not known (through a `struct
 * half *`): ll_lockgraph_merge_aliases() then makes them one node again.  An edge A -> B says B was
 * acquired (blocking) while A was held, with one witness, a count, the thread roots that reach it,
 * and the locks held at every occurrence (a gate lock held around all edges of a cycle prevents the
 * deadlock).
 *
 * Cycles are found per strongly connected component as the shortest cycle
 * through each edge, so their number is bounded by the edges and each
 * elementary cycle is reported once.  This module finds; the
 * lock-order-inversion rule decides what to report.
 */
#ifndef LL_LOCKGRAPH_H
#define LL_LOCKGRAPH_H

#include "ir.h"
#include "report.h"
#include "strmap.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct ll_lg_node {
    const char *id;   /* "K:" key for one object, "C:" class otherwise */
    const char *text; /* for messages */
    const char *cls;
    const char *emb; /* the class with its embedding path (ll_path.emb), or NULL */
    bool concrete;
};

struct ll_lg_witness {
    uint32_t fn; /* program function where the nesting happens */
    const char *fn_name;
    struct ll_site outer, inner;         /* acquisition sites (inner may be in a callee) */
    struct ll_site call;                 /* the call that led to inner, when via a callee */
    const char *via;                     /* the function acquiring inner, when not fn */
    const char *outer_text, *inner_text; /* the locks as written there */
    bool has_call;
    bool guessed; /* inner is taken only through a call through a function pointer that can
                     hold several functions: the edge may not exist (see ll_take) */
    /* the outer / inner lock is one of the locks a local pointer, spelled so,
     * may point to (ir.h: an acquisition's args), or NULL: the edge holds only
     * on the paths where it points there */
    const char *may_outer, *may_inner;
};

/* Whether the edge a witness stands for may not exist: guessed, or through
 * a pointer that may point elsewhere.  One sure witness makes an edge sure. */
bool ll_lg_witness_doubtful(const struct ll_lg_witness *w);

#define LL_LG_MAX_ROLE_PAIRS 4

struct ll_lg_edge {
    uint32_t from, to;
    uint32_t count;
    struct ll_lg_witness w;
    const char **gates; /* ids of locks held at every occurrence besides `from` */
    uint32_t ngates;
    uint64_t *roots; /* thread roots reaching any occurrence */
    bool same_class; /* from == to: two instances of one class nested */
    /* same_class: the roles of the two locks in the nestings seen, as
     * outer/inner pairs (a role is the lock's path without its root
     * variable, indices as []: `->poll->lock`, `[]`).  `runtime_order`
     * when the order is not fixed by the roles: one nesting had the same
     * role on both sides (`forks[i]` then `forks[j]`, `a->lock` then
     * `b->lock`), or two took the same roles in opposite orders, or there
     * were more pairs than kept. */
    const char *roles[2 * LL_LG_MAX_ROLE_PAIRS];
    uint8_t nroles;
    bool runtime_order;
};

struct ll_lockgraph {
    struct ll_arena arena;
    uint32_t nnodes, capnodes, nedges, capedges;
    struct ll_lg_node *nodes;
    struct ll_lg_edge *edges;
    struct ll_strmap node_by_id, edge_by_pair;
    uint32_t root_words;
};

struct ll_lg_cycle {
    uint32_t n;      /* edges in the cycle */
    uint32_t *edges; /* in order: edges[i].to == edges[i+1].from */
};

void ll_lockgraph_init(struct ll_lockgraph *g, uint32_t root_words);
void ll_lockgraph_release(struct ll_lockgraph *g);

/* Node id of a lock path (see above), in g's arena; NULL when out of memory. */
const char *ll_lockgraph_id(struct ll_lockgraph *g, const struct ll_path *p);

/*
 * Records that `inner` was acquired while `outer` was held.  `held` are the
 * ids of every lock held there (outer included); `roots` the root bitset of
 * the function (root_words words).  Nesting a lock inside itself is not an
 * edge (that is a double lock).  Returns 0 or -1 when out of memory.
 */
int ll_lockgraph_add(struct ll_lockgraph *g, const struct ll_path *outer,
                     const struct ll_path *inner, const struct ll_lg_witness *w,
                     const char *const *held, size_t nheld, const uint64_t *roots);

/* Merges the class nodes that may be one object (ll_class_may_alias()):
 * one node named by the shortest embedding path among them; their edges
 * become one, nestings between them same-class edges.  Call once after
 * the last ll_lockgraph_add().  Returns 0 or -1 when out of memory. */
int ll_lockgraph_merge_aliases(struct ll_lockgraph *g);

/* Elementary cycles (at most `max`), each the shortest through one of its
 * edges, deduplicated by node set; same-class self-edges are not cycles.
 * *out is allocated in g's arena. Returns 0 or -1. */
int ll_lockgraph_cycles(struct ll_lockgraph *g, size_t max, struct ll_lg_cycle **out, size_t *nout);

/* Graphviz: nodes with their class, edges with counts and a witness,
 * cycle edges in red. Returns 0 or -1 on a write error. */
int ll_lockgraph_write_dot(FILE *out, const struct ll_lockgraph *g, const struct ll_lg_cycle *c,
                           size_t nc);

#endif
