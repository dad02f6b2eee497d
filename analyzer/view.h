/*
 * view: the questions rules ask about the analysed program, in the terms
 * of the domain -- which locks are held at an event on all paths, some or
 * none, and where they were taken; which threads a function creates and
 * what became of them; what a call does to locks; which threads run a
 * function; the lock-order graph; the shared accesses.  Every answer is
 * computed before any rule runs (view_internal.h lists the phases); the
 * view is read-only to rules, which never see the analyses' own
 * representations (dataflow.h, threadflow.h, program.h, race.h).
 *
 * Events, blocks and access paths are the IR's (ir.h): rules word their
 * findings with them.
 */
#ifndef LL_VIEW_H
#define LL_VIEW_H

#include "bitset.h"
#include "ir.h"
#include "lockgraph.h"
#include "report.h"
#include "summary.h"
#include "threadsum.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ll_view;    /* the analysed program (view_internal.h) */
struct ll_fn_view; /* one function of it */
struct ll_loop;    /* a natural loop of a function's CFG */

/* A declared lock order ("first before second"), from the configuration. */
struct ll_order_decl {
    const char *first, *second; /* lock names: a global, `alice.lock`, a class */
    struct ll_site site;        /* where it was declared */
};

/* Runs every whole-program phase on interned facts (ir.h), with the
 * declared lock order (`order`, borrowed: it must outlive the view), into
 * *v (a struct of view_internal.h).  Returns 0 or -1 when out of memory.
 * Release with ll_view_release() either way. */
int ll_view_build(struct ll_view *v, const struct ll_tu_facts *tus, size_t ntus,
                  const struct ll_order_decl *order, size_t norder);
/* The same, for a library when `entries` says so (program.h; NULL: a
 * program). */
struct ll_entry_points;
int ll_view_build_entries(struct ll_view *v, const struct ll_tu_facts *tus, size_t ntus,
                          const struct ll_order_decl *order, size_t norder,
                          const struct ll_entry_points *entries);

/* ---- functions ------------------------------------------------------- */

/* The program's functions, 0 .. ll_view_nfns() - 1. */
size_t ll_view_nfns(const struct ll_view *v);
const struct ll_fn_view *ll_view_fn(const struct ll_view *v, size_t i);

/* The function after `f` (NULL: the first), or NULL after the last;
 * dispatchers are skipped. */
const struct ll_fn_view *ll_view_next_fn(const struct ll_view *v, const struct ll_fn_view *f);

/* Every function of the program:  LL_FOR_EACH_FN(v, f) { ... }  (not the
 * dispatchers made up for calls through function pointers, which
 * ll_view_fn() and ll_view_callee() do return) */
#define LL_FOR_EACH_FN(v, f)                                                                       \
    for (const struct ll_fn_view *f = ll_view_next_fn((v), NULL); f; f = ll_view_next_fn((v), f))

/* f's facts: name, events, blocks, parameters (ir.h). */
const struct ll_function *ll_fn_ir(const struct ll_fn_view *f);
uint32_t ll_fn_index(const struct ll_fn_view *f); /* in the program */
bool ll_fn_is_main(const struct ll_fn_view *f);
/* A thread root: main or a start routine (its entry holds no lock). */
bool ll_fn_is_root(const struct ll_fn_view *f);
/* Made up by the analysis: a call through a slot that can hold several
 * functions (it calls each), or a library's "<entry points>". */
bool ll_fn_is_dispatcher(const struct ll_fn_view *f);

/* Whether event e of f lies on a path that ends the process: every path
 * from it reaches a call that never returns (`abort()`, a project's
 * `fatal()`).  What happens there happens once, while the program dies. */
bool ll_fn_event_doomed(const struct ll_fn_view *f, uint32_t e);
/* Whether event e of f runs only after the initialisation of a lock or
 * condition failed (init_failure.h). */
bool ll_fn_event_on_init_failure(const struct ll_fn_view *f, uint32_t e);

