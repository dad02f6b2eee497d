/* Modelled on: issue threads on sleeping with a lock held in retry loops
 * (backoff with usleep inside the critical section).
 * Bug: a retry macro sleeps with conn_lock held.
 * Expected rule: blocking-under-lock
 * locklint: FOUND: warning blocking-under-lock (usleep through the macro)
 */
#include <pthread.h>
#include <unistd.h>

#define RETRY_BACKOFF(n)                                                                           \
    do {                                                                                           \
        usleep(1000 * (n));                                                                        \
    } while (0)

static pthread_mutex_t conn_lock = PTHREAD_MUTEX_INITIALIZER;
static int connected;

static int try_connect(void)
{
    return connected++ > 3;
}

static void *connector(void *arg)
{
    pthread_mutex_lock(&conn_lock);
    for (int n = 1; !try_connect(); n++)
        RETRY_BACKOFF(n);
    pthread_mutex_unlock(&conn_lock);
    return arg;
}

static void *user(void *arg)
{
    pthread_mutex_lock(&conn_lock);
    connected = 0;
    pthread_mutex_unlock(&conn_lock);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, connector, NULL);
    pthread_create(&b, NULL, user, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
