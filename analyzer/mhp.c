/*
 * mhp: the may-happen-in-parallel relation of the program's threads
 * (mhp.h says what it is).  Passes over the view: the roots each function
 * may start (transitively); the handle classes every creation of a root
 * fills; per event, the roots a function has left running; top-down over
 * the call graph, what its callers have running at its calls; each root's
 * parent; and the relation itself, pair by pair.
 */
#include "mhp.h"

#include "view_internal.h"

#include "bitset.h"
#include "donewait.h"
#include "join_params.h"
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#define MHP_ROUNDS 12
#define MHP_MAX_CHAIN 64

struct mctx {
    const struct ll_view *v;
    struct ll_arena *a;
    long *root_of;
    uint64_t **creates, **running, **joined, **leaves, **ends;
    bool *active; /* per function: leaves or ends some root */
    const char ***handles;
    struct ll_join_params jp; /* joins of a handle given as a parameter */
    struct ll_donewait dw;    /* waits for a thread's done flag */
};

#define MHP_JOIN_CLASSES 8

/* Event e of function i joins some handle: a join, a call that joins
 * the handle it passes (join_params.h), or the end of a wait for a
 * thread's done flag (donewait.h). */
static bool joins_at(const struct mctx *c, uint32_t i, uint32_t e)
{
    const char *cls[1];
    return c->v->fns[i].fn->events[e].kind == LL_EV_JOIN ||
           ll_join_classes_at(&c->jp, c->v, i, e, cls, 1) > 0 || ll_donewait_at(&c->dw, i, e);
}

/* The first wait of function i for root r's done flag after event
 * `after` (UINT32_MAX: any), when r's thread starts no other: a done flag
 * says nothing of the threads it left running. */
static uint32_t done_wait(const struct mctx *c, uint32_t i, long r, uint32_t after)
{
    if (r < 0 || ll_bitset_any(c->creates[c->v->cg.roots[r].fn], c->v->cg.root_words))
        return UINT32_MAX;
    return ll_donewait_first(&c->dw, i, (uint32_t)r, after);
}

