/*
 * arena: chunked bump allocator.  Large requests get a chunk of their own so
 * that a huge string never wastes the rest of a normal chunk.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE (64 * 1024)

struct ll_arena_chunk {
    struct ll_arena_chunk *next;
    size_t used, size;
    max_align_t data[];
};

void ll_arena_init(struct ll_arena *a)
{
    a->head = NULL;
    a->total = 0;
}

void ll_arena_release(struct ll_arena *a)
{
    struct ll_arena_chunk *c = a->head;
    while (c) {
        struct ll_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    ll_arena_init(a);
}

static struct ll_arena_chunk *new_chunk(size_t size)
{
    struct ll_arena_chunk *c = malloc(sizeof(*c) + size);
    if (!c)
        return NULL;
    c->next = NULL;
    c->used = 0;
    c->size = size;
    return c;
}

static void *alloc(struct ll_arena *a, size_t size, bool zero)
{
    const size_t align = sizeof(max_align_t);
    size = (size + align - 1) / align * align;
    if (size == 0)
        size = align;
    struct ll_arena_chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        if (size > CHUNK_SIZE / 4) {
            /* Oversized: its own chunk, linked behind the current head. */
            struct ll_arena_chunk *big = new_chunk(size);
            if (!big)
                return NULL;
            big->used = size;
            if (c) {
                big->next = c->next;
                c->next = big;
            } else {
                a->head = big;
            }
            a->total += size;
            if (zero)
                memset(big->data, 0, size);
            return big->data;
        }
        c = new_chunk(CHUNK_SIZE);
        if (!c)
            return NULL;
        c->next = a->head;
        a->head = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    a->total += size;
    if (zero)
        memset(p, 0, size);
    return p;
}

void *ll_arena_alloc(struct ll_arena *a, size_t size)
{
    return alloc(a, size, true);
}

void *ll_arena_alloc_raw(struct ll_arena *a, size_t size)
{
    return alloc(a, size, false);
}

char *ll_arena_strndup(struct ll_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = ll_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *ll_arena_strdup(struct ll_arena *a, const char *s)
{
    return s ? ll_arena_strndup(a, s, strlen(s)) : NULL;
}

char *ll_arena_printf(struct ll_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = ll_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
