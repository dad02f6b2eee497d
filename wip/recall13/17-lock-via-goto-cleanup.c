/* Modelled on: goto-cleanup error handling of C daemons (wifidog-gateway#135,
 * libffi#297 fixed error paths); here the cleanup label releases only
 * the outer lock while an error path taken with the inner lock held
 * jumps to it.
 * Bug: 'cache_lock' leaked on the error path that jumps to 'out'.
 * Expected rule: lock-leak
 * locklint: FOUND: warning lock-leak (cache_lock on the goto path)
 */
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static int *cache;
static int entries;

int cache_insert(int v)
{
    int rc = -1;
    pthread_mutex_lock(&table_lock);
    pthread_mutex_lock(&cache_lock);
    int *n = realloc(cache, (entries + 1) * sizeof *n);
    if (!n)
        goto out;
    cache = n;
    cache[entries++] = v;
    pthread_mutex_unlock(&cache_lock);
    rc = 0;
out:
    pthread_mutex_unlock(&table_lock);
    return rc;
}

static void *worker(void *arg)
{
    cache_insert(1);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    cache_insert(2);
    pthread_join(t, NULL);
    return 0;
}
