/* Modelled on: llvm/llvm-project clang/test/Analysis/pthreadlock.c
 * ("This lock is still locked" at pthread_mutex_destroy).
 * Bug: the mutex is destroyed in the same function while locked.
 * Expected rule: lock-lifecycle (off by default; run with --enable lock-lifecycle)
 * locklint: FOUND: warning lock-lifecycle (destroyed while held)
 */
#include <pthread.h>
#include <stdlib.h>

struct conn {
    pthread_mutex_t lock;
    int fd;
};

static void *conn_close(void *arg)
{
    struct conn *c = arg;
    pthread_mutex_lock(&c->lock);
    c->fd = -1;
    pthread_mutex_destroy(&c->lock);
    free(c);
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
