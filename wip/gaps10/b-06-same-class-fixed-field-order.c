/* Gap 06 (lvm2 lvmpolld: 1 false lock-order-inversion warning).
 * Two locks of one class (two stores made by one constructor) reached through
 * two different fields of one object and always nested in the same field
 * order: 'ls->poll' then 'ls->abort' (lvmpolld's _lvmpolld_stores_lock()).
 * When 'ls' has no known origin (lvmpolld: 'ls = s.private' of a daemon_state
 * copied by value into each client thread's heap block; here: an exported
 * function's parameter), the nesting is read as "the order depends on runtime
 * values", although any thread takes X->poll before X->abort, and a poll
 * store is never an abort store (each field is filled from its own call).
 * Expected: silent. lead-v7: lock-order-inversion "'ls->abort->lock' acquired
 * while holding 'ls->poll->lock', another lock of class ...". */
#include <pthread.h>
#include <stdlib.h>

struct store { pthread_mutex_t lock; int active; };
struct state { struct store *poll, *abort; };

static struct store *store_new(void)
{
    struct store *s = malloc(sizeof *s);
    if (!s)
        return NULL;
    pthread_mutex_init(&s->lock, NULL);
    s->active = 0;
    return s;
}

static void *client_thread(void *arg)
{
    struct state *ls = arg;
    pthread_mutex_lock(&ls->poll->lock); /* always 'poll', then 'abort' */
    pthread_mutex_lock(&ls->abort->lock);
    ls->poll->active++;
    pthread_mutex_unlock(&ls->abort->lock);
    pthread_mutex_unlock(&ls->poll->lock);
    return NULL;
}

void serve(struct state *ls, int n) /* exported: its callers are not seen */
{
    for (int i = 0; i < n; i++) {
        pthread_t t;
        if (pthread_create(&t, NULL, client_thread, ls) == 0)
            pthread_detach(t);
    }
}

struct state *state_new(void)
{
    struct state *ls = malloc(sizeof *ls);
    if (!ls)
        return NULL;
    ls->poll = store_new();
    ls->abort = store_new();
    return ls;
}