/* The report site of a location in f's TU, with an optional message. */
struct ll_site ll_view_site(const struct ll_fn_view *f, struct ll_loc loc, const char *message);
/* True when the location lies in a system header. */
bool ll_view_in_system_header(const struct ll_fn_view *f, struct ll_loc loc);

/* What f does to locks, as its callers see it (summary.h). */
const struct ll_summary *ll_fn_summary(const struct ll_fn_view *f);

/* ---- events ---------------------------------------------------------- */

/* A set of event kinds, for the iterators. */
#define LL_EVK(kind) (1u << (kind))
#define LL_EVK_ACQUIRES (LL_EVK(LL_EV_ACQUIRE) | LL_EVK(LL_EV_TRYACQUIRE))
#define LL_EVK_ALL (~0u)

/* True when event e is a sleep-family call (`sleep`, `usleep`, `nanosleep`,
 * `thrd_sleep`, ... as lockapi.c lists them). */
bool ll_event_sleeps(const struct ll_event *ev);

/* True when event e ends the calling thread only (`pthread_exit`,
 * `thrd_exit`). */
bool ll_event_ends_thread(const struct ll_event *ev);

/* True when some path reaches event e (as the lock-state analysis follows
 * paths: a lock call's failure edge holds nothing). */
bool ll_fn_reached(const struct ll_fn_view *f, uint32_t e);
/* The first reached event at or after e whose kind is in `kinds`, or the
 * number of events when none is. */
uint32_t ll_fn_next_reached(const struct ll_fn_view *f, uint32_t e, uint32_t kinds);
/* The nearest reached event before e of a kind in `kinds` on lock l (its
 * object is l), or UINT32_MAX. */
uint32_t ll_fn_prev_on_lock(const struct ll_fn_view *f, uint32_t e, uint32_t kinds, uint32_t l);

/* Every reached event of f of a kind in `kinds`, in event order:
 *     LL_FOR_EACH_REACHED(f, e, LL_EVK(LL_EV_RELEASE)) { ... } */
#define LL_FOR_EACH_REACHED(f, e, kinds)                                                           \
    for (uint32_t e = ll_fn_next_reached((f), 0, (kinds)); e < ll_fn_ir(f)->nevents;               \
         e = ll_fn_next_reached((f), e + 1, (kinds)))

/* ---- locks ----------------------------------------------------------- */

/* The locks f names, 0 .. ll_fn_nlocks() - 1. */
uint32_t ll_fn_nlocks(const struct ll_fn_view *f);

struct ll_lock_info {
    const char *text, *cls;     /* as first written; its class or NULL */
    const struct ll_path *path; /* its first occurrence */
    uint8_t kind;               /* enum ll_lock_kind of its first use */
    bool caller_held;           /* released before any acquisition: the caller holds it */
};
struct ll_lock_info ll_fn_lock(const struct ll_fn_view *f, uint32_t l);

/* The lock of f that path p names (by key), or -1. */
int ll_fn_lock_of(const struct ll_fn_view *f, const struct ll_path *p);

/* How a lock stands at a point, over the paths reaching it: each field
 * says "on some path". */
struct ll_lock_state {
    bool held;     /* this thread holds it */
    bool released; /* not held: released, or never taken since the thread started */
    bool unknown;  /* as the caller left it */
    bool shared;   /* held in read mode */
};

/* Lock l before event e of f. */
struct ll_lock_state ll_fn_lock_at(const struct ll_fn_view *f, uint32_t e, uint32_t l);
/* Lock l at f's returns: the union over every reached return. */
struct ll_lock_state ll_fn_lock_at_returns(const struct ll_fn_view *f, uint32_t l);
/* Lock l counted as a recursive mutex: on every path to event e, f has
 * acquired it more often than it released it, so the thread still holds
 * it (ll_fn_lock_at() says released after the inner release of a lock
 * taken twice).  False when e is not reached, or when a call of f takes
 * or releases l (acquisitions through calls are not counted). */
bool ll_fn_lock_count_held(const struct ll_fn_view *f, uint32_t e, uint32_t l);

