/*
 * thread_wrappers: one pass to find the wrappers (by USR), one over every
 * call event to rewrite the calls to them.
 */
#include "thread_wrappers.h"

#include "strmap.h"
#include "summary.h"

#include <stdlib.h>
#include <string.h>

/* Levels of wrappers around wrappers followed. */
#define WRAPPER_ROUNDS 8

struct wrapper {
    const struct ll_function *fn;
    uint32_t create; /* its creation event */
    int start_param; /* the parameter holding the start routine */
    bool boxed;      /* the routine reaches the thread through a box */
};

/*
 * What the boxed-routine test needs over the whole program: the flows into
 * every slot (its first flow, and whether another one differs), and the
 * functions by USR.
 */
struct flows {
    struct ll_strmap first; /* slot key -> index into `from` */
    struct ll_strmap mixed; /* slot keys with flows from two sources */
    const char **from;
    size_t nfrom;
    struct ll_strmap fns; /* USR -> index into `fn` */
    const struct ll_function **fn;
};

static int start_param(const struct ll_event *ev)
{
    size_t n = strlen(LL_START_PARAM_PREFIX);
    if (ev->kind != LL_EV_THREAD_CREATE || !ev->callee ||
        strncmp(ev->callee, LL_START_PARAM_PREFIX, n) != 0)
        return -1;
    char *end;
    long k = strtol(ev->callee + n, &end, 10);
    return *end || k < 0 || k > 255 ? -1 : (int)k;
}

/* The one source that flows into slot `key`, or NULL (none, or several). */
static const char *sole_source(const struct flows *fl, const char *key)
{
    size_t i = ll_strmap_get(&fl->first, key);
    if (i == (size_t)-1 || ll_strmap_get(&fl->mixed, key) != (size_t)-1)
        return NULL;
    return fl->from[i];
}

/* Whether `t` calls through `field`, or through a slot only `field` feeds
 * (`routine = b->routine; routine(arg)`). */
static bool calls_through(const struct flows *fl, const struct ll_function *t, const char *field)
{
    for (uint32_t e = 0; e < t->nevents; e++) {
        const struct ll_event *ev = &t->events[e];
        if (ev->kind != LL_EV_CALL || !(ev->flags & LL_EVF_INDIRECT) || !ev->callee)
            continue;
        const char *src = sole_source(fl, ev->callee);
        if (strcmp(ev->callee, field) == 0 || (src && strcmp(src, field) == 0))
            return true;
    }
    return false;
}

/*
 * A creation whose start routine is a known trampoline `t`, in a function
 * that stores its parameter k into a struct field that only that parameter
 * ever feeds and that `t` calls through: the thread runs parameter k (the
 * box is the start argument; icecast's thread_create_c, apr's
 * apr_thread_create).  Parameter k, or -1.
 */
static int boxed_param(const struct ll_tu_facts *tu, const struct ll_function *fn,
                       const struct ll_event *ev, const struct flows *fl)
{
    size_t ti =
        ev->callee && !ll_is_slot(ev->callee) ? ll_strmap_get(&fl->fns, ev->callee) : (size_t)-1;
    if (ti == (size_t)-1 || !fn->usr)
        return -1;
    size_t n = strlen(fn->usr);
    for (uint32_t i = 0; i < tu->nfnrefs; i++) {
        const struct ll_fnref *r = &tu->fnrefs[i];
        if (!r->usr || !r->context || strncmp(r->usr, "@arg:", 5) != 0 ||
            strncmp(r->usr + 5, fn->usr, n) != 0 || r->usr[5 + n] != '#' ||
            strncmp(r->context, "@field:", 7) != 0)
            continue;
        const char *src = sole_source(fl, r->context);
        int k = atoi(r->usr + 6 + n);
        if (k >= 0 && k <= 255 && src && strcmp(src, r->usr) == 0 &&
            calls_through(fl, fl->fn[ti], r->context))
            return k; /* the bound start_param() keeps too */
    }
    return -1;
}

/* fn is a wrapper: one creation, its start routine a parameter (directly
 * or boxed), no locks. */
static bool find_wrapper(const struct ll_tu_facts *tu, const struct ll_function *fn,
                         const struct flows *fl, struct wrapper *w)
{
    int creations = 0;
    w->fn = fn;
    w->start_param = -1;
    w->boxed = false;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        switch (ev->kind) {
        case LL_EV_THREAD_CREATE:
            creations++;
            w->create = e;
            w->start_param = start_param(ev);
            if (w->start_param < 0) {
                w->start_param = boxed_param(tu, fn, ev, fl);
                w->boxed = w->start_param >= 0;
            }
            break;
        case LL_EV_ACQUIRE:
        case LL_EV_TRYACQUIRE:
        case LL_EV_RELEASE:
        case LL_EV_COND_WAIT:
            return false;
        default:
            break;
        }
    }
    return creations == 1 && w->start_param >= 0;
}

