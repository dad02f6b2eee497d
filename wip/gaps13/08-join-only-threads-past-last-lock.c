/*
 * Program: knot 3.2.6, knotd (knot/server/dthreads.c:509-526, dt_join()
 *          and thread_ep()).
 * Rule:    blocking-under-lock (1 false warning: "joining a thread ...
 *          while holding a lock that thread acquires: deadlock").
 * Gap:     the join is guarded by the thread's state.  dt_join() holds the
 *          unit's `report_mx` and joins only threads whose state has
 *          `JOINABLE`.  A thread sets `JOINABLE` (under its own mutex) as
 *          its last step, after its last use of `report_mx` (the final
 *          "state changed" signal), so a thread that is joined never needs
 *          `report_mx` again.  The engine sees that the thread's routine
 *          takes `report_mx` somewhere, and that the join may run with it
 *          held.
 * Expected: no warning.
 * main reports (5bdca94): "joining a thread running 'worker' while holding
 *          'unit->report_mx', which that thread acquires: deadlock".
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

enum { ACTIVE = 1, JOINABLE = 2, JOINED = 4 };

struct dthread {
    pthread_t thr;
    pthread_mutex_t mx;
    int state;
    struct unit *unit;
};

struct unit {
    pthread_mutex_t report_mx;
    pthread_cond_t report;
    int size;
    struct dthread threads[4];
};

static void signalize_change(struct unit *u)
{
    pthread_mutex_lock(&u->report_mx);
    pthread_cond_signal(&u->report);
    pthread_mutex_unlock(&u->report_mx);
}

static void *worker(void *arg)
{
    struct dthread *t = arg;
    /* ... work ... */
    signalize_change(t->unit); /* last use of report_mx */
    pthread_mutex_lock(&t->mx);
    t->state = (t->state & ~ACTIVE) | JOINABLE;
    pthread_mutex_unlock(&t->mx);
    return NULL;
}

static void unit_join(struct unit *u)
{
    for (;;) {
        int left = 0;
        struct timespec ts;
        pthread_mutex_lock(&u->report_mx);
        for (int i = 0; i < u->size; i++) {
            struct dthread *t = &u->threads[i];
            pthread_mutex_lock(&t->mx);
            if (t->state & JOINABLE) {
                pthread_mutex_unlock(&t->mx);
                pthread_join(t->thr, NULL);
                pthread_mutex_lock(&t->mx);
                t->state = JOINED;
            }
            if (t->state != JOINED)
                left++;
            pthread_mutex_unlock(&t->mx);
        }
        if (left == 0) {
            pthread_mutex_unlock(&u->report_mx);
            return;
        }
        /* woken by a state change, or after 10 ms at the latest */
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 10000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&u->report, &u->report_mx, &ts);
        pthread_mutex_unlock(&u->report_mx);
    }
}

int main(void)
{
    static struct unit u = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 4, {{0}}};
    for (int i = 0; i < u.size; i++) {
        struct dthread *t = &u.threads[i];
        pthread_mutex_init(&t->mx, NULL);
        t->unit = &u;
        t->state = ACTIVE;
        if (pthread_create(&t->thr, NULL, worker, t) != 0)
            abort();
    }
    unit_join(&u);
    return 0;
}
