/* Gap 04 (memcached 1.6.18: 1 false lock-leak warning, with gap 03).
 * Program: memcached. Rule: lock-leak.
 * Gap (lock semantics, hand-off to the caller selected by a flag): a
 * function trylocks an item's stripe lock and, when its caller passed
 * PULL_RETURN_ITEM, returns with the lock still held and the item (and
 * its hash, which names the lock) stored in an out-parameter; without the
 * flag it releases the lock itself.  The only caller that passes the flag
 * releases the lock with item_unlock(out.hv) once it is done with the
 * item ("Item is locked, and we have a reference to it.").  Held at
 * return iff `flags & PULL_RETURN_ITEM` and `out->it != NULL`: the engine
 * does not specialise the summary by the constant flag, so it reports the
 * return.
 * memcached: items.c:1241-1244 and :1270-1273 lru_pull_tail()
 * (`if ((flags & LRU_PULL_RETURN_ITEM) == 0) { ... item_trylock_unlock(hold_lock); }`),
 * storage.c:476-481 storage_write() (caller, unlocks later).
 * Related: gaps10/a-03 and gaps11/04 (held iff a value of the result), 01
 * here (lock behaviour chosen by a constant argument).
 * Expected: no finding.  main (1392f8c): lock-leak warning "'locks[...]'
 * still held when 'pull_item' returns here, but released on other paths",
 * and at the caller an unlock-not-held warning for item_unlock(r.hv)
 * (memcached's caller is not reported: its release is further down). */
#include <pthread.h>
#include <stddef.h>

#define PULL_RETURN_ITEM 1

struct item {
	unsigned hv;
	int refs;
};

struct pull_return {
	struct item *it;
	unsigned hv;
};

static pthread_mutex_t locks[16];
static struct item items[64];

static void *item_trylock(unsigned hv)
{
	pthread_mutex_t *l = &locks[hv & 15];
	if (pthread_mutex_trylock(l) == 0)
		return l;
	return NULL;
}

static void item_trylock_unlock(void *l) { pthread_mutex_unlock((pthread_mutex_t *)l); }
static void item_unlock(unsigned hv) { pthread_mutex_unlock(&locks[hv & 15]); }

static int pull_item(int slot, int flags, struct pull_return *ret)
{
	struct item *it = &items[slot & 63];
	unsigned hv = it->hv;
	void *hold_lock = item_trylock(hv);
	if (hold_lock == NULL)
		return 0;
	it->refs++;
	if (flags & PULL_RETURN_ITEM) {
		ret->it = it;
		ret->hv = hv;
		return 1;
	}
	it->refs--;
	item_trylock_unlock(hold_lock);
	return 1;
}

static void *writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++) {
		struct pull_return r = {NULL, 0};
		pull_item(i, PULL_RETURN_ITEM, &r);
		if (r.it == NULL)
			continue;
		r.it->refs--;
		item_unlock(r.hv);
	}
	return NULL;
}

static void *maintainer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++)
		pull_item(i + 32, 0, NULL);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	for (int i = 0; i < 16; i++)
		pthread_mutex_init(&locks[i], NULL);
	for (int i = 0; i < 64; i++)
		items[i].hv = (unsigned)i * 7u;
	pthread_create(&a, NULL, writer, NULL);
	pthread_create(&b, NULL, maintainer, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
