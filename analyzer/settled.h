/*
 * settled: globals a once-guard sets before any thread starts.
 *
 * `if (!inited) { inited = 1; init(); }`, `if (!start) start = now();`:
 * a global (or static) that the program writes only where a branch has
 * just found it zero.  When main, before it starts any thread, surely
 * runs one of those writes -- a call that comes before every point where
 * a thread runs and that reaches the write on every path on which the
 * global is still zero -- the global is non-zero from then on (if the
 * value stored is), so none of its writes runs again: not in a thread,
 * not alongside one.  The race analysis leaves such writes out (a
 * non-zero constant stored) or reports their races as notes (any other
 * value, which might be zero).
 *
 * Conservative where it must be: a global also written without the
 * guard, updated (`n++`), or passed by address to a call is never
 * settled; main's call must be a direct call that every path to a thread
 * creation passes, made while no thread runs; the callee must make the
 * write on every path, through calls it makes on every path (at most
 * eight deep).  Libraries (no main) settle nothing, and past 256 such
 * globals the rest are not looked at.
 */
#ifndef LL_SETTLED_H
#define LL_SETTLED_H

#include "arena.h"
#include "strmap.h"

#include <stdint.h>

struct ll_view;
struct ll_fn_view;

enum ll_settled_kind {
    LL_SETTLED_NO = 0,
    LL_SETTLED_SURE,       /* every write stores a non-zero constant */
    LL_SETTLED_IF_NONZERO, /* settled unless a value stored is zero */
};

struct ll_settled {
    struct ll_strmap kind; /* "usr|key" of a settled global -> enum ll_settled_kind */
};

/* Finds the settled globals of the view's program (mhp and the call
 * graph must be built).  Returns 0 or -1 when out of memory. */
int ll_settled_build(const struct ll_view *v, struct ll_arena *a, struct ll_settled *out);
void ll_settled_release(struct ll_settled *s);

/* Whether access event e of f writes a settled global, and how. */
enum ll_settled_kind ll_settled_write(const struct ll_settled *s, const struct ll_fn_view *f,
                                      uint32_t e);

#endif
