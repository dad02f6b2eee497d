/*
 * dataflow: the locks held at every event of a function.
 *
 * A forward analysis over the function's CFG whose state is a small set of
 * disjuncts (path-sensitive up to LL_DF_MAX_DISJUNCTS, then joined).  Each
 * disjunct maps every lock the function names to one of: as the caller
 * left it (ENTRY), held (HELD), not held (FREE), and remembers the outcome
 * of side-effect-free branch conditions over locals, so that `if (f)
 * lock(); ... if (f) unlock();` is understood.  Branches on the result of a
 * trylock or a checked lock call split the state: the success edge holds
 * the lock, the failure edge does not.
 *
 * It computes facts, not findings: rules read the result through view.h.
 */
#ifndef LL_DATAFLOW_H
#define LL_DATAFLOW_H

#include "ir.h"
#include "pathset.h"
#include "summary.h"

#include <stdbool.h>
#include <stdint.h>

#define LL_DF_MAX_DISJUNCTS LL_PS_MAX_DISJUNCTS

/* Lock state bits; a state is the union over the paths reaching a point. */
enum {
    LL_LS_ENTRY = 1,  /* as the caller left it */
    LL_LS_HELD = 2,   /* held by this function */
    LL_LS_FREE = 4,   /* not held: released on the path */
    LL_LS_SHARED = 8, /* held in shared (read) mode on some path */
    LL_LS_NEVER = 16, /* not held since the thread started (roots only) */
};

struct ll_df_lock {
    const char *key, *text, *cls;
    uint8_t kind;               /* enum ll_lock_kind of its first use */
    bool recursive;             /* initialised as recursive in this function */
    bool caller_held;           /* released before any acquisition: the caller holds it at
                                   entry, and the analysis starts with it HELD */
    const struct ll_path *path; /* first occurrence */
};

/* One path's state at a return: what the caller can tell from the value
 * returned (what the path's branches said of the returned variable, or
 * the constant). */
struct ll_df_exit {
    uint32_t event;    /* the RETURN event */
    uint8_t signs;     /* LL_PS_* signs the returned value can have on this path */
    const uint8_t *st; /* nlocks: the lock states before the return */
};

/* What a RETURN event gives, for its signs and for the summary: the
 * returned constant or local (result_var), else the object it names when
 * reached from a local (aux: `n->obj`, "e^entry", "f()" of `return
 * f(x);`), else NULL. */
const char *ll_returned_name(const struct ll_event *ev);

struct ll_df_result {
    uint32_t nlocks;
    struct ll_df_lock *locks;
    uint32_t nevents;
    uint8_t *state;   /* nevents * nlocks: state before each event */
    uint8_t *reached; /* per event: 1 when some path reaches it */
    uint32_t nexits;
    struct ll_df_exit *exits; /* the path states at the reached returns */
};

/*
 * Runs the analysis on `fn`, whose strings must be interned (ir.h): branch
 * conditions, their variables, result variables and the locals written
 * are matched by pointer (none of these is ever rewritten after parsing).  With env->entry_free
 * (thread roots, main) every lock starts NEVER held instead of as the
 * caller left it.  Memory comes from `arena`.  Returns 0, or -1 when out
 * of memory.
 */
struct ll_df_env {
    bool entry_free;
    /* True when the call event may acquire locks (a program function that
     * takes some lock, directly or through its callees): after it, a lock
     * this function does not hold is "as the callee left it" (ENTRY). */
    bool (*call_may_lock)(const struct ll_event *call, void *ctx);
    /* The callee summary's effects at call event `event`, rewritten in this
     * function's terms (see summary.h); NULL when none. */
    const struct ll_effect *(*call_effects)(uint32_t event, size_t *n, void *ctx);
    void *ctx;
    /* Working memory, reset by the run (its chunks serve run after run),
     * or NULL for an arena of the run's own. */
    struct ll_arena *scratch;
    /* True when the call event never returns (a callee inferred to end
     * every path in exit, abort, ...): paths end there, as at a call the
     * frontend marks LL_EVF_NORETURN.  NULL: none does. */
    bool (*call_dies)(uint32_t event, void *ctx);
    /* A run for one value of a parameter: parameter `seed_param` is
     * `seed_value`, which decides the branches that test it and the guards
     * of callee effects it is passed to (summary.h). */
    bool seeded;
    uint32_t seed_param;
    int64_t seed_value;
    /* Branches on calls of side-effect-free functions, per block, and the
     * events whose effects are unknown, per event (ll_pathset_set_calls());
     * NULL: none. */
    const struct ll_cond *const *call_conds;
    const uint8_t *opaque_events;
};

int ll_dataflow_run(const struct ll_function *fn, const struct ll_df_env *env,
                    struct ll_arena *arena, struct ll_df_result *out);

/* Index of the lock with `key`, or -1. */
int ll_df_lock_index(const struct ll_df_result *r, const char *key);

static inline uint8_t ll_df_state(const struct ll_df_result *r, uint32_t event, uint32_t lock)
{
    return r->state[(size_t)event * r->nlocks + lock];
}

#endif
