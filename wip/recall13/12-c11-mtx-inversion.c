/* Modelled on: goblint/analyzer tests/regression/15-deadlock/01-basic_deadlock.c,
 * written with C11 <threads.h> (mtx_t, thrd_create) and mutexes initialised
 * by mtx_init in main.
 * Expected rule: lock-order-inversion
 * locklint: FOUND: warning lock-order-inversion (C11 mtx_t)
 */
#include <threads.h>

static mtx_t a, b;
static int g;

static int left(void *arg)
{
    mtx_lock(&a);
    mtx_lock(&b);
    g++;
    mtx_unlock(&b);
    mtx_unlock(&a);
    return arg != 0;
}

static int right(void *arg)
{
    mtx_lock(&b);
    mtx_lock(&a);
    g--;
    mtx_unlock(&a);
    mtx_unlock(&b);
    return arg != 0;
}

int main(void)
{
    thrd_t t1, t2;
    mtx_init(&a, mtx_plain);
    mtx_init(&b, mtx_plain);
    thrd_create(&t1, left, 0);
    thrd_create(&t2, right, 0);
    thrd_join(t1, 0);
    thrd_join(t2, 0);
    return 0;
}
