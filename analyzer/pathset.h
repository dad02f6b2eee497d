/*
 * pathset: the path-sensitive forward analysis engine of one function.
 *
 * A worklist iteration over the function's CFG whose state at each block
 * entry is a bounded set of disjuncts (path descriptions).  A disjunct
 * holds the client's state -- one small bit set per tracked object (a
 * "slot": a lock, a thread handle), joined by union -- plus what the path
 * knows besides:
 *
 *   - facts: the remembered outcome of side-effect-free branch conditions
 *     over locals (`if (f) lock(); ... if (f) unlock();`), so that a later
 *     branch on the same condition follows only the edge the path took;
 *   - pendings: an operation whose success a later branch on its result
 *     decides (a trylock, a checked pthread_create): the branch sets the
 *     slot to the success or the prior value;
 *   - values: what the path knows of a local's value, the constant it was
 *     last set to (`T *z = NULL;`, `locked = 1;`) or the signs a branch on
 *     it allowed (`if (!z) return;`), so that a later test of the local,
 *     however spelled (`if (z != NULL)`, `if (state == 2)`), follows only
 *     the edges the value can take.  The engine keeps them itself: a
 *     write of the local, its address passed to a call, or a call's
 *     result stored in it forgets them.
 *
 * A set keeps up to LL_PS_MAX_DISJUNCTS disjuncts; a new one that an
 * existing one subsumes is dropped; past the limit, disjuncts with equal
 * states are merged first and then the whole set is joined into one.
 * Sets only grow, over a finite domain, so the iteration ends; a visit
 * budget guards against pathological inputs anyway.
 *
 * The client (dataflow.c: lock states; threadflow.c: thread handles)
 * supplies the number of slots, the entry state and a transfer function
 * per event (struct ll_ps_client); the engine owns branches, facts,
 * pendings, joins and the iteration, and forgets what a path knew of an
 * event's result variable before the client's transfer function runs.
 * It knows nothing of locks or threads.
 *
 * Strings are compared by pointer: the function's strings must be
 * interned (ir.h).
 */
#ifndef LL_PATHSET_H
#define LL_PATHSET_H

#include "arena.h"
#include "ir.h"

#include <stdbool.h>
#include <stdint.h>

/* The engine's limits, the same for every client: disjuncts a set keeps,
 * pendings and remembered branch outcomes (facts) a disjunct keeps.  Past
 * the pending and fact limits the oldest is forgotten.  Lock code tests
 * many flags, so a path remembers up to 16 branch outcomes. */
#define LL_PS_MAX_DISJUNCTS 16
#define LL_PS_MAX_PEND 8
#define LL_PS_MAX_FACTS 16
#define LL_PS_MAX_VALS 16

/* Signs of an integer (or a pointer: NULL is zero), as sets: what a
 * result may be on success, on failure, or after a branch on it. */
enum {
    LL_PS_NEG = 1,
    LL_PS_ZERO = 2,
    LL_PS_POS = 4,
    LL_PS_NONZERO = LL_PS_NEG | LL_PS_POS,
    LL_PS_NONNEG = LL_PS_ZERO | LL_PS_POS,
    LL_PS_ANY = 7,
};

/* The signs a value may have when the condition `value CMP k` (enum
 * ll_cmp) is `truth`; LL_PS_ANY when it says nothing. */
uint8_t ll_ps_signs(uint8_t cmp, int64_t k, bool truth);

/* Whether `v CMP k` holds (enum ll_cmp; false for LL_CMP_NONE). */
bool ll_ps_cmp_holds(uint8_t cmp, int64_t v, int64_t k);

/* An operation whose result a later branch may test. */
struct ll_ps_pend {
    uint32_t event;
    const char *var; /* local that holds the result, or NULL */
    uint32_t slot;
    uint8_t prior, success; /* the slot's state on failure / on success */
    uint8_t succ, fail;     /* LL_PS_* signs of the result on success / on failure
                               (a trylock: zero / nonzero; a lookup: nonzero / zero) */
    uint8_t sure;           /* cannot fail: a branch on its failure is not taken */
    uint8_t known;          /* 0 while pending; once a branch has decided it, the signs
                               `var` can have on this path (a later test of var that
                               allows none of them is not taken) */
};

