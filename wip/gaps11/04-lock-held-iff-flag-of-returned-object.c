/* Gap 04 (fio 3.33 `fio`: 3 false lock-leak warnings).
 * Program: fio. Rule: lock-leak.
 * Gap (lock semantics, value correlation): a zone's mutex is taken only
 * for zones with a write pointer (`if (z->has_wp) zone_lock(z)`), and a
 * function returns such a zone still locked (documented: "When the zone
 * has write pointer, hold the mutex for the zone"); the callers release it
 * under the same test (`if (zb && zb->has_wp) zone_unlock(zb)`).  Whether
 * the lock is held is a property of the returned object's field; the
 * engine handles "returns the object it locked" but not "locked iff
 * obj->flag", and reports the return.
 * fio: zbd.c:1523-1551 zbd_find_zone() (returns z1 / z2 at :1539, :1551),
 * zbd.c:2066-2069 zbd_adjust_block()'s `eof:` path.
 * Related to gaps10/a-03 (held iff the result is non-NULL).
 * Expected: no finding.  main (c98824d): lock-leak warning "'z->mutex'
 * still held when 'find_zone' returns here, but released on other paths". */
#include <pthread.h>
#include <stddef.h>

struct zone {
	pthread_mutex_t mutex;
	int has_wp;
	long wp, start;
};

static struct zone zones[16];

static struct zone *find_zone(long min_bytes)
{
	for (struct zone *z = zones; z < zones + 16; z++) {
		if (z->has_wp)
			pthread_mutex_lock(&z->mutex);
		if (z->start + min_bytes <= z->wp)
			return z; /* false warning here */
		if (z->has_wp)
			pthread_mutex_unlock(&z->mutex);
	}
	return NULL;
}

long zone_data(long min_bytes)
{
	struct zone *z = find_zone(min_bytes);
	long n;

	if (z == NULL)
		return 0;
	n = z->wp - z->start;
	if (z->has_wp)
		pthread_mutex_unlock(&z->mutex);
	return n;
}
