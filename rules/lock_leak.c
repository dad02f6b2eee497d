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
    "release it, a thread's start routine (or `main`) that ends holding a lock, and\n"
    "`pthread_exit`/`thrd_exit` (or a call to a function that may end the thread in it)\n"
    "while holding a lock the function took.\n\n"
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
    "A blocking lock call fails only on a programming error: no finding rests on the path\n"
    "where it failed, and a failure branch that falls through (logs and carries on) rejoins\n"
    "with the lock taken.\n\n"
    "## Known problems\n"
    "A function that holds the lock on every return is an acquire wrapper and is not reported;\n"
    "nor is one whose holding and non-holding returns return values its caller can tell apart\n"
    "(`return 0` when locked, `return -1` or NULL when not; also the returned entry's own lock,\n"
    "or that of an out-parameter; its callers are checked for the outcome they test), one that\n"
    "returns 0 holding the lock and unlocks on its error paths (\"leaves it locked on\n"
    "success\") while its callers test the result (a caller that ignores it makes the\n"
    "return 0 a note), one that takes the lock in one mode and releases the caller's in another\n"
    "(`pause(PAUSE)` / `pause(RESUME)`), one that keeps the lock exactly when a parameter\n"
    "says so (`find(zones, name, keep_lock)`: its calls are checked instead), or one that\n"
    "runs with its caller's lock. A lock\n"
    "taken on some paths of a void function and handed to another function (a GIL taken in\n"
    "`afterSleep()`, released in `beforeSleep()`) is reported: suppress it where intended.\n"
    "A lock `main` still holds when it returns is only a note: the process ends there.\n"
    "A recursive mutex is counted in the thread function itself: one taken twice and\n"
    "released once before the thread ends is still held; one also taken or released in a\n"
    "call is not reported.\n"
    "Through calls, the callee's first `pthread_exit` counts; a lock it releases on every\n"
    "path before it is not held there. An exit inside a `pthread_cleanup_push` section is\n"
    "not reported (its handlers run and may release the lock). An exit after a signal sent on\n"
    "every path to it (`pthread_kill(main_thread, SIGUSR1)`, `raise`, `kill`, or a function\n"
    "that sends one on every path: a fatal-error helper asking the thread that ends the\n"
    "process) is a note.\n";

/* True when f's summary says it acquires lock l on purpose: held on every
 * return (an acquire wrapper) or exactly when its return value says so. */
static bool wrapper_of(const struct ll_fn_view *f, uint32_t l)
{
    struct ll_effect x;
    return ll_fn_lock_effect(f, l, &x) && ll_effect_acquires(&x);
}

/* Whether block b holds a release of lock l. */
static bool block_releases(const struct ll_fn_view *f, uint32_t b, uint32_t l)
{
    const struct ll_function *fn = ll_fn_ir(f);
    const struct ll_block *bb = &fn->blocks[b];
    for (uint32_t e = bb->first_event; e < bb->first_event + bb->nevents; e++)
        if (fn->events[e].kind == LL_EV_RELEASE && ll_fn_lock_of(f, &fn->events[e].obj) == (int)l)
            return true;
    return false;
}

/* Whether the arm of a test that starts at block `arm` releases lock l
 * and then rejoins at block `join` (an `if` without `else`). */
static bool arm_releases(const struct ll_fn_view *f, uint32_t arm, uint32_t join, uint32_t l)
{
    const struct ll_function *fn = ll_fn_ir(f);
    bool released = false;
    for (int steps = 0; steps < 4 && arm != join; steps++) {
        released = released || block_releases(f, arm, l);
        if (fn->blocks[arm].nsucc != 1)
            return false;
        arm = fn->blocks[arm].succ[0];
    }
    return released && arm == join;
}

/* Whether parameter p decides a release of lock l itself: `if
 * (!keep_lock) unlock(&zones->lock);`, one arm of a test of p that
 * releases and rejoins the other -- not an early return that skips the
 * release (`if (fail) return 1;`, a forgotten unlock). */