enum ll_held { LL_HELD_NONE, LL_HELD_SOME, LL_HELD_ALL };

/* On how many of the paths the lock is held. */
static inline enum ll_held ll_lock_held(struct ll_lock_state s)
{
    if (!s.held)
        return LL_HELD_NONE;
    return s.released || s.unknown ? LL_HELD_SOME : LL_HELD_ALL;
}

/* As the caller left it on every path: f has not touched it. */
static inline bool ll_lock_untouched(struct ll_lock_state s)
{
    return s.unknown && !s.held && !s.released;
}

/* True when lock l of f is recursive: a recursive kind at its use, a
 * recursive initialisation of its class anywhere in the program, or a
 * global with a recursive static initialiser. */
bool ll_view_lock_recursive(const struct ll_view *v, const struct ll_fn_view *f, uint32_t l);
/* Same question for a lock path seen anywhere (e.g. in a summary). */
bool ll_view_path_recursive(const struct ll_view *v, const struct ll_path *p);

/* Where lock l, held at event e of f, was taken: the nearest acquisition
 * before e, or the call of an inferred wrapper that acquired it. */
struct ll_acquisition {
    struct ll_site site;            /* the acquisition, or the call */
    const char *text;               /* the lock as f writes it */
    const char *wrapper;            /* the called wrapper's name, or NULL */
    const struct ll_effect *effect; /* the wrapper's effect: where and what it acquires */
};
/* Returns true and fills *out, or false when no acquisition precedes e. */
bool ll_fn_acquired_where(const struct ll_fn_view *f, uint32_t e, uint32_t l,
                          struct ll_acquisition *out);

/* What lock l of f looks like to f's callers, judged from its returns:
 * acquired on every return, released on every return, or acquired exactly
 * when the return value says so.  False when none of these. */
bool ll_fn_lock_effect(const struct ll_fn_view *f, uint32_t l, struct ll_effect *x);

/* True when f counts as a conditional wrapper of lock l only because it
 * returns 0 exactly when it holds l and releases it on its other returns,
 * while taking l cannot fail: "locked on success" is then a guess that
 * f's callers confirm by testing its result. */
bool ll_fn_lock_held_on_success(const struct ll_fn_view *f, uint32_t l);

/* ---- calls ----------------------------------------------------------- */

/* What a call event does, in the caller's terms. */
struct ll_call_info {
    long callee; /* program function index, or -1 */
    size_t neffects, ntakes;
    struct ll_effect *effects;
    struct ll_take *takes; /* the callee's acquisitions, instantiated */
    size_t nuntaken;
    const char **untaken; /* keys the arguments say the callee never acquires (a guarded
                             TAKE decided false): its pairs into them do not happen */
};

/* Whether the call's arguments say the callee never acquires `key`. */
bool ll_call_untaken(const struct ll_call_info *ci, const char *key);

/* Call event e of f when it calls a program function, else NULL. */
const struct ll_call_info *ll_fn_call(const struct ll_fn_view *f, uint32_t e);
/* The program function event e (a call or a thread creation) of f names,
 * or NULL when it is not in the program. */
const struct ll_fn_view *ll_view_callee(const struct ll_view *v, const struct ll_fn_view *f,
                                        uint32_t e);

/* ---- condition waits and lock lifecycles ----------------------------- */

/* True when the wait at event e of f (a condition wait, or a call to a
 * wait wrapper) is re-checked: it sits in a loop and every path from it
 * goes back to a loop head or out of the loop before it joins code that
 * also runs without waiting (waitloop.h).  A call to a wrapper that waits
 * only under `if` counts as a path that may not wait. */
bool ll_fn_wait_rechecked(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e);

/* The lock event ev acts on (its object; the mutex of a condition wait),
 * or NULL when it acts on none. */
const struct ll_path *ll_event_lock(const struct ll_event *ev);

/* Calls visit(ctx, x) for each event x that is the next use of event e's
 * lock on some path from e (lockuse.h); a path stops where a variable in
 * the lock's path changes and at a call to a program function (which may
 * initialise the lock again).  Returns 0, or -1 when out of memory. */
