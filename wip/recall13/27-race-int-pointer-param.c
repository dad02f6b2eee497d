/* Modelled on: goblint/analyzer tests/regression/04-mutex/09-ptrmunge_race.c
 * Bug: a helper increments the int its parameter points to; two threads
 * call it with the address of the same global without a lock.
 * Expected rule: unprotected-write
 * locklint: MISSED: silent (plain int behind a pointer parameter not followed: documented)
 */
#include <pthread.h>

static int requests;

static void bump(int *p)
{
    (*p)++;
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
