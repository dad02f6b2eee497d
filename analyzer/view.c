/*
 * view: builds the view -- runs the whole-program phases in their order
 * (view_internal.h lists them) and releases their results.  The phases
 * themselves live in view_summaries.c, view_single_threaded.c,
 * view_lockgraph.c and the engine modules; the answers rules read are in
 * view_query.c.
 */
#include "view_internal.h"

#include <stdlib.h>
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

/*
 * Locks taken through a pointer parameter (`lock(m)` of `f(pthread_mutex_t
 * *m)`, class "*f(m)") are recursive when every argument the program
 * passes for that parameter is: each call's, and a thread start routine's
 * start argument at each creation.  An argument is recursive by its own
 * class or initialiser, or through a parameter of its caller that is in
 * turn (`helper(m)` inside `worker(void *arg)`).  A meet over the sites to
 * a fixpoint: a parameter no site reaches stays not recursive, and so does
 * one some site passes a mutex not known to be recursive (or an unknown
 * pointer), and a library entry point, whose callers are not seen.  Runs
 * after the summaries, which add the classes init wrappers make
 * recursive.
 */
enum { RP_NONE = 0, RP_REC, RP_NOT };

struct rp_member {
    uint32_t fn, param, slot;
};

struct rp_edge {
    uint32_t to;
    int32_t from; /* a slot, or -1: `val` */
    uint8_t val;
};

struct rp {
    struct ll_view *v;
    struct ll_arena a; /* keys and instantiated paths */
    struct ll_strmap slot_by_cls, member_by_key;
    const char **cls; /* per slot */
    uint8_t *state;   /* per slot */
    size_t nslots, capslots, capstate;
    struct rp_member *members;
    size_t nmembers, capmembers;
    struct rp_edge *edges;
    size_t nedges, capedges;
};

/* The member for parameter `param` of function `fn` whose pointee has
 * class `cls`, added when new; its index, or -1 when out of memory. */
static long rp_member(struct rp *s, uint32_t fn, uint32_t param, const char *cls)
{
    const char *key = ll_arena_printf(&s->a, "%u#%u", fn, param);
    if (!key)
        return -1;
    size_t m = ll_strmap_get(&s->member_by_key, key);
    if (m != (size_t)-1)
        return (long)m;
    size_t slot = ll_strmap_get(&s->slot_by_cls, cls);
    if (slot == (size_t)-1) {
        slot = s->nslots;
        if (!ll_grow((void **)&s->cls, &s->capslots, s->nslots, sizeof(*s->cls)) ||
            !ll_grow((void **)&s->state, &s->capstate, s->nslots, sizeof(*s->state)) ||
            ll_strmap_put(&s->slot_by_cls, cls, slot) < 0)
            return -1;
        s->cls[slot] = cls;
        s->state[slot] = RP_NONE;
        s->nslots++;
    }
    if (!ll_grow((void **)&s->members, &s->capmembers, s->nmembers, sizeof(*s->members)) ||
        ll_strmap_put(&s->member_by_key, key, s->nmembers) < 0)
        return -1;
    s->members[s->nmembers] = (struct rp_member){fn, param, (uint32_t)slot};
    return (long)s->nmembers++;
}

static int rp_edge(struct rp *s, uint32_t to, int32_t from, uint8_t val)
{
    if (!ll_grow((void **)&s->edges, &s->capedges, s->nedges, sizeof(*s->edges)))
        return -1;
    s->edges[s->nedges++] = (struct rp_edge){to, from, val};
    return 0;
}

/* Whether `p` is `*q` of parameter q of fn itself: the pointee a
 * parameter names, no field, index or further pointer. */
static bool rp_param_pointee(const struct ll_function *fn, const struct ll_path *p)
{
    return p->root == LL_ROOT_PARAM && p->param >= 0 && (uint32_t)p->param < fn->nparams &&
           p->key && p->key[0] == '*' && fn->params[p->param][0] &&
           strcmp(p->key + 1, fn->params[p->param]) == 0 && p->cls;
}

/* The edge into member m's slot from call or creation event e of function
 * g, which calls m's function: what its argument for m's parameter names. */
static int rp_site(struct rp *s, uint32_t m, uint32_t g, uint32_t e)
{
    struct ll_view *v = s->v;
    const struct rp_member mb = s->members[m];
    const struct ll_function *callee = v->program.fns[mb.fn].fn;
    const struct ll_function *caller = v->program.fns[g].fn;
    struct ll_event call = caller->events[e];
    if (call.kind == LL_EV_THREAD_CREATE) {
        call.nargs = 1; /* the start argument is the start routine's only one */
        call.args = &call.aux;
    }
    const char *pname = callee->params[mb.param];
    struct ll_path p = {.root = LL_ROOT_PARAM,
                        .flags = LL_PATH_DEREF,
                        .param = (int16_t)mb.param,
                        .text = ll_arena_printf(&s->a, "*%s", pname),
                        .key = NULL,
                        .cls = s->cls[mb.slot]};
    p.key = p.text;
    struct ll_path out;
    if (!p.text)
        return -1;
    if (!ll_path_instantiate(&s->a, &p, callee, &call, &out))
        return rp_edge(s, mb.slot, -1, RP_NOT);
    if (ll_view_path_recursive(v, &out))
        return rp_edge(s, mb.slot, -1, RP_REC);
    if (!rp_param_pointee(caller, &out))
        return rp_edge(s, mb.slot, -1, RP_NOT);
    long from = rp_member(s, g, (uint32_t)out.param, out.cls);
    return from < 0 ? -1 : rp_edge(s, mb.slot, (int32_t)s->members[from].slot, 0);
}

