/* Modelled on: BlueBrain/Brayns#478 ("Fix 'unlock of already unlocked
 * mutex' error") -- an error path releases in a helper and again at the
 * common exit.
 * Bug: on the error path, fail() releases db_lock, then the function's
 * exit releases it a second time.
 * Expected rule: unlock-not-held
 * locklint: FOUND: warning unlock-not-held (not held on every path)
 */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t db_lock = PTHREAD_MUTEX_INITIALIZER;
static int rows;

static void fail(const char *why)
{
    fprintf(stderr, "db: %s\n", why);
    pthread_mutex_unlock(&db_lock);
}

int db_insert(int v)
{
    int rc = 0;
    pthread_mutex_lock(&db_lock);
    if (v < 0) {
        fail("negative");
        rc = -1;
        goto out;
    }
    rows += v;
out:
    pthread_mutex_unlock(&db_lock);
    return rc;
}

static void *worker(void *arg)
{
    db_insert(-1);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    db_insert(2);
    pthread_join(t, NULL);
    return 0;
}
