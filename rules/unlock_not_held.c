/*
 * unlock-not-held: releasing a lock that is not held on some path to the
 * release.  A function that only releases a lock its caller holds (a release
 * wrapper) leaves the state "as the caller left it" and stays silent.
 */
#include "rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Finds a release of a lock that, on some path to the release, is not held: it was\n"
    "already released, was never acquired in a thread's start routine or `main`, or was\n"
    "acquired on some paths only.\n\n"
    "## Why is this bad\n"
    "Unlocking a mutex that the thread does not own is undefined behaviour for default\n"
    "mutexes, an error for error-checking ones, and for spinlocks and semaphores it can\n"
    "silently let a second thread into the critical section.\n\n"
    "## Example\n"
    "```c\n"
    "if (need)\n"
    "    pthread_mutex_lock(&m);\n"
    "work();\n"
    "pthread_mutex_unlock(&m);   /* not held when !need */\n"
    "```\n\n"
    "## Use instead\n"
    "Pair every release with an acquisition on the same paths: test the same condition again,\n"
    "or restructure so lock and unlock sit in one block.\n\n"
    "## Known problems\n"
    "A function that releases a lock it never takes (a release wrapper) is not reported\n"
    "itself; its calls are: in a thread root that never took the lock, a warning; where it\n"
    "is not held on some or all paths elsewhere, a note. One that releases a lock before taking it "
    "again is taken to run\n"
    "with its caller's lock, and its callers are not checked. One that releases it when an\n"
    "argument says so releases it at the calls passing that constant; with an argument not\n"
    "known, both outcomes are kept. One that takes it itself unless an argument says the\n"
    "caller holds it (`if (!handover) lock(m); ... unlock(m)`) is silent inside once some\n"
    "caller holds it and passes that value; its calls are checked instead. Branch conditions are "
    "correlated when they test the same\n"
    "side-effect-free expression over locals, globals or fields reached from them (calls in\n"
    "between are trusted not to change it); a flag set next to the lock (`locked = 1;`) is\n"
    "not followed, and in very large functions the correlation is lost once more than 16\n"
    "path states meet.\n"
    "A cleanup handler's release is judged at the cancellation points between its push and\n"
    "pop, and at `pthread_cleanup_pop(1)`; one inside a callee is seen only when the callee\n"
    "waits on a condition variable, joins or exits. Without `pthread_cancel` in the program,\n"
    "a cancellation point without the lock is a note.\n";

/* Whether some call to f passes a constant that makes f release p's
 * class while the caller holds it on every path: evidence that f takes
 * over its caller's lock when a parameter says so. */
static bool handover_called(const struct ll_view *v, const struct ll_fn_view *f,
                            const struct ll_path *p)
{
    LL_FOR_EACH_FN(v, g)
    {
        LL_FOR_EACH_REACHED(g, e, LL_EVK(LL_EV_CALL))
        {
            const struct ll_call_info *ci = ll_fn_call(g, e);
            if (!ci || ci->callee != (long)ll_fn_index(f))
                continue;
            for (size_t k = 0; k < ci->neffects; k++) {
                const struct ll_effect *x = &ci->effects[k];
                int l =
                    x->op == LL_EFF_RELEASE && x->guard.decided && ll_path_same_lock(&x->lock, p)
                        ? ll_fn_lock_of(g, &x->lock)
                        : -1;
                struct ll_lock_state st =
                    l < 0 ? (struct ll_lock_state){0} : ll_fn_lock_at(g, e, (uint32_t)l);
                if (st.held && !st.released && !st.unknown)
                    return true;
            }
        }
    }
    return false;
}

/* Whether a parameter decides if f releases its caller's p (the summary
 * releases it for some values only) and a caller relies on that. */
