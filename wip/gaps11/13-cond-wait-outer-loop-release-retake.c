/* Gap 13 (fio 3.33 `fio`: 1 false cond-wait-outside-loop warning).
 * Program: fio. Rule: cond-wait-outside-loop.
 * Gap (cond-wait semantics): the wait sits in `if (list empty) wait; else
 * take the work;` inside an endless worker loop.  After waking, the loop
 * releases the lock, handles the (possibly empty) local list, retakes the
 * lock and re-tests the list and the exit flag before waiting again.  A
 * spurious wake-up only makes one empty round, so the predicate is
 * re-checked; the engine sees a release between the wait and the loop's
 * next test and reports the wait as not re-checked.
 * fio: workqueue.c:192-204 worker_thread() (`if (flist_empty(&sw->work_list))
 * { if (sw->flags & SW_F_EXIT) break; pthread_cond_wait(&sw->cond,
 * &sw->lock); } else flist_splice_init(...); pthread_mutex_unlock(&sw->lock);
 * handle_list(sw, &local_list); ... pthread_mutex_lock(&sw->lock);` in a
 * `while (1)`).
 * Expected: no finding.  main (c98824d): cond-wait-outside-loop warning on
 * the wait. */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct work {
	struct work *next;
};

struct worker {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct work *work_list;
	bool exit;
	long done;
};

static void handle_list(struct worker *sw, struct work *list)
{
	for (; list != NULL; list = list->next)
		sw->done++;
}

void *worker_thread(void *arg)
{
	struct worker *sw = arg;
	struct work *local;

	pthread_mutex_lock(&sw->lock);
	while (1) {
		local = NULL;
		if (sw->work_list == NULL) {
			if (sw->exit)
				break;
			pthread_cond_wait(&sw->cond, &sw->lock); /* false warning here */
		} else {
			local = sw->work_list;
			sw->work_list = NULL;
		}
		pthread_mutex_unlock(&sw->lock);
		handle_list(sw, local);
		pthread_mutex_lock(&sw->lock);
	}
	pthread_mutex_unlock(&sw->lock);
	return NULL;
}

void submit(struct worker *sw, struct work *w)
{
	pthread_mutex_lock(&sw->lock);
	w->next = sw->work_list;
	sw->work_list = w;
	pthread_cond_signal(&sw->cond);
	pthread_mutex_unlock(&sw->lock);
}

int start(struct worker *sw, pthread_t *t)
{
	return pthread_create(t, NULL, worker_thread, sw);
}

void stop(struct worker *sw, pthread_t t)
{
	pthread_mutex_lock(&sw->lock);
	sw->exit = true;
	pthread_cond_signal(&sw->cond);
	pthread_mutex_unlock(&sw->lock);
	pthread_join(t, NULL);
}
