/* Modelled on: goblint/analyzer tests/regression/04-mutex/08-pthread_arg.c
 * (shared data reached through the start argument)
 * Bug: the worker bumps c->done without the lock; main reads c->done under
 * c->lock while the worker runs.
 * Expected rule: unprotected-write
 * locklint: FOUND: warning unprotected-write (c->done)
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct job {
    pthread_mutex_t lock;
    int done;
    int total;
};

static void *worker(void *arg)
{
    struct job *c = arg;
    for (int i = 0; i < c->total; i++)
        c->done++;
    return NULL;
}

int main(void)
{
    struct job *c = calloc(1, sizeof *c);
    pthread_t t;
    int d;
    pthread_mutex_init(&c->lock, NULL);
    c->total = 1000;
    pthread_create(&t, NULL, worker, c);
    do {
        usleep(1000);
        pthread_mutex_lock(&c->lock);
        d = c->done;
        pthread_mutex_unlock(&c->lock);
    } while (d < c->total);
    pthread_join(t, NULL);
    free(c);
    return 0;
}
