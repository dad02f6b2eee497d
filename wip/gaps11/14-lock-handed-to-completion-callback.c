/* Gap 14 (fio 3.33 `fio`: 1 false lock-leak warning).
 * Program: fio. Rule: lock-leak.
 * Gap (lock ownership): a request-preparation function returns "accept"
 * still holding the zone's mutex on purpose and stores, in the request,
 * the callback that will release it when the request completes
 * (`io_u->zbd_put_io = zbd_put_io`; fio even marks it for Coverity:
 * "Since we return with the zone lock still held ... coverity
 * [missing_unlock]").  The lock is handed to the request, not leaked.
 * fio: zbd.c:2063 zbd_adjust_block() (`return io_u_accept;` after setting
 * io_u->zbd_queue_io / io_u->zbd_put_io), released in zbd_put_io() via
 * io_u.c's `io_u->zbd_put_io(td, io_u)`.
 * With only the locked accept path the engine is silent (presumably it
 * then reads adjust_block() as a conditional acquiring wrapper); a second accept
 * path that takes no lock (reads, conventional zones in fio) makes it
 * report the locked one.
 * Expected: no finding (or a note).  main (c98824d): lock-leak warning
 * "'zones[io_u->offset%8].mutex' still held when 'adjust_block' returns
 * here, but released on other paths". */
#include <pthread.h>
#include <stddef.h>

enum { IO_ACCEPT, IO_EOF };

struct zone {
	pthread_mutex_t mutex;
	long wp, capacity;
};

struct io_u {
	int is_read;
	long offset;
	void (*put_io)(struct io_u *);
};

static struct zone zones[8];

static void zbd_put_io(struct io_u *io_u)
{
	struct zone *z = &zones[io_u->offset % 8]; /* found again by offset */

	z->wp += 1;
	pthread_mutex_unlock(&z->mutex);
}

/* returns an open zone, locked */
static struct zone *open_zone(long offset)
{
	struct zone *z = &zones[offset % 8];

	pthread_mutex_lock(&z->mutex);
	return z;
}

int adjust_block(struct io_u *io_u)
{
	struct zone *z;

	if (io_u->is_read)
		return IO_ACCEPT; /* reads take no zone lock */
	z = open_zone(io_u->offset);

	if (z->wp >= z->capacity) {
		pthread_mutex_unlock(&z->mutex);
		return IO_EOF;
	}
	io_u->offset += z->wp - z->wp;
	io_u->put_io = zbd_put_io;
	/* the zone lock is released by io_u->put_io() on completion */
	return IO_ACCEPT; /* false warning here */
}

void complete_io(struct io_u *io_u)
{
	if (io_u->put_io) {
		io_u->put_io(io_u);
		io_u->put_io = NULL;
	}
}
