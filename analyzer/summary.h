/*
 * summary: what a function does to locks, as its callers see it, and how a
 * caller rewrites that in its own terms.
 *
 * A summary is built bottom-up from the function's lock state (dataflow.h)
 * and the summaries of its callees: the locks it leaves acquired or
 * released on every return (wrappers such as `stats_lock(s)`), the locks it
 * acquires or releases only when its return value says so (trylock-style
 * wrappers; a task start that takes the caller's lock over),
 * every acquisition it performs directly or through callees (for the
 * lock-order graph and double locks across calls), the nesting of two locks
 * that involve its parameters (to be resolved at call sites), and whether
 * it may sleep.  Lock paths in a summary are in the function's own terms
 * (parameters, globals); ll_path_instantiate() rewrites them for a call.
 */
#ifndef LL_SUMMARY_H
#define LL_SUMMARY_H

#include "ir.h"
#include "pathset.h"
#include "report.h"

#include <stdbool.h>
#include <stddef.h>

enum ll_effect_op {
    LL_EFF_ACQUIRE,      /* held on every return */
    LL_EFF_RELEASE,      /* released on every return */
    LL_EFF_COND_ACQUIRE, /* held exactly when the return value says success */
    LL_EFF_RECURSIVE,    /* initialised as a recursive mutex (no change of state) */
    LL_EFF_TAKE,         /* guarded only: acquires it on every path without holding it
                            first (no change of state; a double lock if the caller holds it) */
    LL_EFF_COND_RELEASE, /* the caller's lock, released exactly when the return value says
                            success (`if (!start_probe(x)) unlock(&x->lock);`: the callee
                            hands the lock on when it starts the task) */
};

/*
 * A guard: the effect happens only when parameter `param`'s value v
 * satisfies `v CMP k` == truth (enum ll_cmp; `reschedule(ev, true)`
 * releases ev->mx, `reschedule(ev, false)` does not).  At a call it is
 * decided by a constant argument; an argument that is the caller's own
 * variable keeps it, in the caller's terms (`var`, and `param` when that
 * variable is the caller's parameter), for the caller's analysis to
 * decide; any other argument leaves it open (both outcomes).
 */
#define LL_GUARD_IN 0xff /* ll_guard.cmp: the value is one of in[] */
#define LL_GUARD_MAX_IN 4

struct ll_guard {
    uint8_t on;    /* guarded */
    int16_t param; /* the parameter (at a call: the caller's, or -1) */
    uint8_t cmp;   /* enum ll_cmp, or LL_GUARD_IN (a switch's cases that fall
                      through into the effect: `type` is PAUSE_ALL or PAUSE_WORKERS) */
    uint8_t nin;   /* LL_GUARD_IN: the values */
    int64_t in[LL_GUARD_MAX_IN];
    uint8_t truth;   /* the effect happens when the comparison is this */
    int64_t k;       /* the comparison's constant */
    const char *var; /* at a call: the caller's variable passed, or NULL */
    uint8_t decided; /* at a call: a constant argument made it happen (on is then 0) */
};

struct ll_effect {
    uint8_t op;   /* enum ll_effect_op */
    uint8_t mode; /* enum ll_mode */
    uint8_t succ; /* COND_ACQUIRE: signs of the result when held (LL_PS_*: zero for
                     0-on-success, nonzero for a pointer or true, nonnegative);
                     COND_RELEASE: when released */
    uint8_t fail; /* COND_ACQUIRE: signs of the result when not held; COND_RELEASE: when
                     kept */
    uint8_t only; /* guarded TAKE: when the guard fails, no path acquires it at all */
    struct ll_guard guard;
    struct ll_path lock;
    struct ll_site site; /* where the callee acquires or releases it */
};

/* Whether the effect leaves the lock held (on some outcome). */
static inline bool ll_effect_acquires(const struct ll_effect *x)
{
    return x->op == LL_EFF_ACQUIRE || x->op == LL_EFF_COND_ACQUIRE;
}

/* Whether the effect releases the caller's lock (on some outcome). */
static inline bool ll_effect_releases(const struct ll_effect *x)
{
    return x->op == LL_EFF_RELEASE || x->op == LL_EFF_COND_RELEASE;
}

/* An acquisition the function performs, itself or in a callee. */
struct ll_take {
    struct ll_path lock;
    struct ll_site site; /* the innermost acquisition */
    const char *via;     /* the function that acquires it directly */
    uint8_t mode;
    bool fresh;    /* the function did not hold it there: it relies on the caller not holding it */
    bool some;     /* not fresh, but so on some paths: it may acquire it when the caller holds it */
    bool blocking; /* a blocking acquisition (not trylock) */
    bool guessed;  /* only through a call through a function pointer that can hold several
                      functions (resolved without context): it may not happen */
    struct ll_path dropped; /* a lock of its caller's that the function released, on every
                               path, before this acquisition (it drops the caller's lock
                               first): the caller holding it orders nothing; else root NONE */
};

/* `inner` acquired while `outer` is held, where a parameter is involved;
 * `call` (has_call) is the call, in the function that holds `outer`, into
 * `via`, which acquires `inner`. */
