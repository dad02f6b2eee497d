/*
 * loops: back edges of an iterative depth-first search from the entry
 * block; each head's body is what reaches one of its latches backwards
 * without passing the head.  Linear in the blocks and edges per loop.
 */
#include "loops.h"

/* Finds the natural loops: back edges of an iterative depth-first search. */
int ll_find_loops(const struct ll_function *fn, struct ll_arena *a, struct ll_arena *tmp,
                  struct ll_loop **loops, uint32_t *nloops)
{
    uint32_t n = fn->nblocks;
    *loops = NULL;
    *nloops = 0;
    if (n == 0)
        return 0;
    uint8_t *color = ll_arena_alloc(tmp, n);
    uint32_t *stk = ll_arena_alloc(tmp, (size_t)n * sizeof(*stk));
    uint32_t *pos = ll_arena_alloc(tmp, (size_t)n * sizeof(*pos));
    uint32_t *heads = ll_arena_alloc(tmp, LL_MAX_LOOPS * sizeof(*heads));
    uint32_t *latch = ll_arena_alloc(tmp, LL_MAX_LOOPS * sizeof(*latch));
    if (!color || !stk || !pos || !heads || !latch)
        return -1;
    uint32_t nback = 0, sp = 0;
    stk[sp++] = 0;
    color[0] = 1;
    pos[0] = 0;
    while (sp) {
        uint32_t x = stk[sp - 1];
        const struct ll_block *bb = &fn->blocks[x];
        if (pos[x] < bb->nsucc) {
            uint32_t y = bb->succ[pos[x]++];
            if (color[y] == 1 && nback < LL_MAX_LOOPS) {
                heads[nback] = y;
                latch[nback++] = x;
            } else if (color[y] == 0) {
                color[y] = 1;
                pos[y] = 0;
                stk[sp++] = y;
            }
        } else {
            color[x] = 2;
            sp--;
        }
    }
    /* one loop per head */
    struct ll_loop *ls = ll_arena_alloc(a, (nback + 1) * sizeof(*ls));
    if (!ls)
        return -1;
    uint32_t nl = 0;
    for (uint32_t i = 0; i < nback; i++) {
        struct ll_loop *l = NULL;
        for (uint32_t k = 0; k < nl; k++)
            if (ls[k].head == heads[i])
                l = &ls[k];
        if (!l) {
            l = &ls[nl++];
            l->head = heads[i];
            l->latches = ll_arena_alloc(a, (nback + 1) * sizeof(uint32_t));
            l->body = ll_arena_alloc(a, n);
            if (!l->latches || !l->body)
                return -1;
            l->body[l->head] = 1;
            l->size = 1;
        }
        l->latches[l->nlatches++] = latch[i];
    }
    /* bodies: everything that reaches a latch backwards without the head */
    uint32_t *npred = ll_arena_alloc(tmp, (size_t)(n + 1) * sizeof(uint32_t));
    if (!npred)
        return -1;
    for (uint32_t b = 0; b < n; b++)
        for (uint32_t s = 0; s < fn->blocks[b].nsucc; s++)
            npred[fn->blocks[b].succ[s]]++;
    uint32_t **preds = ll_arena_alloc(tmp, (size_t)n * sizeof(*preds));
    uint32_t *fill = ll_arena_alloc(tmp, (size_t)n * sizeof(*fill));
    if (!preds || !fill)
        return -1;
    for (uint32_t b = 0; b < n; b++) {
        preds[b] = ll_arena_alloc(tmp, (npred[b] + 1) * sizeof(uint32_t));
        if (!preds[b])
            return -1;
    }
    for (uint32_t b = 0; b < n; b++)
        for (uint32_t s = 0; s < fn->blocks[b].nsucc; s++) {
            uint32_t y = fn->blocks[b].succ[s];
            preds[y][fill[y]++] = b;
        }
    for (uint32_t k = 0; k < nl; k++) {
        struct ll_loop *l = &ls[k];
        sp = 0;
        for (uint32_t i = 0; i < l->nlatches; i++)
            if (!l->body[l->latches[i]]) {
                l->body[l->latches[i]] = 1;
                l->size++;
                stk[sp++] = l->latches[i];
            }
        while (sp) {
            uint32_t x = stk[--sp];
            for (uint32_t i = 0; i < fill[x]; i++) {
                uint32_t y = preds[x][i];
                if (!l->body[y]) {
                    l->body[y] = 1;
                    l->size++;
                    stk[sp++] = y;
                }
            }
        }
    }
    /* innermost first: a loop nested in another is smaller */
    for (uint32_t i = 1; i < nl; i++)
        for (uint32_t j = i; j > 0 && ls[j - 1].size > ls[j].size; j--) {
            struct ll_loop t = ls[j];
            ls[j] = ls[j - 1];
            ls[j - 1] = t;
        }
    *loops = ls;
    *nloops = nl;
    return 0;
}
