/* Modelled on: llvm/llvm-project clang/test/Analysis/pthreadlock.c (destroying
 * a locked mutex) -- with the destroy inside a cleanup helper.
 * Bug: conn_close() holds c->lock and calls conn_free(), which destroys
 * the mutex while it is still locked.
 * Expected rule: lock-lifecycle (off by default; run with --enable lock-lifecycle)
 * locklint: MISSED: silent (a destroy inside a helper of a lock the caller holds: documented)
 */
#include <pthread.h>
#include <stdlib.h>

struct conn {
    pthread_mutex_t lock;
    int fd;
};

static void conn_free(struct conn *c)
{
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static void *conn_close(void *arg)
{
    struct conn *c = arg;
    pthread_mutex_lock(&c->lock);
    c->fd = -1;
    conn_free(c);
    return NULL;
}

int main(void)
{
    struct conn *c = calloc(1, sizeof *c);
    pthread_t t;
    pthread_mutex_init(&c->lock, NULL);
    pthread_create(&t, NULL, conn_close, c);
    pthread_join(t, NULL);
    return 0;
}
