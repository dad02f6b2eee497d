/* Modelled on: llvm/llvm-project clang/test/Analysis/pthreadlock.c
 * (unlocking after a failed trylock) and goblint 28-race_reach/40-trylock_racing.c
 * Bug: the result of pthread_mutex_trylock is ignored; the thread unlocks
 * a mutex it may not hold.
 * Expected rule: unlock-not-held
 * locklint: FOUND: warning unlock-not-held (and the race on g)
 */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int g;

static void *worker(void *arg)
{
    pthread_mutex_trylock(&m);
    g++;
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, worker, NULL);
    pthread_create(&b, NULL, worker, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return g;
}
