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

#include "doomed.h"
#include "init_failure.h"

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

/* A guard at a call: a constant argument decides it (false: the effect
 * does not happen here); the caller's own variable keeps it open in the
 * caller's terms; anything else leaves it open. */
static bool instantiate_guard(struct ll_guard *g, const struct ll_event *call)
{
    const struct ll_path *arg =
        g->param >= 0 && (uint32_t)g->param < call->nargs ? &call->args[g->param] : NULL;
    g->var = NULL;
    g->param = -1;
    if (arg && (arg->flags & LL_PATH_VALUE) && arg->key) {
        if (!ll_guard_holds(g, strtoll(arg->key, NULL, 10)))
            return false;
        g->on = 0;
        g->decided = 1;
        return true;
    }
    if (arg && arg->key && (arg->root == LL_ROOT_LOCAL || arg->root == LL_ROOT_PARAM) &&
        !(arg->flags & (LL_PATH_DEREF | LL_PATH_ADDR | LL_PATH_INDEXED)) &&
        !strchr(arg->key, '.')) {
        g->var = arg->key;
        g->param = arg->root == LL_ROOT_PARAM ? arg->param : -1;
    }
    return true;
}

/* The arguments say the callee never acquires `key` on this call
 * (`reschedule(ev, true)` takes over the caller's lock): its takes of it
 * go, and it is recorded for the callee's pairs.  ci->takes is a copy
 * here (a guarded take is never shared). */
static int drop_takes(struct ll_arena *a, struct ll_call_info *ci, const char *key)
{
    size_t n = 0;
    for (size_t j = 0; j < ci->ntakes; j++)
        if (strcmp(ci->takes[j].lock.key, key) != 0)
            ci->takes[n++] = ci->takes[j];
    ci->ntakes = n;
    const char **grown = ll_arena_alloc(a, (ci->nuntaken + 1) * sizeof(*grown));
    if (!grown)
        return -1;
    if (ci->nuntaken)
        memcpy(grown, ci->untaken, ci->nuntaken * sizeof(*grown));
    grown[ci->nuntaken++] = key;
    ci->untaken = grown;
    return 0;
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
        share_effects = instantiates_as_is(&s->effects[i].lock) && !s->effects[i].guard.on;
    for (size_t i = 0; i < s->ntakes && share_takes; i++)
        share_takes = instantiates_as_is(&s->takes[i].lock) &&
                      (!s->takes[i].dropped.key || instantiates_as_is(&s->takes[i].dropped));
    if (share_effects) {
        ci->effects = s->effects;
        ci->neffects = s->neffects;
    } else {
        if (!(ci->effects = ll_arena_alloc_raw(a, s->neffects * sizeof(*ci->effects))))
            return NULL;
        for (size_t i = 0; i < s->neffects; i++) {
            struct ll_effect x = s->effects[i];
            if (x.guard.on && !instantiate_guard(&x.guard, call))
                continue;
            if (ll_path_instantiate(a, &s->effects[i].lock, callee->fn, call, &x.lock))
                ci->effects[ci->neffects++] = x;
        }
    }
    /* a guarded take that the arguments decide: on every path, or not */
    for (size_t i = 0; i < s->neffects && share_takes; i++)
        share_takes = !(s->effects[i].op == LL_EFF_TAKE && s->effects[i].guard.on);
    if (share_takes) {
        ci->takes = s->takes;
        ci->ntakes = s->ntakes;
    } else {
        if (!(ci->takes = ll_arena_alloc_raw(a, s->ntakes * sizeof(*ci->takes))))
            return NULL;
        for (size_t i = 0; i < s->ntakes; i++) {
            struct ll_take t = s->takes[i];
            if (t.dropped.key &&
                !ll_path_instantiate(a, &s->takes[i].dropped, callee->fn, call, &t.dropped))
                memset(&t.dropped, 0, sizeof(t.dropped));
            if (ll_path_instantiate(a, &s->takes[i].lock, callee->fn, call, &t.lock))
                ci->takes[ci->ntakes++] = t;
        }
    }
    for (size_t i = 0; i < s->neffects; i++) {
        struct ll_guard g = s->effects[i].guard;
        if (s->effects[i].op != LL_EFF_TAKE || !g.on)
            continue;
        bool takes = instantiate_guard(&g, call);
        struct ll_path lock;
        if ((takes && g.on) ||
            !ll_path_instantiate(a, &s->effects[i].lock, callee->fn, call, &lock))
            continue; /* still open: some paths */
        if (!takes && s->effects[i].only && drop_takes(a, ci, lock.key) != 0)
            return NULL;
        for (size_t j = 0; j < ci->ntakes; j++)
            if (strcmp(ci->takes[j].lock.key, lock.key) == 0) {
                ci->takes[j].fresh = takes;
                ci->takes[j].some = false;
            }
    }
    return ci;
}

bool ll_call_untaken(const struct ll_call_info *ci, const char *key)
{
    for (size_t i = 0; ci && key && i < ci->nuntaken; i++)
        if (strcmp(ci->untaken[i], key) == 0)
            return true;
    return false;
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
    if (!ll_returned_name(a) || !ll_returned_name(b))
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
            if (ll_effect_acquires(&ci->effects[k]) &&
                ll_df_lock_index(&f->df, ci->effects[k].lock.key) == (int)l)
                return true;
    }
    return false;
}

/* Whether an acquisition of l in f can fail visibly: a trylock, or a
 * conditional callee, or a callee whose result is tested (a blocking lock
 * call fails only on a programming error: testing its result does not
 * count). */
