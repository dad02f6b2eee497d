/*
 * threadsum: thread exits, condition waits and joins through calls (see
 * threadsum.h).  Bottom-up over the call graph's components, a few rounds
 * in a recursive one; every field is set once (the first place found), the
 * joins grow to LL_TSUM_MAX_JOINS.
 */
#include "threadsum.h"

#include "summary.h"
#include "view_internal.h"

#include <stdlib.h>
#include <string.h>

#define SCC_ROUNDS 3

/* The locks f has released on every path before event e (portable ones:
 * the only ones a caller can name). */
static void released_at(const struct ll_fn_view *f, uint32_t e, struct ll_tsum_event *x)
{
    for (uint32_t l = 0; l < ll_fn_nlocks(f) && x->nreleased < LL_TSUM_MAX_RELEASED; l++) {
        struct ll_lock_state st = ll_fn_lock_at(f, e, l);
        struct ll_lock_info lk = ll_fn_lock(f, l);
        if (st.released && !st.held && !st.unknown && lk.path && ll_path_portable(lk.path))
            x->released[x->nreleased++] = lk.path;
    }
}

/* x as the caller f sees it at call event e: the callee's released locks
 * rewritten in f's terms, with f's own released there. */
static int lift(struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                const struct ll_fn_view *g, const struct ll_tsum_event *from,
                struct ll_tsum_event *x)
{
    *x = *from;
    x->nreleased = 0;
    const struct ll_event *call = &f->fn->events[e];
    for (uint32_t k = 0; k < from->nreleased && x->nreleased < LL_TSUM_MAX_RELEASED; k++) {
        struct ll_path *p = ll_arena_alloc(&v->arena, sizeof(*p));
        if (!p)
            return -1;
        if (ll_path_instantiate(&v->arena, from->released[k], g->fn, call, p) &&
            ll_path_portable(p))
            x->released[x->nreleased++] = p;
    }
    released_at(f, e, x);
    /* the condition and mutex stay in the innermost function's terms
     * (their classes are what callers compare), the handle too */
    return 0;
}

/* Calls that send a signal to a thread or a process. */
static bool sends_signal(const struct ll_event *ev)
{
    static const char *const apis[] = {
        "pthread_kill", "raise", "kill", "tgkill", "killpg", "sigqueue", "pthread_sigqueue"};
    if (ev->kind != LL_EV_CALL || !ev->api || (ev->flags & LL_EVF_INDIRECT))
        return false;
    for (size_t k = 0; k < sizeof(apis) / sizeof(apis[0]); k++)
        if (strcmp(ev->api, apis[k]) == 0)
            return true;
    return false;
}

static bool signals_to(const struct ll_view *v, const struct ll_fn_view *f, uint32_t to,
                       uint32_t before, int depth);

/* Event k of f sends a signal: a signalling call, or (one call deep) a
 * call of a program function that sends one on every path to its end
 * (lbzip2's `xraise(sig)`: `if (kill(pid, sig) != 0) abort();`). */
static bool event_signals(const struct ll_view *v, const struct ll_fn_view *f, uint32_t k,
                          int depth)
{
    const struct ll_event *ev = &f->fn->events[k];
    if (sends_signal(ev))
        return true;
    const struct ll_call_info *ci = ll_fn_call(f, k);
    if (depth > 0 || !ci || ci->callee < 0 || (uint32_t)ci->callee == f->index)
        return false;
    const struct ll_fn_view *g = &v->fns[ci->callee];
    return signals_to(v, g, g->fn->exit, UINT32_MAX, depth + 1);
}

/* A signal is sent on every path from f's entry to block `to` (before
 * event `before` when that lies in it): the sending call's block is that
 * block (and the call comes first) or dominates it. */
static bool signals_to(const struct ll_view *v, const struct ll_fn_view *f, uint32_t to,
                       uint32_t before, int depth)
{
    const struct ll_function *fn = f->fn;
    uint8_t *seen = malloc(fn->nblocks + 1);
    uint32_t *stack = malloc((fn->nblocks + 1) * sizeof(*stack));
    bool found = false;
    for (uint32_t k = 0; seen && stack && k < fn->nevents && !found; k++) {
        if (!ll_fn_reached(f, k) || !event_signals(v, f, k, depth))
            continue;
        uint32_t bk = ll_fn_block_of(f, k);
        found = bk == to ? k < before : !ll_fn_block_reaches(f, 0, to, bk, seen, stack);
    }
    free(seen);
    free(stack);
    return found;
}

