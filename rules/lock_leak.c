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
    "nor is one whose holding and non-holding returns return different constants (a\n"
    "trylock-style wrapper such as `return 0` when locked, `return -1` when not).\n";

/* The constant returned at a return event, or NULL. */
static const char *returned_constant(const struct ll_event *ev)
{
    const char *v = ev->result_var;
    if (!v || !*v)
        return NULL;
    return (v[0] == '-' || (v[0] >= '0' && v[0] <= '9')) ? v : NULL;
}

/* True when the holding and the non-holding returns give disjoint sets of
 * constants: the function tells its caller whether it acquired. */
static bool conditional_wrapper(const struct ll_fn_view *f, uint32_t l)
{
    const struct ll_function *fn = f->fn;
    for (uint32_t a = 0; a < fn->nevents; a++) {
        const struct ll_event *ea = &fn->events[a];
        if (ea->kind != LL_EV_RETURN || !f->df.reached[a])
            continue;
        uint8_t sa = ll_df_state(&f->df, a, l) & ~LL_LS_SHARED;
        const char *ka = returned_constant(ea);
        if (!ka || ((sa & LL_LS_HELD) && sa != LL_LS_HELD))
            return false; /* unknown value, or one return both holding and not */
        for (uint32_t b = a + 1; b < fn->nevents; b++) {
            const struct ll_event *eb = &fn->events[b];
            if (eb->kind != LL_EV_RETURN || !f->df.reached[b])
                continue;
            bool held_b = ll_df_state(&f->df, b, l) & LL_LS_HELD;
            const char *kb = returned_constant(eb);
            if (kb && held_b != (sa == LL_LS_HELD) && strcmp(ka, kb) == 0)
                return false;
        }
    }
    return true;
}

/* True when some acquisition of lock l in f can fail visibly (a trylock,
 * or a lock call whose result is tested): only then can the function be a
 * conditional wrapper. */
static bool acquisition_can_fail(const struct ll_fn_view *f, uint32_t l)
{
    for (uint32_t e = 0; e < f->fn->nevents; e++) {
        const struct ll_event *ev = &f->fn->events[e];
        bool fallible =
            ev->kind == LL_EV_TRYACQUIRE ||
            (ev->kind == LL_EV_ACQUIRE && ((ev->flags & LL_EVF_CHECKED) || ev->result_var));
        if (fallible && ll_df_lock_index(&f->df, ev->obj.key) == (int)l)
            return true;
    }
    return false;
}

static void report_return(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                          uint32_t l, bool root, struct ll_report *r)
{
    (void)v;
    const struct ll_event *ev = &f->fn->events[e];
    const struct ll_df_lock *lk = &f->df.locks[l];
    struct ll_site site = ll_view_site(f, ev->loc, NULL);
    struct ll_finding *fd =
        ll_report_add(r, "lock-leak", LL_SEV_WARNING, &site, f->fn->name, lk->cls,
                      root ? "'%s' still held when thread function '%s' returns"
                           : "'%s' still held when '%s' returns here, but released on other paths",
                      lk->text, f->fn->name);
    if (!fd)
        return;
    for (uint32_t p = e; p-- > 0;) {
        const struct ll_event *pe = &f->fn->events[p];
        if ((pe->kind == LL_EV_ACQUIRE || pe->kind == LL_EV_TRYACQUIRE) && f->df.reached[p] &&
            ll_df_lock_index(&f->df, pe->obj.key) == (int)l) {
            struct ll_site prev = ll_view_site(f, pe->loc, NULL);
            ll_finding_note(r, fd, &prev, "'%s' acquired here", pe->obj.text);
            break;
        }
    }
}

static void check_function(const struct ll_view *v, const struct ll_fn_view *f, struct ll_report *r)
{
    const struct ll_df_result *df = &f->df;
    bool root = ll_fn_view_is_root(f);
    for (uint32_t l = 0; l < df->nlocks; l++) {
        if (df->locks[l].kind == LL_LK_SEM || ll_view_lock_recursive(v, f, l))
            continue;
        uint8_t all = 0;
        for (uint32_t e = 0; e < f->fn->nevents; e++)
            if (f->fn->events[e].kind == LL_EV_RETURN && df->reached[e])
                all |= ll_df_state(df, e, l);
        if (!(all & LL_LS_HELD))
            continue;
        bool leak = root || (all & (LL_LS_FREE | LL_LS_ENTRY | LL_LS_NEVER));
        if (!leak || (!root && acquisition_can_fail(f, l) && conditional_wrapper(f, l)))
            continue;
        for (uint32_t e = 0; e < f->fn->nevents; e++)
            if (f->fn->events[e].kind == LL_EV_RETURN && df->reached[e] &&
                (ll_df_state(df, e, l) & LL_LS_HELD))
                report_return(v, f, e, l, root, r);
    }
}

static void check(const struct ll_view *v, struct ll_report *r)
{
    for (size_t i = 0; i < v->nfns; i++)
        check_function(v, &v->fns[i], r);
}

const struct ll_rule ll_rule_lock_leak = {
    "lock-leak", "a function or thread that returns holding a lock on some paths", doc,
    LL_SEV_WARNING, check};
