/*
 * init_failure: a reachability pass over the blocks from the entry that
 * does not follow failure edges (see init_failure.h).
 */
#include "init_failure.h"

#include "pathset.h"

#include <stdlib.h>
#include <string.h>

/* Calls that are no events of their own (LOCK_INIT and BARRIER_INIT are). */
static const char *const init_calls[] = {
    "pthread_cond_init",        "cnd_init",
    "pthread_key_create",       "tss_create",
    "pthread_attr_init",        "pthread_mutexattr_init",
    "pthread_condattr_init",    "pthread_rwlockattr_init",
    "pthread_barrierattr_init", "sem_init",
};

bool ll_is_sync_init(const struct ll_event *ev)
{
    if (ev->kind == LL_EV_LOCK_INIT || ev->kind == LL_EV_BARRIER_INIT)
        return true;
    if (ev->kind != LL_EV_CALL || !ev->api || (ev->flags & LL_EVF_INDIRECT))
        return false;
    for (size_t i = 0; i < sizeof(init_calls) / sizeof(init_calls[0]); i++)
        if (strcmp(ev->api, init_calls[i]) == 0)
            return true;
    return false;
}

/* The locals an initialisation's result is assigned to (a few). */
#define LL_INIT_VARS 8
struct init_vars {
    const char *var[LL_INIT_VARS];
    uint32_t n;
};

static void collect_vars(const struct ll_function *fn, struct init_vars *iv)
{
    iv->n = 0;
    for (uint32_t e = 0; e < fn->nevents && iv->n < LL_INIT_VARS; e++)
        if (fn->events[e].result_var && ll_is_sync_init(&fn->events[e]))
            iv->var[iv->n++] = fn->events[e].result_var;
}

/* Whether block b's condition tests the result of an initialisation. */
static bool tests_init(const struct ll_function *fn, const struct init_vars *iv,
                       const struct ll_block *b)
{
    const struct ll_cond *c = &b->cond;
    if (b->nsucc != 2)
        return false;
    if (c->kind == LL_COND_EVENT)
        return c->event < fn->nevents && ll_is_sync_init(&fn->events[c->event]);
    for (uint32_t i = 0; c->kind == LL_COND_VAR && c->var && i < iv->n; i++)
        if (strcmp(iv->var[i], c->var) == 0)
            return true;
    return false;
}

/* Whether edge `which` (0: true) of a test of an initialisation's result
 * is its failure: the result cannot be zero there. */
static bool failure_edge(const struct ll_cond *c, int which)
{
    bool truth = which == 0;
    if (c->cmp != LL_CMP_NONE)
        return !(ll_ps_signs(c->cmp, c->cmp_k, truth) & LL_PS_ZERO);
    return truth != (c->true_when_zero != 0);
}

bool ll_init_failure_blocks(const struct ll_function *fn, uint8_t *only)
{
    struct init_vars iv;
    collect_vars(fn, &iv);
    bool any = false;
    for (uint32_t b = 0; b < fn->nblocks && !any; b++)
        any = tests_init(fn, &iv, &fn->blocks[b]);
    if (!any || fn->nblocks == 0)
        return false;
    uint32_t *work = malloc((size_t)fn->nblocks * sizeof(*work));
    if (!work)
        return false;
    memset(only, 1, fn->nblocks);
    uint32_t n = 0;
    only[0] = 0;
    work[n++] = 0;
    while (n) {
        const struct ll_block *b = &fn->blocks[work[--n]];
        bool init = tests_init(fn, &iv, b);
        for (uint32_t s = 0; s < b->nsucc; s++) {
            uint32_t t = b->succ[s];
            if (t >= fn->nblocks || !only[t] || (init && failure_edge(&b->cond, (int)s)))
                continue;
            only[t] = 0;
            work[n++] = t;
        }
    }
    free(work);
    return true;
}
