/* Modelled on: goblint/analyzer tests/regression/04-mutex/20-stdfun_race.c
 * (non-reentrant functions) -- a strerror/inet_ntoa-like helper with a
 * static buffer.
 * Bug: fmt_addr() formats into a static local buffer and returns it; two
 * threads call it at once.
 * Expected rule: unprotected-write
 * locklint: MISSED on 5bdca94: silent (snprintf into the static buffer was no write; buf[0]=... directly is
 * found)
 * Since gap 1 landed (analyzer/memapi.c): found, unprotected-write warning.
 */
#include <pthread.h>
#include <stdio.h>

static const char *fmt_addr(unsigned ip)
{
    static char buf[32];
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
