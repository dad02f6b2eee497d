/* Modelled on: xjasonlyu/tun2socks#456 / NVIDIA/nccl#758 ("Some failure
 * cases forget to unlock the mutex"), inside a loop.
 * Bug: the loop body 'continue's past the unlock when an entry is stale,
 * so the next iteration locks the mutex again while holding it.
 * Expected rule: double-lock (next iteration) or lock-leak
 * locklint: FOUND: warning lock-leak (table[0].lock at return; the re-lock on the next iteration is
 * not reported as double-lock)
 */
#include <pthread.h>

struct entry {
    pthread_mutex_t lock;
    int stale;
    int hits;
};
static struct entry table[8];

static void *scanner(void *arg)
{
    for (int i = 0; i < 8; i++) {
        pthread_mutex_lock(&table[0].lock);
        if (table[0].stale)
            continue;
        table[0].hits++;
        pthread_mutex_unlock(&table[0].lock);
    }
    return arg;
}

int main(void)
{
    pthread_t t;
    for (int i = 0; i < 8; i++)
        pthread_mutex_init(&table[i].lock, NULL);
    pthread_create(&t, NULL, scanner, NULL);
    pthread_join(t, NULL);
    return 0;
}
