/* Modelled on: goblint/analyzer tests/regression/04-mutex/01-race.c,
 * with C11 <threads.h> threads created in a loop.
 * Bug: every worker increments 'total' without a lock.
 * Expected rule: unprotected-write
 * locklint: FOUND: warning unprotected-write (C11 threads)
 */
#include <threads.h>

static long total;

static int work(void *arg)
{
    for (int i = 0; i < 1000; i++)
        total += (long)arg;
    return 0;
}

int main(void)
{
    thrd_t t[4];
    for (long i = 0; i < 4; i++)
        thrd_create(&t[i], work, (void *)i);
    for (int i = 0; i < 4; i++)
        thrd_join(t[i], NULL);
    return (int)total;
}