static bool release_handed_over(const struct ll_view *v, const struct ll_fn_view *f,
                                const struct ll_path *p)
{
    const struct ll_summary *s = ll_fn_summary(f);
    for (size_t i = 0; i < s->neffects; i++)
        if (s->effects[i].op == LL_EFF_RELEASE && s->effects[i].guard.on &&
            ll_path_same_lock(&s->effects[i].lock, p))
            return handover_called(v, f, p);
    return false;
}

static bool api_is(const struct ll_event *ev, const char *name)
{
    return ev->kind == LL_EV_CALL && ev->api && strcmp(ev->api, name) == 0;
}

static bool loc_before(struct ll_loc a, struct ll_loc b)
{
    return a.file == b.file && (a.line < b.line || (a.line == b.line && a.col < b.col));
}

/*
 * glibc's pthread_cleanup_push(routine, arg) expands to `if
 * (__sigsetjmp(..)) { routine(arg); __pthread_unwind_next(..); }`: a branch
 * taken not at the push but when the thread is cancelled, or calls
 * pthread_exit, later, between the push and its pop.  The frontend lowers
 * it where it is written, with the locks of the push.  Returns the
 * __pthread_unwind_next event ending event e's block (its location is the
 * push's), or UINT32_MAX when e is not in such a landing.
 */
static uint32_t cancel_landing(const struct ll_fn_view *f, uint32_t e)
{
    const struct ll_function *fn = ll_fn_ir(f);
    uint32_t b = ll_fn_block_of(f, e);
    if (b >= fn->nblocks || fn->blocks[b].nsucc != 0 || b == fn->exit)
        return UINT32_MAX;
    const struct ll_block *bl = &fn->blocks[b];
    for (uint32_t k = e; k < bl->first_event + bl->nevents; k++)
        if (api_is(&fn->events[k], "__pthread_unwind_next"))
            return k;
    return UINT32_MAX;
}

/* Where the section pushed at `push` ends: its pop's
 * __pthread_unregister_cancel, the first one after the push with as many
 * pushes as pops in between.  *open when there is none (a `while (1)` that
 * never reaches the pop): the section runs to the end of the function. */
static struct ll_loc section_end(const struct ll_function *fn, struct ll_loc push, bool *open)
{
    struct ll_loc best = {0};
    *open = true;
    for (uint32_t u = 0; u < fn->nevents; u++) {
        struct ll_loc at = fn->events[u].loc;
        if (!api_is(&fn->events[u], "__pthread_unregister_cancel") || !loc_before(push, at) ||
            (!*open && !loc_before(at, best)))
            continue;
        int depth = 0;
        for (uint32_t k = 0; k < fn->nevents; k++) {
            struct ll_loc x = fn->events[k].loc;
            if (!loc_before(push, x) || !loc_before(x, at))
                continue;
            depth += api_is(&fn->events[k], "__pthread_register_cancel");
            depth -= api_is(&fn->events[k], "__pthread_unregister_cancel");
        }
        if (depth == 0) {
            best = at;
            *open = false;
        }
    }
    return best;
}

/* Some function of the program calls pthread_cancel. */
static bool program_cancels(const struct ll_view *v)
{
    LL_FOR_EACH_FN(v, g)
    {
        LL_FOR_EACH_REACHED(g, e, LL_EVK(LL_EV_CALL))
        if (api_is(&ll_fn_ir(g)->events[e], "pthread_cancel"))
            return true;
    }
    return false;
}

/* Event k of f is where a cleanup handler may run: the thread ends there
 * (*ends: `pthread_exit`, or a callee that may call it; the handlers always
 * run), or it is a cancellation point (a condition or semaphore wait, a
 * join, a sleep or other blocking call, `pthread_testcancel`, a callee
 * that waits or joins).  *x: the callee's event, for a call. */