static bool acquisition_can_fail(const struct ll_fn_view *f, uint32_t l)
{
    const struct ll_function *fn = f->fn;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        bool tested = (ev->flags & LL_EVF_CHECKED) || ev->result_var;
        if (ev->kind == LL_EV_TRYACQUIRE && ll_df_lock_index(&f->df, ev->obj.key) == (int)l)
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

/*
 * A conditional acquisition told by the paths at the returns: on every
 * path that returns holding l the value returned has signs the paths
 * returning without it never have (`return e;` after `if (e) lock(&e->m)`,
 * NULL or a negative error code without it).  Where a path took and
 * released l before returning without it, the holding paths must return
 * what reads as success (a pointer, 0, or >= 0 against negative errors):
 * holding it on the error return is the classic forgotten unlock.
 */
enum verdict { NOT_KNOWN, IS_COND, NOT_COND };

static enum verdict cond_by_paths(const struct ll_fn_view *f, uint32_t l, struct ll_effect *x)
{
    const struct ll_df_result *df = &f->df;
    uint8_t succ = 0, fail = 0;
    bool released = false, unknown = false;
    for (uint32_t i = 0; i < df->nexits; i++) {
        uint8_t st = df->exits[i].st[l] & (uint8_t)~LL_LS_SHARED;
        unknown = unknown || df->exits[i].signs == LL_PS_ANY;
        if (st & LL_LS_HELD) {
            if (st != LL_LS_HELD)
                return NOT_KNOWN;
            succ |= df->exits[i].signs;
        } else {
            fail |= df->exits[i].signs;
            released = released || (st & LL_LS_FREE);
        }
    }
    if (!succ || !fail || (succ & fail))
        return unknown || !succ ? NOT_KNOWN : NOT_COND;
    if (released) {
        bool success_like = (f->fn->flags & LL_FN_RETURNS_POINTER)
                                ? !(succ & LL_PS_ZERO)
                                : succ == LL_PS_ZERO || (!(succ & LL_PS_NEG) && fail == LL_PS_NEG);
        if (!success_like)
            return NOT_COND;
    }
    x->op = LL_EFF_COND_ACQUIRE;
    x->succ = succ;
    x->fail = fail;
    return IS_COND;
}

/* Whether `key` is a field of what `v` points to (`v->...`). */
static bool field_of(const char *key, const char *v)
{
    size_t n = v ? strlen(v) : 0;
    return v && key && strncmp(key, v, n) == 0 && key[n] == '-' && key[n + 1] == '>';
}

/*
 * Whether f hands l's object to its caller: every return holding l
 * returns the object l is a field of (`return it;` holding `it->lock`,
 * `return n->obj;` holding `n->obj->lock`), every other return returns
 * NULL.  A path that took l and released it before returning NULL only
 * inspected the object (unbound's todo_probe(): not due yet): the caller
 * holds l exactly when it gets the object.
 */
static bool hands_own_object(const struct ll_fn_view *f, uint32_t l)
{
    const struct ll_function *fn = f->fn;
    const char *key = f->df.locks[l].path->key;
    bool any = false;
    if (!(fn->flags & LL_FN_RETURNS_POINTER) || f->df.locks[l].path->root != LL_ROOT_LOCAL)
        return false;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind != LL_EV_RETURN || !f->df.reached[e])
            continue;
        const char *k = returned_constant(ev);
        if (!(ll_df_state(&f->df, e, l) & LL_LS_HELD)) {
            if (!k || strcmp(k, "0") != 0)
                return false;
            continue;
        }
        const char *v = ll_returned_name(ev);
        if (k || !(field_of(key, v) || (!ev->result_var && field_of(key, ev->aux.text))))
            return false;
        any = true;
    }
    return any;
}

/*
 * A release told by the paths at the returns: every path that returns
 * with l released returns a value with signs the paths that keep the
 * caller's lock never return (xfr_start_probe(): 1 when it started the
 * task, which took the lock over; 0 when the task was running already).
 * The function never acquires l itself.
 */
static bool cond_release_by_paths(const struct ll_fn_view *f, uint32_t l, struct ll_effect *x)
{
    const struct ll_df_result *df = &f->df;
    uint8_t succ = 0, fail = 0;
    for (uint32_t i = 0; i < df->nexits; i++) {
        uint8_t st = df->exits[i].st[l] & (uint8_t)~LL_LS_SHARED;
        if (df->exits[i].signs == LL_PS_ANY || !st)
            return false;
        if (st == LL_LS_FREE)
            succ |= df->exits[i].signs;
        else if (!(st & LL_LS_FREE))
            fail |= df->exits[i].signs;
        else
            return false;
    }
    if (!succ || !fail || (succ & fail) || acquires(f, l))
        return false;
    x->op = LL_EFF_COND_RELEASE;
    x->succ = succ;
    x->fail = fail;
    return true;
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
         * released where the result says so a conditional one, anything
         * else leaves it as the caller had it */
        x->op = LL_EFF_RELEASE;
        return all == LL_LS_FREE || cond_release_by_paths(f, l, x);
    }
    if (all == LL_LS_HELD) {
        x->op = LL_EFF_ACQUIRE;
        return true;
    }
    if (all == LL_LS_FREE && !acquires(f, l)) {
        x->op = LL_EFF_RELEASE;
        return true;
    }
    if (all == (LL_LS_FREE | LL_LS_ENTRY))
        return cond_release_by_paths(f, l, x);
    enum verdict by_paths = cond_by_paths(f, l, x);
    if (by_paths != NOT_KNOWN)
        return by_paths == IS_COND;
    if (!(all & LL_LS_HELD) || mixed_return)
        return false;
    /* released again on the other returns: an error path that forgot to
     * unlock -- unless taking the lock itself could fail, or the function
     * returns 0 (success) exactly when it keeps the lock ("leaves p
     * locked" on success, unlocks on its error paths) */
    if ((all & LL_LS_FREE) && !acquisition_can_fail(f, l) && !holds_on_success_only(f, l) &&
        !hands_own_object(f, l))
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
    x->succ = success_zero ? LL_PS_ZERO : LL_PS_NONZERO;
    x->fail = success_zero ? LL_PS_NONZERO : LL_PS_ZERO;
    return true;
}

bool ll_fn_lock_held_on_success(const struct ll_fn_view *f, uint32_t l)
{
    struct ll_effect x;
    return ll_fn_lock_effect(f, l, &x) && x.op == LL_EFF_COND_ACQUIRE &&
           !acquisition_can_fail(f, l) && holds_on_success_only(f, l);
}

static int push_take(struct ll_arena *a, struct ll_summary *s, const struct ll_take *t)
{
    for (size_t i = 0; i < s->ntakes; i++)
        if (strcmp(s->takes[i].lock.key, t->lock.key) == 0 && s->takes[i].blocking == t->blocking) {
            bool fresh = s->takes[i].fresh || t->fresh;
            bool some = (s->takes[i].some || t->some) && !fresh;
            /* a sure way to the lock wins over a guessed one, with its site */
            /* dropped first only if every way to it drops the same lock */
            bool same_drop = s->takes[i].dropped.key && t->dropped.key &&
                             strcmp(s->takes[i].dropped.key, t->dropped.key) == 0;
            if (s->takes[i].guessed && !t->guessed)
                s->takes[i] = *t;
            s->takes[i].fresh = fresh;
            s->takes[i].some = some;
            if (!same_drop)
                memset(&s->takes[i].dropped, 0, sizeof(s->takes[i].dropped));
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
            if (ll_effect_acquires(&ci->effects[k]) &&
                ll_df_lock_index(&f->df, ci->effects[k].lock.key) == (int)l)
                return ll_view_site(f, pe->loc, NULL);
    }
    return ll_view_site(f, f->fn->loc, NULL);
}

/* Which events of one function run on every path from entry to exit,
 * computed once per summary (a search per acquisition and per call's
 * take, each scanning the blocks, was a tenth of a warm run on the SQLite
 * amalgamation). */
struct every_path {
    const struct ll_function *fn;
    uint32_t *block; /* per event: its block, or UINT32_MAX */
    uint8_t *every;  /* per block: no path from entry to exit avoids it */
    bool failed;     /* out of memory: every answer is "no" */
};

static void every_path_release(struct every_path *ep)
{
    free(ep->block);
    free(ep->every);
}

/* The nearest common dominator of blocks x and y (po: postorder numbers). */
static uint32_t intersect(const uint32_t *idom, const uint32_t *po, uint32_t x, uint32_t y)
{
    while (x != y) {
        while (po[x] < po[y])
            x = idom[x];
        while (po[y] < po[x])
            y = idom[y];
    }
    return x;
}

/* A block is on every path from entry to exit when it dominates the exit
 * (Cooper, Harvey and Kennedy's iteration over the reverse postorder);
 * when no path reaches the exit, every block is. */
