/* Modelled on: wolfcw/libfaketime#488 (initialisation done once with
 * non-atomic flags) -- the double-checked locking pattern.
 * Bug: the first test of 'instance' reads it without the lock while
 * another thread writes it under the lock.
 * Expected rule: unprotected-write
 * locklint: FOUND: warning unprotected-write (unlocked first test of instance)
 */
#include <pthread.h>
#include <stdlib.h>

struct conf {
    int level;
};
static struct conf *instance;
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;

static struct conf *get_conf(void)
{
    if (!instance) {
        pthread_mutex_lock(&init_lock);
        if (!instance) {
            struct conf *c = malloc(sizeof *c);
            c->level = 3;
            instance = c;
        }
        pthread_mutex_unlock(&init_lock);
    }
    return instance;
}

static void *worker(void *arg)
{
    return (void *)(long)get_conf()->level;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, worker, NULL);
    pthread_create(&b, NULL, worker, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