int ll_fn_next_lock_uses(const struct ll_fn_view *f, uint32_t e,
                         void (*visit)(void *ctx, uint32_t x), void *ctx);

/* The same from a LOCK_COPY event e (a lock that is a copy): the next
 * acquisitions, releases, waits, inits and destroys of the copy; a call
 * stops a path only when it is given the copy's variable, and is itself
 * visited when its callee acquires or releases the copy (its summary).
 * Returns 0, or -1 when out of memory. */
int ll_fn_next_copy_uses(const struct ll_fn_view *f, uint32_t e,
                         void (*visit)(void *ctx, uint32_t x), void *ctx);

/* The same for the lock whose path has key `key`, from event e: a call
 * given the key's variable stops a path, and is visited when its callee
 * acquires or releases that lock.  Returns 0, or -1 when out of memory. */
int ll_fn_next_uses_of(const struct ll_fn_view *f, uint32_t e, const char *key,
                       void (*visit)(void *ctx, uint32_t x), void *ctx);

/* True when event ev is a direct call of a C library allocator (malloc,
 * calloc, ...) whose result a local takes (ev->result_var). */
bool ll_event_allocates(const struct ll_event *ev);

/* ---- threads a function creates ------------------------------------- */

/* Each thread creation of f is one tracked thread, 0 .. ll_fn_nthreads() - 1. */
uint32_t ll_fn_nthreads(const struct ll_fn_view *f);

struct ll_thread {
    uint32_t event;               /* the THREAD_CREATE event */
    const struct ll_path *handle; /* its handle */
    bool by_class;                /* an array element: joins match the class `t[]` */
    bool local;                   /* the handle is an automatic variable (or a part of one) */
    bool detached;                /* created detached: attribute or self-detaching routine */
};
struct ll_thread ll_fn_thread(const struct ll_fn_view *f, uint32_t t);

/* What may have become of a thread at a point, each field on some path. */
struct ll_thread_state {
    bool none;      /* not created (or the creation failed) */
    bool running;   /* created joinable, neither joined nor detached yet */
    bool joined;    /* joined */
    bool detached;  /* detached */
    bool escaped;   /* its handle was given to code that may join it */
    bool cancelled; /* pthread_cancel()ed, not joined: runs to its next cancellation point */
};

/* A thread that may still run (and use what it was given). */
static inline bool ll_thread_alive(struct ll_thread_state s)
{
    return s.running || s.detached || s.escaped || s.cancelled;
}

/* True when some path reaches event e as the thread-handle analysis
 * follows paths (a creation's failure edge carries no thread). */
bool ll_fn_thread_reached(const struct ll_fn_view *f, uint32_t e);
/* Thread t before event e of f. */
struct ll_thread_state ll_fn_thread_at(const struct ll_fn_view *f, uint32_t e, uint32_t t);
/* True when path p (a join's or detach's handle) names thread t's handle. */
bool ll_fn_names_thread(const struct ll_fn_view *f, uint32_t t, const struct ll_path *p);

/* Every event e reached as the thread-handle analysis sees paths, of a
 * kind in `kinds`. */
uint32_t ll_fn_next_thread_reached(const struct ll_fn_view *f, uint32_t e, uint32_t kinds);
#define LL_FOR_EACH_THREAD_REACHED(f, e, kinds)                                                    \
    for (uint32_t e = ll_fn_next_thread_reached((f), 0, (kinds)); e < ll_fn_ir(f)->nevents;        \
         e = ll_fn_next_thread_reached((f), e + 1, (kinds)))

/* Handles of class `cls` are joined or detached somewhere in the program. */
bool ll_view_class_joined(const struct ll_view *v, const char *cls);
/* Semaphores of class `cls` are posted somewhere in the program. */
bool ll_view_class_posted(const struct ll_view *v, const char *cls);

/* ---- loops (only in functions that create threads or call a function
 *      that leaves threads behind) ---------------------------------------- */

