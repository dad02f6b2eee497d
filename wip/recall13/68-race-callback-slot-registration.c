/* Modelled on: goblint/analyzer tests/regression/04-mutex/50-funptr_rc.c
 * (a function pointer written while another thread calls through it).
 * Bug: main installs the message handler after the reader thread started;
 * the reader tests and calls the slot without a lock.
 * Expected rule: unprotected-write
 * locklint: FOUND: warning unprotected-write (on_msg)
 */
#include <pthread.h>
#include <stdio.h>

static void (*on_msg)(int);

static void print_msg(int m)
{
    printf("%d\n", m);
}

static void *reader(void *arg)
{
    for (int i = 0; i < 100; i++)
        if (on_msg)
            on_msg(i);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    on_msg = print_msg;
    pthread_join(t, NULL);
    return 0;
}
