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

#include <stdbool.h>
#include <stdint.h>

#define LL_DF_MAX_DISJUNCTS 16

/* Lock state bits; a state is the union over the paths reaching a point. */
enum {
    LL_LS_ENTRY = 1,  /* as the caller left it */
    LL_LS_HELD = 2,   /* held by this function */
    LL_LS_FREE = 4,   /* not held (released, or never held in a thread root) */
    LL_LS_SHARED = 8, /* held in shared (read) mode on some path */
};

struct ll_df_lock {
    const char *key, *text, *cls;
    uint8_t kind;   /* enum ll_lock_kind of its first use */
    bool recursive; /* initialised as recursive in this function */
    const struct ll_path *path; /* first occurrence */
};

struct ll_df_result {
    uint32_t nlocks;
    struct ll_df_lock *locks;
    uint32_t nevents;
    uint8_t *state;   /* nevents * nlocks: state before each event */
    uint8_t *reached; /* per event: 1 when some path reaches it */
};

/*
 * Runs the analysis on `fn`; with `entry_free` (thread roots, main) every
 * lock starts not held instead of as the caller left it.  Memory comes from
 * `arena`.  Returns 0, or -1 when out of memory.
 */
int ll_dataflow_run(const struct ll_function *fn, bool entry_free, struct ll_arena *arena,
                    struct ll_df_result *out);

/* Index of the lock with `key`, or -1. */
int ll_df_lock_index(const struct ll_df_result *r, const char *key);

static inline uint8_t ll_df_state(const struct ll_df_result *r, uint32_t event, uint32_t lock)
{
    return r->state[(size_t)event * r->nlocks + lock];
}

#endif
