/* Gap 01 (coturn turnserver: 3 false unprotected-write warnings).
 * A lock wrapper that checks the lock object before locking and returns the
 * lock call's status -- `if (m && m->mutex) return pthread_mutex_lock(...);
 * return -1;` -- is summarised as a trylock ("held when it returns 0"), so a
 * caller that ignores the result (every caller: the -1 path is only taken for
 * a never-initialised lock, a caller bug) is taken to hold nothing, and every
 * access under it races.
 * Expected: silent. lead-v7: unprotected-write on 'logfile' (and a lock-leak remark). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct { void *mutex; } turn_mutex;

static int turn_mutex_lock(const turn_mutex *m)
{
    if (m && m->mutex)
        return pthread_mutex_lock((pthread_mutex_t *)m->mutex);
    return -1;
}

static int turn_mutex_unlock(const turn_mutex *m)
{
    if (m && m->mutex)
        return pthread_mutex_unlock((pthread_mutex_t *)m->mutex);
    return -1;
}

static turn_mutex log_mutex;
static FILE *logfile;

static void put(const char *s)
{
    turn_mutex_lock(&log_mutex);
    if (!logfile)
        logfile = stdout;
    fputs(s, logfile);
    turn_mutex_unlock(&log_mutex);
}

static void *worker(void *arg)
{
    (void)arg;
    put("w\n");
    return NULL;
}

int main(void)
{
    pthread_t t;
    log_mutex.mutex = malloc(sizeof(pthread_mutex_t));
    if (!log_mutex.mutex)
        return 1;
    pthread_mutex_init((pthread_mutex_t *)log_mutex.mutex, NULL);
    pthread_create(&t, NULL, worker, NULL);
    put("m\n");
    pthread_join(t, NULL);
    return 0;
}
