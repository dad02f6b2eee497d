/* Modelled on: goblint/analyzer tests/regression/04-mutex/05-lockfuns.c and
 * 28-race_reach/05-lockfuns_racefree.c: the lock is taken by callers, and
 * one caller forgets.
 * Bug: queue_push() expects q_lock held; the producer thread holds it, the
 * flusher thread calls queue_push() without it.
 * Expected rule: unprotected-write
 * locklint: FOUND: warning unprotected-write (q[] and qlen)
 */
#include <pthread.h>

static int q[64], qlen;
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;

static void queue_push(int v)
{
    q[qlen++ & 63] = v;
}

static void *producer(void *arg)
{
    for (int i = 0; i < 10; i++) {
        pthread_mutex_lock(&q_lock);
        queue_push(i);
        pthread_mutex_unlock(&q_lock);
    }
    return arg;
}

static void *flusher(void *arg)
{
    queue_push(-1);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, producer, NULL);
    pthread_create(&b, NULL, flusher, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
