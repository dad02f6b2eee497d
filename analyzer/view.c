/*
 * view: builds the view -- runs the whole-program phases in their order
 * (view_internal.h lists them) and releases their results.  The phases
 * themselves live in view_summaries.c, view_single_threaded.c,
 * view_lockgraph.c and the engine modules; the answers rules read are in
 * view_query.c.
 */
#include "view_internal.h"

#include <string.h>

#define LL_VIEW_MAX_CYCLES 1000

/* Lock classes initialised recursive anywhere: with a recursive kind, or
 * with an attribute object whose class some function sets recursive (a
 * global `pthread_mutexattr_t` set up once and used by several inits). */
static int collect_recursive_classes(struct ll_view *v)
{
    struct ll_strmap attrs;
    ll_strmap_init(&attrs);
    int rc = -1;
    for (size_t i = 0; i < v->program.nfns; i++) {
        const struct ll_function *fn = v->program.fns[i].fn;
        for (uint32_t e = 0; e < fn->nevents; e++) {
            const struct ll_event *ev = &fn->events[e];
            if (ev->kind == LL_EV_ATTR_RECURSIVE && ev->obj.cls &&
                ll_strmap_put(&attrs, ev->obj.cls, 1) < 0)
                goto out;
        }
    }
    for (size_t i = 0; i < v->program.nfns; i++) {
        const struct ll_function *fn = v->program.fns[i].fn;
        for (uint32_t e = 0; e < fn->nevents; e++) {
            const struct ll_event *ev = &fn->events[e];
            if (ev->kind != LL_EV_LOCK_INIT || !ev->obj.cls)
                continue;
            bool rec = ev->lock_kind == LL_LK_RECURSIVE ||
                       (ev->aux.cls && ll_strmap_get(&attrs, ev->aux.cls) != (size_t)-1);
            if (rec && ll_strmap_put(&v->recursive_classes, ev->obj.cls, 1) < 0)
                goto out;
        }
    }
    rc = 0;
out:
    ll_strmap_release(&attrs);
    return rc;
}

/* Globals initialised recursive (PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP),
 * in the TUs that define a program function: the USR for a whole lock,
 * "USR|field" for each first-level field a struct's initialiser makes
 * recursive by designator.  One hash lookup per lock query instead of a
 * scan of every TU's globals per function. */
static int collect_recursive_globals(struct ll_view *v)
{
    const struct ll_tu_facts *last = NULL;
    for (size_t i = 0; i < v->program.nfns; i++) {
        const struct ll_tu_facts *tu = v->program.fns[i].tu;
        if (tu == last)
            continue;
        last = tu;
        for (uint32_t g = 0; g < tu->nglobals; g++) {
            const struct ll_global *gv = &tu->globals[g];
            if (!(gv->flags & LL_GV_RECURSIVE_INIT))
                continue;
            if (!gv->recursive_fields) {
                if (ll_strmap_put(&v->recursive_globals, gv->usr, 1) < 0)
                    return -1;
                continue;
            }
            for (const char *p = gv->recursive_fields; *p;) {
                size_t m = strcspn(p, ",");
                const char *key = ll_arena_printf(&v->arena, "%s|%.*s", gv->usr, (int)m, p);
                if (!key || ll_strmap_put(&v->recursive_globals, key, 1) < 0)
                    return -1;
                p += m + (p[m] == ',');
            }
        }
    }
    return 0;
}

int ll_view_build(struct ll_view *v, const struct ll_tu_facts *tus, size_t ntus,
                  const struct ll_order_decl *order, size_t norder)
{
    return ll_view_build_entries(v, tus, ntus, order, norder, NULL);
}

int ll_view_build_entries(struct ll_view *v, const struct ll_tu_facts *tus, size_t ntus,
                          const struct ll_order_decl *order, size_t norder,
                          const struct ll_entry_points *entries)
{
    memset(v, 0, sizeof(*v));
    v->order = order;
    v->norder = norder;
    ll_arena_init(&v->arena);
    ll_arena_init(&v->scratch);
    ll_strmap_init(&v->recursive_classes);
    ll_strmap_init(&v->recursive_globals);
    if (ll_program_build_entries(&v->program, tus, ntus, entries) != 0 ||
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
        f->is_dispatcher = pf->dispatcher || pf->entry_caller; /* made up */
    }
    if (ll_view_summarise(v) != 0 || ll_mhp_build(v, &v->mhp) != 0 ||
        ll_view_mark_single_threaded(v) != 0 || ll_view_build_lockgraph(v) != 0 ||
        ll_lockgraph_merge_aliases(&v->graph) != 0 ||
        ll_lockgraph_cycles(&v->graph, LL_VIEW_MAX_CYCLES, &v->cycles, &v->ncycles) != 0)
        return -1;
    /* thread handles: independent of the lock state */
    if (ll_tf_program_build(&v->threads, &v->program, &v->arena) != 0)
        return -1;
    for (size_t i = 0; i < v->nfns; i++)
        if (ll_threadflow_run(v->fns[i].fn, &v->program, &v->threads, &v->arena, &v->scratch,
                              &v->fns[i].tf) != 0)
            return -1;
    if (ll_tsum_build(v) != 0)
        return -1;
    /* the shared accesses read everything above */
    return ll_race_build(v, &v->race);
}

void ll_view_release(struct ll_view *v)
{
    ll_race_release(&v->race);
    ll_mhp_release(&v->mhp);
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
