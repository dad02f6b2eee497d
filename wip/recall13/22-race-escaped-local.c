/* Modelled on: goblint/analyzer tests/regression/04-mutex/45-escape_rc.c
 * Bug: main's local counter is given to the thread by address; both
 * increment it, under different locks.
 * Expected rule: unprotected-write
 * locklint: OTHER RULE: warning thread-arg-lifetime ("n changes while the thread may still read
 * it"); no unprotected-write (locals whose address escapes are not followed: documented)
 */
#include <pthread.h>

static pthread_mutex_t m1 = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t m2 = PTHREAD_MUTEX_INITIALIZER;

static void *t_fun(void *arg)
{
    int *p = arg;
    pthread_mutex_lock(&m1);
    (*p)++;
    pthread_mutex_unlock(&m1);
    return NULL;
}

int main(void)
{
    pthread_t t;
    int n = 0;
    pthread_create(&t, NULL, t_fun, &n);
    pthread_mutex_lock(&m2);
    n++;
    pthread_mutex_unlock(&m2);
    pthread_join(t, NULL);
    return n;
}
