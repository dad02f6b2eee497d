/*
 * view_query: the answers rules read (view.h), from the results the build
 * phases left in the view.  Translates the analyses' representations (lock
 * state bits, thread state bits, per-event arrays) into the domain's terms;
 * computes nothing the phases have not.
 */
#include "bitset.h"
#include "view_internal.h"

#include "fresh.h"
#include "lockapi.h"
#include "lockuse.h"
#include "waitloop.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- functions ------------------------------------------------------ */

size_t ll_view_nfns(const struct ll_view *v)
{
    return v->nfns;
}

const struct ll_fn_view *ll_view_fn(const struct ll_view *v, size_t i)
{
    return &v->fns[i];
}

const struct ll_fn_view *ll_view_next_fn(const struct ll_view *v, const struct ll_fn_view *f)
{
    size_t i = f ? f->index + 1 : 0;
    while (i < v->nfns && v->fns[i].is_dispatcher)
        i++;
    return i < v->nfns ? &v->fns[i] : NULL;
}

const struct ll_function *ll_fn_ir(const struct ll_fn_view *f)
{
    return f->fn;
}

uint32_t ll_fn_index(const struct ll_fn_view *f)
{
    return f->index;
}

bool ll_fn_is_main(const struct ll_fn_view *f)
{
    return f->is_main;
}

bool ll_fn_event_doomed(const struct ll_fn_view *f, uint32_t e)
{
    return f->doomed && e < f->fn->nevents && f->doomed[e];
}

bool ll_fn_event_on_init_failure(const struct ll_fn_view *f, uint32_t e)
{
    return f->init_failure && e < f->fn->nevents && f->init_failure[e];
}

bool ll_fn_is_root(const struct ll_fn_view *f)
{
    return f->is_main || f->is_start_routine;
}

bool ll_fn_is_dispatcher(const struct ll_fn_view *f)
{
    return f->is_dispatcher;
}

const struct ll_summary *ll_fn_summary(const struct ll_fn_view *f)
{
    return &f->summary;
}

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

/* Whether the global with `usr` has a recursive static initialiser: the
 * whole object (field NULL), or the first-level field `field` (up to the
 * next '.' or '[') of a struct that gives it one by designator. */
static bool global_recursive(const struct ll_view *v, const char *usr, const char *field)
{
    if (!field)
        return ll_strmap_get(&v->recursive_globals, usr) != (size_t)-1;
    char key[512];
    int n = snprintf(key, sizeof(key), "%s|%.*s", usr, (int)strcspn(field, ".["), field);
    return n > 0 && (size_t)n < sizeof(key) &&
           ll_strmap_get(&v->recursive_globals, key) != (size_t)-1;
}

bool ll_view_path_recursive(const struct ll_view *v, const struct ll_path *p)
{
    if (p->cls && ll_strmap_get(&v->recursive_classes, p->cls) != (size_t)-1)
        return true;
    if (!p->root_usr || p->root != LL_ROOT_GLOBAL || (p->flags & LL_PATH_DEREF) || !p->key)
        return false;
    const char *dot = strchr(p->key, '.');
    if (!dot)
        return !(p->flags & LL_PATH_INDEXED) && global_recursive(v, p->root_usr, NULL);
    return global_recursive(v, p->root_usr, dot + 1);
}

bool ll_view_lock_recursive(const struct ll_view *v, const struct ll_fn_view *f, uint32_t lock)
{
    const struct ll_df_lock *l = &f->df.locks[lock];
    if (l->recursive || l->kind == LL_LK_RECURSIVE)
        return true;
    return l->path && ll_view_path_recursive(v, l->path);
}

/* ---- events --------------------------------------------------------- */

bool ll_event_sleeps(const struct ll_event *ev)
{
    const struct ll_api *api = ev->kind == LL_EV_BLOCKING ? ll_lockapi_lookup(ev->api) : NULL;
    return api && api->op == LL_OP_BLOCKING && (api->flags & LL_API_SLEEP);
}

