/* Modelled on: goblint/analyzer tests/regression/15-deadlock/14-missing-unlock.c
 * Bug: the thread returns still holding m2 (its unlock forgotten); main
 * then blocks forever on m2 after the join.
 * Expected rule: lock-leak
 * locklint: FOUND: warning lock-leak (m2 still held when worker returns)
 */
#include <pthread.h>

static pthread_mutex_t m1 = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t m2 = PTHREAD_MUTEX_INITIALIZER;
static int x;

static void *worker(void *arg)
{
    pthread_mutex_lock(&m2);
    pthread_mutex_lock(&m1);
    x++;
    pthread_mutex_unlock(&m1);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    pthread_mutex_lock(&m2);
    x = 0;
    pthread_mutex_unlock(&m2);
    return 0;
}
