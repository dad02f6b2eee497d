/*
 * handoff: data handed from one thread to another through a flag that a
 * lock guards -- the "ready = 1 under L, while (!ready) wait(cv, L)"
 * shape of a producer and a consumer -- as a happens-before edge for the
 * race analysis (race.c asks here, ll_race_conflict() reads the answer).
 *
 * A *channel* is a flag F and a lock L such that some function leaves a
 * condition-wait loop on L (pthread_cond_wait / cnd_wait, timed or not)
 * only through blocks that read F with L held: `while (!ready)
 * pthread_cond_wait(&cv, &m);`, `while (q->count == 0) ...`, also `do
 * ... while` and `for (;;) { if (ready) break; wait; }`.  Then, per
 * access:
 *
 *   - it *publishes* on the channel when every path from it to its
 *     function's return writes F with L held (in exclusive mode) after
 *     it; some path only: partly;
 *   - it *observes* the channel when every path from its function's
 *     entry to it has left such a wait loop through a test of F (no path
 *     skips the loop or leaves it another way first); a wait loop the
 *     path may skip, or a wait under `if (!F)` (no loop): partly.
 *
 * An access a happens before an access b when a publishes, and b
 * observes, one channel on every path, and nothing else may have set F
 * for b to see: the functions writing F while other threads run (under L
 * or not) are a's and b's only,
 * a's function runs once in a thread of which one instance runs (a start
 * routine or main, or a function called from one place outside loops of
 * one such), and a cannot run again after F was set in its function --
 * unless b in turn publishes a channel a observes (each side waits for
 * the other, as a ping-pong or a bounded buffer does).  Partial evidence
 * on either side makes a pair ll_handoff_order() calls LL_HO_PARTIAL: the
 * rule reports it as a note.
 *
 * Not followed: waits through wrappers, flags and waits in callees of
 * the accessing functions (an access in `fill()` called before
 * `publish()`), flags read through calls (`while (list_empty(q))`), the
 * value written (`ready = 0` sets F as much as `ready = 1`), and queues of
 * pointers (an object filled, then pushed).
 */
#ifndef LL_HANDOFF_H
#define LL_HANDOFF_H

#include "arena.h"
#include "view.h"

#include <stdbool.h>
#include <stdint.h>

/* The functions that set a channel's flag, listed up to this many. */
#define LL_HO_SETTERS 4

struct ll_handoff_chan {
    struct ll_race_lock flag, lock; /* F and L as the first wait loop names them */
    uint32_t nsetters;              /* functions writing F while other threads may run
                                       (with L held or not) */
    uint32_t setters[LL_HO_SETTERS];
};

struct ll_handoff_fn; /* handoff.c's per-function tables */

struct ll_handoff {
    struct ll_arena arena;
    uint32_t nchans;
    struct ll_handoff_chan *chans;
    struct ll_handoff_fn **fns; /* per function, NULL when it waits on and sets no channel */
    uint8_t *once;              /* per function: runs once in one thread (see above) */
};

/* Finds the channels and what each function does with them.  `locks`:
 * per function, per lock of its lock state (df), the lock's identity, as
 * race.c names them (id NULL: not a lock).  Returns 0 or -1 (out of
 * memory); release with ll_handoff_release() either way. */
int ll_handoff_build(const struct ll_view *v, struct ll_race_lock *const *locks,
                     struct ll_handoff *out);
void ll_handoff_release(struct ll_handoff *h);

/* Access event e of function fn: the channels it publishes on and
 * observes (in `a`, NULL/0 when none). */
int ll_handoff_marks(const struct ll_handoff *h, uint32_t fn, uint32_t e, struct ll_arena *a,
                     struct ll_handoff_mark **pub, uint32_t *npub, struct ll_handoff_mark **obs,
                     uint32_t *nobs);

/* How a hand-off orders a before b. */
enum ll_ho_order {
    LL_HO_NONE = 0, /* no channel joins them */
    LL_HO_PARTIAL,  /* a channel joins them, but not on every path, or another
                       setter, thread or round may have set the flag b saw */
    LL_HO_ORDERED,  /* a happens before b */
};
enum ll_ho_order ll_handoff_order(const struct ll_view *v, const struct ll_handoff *h,
                                  const struct ll_race_access *a, const struct ll_race_access *b,
                                  uint32_t *chan);

#endif
