/*
 * programs: the TUs of each main() (programs.h) -- a map from each
 * external symbol to the first TU that defines it, each TU's edges to the
 * TUs defining what it refers to, and one walk of those edges per main().
 */
#include "programs.h"

#include "strmap.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool defines_main(const struct ll_tu_facts *tu, struct ll_loc *loc)
{
    for (uint32_t i = 0; i < tu->nfunctions; i++) {
        const struct ll_function *fn = &tu->functions[i];
        if (strcmp(fn->name, "main") == 0 && !(fn->flags & LL_FN_STATIC)) {
            *loc = fn->loc;
            return true;
        }
    }
    return false;
}

/* Where each external symbol is defined: the first TU, main()s' TUs left
 * out (a linker never pulls a second main in). */
static int index_definitions(struct ll_strmap *defs, const struct ll_tu_facts *tus, size_t ntus,
                             const bool *has_main)
{
    for (size_t t = 0; t < ntus; t++) {
        if (has_main[t])
            continue;
        const struct ll_tu_facts *tu = &tus[t];
        for (uint32_t i = 0; i < tu->nfunctions; i++)
            if (!(tu->functions[i].flags & LL_FN_STATIC) &&
                ll_strmap_put(defs, tu->functions[i].usr, t) < 0)
                return -1;
        for (uint32_t i = 0; i < tu->nglobals; i++) {
            const struct ll_global *g = &tu->globals[i];
            if ((g->flags & LL_GV_DEFINITION) && !(g->flags & LL_GV_STATIC) &&
                ll_strmap_put(defs, g->usr, t) < 0)
                return -1;
        }
    }
    return 0;
}

/* The TUs one TU refers to, each once. */
struct edges {
    size_t t;     /* the TU whose edges these are */
    size_t *seen; /* per TU: t + 1 once it is in `to` */
    size_t *to;
    size_t n;
    const struct ll_strmap *defs;
};

static void refer(struct edges *e, const char *usr)
{
    if (!usr || usr[0] == '@')
        return; /* a slot: what it holds is referred to where it is stored */
    size_t d = ll_strmap_get(e->defs, usr);
    if (d == (size_t)-1 || d == e->t || e->seen[d] == e->t + 1)
        return;
    e->seen[d] = e->t + 1;
    e->to[e->n++] = d;
}

static void refer_path(struct edges *e, const struct ll_path *p)
{
    if (p->root == LL_ROOT_GLOBAL)
        refer(e, p->root_usr);
}

