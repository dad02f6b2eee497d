/* Gap 16 (btrfs-progs 6.2 `btrfs`: 1 false thread-arg-lifetime warning).
 * Program: btrfs (scrub). Rule: thread-arg-lifetime.
 * Gap (thread semantics): the progress thread gets a pointer to a local
 * and is stopped with `ret = pthread_cancel(t); if (!ret) ret =
 * pthread_join(t, &res);`.  pthread_cancel() of a joinable thread that has
 * not been joined cannot fail (its only error is ESRCH, no such thread),
 * so the join always runs before the local dies.  The engine treats the
 * cancel's result as unknown and sees a path that skips the join.
 * btrfs-progs: cmds/scrub.c:1486 (pthread_create(&t_prog, NULL,
 * scrub_progress_cycle, &spc)), :1568-1570 (cancel, then join if it
 * succeeded), :1609 (return).
 * Expected: no finding.  main (c98824d): thread-arg-lifetime warning
 * "'&spc' points into the stack frame of 'scrub_start', which ends while
 * the thread may still use it". */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

struct progress_ctx {
	int fd;
	long done;
};

static void *progress_cycle(void *arg)
{
	struct progress_ctx *spc = arg;

	for (;;) {
		spc->done++;
		sleep(1); /* cancellation point */
	}
	return NULL;
}

int scrub_start(int fd)
{
	struct progress_ctx spc = { fd, 0 };
	pthread_t t_prog;
	void *terr = NULL;
	int ret;

	ret = pthread_create(&t_prog, NULL, progress_cycle, &spc);
	if (ret)
		return 1;

	/* ... the scrub itself ... */

	ret = pthread_cancel(t_prog);
	if (!ret)
		ret = pthread_join(t_prog, &terr);
	if (ret)
		fprintf(stderr, "progress thread handling failed\n");
	return terr == PTHREAD_CANCELED ? 0 : 1; /* false warning here */
}

int main(void)
{
	return scrub_start(0);
}