/* f's natural loops, innermost (smallest) first. */
uint32_t ll_fn_nloops(const struct ll_fn_view *f);
const struct ll_loop *ll_fn_loop(const struct ll_fn_view *f, uint32_t k);
uint32_t ll_loop_head(const struct ll_loop *l);
bool ll_loop_has_block(const struct ll_loop *l, uint32_t b);
/* Thread t may still run at the end of some iteration of loop l. */
bool ll_fn_thread_outlives_iteration(const struct ll_fn_view *f, const struct ll_loop *l,
                                     uint32_t t);

/* The block of f holding event e. */
uint32_t ll_fn_block_of(const struct ll_fn_view *f, uint32_t e);
/* True when block `to` of f is reachable from block `from` without entering
 * block `avoid` (UINT32_MAX: none).  `seen` and `stack` are scratch of
 * nblocks elements. */
bool ll_fn_block_reaches(const struct ll_fn_view *f, uint32_t from, uint32_t to, uint32_t avoid,
                         uint8_t *seen, uint32_t *stack);

/* ---- thread effects through calls (threadsum.h) ---------------------- */

/* What f does to threads as its callers see it: the thread exit, the
 * condition wait and the joins it may perform, itself or in a callee. */
const struct ll_thread_summary *ll_fn_thread_summary(const struct ll_view *v,
                                                     const struct ll_fn_view *f);
/* Call event e of f calls a function that leaves a thread running when it
 * returns (it creates one and joins nothing); *creator and *creation (may
 * be NULL) name the creation. */
bool ll_view_call_spawns(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                         const struct ll_fn_view **creator, uint32_t *creation);
/* Event e of f may join a thread: a join, or a call of a function that
 * joins one (itself or in a callee). */
bool ll_view_event_joins(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e);

/* ---- which threads run a function ------------------------------------ */

/* The name of the first thread root reaching function `fn` ("main",
 * "worker"), or NULL when none does. */
const char *ll_view_root_name(const struct ll_view *v, uint32_t fn);
/* Root r: its start routine's name, and whether it runs as several
 * threads at once. */
const char *ll_view_root_fn_name(const struct ll_view *v, uint32_t r);
bool ll_view_root_multi(const struct ll_view *v, uint32_t r);
/* Every creation of root r lies in code no thread reaches (ll_mhp_unreached()). */
bool ll_view_root_unreached(const struct ll_view *v, uint32_t r);
/* Root r is a library's "<entry points>" whose entry points are every
 * exported function: that two of them run at once is the analysis's
 * assumption about the library's users, not something the code shows. */
bool ll_view_root_assumed(const struct ll_view *v, uint32_t r);
/* Root r is a thread such a library starts itself: every function that
 * may start it runs only in the assumed entry points or in other threads
 * the library starts, so it exists only after some entry point ran (a
 * set-up function its users call first runs before it). */
bool ll_view_root_library_started(const struct ll_view *v, uint32_t r);
/* Roots in a bitset (bitset.h, ll_view_root_words() words): how many distinct, and
 * whether one of them runs as several threads at once. */
uint32_t ll_view_count_roots(const struct ll_view *v, const uint64_t *roots, bool *multi);
uint32_t ll_view_root_words(const struct ll_view *v);
/* Roots x and y may run at the same time (x == y: two instances of it):
 * the may-happen-in-parallel relation of creation and join order (mhp.h). */
bool ll_view_roots_parallel(const struct ll_view *v, uint32_t x, uint32_t y);
/* The root whose start routine (or main) function fn is, or -1. */
long ll_view_root_of(const struct ll_view *v, uint32_t fn);
/* Root r's function (its start routine, or main). */
uint32_t ll_view_root_fn(const struct ll_view *v, uint32_t r);
/* The root whose one thread makes every creation of root r, or -1 (mhp.h). */
long ll_view_root_parent(const struct ll_view *v, uint32_t r);
/* The roots reaching function fn through calls (ll_view_root_words() words). */
const uint64_t *ll_view_fn_roots(const struct ll_view *v, uint32_t fn);
/* f calls itself, directly or through others. */
/* Per program function, whether its address is taken anywhere (so it is
 * called from places not seen): a calloc'ed array the caller frees, or
 * NULL when out of memory. */
