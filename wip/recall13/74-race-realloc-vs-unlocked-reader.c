/* Modelled on: bsc-performance-tools/extrae#6 ("realloc calls, which were
 * protected by a lock, may change the address of an array directly
 * accessed by other methods without any lock").
 * Bug: the grower reallocs the global table under tab_lock; the reader
 * indexes it without the lock.
 * Expected rule: unprotected-write
 * locklint: FOUND: warning unprotected-write (read of tab without tab_lock)
 */
#include <pthread.h>
#include <stdlib.h>

static int *tab;
static int tab_len;
static pthread_mutex_t tab_lock = PTHREAD_MUTEX_INITIALIZER;

static void *grower(void *arg)
{
    for (int i = 0; i < 100; i++) {
        pthread_mutex_lock(&tab_lock);
        int *n = realloc(tab, (tab_len + 16) * sizeof *n);
        if (n) {
            tab = n;
            tab_len += 16;
        }
        pthread_mutex_unlock(&tab_lock);
    }
    return arg;
}

static void *reader(void *arg)
{
    long s = 0;
    for (int i = 0; i < 16; i++)
        s += tab[i];
    return (void *)s;
}

int main(void)
{
    pthread_t a, b;
    tab = calloc(16, sizeof *tab);
    tab_len = 16;
    pthread_create(&a, NULL, grower, NULL);
    pthread_create(&b, NULL, reader, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
