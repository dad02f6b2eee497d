/*
 * Program: iftop 1.0pre4 (iftop.c:822-845, main and packet_loop).
 * Rule:    missing-join (1 false warning).
 * Gap:     an explicit pthread_cancel() of the handle before main returns.
 *          The capture thread loops until capture fails (pcap_loop(pd, -1,
 *          ...)); when the user quits the UI,
 *          main cancels it and returns.  Cancelling says its remaining work
 *          is not wanted, so "the process ends and kills it mid-work" is
 *          what the program asks for; a join after the cancel would only
 *          wait for the next cancellation point.  The engine counts only a
 *          join or a detach.
 * Expected: no warning (a note at most).
 * main reports (5bdca94): "thread 'thread' may still be running when 'main'
 *          returns: the process ends and kills it mid-work".
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t tick_mutex = PTHREAD_MUTEX_INITIALIZER;
static unsigned long packets;

static int capture(void)
{
    return usleep(1000); /* stands for pcap_dispatch(); a cancellation point */
}

static void *packet_loop(void *arg)
{
    (void)arg;
    while (capture() == 0) {
        pthread_mutex_lock(&tick_mutex);
        packets++;
        pthread_mutex_unlock(&tick_mutex);
    }
    return NULL;
}

int main(void)
{
    pthread_t thread;
    pthread_create(&thread, NULL, packet_loop, NULL);

    sleep(1); /* stands for ui_loop(): returns when the user quits */

    pthread_cancel(thread);
    pthread_mutex_lock(&tick_mutex);
    printf("%lu packets\n", packets);
    pthread_mutex_unlock(&tick_mutex);
    return 0;
}
