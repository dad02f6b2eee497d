/*
 * race: shared accesses and their locksets.  Passes over the view (the
 * roots each function has left running at each event are mhp.h's): which
 * creations give each thread its own start object; then, top-down over
 * the call graph to a bounded fixpoint, what call sites pass on: the locks held (intersected over
 * the call sites that can run concurrently with anything), which roots run while main's thread
 * makes the call, and how shared each pointer parameter's target is; finally the accesses
 * themselves.
 *
 * Known approximations (the rule's documentation repeats them): locals
 * whose address escapes are not followed; plain data behind a parameter
 * or local pointer is not followed (partitioned arrays would otherwise be
 * flagged); a block from malloc or a constructor, in a local or a local's
 * part (`st.buf`), is private until it may escape (fresh.h); a
 * local a start routine never assigns is taken to be a copy of the start
 * argument; locks and locations of one class (and embedding path, see
 * ll_class_may_alias()) are one lock and one location, so `s->hits`
 * counts as guarded by `s->lock` without proving both are in the same
 * object; a pointer parameter every call gives one embedded object
 * (`half_add(&c->in)`) names that place (param_origins()); a lock taken on every path the function
 * itself decides, and left as the caller had it on the others, counts as
 * held (the `if (!caller_holds) lock()` idiom).
 */
#include "race.h"
#include "sites.h"
#include "view_internal.h"

#include "bitset.h"
#include "blocks.h"
#include "fresh.h"
#include "live_reach.h"
#include "popped.h"
#include "settled.h"
#include "strmap.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define RACE_ROUNDS 12

enum { PS_NOT = 0, PS_PRIV = 1, PS_SHARED = 2 }; /* how shared a pointer's target is */

struct lockset {
    bool top; /* not yet known: no call site seen */
    uint32_t n;
    struct ll_race_lock *l;
};

/* Whose calls an entry lockset sums up: main's thread while other
 * threads run, or one thread root's (every root but main has a context
 * of its own, so that one thread calling a function without the lock
 * another thread holds at its calls does not strip it from the other's
 * accesses: the maintenance thread's own unlocked lookups say nothing
 * about the rebalancer's locked ones).  Past RACE_ROOT_CTX thread roots
 * they share one context (CTX_THREADS), the intersection over all.
 *
 * Main's thread has, besides CTX_MAIN (its calls made while any thread
 * runs), one context per thread root D (up to RACE_ROOT_CTX): its calls
 * made while D runs.  Main's access meets D with the locks of the calls
 * that run alongside D only, so a start-up call made without the lock
 * before D exists says nothing about the locked calls made after it
 * (memcached's slabs_init() filling the free list that the rebalancer
 * later takes under slabs_lock).  So has every thread root T that
 * creates another, D (T is D's ancestor, mhp.h), up to RACE_ROOT_CTX
 * such pairs: T's calls made while D runs (struct desc_ctx). */
enum { CTX_MAIN = 0, CTX_THREADS = 1 };
#define RACE_ROOT_CTX 16
/* The most records one access gets (by_context()): per distinct lockset
 * of the thread contexts (at most RACE_ROOT_CTX + 1) and per descendant
 * pair (at most RACE_ROOT_CTX), each in two views, and per lockset of
 * main's contexts (at most RACE_ROOT_CTX + 1): 5 * RACE_ROOT_CTX + 3. */
#define RACE_RECORDS (5 * RACE_ROOT_CTX + 4)

struct desc_ctx {
    uint32_t root, desc; /* thread root T and a root D it starts */
    uint32_t ctx;        /* T's calls made while D runs */
};

struct ctx {
    const struct ll_view *v;
    struct ll_arena *a;
    struct ll_race_lock **locks;   /* per function, per df lock (id NULL: not a lock) */
    const struct ll_mhp *m;        /* which threads run when: roots started, running */
    uint64_t **running;            /* m's: per function, per event, roots it has left running
                                      (NULL: none at any event) */
    uint64_t **with;               /* per function: roots running at main's calls of it */
    uint64_t *ended;               /* scratch of with_at(): a set of roots */
    uint32_t nctx;                 /* CTX_MAIN, the threads' contexts, main's per thread */
    uint32_t *root_ctx;            /* per root: its context (CTX_MAIN for main) */
    uint32_t main_first;           /* the first of main's contexts per thread root */
    uint32_t *main_ctx;            /* per root D: main's context while D runs (CTX_MAIN:
                                      none of its own) */
    uint32_t desc_first, ndesc;    /* the first of the threads' contexts per descendant */
    struct desc_ctx *desc;         /* (T, D) pairs with a context, RACE_ROOT_CTX at most */
    struct lockset **entry;        /* per context, per function: locks held at every call */
    bool *mainc;                   /* main's thread runs it */
    uint8_t **pstate;              /* per function, per parameter: PS_* */
    uint8_t *start_ps;             /* per start routine: PS_PRIV or PS_SHARED */
    uint32_t *start_fn, *start_ev; /* per start routine created at one site only: the
                                      creating function and event; else UINT32_MAX */
    const char ***handed;          /* per function: the locals (NULL-terminated, or NULL)
                                      that hold a fresh block it gives a thread as its start
                                      argument at that routine's only creation */
    const char ***origin;          /* per function, per parameter: where every call's argument
                                      points (an embedding path such as "struct conn.in"),
                                      NULL before any call is seen, or `no_origin` */
    struct ll_race_lock *scratch;
    size_t nscratch;
    struct ll_live_reach lr;     /* roots reaching each function, doomed calls left out */
    bool *has_sem;               /* per function: it posts or waits on a semaphore */
    uint32_t *first_create;      /* per function: its first thread creation event, or
                                    nevents (counting them per access was quadratic) */
    const struct ll_handoff *ho; /* flags published under a lock */
    struct ll_fresh fresh;       /* blocks no other thread sees yet (fresh.h) */
    struct ll_blocks blocks;     /* the one block a pointer names (blocks.h) */
    struct ll_settled settled;   /* globals a once-guard sets before any thread */
    struct ll_popped popped;     /* the slots each function pops elements from */
};

/* ---- small helpers -------------------------------------------------- */

static bool is_ident_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Pointer steps in a key: leading '*'s and every "->". */
static int nderef(const char *key)
{
    int n = 0;
    for (const char *p = key; *p == '*'; p++)
        n++;
    for (const char *p = strstr(key, "->"); p; p = strstr(p + 2, "->"))
        n++;
    return n;
}

/* The root variable's name in a key ("c" in "*c->s->hits"). */
static void root_name(const char *key, char *buf, size_t len)
{
    while (*key == '*' || *key == '(')
        key++;
    size_t n = 0;
    while (key[n] && is_ident_char(key[n]) && n + 1 < len) {
        buf[n] = key[n];
        n++;
    }
    buf[n] = '\0';
}

static bool field_class(const char *cls)
{
    if (!cls)
        return false;
    if (*cls == '*')
        cls++;
    return strncmp(cls, "struct ", 7) == 0 || strncmp(cls, "union ", 6) == 0;
}

/* A local the function never assigns after its declaration. */
static bool unassigned_local(const struct ll_function *fn, const char *name)
{
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->result_var && ev->kind != LL_EV_RETURN && strcmp(ev->result_var, name) == 0)
            return false;
        if (ev->kind == LL_EV_ACCESS && (ev->flags & LL_EVF_WRITE) &&
            ev->obj.root == LL_ROOT_LOCAL && !(ev->obj.flags & LL_PATH_DEREF) && ev->obj.key &&
            strcmp(ev->obj.key, name) == 0)
            return false;
    }
    return true;
}

static bool is_global_name(const struct ll_tu_facts *tu, const char *name)
{
    for (uint32_t g = 0; g < tu->nglobals; g++)
        if (tu->globals[g].name && strcmp(tu->globals[g].name, name) == 0)
            return true;
    return false;
}

/* An index made of the start argument and locals the start routine never
 * reassigns (`results[id]`, `out[c->slot]`): a slot of this thread's own. */
static bool thread_own_index(const struct ll_fn_view *f, const char *key)
{
    const struct ll_function *fn = f->fn;
    bool own = false;
    int depth = 0;
    for (const char *p = key; *p; p++) {
        if (*p == '[') {
            depth++;
            continue;
        }
        if (*p == ']') {
            depth--;
            continue;
        }
        if (depth == 0 || !is_ident_char(*p) || (*p >= '0' && *p <= '9'))
            continue;
        bool field = (p > key && p[-1] == '.') || (p > key + 1 && p[-1] == '>' && p[-2] == '-');
        char id[128];
        size_t n = 0;
        while (is_ident_char(p[n]) && n + 1 < sizeof(id)) {
            id[n] = p[n];
            n++;
        }
        id[n] = '\0';
        p += n - 1;
        if (field)
            continue;
        if (p[1] == '(')
            return false; /* a call's result (`stripes[hash(key) % N]`): anyone's */
        if (fn->nparams > 0 && fn->params[0] && strcmp(fn->params[0], id) == 0)
            own = true;
        else if (!is_global_name(f->tu, id) && unassigned_local(fn, id))
            own = true;
        else
            return false;
    }
    return own;
}

/* "usr|g.x[]": the key with variable indices emptied. */
static const char *concrete_id(struct ll_arena *a, const struct ll_path *p, bool with_usr)
{
    size_t len = strlen(p->key);
    char *buf = malloc(len + 1);
    if (!buf)
        return NULL;
    size_t o = 0;
    for (const char *s = p->key; *s;) {
        if (*s != '[') {
            buf[o++] = *s++;
            continue;
        }
        const char *end = strchr(s, ']');
        bool constant = end && end > s + 1;
        for (const char *q = s + 1; constant && q < end; q++)
            constant = (*q >= '0' && *q <= '9') || (q == s + 1 && *q == '-');
        if (!end || constant) {
            size_t n = end ? (size_t)(end - s + 1) : strlen(s);
            memcpy(buf + o, s, n);
            o += n;
            s += n;
        } else {
            buf[o++] = '[';
            buf[o++] = ']';
            s = end + 1;
        }
    }
    buf[o] = '\0';
    const char *r = with_usr ? ll_arena_printf(a, "%s|%s", p->root_usr ? p->root_usr : "", buf)
                             : ll_arena_strdup(a, buf);
    free(buf);
    return r;
}

/* A concrete id with every index emptied ("usr|g[0]" -> "usr|g[]"): the
 * group of a global array's elements, within which ids_match() tells a
 * constant index from another and matches a variable one with any (a
 * buffer snprintf() fills, `buf[?]`, and its `buf[0]`). */
