/* Gap 05 (lvm2 dmeventd: 1 false lock-leak warning).
 * A callee that releases its caller's lock through a release wrapper, then
 * takes and releases it again (dmeventd's _monitor_unregister(), run by
 * pthread_cleanup_pop(1): _unlock_mutex(); ...; _lock_mutex(); ...;
 * _unlock_mutex();). Net effect: the caller's lock is released. The summary
 * drops that release (with a direct pthread_mutex_unlock() it is kept), so the
 * caller is reported as returning with the lock held.
 * Expected: silent. lead-v7: lock-leak "'global' still held when thread function 'monitor' returns". */
#include <pthread.h>
#include <stddef.h>

static pthread_mutex_t global = PTHREAD_MUTEX_INITIALIZER;
static int state;

static void lock_global(void) { pthread_mutex_lock(&global); }
static void unlock_global(void) { pthread_mutex_unlock(&global); }

static void finish(void) /* entered with 'global' held; returns without it */
{
    state = 1;
    unlock_global();
    lock_global();
    state = 2;
    unlock_global();
}

static void *monitor(void *arg)
{
    (void)arg;
    lock_global();
    finish();
    return NULL;
}

int main(void)
{
    pthread_t a;
    pthread_create(&a, NULL, monitor, NULL);
    pthread_join(a, NULL);
    return 0;
}
