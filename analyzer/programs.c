/*
 * programs: the TUs of each main() (programs.h) -- every external symbol's
 * defining TUs, each TU's references to symbols it does not define, and
 * one walk of those references per main(), which links a symbol several
 * TUs define the way its other references decide (see ll_programs_linked).
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

/* One definition of a symbol: its TU, the next definition (UINT32_MAX
 * ends), and whether it is a copy of an earlier one (the same file, line
 * and column: one source file compiled twice, a definition in a header). */
struct def {
    size_t tu;
    uint32_t next;
    bool copy;
    const char *file;
    struct ll_loc loc;
};

/* Every external symbol (a non-static function, a defined non-static
 * variable) and the TUs defining it, in input order; each TU's references
 * to symbols it does not define itself, each once. */
struct symtab {
    struct ll_strmap ids; /* USR -> symbol */
    size_t nsyms, capsyms;
    uint32_t *head, *tail; /* per symbol: its definitions */
    size_t ndefs, capdefs;
    struct def *defs;
    size_t *nrefs;
    uint32_t **refs; /* per TU: the symbols it refers to */
    const bool *has_main;
};

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int define(struct symtab *s, const struct ll_tu_facts *tus, size_t t, const char *usr,
                  struct ll_loc loc)
{
    size_t id = ll_strmap_get(&s->ids, usr);
    if (id == (size_t)-1) {
        id = s->nsyms;
        size_t c = s->capsyms;
        if (grow((void **)&s->head, &c, id + 1, sizeof(*s->head)) != 0 ||
            grow((void **)&s->tail, &s->capsyms, id + 1, sizeof(*s->tail)) != 0 ||
            ll_strmap_put(&s->ids, usr, id) < 0)
            return -1;
        s->head[id] = s->tail[id] = UINT32_MAX;
        s->nsyms++;
    }
    if (grow((void **)&s->defs, &s->capdefs, s->ndefs + 1, sizeof(*s->defs)) != 0)
        return -1;
    const char *file = loc.file < tus[t].nfiles ? tus[t].files[loc.file] : "";
    struct def d = {t, UINT32_MAX, false, file, loc};
    for (uint32_t k = s->head[id]; k != UINT32_MAX && !d.copy; k = s->defs[k].next)
        d.copy = s->defs[k].tu == t ||
                 (s->defs[k].loc.line == loc.line && s->defs[k].loc.col == loc.col &&
                  strcmp(s->defs[k].file, file) == 0);
    uint32_t k = (uint32_t)s->ndefs++;
    s->defs[k] = d;
    if (s->tail[id] == UINT32_MAX)
        s->head[id] = k;
    else
        s->defs[s->tail[id]].next = k;
    s->tail[id] = k;
    return 0;
}

static int index_definitions(struct symtab *s, const struct ll_tu_facts *tus, size_t ntus)
{
    for (size_t t = 0; t < ntus; t++) {
        const struct ll_tu_facts *tu = &tus[t];
        for (uint32_t i = 0; i < tu->nfunctions; i++)
            if (!(tu->functions[i].flags & LL_FN_STATIC) &&
                define(s, tus, t, tu->functions[i].usr, tu->functions[i].loc) != 0)
                return -1;
        for (uint32_t i = 0; i < tu->nglobals; i++) {
            const struct ll_global *g = &tu->globals[i];
            if ((g->flags & LL_GV_DEFINITION) && !(g->flags & LL_GV_STATIC) &&
                define(s, tus, t, g->usr, g->loc) != 0)
                return -1;
        }
    }
    return 0;
}

static bool defined_in(const struct symtab *s, uint32_t id, size_t t)
{
    for (uint32_t k = s->head[id]; k != UINT32_MAX; k = s->defs[k].next)
        if (s->defs[k].tu == t)
            return true;
    return false;
}

/* The references of one TU, each once. */
struct refs {
    size_t t;
    size_t *seen; /* per symbol: t + 1 once it is in `to` */
    uint32_t *to;
    size_t n;
    const struct symtab *s;
};

static void refer(struct refs *e, const char *usr)
{
    if (!usr || usr[0] == '@')
        return; /* a slot: what it holds is referred to where it is stored */
    size_t id = ll_strmap_get(&e->s->ids, usr);
    if (id == (size_t)-1 || e->seen[id] == e->t + 1 || defined_in(e->s, (uint32_t)id, e->t))
        return; /* a TU's own definition is the one its references mean */
    e->seen[id] = e->t + 1;
    e->to[e->n++] = (uint32_t)id;
}

