/* Modelled on: mosquitto 1.3.2's "mutex incorrectly passed by value" (the
 * README's lock-copy rule), with the copy made by returning a struct that
 * holds the mutex by value.
 * Bug: get_counter() returns the counter struct (mutex included) by value;
 * the threads lock their own copies, excluding nobody.
 * Expected rule: lock-copy (and unprotected-write on the copies' target)
 * locklint: MISSED: silent (a struct returned by value is not followed as a copy: documented)
 */
#include <pthread.h>

struct counter {
    pthread_mutex_t lock;
    int *value;
};
static int hits;
static struct counter the_counter = {PTHREAD_MUTEX_INITIALIZER, &hits};

static struct counter get_counter(void)
{
    return the_counter;
}

static void *worker(void *arg)
{
    struct counter c = get_counter();
    pthread_mutex_lock(&c.lock);
    (*c.value)++;
    pthread_mutex_unlock(&c.lock);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, worker, NULL);
    pthread_create(&b, NULL, worker, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return hits;
}