bool ll_event_ends_thread(const struct ll_event *ev)
{
    if (ev->kind != LL_EV_CALL || !(ev->flags & LL_EVF_NORETURN) || !ev->api)
        return false;
    const struct ll_api *api = ll_lockapi_lookup(ev->api);
    return api && (api->flags & LL_API_THREAD_EXIT);
}

bool ll_fn_reached(const struct ll_fn_view *f, uint32_t e)
{
    return f->df.reached[e] != 0;
}

/* The first event at or after e that `reached` marks, of a kind in `kinds`. */
static uint32_t next_marked(const struct ll_function *fn, const uint8_t *reached, uint32_t e,
                            uint32_t kinds)
{
    for (; e < fn->nevents; e++)
        if (reached && reached[e] && ((kinds >> fn->events[e].kind) & 1))
            break;
    return e;
}

uint32_t ll_fn_next_reached(const struct ll_fn_view *f, uint32_t e, uint32_t kinds)
{
    return next_marked(f->fn, f->df.reached, e, kinds);
}

uint32_t ll_fn_prev_on_lock(const struct ll_fn_view *f, uint32_t e, uint32_t kinds, uint32_t l)
{
    for (uint32_t p = e; p-- > 0;) {
        const struct ll_event *pe = &f->fn->events[p];
        if (((kinds >> pe->kind) & 1) && f->df.reached[p] &&
            ll_df_lock_index(&f->df, pe->obj.key) == (int)l)
            return p;
    }
    return UINT32_MAX;
}

/* ---- locks ---------------------------------------------------------- */

uint32_t ll_fn_nlocks(const struct ll_fn_view *f)
{
    return f->df.nlocks;
}

struct ll_lock_info ll_fn_lock(const struct ll_fn_view *f, uint32_t l)
{
    const struct ll_df_lock *k = &f->df.locks[l];
    struct ll_lock_info i = {k->text, k->cls, k->path, k->kind, k->caller_held};
    return i;
}

int ll_fn_lock_of(const struct ll_fn_view *f, const struct ll_path *p)
{
    return ll_df_lock_index(&f->df, p->key);
}

static struct ll_lock_state lock_state(uint8_t st)
{
    struct ll_lock_state s = {(st & LL_LS_HELD) != 0, (st & (LL_LS_FREE | LL_LS_NEVER)) != 0,
                              (st & LL_LS_ENTRY) != 0, (st & LL_LS_SHARED) != 0};
    return s;
}

struct ll_lock_state ll_fn_lock_at(const struct ll_fn_view *f, uint32_t e, uint32_t l)
{
    return lock_state(ll_df_state(&f->df, e, l));
}

struct ll_lock_state ll_fn_lock_at_returns(const struct ll_fn_view *f, uint32_t l)
{
    uint8_t all = 0;
    for (uint32_t e = 0; e < f->fn->nevents; e++)
        if (f->fn->events[e].kind == LL_EV_RETURN && f->df.reached[e])
            all |= ll_df_state(&f->df, e, l);
    return lock_state(all);
}

bool ll_fn_acquired_where(const struct ll_fn_view *f, uint32_t e, uint32_t l,
                          struct ll_acquisition *out)
{
    const char *key = f->df.locks[l].key;
    memset(out, 0, sizeof(*out));
    out->text = f->df.locks[l].text;
    for (uint32_t p = e; p-- > 0;) {
        const struct ll_event *pe = &f->fn->events[p];
        if (!f->df.reached[p])
            continue;
        if (ll_event_acquires(pe) && pe->obj.key && strcmp(pe->obj.key, key) == 0) {
            out->site = ll_view_site(f, pe->loc, NULL);
            return true;
        }
        const struct ll_call_info *ci = f->calls ? f->calls[p] : NULL;
        for (size_t k = 0; ci && k < ci->neffects; k++) {
            const struct ll_effect *x = &ci->effects[k];
            if (!ll_effect_acquires(x) || strcmp(x->lock.key, key) != 0)
                continue;
            out->site = ll_view_site(f, pe->loc, NULL);
            out->wrapper = pe->api ? pe->api : "?";
            out->effect = x;
            return true;
        }
    }
    return false;
}

