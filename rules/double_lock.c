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
    "function or through calls (a helper that takes the lock its caller holds, on every path\n"
    "for the arguments given; one that takes it on some of its paths only is a note);\n"
    "recursive mutexes are recognised from `pthread_mutexattr_settype` anywhere in the\n"
    "program for the lock class, `mtx_recursive`, and recursive static initialisers; one\n"
    "reached through a bare `pthread_mutex_t *` parameter or start argument is recursive when\n"
    "every call and thread creation passes a recursive one for it. `trylock` on a held lock\n"
    "is not reported (it fails instead of blocking).\n";

/* Held on every path, and not a second read lock (POSIX allows those). */
static bool held_against(const struct ll_fn_view *f, uint32_t e, uint32_t l, uint8_t mode)
{
    struct ll_lock_state st = ll_fn_lock_at(f, e, l);
    return ll_lock_held(st) == LL_HELD_ALL && !(st.shared && mode == LL_MODE_SHARED);
}

/* Reports the call at e of a function that acquires `lock` (mode, at
 * `at` in `via`) while the caller holds it on every path: a warning when
 * the callee takes it on every path (for the arguments given), a note
 * when only on some (it may not take it on the caller's path).  Returns
 * false when out of memory. */
static bool report_call(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                        const struct ll_path *lock, uint8_t mode, const struct ll_site *at,
                        const char *via, bool every, struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    const struct ll_event *ev = &fn->events[e];
    int l = ll_fn_lock_of(f, lock);
    if (l < 0 || !held_against(f, e, (uint32_t)l, mode))
        return true;
    if (ll_view_lock_recursive(v, f, (uint32_t)l) || ll_view_path_recursive(v, lock))
        return true;
    struct ll_site site = ll_view_site(f, ev->loc, NULL);
    struct ll_finding *fd =
        every ? ll_diag(r, &site, fn->name, lock->cls,
                        "'%s' acquired again by calling '%s' while already held", lock->text,
                        ev->api ? ev->api : "?")
              : ll_diag_sev(r, LL_SEV_NOTE, &site, fn->name, lock->cls,
                            "'%s' may be acquired again by calling '%s' while already held: it "
                            "takes it on some of its paths",
                            lock->text, ev->api ? ev->api : "?");
    if (!fd)
        return false;
    ll_diag_note(r, fd, at, "'%s' acquires '%s' here", via, lock->text);
    ll_diag_note_acquired(r, fd, f, e, (uint32_t)l);
    return true;
}

/* A call to a function that acquires, without holding it first, a lock
 * the caller holds on every path to the call: on every path of the
 * callee for the arguments given (`fresh`), or on some of them. */
static void check_call(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                       struct ll_rule_ctx *r)
{
    const struct ll_call_info *ci = ll_fn_call(f, e);
    for (size_t i = 0; i < ci->ntakes; i++) {
        const struct ll_take *t = &ci->takes[i];
        if (!(t->fresh || t->some) || !t->blocking)
            continue;
        if (!report_call(v, f, e, &t->lock, t->mode, &t->site, t->via, t->fresh, r))
            return;
    }
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    LL_FOR_EACH_FN(v, f)
    {
        LL_FOR_EACH_REACHED(f, e, LL_EVK_ALL)
        if (ll_fn_call(f, e))
            check_call(v, f, e, r);
    }
    LL_FOR_EACH_FN(v, f)
    {
        const struct ll_function *fn = ll_fn_ir(f);
        LL_FOR_EACH_REACHED(f, e, LL_EVK(LL_EV_ACQUIRE))
        {
            const struct ll_event *ev = &fn->events[e];
            int l = ll_fn_lock_of(f, &ev->obj);
            if (l < 0 || !held_against(f, e, (uint32_t)l, ev->mode) ||
                ll_view_lock_recursive(v, f, (uint32_t)l))
                continue;
            struct ll_site site = ll_view_site(f, ev->loc, NULL);
            struct ll_finding *fd = ll_diag(r, &site, fn->name, ev->obj.cls,
                                            "'%s' acquired while already held", ev->obj.text);
            if (!fd)
                return;
            /* the earlier acquisition: the nearest one before this event */
            uint32_t p = ll_fn_prev_on_lock(f, e, LL_EVK_ACQUIRES, (uint32_t)l);
            if (p != UINT32_MAX) {
                struct ll_site prev = ll_view_site(f, fn->events[p].loc, NULL);
                ll_diag_note(r, fd, &prev, "'%s' first acquired here", fn->events[p].obj.text);
            }
        }
    }
}

const struct ll_rule ll_rule_double_lock = {
    "double-lock", "a non-recursive lock acquired while the same thread holds it", doc,
    LL_SEV_WARNING, check};
