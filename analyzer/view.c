/*
 * view: runs the whole-program phases in order and keeps their results for
 * the rules.  Summaries are computed bottom-up over the call graph's
 * components; a recursive component is iterated a bounded number of times
 * (summaries only grow, so two or three rounds settle in practice).
 */
#include "view.h"

#include "lockapi.h"
#include "race.h"

#include <stdlib.h>
#include <string.h>

#define SCC_ROUNDS 3
#define LL_VIEW_MAX_CYCLES 1000

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

static bool is_acquire(const struct ll_event *ev)
{
    return ev->kind == LL_EV_ACQUIRE || ev->kind == LL_EV_TRYACQUIRE;
}

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
        if (is_acquire(ev) && ll_df_lock_index(&f->df, ev->obj.key) == (int)l)
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
        if (is_acquire(ev) && (ev->kind == LL_EV_TRYACQUIRE || tested) &&
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
bool ll_view_lock_effect(const struct ll_fn_view *f, uint32_t l, struct ll_effect *x)
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

/* The site of the nearest acquisition of lock l before event e. */
static struct ll_site acquisition_site(const struct ll_view *v, const struct ll_fn_view *f,
                                       uint32_t e, uint32_t l)
{
    for (uint32_t p = e; p-- > 0;) {
        const struct ll_event *pe = &f->fn->events[p];
        if (is_acquire(pe) && ll_df_lock_index(&f->df, pe->obj.key) == (int)l)
            return ll_view_site(f, pe->loc, NULL);
        const struct ll_call_info *ci = f->calls ? f->calls[p] : NULL;
        for (size_t k = 0; ci && k < ci->neffects; k++)
            if (ci->effects[k].op != LL_EFF_RELEASE &&
                ll_df_lock_index(&f->df, ci->effects[k].lock.key) == (int)l)
                return ll_view_site(f, pe->loc, NULL);
    }
    (void)v;
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

static bool param_rooted(const struct ll_path *p)
{
    return p->root == LL_ROOT_PARAM;
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
        if (!param_rooted(outer) && !param_rooted(&ev->obj))
            continue;
        struct ll_pair p = {*outer, ev->obj, acquisition_site(v, f, e, k), t.site, f->fn->name};
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
            if (!param_rooted(outer) && !param_rooted(&t.lock))
                continue;
            struct ll_pair p = {*outer, t.lock, acquisition_site(v, f, e, k), t.site, t.via};
            if (push_pair(a, &f->summary, &p) != 0)
                return -1;
        }
    }
    for (size_t i = 0; i < cs->npairs; i++) {
        struct ll_pair p = cs->pairs[i];
        if (!ll_path_instantiate(a, &cs->pairs[i].outer, v->fns[ci->callee].fn, ev, &p.outer) ||
            !ll_path_instantiate(a, &cs->pairs[i].inner, v->fns[ci->callee].fn, ev, &p.inner))
            continue;
        if ((param_rooted(&p.outer) || param_rooted(&p.inner)) &&
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
        if (!ll_path_portable(f->df.locks[l].path) || !ll_view_lock_effect(f, l, &x))
            continue;
        x.site = acquisition_site(v, f, fn->nevents, l);
        s->effects[s->neffects++] = x;
    }
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (!f->df.reached[e])
            continue;
        int rc = 0;
        if (is_acquire(ev))
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
            !ll_fn_view_is_root(f))
            s->waits_on_param = true;
    }
    return 0;
}

static int analyse_function(struct ll_view *v, struct ll_fn_view *f)
{
    if (prepare_calls(v, f) != 0)
        return -1;
    struct effects_ctx ctx = {f};
    struct ll_df_env env = {ll_fn_view_is_root(f), NULL, call_effects, &ctx, &v->scratch};
    if (ll_dataflow_run(f->fn, &env, &v->arena, &f->df) != 0)
        return -1;
    return summarise(v, f);
}

static int bottom_up(struct ll_view *v)
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

/* ---- single-threaded phases of main -------------------------------- */

