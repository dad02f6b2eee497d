/*
 * view_summaries: the lock-state and summary phase of the view build.
 * Bottom-up over the call graph's components, each function's callee
 * summaries are rewritten for its calls (the call infos), its lock state is
 * computed (dataflow.h) with them, and its own summary (summary.h) is read
 * off that state.  A recursive component is iterated a bounded number of
 * times (summaries only grow, so two or three rounds settle in practice).
 * It does not look at threads or build the lock-order graph.
 */
#include "view_internal.h"

#include "lockapi.h"

#include <stdlib.h>
#include <string.h>

#define SCC_ROUNDS 3

/* ---- calls: callee summaries in the caller's terms ------------------ */

/* Whether ll_path_instantiate() gives `p` back unchanged: a global or a
 * static is the same object in every caller. */
static bool instantiates_as_is(const struct ll_path *p)
{
    return p->root == LL_ROOT_GLOBAL || p->root == LL_ROOT_STATIC_LOCAL;
}

/* The callee's summary rewritten for one call.  There is one per call to
 * a program function and round: arrays are left NULL when the summary is
 * empty (most calls), shared with the summary when every element
 * instantiates as it is (a complete summary's arrays are never changed:
 * the next round makes new ones, and readers copy elements before
 * changing them), else copied without being zeroed first. */
static struct ll_call_info *instantiate_call(struct ll_view *v, const struct ll_event *call, long k)
{
    struct ll_arena *a = &v->arena;
    const struct ll_fn_view *callee = &v->fns[k];
    const struct ll_summary *s = &callee->summary;
    struct ll_call_info *ci = ll_arena_alloc(a, sizeof(*ci));
    if (!ci)
        return NULL;
    ci->callee = k;
    bool share_effects = true, share_takes = true;
    for (size_t i = 0; i < s->neffects && share_effects; i++)
        share_effects = instantiates_as_is(&s->effects[i].lock);
    for (size_t i = 0; i < s->ntakes && share_takes; i++)
        share_takes = instantiates_as_is(&s->takes[i].lock);
    if (share_effects) {
        ci->effects = s->effects;
        ci->neffects = s->neffects;
    } else {
        if (!(ci->effects = ll_arena_alloc_raw(a, s->neffects * sizeof(*ci->effects))))
            return NULL;
        for (size_t i = 0; i < s->neffects; i++) {
            struct ll_effect x = s->effects[i];
            if (ll_path_instantiate(a, &s->effects[i].lock, callee->fn, call, &x.lock))
                ci->effects[ci->neffects++] = x;
        }
    }
    if (share_takes) {
        ci->takes = s->takes;
        ci->ntakes = s->ntakes;
    } else {
        if (!(ci->takes = ll_arena_alloc_raw(a, s->ntakes * sizeof(*ci->takes))))
            return NULL;
        for (size_t i = 0; i < s->ntakes; i++) {
            struct ll_take t = s->takes[i];
            if (ll_path_instantiate(a, &s->takes[i].lock, callee->fn, call, &t.lock))
                ci->takes[ci->ntakes++] = t;
        }
    }
    return ci;
}

static int prepare_calls(struct ll_view *v, struct ll_fn_view *f)
{
    const struct ll_function *fn = f->fn;
    if (!f->calls) {
        f->calls = ll_arena_alloc(&v->arena, (fn->nevents + 1) * sizeof(*f->calls));
        if (!f->calls)
            return -1;
    }
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind != LL_EV_CALL)
            continue;
        long k = ll_program_callee(&v->program, f->index, e);
        if (k < 0)
            continue;
        if (!(f->calls[e] = instantiate_call(v, ev, k)))
            return -1;
    }
    return 0;
}

struct effects_ctx {
    const struct ll_view *v;
    const struct ll_fn_view *f;
};

static const struct ll_effect *call_effects(uint32_t event, size_t *n, void *ctx)
{
    const struct ll_fn_view *f = ((struct effects_ctx *)ctx)->f;
    const struct ll_call_info *ci = f->calls ? f->calls[event] : NULL;
    *n = ci ? ci->neffects : 0;
    return ci ? ci->effects : NULL;
}

/* ---- summaries ----------------------------------------------------- */

static const char *returned_constant(const struct ll_event *ev)
{
    const char *c = ev->result_var;
    return (c && (c[0] == '-' || (c[0] >= '0' && c[0] <= '9'))) ? c : NULL;
}

