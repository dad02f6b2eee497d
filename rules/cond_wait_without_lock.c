/*
 * cond-wait-without-lock: waiting on a condition variable while the mutex
 * given to the wait is not held on some path.
 */
#include "rule.h"

static const char doc[] =
    "## What it does\n"
    "Finds condition waits whose mutex is not held on some path to the wait: it was\n"
    "released before, or a thread's start routine (or `main`) never took it.\n\n"
    "## Why is this bad\n"
    "`pthread_cond_wait` requires the calling thread to hold the mutex; otherwise the\n"
    "behaviour is undefined and, in practice, a signal sent between the predicate check and\n"
    "the wait is lost, so the thread sleeps forever.\n\n"
    "## Example\n"
    "```c\n"
    "pthread_mutex_unlock(&lock);\n"
    "pthread_cond_wait(&ready, &lock);   /* lock not held */\n"
    "```\n\n"
    "## Use instead\n"
    "Hold the mutex across the predicate check and the wait.\n\n"
    "## Known problems\n"
    "A function that waits with a mutex its caller holds is not reported (its entry state is\n"
    "unknown within the function).\n";

static void check_wait(const struct ll_fn_view *f, uint32_t e, struct ll_rule_ctx *r)
{
    const struct ll_event *ev = &ll_fn_ir(f)->events[e];
    int l = ll_fn_lock_of(f, &ev->aux);
    struct ll_lock_state st = l < 0 ? (struct ll_lock_state){0} : ll_fn_lock_at(f, e, (uint32_t)l);
    if (!st.released)
        return;
    struct ll_site site = ll_view_site(f, ev->loc, NULL);
    ll_diag(r, &site, ll_fn_ir(f)->name, ev->aux.cls,
            st.held ? "wait on '%s' without holding '%s' on every path"
                    : "wait on '%s' without holding '%s'",
            ev->obj.text, ev->aux.text);
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    LL_FOR_EACH_FN(v, f)
    LL_FOR_EACH_REACHED(f, e, LL_EVK(LL_EV_COND_WAIT))
    check_wait(f, e, r);
}

const struct ll_rule ll_rule_cond_wait_without_lock = {"cond-wait-without-lock",
                                                       "a condition wait whose mutex is not held",
                                                       doc, LL_SEV_WARNING, check};
