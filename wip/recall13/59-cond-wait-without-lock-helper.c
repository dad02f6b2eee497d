/* Modelled on: clang/test/Analysis/pthreadlock.c-style misuse and
 * ckb-next/ckb-next#357 (a mutex locked and unlocked in the wrong thread)
 * -- the wait's mutex released by a helper just before the wait.
 * Bug: flush() releases q_lock (a release wrapper), then the caller waits
 * on the condition with the mutex not held.
 * Expected rule: cond-wait-without-lock
 * locklint: FOUND: warning cond-wait-without-lock (also unlock-not-held and a race on pending)
 */
#include <pthread.h>

static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_cv = PTHREAD_COND_INITIALIZER;
static int pending;

static void flush_unlock(void)
{
    pending = 0;
    pthread_mutex_unlock(&q_lock);
}

static void *drainer(void *arg)
{
    pthread_mutex_lock(&q_lock);
    flush_unlock();
    while (pending == 0)
        pthread_cond_wait(&q_cv, &q_lock);
    pthread_mutex_unlock(&q_lock);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, drainer, NULL);
    pthread_mutex_lock(&q_lock);
    pending = 1;
    pthread_cond_signal(&q_cv);
    pthread_mutex_unlock(&q_lock);
    pthread_join(t, NULL);
    return 0;
}
