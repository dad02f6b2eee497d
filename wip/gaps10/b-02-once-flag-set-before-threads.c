/* Gap 02 (coturn turnserver: 3 false unprotected-write warnings; minidlna's
 * 'log_fp' is the same shape, judged unclear).
 * Lazy initialisation guarded by its own value -- `if (!start) start = now;`,
 * `if (!inited) { inited = 1; init(); }` -- whose first call is made by main
 * before any thread is created: afterwards the guard is always false and the
 * write never runs again, so threads only read. The engine takes the write as
 * possible at every call, in every thread.
 * Expected: silent. lead-v7: unprotected-write on 'start_time' (write in 'worker'). */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static time_t start_time; /* set by the first call */

static void log_msg(const char *s)
{
    if (!start_time)
        start_time = time(NULL);
    printf("%ld: %s\n", (long)(time(NULL) - start_time), s);
}

static void *worker(void *arg)
{
    (void)arg;
    log_msg("worker");
    return NULL;
}

int main(void)
{
    pthread_t t;
    log_msg("starting"); /* first call, before any thread: start_time != 0 from here on */
    pthread_create(&t, NULL, worker, NULL);
    log_msg("started");
    pthread_join(t, NULL);
    return 0;
}