static void refer_path(struct refs *e, const struct ll_path *p)
{
    if (p->root == LL_ROOT_GLOBAL)
        refer(e, p->root_usr);
}

static void tu_refs(struct refs *e, const struct ll_tu_facts *tu)
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

static void symtab_release(struct symtab *s, size_t ntus)
{
    ll_strmap_release(&s->ids);
    free(s->head);
    free(s->tail);
    free(s->defs);
    if (s->refs)
        for (size_t t = 0; t < ntus; t++)
            free(s->refs[t]);
    free(s->refs);
    free(s->nrefs);
}

/* The symbol table of `ntus` TUs and each TU's references. */
static int symtab_build(struct symtab *s, const struct ll_tu_facts *tus, size_t ntus,
                        const bool *has_main)
{
    memset(s, 0, sizeof(*s));
    ll_strmap_init(&s->ids);
    s->has_main = has_main;
    if (index_definitions(s, tus, ntus) != 0)
        return -1;
    s->nrefs = calloc(ntus + 1, sizeof(*s->nrefs));
    s->refs = calloc(ntus + 1, sizeof(*s->refs));
    size_t *seen = calloc(s->nsyms + 1, sizeof(*seen));
    uint32_t *to = malloc((s->nsyms + 1) * sizeof(*to));
    int rc = s->nrefs && s->refs && seen && to ? 0 : -1;
    struct refs e = {0, seen, to, 0, s};
    for (size_t t = 0; t < ntus && rc == 0; t++) {
        e.t = t;
        tu_refs(&e, &tus[t]);
        s->nrefs[t] = e.n;
        s->refs[t] = malloc((e.n + 1) * sizeof(**s->refs));
        if (s->refs[t])
            memcpy(s->refs[t], to, e.n * sizeof(*to));
        else
            rc = -1;
    }
    free(seen);
    free(to);
    return rc;
}

/* The state of one walk: TUs linked (stamp == mark), the queue, and the
 * symbols several TUs define that a linked TU refers to (pending). */
struct walk {
    const struct symtab *s;
    size_t m, mark;
    size_t *stamp, *queue, head, tail;
    size_t *sym_stamp; /* per symbol: mark once pending */
    uint32_t *pending;
    size_t npending;
};

static void link_tu(struct walk *w, size_t t)
{
    if (w->stamp[t] == w->mark)
        return;
    w->stamp[t] = w->mark;
    w->queue[w->tail++] = t;
}

/* The definitions a linker could take for symbol `id` in main()'s program:
 * none when main()'s TU defines it (it is the definition there), else
 * those not in another main()'s TU, copies left out.  Returns how many,
 * and the first in *one. */
static size_t candidates(const struct walk *w, uint32_t id, size_t *one)
{
    const struct symtab *s = w->s;
    if (defined_in(s, id, w->m))
        return 0;
    size_t n = 0;
    for (uint32_t k = s->head[id]; k != UINT32_MAX; k = s->defs[k].next) {
        const struct def *d = &s->defs[k];
        if (d->copy || s->has_main[d->tu])
            continue;
        if (n++ == 0)
            *one = d->tu;
    }
    return n;
}

static bool some_linked(const struct walk *w, uint32_t id)
{
    const struct symtab *s = w->s;
    for (uint32_t k = s->head[id]; k != UINT32_MAX; k = s->defs[k].next)
        if (!s->has_main[s->defs[k].tu] && w->stamp[s->defs[k].tu] == w->mark)
            return true;
    return false;
}

/*
 * The TUs a linker would link with main() in TU m: what main()'s TU refers
 * to, transitively.  A symbol one TU defines links it; one several TUs
 * define waits until the references of one definite symbol have linked
 * one of them (that one is the definition: a program links one), and only
 * a symbol no TU linked so far defines links every TU that does, one
 * symbol at a time, in the order referred to.
 */
