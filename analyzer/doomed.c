/*
 * doomed: a least fixpoint over the blocks, iterated backwards (blocks
 * mostly follow source order, so few passes settle it).
 */
#include "doomed.h"

#include <string.h>

static bool calls_death(const struct ll_block *b, bool (*dies)(void *, uint32_t), void *ctx)
{
    for (uint32_t e = b->first_event; dies && e < b->first_event + b->nevents; e++)
        if (dies(ctx, e))
            return true;
    return false;
}

static bool all_succ_doomed(const struct ll_block *b, const uint8_t *doomed)
{
    for (uint32_t s = 0; s < b->nsucc; s++)
        if (!doomed[b->succ[s]])
            return false;
    return true;
}

void ll_doomed_blocks(const struct ll_function *fn, bool (*dies)(void *ctx, uint32_t e), void *ctx,
                      uint8_t *doomed)
{
    memset(doomed, 0, fn->nblocks);
    if (fn->flags & LL_FN_TRUNCATED)
        return;
    for (uint32_t b = 0; b < fn->nblocks; b++)
        if (b != fn->exit && calls_death(&fn->blocks[b], dies, ctx))
            doomed[b] = 1;
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t b = fn->nblocks; b-- > 0;) {
            if (doomed[b] || b == fn->exit || !all_succ_doomed(&fn->blocks[b], doomed))
                continue;
            doomed[b] = 1;
            changed = true;
        }
    }
}
