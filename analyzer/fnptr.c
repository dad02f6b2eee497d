/*
 * fnptr: slot sets by a fixpoint over the flow edges.  Every slot gets a
 * bit set over the functions that are stored somewhere; an edge from slot
 * a to slot b ORs a's set into b's until nothing changes.  Arguments of
 * calls through a slot (`@argof:S#i`) flow into parameter i of each
 * function S holds, edges that appear as S's set grows.
 */
#include "fnptr.h"

#include "bitset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROUNDS 64

struct edge {
    uint32_t from, to;
};

struct edges {
    struct edge *v;
    size_t n, cap;
};

struct argof {
    uint32_t node, base, index;
};

struct build {
    struct ll_fnptr *r;
    ll_fnptr_find find;
    const void *ctx;
    struct ll_strmap fns; /* USR -> compact function index */
    size_t capslots, capfns;
    struct edges e;
    struct argof *argofs;
    size_t nargofs, capargofs;
    struct ll_strmap dyn; /* "from>to" of the edges added for arguments */
};

/* The slot's index, added when new; UINT32_MAX when out of memory. */
static uint32_t slot_of(struct build *b, const char *key)
{
    struct ll_fnptr *r = b->r;
    size_t v = ll_strmap_get(&r->slots, key);
    if (v != (size_t)-1)
        return (uint32_t)v;
    size_t cap = b->capslots;
    if (!ll_grow((void **)&r->keys, &cap, r->nslots, sizeof(*r->keys)))
        return UINT32_MAX;
    b->capslots = cap;
    if (ll_strmap_put(&r->slots, key, r->nslots) < 0)
        return UINT32_MAX;
    r->keys[r->nslots] = key;
    return r->nslots++;
}

/* The function's compact index, added when new; UINT32_MAX when it has no
 * body or out of memory (*oom says which). */
static uint32_t fn_of(struct build *b, const char *usr, bool *oom)
{
    struct ll_fnptr *r = b->r;
    size_t v = ll_strmap_get(&b->fns, usr);
    if (v != (size_t)-1)
        return (uint32_t)v;
    long k = b->find(b->ctx, usr);
    if (k < 0)
        return UINT32_MAX;
    size_t cap = b->capfns, cap2 = b->capfns;
    if (!ll_grow((void **)&r->fn_index, &cap, r->nfns, sizeof(*r->fn_index)) ||
        !ll_grow((void **)&r->fn_usr, &cap2, r->nfns, sizeof(*r->fn_usr)) ||
        ll_strmap_put(&b->fns, usr, r->nfns) < 0) {
        *oom = true;
        return UINT32_MAX;
    }
    b->capfns = cap;
    r->fn_index[r->nfns] = (uint32_t)k;
    r->fn_usr[r->nfns] = usr;
    return r->nfns++;
}

static int add_edge(struct build *b, uint32_t from, uint32_t to)
{
    if (!ll_grow((void **)&b->e.v, &b->e.cap, b->e.n, sizeof(*b->e.v)))
        return -1;
    b->e.v[b->e.n++] = (struct edge){from, to};
    return 0;
}

/* `@argof:SLOT#i`: remembered, to connect it to the parameters of what
 * SLOT holds. */
static int note_argof(struct build *b, const char *key, uint32_t node)
{
    const char *hash = strrchr(key, '#');
    if (strncmp(key, "@argof:", 7) != 0 || !hash)
        return 0;
    char *base = ll_arena_strndup(&b->r->arena, key + 7, (size_t)(hash - key - 7));
    if (!base)
        return -1;
    uint32_t s = slot_of(b, base);
    if (s == UINT32_MAX ||
        !ll_grow((void **)&b->argofs, &b->capargofs, b->nargofs, sizeof(*b->argofs)))
        return -1;
    b->argofs[b->nargofs++] = (struct argof){node, s, (uint32_t)strtoul(hash + 1, NULL, 10)};
    return 0;
}

static int collect(struct build *b, const struct ll_tu_facts *tus, size_t ntus)
{
    bool oom = false;
    for (size_t t = 0; t < ntus; t++) {
        const struct ll_tu_facts *tu = &tus[t];
        for (uint32_t i = 0; i < tu->nfnrefs; i++) {
            const struct ll_fnref *fr = &tu->fnrefs[i];
            if (!fr->usr || !ll_is_slot(fr->context))
                continue;
            uint32_t to = slot_of(b, fr->context);
            if (to == UINT32_MAX)
                return -1;
            if (ll_is_slot(fr->usr)) {
                uint32_t from = slot_of(b, fr->usr);
                if (from == UINT32_MAX || add_edge(b, from, to) != 0)
                    return -1;
            } else {
                fn_of(b, fr->usr, &oom);
                if (oom)
                    return -1;
            }
        }
    }
    /* every `@argof:` slot, including ones only new slots name */
    for (uint32_t s = 0; s < b->r->nslots; s++)
        if (note_argof(b, b->r->keys[s], s) != 0)
            return -1;
    return 0;
}