static const char *any_index(struct ll_arena *a, const char *id)
{
    if (!id || !strchr(id, '['))
        return id;
    char *buf = ll_arena_alloc(a, strlen(id) + 1);
    if (!buf)
        return NULL;
    size_t o = 0;
    for (const char *s = id; *s;) {
        const char *end = *s == '[' ? strchr(s, ']') : NULL;
        if (!end) {
            buf[o++] = *s++;
            continue;
        }
        buf[o++] = '[';
        buf[o++] = ']';
        s = end + 1;
    }
    buf[o] = '\0';
    return buf;
}

/* `g->count`: one step through a global (or static) pointer names one
 * object, the one g points to, like a global does. */
static bool through_global_pointer(const struct ll_path *p)
{
    return (p->root == LL_ROOT_GLOBAL || p->root == LL_ROOT_STATIC_LOCAL) && p->key &&
           nderef(p->key) == 1 && !strchr(p->key, '[');
}

static bool is_main_root(const struct ll_view *v, uint32_t r)
{
    return v->fns[v->cg.roots[r].fn].is_main;
}

/* ---- start arguments ------------------------------------------------ */

struct create_site {
    uint32_t fn, event;
    const char *ident; /* what object the start argument names */
};

/* The last allocation into local `name` before the creation at event e
 * is in the creation's loop (as deeply nested): every iteration gets a
 * block of its own.  One block allocated before the loop and given to
 * every thread is shared by all of them. */
static bool allocated_in_loop(const struct ll_function *fn, const char *name, uint32_t e)
{
    for (uint32_t k = e; k-- > 0;) {
        const struct ll_event *ev = &fn->events[k];
        if (ev->kind == LL_EV_CALL && ev->result_var && strcmp(ev->result_var, name) == 0)
            return ev->loop_depth >= fn->events[e].loop_depth;
    }
    return false;
}

/* A thread creation that gives the new thread an object of its own: an
 * element `&args[i]` or a fresh block inside a loop, or outside a loop an
 * object no other creation names (`unique`). */
static bool site_private(const struct ctx *c, const struct create_site *sites, size_t self,
                         bool unique)
{
    const struct create_site *s = &sites[self];
    const struct ll_function *fn = c->v->fns[s->fn].fn;
    const struct ll_event *ev = &fn->events[s->event];
    const struct ll_path *aux = &ev->aux;
    if (aux->root == LL_ROOT_NONE || aux->root == LL_ROOT_UNKNOWN || !aux->key)
        return true;
    if (ev->loop_depth > 0) {
        if ((aux->flags & LL_PATH_INDEXED) && strchr(aux->key, '[') && !ll_path_concrete(aux) &&
            aux->root != LL_ROOT_PARAM)
            return true;
        return aux->root == LL_ROOT_LOCAL && !(aux->flags & (LL_PATH_DEREF | LL_PATH_ADDR)) &&
               ll_fresh_local(&c->fresh, s->fn, aux->key, s->event) &&
               allocated_in_loop(fn, aux->key, s->event);
    }
    return unique && !c->v->cg.recursive[s->fn];
}

/* Records the local of creation site s's function that holds the fresh
 * block it gives its routine, the routine's only creation (c->handed). */
static int hand_over(struct ctx *c, const struct create_site *s)
{
    const struct ll_view *v = c->v;
    const struct ll_event *ev = &v->fns[s->fn].fn->events[s->event];
    const struct ll_path *aux = &ev->aux;
    long r = ll_program_find(&v->program, ev->callee);
    if (r < 0 || c->start_fn[r] != s->fn || c->start_ev[r] != s->event ||
        aux->root != LL_ROOT_LOCAL || (aux->flags & (LL_PATH_ADDR | LL_PATH_DEREF)) || !aux->key ||
        !ll_fresh_local(&c->fresh, s->fn, aux->key, s->event))
        return 0;
    size_t n = 0;
    while (c->handed[s->fn] && c->handed[s->fn][n])
        n++;
    const char **l = ll_arena_alloc(c->a, (n + 2) * sizeof(*l));
    if (!l)
        return -1;
    if (n)
        memcpy(l, c->handed[s->fn], n * sizeof(*l));
    l[n] = aux->key;
    l[n + 1] = NULL;
    c->handed[s->fn] = l;
    return 0;
}

static int classify_starts(struct ctx *c)
{
    const struct ll_view *v = c->v;
    size_t n = 0;
    for (size_t i = 0; i < v->nfns; i++)
        for (uint32_t e = 0; e < v->fns[i].fn->nevents; e++)
            n += v->fns[i].fn->events[e].kind == LL_EV_THREAD_CREATE;
    struct create_site *sites = calloc(n + 1, sizeof(*sites));
    bool *shared_ident = calloc(n + 1, sizeof(bool)); /* per first site of an ident */
    struct ll_strmap first;                           /* ident -> its first site */
    ll_strmap_init(&first);
    if (!sites || !shared_ident) {
        free(sites);
        free(shared_ident);
        return -1;
    }
    size_t k = 0;
    int rc = 0;
    for (size_t i = 0; i < v->nfns && rc == 0; i++)
        for (uint32_t e = 0; e < v->fns[i].fn->nevents; e++) {
            const struct ll_event *ev = &v->fns[i].fn->events[e];
            if (ev->kind != LL_EV_THREAD_CREATE)
                continue;
            const struct ll_path *aux = &ev->aux;
            bool local = aux->root == LL_ROOT_LOCAL || aux->root == LL_ROOT_PARAM;
            sites[k].fn = (uint32_t)i;
            sites[k].event = e;
            sites[k].ident = ll_arena_printf(
                c->a, "%s|%s", local ? v->fns[i].fn->usr : aux->root_usr, aux->key ? aux->key : "");
            if (!sites[k].ident) {
                rc = -1;
                break;
            }
            /* whether another creation names the same object: one map
             * lookup per creation, not a scan of every other one */
            int had = ll_strmap_put(&first, sites[k].ident, k);
            if (had < 0)
                rc = -1;
            else if (had == 1)
                shared_ident[ll_strmap_get(&first, sites[k].ident)] = true;
            k++;
        }
    for (size_t i = 0; i < v->nfns; i++) {
        c->start_ps[i] = PS_PRIV;
        c->start_fn[i] = c->start_ev[i] = UINT32_MAX;
    }
    for (size_t s = 0; s < k && rc == 0; s++) {
        const struct ll_event *ev = &v->fns[sites[s].fn].fn->events[sites[s].event];
        long r = ll_program_find(&v->program, ev->callee);
        bool unique = !shared_ident[ll_strmap_get(&first, sites[s].ident)];
        if (r >= 0 && !site_private(c, sites, s, unique))
            c->start_ps[r] = PS_SHARED;
        if (r >= 0) { /* the only site, or none (UINT32_MAX - 1: several) */
            bool first_site = c->start_fn[r] == UINT32_MAX;
            c->start_fn[r] = first_site ? sites[s].fn : UINT32_MAX - 1;
            c->start_ev[r] = sites[s].event;
        }
    }
    for (size_t s = 0; s < k && rc == 0; s++)
        rc = hand_over(c, &sites[s]);
    ll_strmap_release(&first);
    free(sites);
    free(shared_ident);
    return rc;
}

/* ---- how shared a pointer is ---------------------------------------- */

static uint8_t local_state(const struct ctx *c, uint32_t i, const char *name, uint32_t e,
                           bool *unknown)
{
    const struct ll_fn_view *f = &c->v->fns[i];
    *unknown = false;
    if (ll_fresh_local(&c->fresh, i, name, e))
        return PS_NOT;
    if (f->is_start_routine && f->fn->nparams > 0 && unassigned_local(f->fn, name))
        return c->start_ps[i];
    *unknown = true;
    return PS_SHARED;
}

/* The sharedness of the root a path starts from. */
static uint8_t base_state(const struct ctx *c, uint32_t i, uint32_t e, const struct ll_path *p,
                          bool *unknown)
{
    *unknown = false;
    switch (p->root) {
    case LL_ROOT_GLOBAL:
    case LL_ROOT_STATIC_LOCAL:
    case LL_ROOT_CALL:
        return PS_SHARED;
    case LL_ROOT_PARAM:
        if (p->param < 0 || (uint32_t)p->param >= c->v->fns[i].fn->nparams)
            return PS_SHARED;
        return c->pstate[i][p->param];
    case LL_ROOT_LOCAL: {
        char name[128];
        if (ll_fresh_within(&c->fresh, i, p->key, e))
            return PS_NOT; /* `st.buf[k].n`, st.buf fresh */
        root_name(p->key, name, sizeof(name));
        return local_state(c, i, name, e, unknown);
    }
    default:
        return PS_NOT;
    }
}

/* Private objects are the first level below a private root. */
static uint8_t at_level(uint8_t base, int level)
{
    if (base == PS_PRIV)
        return level <= 0 ? PS_NOT : level == 1 ? PS_PRIV : PS_SHARED;
    return level <= 0 ? PS_NOT : base;
}

/* What an argument's pointer value points to. */
static uint8_t arg_state(const struct ctx *c, uint32_t i, uint32_t e, const struct ll_path *arg)
{
    if (!arg->key || arg->root == LL_ROOT_NONE || arg->root == LL_ROOT_UNKNOWN)
        return PS_NOT;
    bool unknown;
    uint8_t base = base_state(c, i, e, arg, &unknown);
    int level = nderef(arg->key) + ((arg->flags & LL_PATH_ADDR) ? 0 : 1);
    if (arg->root == LL_ROOT_GLOBAL || arg->root == LL_ROOT_STATIC_LOCAL)
        return PS_SHARED;
    return at_level(base, level);
}

/* ---- where pointer parameters point ------------------------------- */

static const char no_origin[] = "";

/* The embedding path of p in function i, the origins of its parameters
 * applied: `h->bytes` in half_add(&c->in, ...) is "struct conn.in.bytes". */
static const char *path_emb(const struct ctx *c, uint32_t i, const struct ll_path *p)
{
    const struct ll_function *fn = c->v->fns[i].fn;
    if (p->root != LL_ROOT_PARAM || p->param < 0 || (uint32_t)p->param >= fn->nparams ||
        !c->origin[i][p->param] || c->origin[i][p->param] == no_origin || !fn->params[p->param])
        return ll_path_emb(p);
    const char *e = ll_path_emb_from(c->a, p, fn->params[p->param], c->origin[i][p->param]);
    return e ? e : ll_path_emb(p);
}

/* Where argument `arg` of a call in function i points: `&c->in` to an
 * object embedded at "struct conn.in", a parameter passed on to where
 * that one points; anything else to no known place. */
