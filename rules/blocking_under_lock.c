/*
 * blocking-under-lock: joining a thread that needs a lock the joiner holds
 * (a deadlock), and sleeping while holding a lock (directly or in a
 * callee).
 */
#include "rule.h"

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

/* Held on every path, in write mode, and not a semaphore. */
static bool really_held(const struct ll_fn_view *f, uint32_t e, uint32_t l)
{
    struct ll_lock_state st = ll_fn_lock_at(f, e, l);
    return ll_lock_held(st) == LL_HELD_ALL && !st.shared && ll_fn_lock(f, l).kind != LL_LK_SEM;
}

static int first_held(const struct ll_fn_view *f, uint32_t e)
{
    for (uint32_t l = 0; l < ll_fn_nlocks(f); l++)
        if (really_held(f, e, l))
            return (int)l;
    return -1;
}

static void check_sleep(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                        struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    const struct ll_event *ev = &fn->events[e];
    /* a sleep on the way to abort() (so a debugger can attach) blocks no
     * one who goes on */
    int l = ll_fn_event_doomed(f, e) ? -1 : first_held(f, e);
    if (l < 0)
        return;
    struct ll_lock_info lk = ll_fn_lock(f, (uint32_t)l);
    struct ll_site site = ll_view_site(f, ev->loc, NULL);
    struct ll_finding *fd = NULL;
    const struct ll_call_info *ci = ll_fn_call(f, e);
    if (ll_event_sleeps(ev)) {
        fd =
            ll_diag(r, &site, fn->name, lk.cls, "'%s' sleeps while holding '%s'", ev->api, lk.text);
    } else if (ci) {
        const struct ll_summary *s = ll_fn_summary(ll_view_fn(v, (size_t)ci->callee));
        if (!s->may_sleep)
            return;
        fd = ll_diag(r, &site, fn->name, lk.cls, "call to '%s' sleeps while holding '%s'", ev->api,
                     lk.text);
        if (fd)
            ll_diag_note(r, fd, &s->sleep_site, "'%s' sleeps here, in '%s'", s->sleep_api,
                         s->sleep_via);
    }
    if (fd)
        ll_diag_note_acquired(r, fd, f, e, (uint32_t)l);
}

/* Start routines of the threads a join may wait for: the first program
 * function after `after` that a creation of the joined handle starts. */
static long started_by(const struct ll_view *v, const struct ll_fn_view *f, uint32_t join,
                       long after)
{
    const struct ll_event *j = &ll_fn_ir(f)->events[join];
    LL_FOR_EACH_FN(v, g)
    {
        const struct ll_function *gfn = ll_fn_ir(g);
        for (uint32_t e = 0; e < gfn->nevents; e++) {
            const struct ll_event *c = &gfn->events[e];
            if (c->kind != LL_EV_THREAD_CREATE || !c->callee || !c->obj.key || !j->obj.key)
                continue;
            bool same = g == f ? strcmp(c->obj.key, j->obj.key) == 0
                               : (c->obj.cls && j->obj.cls && strcmp(c->obj.cls, j->obj.cls) == 0 &&
                                  c->obj.root != LL_ROOT_LOCAL);
            const struct ll_fn_view *routine = ll_view_callee(v, g, e);
            long k = routine ? (long)ll_fn_index(routine) : -1;
            if (same && k > after)
                return k;
        }
    }
    return -1;
}

static void check_join(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                       struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    const struct ll_event *ev = &fn->events[e];
    for (long k = started_by(v, f, e, -1); k >= 0; k = started_by(v, f, e, k)) {
        const struct ll_fn_view *routine = ll_view_fn(v, (size_t)k);
        const struct ll_summary *s = ll_fn_summary(routine);
        for (uint32_t l = 0; l < ll_fn_nlocks(f); l++) {
            if (!really_held(f, e, l))
                continue;
            struct ll_lock_info lk = ll_fn_lock(f, l);
            for (size_t t = 0; t < s->ntakes; t++) {
                if (!s->takes[t].blocking || !ll_path_same_lock(&s->takes[t].lock, lk.path))
                    continue;
                struct ll_site site = ll_view_site(f, ev->loc, NULL);
                struct ll_finding *fd =
                    ll_diag(r, &site, fn->name, lk.cls,
                            "joining a thread running '%s' while holding '%s', which that thread "
                            "acquires: deadlock",
                            ll_fn_ir(routine)->name, lk.text);
                if (!fd)
                    return;
                ll_diag_note(r, fd, &s->takes[t].site, "'%s' acquires '%s' here, in '%s'",
                             ll_fn_ir(routine)->name, s->takes[t].lock.text, s->takes[t].via);
                ll_diag_note_acquired(r, fd, f, e, l);
                return;
            }
        }
    }
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    LL_FOR_EACH_FN(v, f)
    {
        if (ll_fn_nlocks(f) == 0)
            continue;
        LL_FOR_EACH_REACHED(f, e, LL_EVK_ALL)
        {
            if (ll_fn_ir(f)->events[e].kind == LL_EV_JOIN)
                check_join(v, f, e, r);
            else
                check_sleep(v, f, e, r);
        }
    }
}

const struct ll_rule ll_rule_blocking_under_lock = {
    "blocking-under-lock", "joining a thread that needs a held lock, or sleeping with a lock held",
    doc, LL_SEV_WARNING, check};
