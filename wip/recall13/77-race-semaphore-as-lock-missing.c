/* Modelled on: goblint/analyzer tests/regression/04-mutex/51-arinc-sema.c
 * (a semaphore used as a lock)
 * Bug: the binary semaphore 'pool_sem' guards free_count in the allocator
 * thread; the releaser updates it without sem_wait.
 * Expected rule: unprotected-write
 * locklint: FOUND: warning unprotected-write (free_count)
 */
#include <pthread.h>
#include <semaphore.h>

static sem_t pool_sem;
static int free_count = 8;

static void *allocator(void *arg)
{
    for (int i = 0; i < 4; i++) {
        sem_wait(&pool_sem);
        free_count--;
        sem_post(&pool_sem);
    }
    return arg;
}

static void *releaser(void *arg)
{
    for (int i = 0; i < 4; i++)
        free_count++;
    return arg;
}

int main(void)
{
    pthread_t a, b;
    sem_init(&pool_sem, 0, 1);
    pthread_create(&a, NULL, allocator, NULL);
    pthread_create(&b, NULL, releaser, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
