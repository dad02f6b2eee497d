/*
 * callgraph: adjacency lists from CALL events, their components (scc.h),
 * and root reachability by breadth-first search.
 */
#include "callgraph.h"

#include "scc.h"

#include <stdlib.h>
#include <string.h>

static int build_edges(struct ll_callgraph *g, const struct ll_program *p)
{
    uint32_t *seen = calloc(g->n + 1, sizeof(*seen)); /* stamp per callee */
    uint32_t *buf = malloc((g->n + 1) * sizeof(*buf));
    if (!seen || !buf) {
        free(seen);
        free(buf);
        return -1;
    }
    int rc = 0;
    for (uint32_t f = 0; f < g->n && rc == 0; f++) {
        const struct ll_function *fn = p->fns[f].fn;
        uint32_t k = 0;
        for (uint32_t e = 0; e < fn->nevents; e++) {
            if (fn->events[e].kind != LL_EV_CALL)
                continue;
            long c = ll_program_callee(p, f, e);
            if (c < 0 || seen[c] == f + 1)
                continue;
            seen[c] = f + 1;
            buf[k++] = (uint32_t)c;
        }
        g->ncallees[f] = k;
        g->callees[f] = ll_arena_alloc(&g->arena, (k + 1) * sizeof(uint32_t));
        if (!g->callees[f])
            rc = -1;
        else if (k)
            memcpy(g->callees[f], buf, k * sizeof(uint32_t));
    }
    free(seen);
    free(buf);
    return rc;
}

static uint32_t callee_count(const void *ctx, uint32_t v)
{
    const struct ll_callgraph *g = ctx;
    return g->ncallees[v];
}

static uint32_t callee_at(const void *ctx, uint32_t v, uint32_t i)
{
    const struct ll_callgraph *g = ctx;
    return g->callees[v][i];
}

/* The components come out callees first, which is the bottom-up order the
 * summaries need.  A function is recursive when its component has several
 * or it calls itself. */
static int components(struct ll_callgraph *g)
{
    struct ll_scc_graph sg = {g->n, callee_count, callee_at, g};
    long nc = ll_scc_find(&sg, g->scc, g->order, g->scc_start);
    if (nc < 0)
        return -1;
    g->nsccs = (uint32_t)nc;
    for (uint32_t c = 0; c < g->nsccs; c++)
        for (uint32_t i = g->scc_start[c];
             g->scc_start[c + 1] - g->scc_start[c] > 1 && i < g->scc_start[c + 1]; i++)
            g->recursive[g->order[i]] = true;
    for (uint32_t v = 0; v < g->n; v++)
        for (uint32_t i = 0; i < g->ncallees[v]; i++)
            if (g->callees[v][i] == v)
                g->recursive[v] = true;
    return 0;
}

static int find_roots(struct ll_callgraph *g, const struct ll_program *p)
{
    g->roots = ll_arena_alloc(&g->arena, (g->n + 1) * sizeof(*g->roots));
    uint32_t *root_of = malloc((g->n + 1) * sizeof(*root_of));
    if (!g->roots || !root_of) {
        free(root_of);
        return -1;
    }
    for (uint32_t f = 0; f < g->n; f++) {
        root_of[f] = UINT32_MAX;
        if (p->fns[f].is_main || p->fns[f].is_start_routine) {
            root_of[f] = g->nroots;
            /* a library's callers: any number of threads at once */
            g->roots[g->nroots++] = (struct ll_root){f, p->fns[f].entry_caller, 0};
        }
    }
    for (uint32_t f = 0; f < g->n; f++) {
        const struct ll_function *fn = p->fns[f].fn;
        for (uint32_t e = 0; e < fn->nevents; e++) {
            const struct ll_event *ev = &fn->events[e];
            if (ev->kind != LL_EV_THREAD_CREATE)
                continue;
            long s = ll_program_callee(p, f, e);
            if (s < 0 || root_of[s] == UINT32_MAX)
                continue;
            struct ll_root *r = &g->roots[root_of[s]];
            r->sites++;
            /* a dispatcher starts one of several routines: several threads */
            if (ev->loop_depth > 0 || r->sites > 1 || g->recursive[f] || p->fns[s].dispatcher)
                r->multi_instance = true;
        }
    }
    free(root_of);
    return 0;
}

static int reachability(struct ll_callgraph *g)
{
    g->root_words = ll_bitset_words(g->nroots);
    g->reach = ll_arena_alloc(&g->arena, (size_t)g->n * g->root_words * sizeof(uint64_t) + 8);
    uint32_t *queue = malloc((g->n + 1) * sizeof(*queue));
    if (!g->reach || !queue) {
        free(queue);
        return -1;
    }
    for (uint32_t r = 0; r < g->nroots; r++) {
        uint32_t head = 0, tail = 0, start = g->roots[r].fn;
        ll_bitset_set(&g->reach[(size_t)start * g->root_words], r);
        queue[tail++] = start;
        while (head < tail) {
            uint32_t v = queue[head++];
            for (uint32_t i = 0; i < g->ncallees[v]; i++) {
                uint32_t w = g->callees[v][i];
                uint64_t *set = &g->reach[(size_t)w * g->root_words];
                if (!ll_bitset_has(set, r)) {
                    ll_bitset_set(set, r);
                    queue[tail++] = w;
                }
            }
        }
    }
    free(queue);
    return 0;
}

int ll_callgraph_build(struct ll_callgraph *g, const struct ll_program *p)
{
    memset(g, 0, sizeof(*g));
    ll_arena_init(&g->arena);
    g->n = (uint32_t)p->nfns;
    size_t n1 = (size_t)g->n + 1;
    g->ncallees = ll_arena_alloc(&g->arena, n1 * sizeof(uint32_t));
    g->callees = ll_arena_alloc(&g->arena, n1 * sizeof(uint32_t *));
    g->scc = ll_arena_alloc(&g->arena, n1 * sizeof(uint32_t));
    g->order = ll_arena_alloc(&g->arena, n1 * sizeof(uint32_t));
    g->scc_start = ll_arena_alloc(&g->arena, (n1 + 1) * sizeof(uint32_t));
    g->recursive = ll_arena_alloc(&g->arena, n1 * sizeof(bool));
    if (!g->ncallees || !g->callees || !g->scc || !g->order || !g->scc_start || !g->recursive)
        return -1;
    if (build_edges(g, p) != 0 || components(g) != 0 || find_roots(g, p) != 0 ||
        reachability(g) != 0)
        return -1;
    return 0;
}

void ll_callgraph_release(struct ll_callgraph *g)
{
    ll_arena_release(&g->arena);
    memset(g, 0, sizeof(*g));
}