static int every_path_init(struct every_path *ep)
{
    const struct ll_function *fn = ep->fn;
    uint32_t nb = fn->nblocks, nedges = 0;
    for (uint32_t x = 0; x < nb; x++)
        nedges += fn->blocks[x].nsucc;
    ep->block = malloc(((size_t)fn->nevents + 1) * sizeof(*ep->block));
    ep->every = calloc((size_t)nb + 1, 1);
    /* po, order, idom, stack_b, stack_i, pstart (nb + 1), preds (nedges) */
    uint32_t *mem = malloc(((size_t)nb * 7 + 2 + nedges) * sizeof(*mem));
    uint8_t *seen = calloc((size_t)nb + 1, 1);
    if (!ep->block || !ep->every || !mem || !seen) {
        free(mem);
        free(seen);
        return -1;
    }
    for (uint32_t e = 0; e < fn->nevents; e++)
        ep->block[e] = UINT32_MAX;
    for (uint32_t x = nb; x-- > 0;) /* the first block holding an event */
        for (uint32_t e = fn->blocks[x].first_event;
             e < fn->blocks[x].first_event + fn->blocks[x].nevents && e < fn->nevents; e++)
            ep->block[e] = x;
    uint32_t *po = mem, *order = po + nb, *idom = order + nb, *stack_b = idom + nb,
             *stack_i = stack_b + nb, *pstart = stack_i + nb, *preds = pstart + nb + 1;
    uint32_t n = 0, sp = 0;
    if (nb > 0) {
        seen[0] = 1;
        stack_b[sp] = 0;
        stack_i[sp++] = 0;
    }
    while (sp) { /* postorder */
        uint32_t x = stack_b[sp - 1];
        if (stack_i[sp - 1] < fn->blocks[x].nsucc) {
            uint32_t y = fn->blocks[x].succ[stack_i[sp - 1]++];
            if (y < nb && !seen[y]) {
                seen[y] = 1;
                stack_b[sp] = y;
                stack_i[sp++] = 0;
            }
            continue;
        }
        po[x] = n;
        order[n++] = x;
        sp--;
    }
    if (fn->exit >= nb || !seen[fn->exit]) {
        memset(ep->every, 1, nb);
        goto out;
    }
    /* the predecessors of the reached blocks */
    memset(pstart, 0, ((size_t)nb + 1) * sizeof(*pstart));
    for (uint32_t k = 0; k < n; k++)
        for (uint32_t j = 0; j < fn->blocks[order[k]].nsucc; j++)
            if (fn->blocks[order[k]].succ[j] < nb)
                pstart[fn->blocks[order[k]].succ[j] + 1]++;
    for (uint32_t x = 0; x < nb; x++)
        pstart[x + 1] += pstart[x];
    for (uint32_t x = 0; x < nb; x++)
        stack_i[x] = pstart[x];
    for (uint32_t k = 0; k < n; k++)
        for (uint32_t j = 0; j < fn->blocks[order[k]].nsucc; j++)
            if (fn->blocks[order[k]].succ[j] < nb)
                preds[stack_i[fn->blocks[order[k]].succ[j]]++] = order[k];
    for (uint32_t x = 0; x < nb; x++)
        idom[x] = UINT32_MAX;
    idom[0] = 0;
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t k = n; k-- > 0;) {
            uint32_t x = order[k], d = UINT32_MAX;
            if (x == 0)
                continue;
            for (uint32_t j = pstart[x]; j < pstart[x + 1]; j++)
                if (idom[preds[j]] != UINT32_MAX)
                    d = d == UINT32_MAX ? preds[j] : intersect(idom, po, preds[j], d);
            if (idom[x] != d) {
                idom[x] = d;
                changed = true;
            }
        }
    }
    for (uint32_t x = fn->exit;; x = idom[x]) {
        ep->every[x] = 1;
        if (x == 0)
            break;
    }
out:
    free(mem);
    free(seen);
    return 0;
}

/* Whether event e runs on every path from entry to exit: its block
 * dominates the exit (no path avoids it). */
static bool unconditional(struct every_path *ep, uint32_t e)
{
    if (!ep->block && !ep->failed && every_path_init(ep) != 0)
        ep->failed = true;
    if (ep->failed || e >= ep->fn->nevents || ep->block[e] == UINT32_MAX)
        return false;
    return ep->every[ep->block[e]];
}

/* A lock that f has released on every path to event e, other than `key`
 * (root NONE when none): a caller that holds it at the call no longer
 * does there (f drops its caller's lock before a slow step, and may take
 * it again after); one that does not hold it gets no edge from it anyway. */
static struct ll_path dropped_at(const struct ll_fn_view *f, uint32_t e, const char *key)
{
    struct ll_path none;
    memset(&none, 0, sizeof(none));
    for (uint32_t k = 0; k < f->df.nlocks; k++) {
        const struct ll_path *p = f->df.locks[k].path;
        if ((ll_df_state(&f->df, e, k) & (uint8_t)~LL_LS_SHARED) == LL_LS_FREE &&
            ll_path_portable(p) && p->key && strcmp(p->key, key) != 0)
            return *p;
    }
    return none;
}