static const char *arg_origin(const struct ctx *c, uint32_t i, const struct ll_path *arg)
{
    const struct ll_function *fn = c->v->fns[i].fn;
    if ((arg->flags & LL_PATH_ADDR) && (arg->flags & LL_PATH_MEMBER) && arg->cls)
        return path_emb(c, i, arg);
    if (arg->root == LL_ROOT_PARAM && !(arg->flags & (LL_PATH_ADDR | LL_PATH_DEREF)) &&
        arg->param >= 0 && (uint32_t)arg->param < fn->nparams && arg->key &&
        fn->params[arg->param] && strcmp(arg->key, fn->params[arg->param]) == 0)
        return c->origin[i][arg->param] ? c->origin[i][arg->param] : no_origin;
    return no_origin;
}

/* The origins of every parameter: the meet over the calls of the
 * program (one place, or none known), to a fixpoint. */
static int param_origins(struct ctx *c)
{
    const struct ll_view *v = c->v;
    bool *taken = ll_view_address_taken(v);
    if (!taken)
        return -1;
    for (size_t i = 0; i < v->nfns; i++) {
        const struct ll_fn_view *f = &v->fns[i];
        c->origin[i] = ll_arena_alloc(c->a, (f->fn->nparams + 1) * sizeof(**c->origin));
        if (!c->origin[i]) {
            free(taken);
            return -1;
        }
        for (uint32_t p = 0; p < f->fn->nparams; p++)
            c->origin[i][p] = ll_fn_is_root(f) || taken[i] ? no_origin : NULL;
    }
    free(taken);
    /* each parameter moves from NULL to a place to no_origin at most:
     * the loop ends */
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t o = v->cg.n; o-- > 0;) {
            uint32_t i = v->cg.order[o];
            const struct ll_fn_view *f = &v->fns[i];
            for (uint32_t e = 0; f->calls && e < f->fn->nevents; e++) {
                const struct ll_call_info *ci = f->calls[e];
                if (!ci || ci->callee < 0 || !f->df.reached[e])
                    continue;
                uint32_t k = (uint32_t)ci->callee;
                const struct ll_event *ev = &f->fn->events[e];
                for (uint32_t p = 0; p < v->fns[k].fn->nparams; p++) {
                    const char *now = c->origin[k][p];
                    const char *a = p < ev->nargs ? arg_origin(c, i, &ev->args[p]) : no_origin;
                    if (now == no_origin || !a)
                        continue; /* known nowhere, or the caller's own not seen yet */
                    const char *met = !now                                    ? a
                                      : a == no_origin || strcmp(now, a) != 0 ? no_origin
                                                                              : now;
                    changed |= met != now;
                    c->origin[k][p] = met;
                }
            }
        }
    }
    return 0;
}

/* ---- locksets ------------------------------------------------------- */

static int lock_ident(const struct ctx *c, uint32_t i, const struct ll_df_lock *l,
                      struct ll_race_lock *out)
{
    struct ll_arena *a = c->a;
    const struct ll_path *p = l->path;
    out->concrete = p && ll_path_concrete(p);
    out->cls = l->cls;
    out->emb = p && l->cls ? path_emb(c, i, p) : NULL;
    out->text = l->text;
    if (out->concrete)
        out->id = ll_arena_printf(a, "=%s|%s", p->root_usr ? p->root_usr : "", p->key);
    else
        out->id = ll_arena_printf(a, "~%s", out->emb ? out->emb : l->cls ? l->cls : l->key);
    return out->id ? 0 : -1;
}

/* Held for this race's purposes: taken on every path, or on every path
 * but those where the caller's own state goes on (the `if (!caller_holds)
 * lock()` idiom); a recursive lock also after an inner release. */
static bool held(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e, uint32_t l)
{
    uint8_t st = ll_df_state(&f->df, e, l) & (uint8_t)~LL_LS_SHARED;
    if (!(st & LL_LS_HELD))
        return false;
    if ((st & ~(LL_LS_HELD | LL_LS_ENTRY)) == 0)
        return true;
    return (st & LL_LS_FREE) && !(st & LL_LS_NEVER) && ll_view_lock_recursive(v, f, l);
}

/* The roots that may run while main's thread is at event e of f: those
 * running at main's calls of f, less those f has surely ended before e by
 * a join or a joining call (ll_mhp_joined_for_main(): `stop() {
 * pthread_join(th, NULL); n = 0; }`), and those f has left running. */
static void with_at(const struct ctx *c, uint32_t i, uint32_t e, uint64_t *out)
{
    uint32_t w = c->v->cg.root_words;
    memcpy(out, c->with[i], w * sizeof(uint64_t));
    if (c->m->main_ended && c->m->main_ended[i]) {
        ll_mhp_joined_for_main(c->m, i, e, c->ended);
        ll_bitset_andnot(out, c->ended, w);
    }
    if (c->running[i])
        ll_bitset_or(out, &c->running[i][(size_t)e * w], w);
}

/* Some thread other than main's runs function i. */
static bool threads_run(const struct ctx *c, uint32_t i)
{
    const uint64_t *reach = &c->lr.reach[(size_t)i * c->lr.words];
    for (uint32_t r = ll_bitset_next(reach, c->lr.words, 0); r != UINT32_MAX;
         r = ll_bitset_next(reach, c->lr.words, r + 1))
        if (!is_main_root(c->v, r))
            return true;
    return false;
}

/* The locks held at event e of function i in context ctx, into c->scratch. */
static size_t locks_at(struct ctx *c, uint32_t i, uint32_t e, int ctx)
{
    const struct ll_fn_view *f = &c->v->fns[i];
    const struct lockset *en = &c->entry[ctx][i];
    size_t n = 0;
    for (uint32_t l = 0; l < f->df.nlocks; l++) {
        if (!c->locks[i][l].id || !held(c->v, f, e, l))
            continue;
        c->scratch[n] = c->locks[i][l];
        c->scratch[n++].shared = (ll_df_state(&f->df, e, l) & LL_LS_SHARED) != 0;
    }
    for (uint32_t k = 0; !en->top && k < en->n; k++) {
        bool freed = false, dup = false;
        for (uint32_t l = 0; l < f->df.nlocks && !freed; l++)
            if (c->locks[i][l].id && strcmp(c->locks[i][l].id, en->l[k].id) == 0)
                freed = !held(c->v, f, e, l) &&
                        (ll_df_state(&f->df, e, l) & (LL_LS_FREE | LL_LS_NEVER)) != 0;
        for (size_t m = 0; m < n && !dup; m++)
            dup = strcmp(c->scratch[m].id, en->l[k].id) == 0;
        if (!freed && !dup)
            c->scratch[n++] = en->l[k];
    }
    return n;
}

/* Entry of callee k in context ctx meets the locks of one call site.
 * Returns whether it changed. */
static bool meet(struct ctx *c, uint32_t k, size_t n, int ctx)
{
    struct lockset *en = &c->entry[ctx][k];
    if (en->top) {
        en->l = ll_arena_alloc(c->a, (n + 1) * sizeof(*en->l));
        if (!en->l)
            return false;
        memcpy(en->l, c->scratch, n * sizeof(*en->l));
        en->n = (uint32_t)n;
        en->top = false;
        return true;
    }
    bool changed = false;
    uint32_t o = 0;
    for (uint32_t j = 0; j < en->n; j++) {
        const struct ll_race_lock *hit = NULL;
        for (size_t m = 0; m < n && !hit; m++)
            if (strcmp(c->scratch[m].id, en->l[j].id) == 0)
                hit = &c->scratch[m];
        if (!hit) {
            changed = true;
            continue;
        }
        if (hit->shared && !en->l[j].shared)
            changed = true;
        en->l[o] = en->l[j];
        en->l[o++].shared |= hit->shared;
    }
    en->n = o;
    return changed;
}

/* A thread root's context at event e of function i while its
 * descendant runs (pair dc): that of the calls of i made while it runs,
 * or, when i (or a callee) started it before e, the root's own. */
static int desc_ctx_at(const struct ctx *c, uint32_t i, uint32_t e, const struct desc_ctx *dc)
{
    if (c->running[i] && ll_bitset_has(&c->running[i][(size_t)e * c->v->cg.root_words], dc->desc))
        return (int)c->root_ctx[dc->root];
    return (int)dc->ctx;
}

/* The entries of callee k in the contexts of the thread roots that run
 * call event e of function i meet the locks held there; so do those of
 * their calls made while a descendant runs, when it runs there (`tmp`:
 * scratch of the roots' words). */
static bool meet_threads(struct ctx *c, uint32_t i, uint32_t e, uint32_t k, uint64_t *tmp)
{
    const uint64_t *reach = &c->lr.reach[(size_t)i * c->lr.words];
    bool changed = false, shared_done = false, known = false;
    for (uint32_t r = ll_bitset_next(reach, c->lr.words, 0); r != UINT32_MAX;
         r = ll_bitset_next(reach, c->lr.words, r + 1)) {
        uint32_t cx = c->root_ctx[r];
        if (cx == CTX_MAIN || (cx == CTX_THREADS && shared_done))
            continue;
        shared_done |= cx == CTX_THREADS;
        changed |= meet(c, k, locks_at(c, i, e, (int)cx), (int)cx);
        for (uint32_t p = 0; p < c->ndesc; p++) {
            const struct desc_ctx *dc = &c->desc[p];
            if (dc->root != r)
                continue;
            if (!known)
                ll_mhp_running_at(c->m, i, e, tmp);
            known = true;
            if (ll_bitset_has(tmp, dc->desc))
                changed |= meet(c, k, locks_at(c, i, e, desc_ctx_at(c, i, e, dc)), (int)dc->ctx);
        }
    }
    return changed;
}

/* Main's context at event e of function i while root d runs: that of
 * i's calls made while d runs, or, when i (or a callee) started d before
 * e, CTX_MAIN (d runs there whichever call it was). */
static int main_ctx_at(const struct ctx *c, uint32_t i, uint32_t e, uint32_t d)
{
    uint32_t cx = c->main_ctx[d];
    if (cx != CTX_MAIN && c->running[i] &&
        ll_bitset_has(&c->running[i][(size_t)e * c->v->cg.root_words], d))
        return CTX_MAIN;
    return (int)cx;
}

/* The entries of callee k in main's contexts per root that runs at call
 * event e of function i (`with`) meet the locks held there. */
static bool meet_main_running(struct ctx *c, uint32_t i, uint32_t e, uint32_t k,
                              const uint64_t *with)
{
    uint32_t w = c->v->cg.root_words;
    bool changed = false;
    for (uint32_t d = ll_bitset_next(with, w, 0); d != UINT32_MAX;
         d = ll_bitset_next(with, w, d + 1))
        if (c->main_ctx[d] != CTX_MAIN)
            changed |= meet(c, k, locks_at(c, i, e, main_ctx_at(c, i, e, d)), (int)c->main_ctx[d]);
    return changed;
}

