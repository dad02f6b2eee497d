/*
 * fresh: blocks no other thread can see yet (fresh.h).  Bottom-up over
 * the call graph, each function gets, in this order: which of its
 * parameters it may keep (store, return, give to a thread or to a
 * function that may keep it), the locals it sets to a fresh block and
 * where each is still fresh (a must-analysis over its CFG), and whether it
 * is a constructor.  Callees in the same recursive component that are
 * not done yet count as keeping everything and as no constructors.
 */
#include "fresh.h"

#include "lockapi.h"
#include "view_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_VARS 64
#define MAX_PARAMS 16

bool ll_fresh_allocator(const char *api)
{
    return ll_lockapi_is_allocator(api);
}

/* C library functions that read or fill the memory they are given and
 * keep no pointer to it. */
static bool keeps_nothing(const char *api)
{
    static const char *const names[] = {
        "free",    "memset",   "memcpy",  "memmove",   "bzero",      "explicit_bzero", "memcmp",
        "strcpy",  "strncpy",  "strcat",  "strncat",   "strlen",     "strnlen",        "strcmp",
        "strncmp", "snprintf", "sprintf", "vsnprintf", "vsprintf",   "printf",         "fprintf",
        "realloc", "strlcpy",  "strlcat", "sem_init",  "sem_destroy"};
    static const char *const prefixes[] = {
        "pthread_mutex", "pthread_cond",    "pthread_rwlock",
        "pthread_spin",  "pthread_barrier", "mtx_",
        "cnd_",          "__builtin_mem",   "__builtin___mem",
        "__builtin_str", "__builtin___str", "__builtin___snprintf"};
    if (!api)
        return false;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(api, names[i]) == 0)
            return true;
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (strncmp(api, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

/* What a variable is: a local by name, or parameter `param` named `name`. */
struct var {
    const char *name;
    int param; /* -1: a local */
};

static bool rooted_at(const struct ll_path *p, const struct var *x)
{
    if (!p->key || !x->name)
        return false;
    if (x->param < 0 ? p->root != LL_ROOT_LOCAL : p->root != LL_ROOT_PARAM || p->param != x->param)
        return false;
    size_t n = strlen(x->name);
    return strncmp(p->key, x->name, n) == 0 &&
           (p->key[n] == '\0' || p->key[n] == '-' || p->key[n] == '[' || p->key[n] == '.' ||
            p->key[n] == '^');
}

/* Path p hands on x's block: x's value (`p`), the address of the variable
 * itself (`&p`, `own` set), or the address of part of the block (`&p->link`). */
static bool hands_on(const struct ll_path *p, const struct var *x, bool *own)
{
    *own = false;
    if (!rooted_at(p, x))
        return false;
    if (p->key[strlen(x->name)] == '\0') {
        *own = (p->flags & LL_PATH_ADDR) != 0;
        return !(p->flags & LL_PATH_DEREF);
    }
    return (p->flags & LL_PATH_ADDR) != 0;
}

/* Whether the callee of call event e of function i keeps its argument k. */
static bool call_keeps(const struct ll_view *v, const struct ll_fresh *fr, uint32_t i, uint32_t e,
                       uint32_t k)
{
    long c = ll_program_callee(&v->program, i, e);
    if (c >= 0)
        return k >= MAX_PARAMS || k >= v->fns[c].fn->nparams || (fr->kept[c] >> k & 1);
    return !keeps_nothing(v->fns[i].fn->events[e].api);
}

/* Whether event e of function i may let x's block escape: stored (not
 * into the block itself), given to a thread, passed to a function that may
 * keep it, or (a parameter) returned. */
static bool escapes_at(const struct ll_view *v, const struct ll_fresh *fr, uint32_t i, uint32_t e,
                       const struct var *x)
{
    const struct ll_event *ev = &v->fns[i].fn->events[e];
    bool own;
    switch (ev->kind) {
    case LL_EV_ACCESS:
        return hands_on(&ev->aux, x, &own) &&
               !(rooted_at(&ev->obj, x) && !own && (ev->obj.flags & LL_PATH_DEREF));
    case LL_EV_THREAD_CREATE:
    case LL_EV_CALL:
        if (ev->kind == LL_EV_THREAD_CREATE && hands_on(&ev->aux, x, &own))
            return true;
        for (uint32_t k = 0; k < ev->nargs; k++)
            if (hands_on(&ev->args[k], x, &own) &&
                (own || ev->kind == LL_EV_THREAD_CREATE || call_keeps(v, fr, i, e, k)))
                return true;
        return false;
    case LL_EV_RETURN:
        /* a returned local may be a copy of the parameter */
        return x->param >= 0 && ev->result_var &&
               !(ev->result_var[0] >= '0' && ev->result_var[0] <= '9') && ev->result_var[0] != '-';
    default:
        return false;
    }
}

static void compute_kept(const struct ll_view *v, struct ll_fresh *fr, uint32_t i)
{
    const struct ll_function *fn = v->fns[i].fn;
    uint16_t kept = 0;
    for (uint32_t p = 0; p < fn->nparams && p < MAX_PARAMS; p++) {
        struct var x = {fn->params[p], (int)p};
        if (!x.name || !*x.name)
            continue;
        for (uint32_t e = 0; e < fn->nevents && !(kept >> p & 1); e++)
            if (escapes_at(v, fr, i, e, &x))
                kept |= (uint16_t)(1u << p);
    }
    fr->kept[i] = kept;
}

/* Whether call event e of function i returns a fresh block. */
static bool makes_fresh(const struct ll_view *v, const struct ll_fresh *fr, uint32_t i, uint32_t e)
{
    long c = ll_program_callee(&v->program, i, e);
    return ll_fresh_allocator(v->fns[i].fn->events[e].api) || (c >= 0 && fr->constructor[c]);
}

static int var_index(const struct ll_fresh *fr, uint32_t i, const char *name)
{
    for (uint32_t k = 0; name && k < fr->nvars[i]; k++)
        if (strcmp(fr->vars[i][k], name) == 0)
            return (int)k;
    return -1;
}

static int collect_vars(const struct ll_view *v, struct ll_fresh *fr, struct ll_arena *a,
                        uint32_t i)
{
    const struct ll_function *fn = v->fns[i].fn;
    const char *found[MAX_VARS];
    uint32_t n = 0;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind != LL_EV_CALL || !ev->result_var || !makes_fresh(v, fr, i, e))
            continue;
        bool dup = false;
        for (uint32_t k = 0; k < n && !dup; k++)
            dup = strcmp(found[k], ev->result_var) == 0;
        if (!dup && n < MAX_VARS)
            found[n++] = ev->result_var;
    }
    fr->nvars[i] = n;
    if (n == 0)
        return 0;
    fr->vars[i] = ll_arena_alloc(a, n * sizeof(*fr->vars[i]));
    fr->before[i] = ll_arena_alloc(a, (fn->nevents + 1) * sizeof(uint64_t));
    if (!fr->vars[i] || !fr->before[i])
        return -1;
    memcpy(fr->vars[i], found, n * sizeof(*found));
    memset(fr->before[i], 0, (fn->nevents + 1) * sizeof(uint64_t));
    return 0;
}

