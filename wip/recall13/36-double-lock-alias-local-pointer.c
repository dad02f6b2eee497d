/* Modelled on: goblint/analyzer tests/regression/04-mutex/51-mutex_ptr.c
 * (a mutex through a local pointer)
 * Bug: the thread takes its connection's lock through a local pointer
 * 'm = &c->lock', then calls a helper that locks c->lock.
 * Expected rule: double-lock
 * locklint: FOUND: warning double-lock (c->lock through the local pointer m)
 */
#include <pthread.h>
#include <stdlib.h>

struct conn {
    pthread_mutex_t lock;
    int refs;
};

static void conn_ref(struct conn *c)
{
    pthread_mutex_lock(&c->lock);
    c->refs++;
    pthread_mutex_unlock(&c->lock);
}

static void *serve(void *arg)
{
    struct conn *c = arg;
    pthread_mutex_t *m = &c->lock;
    pthread_mutex_lock(m);
    conn_ref(c);
    pthread_mutex_unlock(m);
    return NULL;
}

int main(void)
{
    struct conn *c = calloc(1, sizeof *c);
    pthread_t t;
    pthread_mutex_init(&c->lock, NULL);
    pthread_create(&t, NULL, serve, c);
    pthread_join(t, NULL);
    return 0;
}
