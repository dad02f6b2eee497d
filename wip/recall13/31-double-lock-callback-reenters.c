/* Modelled on: microsoft/FASTER#331 (a callback run under a lock re-enters
 * the function that takes it) and lsst/qserv#87's warning about callbacks
 * re-locking a non-recursive mutex.
 * Bug: timer_fire() holds timers_lock while running the timer's callback,
 * stored through a struct field at registration; the callback re-arms the
 * timer via timer_add(), which takes timers_lock again: self-deadlock.
 * Expected rule: double-lock
 * locklint: FOUND: warning double-lock (timers_lock again through armed[i]->fn)
 */
#include <pthread.h>

struct timer {
    void (*fn)(struct timer *);
    int due;
};
static pthread_mutex_t timers_lock = PTHREAD_MUTEX_INITIALIZER;
static struct timer *armed[16];
static int narmed;

static void timer_add(struct timer *t, int due)
{
    pthread_mutex_lock(&timers_lock);
    t->due = due;
    armed[narmed++ & 15] = t;
    pthread_mutex_unlock(&timers_lock);
}

static void timer_fire(void)
{
    pthread_mutex_lock(&timers_lock);
    for (int i = 0; i < narmed && i < 16; i++)
        armed[i]->fn(armed[i]);
    narmed = 0;
    pthread_mutex_unlock(&timers_lock);
}

static void rearm(struct timer *t)
{
    timer_add(t, t->due + 10);
}

static struct timer heartbeat = {rearm, 0};

static void *ticker(void *arg)
{
    for (int i = 0; i < 10; i++)
        timer_fire();
    return arg;
}

int main(void)
{
    pthread_t t;
    timer_add(&heartbeat, 5);
    pthread_create(&t, NULL, ticker, NULL);
    pthread_join(t, NULL);
    return 0;
}