static int mark_quiet_main(struct ll_view *v, struct ll_fn_view *m)
{
    const struct ll_function *fn = m->fn;
    m->quiet = ll_arena_alloc(&v->arena, fn->nevents + 1);
    if (!m->quiet)
        return -1;
    uint32_t first_create = UINT32_MAX, last_join = 0, last_create = 0;
    bool any_join = false;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        uint8_t k = fn->events[e].kind;
        if (k == LL_EV_THREAD_CREATE) {
            if (first_create == UINT32_MAX)
                first_create = e;
            last_create = e;
        } else if (k == LL_EV_JOIN) {
            last_join = e;
            any_join = true;
        }
    }
    bool all_joined_at_end = any_join && last_join > last_create;
    for (uint32_t e = 0; e < fn->nevents; e++)
        m->quiet[e] = e < first_create || (all_joined_at_end && e > last_join);
    return 0;
}

bool ll_view_event_single_threaded(const struct ll_fn_view *f, uint32_t e)
{
    return f->single_threaded || (f->quiet && f->quiet[e]);
}

/* A function is single-threaded when all its callers call it from
 * single-threaded code: a fixpoint that only removes functions. */
static int mark_single_threaded(struct ll_view *v)
{
    bool any_main = false;
    for (size_t i = 0; i < v->nfns; i++)
        if (v->fns[i].is_main) {
            if (mark_quiet_main(v, &v->fns[i]) != 0)
                return -1;
            any_main = true;
        }
    if (!any_main)
        return 0;
    /* start from "called only from main's quiet code or other candidates";
     * a function that is not runs its callees' calls outside that code
     * (unless in main's quiet part): each is taken off once, from a
     * worklist of those taken off */
    bool *called = ll_arena_alloc(&v->arena, v->nfns + 1);
    uint32_t *work = ll_arena_alloc_raw(&v->arena, (v->nfns + 1) * sizeof(*work));
    if (!called || !work)
        return -1;
    size_t nwork = 0;
    for (size_t i = 0; i < v->nfns; i++) {
        v->fns[i].single_threaded = !ll_fn_view_is_root(&v->fns[i]);
        if (!v->fns[i].single_threaded)
            work[nwork++] = (uint32_t)i;
    }
    while (nwork) {
        const struct ll_fn_view *f = &v->fns[work[--nwork]];
        for (uint32_t e = 0; f->calls && e < f->fn->nevents; e++) {
            const struct ll_call_info *ci = f->calls[e];
            struct ll_fn_view *g = ci ? &v->fns[ci->callee] : NULL;
            if (g && g->single_threaded && !ll_view_event_single_threaded(f, e)) {
                g->single_threaded = false;
                work[nwork++] = (uint32_t)ci->callee;
            }
        }
    }
    for (size_t i = 0; i < v->nfns; i++) {
        const struct ll_fn_view *f = &v->fns[i];
        for (uint32_t e = 0; f->calls && e < f->fn->nevents; e++)
            if (f->calls[e])
                called[f->calls[e]->callee] = true;
    }
    for (size_t i = 0; i < v->nfns; i++)
        if (!called[i])
            v->fns[i].single_threaded = false; /* entry points of a library */
    return 0;
}

/* ---- the lock-order graph ------------------------------------------ */

/* Ids of the locks held at event e (at most 64).  `lock_ids` caches each
 * lock's id for the function (NULL: not made yet). */
static size_t held_ids(struct ll_view *v, const struct ll_fn_view *f, uint32_t e, const char **ids,
                       const char **lock_ids)
{
    size_t n = 0;
    for (uint32_t k = 0; k < f->df.nlocks && n < 64; k++)
        if ((ll_df_state(&f->df, e, k) & LL_LS_HELD) && !param_rooted(f->df.locks[k].path)) {
            if (!lock_ids[k])
                lock_ids[k] = ll_lockgraph_id(&v->graph, f->df.locks[k].path);
            if ((ids[n] = lock_ids[k]))
                n++;
        }
    return n;
}

static const uint64_t *roots_of(const struct ll_view *v, uint32_t fn)
{
    return &v->cg.reach[(size_t)fn * v->cg.root_words];
}

