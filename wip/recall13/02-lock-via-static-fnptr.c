/* Modelled on: facebook/infer infer/tests/codetoanalyze/c/starvation/function_pointer.c
 * Bug: lock-order inversion where the inner lock is taken by a function
 * called through a file-scope function pointer initialised statically
 * (no assignment statement anywhere).
 * Expected rule: lock-order-inversion
 * locklint: FOUND: warning lock-order-inversion (through the statically initialised slot)
 */
#include <pthread.h>

static pthread_mutex_t m1 = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t m2 = PTHREAD_MUTEX_INITIALIZER;
static int shared;

static void lock_m2(void)
{
    pthread_mutex_lock(&m2);
}
static void (*take_m2)(void) = lock_m2;

static void *t1(void *arg)
{
    pthread_mutex_lock(&m1);
    take_m2();
    shared++;
    pthread_mutex_unlock(&m2);
    pthread_mutex_unlock(&m1);
    return arg;
}

static void *t2(void *arg)
{
    pthread_mutex_lock(&m2);
    pthread_mutex_lock(&m1);
    shared--;
    pthread_mutex_unlock(&m1);
    pthread_mutex_unlock(&m2);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, t1, NULL);
    pthread_create(&b, NULL, t2, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
