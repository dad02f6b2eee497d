/*
 * blocks: see blocks.h.
 */
#include "blocks.h"

#include "bitset.h"
#include "fresh.h"
#include "view_internal.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const char none[] = ""; /* names no block (NULL: no call seen yet) */

/* The name at the start of a key ("c" of "c->n"). */
static size_t root_len(const char *key)
{
    size_t n = 0;
    while (key[n] == '_' || (key[n] >= 'a' && key[n] <= 'z') || (key[n] >= 'A' && key[n] <= 'Z') ||
           (key[n] >= '0' && key[n] <= '9'))
        n++;
    return n;
}

/* Whether key is `name` itself or `name->...`. */
static bool from_name(const char *key, const char *name, size_t n)
{
    return strncmp(key, name, n) == 0 && (key[n] == '\0' || strncmp(key + n, "->", 2) == 0);
}

static bool names_plain(const struct ll_path *p, const char *name, size_t n)
{
    return p->key && strncmp(p->key, name, n) == 0 && p->key[n] == '\0' &&
           !(p->flags & (LL_PATH_ADDR | LL_PATH_DEREF));
}

/* A pointer value (an argument, a start argument) that is a variable
 * itself: `c`, not `&c`, `*c` or `c->next`. */
static bool names_block(const struct ll_path *p)
{
    return p->key && !(p->flags & (LL_PATH_ADDR | LL_PATH_DEREF)) && root_len(p->key) > 0 &&
           p->key[root_len(p->key)] == '\0';
}

static bool takes_address(const struct ll_path *p, const char *name, size_t n)
{
    return p->root == LL_ROOT_LOCAL && (p->flags & LL_PATH_ADDR) && p->key &&
           strncmp(p->key, name, n) == 0 && p->key[n] == '\0';
}

/* What event ev does to local `name` (n characters): assigns it (a
 * declaration's initialiser is the access whose aux is the value), or
 * disqualifies it as a block local (takes its address, writes it other
 * than by that assignment). */
static void classify(const struct ll_event *ev, const char *name, size_t n, bool *assigns,
                     bool *bad)
{
    *assigns = (ev->result_var && ev->kind != LL_EV_RETURN &&
                strncmp(ev->result_var, name, n) == 0 && ev->result_var[n] == '\0') ||
               (ev->kind == LL_EV_ACCESS && ev->obj.root == LL_ROOT_LOCAL &&
                names_plain(&ev->obj, name, n) && ev->aux.root != LL_ROOT_NONE && ev->aux.key);
    *bad = takes_address(&ev->obj, name, n) || takes_address(&ev->aux, name, n);
    for (uint32_t k = 0; k < ev->nargs && !*bad; k++)
        *bad = takes_address(&ev->args[k], name, n);
    if (ev->kind == LL_EV_ACCESS && (ev->flags & LL_EVF_WRITE) && ev->obj.root == LL_ROOT_LOCAL &&
        names_plain(&ev->obj, name, n) && !*assigns)
        *bad = true;
}

struct def_rec {
    const char *name;
    uint32_t e;
};

static int cmp_rec(const void *x, const void *y)
{
    const struct def_rec *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    return c ? c : a->e < b->e ? -1 : a->e > b->e;
}

static bool is_name(const char *s)
{
    return s && root_len(s) > 0 && s[root_len(s)] == '\0';
}

/* Every local of fn an event may assign or disqualify, with its one
 * definition: the event index, or -1 (never assigned) or -2 (assigned
 * twice, written, or its address taken).  One scan of the events and a
 * sort; the answer does not depend on the order of the events. */
