/*
 * waitloop: whether a condition wait re-checks its predicate.  A wait is
 * re-checked when it sits in a loop (a loop statement, or a `goto` back to
 * a label before it: the natural loops of loops.h) and every path from it
 * goes back to a loop head (where the predicate is tested again) or out
 * of the loop, before it joins code that also runs without waiting.  An outer
 * `while (running)` whose body waits under `if (q->len == 0)` and then
 * takes from the queue is not: the take runs after a wakeup without any
 * new test.  It looks at one function's CFG only; what counts as a wait
 * (a wait event, a call to a wait wrapper) is the caller's to say.
 */
#ifndef LL_WAITLOOP_H
#define LL_WAITLOOP_H

#include "ir.h"

#include <stdbool.h>
#include <stdint.h>

/* What the caller says of the function's events: is_wait(ctx, x),
 * whether event x surely waits (paths through another wait are paths
 * that wait); is_quiet(ctx, x) (may be NULL), whether call x only
 * releases a lock or signals (a release wrapper: nng's nni_mtx_unlock()),
 * which relies on no waited-for state, like a direct unlock. */
struct ll_wait_oracle {
    bool (*is_wait)(void *ctx, uint32_t x);
    bool (*is_quiet)(void *ctx, uint32_t x);
    void *ctx;
};

/* True when the wait at event `e` of fn is re-checked (see above).
 * `may_skip`: e itself may return without waiting (a call to a wrapper
 * that waits under `if`), so paths through it count as paths that do not
 * wait. */
bool ll_wait_rechecked(const struct ll_function *fn, uint32_t e, bool may_skip,
                       const struct ll_wait_oracle *o);

#endif
