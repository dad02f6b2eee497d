/* Gap 05 (tinyproxy 1.11.1: 1 false unbounded-thread-creation warning).
 * Program: tinyproxy. Rule: unbounded-thread-creation.
 * Gap (thread bound through a container): the accept loop keeps every
 * thread it creates in a list (`sblist_add(childs, &child)` before
 * pthread_create), removes an entry only after pthread_join() on it
 * (collect_threads()), and at the top of each iteration refuses to create
 * when `sblist_getsize(childs) >= config->maxclients` (`continue`).  The
 * number of live threads is therefore bounded by maxclients.  The engine
 * sees a creation on every iteration of a loop that runs while the config
 * says so and does not connect the size test on the list to the threads
 * the list holds.  (tinyproxy's `volatile int done` flag is a plain
 * flag, a true benign race; the reproducer takes a mutex for it.)
 * tinyproxy: child.c:63-74 collect_threads(), child.c:104-116 (the test),
 * child.c:195-212 (add, create).
 * Related: gaps10/b-08 (bound by a fixed table's busy flags); here a
 * growable list whose element count is compared with a limit.
 * Expected: no finding.  main (1392f8c): unbounded-thread-creation warning
 * "thread created on every iteration of a loop with no bound". */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct child {
	pthread_t thread;
	int fd;
	int done;
};

struct list {
	size_t count, cap;
	struct child **items;
};

static struct list *childs;
static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int quit;
static size_t maxclients = 100;

static size_t list_size(struct list *l) { return l->count; }
static struct child *list_get(struct list *l, size_t i) { return l->items[i]; }

static int list_add(struct list *l, struct child *c)
{
	if (l->count == l->cap) {
		size_t ncap = l->cap ? 2 * l->cap : 8;
		struct child **n = realloc(l->items, ncap * sizeof *n);
		if (!n)
			return 0;
		l->items = n;
		l->cap = ncap;
	}
	l->items[l->count++] = c;
	return 1;
}

static void list_delete(struct list *l, size_t i)
{
	l->items[i] = l->items[--l->count];
}

static void *child_thread(void *arg)
{
	struct child *c = arg;
	close(c->fd);
	pthread_mutex_lock(&done_lock);
	c->done = 1;
	pthread_mutex_unlock(&done_lock);
	return NULL;
}

static void collect_threads(void)
{
	for (size_t i = 0; i < list_size(childs);) {
		struct child *c = list_get(childs, i);
		pthread_mutex_lock(&done_lock);
		int done = c->done;
		pthread_mutex_unlock(&done_lock);
		if (done) {
			pthread_join(c->thread, NULL);
			list_delete(childs, i);
			free(c);
		} else {
			i++;
		}
	}
}

static int accept_one(void) { return dup(0); }

int main(void)
{
	childs = calloc(1, sizeof *childs);
	if (!childs)
		return 1;
	while (!quit) {
		collect_threads();
		if (list_size(childs) >= maxclients) {
			usleep(16);
			continue;
		}
		int fd = accept_one();
		if (fd < 0)
			break;
		struct child *c = calloc(1, sizeof *c);
		if (!c || !list_add(childs, c)) {
			free(c);
			close(fd);
			continue;
		}
		c->fd = fd;
		if (pthread_create(&c->thread, NULL, child_thread, c) != 0) {
			list_delete(childs, list_size(childs) - 1);
			free(c);
			close(fd);
		}
	}
	return 0;
}
