/*
 * view_single_threaded: which code of the program runs while no other
 * thread does -- main before its first thread creation and after it has
 * joined them all, and the functions called only from there.  A phase of
 * the view build, after the summaries (it reads the call infos).
 */
#include "view_internal.h"

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
int ll_view_mark_single_threaded(struct ll_view *v)
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
        v->fns[i].single_threaded = !ll_fn_is_root(&v->fns[i]);
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
