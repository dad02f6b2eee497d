/* Modelled on: the same class of bug as 54, one step removed: the heap
 * argument holds a pointer into the creator's stack (a common shape when a
 * request struct is malloc'd but its buffer is a local array).
 * Bug: a->buf points to start_job()'s local array; the detached thread
 * reads it after start_job() returned.
 * Expected rule: thread-arg-lifetime
 * locklint: MISSED: silent (only the start argument itself is checked, not stack addresses stored
 * inside a heap argument)
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct job_arg {
    const char *buf;
    size_t len;
};

static void *job(void *p)
{
    struct job_arg *a = p;
    write(1, a->buf, a->len);
    free(a);
    return NULL;
}

int start_job(const char *msg)
{
    char local[128];
    pthread_t t;
    struct job_arg *a = malloc(sizeof *a);
    if (!a)
        return -1;
    strncpy(local, msg, sizeof local - 1);
    local[sizeof local - 1] = 0;
    a->buf = local;
    a->len = strlen(local);
    if (pthread_create(&t, NULL, job, a) != 0) {
        free(a);
        return -1;
    }
    pthread_detach(t);
    return 0;
}

int main(void)
{
    start_job("hello\n");
    pthread_exit(NULL);
}