static int propagate(struct ctx *c)
{
    const struct ll_view *v = c->v;
    uint32_t w = v->cg.root_words;
    uint64_t *tmp = calloc(w, sizeof(uint64_t)), *run = calloc(w, sizeof(uint64_t));
    if (!tmp || !run) {
        free(tmp);
        free(run);
        return -1;
    }
    for (int round = 0; round < RACE_ROUNDS; round++) {
        bool changed = false;
        for (uint32_t o = v->cg.n; o-- > 0;) {
            uint32_t i = v->cg.order[o];
            const struct ll_fn_view *f = &v->fns[i];
            if (!f->calls || !ll_live_reached(&c->lr, i))
                continue;
            bool threads = threads_run(c, i);
            for (uint32_t e = 0; e < f->fn->nevents; e++) {
                const struct ll_call_info *ci = f->calls[e];
                if (!ci || !f->df.reached[e] || !c->lr.live[i][e])
                    continue;
                uint32_t k = (uint32_t)ci->callee;
                const struct ll_fn_view *g = &v->fns[k];
                if (ll_fn_is_root(g))
                    continue;
                /* a call only main's thread makes with nothing else
                 * running says nothing about the locks callers hold */
                if (threads)
                    changed |= meet_threads(c, i, e, k, run);
                if (c->mainc[i]) {
                    changed |= !c->mainc[k];
                    c->mainc[k] = true;
                    with_at(c, i, e, tmp);
                    changed |= ll_bitset_or_changed(c->with[k], tmp, w);
                    if (ll_bitset_any(tmp, w))
                        changed |= meet(c, k, locks_at(c, i, e, CTX_MAIN), CTX_MAIN) |
                                   meet_main_running(c, i, e, k, tmp);
                }
                const struct ll_event *ev = &f->fn->events[e];
                for (uint32_t p = 0; p < ev->nargs && p < g->fn->nparams; p++) {
                    uint8_t s = arg_state(c, i, e, &ev->args[p]);
                    if (s > c->pstate[k][p]) {
                        c->pstate[k][p] = s;
                        changed = true;
                    }
                }
            }
        }
        if (!changed)
            break;
    }
    free(tmp);
    free(run);
    return 0;
}

/* ---- the accesses --------------------------------------------------- */

/* The classes of the semaphores fn posts after event e (posts) or waits
 * on, untimed, before it; NULL-terminated, NULL when none. */
static int sem_marks(struct ll_arena *a, const struct ll_function *fn, uint32_t e, bool posts,
                     const char ***out)
{
    const char *found[8];
    size_t n = 0;
    *out = NULL;
    for (uint32_t k = posts ? e + 1 : 0; k < (posts ? fn->nevents : e); k++) {
        const struct ll_event *ev = &fn->events[k];
        bool hit = posts ? ev->kind == LL_EV_SEM_POST
                         : ev->kind == LL_EV_SEM_WAIT && !(ev->flags & LL_EVF_TIMED);
        if (!hit || !ev->obj.cls || n == sizeof(found) / sizeof(found[0]))
            continue;
        bool dup = false;
        for (size_t j = 0; j < n && !dup; j++)
            dup = strcmp(found[j], ev->obj.cls) == 0;
        if (!dup)
            found[n++] = ev->obj.cls;
    }
    if (n == 0)
        return 0;
    *out = ll_arena_alloc(a, (n + 1) * sizeof(**out));
    if (!*out)
        return -1;
    memcpy(*out, found, n * sizeof(**out));
    return 0;
}

/* x.locks: the locks held at x in context ctx. */
static int with_locks(struct ctx *c, struct ll_race_access *x, int ctx)
{
    size_t nl = locks_at(c, x->fn, x->event, ctx);
    x->locks = ll_arena_alloc(c->a, (nl + 1) * sizeof(*x->locks));
    if (!x->locks)
        return -1;
    memcpy(x->locks, c->scratch, nl * sizeof(*x->locks));
    x->nlocks = (uint32_t)nl;
    return 0;
}

static bool same_locks(const struct ll_race_access *a, const struct ll_race_access *b)
{
    if (a->nlocks != b->nlocks)
        return false;
    for (uint32_t i = 0; i < a->nlocks; i++) {
        bool found = false;
        for (uint32_t j = 0; j < b->nlocks && !found; j++)
            found = strcmp(a->locks[i].id, b->locks[j].id) == 0 &&
                    a->locks[i].shared == b->locks[j].shared;
        if (!found)
            return false;
    }
    return true;
}

/* ---- creation locksets ---------------------------------------------- */

/* Lock path p of function i may be its lock l: l itself, or a lock
 * through a pointer that may point to it (`unlock(mutex_ref)` with
 * `mutex_ref` either of two mutexes); another global is not. */
static bool may_be_lock(const struct ctx *c, uint32_t i, const struct ll_path *p, uint32_t l)
{
    const struct ll_fn_view *f = &c->v->fns[i];
    const struct ll_race_lock *x = &c->locks[i][l];
    if (!p->key || ll_df_lock_index(&f->df, p->key) == (int)l)
        return true;
    if (ll_path_concrete(p))
        return false;
    return !field_class(p->cls) || !x->cls ||
           ll_class_may_alias(p->cls, ll_path_emb(p), x->cls, x->emb ? x->emb : x->cls);
}

/* Lock path p of a callee's summary (in its own terms) may be lock x of
 * a caller: the same global, or one through a parameter or of x's class. */
static bool summary_may_be(const struct ll_path *p, const struct ll_race_lock *x)
{
    if (ll_path_concrete(p)) { /* one global: lock_ident()'s "=USR|key" */
        const char *usr = p->root_usr ? p->root_usr : "";
        size_t u = strlen(usr);
        return x->concrete && p->key && strncmp(x->id + 1, usr, u) == 0 && x->id[1 + u] == '|' &&
               strcmp(x->id + 2 + u, p->key) == 0;
    }
    return ll_path_param_rooted(p) || !p->cls || !x->cls ||
           ll_class_may_alias(p->cls, ll_path_emb(p), x->cls, x->emb ? x->emb : x->cls);
}

/* Event e of function i may let its lock l go for a while: a release or
 * a condition wait that may be on it, a call of a function that waits on
 * a condition, or releases or takes a lock that may be l (taking it
 * again means letting it go first). */
static bool lets_go(const struct ctx *c, uint32_t i, uint32_t e, uint32_t l)
{
    const struct ll_view *v = c->v;
    const struct ll_fn_view *f = &v->fns[i];
    const struct ll_event *ev = &f->fn->events[e];
    const struct ll_race_lock *x = &c->locks[i][l];
    if (ev->kind == LL_EV_RELEASE || ev->kind == LL_EV_COND_WAIT)
        return may_be_lock(c, i, ev->kind == LL_EV_RELEASE ? &ev->obj : &ev->aux, l);
    if (!f->calls || !f->calls[e])
        return false;
    const struct ll_fn_view *k = &v->fns[f->calls[e]->callee];
    if (ll_fn_thread_summary(v, k)->wait.set)
        return true;
    for (size_t t = 0; t < k->summary.ntakes; t++)
        if (summary_may_be(&k->summary.takes[t].lock, x))
            return true;
    for (size_t t = 0; t < k->summary.neffects; t++)
        if (ll_effect_releases(&k->summary.effects[t]) &&
            summary_may_be(&k->summary.effects[t].lock, x))
            return true;
    return false;
}

/* The program's thread creations and working memory for the walks. */
struct creations {
    size_t n;
    struct creation_at {
        uint32_t fn, event, root; /* root: the one it creates */
        long callee;
    } *at;
    uint8_t *seen;
    uint32_t *stack;
};

/* Event e of function i ends root y on its path: a join of y's one
 * handle class that mhp.h counts as ending it, or a call that ends it. */
static bool ends_root(const struct ctx *c, uint32_t i, uint32_t e, uint32_t y)
{
    const struct ll_fn_view *f = &c->v->fns[i];
    const struct ll_event *ev = &f->fn->events[e];
    const char **h = c->m->handles[y];
    if (ev->kind == LL_EV_JOIN)
        return c->m->joined[i] && h && h[0] && !h[1] && ev->obj.cls &&
               strcmp(h[0], ev->obj.cls) == 0 &&
               ll_bitset_has(&c->m->joined[i][(size_t)(e + 1) * c->v->cg.root_words], y);
    return f->calls && f->calls[e] && ll_bitset_has(c->m->ends[f->calls[e]->callee], y);
}

/* Whether creation event s of function i keeps its lock l, held
 * exclusively there, held on every path until root y (the one created,
 * or a descendant) ends (ends_root()), main returns (the process ends)
 * or a path ends the process.  Any other way out of i with y running
 * fails. */
static bool keeps_until_ended(const struct ctx *c, struct creations *cs, uint32_t i, uint32_t s,
                              uint32_t l, uint32_t y)
{
    const struct ll_fn_view *f = &c->v->fns[i];
    const struct ll_function *fn = f->fn;
    uint32_t n = 0, b = ll_fn_block_of(f, s), from = s;
    memset(cs->seen, 0, fn->nblocks + 1);
    for (;;) {
        const struct ll_block *bl = &fn->blocks[b];
        bool ended = false;
        for (uint32_t e = from; e < bl->first_event + bl->nevents && !ended; e++) {
            if (ll_df_state(&f->df, e, l) != LL_LS_HELD || (e != s && lets_go(c, i, e, l)))
                return false;
            ended = ends_root(c, i, e, y);
        }
        if (!ended && b == fn->exit && !f->is_main)
            return false;
        for (uint32_t k = 0; !ended && k < bl->nsucc; k++)
            if (!cs->seen[bl->succ[k]]) {
                cs->seen[bl->succ[k]] = 1;
                cs->stack[n++] = bl->succ[k];
            }
        if (!n)
            return true;
        b = cs->stack[--n];
        from = fn->blocks[b].first_event;
    }
}

/* Every instance of root r is created while its creator holds `lock`
 * and keeps it until root y (r itself or a descendant) ends -- or r's
 * creator is itself such an instance, one level up.  The roots that run
 * the holding creators go into `holders`. */
static bool held_across(const struct ctx *c, struct creations *cs, uint32_t r, uint32_t y,
                        const struct ll_race_lock *lock, int depth, uint64_t *holders)
{
    const struct ll_view *v = c->v;
    uint32_t w = v->cg.root_words;
    bool any = false;
    for (size_t k = 0; k < cs->n; k++) {
        uint32_t i = cs->at[k].fn;
        if (cs->at[k].root != r)
            continue;
        any = true;
        const uint64_t *reach = &v->cg.reach[(size_t)i * w];
        int l = -1;
        for (uint32_t j = 0; j < v->fns[i].df.nlocks && l < 0; j++)
            if (c->locks[i][j].id && strcmp(c->locks[i][j].id, lock->id) == 0)
                l = (int)j;
        if (l >= 0 && keeps_until_ended(c, cs, i, cs->at[k].event, (uint32_t)l, y)) {
            ll_bitset_or(holders, reach, w);
            continue;
        }
        uint32_t q = ll_bitset_next(reach, w, 0);
        if (q == UINT32_MAX || ll_bitset_next(reach, w, q + 1) != UINT32_MAX || q == r ||
            depth >= 8 || !held_across(c, cs, q, y, lock, depth + 1, holders))
            return false;
    }
    return any;
}

