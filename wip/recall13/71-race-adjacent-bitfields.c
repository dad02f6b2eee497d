/* Modelled on: boostorg/interprocess#41 and ROCm/rocm-systems#9687 (two
 * bit-fields in one memory location written by different threads under
 * different locks -- or none).
 * Bug: 'dirty' and 'busy' share a byte; the flusher writes dirty under
 * flush_lock, the worker busy under work_lock: each write is a
 * read-modify-write of the whole unit.
 * Expected rule: unprotected-write
 * locklint: MISSED: silent (pg.dirty and pg.busy are two locations, though one memory location)
 */
#include <pthread.h>

struct page {
    unsigned dirty : 1;
    unsigned busy : 1;
    int data;
};
static struct page pg;
static pthread_mutex_t flush_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t work_lock = PTHREAD_MUTEX_INITIALIZER;

static void *flusher(void *arg)
{
    pthread_mutex_lock(&flush_lock);
    pg.dirty = 0;
    pthread_mutex_unlock(&flush_lock);
    return arg;
}

static void *worker(void *arg)
{
    pthread_mutex_lock(&work_lock);
    pg.busy = 1;
    pthread_mutex_unlock(&work_lock);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, flusher, NULL);
    pthread_create(&b, NULL, worker, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
