/* Modelled on: facebook/infer infer/tests/codetoanalyze/c/starvation/member_locks.c
 * Bug: struct A has a lock and a pointer to B, B a lock and a pointer to A;
 * one thread locks a->lock then a->b->lock, the other b->lock then
 * b->a->lock: A's and B's locks in opposite orders.
 * Expected rule: lock-order-inversion
 * locklint: FOUND: warning lock-order-inversion (a->lock / a->b->lock)
 */
#include <pthread.h>
#include <stdlib.h>

struct B;
struct A {
    pthread_mutex_t lock;
    struct B *b;
    int n;
};
struct B {
    pthread_mutex_t lock;
    struct A *a;
    int n;
};

static void *from_a(void *arg)
{
    struct A *a = arg;
    pthread_mutex_lock(&a->lock);
    pthread_mutex_lock(&a->b->lock);
    a->b->n++;
    pthread_mutex_unlock(&a->b->lock);
    pthread_mutex_unlock(&a->lock);
    return NULL;
}

static void *from_b(void *arg)
{
    struct B *b = arg;
    pthread_mutex_lock(&b->lock);
    pthread_mutex_lock(&b->a->lock);
    b->a->n++;
    pthread_mutex_unlock(&b->a->lock);
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

int main(void)
{
    struct A *a = calloc(1, sizeof *a);
    struct B *b = calloc(1, sizeof *b);
    pthread_t t1, t2;
    pthread_mutex_init(&a->lock, NULL);
    pthread_mutex_init(&b->lock, NULL);
    a->b = b;
    b->a = a;
    pthread_create(&t1, NULL, from_a, a);
    pthread_create(&t2, NULL, from_b, b);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    return 0;
}
