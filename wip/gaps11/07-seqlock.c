/* Gap 07 (fio 3.33 `fio`: 2 false unprotected-write warnings).
 * Program: fio. Rule: unprotected-write.
 * Gap (synchronisation the engine does not know): a sequence lock.  One
 * writer thread bumps a sequence counter to odd (acquire load + store),
 * writes the data, and bumps it to even with a release store; readers spin
 * while the counter is odd, copy the data, and retry when the counter
 * changed.  A reader never uses a torn value, so the writes are
 * synchronised, not racy (the data accesses are plain, as in the Linux
 * kernel's seqlock; a C11-pedantic reading would call them racy, but that
 * is the pattern's design and not a bug to report as a warning).
 * fio: gettime-thread.c:29-33 fio_gtod_update() (write_seqlock_begin /
 * fio_ts->ts = ... / write_seqlock_end) against gettime.h:36-44
 * fio_gettime_offload() (read_seqlock_begin / copy / read_seqlock_retry),
 * lib/seqlock.h.
 * Expected: no finding (or a note).  main (c98824d): unprotected-write
 * warnings on 'shared->ts.tv_sec' and 'shared->ts.tv_nsec'. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

struct seqlock {
	volatile unsigned int sequence;
};

struct gtod {
	struct seqlock seqlock;
	struct timespec ts;
};

static struct gtod *shared;
static atomic_int stop;

static unsigned int read_seqlock_begin(struct seqlock *s)
{
	unsigned int seq;

	do {
		seq = atomic_load_explicit((_Atomic unsigned int *)&s->sequence,
					   memory_order_acquire);
	} while (seq & 1);
	return seq;
}

static bool read_seqlock_retry(struct seqlock *s, unsigned int seq)
{
	__asm__ __volatile__("" ::: "memory");
	return s->sequence != seq;
}

static void write_seqlock_begin(struct seqlock *s)
{
	s->sequence = atomic_load_explicit((_Atomic unsigned int *)&s->sequence,
					   memory_order_acquire) + 1;
}

static void write_seqlock_end(struct seqlock *s)
{
	atomic_store_explicit((_Atomic unsigned int *)&s->sequence,
			      s->sequence + 1, memory_order_release);
}

static void *gtod_thread(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		struct timespec now;

		clock_gettime(CLOCK_REALTIME, &now);
		write_seqlock_begin(&shared->seqlock);
		shared->ts.tv_sec = now.tv_sec; /* false warning here */
		shared->ts.tv_nsec = now.tv_nsec;
		write_seqlock_end(&shared->seqlock);
	}
	return NULL;
}

static void get_time(struct timespec *ts)
{
	unsigned int seq;

	do {
		seq = read_seqlock_begin(&shared->seqlock);
		*ts = shared->ts;
	} while (read_seqlock_retry(&shared->seqlock, seq));
}

static void *job(void *arg)
{
	struct timespec ts;

	(void)arg;
	for (int i = 0; i < 1000; i++)
		get_time(&ts);
	return NULL;
}

int main(void)
{
	pthread_t g, j[2];

	shared = calloc(1, sizeof(*shared));
	if (shared == NULL)
		return 1;
	pthread_create(&g, NULL, gtod_thread, NULL);
	pthread_create(&j[0], NULL, job, NULL);
	pthread_create(&j[1], NULL, job, NULL);
	pthread_join(j[0], NULL);
	pthread_join(j[1], NULL);
	atomic_store(&stop, 1);
	pthread_join(g, NULL);
	free(shared);
	return 0;
}
