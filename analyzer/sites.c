/*
 * sites: allocation sites of access paths (sites.h).  Over the whole run:
 * the constructors (every pointer a function returns is an allocation's,
 * to a fixpoint), then each slot's site (a join over the ptrflows into it,
 * to a fixpoint: nothing yet, one site, or unknown), then every path's
 * site and class rewritten in place.  It reports nothing.
 */
#include "sites.h"

#include "strmap.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { S_NONE = 0, S_SITE, S_TOP };

struct slot {
    uint8_t state;
    const char *site; /* S_SITE: its name */
};

struct edge {
    uint32_t from, to;
};

struct sites {
    struct ll_arena *a;
    struct ll_strmap fn_by_usr; /* USR -> index into fns */
    const struct ll_function **fns;
    size_t nfns, capfns;
    bool *ctor, *taken;
    struct ll_strmap slot_by_key;
    struct slot *slots;
    size_t nslots, capslots;
    struct edge *edges;
    size_t nedges, capedges;
    bool has_main;
};

static long fn_index(const struct sites *s, const char *usr)
{
    size_t k = usr ? ll_strmap_get(&s->fn_by_usr, usr) : (size_t)-1;
    return k == (size_t)-1 ? -1 : (long)k;
}

/* The slot of `key`, added unless `add` is false; -1 when absent or out of
 * memory (*oom set). */
static long slot_of(struct sites *s, const char *key, bool add, bool *oom)
{
    size_t k = ll_strmap_get(&s->slot_by_key, key);
    if (k != (size_t)-1 || !add)
        return k == (size_t)-1 ? -1 : (long)k;
    if (!ll_grow((void **)&s->slots, &s->capslots, s->nslots, sizeof(*s->slots)) ||
        ll_strmap_put(&s->slot_by_key, key, s->nslots) < 0) {
        *oom = true;
        return -1;
    }
    s->slots[s->nslots] = (struct slot){S_NONE, NULL};
    return (long)s->nslots++;
}

static int collect_fns(struct sites *s, const struct ll_tu_facts *tus, size_t ntus)
{
    for (size_t t = 0; t < ntus; t++)
        for (uint32_t i = 0; i < tus[t].nfunctions; i++) {
            const struct ll_function *fn = &tus[t].functions[i];
            if (!fn->usr || fn->nblocks == 0 || fn_index(s, fn->usr) >= 0)
                continue;
            if (!ll_grow((void **)&s->fns, &s->capfns, s->nfns, sizeof(*s->fns)) ||
                ll_strmap_put(&s->fn_by_usr, fn->usr, s->nfns) < 0)
                return -1;
            s->fns[s->nfns++] = fn;
            if (fn->name && strcmp(fn->name, "main") == 0)
                s->has_main = true;
        }
    s->ctor = calloc(s->nfns + 1, sizeof(*s->ctor));
    s->taken = calloc(s->nfns + 1, sizeof(*s->taken));
    if (!s->ctor || !s->taken)
        return -1;
    /* a function whose address is stored is called from where it is not
     * seen: its parameters may hold anything */
    for (size_t t = 0; t < ntus; t++)
        for (uint32_t i = 0; i < tus[t].nfnrefs; i++) {
            long f = fn_index(s, tus[t].fnrefs[i].usr);
            if (f >= 0)
                s->taken[f] = true;
        }
    return 0;
}

/* Whether ptrflow source `src` is an allocation: a C library allocator's
 * call, or a constructor's. */
static bool allocation(const struct sites *s, const char *src)
{
    if (strncmp(src, "@alloc:", 7) == 0)
        return true;
    long f = strncmp(src, "@call:", 6) == 0 ? fn_index(s, src + 6) : -1;
    return f >= 0 && s->ctor[f];
}

/* Constructors: returning a pointer, and every pointer returned an
 * allocation's (NULL records no flow), at least one.  Grows to a fixpoint:
 * a constructor of constructors is one too; recursion alone makes none. */
