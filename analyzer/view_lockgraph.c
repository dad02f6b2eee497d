/*
 * view_lockgraph: the lock-order graph of the program (lockgraph.h) from
 * every function's lock state: an edge for each lock acquired, directly or
 * in a callee (its summary's acquisitions and parameter nestings,
 * instantiated), while another is held.  A phase of the view build, after
 * the summaries and the single-threaded code (which orders locks but takes
 * part in no deadlock).  The cycles are the lock graph's own business.
 */
#include "bitset.h"
#include "mhp.h"
#include "view_internal.h"

#include <string.h>

/* Ids of the locks held at event e (at most 64).  `lock_ids` caches each
 * lock's id for the function (NULL: not made yet). */
static size_t held_ids(struct ll_view *v, const struct ll_fn_view *f, uint32_t e, const char **ids,
                       const char **lock_ids)
{
    size_t n = 0;
    for (uint32_t k = 0; k < f->df.nlocks && n < 64; k++)
        if ((ll_df_state(&f->df, e, k) & LL_LS_HELD) &&
            !ll_path_param_rooted(f->df.locks[k].path)) {
            if (!lock_ids[k])
                lock_ids[k] = ll_lockgraph_id(&v->graph, f->df.locks[k].path);
            if ((ids[n] = lock_ids[k]))
                n++;
        }
    return n;
}

/* ids without the one of the lock take t's callee dropped first. */
static size_t without_dropped(struct ll_view *v, const struct ll_take *t, const char **ids,
                              size_t n, const char **out)
{
    const char *drop = t->dropped.key ? ll_lockgraph_id(&v->graph, &t->dropped) : NULL;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!drop || strcmp(ids[i], drop) != 0)
            out[m++] = ids[i];
    return m;
}

static const uint64_t *roots_of(const struct ll_view *v, uint32_t fn)
{
    return &v->cg.reach[(size_t)fn * v->cg.root_words];
}

/*
 * The roots that can hold the locks of event e of f at once with another
 * thread, or NULL when none can: single-threaded code orders locks but
 * cannot take part in a deadlock.  That is main's code before its first
 * creation and after its last join, and also code only main's thread runs
 * at a point where it has every thread it started joined, through calls
 * (`stop() { pthread_join(maint, NULL); later(); }` with a global handle:
 * what later() takes runs alone; mhp.h's running set).  Programs with
 * more than 64 * 64 roots keep every edge.
 */
static const uint64_t *edge_roots(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e)
{
    if (ll_view_event_single_threaded(f, e))
        return NULL;
    const uint64_t *roots = roots_of(v, f->index);
    uint32_t w = v->cg.root_words, r = ll_bitset_next(roots, w, 0);
    if (r == UINT32_MAX || ll_bitset_next(roots, w, r + 1) != UINT32_MAX ||
        !v->fns[v->cg.roots[r].fn].is_main || w > 64)
        return roots;
    uint64_t running[64];
    memset(running, 0, w * sizeof(uint64_t));
    ll_mhp_running_at(&v->mhp, f->index, e, running);
    return ll_bitset_any(running, w) ? roots : NULL;
}

/* The acquisition of each of f's locks that names the locks it may be
 * (ir.h: an acquisition's args through a local pointer set to several
 * locks' addresses), or NULL; in the scratch arena.  NULL when out of
 * memory. */
static const struct ll_event **may_targets(struct ll_view *v, const struct ll_fn_view *f)
{
    const struct ll_event **by_lock =
        ll_arena_alloc(&v->scratch, (f->df.nlocks + 1) * sizeof(*by_lock));
    for (uint32_t e = 0; by_lock && e < f->fn->nevents; e++) {
        const struct ll_event *ev = &f->fn->events[e];
        int k = ev->nargs && ll_event_acquires(ev) ? ll_df_lock_index(&f->df, ev->obj.key) : -1;
        if (k >= 0)
            by_lock[k] = ev;
    }
    return by_lock;
}

/* Edges from every lock held at event e of f to `inner` (which a local
 * pointer spelled `may_inner` may point to, or NULL); a held lock taken
 * through such a pointer gives an edge from each lock it may be. */
static int edges_at(struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                    const struct ll_path *inner, const char *may_inner, const char *dropped,
                    struct ll_lg_witness *w, const char **ids, size_t nids,
                    const struct ll_event **targets)
{
    /* single-threaded code orders locks but cannot take part in a deadlock */
    const uint64_t *roots = edge_roots(v, f, e);
    for (uint32_t k = 0; k < f->df.nlocks; k++) {
        const struct ll_path *held = f->df.locks[k].path;
        if (!(ll_df_state(&f->df, e, k) & LL_LS_HELD) || ll_path_param_rooted(held) ||
            (held->key && inner->key && strcmp(held->key, inner->key) == 0) ||
            (held->key && dropped && strcmp(held->key, dropped) == 0))
            continue;
        const struct ll_event *t = targets[k];
        for (uint32_t i = 0; i < (t ? t->nargs : 1); i++) {
            const struct ll_path *outer = t ? &t->args[i] : held;
            if (ll_path_param_rooted(outer) ||
                (outer->key && inner->key && strcmp(outer->key, inner->key) == 0))
                continue;
            w->outer = ll_fn_acquisition_site(f, e, k);
            w->outer_text = outer->text;
            w->inner_text = inner->text;
            w->may_outer = t ? held->text : NULL;
            w->may_inner = may_inner;
            if (ll_lockgraph_add(&v->graph, outer, inner, w, ids, nids, roots) != 0)
                return -1;
        }
    }
    return 0;
}