static bool release_tests_param(const struct ll_fn_view *f, uint32_t l, int p)
{
    const struct ll_function *fn = ll_fn_ir(f);
    if (p < 0 || (uint32_t)p >= fn->nparams || !fn->params[p][0])
        return false;
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        const struct ll_block *bb = &fn->blocks[b];
        if (bb->nsucc != 2 || bb->cond.kind != LL_COND_VAR || !bb->cond.var ||
            strcmp(bb->cond.var, fn->params[p]) != 0)
            continue;
        if (arm_releases(f, bb->succ[0], bb->succ[1], l) ||
            arm_releases(f, bb->succ[1], bb->succ[0], l))
            return true;
    }
    return false;
}

/* True when f leaves lock l held exactly when a parameter says so
 * (`find_zone(zones, name, keep_lock)` returns holding zones->lock when
 * keep_lock is set): a contract with its callers, whose calls are checked
 * against the guarded effect instead. */
static bool kept_by_parameter(const struct ll_fn_view *f, uint32_t l)
{
    const struct ll_summary *s = ll_fn_summary(f);
    const char *key = ll_fn_lock(f, l).path->key;
    for (size_t i = 0; key && i < s->neffects; i++)
        if (s->effects[i].op == LL_EFF_ACQUIRE && s->effects[i].guard.on &&
            s->effects[i].lock.key && strcmp(s->effects[i].lock.key, key) == 0 &&
            release_tests_param(f, l, s->effects[i].guard.param))
            return true;
    return false;
}

/* A function that takes the lock on some paths and releases the caller's
 * on others (`pause(PAUSE)` / `pause(RESUME)`): it changes the lock on
 * purpose, by mode, and is not a leak. */
static bool mode_switch(const struct ll_fn_view *f, uint32_t l)
{
    const struct ll_function *fn = ll_fn_ir(f);
    LL_FOR_EACH_REACHED(f, e, LL_EVK_ALL)
    {
        if (!ll_lock_untouched(ll_fn_lock_at(f, e, l)))
            continue;
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind == LL_EV_RELEASE && ll_fn_lock_of(f, &ev->obj) == (int)l)
            return true;
        const struct ll_call_info *ci = ll_fn_call(f, e);
        for (size_t k = 0; ci && k < ci->neffects; k++)
            if (ci->effects[k].op == LL_EFF_RELEASE &&
                ll_fn_lock_of(f, &ci->effects[k].lock) == (int)l)
                return true;
    }
    return false;
}

/* Returning from main ends the process: no thread is left to wait for a
 * lock main still holds (only an atexit handler could), so that leak is a
 * note.  So is a lock that a function's other returns never took (a lock
 * taken only when a flag, the lock pointer's NULL-ness or a global mode
 * says so: `if (threaded) lock(&m->lock);`): its callers may test the
 * same condition before they release it, which the analysis does not
 * follow across functions; a forgotten unlock on an early return, the
 * lock released on the other paths, stays a warning. */
static void report_return(const struct ll_fn_view *f, uint32_t e, uint32_t l, bool root,
                          bool released_elsewhere, struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    struct ll_lock_info lk = ll_fn_lock(f, l);
    struct ll_site site = ll_view_site(f, fn->events[e].loc, NULL);
    bool main_fn = root && ll_fn_is_main(f);
    bool partial = main_fn || (!root && !released_elsewhere);
    struct ll_finding *fd =
        ll_diag_sev(r, partial ? LL_SEV_NOTE : r->rule->severity, &site, fn->name, lk.cls,
                    main_fn ? "'%s' still held when '%s' returns; the process ends, so only "
                              "an atexit handler could still need it"
                    : root  ? "'%s' still held when thread function '%s' returns"
                    : released_elsewhere ? "'%s' still held when '%s' returns here, but "
                                           "released on other paths"
                                         : "'%s' still held when '%s' returns here, but not "
                                           "on its other returns",
                    lk.text, fn->name);
    if (fd)
        ll_diag_note_acquired(r, fd, f, e, l);
}

/* A reached call to f whose result is neither tested, assigned nor
 * returned at once, or UINT32_MAX; *caller receives its function. */
static uint32_t result_ignored(const struct ll_view *v, const struct ll_fn_view *f,
                               const struct ll_fn_view **caller)
{
    LL_FOR_EACH_FN(v, g)
    {
        const struct ll_function *gn = ll_fn_ir(g);
        LL_FOR_EACH_REACHED(g, e, LL_EVK(LL_EV_CALL))
        {
            const struct ll_call_info *ci = ll_fn_call(g, e);
            const struct ll_event *ev = &gn->events[e];
            if (!ci || ci->callee != (long)ll_fn_index(f) || ev->result_var ||
                (ev->flags & LL_EVF_CHECKED))
                continue;
            const struct ll_event *next = e + 1 < gn->nevents ? &gn->events[e + 1] : NULL;
            if (next && next->kind == LL_EV_RETURN && !next->result_var &&
                next->loc.line == ev->loc.line && next->loc.col < ev->loc.col)
                continue; /* `return f(x);` hands the result on */
            *caller = g;
            return e;
        }
    }
    return UINT32_MAX;
}

