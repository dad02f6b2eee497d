/* Modelled on: goblint/analyzer tests/regression/04-mutex/14-funarg_race.c
 * Bug: the thread updates 'hits' under stats_lock; main reads it under a
 * different lock (print_lock) and passes it to a function: the locks do
 * not exclude each other.
 * Expected rule: unprotected-write
 * locklint: FOUND: warning unprotected-write (read under print_lock vs write under stats_lock)
 */
#include <pthread.h>
#include <stdio.h>

static int hits;
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

static void *counter(void *arg)
{
    pthread_mutex_lock(&stats_lock);
    hits = hits + 1;
    pthread_mutex_unlock(&stats_lock);
    return arg;
}

static int plus_one(int x)
{
    return x + 1;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, counter, NULL);
    pthread_mutex_lock(&print_lock);
    printf("%d\n", plus_one(hits));
    pthread_mutex_unlock(&print_lock);
    pthread_join(t, NULL);
    return 0;
}
