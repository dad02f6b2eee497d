/* Modelled on: goblint/analyzer tests/regression/15-deadlock/10-account_incorrect.c
 * and the classic "dining" bug: a helper takes two bare pthread_mutex_t *
 * parameters in order; callers in two threads pass global mutexes swapped.
 * Expected rule: lock-order-inversion
 * locklint: FOUND: warning lock-order-inversion (in_lock / out_lock through parameters)
 */
#include <pthread.h>

static pthread_mutex_t in_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static long in_bytes, out_bytes;

static void both(pthread_mutex_t *first, pthread_mutex_t *second, long *v)
{
    pthread_mutex_lock(first);
    pthread_mutex_lock(second);
    (*v)++;
    pthread_mutex_unlock(second);
    pthread_mutex_unlock(first);
}

static void *rx(void *arg)
{
    both(&in_lock, &out_lock, &in_bytes);
    return arg;
}
static void *tx(void *arg)
{
    both(&out_lock, &in_lock, &out_bytes);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, rx, NULL);
    pthread_create(&b, NULL, tx, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
