/* Modelled on: goblint/analyzer tests/regression/04-mutex/09-ptrmunge_race.c
 * FIXED TWIN of 27: the helper takes req_lock around the increment.
 * call it with the address of the same global without a lock.
 * Expected: silent
 * locklint: silent (correct)
 */
#include <pthread.h>

static int requests;

static pthread_mutex_t req_lock = PTHREAD_MUTEX_INITIALIZER;
static void bump(int *p)
{
    pthread_mutex_lock(&req_lock);
    (*p)++;
    pthread_mutex_unlock(&req_lock);
}

static void *worker(void *arg)
{
    for (int i = 0; i < 1000; i++)
        bump(&requests);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, worker, NULL);
    pthread_create(&b, NULL, worker, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return requests;
}
