/* Modelled on: facebook/infer infer/tests/codetoanalyze/c/starvation/recursive_init.c
 * (relock_errorcheck_mutex_bad)
 * Bug: an error-checking mutex is taken twice; the second lock fails with
 * EDEADLK, unchecked, and the code goes on as if it held it twice, then
 * unlocks twice.
 * Expected rule: double-lock
 * locklint: FOUND: warning double-lock (plus unlock-not-held on the second unlock)
 */
#include <pthread.h>

static pthread_mutex_t ec_mutex;
static int value;

static void init_ec(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&ec_mutex, &attr);
}

static void *relock(void *arg)
{
    pthread_mutex_lock(&ec_mutex);
    pthread_mutex_lock(&ec_mutex);
    value++;
    pthread_mutex_unlock(&ec_mutex);
    pthread_mutex_unlock(&ec_mutex);
    return arg;
}

int main(void)
{
    pthread_t t;
    init_ec();
    pthread_create(&t, NULL, relock, NULL);
    pthread_join(t, NULL);
    return 0;
}
