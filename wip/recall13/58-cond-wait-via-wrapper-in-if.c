/* Modelled on: libimobiledevice/idevicerestore#296 ("cond_wait_timeout,
 * which then calls pthread_cond_wait ... there should be always a loop").
 * Bug: the caller waits once through a timed-wait wrapper under 'if' and
 * then consumes the event as if it had arrived.
 * Expected rule: cond-wait-outside-loop
 * locklint: FOUND: warning cond-wait-outside-loop (through the wrapper)
 */
#include <pthread.h>
#include <time.h>

struct cond {
    pthread_cond_t c;
    pthread_mutex_t m;
};
static struct cond ev = {PTHREAD_COND_INITIALIZER, PTHREAD_MUTEX_INITIALIZER};
static int event_ready, event_value;

static int cond_wait_timeout(struct cond *c, int ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    return pthread_cond_timedwait(&c->c, &c->m, &ts);
}

static void *waiter(void *arg)
{
    int v;
    pthread_mutex_lock(&ev.m);
    if (!event_ready)
        cond_wait_timeout(&ev, 5000);
    v = event_value;
    event_ready = 0;
    pthread_mutex_unlock(&ev.m);
    return (void *)(long)v;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    pthread_mutex_lock(&ev.m);
    event_value = 7;
    event_ready = 1;
    pthread_cond_signal(&ev.c);
    pthread_mutex_unlock(&ev.m);
    pthread_join(t, NULL);
    return 0;
}
