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

/* Lock API calls: they touch the lock they are given, no pointer beside it. */
static bool lock_api(const char *api)
{
    static const char *const prefixes[] = {"pthread_mutex", "pthread_cond", "pthread_rwlock",
                                           "pthread_spin",  "mtx_",         "cnd_"};
    for (size_t i = 0; api && i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (strncmp(api, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

/* A local's part (`st.buf`, `bufs[1]`) rather than a local. */
static bool is_part(const char *name)
{
    return strchr(name, '.') || strchr(name, '[');
}

/* Key k names the object `name` or one that holds it (`st` and `st.in`
 * hold `st.in.buf`): writing k overwrites name, handing k on hands name. */
static bool covers(const char *k, const char *name)
{
    size_t n = strlen(k);
    return strncmp(k, name, n) == 0 && (name[n] == '\0' || name[n] == '.' || name[n] == '[');
}

/* A part whose indices are all constants: one object on every path. */
static bool trackable_part(const char *key)
{
    for (const char *p = strchr(key, '['); p; p = strchr(p + 1, '[')) {
        const char *q = p + 1;
        while (*q >= '0' && *q <= '9')
            q++;
        if (q == p + 1 || *q != ']')
            return false;
    }
    return !strstr(key, "->") && !strchr(key, '*');
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

/* Callee list entry `rel` ("->buf": the parameter's `s->buf`) reaches the
 * part `rel_name` (".buf") of the struct the caller passed by address:
 * the callee may overwrite it or hand it on.  Through the part's pointer
 * (`s->buf->n`, `s->buf[i]`) it only touches the block. */
static bool touch_hits(const char *rel, const char *rel_name)
{
    if (strncmp(rel, "->", 2) != 0)
        return true; /* everything (""), or not understood */
    rel += 2;
    size_t n = strlen(rel);
    if (rel_name[0] != '.')
        return true;
    rel_name++;
    if (strncmp(rel_name, rel, n) == 0)
        return rel_name[n] == '\0' || rel_name[n] == '.' || rel_name[n] == '[';
    return strncmp(rel, rel_name, strlen(rel_name)) == 0 && rel[strlen(rel_name)] == '.';
}

/* Whether call event e of function i, given the address of the struct
 * holding a part as its argument k, may overwrite the part or hand it on
 * (`rel_name`: the part below the address given, ".buf"). */
static bool call_touches(const struct ll_view *v, const struct ll_fresh *fr, uint32_t i, uint32_t e,
                         uint32_t k, const char *rel_name)
{
    long c = ll_program_callee(&v->program, i, e);
    if (c < 0)
        return !lock_api(v->fns[i].fn->events[e].api);
    if (k >= MAX_PARAMS || k >= v->fns[c].fn->nparams || !fr->touched[c])
        return true;
    for (const char *const *t = fr->touched[c][k]; t && *t; t++)
        if (touch_hits(*t, rel_name))
            return true;
    return false;
}

/* Whether event e of function i may let x, a local's part, escape
 * through what holds it: a read of its value, of a struct or array
 * holding it or of an address of one (fe_local_part_read(): it is copied
 * or stored), a struct holding it given to a thread, by value, or by
 * address to a function that may touch it (call_touches()).  A plain
 * local escapes the first way only by its address (`pp = &p`). */
static bool part_escapes_at(const struct ll_view *v, const struct ll_fresh *fr, uint32_t i,
                            uint32_t e, const struct var *x)
{
    const struct ll_event *ev = &v->fns[i].fn->events[e];
    bool part = is_part(x->name);
    switch (ev->kind) {
    case LL_EV_ACCESS:
        return !(ev->flags & LL_EVF_WRITE) && ev->obj.root == LL_ROOT_LOCAL && ev->obj.key &&
               !(ev->obj.flags & LL_PATH_DEREF) && covers(ev->obj.key, x->name) &&
               (part || (ev->obj.flags & LL_PATH_ADDR));
    case LL_EV_THREAD_CREATE:
    case LL_EV_CALL:
        if (!part)
            return false;
        for (uint32_t k = 0; k <= ev->nargs; k++) {
            const struct ll_path *a = k < ev->nargs ? &ev->args[k] : &ev->aux;
            if ((k == ev->nargs && ev->kind != LL_EV_THREAD_CREATE) || a->root != LL_ROOT_LOCAL ||
                !a->key || (a->flags & LL_PATH_DEREF) || !covers(a->key, x->name) ||
                strcmp(a->key, x->name) == 0)
                continue;
            if (ev->kind == LL_EV_THREAD_CREATE || !(a->flags & LL_PATH_ADDR) ||
                call_touches(v, fr, i, e, k, x->name + strlen(a->key)))
                return true;
        }
        return false;
    default:
        return false;
    }
}

/* Whether event e of function i may let x's block escape: stored (not
 * into the block itself), given to a thread, passed to a function that may
 * keep it, or (a parameter) returned. */
static bool escapes_at(const struct ll_view *v, const struct ll_fresh *fr, uint32_t i, uint32_t e,
                       const struct var *x)
{
    const struct ll_event *ev = &v->fns[i].fn->events[e];
    bool own;
    if (x->param < 0 && part_escapes_at(v, fr, i, e, x))
        return true;
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

/* ---- what a callee touches behind a pointer parameter --------------- */

#define MAX_TOUCHED 32

struct touch {
    const char *rel[MAX_TOUCHED];
    uint32_t n;
    bool all;
};

static void touch_add(struct touch *t, const char *rel)
{
    /* `s->buf->n`: through a pointer the struct holds, in a block, not the
     * struct's own fields (the parts fresh.c tracks) */
    if (t->all || (strncmp(rel, "->", 2) == 0 && strstr(rel + 2, "->")))
        return;
    if (!*rel || t->n == MAX_TOUCHED) {
        t->all = true;
        return;
    }
    for (uint32_t k = 0; k < t->n; k++)
        if (strcmp(t->rel[k], rel) == 0)
            return;
    t->rel[t->n++] = rel;
}

/* What parameter x's key p is below it: "->buf" for `s->buf`, "" for
 * `*s` (all of it); NULL when p is not through x. */
static const char *below(const struct ll_path *p, const struct var *x)
{
    if (p->root != LL_ROOT_PARAM || p->param != x->param || !p->key || !x->name)
        return NULL;
    const char *k = p->key;
    size_t stars = 0, n = strlen(x->name);
    while (k[stars] == '*')
        stars++;
    k += stars;
    if (strncmp(k, x->name, n) != 0)
        return NULL;
    if (k[n] == '\0')
        return stars ? k + n : NULL;
    if (k[n] != '-' && k[n] != '[' && k[n] != '.' && k[n] != '^')
        return NULL;
    return stars ? "" : k + n;
}

/* Key k goes on through the pointer `base` holds (`s->buf->n`, `s->buf[i]`). */
static bool through(const char *k, const char *base)
{
    size_t n = strlen(base);
    return strncmp(k, base, n) == 0 && (k[n] == '-' || k[n] == '[' || k[n] == '.');
}

/* A read of event e, not copied into a local, whose value the statement
 * stores (the write after it does not go through it) or returns. */
static bool value_stored(const struct ll_fn_view *f, uint32_t e)
{
    const struct ll_function *fn = f->fn;
    const struct ll_block *blk = &fn->blocks[ll_fn_block_of(f, e)];
    for (uint32_t k = e + 1; k < blk->first_event + blk->nevents; k++) {
        const struct ll_event *ev = &fn->events[k];
        if (ev->kind == LL_EV_ACCESS && !(ev->flags & LL_EVF_WRITE))
            continue;
        if (ev->kind == LL_EV_RETURN)
            return true;
        return ev->kind == LL_EV_ACCESS && ev->aux.root == LL_ROOT_NONE && ev->obj.key &&
               fn->events[e].obj.key && !through(ev->obj.key, fn->events[e].obj.key);
    }
    return false;
}

/* What parameter x of function i may overwrite or hand on behind it. */
static void param_touches(const struct ll_view *v, const struct ll_fresh *fr, uint32_t i,
                          const struct var *x, struct touch *t)
{
    const struct ll_fn_view *f = &v->fns[i];
    const struct ll_function *fn = f->fn;
    if (fr->kept[i] >> x->param & 1)
        t->all = true;
    for (uint32_t e = 0; e < fn->nevents && !t->all; e++) {
        const struct ll_event *ev = &fn->events[e];
        const char *rel;
        if (ev->kind == LL_EV_ACCESS && (rel = below(&ev->obj, x))) {
            if ((ev->flags & LL_EVF_WRITE) || ev->result_var || value_stored(f, e))
                touch_add(t, rel);
            continue;
        }
        if (ev->kind != LL_EV_CALL && ev->kind != LL_EV_THREAD_CREATE)
            continue;
        long c = ll_program_callee(&v->program, i, e);
        for (uint32_t k = 0; k <= ev->nargs && !t->all; k++) {
            const struct ll_path *a = k < ev->nargs ? &ev->args[k] : &ev->aux;
            if (k == ev->nargs && ev->kind != LL_EV_THREAD_CREATE)
                continue;
            bool thread = ev->kind == LL_EV_THREAD_CREATE;
            if (a->root == LL_ROOT_PARAM && a->param == x->param && a->key &&
                strcmp(a->key, x->name) == 0 && !(a->flags & LL_PATH_DEREF)) {
                /* x itself given on: the callee's own list */
                if ((a->flags & LL_PATH_ADDR) || thread || k == ev->nargs ||
                    (c < 0 && !lock_api(ev->api)) ||
                    (c >= 0 && (k >= MAX_PARAMS || k >= v->fns[c].fn->nparams || !fr->touched[c])))
                    t->all = true;
                for (const char *const *r = c >= 0 && !t->all ? fr->touched[c][k] : NULL; r && *r;
                     r++)
                    touch_add(t, *r);
                continue;
            }
            if (!(rel = below(a, x)))
                continue;
            if (thread || ((a->flags & LL_PATH_ADDR) && !lock_api(ev->api)) ||
                (!(a->flags & LL_PATH_ADDR) && k < ev->nargs && call_keeps(v, fr, i, e, k)))
                touch_add(t, rel);
        }
    }
}

static int compute_touched(const struct ll_view *v, struct ll_fresh *fr, struct ll_arena *a,
                           uint32_t i)
{
    const struct ll_function *fn = v->fns[i].fn;
    uint32_t np = fn->nparams < MAX_PARAMS ? fn->nparams : MAX_PARAMS;
    const char *const **lists = ll_arena_alloc(a, (np + 1) * sizeof(*lists));
    if (!lists)
        return -1;
    for (uint32_t p = 0; p < np; p++) {
        struct var x = {fn->params[p], (int)p};
        struct touch t = {.n = 0};
        lists[p] = NULL;
        if (!x.name || !*x.name)
            continue;
        param_touches(v, fr, i, &x, &t);
        if (!t.all && t.n == 0)
            continue;
        const char **l = ll_arena_alloc(a, (t.n + 2) * sizeof(*l));
        if (!l)
            return -1;
        if (t.all) {
            l[0] = "";
            l[1] = NULL;
        } else {
            memcpy(l, t.rel, t.n * sizeof(*l));
            l[t.n] = NULL;
        }
        lists[p] = l;
    }
    fr->touched[i] = lists;
    return 0;
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

/* Whether call path p (root call: `calloc()`, a constructor's) is a
 * fresh block. */
static bool call_fresh(const struct ll_view *v, const struct ll_fresh *fr, const struct ll_path *p)
{
    if (p->root != LL_ROOT_CALL || !p->text)
        return false;
    long c = p->root_usr ? ll_program_find(&v->program, p->root_usr) : -1;
    size_t n = strlen(p->text);
    char name[128];
    bool lib = n > 2 && n < sizeof(name) && strcmp(p->text + n - 2, "()") == 0;
    if (lib) {
        memcpy(name, p->text, n - 2);
        name[n - 2] = '\0';
    }
    return c >= 0 ? fr->constructor[c] : lib && ll_fresh_allocator(name);
}

/* The part of a local event e of function i sets to a fresh block
 * (`st.buf = calloc(...)`: the write, its aux the call), or NULL. */
static const char *fresh_part(const struct ll_view *v, const struct ll_fresh *fr, uint32_t i,
                              uint32_t e)
{
    const struct ll_event *ev = &v->fns[i].fn->events[e];
    if (ev->kind != LL_EV_ACCESS || !(ev->flags & LL_EVF_WRITE) || ev->obj.root != LL_ROOT_LOCAL ||
        (ev->obj.flags & LL_PATH_DEREF) || !ev->obj.key || !is_part(ev->obj.key) ||
        !trackable_part(ev->obj.key) || !call_fresh(v, fr, &ev->aux))
        return NULL;
    return ev->obj.key;
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
        const char *name = fresh_part(v, fr, i, e);
        if (!name && ev->kind == LL_EV_CALL && ev->result_var && makes_fresh(v, fr, i, e))
            name = ev->result_var;
        if (!name)
            continue;
        bool dup = false;
        for (uint32_t k = 0; k < n && !dup; k++)
            dup = strcmp(found[k], name) == 0;
        if (!dup && n < MAX_VARS)
            found[n++] = name;
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
        /* a write of the local or of what holds it (`st = *g;` for st.buf) */
        bool assigned =
            (ev->kind == LL_EV_ACCESS && (ev->flags & LL_EVF_WRITE) &&
             ev->obj.root == LL_ROOT_LOCAL && !(ev->obj.flags & LL_PATH_DEREF) && ev->obj.key &&
             covers(ev->obj.key, x.name)) ||
            (ev->result_var && ev->kind != LL_EV_RETURN && covers(ev->result_var, x.name));
        if (assigned || escapes_at(v, fr, i, e, &x))
            s &= ~(1ull << k);
    }
    int k = ev->kind == LL_EV_CALL ? var_index(fr, i, ev->result_var) : -1;
    if (k >= 0 && makes_fresh(v, fr, i, e))
        s |= 1ull << k;
    const char *part = fresh_part(v, fr, i, e);
    k = part ? var_index(fr, i, part) : -1;
    if (k >= 0)
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
        if (!r && call_fresh(v, fr, &ev->obj)) {
            block = true;
            continue;
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
    out->touched = ll_arena_alloc(a, (n + 1) * sizeof(*out->touched));
    if (!out->constructor || !out->kept || !out->nvars || !out->vars || !out->before ||
        !out->touched)
        return -1;
    for (size_t i = 0; i < n; i++) {
        out->constructor[i] = false;
        out->kept[i] = UINT16_MAX;
        out->nvars[i] = 0;
        out->vars[i] = NULL;
        out->before[i] = NULL;
        out->touched[i] = NULL;
    }
    for (uint32_t o = 0; o < v->cg.n; o++) {
        uint32_t i = v->cg.order[o];
        compute_kept(v, out, i);
        if (compute_touched(v, out, a, i) != 0 || collect_vars(v, out, a, i) != 0 ||
            (out->nvars[i] && flow(v, out, i) != 0))
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

bool ll_fresh_within(const struct ll_fresh *fr, uint32_t fn, const char *key, uint32_t e)
{
    if (fn >= fr->nfns || !fr->before[fn] || !key)
        return false;
    for (uint32_t k = 0; k < fr->nvars[fn]; k++) {
        const char *name = fr->vars[fn][k];
        size_t n = strlen(name);
        if ((fr->before[fn][e] >> k & 1) && is_part(name) && strncmp(key, name, n) == 0 &&
            (key[n] == '\0' || key[n] == '-' || key[n] == '['))
            return true;
    }
    return false;
}