static struct ll_tsum_event direct(const struct ll_fn_view *f, uint32_t e)
{
    const struct ll_event *ev = &f->fn->events[e];
    struct ll_tsum_event x = {.set = true, .routine = -1};
    x.site = ll_view_site(f, ev->loc, NULL);
    x.api = ev->api;
    x.via = f->fn->name;
    released_at(f, e, &x);
    return x;
}

/* The thread creations with a handle that is not a local, by handle
 * class: creators[] chained through next[] from by_cls. */
struct creators {
    struct ll_strmap by_cls;
    long *routine, *next;
};

static int creators_build(const struct ll_view *v, struct creators *cr)
{
    size_t n = 0;
    for (size_t i = 0; i < v->nfns; i++)
        for (uint32_t e = 0; e < v->fns[i].fn->nevents; e++)
            n += v->fns[i].fn->events[e].kind == LL_EV_THREAD_CREATE;
    cr->routine = calloc(n + 1, sizeof(long));
    cr->next = calloc(n + 1, sizeof(long));
    if (!cr->routine || !cr->next)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < v->nfns; i++)
        for (uint32_t e = 0; e < v->fns[i].fn->nevents; e++) {
            const struct ll_event *c = &v->fns[i].fn->events[e];
            long r = c->kind == LL_EV_THREAD_CREATE ? ll_program_callee(&v->program, (uint32_t)i, e)
                                                    : -1;
            if (r < 0 || !c->obj.cls || !c->obj.key || c->obj.root == LL_ROOT_LOCAL)
                continue;
            size_t head = ll_strmap_get(&cr->by_cls, c->obj.cls);
            cr->routine[k] = r;
            cr->next[k] = head == (size_t)-1 ? -1 : (long)head;
            if (ll_strmap_put(&cr->by_cls, c->obj.cls, k++) < 0)
                return -1;
        }
    return 0;
}

static void creators_release(struct creators *cr)
{
    ll_strmap_release(&cr->by_cls);
    free(cr->routine);
    free(cr->next);
}

static bool has_join(const struct ll_thread_summary *s, long routine)
{
    for (uint32_t k = 0; k < s->njoins; k++)
        if (s->joins[k].routine == routine)
            return true;
    return false;
}

static void add_join(struct ll_thread_summary *s, const struct ll_fn_view *f, uint32_t e,
                     long routine, bool *changed)
{
    if (routine < 0 || s->njoins >= LL_TSUM_MAX_JOINS || has_join(s, routine))
        return;
    struct ll_tsum_event *x = &s->joins[s->njoins++];
    *x = direct(f, e);
    x->obj = &f->fn->events[e].obj;
    x->routine = routine;
    *changed = true;
}

/* The start routines a join at event e of f may wait for: creations that
 * filled the same handle in f, or a handle of the same class (not a
 * local) anywhere -- as blocking-under-lock has always found them. */
static void direct_joins(const struct ll_view *v, const struct creators *cr,
                         struct ll_thread_summary *s, const struct ll_fn_view *f, uint32_t e,
                         bool *changed)
{
    const struct ll_event *j = &f->fn->events[e];
    if (!j->obj.key)
        return;
    for (uint32_t c = 0; c < f->fn->nevents; c++) {
        const struct ll_event *ev = &f->fn->events[c];
        if (ev->kind == LL_EV_THREAD_CREATE && ev->obj.key && strcmp(ev->obj.key, j->obj.key) == 0)
            add_join(s, f, e, ll_program_callee(&v->program, f->index, c), changed);
    }
    size_t k = j->obj.cls ? ll_strmap_get(&cr->by_cls, j->obj.cls) : (size_t)-1;
    for (long i = k == (size_t)-1 ? -1 : (long)k; i >= 0; i = cr->next[i])
        add_join(s, f, e, cr->routine[i], changed);
}