bool *ll_view_address_taken(const struct ll_view *v);
bool ll_fn_recursive(const struct ll_view *v, const struct ll_fn_view *f);

/* ---- the lock-order graph -------------------------------------------- */

const struct ll_lockgraph *ll_view_lockgraph(const struct ll_view *v);
/* Its elementary cycles (at most a bounded number). */
const struct ll_lg_cycle *ll_view_cycles(const struct ll_view *v, size_t *n);
/* The declared lock order the view was built with. */
const struct ll_order_decl *ll_view_order(const struct ll_view *v, size_t *n);

/* ---- shared accesses (race.c) ---------------------------------------- */

/* The program's shared memory accesses, each with the locks held at it and
 * the thread roots that may run it concurrently (race.c says what is
 * kept), sorted by group (location class), then function and event. */
struct ll_race_lock {
    const char *id;   /* program-wide identity: a global object, else its class */
    const char *cls;  /* its class ("struct queue.lock"), or NULL */
    const char *emb;  /* its class with the embedding path ("struct conn.in.lock"), or NULL */
    const char *text; /* as written where it was taken */
    bool concrete;    /* id names one global object */
    bool shared;      /* held in read mode on some path */
};

/* A critical section that began before a thread creation: what the
 * creator does in it happens before what the created thread does after it
 * has taken that lock itself. */
struct ll_race_region {
    struct ll_race_lock lock;
    uint32_t root; /* the thread created while the lock was held */
};

/* A hand-off channel an access publishes on or observes (handoff.h). */
struct ll_handoff_mark {
    uint32_t chan; /* index into the race phase's channels */
    bool full;     /* on every path, else on some */
    bool looped;   /* publishing: the access may run again after the flag was set */
    bool by_type;  /* a queue's: on every path only if a container matched with the lock
                      by type alone counts (handoff.h) */
    bool fresh;    /* observing in full: its function has not set the flag since the wait,
                      on every path (a ping-pong's side, handoff.h) */
};

struct ll_race_access {
    uint32_t fn, event;   /* the program function and its ACCESS event */
    const char *group;    /* location class: accesses that may alias share it */
    const char *concrete; /* one global object ("usr|g.x[]"), or NULL when reached
                             through a pointer; two concrete ones alias only when equal */
    const char *emb;      /* its class with the embedding path ("struct conn.in.n"), or
                             NULL: within a group, accesses alias when these may
                             (ll_class_may_alias()) */
    const char *name;     /* the location as users read it ("hits", "struct stats.hits") */
    bool write;
    bool atomic;         /* an atomic access (it races only with plain ones) */
    bool from_start_arg; /* reached through a thread's start argument */
    /* The one block it lies in, when that is known ("@usr|c->n": a fresh
     * block the creator's local `c` gave a thread as its start argument),
     * or NULL; `exclusive`: it aliases only accesses of that same block
     * (the thread's own view of it), never by class. */
    const char *object;
    bool exclusive;
    uint8_t depth;             /* calls from the nearest thread root to its function
                                  (live_reach.h; 255 at most) */
    const uint8_t *root_depth; /* per root: calls from it to the function (255: far) */
    /* Semaphore classes (NULL-terminated, or NULL for none) its function
     * posts after it, and waits on (untimed) before it, in evaluation
     * order: `data = x; sem_post(&ready);` happens before
     * `sem_wait(&ready); use(data);`. */
    const char **posts_after, **waits_before;
    /* Hand-off channels (a flag under a lock, handoff.h) it publishes on
     * (the flag is set after it) and observes (a wait loop on the flag
     * ran before it). */
    uint16_t npub, nobs;
    struct ll_handoff_mark *pub, *obs;
    uint32_t nlocks;
    struct ll_race_lock *locks;
    /* Locks its thread has taken (and maybe released) on every path since
     * it started, when its function is a start routine; and the critical
     * sections of its function it lies in that a thread creation began in. */
    uint32_t ntaken, nregions;
    struct ll_race_lock *taken;
    struct ll_race_region *regions;
    /* Its barrier phase, when its function is a thread's start routine (or
     * main) that waits on one global barrier unconditionally: the waits
     * before it (in a loop: since the loop's head, modulo the waits per
     * iteration).  NULL barrier: none. */
    const char *barrier;
    uint16_t phase, nphases;
    bool phase_looped;
    uint64_t *roots;    /* cg.root_words words: roots that may run it concurrently */
    uint64_t *sure;     /* those of them that reach it without a call through a slot
                           that can hold several functions (a guess which one runs) */
    uint64_t *with;     /* when main's thread runs it: the roots that may run meanwhile */
    uint64_t *started;  /* the roots that the thread running it (or a caller on the
                           way) has started and not joined there (mhp.h) and that
                           this record meets, as their ancestor */
    bool desc_only;     /* it meets no one else: the calls its thread makes while
                           those it started run (another record has the others) */
    const char *popped; /* reached through an element its function popped off a shared
                           container under the lock (popped.h): the pop site, or NULL */
    bool settled;       /* a write of a global main sets before any thread, which runs
                           only while the global is zero (settled.h): no race unless
                           the value stored is zero */
};

