/*
 * double-lock: a non-recursive lock acquired again while this thread holds
 * it on every path to the acquisition.
 */
#include "rule.h"

static const char doc[] =
    "## What it does\n"
    "Finds a non-recursive lock (pthread mutex, spinlock, C11 mtx, rwlock in write mode) that\n"
    "is acquired while the same thread already holds it.\n\n"
    "## Why is this bad\n"
    "A default pthread mutex, a spinlock or a plain `mtx_t` taken twice by one thread\n"
    "deadlocks that thread forever (or is undefined behaviour).\n\n"
    "## Example\n"
    "```c\n"
    "pthread_mutex_lock(&m);\n"
    "if (full) {\n"
    "    pthread_mutex_lock(&m);   /* deadlock: already held */\n"
    "```\n\n"
    "## Use instead\n"
    "Release before re-acquiring, split the function into a locked and an unlocked variant\n"
    "(`foo()` takes the lock and calls `foo_locked()`), or, if re-entry is intended, make the\n"
    "mutex recursive with `PTHREAD_MUTEX_RECURSIVE`.\n\n"
    "## Known problems\n"
    "Reported only when the lock is held on every path reaching the acquisition, in one\n"
    "function or through calls (a helper that takes the lock its caller holds); recursive\n"
    "mutexes are recognised from `pthread_mutexattr_settype` anywhere in the program for the\n"
    "lock class, `mtx_recursive`, and recursive static initialisers. `trylock` on a held lock\n"
    "is not reported (it fails instead of blocking).\n";

/* A call to a function that acquires, without holding it first, a lock
 * the caller holds on every path to the call. */
static void check_call(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                       struct ll_rule_ctx *r)
{
    const struct ll_call_info *ci = f->calls[e];
    const struct ll_event *ev = &f->fn->events[e];
    for (size_t i = 0; i < ci->ntakes; i++) {
        const struct ll_take *t = &ci->takes[i];
        if (!t->fresh || !t->blocking)
            continue;
        int l = ll_df_lock_index(&f->df, t->lock.key);
        if (l < 0)
            continue;
        uint8_t st = ll_df_state(&f->df, e, (uint32_t)l);
        if ((st & ~LL_LS_SHARED) != LL_LS_HELD ||
            ((st & LL_LS_SHARED) && t->mode == LL_MODE_SHARED))
            continue;
        if (ll_view_lock_recursive(v, f, (uint32_t)l) || ll_view_path_recursive(v, &t->lock))
            continue;
        struct ll_site site = ll_view_site(f, ev->loc, NULL);
        struct ll_finding *fd = ll_diag(r, &site, f->fn->name, t->lock.cls,
                                        "'%s' acquired again by calling '%s' while already held",
                                        t->lock.text, ev->api ? ev->api : "?");
        if (!fd)
            return;
        ll_diag_note(r, fd, &t->site, "'%s' acquires '%s' here", t->via, t->lock.text);
        ll_view_note_acquired(v, f, e, (uint32_t)l, r->report, fd);
    }
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    for (size_t i = 0; i < v->nfns; i++)
        for (uint32_t e = 0; e < v->fns[i].fn->nevents; e++)
            if (v->fns[i].calls && v->fns[i].calls[e] && v->fns[i].df.reached[e])
                check_call(v, &v->fns[i], e, r);
    for (size_t i = 0; i < v->nfns; i++) {
        const struct ll_fn_view *f = &v->fns[i];
        const struct ll_df_result *df = &f->df;
        for (uint32_t e = 0; e < f->fn->nevents; e++) {
            const struct ll_event *ev = &f->fn->events[e];
            if (ev->kind != LL_EV_ACQUIRE || !df->reached[e])
                continue;
            int l = ll_df_lock_index(df, ev->obj.key);
            if (l < 0)
                continue;
            uint8_t st = ll_df_state(df, e, (uint32_t)l);
            if ((st & ~LL_LS_SHARED) != LL_LS_HELD)
                continue;
            if ((st & LL_LS_SHARED) && ev->mode == LL_MODE_SHARED)
                continue; /* read lock taken twice: allowed by POSIX */
            if (ll_view_lock_recursive(v, f, (uint32_t)l))
                continue;
            struct ll_site site = ll_view_site(f, ev->loc, NULL);
            struct ll_finding *fd = ll_diag(r, &site, f->fn->name, ev->obj.cls,
                                            "'%s' acquired while already held", ev->obj.text);
            if (!fd)
                return;
            /* the earlier acquisition: the nearest one before this event */
            for (uint32_t p = e; p-- > 0;) {
                const struct ll_event *pe = &f->fn->events[p];
                if ((pe->kind == LL_EV_ACQUIRE || pe->kind == LL_EV_TRYACQUIRE) && df->reached[p] &&
                    ll_df_lock_index(df, pe->obj.key) == l) {
                    struct ll_site prev = ll_view_site(f, pe->loc, NULL);
                    ll_diag_note(r, fd, &prev, "'%s' first acquired here", pe->obj.text);
                    break;
                }
            }
        }
    }
}

const struct ll_rule ll_rule_double_lock = {
    "double-lock", "a non-recursive lock acquired while the same thread holds it", doc,
    LL_SEV_WARNING, check};
