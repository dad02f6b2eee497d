/* Modelled on: goblint/analyzer tests/regression/04-mutex/57-thread_ret.c
 * (results handed back from a thread) -- with a detached thread, so there
 * is no join to order the result.
 * Bug: main polls 'result' without a lock while the detached thread writes it.
 * Expected rule: unprotected-write (also missing-join: main may return while it runs)
 * locklint: FOUND: warning unprotected-write on result and finished, and missing-join
 */
#include <pthread.h>
#include <unistd.h>

static int result;
static int finished;

static void *compute(void *arg)
{
    result = 6 * 7;
    finished = 1;
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, compute, NULL);
    pthread_detach(t);
    while (!finished)
        usleep(100);
    return result;
}
