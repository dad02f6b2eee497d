/* Modelled on: goblint/analyzer tests/regression/15-deadlock/03-triple_deadlock.c
 * Bug: three threads a->b, b->c, c->a, the inner lock of each taken in a
 * helper one call below the start routine.
 * Expected rule: lock-order-inversion
 * locklint: FOUND: warning lock-order-inversion (3-cycle)
 */
#include <pthread.h>

static pthread_mutex_t ma = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t mb = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t mc = PTHREAD_MUTEX_INITIALIZER;
static int ga, gb, gc;

static void bump(pthread_mutex_t *m, int *v)
{
    pthread_mutex_lock(m);
    (*v)++;
    pthread_mutex_unlock(m);
}

static void *t1(void *arg)
{
    pthread_mutex_lock(&ma);
    bump(&mb, &gb);
    pthread_mutex_unlock(&ma);
    return arg;
}
static void *t2(void *arg)
{
    pthread_mutex_lock(&mb);
    bump(&mc, &gc);
    pthread_mutex_unlock(&mb);
    return arg;
}
static void *t3(void *arg)
{
    pthread_mutex_lock(&mc);
    bump(&ma, &ga);
    pthread_mutex_unlock(&mc);
    return arg;
}

int main(void)
{
    pthread_t x, y, z;
    pthread_create(&x, NULL, t1, NULL);
    pthread_create(&y, NULL, t2, NULL);
    pthread_create(&z, NULL, t3, NULL);
    pthread_join(x, NULL);
    pthread_join(y, NULL);
    pthread_join(z, NULL);
    return 0;
}
