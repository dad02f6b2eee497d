/* Modelled on: pocoproject/poco#3942 ("Fix data race when create POSIX
 * thread": pthread_create writes the handle field while the new thread
 * already reads it).
 * Bug: pthread_create() stores the new thread's id into w->tid; the thread
 * reads w->tid at once (to name itself) without any ordering with that store.
 * Expected rule: unprotected-write
 * locklint: MISSED: silent (the handle store made by pthread_create is not a write)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>

struct worker {
    pthread_t tid;
    char name[16];
};

static void *run(void *arg)
{
    struct worker *w = arg;
    pthread_setname_np(w->tid, w->name);
    return NULL;
}

int main(void)
{
    struct worker *w = calloc(1, sizeof *w);
    w->name[0] = 'w';
    pthread_create(&w->tid, NULL, run, w);
    pthread_join(w->tid, NULL);
    free(w);
    return 0;
}
