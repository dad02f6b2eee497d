/*
 * scc: Tarjan's algorithm with an explicit stack of frames (see scc.h).
 */
#include "scc.h"

#include "invariant.h"

#include <stdbool.h>
#include <stdlib.h>

struct frame {
    uint32_t v, next; /* node, index of its next successor to visit */
};

long ll_scc_find(const struct ll_scc_graph *g, uint32_t *comp, uint32_t *order, uint32_t *start)
{
    uint32_t n = g->n, idx = 0, sp = 0, out = 0, nc = 0;
    uint32_t *index = malloc(((size_t)n + 1) * sizeof(*index));
    uint32_t *low = malloc(((size_t)n + 1) * sizeof(*low));
    uint32_t *stack = malloc(((size_t)n + 1) * sizeof(*stack));
    bool *on = calloc((size_t)n + 1, sizeof(*on));
    struct frame *call = malloc(((size_t)n + 1) * sizeof(*call));
    long rc = -1;
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
            if (fr->next < g->degree(g->ctx, v)) {
                uint32_t w = g->succ(g->ctx, v, fr->next++);
                LL_ASSERT(w < n);
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
                uint32_t c = nc++, w;
                if (start)
                    start[c] = out;
                do {
                    LL_ASSERT(sp > 0);
                    w = stack[--sp];
                    on[w] = false;
                    comp[w] = c;
                    if (order)
                        order[out] = w;
                    out++;
                } while (w != v);
            }
            depth--;
            if (depth && low[v] < low[call[depth - 1].v])
                low[call[depth - 1].v] = low[v];
        }
    }
    LL_ASSERT(sp == 0 && out == n);
    if (start)
        start[nc] = out;
    rc = nc;
out:
    free(index);
    free(low);
    free(stack);
    free(on);
    free(call);
    return rc;
}
