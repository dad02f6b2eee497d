/*
 * ir: the facts locklint extracts from one translation unit, as plain data.
 *
 * Every function body outside system headers becomes a control-flow graph
 * of basic blocks; each block holds a run of events (lock operations, memory
 * accesses, calls, thread operations) in evaluation order.  Blocks that end
 * in a branch whose outcome matters to locking carry an ll_cond.
 *
 * Locks, memory locations and thread handles are symbolic access paths
 * (struct ll_path).  Nothing here knows about libclang or SQLite: the
 * frontend fills these structures, ir_blob.c turns them into bytes and back,
 * and the dataflow and rules read them.  All memory of one TU's facts lives
 * in its arena and is freed with ll_tu_facts_release().
 *
 * Interned: within the facts of one TU, two strings (of any fields) are
 * equal exactly when they are the same pointer, so code may compare them
 * by pointer.  Facts read from a blob are interned (the blob stores each
 * string once); the frontend's are not until ll_facts_intern()
 * (ir_intern.h), which the driver calls right after parsing.  Strings of
 * different TUs, and strings made later, still need strcmp: instantiated
 * paths, and the handle, argument and start routine of calls that
 * thread_wrappers.h rewrites as thread creations.  Facts read while
 * sharing (ir_blob.h) have their strings interned run-wide, and may share
 * a function's events and blocks with another TU's equal copy.
 */
#ifndef LL_IR_H
#define LL_IR_H

#include "arena.h"

#include <stdbool.h>
#include <stdint.h>

/* Bump when the meaning or the blob layout of any field changes. */
#define LL_FACTS_VERSION 36

struct ll_loc {
    uint32_t file; /* index into ll_tu_facts.files */
    uint32_t line, col;
};

enum ll_root_kind {
    LL_ROOT_NONE = 0,     /* no path (empty argument, literal, ...) */
    LL_ROOT_GLOBAL,       /* file-scope variable, extern or static */
    LL_ROOT_STATIC_LOCAL, /* static variable inside a function */
    LL_ROOT_PARAM,        /* parameter number ll_path.param of the function */
    LL_ROOT_LOCAL,        /* automatic variable of the function */
    LL_ROOT_CALL,         /* value returned by a call */
    LL_ROOT_UNKNOWN,      /* anything else (casts of integers, ...) */
    LL_ROOT_RETURN,       /* summaries only, never in facts: the function's return value
                             (`@ret->lock` of `return e;` holding `e->lock`) */
};

/* ll_path.flags */
enum {
    LL_PATH_DEREF = 1 << 0,        /* goes through at least one pointer */
    LL_PATH_ADDR = 1 << 1,         /* written as &path (the object itself) */
    LL_PATH_THREAD_LOCAL = 1 << 2, /* root is _Thread_local / __thread */
    LL_PATH_CONST = 1 << 3,        /* the accessed object is const */
    LL_PATH_ATOMIC_TYPE = 1 << 4,  /* the accessed object has an _Atomic type */
    LL_PATH_INDEXED = 1 << 5,      /* contains an array index step */
    LL_PATH_MEMBER = 1 << 6,       /* a field of a larger object (or an element of an
                                      array field), not reached through a pointer */
    LL_PATH_VALUE = 1 << 7,        /* root NONE: an integer constant, `key` is its value in
                                      decimal (a call's argument `true`, `UNLOCK`, `-1`) */
};

/*
 * A symbolic access path: a root followed by field, dereference and index
 * steps.  `key` identifies the instance within one function ("s->lock",
 * "forks[i]"); `cls` forgets instance detail the way lockdep does
 * ("struct conn.lock", "forks[]", or the global's name); `root_usr` is the
 * USR of a global or static root so that TUs can be linked.
 *
 * `emb` is the class with its embedding path, when the object is known to
 * sit inside a larger struct: `c->out.lock` has class "struct half.lock"
 * and emb "struct conn.out.lock", so that the two embedded locks of one
 * type in `c->in` and `c->out` are told apart.  NULL when the same as
 * `cls` (nothing known about a container: reached through a pointer to
 * the innermost struct).  Two classes with different embedding paths may
 * still name one object when one path is a tail of the other (see
 * ll_class_may_alias() in summary.h).
 */
