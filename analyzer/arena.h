/*
 * arena: bump allocation for data that lives and dies together (the facts
 * of one translation unit, the whole-program tables of one run).  Nothing is
 * freed singly; ll_arena_release() frees everything at once.
 *
 * Allocation failure is reported by a NULL return; callers propagate it.
 */
#ifndef LL_ARENA_H
#define LL_ARENA_H

#include <stdbool.h>
#include <stddef.h>

struct ll_arena_chunk;

struct ll_arena {
    struct ll_arena_chunk *head;
    struct ll_arena_chunk *spare; /* emptied by ll_arena_reset(), used again first */
    size_t total;                 /* bytes handed out since init or reset */
    struct ll_arena *parent;      /* where the memory comes from, or NULL (see below) */
};

void ll_arena_init(struct ll_arena *a);
/*
 * An arena whose memory comes from `parent`, which must outlive it and be
 * used by one thread at a time with it.  Releasing the child frees nothing
 * (it stays a child of `parent`): its memory lives until the parent is
 * released.  For many small arenas of one lifetime, such as the facts of
 * every TU one worker reads: they then share the parent's large chunks.
 */
void ll_arena_init_child(struct ll_arena *a, struct ll_arena *parent);
/* Frees every chunk; the arena may be reused afterwards. */
void ll_arena_release(struct ll_arena *a);
/* Forgets everything allocated but keeps the chunks for what is allocated
 * next: scratch memory of many short runs (one function's dataflow) is then
 * taken from the system once.  Nothing for a child arena. */
void ll_arena_reset(struct ll_arena *a);
/* Zeroed memory aligned for any type, or NULL when out of memory. */
void *ll_arena_alloc(struct ll_arena *a, size_t size);
/* Like ll_arena_alloc() but not zeroed: for memory the caller overwrites
 * at once (copies). */
void *ll_arena_alloc_raw(struct ll_arena *a, size_t size);
/* Copy of s (NULL stays NULL; out of memory also gives NULL). */
char *ll_arena_strdup(struct ll_arena *a, const char *s);
char *ll_arena_strndup(struct ll_arena *a, const char *s, size_t n);
/* printf into the arena; NULL when out of memory. */
char *ll_arena_printf(struct ll_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Makes room in a heap array (not the arena) of n elements of elem bytes
 * for one more: doubles *cap (from 16) when n reached it.  False when out
 * of memory; *v and *cap are then unchanged. */
bool ll_grow(void **v, size_t *cap, size_t n, size_t elem);

#endif