static int edges_at(struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                    const struct ll_path *inner, struct ll_lg_witness *w, const char **ids,
                    size_t nids)
{
    /* single-threaded code orders locks but cannot take part in a deadlock */
    const uint64_t *roots = ll_view_event_single_threaded(f, e) ? NULL : roots_of(v, f->index);
    for (uint32_t k = 0; k < f->df.nlocks; k++) {
        const struct ll_path *outer = f->df.locks[k].path;
        if (!(ll_df_state(&f->df, e, k) & LL_LS_HELD) || param_rooted(outer) ||
            (outer->key && inner->key && strcmp(outer->key, inner->key) == 0))
            continue;
        w->outer = acquisition_site(v, f, e, k);
        w->outer_text = outer->text;
        w->inner_text = inner->text;
        if (ll_lockgraph_add(&v->graph, outer, inner, w, ids, nids, roots) != 0)
            return -1;
    }
    return 0;
}

static int graph_function(struct ll_view *v, const struct ll_fn_view *f, bool has_callers)
{
    const char *ids[64];
    const struct ll_function *fn = f->fn;
    /* the scratch arena is free between the functions' analyses */
    ll_arena_reset(&v->scratch);
    const char **lock_ids = ll_arena_alloc(&v->scratch, (f->df.nlocks + 1) * sizeof(*lock_ids));
    if (!lock_ids)
        return -1;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (!f->df.reached[e])
            continue;
        bool acquire = ev->kind == LL_EV_ACQUIRE && !param_rooted(&ev->obj);
        if (!acquire && !(f->calls && f->calls[e]))
            continue; /* adds no edge */
        struct ll_lg_witness w = {0};
        w.fn = f->index;
        w.fn_name = fn->name;
        w.inner = ll_view_site(f, ev->loc, NULL);
        size_t nids = held_ids(v, f, e, ids, lock_ids);
        if (acquire) {
            if (edges_at(v, f, e, &ev->obj, &w, ids, nids) != 0)
                return -1;
        } else if (f->calls && f->calls[e]) {
            const struct ll_call_info *ci = f->calls[e];
            w.has_call = true;
            w.call = w.inner;
            for (size_t i = 0; i < ci->ntakes; i++) {
                const struct ll_take *t = &ci->takes[i];
                if (!t->blocking || param_rooted(&t->lock))
                    continue;
                w.inner = t->site;
                w.via = t->via;
                if (edges_at(v, f, e, &t->lock, &w, ids, nids) != 0)
                    return -1;
            }
            const struct ll_summary *cs = &v->fns[ci->callee].summary;
            for (size_t i = 0; i < cs->npairs; i++) {
                struct ll_path o, in;
                const struct ll_function *cf = v->fns[ci->callee].fn;
                if (!ll_path_instantiate(&v->arena, &cs->pairs[i].outer, cf, ev, &o) ||
                    !ll_path_instantiate(&v->arena, &cs->pairs[i].inner, cf, ev, &in) ||
                    param_rooted(&o) || param_rooted(&in))
                    continue;
                struct ll_lg_witness pw = w;
                pw.outer = cs->pairs[i].outer_site;
                pw.inner = cs->pairs[i].inner_site;
                pw.via = cs->pairs[i].via;
                pw.outer_text = o.text;
                pw.inner_text = in.text;
                if (ll_lockgraph_add(&v->graph, &o, &in, &pw, ids, nids,
                                     ll_view_event_single_threaded(f, e) ? NULL
                                                                         : roots_of(v, f->index)))
                    return -1;
            }
        }
    }
    /* a function nobody in the program calls (a library entry point):
     * its parameter nestings are all there is, at class level */
    for (size_t i = 0; !has_callers && i < f->summary.npairs; i++) {
        const struct ll_pair *p = &f->summary.pairs[i];
        struct ll_lg_witness w = {0};
        w.fn = f->index;
        w.fn_name = fn->name;
        w.outer = p->outer_site;
        w.inner = p->inner_site;
        w.outer_text = p->outer.text;
        w.inner_text = p->inner.text;
        if (ll_lockgraph_add(&v->graph, &p->outer, &p->inner, &w, NULL, 0, roots_of(v, f->index)) !=
            0)
            return -1;
    }
    return 0;
}