/* The fresh locals after event e, given those before it. */
static uint64_t transfer(const struct ll_view *v, const struct ll_fresh *fr, uint32_t i, uint32_t e,
                         uint64_t s)
{
    const struct ll_event *ev = &v->fns[i].fn->events[e];
    for (uint32_t k = 0; k < fr->nvars[i]; k++) {
        if (!(s >> k & 1))
            continue;
        struct var x = {fr->vars[i][k], -1};
        bool assigned =
            (ev->kind == LL_EV_ACCESS && (ev->flags & LL_EVF_WRITE) &&
             ev->obj.root == LL_ROOT_LOCAL && !(ev->obj.flags & LL_PATH_DEREF) && ev->obj.key &&
             strcmp(ev->obj.key, x.name) == 0) ||
            (ev->result_var && ev->kind != LL_EV_RETURN && strcmp(ev->result_var, x.name) == 0);
        if (assigned || escapes_at(v, fr, i, e, &x))
            s &= ~(1ull << k);
    }
    int k = ev->kind == LL_EV_CALL ? var_index(fr, i, ev->result_var) : -1;
    if (k >= 0 && makes_fresh(v, fr, i, e))
        s |= 1ull << k;
    return s;
}

/* Where each tracked local is fresh: IN sets start at "all" and meet
 * (intersect) along the edges, the entry at "none". */
