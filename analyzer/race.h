/*
 * race: the shared memory accesses of the program, each with the locks
 * held at it and the thread roots that may run it concurrently, for the
 * data-race rule (unprotected-write).
 *
 * An access is kept when it may touch memory another thread sees: a global
 * or static, or an object reached through a pointer that is not known to
 * be private (a local's address, a block fresh from malloc before it is
 * handed to a thread, the first level of a start argument that every
 * thread creation gives its own object).  Thread-locals, const data, atomic
 * accesses, per-thread result slots (an index derived from the start
 * argument) and the accesses main makes before its first thread creation
 * or after joining them all (and in functions it calls only then) are
 * left out.  The lockset of an access is what its function holds there
 * plus what every caller holds at every call on the way from a root.
 *
 * It does not decide which pairs to report or how: that is the rule's.
 * Locks and locations are compared by object for globals and by class
 * (struct type and field) otherwise.
 */
#ifndef LL_RACE_H
#define LL_RACE_H

#include "view.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ll_race_lock {
    const char *id;   /* program-wide identity: a global object, else its class */
    const char *cls;  /* its class ("struct queue.lock"), or NULL */
    const char *text; /* as written where it was taken */
    bool concrete;    /* id names one global object */
    bool shared;      /* held in read mode on some path */
};

struct ll_race_access {
    uint32_t fn, event;   /* the program function and its ACCESS event */
    const char *group;    /* location class: accesses that may alias share it */
    const char *concrete; /* one global object ("usr|g.x[]"), or NULL when reached
                             through a pointer; two concrete ones alias only when equal */
    const char *name;     /* the location as users read it ("hits", "struct stats.hits") */
    bool write;
    bool from_start_arg;       /* reached through a thread's start argument */
    uint8_t depth;             /* calls from the nearest thread root to its function
                                  (live_reach.h; 255 at most) */
    const uint8_t *root_depth; /* per root: calls from it to the function (255: far) */
    /* Semaphore classes (NULL-terminated, or NULL for none) its function
     * posts after it, and waits on (untimed) before it, in evaluation
     * order: `data = x; sem_post(&ready);` happens before
     * `sem_wait(&ready); use(data);`. */
    const char **posts_after, **waits_before;
    uint32_t nlocks;
    struct ll_race_lock *locks;
    uint64_t *roots; /* cg.root_words words: roots that may run it concurrently */
    uint64_t *with;  /* when main's thread runs it: the roots that may run meanwhile */
};

struct ll_race_result {
    struct ll_arena arena;
    size_t n;
    struct ll_race_access *acc; /* sorted by group, then function and event */
};

/* Collects the shared accesses of the program.  Returns 0, or -1 when out
 * of memory; release with ll_race_release() either way. */
int ll_race_build(const struct ll_view *v, struct ll_race_result *out);
void ll_race_release(struct ll_race_result *r);

/* True when a and b may touch the same memory. */
bool ll_race_may_alias(const struct ll_race_access *a, const struct ll_race_access *b);

/*
 * True when a and b can race: they may alias, one is a write, two threads
 * can run them at once, no lock is held at both in modes that exclude
 * each other, and no semaphore orders them (one is before a post of a
 * semaphore the other waits on first; when the earlier one is in a loop,
 * the later one must also post one the earlier waits on, as the two
 * semaphores of a bounded buffer do).  *ra and *rb receive the roots of
 * such a pair of threads: of all pairs, the one whose roots reach the two
 * accesses in the fewest calls (the likeliest threads to name).
 */
bool ll_race_conflict(const struct ll_view *v, const struct ll_race_access *a,
                      const struct ll_race_access *b, uint32_t *ra, uint32_t *rb);

/* True when x and y may be one lock: one global object, or, when either is
 * known only by its class, the same class. */
bool ll_race_same_lock(const struct ll_race_lock *x, const struct ll_race_lock *y);

/* Whether lock x (or one that may be it) is held at a, in any mode. */
bool ll_race_holds(const struct ll_race_access *a, const struct ll_race_lock *x);

#endif
