/* Gap 01 (fio 3.33 `fio`: 13 false unprotected-write warnings).
 * Program: fio. Rule: unprotected-write.
 * Gap (thread order): detached threads whose last use of shared data comes
 * before a "done" handshake -- the thread sets a state field under its
 * mutex and signals; the creator waits in a cond loop until every thread
 * has set it.  After that the threads only exit, so what the creator writes
 * afterwards cannot race with them.  The engine knows only joins as a
 * thread's end, so a detached thread runs alongside the rest of main.
 * fio's `--idle-prof=calibrate` is handled while parsing the command line
 * (init.c:2861 -> idletime.c:437 fio_idle_prof_init()): it starts one
 * detached calibration thread per CPU, waits until each has set
 * TD_INITIALIZED under init_lock (idletime.c:290-303), and the parser then
 * goes on, writing f_err, is_backend, log_syslog, the smalloc pools and the
 * clock calibration that the threads read in fio_gettime()/log_err()
 * before their handshake (fio_ts, clock_mult, cycles_start, ...).
 * Simplified (gaps11c): here the threads end after setting done.  fio's
 * idle_prof_thread_fn goes on to a second phase: it blocks on
 * ipt->start_lock, which main has held since before the creation, and then
 * exits only because ipc.status == IDLE_PROF_STATUS_CALI_STOP.  Otherwise
 * it calls fio_gettime() again (idletime.c:137, :144).  Silencing this file
 * soundly does not silence fio's 8 clock reads (see README row 01).
 * Expected: no finding.  main (c98824d): unprotected-write warning on
 * 'clock_mult' against the read in 'calibrate'. */
#include <pthread.h>
#include <string.h>

static int clock_mult = 1;

struct worker {
	pthread_t tid;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int done;
	long result;
};

static struct worker calib[4];

static void *calibrate(void *arg)
{
	struct worker *w = arg;
	long r = 1000L * clock_mult; /* last use of shared data */

	pthread_mutex_lock(&w->lock);
	w->result = r;
	w->done = 1;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static void run_calibration(void)
{
	for (int i = 0; i < 4; i++) {
		struct worker *w = &calib[i];

		pthread_mutex_init(&w->lock, NULL);
		pthread_cond_init(&w->cond, NULL);
		if (pthread_create(&w->tid, NULL, calibrate, w) == 0)
			pthread_detach(w->tid);
		else
			w->done = 1;
	}
	for (int i = 0; i < 4; i++) {
		struct worker *w = &calib[i];

		pthread_mutex_lock(&w->lock);
		while (!w->done)
			pthread_cond_wait(&w->cond, &w->lock);
		pthread_mutex_unlock(&w->lock);
	}
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--calibrate"))
			run_calibration();
		else if (!strcmp(argv[i], "--fast-clock"))
			clock_mult = 2; /* false warning here */
	}
	return 0;
}
