/*
 * view_internal: the view's representation and its build phases, for the
 * engine (the driver, race.c, live_reach.c, the view's own files and the
 * unit tests).  Rules see none of this: they ask view.h.
 *
 * ll_view_build() (view.c) runs the phases in this order, every one before
 * any rule:
 *   1. program.h     link the TUs by USR
 *   2. callgraph.h   call graph, SCCs, thread roots and who reaches what
 *   3. view_summaries.c    bottom-up: call infos, lock state (dataflow.h),
 *                          summaries (summary.h)
 *   4. mhp.h         which threads may run at the same time
 *   5. view_single_threaded.c   code that runs while no other thread does
 *   6. view_lockgraph.c    the lock-order graph, then its cycles (lockgraph.h)
 *   7. threadflow.h  the threads each function creates, loops; then
 *                    threadsum.h: thread exits, waits and joins through calls
 *   8. race.h        the shared accesses (through live_reach.h)
 */
#ifndef LL_VIEW_INTERNAL_H
#define LL_VIEW_INTERNAL_H

#include "callgraph.h"
#include "dataflow.h"
#include "lockgraph.h"
#include "mhp.h"
#include "program.h"
#include "race.h"
#include "summary.h"
#include "threadflow.h"
#include "threadsum.h"
#include "view.h"

struct ll_fn_view {
    uint32_t index; /* in the program */
    const struct ll_function *fn;
    const struct ll_tu_facts *tu;
    struct ll_df_result df;
    struct ll_tf_result tf; /* the threads it creates (threadflow.h) */
    bool is_main, is_start_routine;
    bool is_dispatcher; /* made up (a call through a slot, a library's callers): not reported on */
    struct ll_call_info **calls; /* per event: NULL unless a call to a program function */
    bool single_threaded;        /* runs only while no other thread does */
    uint8_t *quiet;              /* entered with no thread running: per event, 1 when none runs */
    uint8_t *doomed;             /* per event: 1 in a block every path from which ends the
                                    process (doomed.h), or NULL when none is */
    uint8_t *init_failure;       /* per event: 1 in a block that runs only after the
                                    initialisation of a lock or condition failed
                                    (init_failure.h), or NULL when none does */
    struct ll_summary summary;
};

struct ll_view {
    struct ll_program program;
    struct ll_callgraph cg;
    struct ll_arena arena;
    struct ll_arena scratch; /* working memory of each function's analyses */
    size_t nfns;
    struct ll_fn_view *fns;
    struct ll_strmap recursive_classes; /* lock classes initialised recursive */
    struct ll_strmap recursive_globals; /* USRs of globals initialised recursive */
    struct ll_lockgraph graph;
    const struct ll_order_decl *order; /* declared hierarchy (borrowed), an input of the build */
    size_t norder;
    size_t ncycles;
    struct ll_lg_cycle *cycles;     /* elementary cycles of the lock-order graph */
    struct ll_tf_program threads;   /* join wrappers, joined handle classes */
    struct ll_mhp mhp;              /* which threads may run at the same time */
    uint8_t *lib_started;           /* per root: an entry point of a library, or a thread
                                       it starts only from them (NULL: not a library) */
    struct ll_thread_summary *tsum; /* per function: exits, waits, joins (threadsum.h) */
    struct ll_race_result race;     /* the shared accesses, the last phase */
};

void ll_view_release(struct ll_view *v);

/* Phase 3: every function's call infos, lock state and summary.  Returns
 * 0 or -1 (out of memory). */
int ll_view_summarise(struct ll_view *v);

/* Phase 5: marks the quiet events and the single-threaded functions.
 * Returns 0 or -1. */
int ll_view_mark_single_threaded(struct ll_view *v);
/* Fills v->lib_started (see ll_view_root_library_started()), after mhp. */
int ll_view_mark_library_started(struct ll_view *v);

/*
 * Code that runs while no other thread does: a function entered only
 * while no thread runs (main; a function every call of which is at such
 * an event) is quiet at the events where it has no thread of its own
 * running (mhp.h's running sets: before its first creation, after it has
 * joined them all; `quiet`); one that also creates none is
 * single_threaded throughout.
 */
bool ll_view_event_single_threaded(const struct ll_fn_view *f, uint32_t e);

/* Phase 6: the lock-order graph's nodes and edges.  Returns 0 or -1. */
int ll_view_build_lockgraph(struct ll_view *v);

/* The site of the nearest acquisition of lock l before event e of f (an
 * acquire event or a call whose effect takes it), else f's own site. */
struct ll_site ll_fn_acquisition_site(const struct ll_fn_view *f, uint32_t e, uint32_t l);

static inline bool ll_event_acquires(const struct ll_event *ev)
{
    return ev->kind == LL_EV_ACQUIRE || ev->kind == LL_EV_TRYACQUIRE;
}

static inline bool ll_path_param_rooted(const struct ll_path *p)
{
    return p->root == LL_ROOT_PARAM;
}

#endif