static bool cancel_point(const struct ll_view *v, const struct ll_fn_view *f, uint32_t k,
                         bool *ends, const struct ll_tsum_event **x)
{
    const struct ll_event *ev = &ll_fn_ir(f)->events[k];
    *ends = false;
    *x = NULL;
    if (ev->kind == LL_EV_BLOCKING || ev->kind == LL_EV_COND_WAIT || ev->kind == LL_EV_JOIN ||
        ev->kind == LL_EV_SEM_WAIT)
        return true;
    if (ev->kind != LL_EV_CALL)
        return false;
    if (ll_event_ends_thread(ev))
        return (*ends = true);
    if (api_is(ev, "pthread_testcancel"))
        return true;
    const struct ll_call_info *ci = ll_fn_call(f, k);
    if (!ci || ci->callee < 0)
        return false;
    const struct ll_thread_summary *ts = ll_fn_thread_summary(v, ll_view_fn(v, (size_t)ci->callee));
    if (ts->exit.set) {
        *x = &ts->exit;
        return (*ends = true);
    }
    *x = ts->wait.set ? &ts->wait : ts->njoins ? &ts->joins[0] : NULL;
    return *x != NULL;
}

/*
 * A cleanup handler's release of lock l (`text`, path `lock`), lowered in
 * the landing that event u ends, is judged where the handler runs: at each
 * cancellation point and thread exit between the push and the pop, with
 * the locks held there (pthread_cleanup_pop(1) runs it too, but that call
 * is lowered at the pop and checked there).  The first point where l is
 * not held on some path is reported: a warning where the thread ends, or
 * where it may be cancelled in a program that calls pthread_cancel; a note
 * in one that never does.
 */
static void check_landing(const struct ll_view *v, const struct ll_fn_view *f, uint32_t u,
                          uint32_t l, const struct ll_path *lock, const char *text,
                          struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    struct ll_loc push = fn->events[u].loc;
    bool open;
    struct ll_loc end = section_end(fn, push, &open);
    LL_FOR_EACH_REACHED(f, k, LL_EVK_ALL)
    {
        struct ll_loc at = fn->events[k].loc;
        bool ends;
        const struct ll_tsum_event *x;
        if (!loc_before(push, at) || (!open && !loc_before(at, end)) ||
            !cancel_point(v, f, k, &ends, &x))
            continue;
        struct ll_lock_state st = ll_fn_lock_at(f, k, l);
        /* a callee that releases it before it waits or exits */
        bool gone = x && ll_lock_held(st) == LL_HELD_ALL && ll_tsum_released(v, f, k, x, lock);
        if (!st.released && !gone)
            continue;
        bool warn = ends || program_cancels(v);
        const struct ll_event *ev = &fn->events[k];
        const char *what = x ? ll_fn_ir(ll_view_fn(v, (size_t)ll_fn_call(f, k)->callee))->name
                           : ev->api ? ev->api
                                     : "a wait";
        struct ll_site site = ll_view_site(f, at, NULL);
        struct ll_finding *fd =
            ll_diag_sev(r, warn ? LL_SEV_WARNING : LL_SEV_NOTE, &site, fn->name, lock->cls,
                        "'%s' released by a cleanup handler if the thread %s '%s', but not "
                        "held there%s",
                        text, ends ? "ends in" : "is cancelled in", what,
                        warn ? "" : " (nothing in the program calls pthread_cancel)");
        struct ll_site at_push = ll_view_site(f, push, NULL);
        if (fd)
            ll_diag_note(r, fd, &at_push, "the handler releasing '%s' is pushed here", text);
        return;
    }
}