/* The remembered outcome of a branch condition. */
struct ll_ps_fact {
    const struct ll_cond *cond;
    uint8_t value;
};

/* What a path knows of a local's value: the signs it may have (LL_PS_*),
 * and when `exact`, the constant it holds. */
struct ll_ps_val {
    const char *var;
    int64_t v;
    uint8_t signs, exact;
};

/* One path description.  Transfer functions change `st` and use the
 * ll_ps_* helpers below for the rest. */
struct ll_ps_disj {
    uint8_t npend, nfacts, nvals;
    uint8_t ended; /* the path ended at the last event (ll_ps_end_path) */
    struct ll_ps_pend pend[LL_PS_MAX_PEND];
    struct ll_ps_fact facts[LL_PS_MAX_FACTS];
    struct ll_ps_val vals[LL_PS_MAX_VALS];
    uint8_t st[]; /* per slot */
};

struct ll_pathset;

struct ll_ps_client {
    uint32_t nslots;
    /* Applies event `e` of the function to `d` (what the path knew of the
     * locals it writes is forgotten already). */
    void (*transfer)(struct ll_pathset *ps, struct ll_ps_disj *d, uint32_t e, void *ctx);
    /* Optional: applies the CFG edge from block `from` to `to` to `d`
     * (after the branch condition, before `to`'s entry set). */
    void (*edge)(struct ll_pathset *ps, struct ll_ps_disj *d, uint32_t from, uint32_t to,
                 void *ctx);
    void *ctx;
};

/* A set of disjuncts.  A disjunct in a set is never changed nor reused:
 * sets change only by adding one, or by replacing some with a join of
 * them, which subsumes them.  So what a block's disjunct yields at its
 * successors stays subsumed there once added, and `sent` remembers which
 * disjuncts were propagated already. */
struct ll_ps_set {
    struct ll_ps_disj *d[LL_PS_MAX_DISJUNCTS];
    uint32_t n;
    struct ll_ps_disj *sent[LL_PS_MAX_DISJUNCTS]; /* some may have left d since */
    uint32_t nsent;
};

struct ll_pathset {
    const struct ll_function *fn; /* borrowed */
    struct ll_ps_client client;
    struct ll_arena *tmp; /* working memory of the engine and its client */
    struct ll_arena own_tmp;
    struct ll_ps_set *in;      /* per block: the entry set of the last run */
    struct ll_ps_disj **spare; /* disjuncts no set kept, for reuse */
    size_t nspare, capspare;
    const char **tested; /* the locals a branch tests against a constant, sorted by
                            address: only their values are worth keeping */
    uint32_t ntested;
    const struct ll_cond *const *call_cond; /* ll_pathset_set_calls(), or NULL */
    const uint8_t *opaque;
    bool oom;
};

/* Prepares an analysis of `fn`.  Working memory (ps->tmp, also for the
 * client's own) comes from `scratch`, reset now and by
 * ll_pathset_release(), or from an arena of the pathset's own when
 * `scratch` is NULL.  The pathset must not move until released. */
void ll_pathset_init(struct ll_pathset *ps, const struct ll_function *fn, struct ll_arena *scratch);

/* Sets the client (copied): before ll_pathset_run(). */
void ll_pathset_set_client(struct ll_pathset *ps, const struct ll_ps_client *client);