static void tu_edges(struct edges *e, const struct ll_tu_facts *tu)
{
    e->n = 0;
    for (uint32_t i = 0; i < tu->nfunctions; i++) {
        const struct ll_function *fn = &tu->functions[i];
        for (uint32_t k = 0; k < fn->nevents; k++) {
            const struct ll_event *ev = &fn->events[k];
            if ((ev->kind == LL_EV_CALL && !(ev->flags & LL_EVF_INDIRECT)) ||
                ev->kind == LL_EV_THREAD_CREATE)
                refer(e, ev->callee);
            refer_path(e, &ev->obj);
            refer_path(e, &ev->aux);
            for (uint32_t a = 0; a < ev->nargs; a++)
                refer_path(e, &ev->args[a]);
        }
    }
    for (uint32_t i = 0; i < tu->nfnrefs; i++)
        refer(e, tu->fnrefs[i].usr);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* One part with every TU: a single program, or a library. */
static int one_part(struct ll_programs *out, size_t ntus, long main_tu, struct ll_loc loc)
{
    out->parts = ll_arena_alloc(&out->arena, sizeof(*out->parts));
    size_t *all = ll_arena_alloc_raw(&out->arena, (ntus + 1) * sizeof(*all));
    if (!out->parts || !all)
        return -1;
    for (size_t t = 0; t < ntus; t++)
        all[t] = t;
    out->parts[0] = (struct ll_program_part){main_tu, loc, ntus, all};
    out->nparts = 1;
    return 0;
}

/* The TUs of main() in TU m, into `part`; marks them in `reached`. */
static int walk(struct ll_programs *out, size_t m, size_t *const *to, const size_t *nto,
                size_t *stamp, size_t mark, bool *reached, size_t *queue,
                struct ll_program_part *part)
{
    size_t head = 0, tail = 0;
    queue[tail++] = m;
    stamp[m] = mark;
    while (head < tail) {
        size_t t = queue[head++];
        for (size_t i = 0; i < nto[t]; i++)
            if (stamp[to[t][i]] != mark) {
                stamp[to[t][i]] = mark;
                queue[tail++] = to[t][i];
            }
    }
    qsort(queue, tail, sizeof(*queue), cmp_size);
    part->tus = ll_arena_alloc_raw(&out->arena, (tail + 1) * sizeof(*part->tus));
    if (!part->tus)
        return -1;
    memcpy(part->tus, queue, tail * sizeof(*queue));
    part->ntus = tail;
    for (size_t i = 0; i < tail; i++)
        reached[queue[i]] = true;
    return 0;
}

int ll_programs_split(struct ll_programs *out, const struct ll_tu_facts *tus, size_t ntus,
                      bool whole)
{
    memset(out, 0, sizeof(*out));
    ll_arena_init(&out->arena);
    size_t n1 = ntus + 1;
    bool *has_main = calloc(n1, sizeof(*has_main));
    bool *reached = calloc(n1, sizeof(*reached));
    struct ll_loc *loc = calloc(n1, sizeof(*loc));
    size_t *stamp = calloc(n1, sizeof(*stamp));
    size_t *queue = malloc(n1 * sizeof(*queue));
    size_t *nto = calloc(n1, sizeof(*nto));
    size_t **to = calloc(n1, sizeof(*to));
    struct ll_strmap defs;
    ll_strmap_init(&defs);
    int rc = -1;
    if (!has_main || !reached || !loc || !stamp || !queue || !nto || !to)
        goto out;
    size_t nmains = 0, first = 0;
    for (size_t t = 0; t < ntus; t++)
        if ((has_main[t] = defines_main(&tus[t], &loc[t])) && nmains++ == 0)
            first = t;
    if (whole) {
        rc = one_part(out, ntus, -1, (struct ll_loc){0, 0, 0});
        goto out;
    }
    if (nmains < 2) {
        rc = one_part(out, ntus, nmains ? (long)first : -1,
                      nmains ? loc[first] : (struct ll_loc){0, 0, 0});
        goto out;
    }
    if (index_definitions(&defs, tus, ntus, has_main) != 0)
        goto out;
    /* each TU's edges: at most one per TU it refers to */
    struct edges e = {0, stamp, queue, 0, &defs};
    for (size_t t = 0; t < ntus; t++) {
        e.t = t;
        tu_edges(&e, &tus[t]);
        nto[t] = e.n;
        to[t] = ll_arena_alloc_raw(&out->arena, (e.n + 1) * sizeof(**to));
        if (!to[t])
            goto out;
        memcpy(to[t], queue, e.n * sizeof(*queue));
    }
    memset(stamp, 0, n1 * sizeof(*stamp));
    out->parts = ll_arena_alloc(&out->arena, (nmains + 1) * sizeof(*out->parts));
    if (!out->parts)
        goto out;
    for (size_t t = 0; t < ntus; t++) {
        if (!has_main[t])
            continue;
        struct ll_program_part *p = &out->parts[out->nparts++];
        p->main_tu = (long)t;
        p->main_loc = loc[t];
        if (walk(out, t, to, nto, stamp, out->nparts, reached, queue, p) != 0)
            goto out;
    }
    /* what no main() reaches */
    size_t nleft = 0;
    for (size_t t = 0; t < ntus; t++)
        if (!reached[t])
            queue[nleft++] = t;
    if (nleft) {
        struct ll_program_part *p = &out->parts[out->nparts++];
        p->main_tu = -1;
        p->tus = ll_arena_alloc_raw(&out->arena, (nleft + 1) * sizeof(*p->tus));
        if (!p->tus)
            goto out;
        memcpy(p->tus, queue, nleft * sizeof(*queue));
        p->ntus = nleft;
    }
    rc = 0;
out:
    ll_strmap_release(&defs);
    free(has_main);
    free(reached);
    free(loc);
    free(stamp);
    free(queue);
    free(nto);
    free(to);
    return rc;
}

void ll_programs_release(struct ll_programs *p)
{
    ll_arena_release(&p->arena);
    memset(p, 0, sizeof(*p));
}
