/* Modelled on: sysrepo/sysrepo#3009 ("race around POSIX thread barriers")
 * and the README's barrier-count rule.
 * Bug: the barrier counts NTHR + 1 parties (main included) but main never
 * waits on it: every worker blocks forever.
 * Expected rule: barrier-count
 * locklint: MISSED: silent (the creation loop bound i < NTHR, a macro, is not read as a number;
 * with i < 3 it is found)
 */
#include <pthread.h>

#define NTHR 3
static pthread_barrier_t start_line;

static void *runner(void *arg)
{
    pthread_barrier_wait(&start_line);
    return arg;
}

int main(void)
{
    pthread_t t[NTHR];
    pthread_barrier_init(&start_line, NULL, NTHR + 1);
    for (int i = 0; i < NTHR; i++)
        pthread_create(&t[i], NULL, runner, NULL);
    for (int i = 0; i < NTHR; i++)
        pthread_join(t[i], NULL);
    return 0;
}
