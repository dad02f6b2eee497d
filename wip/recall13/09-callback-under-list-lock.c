/* Modelled on: issue threads about user callbacks run under a library lock
 * (eclipse-zenoh/zenoh#1092 "locks held while calling ... user callbacks",
 * microsoft/FASTER#331), in C: a registry iterates its listeners holding
 * reg_lock and calls each listener's callback, which takes the app's
 * state_lock; another thread holds state_lock and registers a listener.
 * Bug: reg_lock -> state_lock (through the callback stored in a struct
 * field by registration) vs state_lock -> reg_lock.
 * Expected rule: lock-order-inversion
 * locklint: FOUND: warning lock-order-inversion (reg_lock -> state_lock through l->cb)
 */
#include <pthread.h>
#include <stdlib.h>

struct listener {
    void (*cb)(void *ctx, int ev);
    void *ctx;
    struct listener *next;
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct listener *listeners;

static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static int last_event;

void reg_add(void (*cb)(void *, int), void *ctx)
{
    struct listener *l = malloc(sizeof *l);
    l->cb = cb;
    l->ctx = ctx;
    pthread_mutex_lock(&reg_lock);
    l->next = listeners;
    listeners = l;
    pthread_mutex_unlock(&reg_lock);
}

void reg_fire(int ev)
{
    pthread_mutex_lock(&reg_lock);
    for (struct listener *l = listeners; l; l = l->next)
        l->cb(l->ctx, ev);
    pthread_mutex_unlock(&reg_lock);
}

static void on_event(void *ctx, int ev)
{
    (void)ctx;
    pthread_mutex_lock(&state_lock);
    last_event = ev;
    pthread_mutex_unlock(&state_lock);
}

static void *producer(void *arg)
{
    for (int i = 0; i < 100; i++)
        reg_fire(i);
    return arg;
}

static void *app(void *arg)
{
    pthread_mutex_lock(&state_lock);
    last_event = -1;
    reg_add(on_event, NULL);
    pthread_mutex_unlock(&state_lock);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, app, NULL);
    pthread_create(&b, NULL, producer, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