/* out->creation[y]: the locks held, by the threads that create it, from
 * every creation of root y until it ends.  The candidates are the locks
 * held at the creations that start y, directly or through an ancestor. */
static int creation_lockset(struct ctx *c, struct creations *cs, uint32_t y,
                            struct ll_race_result *out)
{
    const struct ll_view *v = c->v;
    uint32_t n = 0, cap = 0, w = v->cg.root_words;
    struct ll_race_creation *cl = NULL;
    for (size_t k = 0; k < cs->n; k++) {
        uint32_t i = cs->at[k].fn, s = cs->at[k].event;
        if (cs->at[k].root != y && !ll_bitset_has(c->m->creates[cs->at[k].callee], y))
            continue;
        for (uint32_t l = 0; l < v->fns[i].df.nlocks; l++) {
            const struct ll_race_lock *x = &c->locks[i][l];
            bool dup = false;
            for (uint32_t j = 0; x->id && j < n && !dup; j++)
                dup = strcmp(cl[j].lock.id, x->id) == 0;
            if (!x->id || dup || ll_df_state(&v->fns[i].df, s, l) != LL_LS_HELD)
                continue;
            uint64_t *holders = ll_arena_alloc(c->a, w * sizeof(uint64_t));
            if (!holders)
                return -1;
            /* a holder no root reaches would exclude every thread */
            if (!held_across(c, cs, y, y, x, 0, holders) || !ll_bitset_any(holders, w))
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 4;
                struct ll_race_creation *g = ll_arena_alloc(c->a, cap * sizeof(*g));
                if (!g)
                    return -1;
                if (n)
                    memcpy(g, cl, n * sizeof(*g));
                cl = g;
            }
            cl[n++] = (struct ll_race_creation){*x, holders};
        }
    }
    out->creation[y] = cl;
    out->ncreation[y] = n;
    return 0;
}

static int creation_locksets(struct ctx *c, struct ll_race_result *out)
{
    const struct ll_view *v = c->v;
    uint32_t nr = v->cg.nroots;
    struct creations cs = {0};
    size_t most = 1, n = 0;
    for (uint32_t i = 0; i < v->nfns; i++) {
        most = v->fns[i].fn->nblocks + 1 > most ? v->fns[i].fn->nblocks + 1 : most;
        for (uint32_t e = 0; e < v->fns[i].fn->nevents; e++)
            n += v->fns[i].fn->events[e].kind == LL_EV_THREAD_CREATE;
    }
    out->creation = ll_arena_alloc(c->a, (nr + 1) * sizeof(*out->creation));
    out->ncreation = ll_arena_alloc(c->a, (nr + 1) * sizeof(*out->ncreation));
    cs.at = malloc((n + 1) * sizeof(*cs.at));
    cs.seen = malloc(most);
    cs.stack = malloc(most * sizeof(*cs.stack));
    int rc = -1;
    if (!out->creation || !out->ncreation || !cs.at || !cs.seen || !cs.stack)
        goto out;
    for (uint32_t i = 0; i < v->nfns; i++)
        for (uint32_t e = 0; e < v->fns[i].fn->nevents; e++) {
            long k = v->fns[i].fn->events[e].kind == LL_EV_THREAD_CREATE
                         ? ll_program_callee(&v->program, i, e)
                         : -1;
            if (k >= 0 && c->m->root_of[k] >= 0)
                cs.at[cs.n++] = (struct creation_at){i, e, (uint32_t)c->m->root_of[k], k};
        }
    for (uint32_t y = 0; y < nr; y++)
        if (creation_lockset(c, &cs, y, out) != 0)
            goto out;
    rc = 0;
out:
    free(cs.at);
    free(cs.seen);
    free(cs.stack);
    return rc;
}

/* The lock sets of x that order it against threads created while its
 * function held a lock: taken (start routines), regions (creators). */
static int handoff_marks(struct ctx *c, struct ll_race_access *x)
{
    const struct ll_view *v = c->v;
    const struct ll_fn_view *f = &v->fns[x->fn];
    const struct ll_function *fn = f->fn;
    uint32_t e = x->event, nl = f->df.nlocks;
    if (f->is_start_routine)
        for (uint32_t l = 0; l < nl; l++) {
            uint8_t st = ll_df_state(&f->df, e, l);
            if (c->locks[x->fn][l].id && st && !(st & (LL_LS_NEVER | LL_LS_ENTRY)))
                x->ntaken++;
        }
    uint32_t nreg = 0;
    for (uint32_t s = c->first_create[x->fn]; s < e; s++)
        nreg += fn->events[s].kind == LL_EV_THREAD_CREATE;
    if (!x->ntaken && !nreg)
        return 0;
    x->taken = ll_arena_alloc(c->a, (x->ntaken + 1) * sizeof(*x->taken));
    x->regions = ll_arena_alloc(c->a, ((size_t)nreg * nl + 1) * sizeof(*x->regions));
    if (!x->taken || !x->regions)
        return -1;
    x->ntaken = 0;
    if (f->is_start_routine)
        for (uint32_t l = 0; l < nl; l++) {
            uint8_t st = ll_df_state(&f->df, e, l);
            if (c->locks[x->fn][l].id && st && !(st & (LL_LS_NEVER | LL_LS_ENTRY)))
                x->taken[x->ntaken++] = c->locks[x->fn][l];
        }
    for (uint32_t s = 0; s < e && nl; s++) {
        long k = fn->events[s].kind == LL_EV_THREAD_CREATE
                     ? ll_program_callee(&v->program, x->fn, s)
                     : -1;
        /* every instance of the routine comes from this one creation, in
         * one thread: an instance created at another site, before the
         * lock was taken, may be past its own critical section already */
        if (k < 0 || c->m->root_of[k] < 0 || c->start_fn[k] != x->fn || c->start_ev[k] != s ||
            c->m->parent[c->m->root_of[k]] < 0)
            continue;
        for (uint32_t l = 0; l < nl; l++) {
            if (!c->locks[x->fn][l].id || !held(v, f, s, l) || !held(v, f, e, l))
                continue;
            bool released = false;
            for (uint32_t u = s + 1; u < e && !released; u++)
                released = lets_go(c, x->fn, u, l);
            if (!released)
                x->regions[x->nregions++] =
                    (struct ll_race_region){c->locks[x->fn][l], (uint32_t)c->m->root_of[k]};
        }
    }
    return 0;
}

/* Some path from block `from` reaches `to` without passing block `avoid`. */
static bool reaches_avoiding(const struct ll_fn_view *f, uint32_t from, uint32_t to, uint32_t avoid)
{
    uint32_t nb = f->fn->nblocks + 1;
    uint8_t *seen = calloc(nb, 1);
    uint32_t *stack = calloc(nb, sizeof(uint32_t));
    bool r = !seen || !stack || ll_fn_block_reaches(f, from, to, avoid, seen, stack);
    free(seen);
    free(stack);
    return r;
}

/* x's barrier phase (struct ll_race_access says when it has one). */
static void barrier_phase(const struct ll_fn_view *f, struct ll_race_access *x)
{
    const struct ll_function *fn = f->fn;
    const char *cls = NULL;
    uint32_t nw = 0, before = 0, depth = 0;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind != LL_EV_BARRIER_WAIT)
            continue;
        if (ev->obj.root != LL_ROOT_GLOBAL || (ev->obj.flags & LL_PATH_DEREF) || !ev->obj.cls ||
            (cls && strcmp(cls, ev->obj.cls) != 0) || (nw && ev->loop_depth != depth) ||
            ev->loop_depth > 1)
            return; /* one global barrier, all waits in one loop or none */
        cls = ev->obj.cls;
        depth = ev->loop_depth;
        nw++;
        before += e < x->event;
    }
    if (!nw || fn->events[x->event].loop_depth < depth)
        return;
    uint32_t head = 0, nheads = 0;
    for (uint32_t b = 0; depth && b < fn->nblocks; b++)
        if ((fn->blocks[b].flags & LL_BLK_LOOP_HEAD) && fn->blocks[b].loop_depth == 1) {
            head = b;
            nheads++;
        }
    if (depth && nheads != 1)
        return;
    /* every wait is on every path: through the function, or around the loop */
    for (uint32_t e = 0; e < fn->nevents; e++) {
        if (fn->events[e].kind != LL_EV_BARRIER_WAIT)
            continue;
        uint32_t wb = ll_fn_block_of(f, e);
        if (!depth && reaches_avoiding(f, 0, fn->exit, wb))
            return;
        for (uint32_t k = 0; depth && k < fn->blocks[head].nsucc; k++) {
            uint32_t s = fn->blocks[head].succ[k];
            if (fn->blocks[s].loop_depth >= 1 && reaches_avoiding(f, s, head, wb))
                return;
        }
    }
    x->barrier = cls;
    x->nphases = (uint16_t)(nw > 60000 ? 60000 : nw);
    x->phase = (uint16_t)((depth ? before % nw : before) % 60001);
    x->phase_looped = depth > 0;
}

static int append(const struct ll_race_access *x, struct ll_race_access **buf, size_t *n,
                  size_t *cap)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        struct ll_race_access *g = realloc(*buf, nc * sizeof(*g));
        if (!g)
            return -1;
        *buf = g;
        *cap = nc;
    }
    (*buf)[(*n)++] = *x;
    return 0;
}

/* Whom a record of an access meets besides its locks: for main's thread
 * (with >= 0), that root, which runs meanwhile; else, as their ancestor,
 * the roots `started`, and when desc_only no one else (the calls a
 * thread makes while its descendant runs). */
struct meets {
    long with;
    uint64_t *started;
    bool desc_only;
    const char *block; /* the block x lies in that a thread was given (blocks.h), or NULL */
};

static bool same_meets(const struct ctx *c, const struct ll_race_access *rec, const struct meets *m)
{
    if (m->with >= 0 || rec->desc_only != m->desc_only)
        return m->with >= 0 && !rec->desc_only;
    return rec->started == m->started ||
           memcmp(rec->started, m->started, c->v->cg.root_words * sizeof(uint64_t)) == 0;
}

/* Whether root r's thread sees x's block as the one it was given (its
 * own view of it, through its start argument, in whatever function):
 * that record meets only the creator's accesses of the block. */
static bool own_view(const struct ctx *c, const struct ll_race_access *x, const char *block,
                     uint32_t r)
{
    if (x->exclusive || !block)
        return x->exclusive;
    const char *given = ll_block_given(&c->blocks, c->v->cg.roots[r].fn);
    return given && strcmp(given, block) == 0;
}

