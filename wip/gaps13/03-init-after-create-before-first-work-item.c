/*
 * Program: squashfs-tools 4.5.1, mksquashfs (dupl_frag, fragment_table,
 *          file_mapping, priority_list) and unsquashfs (sBlk.xattr_ids,
 *          sBlk.s.xattr_id_table_start, writer_fd).
 * Rule:    unprotected-write (7 false warnings).
 * Gap:     thread order through the first work item.  The worker threads
 *          are created early (initialise_threads()), and the first thing
 *          each does is take a work item from a queue (mutex + condvar).
 *          Main then fills in global tables (malloc + memset, reading an
 *          existing image, sorting priorities, opening the output) and only
 *          afterwards posts the first work item.  Everything a worker reads
 *          comes after its queue_get(), which synchronises with main's
 *          queue_put() under the queue mutex, so main's earlier plain
 *          writes happen before the reads.  The engine sees "thread exists"
 *          from pthread_create on, whatever it is waiting for.
 * Expected: no warning.
 * main reports (5bdca94): "data race: write to 'table' with no lock held
 *          can run concurrently with a read in 'worker'" (and the same for
 *          'out_fd').
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct {
    pthread_mutex_t mu;
    pthread_cond_t ready;
    int item; /* 0: none yet, -1: stop */
} q = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};

static int *table;
static int out_fd = 1;

static int queue_get(void)
{
    int it;
    pthread_mutex_lock(&q.mu);
    while (q.item == 0)
        pthread_cond_wait(&q.ready, &q.mu);
    it = q.item;
    q.item = 0;
    pthread_mutex_unlock(&q.mu);
    return it;
}

static void queue_put(int it)
{
    pthread_mutex_lock(&q.mu);
    q.item = it;
    pthread_cond_signal(&q.ready);
    pthread_mutex_unlock(&q.mu);
}

static void *worker(void *arg)
{
    (void)arg;
    int n = queue_get();
    if (n > 0 && table[n % 64] == 0)
        (void)write(out_fd, "x", 1);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t;
    (void)argv;
    pthread_create(&t, NULL, worker, NULL);

    /* set-up after the workers exist, before any work is queued */
    table = malloc(64 * sizeof *table);
    if (table == NULL)
        abort();
    memset(table, 0, 64 * sizeof *table);
    if (argc > 1)
        out_fd = 2;

    queue_put(argc + 1);
    pthread_join(t, NULL);
    free(table);
    return 0;
}