static int collect_recursive_params(struct ll_view *v)
{
    struct rp s = {.v = v};
    ll_arena_init(&s.a);
    ll_strmap_init(&s.slot_by_cls);
    ll_strmap_init(&s.member_by_key);
    size_t n = v->program.nfns;
    uint32_t *first = calloc(n + 1, sizeof(*first)), *site = NULL;
    int rc = -1;
    if (!first)
        goto out;
    /* the call and creation sites of each function, grouped by callee */
    for (uint32_t g = 0; g < n; g++)
        for (uint32_t e = 0; e < v->program.fns[g].fn->nevents; e++) {
            uint8_t k = v->program.fns[g].fn->events[e].kind;
            long c = ll_program_callee(&v->program, g, e);
            if ((k == LL_EV_CALL || k == LL_EV_THREAD_CREATE) && c >= 0)
                first[c + 1]++;
        }
    for (size_t i = 0; i < n; i++)
        first[i + 1] += first[i];
    site = malloc((first[n] + 1) * 2 * sizeof(*site));
    uint32_t *fill = calloc(n + 1, sizeof(*fill));
    if (!site || !fill) {
        free(fill);
        goto out;
    }
    for (uint32_t g = 0; g < n; g++)
        for (uint32_t e = 0; e < v->program.fns[g].fn->nevents; e++) {
            uint8_t k = v->program.fns[g].fn->events[e].kind;
            long c = ll_program_callee(&v->program, g, e);
            if ((k != LL_EV_CALL && k != LL_EV_THREAD_CREATE) || c < 0)
                continue;
            uint32_t at = first[c] + fill[c]++;
            site[2 * at] = g;
            site[2 * at + 1] = e;
        }
    free(fill);
    /* the parameters locks are taken through, then those their arguments
     * come from, and so on */
    for (uint32_t f = 0; f < n; f++) {
        const struct ll_function *fn = v->program.fns[f].fn;
        for (uint32_t e = 0; e < fn->nevents; e++) {
            const struct ll_event *ev = &fn->events[e];
            const struct ll_path *p = ev->kind == LL_EV_COND_WAIT ? &ev->aux : &ev->obj;
            if ((ev->kind == LL_EV_ACQUIRE || ev->kind == LL_EV_TRYACQUIRE ||
                 ev->kind == LL_EV_RELEASE || ev->kind == LL_EV_COND_WAIT) &&
                rp_param_pointee(fn, p) && !ll_view_path_recursive(v, p) &&
                rp_member(&s, f, (uint32_t)p->param, p->cls) < 0)
                goto out;
        }
    }
    for (size_t m = 0; m < s.nmembers; m++) {
        uint32_t c = s.members[m].fn;
        if (v->program.fns[c].is_entry && rp_edge(&s, s.members[m].slot, -1, RP_NOT) != 0)
            goto out;
        for (uint32_t i = first[c]; i < first[c + 1]; i++)
            if (rp_site(&s, (uint32_t)m, site[2 * i], site[2 * i + 1]) != 0)
                goto out;
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < s.nedges; i++) {
            const struct rp_edge *x = &s.edges[i];
            uint8_t val = x->from < 0 ? x->val : s.state[x->from];
            if (val == RP_NONE || s.state[x->to] == RP_NOT || s.state[x->to] == val)
                continue;
            s.state[x->to] = s.state[x->to] == RP_NONE ? val : RP_NOT;
            changed = true;
        }
    }
    for (size_t i = 0; i < s.nslots; i++)
        if (s.state[i] == RP_REC) {
            const char *cls = ll_arena_strdup(&v->arena, s.cls[i]);
            if (!cls || ll_strmap_put(&v->recursive_classes, cls, 1) < 0)
                goto out;
        }
    rc = 0;
out:
    free(first);
    free(site);
    free(s.cls);
    free(s.state);
    free(s.members);
    free(s.edges);
    ll_strmap_release(&s.slot_by_cls);
    ll_strmap_release(&s.member_by_key);
    ll_arena_release(&s.a);
    return rc;
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
    /* join wrappers and thread handles: independent of the lock state;
     * mhp reads the wrappers */
    if (ll_tf_program_build(&v->threads, &v->program, &v->arena) != 0)
        return -1;
    if (ll_view_summarise(v) != 0 || collect_recursive_params(v) != 0 ||
        ll_mhp_build(v, &v->mhp) != 0 || ll_view_mark_library_started(v) != 0 ||
        ll_view_mark_single_threaded(v) != 0 || ll_view_build_lockgraph(v) != 0 ||
        ll_lockgraph_merge_aliases(&v->graph) != 0 ||
        ll_lockgraph_cycles(&v->graph, LL_VIEW_MAX_CYCLES, &v->cycles, &v->ncycles) != 0)
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
