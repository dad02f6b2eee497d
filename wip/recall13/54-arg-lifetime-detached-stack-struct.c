/* Modelled on: the README's thread-arg-lifetime rule and issue threads on
 * "passing address of local variable to pthread_create" -- a request struct
 * on the caller's stack given to a detached thread.
 * Bug: spawn_request() returns right after detaching the thread; the
 * thread then reads the dead stack frame.
 * Expected rule: thread-arg-lifetime
 * locklint: FOUND: warning thread-arg-lifetime (&r, detached)
 */
#include <pthread.h>
#include <stdio.h>

struct req {
    int fd;
    char path[64];
};

static void *serve(void *arg)
{
    struct req *r = arg;
    printf("%d %s\n", r->fd, r->path);
    return NULL;
}

int spawn_request(int fd)
{
    struct req r = {fd, "/"};
    pthread_t t;
    if (pthread_create(&t, NULL, serve, &r) != 0)
        return -1;
    pthread_detach(t);
    return 0;
}

int main(void)
{
    spawn_request(3);
    pthread_exit(NULL);
}
