/*
 * unlock-not-held: releasing a lock that is not held on some path to the
 * release.  A function that only releases a lock its caller holds (a release
 * wrapper) leaves the state "as the caller left it" and stays silent.
 */
#include "rule.h"

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
    "path states meet.\n";

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

static void check_release(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                          struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    const struct ll_event *ev = &fn->events[e];
    int l = ll_fn_lock_of(f, &ev->obj);
    /* a recursive lock's acquisitions are counted, not tracked */
    if (l < 0 || ll_view_lock_recursive(v, f, (uint32_t)l))
        return;
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
    /* not where the path ends at the call: what pthread_cleanup_push
     * expands to calls the handler on cancellation, though it runs at a
     * later cancellation point */
    uint32_t b = ll_fn_block_of(f, e);
    if (b < fn->nblocks && fn->blocks[b].nsucc == 0 && b != fn->exit)
        return;
    for (size_t k = 0; k < ci->neffects; k++) {
        const struct ll_effect *x = &ci->effects[k];
        if (x->op != LL_EFF_RELEASE)
            continue;
        int l = ll_fn_lock_of(f, &x->lock);
        if (l < 0 || ll_view_lock_recursive(v, f, (uint32_t)l))
            continue;
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
