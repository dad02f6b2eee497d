/* Modelled on: libffi/libffi#297 ("Fix error path so mutex is unlocked
 * before returning"), with the lock reached through a lookup function's
 * returned bucket.
 * Bug: bucket_put() returns -1 on a full bucket with b->lock still held.
 * Expected rule: lock-leak
 * locklint: FOUND: warning lock-leak (buckets[key&15].lock)
 */
#include <pthread.h>

struct bucket {
    pthread_mutex_t lock;
    int n;
    int keys[4];
};
static struct bucket buckets[16];

static struct bucket *bucket_for(int key)
{
    return &buckets[key & 15];
}

int bucket_put(int key)
{
    struct bucket *b = bucket_for(key);
    pthread_mutex_lock(&b->lock);
    if (b->n == 4)
        return -1;
    b->keys[b->n++] = key;
    pthread_mutex_unlock(&b->lock);
    return 0;
}

static void *worker(void *arg)
{
    for (int i = 0; i < 100; i++)
        bucket_put(i);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    for (int i = 0; i < 16; i++)
        pthread_mutex_init(&buckets[i].lock, NULL);
    pthread_create(&a, NULL, worker, NULL);
    pthread_create(&b, NULL, worker, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
