/*
 * blocking-under-lock: joining a thread that needs a lock the joiner holds
 * (a deadlock), and sleeping while holding a lock (directly or in a
 * callee).
 */
#include "rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Finds `pthread_join`/`thrd_join` of a thread whose start routine (or anything it calls)\n"
    "acquires a lock the joining thread holds, also a call to a function that joins it;\n"
    "sleep-family calls (`sleep`, `usleep`, `nanosleep`, `thrd_sleep`, ...) made while\n"
    "holding a lock, directly or in a callee; and a condition wait (or a call to a function\n"
    "that waits) while holding a second lock that the thread signalling the condition takes.\n\n"
    "## Why is this bad\n"
    "The joined thread blocks on the lock the joiner holds, and the joiner waits for it to\n"
    "finish: neither moves. Sleeping with a lock held stalls every thread that needs it, and\n"
    "turns a short critical section into a convoy. A wait releases only its own mutex: the\n"
    "signaller blocks on the second lock and never signals.\n\n"
    "## Example\n"
    "```c\n"
    "pthread_mutex_lock(&state_lock);\n"
    "pthread_join(worker, NULL);   /* worker takes state_lock before it exits */\n"
    "\n"
    "pthread_mutex_lock(&stats_lock);\n"
    "wait_ready();   /* waits on ready_cv; the producer takes stats_lock to signal it */\n"
    "```\n\n"
    "## Use instead\n"
    "Release the lock before joining or sleeping; use a condition variable with a timeout\n"
    "(`pthread_cond_timedwait`) when the wait is for state the lock protects.\n\n"
    "## Known problems\n"
    "The joined thread's start routine is found from the `pthread_create` that filled the same\n"
    "handle variable in the function, or one that stored it in a handle of the same class\n"
    "elsewhere. Semaphores and read locks are not counted as held. A second lock at a wait\n"
    "is reported only when a signal of a condition of the same class is seen with it held\n"
    "(in the signalling function or a caller of it); a lock of the wait mutex's class is\n"
    "taken to be that mutex. Through calls, a callee's first wait counts, and the joins of\n"
    "at most four start routines; a lock the callee releases first is not held there. A sleep\n"
    "reached only through a function pointer that can hold several functions, or through a\n"
    "function two TUs the program links define, is a note.\n";

/* Held on every path, in write mode, and not a semaphore. */
static bool really_held(const struct ll_fn_view *f, uint32_t e, uint32_t l)
{
    struct ll_lock_state st = ll_fn_lock_at(f, e, l);
    return ll_lock_held(st) == LL_HELD_ALL && !st.shared && ll_fn_lock(f, l).kind != LL_LK_SEM;
}

static int first_held(const struct ll_fn_view *f, uint32_t e)
{
    for (uint32_t l = 0; l < ll_fn_nlocks(f); l++)
        if (really_held(f, e, l))
            return (int)l;
    return -1;
}