/* Two returned values the caller can tell apart: different constants, or
 * a constant and a computed value (a pointer against NULL). */
static bool distinguishable(const struct ll_event *a, const struct ll_event *b)
{
    const char *ka = returned_constant(a), *kb = returned_constant(b);
    if (!a->result_var || !b->result_var)
        return false;
    if (ka && kb)
        return strcmp(ka, kb) != 0;
    return (ka != NULL) != (kb != NULL);
}

/* Whether l is acquired in f: by an event or a callee's effect. */
static bool acquires(const struct ll_fn_view *f, uint32_t l)
{
    const struct ll_function *fn = f->fn;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ll_event_acquires(ev) && ll_df_lock_index(&f->df, ev->obj.key) == (int)l)
            return true;
        const struct ll_call_info *ci = f->calls ? f->calls[e] : NULL;
        for (size_t k = 0; ci && k < ci->neffects; k++)
            if (ci->effects[k].op != LL_EFF_RELEASE &&
                ll_df_lock_index(&f->df, ci->effects[k].lock.key) == (int)l)
                return true;
    }
    return false;
}

/* Whether an acquisition of l in f can fail visibly: a trylock, a lock call
 * whose result is tested, or a conditional callee. */
static bool acquisition_can_fail(const struct ll_fn_view *f, uint32_t l)
{
    const struct ll_function *fn = f->fn;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        bool tested = (ev->flags & LL_EVF_CHECKED) || ev->result_var;
        if (ll_event_acquires(ev) && (ev->kind == LL_EV_TRYACQUIRE || tested) &&
            ll_df_lock_index(&f->df, ev->obj.key) == (int)l)
            return true;
        const struct ll_call_info *ci = f->calls ? f->calls[e] : NULL;
        for (size_t k = 0; ci && k < ci->neffects; k++)
            if ((ci->effects[k].op == LL_EFF_COND_ACQUIRE ||
                 (ci->effects[k].op == LL_EFF_ACQUIRE && tested)) &&
                ll_df_lock_index(&f->df, ci->effects[k].lock.key) == (int)l)
                return true;
    }
    return false;
}

/* Every return holding l returns the constant 0 and no other return does. */
static bool holds_on_success_only(const struct ll_fn_view *f, uint32_t l)
{
    const struct ll_function *fn = f->fn;
    bool any = false;
    if (fn->flags & LL_FN_RETURNS_POINTER)
        return false; /* returning NULL is the failure */
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind != LL_EV_RETURN || !f->df.reached[e])
            continue;
        const char *k = returned_constant(ev);
        bool zero = k && strcmp(k, "0") == 0;
        bool held = ll_df_state(&f->df, e, l) & LL_LS_HELD;
        if (held != zero || !ev->result_var)
            return false;
        any = any || held;
    }
    return any;
}

/* The summary effect of lock l at f's returns, if any. */
bool ll_fn_lock_effect(const struct ll_fn_view *f, uint32_t l, struct ll_effect *x)
{
    const struct ll_function *fn = f->fn;
    const struct ll_df_result *df = &f->df;
    uint8_t all = 0, shared = 0;
    bool mixed_return = false, any = false;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        if (fn->events[e].kind != LL_EV_RETURN || !df->reached[e])
            continue;
        uint8_t st = ll_df_state(df, e, l);
        shared |= st & LL_LS_SHARED;
        st &= (uint8_t)~LL_LS_SHARED;
        all |= st;
        any = true;
        if ((st & LL_LS_HELD) && st != LL_LS_HELD)
            mixed_return = true;
    }
    if (!any)
        return false;
    memset(x, 0, sizeof(*x));
    x->lock = *df->locks[l].path;
    x->mode = shared ? LL_MODE_SHARED : LL_MODE_EXCL;
    if (df->locks[l].caller_held) {
        /* entered held: released on every return is a release wrapper,
         * anything else leaves it as the caller had it */
        x->op = LL_EFF_RELEASE;
        return all == LL_LS_FREE;
    }
    if (all == LL_LS_HELD) {
        x->op = LL_EFF_ACQUIRE;
        return true;
    }
    if (all == LL_LS_FREE && !acquires(f, l)) {
        x->op = LL_EFF_RELEASE;
        return true;
    }
    if (!(all & LL_LS_HELD) || mixed_return)
        return false;
    /* released again on the other returns: an error path that forgot to
     * unlock -- unless taking the lock itself could fail, or the function
     * returns 0 (success) exactly when it keeps the lock ("leaves p
     * locked" on success, unlocks on its error paths) */
    if ((all & LL_LS_FREE) && !acquisition_can_fail(f, l) && !holds_on_success_only(f, l))
        return false;
    /* held on some returns: a conditional wrapper when every holding return
     * is told apart from every other by its value */
    bool success_zero = true;
    for (uint32_t a = 0; a < fn->nevents; a++) {
        const struct ll_event *ea = &fn->events[a];
        if (ea->kind != LL_EV_RETURN || !df->reached[a] || !(ll_df_state(df, a, l) & LL_LS_HELD))
            continue;
        const char *k = returned_constant(ea);
        if (!k || strcmp(k, "0") != 0)
            success_zero = false;
        for (uint32_t b = 0; b < fn->nevents; b++) {
            const struct ll_event *eb = &fn->events[b];
            if (eb->kind == LL_EV_RETURN && df->reached[b] &&
                !(ll_df_state(df, b, l) & LL_LS_HELD) && !distinguishable(ea, eb))
                return false;
        }
    }
    x->op = LL_EFF_COND_ACQUIRE;
    x->success_zero = success_zero;
    return true;
}

