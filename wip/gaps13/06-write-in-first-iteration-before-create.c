/*
 * Program: wrk 4.1.0 (wrk.c:113-115, main's thread-creation loop).
 * Rule:    unprotected-write (3 false warnings).
 * Gap:     a write guarded by `if (i == 0)` in the loop that creates the
 *          threads, before the pthread_create of the same iteration.  It
 *          runs in the first iteration only, before any thread exists; in
 *          later iterations, when threads run, the branch is not taken.
 *          The engine treats the loop body as running after the previous
 *          iterations' creations on every path, so the write "can run
 *          concurrently" with the threads' reads.
 * Expected: no warning.
 * main reports (5bdca94): "data race: write to 'cfg.pipeline' with no lock
 *          held can run concurrently with a read in 'thread_main'" (and
 *          'cfg.delay').
 */
#include <pthread.h>
#include <stdio.h>

static struct config {
    unsigned long threads;
    int pipeline;
    int delay;
} cfg = {4, 1, 0};

typedef struct {
    pthread_t thread;
    unsigned long sent;
} thread;

static thread threads[16];

static void *thread_main(void *arg)
{
    thread *t = arg;
    for (int i = 0; i < 1000; i++)
        t->sent += (unsigned long)cfg.pipeline;
    if (cfg.delay)
        t->sent = 0;
    return NULL;
}

int main(int argc, char **argv)
{
    (void)argv;
    for (unsigned long i = 0; i < cfg.threads; i++) {
        thread *t = &threads[i];
        if (i == 0) {
            cfg.pipeline = argc + 1;
            cfg.delay = argc > 2;
        }
        if (pthread_create(&t->thread, NULL, thread_main, t))
            return 2;
    }
    unsigned long total = 0;
    for (unsigned long i = 0; i < cfg.threads; i++) {
        pthread_join(threads[i].thread, NULL);
        total += threads[i].sent;
    }
    printf("%lu\n", total);
    return 0;
}