static uint32_t min_at(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

/* ---- threads running ------------------------------------------------ */

/* The roots a thread creation starts: its start routine and every root
 * that one starts in turn. */
static void started(struct mctx *c, const struct ll_event *ev, uint64_t *out)
{
    long k = ll_program_find(&c->v->program, ev->callee);
    if (k < 0 || c->root_of[k] < 0)
        return;
    ll_bitset_set(out, (uint32_t)c->root_of[k]);
    ll_bitset_or(out, c->creates[k], c->v->cg.root_words);
}

/* The first join of a handle class in a function, of a handle that is not
 * one constant element (`t[0]`): index of the event, or UINT32_MAX (never
 * joined, or no class).  A call that joins the handles it passes
 * (`join_thread(u)`) joins their classes there. */
struct first_joins {
    struct ll_strmap at; /* class -> index into the function's events */
};

static int first_joins_build(const struct mctx *c, struct first_joins *fj, uint32_t i)
{
    const struct ll_function *fn = c->v->fns[i].fn;
    ll_strmap_init(&fj->at);
    for (uint32_t j = 0; j < fn->nevents; j++) {
        const char *cls[MHP_JOIN_CLASSES];
        size_t n = ll_join_classes_at(&c->jp, c->v, i, j, cls, MHP_JOIN_CLASSES);
        for (size_t k = 0; k < n; k++)
            if (ll_strmap_put(&fj->at, cls[k], j) < 0)
                return -1;
    }
    return 0;
}

static uint32_t first_join(const struct first_joins *fj, const char *cls)
{
    size_t j = cls ? ll_strmap_get(&fj->at, cls) : (size_t)-1;
    return j == (size_t)-1 ? UINT32_MAX : (uint32_t)j;
}

struct ends_at {
    uint32_t at; /* the join event from which on it is ended */
    uint32_t id; /* an event index (a creation) or a root */
};

static int by_at(const void *pa, const void *pb)
{
    const struct ends_at *a = pa, *b = pb;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* What each join of fn ends, as (join event, what) pairs sorted by event:
 * a start routine created in fn ends at the first join by which every one
 * of its creations in fn (none detached) fills a handle of a joined class
 * (`id` is its first creation); a root created anywhere (a
 * start_workers() helper) whose every creation fills a handle class fn
 * has joined (a join_workers() helper) ends at the join of its last
 * class (`id` is the root, offset by fn->nevents).  A join ends what
 * every handle class is joined by, so each thing ends at the latest of
 * its classes' first joins: one pass over the creations and the roots'
 * handles instead of rescanning every creation and join at every join,
 * which was cubic in the creations of a main() that starts and joins
 * hundreds of threads. */
static int join_ends(struct mctx *c, uint32_t i, struct ends_at **out, size_t *nout)
{
    const struct ll_view *v = c->v;
    const struct ll_function *fn = v->fns[i].fn;
    struct first_joins fj;
    struct ll_strmap group; /* start routine's USR -> index into ends */
    ll_strmap_init(&group);
    struct ends_at *ends = calloc((size_t)fn->nevents + v->cg.nroots + 1, sizeof(*ends));
    size_t n = 0;
    int rc = -1;
    if (!ends || first_joins_build(c, &fj, i) != 0)
        goto out;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind != LL_EV_THREAD_CREATE || !ev->callee)
            continue;
        uint32_t at = (ev->flags & LL_EVF_DETACHED) ? UINT32_MAX : first_join(&fj, ev->obj.cls);
        /* `join(t[0])` joins one element: it ends a creation into t[0]
         * (the first join of the class counts only for the others) */
        bool one = !(ev->flags & LL_EVF_DETACHED) && ll_handle_one_element(ev->obj.key);
        for (uint32_t j = e + 1; one && j < at && j < fn->nevents; j++)
            if (fn->events[j].kind == LL_EV_JOIN && fn->events[j].obj.key &&
                strcmp(fn->events[j].obj.key, ev->obj.key) == 0)
                at = j;
        long k = ll_program_find(&v->program, ev->callee);
        at = min_at(at, done_wait(c, i, k < 0 ? -1 : c->root_of[k], e));
        size_t g = ll_strmap_get(&group, ev->callee);
        if (g == (size_t)-1) {
            if (ll_strmap_put(&group, ev->callee, n) < 0)
                goto out;
            ends[n].at = at;
            ends[n++].id = e;
        } else if (at > ends[g].at) {
            ends[g].at = at;
        }
    }
    for (uint32_t r = 0; r < v->cg.nroots; r++) {
        const char **h = c->handles[r];
        uint32_t at = h && h[0] ? 0 : UINT32_MAX;
        for (; h && *h && at != UINT32_MAX; h++) {
            uint32_t j = first_join(&fj, *h);
            at = j > at ? j : at;
        }
        at = min_at(at, done_wait(c, i, r, UINT32_MAX));
        if (at == UINT32_MAX)
            continue;
        ends[n].at = at;
        ends[n++].id = fn->nevents + r;
    }
    size_t k = 0;
    for (size_t x = 0; x < n; x++)
        if (ends[x].at != UINT32_MAX)
            ends[k++] = ends[x];
    if (k)
        qsort(ends, k, sizeof(*ends), by_at);
    *out = ends;
    *nout = k;
    ends = NULL;
    rc = 0;
out:
    ll_strmap_release(&fj.at);
    ll_strmap_release(&group);
    free(ends);
    return rc;
}

/* Adds to out what ends[*next..] ending at join event `join` ends, and
 * what those roots started. */
static void joined(struct mctx *c, const struct ll_function *fn, const struct ends_at *ends,
                   size_t nends, size_t *next, uint32_t join, uint64_t *out)
{
    const struct ll_view *v = c->v;
    for (; *next < nends && ends[*next].at <= join; ++*next) {
        uint32_t id = ends[*next].id;
        if (id < fn->nevents) {
            started(c, &fn->events[id], out);
        } else {
            uint32_t r = id - fn->nevents;
            ll_bitset_set(out, r);
            ll_bitset_or(out, c->creates[v->cg.roots[r].fn], v->cg.root_words);
        }
    }
}

