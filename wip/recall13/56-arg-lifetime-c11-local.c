/* Modelled on: goblint/analyzer tests/regression/04-mutex/45-escape_rc.c
 * (a local's address given to a thread), with C11 threads and a helper
 * that returns without joining.
 * Bug: start() gives &cfg (its local) to a C11 thread and returns; the
 * thread reads it later.
 * Expected rule: thread-arg-lifetime
 * locklint: FOUND: warning thread-arg-lifetime (&cfg, C11)
 */
#include <threads.h>

struct cfg {
    int level;
};
static thrd_t worker_thr;

static int run(void *arg)
{
    const struct cfg *c = arg;
    return c->level;
}

int start(int level)
{
    struct cfg cfg = {level};
    return thrd_create(&worker_thr, run, &cfg) == thrd_success ? 0 : -1;
}

int main(void)
{
    int r;
    start(2);
    thrd_join(worker_thr, &r);
    return r;
}
