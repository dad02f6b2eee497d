/* Modelled on: goblint/analyzer tests/regression/04-mutex/11-ptr_race.c
 * (a global reached through a pointer)
 * Bug: 'active' is updated by the worker through a file-scope pointer
 * initialised to &active, and by main directly, without a common lock.
 * Expected rule: unprotected-write
 * locklint: MISSED: silent (*active_p is not identified with active)
 */
#include <pthread.h>

static int active;
static int *active_p = &active;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    pthread_mutex_lock(&m);
    (*active_p)++;
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    active = 0;
    pthread_join(t, NULL);
    return 0;
}
