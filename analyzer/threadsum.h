/*
 * threadsum: what a function does to threads, as its callers see it -- the
 * thread rules through calls.
 *
 * Per program function, built bottom-up (a fixpoint over the call graph)
 * from its events, its lock state and its callees' summaries:
 *
 *   - exit:  it may end the calling thread (`pthread_exit`, `thrd_exit`),
 *            here or in a callee;
 *   - wait:  it may wait on a condition variable, here or in a callee
 *            (with the condition and the mutex the wait releases);
 *   - joins: the start routines of the threads it may join, here or in a
 *            callee (the routine found as blocking-under-lock finds it:
 *            the creation that filled the same handle in the function, or
 *            one of the same class elsewhere).
 *
 * Each records the first such place (the innermost event and the function
 * it is in) and the locks the function has released on every path before
 * it, so that a caller's lock the callee drops first (an
 * `unlock_and_exit()` helper) is not counted as held there.  Lock paths
 * are in the function's own terms; ll_tsum_released() rewrites them for a
 * call.  Rules read these through view.h; they compute nothing here.
 */
#ifndef LL_THREADSUM_H
#define LL_THREADSUM_H

#include "ir.h"
#include "report.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LL_TSUM_MAX_JOINS 4
#define LL_TSUM_MAX_RELEASED 8

/* One thread event a function performs, itself or in a callee. */
struct ll_tsum_event {
    bool set;
    struct ll_site site;       /* the innermost event */
    const char *api;           /* "pthread_exit", "pthread_cond_wait", "pthread_join" */
    const char *via;           /* the function that performs it directly */
    const struct ll_path *obj; /* wait: the condition variable; join: the handle */
    const struct ll_path *aux; /* wait: the mutex it releases (own terms), or NULL */
    long routine;              /* join: the start routine of the joined thread, or -1 */
    bool signalled;            /* exit: a signal is sent (`pthread_kill`, `raise`, `kill`)
                                  on every path to it in `via`: the thread has asked
                                  another (or the process) to act on its end */
    uint32_t nreleased;
    const struct ll_path *released[LL_TSUM_MAX_RELEASED]; /* own terms */
};

struct ll_thread_summary {
    struct ll_tsum_event exit, wait;
    uint32_t njoins;
    struct ll_tsum_event joins[LL_TSUM_MAX_JOINS];
};

struct ll_view;
struct ll_fn_view;

/* Builds every function's summary into the view (phase 7b, after
 * threadflow).  Returns 0 or -1 when out of memory. */
int ll_tsum_build(struct ll_view *v);

/* True when the callee of call event e of f has released `lock` (a lock
 * path in f's terms) on every path before its event x: x's released
 * locks rewritten for the call name the same lock. */
bool ll_tsum_released(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                      const struct ll_tsum_event *x, const struct ll_path *lock);
/* True when the callee of call event e of f waits (x, its wait) with
 * `lock` (a lock path in f's terms) as the wait's mutex: x's mutex
 * rewritten for the call names the same lock (`my_cond_wait(&w->cond,
 * &w->mutex)` releases `w->mutex`). */
bool ll_tsum_wait_releases(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                           const struct ll_tsum_event *x, const struct ll_path *lock);

#endif