/* "Locked on success" (returns 0 holding l, releases it on its error
 * returns) while a caller ignores the result: the holding returns are
 * likelier a forgotten unlock.  A note: the result may be used in a way
 * the facts do not record. */
static void check_success_guess(const struct ll_view *v, const struct ll_fn_view *f, uint32_t l,
                                struct ll_rule_ctx *r)
{
    const struct ll_fn_view *g = NULL;
    uint32_t c = result_ignored(v, f, &g);
    if (c == UINT32_MAX)
        return;
    const struct ll_function *fn = ll_fn_ir(f);
    struct ll_lock_info lk = ll_fn_lock(f, l);
    LL_FOR_EACH_REACHED(f, e, LL_EVK(LL_EV_RETURN))
    {
        if (!ll_fn_lock_at(f, e, l).held)
            continue;
        struct ll_site site = ll_view_site(f, fn->events[e].loc, NULL);
        struct ll_finding *fd =
            ll_diag_sev(r, LL_SEV_NOTE, &site, fn->name, lk.cls,
                        "'%s' still held when '%s' returns 0 here, released on its other "
                        "returns, and a caller ignores the result",
                        lk.text, fn->name);
        if (!fd)
            continue;
        ll_diag_note_acquired(r, fd, f, e, l);
        struct ll_site cs = ll_view_site(g, ll_fn_ir(g)->events[c].loc, NULL);
        ll_diag_note(r, fd, &cs, "'%s' ignores the result of '%s' here", ll_fn_ir(g)->name,
                     fn->name);
    }
}

/* A thread root that returns from a recursive mutex it acquired more
 * often than it released, on every path to the return: its lock state
 * says released after the inner unlock, its count says held. */
static void check_recursive(const struct ll_fn_view *f, uint32_t l, struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    struct ll_lock_info lk = ll_fn_lock(f, l);
    bool main_fn = ll_fn_is_main(f);
    LL_FOR_EACH_REACHED(f, e, LL_EVK(LL_EV_RETURN))
    {
        if (!ll_fn_lock_count_held(f, e, l))
            continue;
        struct ll_site site = ll_view_site(f, fn->events[e].loc, NULL);
        struct ll_finding *fd = ll_diag_sev(
            r, main_fn ? LL_SEV_NOTE : r->rule->severity, &site, fn->name, lk.cls,
            main_fn ? "'%s' still held when '%s' returns: the recursive mutex is acquired more "
                      "often than released; the process ends, so only an atexit handler could "
                      "still need it"
                    : "'%s' still held when thread function '%s' returns: the recursive mutex "
                      "is acquired more often than released",
            lk.text, fn->name);
        if (fd)
            ll_diag_note_acquired(r, fd, f, e, l);
    }
}

static void check_function(const struct ll_view *v, const struct ll_fn_view *f,
                           struct ll_rule_ctx *r)
{
    bool root = ll_fn_is_root(f);
    for (uint32_t l = 0; l < ll_fn_nlocks(f); l++) {
        struct ll_lock_info lk = ll_fn_lock(f, l);
        if (lk.kind == LL_LK_SEM || lk.caller_held || mode_switch(f, l))
            continue;
        if (ll_view_lock_recursive(v, f, l)) {
            if (root)
                check_recursive(f, l, r);
            continue;
        }
        struct ll_lock_state all = ll_fn_lock_at_returns(f, l);
        if (!all.held)
            continue;
        bool leak = root || all.released || all.unknown;
        if (leak && !root && ll_fn_lock_held_on_success(f, l)) {
            check_success_guess(v, f, l, r);
            continue;
        }
        if (!leak || (!root && (wrapper_of(f, l) || kept_by_parameter(f, l))))
            continue;
        /* never-taken-since-start is only for roots, whose message says so */
        LL_FOR_EACH_REACHED(f, e, LL_EVK(LL_EV_RETURN))
        if (ll_fn_lock_at(f, e, l).held)
            report_return(f, e, l, root, all.released, r);
    }
}

