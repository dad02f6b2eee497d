/*
 * Program: squashfs-tools 4.5.1, mksquashfs (caches-queues-lists.c,
 *          mksquashfs.c: unlock_fragments, write_fragment, frag_deflator,
 *          frag_orderer).
 * Rule:    blocking-under-lock (4 false warnings).
 * Gap:     condition-variable identity per object.  queue_put()/queue_get()
 *          wait on and signal `queue->full` / `queue->empty` of the queue
 *          passed in.  The engine names the condvar by the field
 *          (`queue->full`), so a queue_get() on ONE queue (`pending`, taken
 *          under `frag_mu`) becomes the signaller of every queue's `full`,
 *          and the queue_put(to_writer) under `frag_mu` the signaller of
 *          every queue's `empty`.
 *          The thread that really empties `to_writer` (the writer) never
 *          takes `frag_mu`, so the producer blocked in queue_put(to_writer)
 *          while holding `frag_mu` always gets woken.
 * Expected: no warning (a note at most: a blocking call under a lock).
 * main reports (5bdca94): two warnings, "call to 'queue_put' waits on
 *          'q->full' while holding 'frag_mu', which the thread that signals
 *          it takes" (the signal cited is queue_get(pending)), and the same
 *          for queue_get(pending) on 'q->empty' (signal cited:
 *          queue_put(to_writer)).
 */
#include <pthread.h>
#include <stdlib.h>

struct queue {
    pthread_mutex_t mutex;
    pthread_cond_t empty, full;
    int readp, writep, size;
    void **data;
};

static struct queue *queue_init(int size)
{
    struct queue *q = calloc(1, sizeof *q);
    if (q == NULL)
        abort();
    q->data = calloc((size_t)size + 1, sizeof(void *));
    q->size = size + 1;
    pthread_mutex_init(&q->mutex, NULL);
    pthread_cond_init(&q->empty, NULL);
    pthread_cond_init(&q->full, NULL);
    return q;
}

static void queue_put(struct queue *q, void *d)
{
    int nextp;
    pthread_mutex_lock(&q->mutex);
    while ((nextp = (q->writep + 1) % q->size) == q->readp)
        pthread_cond_wait(&q->full, &q->mutex);
    q->data[q->writep] = d;
    q->writep = nextp;
    pthread_cond_signal(&q->empty);
    pthread_mutex_unlock(&q->mutex);
}

static void *queue_get(struct queue *q)
{
    void *d;
    pthread_mutex_lock(&q->mutex);
    while (q->readp == q->writep)
        pthread_cond_wait(&q->empty, &q->mutex);
    d = q->data[q->readp];
    q->readp = (q->readp + 1) % q->size;
    pthread_cond_signal(&q->full);
    pthread_mutex_unlock(&q->mutex);
    return d;
}

static int queue_empty(struct queue *q)
{
    int e;
    pthread_mutex_lock(&q->mutex);
    e = q->readp == q->writep;
    pthread_mutex_unlock(&q->mutex);
    return e;
}

static pthread_mutex_t frag_mu = PTHREAD_MUTEX_INITIALIZER;
static struct queue *to_writer, *pending;
static long bytes;

/* The writer: empties to_writer without ever taking frag_mu. */
static void *writer(void *arg)
{
    (void)arg;
    for (;;) {
        long *b = queue_get(to_writer);
        if (b == NULL)
            return NULL;
        free(b);
    }
}

/* Main: numbers the pending blocks under frag_mu and hands them to the
 * writer.  Neither queue's signaller holds frag_mu. */
static void flush_pending(void)
{
    pthread_mutex_lock(&frag_mu);
    while (!queue_empty(pending)) {
        long *b = queue_get(pending);
        *b = bytes;
        bytes += 4096;
        queue_put(to_writer, b);
    }
    pthread_mutex_unlock(&frag_mu);
}

static void *deflator(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++) {
        long *b = malloc(sizeof *b);
        if (b == NULL)
            abort();
        queue_put(pending, b);
    }
    return NULL;
}

int main(void)
{
    pthread_t w, d;
    to_writer = queue_init(1000);
    pending = queue_init(1000);
    pthread_create(&w, NULL, writer, NULL);
    pthread_create(&d, NULL, deflator, NULL);
    pthread_join(d, NULL);
    flush_pending();
    queue_put(to_writer, NULL);
    pthread_join(w, NULL);
    return 0;
}
