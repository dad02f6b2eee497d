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

/* True when the wait at event `e` of fn is re-checked (see above);
 * is_wait(ctx, x) says whether event x surely waits (paths through
 * another wait are paths that wait).  `may_skip`: e itself may return
 * without waiting (a call to a wrapper that waits under `if`), so paths
 * through it count as paths that do not wait. */
bool ll_wait_rechecked(const struct ll_function *fn, uint32_t e, bool may_skip,
                       bool (*is_wait)(void *ctx, uint32_t x), void *ctx);

#endif
