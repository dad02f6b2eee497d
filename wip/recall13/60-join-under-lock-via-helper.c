/* Modelled on: goblint/analyzer tests/regression/15-deadlock/14-missing-unlock.c
 * (a join then a lock) turned round: the README's blocking-under-lock
 * shape, with the worker's lock taken in a helper two calls down and the
 * handle in a global struct.
 * Bug: shutdown holds state_lock while joining a worker that needs it.
 * Expected rule: blocking-under-lock
 * locklint: FOUND: warning blocking-under-lock (join of loop holding state_lock)
 */
#include <pthread.h>

struct svc {
    pthread_t tid;
    int running;
};
static struct svc svc;
static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static int state;

static void set_state(int s)
{
    pthread_mutex_lock(&state_lock);
    state = s;
    pthread_mutex_unlock(&state_lock);
}
static void step(void)
{
    set_state(state + 1);
}

static void *loop(void *arg)
{
    for (int i = 0; i < 100; i++)
        step();
    return arg;
}

int main(void)
{
    pthread_create(&svc.tid, NULL, loop, NULL);
    pthread_mutex_lock(&state_lock);
    svc.running = 0;
    pthread_join(svc.tid, NULL);
    pthread_mutex_unlock(&state_lock);
    return 0;
}