struct ll_path {
    uint8_t root;         /* enum ll_root_kind */
    uint8_t flags;        /* LL_PATH_* */
    int16_t param;        /* parameter index for LL_ROOT_PARAM, else -1 */
    const char *text;     /* source spelling without a leading '&' */
    const char *key;      /* instance identity within the function */
    const char *cls;      /* lock or location class */
    const char *emb;      /* class with the embedding path, or NULL (see above) */
    const char *root_usr; /* USR of the root variable; for LL_ROOT_CALL the callee's
                             (a direct call); or NULL */
    const char *site;     /* where the block holding the object comes from, or NULL
                             (sites.h): in facts, the pointer slot its last pointer is
                             read from (`@field:struct job.pool`, `@var:g`, `@arg:USR#0`)
                             or the allocation (`@call:USR`, `@alloc:...`); for a
                             pointer value (a call's argument, a start argument, a
                             stored pointer) the block it points to.  After
                             ll_resolve_sites(): "{SITE}" when one allocation site is
                             known, else NULL */
};

enum ll_event_kind {
    LL_EV_ACQUIRE,        /* obj: lock; mode; lock_kind; args: the locks it may be when obj
                             is `*m` for a local pointer set to several locks' addresses
                             (LL_LOCK_TARGETS_MAX at most), else none */
    LL_EV_TRYACQUIRE,     /* obj: lock; acquired only where the result says so; args: as
                             for ACQUIRE */
    LL_EV_RELEASE,        /* obj: lock */
    LL_EV_ACCESS,         /* obj: memory location; flags WRITE / ATOMIC; aux: for a
                             write of `*out` (out a parameter), the address stored
                             when the caller can name it (getters.h) */
    LL_EV_CALL,           /* callee: USR, or the slot called through (INDIRECT); args */
    LL_EV_THREAD_CREATE,  /* obj: handle; aux: start argument; callee: start routine */
    LL_EV_JOIN,           /* obj: handle */
    LL_EV_DETACH,         /* obj: handle (NULL root for pthread_self()) */
    LL_EV_COND_WAIT,      /* obj: condition variable; aux: mutex */
    LL_EV_COND_SIGNAL,    /* obj: condition variable */
    LL_EV_SEM_WAIT,       /* obj: semaphore */
    LL_EV_SEM_POST,       /* obj: semaphore */
    LL_EV_BLOCKING,       /* api: the blocking function (sleep, read, ...) */
    LL_EV_LOCK_INIT,      /* obj: lock; lock_kind says recursive or not; aux: the
                             attributes */
    LL_EV_RETURN,         /* a return statement or the end of the body; obj: the
                             returned pointer when it may name one global or
                             a part of a parameter's object (a getter:
                             getters.h, ll_path_param_part()), or a call's
                             result, else root NONE; aux: the object
                             the returned pointer names when reached from a
                             local (`n->obj`, a back pointer "e^entry": see
                             fe_returned_object()), or for `return f(x);` root
                             LOCAL keyed "f()", the CALL's result_var; else
                             root NONE */
    LL_EV_LOCK_DESTROY,   /* obj: lock; destroyed (pthread_mutex_destroy, mtx_destroy, ...) */
    LL_EV_BARRIER_INIT,   /* obj: barrier; result_var: its count, a decimal constant, or NULL */
    LL_EV_BARRIER_WAIT,   /* obj: barrier */
    LL_EV_ATTR_RECURSIVE, /* obj: mutex attributes set to PTHREAD_MUTEX_RECURSIVE */
    LL_EV_LOCK_COPY,      /* obj: a lock that is a copy of another (a local, or a by-value
                             parameter, or a lock field of one); aux: what it copies, or for
                             a parameter the parameter itself (root PARAM: the callers'
                             argument); at a parameter's declaration, on entry */
    LL_EV_KIND_COUNT
};

enum ll_lock_kind {
    LL_LK_NONE = 0,
    LL_LK_MUTEX,
    LL_LK_RECURSIVE, /* recursive pthread mutex or C11 mtx_recursive */
    LL_LK_RWLOCK,
    LL_LK_SPIN,
    LL_LK_C11_MTX,
    LL_LK_SEM,
    LL_LK_OTHER, /* user-declared or inferred primitive */
};

