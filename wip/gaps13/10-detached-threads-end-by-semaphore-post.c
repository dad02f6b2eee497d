/*
 * Program: lrzip 0.651 (stream.c:887-933 prepare_/close_streamout_threads()
 *          and compthread(): `cthreads`).
 * Rule:    unprotected-write (1 false warning).
 * Gap:     thread order through a semaphore.  The compression threads are
 *          detached; each reads the global slot table `cthreads`, and its
 *          last action is sem_post() on its slot's semaphore.  Main waits on
 *          every slot's semaphore before it frees the table and sets the
 *          pointer to NULL (and allocates the table before creating any
 *          thread).  Main does this once per input file, so the next
 *          file's calloc comes after the previous file's threads.
 *          sem_post/sem_wait order the threads' reads before main's
 *          writes; for the engine only a join ends a thread.  Cf.
 *          gaps10/a-05 (a semaphore as start-up handshake, for a stack
 *          argument), gaps12/08a-08b (polled done flags).
 * Expected: no warning.
 * main reports (5bdca94): "data race: write to 'cthreads' with no lock held
 *          can run concurrently with a read in 'compthread'".
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>

struct compress_thread {
    sem_t sem;
    long len;
};

static struct compress_thread *cthreads;
static int nthreads = 4;

static void *compthread(void *arg)
{
    long i = (long)arg;
    struct compress_thread *cti = &cthreads[i];
    cti->len /= 2; /* stands for compressing */
    sem_post(&cti->sem);
    return NULL;
}

static void prepare_threads(void)
{
    cthreads = calloc((size_t)nthreads, sizeof *cthreads);
    if (cthreads == NULL)
        abort();
    for (int i = 0; i < nthreads; i++) {
        sem_init(&cthreads[i].sem, 0, 0);
        sem_post(&cthreads[i].sem);
    }
}

static void start_thread(long i, long len)
{
    pthread_t t;
    sem_wait(&cthreads[i].sem);
    cthreads[i].len = len;
    if (pthread_create(&t, NULL, compthread, (void *)i) != 0 || pthread_detach(t) != 0)
        abort();
}

static void close_threads(void)
{
    for (int i = 0; i < nthreads; i++)
        sem_wait(&cthreads[i].sem);
    free(cthreads);
    cthreads = NULL;
}

static void compress_file(long size)
{
    prepare_threads();
    for (long i = 0; i < size / 4096; i++)
        start_thread(i % nthreads, 4096);
    close_threads();
}

int main(int argc, char **argv)
{
    (void)argv;
    for (int f = 1; f <= argc + 1; f++) /* one call per input file */
        compress_file(65536L * f);
    return 0;
}
