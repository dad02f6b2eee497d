/* Gap 06 (stunnel 5.68: 6 false unprotected-write warnings).
 * Program: stunnel4 `stunnel`. Rule: unprotected-write.
 * Gap (lock API not known): OpenSSL's portable locks,
 * CRYPTO_THREAD_lock_new() / CRYPTO_THREAD_write_lock() /
 * CRYPTO_THREAD_read_lock() / CRYPTO_THREAD_unlock() on an opaque
 * `CRYPTO_RWLOCK *` (a pthread rwlock inside libcrypto), are not lock
 * primitives to the engine: their bodies are in libcrypto, not in the
 * program, so every access under them counts as "holding no lock".
 * stunnel keeps all its global locks this way (`stunnel_locks[LOCK_*]`,
 * sthreads.c): the client-thread list, the DH parameters, the log buffer,
 * the sections.  A `.locklint.yml` `locks:` entry works around it (see
 * README); the declarations below are OpenSSL 3's (openssl/crypto.h), so
 * the engine could know them like pthread_rwlock_*.
 * stunnel: client.c:133-146 client_thread() vs sthreads.c:602-618/800-807
 * create_client()/thread_list_add() (3 warnings), cron.c:217-220 vs
 * ctx.c:468-470 (dh_params), log.c:243-249 log_queue() vs :262-271
 * log_flush() (head, tail).
 * Expected: no finding.  main (1392f8c): unprotected-write warnings on
 * thread_head, c->thread_prev->thread_next, c->thread_next->thread_prev. */
#include <pthread.h>
#include <stdlib.h>

typedef void CRYPTO_RWLOCK;
CRYPTO_RWLOCK *CRYPTO_THREAD_lock_new(void);
int CRYPTO_THREAD_read_lock(CRYPTO_RWLOCK *lock);
int CRYPTO_THREAD_write_lock(CRYPTO_RWLOCK *lock);
int CRYPTO_THREAD_unlock(CRYPTO_RWLOCK *lock);
void CRYPTO_THREAD_lock_free(CRYPTO_RWLOCK *lock);

enum { LOCK_THREAD_LIST, LOCK_COUNT };
static CRYPTO_RWLOCK *stunnel_locks[LOCK_COUNT];

typedef struct cli {
	struct cli *thread_prev, *thread_next;
	pthread_t thread_id;
	int fd;
} CLI;

static CLI *thread_head;

static void thread_list_add(CLI *c)
{
	c->thread_next = thread_head;
	c->thread_prev = NULL;
	if (thread_head)
		thread_head->thread_prev = c;
	thread_head = c;
}

static void *client_thread(void *arg)
{
	CLI *c = arg;
	/* make sure c->thread_* values are initialized */
	CRYPTO_THREAD_read_lock(stunnel_locks[LOCK_THREAD_LIST]);
	CRYPTO_THREAD_unlock(stunnel_locks[LOCK_THREAD_LIST]);
	c->fd = -1;
	CRYPTO_THREAD_write_lock(stunnel_locks[LOCK_THREAD_LIST]);
	if (thread_head == c)
		thread_head = c->thread_next;
	if (c->thread_prev)
		c->thread_prev->thread_next = c->thread_next;
	if (c->thread_next)
		c->thread_next->thread_prev = c->thread_prev;
	pthread_detach(c->thread_id);
	CRYPTO_THREAD_unlock(stunnel_locks[LOCK_THREAD_LIST]);
	free(c);
	return NULL;
}

static int create_client(CLI *arg)
{
	int error;
	CRYPTO_THREAD_write_lock(stunnel_locks[LOCK_THREAD_LIST]);
	error = pthread_create(&arg->thread_id, NULL, client_thread, arg);
	if (error) {
		CRYPTO_THREAD_unlock(stunnel_locks[LOCK_THREAD_LIST]);
		free(arg);
		return -1;
	}
	thread_list_add(arg);
	CRYPTO_THREAD_unlock(stunnel_locks[LOCK_THREAD_LIST]);
	return 0;
}

int main(void)
{
	stunnel_locks[LOCK_THREAD_LIST] = CRYPTO_THREAD_lock_new();
	for (int i = 0; i < 4; i++) {
		CLI *c = calloc(1, sizeof *c);
		if (c)
			create_client(c);
	}
	pthread_exit(NULL);
}
