/*
 * lock-leak: a function that returns holding a lock on some paths but not
 * on others, or a thread (start routine, main) that ends holding a lock.
 * A function that holds the lock on every return is an acquire wrapper;
 * one whose holding and non-holding returns give different constants is a
 * trylock-style wrapper: neither is reported.
 */
#include "rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Finds a return that leaves a lock held when other paths through the same function\n"
    "release it, and a thread's start routine (or `main`) that ends holding a lock.\n\n"
    "## Why is this bad\n"
    "The lock stays held after an early return (typically an error path), and the next\n"
    "thread that takes it blocks forever.\n\n"
    "## Example\n"
    "```c\n"
    "pthread_mutex_lock(&q->lock);\n"
    "if (q->len == q->cap)\n"
    "    return -1;                 /* q->lock still held */\n"
    "q->items[q->len++] = item;\n"
    "pthread_mutex_unlock(&q->lock);\n"
    "```\n\n"
    "## Use instead\n"
    "Release on every path, for instance with a single exit: `goto out;` and unlock at `out:`.\n\n"
    "## Known problems\n"
    "A function that holds the lock on every return is an acquire wrapper and is not reported;\n"
    "nor is one whose holding and non-holding returns return values its caller can tell apart\n"
    "(a trylock-style wrapper: `return 0` when locked, `return -1` or NULL when not), one that\n"
    "returns 0 holding the lock and unlocks on its error paths (\"leaves it locked on\n"
    "success\"), one that takes the lock in one mode and releases the caller's in another\n"
    "(`pause(PAUSE)` / `pause(RESUME)`), or one that runs with its caller's lock. A lock\n"
    "taken on some paths of a void function and handed to another function (a GIL taken in\n"
    "`afterSleep()`, released in `beforeSleep()`) is reported: suppress it where intended.\n";

/* True when f's summary says it acquires lock l on purpose: held on every
 * return (an acquire wrapper) or exactly when its return value says so. */
static bool wrapper_of(const struct ll_fn_view *f, uint32_t l)
{
    struct ll_effect x;
    return ll_view_lock_effect(f, l, &x) && x.op != LL_EFF_RELEASE;
}

/* A function that takes the lock on some paths and releases the caller's
 * on others (`pause(PAUSE)` / `pause(RESUME)`): it changes the lock on
 * purpose, by mode, and is not a leak. */
static bool mode_switch(const struct ll_fn_view *f, uint32_t l)
{
    for (uint32_t e = 0; e < f->fn->nevents; e++) {
        const struct ll_event *ev = &f->fn->events[e];
        if (ev->kind == LL_EV_RELEASE && f->df.reached[e] &&
            ll_df_lock_index(&f->df, ev->obj.key) == (int)l &&
            (ll_df_state(&f->df, e, l) & ~LL_LS_SHARED) == LL_LS_ENTRY)
            return true;
        const struct ll_call_info *ci = f->calls ? f->calls[e] : NULL;
        for (size_t k = 0; ci && k < ci->neffects && f->df.reached[e]; k++)
            if (ci->effects[k].op == LL_EFF_RELEASE &&
                ll_df_lock_index(&f->df, ci->effects[k].lock.key) == (int)l &&
                (ll_df_state(&f->df, e, l) & ~LL_LS_SHARED) == LL_LS_ENTRY)
                return true;
    }
    return false;
}

static void report_return(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                          uint32_t l, bool root, bool released_elsewhere, struct ll_rule_ctx *r)
{
    const struct ll_event *ev = &f->fn->events[e];
    const struct ll_df_lock *lk = &f->df.locks[l];
    struct ll_site site = ll_view_site(f, ev->loc, NULL);
    struct ll_finding *fd =
        ll_diag(r, &site, f->fn->name, lk->cls,
                root                 ? "'%s' still held when thread function '%s' returns"
                : released_elsewhere ? "'%s' still held when '%s' returns here, but released "
                                       "on other paths"
                                     : "'%s' still held when '%s' returns here, but not on "
                                       "its other returns",
                lk->text, f->fn->name);
    if (fd)
        ll_view_note_acquired(v, f, e, l, r->report, fd);
}

static void check_function(const struct ll_view *v, const struct ll_fn_view *f,
                           struct ll_rule_ctx *r)
{
    const struct ll_df_result *df = &f->df;
    bool root = ll_fn_view_is_root(f);
    for (uint32_t l = 0; l < df->nlocks; l++) {
        if (df->locks[l].kind == LL_LK_SEM || df->locks[l].caller_held ||
            ll_view_lock_recursive(v, f, l) || mode_switch(f, l))
            continue;
        uint8_t all = 0;
        for (uint32_t e = 0; e < f->fn->nevents; e++)
            if (f->fn->events[e].kind == LL_EV_RETURN && df->reached[e])
                all |= ll_df_state(df, e, l);
        if (!(all & LL_LS_HELD))
            continue;
        bool leak = root || (all & (LL_LS_FREE | LL_LS_ENTRY | LL_LS_NEVER));
        if (!leak || (!root && wrapper_of(f, l)))
            continue;
        for (uint32_t e = 0; e < f->fn->nevents; e++)
            if (f->fn->events[e].kind == LL_EV_RETURN && df->reached[e] &&
                (ll_df_state(df, e, l) & LL_LS_HELD))
                report_return(v, f, e, l, root, (all & LL_LS_FREE) != 0, r);
    }
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    for (size_t i = 0; i < v->nfns; i++)
        check_function(v, &v->fns[i], r);
}

const struct ll_rule ll_rule_lock_leak = {
    "lock-leak", "a function or thread that returns holding a lock on some paths", doc,
    LL_SEV_WARNING, check};