/* The caller's terms for a path of the wrapper; an unknown path when it
 * cannot be said there (a local of the wrapper). */
static int rebase(struct ll_arena *a, const struct ll_path *p, const struct wrapper *w,
                  const struct ll_event *call, struct ll_path *out)
{
    if (p->root == LL_ROOT_NONE || p->root == LL_ROOT_UNKNOWN) {
        *out = *p;
        return 0;
    }
    if (p->root == LL_ROOT_PARAM && p->param >= 0 && (uint32_t)p->param < call->nargs &&
        (uint32_t)p->param < w->fn->nparams) {
        /* the parameter itself (`arg`) is the argument as written
         * (`&value`); `*t` of an argument `&t` is `t` */
        const struct ll_path *arg = &call->args[p->param];
        const char *name = w->fn->params[p->param];
        if (!(p->flags & LL_PATH_DEREF) && p->key && strcmp(p->key, name) == 0) {
            *out = *arg;
            return 0;
        }
        if ((arg->flags & LL_PATH_ADDR) && p->key && p->key[0] == '*' &&
            strcmp(p->key + 1, name) == 0) {
            *out = *arg;
            out->flags &= (uint8_t)~LL_PATH_ADDR;
            return 0;
        }
    }
    if (ll_path_instantiate(a, p, w->fn, call, out))
        return 0;
    memset(out, 0, sizeof(*out));
    out->root = LL_ROOT_UNKNOWN;
    out->param = -1;
    out->text = out->key = out->cls = ll_arena_strdup(a, "?");
    return out->text ? 0 : -1;
}

/* Rewrites one call to wrapper w; false when its argument names no function. */
static int rewrite(struct ll_arena *a, struct ll_event *call, const struct wrapper *w)
{
    if ((uint32_t)w->start_param >= call->nargs)
        return 0;
    const struct ll_path *routine = &call->args[w->start_param];
    const char *callee = NULL;
    if (routine->root == LL_ROOT_NONE) {
        callee = routine->root_usr;
    } else if (routine->root == LL_ROOT_PARAM && !(routine->flags & LL_PATH_DEREF) &&
               routine->param >= 0) {
        /* the caller passes on a start routine it was given: it is a
         * wrapper too (uv_thread_create -> uv_thread_create_ex) */
        callee = ll_arena_printf(a, "%s%d", LL_START_PARAM_PREFIX, routine->param);
        if (!callee)
            return -1;
    }
    if (!callee)
        return 0;
    const struct ll_event *cr = &w->fn->events[w->create];
    struct ll_path obj, aux;
    if (rebase(a, &cr->obj, w, call, &obj) != 0 || rebase(a, &cr->aux, w, call, &aux) != 0)
        return -1;
    call->kind = LL_EV_THREAD_CREATE;
    call->callee = callee;
    call->obj = obj;
    call->aux = aux;
    call->flags = (uint8_t)((call->flags & ~LL_EVF_INDIRECT) | (cr->flags & LL_EVF_DETACHED));
    return 1;
}

/* Creations whose start routine is a parameter name none, as the rest of
 * the analysis expects of a routine it cannot know. */
static void forget_start_params(struct ll_tu_facts *tus, size_t ntus)
{
    for (size_t t = 0; t < ntus; t++)
        for (uint32_t i = 0; i < tus[t].nfunctions; i++)
            for (uint32_t e = 0; e < tus[t].functions[i].nevents; e++) {
                struct ll_event *ev = &tus[t].functions[i].events[e];
                if (start_param(ev) >= 0)
                    ev->callee = NULL;
            }
}

/* The wrappers among the functions, by USR into *ws. */
static int find_wrappers(struct ll_tu_facts *tus, size_t ntus, const struct flows *fl,
                         struct ll_strmap *by_usr, struct wrapper **ws, size_t *nws, size_t *cap)
{
    for (size_t t = 0; t < ntus; t++)
        for (uint32_t i = 0; i < tus[t].nfunctions; i++) {
            struct wrapper w;
            if (!find_wrapper(&tus[t], &tus[t].functions[i], fl, &w) ||
                ll_strmap_get(by_usr, w.fn->usr) != (size_t)-1)
                continue;
            /* the trampoline no longer starts here: each call starts what
             * it boxes (forget_start_params does the same for the others) */
            if (w.boxed)
                tus[t].functions[i].events[w.create].callee = NULL;
            if (*nws == *cap) {
                *cap = *cap ? *cap * 2 : 8;
                struct wrapper *g = realloc(*ws, *cap * sizeof(*g));
                if (!g)
                    return -1;
                *ws = g;
            }
            if (ll_strmap_put(by_usr, w.fn->usr, *nws) < 0)
                return -1;
            (*ws)[(*nws)++] = w;
        }
    return 0;
}

