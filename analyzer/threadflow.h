/*
 * threadflow: what happened to every thread a function creates, at every
 * event of the function, and the loops of its CFG.
 *
 * Each THREAD_CREATE event is one tracked thread.  A forward analysis over
 * the CFG with a small set of disjuncts per block (like dataflow.c) gives
 * its state before each event: not created on the path, running and
 * joinable, joined, detached, or handed to code that may join it
 * (escaped).  Branches on the creation's result split the state: the
 * failure edge carries no thread.  Joins and detaches match the handle's
 * key (`t`, `w.tid`), or its class for array elements (`t[]`): a loop that
 * joins every element of `t[]` counts as joining all of them from its
 * entry on.  Calls to functions that join or detach a parameter (wrappers,
 * see struct ll_tf_program) count as joins and detaches.
 *
 * It computes facts, not findings: the missing-join,
 * unbounded-thread-creation and thread-arg-lifetime rules read them.
 * Nothing here is path-sensitive across functions.
 */
#ifndef LL_THREADFLOW_H
#define LL_THREADFLOW_H

#include "arena.h"
#include "ir.h"
#include "loops.h"
#include "program.h"
#include "strmap.h"

#include <stdbool.h>
#include <stdint.h>

/* Thread state bits; a state is the union over the paths reaching a point. */
enum {
    LL_TS_NONE = 1,       /* not created on the path (or the creation failed) */
    LL_TS_RUNNING = 2,    /* created joinable, neither joined nor detached yet */
    LL_TS_JOINED = 4,     /* joined */
    LL_TS_DETACHED = 8,   /* detached: by attribute, pthread_detach, or itself */
    LL_TS_ESCAPED = 16,   /* handle passed to other code that may join it */
    LL_TS_CANCELLED = 32, /* asked to stop (pthread_cancel), not joined: it runs on to its
                             next cancellation point */
};

/* A running thread: it may still use what it was given. */
#define LL_TS_ALIVE (LL_TS_RUNNING | LL_TS_DETACHED | LL_TS_ESCAPED | LL_TS_CANCELLED)

struct ll_tf_thread {
    uint32_t event;               /* the THREAD_CREATE event */
    const struct ll_path *handle; /* its obj */
    bool by_class;                /* an array element: joins match the class `t[]` */
    bool local;                   /* the handle is an automatic variable (or a part of one) */
    bool detached;                /* created detached: attribute or self-detaching routine */
    /* the pointer parameters (bit i: parameter i, the first 64) the handle
     * is stored through, `*out = t` (threadflow.c: handed_out()): on a
     * path that found such a parameter NULL the thread is the caller's,
     * who chose to pass NULL (escaped, as where it is stored) */
    uint64_t out_params;
};

struct ll_tf_result {
    uint32_t nthreads;
    struct ll_tf_thread *threads;
    uint32_t nevents, nblocks;
    uint8_t *state;     /* nevents * nthreads: state before each event */
    uint8_t *out;       /* nblocks * nthreads: state at the end of each block */
    uint8_t *reached;   /* per event: 1 when some path reaches it */
    int32_t *ev_thread; /* per event: the thread a THREAD_CREATE makes, else -1 */
    uint32_t nloops;
    struct ll_loop *loops; /* innermost (smallest) first; only found in functions
                              that create threads (nthreads > 0) or call a function
                              that leaves threads behind (spawn_fn), else none */
};

/*
 * Program-wide thread facts.  `joins_param[i]` has bit k set when program
 * function i joins the thread its parameter k names (`pthread_join(t)`,
 * `pthread_join(*tp)`, or through another such function); likewise
 * `detaches_param`.  `self_detach[i]`: function i detaches the calling
 * thread (`pthread_detach(pthread_self())`), itself or through callees.
 * `joined` holds the classes of every handle joined or detached anywhere
 * (`struct pool.workers[]`, `g_thread`), and of every handle whose value
 * is stored into such memory (`list[n++] = g_thread;` with `list[i]`
 * joined: ll_event.args of the write); `posted` those of semaphores
 * posted anywhere.  `spawn_fn` names the functions that leave threads
 * behind (a `spawn_handler()` that creates and detaches).
 */
struct ll_tf_program {
    uint64_t *joins_param, *detaches_param;
    uint8_t *self_detach;
    struct ll_strmap joined, posted;
    /* spawn_fn[i] >= 0: function i leaves a thread running when it
     * returns -- every path through it creates one (itself or in a callee,
     * not through a function pointer) and it joins nothing (no join, no
     * call of a function that may join); the creation is event
     * spawn_ev[i] of function spawn_fn[i] */
    int32_t *spawn_fn;
    uint32_t *spawn_ev;
    uint8_t *joins_any; /* per function: may join a thread, itself or in a callee */
};

/* Builds the program facts; memory from `arena`.  Returns 0 or -1 (out of
 * memory).  Release the maps with ll_tf_program_release(). */
int ll_tf_program_build(struct ll_tf_program *tp, const struct ll_program *p,
                        struct ll_arena *arena);
void ll_tf_program_release(struct ll_tf_program *tp);

/* Runs the analysis on `fn` with the program facts (`p`, `tp` borrowed).
 * Results live in `arena`; working memory comes from `scratch`, which the
 * run resets (NULL: an arena of the run's own).  Returns 0, or -1 when out
 * of memory. */
int ll_threadflow_run(const struct ll_function *fn, const struct ll_program *p,
                      const struct ll_tf_program *tp, struct ll_arena *arena,
                      struct ll_arena *scratch, struct ll_tf_result *out);

static inline uint8_t ll_tf_state(const struct ll_tf_result *r, uint32_t event, uint32_t thread)
{
    return r->state[(size_t)event * r->nthreads + thread];
}

static inline uint8_t ll_tf_out(const struct ll_tf_result *r, uint32_t block, uint32_t thread)
{
    return r->out[(size_t)block * r->nthreads + thread];
}

/* True when path `p` (a join's or detach's handle, a call argument) names
 * the handle of thread `t`. */
bool ll_tf_names_thread(const struct ll_tf_thread *t, const struct ll_path *p);

/* The block holding event `e`. */
uint32_t ll_tf_block_of(const struct ll_function *fn, uint32_t e);

/*
 * True when block `to` is reachable from block `from` without entering
 * block `avoid` (UINT32_MAX: none).  `seen` and `stack` are scratch of
 * fn->nblocks elements.
 */
bool ll_tf_reaches(const struct ll_function *fn, uint32_t from, uint32_t to, uint32_t avoid,
                   uint8_t *seen, uint32_t *stack);

#endif
