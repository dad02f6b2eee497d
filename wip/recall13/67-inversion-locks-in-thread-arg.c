/* Modelled on: goblint/analyzer tests/regression/15-deadlock/09-account_correct.c /
 * 10-account_incorrect.c, with the two mutexes handed to each thread by
 * pointer in its argument struct.
 * Bug: thread 1 gets {&a, &b}, thread 2 {&b, &a}; each locks first then second.
 * Expected rule: lock-order-inversion
 * locklint: MISSED: silent (p->first / p->second are two lock classes; which mutexes the fields
 * point to is not followed)
 */
#include <pthread.h>

struct pair {
    pthread_mutex_t *first, *second;
};
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static int moved;

static void *mover(void *arg)
{
    struct pair *p = arg;
    pthread_mutex_lock(p->first);
    pthread_mutex_lock(p->second);
    moved++;
    pthread_mutex_unlock(p->second);
    pthread_mutex_unlock(p->first);
    return NULL;
}

int main(void)
{
    static struct pair p1 = {&a, &b}, p2 = {&b, &a};
    pthread_t x, y;
    pthread_create(&x, NULL, mover, &p1);
    pthread_create(&y, NULL, mover, &p2);
    pthread_join(x, NULL);
    pthread_join(y, NULL);
    return 0;
}