/* One pass over the calls; the number rewritten, or -1. */
static long rewrite_calls(struct ll_tu_facts *tus, size_t ntus, const struct ll_strmap *by_usr,
                          const struct wrapper *ws, struct ll_arena *a)
{
    long done = 0;
    for (size_t t = 0; t < ntus; t++)
        for (uint32_t i = 0; i < tus[t].nfunctions; i++) {
            struct ll_function *fn = &tus[t].functions[i];
            for (uint32_t e = 0; e < fn->nevents; e++) {
                struct ll_event *ev = &fn->events[e];
                size_t k = ev->kind == LL_EV_CALL && ev->callee ? ll_strmap_get(by_usr, ev->callee)
                                                                : (size_t)-1;
                if (k == (size_t)-1)
                    continue;
                int r = rewrite(a, ev, &ws[k]);
                if (r < 0)
                    return -1;
                done += r;
            }
        }
    return done;
}

static void flows_release(struct flows *fl)
{
    ll_strmap_release(&fl->first);
    ll_strmap_release(&fl->mixed);
    ll_strmap_release(&fl->fns);
    free(fl->from);
    free(fl->fn);
}

static int flows_build(struct flows *fl, const struct ll_tu_facts *tus, size_t ntus)
{
    memset(fl, 0, sizeof(*fl));
    size_t nrefs = 0, nfns = 0;
    for (size_t t = 0; t < ntus; t++) {
        nrefs += tus[t].nfnrefs;
        nfns += tus[t].nfunctions;
    }
    fl->from = malloc((nrefs + 1) * sizeof(*fl->from));
    fl->fn = malloc((nfns + 1) * sizeof(*fl->fn));
    if (!fl->from || !fl->fn)
        return -1;
    size_t k = 0;
    for (size_t t = 0; t < ntus; t++) {
        for (uint32_t i = 0; i < tus[t].nfnrefs; i++) {
            const struct ll_fnref *r = &tus[t].fnrefs[i];
            if (!r->usr || !r->context)
                continue; /* damaged facts */
            size_t j = ll_strmap_get(&fl->first, r->context);
            if (j == (size_t)-1) {
                fl->from[fl->nfrom] = r->usr;
                if (ll_strmap_put(&fl->first, r->context, fl->nfrom++) < 0)
                    return -1;
            } else if (strcmp(fl->from[j], r->usr) != 0 &&
                       ll_strmap_put(&fl->mixed, r->context, 0) < 0) {
                return -1;
            }
        }
        for (uint32_t i = 0; i < tus[t].nfunctions; i++) {
            fl->fn[k] = &tus[t].functions[i];
            if (!fl->fn[k]->usr)
                continue; /* damaged facts */
            if (ll_strmap_put(&fl->fns, fl->fn[k]->usr, k) < 0)
                return -1;
            k++;
        }
    }
    return 0;
}

long ll_resolve_thread_wrappers(struct ll_tu_facts *tus, size_t ntus, struct ll_arena *a)
{
    struct ll_strmap by_usr;
    ll_strmap_init(&by_usr);
    struct wrapper *ws = NULL;
    size_t nws = 0, cap = 0;
    long done = 0;
    struct flows fl;
    if (flows_build(&fl, tus, ntus) != 0) {
        flows_release(&fl);
        ll_strmap_release(&by_usr);
        return -1;
    }
    /* wrappers of wrappers show up as their calls are rewritten */
    for (int round = 0; round < WRAPPER_ROUNDS; round++) {
        long r = -1;
        if (find_wrappers(tus, ntus, &fl, &by_usr, &ws, &nws, &cap) != 0 ||
            (r = rewrite_calls(tus, ntus, &by_usr, ws, a)) < 0) {
            done = -1;
            break;
        }
        done += r;
        if (r == 0)
            break;
    }
    forget_start_params(tus, ntus);
    free(ws);
    flows_release(&fl);
    ll_strmap_release(&by_usr);
    return done;
}