static void check_release(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                          struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    const struct ll_event *ev = &fn->events[e];
    int l = ll_fn_lock_of(f, &ev->obj);
    /* a recursive lock's acquisitions are counted, not tracked */
    if (l < 0 || ll_view_lock_recursive(v, f, (uint32_t)l))
        return;
    uint32_t u = cancel_landing(f, e);
    if (u != UINT32_MAX) {
        check_landing(v, f, u, (uint32_t)l, &ev->obj, ev->obj.text, r);
        return;
    }
    struct ll_lock_state st = ll_fn_lock_at(f, e, (uint32_t)l);
    /* not held on some path, or held on some and as the caller left it on
     * others -- unless a parameter decides which (the caller's lock is
     * taken over when it says so, the function takes its own otherwise) */
    if (!st.released && !(st.unknown && st.held && !release_handed_over(v, f, &ev->obj)))
        return;
    const char *how =
        st.held ? "'%s' released but not held on every path" : "'%s' released but not held";
    struct ll_site site = ll_view_site(f, ev->loc, NULL);
    struct ll_finding *fd = ll_diag(r, &site, fn->name, ev->obj.cls, how, ev->obj.text);
    uint32_t p = ll_fn_prev_on_lock(f, e, LL_EVK(LL_EV_RELEASE), (uint32_t)l);
    if (fd && p != UINT32_MAX) {
        struct ll_site prev = ll_view_site(f, fn->events[p].loc, NULL);
        ll_diag_note(r, fd, &prev, "'%s' already released here", fn->events[p].obj.text);
    }
}

/*
 * A call to a release wrapper (a function that releases a lock it never
 * takes, silent in itself since its callers must hold the lock) is checked
 * at the call: in a thread root that has not held the lock on any path
 * since it started it is a warning; elsewhere (released before, or not
 * held on some paths) a note, since an acquisition the analysis does not
 * understand (jemalloc's lock, a trylock and a slow path) looks the same.
 */
static void check_call(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                       struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    const struct ll_event *ev = &fn->events[e];
    const struct ll_call_info *ci = ll_fn_call(f, e);
    /* a cleanup handler is judged where it runs (check_landing()); other
     * calls on a path that ends at a call that never returns are not
     * checked */
    uint32_t u = cancel_landing(f, e);
    uint32_t b = ll_fn_block_of(f, e);
    if (u == UINT32_MAX && b < fn->nblocks && fn->blocks[b].nsucc == 0 && b != fn->exit)
        return;
    for (size_t k = 0; k < ci->neffects; k++) {
        const struct ll_effect *x = &ci->effects[k];
        if (!ll_effect_releases(x))
            continue;
        int l = ll_fn_lock_of(f, &x->lock);
        if (l < 0 || ll_view_lock_recursive(v, f, (uint32_t)l))
            continue;
        if (u != UINT32_MAX) {
            check_landing(v, f, u, (uint32_t)l, &x->lock, x->lock.text, r);
            continue;
        }
        struct ll_lock_state st = ll_fn_lock_at(f, e, (uint32_t)l);
        if (!st.released && !(st.unknown && st.held))
            continue;
        /* evidence: a thread root that has not held it since it started */
        bool never = ll_fn_is_root(f) && !st.held && !st.unknown;
        const char *callee = ll_fn_ir(ll_view_fn(v, (size_t)ci->callee))->name;
        struct ll_site site = ll_view_site(f, ev->loc, NULL);
        struct ll_finding *fd =
            ll_diag_sev(r, never ? LL_SEV_WARNING : LL_SEV_NOTE, &site, fn->name, x->lock.cls,
                        "'%s' released by calling '%s' but not held%s", x->lock.text, callee,
                        st.held || st.unknown ? " on every path" : "");
        if (fd)
            ll_diag_note(r, fd, &x->site, "'%s' releases '%s' here", callee, x->lock.text);
    }
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    LL_FOR_EACH_FN(v, f)
    {
        LL_FOR_EACH_REACHED(f, e, LL_EVK(LL_EV_CALL))
        if (ll_fn_call(f, e))
            check_call(v, f, e, r);
        LL_FOR_EACH_REACHED(f, e, LL_EVK(LL_EV_RELEASE))
        check_release(v, f, e, r);
    }
}

const struct ll_rule ll_rule_unlock_not_held = {"unlock-not-held",
                                                "a lock released on a path where it is not held",
                                                doc, LL_SEV_WARNING, check};
