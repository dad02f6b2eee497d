/* Modelled on: the README's unbounded-thread-creation rule; thread-per-
 * connection servers (issue threads about resource exhaustion).
 * Bug: the accept loop calls spawn(), which creates and detaches a thread
 * per connection with no bound.
 * Expected rule: unbounded-thread-creation
 * locklint: FOUND: warning unbounded-thread-creation (spawn in the accept loop)
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static void *serve(void *arg)
{
    int fd = (int)(long)arg;
    close(fd);
    return NULL;
}

static int spawn(int fd)
{
    pthread_t t;
    if (pthread_create(&t, NULL, serve, (void *)(long)fd) != 0)
        return -1;
    return pthread_detach(t);
}

int main(void)
{
    int lfd = socket(AF_INET, SOCK_STREAM, 0), fd;
    while ((fd = accept(lfd, NULL, NULL)) >= 0)
        spawn(fd);
    return 0;
}