static int find_ctors(struct sites *s, const struct ll_tu_facts *tus, size_t ntus, long *count)
{
    uint8_t *bad = calloc(s->nfns + 1, 1), *some = calloc(s->nfns + 1, 1);
    if (!bad || !some) {
        free(bad);
        free(some);
        return -1;
    }
    for (bool changed = true; changed;) {
        changed = false;
        memset(bad, 0, s->nfns);
        memset(some, 0, s->nfns);
        for (size_t t = 0; t < ntus; t++)
            for (uint32_t i = 0; i < tus[t].nptrflows; i++) {
                const struct ll_fnref *r = &tus[t].ptrflows[i];
                long f = strncmp(r->context, "@ret:", 5) == 0 ? fn_index(s, r->context + 5) : -1;
                if (f < 0)
                    continue;
                if (allocation(s, r->usr))
                    some[f] = 1;
                else
                    bad[f] = 1;
            }
        for (size_t f = 0; f < s->nfns; f++) {
            bool c = (s->fns[f]->flags & LL_FN_RETURNS_POINTER) && some[f] && !bad[f];
            if (c && !s->ctor[f]) {
                s->ctor[f] = true;
                changed = true;
                (*count)++;
            }
        }
    }
    free(bad);
    free(some);
    return 0;
}

/* The name of an allocation's site: "pool_new()" for a constructor,
 * "malloc@file.c:12:3" for an allocator's call. */
static const char *site_name(struct sites *s, const char *src)
{
    if (strncmp(src, "@alloc:", 7) == 0)
        return src + 7;
    long f = fn_index(s, src + 6);
    return ll_arena_printf(s->a, "%s()", s->fns[f]->name ? s->fns[f]->name : "?");
}

static void join(struct slot *d, uint8_t state, const char *site, bool *changed)
{
    if (state == S_NONE || d->state == S_TOP)
        return;
    if (d->state == S_NONE || state == S_TOP) {
        *changed = d->state != state || d->site != site;
        d->state = state;
        d->site = site;
        return;
    }
    if (strcmp(d->site, site) != 0) {
        d->state = S_TOP;
        *changed = true;
    }
}

/* A parameter whose callers are not all seen: of a function whose address
 * is stored, of main, of an exported function of a library (no main in
 * the run), of a function without a body here. */
static bool unseen_callers(const struct sites *s, const char *slot)
{
    if (strncmp(slot, "@arg:", 5) != 0)
        return false;
    const char *hash = strrchr(slot, '#');
    if (!hash)
        return true;
    char usr[1024];
    size_t n = (size_t)(hash - slot - 5);
    if (n >= sizeof(usr))
        return true;
    memcpy(usr, slot + 5, n);
    usr[n] = '\0';
    long f = fn_index(s, usr);
    if (f < 0 || s->taken[f])
        return true;
    const struct ll_function *fn = s->fns[f];
    return (fn->name && strcmp(fn->name, "main") == 0) ||
           (!s->has_main && !(fn->flags & LL_FN_STATIC));
}

static int resolve_slots(struct sites *s, const struct ll_tu_facts *tus, size_t ntus)
{
    bool oom = false;
    for (size_t t = 0; t < ntus && !oom; t++)
        for (uint32_t i = 0; i < tus[t].nptrflows && !oom; i++) {
            const struct ll_fnref *r = &tus[t].ptrflows[i];
            long d = slot_of(s, r->context, true, &oom);
            if (d < 0)
                continue;
            bool changed = false;
            const char *src = r->usr;
            if (allocation(s, src)) {
                join(&s->slots[d], S_SITE, site_name(s, src), &changed);
                continue;
            }
            /* another function's result: what it returns */
            const char *from =
                strncmp(src, "@call:", 6) == 0 ? ll_arena_printf(s->a, "@ret:%s", src + 6) : src;
            long f = from && from[0] == '@' ? slot_of(s, from, true, &oom) : -1;
            if (f < 0) {
                join(&s->slots[d], S_TOP, NULL, &changed);
                continue;
            }
            if (!ll_grow((void **)&s->edges, &s->capedges, s->nedges, sizeof(*s->edges))) {
                oom = true;
                break;
            }
            s->edges[s->nedges++] = (struct edge){(uint32_t)f, (uint32_t)d};
        }
    if (oom)
        return -1;
    /* slots nothing in the run stores into hold what is stored where it
     * is not seen; so do parameters with unseen callers */
    bool *stored = calloc(s->nslots + 1, sizeof(*stored));
    if (!stored)
        return -1;
    for (size_t t = 0; t < ntus; t++)
        for (uint32_t i = 0; i < tus[t].nptrflows; i++) {
            long d = slot_of(s, tus[t].ptrflows[i].context, false, &oom);
            if (d >= 0)
                stored[d] = true;
        }
    for (size_t k = 0; k < s->nslots; k++)
        if (!stored[k])
            s->slots[k].state = S_TOP;
    free(stored);
    for (size_t t = 0; t < ntus; t++)
        for (uint32_t i = 0; i < tus[t].nptrflows; i++) {
            long d = slot_of(s, tus[t].ptrflows[i].context, false, &oom);
            if (d >= 0 && unseen_callers(s, tus[t].ptrflows[i].context))
                s->slots[d].state = S_TOP;
        }
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t e = 0; e < s->nedges; e++) {
            const struct slot *f = &s->slots[s->edges[e].from];
            join(&s->slots[s->edges[e].to], f->state, f->site, &changed);
        }
    }
    return 0;
}

