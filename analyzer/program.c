/*
 * program: links functions across TUs by USR and marks thread roots.
 * Kept deliberately thin for now: call graph, SCCs and summaries build on
 * this table.
 */
#include "program.h"

#include <stdbool.h>
#include <string.h>

static void mark_start_routines(struct ll_program *p, const struct ll_tu_facts *tus, size_t ntus)
{
    for (size_t t = 0; t < ntus; t++)
        for (uint32_t i = 0; i < tus[t].nfunctions; i++) {
            const struct ll_function *fn = &tus[t].functions[i];
            for (uint32_t e = 0; e < fn->nevents; e++) {
                const struct ll_event *ev = &fn->events[e];
                if (ev->kind != LL_EV_THREAD_CREATE || !ev->callee)
                    continue;
                long k = ll_program_find(p, ev->callee);
                if (k >= 0)
                    p->fns[k].is_start_routine = true;
            }
        }
}

static bool is_main(const struct ll_function *fn)
{
    return strcmp(fn->name, "main") == 0 && !(fn->flags & LL_FN_STATIC);
}

static void note_main(struct ll_program *p, const struct ll_tu_facts *tu)
{
    if (p->nmains < 2)
        p->main_files[p->nmains] = tu->main_file;
    p->nmains++;
}

int ll_program_build(struct ll_program *p, const struct ll_tu_facts *tus, size_t ntus)
{
    memset(p, 0, sizeof(*p));
    ll_arena_init(&p->arena);
    ll_strmap_init(&p->by_usr);
    size_t total = 0;
    for (size_t t = 0; t < ntus; t++)
        total += tus[t].nfunctions;
    p->fns = ll_arena_alloc(&p->arena, (total + 1) * sizeof(*p->fns));
    if (!p->fns)
        return -1;
    for (size_t t = 0; t < ntus; t++) {
        for (uint32_t i = 0; i < tus[t].nfunctions; i++) {
            const struct ll_function *fn = &tus[t].functions[i];
            int put = ll_strmap_put(&p->by_usr, fn->usr, p->nfns);
            if (put < 0)
                return -1;
            if (is_main(fn))
                note_main(p, &tus[t]);
            if (put == 1)
                continue; /* seen in an earlier TU */
            struct ll_prog_fn *pf = &p->fns[p->nfns++];
            pf->fn = fn;
            pf->tu = &tus[t];
            pf->is_main = is_main(fn);
        }
    }
    /* every callee looked up once: the phases after ask for them by event */
    for (size_t i = 0; i < p->nfns; i++) {
        const struct ll_function *fn = p->fns[i].fn;
        int32_t *c = ll_arena_alloc_raw(&p->arena, (fn->nevents + 1) * sizeof(*c));
        if (!c)
            return -1;
        for (uint32_t e = 0; e < fn->nevents; e++)
            c[e] = (int32_t)ll_program_find(p, fn->events[e].callee);
        p->fns[i].callee = c;
    }
    mark_start_routines(p, tus, ntus);
    return 0;
}

void ll_program_release(struct ll_program *p)
{
    ll_strmap_release(&p->by_usr);
    ll_arena_release(&p->arena);
    memset(p, 0, sizeof(*p));
}

long ll_program_find(const struct ll_program *p, const char *usr)
{
    if (!usr)
        return -1;
    size_t v = ll_strmap_get(&p->by_usr, usr);
    return v == (size_t)-1 ? -1 : (long)v;
}
