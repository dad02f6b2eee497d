/*
 * arena: chunked bump allocator over a process-wide pool of chunks.
 *
 * A page fault costs as much as copying tens of kilobytes (each one traps
 * to the hypervisor on a VM), and a warm run touches tens of megabytes of
 * fresh memory.  So chunks are carved from large regions that are aligned
 * and marked for transparent huge pages: they are first touched 2 MiB at a
 * time, and since fresh memory is zero, zeroed allocations from a fresh
 * chunk skip the memset.  Released chunks go back to the pool, by size
 * class, for the next arena (not to the system: the process is short).
 *
 * An arena's chunks are 64 KiB: carved one after the other, the memory
 * arenas use is dense, and a huge page holds little that is not used
 * (larger chunks for large arenas touched more huge pages for their
 * unused tails).  Requests larger than a quarter of a chunk that do not
 * fit the current one start a new chunk (kept as the current one when it
 * has more room left), and those larger than a chunk get a chunk of their
 * own, of the smallest size class that holds them.  A reset keeps the
 * normal chunks on a spare list, taken before new ones.
 *
 * With AddressSanitizer, released chunks are poisoned (use after release
 * is reported) and each chunk owns a heap block, so that LeakSanitizer
 * reports an arena never released.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MADV_HUGEPAGE */
#include "arena.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define LL_ASAN 1
#endif

#define BLOCK (64 * 1024) /* an arena's chunk; oversized ones are BLOCK << class */
#define NCLASS 8          /* up to 8 MiB */
#define HUGE_SIZE (2 * 1024 * 1024)
#define REGION (32 * 1024 * 1024) /* address space mapped at a time */

struct ll_arena_chunk {
    struct ll_arena_chunk *next;
    size_t used, size; /* of data[] */
    int cls;           /* size class in the pool, or -1: mapped alone */
    bool zeroed;       /* fresh from the pool: zero, and handed out once */
    bool own;          /* made for one oversized request */
#ifdef LL_ASAN
    void *token; /* a heap block of the chunk's lifetime: LeakSanitizer sees leaked arenas */
#endif
    max_align_t data[];
};

#define HDR offsetof(struct ll_arena_chunk, data)

/* ---- the pool ---------------------------------------------------------- */

/* Chunks of every arena of the process, carved from huge-page regions;
 * released chunks wait in a list per size class for the next arena. */
static struct {
    pthread_mutex_t mu;
    char *cur, *end; /* the untouched rest of the current region */
    struct ll_arena_chunk *free[NCLASS];
} pool = {PTHREAD_MUTEX_INITIALIZER, NULL, NULL, {NULL}};

/* `len` bytes of fresh (zero) memory aligned for huge pages, or NULL. */
static char *map_huge(size_t len)
{
    char *m =
        mmap(NULL, len + HUGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    /* keep the aligned part, give back what is before and after it */
    char *p = (char *)(((uintptr_t)m + HUGE_SIZE - 1) & ~(uintptr_t)(HUGE_SIZE - 1));
    if (p > m)
        munmap(m, (size_t)(p - m));
    munmap(p + len, (size_t)(m + HUGE_SIZE - p));
#ifdef MADV_HUGEPAGE
    madvise(p, len, MADV_HUGEPAGE); /* a hint: without it, plain pages */
#endif
    return p;
}

static struct ll_arena_chunk *pool_get(int cls)
{
    size_t len = (size_t)BLOCK << cls;
    struct ll_arena_chunk *c;
    bool fresh = false;
    pthread_mutex_lock(&pool.mu);
    if ((c = pool.free[cls])) {
        pool.free[cls] = c->next;
    } else {
        if ((size_t)(pool.end - pool.cur) < len) {
            /* the rest of the old region stays untouched: address space only */
            char *r = map_huge(REGION);
            pool.cur = r;
            pool.end = r ? r + REGION : NULL;
        }
        if (pool.cur) {
            c = (struct ll_arena_chunk *)pool.cur;
            pool.cur += len;
            fresh = true;
        }
    }
    pthread_mutex_unlock(&pool.mu);
    if (!c)
        return NULL;
#ifdef LL_ASAN
    ASAN_UNPOISON_MEMORY_REGION(c, len);
    if (!(c->token = malloc(1))) {
        pthread_mutex_lock(&pool.mu);
        c->next = pool.free[cls];
        pool.free[cls] = c;
        pthread_mutex_unlock(&pool.mu);
        return NULL;
    }
#endif
    c->cls = cls;
    c->size = len - HDR;
    c->zeroed = fresh;
    return c;
}

static void pool_put(struct ll_arena_chunk *c)
{
    if (c->cls < 0) {
        munmap(c, HDR + c->size);
        return;
    }
#ifdef LL_ASAN
    free(c->token);
    /* an arena's memory used after its release is reported; poisoned
     * while still ours: once in the list, another thread may take it */
    ASAN_POISON_MEMORY_REGION(c->data, c->size);
#endif
    int cls = c->cls;
    pthread_mutex_lock(&pool.mu);
    c->next = pool.free[cls];
    pool.free[cls] = c;
    pthread_mutex_unlock(&pool.mu);
}

/* A chunk with room for `size` bytes: pool-sized, or mapped alone. */
static struct ll_arena_chunk *new_chunk(size_t size)
{
    int cls = 0;
    while (cls < NCLASS && ((size_t)BLOCK << cls) - HDR < size)
        cls++;
    struct ll_arena_chunk *c;
    if (cls < NCLASS) {
        c = pool_get(cls);
    } else {
        size_t len = (HDR + size + HUGE_SIZE - 1) / HUGE_SIZE * HUGE_SIZE;
        c = (struct ll_arena_chunk *)map_huge(len);
        if (c) {
            c->cls = -1;
            c->size = len - HDR;
            c->zeroed = true;
#ifdef LL_ASAN
            c->token = NULL;
#endif
        }
    }
    if (!c)
        return NULL;
    c->next = NULL;
    c->used = 0;
    c->own = false;
    return c;
}

/* ---- arenas -------------------------------------------------------------- */

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
            pool_put(c);
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
            pool_put(c);
        } else {
            c->next = a->spare;
            a->spare = c;
        }
        c = next;
    }
}