static int summarise_acquire(struct ll_view *v, struct ll_fn_view *f, struct every_path *ep,
                             uint32_t e)
{
    struct ll_arena *a = &v->arena;
    const struct ll_event *ev = &f->fn->events[e];
    int l = ll_df_lock_index(&f->df, ev->obj.key);
    if (l < 0 || !ll_path_portable(&ev->obj))
        return 0;
    uint8_t before = ll_df_state(&f->df, e, (uint32_t)l) & (uint8_t)~LL_LS_SHARED;
    /* `fresh` (callers must not hold it) only for acquisitions on every path;
     * one on some paths (under a flag the caller may pass) is `some` */
    bool every = unconditional(ep, e);
    struct ll_take t = {ev->obj,
                        ll_view_site(f, ev->loc, NULL),
                        f->fn->name,
                        ev->mode,
                        before == LL_LS_ENTRY && every,
                        before == LL_LS_ENTRY && !every,
                        ev->kind == LL_EV_ACQUIRE,
                        false,
                        dropped_at(f, e, ev->obj.key)};
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
        struct ll_pair p = {.outer = *outer,
                            .inner = ev->obj,
                            .outer_site = ll_fn_acquisition_site(f, e, k),
                            .inner_site = t.site,
                            .via = f->fn->name};
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

/* Records in s that the function may sleep, at `site` in `via`: unless
 * it has a sleep already that is no weaker.  A sure sleep wins over one
 * reached only through a guessed call or only after an initialisation
 * failed, which the rules report as notes. */
static void record_sleep(struct ll_summary *s, bool guessed, bool on_init_failure,
                         struct ll_site site, const char *api, const char *via)
{
    bool weak = guessed || on_init_failure;
    bool have_weak = s->sleep_guessed || s->sleep_on_init_failure;
    if (s->may_sleep && (!have_weak || weak))
        return;
    s->may_sleep = true;
    s->sleep_guessed = guessed;
    s->sleep_on_init_failure = on_init_failure;
    s->sleep_site = site;
    s->sleep_api = api;
    s->sleep_via = via;
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

static int summarise_call(struct ll_view *v, struct ll_fn_view *f, struct every_path *ep,
                          uint32_t e)
{
    struct ll_arena *a = &v->arena;
    const struct ll_call_info *ci = f->calls[e];
    const struct ll_summary *cs = &v->fns[ci->callee].summary;
    const struct ll_event *ev = &f->fn->events[e];
    for (size_t i = 0; i < ci->ntakes; i++) {
        struct ll_take t = ci->takes[i];
        t.guessed = t.guessed || v->fns[ci->callee].is_dispatcher;
        int l = ll_df_lock_index(&f->df, t.lock.key);
        uint8_t st =
            l < 0 ? LL_LS_ENTRY : (ll_df_state(&f->df, e, (uint32_t)l) & (uint8_t)~LL_LS_SHARED);
        bool unheld = (t.fresh || t.some) && st == LL_LS_ENTRY, every = unconditional(ep, e);
        t.some = unheld && !(t.fresh && every);
        t.fresh = unheld && t.fresh && every;
        if (!t.dropped.key)
            t.dropped = dropped_at(f, e, t.lock.key);
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
            struct ll_pair p = {*outer, t.lock, ll_fn_acquisition_site(f, e, k),
                                t.site, t.via,  ll_view_site(f, ev->loc, NULL),
                                true};
            if (push_pair(a, &f->summary, &p) != 0)
                return -1;
        }
    }
    for (size_t i = 0; i < cs->npairs; i++) {
        struct ll_pair p = cs->pairs[i];
        if (!ll_path_instantiate(a, &cs->pairs[i].outer, v->fns[ci->callee].fn, ev, &p.outer) ||
            !ll_path_instantiate(a, &cs->pairs[i].inner, v->fns[ci->callee].fn, ev, &p.inner) ||
            ll_call_untaken(ci, p.inner.key))
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
    if (cs->may_sleep && !ll_fn_event_doomed(f, e))
        record_sleep(&f->summary, cs->sleep_guessed || v->fns[ci->callee].is_dispatcher,
                     cs->sleep_on_init_failure || ll_fn_event_on_init_failure(f, e), cs->sleep_site,
                     cs->sleep_api, cs->sleep_via);
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

/* The return event of the local or object (ll_returned_name()) that every
 * path returning with l held returns, or NULL. */
static const struct ll_event *returned_local(const struct ll_fn_view *f, uint32_t l)
{
    const char *v = NULL;
    const struct ll_event *at = NULL;
    for (uint32_t i = 0; i < f->df.nexits; i++) {
        if (!(f->df.exits[i].st[l] & LL_LS_HELD))
            continue;
        const struct ll_event *ev = &f->fn->events[f->df.exits[i].event];
        const char *r = ll_returned_name(ev);
        if (!r || r[0] == '-' || (r[0] >= '0' && r[0] <= '9') || (v && strcmp(v, r) != 0))
            return NULL;
        v = r;
        at = ev;
    }
    return at;
}

/* `e->rest` as `base->rest`, or NULL when the key is not a field of what
 * `e` points to (a local, or a field load `n->obj`).  Of a back pointer's
 * target "e^m" (fe_returned_object(): the struct that holds *e at field
 * m), `e->rest` is `base->m.rest`. */
static const char *rebased(struct ll_arena *a, const char *key, const char *e, const char *base)
{
    if (!e)
        return NULL;
    size_t n = strlen(e);
    if (key && strncmp(key, e, n) == 0 && key[n] == '-' && key[n + 1] == '>')
        return ll_arena_printf(a, "%s%s", base, key + n);
    const char *hat = strrchr(e, '^');
    if (!key || !hat || strchr(hat, '-') || strchr(hat, '.') || strchr(hat, '['))
        return NULL;
    n = (size_t)(hat - e);
    if (strncmp(key, e, n) != 0 || key[n] != '-' || key[n + 1] != '>')
        return NULL;
    return ll_arena_printf(a, "%s->%s.%s", base, hat + 1, key + n + 2);
}

/*
 * A lock of an object the function hands to its caller, said in terms the
 * caller can name: a field of the returned pointer (`return e;` holding
 * `e->lock`: `@ret->lock`), or of the object an out-parameter was set to
 * (`*out = e;`: `*out->lock`).  Fills *out; false when neither.
 */
static bool handed_out(struct ll_arena *a, const struct ll_fn_view *f, uint32_t l,
                       struct ll_path *out)
{
    const struct ll_path *p = f->df.locks[l].path;
    if (p->root != LL_ROOT_LOCAL || !p->key || !p->text || !p->cls)
        return false;
    const struct ll_event *ret = returned_local(f, l);
    const char *v = ret ? ll_returned_name(ret) : NULL;
    /* a back pointer "e^entry" is also the pointer as loaded, `e->key` */
    const char *load = ret && !ret->result_var ? ret->aux.text : NULL;
    struct ll_path r = *p;
    r.flags = (uint8_t)(p->flags | LL_PATH_DEREF);
    r.root_usr = NULL;
    r.param = -1;
    if (v &&
        (((r.key = rebased(a, p->key, load, "@ret")) &&
          (r.text = rebased(a, p->text, load, "@ret"))) ||
         ((r.key = rebased(a, p->key, v, "@ret")) && (r.text = rebased(a, p->text, v, "@ret"))))) {
        r.root = LL_ROOT_RETURN;
        *out = r;
        return true;
    }
    /* `return lock;` holding `*lock`: the result is the lock's address
     * (NULL when not held, for a conditional effect) */
    if (v && p->key[0] == '*' && strcmp(p->key + 1, v) == 0) {
        r.key = r.text = "*@ret";
        r.root = LL_ROOT_RETURN;
        *out = r;
        return true;
    }
    const struct ll_function *fn = f->fn;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind != LL_EV_ACCESS || !(ev->flags & LL_EVF_WRITE) || !f->df.reached[e] ||
            ev->obj.root != LL_ROOT_PARAM || ev->aux.root != LL_ROOT_LOCAL || !ev->aux.key ||
            !ev->obj.key || ev->obj.key[0] != '*' || ev->obj.param < 0 ||
            (uint32_t)ev->obj.param >= fn->nparams ||
            strcmp(ev->obj.key + 1, fn->params[ev->obj.param]) != 0)
            continue;
        if ((r.key = rebased(a, p->key, ev->aux.key, ev->obj.key)) &&
            (r.text = rebased(a, p->text, ev->aux.key, ev->obj.key))) {
            r.root = LL_ROOT_PARAM;
            r.param = ev->obj.param;
            *out = r;
            return true;
        }
    }
    return false;
}

static bool event_dies(void *ctx, uint32_t event)
{
    return call_dies(event, ctx);
}

/*
 * Marks f's events on paths that end the process (a call that never
 * returns, known so far: callees are summarised first).  What runs there
 * -- an abort handler that sleeps so a debugger can attach -- happens once,
 * while the program dies: nobody waits on the locks it holds.
 */
static int mark_doomed(struct ll_view *v, struct ll_fn_view *f)
{
    const struct ll_function *fn = f->fn;
    if (fn->nblocks == 0)
        return 0;
    uint8_t *blocks = ll_arena_alloc(&v->scratch, fn->nblocks);
    if (!blocks)
        return -1;
    struct effects_ctx ctx = {v, f};
    ll_doomed_blocks(fn, event_dies, &ctx, blocks);
    bool any = false;
    for (uint32_t b = 0; b < fn->nblocks && !any; b++)
        any = blocks[b] != 0;
    if (!any && !f->doomed)
        return 0;
    if (!f->doomed && !(f->doomed = ll_arena_alloc(&v->arena, (size_t)fn->nevents + 1)))
        return -1;
    memset(f->doomed, 0, (size_t)fn->nevents + 1);
    for (uint32_t b = 0; b < fn->nblocks; b++)
        if (blocks[b])
            memset(f->doomed + fn->blocks[b].first_event, 1, fn->blocks[b].nevents);
    return 0;
}

/* Marks f's events that run only after the initialisation of a lock or
 * condition failed (init_failure.h). */
static int mark_init_failure(struct ll_view *v, struct ll_fn_view *f)
{
    const struct ll_function *fn = f->fn;
    uint8_t *blocks = fn->nblocks ? ll_arena_alloc(&v->scratch, fn->nblocks) : NULL;
    if (!blocks)
        return fn->nblocks ? -1 : 0;
    if (!ll_init_failure_blocks(fn, blocks))
        return 0;
    if (!f->init_failure && !(f->init_failure = ll_arena_alloc(&v->arena, (size_t)fn->nevents + 1)))
        return -1;
    memset(f->init_failure, 0, (size_t)fn->nevents + 1);
    for (uint32_t b = 0; b < fn->nblocks; b++)
        if (blocks[b])
            memset(f->init_failure + fn->blocks[b].first_event, 1, fn->blocks[b].nevents);
    return 0;
}

/* Whether f holds at event e, on every path, a lock it acquired itself. */
static bool holds_own_lock(const struct ll_fn_view *f, uint32_t e)
{
    for (uint32_t l = 0; l < f->df.nlocks; l++)
        if ((ll_df_state(&f->df, e, l) & (uint8_t)~LL_LS_SHARED) == LL_LS_HELD)
            return true;
    return false;
}

/* The parameter of f whose condition variable event e waits on: a wait
 * on it (`pthread_cond_wait(&p->cv, ...)`), or a call that passes it to a
 * wait wrapper (`cv_wait2(&p->cv, &p->m)`, nng's nni_plat_cv_wait()
 * calling nni_pthread_cond_wait()); else -1. */
static int waited_param(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e)
{
    const struct ll_event *ev = &f->fn->events[e];
    if ((ev->kind == LL_EV_COND_WAIT || (f->calls && f->calls[e])) && holds_own_lock(f, e))
        return -1; /* it took the mutex itself: its own critical section, its loop */
    if (ev->kind == LL_EV_COND_WAIT)
        return ev->obj.root == LL_ROOT_PARAM ? ev->obj.param : -1;
    const struct ll_call_info *ci = f->calls ? f->calls[e] : NULL;
    if (!ci || ci->callee < 0)
        return -1;
    const struct ll_summary *cs = &v->fns[ci->callee].summary;
    /* only a wrapper that always waits passes it on: one that may return
     * without waiting (a timeout under `if`) has a loop of its own to keep */
    if (!cs->waits_on_param || cs->wait_conditional || cs->wait_param < 0 ||
        (uint32_t)cs->wait_param >= ev->nargs)
        return -1;
    const struct ll_path *a = &ev->args[cs->wait_param];
    return a->root == LL_ROOT_PARAM ? a->param : -1;
}

static int summarise(struct ll_view *v, struct ll_fn_view *f)
{
    struct ll_arena *a = &v->arena;
    struct ll_summary *s = &f->summary;
    memset(s, 0, sizeof(*s));
    const struct ll_function *fn = f->fn;
    if (mark_doomed(v, f) != 0 || mark_init_failure(v, f) != 0)
        return -1;
    if (f->df.nlocks && !(s->effects = ll_arena_alloc_raw(a, f->df.nlocks * sizeof(*s->effects))))
        return -1;
    for (uint32_t l = 0; l < f->df.nlocks; l++) {
        struct ll_effect x;
        bool portable = ll_path_portable(f->df.locks[l].path);
        if (!ll_fn_lock_effect(f, l, &x))
            continue;
        if (!portable && (ll_effect_releases(&x) || !handed_out(a, f, l, &x.lock)))
            continue;
        x.site = ll_fn_acquisition_site(f, fn->nevents, l);
        s->effects[s->neffects++] = x;
    }
    struct every_path ep = {fn, NULL, NULL, false};
    int rc = 0;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (!f->df.reached[e])
            continue;
        if (ll_event_acquires(ev))
            rc = summarise_acquire(v, f, &ep, e);
        else if (f->calls && f->calls[e])
            rc = summarise_call(v, f, &ep, e);
        if (rc == 0 && ev->kind == LL_EV_LOCK_INIT && ev->lock_kind == LL_LK_RECURSIVE &&
            ll_path_portable(&ev->obj) && push_recursive(v, s, &ev->obj, f, ev) != 0)
            rc = -1;
        if (rc != 0)
            break;
        if (is_sleep(ev) && !drops_caller_lock(f, e) && !ll_fn_event_doomed(f, e))
            record_sleep(s, false, ll_fn_event_on_init_failure(f, e),
                         ll_view_site(f, ev->loc, NULL), ev->api, fn->name);
        /* a wait its own function re-checks in a `goto` loop is not left
         * to the callers to loop around */
        int wp = waited_param(v, f, e);
        if (wp >= 0 && ev->loop_depth == 0 && !ll_fn_is_root(f) && !ll_fn_wait_rechecked(v, f, e)) {
            const struct ll_call_info *ci = f->calls ? f->calls[e] : NULL;
            s->wait_conditional = s->wait_conditional || !unconditional(&ep, e) ||
                                  (ci && v->fns[ci->callee].summary.wait_conditional);
            if (!s->waits_on_param)
                s->wait_param = (int16_t)wp;
            s->waits_on_param = true;
        }
    }
    every_path_release(&ep);
    if (rc != 0)
        return -1;
    s->never_returns = infer_never_returns(v, f);
    return 0;
}

