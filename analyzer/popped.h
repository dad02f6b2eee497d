/*
 * popped: elements a thread unlinks from a shared container under its
 * lock, which are then that thread's alone.
 *
 * A worker takes the first element of a shared list with the list's lock
 * held and unlinks it before it lets the lock go:
 *
 *     lock(&md->mutex);
 *     async = list_entry(md->list.next, struct async_work, list);
 *     list_del_init(&async->list);
 *     unlock(&md->mutex);
 *     async->bufsize = async->size * 2;      // this worker's element
 *
 * Two workers never get one element, so their accesses through the
 * element they popped do not race with each other, although both name it
 * the same way (`md->list.next^list->bufsize`: the frontend names a local
 * set once by the path it was loaded from).  An access is *popped* when
 * it goes through an element E (its path less the last field) loaded from
 * a slot S (E less a trailing container_of step) that its function reads
 * with a lock held and, later in the same block with that lock still
 * held, unlinks: it writes S (`q->head = e->next`) or passes E or a part
 * of it, or the container the slot is part of, to a function that
 * writes through that parameter, itself or in a callee
 * (`list_del_init(&e->list)`).  Two popped accesses of one function and
 * slot do not race (race.c); anything else about the element -- the
 * producer that filled it, a thread that reaches it another way -- is
 * judged as before.
 *
 * Not followed: a pop in a helper (`e = pop(q)` is a queue hand-off,
 * handoff.h, not this), an unlink in another block than the load, and
 * accesses through the element made before the unlink (the path names
 * them the same way).
 */
#ifndef LL_POPPED_H
#define LL_POPPED_H

#include "arena.h"

#include <stdint.h>

struct ll_view;
struct ll_fn_view;

struct pop;

struct ll_popped {
    struct pop **pops; /* per function: what it pops (popped.c), NULL-terminated, or NULL */
};

/* Finds every function's pop slots, in a.  Returns 0 or -1 when out of
 * memory. */
int ll_popped_build(const struct ll_view *v, struct ll_arena *a, struct ll_popped *out);

/* The pop site ("usr|S") access event e of function fn goes through, or
 * NULL when it reaches no popped element (or out of memory). */
const char *ll_popped_site(const struct ll_popped *p, const struct ll_view *v, uint32_t fn,
                           uint32_t e, struct ll_arena *a);

#endif
