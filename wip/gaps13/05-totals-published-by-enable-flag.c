/*
 * Program: squashfs-tools 4.5.1, unsquashfs (`total_blocks`,
 *          `total_inodes`: pre_scan() vs progress_thread()).
 * Rule:    unprotected-write (2 false warnings).
 * Gap:     publication through a flag set under the reader's lock.  The
 *          progress thread is created early but reads the totals only when
 *          `progress_enabled` is set, and then under `screen_mutex`.  Main
 *          computes the totals (pre_scan) before it sets the flag with
 *          `screen_mutex` held (enable_progress_bar), so any read of the
 *          totals takes `screen_mutex` after main released it: ordered.
 *          (The flag's own unlocked read is a real, benign race, reported
 *          separately and judged true.)  Main's later plain writes of other
 *          counters, while the bar runs, are real races too.
 * Expected: no warning for the totals (the flag itself may warn).
 * main reports (5bdca94): "data race: write to 'total_blocks' with no lock
 *          held can run concurrently with a read in 'progress_thread'" (and
 *          'total_inodes').
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t screen_mutex = PTHREAD_MUTEX_INITIALIZER;
static int progress_enabled;
static long total_blocks, total_inodes;

static void *progress_thread(void *arg)
{
    (void)arg;
    for (;;) {
        usleep(250000);
        if (progress_enabled) {
            pthread_mutex_lock(&screen_mutex);
            printf("\r%ld/%ld", total_blocks, total_inodes);
            fflush(stdout);
            pthread_mutex_unlock(&screen_mutex);
        }
    }
    return NULL;
}

static void pre_scan(int n)
{
    for (int i = 0; i < n; i++) {
        total_blocks += 4;
        total_inodes++;
    }
}

static void enable_progress_bar(void)
{
    pthread_mutex_lock(&screen_mutex);
    progress_enabled = 1;
    pthread_mutex_unlock(&screen_mutex);
}

int main(int argc, char **argv)
{
    pthread_t t;
    (void)argv;
    pthread_create(&t, NULL, progress_thread, NULL);
    pthread_detach(t);
    pre_scan(argc * 1000);
    enable_progress_bar();
    sleep(1);
    return 0;
}
