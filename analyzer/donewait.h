/*
 * donewait: a thread that ends by setting a "done" flag, and a function
 * that waits until the flag is set, as a join (mhp.c reads it).
 *
 * A root's *done flag* is a shared location F (not a plain local) its
 * start routine writes such that, from that write on, every path does
 * nothing but unlock, signal, touch its own locals, detach itself and
 * return (or leave through a call that does not return): `w->done = 1;
 * pthread_cond_signal(&w->cv); pthread_mutex_unlock(&w->m); return
 * NULL;`, `atomic_store(&a->finished, 1); return NULL;`.  Every write of
 * F in the start routine must be such a last one (a flag set early and
 * work going on after it does not say the thread is over), and no other
 * function may write F but the start routine and the waiting function
 * (which clears it before the creation, or sets it when a creation
 * fails).
 *
 * A *done wait* in function K is a loop that does nothing but read F and
 * its own locals, wait on a condition variable, sleep, lock and unlock,
 * and that is left only through blocks reading F:
 * `while (!w->done) pthread_cond_wait(&w->cv, &w->m);`, `while
 * (!atomic_load(&t->finished)) usleep(10);`.  After it, the threads whose
 * done flag it is have finished everything they do with shared data, as
 * after a join.  As for joins (mhp.h), the flag is matched by class (a
 * wait on `w->done` of each element of a pool ends the pool's threads),
 * and the waiting function must not be one that only sometimes waits.
 *
 * Not followed: waits in a callee of the waiting function, a loop that
 * counts the flags it has seen (`n += done[i]; if (n == total) break;`),
 * a start routine that goes on after setting its flag (a second phase),
 * and flags written through callees.
 */
#ifndef LL_DONEWAIT_H
#define LL_DONEWAIT_H

#include "arena.h"

#include <stddef.h>
#include <stdint.h>

struct ll_view;

struct ll_done_wait {
    uint32_t at;   /* the wait loop's last event (evaluation order) */
    uint32_t root; /* the root it ends */
};

struct ll_donewait {
    uint32_t *nwaits;            /* per function */
    struct ll_done_wait **waits; /* per function: its done waits, by `at` */
};

/* Finds the done flags and waits (in arena a).  Returns 0, or -1 when
 * out of memory. */
int ll_donewait_build(const struct ll_view *v, struct ll_arena *a, struct ll_donewait *out);

/* Whether event e of function fn ends a wait for some root's done flag. */
static inline int ll_donewait_at(const struct ll_donewait *d, uint32_t fn, uint32_t e)
{
    for (uint32_t k = 0; k < d->nwaits[fn]; k++)
        if (d->waits[fn][k].at == e)
            return 1;
    return 0;
}

/* The first done wait of function fn that ends root r at an event after
 * `after` (UINT32_MAX for any), or UINT32_MAX. */
uint32_t ll_donewait_first(const struct ll_donewait *d, uint32_t fn, uint32_t r, uint32_t after);

#endif
