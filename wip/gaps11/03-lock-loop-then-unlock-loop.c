/* Gap 03 (fio 3.33 `fio`: 3 false lock-leak warnings).
 * Program: fio. Rule: lock-leak.
 * Gap (lock semantics, loops): every element's lock is taken in one loop
 * and released in a second loop over the same elements with the same
 * bound and the same test, so the function returns holding nothing.  The
 * engine does not pair the two loops (the lock is one class for all
 * elements) and sees a path where the first loop took it and the second
 * did not release it.
 * fio: zbd.c:1164-1189 zbd_process_swd() (`for (z = zb; z < ze; z++) if
 * (z->has_wp) zone_lock(td, f, z);` ... `for (z = zb; z < ze; z++) if
 * (z->has_wp) zone_unlock(z);`); idletime.c:257 + 279-281 + 285/318
 * fio_idle_prof_init() (init_lock of every ipc.ipts[i] taken in the
 * creation loop, released in the next loop).
 * Expected: no finding.  main (c98824d): lock-leak warning "'z->mutex'
 * still held when 'check_all' returns here, but released on other paths"
 * and unlock-not-held on the release loop (fio's zbd.c releases through a
 * zone_unlock() wrapper, where the unlock-not-held is a note). */
#include <pthread.h>

struct zone {
	pthread_mutex_t mutex;
	int has_wp;
	long wp, start;
};

struct zinfo {
	pthread_mutex_t mutex;
	long sectors_with_data;
};

long check_all(struct zinfo *info, struct zone *zb, struct zone *ze)
{
	struct zone *z;
	long swd = 0;

	for (z = zb; z < ze; z++) {
		if (z->has_wp)
			pthread_mutex_lock(&z->mutex);
		swd += z->wp - z->start;
	}

	pthread_mutex_lock(&info->mutex);
	info->sectors_with_data = swd;
	pthread_mutex_unlock(&info->mutex);

	for (z = zb; z < ze; z++)
		if (z->has_wp)
			pthread_mutex_unlock(&z->mutex);

	return swd;
}
