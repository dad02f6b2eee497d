/* Modelled on: goblint/analyzer tests/regression/28-race_reach/06-cond_racing1.c
 * Bug: main takes the lock only when a flag is set, and writes the shared
 * counter under the same test: on the other path the write is unlocked.
 * Expected rule: unprotected-write
 * locklint: FOUND: warning unprotected-write (write to global with no lock)
 */
#include <pthread.h>
#include <stdlib.h>

static int global;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *t_fun(void *arg)
{
    pthread_mutex_lock(&m);
    global++;
    pthread_mutex_unlock(&m);
    return arg;
}

int main(int argc, char **argv)
{
    pthread_t t;
    int threaded = argc > 1;
    pthread_create(&t, NULL, t_fun, NULL);
    if (threaded)
        pthread_mutex_lock(&m);
    global = 42;
    if (threaded)
        pthread_mutex_unlock(&m);
    pthread_join(t, NULL);
    return 0;
}