const struct ll_race_access *ll_view_accesses(const struct ll_view *v, size_t *n);

/* True when a and b may touch the same memory. */
bool ll_race_may_alias(const struct ll_race_access *a, const struct ll_race_access *b);

/*
 * True when a and b can race: they may alias, one is a write, two threads
 * can run them at once, no lock is held at both in modes that exclude
 * each other, and no semaphore orders them (one is before a post of a
 * semaphore the other waits on first; when the earlier one is in a loop,
 * the later one must also post one the earlier waits on, as the two
 * semaphores of a bounded buffer do).  The two threads must be able to
 * overlap there (ll_view_roots_parallel(); a creator only while it has the
 * other running), neither may lie in a critical section its thread
 * held while creating the other (that routine's only creation), which took
 * that lock before the access, and neither thread may run inside a
 * critical section of its creators (its creation lockset, race.h) on a lock
 * the other access holds or the other thread also runs inside.  *ra and *rb receive the
 * roots of such a pair of threads: of all pairs, the one whose roots reach the two accesses in the
 * fewest calls (the likeliest threads to name).
 */
/* Whether the pair of roots ll_race_conflict() gave reaches both accesses
 * surely: no call on the way is through a slot that holds several
 * functions (ll_race_conflict() prefers such a pair). */
bool ll_race_sure_roots(const struct ll_race_access *a, const struct ll_race_access *b, uint32_t ra,
                        uint32_t rb);

bool ll_race_conflict(const struct ll_view *v, const struct ll_race_access *a,
                      const struct ll_race_access *b, uint32_t *ra, uint32_t *rb);

/* Why a hand-off may order two accesses without being proven to. */
struct ll_race_partial {
    const char *flag, *lock; /* the flag (a queue: the container slot first taken from)
                                and the lock, as written */
    bool queue;              /* a queue of pointers, else a flag */
    bool by_type;            /* a queue whose container is matched with the lock only by
                                type on some path, else one put or taken on some paths */
};

/* True when a hand-off through a flag or a queue of pointers under a lock
 * (handoff.h) may order a and b but is not proven to (a flag set on some
 * paths only, a read before the wait, a writer that may set the flag
 * again; an object put in the queue on some paths only, or into a
 * container matched only by type): *why says which. */
bool ll_race_handoff_partial(const struct ll_view *v, const struct ll_race_access *a,
                             const struct ll_race_access *b, struct ll_race_partial *why);

/* True when x and y may be one lock: one global object, or, when either is
 * known only by its class, the same class. */
bool ll_race_same_lock(const struct ll_race_lock *x, const struct ll_race_lock *y);

/* Whether lock x (or one that may be it) is held at a, in any mode. */
bool ll_race_holds(const struct ll_race_access *a, const struct ll_race_lock *x);

#endif
