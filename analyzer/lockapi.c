/*
 * lockapi: the table of lock and thread APIs.  Every entry says which
 * argument is the lock (or handle, or object) and what the call does to it;
 * the frontend turns calls into events from that alone.
 *
 * The built-in table is sorted by name and searched with bsearch; prefix
 * families (atomics) and user entries are scanned linearly, which is fine
 * for their size.
 */
#include "lockapi.h"

#include "ir.h"

#include <stdlib.h>
#include <string.h>

#define EX LL_MODE_EXCL
#define SH LL_MODE_SHARED

/* name, op, lock kind, mode, flags, obj, aux, start, attr -- sorted by
 * strcmp (bytes: "_Exit" < "__assert_fail" < "_exit"), for bsearch; a unit
 * test checks the order. */
static const struct ll_api builtin[] = {
    {"CRYPTO_THREAD_lock_free", LL_OP_LOCK_DESTROY, LL_LK_RWLOCK, EX, 0, 0, -1, -1, -1},
    {"CRYPTO_THREAD_read_lock", LL_OP_LOCK, LL_LK_RWLOCK, SH, LL_API_OK_NONZERO, 0, -1, -1, -1},
    {"CRYPTO_THREAD_unlock", LL_OP_UNLOCK, LL_LK_RWLOCK, EX, LL_API_OK_NONZERO, 0, -1, -1, -1},
    {"CRYPTO_THREAD_write_lock", LL_OP_LOCK, LL_LK_RWLOCK, EX, LL_API_OK_NONZERO, 0, -1, -1, -1},
    {"_Exit", LL_OP_NORETURN, 0, EX, 0, -1, -1, -1, -1},
    {"__assert_fail", LL_OP_NORETURN, 0, EX, 0, -1, -1, -1, -1},
    {"__assert_perror_fail", LL_OP_NORETURN, 0, EX, 0, -1, -1, -1, -1},
    {"__builtin_trap", LL_OP_NORETURN, 0, EX, 0, -1, -1, -1, -1},
    {"__builtin_unreachable", LL_OP_NORETURN, 0, EX, 0, -1, -1, -1, -1},
    {"_exit", LL_OP_NORETURN, 0, EX, 0, -1, -1, -1, -1},
    {"abort", LL_OP_NORETURN, 0, EX, 0, -1, -1, -1, -1},
    {"accept", LL_OP_BLOCKING, 0, EX, LL_API_IO, -1, -1, -1, -1},
    {"accept4", LL_OP_BLOCKING, 0, EX, LL_API_IO, -1, -1, -1, -1},
    {"call_once", LL_OP_ONCE, 0, EX, 0, 0, -1, 1, -1},
    {"clock_nanosleep", LL_OP_BLOCKING, 0, EX, LL_API_SLEEP, -1, -1, -1, -1},
    {"cnd_broadcast", LL_OP_COND_SIGNAL, 0, EX, 0, 0, -1, -1, -1},
    {"cnd_signal", LL_OP_COND_SIGNAL, 0, EX, 0, 0, -1, -1, -1},
    {"cnd_timedwait", LL_OP_COND_WAIT, LL_LK_C11_MTX, EX, LL_API_TIMED, 0, 1, -1, -1},
    {"cnd_wait", LL_OP_COND_WAIT, LL_LK_C11_MTX, EX, 0, 0, 1, -1, -1},
    {"connect", LL_OP_BLOCKING, 0, EX, LL_API_IO, -1, -1, -1, -1},
    {"epoll_wait", LL_OP_BLOCKING, 0, EX, LL_API_IO, -1, -1, -1, -1},
    {"err", LL_OP_NORETURN, 0, EX, 0, -1, -1, -1, -1},
    {"errx", LL_OP_NORETURN, 0, EX, 0, -1, -1, -1, -1},
    {"exit", LL_OP_NORETURN, 0, EX, 0, -1, -1, -1, -1},
    {"longjmp", LL_OP_NORETURN, 0, EX, 0, -1, -1, -1, -1},
    {"mtx_destroy", LL_OP_LOCK_DESTROY, LL_LK_C11_MTX, EX, 0, 0, -1, -1, -1},
    {"mtx_init", LL_OP_LOCK_INIT, LL_LK_C11_MTX, EX, 0, 0, -1, 1, -1},
    {"mtx_lock", LL_OP_LOCK, LL_LK_C11_MTX, EX, 0, 0, -1, -1, -1},
    {"mtx_timedlock", LL_OP_TRYLOCK, LL_LK_C11_MTX, EX, LL_API_TIMED, 0, -1, -1, -1},
    {"mtx_trylock", LL_OP_TRYLOCK, LL_LK_C11_MTX, EX, 0, 0, -1, -1, -1},
    {"mtx_unlock", LL_OP_UNLOCK, LL_LK_C11_MTX, EX, 0, 0, -1, -1, -1},
    {"nanosleep", LL_OP_BLOCKING, 0, EX, LL_API_SLEEP, -1, -1, -1, -1},
    {"poll", LL_OP_BLOCKING, 0, EX, LL_API_IO, -1, -1, -1, -1},
    {"pthread_attr_setdetachstate", LL_OP_ATTR_DETACHED, 0, EX, 0, 0, 1, -1, -1},
    {"pthread_barrier_init", LL_OP_BARRIER_INIT, 0, EX, 0, 0, -1, 2, -1},
    {"pthread_barrier_wait", LL_OP_BARRIER_WAIT, 0, EX, 0, 0, -1, -1, -1},
    {"pthread_cond_broadcast", LL_OP_COND_SIGNAL, 0, EX, 0, 0, -1, -1, -1},
    {"pthread_cond_clockwait", LL_OP_COND_WAIT, LL_LK_MUTEX, EX, LL_API_TIMED, 0, 1, -1, -1},
    {"pthread_cond_signal", LL_OP_COND_SIGNAL, 0, EX, 0, 0, -1, -1, -1},
    {"pthread_cond_timedwait", LL_OP_COND_WAIT, LL_LK_MUTEX, EX, LL_API_TIMED, 0, 1, -1, -1},
    {"pthread_cond_wait", LL_OP_COND_WAIT, LL_LK_MUTEX, EX, 0, 0, 1, -1, -1},
    {"pthread_create", LL_OP_THREAD_CREATE, 0, EX, 0, 0, 3, 2, 1},
    {"pthread_detach", LL_OP_DETACH, 0, EX, 0, 0, -1, -1, -1},
    {"pthread_exit", LL_OP_NORETURN, 0, EX, LL_API_THREAD_EXIT, -1, -1, -1, -1},
    {"pthread_join", LL_OP_JOIN, 0, EX, 0, 0, -1, -1, -1},
    {"pthread_mutex_clocklock", LL_OP_TRYLOCK, LL_LK_MUTEX, EX, LL_API_TIMED, 0, -1, -1, -1},
    {"pthread_mutex_destroy", LL_OP_LOCK_DESTROY, LL_LK_MUTEX, EX, 0, 0, -1, -1, -1},
    {"pthread_mutex_init", LL_OP_LOCK_INIT, LL_LK_MUTEX, EX, 0, 0, -1, 1, -1},
    {"pthread_mutex_lock", LL_OP_LOCK, LL_LK_MUTEX, EX, 0, 0, -1, -1, -1},
    {"pthread_mutex_timedlock", LL_OP_TRYLOCK, LL_LK_MUTEX, EX, LL_API_TIMED, 0, -1, -1, -1},
    {"pthread_mutex_trylock", LL_OP_TRYLOCK, LL_LK_MUTEX, EX, 0, 0, -1, -1, -1},
    {"pthread_mutex_unlock", LL_OP_UNLOCK, LL_LK_MUTEX, EX, 0, 0, -1, -1, -1},
    {"pthread_mutexattr_settype", LL_OP_ATTR_SETTYPE, 0, EX, 0, 0, 1, -1, -1},
    {"pthread_once", LL_OP_ONCE, 0, EX, 0, 0, -1, 1, -1},
    {"pthread_rwlock_clockrdlock", LL_OP_TRYLOCK, LL_LK_RWLOCK, SH, LL_API_TIMED, 0, -1, -1, -1},
    {"pthread_rwlock_clockwrlock", LL_OP_TRYLOCK, LL_LK_RWLOCK, EX, LL_API_TIMED, 0, -1, -1, -1},
    {"pthread_rwlock_destroy", LL_OP_LOCK_DESTROY, LL_LK_RWLOCK, EX, 0, 0, -1, -1, -1},
    {"pthread_rwlock_init", LL_OP_LOCK_INIT, LL_LK_RWLOCK, EX, 0, 0, -1, -1, -1},
    {"pthread_rwlock_rdlock", LL_OP_LOCK, LL_LK_RWLOCK, SH, 0, 0, -1, -1, -1},
    {"pthread_rwlock_timedrdlock", LL_OP_TRYLOCK, LL_LK_RWLOCK, SH, LL_API_TIMED, 0, -1, -1, -1},
    {"pthread_rwlock_timedwrlock", LL_OP_TRYLOCK, LL_LK_RWLOCK, EX, LL_API_TIMED, 0, -1, -1, -1},
    {"pthread_rwlock_tryrdlock", LL_OP_TRYLOCK, LL_LK_RWLOCK, SH, 0, 0, -1, -1, -1},
    {"pthread_rwlock_trywrlock", LL_OP_TRYLOCK, LL_LK_RWLOCK, EX, 0, 0, -1, -1, -1},
    {"pthread_rwlock_unlock", LL_OP_UNLOCK, LL_LK_RWLOCK, EX, 0, 0, -1, -1, -1},
    {"pthread_rwlock_wrlock", LL_OP_LOCK, LL_LK_RWLOCK, EX, 0, 0, -1, -1, -1},
    {"pthread_spin_destroy", LL_OP_LOCK_DESTROY, LL_LK_SPIN, EX, 0, 0, -1, -1, -1},
    {"pthread_spin_init", LL_OP_LOCK_INIT, LL_LK_SPIN, EX, 0, 0, -1, -1, -1},
    {"pthread_spin_lock", LL_OP_LOCK, LL_LK_SPIN, EX, 0, 0, -1, -1, -1},
    {"pthread_spin_trylock", LL_OP_TRYLOCK, LL_LK_SPIN, EX, 0, 0, -1, -1, -1},
    {"pthread_spin_unlock", LL_OP_UNLOCK, LL_LK_SPIN, EX, 0, 0, -1, -1, -1},
    {"quick_exit", LL_OP_NORETURN, 0, EX, 0, -1, -1, -1, -1},
    {"read", LL_OP_BLOCKING, 0, EX, LL_API_IO, -1, -1, -1, -1},
    {"recv", LL_OP_BLOCKING, 0, EX, LL_API_IO, -1, -1, -1, -1},
    {"recvfrom", LL_OP_BLOCKING, 0, EX, LL_API_IO, -1, -1, -1, -1},
    {"recvmsg", LL_OP_BLOCKING, 0, EX, LL_API_IO, -1, -1, -1, -1},
    {"select", LL_OP_BLOCKING, 0, EX, LL_API_IO, -1, -1, -1, -1},
    {"sem_clockwait", LL_OP_SEM_TRYWAIT, LL_LK_SEM, EX, LL_API_TIMED, 0, -1, -1, -1},
    {"sem_post", LL_OP_SEM_POST, LL_LK_SEM, EX, 0, 0, -1, -1, -1},
    {"sem_timedwait", LL_OP_SEM_TRYWAIT, LL_LK_SEM, EX, LL_API_TIMED, 0, -1, -1, -1},
    {"sem_trywait", LL_OP_SEM_TRYWAIT, LL_LK_SEM, EX, 0, 0, -1, -1, -1},
    {"sem_wait", LL_OP_SEM_WAIT, LL_LK_SEM, EX, 0, 0, -1, -1, -1},
    {"siglongjmp", LL_OP_NORETURN, 0, EX, 0, -1, -1, -1, -1},
    {"sleep", LL_OP_BLOCKING, 0, EX, LL_API_SLEEP, -1, -1, -1, -1},
    {"thrd_create", LL_OP_THREAD_CREATE, 0, EX, 0, 0, 2, 1, -1},
    {"thrd_detach", LL_OP_DETACH, 0, EX, 0, 0, -1, -1, -1},
    {"thrd_exit", LL_OP_NORETURN, 0, EX, LL_API_THREAD_EXIT, -1, -1, -1, -1},
    {"thrd_join", LL_OP_JOIN, 0, EX, 0, 0, -1, -1, -1},
    {"thrd_sleep", LL_OP_BLOCKING, 0, EX, LL_API_SLEEP, -1, -1, -1, -1},
    {"usleep", LL_OP_BLOCKING, 0, EX, LL_API_SLEEP, -1, -1, -1, -1},
    {"waitpid", LL_OP_BLOCKING, 0, EX, 0, -1, -1, -1, -1},
};

