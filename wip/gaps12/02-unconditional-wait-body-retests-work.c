/* Gap 02 (memcached 1.6.18: 1 false cond-wait-outside-loop warning).
 * Program: memcached. Rule: cond-wait-outside-loop.
 * Gap (condition-variable protocol): a service thread waits unconditionally
 * at the top of `while (running)` and, after the wait, handles work only
 * under its own test of the predicate (`while (count) { ... }`).  A
 * spurious or stolen wake-up finds count == 0 and does nothing, then the
 * loop tests `running` and waits again: the predicate is re-checked, just
 * by the code after the wait rather than by the loop head.  The README's
 * known problems name the silent `while (running) { wait(); take(); }`
 * shape; here a statement between the wait and the work (a stats update
 * under a second lock) and the work's own loop make it reported.
 * memcached: crawler.c:411-523 item_crawler_thread() (wait at :418,
 * `if (crawler_count == -1) ... else while (crawler_count) { ... }`).
 * Expected: no finding.  main (1392f8c): cond-wait-outside-loop warning. */
#include <pthread.h>

static pthread_mutex_t crawler_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t crawler_cond = PTHREAD_COND_INITIALIZER;
static int run_crawler = 1;
static int crawler_count;
static int crawler_running;
static long crawled;

static void crawl_hash(void) { crawled += 100; }

static void *crawler_thread(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&crawler_lock);
	while (run_crawler) {
		pthread_cond_wait(&crawler_cond, &crawler_lock);
		if (crawler_count == -1) {
			crawl_hash();
			crawler_count = 0;
		} else {
			while (crawler_count) {
				crawled++;
				crawler_count--;
			}
		}
		pthread_mutex_lock(&stats_lock);
		crawler_running = 0;
		pthread_mutex_unlock(&stats_lock);
	}
	pthread_mutex_unlock(&crawler_lock);
	return NULL;
}

static void crawler_start(int n)
{
	pthread_mutex_lock(&crawler_lock);
	crawler_count = n;
	pthread_mutex_lock(&stats_lock);
	crawler_running = 1;
	pthread_mutex_unlock(&stats_lock);
	pthread_cond_signal(&crawler_cond);
	pthread_mutex_unlock(&crawler_lock);
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, crawler_thread, NULL);
	crawler_start(5);
	crawler_start(-1);
	pthread_mutex_lock(&crawler_lock);
	run_crawler = 0;
	pthread_cond_signal(&crawler_cond);
	pthread_mutex_unlock(&crawler_lock);
	pthread_join(t, NULL);
	return 0;
}