/* ---- calls ---------------------------------------------------------- */

const struct ll_call_info *ll_fn_call(const struct ll_fn_view *f, uint32_t e)
{
    return f->calls ? f->calls[e] : NULL;
}

const struct ll_fn_view *ll_view_callee(const struct ll_view *v, const struct ll_fn_view *f,
                                        uint32_t e)
{
    long k = ll_program_callee(&v->program, f->index, e);
    return k < 0 ? NULL : &v->fns[k];
}

/* ---- threads -------------------------------------------------------- */

uint32_t ll_fn_nthreads(const struct ll_fn_view *f)
{
    return f->tf.nthreads;
}

struct ll_thread ll_fn_thread(const struct ll_fn_view *f, uint32_t t)
{
    const struct ll_tf_thread *th = &f->tf.threads[t];
    struct ll_thread x = {th->event, th->handle, th->by_class, th->local, th->detached};
    return x;
}

bool ll_fn_thread_reached(const struct ll_fn_view *f, uint32_t e)
{
    return f->tf.reached && f->tf.reached[e];
}

static struct ll_thread_state thread_state(uint8_t st)
{
    struct ll_thread_state s = {(st & LL_TS_NONE) != 0,    (st & LL_TS_RUNNING) != 0,
                                (st & LL_TS_JOINED) != 0,  (st & LL_TS_DETACHED) != 0,
                                (st & LL_TS_ESCAPED) != 0, (st & LL_TS_CANCELLED) != 0};
    return s;
}

struct ll_thread_state ll_fn_thread_at(const struct ll_fn_view *f, uint32_t e, uint32_t t)
{
    return thread_state(ll_tf_state(&f->tf, e, t));
}

bool ll_fn_names_thread(const struct ll_fn_view *f, uint32_t t, const struct ll_path *p)
{
    return ll_tf_names_thread(&f->tf.threads[t], p);
}

uint32_t ll_fn_next_thread_reached(const struct ll_fn_view *f, uint32_t e, uint32_t kinds)
{
    return next_marked(f->fn, f->tf.reached, e, kinds);
}

bool ll_view_class_joined(const struct ll_view *v, const char *cls)
{
    return ll_strmap_get(&v->threads.joined, cls) != (size_t)-1;
}

bool ll_view_class_posted(const struct ll_view *v, const char *cls)
{
    return ll_strmap_get(&v->threads.posted, cls) != (size_t)-1;
}

/* ---- loops ---------------------------------------------------------- */

uint32_t ll_fn_nloops(const struct ll_fn_view *f)
{
    return f->tf.nloops;
}

const struct ll_loop *ll_fn_loop(const struct ll_fn_view *f, uint32_t k)
{
    return &f->tf.loops[k];
}

uint32_t ll_loop_head(const struct ll_loop *l)
{
    return l->head;
}

bool ll_loop_has_block(const struct ll_loop *l, uint32_t b)
{
    return l->body[b] != 0;
}

bool ll_fn_thread_outlives_iteration(const struct ll_fn_view *f, const struct ll_loop *l,
                                     uint32_t t)
{
    bool alive = false;
    for (uint32_t i = 0; i < l->nlatches; i++)
        alive |= (ll_tf_out(&f->tf, l->latches[i], t) & LL_TS_ALIVE) != 0;
    return alive;
}

uint32_t ll_fn_block_of(const struct ll_fn_view *f, uint32_t e)
{
    return ll_tf_block_of(f->fn, e);
}

bool ll_fn_block_reaches(const struct ll_fn_view *f, uint32_t from, uint32_t to, uint32_t avoid,
                         uint8_t *seen, uint32_t *stack)
{
    return ll_tf_reaches(f->fn, from, to, avoid, seen, stack);
}

/* ---- acquisition counts of recursive locks ----------------------------- */

/* The counts in m after one acquisition (+1) or release (-1) of the lock;
 * bit 7 stands for 7 or more, and a release at 0 stays at 0. */
