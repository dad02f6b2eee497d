/* Modelled on: goblint/analyzer tests/regression/04-mutex/20-stdfun_race.c
 * (non-reentrant functions) -- a strerror/inet_ntoa-like helper with a
 * static buffer.
 * FIXED TWIN of 42: the buffer is _Thread_local.
 * threads call it at once.
 * Expected: silent
 * locklint: silent (correct; but 42 is silent too)
 */
#include <pthread.h>
#include <stdio.h>

static const char *fmt_addr(unsigned ip)
{
    static _Thread_local char buf[32];
    snprintf(buf, sizeof buf, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
    return buf;
}

static void *worker(void *arg)
{
    unsigned ip = (unsigned)(unsigned long)arg;
    puts(fmt_addr(ip));
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, worker, (void *)0x7f000001UL);
    pthread_create(&b, NULL, worker, (void *)0x0a000001UL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
