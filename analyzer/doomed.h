/*
 * doomed: the parts of a function from which the program cannot go on --
 * every path from there ends in a call that never returns (abort, exit,
 * __builtin_unreachable after a failed assertion, a function known to die).
 * What runs there runs once, while the process is going down (crash
 * reports, usage errors), so the data-race analysis does not let a thread
 * reach functions through such calls.
 *
 * The frontend ends a block with no successors where a noreturn call is;
 * a block is doomed when it has no successors and is not the exit, when
 * it calls a function that always dies, or when every successor is doomed.
 * A function always dies when its entry block is doomed.  Loops without an
 * exit (a thread's main loop) are not doomed: they never reach a death.
 */
#ifndef LL_DOOMED_H
#define LL_DOOMED_H

#include "ir.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * Fills doomed[b] for every block of fn (1: doomed).  dies(ctx, e) says
 * whether event e of fn is a call to a function that always dies; NULL
 * means no callee is known to.  A function whose body was cut short
 * (LL_FN_TRUNCATED) has nothing doomed: its missing edges prove nothing.
 */
void ll_doomed_blocks(const struct ll_function *fn, bool (*dies)(void *ctx, uint32_t e), void *ctx,
                      uint8_t *doomed);

#endif
