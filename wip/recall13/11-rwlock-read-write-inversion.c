/* Modelled on: jubatus/jubatus#180 (model write lock vs mixer lock taken in
 * opposite orders), with pthread rwlocks: the model's rwlock taken for
 * writing then the mixer mutex; the mixer path takes the mixer mutex then
 * the model rwlock for reading (a reader blocks behind the writer).
 * Expected rule: lock-order-inversion
 * locklint: FOUND: warning lock-order-inversion (model_lock / mixer_lock)
 */
#include <pthread.h>

static pthread_rwlock_t model_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t mixer_lock = PTHREAD_MUTEX_INITIALIZER;
static int model_version, mixer_pending;

static void mixer_updated(void)
{
    pthread_mutex_lock(&mixer_lock);
    mixer_pending++;
    pthread_mutex_unlock(&mixer_lock);
}

static void *server(void *arg)
{
    pthread_rwlock_wrlock(&model_lock);
    model_version++;
    mixer_updated();
    pthread_rwlock_unlock(&model_lock);
    return arg;
}

static void *mixer(void *arg)
{
    pthread_mutex_lock(&mixer_lock);
    pthread_rwlock_rdlock(&model_lock);
    mixer_pending = model_version;
    pthread_rwlock_unlock(&model_lock);
    pthread_mutex_unlock(&mixer_lock);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, server, NULL);
    pthread_create(&b, NULL, mixer, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
