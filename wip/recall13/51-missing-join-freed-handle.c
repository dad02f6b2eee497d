/* Modelled on: issue threads "missing pthread_join" (threads created into a
 * heap object that is freed without joining them).
 * Bug: the monitor thread's handle lives in a malloc'd struct that
 * monitor_stop() frees without joining (or detaching) the thread.
 * Expected rule: missing-join
 * locklint: FOUND: warning missing-join (m->tid never joined)
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct monitor {
    pthread_t tid;
    volatile int stop;
};

static void *watch(void *arg)
{
    struct monitor *m = arg;
    while (!m->stop)
        usleep(1000);
    return NULL;
}

struct monitor *monitor_start(void)
{
    struct monitor *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    if (pthread_create(&m->tid, NULL, watch, m) != 0) {
        free(m);
        return NULL;
    }
    return m;
}

void monitor_stop(struct monitor *m)
{
    m->stop = 1;
    free(m);
}

int main(void)
{
    struct monitor *m = monitor_start();
    if (m)
        monitor_stop(m);
    return 0;
}