/* One pass over f; *changed when its summary grew. */
static int summarise(struct ll_view *v, const struct creators *cr, struct ll_fn_view *f,
                     struct ll_thread_summary *all, bool *changed)
{
    struct ll_thread_summary *s = &all[f->index];
    const struct ll_function *fn = f->fn;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        if (!ll_fn_reached(f, e))
            continue;
        const struct ll_event *ev = &fn->events[e];
        if (!s->exit.set && ll_event_ends_thread(ev)) {
            s->exit = direct(f, e);
            s->exit.signalled = signals_to(v, f, ll_fn_block_of(f, e), e, 0);
            *changed = true;
        } else if (!s->wait.set && ev->kind == LL_EV_COND_WAIT) {
            s->wait = direct(f, e);
            s->wait.obj = &ev->obj;
            s->wait.aux = ev->aux.root != LL_ROOT_NONE ? &ev->aux : NULL;
            *changed = true;
        } else if (ev->kind == LL_EV_JOIN) {
            direct_joins(v, cr, s, f, e, changed);
        }
        const struct ll_call_info *ci = ll_fn_call(f, e);
        if (!ci || ci->callee < 0 || (uint32_t)ci->callee == f->index)
            continue;
        const struct ll_fn_view *g = &v->fns[ci->callee];
        const struct ll_thread_summary *gs = &all[ci->callee];
        if (!s->exit.set && gs->exit.set) {
            if (lift(v, f, e, g, &gs->exit, &s->exit) != 0)
                return -1;
            *changed = true;
        }
        if (!s->wait.set && gs->wait.set) {
            if (lift(v, f, e, g, &gs->wait, &s->wait) != 0)
                return -1;
            *changed = true;
        }
        for (uint32_t k = 0; k < gs->njoins && s->njoins < LL_TSUM_MAX_JOINS; k++) {
            if (has_join(s, gs->joins[k].routine))
                continue;
            if (lift(v, f, e, g, &gs->joins[k], &s->joins[s->njoins++]) != 0)
                return -1;
            *changed = true;
        }
    }
    return 0;
}

int ll_tsum_build(struct ll_view *v)
{
    const struct ll_callgraph *g = &v->cg;
    v->tsum = ll_arena_alloc(&v->arena, (v->nfns + 1) * sizeof(*v->tsum));
    struct creators cr = {0};
    ll_strmap_init(&cr.by_cls);
    int rc = -1;
    if (!v->tsum || creators_build(v, &cr) != 0)
        goto out;
    for (uint32_t c = 0; c < g->nsccs; c++) {
        uint32_t first = g->scc_start[c], last = g->scc_start[c + 1];
        int rounds = (last - first > 1 || g->recursive[g->order[first]]) ? SCC_ROUNDS : 1;
        for (int round = 0; round < rounds; round++) {
            bool changed = false;
            for (uint32_t i = first; i < last; i++)
                if (summarise(v, &cr, &v->fns[g->order[i]], v->tsum, &changed) != 0)
                    goto out;
            if (!changed)
                break;
        }
    }
    rc = 0;
out:
    creators_release(&cr);
    return rc;
}

/* Whether one of the callee's lock paths `paths[0..n)`, rewritten for call
 * event e of f, names `lock`. */
static bool names_lock(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                       const struct ll_path *const *paths, uint32_t n, const struct ll_path *lock)
{
    const struct ll_call_info *ci = ll_fn_call(f, e);
    if (!ci || ci->callee < 0)
        return false;
    const struct ll_fn_view *g = &v->fns[ci->callee];
    const struct ll_event *call = &f->fn->events[e];
    struct ll_arena a;
    ll_arena_init(&a);
    bool yes = false;
    for (uint32_t k = 0; k < n && !yes; k++) {
        struct ll_path p;
        yes = ll_path_instantiate(&a, paths[k], g->fn, call, &p) && ll_path_same_lock(&p, lock);
    }
    ll_arena_release(&a);
    return yes;
}

bool ll_tsum_released(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                      const struct ll_tsum_event *x, const struct ll_path *lock)
{
    return names_lock(v, f, e, x->released, x->nreleased, lock);
}

bool ll_tsum_wait_releases(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                           const struct ll_tsum_event *x, const struct ll_path *lock)
{
    const struct ll_path *mutex = x->aux;
    return mutex && names_lock(v, f, e, &mutex, 1, lock);
}