struct ll_pair {
    struct ll_path outer, inner;
    struct ll_site outer_site, inner_site;
    const char *via;
    struct ll_site call;
    bool has_call;
};

struct ll_summary {
    size_t neffects, ntakes, npairs;
    size_t captakes, cappairs; /* allocated room of takes and pairs */
    struct ll_effect *effects;
    struct ll_take *takes;
    struct ll_pair *pairs;
    bool may_sleep;
    bool sleep_guessed;         /* only through a call through a function pointer that can hold
                                   several functions (a dispatcher): which one runs is not known */
    bool sleep_on_init_failure; /* only after the initialisation of a lock or condition
                                   failed (init_failure.h): a back-off before retrying */
    struct ll_site sleep_site;
    const char *sleep_api, *sleep_via;
    bool waits_on_param;   /* a condition-wait wrapper: waits on a parameter's cv, not in a loop,
                              itself or through another such wrapper */
    int16_t wait_param;    /* waits_on_param: the parameter whose cv it waits on */
    bool wait_conditional; /* waits_on_param, but not on every path (under `if`) */
    bool never_returns;    /* every path ends in a call that never returns (exit, abort, longjmp,
                              a failed assertion, another such function): inferred, a fatal() */
};

/* Whether guard g holds for the value v. */
bool ll_guard_holds(const struct ll_guard *g, int64_t v);

/* Caps that keep summaries small on huge call graphs. */
#define LL_SUMMARY_MAX_TAKES 64
#define LL_SUMMARY_MAX_PAIRS 32

/*
 * Rewrites the callee's path `p` in terms of the caller, for the call
 * event `call` (whose args hold the argument paths).  Globals stay as they
 * are; parameter-rooted paths are rebased on the argument (`&x` or a
 * pointer); callee locals cannot be expressed.  Returns true and fills
 * *out (strings in `a`), or false.
 */
bool ll_path_instantiate(struct ll_arena *a, const struct ll_path *p,
                         const struct ll_function *callee, const struct ll_event *call,
                         struct ll_path *out);

/*
 * ll_path_instantiate() for the object a call's result points to: a
 * global's or static's indices that name the callee's parameters are
 * spelled with the call's arguments (`&item_locks[hv & 15]` returned by
 * `item_trylock(hv)` is `item_locks[bucket&15]` at `item_trylock(bucket)`,
 * `?` for an argument without a name), so that the caller names the
 * object as it would itself.  Other paths as ll_path_instantiate().
 */
bool ll_path_instantiate_indices(struct ll_arena *a, const struct ll_path *p,
                                 const struct ll_function *callee, const struct ll_event *call,
                                 struct ll_path *out);

/*
 * The general form of ll_path_instantiate(): rebases `p` from a root
 * pointer value, spelled `kroot` in its key, `troot` in its text and
 * `croot` as its own class, onto `arg` (`&x`: the pointer's target is x;
 * a pointer value q: it stays a dereference).  A parameter m of f is
 * (m, m, "f(m)"); a call's result is ("get()@L:C", "get()", "get()").
 * Returns true and fills *out (strings in `a`), or false when the path is
 * not spelled from that root.
 */
bool ll_path_rebase(struct ll_arena *a, const struct ll_path *p, const char *kroot,
                    const char *troot, const char *croot, const struct ll_path *arg,
                    struct ll_path *out);

/* True when the path can be named outside its function: rooted at a
 * global, a static, or a parameter. */
bool ll_path_portable(const struct ll_path *p);

/* True when the path denotes one object program-wide (a global or static
 * without variable indices): lock-order nodes use its key, others their
 * class. */
bool ll_path_concrete(const struct ll_path *p);

/* True when the path may name memory other threads see: it has a key and
 * a class, and is not a plain local (a local's pointee is). */
bool ll_path_shared(const struct ll_path *p);

/* True when two paths (each portable or concrete) name the same lock: the
 * same object for concrete paths, the same class otherwise. */
bool ll_path_same_lock(const struct ll_path *a, const struct ll_path *b);

/* The class with its embedding path: p->emb, or p->cls when none. */
const char *ll_path_emb(const struct ll_path *p);

/*
 * The embedding path of `p`, rooted at parameter `pname`, when that
 * parameter points to an object embedded at `origin` ("struct conn.in"):
 * `h->bytes` becomes "struct conn.in.bytes", `*h` "struct conn.in".  Paths
 * that go through a further pointer keep their own (p->emb).  In `a`.
 */
const char *ll_path_emb_from(struct ll_arena *a, const struct ll_path *p, const char *pname,
                             const char *origin);

/*
 * Whether objects of two classes may be one object.  `cls_a`/`cls_b` are
 * the plain classes (ll_path.cls), `emb_a`/`emb_b` the classes with their
 * embedding paths (ll_path_emb()).  Different plain classes never alias.
 * Embedding paths of equal length must be equal ("struct conn.in.lock" is
 * not "struct conn.out.lock"); a shorter one aliases a longer one whose
 * fields end in its fields ("struct half.lock", reached through a
 * `struct half *`, may be "struct conn.out.lock"): nothing tells the
 * object reached through a pointer apart from an embedded one.
 */
bool ll_class_may_alias(const char *cls_a, const char *emb_a, const char *cls_b, const char *emb_b);

#endif