/* creates[f]: every root f may start, directly, through callees, or
 * through the threads it starts.  Root sets are only touched at
 * creations and at calls of functions that start something (`some`),
 * so a round costs the program's events plus those sets, not every event
 * times the root words: with many roots (a link of thousands of TUs) the
 * latter grew with the square of the program. */
static int transitive_creates(struct mctx *c)
{
    const struct ll_view *v = c->v;
    uint32_t w = v->cg.root_words;
    uint64_t *tmp = calloc(w, sizeof(uint64_t));
    bool *some = calloc(v->nfns + 1, sizeof(bool));
    if (!tmp || !some) {
        free(tmp);
        free(some);
        return -1;
    }
    for (int round = 0; round < MHP_ROUNDS; round++) {
        bool changed = false;
        for (uint32_t i = 0; i < v->nfns; i++) {
            const struct ll_fn_view *f = &v->fns[i];
            for (uint32_t e = 0; e < f->fn->nevents; e++) {
                const struct ll_event *ev = &f->fn->events[e];
                bool grew = false;
                if (ev->kind == LL_EV_THREAD_CREATE) {
                    memset(tmp, 0, w * sizeof(uint64_t));
                    started(c, ev, tmp);
                    grew = ll_bitset_or_changed(c->creates[i], tmp, w);
                } else if (f->calls && f->calls[e] && some[f->calls[e]->callee]) {
                    grew = ll_bitset_or_changed(c->creates[i], c->creates[f->calls[e]->callee], w);
                }
                if (grew)
                    changed = some[i] = true;
            }
        }
        if (!changed)
            break;
    }
    free(tmp);
    free(some);
    return 0;
}

/* Adds cls to the NULL-terminated set *h (grown in the arena). */
static int add_handle(struct ll_arena *a, const char ***h, const char *cls)
{
    size_t n = 0;
    for (; *h && (*h)[n]; n++)
        if (strcmp((*h)[n], cls) == 0)
            return 0;
    const char **g = ll_arena_alloc(a, (n + 2) * sizeof(*g));
    if (!g)
        return -1;
    if (n)
        memcpy(g, *h, n * sizeof(*g));
    g[n] = cls;
    *h = g;
    return 0;
}

/* handles[r]: the classes of the handles every creation of root r fills. */
static int collect_handles(struct mctx *c)
{
    const struct ll_view *v = c->v;
    bool *unknown = calloc(v->cg.nroots + 1, sizeof(bool));
    c->handles = ll_arena_alloc(c->a, (v->cg.nroots + 1) * sizeof(*c->handles));
    if (!unknown || !c->handles) {
        free(unknown);
        return -1;
    }
    int rc = 0;
    for (uint32_t i = 0; i < v->nfns && rc == 0; i++)
        for (uint32_t e = 0; e < v->fns[i].fn->nevents && rc == 0; e++) {
            const struct ll_event *ev = &v->fns[i].fn->events[e];
            long k = ev->kind == LL_EV_THREAD_CREATE ? ll_program_callee(&v->program, i, e) : -1;
            if (k < 0 || c->root_of[k] < 0)
                continue;
            long r = c->root_of[k];
            if ((ev->flags & LL_EVF_DETACHED) || !ev->obj.cls)
                unknown[r] = true;
            else
                rc = add_handle(c->a, &c->handles[r], ev->obj.cls);
        }
    for (uint32_t r = 0; r < v->cg.nroots; r++)
        if (unknown[r])
            c->handles[r] = NULL;
    free(unknown);
    return rc;
}

/* After a call: what the callee leaves running starts, what it joins
 * (a join_workers() helper) ends -- on this path only, so that a clean-up
 * call on an error path ends nothing on the others. */
static void call_effect(struct mctx *c, uint32_t caller, long callee, uint64_t *s)
{
    uint32_t w = c->v->cg.root_words;
    ll_bitset_or(s, c->leaves[callee], w);
    ll_bitset_andnot(s, c->ends[callee], w);
    ll_bitset_or(c->ends[caller], c->ends[callee], w);
}

/* running[f][e]: the roots that may be running at event e, of those f
 * started itself (or its callees left running); leaves[f] at its exit.
 * Creations, calls and joins are followed along the CFG; a join also
 * counts from the next event in evaluation order on, so that joining in a
 * loop after creating in one is understood without knowing the loops run. */
