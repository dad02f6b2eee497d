/* Gap 07 (stunnel 5.68: 1 false missing-join warning).
 * Program: stunnel4 `stunnel`. Rule: missing-join.
 * Gap (thread identity through a copy): the cron thread's handle lives in a
 * global (`cron_thread_id`); at shutdown terminate_threads() copies it,
 * with the client threads' handles, into a heap array
 * (`thread_list[threads++] = cron_thread_id;`), wakes every thread through
 * a pipe (they pthread_exit() when they see it) and joins each element of
 * the array.  The engine only follows joins of the global itself (or of a
 * handle passed to a join helper), not of a copy stored into an array
 * element and joined in a loop, so it reports the global as never joined
 * or detached.
 * stunnel: cron.c:68-84 cron_init() (creation), stunnel.c:259-301
 * terminate_threads() (copy at :275-277, joins at :284-287),
 * network.c:518-520 (pthread_exit on the terminate pipe).
 * Expected: no finding.  main (1392f8c): missing-join warning "thread
 * handle 'cron_thread_id' is never joined or detached anywhere in the
 * program". */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_t cron_thread_id;
static int terminate_pipe[2];

static void *cron_thread(void *arg)
{
	char c;
	(void)arg;
	for (;;) {
		if (read(terminate_pipe[0], &c, 1) >= 0)
			pthread_exit(NULL);
	}
}

static int cron_init(void)
{
	if (pthread_create(&cron_thread_id, NULL, cron_thread, NULL))
		return 1;
	return 0;
}

static void terminate_threads(void)
{
	unsigned i, threads = 0;
	pthread_t *thread_list = malloc(sizeof(pthread_t));
	if (!thread_list)
		return;
	if (cron_thread_id)
		thread_list[threads++] = cron_thread_id;
	if (threads) {
		ssize_t w = write(terminate_pipe[1], "", 1);
		(void)w;
		for (i = 0; i < threads; ++i)
			pthread_join(thread_list[i], NULL);
	}
	free(thread_list);
}

int main(void)
{
	if (pipe(terminate_pipe))
		return 1;
	if (cron_init())
		return 1;
	sleep(1);
	terminate_threads();
	return 0;
}