static void check_sleep(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                        struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    const struct ll_event *ev = &fn->events[e];
    /* a sleep on the way to abort() (so a debugger can attach) blocks no
     * one who goes on */
    int l = ll_fn_event_doomed(f, e) ? -1 : first_held(f, e);
    if (l < 0)
        return;
    struct ll_lock_info lk = ll_fn_lock(f, (uint32_t)l);
    struct ll_site site = ll_view_site(f, ev->loc, NULL);
    struct ll_finding *fd = NULL;
    const struct ll_call_info *ci = ll_fn_call(f, e);
    /* a back-off after a lock or condition could not be initialised runs
     * only when memory ran out: a note */
    bool on_failure = ll_fn_event_on_init_failure(f, e), guessed = false;
    struct ll_site sleep_site = site;
    if (ll_event_sleeps(ev)) {
        fd = ll_diag_sev(r, on_failure ? LL_SEV_NOTE : LL_SEV_WARNING, &site, fn->name, lk.cls,
                         "'%s' sleeps while holding '%s'", ev->api, lk.text);
    } else if (ci) {
        const struct ll_fn_view *callee = ll_view_fn(v, (size_t)ci->callee);
        const struct ll_summary *s = ll_fn_summary(callee);
        if (!s->may_sleep)
            return;
        /* a sleep only some function a pointer can hold makes: a note */
        guessed = s->sleep_guessed || ll_fn_is_dispatcher(callee);
        on_failure = on_failure || s->sleep_on_init_failure;
        sleep_site = s->sleep_site;
        fd = ll_diag_sev(r, guessed || on_failure ? LL_SEV_NOTE : LL_SEV_WARNING, &site, fn->name,
                         lk.cls, "call to '%s' sleeps while holding '%s'", ev->api, lk.text);
        if (fd)
            ll_diag_note(r, fd, &s->sleep_site, "'%s' sleeps here, in '%s'", s->sleep_api,
                         s->sleep_via);
        if (fd && guessed)
            ll_diag_note(r, fd, &site,
                         "the sleep is reached only through a call that can go to several "
                         "functions (a function pointer that can hold several, or a function "
                         "several linked TUs define); which one runs on this path is not "
                         "known");
    }
    if (fd && on_failure && !guessed)
        ll_diag_note(r, fd, &sleep_site,
                     "the sleep runs only when a lock or condition variable could not be "
                     "initialised (out of memory): a back-off before retrying");
    if (fd)
        ll_diag_note_acquired(r, fd, f, e, (uint32_t)l);
}

/* Start routines of the threads a join may wait for: the first program
 * function after `after` that a creation of the joined handle starts. */
static long started_by(const struct ll_view *v, const struct ll_fn_view *f, uint32_t join,
                       long after)
{
    const struct ll_event *j = &ll_fn_ir(f)->events[join];
    LL_FOR_EACH_FN(v, g)
    {
        const struct ll_function *gfn = ll_fn_ir(g);
        for (uint32_t e = 0; e < gfn->nevents; e++) {
            const struct ll_event *c = &gfn->events[e];
            if (c->kind != LL_EV_THREAD_CREATE || !c->callee || !c->obj.key || !j->obj.key)
                continue;
            bool same = g == f ? strcmp(c->obj.key, j->obj.key) == 0
                               : (c->obj.cls && j->obj.cls && strcmp(c->obj.cls, j->obj.cls) == 0 &&
                                  c->obj.root != LL_ROOT_LOCAL);
            const struct ll_fn_view *routine = ll_view_callee(v, g, e);
            long k = routine ? (long)ll_fn_index(routine) : -1;
            if (same && k > after)
                return k;
        }
    }
    return -1;
}

static void check_join(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                       struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    const struct ll_event *ev = &fn->events[e];
    for (long k = started_by(v, f, e, -1); k >= 0; k = started_by(v, f, e, k)) {
        const struct ll_fn_view *routine = ll_view_fn(v, (size_t)k);
        const struct ll_summary *s = ll_fn_summary(routine);
        for (uint32_t l = 0; l < ll_fn_nlocks(f); l++) {
            if (!really_held(f, e, l))
                continue;
            struct ll_lock_info lk = ll_fn_lock(f, l);
            for (size_t t = 0; t < s->ntakes; t++) {
                if (!s->takes[t].blocking || !ll_path_same_lock(&s->takes[t].lock, lk.path))
                    continue;
                struct ll_site site = ll_view_site(f, ev->loc, NULL);
                struct ll_finding *fd =
                    ll_diag(r, &site, fn->name, lk.cls,
                            "joining a thread running '%s' while holding '%s', which that thread "
                            "acquires: deadlock",
                            ll_fn_ir(routine)->name, lk.text);
                if (!fd)
                    return;
                ll_diag_note(r, fd, &s->takes[t].site, "'%s' acquires '%s' here, in '%s'",
                             ll_fn_ir(routine)->name, s->takes[t].lock.text, s->takes[t].via);
                ll_diag_note_acquired(r, fd, f, e, l);
                return;
            }
        }
    }
}

