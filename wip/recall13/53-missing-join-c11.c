/* Modelled on: goblint/analyzer tests/regression/15-deadlock/13-deadlock-mhp.c's
 * never-joined noOpThread, with C11 threads.
 * Bug: main creates a C11 thread and returns without thrd_join/thrd_detach.
 * Expected rule: missing-join
 * locklint: FOUND: warning missing-join (C11 thread, main returns)
 */
#include <threads.h>
#include <stdio.h>

static int flusher(void *arg)
{
    fflush(stdout);
    return arg != 0;
}

int main(void)
{
    thrd_t t;
    if (thrd_create(&t, flusher, NULL) != thrd_success)
        return 1;
    puts("done");
    return 0;
}