enum ll_mode { LL_MODE_EXCL = 0, LL_MODE_SHARED = 1 };

/* The most locks an acquisition through a local pointer may be (its args). */
#define LL_LOCK_TARGETS_MAX 4

/* ll_event.flags */
enum {
    LL_EVF_WRITE = 1 << 0,      /* ACCESS: a write (read-modify-write counts) */
    LL_EVF_ATOMIC = 1 << 1,     /* ACCESS: through an atomic operation or type */
    LL_EVF_CHECKED = 1 << 2,    /* result is tested by a branch (see ll_cond) */
    LL_EVF_TIMED = 1 << 3,      /* timed wait / timed lock */
    LL_EVF_INDIRECT = 1 << 4,   /* CALL through a function pointer */
    LL_EVF_NORETURN = 1 << 5,   /* CALL that never returns: the path ends */
    LL_EVF_IMPLICIT = 1 << 6,   /* RETURN: falling off the end of the body */
    LL_EVF_UPDATE = 1 << 6,     /* ACCESS: a write that reads first (`n++`, `n += k`); the
                                   bit means one thing per event kind */
    LL_EVF_OK_NONZERO = 1 << 6, /* ACQUIRE: the call returns non-zero on success (OpenSSL's
                                   CRYPTO_THREAD_write_lock()), not 0 */
    LL_EVF_DETACHED = 1 << 7,   /* THREAD_CREATE with a detached attribute */
    LL_EVF_NONZERO = 1 << 7,    /* ACCESS: a plain write of a non-zero constant (`inited = 1;`) */
    LL_EVF_SOLE = 1 << 7,       /* CALL: result_var is a local pointer that is set only from
                                   calls' results and null constants, never stepped, its
                                   address never taken (getters.h binds it) */
};

/* THREAD_CREATE callee of a creation wrapper: "@param:" and the index of
 * the parameter that holds the start routine (no USR starts with '@').
 * thread_wrappers.h resolves these at the wrapper's call sites. */
#define LL_START_PARAM_PREFIX "@param:"

/* Fields are ordered to leave little padding (168 bytes): there
 * is one per event of the program, and a warm run reads them all in. */
struct ll_event {
    uint8_t kind;        /* enum ll_event_kind */
    uint8_t mode;        /* enum ll_mode for lock events */
    uint8_t lock_kind;   /* enum ll_lock_kind */
    uint8_t flags;       /* LL_EVF_* */
    uint16_t loop_depth; /* number of enclosing loops within the function */
    uint16_t out_args;   /* CALL: bit i set when argument i (< 16) is `&p` for a local
                            pointer p that nothing else in the function sets (at most a
                            constant initialiser, no other `&p`): getters.h */
    struct ll_loc loc;
    uint32_t nargs; /* CALL: argument paths (args); an acquisition through a pointer:
                       the locks it may be; a write of a thread handle's value
                       (`list[n++] = tid;`, `p->tid = g;`): one, the handle it copies */
    struct ll_path obj;
    struct ll_path aux;     /* also ACCESS: the local or parameter pointer a write stores
                               (`*out = e`, `g = p`, `q->tail->next = p`, an atomic
                               store's value), when it stores one; on a read of a local
                               being declared (`T *q = p;`), the pointer it starts as; on
                               a write of a local pointer (`p = q->head;`) or that read
                               (`T *p = q->items[--q->n];`), the memory it is loaded
                               from (root global or static, or through a pointer); on a
                               write of a local's part (`st.buf = calloc(n, 1)`), the
                               call whose pointer result it stores (root call) */
    const char *api;        /* API or callee name as written, e.g. "pthread_mutex_lock" */
    const char *callee;     /* CALL: callee USR, or for an INDIRECT call the slot it calls
                               through (NULL when unknown); THREAD_CREATE: start routine
                               USR, its slot, or LL_START_PARAM_PREFIX and a parameter
                               index when the start routine is a parameter (a creation
                               wrapper); else NULL */
    const char *result_var; /* local the result is assigned to (for a CALL whose result
                               is returned, `return f(x);`: "f()"), or NULL; for RETURN:
                               the returned constant or local as written; for a
                               write of a local: the constant written, if known */
    struct ll_path *args;
};