static int build_graph(struct ll_view *v)
{
    bool *called = ll_arena_alloc(&v->arena, v->nfns + 1);
    if (!called)
        return -1;
    for (uint32_t f = 0; f < v->cg.n; f++)
        for (uint32_t i = 0; i < v->cg.ncallees[f]; i++)
            if (v->cg.callees[f][i] != f)
                called[v->cg.callees[f][i]] = true;
    for (size_t i = 0; i < v->nfns; i++)
        if (graph_function(v, &v->fns[i], called[i]) != 0)
            return -1;
    return 0;
}

/* ---- building ------------------------------------------------------ */

static int collect_recursive_classes(struct ll_view *v)
{
    for (size_t i = 0; i < v->program.nfns; i++) {
        const struct ll_function *fn = v->program.fns[i].fn;
        for (uint32_t e = 0; e < fn->nevents; e++) {
            const struct ll_event *ev = &fn->events[e];
            if (ev->kind == LL_EV_LOCK_INIT && ev->lock_kind == LL_LK_RECURSIVE && ev->obj.cls &&
                ll_strmap_put(&v->recursive_classes, ev->obj.cls, 1) < 0)
                return -1;
        }
    }
    return 0;
}

/* USRs of globals initialised recursive (PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP),
 * in the TUs that define a program function: one hash lookup per lock
 * query instead of a scan of every TU's globals per function. */
static int collect_recursive_globals(struct ll_view *v)
{
    const struct ll_tu_facts *last = NULL;
    for (size_t i = 0; i < v->program.nfns; i++) {
        const struct ll_tu_facts *tu = v->program.fns[i].tu;
        if (tu == last)
            continue;
        last = tu;
        for (uint32_t g = 0; g < tu->nglobals; g++)
            if ((tu->globals[g].flags & LL_GV_RECURSIVE_INIT) &&
                ll_strmap_put(&v->recursive_globals, tu->globals[g].usr, 1) < 0)
                return -1;
    }
    return 0;
}

int ll_view_build(struct ll_view *v, const struct ll_tu_facts *tus, size_t ntus,
                  const struct ll_order_decl *order, size_t norder)
{
    memset(v, 0, sizeof(*v));
    v->order = order;
    v->norder = norder;
    ll_arena_init(&v->arena);
    ll_arena_init(&v->scratch);
    ll_strmap_init(&v->recursive_classes);
    ll_strmap_init(&v->recursive_globals);
    if (ll_program_build(&v->program, tus, ntus) != 0 ||
        ll_callgraph_build(&v->cg, &v->program) != 0 || collect_recursive_classes(v) != 0 ||
        collect_recursive_globals(v) != 0)
        return -1;
    ll_lockgraph_init(&v->graph, v->cg.root_words);
    v->fns = ll_arena_alloc(&v->arena, (v->program.nfns + 1) * sizeof(*v->fns));
    if (!v->fns)
        return -1;
    v->nfns = v->program.nfns;
    for (size_t i = 0; i < v->nfns; i++) {
        const struct ll_prog_fn *pf = &v->program.fns[i];
        struct ll_fn_view *f = &v->fns[i];
        f->index = (uint32_t)i;
        f->fn = pf->fn;
        f->tu = pf->tu;
        f->is_main = pf->is_main;
        f->is_start_routine = pf->is_start_routine;
    }
    if (bottom_up(v) != 0 || mark_single_threaded(v) != 0 || build_graph(v) != 0 ||
        ll_lockgraph_cycles(&v->graph, LL_VIEW_MAX_CYCLES, &v->cycles, &v->ncycles) != 0)
        return -1;
    /* thread handles: independent of the lock state */
    if (ll_tf_program_build(&v->threads, &v->program, &v->arena) != 0)
        return -1;
    for (size_t i = 0; i < v->nfns; i++)
        if (ll_threadflow_run(v->fns[i].fn, &v->program, &v->threads, &v->arena, &v->scratch,
                              &v->fns[i].tf) != 0)
            return -1;
    /* the shared accesses read everything above */
    if (!(v->race = ll_arena_alloc(&v->arena, sizeof(*v->race))))
        return -1;
    return ll_race_build(v, v->race);
}

