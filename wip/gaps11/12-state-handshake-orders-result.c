/* Gap 12 (fio 3.33 `fio`: 1 false unprotected-write warning).
 * Program: fio. Rule: unprotected-write.
 * Gap (thread order): each worker stores its result and then, in the same
 * critical section, sets its state to "initialized" and signals; the
 * creator waits (cond loop under the same mutex) until it sees that state
 * and only then reads the results -- holding the workers' start_locks
 * (their second phase waits for them), not init_lock.  A worker never
 * writes its result again.  The reads are ordered after the writes by the
 * handshake; the engine compares only the locks held at the accesses (in
 * fio it sees the reads under start_lock and reports the worker's write as
 * lacking the lock most accesses hold; here it reports the read).
 * fio: idletime.c:99 (ipt->cali_time = calibrate_unit(), holding
 * ipt->init_lock; state = TD_INITIALIZED at :115) against idletime.c:164
 * and :171 calibration_stats() (main, after the wait loop at :290-303,
 * holding every ipt->start_lock).
 * Expected: no finding.  main (c98824d): unprotected-write warning on
 * the read of 'w->result' in 'stats' ("with no lock held": the start_locks
 * main took in its creation loop are lost, gap 03, which also gives the
 * unlock-not-held on the release loop and the lock-leak note). */
#include <pthread.h>

#define N 4

struct worker {
	pthread_t tid;
	pthread_mutex_t init_lock;
	pthread_mutex_t start_lock;
	pthread_cond_t cond;
	int state;
	double result;
	int loops;
};

static struct worker ws[N];
static double mean, var;

static void *calibrate(void *arg)
{
	struct worker *me = arg;

	pthread_mutex_lock(&me->init_lock);
	me->result = 12.5; /* false warning here */
	me->state = 1;
	pthread_cond_signal(&me->cond);
	pthread_mutex_unlock(&me->init_lock);

	pthread_mutex_lock(&me->start_lock); /* phase 2: waits for main */
	me->loops = 1;
	pthread_mutex_unlock(&me->start_lock);
	return NULL;
}

static void stats(int n)
{
	struct worker *w;
	int i;

	for (i = 0; i < n; i++) {
		w = &ws[i];
		mean += w->result / n;
	}
	for (i = 0; i < n; i++) {
		w = &ws[i];
		var += (w->result - mean) * (w->result - mean);
	}
}

int main(void)
{
	struct worker *w;
	int i, n;

	for (n = 0; n < N; n++) {
		w = &ws[n];
		pthread_mutex_init(&w->init_lock, NULL);
		pthread_mutex_init(&w->start_lock, NULL);
		pthread_cond_init(&w->cond, NULL);
		pthread_mutex_lock(&w->start_lock);
		if (pthread_create(&w->tid, NULL, calibrate, w)) {
			pthread_mutex_unlock(&w->start_lock);
			break;
		}
		pthread_detach(w->tid);
	}
	for (i = 0; i < n; i++) {
		w = &ws[i];
		pthread_mutex_lock(&w->init_lock);
		while (w->state == 0)
			pthread_cond_wait(&w->cond, &w->init_lock);
		pthread_mutex_unlock(&w->init_lock);
	}

	stats(n);
	for (i = 0; i < n; i++) {
		w = &ws[i];
		pthread_mutex_unlock(&w->start_lock);
	}
	return mean > 0 && var >= 0 ? 0 : 1;
}
