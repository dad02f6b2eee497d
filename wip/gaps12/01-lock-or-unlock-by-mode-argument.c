/* Gap 01 (memcached 1.6.18: 1 false lock-order-inversion warning).
 * Program: memcached. Rule: lock-order-inversion.
 * Gap (lock semantics, per-call-site constant argument): pause_threads(type)
 * takes a list of locks in order (a, then b) for PAUSE_ALL and releases them
 * for RESUME_ALL, chosen by a `switch` on its enum parameter.  Every caller
 * passes a constant.  The engine summarises the function once for all
 * arguments, so a RESUME call looks like it may also acquire, and the
 * thread's PAUSE ... RESUME sequence in a loop gives "b held while taking
 * a".  The only order in the program is a before b.
 * memcached: thread.c:158-190 pause_threads() (slabs_rebalancer_pause(),
 * lru_maintainer_pause(), lru_crawler_pause() / the matching resumes),
 * called as pause_threads(PAUSE_ALL_THREADS) ... pause_threads(RESUME_ALL_THREADS)
 * from assoc.c:253-255 assoc_maintenance_thread().
 * Expected: no finding.  main (1392f8c): lock-order-inversion warning. */
#include <pthread.h>
#include <unistd.h>

enum pause_type { PAUSE_ALL, RESUME_ALL };

static pthread_mutex_t maint_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t crawler_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t work_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cond = PTHREAD_COND_INITIALIZER;
static int run = 1, need_expand;
static long table_size;

static void maint_pause(void) { pthread_mutex_lock(&maint_lock); }
static void maint_resume(void) { pthread_mutex_unlock(&maint_lock); }
static void crawler_pause(void) { pthread_mutex_lock(&crawler_lock); }
static void crawler_resume(void) { pthread_mutex_unlock(&crawler_lock); }

static void pause_threads(enum pause_type type)
{
	switch (type) {
	case PAUSE_ALL:
		maint_pause();
		crawler_pause();
		break;
	case RESUME_ALL:
		maint_resume();
		crawler_resume();
		break;
	}
}

static void *expander(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&work_lock);
	while (run) {
		while (run && !need_expand)
			pthread_cond_wait(&work_cond, &work_lock);
		if (!run)
			break;
		need_expand = 0;
		pause_threads(PAUSE_ALL);
		table_size *= 2;
		pause_threads(RESUME_ALL);
	}
	pthread_mutex_unlock(&work_lock);
	return NULL;
}

static void *crawler(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++) {
		pthread_mutex_lock(&maint_lock);
		pthread_mutex_lock(&crawler_lock);
		table_size++;
		pthread_mutex_unlock(&crawler_lock);
		pthread_mutex_unlock(&maint_lock);
		usleep(1000);
	}
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, expander, NULL);
	pthread_create(&b, NULL, crawler, NULL);
	pthread_mutex_lock(&work_lock);
	need_expand = 1;
	pthread_cond_signal(&work_cond);
	pthread_mutex_unlock(&work_lock);
	pthread_join(b, NULL);
	pthread_mutex_lock(&work_lock);
	run = 0;
	pthread_cond_signal(&work_cond);
	pthread_mutex_unlock(&work_lock);
	pthread_join(a, NULL);
	return 0;
}
