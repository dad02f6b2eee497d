/*
 * view: builds the program and every function's lock state for the rules.
 */
#include "view.h"

#include <string.h>

static bool has_acquire(const struct ll_function *fn)
{
    for (uint32_t e = 0; e < fn->nevents; e++)
        if (fn->events[e].kind == LL_EV_ACQUIRE || fn->events[e].kind == LL_EV_TRYACQUIRE)
            return true;
    return false;
}

/* may_lock[i]: function i acquires some lock, itself or through callees.
 * A fixpoint over the call graph; each pass only adds. */
static int compute_may_lock(struct ll_view *v)
{
    size_t n = v->program.nfns;
    v->may_lock = ll_arena_alloc(&v->arena, n + 1);
    if (!v->may_lock)
        return -1;
    for (size_t i = 0; i < n; i++)
        v->may_lock[i] = has_acquire(v->program.fns[i].fn);
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < n; i++) {
            const struct ll_function *fn = v->program.fns[i].fn;
            for (uint32_t e = 0; e < fn->nevents && !v->may_lock[i]; e++) {
                long k = fn->events[e].kind == LL_EV_CALL
                             ? ll_program_find(&v->program, fn->events[e].callee)
                             : -1;
                if (k >= 0 && v->may_lock[k])
                    v->may_lock[i] = changed = true;
            }
        }
    }
    return 0;
}

static bool call_may_lock(const struct ll_event *call, void *ctx)
{
    const struct ll_view *v = ctx;
    long k = call->callee ? ll_program_find(&v->program, call->callee) : -1;
    return k >= 0 && v->may_lock[k];
}

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

int ll_view_build(struct ll_view *v, const struct ll_tu_facts *tus, size_t ntus)
{
    memset(v, 0, sizeof(*v));
    ll_arena_init(&v->arena);
    ll_strmap_init(&v->recursive_classes);
    if (ll_program_build(&v->program, tus, ntus) != 0 || compute_may_lock(v) != 0 ||
        collect_recursive_classes(v) != 0)
        return -1;
    v->fns = ll_arena_alloc(&v->arena, (v->program.nfns + 1) * sizeof(*v->fns));
    if (!v->fns)
        return -1;
    for (size_t i = 0; i < v->program.nfns; i++) {
        const struct ll_prog_fn *pf = &v->program.fns[i];
        struct ll_fn_view *f = &v->fns[i];
        f->fn = pf->fn;
        f->tu = pf->tu;
        f->is_main = pf->is_main;
        f->is_start_routine = pf->is_start_routine;
        struct ll_df_env env = {ll_fn_view_is_root(f), call_may_lock, v};
        if (ll_dataflow_run(f->fn, &env, &v->arena, &f->df) != 0)
            return -1;
        v->nfns++;
    }
    return 0;
}

void ll_view_release(struct ll_view *v)
{
    ll_program_release(&v->program);
    ll_strmap_release(&v->recursive_classes);
    ll_arena_release(&v->arena);
    memset(v, 0, sizeof(*v));
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

static bool global_recursive(const struct ll_view *v, const char *usr)
{
    for (size_t i = 0; i < v->nfns; i++) {
        const struct ll_tu_facts *tu = v->fns[i].tu;
        for (uint32_t g = 0; g < tu->nglobals; g++)
            if ((tu->globals[g].flags & LL_GV_RECURSIVE_INIT) &&
                strcmp(tu->globals[g].usr, usr) == 0)
                return true;
    }
    return false;
}

bool ll_view_lock_recursive(const struct ll_view *v, const struct ll_fn_view *f, uint32_t lock)
{
    const struct ll_df_lock *l = &f->df.locks[lock];
    if (l->recursive || l->kind == LL_LK_RECURSIVE)
        return true;
    if (l->cls && ll_strmap_get(&v->recursive_classes, l->cls) != (size_t)-1)
        return true;
    if (l->path && l->path->root_usr && l->path->root == LL_ROOT_GLOBAL &&
        !(l->path->flags & (LL_PATH_DEREF | LL_PATH_INDEXED)) && strchr(l->key, '.') == NULL)
        return global_recursive(v, l->path->root_usr);
    return false;
}

bool ll_view_not_held_somewhere(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                                uint8_t st)
{
    (void)v;
    (void)f;
    (void)e;
    return (st & (LL_LS_FREE | LL_LS_NEVER)) != 0;
}
