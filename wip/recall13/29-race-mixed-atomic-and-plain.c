/* Modelled on: wolfcw/libfaketime#488 ("ad-hoc synchronisation using
 * non-atomic C variables") and goblint 04-mutex/62-simple_atomic_nr.c
 * Bug: one thread updates the counter with __atomic_fetch_add, the other
 * resets it with a plain store: a plain access races with an atomic one.
 * Expected rule: unprotected-write
 * locklint: MISSED: silent (the __atomic_fetch_add access is dropped, so the plain store has no
 * partner)
 */
#include <pthread.h>

static long ops;

static void *worker(void *arg)
{
    for (int i = 0; i < 1000; i++)
        __atomic_fetch_add(&ops, 1, __ATOMIC_RELAXED);
    return arg;
}

static void *resetter(void *arg)
{
    ops = 0;
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, worker, NULL);
    pthread_create(&b, NULL, resetter, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
