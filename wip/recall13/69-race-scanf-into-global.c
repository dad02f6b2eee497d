/* Modelled on: goblint/analyzer tests/regression/04-mutex/20-stdfun_race.c
 * Bug: main reads a number into a global with scanf() (a write through the
 * pointer argument of a C library function) while the thread updates it.
 * Expected rule: unprotected-write
 * locklint: MISSED: silent (scanf writing through &limit is not a write)
 * Since gap 1 landed (analyzer/memapi.c): found, unprotected-write warning.
 */
#include <pthread.h>
#include <stdio.h>

static int limit;

static void *bumper(void *arg)
{
    limit = limit + 1;
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, bumper, NULL);
    if (scanf("%d", &limit) != 1)
        puts("bad number");
    pthread_join(t, NULL);
    return limit;
}
