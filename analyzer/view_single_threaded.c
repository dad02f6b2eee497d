/*
 * view_single_threaded: which code of the program runs while no other
 * thread does -- a function entered only while no thread runs (main, and
 * what is called only from such code), at the events where it has no
 * thread of its own running (mhp.h: before its first creation, after it
 * has joined them all).  A function that creates no thread and is called
 * only from such code is single-threaded throughout.  A phase of the view
 * build, after the summaries and mhp (it reads the call infos and the
 * running threads).
 */
#include "view_internal.h"

#include "bitset.h"

bool ll_view_event_single_threaded(const struct ll_fn_view *f, uint32_t e)
{
    return f->single_threaded || (f->quiet && f->quiet[e]);
}

/* Entered with no thread running: quiet where it has none of its own. */
static int mark_quiet(struct ll_view *v, struct ll_fn_view *f)
{
    const struct ll_function *fn = f->fn;
    const struct ll_mhp *m = &v->mhp;
    f->quiet = ll_arena_alloc(&v->arena, fn->nevents + 1);
    if (!f->quiet)
        return -1;
    const uint64_t *run = m->running[f->index]; /* NULL: it never has a thread running */
    for (uint32_t e = 0; e < fn->nevents; e++)
        f->quiet[e] = !run || !ll_bitset_any(&run[(size_t)e * m->words], m->words);
    return 0;
}

/* entry[f]: no thread runs when f is entered -- main, and functions
 * every call of which is at a quiet event of such a function: a fixpoint
 * that only removes functions, from a worklist of those removed. */
int ll_view_mark_single_threaded(struct ll_view *v)
{
    const struct ll_mhp *m = &v->mhp;
    bool any_main = false;
    for (size_t i = 0; i < v->nfns; i++)
        any_main |= v->fns[i].is_main;
    if (!any_main)
        return 0;
    bool *entry = ll_arena_alloc(&v->arena, v->nfns + 1);
    bool *called = ll_arena_alloc(&v->arena, v->nfns + 1);
    uint32_t *work = ll_arena_alloc_raw(&v->arena, (v->nfns + 1) * sizeof(*work));
    if (!entry || !called || !work)
        return -1;
    for (size_t i = 0; i < v->nfns; i++) {
        const struct ll_fn_view *f = &v->fns[i];
        for (uint32_t e = 0; f->calls && e < f->fn->nevents; e++)
            if (f->calls[e])
                called[f->calls[e]->callee] = true;
    }
    size_t nwork = 0;
    for (size_t i = 0; i < v->nfns; i++) {
        const struct ll_fn_view *f = &v->fns[i];
        /* roots run alongside others; an uncalled function is a library's
         * entry point */
        entry[i] = f->is_main || (!ll_fn_is_root(f) && called[i]);
        if (!entry[i])
            work[nwork++] = (uint32_t)i;
    }
    /* a call at an event where its caller has threads of its own running */
    for (size_t i = 0; i < v->nfns; i++) {
        const struct ll_fn_view *f = &v->fns[i];
        for (uint32_t e = 0; entry[i] && f->calls && e < f->fn->nevents; e++) {
            const struct ll_call_info *ci = f->calls[e];
            if (ci && entry[ci->callee] && !v->fns[ci->callee].is_main && m->running[i] &&
                ll_bitset_any(&m->running[i][(size_t)e * m->words], m->words)) {
                entry[ci->callee] = false;
                work[nwork++] = (uint32_t)ci->callee;
            }
        }
    }
    /* every call of a function entered while threads run */
    while (nwork) {
        const struct ll_fn_view *f = &v->fns[work[--nwork]];
        for (uint32_t e = 0; f->calls && e < f->fn->nevents; e++) {
            const struct ll_call_info *ci = f->calls[e];
            if (ci && entry[ci->callee] && !v->fns[ci->callee].is_main) {
                entry[ci->callee] = false;
                work[nwork++] = (uint32_t)ci->callee;
            }
        }
    }
    for (size_t i = 0; i < v->nfns; i++) {
        struct ll_fn_view *f = &v->fns[i];
        if (!entry[i])
            continue;
        f->single_threaded = !f->is_main && !ll_bitset_any(m->creates[i], m->words);
        if (!f->single_threaded && mark_quiet(v, f) != 0)
            return -1;
    }
    return 0;
}
