/* Modelled on: goblint/analyzer tests/regression/15-deadlock/05-may_deadlock.c
 * Bug: one thread takes m2 only on some paths (if (k)) and then m1; the
 * other takes m1 then m2: a deadlock on the paths where k is set.
 * Expected rule: lock-order-inversion
 * locklint: FOUND: warning lock-order-inversion
 */
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t m1 = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t m2 = PTHREAD_MUTEX_INITIALIZER;
static int g1, g2;

static void *t1(void *arg)
{
    pthread_mutex_lock(&m1);
    pthread_mutex_lock(&m2);
    g1 = g2 + 1;
    pthread_mutex_unlock(&m2);
    pthread_mutex_unlock(&m1);
    return arg;
}

static void *t2(void *arg)
{
    int k = rand() % 2;
    if (k)
        pthread_mutex_lock(&m2);
    pthread_mutex_lock(&m1);
    g2 = g1 + 1;
    pthread_mutex_unlock(&m1);
    if (k)
        pthread_mutex_unlock(&m2);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, t1, NULL);
    pthread_create(&b, NULL, t2, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
