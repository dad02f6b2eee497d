/* Modelled on: goblint/analyzer tests/regression/04-mutex/08-pthread_arg.c /
 * 06-symbeq/21-mult_accs_rc.c: several threads given one heap object.
 * Bug: two workers get the same context and both do c->processed++
 * without its lock.
 * Expected rule: unprotected-write
 * locklint: FOUND: warning unprotected-write (c->processed)
 */
#include <pthread.h>
#include <stdlib.h>

struct ctx {
    pthread_mutex_t lock;
    long processed;
};

static void *worker(void *arg)
{
    struct ctx *c = arg;
    for (int i = 0; i < 1000; i++)
        c->processed++;
    return NULL;
}

int main(void)
{
    struct ctx *c = calloc(1, sizeof *c);
    pthread_t t[2];
    pthread_mutex_init(&c->lock, NULL);
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, worker, c);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    return (int)c->processed;
}