static uint8_t depth_step(uint8_t m, int d)
{
    if (d > 0)
        return (uint8_t)((m << 1) | (m & 0x80));
    return (uint8_t)((m >> 1) | (m & 1) | (m & 0x80));
}

/* The counts after event x of f for lock l. */
static uint8_t depth_event(const struct ll_fn_view *f, uint32_t x, uint32_t l, uint8_t m)
{
    const struct ll_event *ev = &f->fn->events[x];
    if ((ev->kind != LL_EV_ACQUIRE && ev->kind != LL_EV_TRYACQUIRE && ev->kind != LL_EV_RELEASE) ||
        ll_fn_lock_of(f, &ev->obj) != (int)l)
        return m;
    if (ev->kind == LL_EV_RELEASE)
        return depth_step(m, -1);
    /* a trylock may fail: both counts go on */
    return ev->kind == LL_EV_TRYACQUIRE ? (uint8_t)(m | depth_step(m, 1)) : depth_step(m, 1);
}

/* The counts lock l may have before event e of f, over the paths reaching
 * it (bit k: k acquisitions not yet released); 0 when not followed. */
static uint8_t lock_depth_at(const struct ll_fn_view *f, uint32_t e, uint32_t l)
{
    const struct ll_function *fn = f->fn;
    if (e >= fn->nevents || !ll_fn_reached(f, e) || fn->nblocks == 0)
        return 0;
    for (uint32_t x = 0; x < fn->nevents; x++) {
        const struct ll_call_info *ci = ll_fn_call(f, x);
        for (size_t k = 0; ci && k < ci->neffects; k++)
            if (ci->effects[k].op != LL_EFF_RECURSIVE &&
                ll_fn_lock_of(f, &ci->effects[k].lock) == (int)l)
                return 0; /* taken or released in a callee: not counted */
    }
    uint8_t *in = calloc(fn->nblocks, 1);
    if (!in)
        return 0;
    in[0] = 1;
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t b = 0; b < fn->nblocks; b++) {
            const struct ll_block *bl = &fn->blocks[b];
            uint8_t m = in[b];
            if (!m)
                continue;
            for (uint32_t x = bl->first_event; x < bl->first_event + bl->nevents; x++)
                m = depth_event(f, x, l, m);
            for (uint32_t s = 0; s < bl->nsucc; s++)
                if ((in[bl->succ[s]] | m) != in[bl->succ[s]]) {
                    in[bl->succ[s]] |= m;
                    changed = true;
                }
        }
    }
    uint32_t b = ll_fn_block_of(f, e);
    uint8_t m = b < fn->nblocks ? in[b] : 0;
    for (uint32_t x = b < fn->nblocks ? fn->blocks[b].first_event : e; x < e; x++)
        m = depth_event(f, x, l, m);
    free(in);
    return m;
}

bool ll_fn_lock_count_held(const struct ll_fn_view *f, uint32_t e, uint32_t l)
{
    uint8_t m = lock_depth_at(f, e, l);
    return m != 0 && !(m & 1);
}

/* ---- roots ---------------------------------------------------------- */
const char *ll_view_root_name(const struct ll_view *v, uint32_t fn)
{
    uint32_t r = ll_bitset_next(&v->cg.reach[(size_t)fn * v->cg.root_words], v->cg.root_words, 0);
    return r == UINT32_MAX ? NULL : v->fns[v->cg.roots[r].fn].fn->name;
}

/* Over the set's members, not every root of the program. */
uint32_t ll_view_count_roots(const struct ll_view *v, const uint64_t *roots, bool *multi)
{
    uint32_t n = 0, w = v->cg.root_words;
    *multi = false;
    for (uint32_t r = ll_bitset_next(roots, w, 0); r != UINT32_MAX;
         r = ll_bitset_next(roots, w, r + 1)) {
        n++;
        if (v->cg.roots[r].multi_instance)
            *multi = true;
    }
    return n;
}

const char *ll_view_root_fn_name(const struct ll_view *v, uint32_t r)
{
    return v->fns[v->cg.roots[r].fn].fn->name;
}