static int push_take(struct ll_arena *a, struct ll_summary *s, const struct ll_take *t)
{
    for (size_t i = 0; i < s->ntakes; i++)
        if (strcmp(s->takes[i].lock.key, t->lock.key) == 0 && s->takes[i].blocking == t->blocking) {
            s->takes[i].fresh = s->takes[i].fresh || t->fresh;
            return 0;
        }
    if (s->ntakes >= LL_SUMMARY_MAX_TAKES)
        return 0;
    if (s->ntakes == s->captakes) {
        /* grown by doubling: most summaries take one or two locks */
        size_t cap = s->captakes ? s->captakes * 2 : 2;
        struct ll_take *v = ll_arena_alloc_raw(a, cap * sizeof(*v));
        if (!v)
            return -1;
        if (s->ntakes)
            memcpy(v, s->takes, s->ntakes * sizeof(*v));
        s->takes = v;
        s->captakes = cap;
    }
    s->takes[s->ntakes++] = *t;
    return 0;
}

static int push_pair(struct ll_arena *a, struct ll_summary *s, const struct ll_pair *p)
{
    for (size_t i = 0; i < s->npairs; i++)
        if (strcmp(s->pairs[i].outer.key, p->outer.key) == 0 &&
            strcmp(s->pairs[i].inner.key, p->inner.key) == 0)
            return 0;
    if (s->npairs >= LL_SUMMARY_MAX_PAIRS)
        return 0;
    if (s->npairs == s->cappairs) {
        size_t cap = s->cappairs ? s->cappairs * 2 : 2;
        struct ll_pair *v = ll_arena_alloc_raw(a, cap * sizeof(*v));
        if (!v)
            return -1;
        if (s->npairs)
            memcpy(v, s->pairs, s->npairs * sizeof(*v));
        s->pairs = v;
        s->cappairs = cap;
    }
    s->pairs[s->npairs++] = *p;
    return 0;
}

struct ll_site ll_fn_acquisition_site(const struct ll_fn_view *f, uint32_t e, uint32_t l)
{
    for (uint32_t p = e; p-- > 0;) {
        const struct ll_event *pe = &f->fn->events[p];
        if (ll_event_acquires(pe) && ll_df_lock_index(&f->df, pe->obj.key) == (int)l)
            return ll_view_site(f, pe->loc, NULL);
        const struct ll_call_info *ci = f->calls ? f->calls[p] : NULL;
        for (size_t k = 0; ci && k < ci->neffects; k++)
            if (ci->effects[k].op != LL_EFF_RELEASE &&
                ll_df_lock_index(&f->df, ci->effects[k].lock.key) == (int)l)
                return ll_view_site(f, pe->loc, NULL);
    }
    return ll_view_site(f, f->fn->loc, NULL);
}

/* Whether event e runs on every path from entry to exit: its block
 * dominates the exit (no path avoids it). */