/* Families matched by prefix: the atomics.  Writes are decided by name. */
static const struct ll_api prefixes[] = {
    {"__atomic_load", LL_OP_ATOMIC, 0, EX, LL_API_PREFIX, 0, -1, -1, -1},
    {"__atomic_", LL_OP_ATOMIC, 0, EX, LL_API_PREFIX | LL_API_ATOMIC_RMW, 0, -1, -1, -1},
    {"__c11_atomic_load", LL_OP_ATOMIC, 0, EX, LL_API_PREFIX, 0, -1, -1, -1},
    {"__c11_atomic_", LL_OP_ATOMIC, 0, EX, LL_API_PREFIX | LL_API_ATOMIC_RMW, 0, -1, -1, -1},
    {"__sync_synchronize", LL_OP_ATOMIC, 0, EX, LL_API_PREFIX, -1, -1, -1, -1},
    {"__sync_", LL_OP_ATOMIC, 0, EX, LL_API_PREFIX | LL_API_ATOMIC_RMW, 0, -1, -1, -1},
    {"atomic_load", LL_OP_ATOMIC, 0, EX, LL_API_PREFIX, 0, -1, -1, -1},
    {"atomic_thread_fence", LL_OP_ATOMIC, 0, EX, LL_API_PREFIX, -1, -1, -1, -1},
    {"atomic_signal_fence", LL_OP_ATOMIC, 0, EX, LL_API_PREFIX, -1, -1, -1, -1},
    {"atomic_", LL_OP_ATOMIC, 0, EX, LL_API_PREFIX | LL_API_ATOMIC_RMW, 0, -1, -1, -1},
};