/* Access x in context cx, for root r (one more root of the record
 * already made for the same locks and view meeting the same roots, or a
 * record of its own). */
static int add_context(struct ctx *c, const struct ll_race_access *x, int cx, uint32_t r,
                       const struct meets *m, struct ll_race_access *recs, uint32_t *nrecs)
{
    struct ll_race_access y = *x;
    if (with_locks(c, &y, cx) != 0)
        return -1;
    y.exclusive = own_view(c, x, m->block, r);
    y.from_start_arg |= y.exclusive;
    for (uint32_t k = 0; k < *nrecs; k++)
        if (recs[k].exclusive == y.exclusive && same_locks(&recs[k], &y) &&
            same_meets(c, &recs[k], m)) {
            ll_bitset_set(recs[k].roots, r);
            if (m->with >= 0)
                ll_bitset_set(recs[k].with, (uint32_t)m->with);
            return 0;
        }
    /* a record per thread context (one past RACE_ROOT_CTX) and per pair
     * of a thread and its descendant, each twice (the thread's own view
     * of a block it was given, and not), and per main context:
     * by_context()'s array holds them */
    if (*nrecs >= RACE_RECORDS) /* cannot happen (the bound above); never write past it */
        return -1;
    y.roots = ll_arena_alloc(c->a, c->v->cg.root_words * sizeof(uint64_t));
    y.with = ll_arena_alloc(c->a, c->v->cg.root_words * sizeof(uint64_t));
    if (!y.roots || !y.with)
        return -1;
    ll_bitset_set(y.roots, r);
    if (m->with >= 0)
        ll_bitset_set(y.with, (uint32_t)m->with);
    else
        y.started = m->started;
    y.desc_only = m->desc_only;
    recs[(*nrecs)++] = y;
    return 0;
}

/* The records of thread root r's access x: one per descendant of r with a
 * context of its own that runs there (meeting that one only), and one
 * meeting everyone else. */
static int thread_records(struct ctx *c, const struct ll_race_access *x, const char *block,
                          uint32_t r, struct ll_race_access *recs, uint32_t *nrecs)
{
    uint32_t w = c->v->cg.root_words;
    struct meets m = {-1, x->started, false, block};
    for (uint32_t p = 0; p < c->ndesc; p++) {
        const struct desc_ctx *dc = &c->desc[p];
        if (dc->root != r || !ll_bitset_has(x->started, dc->desc))
            continue;
        uint64_t *one = ll_arena_alloc(c->a, w * sizeof(uint64_t));
        if (!one)
            return -1;
        ll_bitset_set(one, dc->desc);
        struct meets d = {-1, one, true, block};
        if (add_context(c, x, desc_ctx_at(c, x->fn, x->event, dc), r, &d, recs, nrecs) != 0)
            return -1;
        if (m.started == x->started) {
            uint64_t *rest = ll_arena_alloc(c->a, w * sizeof(uint64_t));
            if (!rest)
                return -1;
            memcpy(rest, x->started, w * sizeof(uint64_t));
            m.started = rest;
        }
        ll_bitset_andnot(m.started, one, w);
    }
    return add_context(c, x, (int)c->root_ctx[r], r, &m, recs, nrecs);
}

/*
 * The records of access x (x->roots: the thread roots that run it; and
 * main's thread, main_root >= 0, while the roots x->with run): one per
 * set of locks held, each with the roots whose context holds those, and
 * whom they meet (struct meets).  A thread that calls the function
 * without the lock another thread holds at its calls is a record of its
 * own, and so are main's calls made while one thread runs and those made
 * while another does, and a thread's calls made while a thread it
 * started runs, so each pair of the rule meets the locks the two threads
 * really hold.
 */
static int by_context(struct ctx *c, const struct ll_race_access *x, const char *block,
                      long main_root, struct ll_race_access **buf, size_t *n, size_t *cap)
{
    struct ll_race_access recs[RACE_RECORDS];
    uint32_t nrecs = 0, w = c->v->cg.root_words;
    for (uint32_t r = ll_bitset_next(x->roots, w, 0); r != UINT32_MAX;
         r = ll_bitset_next(x->roots, w, r + 1))
        if (thread_records(c, x, block, r, recs, &nrecs) != 0)
            return -1;
    for (uint32_t d = main_root >= 0 ? ll_bitset_next(x->with, w, 0) : UINT32_MAX; d != UINT32_MAX;
         d = ll_bitset_next(x->with, w, d + 1)) {
        struct meets m = {(long)d, NULL, false, block};
        if (add_context(c, x, main_ctx_at(c, x->fn, x->event, d), (uint32_t)main_root, &m, recs,
                        &nrecs) != 0)
            return -1;
    }
    for (uint32_t k = 0; k < nrecs; k++)
        if (append(&recs[k], buf, n, cap) != 0)
            return -1;
    return 0;
}

/* Whether `key` is `var->...`. */
static bool arrow_from(const char *key, const char *var)
{
    size_t n = strlen(var);
    return strncmp(key, var, n) == 0 && strncmp(key + n, "->", 2) == 0;
}

/* The block of creator function i's access p (`c->n`, one step through
 * local c), when c holds a fresh block it gives a thread (c->handed). */
static const char *handed_object(const struct ctx *c, uint32_t i, const struct ll_path *p)
{
    for (const char **h = c->handed[i]; h && *h; h++)
        if (arrow_from(p->key, *h))
            return ll_arena_printf(c->a, "@%s|%s", c->v->fns[i].fn->usr, p->key);
    return NULL;
}

/* An access one step through start routine i's start argument, which no
 * other instance of the routine sees (PS_PRIV), still shares its object
 * with the thread that created it when the routine has one creation
 * site: given `&g`, it is g's field (a concrete object, like the
 * creator's own `g.n`); given a fresh block in the creator's local `c`,
 * it is that block, which only the creator's `c->n` names (x->object,
 * exclusive).  Returns 1 when it filled x, 0 when the access stays
 * private, -1 when out of memory. */
static int start_arg_object(const struct ctx *c, uint32_t i, const struct ll_path *p,
                            struct ll_race_access *x)
{
    const struct ll_fn_view *f = &c->v->fns[i];
    const char *param = f->fn->nparams > 0 ? f->fn->params[0] : NULL;
    if (!f->is_start_routine || p->root != LL_ROOT_PARAM || p->param != 0 || !param ||
        c->start_fn[i] >= UINT32_MAX - 1 || !arrow_from(p->key, param) || nderef(p->key) != 1)
        return 0;
    const char *rest = p->key + strlen(param) + 2;
    const struct ll_fn_view *cf = &c->v->fns[c->start_fn[i]];
    const struct ll_event *create = &cf->fn->events[c->start_ev[i]];
    const struct ll_path *aux = &create->aux;
    /* `&args[i]` in a loop is each thread's own element (site_private()) */
    if ((aux->root == LL_ROOT_GLOBAL || aux->root == LL_ROOT_STATIC_LOCAL) &&
        (aux->flags & LL_PATH_ADDR) && !(aux->flags & (LL_PATH_DEREF | LL_PATH_INDEXED)) &&
        aux->key && create->loop_depth == 0) {
        struct ll_path g = *aux;
        g.key = ll_arena_printf(c->a, "%s.%s", aux->key, rest);
        if (!g.key)
            return -1;
        x->concrete = concrete_id(c->a, &g, true);
        x->name = concrete_id(c->a, &g, false);
        return x->concrete && x->name ? 1 : -1;
    }
    for (const char **h = c->handed[c->start_fn[i]]; h && *h; h++)
        if (aux->root == LL_ROOT_LOCAL && aux->key && strcmp(*h, aux->key) == 0) {
            x->object = ll_arena_printf(c->a, "@%s|%s->%s", cf->fn->usr, aux->key, rest);
            x->exclusive = true;
            return x->object ? 1 : -1;
        }
    return 0;
}

/* `c->n` in the block c names: "@USR|c->n", the name the creator's own
 * access of its block local has (handed_object()). */
static const char *block_object(const struct ctx *c, const char *block, const struct ll_path *p)
{
    const char *arrow = strstr(p->key, "->");
    return arrow ? ll_arena_printf(c->a, "%s%s", block, arrow) : NULL;
}

