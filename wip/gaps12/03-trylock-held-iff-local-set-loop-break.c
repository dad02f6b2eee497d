/* Gap 03 (memcached 1.6.18: 1 false lock-leak warning).
 * Program: memcached. Rule: lock-leak.
 * Gap (lock semantics, value correlation in a loop): a scan loop trylocks
 * each candidate's stripe lock `locks[hv & 15]`, hv a local of the loop
 * body; every path that keeps the lock also sets the local `it` (the item
 * to act on), every path that leaves `it` NULL releases the lock first,
 * and `if (it != NULL) break;` ends the iteration.  So the next iteration,
 * and an early `return 0` at its top, never run with the lock held, and
 * the release after the loop, under `if (it != NULL)`, matches every
 * acquisition that survives.  The engine does not tie the held state to
 * `it`: it carries "maybe held" around the back edge and reports the early
 * return and the final return.  (With the index read as `search->hv`
 * instead of a loop-body local `hv`, main is silent: the block-local
 * index is part of the trigger.)
 * memcached: items.c:1103-1280 lru_pull_tail() (early `return 0` at :1130,
 * trylock at :1138, `if (it != NULL) break;` at :1259, release at :1270).
 * Related: gaps10/a-03, gaps11/04 (held iff a value), here a local in a loop.
 * Expected: no finding.  main (1392f8c): lock-leak warning "'locks[...]'
 * still held when 'pull_tail' returns here, but released on other paths"
 * at both returns (memcached: 1130 and 1276; 1276 is also gap 04). */
#include <pthread.h>
#include <stddef.h>

struct item {
	struct item *prev;
	unsigned hv;
	int active;
	int is_crawler;
	int refs;
};

static pthread_mutex_t lru_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t locks[16];
static struct item *tail;

static void *item_trylock(unsigned hv)
{
	pthread_mutex_t *l = &locks[hv & 15];
	if (pthread_mutex_trylock(l) == 0)
		return l;
	return NULL;
}

static void item_trylock_unlock(void *l) { pthread_mutex_unlock((pthread_mutex_t *)l); }

static int pull_tail(int crawl_blocks)
{
	struct item *it = NULL, *search, *next;
	void *hold_lock = NULL;
	int tries = 5, removed = 0;

	pthread_mutex_lock(&lru_lock);
	for (search = tail; tries > 0 && search != NULL; tries--, search = next) {
		next = search->prev;
		if (search->is_crawler) {
			if (crawl_blocks) {
				pthread_mutex_unlock(&lru_lock);
				return 0;
			}
			continue;
		}
		unsigned hv = search->hv * 31;
		if ((hold_lock = item_trylock(hv)) == NULL)
			continue;
		if (search->active) {
			search->active = 0;
			item_trylock_unlock(hold_lock);
			removed++;
		} else {
			it = search;
		}
		if (it != NULL)
			break;
	}
	pthread_mutex_unlock(&lru_lock);
	if (it != NULL) {
		it->refs--;
		item_trylock_unlock(hold_lock);
	}
	return removed;
}

static void *worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 1000; i++)
		pull_tail(i & 1);
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	for (int i = 0; i < 16; i++)
		pthread_mutex_init(&locks[i], NULL);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return 0;
}