static bool unconditional(const struct ll_function *fn, uint32_t e)
{
    uint32_t blk = UINT32_MAX;
    for (uint32_t b = 0; b < fn->nblocks && blk == UINT32_MAX; b++)
        if (e >= fn->blocks[b].first_event && e < fn->blocks[b].first_event + fn->blocks[b].nevents)
            blk = b;
    if (blk == UINT32_MAX || blk == 0)
        return blk == 0;
    uint8_t *seen = calloc(fn->nblocks + 1, 1);
    uint32_t *stack = malloc((fn->nblocks + 1) * sizeof(*stack));
    bool reached_exit = false;
    if (!seen || !stack) {
        free(seen);
        free(stack);
        return false;
    }
    uint32_t sp = 0;
    stack[sp++] = 0;
    seen[0] = 1;
    seen[blk] = 1; /* the block under test is removed */
    while (sp && !reached_exit) {
        uint32_t x = stack[--sp];
        reached_exit = x == fn->exit;
        for (uint32_t i = 0; i < fn->blocks[x].nsucc; i++) {
            uint32_t y = fn->blocks[x].succ[i];
            if (!seen[y]) {
                seen[y] = 1;
                stack[sp++] = y;
            }
        }
    }
    free(seen);
    free(stack);
    return !reached_exit;
}

static int summarise_acquire(struct ll_view *v, struct ll_fn_view *f, uint32_t e)
{
    struct ll_arena *a = &v->arena;
    const struct ll_event *ev = &f->fn->events[e];
    int l = ll_df_lock_index(&f->df, ev->obj.key);
    if (l < 0 || !ll_path_portable(&ev->obj))
        return 0;
    uint8_t before = ll_df_state(&f->df, e, (uint32_t)l) & (uint8_t)~LL_LS_SHARED;
    /* `fresh` (callers must not hold it) only for acquisitions on every path:
     * one guarded by a flag the caller passes says nothing of the sort */
    struct ll_take t = {ev->obj,
                        ll_view_site(f, ev->loc, NULL),
                        f->fn->name,
                        ev->mode,
                        before == LL_LS_ENTRY && unconditional(f->fn, e),
                        ev->kind == LL_EV_ACQUIRE};
    if (push_take(a, &f->summary, &t) != 0)
        return -1;
    if (ev->kind != LL_EV_ACQUIRE)
        return 0;
    for (uint32_t k = 0; k < f->df.nlocks; k++) {
        const struct ll_path *outer = f->df.locks[k].path;
        if ((int)k == l || !(ll_df_state(&f->df, e, k) & LL_LS_HELD) || !ll_path_portable(outer))
            continue;
        if (!ll_path_param_rooted(outer) && !ll_path_param_rooted(&ev->obj))
            continue;
        struct ll_pair p = {*outer, ev->obj, ll_fn_acquisition_site(f, e, k), t.site, f->fn->name};
        if (push_pair(a, &f->summary, &p) != 0)
            return -1;
    }
    return 0;
}

/* Whether, at event e, f has let go of a lock its caller holds (it drops
 * the caller's lock around a slow step): a sleep there is not a sleep
 * under the caller's locks. */
static bool drops_caller_lock(const struct ll_fn_view *f, uint32_t e)
{
    for (uint32_t l = 0; l < f->df.nlocks; l++)
        if (f->df.locks[l].caller_held && !(ll_df_state(&f->df, e, l) & LL_LS_HELD))
            return true;
    return false;
}

/* Remembers that f initialises `p` as a recursive mutex, so that a
 * wrapper like uv_mutex_init_recursive(&m) makes m's class recursive. */
static int push_recursive(struct ll_view *v, struct ll_summary *s, const struct ll_path *p,
                          const struct ll_fn_view *f, const struct ll_event *ev)
{
    for (size_t i = 0; i < s->neffects; i++)
        if (s->effects[i].op == LL_EFF_RECURSIVE && strcmp(s->effects[i].lock.key, p->key) == 0)
            return 0;
    struct ll_effect *grown = ll_arena_alloc(&v->arena, (s->neffects + 1) * sizeof(*grown));
    if (!grown)
        return -1;
    if (s->neffects)
        memcpy(grown, s->effects, s->neffects * sizeof(*grown));
    memset(&grown[s->neffects], 0, sizeof(*grown));
    grown[s->neffects].op = LL_EFF_RECURSIVE;
    grown[s->neffects].lock = *p;
    grown[s->neffects].site = ll_view_site(f, ev->loc, NULL);
    s->effects = grown;
    s->neffects++;
    return 0;
}