static int build_defs(struct ll_arena *a, const struct ll_function *fn, struct ll_local_def **out,
                      uint32_t *nout)
{
    size_t cap = 0, n = 0;
    for (uint32_t e = 0; e < fn->nevents; e++)
        cap += 3 + fn->events[e].nargs;
    struct def_rec *r = malloc((cap + 1) * sizeof(*r));
    if (!r)
        return -1;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind != LL_EV_RETURN && is_name(ev->result_var))
            r[n++] = (struct def_rec){ev->result_var, e};
        if (ev->obj.root == LL_ROOT_LOCAL && is_name(ev->obj.key))
            r[n++] = (struct def_rec){ev->obj.key, e};
        if (ev->aux.root == LL_ROOT_LOCAL && (ev->aux.flags & LL_PATH_ADDR) && is_name(ev->aux.key))
            r[n++] = (struct def_rec){ev->aux.key, e};
        for (uint32_t k = 0; k < ev->nargs; k++)
            if (ev->args[k].root == LL_ROOT_LOCAL && (ev->args[k].flags & LL_PATH_ADDR) &&
                is_name(ev->args[k].key))
                r[n++] = (struct def_rec){ev->args[k].key, e};
    }
    qsort(r, n, sizeof(*r), cmp_rec);
    struct ll_local_def *d = ll_arena_alloc(a, (n + 1) * sizeof(*d));
    if (!d) {
        free(r);
        return -1;
    }
    uint32_t nd = 0;
    for (size_t j = 0; j < n; j++) {
        if (j > 0 && r[j].e == r[j - 1].e && strcmp(r[j].name, r[j - 1].name) == 0)
            continue; /* one event naming the local twice */
        if (nd == 0 || strcmp(d[nd - 1].name, r[j].name) != 0)
            d[nd++] = (struct ll_local_def){r[j].name, -1, NULL};
        struct ll_local_def *x = &d[nd - 1];
        bool assigns, bad;
        classify(&fn->events[r[j].e], x->name, strlen(x->name), &assigns, &bad);
        if (bad || (assigns && x->def >= 0))
            x->def = -2;
        else if (assigns && x->def == -1)
            x->def = r[j].e;
    }
    free(r);
    *out = d;
    *nout = nd;
    return 0;
}

/* Local `name` (n characters) of function i, as build_defs() found it, or
 * NULL when no event assigns or disqualifies it. */
