/*
 * live_reach: doomed blocks per function, bottom-up so that a call to a
 * function that always dies dooms its block; then a breadth-first search
 * per root over the calls outside doomed blocks (not into pthread_once
 * routines).
 */
#include "live_reach.h"

#include "bitset.h"
#include "doomed.h"
#include "lockapi.h"

#include <stdlib.h>
#include <string.h>

struct dies_ctx {
    const struct ll_fn_view *f;
    const bool *dies; /* per function: always dies */
};

static bool callee_dies(void *p, uint32_t e)
{
    const struct dies_ctx *d = p;
    const struct ll_call_info *ci = d->f->calls ? d->f->calls[e] : NULL;
    return ci && ci->callee >= 0 && d->dies[ci->callee];
}

/* live[i] for every function, callees before callers. */
static int mark_live(const struct ll_view *v, struct ll_arena *a, struct ll_live_reach *out)
{
    uint32_t most = 1;
    for (size_t i = 0; i < v->nfns; i++)
        if (v->fns[i].fn->nblocks > most)
            most = v->fns[i].fn->nblocks;
    bool *dies = calloc(v->nfns + 1, sizeof(bool));
    uint8_t *doomed = malloc(most);
    int rc = -1;
    if (!dies || !doomed)
        goto out;
    for (uint32_t o = 0; o < v->cg.n; o++) {
        uint32_t i = v->cg.order[o];
        const struct ll_function *fn = v->fns[i].fn;
        struct dies_ctx d = {&v->fns[i], dies};
        out->live[i] = ll_arena_alloc_raw(a, (size_t)fn->nevents + 1);
        if (!out->live[i])
            goto out;
        memset(out->live[i], 1, (size_t)fn->nevents + 1);
        ll_doomed_blocks(fn, callee_dies, &d, doomed);
        for (uint32_t b = 0; b < fn->nblocks; b++)
            if (doomed[b])
                memset(out->live[i] + fn->blocks[b].first_event, 0, fn->blocks[b].nevents);
        dies[i] = fn->nblocks > 0 && doomed[0] && !v->fns[i].is_main;
    }
    rc = 0;
out:
    free(dies);
    free(doomed);
    return rc;
}

/* A pthread_once routine runs once, and every pthread_once on its control
 * returns after it: its accesses race with nothing the callers do next,
 * so threads do not reach it here (they do in the call graph, for the
 * locks it takes). */
static bool once_call(const struct ll_event *ev)
{
    const struct ll_api *api = ll_lockapi_lookup(ev->api);
    return api && api->op == LL_OP_ONCE;
}

/*
 * Breadth-first from each root into `set` (per function, a bit per root),
 * with each function's distance from the root when `depths`.  With
 * `sure`, a made-up dispatcher (a call through a slot that can hold
 * several functions) is reached but not gone through.
 */
static int search(const struct ll_view *v, struct ll_live_reach *out, uint64_t *set, bool depths,
                  bool sure)
{
    uint32_t *queue = malloc((v->nfns + 1) * sizeof(*queue));
    uint8_t *level = malloc(v->nfns + 1); /* per queue slot: its distance */
    if (!queue || !level) {
        free(queue);
        free(level);
        return -1;
    }
    if (depths)
        memset(out->root_depth, UINT8_MAX, (v->nfns + 1) * (size_t)out->nroots);
    for (uint32_t r = 0; r < v->cg.nroots; r++) {
        uint32_t head = 0, tail = 0, start = v->cg.roots[r].fn;
        ll_bitset_set(&set[(size_t)start * out->words], r);
        level[tail] = 0;
        queue[tail++] = start;
        while (head < tail) {
            uint8_t d = level[head];
            uint32_t i = queue[head++];
            const struct ll_fn_view *f = &v->fns[i];
            if (depths)
                out->root_depth[(size_t)i * out->nroots + r] = d;
            if (sure && v->program.fns[i].dispatcher && !v->program.fns[i].dispatch_in_place)
                continue;
            for (uint32_t e = 0; f->calls && e < f->fn->nevents; e++) {
                const struct ll_call_info *ci = f->calls[e];
                if (!ci || ci->callee < 0 || !out->live[i][e] || once_call(&f->fn->events[e]))
                    continue;
                uint64_t *seen = &set[(size_t)ci->callee * out->words];
                if (!ll_bitset_has(seen, r)) {
                    ll_bitset_set(seen, r);
                    level[tail] = d < UINT8_MAX ? d + 1 : d;
                    queue[tail++] = (uint32_t)ci->callee;
                }
            }
        }
    }
    free(queue);
    free(level);
    return 0;
}

int ll_live_reach_build(const struct ll_view *v, struct ll_arena *a, struct ll_live_reach *out)
{
    out->words = v->cg.root_words;
    out->reach = ll_arena_alloc(a, (v->nfns + 1) * out->words * sizeof(uint64_t));
    out->sure = ll_arena_alloc(a, (v->nfns + 1) * out->words * sizeof(uint64_t));
    out->live = ll_arena_alloc(a, (v->nfns + 1) * sizeof(*out->live));
    out->nroots = v->cg.nroots;
    out->root_depth = ll_arena_alloc_raw(a, (v->nfns + 1) * (size_t)out->nroots + 1);
    if (!out->reach || !out->sure || !out->live || !out->root_depth)
        return -1;
    if (mark_live(v, a, out) != 0)
        return -1;
    return search(v, out, out->reach, true, false) != 0 ? -1
                                                        : search(v, out, out->sure, false, true);
}

bool ll_live_reached(const struct ll_live_reach *lr, uint32_t fn)
{
    return ll_bitset_any(&lr->reach[(size_t)fn * lr->words], lr->words);
}