static int summarise_call(struct ll_view *v, struct ll_fn_view *f, uint32_t e)
{
    struct ll_arena *a = &v->arena;
    const struct ll_call_info *ci = f->calls[e];
    const struct ll_summary *cs = &v->fns[ci->callee].summary;
    const struct ll_event *ev = &f->fn->events[e];
    for (size_t i = 0; i < ci->ntakes; i++) {
        struct ll_take t = ci->takes[i];
        int l = ll_df_lock_index(&f->df, t.lock.key);
        uint8_t st =
            l < 0 ? LL_LS_ENTRY : (ll_df_state(&f->df, e, (uint32_t)l) & (uint8_t)~LL_LS_SHARED);
        t.fresh = t.fresh && st == LL_LS_ENTRY && unconditional(f->fn, e);
        if (push_take(a, &f->summary, &t) != 0)
            return -1;
        if (!t.blocking)
            continue;
        for (uint32_t k = 0; k < f->df.nlocks; k++) {
            const struct ll_path *outer = f->df.locks[k].path;
            if (!(ll_df_state(&f->df, e, k) & LL_LS_HELD) || !ll_path_portable(outer) ||
                strcmp(outer->key, t.lock.key) == 0)
                continue;
            if (!ll_path_param_rooted(outer) && !ll_path_param_rooted(&t.lock))
                continue;
            struct ll_pair p = {*outer, t.lock, ll_fn_acquisition_site(f, e, k), t.site, t.via};
            if (push_pair(a, &f->summary, &p) != 0)
                return -1;
        }
    }
    for (size_t i = 0; i < cs->npairs; i++) {
        struct ll_pair p = cs->pairs[i];
        if (!ll_path_instantiate(a, &cs->pairs[i].outer, v->fns[ci->callee].fn, ev, &p.outer) ||
            !ll_path_instantiate(a, &cs->pairs[i].inner, v->fns[ci->callee].fn, ev, &p.inner))
            continue;
        if ((ll_path_param_rooted(&p.outer) || ll_path_param_rooted(&p.inner)) &&
            push_pair(a, &f->summary, &p) != 0)
            return -1;
    }
    for (size_t i = 0; i < ci->neffects; i++)
        if (ci->effects[i].op == LL_EFF_RECURSIVE) {
            if (ll_path_portable(&ci->effects[i].lock) &&
                push_recursive(v, &f->summary, &ci->effects[i].lock, f, ev) != 0)
                return -1;
            if (ci->effects[i].lock.cls &&
                ll_strmap_put(&v->recursive_classes, ci->effects[i].lock.cls, 1) < 0)
                return -1;
        }
    if (cs->may_sleep && !f->summary.may_sleep) {
        f->summary.may_sleep = true;
        f->summary.sleep_site = cs->sleep_site;
        f->summary.sleep_api = cs->sleep_api;
        f->summary.sleep_via = cs->sleep_via;
    }
    return 0;
}

static bool is_sleep(const struct ll_event *ev)
{
    const struct ll_api *api = ev->kind == LL_EV_BLOCKING ? ll_lockapi_lookup(ev->api) : NULL;
    return api && (api->flags & LL_API_SLEEP);
}

/* Whether event e is a call after which the path ends: marked so by the
 * frontend, or a program function inferred never to return. */
static bool ends_path(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e)
{
    const struct ll_event *ev = &f->fn->events[e];
    if (ev->kind != LL_EV_CALL)
        return false;
    if (ev->flags & LL_EVF_NORETURN)
        return true;
    const struct ll_call_info *ci = f->calls ? f->calls[e] : NULL;
    return ci && ci->callee >= 0 && v->fns[ci->callee].summary.never_returns;
}

static bool call_dies(uint32_t event, void *ctx)
{
    const struct effects_ctx *c = ctx;
    return ends_path(c->v, c->f, event);
}

/*
 * Whether f never returns: no path from its entry reaches its exit, and
 * some path ends in a call that never returns (so a server loop with no
 * way out, which dies nowhere, is not taken for a fatal()).  A body cut
 * short proves nothing.
 */
