/* Modelled on: adaptivecomputing/torque#57 ("Correct use of mutex ... to
 * prevent deadlock. Looks like this was just a copy/paste typo").
 * Bug: job_lock taken, queue_lock released (copy-paste): queue_lock is
 * released without being held and job_lock is leaked.
 * Expected rule: unlock-not-held (and lock-leak)
 * locklint: FOUND: warning unlock-not-held at the call (queue_lock) and lock-leak (job_lock)
 */
#include <pthread.h>

struct job {
    pthread_mutex_t job_lock;
    int state;
};
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;

void job_set_state(struct job *j, int st)
{
    pthread_mutex_lock(&j->job_lock);
    j->state = st;
    pthread_mutex_unlock(&queue_lock);
}

static struct job the_job = {PTHREAD_MUTEX_INITIALIZER, 0};
static void *worker(void *arg)
{
    job_set_state(&the_job, 1);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    return 0;
}