static int flow(const struct ll_view *v, struct ll_fresh *fr, uint32_t i)
{
    const struct ll_function *fn = v->fns[i].fn;
    uint32_t nb = fn->nblocks;
    uint64_t *in = malloc((nb + 1) * sizeof(*in));
    uint32_t *work = malloc((nb + 1) * sizeof(*work));
    bool *seen = calloc(nb + 1, sizeof(*seen)), *queued = calloc(nb + 1, sizeof(*queued));
    int rc = -1;
    if (!in || !work || !seen || !queued)
        goto out;
    for (uint32_t b = 0; b < nb; b++)
        in[b] = ~0ull;
    uint32_t nw = 0;
    if (nb > 0) {
        in[0] = 0;
        seen[0] = queued[0] = true;
        work[nw++] = 0;
    }
    while (nw > 0) {
        uint32_t b = work[--nw];
        queued[b] = false;
        const struct ll_block *blk = &fn->blocks[b];
        uint64_t s = in[b];
        for (uint32_t k = 0; k < blk->nevents; k++) {
            uint32_t e = blk->first_event + k;
            fr->before[i][e] = s;
            s = transfer(v, fr, i, e, s);
        }
        for (uint32_t k = 0; k < blk->nsucc; k++) {
            uint32_t t = blk->succ[k];
            if (t >= nb || (seen[t] && (in[t] & s) == in[t]))
                continue;
            in[t] = seen[t] ? in[t] & s : s;
            seen[t] = true;
            if (!queued[t]) {
                queued[t] = true;
                work[nw++] = t;
            }
        }
    }
    rc = 0;
out:
    free(in);
    free(work);
    free(seen);
    free(queued);
    return rc;
}

/* A constructor returns a pointer, and on every reached return NULL or a
 * fresh block, at least once the block. */
static bool is_constructor(const struct ll_view *v, const struct ll_fresh *fr, uint32_t i)
{
    const struct ll_fn_view *f = &v->fns[i];
    if (!(f->fn->flags & LL_FN_RETURNS_POINTER) || f->is_dispatcher)
        return false;
    bool block = false;
    for (uint32_t e = 0; e < f->fn->nevents; e++) {
        const struct ll_event *ev = &f->fn->events[e];
        if (ev->kind != LL_EV_RETURN || !f->df.reached[e])
            continue;
        const char *r = ev->result_var;
        int k = var_index(fr, i, r);
        if (r && strcmp(r, "0") == 0)
            continue;
        if (k >= 0 && (fr->before[i][e] >> k & 1)) {
            block = true;
            continue;
        }
        if (ev->obj.root == LL_ROOT_CALL && ev->obj.text && !r) {
            long c = ev->obj.root_usr ? ll_program_find(&v->program, ev->obj.root_usr) : -1;
            size_t n = strlen(ev->obj.text);
            char name[128];
            bool lib = n > 2 && n < sizeof(name) && strcmp(ev->obj.text + n - 2, "()") == 0;
            if (lib) {
                memcpy(name, ev->obj.text, n - 2);
                name[n - 2] = '\0';
            }
            if (c >= 0 ? fr->constructor[c] : lib && ll_fresh_allocator(name)) {
                block = true;
                continue;
            }
        }
        return false;
    }
    return block;
}

int ll_fresh_build(const struct ll_view *v, struct ll_arena *a, struct ll_fresh *out)
{
    size_t n = v->nfns;
    memset(out, 0, sizeof(*out));
    out->nfns = n;
    out->constructor = ll_arena_alloc(a, (n + 1) * sizeof(*out->constructor));
    out->kept = ll_arena_alloc(a, (n + 1) * sizeof(*out->kept));
    out->nvars = ll_arena_alloc(a, (n + 1) * sizeof(*out->nvars));
    out->vars = ll_arena_alloc(a, (n + 1) * sizeof(*out->vars));
    out->before = ll_arena_alloc(a, (n + 1) * sizeof(*out->before));
    if (!out->constructor || !out->kept || !out->nvars || !out->vars || !out->before)
        return -1;
    for (size_t i = 0; i < n; i++) {
        out->constructor[i] = false;
        out->kept[i] = UINT16_MAX;
        out->nvars[i] = 0;
        out->vars[i] = NULL;
        out->before[i] = NULL;
    }
    for (uint32_t o = 0; o < v->cg.n; o++) {
        uint32_t i = v->cg.order[o];
        compute_kept(v, out, i);
        if (collect_vars(v, out, a, i) != 0 || (out->nvars[i] && flow(v, out, i) != 0))
            return -1;
        out->constructor[i] = is_constructor(v, out, i);
    }
    return 0;
}

bool ll_fresh_local(const struct ll_fresh *fr, uint32_t fn, const char *name, uint32_t e)
{
    if (fn >= fr->nfns || !fr->before[fn])
        return false;
    int k = var_index(fr, fn, name);
    return k >= 0 && (fr->before[fn][e] >> k & 1);
}