/* Where a thread signals a condition of class `cls` while it holds `lock`
 * (on every path): in the signalling function, or in a caller of it at
 * the call.  Returns the signal's function, or NULL; *sig the event. */
static const struct ll_fn_view *signaller_holding(const struct ll_view *v, const char *cls,
                                                  const struct ll_path *lock, uint32_t *sig)
{
    LL_FOR_EACH_FN(v, g)
    {
        const struct ll_function *gfn = ll_fn_ir(g);
        LL_FOR_EACH_REACHED(g, e, LL_EVK(LL_EV_COND_SIGNAL))
        {
            const struct ll_event *ev = &gfn->events[e];
            if (!ev->obj.cls || strcmp(ev->obj.cls, cls) != 0)
                continue;
            *sig = e;
            for (uint32_t l = 0; l < ll_fn_nlocks(g); l++)
                if (ll_lock_held(ll_fn_lock_at(g, e, l)) == LL_HELD_ALL &&
                    ll_path_same_lock(ll_fn_lock(g, l).path, lock))
                    return g;
            /* the callers of g, at their calls */
            LL_FOR_EACH_FN(v, h)
            {
                LL_FOR_EACH_REACHED(h, c, LL_EVK(LL_EV_CALL))
                {
                    const struct ll_call_info *ci = ll_fn_call(h, c);
                    if (!ci || ci->callee != (long)ll_fn_index(g))
                        continue;
                    for (uint32_t l = 0; l < ll_fn_nlocks(h); l++)
                        if (ll_lock_held(ll_fn_lock_at(h, c, l)) == LL_HELD_ALL &&
                            ll_path_same_lock(ll_fn_lock(h, l).path, lock))
                            return g;
                }
            }
        }
    }
    return NULL;
}

/* A condition wait (or a call that waits) while a second lock is held,
 * one the thread that signals the condition takes: the wait releases only
 * its own mutex, the signaller blocks on the second. */
static void check_wait(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                       struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    const struct ll_event *ev = &fn->events[e];
    const struct ll_tsum_event *x = NULL;
    const struct ll_path *cond = &ev->obj, *mutex = &ev->aux;
    if (ev->kind != LL_EV_COND_WAIT) {
        const struct ll_call_info *ci = ll_fn_call(f, e);
        if (!ci || ci->callee < 0)
            return;
        x = &ll_fn_thread_summary(v, ll_view_fn(v, (size_t)ci->callee))->wait;
        if (!x->set || !x->obj || !x->aux)
            return;
        cond = x->obj;
        mutex = x->aux;
    }
    if (!cond->cls || !mutex->cls)
        return;
    if (!x) { /* a wait without its own mutex held is cond-wait-without-lock's */
        int m = ll_fn_lock_of(f, mutex);
        if (m < 0 || !really_held(f, e, (uint32_t)m))
            return;
    }
    for (uint32_t l = 0; l < ll_fn_nlocks(f); l++) {
        struct ll_lock_info lk = ll_fn_lock(f, l);
        if (!really_held(f, e, l) || !lk.cls || strcmp(lk.cls, mutex->cls) == 0 ||
            (!x && ll_fn_lock_of(f, mutex) == (int)l) ||
            (x &&
             (ll_tsum_released(v, f, e, x, lk.path) || ll_tsum_wait_releases(v, f, e, x, lk.path))))
            continue;
        uint32_t sig = 0;
        const struct ll_fn_view *g = signaller_holding(v, cond->cls, lk.path, &sig);
        if (!g)
            continue;
        struct ll_site site = ll_view_site(f, ev->loc, NULL);
        struct ll_finding *fd =
            x ? ll_diag(r, &site, fn->name, lk.cls,
                        "call to '%s' waits on '%s' while holding '%s', which the thread that "
                        "signals it takes: the wait releases only '%s', so neither moves",
                        ev->api ? ev->api : "?", cond->text, lk.text, mutex->text)
              : ll_diag(r, &site, fn->name, lk.cls,
                        "waits on '%s' while holding '%s', which the thread that signals it "
                        "takes: the wait releases only '%s', so neither moves",
                        cond->text, lk.text, mutex->text);
        if (!fd)
            return;
        if (x)
            ll_diag_note(r, fd, &x->site, "'%s' waits here, in '%s'", x->api, x->via);
        struct ll_site ss = ll_view_site(g, ll_fn_ir(g)->events[sig].loc, NULL);
        ll_diag_note(r, fd, &ss, "'%s' signals '%s' here with '%s' held", ll_fn_ir(g)->name,
                     ll_fn_ir(g)->events[sig].obj.text, lk.text);
        ll_diag_note_acquired(r, fd, f, e, l);
        return;
    }
}

