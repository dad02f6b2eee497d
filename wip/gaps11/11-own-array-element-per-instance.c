/* Gap 11 (fio 3.33 `fio`: 1 false unprotected-write warning).
 * Program: fio. Rule: unprotected-write.
 * Gap (object identity): a creation loop gives each thread its own array
 * element (`pthread_create(..., fn, &ipc.ipts[i])`); each instance writes
 * only its own element's `state`, under the element's init_lock in its
 * first phase and under its start_lock in its second, and the creator
 * waits for each element's state under init_lock while it holds every
 * start_lock (phase 2 starts only when it releases them).  Two instances never
 * touch the same element, but the engine pairs the start_lock write in one
 * instance with the init_lock write in "another instance of" the thread
 * (README, known limit: a routine created in a loop names no argument
 * block).  Without the creator's read the engine says nothing; with it the
 * instance-vs-instance pair is a warning.
 * fio: idletime.c:137 (ipt->state under ipt->start_lock) against :94 /
 * :110 / :115 (under ipt->init_lock) in idle_prof_thread_fn(), created at
 * idletime.c:262 with `ipt = &ipc.ipts[i]`; the creator's wait at :290-303.
 * Expected: no finding.  main (c98824d): unprotected-write warning on
 * 'ipt->state' against "another instance of thread 'idle_fn'" (and gap
 * 03's unlock-not-held on the start_lock release loop, a note lock-leak). */
#include <pthread.h>
#include <stdlib.h>

struct idle_thread {
	pthread_t thread;
	pthread_mutex_t init_lock;
	pthread_mutex_t start_lock;
	pthread_cond_t cond;
	int state;
};

static struct {
	int nr;
	struct idle_thread *ipts;
} ipc;

static void *idle_fn(void *data)
{
	struct idle_thread *ipt = data;

	pthread_mutex_lock(&ipt->init_lock);
	ipt->state = 1;
	pthread_cond_signal(&ipt->cond);
	pthread_mutex_unlock(&ipt->init_lock);

	pthread_mutex_lock(&ipt->start_lock);
	ipt->state = 2; /* false warning here */
	pthread_mutex_unlock(&ipt->start_lock);
	return NULL;
}

int main(void)
{
	struct idle_thread *ipt;
	int i, n;

	ipc.nr = 4;
	ipc.ipts = calloc(ipc.nr, sizeof(*ipc.ipts));
	if (ipc.ipts == NULL)
		return 1;
	for (n = 0; n < ipc.nr; n++) {
		ipt = &ipc.ipts[n];
		pthread_mutex_init(&ipt->init_lock, NULL);
		pthread_mutex_init(&ipt->start_lock, NULL);
		pthread_cond_init(&ipt->cond, NULL);
		pthread_mutex_lock(&ipt->start_lock); /* phase 2 waits for us */
		if (pthread_create(&ipt->thread, NULL, idle_fn, ipt)) {
			pthread_mutex_unlock(&ipt->start_lock);
			break;
		}
	}
	for (i = 0; i < n; i++) {
		ipt = &ipc.ipts[i];
		pthread_mutex_lock(&ipt->init_lock);
		while (ipt->state == 0)
			pthread_cond_wait(&ipt->cond, &ipt->init_lock);
		pthread_mutex_unlock(&ipt->init_lock);
	}
	for (i = 0; i < n; i++) { /* start phase 2 */
		ipt = &ipc.ipts[i];
		pthread_mutex_unlock(&ipt->start_lock);
	}
	for (i = 0; i < n; i++)
		pthread_join(ipc.ipts[i].thread, NULL);
	free(ipc.ipts);
	return 0;
}
