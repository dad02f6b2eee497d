/* Modelled on: OpenPrinting/cups#624 / tkengo/highway#4 ("use while in
 * pthread_cond_wait"), with C11 cnd_wait.
 * Bug: the consumer waits once under 'if' and then takes from the queue.
 * Expected rule: cond-wait-outside-loop
 * locklint: FOUND: warning cond-wait-outside-loop (cnd_wait)
 */
#include <threads.h>

static mtx_t m;
static cnd_t nonempty;
static int items;

static int consumer(void *arg)
{
    mtx_lock(&m);
    if (items == 0)
        cnd_wait(&nonempty, &m);
    items--;
    mtx_unlock(&m);
    return arg != 0;
}

int main(void)
{
    thrd_t t;
    mtx_init(&m, mtx_plain);
    cnd_init(&nonempty);
    thrd_create(&t, consumer, NULL);
    mtx_lock(&m);
    items++;
    cnd_signal(&nonempty);
    mtx_unlock(&m);
    thrd_join(t, NULL);
    return 0;
}
