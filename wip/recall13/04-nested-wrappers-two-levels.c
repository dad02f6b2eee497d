/* Modelled on: facebook/infer infer/tests/codetoanalyze/c/starvation/nested_unbalanced_locks.c
 * Bug: m1 is taken through two levels of acquire wrappers
 * (outer_lock_m1 -> lock_m1), m2 through a wrapper that ignores its
 * argument; the other thread nests them the other way round.
 * Expected rule: lock-order-inversion
 * locklint: FOUND: warning lock-order-inversion
 */
#include <pthread.h>

static pthread_mutex_t m1 = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t m2 = PTHREAD_MUTEX_INITIALIZER;
struct ctx {
    int n;
};
static struct ctx ctx_a;
static int total;

static void lock_m1(void)
{
    pthread_mutex_lock(&m1);
}
static void outer_lock_m1(void)
{
    lock_m1();
}
static void unlock_m1(void)
{
    pthread_mutex_unlock(&m1);
}
static void lock_m2(struct ctx *c)
{
    (void)c;
    pthread_mutex_lock(&m2);
}
static void outer_lock_m2(struct ctx *c)
{
    lock_m2(&ctx_a);
    (void)c;
}
static void unlock_m2(void)
{
    pthread_mutex_unlock(&m2);
}

static void *t1(void *arg)
{
    outer_lock_m1();
    outer_lock_m2(&ctx_a);
    total++;
    unlock_m2();
    unlock_m1();
    return arg;
}

static void *t2(void *arg)
{
    pthread_mutex_lock(&m2);
    pthread_mutex_lock(&m1);
    total--;
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
