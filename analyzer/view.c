/*
 * view: builds the program and every function's lock state for the rules.
 */
#include "view.h"

#include <string.h>

int ll_view_build(struct ll_view *v, const struct ll_tu_facts *tus, size_t ntus)
{
    memset(v, 0, sizeof(*v));
    ll_arena_init(&v->arena);
    if (ll_program_build(&v->program, tus, ntus) != 0)
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
        if (ll_dataflow_run(f->fn, ll_fn_view_is_root(f), &v->arena, &f->df) != 0)
            return -1;
        v->nfns++;
    }
    return 0;
}

void ll_view_release(struct ll_view *v)
{
    ll_program_release(&v->program);
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
    if (l->path && l->path->root_usr && l->path->root == LL_ROOT_GLOBAL &&
        !(l->path->flags & (LL_PATH_DEREF | LL_PATH_INDEXED)) && strchr(l->key, '.') == NULL)
        return global_recursive(v, l->path->root_usr);
    return false;
}
