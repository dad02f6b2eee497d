/* Modelled on: goblint/analyzer tests/regression/15-deadlock/13-deadlock-mhp.c
 * Bug: main takes m1, creates a thread that takes m2 then m1, then main
 * takes m2 while still holding m1.
 * Expected rule: lock-order-inversion
 * locklint: FOUND: warning lock-order-inversion (main m1->m2, worker m2->m1)
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
    pthread_mutex_unlock(&m2);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_mutex_lock(&m1);
    pthread_create(&t, NULL, worker, NULL);
    pthread_mutex_lock(&m2);
    x--;
    pthread_mutex_unlock(&m2);
    pthread_mutex_unlock(&m1);
    pthread_join(t, NULL);
    return 0;
}
