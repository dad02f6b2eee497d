/* Modelled on: goblint/analyzer tests/regression/15-deadlock/07-account_deadlock.c
 * Bug: transfer between accounts in a global array; the two indices come
 * from the thread's argument struct, so two threads with (0,1) and (1,0)
 * lock accounts[0].lock and accounts[1].lock in opposite orders.
 * Expected rule: lock-order-inversion (same-class nesting)
 * locklint: FOUND: warning lock-order-inversion (same class struct account.lock, runtime order)
 */
#include <pthread.h>

struct account {
    pthread_mutex_t lock;
    long balance;
};
static struct account accounts[2] = {
    {PTHREAD_MUTEX_INITIALIZER, 100},
    {PTHREAD_MUTEX_INITIALIZER, 100},
};
struct xfer {
    int from, to;
    long amount;
};

static void *do_transfer(void *arg)
{
    struct xfer *x = arg;
    pthread_mutex_lock(&accounts[x->from].lock);
    pthread_mutex_lock(&accounts[x->to].lock);
    accounts[x->from].balance -= x->amount;
    accounts[x->to].balance += x->amount;
    pthread_mutex_unlock(&accounts[x->to].lock);
    pthread_mutex_unlock(&accounts[x->from].lock);
    return NULL;
}

int main(void)
{
    static struct xfer x1 = {0, 1, 10}, x2 = {1, 0, 20};
    pthread_t a, b;
    pthread_create(&a, NULL, do_transfer, &x1);
    pthread_create(&b, NULL, do_transfer, &x2);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
