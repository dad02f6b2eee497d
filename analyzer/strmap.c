/*
 * strmap: linear probing over a power-of-two table, grown at 50% load.
 * Keys (USRs, mostly) are hashed eight bytes at a time: nothing depends on
 * the order of the table, only on what it maps.
 */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t h, uint64_t w)
{
    h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 31);
}

static uint64_t hash(const char *s)
{
    size_t n = strlen(s);
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = mix(h, w);
    }
    w = 0;
    memcpy(&w, s, n);
    h = mix(h, w) * 0x94d049bb133111ebull;
    return h ^ (h >> 29);
}

void ll_strmap_init(struct ll_strmap *m)
{
    memset(m, 0, sizeof(*m));
}

void ll_strmap_release(struct ll_strmap *m)
{
    free(m->keys);
    free(m->vals);
    ll_strmap_init(m);
}

size_t ll_strmap_get(const struct ll_strmap *m, const char *key)
{
    if (!m->cap)
        return (size_t)-1;
    for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i])
            return (size_t)-1;
        if (strcmp(m->keys[i], key) == 0)
            return m->vals[i];
    }
}

static int grow(struct ll_strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    const char **keys = calloc(cap, sizeof(*keys));
    size_t *vals = calloc(cap, sizeof(*vals));
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = hash(m->keys[i]) & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return 0;
}

int ll_strmap_put(struct ll_strmap *m, const char *key, size_t val)
{
    if ((m->count + 1) * 2 > m->cap && grow(m) != 0)
        return -1;
    size_t i = hash(key) & (m->cap - 1);
    for (; m->keys[i]; i = (i + 1) & (m->cap - 1))
        if (strcmp(m->keys[i], key) == 0)
            return 1;
    m->keys[i] = key;
    m->vals[i] = val;
    m->count++;
    return 0;
}

int ll_strmap_set(struct ll_strmap *m, const char *key, size_t val)
{
    int rc = ll_strmap_put(m, key, val);
    if (rc != 1)
        return rc;
    size_t i = hash(key) & (m->cap - 1);
    while (strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    m->vals[i] = val;
    return 0;
}
