/* Modelled on: babelouest/glewlwyd#103 / radareorg/radare2#4896 (signal
 * handlers that touch state the interrupted code is using); here a
 * worker thread and a SIGHUP handler (run on any thread) both update a
 * reload counter, the thread under a lock the handler cannot take.
 * Bug: 'reloads' written in the handler without synchronisation while the
 * worker updates it under cfg_lock.
 * Expected rule: unprotected-write
 * locklint: MISSED: silent (signal handlers are not modelled)
 */
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

static int reloads;
static pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;

static void on_hup(int sig)
{
    (void)sig;
    reloads++;
}

static void *worker(void *arg)
{
    for (int i = 0; i < 100; i++) {
        pthread_mutex_lock(&cfg_lock);
        reloads += 2;
        pthread_mutex_unlock(&cfg_lock);
        usleep(10);
    }
    return arg;
}

int main(void)
{
    pthread_t t;
    signal(SIGHUP, on_hup);
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    return reloads;
}
