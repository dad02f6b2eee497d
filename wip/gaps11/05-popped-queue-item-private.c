/* Gap 05 (btrfs-progs 6.2 btrfs-image: 3 false unprotected-write warnings).
 * Program: btrfs-image. Rule: unprotected-write.
 * Gap (object identity / ownership): worker threads take an item off a
 * shared list under the list's mutex (`list_entry(md->list.next, ...)`,
 * `list_del_init()`), then work on it with the lock released.  Once
 * unlinked the item belongs to that worker alone: no other worker can
 * reach it.  The engine pairs one instance's writes to "the item behind
 * md->list.next" with another instance's, and since the item is reached
 * from the thread's start argument (`md`) the pair is a warning, not the
 * queue-hand-off note (README: objects handed over by a queue look shared).
 * btrfs-progs: image/main.c:386-426 dump_worker() (async->bufsize,
 * async->buffer, async->error at :409, :410, :425).
 * Expected: no finding (or notes).  main (c98824d): unprotected-write
 * warnings on 'md->list.next^list->bufsize' / '->buffer'. */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

struct list_head {
	struct list_head *next, *prev;
};

struct async_work {
	struct list_head list;
	size_t size;
	size_t bufsize;
	char *buffer;
	int error;
};

struct metadump {
	pthread_mutex_t mutex;
	pthread_cond_t cond;
	struct list_head list;
	int done;
	int num_ready;
};

#define list_entry(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

static int list_empty(const struct list_head *h)
{
	return h->next == h;
}

static void list_del_init(struct list_head *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->next = e->prev = e;
}

static void *dump_worker(void *data)
{
	struct metadump *md = data;
	struct async_work *async;

	while (1) {
		pthread_mutex_lock(&md->mutex);
		while (list_empty(&md->list)) {
			if (md->done) {
				pthread_mutex_unlock(&md->mutex);
				return NULL;
			}
			pthread_cond_wait(&md->cond, &md->mutex);
		}
		async = list_entry(md->list.next, struct async_work, list);
		list_del_init(&async->list);
		pthread_mutex_unlock(&md->mutex);

		async->bufsize = async->size * 2; /* false warning here */
		async->buffer = malloc(async->bufsize);
		if (async->buffer == NULL)
			async->error = 1;

		pthread_mutex_lock(&md->mutex);
		md->num_ready++;
		pthread_mutex_unlock(&md->mutex);
	}
}

int main(void)
{
	static struct metadump md = { PTHREAD_MUTEX_INITIALIZER,
				      PTHREAD_COND_INITIALIZER,
				      { &md.list, &md.list }, 0, 0 };
	pthread_t t[2];

	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, dump_worker, &md);
	pthread_mutex_lock(&md.mutex);
	md.done = 1;
	pthread_cond_broadcast(&md.cond);
	pthread_mutex_unlock(&md.mutex);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return 0;
}