static int running_flow(struct mctx *c, uint32_t i)
{
    const struct ll_fn_view *f = &c->v->fns[i];
    const struct ll_function *fn = f->fn;
    uint32_t w = c->v->cg.root_words;
    size_t nev = (size_t)fn->nevents + 1;
    /* A function that creates and joins nothing, and calls nothing that
     * leaves a thread running or joins one, has nothing running at any
     * event: most functions.  Skipping them keeps this pass (and its
     * memory, a root set per event) proportional to the functions that
     * take part in thread lifetimes, not all events times all roots. */
    bool plain = true;
    for (uint32_t e = 0; e < fn->nevents && plain; e++)
        plain = fn->events[e].kind != LL_EV_THREAD_CREATE && !joins_at(c, i, e) &&
                !(f->calls && f->calls[e] && c->active[f->calls[e]->callee]);
    if (plain) {
        c->running[i] = NULL;
        return 0;
    }
    bool joins = false;
    for (uint32_t e = 0; e < fn->nevents && !joins; e++)
        joins = joins_at(c, i, e);
    uint64_t *in = calloc(((size_t)fn->nblocks + 1) * w, sizeof(uint64_t));
    uint64_t *s = calloc(w, sizeof(uint64_t));
    /* joined before event e: kept (ll_mhp_running_at()) when fn joins */
    uint64_t *kill = joins ? ll_arena_alloc(c->a, nev * w * sizeof(uint64_t))
                           : calloc(nev * w, sizeof(uint64_t));
    c->running[i] = ll_arena_alloc(c->a, nev * w * sizeof(uint64_t));
    int rc = -1;
    struct ends_at *ends = NULL;
    size_t nends = 0, next = 0;
    if (!in || !s || !kill || !c->running[i])
        goto out;
    if (joins && join_ends(c, i, &ends, &nends) != 0)
        goto out;
    for (uint32_t e = 1; e < nev; e++) {
        uint64_t *k = &kill[(size_t)e * w];
        memcpy(k, &kill[(size_t)(e - 1) * w], w * sizeof(uint64_t));
        if (joins && joins_at(c, i, e - 1))
            joined(c, fn, ends, nends, &next, e - 1, k);
    }
    ll_bitset_or(c->ends[i], &kill[(nev - 1) * w], w);
    bool changed = true;
    while (changed) {
        changed = false;
        for (uint32_t b = 0; b < fn->nblocks; b++) {
            const struct ll_block *bl = &fn->blocks[b];
            memcpy(s, &in[(size_t)b * w], w * sizeof(uint64_t));
            for (uint32_t e = bl->first_event; e < bl->first_event + bl->nevents; e++) {
                const struct ll_event *ev = &fn->events[e];
                ll_bitset_or(&c->running[i][(size_t)e * w], s, w);
                if (ev->kind == LL_EV_THREAD_CREATE)
                    started(c, ev, s);
                else if (f->calls && f->calls[e])
                    call_effect(c, i, f->calls[e]->callee, s);
                if (joins && joins_at(c, i, e)) /* on this path too: create; join; loop */
                    ll_bitset_andnot(s, &kill[(size_t)(e + 1) * w], w);
            }
            if (b == fn->exit)
                ll_bitset_or(c->leaves[i], s, w);
            for (uint32_t k = 0; k < bl->nsucc; k++)
                changed |= ll_bitset_or_changed(&in[(size_t)bl->succ[k] * w], s, w);
        }
    }
    for (size_t e = 0; e < nev; e++)
        ll_bitset_andnot(&c->running[i][e * w], &kill[e * w], w);
    c->joined[i] = joins ? kill : NULL;
    ll_bitset_andnot(c->leaves[i], &kill[(nev - 1) * w], w);
    c->active[i] = ll_bitset_any(c->leaves[i], w) || ll_bitset_any(c->ends[i], w);
    rc = 0;
out:
    free(in);
    free(s);
    if (!joins)
        free(kill);
    free(ends);
    return rc;
}

/* ---- what callers have running ------------------------------------- */

