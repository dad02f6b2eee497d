/*
 * callgraph: adjacency lists from CALL events, Tarjan's algorithm with an
 * explicit stack, and root reachability by breadth-first search.
 */
#include "callgraph.h"

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

struct frame {
    uint32_t v, next;
};

/* Tarjan's SCC algorithm without recursion.  Components come out callees
 * first, which is the bottom-up order the summaries need. */
static int tarjan(struct ll_callgraph *g)
{
    uint32_t n = g->n, idx = 0, sp = 0, out = 0;
    uint32_t *index = malloc((n + 1) * sizeof(*index));
    uint32_t *low = malloc((n + 1) * sizeof(*low));
    uint32_t *stack = malloc((n + 1) * sizeof(*stack));
    bool *on = calloc(n + 1, sizeof(*on));
    struct frame *call = malloc((n + 1) * sizeof(*call));
    int rc = -1;
    if (!index || !low || !stack || !on || !call)
        goto out;
    for (uint32_t i = 0; i < n; i++)
        index[i] = UINT32_MAX;
    for (uint32_t root = 0; root < n; root++) {
        if (index[root] != UINT32_MAX)
            continue;
        uint32_t depth = 0;
        call[depth++] = (struct frame){root, 0};
        index[root] = low[root] = idx++;
        stack[sp++] = root;
        on[root] = true;
        while (depth) {
            struct frame *fr = &call[depth - 1];
            uint32_t v = fr->v;
            if (fr->next < g->ncallees[v]) {
                uint32_t w = g->callees[v][fr->next++];
                if (w == v)
                    g->recursive[v] = true;
                if (index[w] == UINT32_MAX) {
                    index[w] = low[w] = idx++;
                    stack[sp++] = w;
                    on[w] = true;
                    call[depth++] = (struct frame){w, 0};
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            if (low[v] == index[v]) {
                uint32_t c = g->nsccs++, first = out, w;
                g->scc_start[c] = out;
                do {
                    w = stack[--sp];
                    on[w] = false;
                    g->scc[w] = c;
                    g->order[out++] = w;
                } while (w != v);
                if (out - first > 1)
                    for (uint32_t i = first; i < out; i++)
                        g->recursive[g->order[i]] = true;
            }
            depth--;
            if (depth && low[v] < low[call[depth - 1].v])
                low[call[depth - 1].v] = low[v];
        }
    }
    g->scc_start[g->nsccs] = out;
    rc = 0;
out:
    free(index);
    free(low);
    free(stack);
    free(on);
    free(call);
    return rc;
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
            g->roots[g->nroots++] = (struct ll_root){f, false, 0};
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
            if (ev->loop_depth > 0 || r->sites > 1 || g->recursive[f])
                r->multi_instance = true;
        }
    }
    free(root_of);
    return 0;
}

static int reachability(struct ll_callgraph *g)
{
    g->root_words = (g->nroots + 63) / 64;
    if (g->root_words == 0)
        g->root_words = 1;
    g->reach = ll_arena_alloc(&g->arena, (size_t)g->n * g->root_words * sizeof(uint64_t) + 8);
    uint32_t *queue = malloc((g->n + 1) * sizeof(*queue));
    if (!g->reach || !queue) {
        free(queue);
        return -1;
    }
    for (uint32_t r = 0; r < g->nroots; r++) {
        uint32_t head = 0, tail = 0, start = g->roots[r].fn;
        uint64_t bit = 1ull << (r % 64);
        size_t word = r / 64;
        g->reach[(size_t)start * g->root_words + word] |= bit;
        queue[tail++] = start;
        while (head < tail) {
            uint32_t v = queue[head++];
            for (uint32_t i = 0; i < g->ncallees[v]; i++) {
                uint32_t w = g->callees[v][i];
                uint64_t *slot = &g->reach[(size_t)w * g->root_words + word];
                if (!(*slot & bit)) {
                    *slot |= bit;
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
    if (build_edges(g, p) != 0 || tarjan(g) != 0 || find_roots(g, p) != 0 || reachability(g) != 0)
        return -1;
    return 0;
}

void ll_callgraph_release(struct ll_callgraph *g)
{
    ll_arena_release(&g->arena);
    memset(g, 0, sizeof(*g));
}
