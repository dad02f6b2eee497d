/*
 * arena: chunked bump allocator.  Chunks grow with the arena: a small
 * arena (one function's scratch) stays in one 64 KiB chunk, a large one
 * (all the facts a worker decodes, the view) doubles its chunks up to
 * CHUNK_MAX.  Chunks of HUGE_SIZE and more are mapped directly, aligned
 * for transparent huge pages and marked MADV_HUGEPAGE: such an arena's
 * memory is first touched a huge page at a time instead of 4 KiB at a
 * time, which on a warm run is most of the page faults, and it comes
 * zeroed, so it is not cleared again.  Requests larger than a quarter of
 * the smallest chunk that do not fit the current one get a chunk of their
 * own so that a huge string never wastes the rest of a normal chunk.  A
 * reset keeps the other chunks on a spare list, taken before new ones.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MADV_HUGEPAGE */
#include "arena.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define CHUNK_MIN (64 * 1024)
#define CHUNK_MAX (8 * 1024 * 1024)
#define HUGE_SIZE (2 * 1024 * 1024)

struct ll_arena_chunk {
    struct ll_arena_chunk *next;
    size_t used, size;
    bool zeroed; /* its memory came zeroed and is handed out once: no memset */
    bool mapped; /* mmap'd (HUGE_SIZE multiple), not malloc'd */
    bool own;    /* made for one oversized request */
    max_align_t data[];
};

void ll_arena_init(struct ll_arena *a)
{
    a->head = a->spare = NULL;
    a->total = 0;
    a->parent = NULL;
}

void ll_arena_init_child(struct ll_arena *a, struct ll_arena *parent)
{
    ll_arena_init(a);
    a->parent = parent;
}

static void free_chunk(struct ll_arena_chunk *c)
{
    if (c->mapped)
        munmap(c, offsetof(struct ll_arena_chunk, data) + c->size);
    else
        free(c);
}

void ll_arena_release(struct ll_arena *a)
{
    if (a->parent) {
        a->total = 0; /* the memory is the parent's */
        return;
    }
    for (int list = 0; list < 2; list++) {
        struct ll_arena_chunk *c = list ? a->spare : a->head;
        while (c) {
            struct ll_arena_chunk *next = c->next;
            free_chunk(c);
            c = next;
        }
    }
    ll_arena_init(a);
}

void ll_arena_reset(struct ll_arena *a)
{
    a->total = 0;
    if (a->parent)
        return;
    struct ll_arena_chunk *c = a->head;
    a->head = NULL;
    while (c) {
        struct ll_arena_chunk *next = c->next;
        if (c->own) {
            free_chunk(c);
        } else {
            c->next = a->spare;
            a->spare = c;
        }
        c = next;
    }
}

static struct ll_arena_chunk *new_chunk(size_t size, bool zero)
{
    struct ll_arena_chunk *c = zero ? calloc(1, sizeof(*c) + size) : malloc(sizeof(*c) + size);
    if (!c)
        return NULL;
    c->next = NULL;
    c->used = 0;
    c->size = size;
    c->zeroed = zero;
    c->mapped = false;
    c->own = false;
    return c;
}

/* A chunk of `len` bytes in all (a HUGE_SIZE multiple), huge-page aligned;
 * a plain chunk when mapping fails. */
static struct ll_arena_chunk *new_mapped_chunk(size_t len)
{
    size_t hdr = offsetof(struct ll_arena_chunk, data);
    char *m =
        mmap(NULL, len + HUGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return new_chunk(len - hdr, false);
    /* keep the aligned part, give back what is before and after it */
    char *p = (char *)(((uintptr_t)m + HUGE_SIZE - 1) & ~(uintptr_t)(HUGE_SIZE - 1));
    if (p > m)
        munmap(m, (size_t)(p - m));
    if (m + HUGE_SIZE > p)
        munmap(p + len, (size_t)(m + HUGE_SIZE - p));
#ifdef MADV_HUGEPAGE
    madvise(p, len, MADV_HUGEPAGE); /* a hint: without it, plain pages */
#endif
    struct ll_arena_chunk *c = (struct ll_arena_chunk *)p;
    c->next = NULL;
    c->used = 0;
    c->size = len - hdr;
    c->zeroed = true;
    c->mapped = true;
    c->own = false;
    return c;
}

/* The next chunk's size: about what the arena holds so far, so that the
 * number of chunks grows with the logarithm of its size. */
static struct ll_arena_chunk *grow(const struct ll_arena *a)
{
    size_t len = CHUNK_MIN;
    while (len < a->total && len < CHUNK_MAX)
        len *= 2;
    if (len >= HUGE_SIZE)
        return new_mapped_chunk(len);
    return new_chunk(len, false);
}

static void *alloc(struct ll_arena *a, size_t size, bool zero)
{
    if (a->parent) {
        void *p = alloc(a->parent, size, zero);
        if (p)
            a->total += size;
        return p;
    }
    const size_t align = sizeof(max_align_t);
    if (size > SIZE_MAX - align)
        return NULL;
    size = (size + align - 1) / align * align;
    if (size == 0)
        size = align;
    struct ll_arena_chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        if (size > CHUNK_MIN / 4) {
            /* Oversized: its own chunk, linked behind the current head. */
            struct ll_arena_chunk *big = new_chunk(size, zero);
            if (!big)
                return NULL;
            big->used = size;
            big->own = true;
            if (c) {
                big->next = c->next;
                c->next = big;
            } else {
                a->head = big;
            }
            a->total += size;
            return big->data;
        }
        if (a->spare) { /* emptied by a reset: no longer zeroed */
            c = a->spare;
            a->spare = c->next;
            c->used = 0;
            c->zeroed = false;
        } else if (!(c = grow(a))) {
            return NULL;
        }
        c->next = a->head;
        a->head = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    a->total += size;
    if (zero && !c->zeroed)
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
    char *p = ll_arena_alloc_raw(a, n + 1);
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
    char *p = ll_arena_alloc_raw(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