/* What a two-way condition says of the value it tests (the call result or
 * the variable): its true edge is taken when `value CMP cmp_k` holds. */
enum ll_cmp {
    LL_CMP_NONE = 0, /* not known (a comparison of two variables, ...) */
    LL_CMP_TRUTH,    /* value != 0: `if (e)`, `if (!e)` (edges swapped) */
    LL_CMP_EQ,
    LL_CMP_NE,
    LL_CMP_LT,
    LL_CMP_LE,
    LL_CMP_GT,
    LL_CMP_GE,
    LL_CMP_AND, /* (value & cmp_k) != 0 */
    LL_CMP_COUNT
};

enum ll_cond_kind {
    LL_COND_NONE = 0, /* plain fall-through, goto, or switch (succ[] unordered) */
    LL_COND_EVENT,    /* tests the result of events[event] */
    LL_COND_VAR,      /* tests the local variable `var` */
    LL_COND_OTHER,    /* any other two-way branch */
};

/*
 * The condition that ends a two-way block: succ[0] is taken when the
 * condition is true, succ[1] when it is false.  `true_when_zero` tells how
 * the tested value relates to the edges: for `if (pthread_mutex_trylock(m)
 * == 0)` the true edge is the zero (success) outcome.  `text` is a
 * canonical spelling of a side-effect-free condition, so that the dataflow
 * can tell two branches on the same condition apart from others; `vars`
 * are the locals it reads (an assignment to one forgets the condition).
 * `cmp` and `cmp_k` say exactly what the true edge means for the tested
 * value (a variable when `vars` has one, else the event's result).
 */
struct ll_cond {
    uint8_t kind; /* enum ll_cond_kind */
    uint8_t true_when_zero;
    uint8_t cmp; /* enum ll_cmp */
    int64_t cmp_k;
    uint32_t event; /* LL_COND_EVENT: index into ll_function.events */
    const char *var;
    const char *text;
    uint32_t nvars;
    const char **vars;
    /* The access path the condition compares with zero (`if (p)`,
     * `if (!o->lock)`, `if (q == NULL)`) when it is a pointer, else NULL:
     * on the zero edge nothing is reached through it (dataflow.c). */
    const char *tested;
};

/* ll_block.flags: what a block tells about loops and comparisons */
enum {
    LL_BLK_LOOP_HEAD = 1 << 0, /* the target of a loop statement's back edges */
    LL_BLK_COUNTED = 1 << 1,   /* LOOP_HEAD: the condition compares a counter the loop
                                  steps (++, --, +=, -=) with a bound: `i < n` */
    LL_BLK_FOREVER = 1 << 2,   /* LOOP_HEAD: no condition, or a constant true one */
    LL_BLK_ORDERED = 1 << 3,   /* the two-way condition is an ordering comparison
                                  (<, <=, >, >=) */
};

struct ll_block {
    uint32_t first_event, nevents; /* a run of ll_function.events */
    uint32_t nsucc;                /* successors (succ) */
    uint16_t loop_depth;
    uint8_t flags; /* LL_BLK_* */
    uint32_t *succ;
    struct ll_cond cond;
};

/* ll_function.flags */
enum {
    LL_FN_STATIC = 1 << 0,
    LL_FN_INLINE = 1 << 1,
    LL_FN_NORETURN = 1 << 2,
    LL_FN_TRUNCATED = 1 << 3, /* nesting too deep: part of the body was skipped */
    LL_FN_VARIADIC = 1 << 4,
    LL_FN_RETURNS_POINTER = 1 << 5, /* `return 0` is NULL: a failure, not success */
    LL_FN_HIDDEN = 1 << 6,          /* hidden visibility (an attribute, -fvisibility=hidden):
                                       not callable from outside a shared library */
};

/*
 * One function body.  Block 0 is the entry; block `exit` is the unique exit
 * every return leads to.  Blocks that end in a call that never returns have
 * no successors.
 */
struct ll_function {
    const char *usr, *name;
    struct ll_loc loc, end;
    uint32_t flags; /* LL_FN_* */
    uint32_t nparams;
    const char **params; /* parameter names ("" when unnamed) */
    uint32_t nblocks, exit;
    struct ll_block *blocks;
    uint32_t nevents;
    struct ll_event *events;
};

