/* Modelled on: goblint/analyzer tests/regression/04-mutex/29-funstruct_rc.c
 * (functions in a struct of function pointers)
 * Bug: a worker dispatches commands through a table of handlers; the
 * 'reset' handler clears a global counter without a lock, which the
 * other thread increments under its lock.
 * Expected rule: unprotected-write
 * locklint: FOUND: warning unprotected-write (counter in cmd_reset through the handler table)
 */
#include <pthread.h>

static int counter;
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;

static void cmd_reset(void)
{
    counter = 0;
}
static void cmd_noop(void) {}

static void (*const handlers[])(void) = {cmd_noop, cmd_reset};

static void *dispatcher(void *arg)
{
    int *cmds = arg;
    for (int i = 0; cmds[i] >= 0; i++)
        handlers[cmds[i]]();
    return NULL;
}

static void *incrementer(void *arg)
{
    for (int i = 0; i < 100; i++) {
        pthread_mutex_lock(&counter_lock);
        counter++;
        pthread_mutex_unlock(&counter_lock);
    }
    return arg;
}

int main(void)
{
    static int cmds[] = {0, 1, 0, -1};
    pthread_t a, b;
    pthread_create(&a, NULL, dispatcher, cmds);
    pthread_create(&b, NULL, incrementer, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
