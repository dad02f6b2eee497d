/* Modelled on: goblint/analyzer tests/regression/15-deadlock/09-account_correct.c /
 * 10-account_incorrect.c, with the two mutexes handed to each thread by
 * pointer in its argument struct.
 * FIXED TWIN of 67: both threads get the mutexes in one order.
 * Expected: silent
 * locklint: silent (correct; but 67 is silent too)
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
    static struct pair p1 = {&a, &b}, p2 = {&a, &b};
    pthread_t x, y;
    pthread_create(&x, NULL, mover, &p1);
    pthread_create(&y, NULL, mover, &p2);
    pthread_join(x, NULL);
    pthread_join(y, NULL);
    return 0;
}
