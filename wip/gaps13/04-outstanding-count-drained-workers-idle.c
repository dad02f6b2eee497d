/*
 * Program: squashfs-tools 4.5.1, mksquashfs (`bytes`, mksquashfs.c:658
 *          write_inodes() vs frag_orderer()/frag_deflator()).
 * Rule:    unprotected-write (1 false warning).
 * Gap:     thread order through a drained work counter.  Main hands each
 *          fragment to the worker and counts it (`outstanding++`) under
 *          `frag_mu`; the worker advances `bytes` and decrements the count
 *          under the same lock.  Main then waits until the count is 0
 *          (re-taking `frag_mu` each time round) and stops queueing work.
 *          From then on the worker sits in queue_get() on an empty queue,
 *          so main's later plain writes of `bytes` (writing the inode and
 *          directory tables) cannot meet a worker access.  The workers are
 *          never joined (they are killed by exit), so only a join would
 *          order them for the engine.
 * Expected: no warning.
 * main reports (5bdca94): "data race: write to 'bytes' with no lock held
 *          can run concurrently with a read in 'frag_worker'".
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

static struct {
    pthread_mutex_t mu;
    pthread_cond_t ready;
    int n, items[16];
} q = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, {0}};

static pthread_mutex_t frag_mu = PTHREAD_MUTEX_INITIALIZER;
static long bytes;
static int outstanding;

static int queue_get(void)
{
    int it;
    pthread_mutex_lock(&q.mu);
    while (q.n == 0)
        pthread_cond_wait(&q.ready, &q.mu);
    it = q.items[--q.n];
    pthread_mutex_unlock(&q.mu);
    return it;
}

static void queue_put(int it)
{
    pthread_mutex_lock(&q.mu);
    q.items[q.n++] = it;
    pthread_cond_signal(&q.ready);
    pthread_mutex_unlock(&q.mu);
}

static void *frag_worker(void *arg)
{
    (void)arg;
    for (;;) {
        int size = queue_get();
        pthread_mutex_lock(&frag_mu);
        bytes += size;
        outstanding--;
        pthread_mutex_unlock(&frag_mu);
    }
    return NULL;
}

static void write_fragment(int size)
{
    pthread_mutex_lock(&frag_mu);
    outstanding++;
    queue_put(size);
    pthread_mutex_unlock(&frag_mu);
}

static void write_tables(void)
{
    bytes += 8192; /* inode table */
    bytes += 4096; /* directory table */
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, frag_worker, NULL);
    pthread_detach(t);

    for (int i = 1; i <= 8; i++)
        write_fragment(i * 100);

    pthread_mutex_lock(&frag_mu);
    while (outstanding) {
        pthread_mutex_unlock(&frag_mu);
        sched_yield();
        pthread_mutex_lock(&frag_mu);
    }
    pthread_mutex_unlock(&frag_mu);

    write_tables();
    return bytes > 0 ? 0 : 1;
}