/* The site a path's pointer slot or allocation has, or NULL. */
static const char *site_of(struct sites *s, const char *key)
{
    if (allocation(s, key))
        return site_name(s, key);
    bool oom = false;
    const char *k = key;
    if (strncmp(key, "@call:", 6) == 0)
        k = ll_arena_printf(s->a, "@ret:%s", key + 6);
    long d = k ? slot_of(s, k, false, &oom) : -1;
    return d >= 0 && s->slots[d].state == S_SITE ? s->slots[d].site : NULL;
}

size_t ll_site_prefix(const char *emb)
{
    if (!emb || emb[0] != '{')
        return 0;
    const char *close = strchr(emb, '}');
    return close ? (size_t)(close - emb) + 1 : 0;
}

/* Resolves p's site; `object`: p names an object in the block (its class
 * gets the site), else p is a pointer value (only its site changes). */
static int rewrite(struct sites *s, struct ll_path *p, bool object)
{
    if (!p->site || p->site[0] != '@')
        return 0; /* none, or resolved already (facts shared by TUs) */
    const char *site = site_of(s, p->site);
    if (!site) {
        p->site = NULL;
        return 0;
    }
    const char *braced = ll_arena_printf(s->a, "{%s}", site);
    if (!braced)
        return -1;
    p->site = braced;
    const char *emb = p->emb ? p->emb : p->cls;
    if (object && emb && !ll_site_prefix(emb) &&
        !(p->emb = ll_arena_printf(s->a, "%s%s", braced, emb)))
        return -1;
    return 0;
}

static int rewrite_all(struct sites *s, struct ll_tu_facts *tus, size_t ntus)
{
    for (size_t t = 0; t < ntus; t++)
        for (uint32_t i = 0; i < tus[t].nfunctions; i++) {
            struct ll_function *fn = &tus[t].functions[i];
            for (uint32_t e = 0; e < fn->nevents; e++) {
                struct ll_event *ev = &fn->events[e];
                bool value_obj = ev->kind == LL_EV_RETURN;
                bool value_aux = ev->kind == LL_EV_ACCESS || ev->kind == LL_EV_THREAD_CREATE;
                if (rewrite(s, &ev->obj, !value_obj && (ev->obj.flags & LL_PATH_DEREF)) != 0 ||
                    rewrite(s, &ev->aux, !value_aux && (ev->aux.flags & LL_PATH_DEREF)) != 0)
                    return -1;
                /* an acquisition's args are locks it may be: objects, as obj */
                bool lock = ev->kind == LL_EV_ACQUIRE || ev->kind == LL_EV_TRYACQUIRE;
                for (uint32_t k = 0; k < ev->nargs; k++)
                    if (rewrite(s, &ev->args[k],
                                (ev->args[k].flags & (lock ? LL_PATH_DEREF : LL_PATH_ADDR)) != 0) !=
                        0)
                        return -1;
            }
        }
    return 0;
}

long ll_resolve_sites(struct ll_tu_facts *tus, size_t ntus, bool library, struct ll_arena *a)
{
    struct sites s;
    memset(&s, 0, sizeof(s));
    s.a = a;
    ll_strmap_init(&s.fn_by_usr);
    ll_strmap_init(&s.slot_by_key);
    long count = 0, rc = -1;
    if (collect_fns(&s, tus, ntus) != 0)
        goto out;
    if (library)
        s.has_main = false;
    if (find_ctors(&s, tus, ntus, &count) != 0 || resolve_slots(&s, tus, ntus) != 0 ||
        rewrite_all(&s, tus, ntus) != 0)
        goto out;
    rc = count;
out:
    ll_strmap_release(&s.fn_by_usr);
    ll_strmap_release(&s.slot_by_key);
    free(s.fns);
    free(s.ctor);
    free(s.taken);
    free(s.slots);
    free(s.edges);
    return rc;
}
