/*
 * view: the one read-only API rules see.  Building it runs every
 * whole-program phase: linking (program.h), the call graph and thread roots
 * (callgraph.h), then, bottom-up over the call graph's components, each
 * function's lock state (dataflow.h) with its callees' summaries
 * instantiated at the calls, and its own summary (summary.h); finally the
 * lock-order graph (lockgraph.h).  Rules read this and call the report
 * API; they include neither libclang nor SQLite.
 */
#ifndef LL_VIEW_H
#define LL_VIEW_H

#include "callgraph.h"
#include "dataflow.h"
#include "ir.h"
#include "lockgraph.h"
#include "program.h"
#include "report.h"
#include "summary.h"
#include "threadflow.h"

#include <stdbool.h>
#include <stddef.h>

/* What a call event does, in the caller's terms. */
struct ll_call_info {
    long callee; /* program function index, or -1 */
    size_t neffects, ntakes;
    struct ll_effect *effects;
    struct ll_take *takes; /* the callee's acquisitions, instantiated */
};

/* A declared lock order ("first before second"), from the configuration. */
struct ll_order_decl {
    const char *first, *second; /* lock names: a global, `alice.lock`, a class */
    struct ll_site site;        /* where it was declared */
};

struct ll_fn_view {
    uint32_t index; /* in the program */
    const struct ll_function *fn;
    const struct ll_tu_facts *tu;
    struct ll_df_result df;
    struct ll_tf_result tf; /* the threads it creates (threadflow.h) */
    bool is_main, is_start_routine;
    struct ll_call_info **calls; /* per event: NULL unless a call to a program function */
    bool single_threaded;        /* runs only while no other thread does (see below) */
    uint8_t *quiet;              /* main only: per event, 1 when no created thread can run */
    struct ll_summary summary;
};

struct ll_race_result;

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
    struct ll_lg_cycle *cycles;   /* elementary cycles of the lock-order graph */
    struct ll_tf_program threads; /* join wrappers, joined handle classes */
    struct ll_race_result *race;  /* the shared accesses (race.h), the last phase */
};

/* Runs the whole-program phases on interned facts (ir.h), with the declared
 * lock order (`order`, borrowed: it must outlive the view).  Returns 0 or
 * -1 when out of memory.  Release with ll_view_release() either way. */
int ll_view_build(struct ll_view *v, const struct ll_tu_facts *tus, size_t ntus,
                  const struct ll_order_decl *order, size_t norder);
void ll_view_release(struct ll_view *v);

/*
 * main's code before its first thread creation and after it has joined
 * every thread is single-threaded.  `quiet` marks those events of main
 * (approximated in event order: before the first creation, or after the
 * last join when no creation follows); a function is single_threaded when
 * every call to it comes from such code.
 */
bool ll_view_event_single_threaded(const struct ll_fn_view *f, uint32_t e);

/* A thread root: main or a start routine (its entry holds no lock). */
static inline bool ll_fn_view_is_root(const struct ll_fn_view *f)
{
    return f->is_main || f->is_start_routine;
}

/* The report site of a location in f's TU, with an optional message. */
struct ll_site ll_view_site(const struct ll_fn_view *f, struct ll_loc loc, const char *message);

/* True when the location lies in a system header. */
bool ll_view_in_system_header(const struct ll_fn_view *f, struct ll_loc loc);

/* True when the lock state `st` says "not held" on some path: released
 * there, or never taken since the thread started. */
bool ll_view_not_held_somewhere(uint8_t st);

/* True when lock `lock` of f is recursive: a recursive kind at its use, a
 * recursive initialisation of its class anywhere in the program, or a
 * global with a recursive static initialiser. */
bool ll_view_lock_recursive(const struct ll_view *v, const struct ll_fn_view *f, uint32_t lock);

/* Same question for a lock path seen anywhere (e.g. in a summary). */
bool ll_view_path_recursive(const struct ll_view *v, const struct ll_path *p);

/*
 * Adds notes saying where lock `l` of f, held at event e, was acquired: the
 * nearest acquisition before e, and when that was a call to an inferred
 * wrapper, the wrapper's own acquisition ("'stats_lock' acquires
 * 's->lock'").  Returns 0 or -1 when out of memory.
 */
int ll_view_note_acquired(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                          uint32_t l, struct ll_report *r, struct ll_finding *fd);

/* What lock l of f looks like to f's callers, judged from its returns:
 * acquired on every return, released on every return, or acquired exactly
 * when the return value says so.  False when none of these. */
bool ll_view_lock_effect(const struct ll_fn_view *f, uint32_t l, struct ll_effect *x);

/* The name of the first thread root reaching function `fn` ("main",
 * "worker"), or NULL when none does. */
const char *ll_view_root_name(const struct ll_view *v, uint32_t fn);

/* Roots in a bitset (cg.root_words words): how many distinct, and whether
 * one of them runs as several threads at once. */
uint32_t ll_view_count_roots(const struct ll_view *v, const uint64_t *roots, bool *multi);

#endif
