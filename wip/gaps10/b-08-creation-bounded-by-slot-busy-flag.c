/* Gap 08 (atftp atftpd: 1 false unbounded-thread-creation warning).
 * A request loop that starts a thread only for a slot of a fixed table whose
 * busy flag is clear, and sets the flag before the creation (atftpd's
 * tftpd_mtftp_server(): `if (thread->running) continue; ... thread->running =
 * 1; pthread_create(&thread->tid, ..., thread)`, the thread clearing it as
 * its last act). At most one thread per slot is alive, so live threads are
 * bounded by the table's size; the engine sees a creation on every iteration
 * of a read-driven loop.
 * Expected: silent. lead-v7: unbounded-thread-creation "(the loop is driven by 'read')". */
#include <pthread.h>
#include <stddef.h>
#include <unistd.h>

#define NSLOTS 4

struct slot { pthread_t tid; int running; int fd; };
static struct slot slots[NSLOTS]; /* one per served file: fixed */

static void *send_file(void *arg)
{
    struct slot *s = arg;
    pthread_detach(pthread_self());
    (void)write(s->fd, "x", 1);
    s->running = 0;
    return NULL;
}

static void *server(void *arg)
{
    char req;
    (void)arg;
    while (read(0, &req, 1) == 1) {
        struct slot *s = &slots[(unsigned char)req % NSLOTS];
        if (s->running)
            continue; /* at most one sender per slot */
        s->running = 1;
        if (pthread_create(&s->tid, NULL, send_file, s) != 0)
            s->running = 0;
    }
    return NULL;
}

int main(void)
{
    pthread_t t;
    for (int i = 0; i < NSLOTS; i++)
        slots[i].fd = 1;
    pthread_create(&t, NULL, server, NULL);
    pthread_join(t, NULL);
    return 0;
}