static int graph_function(struct ll_view *v, const struct ll_fn_view *f, bool has_callers)
{
    const char *ids[64], *kept[64];
    const struct ll_function *fn = f->fn;
    /* the scratch arena is free between the functions' analyses */
    ll_arena_reset(&v->scratch);
    const char **lock_ids = ll_arena_alloc(&v->scratch, (f->df.nlocks + 1) * sizeof(*lock_ids));
    const struct ll_event **targets = may_targets(v, f);
    if (!lock_ids || !targets)
        return -1;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (!f->df.reached[e])
            continue;
        bool acquire = ev->kind == LL_EV_ACQUIRE && !ll_path_param_rooted(&ev->obj);
        if (!acquire && !(f->calls && f->calls[e]))
            continue; /* adds no edge */
        struct ll_lg_witness w = {0};
        w.fn = f->index;
        w.fn_name = fn->name;
        w.inner = ll_view_site(f, ev->loc, NULL);
        size_t nids = held_ids(v, f, e, ids, lock_ids);
        if (acquire) {
            /* through a pointer that may point to several locks: each */
            for (uint32_t i = 0; i < (ev->nargs ? ev->nargs : 1); i++)
                if ((!ev->nargs || !ll_path_param_rooted(&ev->args[i])) &&
                    edges_at(v, f, e, ev->nargs ? &ev->args[i] : &ev->obj,
                             ev->nargs ? ev->obj.text : NULL, NULL, &w, ids, nids, targets) != 0)
                    return -1;
        } else if (f->calls && f->calls[e]) {
            const struct ll_call_info *ci = f->calls[e];
            w.has_call = true;
            w.call = w.inner;
            for (size_t i = 0; i < ci->ntakes; i++) {
                const struct ll_take *t = &ci->takes[i];
                if (!t->blocking || ll_path_param_rooted(&t->lock))
                    continue;
                w.inner = t->site;
                w.via = t->via;
                w.guessed = t->guessed || v->fns[ci->callee].is_dispatcher;
                /* the callee released that lock of ours before taking this one */
                size_t n = without_dropped(v, t, ids, nids, kept);
                if (edges_at(v, f, e, &t->lock, NULL, t->dropped.key, &w, kept, n, targets) != 0)
                    return -1;
            }
            const struct ll_summary *cs = &v->fns[ci->callee].summary;
            for (size_t i = 0; i < cs->npairs; i++) {
                struct ll_path o, in;
                const struct ll_function *cf = v->fns[ci->callee].fn;
                if (!ll_path_instantiate(&v->arena, &cs->pairs[i].outer, cf, ev, &o) ||
                    !ll_path_instantiate(&v->arena, &cs->pairs[i].inner, cf, ev, &in) ||
                    ll_path_param_rooted(&o) || ll_path_param_rooted(&in) ||
                    ll_call_untaken(ci, in.key))
                    continue;
                struct ll_lg_witness pw = w;
                pw.outer = cs->pairs[i].outer_site;
                pw.inner = cs->pairs[i].inner_site;
                pw.via = cs->pairs[i].via;
                pw.guessed = v->fns[ci->callee].is_dispatcher;
                pw.outer_text = o.text;
                pw.inner_text = in.text;
                if (ll_lockgraph_add(&v->graph, &o, &in, &pw, ids, nids, edge_roots(v, f, e)))
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
        w.has_call = p->has_call;
        w.call = p->call;
        w.via = p->has_call ? p->via : NULL;
        if (ll_lockgraph_add(&v->graph, &p->outer, &p->inner, &w, NULL, 0, roots_of(v, f->index)) !=
            0)
            return -1;
    }
    return 0;
}

int ll_view_build_lockgraph(struct ll_view *v)
{
    bool *called = ll_arena_alloc(&v->arena, v->nfns + 1);
    if (!called)
        return -1;
    /* a library's entry points stay uncalled: their users' calls are not
     * in the program */
    for (uint32_t f = 0; f < v->cg.n; f++)
        for (uint32_t i = 0; i < v->cg.ncallees[f] && !v->program.fns[f].entry_caller; i++)
            if (v->cg.callees[f][i] != f)
                called[v->cg.callees[f][i]] = true;
    for (size_t i = 0; i < v->nfns; i++)
        if (graph_function(v, &v->fns[i], called[i]) != 0)
            return -1;
    return 0;
}
