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
    "A function that releases a lock it never takes is taken to be a release wrapper for its\n"
    "caller and is not reported; one that releases it before taking it again is taken to run\n"
    "with its caller's lock. One that releases it when an argument says so releases it at the\n"
    "calls passing that constant; with an argument not known, both outcomes are kept. Branch "
    "conditions are correlated when they test the same\n"
    "side-effect-free expression over locals, globals or fields reached from them (calls in\n"
    "between are trusted not to change it); a flag set next to the lock (`locked = 1;`) is\n"
    "not followed, and in very large functions the correlation is lost once more than 16\n"
    "path states meet.\n";

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
    /* not held on some path, or held on some and as the caller left it on others */
    if (!st.released && !(st.unknown && st.held))
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

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    LL_FOR_EACH_FN(v, f)
    LL_FOR_EACH_REACHED(f, e, LL_EVK(LL_EV_RELEASE))
    check_release(v, f, e, r);
}

const struct ll_rule ll_rule_unlock_not_held = {"unlock-not-held",
                                                "a lock released on a path where it is not held",
                                                doc, LL_SEV_WARNING, check};
