/* Modelled on: goblint/analyzer tests/regression/04-mutex/73-simple_nr_spinlock.c
 * (spinlocks), with the double-lock shape of clang's
 * clang/test/Analysis/pthreadlock.c ("This lock has already been acquired").
 * Bug: a spinlock re-taken through a helper while held: spins forever.
 * Expected rule: double-lock
 * locklint: FOUND: warning double-lock (spinlock through push)
 */
#include <pthread.h>

static pthread_spinlock_t sl;
static int ring[16], head;

static void push(int v)
{
    pthread_spin_lock(&sl);
    ring[head++ & 15] = v;
    pthread_spin_unlock(&sl);
}

static void *producer(void *arg)
{
    pthread_spin_lock(&sl);
    if (head > 8)
        push(-1);
    pthread_spin_unlock(&sl);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_spin_init(&sl, PTHREAD_PROCESS_PRIVATE);
    pthread_create(&t, NULL, producer, NULL);
    pthread_join(t, NULL);
    return 0;
}
