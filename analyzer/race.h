/*
 * race: the shared memory accesses of the program, each with the locks
 * held at it and the thread roots that may run it concurrently, for the
 * data-race rule (unprotected-write).
 *
 * An access is kept when it may touch memory another thread sees: a global
 * or static, or an object reached through a pointer that is not known to
 * be private (a local's address, a block fresh from malloc before it is
 * handed to a thread, the first level of a start argument that every
 * thread creation gives its own object -- except that its creator still
 * names it: with one creation site, `&g` makes it g, and a fresh block in
 * the creator's local `c` pairs it with the creator's `c->...`).
 * Thread-locals, const data, atomic accesses, per-thread result slots (an index derived from the
 * start argument) and the accesses main makes before its first thread creation or after joining
 * them all (and in functions it calls only then) are left out.  The lockset of an access is what
 * its function holds there plus what every caller holds at every call on the way from a root, per
 * thread root (one record per set of locks its roots hold there).
 *
 * The access and lock types, and the questions asked of them
 * (ll_race_conflict() and the like), are part of the view's query API
 * (view.h).  A phase of the view build, the last one.
 *
 * It does not decide which pairs to report or how: that is the rule's.
 * Locks and locations are compared by object for globals and by class
 * (struct type and field) otherwise.
 */
#ifndef LL_RACE_H
#define LL_RACE_H

#include "arena.h"
#include "handoff.h"
#include "view.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A lock of a thread root's creation lockset: the threads that create
 * it hold the lock, exclusively, from every creation until the thread
 * ends, so it runs inside their critical section (the creator's own
 * thread aside, any access under that lock is before or after it). */
struct ll_race_creation {
    struct ll_race_lock lock;
    const uint64_t *holders; /* cg.root_words words: the roots that hold it */
};

struct ll_race_result {
    struct ll_arena arena;
    size_t n;
    struct ll_race_access *acc; /* sorted by group, then function and event */
    struct ll_handoff handoff;  /* flags published under a lock (handoff.h) */
    uint32_t *ncreation;        /* per root: its creation lockset */
    struct ll_race_creation **creation;
};

/* Collects the shared accesses of the program.  Returns 0, or -1 when out
 * of memory; release with ll_race_release() either way. */
int ll_race_build(const struct ll_view *v, struct ll_race_result *out);
void ll_race_release(struct ll_race_result *r);

#endif
