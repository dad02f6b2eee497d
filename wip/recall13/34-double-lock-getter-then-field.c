/* Modelled on: facebook/infer starvation/return_aliases.c (a lock reached
 * through a getter's return value) applied to a self-deadlock.
 * Bug: session_lock(s) returns &s->lock; the caller holds it and calls
 * session_touch(s), which takes s->lock directly.
 * Expected rule: double-lock
 * locklint: MISSED (and 2 FALSE): no double-lock; instead unlock-not-held and lock-leak on
 * session_lock() -- each call of a getter returning &param->lock is a lock of its own
 */
#include <pthread.h>
#include <stdlib.h>

struct session {
    pthread_mutex_t lock;
    int last_seen;
    int hits;
};

static pthread_mutex_t *session_lock(struct session *s)
{
    return &s->lock;
}

static void session_touch(struct session *s)
{
    pthread_mutex_lock(&s->lock);
    s->last_seen++;
    pthread_mutex_unlock(&s->lock);
}

static void *handler(void *arg)
{
    struct session *s = arg;
    pthread_mutex_lock(session_lock(s));
    s->hits++;
    session_touch(s);
    pthread_mutex_unlock(session_lock(s));
    return NULL;
}

int main(void)
{
    struct session *s = calloc(1, sizeof *s);
    pthread_t t;
    pthread_mutex_init(&s->lock, NULL);
    pthread_create(&t, NULL, handler, s);
    pthread_join(t, NULL);
    return 0;
}
