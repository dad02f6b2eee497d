/* Modelled on: facebook/infer infer/tests/codetoanalyze/c/starvation/return_aliases.c
 * Bug: lock-order inversion where one lock is reached through a getter's
 * return value (cfg_lock() returns &cfg_mtx) in one thread and named
 * directly in the other.
 * Expected rule: lock-order-inversion
 * locklint: FOUND: warning lock-order-inversion (cfg_mtx/log_mtx; the no-argument getter is
 * resolved)
 */
#include <pthread.h>

static pthread_mutex_t cfg_mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t log_mtx = PTHREAD_MUTEX_INITIALIZER;
static int cfg_gen, log_lines;

static pthread_mutex_t *cfg_lock(void)
{
    return &cfg_mtx;
}

static void *reloader(void *arg)
{
    pthread_mutex_lock(cfg_lock());
    pthread_mutex_lock(&log_mtx);
    log_lines++;
    cfg_gen++;
    pthread_mutex_unlock(&log_mtx);
    pthread_mutex_unlock(cfg_lock());
    return arg;
}

static void *logger(void *arg)
{
    pthread_mutex_lock(&log_mtx);
    pthread_mutex_lock(cfg_lock());
    log_lines += cfg_gen;
    pthread_mutex_unlock(cfg_lock());
    pthread_mutex_unlock(&log_mtx);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, reloader, NULL);
    pthread_create(&b, NULL, logger, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
