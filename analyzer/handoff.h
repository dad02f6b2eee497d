/*
 * handoff: data handed from one thread to another through a flag that a
 * lock guards -- the "ready = 1 under L, while (!ready) wait(cv, L)"
 * shape of a producer and a consumer -- or through a queue of pointers
 * under a lock (an object filled, then pushed; popped, then used), as a
 * happens-before edge for the race analysis (race.c asks here,
 * ll_race_conflict() reads the answer).
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
 * unless b in turn publishes a channel a observes, a with no set of the
 * flag by its function since that wait (each side waits for the other,
 * as a ping-pong or a bounded buffer does).  Partial evidence
 * on either side makes a pair ll_handoff_order() calls LL_HO_PARTIAL: the
 * rule reports it as a note.
 *
 * Helpers count at their calls, callees first, through at most 4 levels
 * of calls: a *put helper* writes F with L held on every path from its
 * entry to its return, and its call is such a write; a *get helper* has
 * left a wait loop on F (or returned from a get helper) on every path
 * from its entry to its return, and the return of its call leaves the
 * wait; a function that does either on some path only is partial
 * evidence at its calls.  A setter that is neither a's nor b's function
 * counts as its callers (the get helper's `item = 0` after its wait is
 * the reader's), when it is called directly from at most LL_HO_CALLERS
 * functions, all a's or b's or such setters in turn, and is no thread's
 * start routine, not address-taken, not recursive.
 *
 * Not followed: flags and waits in the callers of the accessing
 * functions, accesses in callees (an access in `fill()` called before
 * `publish()`), flags read through calls (`while (list_empty(q))`), and
 * the value written (`ready = 0` sets F as much as `ready = 1`).
 *
 * A *queue* channel is a lock L under which some function takes a
 * pointer out of memory into a local (`p = q->head`, `T *p =
 * q->items[--q->n]`: ll_event.aux of the local's write).  Per access
 * through a local or parameter pointer p, one step (`p->x`, not
 * `p->next->x`):
 *
 *   - it is *put in* (publishes) when every path from it to its
 *     function's return stores p (unchanged since the access; a local
 *     copy `j = arg` never assigned again counts as arg) into memory
 *     with L held exclusively (`q->tail->next = p`, `q->items[q->n++] =
 *     p`, `q->head = p`), and no path from the function's entry to it has
 *     stored p so since p last changed (the object is not yet anyone
 *     else's); some path only: partly;
 *   - it *took the object out* (observes) when every path from the
 *     entry to it has loaded p from memory with L held, p unchanged
 *     since; some path only: partly.
 *
 * A put-in a happens before a took-out b on one channel, both on every
 * path: the pointer names the object, so a's object is b's only when b
 * loaded what a's thread stored (or, under L, what was moved from where
 * it was stored), after a.  No other thread, setter or round matters.
 * Evidence counts in full when the slot is the lock's own data: a
 * global (and L any lock), or reached from the variable L is reached
 * from (`q->first` under `q->lock`); a slot reached otherwise (`l->first`
 * under a global lock) is matched with the lock by type only, partial
 * evidence (struct ll_handoff_mark.by_type).
 *
 * Helpers count at their calls, callees first: a function that puts a
 * parameter in on every path (`push(q, j)`) puts its argument in; one
 * that returns, on every path that returns a pointer, NULL or one it took
 * out (`j = pop(q)`) takes its result.
 *
 * Assumed: the object is the putter's alone until it puts it in (a
 * parameter or a pointer from a call is not proven to be); the consumer
 * takes what the producers put (any load under L counts, a peek that
 * leaves the object in the container too).  Not followed: accesses in a
 * fill-in helper called before the put, a hand-off through two queues
 * (`a` put in q1, taken out and put in q2, then `b`), the container's
 * own links (`q->tail->next` written by the producer is not known to be
 * another object than the consumer's `j->next`), and the test of the
 * taken pointer (`s = NULL; if (n) s = items[--n]; ... if (s) s->x`:
 * taken on some paths only).
 */
#ifndef LL_HANDOFF_H
#define LL_HANDOFF_H

#include "arena.h"
#include "view.h"

#include <stdbool.h>
#include <stdint.h>

/* The functions that set a channel's flag, listed up to this many. */
#define LL_HO_SETTERS 4
/* The callers of a function listed, up to this many (else LL_HO_NO_LIFT). */
#define LL_HO_CALLERS 4
#define LL_HO_NO_LIFT 0xff

struct ll_handoff_chan {
    bool queue;                     /* a queue of pointers (below), else a flag */
    struct ll_race_lock flag, lock; /* F and L as the first wait loop names them; for a
                                       queue, flag is the first container slot taken from */
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
    uint8_t *ncallers;          /* per function: its callers listed, or LL_HO_NO_LIFT */
    uint32_t *callers;          /* per function, LL_HO_CALLERS slots: the callers */
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
/* *chan (when not NULL): the channel that orders them, else one that may
 * (a queue's first); *by_type (when not NULL): set when that queue's
 * evidence is partial only because a container is matched by type. */
enum ll_ho_order ll_handoff_order(const struct ll_view *v, const struct ll_handoff *h,
                                  const struct ll_race_access *a, const struct ll_race_access *b,
                                  uint32_t *chan, bool *by_type);

#endif
