/*
 * blocking-under-lock: joining a thread that needs a lock the joiner holds
 * (a deadlock), and sleeping while holding a lock (directly or in a
 * callee).
 */
#include "rule.h"

#include "lockapi.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Finds `pthread_join`/`thrd_join` of a thread whose start routine (or anything it calls)\n"
    "acquires a lock the joining thread holds, and sleep-family calls (`sleep`, `usleep`,\n"
    "`nanosleep`, `thrd_sleep`, ...) made while holding a lock, directly or in a callee.\n\n"
    "## Why is this bad\n"
    "The joined thread blocks on the lock the joiner holds, and the joiner waits for it to\n"
    "finish: neither moves. Sleeping with a lock held stalls every thread that needs it, and\n"
    "turns a short critical section into a convoy.\n\n"
    "## Example\n"
    "```c\n"
    "pthread_mutex_lock(&state_lock);\n"
    "pthread_join(worker, NULL);   /* worker takes state_lock before it exits */\n"
    "```\n\n"
    "## Use instead\n"
    "Release the lock before joining or sleeping; use a condition variable with a timeout\n"
    "(`pthread_cond_timedwait`) when the wait is for state the lock protects.\n\n"
    "## Known problems\n"
    "The joined thread's start routine is found from the `pthread_create` that filled the same\n"
    "handle variable in the function, or one that stored it in a handle of the same class\n"
    "elsewhere. Semaphores and read locks are not counted as held.\n";

static bool really_held(const struct ll_fn_view *f, uint32_t e, uint32_t l)
{
    uint8_t st = ll_df_state(&f->df, e, l);
    return (st & ~LL_LS_SHARED) == LL_LS_HELD && !(st & LL_LS_SHARED) &&
           f->df.locks[l].kind != LL_LK_SEM;
}

static int first_held(const struct ll_fn_view *f, uint32_t e)
{
    for (uint32_t l = 0; l < f->df.nlocks; l++)
        if (really_held(f, e, l))
            return (int)l;
    return -1;
}

static bool is_sleep(const struct ll_event *ev)
{
    const struct ll_api *api = ll_lockapi_lookup(ev->api);
    return api && api->op == LL_OP_BLOCKING && (api->flags & LL_API_SLEEP);
}

static void check_sleep(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                        struct ll_rule_ctx *r)
{
    const struct ll_event *ev = &f->fn->events[e];
    int l = first_held(f, e);
    if (l < 0)
        return;
    const struct ll_df_lock *lk = &f->df.locks[l];
    struct ll_site site = ll_view_site(f, ev->loc, NULL);
    struct ll_finding *fd = NULL;
    if (ev->kind == LL_EV_BLOCKING && is_sleep(ev)) {
        fd = ll_diag(r, &site, f->fn->name, lk->cls, "'%s' sleeps while holding '%s'", ev->api,
                     lk->text);
    } else if (f->calls && f->calls[e]) {
        const struct ll_summary *s = &v->fns[f->calls[e]->callee].summary;
        if (!s->may_sleep)
            return;
        fd = ll_diag(r, &site, f->fn->name, lk->cls, "call to '%s' sleeps while holding '%s'",
                     ev->api, lk->text);
        if (fd)
            ll_diag_note(r, fd, &s->sleep_site, "'%s' sleeps here, in '%s'", s->sleep_api,
                         s->sleep_via);
    }
    if (fd)
        ll_view_note_acquired(v, f, e, (uint32_t)l, r->report, fd);
}

/* Start routines of the threads a join may wait for. */
static long started_by(const struct ll_view *v, const struct ll_fn_view *f, uint32_t join,
                       long after)
{
    const struct ll_event *j = &f->fn->events[join];
    for (size_t i = 0; i < v->nfns; i++) {
        const struct ll_fn_view *g = &v->fns[i];
        for (uint32_t e = 0; e < g->fn->nevents; e++) {
            const struct ll_event *c = &g->fn->events[e];
            if (c->kind != LL_EV_THREAD_CREATE || !c->callee || !c->obj.key || !j->obj.key)
                continue;
            bool same = g == f ? strcmp(c->obj.key, j->obj.key) == 0
                               : (c->obj.cls && j->obj.cls && strcmp(c->obj.cls, j->obj.cls) == 0 &&
                                  c->obj.root != LL_ROOT_LOCAL);
            long k = ll_program_find(&v->program, c->callee);
            if (same && k > after)
                return k;
        }
    }
    return -1;
}

static void check_join(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                       struct ll_rule_ctx *r)
{
    const struct ll_event *ev = &f->fn->events[e];
    for (long k = started_by(v, f, e, -1); k >= 0; k = started_by(v, f, e, k)) {
        const struct ll_summary *s = &v->fns[k].summary;
        for (uint32_t l = 0; l < f->df.nlocks; l++) {
            if (!really_held(f, e, l))
                continue;
            for (size_t t = 0; t < s->ntakes; t++) {
                if (!s->takes[t].blocking ||
                    !ll_path_same_lock(&s->takes[t].lock, f->df.locks[l].path))
                    continue;
                struct ll_site site = ll_view_site(f, ev->loc, NULL);
                struct ll_finding *fd =
                    ll_diag(r, &site, f->fn->name, f->df.locks[l].cls,
                            "joining a thread running '%s' while holding '%s', which that thread "
                            "acquires: deadlock",
                            v->fns[k].fn->name, f->df.locks[l].text);
                if (!fd)
                    return;
                ll_diag_note(r, fd, &s->takes[t].site, "'%s' acquires '%s' here, in '%s'",
                             v->fns[k].fn->name, s->takes[t].lock.text, s->takes[t].via);
                ll_view_note_acquired(v, f, e, l, r->report, fd);
                return;
            }
        }
    }
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    for (size_t i = 0; i < v->nfns; i++) {
        const struct ll_fn_view *f = &v->fns[i];
        for (uint32_t e = 0; e < f->fn->nevents; e++) {
            if (!f->df.reached[e] || f->df.nlocks == 0)
                continue;
            if (f->fn->events[e].kind == LL_EV_JOIN)
                check_join(v, f, e, r);
            else
                check_sleep(v, f, e, r);
        }
    }
}

const struct ll_rule ll_rule_blocking_under_lock = {
    "blocking-under-lock", "joining a thread that needs a held lock, or sleeping with a lock held",
    doc, LL_SEV_WARNING, check};
