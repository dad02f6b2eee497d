/*
 * Program: squashfs-tools 4.5.1, mksquashfs (mksquashfs.c:1561,
 *          unlock_fragments).
 * Rule:    blocking-under-lock (1 false warning).
 * Gap:     a wait that cannot happen: every producer puts into `pending`
 *          while holding `frag_mu`, and the consumer takes from it only
 *          after `!queue_empty(pending)`, tested under `frag_mu` too.  With
 *          `frag_mu` held across the test and the get, the queue cannot
 *          become empty in between, so queue_get() never reaches its
 *          pthread_cond_wait.  The engine sees "may wait on q->empty while
 *          holding frag_mu, whose holder signals it".  (mksquashfs's own
 *          comment: "we're holding the fragment_mutex which ensures no
 *          other threads can be using the queue at this time".)
 * Expected: no warning for flush_pending()'s queue_get().
 * main reports (5bdca94): "call to 'queue_get' waits on 'q->empty' while
 *          holding 'frag_mu', which the thread that signals it takes".
 *          It also warns on the deflator's queue_put(pending) under
 *          `frag_mu`: that one is right in shape (a full `pending` would
 *          deadlock with flush_pending), and wrong only by capacity (1000
 *          slots, 100 puts); it is mksquashfs.c:2493, judged unclear.
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
static struct queue *pending;
static long bytes;

static void *deflator(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++) {
        long *b = malloc(sizeof *b);
        if (b == NULL)
            abort();
        pthread_mutex_lock(&frag_mu);
        queue_put(pending, b);
        pthread_mutex_unlock(&frag_mu);
    }
    return NULL;
}

static void flush_pending(void)
{
    pthread_mutex_lock(&frag_mu);
    while (!queue_empty(pending)) {
        long *b = queue_get(pending);
        bytes += *b = 4096;
        free(b);
    }
    pthread_mutex_unlock(&frag_mu);
}

int main(void)
{
    pthread_t d;
    pending = queue_init(1000);
    pthread_create(&d, NULL, deflator, NULL);
    flush_pending();
    pthread_join(d, NULL);
    flush_pending();
    return 0;
}