void ll_view_release(struct ll_view *v)
{
    if (v->race)
        ll_race_release(v->race);
    ll_lockgraph_release(&v->graph);
    ll_callgraph_release(&v->cg);
    ll_program_release(&v->program);
    ll_strmap_release(&v->recursive_classes);
    ll_strmap_release(&v->recursive_globals);
    ll_tf_program_release(&v->threads);
    ll_arena_release(&v->arena);
    ll_arena_release(&v->scratch);
    memset(v, 0, sizeof(*v));
}

/* ---- queries ------------------------------------------------------- */

struct ll_site ll_view_site(const struct ll_fn_view *f, struct ll_loc loc, const char *message)
{
    struct ll_site s = {"?", loc.line, loc.col, message};
    if (loc.file < f->tu->nfiles)
        s.file = f->tu->files[loc.file];
    return s;
}

bool ll_view_in_system_header(const struct ll_fn_view *f, struct ll_loc loc)
{
    return loc.file < f->tu->nfiles && f->tu->file_system[loc.file];
}

bool ll_view_not_held_somewhere(uint8_t st)
{
    return (st & (LL_LS_FREE | LL_LS_NEVER)) != 0;
}

static bool global_recursive(const struct ll_view *v, const char *usr)
{
    return ll_strmap_get(&v->recursive_globals, usr) != (size_t)-1;
}

bool ll_view_path_recursive(const struct ll_view *v, const struct ll_path *p)
{
    if (p->cls && ll_strmap_get(&v->recursive_classes, p->cls) != (size_t)-1)
        return true;
    if (p->root_usr && p->root == LL_ROOT_GLOBAL &&
        !(p->flags & (LL_PATH_DEREF | LL_PATH_INDEXED)) && p->key && !strchr(p->key, '.'))
        return global_recursive(v, p->root_usr);
    return false;
}

bool ll_view_lock_recursive(const struct ll_view *v, const struct ll_fn_view *f, uint32_t lock)
{
    const struct ll_df_lock *l = &f->df.locks[lock];
    if (l->recursive || l->kind == LL_LK_RECURSIVE)
        return true;
    return l->path && ll_view_path_recursive(v, l->path);
}

const char *ll_view_root_name(const struct ll_view *v, uint32_t fn)
{
    for (uint32_t r = 0; r < v->cg.nroots; r++)
        if (ll_callgraph_reaches(&v->cg, r, fn))
            return v->fns[v->cg.roots[r].fn].fn->name;
    return NULL;
}

uint32_t ll_view_count_roots(const struct ll_view *v, const uint64_t *roots, bool *multi)
{
    uint32_t n = 0;
    *multi = false;
    for (uint32_t r = 0; r < v->cg.nroots; r++)
        if ((roots[r / 64] >> (r % 64)) & 1) {
            n++;
            if (v->cg.roots[r].multi_instance)
                *multi = true;
        }
    return n;
}

int ll_view_note_acquired(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                          uint32_t l, struct ll_report *r, struct ll_finding *fd)
{
    (void)v;
    const char *key = f->df.locks[l].key, *text = f->df.locks[l].text;
    for (uint32_t p = e; p-- > 0;) {
        const struct ll_event *pe = &f->fn->events[p];
        if (!f->df.reached[p])
            continue;
        if (is_acquire(pe) && strcmp(pe->obj.key, key) == 0) {
            struct ll_site s = ll_view_site(f, pe->loc, NULL);
            return ll_finding_note(r, fd, &s, "'%s' acquired here", text);
        }
        const struct ll_call_info *ci = f->calls ? f->calls[p] : NULL;
        for (size_t k = 0; ci && k < ci->neffects; k++) {
            const struct ll_effect *x = &ci->effects[k];
            if (x->op == LL_EFF_RELEASE || strcmp(x->lock.key, key) != 0)
                continue;
            struct ll_site s = ll_view_site(f, pe->loc, NULL);
            if (ll_finding_note(r, fd, &s, "'%s' acquired by calling '%s' here", text,
                                pe->api ? pe->api : "?") != 0)
                return -1;
            return ll_finding_note(r, fd, &x->site, "'%s' acquires '%s' (an inferred wrapper)",
                                   pe->api ? pe->api : "?", x->lock.text);
        }
    }
    return 0;
}