/*
 * Correlates branches on calls of side-effect-free functions (`if
 * (pred(td)) lock(m); ...; if (pred(td)) unlock(m);`), which the facts of
 * condition texts cannot: a call is an event, not a text.  The client
 * knows which callees are pure and says so per block and per event:
 * `cond[b]` (NULL where none) stands for block b's LL_COND_EVENT branch
 * on such a call: kind LL_COND_EVENT, cmp LL_CMP_NONE, a `text` that is
 * the same pointer for every branch of the function that calls the same
 * function with the same arguments and tests its result the same way, and
 * `vars` the paths the call reads, in this function's terms (its
 * arguments, the fields it reads through them, the globals it reads).
 * Its outcome is remembered as a fact, forgotten like any other when one
 * of the vars is written, and also at every event with `opaque[e]` set (a
 * call whose effects are unknown).  Both arrays are borrowed; call before
 * ll_pathset_run(); NULL cond: none.
 */
void ll_pathset_set_calls(struct ll_pathset *ps, const struct ll_cond *const *cond,
                          const uint8_t *opaque);

/* Gives back the working memory. */
void ll_pathset_release(struct ll_pathset *ps);

/* Iterates to the fixpoint from one disjunct at the entry whose slots are
 * `entry` (client.nslots of them), no facts and no pendings; forgets the
 * entry sets of an earlier run.  Returns 0, or -1 when out of memory. */
int ll_pathset_run(struct ll_pathset *ps, const uint8_t *entry);

/* The same, with what the entry knows of branch conditions: `facts`
 * (nfacts of them; a caller's constant argument decides the branches on
 * that parameter). */
int ll_pathset_run_facts(struct ll_pathset *ps, const uint8_t *entry,
                         const struct ll_ps_fact *facts, uint8_t nfacts);

/* Calls `fn` with every disjunct (its state and facts) that reaches event
 * `e`, as it is before `e`.  Returns 0, or -1 when out of memory. */
int ll_pathset_each_at(struct ll_pathset *ps, uint32_t e,
                       void (*fn)(const struct ll_ps_disj *d, void *ctx), void *ctx);

/*
 * Writes the union over the paths of the state of every slot before every
 * event to `state` (fn->nevents * nslots, ORed into), sets `reached[e]` for
 * the events some path reaches, and when `block_out` is not NULL ORs the
 * state at the end of each block into it (fn->nblocks * nslots).
 * Returns 0, or -1 when out of memory.
 */
int ll_pathset_record(struct ll_pathset *ps, uint8_t *state, uint8_t *reached, uint8_t *block_out);

/* ---- for transfer functions ---------------------------------------- */

/* Forgets what `d` knows through variable `var`, which was written: the
 * facts of conditions over `var` or a part of it (`var.x`, `var->y`,
 * `var[i]`), the pendings whose result is in `var`, and their values. */
void ll_ps_forget_var(struct ll_ps_disj *d, const char *var);

/* Forgets the pendings of slot `slot`. */
void ll_ps_forget_slot(struct ll_ps_disj *d, uint32_t slot);

/* Event `e` sets slot `slot` to `value`; when a branch may test the
 * event's result (it is checked, or assigned to a variable), the failure
 * edge leaves the slot as it was.  Forgets the slot's older pendings. */
void ll_ps_set_checked(const struct ll_pathset *ps, struct ll_ps_disj *d, uint32_t e, uint32_t slot,
                       uint8_t value);

/* Remembers that a branch on the result of event `e` (in `var`, or NULL)
 * decides slot `slot`: `success` on success, its present state otherwise.
 * `succ` and `fail` are the signs the result has on success and on
 * failure (LL_PS_*).  Call it before changing the slot.  Past
 * LL_PS_MAX_PEND the oldest pending is forgotten. */
void ll_ps_pend(struct ll_ps_disj *d, uint32_t e, const char *var, uint32_t slot, uint8_t success,
                uint8_t succ, uint8_t fail);

/* The pending of event `e`, if any, cannot fail on a path worth analysing
 * (a blocking lock call fails only on a programming error): a branch on
 * its failure drops the path, so no finding rests on it. */
void ll_ps_sure(struct ll_ps_disj *d, uint32_t e);

/* Ends the path of `d` at the event being transferred (a call that never
 * returns): `d` reaches nothing after it. */
void ll_ps_end_path(struct ll_ps_disj *d);

#endif
