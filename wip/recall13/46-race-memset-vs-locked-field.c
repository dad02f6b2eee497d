/* Modelled on: goblint/analyzer tests/regression/04-mutex/71-memset_direct_rc.c
 * Bug: the resetter clears the stats struct with memset() through a
 * pointer parameter without the lock; the worker updates a field under it.
 * Expected rule: unprotected-write
 * locklint: NOTE: remark unprotected-write on s->rx (memset through a parameter; object behind a
 * pointer is a note)
 */
#include <pthread.h>
#include <string.h>

struct stats {
    long rx, tx;
};
static struct stats st;
static pthread_mutex_t st_lock = PTHREAD_MUTEX_INITIALIZER;

static void stats_clear(struct stats *s)
{
    memset(s, 0, sizeof *s);
}

static void *worker(void *arg)
{
    pthread_mutex_lock(&st_lock);
    st.rx++;
    pthread_mutex_unlock(&st_lock);
    return arg;
}

static void *resetter(void *arg)
{
    stats_clear(&st);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, worker, NULL);
    pthread_create(&b, NULL, resetter, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
