/* Modelled on: facebook/infer infer/tests/codetoanalyze/c/starvation/dynamic_alloc.c
 * Bug: locks held by pointer in struct fields (s->m1, s->m2.mutex, the
 * second inside a struct passed BY VALUE to a wrapper) nested in opposite
 * orders by two threads sharing one struct wrapper.
 * Expected rule: lock-order-inversion
 * locklint: FOUND: warning lock-order-inversion (s->m1 / s->m2.mutex)
 */
#include <pthread.h>
#include <stdlib.h>

struct mutex_ref {
    pthread_mutex_t *mutex;
};
struct wrapper {
    pthread_mutex_t *m1;
    struct mutex_ref m2;
    int data;
};

static void ref_lock(struct mutex_ref r)
{
    pthread_mutex_lock(r.mutex);
}
static void lock_direct(pthread_mutex_t *m)
{
    pthread_mutex_lock(m);
}

static void *t1(void *arg)
{
    struct wrapper *s = arg;
    lock_direct(s->m1);
    ref_lock(s->m2);
    s->data++;
    pthread_mutex_unlock(s->m2.mutex);
    pthread_mutex_unlock(s->m1);
    return NULL;
}

static void *t2(void *arg)
{
    struct wrapper *s = arg;
    pthread_mutex_lock(s->m2.mutex);
    pthread_mutex_lock(s->m1);
    s->data--;
    pthread_mutex_unlock(s->m1);
    pthread_mutex_unlock(s->m2.mutex);
    return NULL;
}

int main(void)
{
    static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
    struct wrapper *w = calloc(1, sizeof *w);
    pthread_t x, y;
    w->m1 = &a;
    w->m2.mutex = &b;
    pthread_create(&x, NULL, t1, w);
    pthread_create(&y, NULL, t2, w);
    pthread_join(x, NULL);
    pthread_join(y, NULL);
    return 0;
}
