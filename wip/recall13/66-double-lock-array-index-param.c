/* Modelled on: goblint/analyzer tests/regression/05-lval_ls/19-idxunknown_unlock_precise.c
 * (locks in an array indexed by a variable) combined with a helper.
 * Bug: the caller holds stripe_lock[h] and calls stripe_count(h), which
 * takes stripe_lock[h] again.
 * Expected rule: double-lock
 * locklint: FOUND: warning double-lock (stripe_lock[h%NS] through stripe_count)
 */
#include <pthread.h>

#define NS 16
static pthread_mutex_t stripe_lock[NS];
static int stripe_n[NS];

static int stripe_count(unsigned h)
{
    int n;
    pthread_mutex_lock(&stripe_lock[h % NS]);
    n = stripe_n[h % NS];
    pthread_mutex_unlock(&stripe_lock[h % NS]);
    return n;
}

static void *adder(void *arg)
{
    unsigned h = (unsigned)(unsigned long)arg;
    pthread_mutex_lock(&stripe_lock[h % NS]);
    if (stripe_count(h) < 100)
        stripe_n[h % NS]++;
    pthread_mutex_unlock(&stripe_lock[h % NS]);
    return NULL;
}

int main(void)
{
    pthread_t t;
    for (int i = 0; i < NS; i++)
        pthread_mutex_init(&stripe_lock[i], NULL);
    pthread_create(&t, NULL, adder, (void *)5UL);
    pthread_join(t, NULL);
    return 0;
}
