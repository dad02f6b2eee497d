/*
 * lockuse: where a lock is used next.  From one event of a function, each
 * path is followed to the first event that does something to the same
 * lock (acquire, release, init, destroy, a copy into it, a condition wait
 * with it as the mutex); a path also stops where the lock's path may name another object
 * from then on (a write to a variable in it: `i++` for `locks[i]`, `c =
 * c->next` for `c->lock`) or where the caller says (a call that may
 * re-initialise it).  The lock lifecycle rule asks it what follows a
 * destroy or an init.  One function only: what callers and callees do is
 * not followed.
 */
#ifndef LL_LOCKUSE_H
#define LL_LOCKUSE_H

#include "ir.h"

#include <stdbool.h>
#include <stdint.h>

/* Whether the identifier `var` occurs as a whole word in the key `key`. */
bool ll_lockuse_names_var(const char *key, const char *var);

/* The lock event x acts on, or NULL (the mutex of a condition wait; the
 * copy of a LOCK_COPY). */
const struct ll_path *ll_lockuse_lock(const struct ll_event *x);

/*
 * Calls visit(ctx, x) once for every event x that is the first use of the
 * lock with `key` on some path from event `from` (which is not itself a
 * use).  stop(ctx, x), when given, ends a path at event x.  Returns 0, or
 * -1 when out of memory.
 */
int ll_lockuse_next(const struct ll_function *fn, uint32_t from, const char *key,
                    bool (*stop)(void *ctx, uint32_t x), void (*visit)(void *ctx, uint32_t x),
                    void *ctx);

#endif
