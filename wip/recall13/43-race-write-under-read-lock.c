/* Modelled on: goblint/analyzer tests/regression/04-mutex/40-rw_lock_rc.c
 * Bug: a statistics counter is bumped while holding the rwlock only for
 * reading; several readers do it at once.
 * Expected rule: unprotected-write
 * locklint: FOUND: warning unprotected-write (write under the read lock)
 */
#include <pthread.h>

static pthread_rwlock_t map_lock = PTHREAD_RWLOCK_INITIALIZER;
static int map[64];
static long lookups;

static int lookup(int k)
{
    int v;
    pthread_rwlock_rdlock(&map_lock);
    v = map[k & 63];
    lookups++;
    pthread_rwlock_unlock(&map_lock);
    return v;
}

static void *reader(void *arg)
{
    long s = 0;
    for (int i = 0; i < 100; i++)
        s += lookup(i);
    return (void *)s;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, reader, NULL);
    pthread_create(&b, NULL, reader, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