static struct ll_api *user_entries;
static size_t user_count, user_cap;

static int by_name(const void *key, const void *elem)
{
    return strcmp(key, ((const struct ll_api *)elem)->name);
}

const struct ll_api *ll_lockapi_lookup(const char *name)
{
    if (!name || !*name)
        return NULL;
    for (size_t i = 0; i < user_count; i++)
        if (strcmp(user_entries[i].name, name) == 0)
            return &user_entries[i];
    const struct ll_api *hit =
        bsearch(name, builtin, sizeof(builtin) / sizeof(builtin[0]), sizeof(builtin[0]), by_name);
    if (hit)
        return hit;
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (strncmp(name, prefixes[i].name, strlen(prefixes[i].name)) == 0)
            return &prefixes[i];
    return NULL;
}

int ll_lockapi_add(const struct ll_api *entry)
{
    if (user_count == user_cap) {
        size_t cap = user_cap ? user_cap * 2 : 8;
        struct ll_api *p = realloc(user_entries, cap * sizeof(*p));
        if (!p)
            return -1;
        user_entries = p;
        user_cap = cap;
    }
    user_entries[user_count++] = *entry;
    return 0;
}

void ll_lockapi_reset(void)
{
    free(user_entries);
    user_entries = NULL;
    user_count = user_cap = 0;
}

size_t ll_lockapi_builtin_count(void)
{
    return sizeof(builtin) / sizeof(builtin[0]);
}

const struct ll_api *ll_lockapi_builtin(size_t i)
{
    return i < ll_lockapi_builtin_count() ? &builtin[i] : NULL;
}

bool ll_lockapi_is_allocator(const char *name)
{
    /* alloca()'s block is the calling function's own until it escapes,
     * as a malloc()'ed one is */
    static const char *const names[] = {"malloc",  "calloc",        "realloc",         "strdup",
                                        "strndup", "aligned_alloc", "reallocarray",    "memalign",
                                        "valloc",  "alloca",        "__builtin_alloca"};
    for (size_t i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}
