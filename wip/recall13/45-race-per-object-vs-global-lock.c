/* Modelled on: goblint/analyzer tests/regression/06-symbeq/16-type_rc.c
 * (struct fields guarded by type) -- a field written under the object's
 * own lock in one thread and under an unrelated global lock in another.
 * Bug: item->refs updated under item->lock by the cache thread and under
 * cache_lock by the evictor.
 * Expected rule: unprotected-write
 * locklint: FOUND: warning unprotected-write (it->refs under it->lock vs cache_lock)
 */
#include <pthread.h>
#include <stdlib.h>

struct item {
    pthread_mutex_t lock;
    int refs;
};
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct item *the_item;

static void *user(void *arg)
{
    struct item *it = the_item;
    pthread_mutex_lock(&it->lock);
    it->refs++;
    pthread_mutex_unlock(&it->lock);
    return arg;
}

static void *evictor(void *arg)
{
    pthread_mutex_lock(&cache_lock);
    the_item->refs = 0;
    pthread_mutex_unlock(&cache_lock);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    the_item = calloc(1, sizeof *the_item);
    pthread_mutex_init(&the_item->lock, NULL);
    pthread_create(&a, NULL, user, NULL);
    pthread_create(&b, NULL, evictor, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