bool ll_view_root_multi(const struct ll_view *v, uint32_t r)
{
    return v->cg.roots[r].multi_instance;
}

bool ll_view_root_unreached(const struct ll_view *v, uint32_t r)
{
    return ll_mhp_unreached(&v->mhp, r);
}

bool ll_view_root_assumed(const struct ll_view *v, uint32_t r)
{
    return v->program.entries_assumed && v->program.fns[v->cg.roots[r].fn].entry_caller;
}

/* The generations of a library's own threads followed from its entry
 * points: a thread its threads start, and so on. */
#define LIB_GENERATIONS 3

/* One generation: root r joins `started` when every function that may
 * start it is reached only by started roots (or r itself).  `ok` and
 * `seen` are per-root scratch.  Linear in the creations and reaches. */
static void next_generation(const struct ll_view *v, uint8_t *started, uint8_t *ok, uint8_t *seen)
{
    uint32_t n = v->cg.nroots, words = v->cg.root_words;
    memset(ok, 1, n);
    memset(seen, 0, n);
    for (size_t f = 0; f < v->nfns; f++) {
        const uint64_t *creates = v->mhp.creates[f];
        if (!creates || !ll_bitset_any(creates, words))
            continue;
        const uint64_t *reach = ll_view_fn_roots(v, (uint32_t)f);
        uint32_t outside = 0, last = 0; /* reaching roots not started yet */
        for (uint32_t x = ll_bitset_next(reach, words, 0); x < n;
             x = ll_bitset_next(reach, words, x + 1))
            if (!started[x]) {
                outside++;
                last = x;
            }
        for (uint32_t r = ll_bitset_next(creates, words, 0); r < n;
             r = ll_bitset_next(creates, words, r + 1)) {
            seen[r] = 1;
            if (outside > 1 || (outside == 1 && last != r))
                ok[r] = 0;
        }
    }
    for (uint32_t r = 0; r < n; r++)
        started[r] = started[r] || (seen[r] && ok[r]);
}

int ll_view_mark_library_started(struct ll_view *v)
{
    uint32_t n = v->cg.nroots;
    v->lib_started = NULL;
    if (!v->program.entries_assumed || n == 0 || !v->mhp.creates)
        return 0;
    uint8_t *started = ll_arena_alloc(&v->arena, n);
    uint8_t *ok = ll_arena_alloc(&v->scratch, n), *seen = ll_arena_alloc(&v->scratch, n);
    if (!started || !ok || !seen)
        return -1;
    for (uint32_t r = 0; r < n; r++)
        started[r] = ll_view_root_assumed(v, r);
    for (int g = 0; g < LIB_GENERATIONS; g++)
        next_generation(v, started, ok, seen);
    v->lib_started = started;
    return 0;
}

bool ll_view_root_library_started(const struct ll_view *v, uint32_t r)
{
    return v->lib_started && r < v->cg.nroots && !ll_view_root_assumed(v, r) && v->lib_started[r];
}

uint32_t ll_view_root_words(const struct ll_view *v)
{
    return v->cg.root_words;
}

bool ll_view_roots_parallel(const struct ll_view *v, uint32_t x, uint32_t y)
{
    return ll_mhp_parallel(&v->mhp, x, y);
}

long ll_view_root_of(const struct ll_view *v, uint32_t fn)
{
    return fn < v->nfns ? v->mhp.root_of[fn] : -1;
}

uint32_t ll_view_root_fn(const struct ll_view *v, uint32_t r)
{
    return v->cg.roots[r].fn;
}

long ll_view_root_parent(const struct ll_view *v, uint32_t r)
{
    return r < v->mhp.nroots ? v->mhp.parent[r] : -1;
}

const uint64_t *ll_view_fn_roots(const struct ll_view *v, uint32_t fn)
{
    return &v->cg.reach[(size_t)fn * v->cg.root_words];
}

