/* Modelled on: habitat-sh/habitat#7044 ("Taking a lock inside a signal
 * handler is inherently unsafe": the thread holding the lock is interrupted
 * and the handler blocks on it), dfinity/ic#9893, babelouest/glewlwyd#103.
 * Bug: the SIGUSR1 handler takes log_lock; main holds log_lock while
 * writing; a signal delivered to main then deadlocks main on itself.
 * Expected rule: double-lock (self-deadlock through the handler), or a
 * blocking/async-signal-safety finding
 * locklint: MISSED: silent (signal handlers are not modelled)
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int rotations;
static FILE *logf;

static void on_usr1(int sig)
{
    (void)sig;
    pthread_mutex_lock(&log_lock);
    rotations++;
    pthread_mutex_unlock(&log_lock);
}

static void log_line(const char *s)
{
    pthread_mutex_lock(&log_lock);
    fputs(s, logf);
    pthread_mutex_unlock(&log_lock);
}

int main(void)
{
    logf = stdout;
    signal(SIGUSR1, on_usr1);
    for (int i = 0; i < 1000; i++)
        log_line("tick\n");
    return 0;
}
