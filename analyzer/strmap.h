/*
 * strmap: an open-addressing hash map from borrowed strings to indices, for
 * linking by USR and for interning.  Keys are not copied.
 */
#ifndef LL_STRMAP_H
#define LL_STRMAP_H

#include <stddef.h>

struct ll_strmap {
    const char **keys;
    size_t *vals;
    size_t cap, count;
};

void ll_strmap_init(struct ll_strmap *m);
void ll_strmap_release(struct ll_strmap *m);
/* The value for key, or (size_t)-1 when absent. */
size_t ll_strmap_get(const struct ll_strmap *m, const char *key);
/* Inserts key -> val unless key is present. Returns 0, 1 when it was
 * present (value unchanged), -1 when out of memory. */
int ll_strmap_put(struct ll_strmap *m, const char *key, size_t val);
/* Maps key to val, present or not. Returns 0, -1 when out of memory. */
int ll_strmap_set(struct ll_strmap *m, const char *key, size_t val);

#endif
