/* Modelled on: goblint/analyzer tests/regression/04-mutex/83-thread-local-storage-escape.c
 * Bug: a __thread variable is per thread, but main gives its own copy's
 * address to a worker: both increment main's copy, under different locks.
 * Expected rule: unprotected-write
 * locklint: MISSED: silent (a _Thread_local is never shared; its address given to a thread is not
 * followed)
 */
#include <pthread.h>

static __thread int tls_count;
static pthread_mutex_t m1 = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t m2 = PTHREAD_MUTEX_INITIALIZER;

static void *t_fun(void *arg)
{
    int *p = arg;
    pthread_mutex_lock(&m1);
    *p = *p + 1;
    pthread_mutex_unlock(&m1);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, t_fun, &tls_count);
    pthread_mutex_lock(&m2);
    tls_count = tls_count + 1;
    pthread_mutex_unlock(&m2);
    pthread_join(t, NULL);
    return 0;
}
