/* Modelled on: goblint/analyzer tests/regression/28-race_reach/19-callback_racing.c
 * and 04-mutex/19-call_by_ptrrace.c
 * Bug: main passes a callback to a C library function (qsort) while a
 * thread runs; the callback writes a global under lock A, the thread
 * under lock B.
 * Expected rule: unprotected-write
 * locklint: MISSED: silent (the comparator runs inside qsort(); the callback is not followed as a
 * call)
 */
#include <pthread.h>
#include <stdlib.h>

static int compares;
static pthread_mutex_t ma = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t mb = PTHREAD_MUTEX_INITIALIZER;

static int cmp_int(const void *a, const void *b)
{
    pthread_mutex_lock(&ma);
    compares++;
    pthread_mutex_unlock(&ma);
    return *(const int *)a - *(const int *)b;
}

static void *reporter(void *arg)
{
    pthread_mutex_lock(&mb);
    compares = 0;
    pthread_mutex_unlock(&mb);
    return arg;
}

int main(void)
{
    int v[] = {3, 1, 2};
    pthread_t t;
    pthread_create(&t, NULL, reporter, NULL);
    qsort(v, 3, sizeof v[0], cmp_int);
    pthread_join(t, NULL);
    return v[0];
}