static struct ll_local_def *local_def(const struct ll_blocks *b, uint32_t i, const char *name,
                                      size_t n)
{
    const struct ll_local_def *d = b->defs[i];
    size_t lo = 0, hi = b->ndefs[i];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(d[mid].name, name, n);
        if (c == 0 && d[mid].name[n] != '\0')
            c = 1;
        if (c == 0)
            return &b->defs[i][mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static const char *block_of_local(const struct ll_blocks *b, uint32_t i, const char *name,
                                  size_t n);

/* While building, the block functions below answer `none` for a pointer
 * that names no block and NULL for one not known yet (a parameter no
 * call has reached in the fixpoint so far). */
static const char *param_block(const struct ll_blocks *b, uint32_t i, long p)
{
    const struct ll_function *fn = b->v->fns[i].fn;
    if (p < 0 || (uint32_t)p >= fn->nparams)
        return none;
    return b->param[i][p];
}

static const char *block_of_root(const struct ll_blocks *b, uint32_t i, const struct ll_path *p)
{
    const struct ll_function *fn = b->v->fns[i].fn;
    if (!p->key)
        return none;
    size_t n = root_len(p->key);
    if (n == 0 || !from_name(p->key, p->key, n))
        return none;
    if (p->root == LL_ROOT_PARAM && p->param >= 0 && (uint32_t)p->param < fn->nparams &&
        fn->params[p->param] && strlen(fn->params[p->param]) == n &&
        strncmp(fn->params[p->param], p->key, n) == 0)
        return param_block(b, i, p->param);
    if (p->root == LL_ROOT_LOCAL)
        return block_of_local(b, i, p->key, n);
    return none;
}

/* Whether function i may run in several instances at once: some thread
 * root that reaches it does (a routine created in a loop or at several
 * sites, a library's entry points).  Its block locals then name a block
 * per run, and one name for them all would pair one run's accesses with
 * a thread another run started. */
static bool runs_several_at_once(const struct ll_view *v, uint32_t i)
{
    const uint64_t *reach = ll_view_fn_roots(v, i);
    for (uint32_t r = 0; r < v->cg.nroots; r++)
        if (ll_bitset_has(reach, r) && v->cg.roots[r].multi_instance)
            return true;
    return false;
}

/* A block local's name, or what a local copy of a parameter names. */
static const char *block_of_local(const struct ll_blocks *b, uint32_t i, const char *name, size_t n)
{
    const struct ll_fn_view *f = &b->v->fns[i];
    struct ll_local_def *x = local_def(b, i, name, n);
    if (!x || x->def < 0)
        return none;
    if (x->block)
        return x->block;
    const struct ll_event *def = &f->fn->events[x->def];
    if (def->kind == LL_EV_ACCESS) { /* `T *c = arg;` */
        const struct ll_path *from = &def->aux;
        return from->root == LL_ROOT_PARAM && !(from->flags & (LL_PATH_ADDR | LL_PATH_DEREF))
                   ? block_of_root(b, i, from)
                   : none;
    }
    /* a call's result: the answer no longer changes */
    x->block = none;
    if (def->kind != LL_EV_CALL || def->loop_depth > 0 || runs_several_at_once(b->v, i))
        return none;
    bool fresh = ll_event_allocates(def);
    if (!fresh && !(def->flags & LL_EVF_INDIRECT) && f->calls && f->calls[x->def] &&
        f->calls[x->def]->callee >= 0)
        fresh = b->fresh->constructor[f->calls[x->def]->callee];
    if (!fresh || n >= 128)
        return none;
    x->block = ll_arena_printf(b->a, "@%s|%s", f->fn->usr, x->name);
    return x->block ? x->block : none;
}

const char *ll_block_of(const struct ll_blocks *b, uint32_t fn, const struct ll_path *p)
{
    if (!b->param)
        return NULL;
    const char *k = block_of_root(b, fn, p);
    return k == none ? NULL : k;
}

/* ---- the fixpoint ---------------------------------------------------- */

/* Meets what one call passes (`got`: a block, none, or NULL when not
 * known yet) into a parameter's block; true when it changed.  NULL -> a
 * block -> none, at most. */
static bool meet(const char **slot, const char *got)
{
    const char *now = *slot;
    if (now == none || !got)
        return false;
    const char *met = got == none ? none : !now ? got : strcmp(now, got) == 0 ? now : none;
    *slot = met;
    return met != now;
}

/* Functions called from places not seen: a root (but a start routine,
 * whose creation is seen), or one whose address is taken. */
static bool callers_unseen(const struct ll_view *v, uint32_t i, const bool *taken)
{
    const struct ll_fn_view *f = &v->fns[i];
    if (f->is_start_routine)
        return f->is_main;
    return ll_fn_is_root(f) || taken[i];
}

static int init_params(struct ll_blocks *b, const uint32_t *start_fn)
{
    const struct ll_view *v = b->v;
    bool *taken = ll_view_address_taken(v);
    if (!taken)
        return -1;
    for (size_t i = 0; i < v->nfns; i++) {
        const struct ll_fn_view *f = &v->fns[i];
        b->param[i] = ll_arena_alloc(b->a, (f->fn->nparams + 1) * sizeof(**b->param));
        if (!b->param[i]) {
            free(taken);
            return -1;
        }
        bool unseen = callers_unseen(v, (uint32_t)i, taken);
        for (uint32_t p = 0; p < f->fn->nparams; p++)
            b->param[i][p] = unseen ? none : NULL;
        /* a start routine created at several sites, or at none seen */
        if (f->is_start_routine && f->fn->nparams > 0 && start_fn[i] >= UINT32_MAX - 1)
            b->param[i][0] = none;
    }
    free(taken);
    return 0;
}

/* One pass over function i's calls and creations; true when a parameter
 * of a callee or a start routine changed. */
static bool pass_calls(struct ll_blocks *b, uint32_t i, const uint32_t *start_fn,
                       const uint32_t *start_ev)
{
    const struct ll_view *v = b->v;
    const struct ll_fn_view *f = &v->fns[i];
    bool changed = false;
    for (uint32_t e = 0; e < f->fn->nevents; e++) {
        const struct ll_event *ev = &f->fn->events[e];
        if (!f->df.reached[e])
            continue;
        if (ev->kind == LL_EV_THREAD_CREATE) {
            long r = ll_program_find(&v->program, ev->callee);
            if (r >= 0 && start_fn[r] == i && start_ev[r] == e && v->fns[r].fn->nparams > 0) {
                const char *got = ev->loop_depth > 0 || !names_block(&ev->aux)
                                      ? none
                                      : block_of_root(b, i, &ev->aux);
                changed |= meet(&b->param[r][0], got);
            }
            continue;
        }
        const struct ll_call_info *ci = f->calls ? f->calls[e] : NULL;
        if (!ci || ci->callee < 0)
            continue;
        uint32_t k = (uint32_t)ci->callee;
        for (uint32_t p = 0; p < v->fns[k].fn->nparams; p++) {
            const struct ll_path *arg = p < ev->nargs ? &ev->args[p] : NULL;
            const char *got = arg && names_block(arg) ? block_of_root(b, i, arg) : none;
            changed |= meet(&b->param[k][p], got);
        }
    }
    return changed;
}

/* The blocks start routines are given, once each. */
static int collect_given(struct ll_blocks *b)
{
    const struct ll_view *v = b->v;
    b->given = ll_arena_alloc(b->a, (v->nfns + 1) * sizeof(*b->given));
    if (!b->given)
        return -1;
    b->ngiven = 0;
    for (uint32_t i = 0; i < v->nfns; i++) {
        const char *k = ll_block_given(b, i);
        if (k && !ll_block_handed(b, k))
            b->given[b->ngiven++] = k;
    }
    return 0;
}

int ll_blocks_build(const struct ll_view *v, struct ll_arena *a, const struct ll_fresh *fresh,
                    const uint32_t *start_fn, const uint32_t *start_ev, struct ll_blocks *out)
{
    memset(out, 0, sizeof(*out));
    out->v = v;
    out->a = a;
    out->fresh = fresh;
    out->param = ll_arena_alloc(a, (v->nfns + 1) * sizeof(*out->param));
    out->defs = ll_arena_alloc(a, (v->nfns + 1) * sizeof(*out->defs));
    out->ndefs = ll_arena_alloc(a, (v->nfns + 1) * sizeof(*out->ndefs));
    if (!out->param || !out->defs || !out->ndefs || init_params(out, start_fn) != 0)
        return -1;
    for (size_t i = 0; i < v->nfns; i++)
        if (build_defs(a, v->fns[i].fn, &out->defs[i], &out->ndefs[i]) != 0)
            return -1;
    /* each parameter moves from NULL to a block to none at most: the
     * loop ends */
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t o = v->cg.n; o-- > 0;)
            changed |= pass_calls(out, v->cg.order[o], start_fn, start_ev);
    }
    /* a parameter no call reached names none */
    for (size_t i = 0; i < v->nfns; i++)
        for (uint32_t p = 0; p < v->fns[i].fn->nparams; p++)
            if (!out->param[i][p])
                out->param[i][p] = none;
    return collect_given(out);
}

const char *ll_block_given(const struct ll_blocks *b, uint32_t fn)
{
    const struct ll_fn_view *f = &b->v->fns[fn];
    if (!b->param || !f->is_start_routine || f->fn->nparams == 0 || b->param[fn][0] == none)
        return NULL;
    return b->param[fn][0];
}

bool ll_block_handed(const struct ll_blocks *b, const char *block)
{
    for (size_t k = 0; block && k < b->ngiven; k++)
        if (strcmp(b->given[k], block) == 0)
            return true;
    return false;
}
