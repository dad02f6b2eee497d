/* Modelled on: unwind/libunwind#331 (one-time initialisation that takes a
 * lock, reached from a context already holding it) and wolfcw/libfaketime#488
 * (pthread_once for initialisation).
 * Bug: get_table() runs pthread_once(init_table), whose routine takes
 * reg_lock; register_name() calls get_table() while holding reg_lock.
 * Expected rule: double-lock
 * locklint: FOUND: warning double-lock (reg_lock through get_table -> pthread_once routine)
 */
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;
static const char **table;
static int count;

static void init_table(void)
{
    pthread_mutex_lock(&reg_lock);
    table = calloc(64, sizeof *table);
    pthread_mutex_unlock(&reg_lock);
}

static const char **get_table(void)
{
    pthread_once(&table_once, init_table);
    return table;
}

void register_name(const char *n)
{
    pthread_mutex_lock(&reg_lock);
    get_table()[count++ & 63] = n;
    pthread_mutex_unlock(&reg_lock);
}

static void *worker(void *arg)
{
    register_name(arg);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, "w");
    pthread_join(t, NULL);
    return 0;
}
