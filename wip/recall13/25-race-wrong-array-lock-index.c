/* Modelled on: goblint/analyzer tests/regression/28-race_reach/90-arrayloop2_racing.c
 * Bug: bucket[i] is guarded by bucket_lock[i]; one thread takes
 * bucket_lock[i + 1] (off by one) before touching bucket[i].
 * Expected rule: unprotected-write
 * locklint: MISSED: silent (bucket_lock[i+1] counts as guarding bucket[i]: array elements matched
 * by array, not index)
 */
#include <pthread.h>

#define N 8
static int bucket[N + 1];
static pthread_mutex_t bucket_lock[N + 1];

static void *good(void *arg)
{
    for (int i = 0; i < N; i++) {
        pthread_mutex_lock(&bucket_lock[i]);
        bucket[i]++;
        pthread_mutex_unlock(&bucket_lock[i]);
    }
    return arg;
}

static void *off_by_one(void *arg)
{
    for (int i = 0; i < N; i++) {
        pthread_mutex_lock(&bucket_lock[i + 1]);
        bucket[i]--;
        pthread_mutex_unlock(&bucket_lock[i + 1]);
    }
    return arg;
}

int main(void)
{
    pthread_t a, b;
    for (int i = 0; i <= N; i++)
        pthread_mutex_init(&bucket_lock[i], NULL);
    pthread_create(&a, NULL, good, NULL);
    pthread_create(&b, NULL, off_by_one, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
