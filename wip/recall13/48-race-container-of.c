/* Modelled on: goblint/analyzer tests/regression/06-symbeq/14-list_entry_rc.c
 * Bug: objects are reached through an embedded list node and
 * container_of(); the worker updates the object's counter without its
 * lock, main under it.
 * Expected rule: unprotected-write
 * locklint: MISSED: silent (the container_of access l^node->count is not paired with o->count; a
 * list walk through a next field in struct obj gives a note)
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

#define container_of(p, T, m) ((T *)((char *)(p) - offsetof(T, m)))

struct link {
    struct link *next;
};
struct obj {
    pthread_mutex_t lock;
    int count;
    struct link node;
};
static struct link *head;

static void *worker(void *arg)
{
    for (struct link *l = head; l; l = l->next) {
        struct obj *o = container_of(l, struct obj, node);
        o->count++;
    }
    return arg;
}

int main(void)
{
    struct obj *o = calloc(1, sizeof *o);
    pthread_t t;
    pthread_mutex_init(&o->lock, NULL);
    head = &o->node;
    pthread_create(&t, NULL, worker, NULL);
    pthread_mutex_lock(&o->lock);
    o->count = 0;
    pthread_mutex_unlock(&o->lock);
    pthread_join(t, NULL);
    return 0;
}