/* with[k]: the roots running at some call of k, from any caller, top-down
 * to a bounded fixpoint.  A start routine's own thread starts with none. */
static int callers_running(struct mctx *c, struct ll_mhp *m)
{
    const struct ll_view *v = c->v;
    uint32_t w = m->words;
    uint64_t *tmp = calloc(w, sizeof(uint64_t));
    if (!tmp)
        return -1;
    for (int round = 0; round < MHP_ROUNDS; round++) {
        bool changed = false;
        for (uint32_t o = v->cg.n; o-- > 0;) {
            uint32_t i = v->cg.order[o];
            const struct ll_fn_view *f = &v->fns[i];
            for (uint32_t e = 0; f->calls && e < f->fn->nevents; e++) {
                const struct ll_call_info *ci = f->calls[e];
                if (!ci || !f->df.reached[e] || ll_fn_is_root(&v->fns[ci->callee]))
                    continue;
                ll_mhp_running_at(m, i, e, tmp);
                changed |= ll_bitset_or_changed(m->with[ci->callee], tmp, w);
            }
        }
        if (!changed)
            break;
    }
    free(tmp);
    return 0;
}

void ll_mhp_running_at(const struct ll_mhp *m, uint32_t fn, uint32_t e, uint64_t *out)
{
    memcpy(out, m->with[fn], m->words * sizeof(uint64_t));
    if (m->joined[fn])
        ll_bitset_andnot(out, &m->joined[fn][(size_t)e * m->words], m->words);
    if (m->running[fn])
        ll_bitset_or(out, &m->running[fn][(size_t)e * m->words], m->words);
}

/* ---- parents and the relation --------------------------------------- */

struct site {
    uint32_t fn, event;
};

struct sites {
    uint32_t *start; /* per root: its creations are at[start[r] .. start[r+1]) */
    struct site *at;
};

static int collect_sites(const struct ll_view *v, const struct ll_mhp *m, struct sites *s)
{
    uint32_t nr = m->nroots;
    s->start = calloc((size_t)nr + 2, sizeof(uint32_t));
    size_t n = 0;
    for (uint32_t i = 0; i < v->nfns; i++)
        for (uint32_t e = 0; e < v->fns[i].fn->nevents; e++)
            n += v->fns[i].fn->events[e].kind == LL_EV_THREAD_CREATE;
    s->at = calloc(n + 1, sizeof(*s->at));
    if (!s->start || !s->at)
        return -1;
    for (int pass = 0; pass < 2; pass++) {
        uint32_t *fill = pass ? calloc((size_t)nr + 1, sizeof(uint32_t)) : NULL;
        if (pass && !fill)
            return -1;
        for (uint32_t i = 0; i < v->nfns; i++)
            for (uint32_t e = 0; e < v->fns[i].fn->nevents; e++) {
                if (v->fns[i].fn->events[e].kind != LL_EV_THREAD_CREATE)
                    continue;
                long k = ll_program_callee(&v->program, i, e);
                if (k < 0 || m->root_of[k] < 0)
                    continue;
                uint32_t r = (uint32_t)m->root_of[k];
                if (!pass)
                    s->start[r + 1]++;
                else
                    s->at[s->start[r] + fill[r]++] = (struct site){i, e};
            }
        if (!pass)
            for (uint32_t r = 0; r < nr; r++)
                s->start[r + 1] += s->start[r];
        free(fill);
    }
    return 0;
}

/* The one root whose thread makes every creation of r, or -1. */
static long find_parent(const struct ll_view *v, const struct sites *s, uint32_t r)
{
    long p = -1;
    if (s->start[r] == s->start[r + 1])
        return -1;
    for (uint32_t k = s->start[r]; k < s->start[r + 1]; k++) {
        const uint64_t *reach = &v->cg.reach[(size_t)s->at[k].fn * v->cg.root_words];
        long only = -1;
        for (uint32_t q = 0; q < v->cg.nroots; q++)
            if (ll_bitset_has(reach, q)) {
                if (only >= 0)
                    return -1;
                only = q;
            }
        if (only < 0 || (p >= 0 && only != p) || (uint32_t)only == r ||
            v->cg.roots[only].multi_instance)
            return -1;
        p = only;
    }
    return p;
}

