/*
 * lockuse: a depth-first search over blocks from the event after `from`;
 * each block is entered once (its first use or stop ends the walk in it).
 */
#include "lockuse.h"

#include <stdlib.h>
#include <string.h>

const struct ll_path *ll_lockuse_lock(const struct ll_event *x)
{
    switch (x->kind) {
    case LL_EV_ACQUIRE:
    case LL_EV_TRYACQUIRE:
    case LL_EV_RELEASE:
    case LL_EV_LOCK_INIT:
    case LL_EV_LOCK_DESTROY:
    case LL_EV_LOCK_COPY:
        return &x->obj;
    case LL_EV_COND_WAIT:
        return &x->aux;
    default:
        return NULL;
    }
}

static bool ident_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool ll_lockuse_names_var(const char *key, const char *var)
{
    size_t n = strlen(var);
    if (!n)
        return false;
    for (const char *p = strstr(key, var); p; p = strstr(p + 1, var))
        if ((p == key || !ident_char(p[-1])) && !ident_char(p[n]))
            return true;
    return false;
}

/* What event x means to the walk: 1 a use (visit, stop), 2 stop, 0 go on. */
static int classify(const struct ll_event *x, const char *key)
{
    const struct ll_path *p = ll_lockuse_lock(x);
    if (p && p->key && strcmp(p->key, key) == 0)
        return 1;
    if (x->kind == LL_EV_ACCESS && (x->flags & LL_EVF_WRITE) && x->obj.key &&
        (x->obj.root == LL_ROOT_LOCAL || x->obj.root == LL_ROOT_PARAM) &&
        !(x->obj.flags & LL_PATH_DEREF) && ll_lockuse_names_var(key, x->obj.key))
        return 2;
    return 0;
}

int ll_lockuse_next(const struct ll_function *fn, uint32_t from, const char *key,
                    bool (*stop)(void *ctx, uint32_t x), void (*visit)(void *ctx, uint32_t x),
                    void *ctx)
{
    uint32_t start = UINT32_MAX;
    for (uint32_t b = 0; b < fn->nblocks && start == UINT32_MAX; b++)
        if (from >= fn->blocks[b].first_event &&
            from < fn->blocks[b].first_event + fn->blocks[b].nevents)
            start = b;
    if (start == UINT32_MAX || !key)
        return 0;
    uint8_t *seen = calloc(fn->nblocks + 1, 1);
    uint32_t *stack = malloc((fn->nblocks + 1) * sizeof(*stack));
    if (!seen || !stack) {
        free(seen);
        free(stack);
        return -1;
    }
    uint32_t sp = 0;
    /* the rest of the start block first; it is entered again from the top
     * only when a loop leads back to it */
    const struct ll_block *sb = &fn->blocks[start];
    bool ended = false;
    for (uint32_t x = from + 1; x < sb->first_event + sb->nevents && !ended; x++) {
        int c = classify(&fn->events[x], key);
        if (c == 0 && stop && stop(ctx, x))
            c = 2;
        if (c == 1)
            visit(ctx, x);
        ended = c != 0;
    }
    if (!ended)
        for (uint32_t i = 0; i < sb->nsucc; i++)
            if (!seen[sb->succ[i]]) {
                seen[sb->succ[i]] = 1;
                stack[sp++] = sb->succ[i];
            }
    while (sp) {
        const struct ll_block *bb = &fn->blocks[stack[--sp]];
        ended = false;
        for (uint32_t x = bb->first_event; x < bb->first_event + bb->nevents && !ended; x++) {
            int c = classify(&fn->events[x], key);
            if (c == 0 && stop && stop(ctx, x))
                c = 2;
            if (c == 1)
                visit(ctx, x);
            ended = c != 0;
        }
        if (ended)
            continue;
        for (uint32_t i = 0; i < bb->nsucc; i++)
            if (!seen[bb->succ[i]]) {
                seen[bb->succ[i]] = 1;
                stack[sp++] = bb->succ[i];
            }
    }
    free(seen);
    free(stack);
    return 0;
}