/* ---- effects a parameter decides ----------------------------------- */

#define GUARD_MAX_PARAMS 2
#define GUARD_MAX_VALUES 6
#define GUARD_MAX_PREDS 8

struct guard_params {
    uint32_t param;
    uint32_t npreds, nvalues;
    struct {
        uint8_t cmp;
        int64_t k;
    } preds[GUARD_MAX_PREDS];
    int64_t values[GUARD_MAX_VALUES];
};

static void add_value(struct guard_params *g, int64_t v)
{
    for (uint32_t i = 0; i < g->nvalues; i++)
        if (g->values[i] == v)
            return;
    if (g->nvalues < GUARD_MAX_VALUES)
        g->values[g->nvalues++] = v;
}

/* A comparison the parameter is tested with, and values on both sides. */
static void add_pred(struct guard_params *g, uint8_t cmp, int64_t k)
{
    for (uint32_t i = 0; i < g->npreds; i++)
        if (g->preds[i].cmp == cmp && g->preds[i].k == k)
            return;
    if (g->npreds == GUARD_MAX_PREDS || cmp == LL_CMP_NONE)
        return;
    g->preds[g->npreds].cmp = cmp;
    g->preds[g->npreds].k = k;
    g->npreds++;
    int64_t lo = k > INT64_MIN ? k - 1 : k, hi = k < INT64_MAX ? k + 1 : k;
    switch (cmp) {
    case LL_CMP_TRUTH:
        add_value(g, 0);
        add_value(g, 1);
        break;
    case LL_CMP_LT:
    case LL_CMP_GE:
        add_value(g, lo);
        add_value(g, k);
        break;
    case LL_CMP_AND:
        add_value(g, 0);
        add_value(g, k);
        break;
    default: /* ==, !=, <=, > */
        add_value(g, k);
        add_value(g, k == 0 ? 1 : 0);
        add_value(g, hi);
        break;
    }
}