/* Root r has creations, and every one lies in a function no root
 * reaches. */
static bool created_unreached(const struct ll_view *v, const struct sites *s, uint32_t r)
{
    if (s->start[r] == s->start[r + 1])
        return false;
    for (uint32_t k = s->start[r]; k < s->start[r + 1]; k++)
        if (ll_bitset_any(&v->cg.reach[(size_t)s->at[k].fn * v->cg.root_words], v->cg.root_words))
            return false;
    return true;
}

/* a is not running at any creation of b (in their parent's thread). */
static bool not_running_at_creations(const struct ll_mhp *m, const struct sites *s, uint32_t a,
                                     uint32_t b, uint64_t *tmp)
{
    for (uint32_t k = s->start[b]; k < s->start[b + 1]; k++) {
        ll_mhp_running_at(m, s->at[k].fn, s->at[k].event, tmp);
        if (ll_bitset_has(tmp, a))
            return false;
    }
    return true;
}

/* The chain r, parent(r), ... into out; returns its length. */
static uint32_t chain(const struct ll_mhp *m, uint32_t r, uint32_t *out)
{
    uint32_t n = 0;
    for (long x = r; x >= 0 && n < MHP_MAX_CHAIN; x = m->parent[x]) {
        for (uint32_t k = 0; k < n; k++)
            if (out[k] == (uint32_t)x)
                return n;
        out[n++] = (uint32_t)x;
    }
    return n;
}

static bool pair_parallel(const struct ll_view *v, const struct ll_mhp *m, const struct sites *s,
                          uint32_t x, uint32_t y, uint64_t *tmp)
{
    if (x == y && !v->cg.roots[x].multi_instance)
        return false;
    uint32_t cx[MHP_MAX_CHAIN], cy[MHP_MAX_CHAIN];
    uint32_t nx = chain(m, x, cx), ny = chain(m, y, cy);
    for (uint32_t i = 1; i < nx; i++)
        if (cx[i] == y)
            return true; /* y is x's ancestor: where it has x running */
    for (uint32_t j = 1; j < ny; j++)
        if (cy[j] == x)
            return true;
    /* the lowest common ancestor: its children on the two chains */
    for (uint32_t i = 1; i < nx; i++)
        for (uint32_t j = 1; j < ny; j++)
            if (cx[i] == cy[j]) {
                uint32_t a = cx[i - 1], b = cy[j - 1];
                return !(not_running_at_creations(m, s, a, b, tmp) &&
                         not_running_at_creations(m, s, b, a, tmp));
            }
    return true;
}

static int relation(const struct ll_view *v, struct ll_mhp *m)
{
    struct sites s = {0};
    uint32_t nr = m->nroots, w = m->words;
    uint64_t *tmp = calloc(w + 1, sizeof(uint64_t));
    m->parent = ll_arena_alloc(&m->arena, ((size_t)nr + 1) * sizeof(long));
    m->par = ll_arena_alloc(&m->arena, ((size_t)nr + 1) * w * sizeof(uint64_t));
    int rc = -1;
    if (!tmp || !m->parent || !m->par || collect_sites(v, m, &s) != 0)
        goto out;
    m->unreached = ll_arena_alloc(&m->arena, (size_t)nr + 1);
    if (!m->unreached)
        goto out;
    for (uint32_t r = 0; r < nr; r++) {
        m->parent[r] = find_parent(v, &s, r);
        m->unreached[r] = created_unreached(v, &s, r);
    }
    for (uint32_t x = 0; x < nr; x++)
        for (uint32_t y = x; y < nr; y++)
            if (pair_parallel(v, m, &s, x, y, tmp)) {
                ll_bitset_set(&m->par[(size_t)x * w], y);
                ll_bitset_set(&m->par[(size_t)y * w], x);
            }
    rc = 0;
out:
    free(tmp);
    free(s.start);
    free(s.at);
    return rc;
}

bool ll_mhp_unreached(const struct ll_mhp *m, uint32_t r)
{
    return m->unreached && r < m->nroots && m->unreached[r];
}