/* ll_global.flags */
enum {
    LL_GV_STATIC = 1 << 0,
    LL_GV_THREAD_LOCAL = 1 << 1,
    LL_GV_CONST = 1 << 2,
    LL_GV_ATOMIC = 1 << 3,
    LL_GV_LOCK = 1 << 4,           /* a lock object (or array/struct of them) */
    LL_GV_RECURSIVE_INIT = 1 << 5, /* initialised with a recursive initialiser */
    LL_GV_DEFINITION = 1 << 6,     /* this TU defines it (not just extern) */
};

struct ll_global {
    const char *usr, *name, *type;
    struct ll_loc loc;
    uint32_t flags; /* LL_GV_* */
    /* fields given a recursive initialiser by designator (`.lock =
     * PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP`), ","-separated, or NULL */
    const char *recursive_fields;
};

/*
 * Function pointers.  A slot is a place a function's address can be stored,
 * named program-wide by a key that starts with '@' (no USR does):
 *
 *   @field:struct job.fn   a struct field, by type and field
 *   @field:union u         any member of a union type
 *   @var:handlers          a global or static variable by its class
 *                          (an array: all its elements)
 *   @local:USR:f@L:C       a local of function USR declared at line L,
 *                          column C (a struct or union whole)
 *   @arg:USR#1             parameter 1 of function USR
 *   @ret:USR               what function USR returns
 *   @argof:SLOT#1          argument 1 of the calls through SLOT
 *
 * An ll_fnref says that a function, or everything stored in another slot,
 * flows into a slot; an indirect CALL names the slot it calls through.
 * fnptr.h resolves them over the whole program.
 */
struct ll_fnref {
    const char *usr;     /* what flows: a function's USR, or a slot key */
    const char *context; /* the slot it flows into */
    struct ll_loc loc;
};

/* Whether `s` is a slot key (not a USR, not a creation wrapper's
 * LL_START_PARAM_PREFIX). */
static inline bool ll_is_slot(const char *s)
{
    return s && s[0] == '@' && s[1] != 'p';
}

/* Whether event ev reaches its callee through a slot: an indirect call,
 * or a creation whose start routine is read from one. */
static inline bool ll_event_through_slot(const struct ll_event *ev)
{
    if (ev->kind == LL_EV_CALL)
        return (ev->flags & LL_EVF_INDIRECT) != 0;
    return ev->kind == LL_EV_THREAD_CREATE && ll_is_slot(ev->callee);
}

/* Whether p, a pointer value of a function with parameter `name`, is
 * that parameter itself (`o`) or the address of a part of what it points
 * to (`&o->lock`, `&o->in.lock`, `&o->locks[0]`), through no other
 * pointer: what a getter of its argument's part returns (getters.h). */
bool ll_path_param_part(const struct ll_path *p, const char *name);

/* The facts of one translation unit. */
struct ll_tu_facts {
    struct ll_arena arena;
    const char *main_file;
    uint32_t nfiles;
    const char **files;   /* [0] is the main file; paths as libclang gives them */
    uint8_t *file_system; /* per file: 1 when it is a system header */
    uint32_t nfunctions;
    struct ll_function *functions;
    uint32_t nglobals;
    struct ll_global *globals;
    uint32_t nfnrefs;
    struct ll_fnref *fnrefs;
    uint32_t nptrflows;
    struct ll_fnref *ptrflows; /* data pointers stored into slots (sites.h): `usr` is the
                                  source (an allocation `@call:USR`, `@alloc:...`, a
                                  slot, or "?" for anything else), `context` the slot */
    uint32_t nerrors;          /* parse errors libclang reported */
    const char *first_error;   /* "file:line:col: message" of the first, or NULL */
    uint32_t ndeps;
    const char **deps; /* absolute paths of the main file and of every file it
                          included, system headers too: what the cache checks */
};

void ll_tu_facts_init(struct ll_tu_facts *f);
void ll_tu_facts_release(struct ll_tu_facts *f);

/* Names for dumps and messages ("acquire", "mutex", ...). */
const char *ll_event_kind_name(enum ll_event_kind k);
const char *ll_lock_kind_name(enum ll_lock_kind k);

#endif