static int add_access(struct ctx *c, uint32_t i, uint32_t e, struct ll_race_access **buf, size_t *n,
                      size_t *cap)
{
    const struct ll_view *v = c->v;
    const struct ll_fn_view *f = &v->fns[i];
    const struct ll_event *ev = &f->fn->events[e];
    const struct ll_path *p = &ev->obj;
    const char *block = NULL; /* the block given a thread it lies in (blocks.h) */
    if (!p->key || !p->cls || (p->flags & (LL_PATH_THREAD_LOCAL | LL_PATH_CONST)))
        return 0;
    struct ll_race_access x = {0};
    x.fn = i;
    x.event = e;
    x.write = (ev->flags & LL_EVF_WRITE) != 0;
    x.atomic = (ev->flags & LL_EVF_ATOMIC) || (p->flags & LL_PATH_ATOMIC_TYPE);
    enum ll_settled_kind settled = ll_settled_write(&c->settled, f, e);
    if (settled == LL_SETTLED_SURE)
        return 0; /* runs only before the first thread: it set the global for good */
    x.settled = settled == LL_SETTLED_IF_NONZERO;
    x.root_depth = ll_live_depths(&c->lr, i);
    x.depth = UINT8_MAX;
    for (uint32_t r = 0; r < c->lr.nroots; r++)
        if (x.root_depth[r] < x.depth)
            x.depth = x.root_depth[r];
    if (c->has_sem[i] && (sem_marks(c->a, f->fn, e, true, &x.posts_after) != 0 ||
                          sem_marks(c->a, f->fn, e, false, &x.waits_before) != 0))
        return -1;
    x.emb = path_emb(c, i, p);
    if (!(p->flags & LL_PATH_DEREF)) {
        if (p->root != LL_ROOT_GLOBAL && p->root != LL_ROOT_STATIC_LOCAL)
            return 0;
        x.concrete = concrete_id(c->a, p, true);
        x.name = concrete_id(c->a, p, false);
        x.group = field_class(p->cls) ? p->cls : any_index(c->a, x.concrete);
    } else {
        bool unknown;
        uint8_t base = base_state(c, i, e, p, &unknown);
        int level = nderef(p->key);
        block = level == 1 ? ll_block_of(&c->blocks, i, p) : NULL;
        if (!ll_block_handed(&c->blocks, block))
            block = NULL;
        uint8_t st = at_level(base, level ? level : 1);
        if (st != PS_SHARED) {
            /* fresh (PS_NOT): no thread sees the block yet; a thread's own
             * view of it (PS_PRIV) meets its creator's accesses */
            int own = start_arg_object(c, i, p, &x);
            if (own < 0 || (own == 0 && (!block || st != PS_PRIV)))
                return own;
        } else if (p->root == LL_ROOT_LOCAL && level == 1) {
            x.object = handed_object(c, i, p);
        }
        if (block && !x.object && !x.concrete) {
            x.object = block_object(c, block, p);
            if (!x.object)
                return -1;
        }
        if (!field_class(p->cls) && p->root != LL_ROOT_GLOBAL && p->root != LL_ROOT_STATIC_LOCAL)
            return 0; /* plain data through a pointer: buffers, partitioned arrays */
        x.popped = ll_popped_site(&c->popped, v, i, e, c->a);
        x.from_start_arg = (p->root == LL_ROOT_LOCAL && !unknown) ||
                           (f->is_start_routine && p->root == LL_ROOT_PARAM && p->param == 0);
        x.group = p->cls;
        if (!x.name) {
            /* named without its allocation site (sites.h): the site tells
             * locations apart, messages name them as before */
            const char *bare = x.emb + ll_site_prefix(x.emb);
            x.name = x.emb != p->cls && strcmp(bare, p->cls) != 0 ? bare
                     : p->cls[0] == '*' && field_class(p->cls)    ? p->cls + 1
                                                                  : p->cls;
        }
        if (through_global_pointer(p)) {
            x.concrete = concrete_id(c->a, p, true);
            x.name = concrete_id(c->a, p, false);
        }
    }
    if (!x.group || !x.name || !x.emb)
        return -1;
    if ((p->flags & LL_PATH_INDEXED) && f->is_start_routine && thread_own_index(f, p->key))
        return 0;
    x.roots = ll_arena_alloc(c->a, v->cg.root_words * sizeof(uint64_t));
    x.sure = ll_arena_alloc(c->a, v->cg.root_words * sizeof(uint64_t));
    x.with = ll_arena_alloc(c->a, v->cg.root_words * sizeof(uint64_t));
    x.started = ll_arena_alloc(c->a, v->cg.root_words * sizeof(uint64_t));
    if (!x.roots || !x.sure || !x.with || !x.started)
        return -1;
    with_at(c, i, e, x.with);
    ll_mhp_running_at(c->m, i, e, x.started);
    bool threads = false, main_runs = c->mainc[i] && ll_bitset_any(x.with, v->cg.root_words);
    long main_root = -1;
    for (uint32_t r = 0; r < v->cg.nroots; r++) {
        if (!ll_live_reaches(&c->lr, r, i))
            continue;
        if (ll_live_reaches_surely(&c->lr, r, i))
            ll_bitset_set(x.sure, r);
        if (!is_main_root(v, r)) {
            ll_bitset_set(x.roots, r);
            threads = true;
        } else if (main_runs) {
            main_root = r;
        }
    }
    if (!threads && main_root < 0)
        return 0;
    if (handoff_marks(c, &x) != 0)
        return -1;
    uint32_t npub, nobs;
    if (ll_handoff_marks(c->ho, i, e, c->a, &x.pub, &npub, &x.obs, &nobs) != 0)
        return -1;
    x.npub = (uint16_t)npub;
    x.nobs = (uint16_t)nobs;
    if (ll_fn_is_root(f))
        barrier_phase(f, &x);
    return by_context(c, &x, block, main_root, buf, n, cap);
}

static int cmp_access(const void *pa, const void *pb)
{
    const struct ll_race_access *a = pa, *b = pb;
    int d = strcmp(a->group, b->group);
    if (d)
        return d;
    if (a->fn != b->fn)
        return a->fn < b->fn ? -1 : 1;
    return a->event < b->event ? -1 : a->event > b->event;
}

/* One context for main's thread, then one per thread root (or one for
 * all of them past RACE_ROOT_CTX), then, when there is a main, one of
 * main's per thread root (none past RACE_ROOT_CTX), then one per thread
 * root and root it starts (the first RACE_ROOT_CTX pairs). */
static int root_contexts(struct ctx *c)
{
    const struct ll_view *v = c->v;
    size_t n1 = v->nfns + 1;
    uint32_t threads = 0;
    for (uint32_t r = 0; r < v->cg.nroots; r++)
        threads += !is_main_root(v, r);
    bool own = threads <= RACE_ROOT_CTX, split = own && threads < v->cg.nroots;
    c->main_first = CTX_THREADS + (own ? threads : 1);
    c->desc_first = c->main_first + (split ? threads : 0);
    c->ndesc = 0;
    c->desc = ll_arena_alloc(c->a, RACE_ROOT_CTX * sizeof(*c->desc));
    if (!c->desc)
        return -1;
    for (uint32_t t = 0; own && t < v->cg.nroots; t++) {
        if (is_main_root(v, t))
            continue; /* main's are per thread root above */
        for (uint32_t d = 0; d < v->cg.nroots && c->ndesc < RACE_ROOT_CTX; d++)
            if (ll_mhp_ancestor(&v->mhp, t, d)) {
                c->desc[c->ndesc] = (struct desc_ctx){t, d, c->desc_first + c->ndesc};
                c->ndesc++;
            }
    }
    c->nctx = c->desc_first + c->ndesc;
    c->root_ctx = ll_arena_alloc(c->a, (v->cg.nroots + 1) * sizeof(*c->root_ctx));
    c->main_ctx = ll_arena_alloc(c->a, (v->cg.nroots + 1) * sizeof(*c->main_ctx));
    c->entry = ll_arena_alloc(c->a, c->nctx * sizeof(*c->entry));
    if (!c->root_ctx || !c->main_ctx || !c->entry)
        return -1;
    for (uint32_t r = 0, next = CTX_THREADS, mnext = c->main_first; r < v->cg.nroots; r++) {
        bool m = is_main_root(v, r);
        c->root_ctx[r] = m ? CTX_MAIN : own ? next++ : CTX_THREADS;
        c->main_ctx[r] = split && !m ? mnext++ : CTX_MAIN;
    }
    for (uint32_t cx = 0; cx < c->nctx; cx++)
        if (!(c->entry[cx] = ll_arena_alloc(c->a, n1 * sizeof(struct lockset))))
            return -1;
    return 0;
}

static int setup(struct ctx *c)
{
    const struct ll_view *v = c->v;
    size_t n1 = v->nfns + 1, most = 1;
    c->locks = ll_arena_alloc(c->a, n1 * sizeof(*c->locks));
    c->m = &v->mhp;
    c->running = v->mhp.running;
    c->with = ll_arena_alloc(c->a, n1 * sizeof(*c->with));
    c->ended = ll_arena_alloc(c->a, ((size_t)v->cg.root_words + 1) * sizeof(uint64_t));
    if (!c->ended || root_contexts(c) != 0)
        return -1;
    c->mainc = ll_arena_alloc(c->a, n1 * sizeof(bool));
    c->has_sem = ll_arena_alloc(c->a, n1 * sizeof(bool));
    c->first_create = ll_arena_alloc(c->a, n1 * sizeof(*c->first_create));
    c->pstate = ll_arena_alloc(c->a, n1 * sizeof(*c->pstate));
    c->start_ps = ll_arena_alloc(c->a, n1);
    c->start_fn = ll_arena_alloc(c->a, n1 * sizeof(*c->start_fn));
    c->start_ev = ll_arena_alloc(c->a, n1 * sizeof(*c->start_ev));
    c->handed = ll_arena_alloc(c->a, n1 * sizeof(*c->handed));
    c->origin = ll_arena_alloc(c->a, n1 * sizeof(*c->origin));
    if (!c->origin || param_origins(c) != 0)
        return -1;
    if (!c->locks || !c->with || !c->mainc || !c->has_sem || !c->first_create || !c->pstate ||
        !c->start_ps || !c->start_fn || !c->start_ev || !c->handed)
        return -1;
    for (size_t i = 0; i < v->nfns; i++) {
        const struct ll_fn_view *f = &v->fns[i];
        most += f->df.nlocks;
        c->locks[i] = ll_arena_alloc(c->a, (f->df.nlocks + 1) * sizeof(**c->locks));
        c->pstate[i] = ll_arena_alloc(c->a, f->fn->nparams + 1);
        c->with[i] = ll_arena_alloc(c->a, v->cg.root_words * sizeof(uint64_t));
        if (!c->locks[i] || !c->pstate[i] || !c->with[i])
            return -1;
        for (uint32_t l = 0; l < f->df.nlocks; l++)
            if (lock_ident(c, (uint32_t)i, &f->df.locks[l], &c->locks[i][l]) != 0)
                return -1;
        /* a copy of a lock (a by-value parameter, a local copied from
         * another lock) excludes nobody, whatever its class says */
        for (uint32_t e = 0; e < f->fn->nevents; e++) {
            int l = f->fn->events[e].kind == LL_EV_LOCK_COPY
                        ? ll_df_lock_index(&f->df, f->fn->events[e].obj.key)
                        : -1;
            if (l >= 0)
                c->locks[i][l].id = NULL;
        }
        for (uint32_t cx = CTX_THREADS; cx < c->nctx; cx++)
            c->entry[cx][i].top =
                cx < c->main_first || cx >= c->desc_first ? !ll_fn_is_root(f) : !f->is_main;
        c->entry[CTX_MAIN][i].top = !f->is_main;
        c->mainc[i] = f->is_main;
        for (uint32_t e = 0; e < f->fn->nevents && !c->has_sem[i]; e++)
            c->has_sem[i] =
                f->fn->events[e].kind == LL_EV_SEM_POST || f->fn->events[e].kind == LL_EV_SEM_WAIT;
        c->first_create[i] = f->fn->nevents;
        for (uint32_t e = f->fn->nevents; e-- > 0;)
            if (f->fn->events[e].kind == LL_EV_THREAD_CREATE)
                c->first_create[i] = e;
    }
    /* an entry set never outgrows the largest lock table plus its own */
    c->nscratch = most * 2;
    c->scratch = calloc(c->nscratch, sizeof(*c->scratch));
    if (!c->scratch)
        return -1;
    if (ll_live_reach_build(v, c->a, &c->lr) != 0)
        return -1;
    if (ll_fresh_build(v, c->a, &c->fresh) != 0 || classify_starts(c) != 0 ||
        ll_blocks_build(v, c->a, &c->fresh, c->start_fn, c->start_ev, &c->blocks) != 0)
        return -1;
    for (size_t i = 0; i < v->nfns; i++)
        if (v->fns[i].is_start_routine && v->fns[i].fn->nparams > 0)
            c->pstate[i][0] = c->start_ps[i];
    return 0;
}