static void walk_main(struct walk *w)
{
    w->head = w->tail = w->npending = 0;
    link_tu(w, w->m);
    for (;;) {
        while (w->head < w->tail) {
            size_t t = w->queue[w->head++];
            for (size_t i = 0; i < w->s->nrefs[t]; i++) {
                uint32_t id = w->s->refs[t][i];
                size_t one = 0, n = candidates(w, id, &one);
                if (n == 1)
                    link_tu(w, one);
                else if (n > 1 && w->sym_stamp[id] != w->mark) {
                    w->sym_stamp[id] = w->mark;
                    w->pending[w->npending++] = id;
                }
            }
        }
        size_t i = 0;
        while (i < w->npending && some_linked(w, w->pending[i]))
            i++;
        if (i == w->npending)
            return;
        uint32_t id = w->pending[i];
        for (uint32_t k = w->s->head[id]; k != UINT32_MAX; k = w->s->defs[k].next)
            if (!w->s->defs[k].copy && !w->s->has_main[w->s->defs[k].tu])
                link_tu(w, w->s->defs[k].tu);
    }
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
static int take_part(struct ll_programs *out, struct walk *w, bool *reached,
                     struct ll_program_part *part)
{
    walk_main(w);
    qsort(w->queue, w->tail, sizeof(*w->queue), cmp_size);
    part->tus = ll_arena_alloc_raw(&out->arena, (w->tail + 1) * sizeof(*part->tus));
    if (!part->tus)
        return -1;
    memcpy(part->tus, w->queue, w->tail * sizeof(*w->queue));
    part->ntus = w->tail;
    for (size_t i = 0; i < w->tail; i++)
        reached[w->queue[i]] = true;
    return 0;
}

static int walk_init(struct walk *w, const struct symtab *s, size_t ntus)
{
    memset(w, 0, sizeof(*w));
    w->s = s;
    w->stamp = calloc(ntus + 1, sizeof(*w->stamp));
    w->queue = malloc((ntus + 1) * sizeof(*w->queue));
    w->sym_stamp = calloc(s->nsyms + 1, sizeof(*w->sym_stamp));
    w->pending = malloc((s->nsyms + 1) * sizeof(*w->pending));
    return w->stamp && w->queue && w->sym_stamp && w->pending ? 0 : -1;
}

static void walk_release(struct walk *w)
{
    free(w->stamp);
    free(w->queue);
    free(w->sym_stamp);
    free(w->pending);
}

int ll_programs_linked(const struct ll_tu_facts *tus, size_t ntus, size_t main_tu, bool *linked)
{
    bool *has_main = calloc(ntus + 1, sizeof(*has_main));
    struct symtab s;
    struct walk w;
    memset(&s, 0, sizeof(s));
    memset(&w, 0, sizeof(w));
    int rc = -1;
    if (!has_main || symtab_build(&s, tus, ntus, has_main) != 0 || walk_init(&w, &s, ntus) != 0)
        goto out;
    has_main[main_tu] = true;
    w.m = main_tu;
    w.mark = 1;
    walk_main(&w);
    for (size_t t = 0; t < ntus; t++)
        linked[t] = w.stamp[t] == 1;
    rc = 0;
out:
    walk_release(&w);
    symtab_release(&s, ntus);
    free(has_main);
    return rc;
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
    struct symtab s;
    struct walk w;
    memset(&s, 0, sizeof(s));
    memset(&w, 0, sizeof(w));
    int rc = -1;
    if (!has_main || !reached || !loc)
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
    if (symtab_build(&s, tus, ntus, has_main) != 0 || walk_init(&w, &s, ntus) != 0)
        goto out;
    out->parts = ll_arena_alloc(&out->arena, (nmains + 1) * sizeof(*out->parts));
    if (!out->parts)
        goto out;
    for (size_t t = 0; t < ntus; t++) {
        if (!has_main[t])
            continue;
        struct ll_program_part *p = &out->parts[out->nparts++];
        p->main_tu = (long)t;
        p->main_loc = loc[t];
        w.m = t;
        w.mark = out->nparts;
        if (take_part(out, &w, reached, p) != 0)
            goto out;
    }
    /* what no main() reaches */
    size_t nleft = 0;
    for (size_t t = 0; t < ntus; t++)
        if (!reached[t])
            w.queue[nleft++] = t;
    if (nleft) {
        struct ll_program_part *p = &out->parts[out->nparts++];
        p->main_tu = -1;
        p->tus = ll_arena_alloc_raw(&out->arena, (nleft + 1) * sizeof(*p->tus));
        if (!p->tus)
            goto out;
        memcpy(p->tus, w.queue, nleft * sizeof(*w.queue));
        p->ntus = nleft;
    }
    rc = 0;
out:
    walk_release(&w);
    symtab_release(&s, ntus);
    free(has_main);
    free(reached);
    free(loc);
    return rc;
}

void ll_programs_release(struct ll_programs *p)
{
    ll_arena_release(&p->arena);
    memset(p, 0, sizeof(*p));
}