static int seed(struct build *b, const struct ll_tu_facts *tus, size_t ntus)
{
    struct ll_fnptr *r = b->r;
    r->words = ll_bitset_words(r->nfns);
    r->bits = ll_arena_alloc(&r->arena, ((size_t)r->nslots * r->words + 1) * sizeof(uint64_t));
    if (!r->bits)
        return -1;
    for (size_t t = 0; t < ntus; t++)
        for (uint32_t i = 0; i < tus[t].nfnrefs; i++) {
            const struct ll_fnref *fr = &tus[t].fnrefs[i];
            if (!fr->usr || !ll_is_slot(fr->context) || ll_is_slot(fr->usr))
                continue;
            size_t c = ll_strmap_get(&b->fns, fr->usr);
            size_t s = ll_strmap_get(&r->slots, fr->context);
            if (c != (size_t)-1 && s != (size_t)-1)
                ll_bitset_set(&r->bits[s * r->words], (uint32_t)c);
        }
    return 0;
}

/* Edges from argument slots to the parameters of the functions the called
 * slot holds; returns 1 when one was added, 0, or -1. */
static int connect_arguments(struct build *b)
{
    struct ll_fnptr *r = b->r;
    int added = 0;
    char buf[64];
    for (size_t a = 0; a < b->nargofs; a++) {
        const struct argof *ao = &b->argofs[a];
        const uint64_t *set = &r->bits[(size_t)ao->base * r->words];
        for (uint32_t c = 0; c < r->nfns; c++) {
            if (!ll_bitset_has(set, c))
                continue;
            char key[1024];
            int len = snprintf(key, sizeof(key), "@arg:%s#%u", r->fn_usr[c], ao->index);
            if (len < 0 || (size_t)len >= sizeof(key))
                continue;
            size_t m = ll_strmap_get(&r->slots, key);
            if (m == (size_t)-1)
                continue; /* nothing reads that parameter as a function */
            snprintf(buf, sizeof(buf), "%u>%zu", ao->node, m);
            if (ll_strmap_get(&b->dyn, buf) != (size_t)-1)
                continue;
            char *k = ll_arena_strdup(&r->arena, buf);
            if (!k || ll_strmap_put(&b->dyn, k, 1) < 0 || add_edge(b, ao->node, (uint32_t)m) != 0)
                return -1;
            added = 1;
        }
    }
    return added;
}

static int close_flows(struct build *b)
{
    struct ll_fnptr *r = b->r;
    bool changed = true;
    while (changed && r->rounds < MAX_ROUNDS) {
        changed = false;
        r->rounds++;
        for (size_t i = 0; i < b->e.n; i++)
            if (ll_bitset_or_changed(&r->bits[(size_t)b->e.v[i].to * r->words],
                                     &r->bits[(size_t)b->e.v[i].from * r->words], r->words))
                changed = true;
        int c = connect_arguments(b);
        if (c < 0)
            return -1;
        changed = changed || c > 0;
    }
    return 0;
}

int ll_fnptr_build(struct ll_fnptr *r, const struct ll_tu_facts *tus, size_t ntus,
                   ll_fnptr_find find, const void *ctx)
{
    memset(r, 0, sizeof(*r));
    ll_arena_init(&r->arena);
    ll_strmap_init(&r->slots);
    struct build b;
    memset(&b, 0, sizeof(b));
    b.r = r;
    b.find = find;
    b.ctx = ctx;
    ll_strmap_init(&b.fns);
    ll_strmap_init(&b.dyn);
    int rc = -1;
    if (collect(&b, tus, ntus) == 0 && seed(&b, tus, ntus) == 0 && close_flows(&b) == 0)
        rc = 0;
    ll_strmap_release(&b.fns);
    ll_strmap_release(&b.dyn);
    free(b.e.v);
    free(b.argofs);
    return rc;
}

void ll_fnptr_release(struct ll_fnptr *r)
{
    ll_strmap_release(&r->slots);
    free(r->keys);
    free(r->fn_index);
    free(r->fn_usr);
    ll_arena_release(&r->arena);
    memset(r, 0, sizeof(*r));
}

size_t ll_fnptr_targets(const struct ll_fnptr *r, const char *key, uint32_t *out, size_t max)
{
    size_t s = key ? ll_strmap_get(&r->slots, key) : (size_t)-1;
    if (s == (size_t)-1 || !r->bits)
        return 0;
    const uint64_t *set = &r->bits[s * r->words];
    size_t n = 0;
    for (uint32_t c = 0; c < r->nfns; c++)
        if (ll_bitset_has(set, c)) {
            if (n < max)
                out[n] = r->fn_index[c];
            n++;
        }
    /* in program order, so that dispatchers do not depend on the facts' order */
    size_t m = n < max ? n : max;
    for (size_t i = 1; i < m; i++)
        for (size_t j = i; j > 0 && out[j - 1] > out[j]; j--) {
            uint32_t x = out[j];
            out[j] = out[j - 1];
            out[j - 1] = x;
        }
    return n;
}