static bool loc_before(struct ll_loc a, struct ll_loc b)
{
    return a.file == b.file && (a.line < b.line || (a.line == b.line && a.col < b.col));
}

static bool api_is(const struct ll_event *ev, const char *name)
{
    return ev->kind == LL_EV_CALL && ev->api && strcmp(ev->api, name) == 0;
}

/* Event e lies between a pthread_cleanup_push and its pop (in glibc's
 * expansion, `__pthread_register_cancel` ... `__pthread_unregister_cancel`):
 * ending the thread there runs the handlers, which may release the lock. */
static bool in_cleanup_section(const struct ll_function *fn, uint32_t e)
{
    struct ll_loc at = fn->events[e].loc;
    for (uint32_t k = 0; k < fn->nevents; k++) {
        if (!api_is(&fn->events[k], "__pthread_register_cancel") ||
            !loc_before(fn->events[k].loc, at))
            continue;
        bool closed = false;
        for (uint32_t u = 0; u < fn->nevents && !closed; u++)
            closed = api_is(&fn->events[u], "__pthread_unregister_cancel") &&
                     loc_before(fn->events[k].loc, fn->events[u].loc) &&
                     loc_before(fn->events[u].loc, at);
        if (!closed)
            return true;
    }
    return false;
}

/* `pthread_exit` (or a call that may end the thread in it) while f holds
 * a lock it took: the thread is gone, nobody can release the lock. */
static void check_thread_exits(const struct ll_view *v, const struct ll_fn_view *f,
                               struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    if (ll_fn_nlocks(f) == 0)
        return;
    LL_FOR_EACH_REACHED(f, e, LL_EVK(LL_EV_CALL))
    {
        const struct ll_event *ev = &fn->events[e];
        const struct ll_call_info *ci = ll_fn_call(f, e);
        const struct ll_tsum_event *x = NULL;
        if (in_cleanup_section(fn, e))
            continue;
        if (!ll_event_ends_thread(ev)) {
            if (!ci || ci->callee < 0)
                continue;
            x = &ll_fn_thread_summary(v, ll_view_fn(v, (size_t)ci->callee))->exit;
            if (!x->set)
                continue;
        }
        for (uint32_t l = 0; l < ll_fn_nlocks(f); l++) {
            struct ll_lock_info lk = ll_fn_lock(f, l);
            if (lk.kind == LL_LK_SEM || lk.caller_held ||
                (ll_lock_held(ll_fn_lock_at(f, e, l)) != LL_HELD_ALL &&
                 !(ll_view_lock_recursive(v, f, l) && ll_fn_lock_count_held(f, e, l))) ||
                (x && ll_tsum_released(v, f, e, x, lk.path)))
                continue;
            struct ll_site site = ll_view_site(f, ev->loc, NULL);
            struct ll_finding *fd =
                !x ? ll_diag(r, &site, fn->name, lk.cls,
                             "'%s' still held when the thread ends in '%s': nobody can release it",
                             lk.text, ev->api)
                : x->signalled
                    /* a fatal-error helper: it signals the thread that ends
                     * the process, then leaves -- doubtful, a note */
                    ? ll_diag_sev(r, LL_SEV_NOTE, &site, fn->name, lk.cls,
                                  "'%s' still held when the call to '%s' ends the thread after "
                                  "sending a signal: nobody can release it, unless the signal "
                                  "ends the process",
                                  lk.text, ev->api ? ev->api : "?")
                    : ll_diag(r, &site, fn->name, lk.cls,
                              "'%s' still held when the call to '%s' ends the thread: nobody can "
                              "release it",
                              lk.text, ev->api ? ev->api : "?");
            if (!fd)
                continue;
            if (x)
                ll_diag_note(r, fd, &x->site, "'%s' ends the thread here, in '%s'", x->api, x->via);
            ll_diag_note_acquired(r, fd, f, e, l);
        }
    }
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    LL_FOR_EACH_FN(v, f)
    {
        check_function(v, f, r);
        check_thread_exits(v, f, r);
    }
}

const struct ll_rule ll_rule_lock_leak = {
    "lock-leak", "a function or thread that returns holding a lock on some paths", doc,
    LL_SEV_WARNING, check};