bool *ll_view_address_taken(const struct ll_view *v)
{
    bool *taken = calloc(v->nfns + 1, sizeof(*taken));
    const struct ll_tu_facts *last = NULL;
    for (size_t i = 0; taken && i < v->nfns; i++) {
        const struct ll_tu_facts *tu = v->fns[i].tu;
        if (tu == last)
            continue;
        last = tu;
        for (uint32_t k = 0; k < tu->nfnrefs; k++) {
            long f = ll_program_find(&v->program, tu->fnrefs[k].usr);
            if (f >= 0)
                taken[f] = true;
        }
    }
    return taken;
}

bool ll_fn_recursive(const struct ll_view *v, const struct ll_fn_view *f)
{
    return v->cg.recursive[f->index];
}

/* ---- the lock-order graph ------------------------------------------- */

const struct ll_lockgraph *ll_view_lockgraph(const struct ll_view *v)
{
    return &v->graph;
}

const struct ll_lg_cycle *ll_view_cycles(const struct ll_view *v, size_t *n)
{
    *n = v->ncycles;
    return v->cycles;
}

const struct ll_order_decl *ll_view_order(const struct ll_view *v, size_t *n)
{
    *n = v->norder;
    return v->order;
}

/* ---- shared accesses ------------------------------------------------ */

const struct ll_race_access *ll_view_accesses(const struct ll_view *v, size_t *n)
{
    *n = v->race.n;
    return v->race.acc;
}

/* ---- condition waits and lock lifecycles ---------------------------- */

struct wait_ctx {
    const struct ll_view *v;
    const struct ll_fn_view *f;
};

/* A wait event, or a call to a wrapper that waits on every path. */
static bool is_wait(void *ctx, uint32_t x)
{
    const struct wait_ctx *w = ctx;
    if (w->f->fn->events[x].kind == LL_EV_COND_WAIT)
        return true;
    const struct ll_call_info *ci = ll_fn_call(w->f, x);
    if (!ci || ci->callee < 0)
        return false;
    const struct ll_summary *s = &w->v->fns[ci->callee].summary;
    return s->waits_on_param && !s->wait_conditional;
}

/* A call to a release wrapper (every effect of it releases a lock). */
static bool is_quiet(void *ctx, uint32_t x)
{
    const struct wait_ctx *w = ctx;
    const struct ll_call_info *ci = ll_fn_call(w->f, x);
    if (!ci || ci->callee < 0 || ci->neffects == 0 || ci->ntakes > 0)
        return false;
    for (size_t k = 0; k < ci->neffects; k++)
        if (!ll_effect_releases(&ci->effects[k]))
            return false;
    return true;
}

bool ll_fn_wait_rechecked(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e)
{
    struct wait_ctx w = {v, f};
    const struct ll_call_info *ci = ll_fn_call(f, e);
    bool may_skip = ci && ci->callee >= 0 && v->fns[ci->callee].summary.wait_conditional;
    struct ll_wait_oracle o = {is_wait, is_quiet, &w};
    return ll_wait_rechecked(f->fn, e, may_skip, &o);
}

const struct ll_path *ll_event_lock(const struct ll_event *ev)
{
    return ll_lockuse_lock(ev);
}

struct uses_ctx {
    const struct ll_fn_view *f;
    void (*visit)(void *ctx, uint32_t x);
    void *ctx;
};

static bool stop_at_call(void *ctx, uint32_t x)
{
    return ll_fn_call(((struct uses_ctx *)ctx)->f, x) != NULL;
}

static void visit_use(void *ctx, uint32_t x)
{
    struct uses_ctx *u = ctx;
    u->visit(u->ctx, x);
}

int ll_fn_next_lock_uses(const struct ll_fn_view *f, uint32_t e,
                         void (*visit)(void *ctx, uint32_t x), void *ctx)
{
    const struct ll_path *lk = ll_lockuse_lock(&f->fn->events[e]);
    if (!lk || !lk->key)
        return 0;
    struct uses_ctx u = {f, visit, ctx};
    return ll_lockuse_next(f->fn, e, lk->key, stop_at_call, visit_use, &u);
}