/* A normal chunk for `a`: one a reset emptied (no longer zeroed), or a
 * new one. */
static struct ll_arena_chunk *next_chunk(struct ll_arena *a)
{
    struct ll_arena_chunk *c = a->spare;
    if (!c)
        return new_chunk(BLOCK - HDR);
    a->spare = c->next;
    c->next = NULL;
    c->used = 0;
    c->zeroed = false;
    return c;
}

static void *alloc(struct ll_arena *a, size_t size, bool zero)
{
    if (a->parent) {
        void *p = alloc(a->parent, size, zero);
        if (p)
            a->total += size;
        return p;
    }
    const size_t align = _Alignof(max_align_t); /* 16, where sizeof is 32 */
    if (size > SIZE_MAX / 2)
        return NULL;
    size = (size + align - 1) / align * align;
    if (size == 0)
        size = align;
    struct ll_arena_chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        if (size > BLOCK / 4 && size <= BLOCK - HDR) {
            /* Large but chunk-sized: at the start of a new chunk, whose
             * rest serves what follows unless the current one has more
             * room left (then it goes behind the current head). */
            struct ll_arena_chunk *n = next_chunk(a);
            if (!n)
                return NULL;
            n->used = size;
            if (!c || n->size - n->used > c->size - c->used) {
                n->next = a->head;
                a->head = n;
            } else {
                n->next = c->next;
                c->next = n;
            }
            a->total += size;
            if (zero && !n->zeroed)
                memset(n->data, 0, size);
            return n->data;
        }
        if (size > BLOCK / 4) {
            /* Oversized: its own chunk, linked behind the current head. */
            struct ll_arena_chunk *big = new_chunk(size);
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
            if (zero && !big->zeroed)
                memset(big->data, 0, size);
            return big->data;
        }
        if (!(c = next_chunk(a)))
            return NULL;
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

/* ll_arena_printf() for a format of literal text, "%s" and "%%" only
 * (every one the frontend builds access paths with): two passes over the
 * arguments with strlen and memcpy, about a tenth of vsnprintf's cost.
 * A NULL string prints as glibc's vsnprintf prints it, "(null)".  Returns
 * false, having done nothing, for any other format. */
static bool concat_only(const char *fmt)
{
    for (const char *f = fmt; *f; f++)
        if (*f == '%') {
            if (f[1] != 's' && f[1] != '%')
                return false;
            f++;
        }
    return true;
}

static char *arena_concat(struct ll_arena *a, const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    size_t n = 0;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            n++;
        } else if (*++f == '%') {
            n++;
        } else {
            const char *s = va_arg(aq, const char *);
            n += strlen(s ? s : "(null)");
        }
    }
    va_end(aq);
    char *p = ll_arena_alloc_raw(a, n + 1), *o = p;
    if (!p)
        return NULL;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            *o++ = *f;
        } else if (*++f == '%') {
            *o++ = '%';
        } else {
            const char *s = va_arg(ap, const char *);
            s = s ? s : "(null)";
            size_t l = strlen(s);
            memcpy(o, s, l);
            o += l;
        }
    }
    *o = '\0';
    return p;
}

char *ll_arena_printf(struct ll_arena *a, const char *fmt, ...)
{
    va_list ap;
    if (concat_only(fmt)) {
        va_start(ap, fmt);
        char *p = arena_concat(a, fmt, ap);
        va_end(ap);
        return p;
    }
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

bool ll_grow(void **v, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*v, ncap * elem);
    if (!p)
        return false;
    *v = p;
    *cap = ncap;
    return true;
}
