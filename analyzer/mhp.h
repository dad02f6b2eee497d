/*
 * mhp: which threads may run at the same time -- the may-happen-in-parallel
 * relation the race, lock-order and thread rules read (through view.h).
 *
 * Threads are the call graph's roots.  Per function and event: the roots
 * the function has started and not yet joined (a creation or a call that
 * leaves threads running adds them; a join of every handle of a root
 * removes it and what it started, from the next event on in evaluation
 * order), and what its callers have running at every call of it.  From
 * those, for every pair of roots, whether they can overlap:
 *
 *   - a root's parent is the one root whose thread makes every creation
 *     of it (every creating function is reached by that root only, which
 *     runs once); the parent runs alongside its descendants only at the
 *     events where it has them running (ll_mhp_running_at());
 *   - two roots below a common ancestor P, through P's children cx and
 *     cy, overlap unless neither cx is running (in P's thread) at any
 *     creation of cy nor cy at any creation of cx: created and joined one
 *     after the other, or in exclusive branches (`if (m) create(a); else
 *     create(b);`);  a root with several instances overlaps itself by the
 *     same test (created and joined in each iteration);
 *   - without a common ancestor (several creators, a creator that runs
 *     several times), they may overlap.
 *
 * Joining a thread is taken to end the threads it started too.
 */
#ifndef LL_MHP_H
#define LL_MHP_H

#include "arena.h"

#include <stdbool.h>
#include <stdint.h>

struct ll_view;

struct ll_mhp {
    struct ll_arena arena;
    uint32_t words; /* 64-bit words of a set of roots */
    uint32_t nroots;
    long *root_of;         /* per function: its root index, or -1 */
    uint64_t **creates;    /* per function: roots it may start, transitively */
    uint64_t **running;    /* per function, per event (+1): roots it has left running
                              (NULL: none at any event, a function that takes no part
                              in thread lifetimes) */
    uint64_t **joined;     /* per function, per event (+1): roots it has joined before the
                              event, in evaluation order (NULL: none) */
    uint64_t **leaves;     /* per function: roots still running at its exit */
    uint64_t **ends;       /* per function: roots it (or a callee) joins for good */
    const char ***handles; /* per root: classes of the handles its creations fill
                              (NULL-terminated), NULL when one is detached or unknown */
    uint64_t **with;       /* per function: roots running at its calls, any caller */
    long *parent;          /* per root: the root whose one thread creates it, or -1 */
    uint64_t *main_ends;   /* per root (words each): when a join of its handle class ends
                              every instance main's thread can meet, the root and what it
                              starts, else none (ll_mhp_joined_for_main()) */
    uint64_t **main_ended; /* per function, per event (+1): what ll_mhp_joined_for_main()
                              says (NULL: none at any event) */
    uint64_t *par;         /* per root (words each): the roots it may run alongside */
    uint8_t *unreached;    /* per root: 1 when every creation of it lies in a function
                              no thread (main's included) reaches: dead code */
};

/* Builds the relation from the view's call infos and lock state
 * (df.reached).  Returns 0 or -1 when out of memory. */
int ll_mhp_build(const struct ll_view *v, struct ll_mhp *out);
void ll_mhp_release(struct ll_mhp *m);

/* Roots x and y may run at the same time (x == y: two instances of it). */
bool ll_mhp_parallel(const struct ll_mhp *m, uint32_t x, uint32_t y);

/* Every creation of root r lies in a function that no root reaches (a
 * self-test nothing calls): its thread may never run, so what it does is
 * doubtful evidence (rules report it as a note). */
bool ll_mhp_unreached(const struct ll_mhp *m, uint32_t r);

/* x's one thread makes, directly or through its descendants, every
 * creation of y: y runs alongside x only where x has it running. */
bool ll_mhp_ancestor(const struct ll_mhp *m, uint32_t x, uint32_t y);

/* The roots started (by the thread running it, or by its callers) and
 * still running at event e of function fn, into out (words): a thread
 * its callers started and fn has joined before e is not (`stop() {
 * pthread_join(maint, NULL); later(); }`; a handle the join names, as
 * for the function's own threads). */
void ll_mhp_running_at(const struct ll_mhp *m, uint32_t fn, uint32_t e, uint64_t *out);

/*
 * The roots that function fn, run by main's thread, has surely ended
 * before event e by a join of its own or a call of a function that joins
 * them (`stop_readers(); destroy_heap();`), into out (words): those of
 * fn's joined set (`joined`) or its earlier calls' `ends` (both in
 * evaluation order, as for main's own threads) whose join ends every
 * instance that could run alongside main's thread then, and what they
 * started.  Such a root (main_ends) has main as its
 * parent (no other thread creates it again meanwhile), fills one handle
 * class at every creation, always a global's or static's (`th`,
 * `threads[i]`, `pool.tid`: not a field behind a pointer, a parameter's
 * or a local's, which name a handle per object), and, when that handle is
 * not an array element, is created once (a loop or a second site would
 * overwrite a running thread's handle).  So `stop() { pthread_join(th,
 * NULL); n = 0; }` orders `n = 0` after the thread wherever main calls
 * stop() -- before the creation, too, when the thread does not exist yet.
 */
void ll_mhp_joined_for_main(const struct ll_mhp *m, uint32_t fn, uint32_t e, uint64_t *out);

#endif
