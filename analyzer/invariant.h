/*
 * invariant: LL_ASSERT(cond) states what the engine relies on.
 *
 * Checked (abort with the file and line) in builds without NDEBUG -- the
 * test build -- and compiled to nothing in release builds, where the
 * condition is not evaluated: it must have no side effect.  For user
 * errors use the error channel, never this.
 */
#ifndef LL_INVARIANT_H
#define LL_INVARIANT_H

#include <assert.h>

#define LL_ASSERT(cond) assert(cond)

#endif