static bool param_written(const struct ll_function *fn, const char *pname)
{
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind == LL_EV_ACCESS && (ev->flags & LL_EVF_WRITE) &&
            ev->obj.root == LL_ROOT_PARAM && !(ev->obj.flags & LL_PATH_DEREF) && ev->obj.key &&
            strcmp(ev->obj.key, pname) == 0)
            return true;
    }
    return false;
}

/* The parameters whose value may decide what f does to a lock: tested
 * against constants, or passed where a callee's effect is guarded. */
static uint32_t find_guard_params(const struct ll_fn_view *f, struct guard_params *out)
{
    const struct ll_function *fn = f->fn;
    uint32_t n = 0;
    for (uint32_t p = 0; p < fn->nparams && n < GUARD_MAX_PARAMS; p++) {
        const char *pname = fn->params[p];
        if (!pname || !*pname)
            continue;
        struct guard_params *g = &out[n];
        memset(g, 0, sizeof(*g));
        g->param = p;
        for (uint32_t b = 0; b < fn->nblocks; b++) {
            const struct ll_cond *c = &fn->blocks[b].cond;
            if (c->kind != LL_COND_NONE && c->cmp != LL_CMP_NONE && c->nvars == 1 && c->text &&
                strcmp(c->vars[0], pname) == 0)
                add_pred(g, c->cmp, c->cmp_k);
        }
        for (uint32_t e = 0; f->calls && e < fn->nevents; e++) {
            const struct ll_call_info *ci = f->calls[e];
            for (size_t i = 0; ci && i < ci->neffects; i++)
                if (ci->effects[i].guard.on && ci->effects[i].guard.param == (int16_t)p)
                    add_pred(g, ci->effects[i].guard.cmp, ci->effects[i].guard.k);
        }
        if (g->npreds && !param_written(fn, pname))
            n++;
    }
    return n;
}

/* Whether l is released somewhere it is held on some paths and as the
 * caller left it on others: the function takes it itself on some paths
 * and takes over the caller's on others (`if (!handover) lock(m); ...
 * unlock(m)`), which only a parameter can tell apart. */
static bool released_half_held(const struct ll_fn_view *f, uint32_t l)
{
    const struct ll_function *fn = f->fn;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind != LL_EV_RELEASE || !f->df.reached[e] ||
            ll_df_lock_index(&f->df, ev->obj.key) != (int)l)
            continue;
        uint8_t st = ll_df_state(&f->df, e, l);
        if ((st & LL_LS_ENTRY) && (st & LL_LS_HELD))
            return true;
    }
    return false;
}

/* Whether some lock's fate is not one thing: released on some paths only
 * or taken on some only at the returns, or released where it is held on
 * some paths only. */
static bool has_open_lock(const struct ll_fn_view *f)
{
    for (uint32_t l = 0; l < f->df.nlocks; l++) {
        if (!ll_path_portable(f->df.locks[l].path))
            continue;
        uint8_t all = 0;
        for (uint32_t i = 0; i < f->df.nexits; i++)
            all |= f->df.exits[i].st[l] & (uint8_t)~LL_LS_SHARED;
        if ((all & (all - 1)) || released_half_held(f, l)) /* more than one state */
            return true;
    }
    return false;
}

/* In run df: whether l is taken, without being held first, on every path
 * (some acquisition finds it as the caller left it, and no return does). */
static bool takes_on_every_path(const struct ll_fn_view *f, const struct ll_df_result *df,
                                uint32_t l)
{
    const struct ll_function *fn = f->fn;
    bool fresh = false;
    for (uint32_t e = 0; e < fn->nevents && !fresh; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (!df->reached[e] || (ll_df_state(df, e, l) & (uint8_t)~LL_LS_SHARED) != LL_LS_ENTRY)
            continue;
        if (ev->kind == LL_EV_ACQUIRE && ll_df_lock_index(df, ev->obj.key) == (int)l)
            fresh = true;
        const struct ll_call_info *ci = f->calls ? f->calls[e] : NULL;
        for (size_t i = 0; ci && i < ci->ntakes && !fresh; i++)
            fresh = ci->takes[i].fresh && ci->takes[i].blocking &&
                    ll_df_lock_index(df, ci->takes[i].lock.key) == (int)l;
    }
    if (!fresh || !df->nexits)
        return false;
    for (uint32_t i = 0; i < df->nexits; i++)
        if (df->exits[i].st[l] & (LL_LS_ENTRY | LL_LS_NEVER))
            return false;
    return true;
}

/* In run f: whether some reached event acquires l, itself or in a callee. */
static bool acquires_reached(const struct ll_fn_view *f, uint32_t l)
{
    const struct ll_function *fn = f->fn;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        if (!f->df.reached[e])
            continue;
        const struct ll_event *ev = &fn->events[e];
        if (ll_event_acquires(ev) && ll_df_lock_index(&f->df, ev->obj.key) == (int)l)
            return true;
        const struct ll_call_info *ci = f->calls ? f->calls[e] : NULL;
        for (size_t k = 0; ci && k < ci->ntakes; k++)
            if (ll_df_lock_index(&f->df, ci->takes[k].lock.key) == (int)l)
                return true;
    }
    return false;
}

/* When the parameter is only tested for equality (a lowered switch, an
 * if / else-if chain): the effect happens for the constants in `set`,
 * and not for any other value (the values tested with no constant
 * standing for them, "none of the cases", are outside `set`): a guard
 * "is one of" those constants.  False otherwise. */
static bool find_guard_in(const struct guard_params *g, uint32_t set, uint32_t dead,
                          struct ll_guard *out)
{
    memset(out, 0, sizeof(*out));
    for (uint32_t p = 0; p < g->npreds; p++)
        if (g->preds[p].cmp != LL_CMP_EQ && g->preds[p].cmp != LL_CMP_NE)
            return false;
    bool other = false; /* a value no constant stands for was tried */
    for (uint32_t i = 0; i < g->nvalues; i++) {
        if (dead >> i & 1)
            continue;
        bool tested = false;
        for (uint32_t p = 0; p < g->npreds && !tested; p++)
            tested = g->preds[p].k == g->values[i];
        other |= !tested;
        if (!tested && (set >> i & 1))
            return false; /* "any other value" has the effect */
        if (tested && (set >> i & 1)) {
            if (out->nin == LL_GUARD_MAX_IN)
                return false;
            out->in[out->nin++] = g->values[i];
        }
    }
    out->on = 1;
    out->param = (int16_t)g->param;
    out->cmp = LL_GUARD_IN;
    out->truth = 1;
    return other && out->nin > 0;
}

/* A comparison of the parameter that is `truth` exactly for the values
 * in `set` (bit i: values[i]) among those not in `dead`; false when none
 * is. */
