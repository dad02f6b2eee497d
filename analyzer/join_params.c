/*
 * join_params: joins of a handle given as a parameter (join_params.h).
 * Which parameters each function joins (itself, or by passing them on to
 * a function that does) is threadflow's `joins_param`; here, top-down to a
 * fixpoint, the one handle class every call passes for them.
 */
#include "join_params.h"

#include "view_internal.h"

#include <stdlib.h>
#include <string.h>

#define JOIN_PARAMS_MAX 64

static const char conflict[] = ""; /* calls pass different classes */

/* `name` or `*name`: the handle parameter `name` itself, or what it
 * points to. */
static bool names_param(const char *key, const char *name)
{
    if (!key || !name || !name[0])
        return false;
    if (key[0] == '*')
        key++;
    return strcmp(key, name) == 0;
}

/* The parameter whose handle path p is (by value or through the
 * pointer), or -1. */
static int handle_param(const struct ll_function *fn, const struct ll_path *p)
{
    if (p->root != LL_ROOT_PARAM || p->param < 0 || p->param >= JOIN_PARAMS_MAX ||
        (uint32_t)p->param >= fn->nparams || !names_param(p->key, fn->params[p->param]))
        return -1;
    return p->param;
}

bool ll_handle_one_element(const char *key)
{
    bool any = false;
    for (const char *p = key ? strchr(key, '[') : NULL; p; p = strchr(p + 1, '[')) {
        const char *q = p + 1;
        if (*q == ']')
            return false;
        for (; *q && *q != ']'; q++)
            if (*q < '0' || *q > '9')
                return false;
        any = true;
    }
    return any;
}

static long callee_of(const struct ll_fn_view *f, uint32_t e)
{
    const struct ll_call_info *ci = f->calls ? f->calls[e] : NULL;
    return ci ? ci->callee : -1;
}

/* The handle class argument p of call e in function i passes: its own
 * class, or for a parameter passed on, that parameter's origin (NULL:
 * not seen yet, `conflict`: none). */
static const char *arg_class(const struct ll_join_params *jp, const struct ll_view *v, uint32_t i,
                             const struct ll_path *arg)
{
    int q = handle_param(v->fns[i].fn, arg);
    if (q < 0)
        return arg->cls ? arg->cls : conflict;
    return (jp->joins[i] >> q) & 1 ? jp->origin[i][q] : conflict;
}

static int origins(const struct ll_view *v, struct ll_arena *a, struct ll_join_params *jp)
{
    bool *taken = ll_view_address_taken(v);
    if (!taken)
        return -1;
    for (uint32_t i = 0; i < v->nfns; i++) {
        const struct ll_fn_view *f = &v->fns[i];
        if (!jp->joins[i])
            continue;
        jp->origin[i] = ll_arena_alloc(a, (f->fn->nparams + 1) * sizeof(char *));
        if (!jp->origin[i]) {
            free(taken);
            return -1;
        }
        for (uint32_t p = 0; p < f->fn->nparams; p++)
            jp->origin[i][p] = ll_fn_is_root(f) || taken[i] ? conflict : NULL;
    }
    free(taken);
    /* each origin moves from NULL to a class to `conflict` at most */
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t o = v->cg.n; o-- > 0;) {
            uint32_t i = v->cg.order[o];
            const struct ll_fn_view *f = &v->fns[i];
            for (uint32_t e = 0; e < f->fn->nevents; e++) {
                long k = callee_of(f, e);
                const struct ll_event *ev = &f->fn->events[e];
                if (k < 0 || !jp->joins[k] || !f->df.reached[e])
                    continue;
                for (uint32_t p = 0; p < v->fns[k].fn->nparams && p < JOIN_PARAMS_MAX; p++) {
                    const char *now = jp->origin[k][p];
                    if (!((jp->joins[k] >> p) & 1) || now == conflict)
                        continue;
                    const char *cls = p < ev->nargs ? arg_class(jp, v, i, &ev->args[p]) : conflict;
                    if (!cls)
                        continue; /* the caller's own origin not seen yet */
                    const char *met = !now                                       ? cls
                                      : cls == conflict || strcmp(now, cls) != 0 ? conflict
                                                                                 : now;
                    changed |= met != now;
                    jp->origin[k][p] = met;
                }
            }
        }
    }
    for (uint32_t i = 0; i < v->nfns; i++)
        for (uint32_t p = 0; jp->joins[i] && p < v->fns[i].fn->nparams; p++)
            if (jp->origin[i][p] == conflict)
                jp->origin[i][p] = NULL;
    return 0;
}

int ll_join_params_build(const struct ll_view *v, struct ll_arena *a, struct ll_join_params *jp)
{
    size_t n1 = v->nfns + 1;
    jp->joins = v->threads.joins_param;
    jp->origin = ll_arena_alloc(a, n1 * sizeof(*jp->origin));
    if (!jp->origin)
        return -1;
    memset(jp->origin, 0, n1 * sizeof(*jp->origin));
    return origins(v, a, jp);
}

size_t ll_join_classes_at(const struct ll_join_params *jp, const struct ll_view *v, uint32_t i,
                          uint32_t e, const char **out, size_t max)
{
    const struct ll_fn_view *f = &v->fns[i];
    const struct ll_event *ev = &f->fn->events[e];
    if (max == 0)
        return 0;
    if (ev->kind == LL_EV_JOIN) {
        if (ll_handle_one_element(ev->obj.key))
            return 0;
        int p = handle_param(f->fn, &ev->obj);
        out[0] = p >= 0 && jp->origin[i][p] ? jp->origin[i][p] : ev->obj.cls;
        return out[0] != NULL;
    }
    long k = callee_of(f, e);
    size_t n = 0;
    for (uint32_t p = 0; k >= 0 && jp->joins[k] && p < ev->nargs && p < JOIN_PARAMS_MAX && n < max;
         p++) {
        const char *cls = (jp->joins[k] >> p) & 1 && !ll_handle_one_element(ev->args[p].key)
                              ? arg_class(jp, v, i, &ev->args[p])
                              : NULL;
        if (cls && cls != conflict)
            out[n++] = cls;
    }
    return n;
}