static bool infer_never_returns(struct ll_view *v, const struct ll_fn_view *f)
{
    const struct ll_function *fn = f->fn;
    if (fn->nblocks == 0 || (fn->flags & LL_FN_TRUNCATED))
        return false;
    if (fn->flags & LL_FN_NORETURN)
        return true;
    uint8_t *seen = ll_arena_alloc(&v->scratch, fn->nblocks);
    uint32_t *stack = ll_arena_alloc_raw(&v->scratch, (size_t)fn->nblocks * sizeof(*stack));
    if (!seen || !stack)
        return false;
    bool dies = false;
    uint32_t sp = 0;
    stack[sp++] = 0;
    seen[0] = 1;
    while (sp) {
        uint32_t b = stack[--sp];
        if (b == fn->exit)
            return false;
        const struct ll_block *bb = &fn->blocks[b];
        bool cut = bb->nsucc == 0;
        for (uint32_t e = bb->first_event; e < bb->first_event + bb->nevents && !cut; e++)
            cut = ends_path(v, f, e);
        if (cut) {
            dies = true;
            continue;
        }
        for (uint32_t i = 0; i < bb->nsucc; i++)
            if (!seen[bb->succ[i]]) {
                seen[bb->succ[i]] = 1;
                stack[sp++] = bb->succ[i];
            }
    }
    return dies;
}

static int summarise(struct ll_view *v, struct ll_fn_view *f)
{
    struct ll_arena *a = &v->arena;
    struct ll_summary *s = &f->summary;
    memset(s, 0, sizeof(*s));
    const struct ll_function *fn = f->fn;
    if (f->df.nlocks && !(s->effects = ll_arena_alloc_raw(a, f->df.nlocks * sizeof(*s->effects))))
        return -1;
    for (uint32_t l = 0; l < f->df.nlocks; l++) {
        struct ll_effect x;
        if (!ll_path_portable(f->df.locks[l].path) || !ll_fn_lock_effect(f, l, &x))
            continue;
        x.site = ll_fn_acquisition_site(f, fn->nevents, l);
        s->effects[s->neffects++] = x;
    }
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (!f->df.reached[e])
            continue;
        int rc = 0;
        if (ll_event_acquires(ev))
            rc = summarise_acquire(v, f, e);
        else if (f->calls && f->calls[e])
            rc = summarise_call(v, f, e);
        if (rc != 0)
            return -1;
        if (ev->kind == LL_EV_LOCK_INIT && ev->lock_kind == LL_LK_RECURSIVE &&
            ll_path_portable(&ev->obj) && push_recursive(v, s, &ev->obj, f, ev) != 0)
            return -1;
        if (is_sleep(ev) && !s->may_sleep && !drops_caller_lock(f, e)) {
            s->may_sleep = true;
            s->sleep_site = ll_view_site(f, ev->loc, NULL);
            s->sleep_api = ev->api;
            s->sleep_via = fn->name;
        }
        if (ev->kind == LL_EV_COND_WAIT && ev->loop_depth == 0 && ev->obj.root == LL_ROOT_PARAM &&
            !ll_fn_is_root(f)) {
            s->wait_conditional = s->wait_conditional || !unconditional(fn, e);
            s->waits_on_param = true;
        }
    }
    s->never_returns = infer_never_returns(v, f);
    return 0;
}

static int analyse_function(struct ll_view *v, struct ll_fn_view *f)
{
    if (prepare_calls(v, f) != 0)
        return -1;
    struct effects_ctx ctx = {v, f};
    struct ll_df_env env = {ll_fn_is_root(f), NULL, call_effects, &ctx, &v->scratch, call_dies};
    if (ll_dataflow_run(f->fn, &env, &v->arena, &f->df) != 0)
        return -1;
    return summarise(v, f);
}

int ll_view_summarise(struct ll_view *v)
{
    const struct ll_callgraph *g = &v->cg;
    for (uint32_t c = 0; c < g->nsccs; c++) {
        uint32_t first = g->scc_start[c], last = g->scc_start[c + 1];
        int rounds = (last - first > 1 || g->recursive[g->order[first]]) ? SCC_ROUNDS : 1;
        for (int r = 0; r < rounds; r++)
            for (uint32_t i = first; i < last; i++)
                if (analyse_function(v, &v->fns[g->order[i]]) != 0)
                    return -1;
    }
    return 0;
}