static bool find_guard(const struct guard_params *g, uint32_t set, uint32_t dead,
                       struct ll_guard *out)
{
    for (uint32_t p = 0; p < g->npreds; p++)
        for (int truth = 0; truth < 2; truth++) {
            bool ok = true;
            for (uint32_t i = 0; i < g->nvalues && ok; i++)
                ok = (dead >> i & 1) ||
                     (ll_ps_cmp_holds(g->preds[p].cmp, g->values[i], g->preds[p].k) ==
                      (truth != 0)) == ((set >> i & 1) != 0);
            if (ok) {
                memset(out, 0, sizeof(*out));
                out->on = 1;
                out->param = (int16_t)g->param;
                out->cmp = g->preds[p].cmp;
                out->k = g->preds[p].k;
                out->truth = (uint8_t)truth;
                return true;
            }
        }
    return false;
}

/* Whether the summary already says what f does to `key` for effect op:
 * an effect on every path, or one of that op under a guard (a guarded
 * acquire for some values leaves room for a guarded release for others:
 * `pause_threads(PAUSE_ALL)` / `pause_threads(RESUME_ALL)`). */
static bool has_effect(const struct ll_summary *s, const char *key, uint8_t op)
{
    for (size_t i = 0; i < s->neffects; i++) {
        const struct ll_effect *x = &s->effects[i];
        if (x->op == LL_EFF_RECURSIVE || x->op == LL_EFF_TAKE || strcmp(x->lock.key, key) != 0)
            continue;
        if (!x->guard.on || x->op == op)
            return true;
    }
    return false;
}

static bool takes_fresh(const struct ll_summary *s, const char *key)
{
    for (size_t i = 0; i < s->ntakes; i++)
        if (s->takes[i].fresh && s->takes[i].blocking && strcmp(s->takes[i].lock.key, key) == 0)
            return true;
    return false;
}

/*
 * Effects a parameter decides (`reschedule(ev, true)` releases ev->mx,
 * `flush(q, LOCKED)` does not take q->lock): the function is analysed
 * again for values of the parameter on both sides of each comparison it
 * is tested with, and an effect that happens for exactly the values one
 * comparison selects becomes an effect guarded by it.
 */
static int guard_effects(struct ll_view *v, struct ll_fn_view *f, const struct ll_df_env *base)
{
    struct guard_params gp[GUARD_MAX_PARAMS];
    if (!f->df.nlocks || !has_open_lock(f))
        return 0;
    uint32_t np = find_guard_params(f, gp);
    if (!np)
        return 0;
    struct ll_arena tmp;
    ll_arena_init(&tmp);
    int rc = -1;
    uint32_t nl = f->df.nlocks;
    uint8_t *ops = ll_arena_alloc(&tmp, (size_t)GUARD_MAX_VALUES * nl);
    uint8_t *take = ll_arena_alloc(&tmp, (size_t)GUARD_MAX_VALUES * nl);
    uint8_t *mode = ll_arena_alloc(&tmp, nl);
    if (!ops || !take || !mode)
        goto out;
    for (uint32_t p = 0; p < np; p++) {
        const struct guard_params *g = &gp[p];
        memset(ops, 0, (size_t)GUARD_MAX_VALUES * nl);
        memset(take, 0, (size_t)GUARD_MAX_VALUES * nl);
        uint32_t dead = 0; /* values for which f never returns (`assert(p)`): any effect */
        for (uint32_t i = 0; i < g->nvalues; i++) {
            struct ll_df_env env = *base;
            env.seeded = true;
            env.seed_param = g->param;
            env.seed_value = g->values[i];
            struct ll_fn_view run = *f;
            if (ll_dataflow_run(f->fn, &env, &tmp, &run.df) != 0 || run.df.nlocks != nl)
                goto out;
            if (!run.df.nexits)
                dead |= 1u << i;
            for (uint32_t l = 0; l < nl; l++) {
                struct ll_effect x;
                if (ll_path_portable(f->df.locks[l].path) && ll_fn_lock_effect(&run, l, &x) &&
                    (x.op == LL_EFF_ACQUIRE || x.op == LL_EFF_RELEASE)) {
                    ops[i * nl + l] = x.op == LL_EFF_ACQUIRE ? 1 : 2;
                    mode[l] = x.mode;
                }
                take[i * nl + l] = (uint8_t)(takes_on_every_path(&run, &run.df, l) |
                                             acquires_reached(&run, l) << 1);
            }
        }
        struct ll_summary *s = &f->summary;
        struct ll_effect *grown =
            ll_arena_alloc_raw(&v->arena, (s->neffects + 3 * (size_t)nl) * sizeof(*grown));
        if (!grown)
            goto out;
        if (s->neffects)
            memcpy(grown, s->effects, s->neffects * sizeof(*grown));
        s->effects = grown;
        size_t room = s->neffects + 3 * (size_t)nl;
        for (uint32_t l = 0; l < nl; l++) {
            const struct ll_path *lp = f->df.locks[l].path;
            if (!ll_path_portable(lp))
                continue;
            for (uint8_t op = 1; op <= 3; op++) {
                uint32_t set = 0;
                for (uint32_t i = 0; i < g->nvalues; i++)
                    if (op == 3 ? (take[i * nl + l] & 1) != 0 : ops[i * nl + l] == op)
                        set |= 1u << i;
                bool only = true; /* the other values acquire it nowhere */
                for (uint32_t i = 0; i < g->nvalues; i++)
                    if (!(set >> i & 1) && (take[i * nl + l] & 2))
                        only = false;
                struct ll_effect x;
                memset(&x, 0, sizeof(x));
                if (!set || (set | dead) == (1u << g->nvalues) - 1 ||
                    (!find_guard(g, set, dead, &x.guard) && !find_guard_in(g, set, dead, &x.guard)))
                    continue;
                x.op = op == 1 ? LL_EFF_ACQUIRE : op == 2 ? LL_EFF_RELEASE : LL_EFF_TAKE;
                if ((op < 3 && has_effect(s, lp->key, x.op)) ||
                    (op == 3 && takes_fresh(s, lp->key)))
                    continue;
                if (s->neffects >= room)
                    break;
                x.mode = op == 3 ? LL_MODE_EXCL : mode[l];
                x.only = op == 3 && only;
                x.lock = *lp;
                x.site = ll_fn_acquisition_site(f, f->fn->nevents, l);
                s->effects[s->neffects++] = x;
            }
        }
    }
    rc = 0;
out:
    ll_arena_release(&tmp);
    return rc;
}

/* ---- branches on pure calls ----------------------------------------- */

/* A read a pure function may make: of its own locals, of its parameters
 * and what they point to, of globals; not through a local pointer (what
 * it points to cannot be said in the caller's terms), not atomic (another
 * thread's store). */
static bool pure_read(const struct ll_event *ev)
{
    const struct ll_path *p = &ev->obj;
    if (ev->flags & LL_EVF_ATOMIC)
        return false;
    switch (p->root) {
    case LL_ROOT_LOCAL:
        return !(p->flags & LL_PATH_DEREF);
    case LL_ROOT_PARAM:
    case LL_ROOT_GLOBAL:
    case LL_ROOT_STATIC_LOCAL:
        return p->key != NULL;
    default:
        return false;
    }
}