struct key_uses {
    const struct ll_fn_view *f;
    const char *key, *var; /* the lock, and the variable its path starts at */
    void (*visit)(void *ctx, uint32_t x);
    void *ctx;
};

static bool names_key(const struct ll_path *p, const struct key_uses *u)
{
    return p->key && strcmp(p->key, u->key) == 0;
}

/* A call of a program function given the lock's variable ends the path
 * (the callee may set the lock up); it is a use when the callee acquires
 * or releases the lock. */
static bool call_uses_key(void *ctx, uint32_t x)
{
    struct key_uses *u = ctx;
    const struct ll_event *ev = &u->f->fn->events[x];
    bool given = false;
    for (uint32_t i = 0; ev->kind == LL_EV_CALL && i < ev->nargs && !given; i++)
        given = ev->args[i].key && ev->args[i].root != LL_ROOT_NONE &&
                ll_lockuse_names_var(ev->args[i].key, u->var);
    const struct ll_call_info *ci = given ? ll_fn_call(u->f, x) : NULL;
    if (!ci)
        return false; /* not given it, or a library function (memcpy, printf) */
    bool use = false;
    for (size_t i = 0; i < ci->neffects && !use; i++)
        use = ci->effects[i].op != LL_EFF_RECURSIVE && names_key(&ci->effects[i].lock, u);
    for (size_t i = 0; i < ci->ntakes && !use; i++)
        use = names_key(&ci->takes[i].lock, u);
    if (use)
        u->visit(u->ctx, x);
    return true;
}

static void key_use(void *ctx, uint32_t x)
{
    struct key_uses *u = ctx;
    u->visit(u->ctx, x);
}

int ll_fn_next_uses_of(const struct ll_fn_view *f, uint32_t e, const char *key,
                       void (*visit)(void *ctx, uint32_t x), void *ctx)
{
    if (!key)
        return 0;
    char var[128];
    size_t n = 0;
    while (key[n] && n + 1 < sizeof(var) && (key[n] == '_' || isalnum((unsigned char)key[n])))
        n++;
    memcpy(var, key, n);
    var[n] = '\0';
    struct key_uses u = {f, key, var, visit, ctx};
    return ll_lockuse_next(f->fn, e, key, call_uses_key, key_use, &u);
}

int ll_fn_next_copy_uses(const struct ll_fn_view *f, uint32_t e,
                         void (*visit)(void *ctx, uint32_t x), void *ctx)
{
    const struct ll_event *ev = &f->fn->events[e];
    if (ev->kind != LL_EV_LOCK_COPY)
        return 0;
    return ll_fn_next_uses_of(f, e, ev->obj.key, visit, ctx);
}

bool ll_event_allocates(const struct ll_event *ev)
{
    return ev->kind == LL_EV_CALL && !(ev->flags & LL_EVF_INDIRECT) && ev->result_var &&
           ll_fresh_allocator(ev->api);
}

/* ---- thread effects through calls ------------------------------------ */

const struct ll_thread_summary *ll_fn_thread_summary(const struct ll_view *v,
                                                     const struct ll_fn_view *f)
{
    return &v->tsum[f->index];
}

bool ll_view_call_spawns(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                         const struct ll_fn_view **creator, uint32_t *creation)
{
    if (f->fn->events[e].kind != LL_EV_CALL || !v->threads.spawn_fn)
        return false;
    long k = ll_program_callee(&v->program, f->index, e);
    if (k < 0 || v->threads.spawn_fn[k] < 0)
        return false;
    if (creator)
        *creator = &v->fns[v->threads.spawn_fn[k]];
    if (creation)
        *creation = v->threads.spawn_ev[k];
    return true;
}

bool ll_view_event_joins(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e)
{
    const struct ll_event *ev = &f->fn->events[e];
    if (ev->kind == LL_EV_JOIN)
        return true;
    if (ev->kind != LL_EV_CALL)
        return false;
    long k = ll_program_callee(&v->program, f->index, e);
    return k >= 0 && v->threads.joins_any && v->threads.joins_any[k];
}
