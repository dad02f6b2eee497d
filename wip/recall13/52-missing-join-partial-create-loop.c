/* Modelled on: the error path of thread-pool constructors (the README's
 * constructor rule; issue threads "missing pthread_join" on failure paths).
 * Bug: pool_start() creates N workers into a caller-owned array; when one
 * creation fails it returns -1 without joining those already started.
 * Expected rule: missing-join
 * locklint: MISSED: silent (error path of a create loop in a function that is not a constructor
 * returning the object: documented)
 */
#include <pthread.h>

#define N 4
static void *worker(void *arg)
{
    return arg;
}

int pool_start(pthread_t *tids)
{
    for (int i = 0; i < N; i++)
        if (pthread_create(&tids[i], NULL, worker, NULL) != 0)
            return -1;
    return 0;
}

int main(void)
{
    pthread_t tids[N];
    if (pool_start(tids) != 0)
        return 1;
    for (int i = 0; i < N; i++)
        pthread_join(tids[i], NULL);
    return 0;
}