/* A call to a function that joins a thread (itself or in a callee) while
 * a lock is held that the joined thread's start routine acquires. */
static void check_call_joins(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                             struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    const struct ll_event *ev = &fn->events[e];
    const struct ll_call_info *ci = ll_fn_call(f, e);
    if (!ci || ci->callee < 0)
        return;
    const struct ll_thread_summary *ts = ll_fn_thread_summary(v, ll_view_fn(v, (size_t)ci->callee));
    for (uint32_t j = 0; j < ts->njoins; j++) {
        const struct ll_tsum_event *x = &ts->joins[j];
        const struct ll_fn_view *routine = ll_view_fn(v, (size_t)x->routine);
        const struct ll_summary *s = ll_fn_summary(routine);
        for (uint32_t l = 0; l < ll_fn_nlocks(f); l++) {
            struct ll_lock_info lk = ll_fn_lock(f, l);
            if (!really_held(f, e, l) || ll_tsum_released(v, f, e, x, lk.path))
                continue;
            for (size_t t = 0; t < s->ntakes; t++) {
                if (!s->takes[t].blocking || !ll_path_same_lock(&s->takes[t].lock, lk.path))
                    continue;
                struct ll_site site = ll_view_site(f, ev->loc, NULL);
                struct ll_finding *fd =
                    ll_diag(r, &site, fn->name, lk.cls,
                            "call to '%s' joins a thread running '%s' while holding '%s', which "
                            "that thread acquires: deadlock",
                            ev->api ? ev->api : "?", ll_fn_ir(routine)->name, lk.text);
                if (!fd)
                    return;
                ll_diag_note(r, fd, &x->site, "'%s' joins it here, in '%s'", x->api, x->via);
                ll_diag_note(r, fd, &s->takes[t].site, "'%s' acquires '%s' here, in '%s'",
                             ll_fn_ir(routine)->name, s->takes[t].lock.text, s->takes[t].via);
                ll_diag_note_acquired(r, fd, f, e, l);
                return;
            }
        }
    }
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    LL_FOR_EACH_FN(v, f)
    {
        if (ll_fn_nlocks(f) == 0)
            continue;
        LL_FOR_EACH_REACHED(f, e, LL_EVK_ALL)
        {
            uint8_t kind = ll_fn_ir(f)->events[e].kind;
            if (kind == LL_EV_JOIN) {
                check_join(v, f, e, r);
            } else if (kind == LL_EV_COND_WAIT) {
                check_wait(v, f, e, r);
            } else {
                check_sleep(v, f, e, r);
                if (kind == LL_EV_CALL) {
                    check_wait(v, f, e, r);
                    check_call_joins(v, f, e, r);
                }
            }
        }
    }
}

const struct ll_rule ll_rule_blocking_under_lock = {
    "blocking-under-lock", "joining a thread that needs a held lock, or sleeping with a lock held",
    doc, LL_SEV_WARNING, check};