int ll_race_build(const struct ll_view *v, struct ll_race_result *out)
{
    memset(out, 0, sizeof(*out));
    ll_arena_init(&out->arena);
    struct ctx c = {0};
    c.v = v;
    c.a = &out->arena;
    struct ll_race_access *buf = NULL;
    size_t n = 0, cap = 0;
    int rc = -1;
    c.ho = &out->handoff;
    if (setup(&c) != 0 || propagate(&c) != 0 || ll_handoff_build(v, c.locks, &out->handoff) != 0 ||
        creation_locksets(&c, out) != 0 || ll_settled_build(v, c.a, &c.settled) != 0 ||
        ll_popped_build(v, c.a, &c.popped) != 0)
        goto out;
    for (uint32_t i = 0; i < v->nfns; i++) {
        const struct ll_fn_view *f = &v->fns[i];
        if (!ll_live_reached(&c.lr, i))
            continue;
        /* no call site with threads running: no locks */
        for (uint32_t cx = 0; cx < c.nctx; cx++)
            c.entry[cx][i].top = false;
        for (uint32_t e = 0; e < f->fn->nevents; e++)
            if (f->fn->events[e].kind == LL_EV_ACCESS && f->df.reached[e] && c.lr.live[i][e] &&
                add_access(&c, i, e, &buf, &n, &cap) != 0)
                goto out;
    }
    if (n) {
        qsort(buf, n, sizeof(*buf), cmp_access);
        out->acc = ll_arena_alloc(&out->arena, n * sizeof(*buf));
        if (!out->acc)
            goto out;
        memcpy(out->acc, buf, n * sizeof(*buf));
        out->n = n;
    }
    rc = 0;
out:
    free(buf);
    free(c.scratch);
    ll_settled_release(&c.settled);
    return rc;
}

void ll_race_release(struct ll_race_result *r)
{
    ll_handoff_release(&r->handoff);
    ll_arena_release(&r->arena);
    memset(r, 0, sizeof(*r));
}

/* ---- queries -------------------------------------------------------- */

/* Two concrete ids name one object: equal, where "[]" matches any index. */
static bool ids_match(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a == '[' && *b == '[') {
            const char *ea = strchr(a, ']'), *eb = strchr(b, ']');
            if (!ea || !eb)
                return strcmp(a, b) == 0;
            bool wild = ea == a + 1 || eb == b + 1;
            if (!wild && (ea - a != eb - b || strncmp(a, b, (size_t)(ea - a)) != 0))
                return false;
            a = ea + 1;
            b = eb + 1;
            continue;
        }
        if (*a++ != *b++)
            return false;
    }
    return *a == *b;
}

bool ll_race_may_alias(const struct ll_race_access *a, const struct ll_race_access *b)
{
    if (strcmp(a->group, b->group) != 0)
        return false;
    if (field_class(a->group) && !ll_class_may_alias(a->group, a->emb, b->group, b->emb))
        return false;
    /* a thread's own view of the block its creator gave it meets only the
     * creator's accesses of that block */
    if (a->exclusive || b->exclusive)
        return !(a->exclusive && b->exclusive) && a->object && b->object &&
               strcmp(a->object, b->object) == 0;
    return !a->concrete || !b->concrete || ids_match(a->concrete, b->concrete);
}

bool ll_race_same_lock(const struct ll_race_lock *x, const struct ll_race_lock *y)
{
    if (x->concrete && y->concrete)
        return strcmp(x->id, y->id) == 0;
    return ll_class_may_alias(x->cls, x->emb ? x->emb : x->cls, y->cls, y->emb ? y->emb : y->cls);
}

bool ll_race_holds(const struct ll_race_access *a, const struct ll_race_lock *x)
{
    for (uint32_t i = 0; i < a->nlocks; i++)
        if (ll_race_same_lock(&a->locks[i], x))
            return true;
    return false;
}

static bool share_sem(const char **x, const char **y)
{
    for (; x && *x; x++)
        for (const char **z = y; z && *z; z++)
            if (strcmp(*x, *z) == 0)
                return true;
    return false;
}

/* A semaphore makes a happen before b (see ll_race_conflict()). */
static bool sem_ordered(const struct ll_view *v, const struct ll_race_access *a,
                        const struct ll_race_access *b)
{
    if (!share_sem(a->posts_after, b->waits_before))
        return false;
    bool looped = v->fns[a->fn].fn->events[a->event].loop_depth > 0;
    return !looped || share_sem(b->posts_after, a->waits_before);
}

/* a lies in a critical section its thread entered before creating root
 * y, whose thread took the same lock before reaching b: a happens first. */
static bool region_before(const struct ll_race_access *a, const struct ll_race_access *b,
                          uint32_t y)
{
    for (uint32_t i = 0; i < a->nregions; i++)
        for (uint32_t j = 0; a->regions[i].root == y && j < b->ntaken; j++)
            if (ll_race_same_lock(&a->regions[i].lock, &b->taken[j]))
                return true;
    return false;
}

/* Root y runs inside a critical section of its creators (its creation
 * lockset) that a, run by root x, another thread, holds the lock of:
 * a is before or after all of y. */
static bool created_inside(const struct ll_view *v, const struct ll_race_access *a, uint32_t x,
                           uint32_t y)
{
    const struct ll_race_result *r = &v->race;
    for (uint32_t i = 0; r->creation && i < r->ncreation[y]; i++)
        if (!ll_bitset_has(r->creation[y][i].holders, x) &&
            ll_race_holds(a, &r->creation[y][i].lock))
            return true;
    return false;
}

/* Roots x and y each run inside a critical section on one global lock,
 * held by threads of their creators that have no root in common: two
 * threads' critical sections never overlap, so neither do x and y. */
static bool inside_apart(const struct ll_view *v, uint32_t x, uint32_t y)
{
    const struct ll_race_result *r = &v->race;
    uint32_t w = v->cg.root_words;
    for (uint32_t i = 0; r->creation && i < r->ncreation[x]; i++)
        for (uint32_t j = 0; j < r->ncreation[y]; j++) {
            const struct ll_race_creation *p = &r->creation[x][i], *q = &r->creation[y][j];
            bool common = false;
            for (uint32_t k = 0; k < w && !common; k++)
                common = (p->holders[k] & q->holders[k]) != 0;
            if (!common && p->lock.concrete && q->lock.concrete &&
                strcmp(p->lock.id, q->lock.id) == 0)
                return true;
        }
    return false;
}

/* A barrier both threads wait on puts a and b in different phases. */
static bool barrier_apart(const struct ll_race_access *a, const struct ll_race_access *b)
{
    return a->barrier && b->barrier && strcmp(a->barrier, b->barrier) == 0 &&
           a->phase_looped == b->phase_looped && a->nphases == b->nphases && a->phase != b->phase;
}

bool ll_race_sure_roots(const struct ll_race_access *a, const struct ll_race_access *b, uint32_t ra,
                        uint32_t rb)
{
    return ll_bitset_has(a->sure, ra) && ll_bitset_has(b->sure, rb);
}

/* Ranks a pair of roots reached through a guess after every sure one
 * (depths are at most 255 each). */
#define GUESSED_PAIR 1024u

bool ll_race_conflict(const struct ll_view *v, const struct ll_race_access *a,
                      const struct ll_race_access *b, uint32_t *ra, uint32_t *rb)
{
    /* each thread popped its own element (popped.h); atomic accesses
     * race only with plain ones */
    if ((a->popped && b->popped && strcmp(a->popped, b->popped) == 0) || (a->atomic && b->atomic))
        return false;
    if ((!a->write && !b->write) || !ll_race_may_alias(a, b) || sem_ordered(v, a, b) ||
        sem_ordered(v, b, a) || barrier_apart(a, b) ||
        ll_handoff_order(v, &v->race.handoff, a, b, NULL, NULL) == LL_HO_ORDERED ||
        ll_handoff_order(v, &v->race.handoff, b, a, NULL, NULL) == LL_HO_ORDERED)
        return false;
    for (uint32_t i = 0; i < a->nlocks; i++)
        for (uint32_t j = 0; j < b->nlocks; j++)
            if (ll_race_same_lock(&a->locks[i], &b->locks[j]) &&
                !(a->locks[i].shared && b->locks[j].shared))
                return false;
    /* over the members of the two root sets, not every root of the
     * program: a pair costs the threads that reach the two accesses */
    unsigned best = UINT_MAX;
    uint32_t w = v->cg.root_words;
    for (uint32_t x = ll_bitset_next(a->roots, w, 0); x != UINT32_MAX;
         x = ll_bitset_next(a->roots, w, x + 1)) {
        bool mx = is_main_root(v, x);
        for (uint32_t y = ll_bitset_next(b->roots, w, 0); y != UINT32_MAX;
             y = ll_bitset_next(b->roots, w, y + 1)) {
            bool my = is_main_root(v, y);
            if ((mx && my) || (mx && !ll_bitset_has(a->with, y)) ||
                (my && !ll_bitset_has(b->with, x)) || (x == y && !v->cg.roots[x].multi_instance))
                continue;
            /* threads that never overlap; a thread's own code before it
             * creates a descendant, or after it has joined it */
            /* a record of a thread's calls made while its descendant
             * runs meets that one only */
            if ((a->desc_only && (my || !ll_mhp_ancestor(&v->mhp, x, y))) ||
                (b->desc_only && (mx || !ll_mhp_ancestor(&v->mhp, y, x))))
                continue;
            if (!mx && !my &&
                (!ll_mhp_parallel(&v->mhp, x, y) ||
                 (ll_mhp_ancestor(&v->mhp, x, y) && !ll_bitset_has(a->started, y)) ||
                 (ll_mhp_ancestor(&v->mhp, y, x) && !ll_bitset_has(b->started, x))))
                continue;
            if (region_before(a, b, y) || region_before(b, a, x) || created_inside(v, a, x, y) ||
                created_inside(v, b, y, x) || inside_apart(v, x, y))
                continue;
            /* a pair that surely reaches both first, then the fewest calls */
            unsigned calls = (unsigned)a->root_depth[x] + b->root_depth[y] +
                             (ll_race_sure_roots(a, b, x, y) ? 0 : GUESSED_PAIR);
            if (calls < best) {
                best = calls;
                *ra = x;
                *rb = y;
            }
        }
    }
    return best != UINT_MAX;
}

bool ll_race_handoff_partial(const struct ll_view *v, const struct ll_race_access *a,
                             const struct ll_race_access *b, struct ll_race_partial *why)
{
    uint32_t chan = 0;
    bool by_type = false;
    if (ll_handoff_order(v, &v->race.handoff, a, b, &chan, &by_type) != LL_HO_PARTIAL &&
        ll_handoff_order(v, &v->race.handoff, b, a, &chan, &by_type) != LL_HO_PARTIAL)
        return false;
    const struct ll_handoff_chan *c = &v->race.handoff.chans[chan];
    why->flag = c->flag.text;
    why->lock = c->lock.text;
    why->queue = c->queue;
    why->by_type = by_type;
    return true;
}