/* g is side-effect free: its events are reads (pure_read()), writes of
 * its own locals and parameters, and returns.  No call, no lock, no
 * thread operation.  `inline bool td_offload_overlap(td) { return
 * td->o.serialize_overlap && td->o.submit_mode == 1; }` is. */
static bool pure_function(const struct ll_function *g)
{
    if (g->nblocks == 0 || (g->flags & LL_FN_TRUNCATED))
        return false;
    for (uint32_t e = 0; e < g->nevents; e++) {
        const struct ll_event *ev = &g->events[e];
        if (ev->kind == LL_EV_RETURN)
            continue;
        if (ev->kind != LL_EV_ACCESS)
            return false;
        if (!(ev->flags & LL_EVF_WRITE)) {
            if (!pure_read(ev))
                return false;
        } else if ((ev->obj.root != LL_ROOT_LOCAL && ev->obj.root != LL_ROOT_PARAM) ||
                   (ev->obj.flags & (LL_PATH_DEREF | LL_PATH_ADDR))) {
            return false;
        }
    }
    return true;
}

/* The program function event e of f calls, when it is pure, or NULL. */
static const struct ll_function *pure_callee(const struct ll_view *v, const struct ll_fn_view *f,
                                             uint32_t e)
{
    const struct ll_event *ev = &f->fn->events[e];
    if (ev->kind != LL_EV_CALL)
        return NULL;
    long k = ll_program_callee(&v->program, f->index, e);
    if (k < 0 || v->fns[k].is_dispatcher)
        return NULL;
    const struct ll_function *g = v->fns[k].fn;
    return pure_function(g) ? g : NULL;
}

/*
 * The condition a branch on pure call `e` stands for (pathset.h,
 * ll_pathset_set_calls()): its text names the callee, the arguments
 * (constants, or paths from a local, parameter or global, not through an
 * array element) and how the
 * result is tested; its vars are the argument paths and what the callee
 * reads through them, rebased on the arguments, and the globals it reads.
 * NULL when an argument or a read cannot be said in f's terms.
 */
static struct ll_cond *pure_call_cond(struct ll_arena *a, const struct ll_function *g,
                                      const struct ll_function *fn, const struct ll_cond *c)
{
    const struct ll_event *call = &fn->events[c->event];
    char *text = ll_arena_printf(a, "%s(", call->callee ? call->callee : "?");
    uint32_t cap = call->nargs + 1, n = 0;
    for (uint32_t e = 0; e < g->nevents; e++)
        cap += g->events[e].kind == LL_EV_ACCESS;
    const char **vars = ll_arena_alloc(a, cap * sizeof(*vars));
    if (!text || !vars)
        return NULL;
    for (uint32_t i = 0; i < call->nargs; i++) {
        const struct ll_path *p = &call->args[i];
        if (!p->key)
            return NULL;
        bool value = (p->flags & LL_PATH_VALUE) != 0;
        /* an element is named without its index (`&zones[i]` after `i++`
         * is another zone), as conditions over fields do not admit them */
        if (!value && (p->flags & LL_PATH_INDEXED))
            return NULL;
        if (!value && p->root != LL_ROOT_LOCAL && p->root != LL_ROOT_PARAM &&
            p->root != LL_ROOT_GLOBAL && p->root != LL_ROOT_STATIC_LOCAL)
            return NULL;
        if (!(text = ll_arena_printf(a, "%s%s%d:%d:%s", text, i ? "," : "", p->root, p->flags,
                                     p->key)))
            return NULL;
        if (!value)
            vars[n++] = p->key;
    }
    for (uint32_t e = 0; e < g->nevents; e++) {
        const struct ll_event *ev = &g->events[e];
        if (ev->kind != LL_EV_ACCESS || (ev->flags & LL_EVF_WRITE) || ev->obj.root == LL_ROOT_LOCAL)
            continue;
        struct ll_path out;
        if (!ll_path_instantiate(a, &ev->obj, g, call, &out) || !out.key ||
            (out.flags & LL_PATH_INDEXED))
            return NULL;
        vars[n++] = out.key;
    }
    struct ll_cond *pc = ll_arena_alloc(a, sizeof(*pc));
    if (!pc || !(text = ll_arena_printf(a, "%s) %d %d %lld", text, c->cmp, c->true_when_zero,
                                        (long long)c->cmp_k)))
        return NULL;
    pc->kind = LL_COND_EVENT;
    pc->cmp = LL_CMP_NONE;
    pc->event = c->event;
    pc->text = text;
    pc->vars = vars;
    pc->nvars = n;
    return pc;
}

/* An event whose effects on what a pure call reads are unknown: a call of
 * anything but a pure function, a thread creation, a blocking call (a
 * read() fills its buffer). */
static bool opaque_event(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e)
{
    const struct ll_event *ev = &f->fn->events[e];
    if (ev->kind == LL_EV_CALL)
        return !pure_callee(v, f, e);
    return ev->kind == LL_EV_THREAD_CREATE || ev->kind == LL_EV_BLOCKING;
}

/* Fills env's branches on pure calls of f (none in most functions: then
 * the arrays stay NULL).  Memory from v->arena (the run resets v->scratch).  -1: out of memory. */
static int pure_calls(struct ll_view *v, const struct ll_fn_view *f, struct ll_df_env *env)
{
    const struct ll_function *fn = f->fn;
    const struct ll_cond **conds = NULL;
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        const struct ll_block *bb = &fn->blocks[b];
        const struct ll_cond *c = &bb->cond;
        const struct ll_function *g;
        if (bb->nsucc != 2 || c->kind != LL_COND_EVENT || c->text || c->event >= fn->nevents ||
            !(g = pure_callee(v, f, c->event)))
            continue;
        struct ll_cond *pc = pure_call_cond(&v->arena, g, fn, c);
        if (!pc)
            continue;
        if (!conds && !(conds = ll_arena_alloc(&v->arena, fn->nblocks * sizeof(*conds))))
            return -1;
        /* one text for one call and test: facts match texts by pointer */
        for (uint32_t o = 0; o < b; o++)
            if (conds[o] && strcmp(conds[o]->text, pc->text) == 0) {
                pc->text = conds[o]->text;
                break;
            }
        conds[b] = pc;
    }
    if (!conds)
        return 0;
    uint8_t *opaque = ll_arena_alloc(&v->arena, fn->nevents + 1);
    if (!opaque)
        return -1;
    for (uint32_t e = 0; e < fn->nevents; e++)
        opaque[e] = opaque_event(v, f, e);
    env->call_conds = conds;
    env->opaque_events = opaque;
    return 0;
}

static int analyse_function(struct ll_view *v, struct ll_fn_view *f)
{
    if (prepare_calls(v, f) != 0)
        return -1;
    struct effects_ctx ctx = {v, f};
    struct ll_df_env env = {.entry_free = ll_fn_is_root(f),
                            .call_effects = call_effects,
                            .ctx = &ctx,
                            .scratch = &v->scratch,
                            .call_dies = call_dies};
    if (pure_calls(v, f, &env) != 0)
        return -1;
    if (ll_dataflow_run(f->fn, &env, &v->arena, &f->df) != 0)
        return -1;
    if (summarise(v, f) != 0)
        return -1;
    return ll_fn_is_root(f) ? 0 : guard_effects(v, f, &env);
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