bool ll_mhp_parallel(const struct ll_mhp *m, uint32_t x, uint32_t y)
{
    return x < m->nroots && y < m->nroots && ll_bitset_has(&m->par[(size_t)x * m->words], y);
}

bool ll_mhp_ancestor(const struct ll_mhp *m, uint32_t x, uint32_t y)
{
    uint32_t n = 0;
    for (long r = y < m->nroots ? m->parent[y] : -1; r >= 0 && n < MHP_MAX_CHAIN;
         r = m->parent[r], n++)
        if ((uint32_t)r == x)
            return true;
    return false;
}

/* ---- joins that end every instance main can meet -------------------- */

/* main_ends (mhp.h, ll_mhp_joined_for_main()). */
static int main_join_ends(const struct ll_view *v, struct ll_mhp *m)
{
    uint32_t nr = m->nroots, w = m->words;
    m->main_ends = ll_arena_alloc(&m->arena, ((size_t)nr + 1) * w * sizeof(uint64_t));
    bool *bad = calloc((size_t)nr + 1, sizeof(bool));
    if (!m->main_ends || !bad) {
        free(bad);
        return -1;
    }
    for (uint32_t i = 0; i < v->nfns; i++)
        for (uint32_t e = 0; e < v->fns[i].fn->nevents; e++) {
            const struct ll_event *ev = &v->fns[i].fn->events[e];
            long k = ev->kind == LL_EV_THREAD_CREATE ? ll_program_callee(&v->program, i, e) : -1;
            if (k < 0 || m->root_of[k] < 0)
                continue;
            long r = m->root_of[k];
            bool global = ev->obj.root == LL_ROOT_GLOBAL || ev->obj.root == LL_ROOT_STATIC_LOCAL;
            /* a field behind a pointer (`g->pool.tid`, `g->tids[i]`) is
             * one per object the pointer may point to */
            bool per_object = !ev->obj.key || strstr(ev->obj.key, "->");
            bool element = (ev->obj.flags & LL_PATH_INDEXED) != 0;
            if (!global || per_object || (!element && v->cg.roots[r].multi_instance))
                bad[r] = true;
        }
    for (uint32_t r = 0; r < nr; r++) {
        const char **h = m->handles[r];
        long p = m->parent[r];
        if (bad[r] || !h || !h[0] || h[1] || p < 0 || !v->fns[v->cg.roots[p].fn].is_main)
            continue;
        uint64_t *row = &m->main_ends[(size_t)r * w];
        ll_bitset_set(row, r);
        ll_bitset_or(row, m->creates[v->cg.roots[r].fn], w);
    }
    free(bad);
    return 0;
}

/* main_ended[i]: per event of i, the roots ended before it for main's
 * thread -- by i's joins (joined) or by the calls before it in evaluation
 * order (ends of the callee) -- of those main_ends allows, and what they
 * started, as far as that was ended too.  NULL when none at any event. */
static int main_ended_build(const struct ll_view *v, struct ll_mhp *m)
{
    uint32_t w = m->words;
    uint64_t *acc = calloc((size_t)w + 1, sizeof(uint64_t));
    m->main_ended = ll_arena_alloc(&m->arena, (v->nfns + 1) * sizeof(*m->main_ended));
    if (!acc || !m->main_ended) {
        free(acc);
        return -1;
    }
    bool any_root = false;
    for (uint32_t r = 0; r < m->nroots && !any_root; r++)
        any_root = ll_bitset_any(&m->main_ends[(size_t)r * w], w);
    for (uint32_t i = 0; any_root && i < v->nfns; i++) {
        const struct ll_fn_view *f = &v->fns[i];
        const struct ll_function *fn = f->fn;
        bool some = m->joined[i] != NULL;
        for (uint32_t e = 0; e < fn->nevents && !some; e++)
            some = f->calls && f->calls[e] && ll_bitset_any(m->ends[f->calls[e]->callee], w);
        if (!some)
            continue;
        uint64_t *rows =
            ll_arena_alloc(&m->arena, ((size_t)fn->nevents + 1) * w * sizeof(uint64_t));
        if (!rows) {
            free(acc);
            return -1;
        }
        memset(acc, 0, w * sizeof(uint64_t));
        bool hit = false;
        for (uint32_t e = 0; e <= fn->nevents; e++) {
            if (e > 0 && f->calls && f->calls[e - 1])
                ll_bitset_or(acc, m->ends[f->calls[e - 1]->callee], w);
            if (m->joined[i])
                ll_bitset_or(acc, &m->joined[i][(size_t)e * w], w);
            uint64_t *row = &rows[(size_t)e * w];
            for (uint32_t r = ll_bitset_next(acc, w, 0); r != UINT32_MAX;
                 r = ll_bitset_next(acc, w, r + 1))
                ll_bitset_or(row, &m->main_ends[(size_t)r * w], w);
            /* what a surely ended root started ends with it, as far as
             * the join ended that too */
            for (uint32_t k = 0; k < w; k++) {
                row[k] &= acc[k];
                hit |= row[k] != 0;
            }
        }
        m->main_ended[i] = hit ? rows : NULL;
    }
    free(acc);
    return 0;
}

