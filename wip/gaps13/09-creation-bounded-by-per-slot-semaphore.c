/*
 * Program: lrzip 0.651 (stream.c:1489-1526 clear_buffer(), called by
 *          flush_buffer() from the rzip.c:253 and stream.c:1773 loops).
 * Rule:    unbounded-thread-creation (2 false warnings).
 * Gap:     the bound is a semaphore per slot.  Each of the N slots has a
 *          semaphore posted once at set-up.  Before creating a (detached)
 *          thread into slot i, the creator waits on slot i's semaphore; the
 *          thread posts it as its last action.  The slot index goes round
 *          (`if (++i == N) i = 0;`), so at most N threads are alive.  The
 *          message even suggests "a counting semaphore to limit live
 *          threads"; here it is N binary ones.  Cf. gaps10/b-08 (busy flags
 *          of a fixed table) and gaps12/05 (list size).
 * Expected: no warning.
 * main reports (5bdca94): "call to 'flush_buffer' creates a thread on every
 *          iteration of a loop with no bound (the loop runs while 'len')".
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>

#define NSLOTS 4

struct slot {
    sem_t sem;
    char *buf;
    size_t len;
};

static struct slot slots[NSLOTS];
static pthread_t threads[NSLOTS];

static void *compthread(void *arg)
{
    struct slot *s = arg;
    memset(s->buf, 0, s->len); /* stands for compressing and writing */
    free(s->buf);
    sem_post(&s->sem);
    return NULL;
}

static void flush_buffer(const char *data, size_t len)
{
    static int i = 0;
    sem_wait(&slots[i].sem); /* this slot's previous thread has ended */
    slots[i].buf = malloc(len);
    if (slots[i].buf == NULL)
        abort();
    memcpy(slots[i].buf, data, len);
    slots[i].len = len;
    if (pthread_create(&threads[i], NULL, compthread, &slots[i]) != 0 ||
        pthread_detach(threads[i]) != 0)
        abort();
    if (++i == NSLOTS)
        i = 0;
}

static void write_stream(const char *p, size_t len)
{
    while (len) {
        size_t n = len < 4096 ? len : 4096;
        flush_buffer(p, n);
        p += n;
        len -= n;
    }
}

int main(void)
{
    static char data[1 << 16];
    for (int i = 0; i < NSLOTS; i++) {
        sem_init(&slots[i].sem, 0, 0);
        sem_post(&slots[i].sem);
    }
    write_stream(data, sizeof data);
    for (int i = 0; i < NSLOTS; i++)
        sem_wait(&slots[i].sem);
    return 0;
}
