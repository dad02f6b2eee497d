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
    "with its caller's lock. Branch conditions are correlated when they test the same\n"
    "side-effect-free expression over locals, globals or fields reached from them (calls in\n"
    "between are trusted not to change it); a flag set next to the lock (`locked = 1;`) is\n"
    "not followed, and in very large functions the correlation is lost once more than 16\n"
    "path states meet.\n";

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    for (size_t i = 0; i < v->nfns; i++) {
        const struct ll_fn_view *f = &v->fns[i];
        const struct ll_df_result *df = &f->df;
        for (uint32_t e = 0; e < f->fn->nevents; e++) {
            const struct ll_event *ev = &f->fn->events[e];
            if (ev->kind != LL_EV_RELEASE || !df->reached[e])
                continue;
            int l = ll_df_lock_index(df, ev->obj.key);
            if (l < 0)
                continue;
            if (ll_view_lock_recursive(v, f, (uint32_t)l))
                continue; /* acquisitions are counted, not tracked */
            uint8_t st = ll_df_state(df, e, (uint32_t)l) & ~LL_LS_SHARED;
            bool some_free = ll_view_not_held_somewhere(st);
            bool mixed_entry = (st & LL_LS_ENTRY) && (st & LL_LS_HELD);
            if (!some_free && !mixed_entry)
                continue;
            const char *how = (st & LL_LS_HELD) ? "'%s' released but not held on every path"
                                                : "'%s' released but not held";
            struct ll_site site = ll_view_site(f, ev->loc, NULL);
            struct ll_finding *fd = ll_diag(r, &site, f->fn->name, ev->obj.cls, how, ev->obj.text);
            if (!fd)
                return;
            for (uint32_t p = e; p-- > 0;) {
                const struct ll_event *pe = &f->fn->events[p];
                if (pe->kind == LL_EV_RELEASE && df->reached[p] &&
                    ll_df_lock_index(df, pe->obj.key) == l) {
                    struct ll_site prev = ll_view_site(f, pe->loc, NULL);
                    ll_diag_note(r, fd, &prev, "'%s' already released here", pe->obj.text);
                    break;
                }
            }
        }
    }
}

const struct ll_rule ll_rule_unlock_not_held = {"unlock-not-held",
                                                "a lock released on a path where it is not held",
                                                doc, LL_SEV_WARNING, check};
