/* Modelled on: goblint/analyzer tests/regression/15-deadlock/25-malloc_deadlock.c
 * (there both threads use one order; here, as in the real bug shape, the
 * two threads nest the heap mutexes behind global pointers in opposite orders)
 * Bug: lock-order inversion between two malloc'd mutexes held in globals.
 * Expected rule: lock-order-inversion
 * locklint: FOUND: warning lock-order-inversion (p / q)
 */
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t *p, *q;
static int g1, g2;

static void *t1(void *arg)
{
    pthread_mutex_lock(p);
    pthread_mutex_lock(q);
    g1 = g2 + 1;
    pthread_mutex_unlock(q);
    pthread_mutex_unlock(p);
    return arg;
}

static void *t2(void *arg)
{
    pthread_mutex_lock(q);
    pthread_mutex_lock(p);
    g2 = g1 + 1;
    pthread_mutex_unlock(p);
    pthread_mutex_unlock(q);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    p = malloc(sizeof *p);
    q = malloc(sizeof *q);
    pthread_mutex_init(p, NULL);
    pthread_mutex_init(q, NULL);
    pthread_create(&a, NULL, t1, NULL);
    pthread_create(&b, NULL, t2, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