void ll_mhp_joined_for_main(const struct ll_mhp *m, uint32_t fn, uint32_t e, uint64_t *out)
{
    if (m->main_ended && m->main_ended[fn])
        memcpy(out, &m->main_ended[fn][(size_t)e * m->words], m->words * sizeof(uint64_t));
    else
        memset(out, 0, m->words * sizeof(uint64_t));
}

/* ---- the build ------------------------------------------------------ */

int ll_mhp_build(const struct ll_view *v, struct ll_mhp *m)
{
    memset(m, 0, sizeof(*m));
    ll_arena_init(&m->arena);
    struct mctx c = {.v = v, .a = &m->arena};
    size_t n1 = v->nfns + 1;
    m->words = v->cg.root_words;
    m->nroots = v->cg.nroots;
    c.root_of = m->root_of = ll_arena_alloc(c.a, n1 * sizeof(long));
    c.creates = m->creates = ll_arena_alloc(c.a, n1 * sizeof(uint64_t *));
    c.running = m->running = ll_arena_alloc(c.a, n1 * sizeof(uint64_t *));
    c.joined = m->joined = ll_arena_alloc(c.a, n1 * sizeof(uint64_t *));
    c.leaves = m->leaves = ll_arena_alloc(c.a, n1 * sizeof(uint64_t *));
    c.ends = m->ends = ll_arena_alloc(c.a, n1 * sizeof(uint64_t *));
    m->with = ll_arena_alloc(c.a, n1 * sizeof(uint64_t *));
    c.active = ll_arena_alloc(c.a, n1 * sizeof(bool));
    if (!m->root_of || !m->creates || !m->running || !m->joined || !m->leaves || !m->ends ||
        !m->with || !c.active)
        return -1;
    size_t bytes = (size_t)m->words * sizeof(uint64_t);
    for (size_t i = 0; i < v->nfns; i++) {
        m->root_of[i] = -1;
        m->creates[i] = ll_arena_alloc(c.a, bytes);
        m->leaves[i] = ll_arena_alloc(c.a, bytes);
        m->ends[i] = ll_arena_alloc(c.a, bytes);
        m->with[i] = ll_arena_alloc(c.a, bytes);
        if (!m->creates[i] || !m->leaves[i] || !m->ends[i] || !m->with[i])
            return -1;
    }
    for (uint32_t r = 0; r < v->cg.nroots; r++)
        m->root_of[v->cg.roots[r].fn] = r;
    if (transitive_creates(&c) != 0 || collect_handles(&c) != 0 ||
        ll_join_params_build(v, c.a, &c.jp) != 0 || ll_donewait_build(v, c.a, &c.dw) != 0)
        return -1;
    m->handles = c.handles;
    for (uint32_t o = 0; o < v->cg.n; o++)
        if (running_flow(&c, v->cg.order[o]) != 0)
            return -1;
    if (callers_running(&c, m) != 0 || relation(v, m) != 0 || main_join_ends(v, m) != 0 ||
        main_ended_build(v, m) != 0)
        return -1;
    return 0;
}

void ll_mhp_release(struct ll_mhp *m)
{
    ll_arena_release(&m->arena);
    memset(m, 0, sizeof(*m));
}
