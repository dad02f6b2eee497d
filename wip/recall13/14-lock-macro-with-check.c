/* Modelled on: FreeRDP/FreeRDP#2789 ("adds checks to pthread mutex lock and
 * unlock functions") -- projects wrap locking in checking macros -- with
 * the lock-order bug of reverbrain/elliptics#528 (m_mutex vs state_lock).
 * Bug: lock-order inversion where both locks are taken through a macro that
 * aborts when pthread_mutex_lock fails, one of them via a statement-expression.
 * Expected rule: lock-order-inversion
 * locklint: FOUND: warning lock-order-inversion (through the checking macros)
 */
#include <pthread.h>
#include <stdlib.h>

#define LOCK(m)                                                                                    \
    do {                                                                                           \
        if (pthread_mutex_lock(m) != 0)                                                            \
            abort();                                                                               \
    } while (0)
#define UNLOCK(m)                                                                                  \
    do {                                                                                           \
        if (pthread_mutex_unlock(m) != 0)                                                          \
            abort();                                                                               \
    } while (0)
#define LOCKED(m)                                                                                  \
    ({                                                                                             \
        int rc_ = pthread_mutex_lock(m);                                                           \
        if (rc_)                                                                                   \
            abort();                                                                               \
        rc_;                                                                                       \
    })

struct node {
    pthread_mutex_t state_lock;
    int state;
};
static pthread_mutex_t route_lock = PTHREAD_MUTEX_INITIALIZER;
static struct node the_node = {PTHREAD_MUTEX_INITIALIZER, 0};
static int routes;

static void *route_update(void *arg)
{
    LOCK(&route_lock);
    LOCK(&the_node.state_lock);
    the_node.state = routes;
    UNLOCK(&the_node.state_lock);
    UNLOCK(&route_lock);
    return arg;
}

static void *node_reset(void *arg)
{
    (void)LOCKED(&the_node.state_lock);
    (void)LOCKED(&route_lock);
    routes = 0;
    UNLOCK(&route_lock);
    UNLOCK(&the_node.state_lock);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, route_update, NULL);
    pthread_create(&b, NULL, node_reset, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
