/* Modelled on: goblint/analyzer tests/regression/28-race_reach/77-tricky_address4_racing.c
 * Bug: the thread locks slot i's mutex (through a pointer p = &slots[i])
 * but then writes slot i+1's datum; main updates slot i+1 under its own
 * mutex -- the thread holds the wrong element's lock.
 * Expected rule: unprotected-write
 * locklint: MISSED: silent (slots[i].mutex held counts for slots[i+1].datum)
 */
#include <pthread.h>

struct slot {
    int datum;
    pthread_mutex_t mutex;
};
static struct slot slots[10];

static void *t_fun(void *arg)
{
    int i = (int)(long)arg;
    struct slot *p = &slots[i];
    pthread_mutex_lock(&p->mutex);
    slots[i + 1].datum++;
    pthread_mutex_unlock(&p->mutex);
    return NULL;
}

int main(void)
{
    pthread_t t;
    for (int i = 0; i < 10; i++)
        pthread_mutex_init(&slots[i].mutex, NULL);
    pthread_create(&t, NULL, t_fun, (void *)3L);
    pthread_mutex_lock(&slots[4].mutex);
    slots[4].datum = 0;
    pthread_mutex_unlock(&slots[4].mutex);
    pthread_join(t, NULL);
    return 0;
}
