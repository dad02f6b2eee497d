/*
 * lockapi: everything locklint knows about lock and thread APIs, as one
 * table.  The frontend looks every called name up here and turns the call
 * into an event; no rule and no other module hard-codes an API name.
 *
 * Covered: pthread mutex / rwlock / spin / cond / barrier / once /
 * thread functions, POSIX semaphores, C11 <threads.h>, GCC __atomic_* /
 * __sync_* builtins and <stdatomic.h>, the sleep family and blocking I/O,
 * and the calls that never return.
 */
#ifndef LL_LOCKAPI_H
#define LL_LOCKAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ll_api_op {
    LL_OP_LOCK,          /* acquire the lock in argument obj_arg */
    LL_OP_TRYLOCK,       /* acquire it when the call returns 0 */
    LL_OP_UNLOCK,        /* release it */
    LL_OP_LOCK_INIT,     /* initialise it; attr_arg names the attributes */
    LL_OP_COND_WAIT,     /* wait on obj_arg, releasing and re-taking aux_arg */
    LL_OP_COND_SIGNAL,   /* signal or broadcast obj_arg */
    LL_OP_THREAD_CREATE, /* handle obj_arg, start routine start_arg, argument aux_arg */
    LL_OP_JOIN,          /* join handle obj_arg */
    LL_OP_DETACH,        /* detach handle obj_arg */
    LL_OP_SEM_WAIT,      /* decrement semaphore obj_arg */
    LL_OP_SEM_TRYWAIT,   /* decrement it when the call returns 0 */
    LL_OP_SEM_POST,      /* increment it */
    LL_OP_BLOCKING,      /* may block for a long time (sleep, I/O) */
    LL_OP_ATOMIC,        /* atomic access to the object in obj_arg */
    LL_OP_ATTR_DETACHED, /* pthread_attr_setdetachstate(attr, DETACHED?) */
    LL_OP_ATTR_SETTYPE,  /* pthread_mutexattr_settype(attr, RECURSIVE?) */
    LL_OP_NORETURN,      /* never returns: the path ends here */
    LL_OP_LOCK_DESTROY,  /* destroy the lock in argument obj_arg */
    LL_OP_ONCE,          /* calls start_arg (once), here: pthread_once, call_once */
    LL_OP_BARRIER_INIT,  /* initialise barrier obj_arg for start_arg threads */
    LL_OP_BARRIER_WAIT,  /* wait on barrier obj_arg */
};

/* ll_api.flags */
enum {
    LL_API_TIMED = 1 << 0,       /* a timed variant: may give up */
    LL_API_IO = 1 << 1,          /* BLOCKING: I/O rather than sleep */
    LL_API_SLEEP = 1 << 2,       /* BLOCKING: sleeps */
    LL_API_ATOMIC_RMW = 1 << 3,  /* ATOMIC: writes the object */
    LL_API_PREFIX = 1 << 4,      /* the name is a prefix (atomic families) */
    LL_API_THREAD_EXIT = 1 << 5, /* NORETURN: ends only the calling thread */
    LL_API_OK_NONZERO = 1 << 6,  /* LOCK: returns non-zero (1) on success, 0 on failure
                                    (OpenSSL's CRYPTO_THREAD_write_lock()) */
};

struct ll_api {
    const char *name;
    uint8_t op;        /* enum ll_api_op */
    uint8_t lock_kind; /* enum ll_lock_kind */
    uint8_t mode;      /* enum ll_mode */
    uint8_t flags;     /* LL_API_* */
    int8_t obj_arg;    /* argument holding the lock / handle / object, -1 none */
    int8_t aux_arg;    /* mutex of a cond wait; start argument of a create; -1 none */
    int8_t start_arg;  /* THREAD_CREATE: start routine; LOCK_INIT: attributes;
                          BARRIER_INIT: the count; -1 none */
    int8_t attr_arg;   /* THREAD_CREATE: attributes; -1 none */
};

/* The table entry for a called function name, or NULL when it is not a
 * known API.  Exact names win over prefix families. */
const struct ll_api *ll_lockapi_lookup(const char *name);

/* Adds a user entry (configuration: home-made primitives).  The strings
 * must outlive every lookup.  Returns 0 or -1 when out of memory. */
int ll_lockapi_add(const struct ll_api *entry);

/* The built-in table, for tests: its size and entry i. */
size_t ll_lockapi_builtin_count(void);
const struct ll_api *ll_lockapi_builtin(size_t i);

/* Whether `name` is a C library allocator (malloc, calloc, realloc, strdup,
 * ...): each call returns a block of its own (fresh.h, sites.h). */
bool ll_lockapi_is_allocator(const char *name);

/* Frees user entries. */
void ll_lockapi_reset(void);

#endif
