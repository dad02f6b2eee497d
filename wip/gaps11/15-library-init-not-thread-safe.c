/* Gap 15 (mosquitto 2.0.11 libmosquitto: 1 false unprotected-write
 * warning).
 * Program: libmosquitto.so (library). Rule: unprotected-write.
 * Gap (library contract): mosquitto_lib_init()/mosquitto_lib_cleanup()
 * keep a plain reference count; mosquitto.h documents both as "not thread
 * safe" (to be called once, before/after any other use).  The engine takes
 * every exported function to be callable from any number of threads at
 * once, and the counter update (`init_refcount++`) is a "changed while in
 * use" write, so it stays a warning (README: functions documented as not
 * thread-safe are entry points like any other; `entry-points:` can list
 * the thread-safe ones).  A doc-comment is the only evidence here, so this
 * is a known limit rather than a misread construct.
 * mosquitto: lib/mosquitto.c:59-96.
 * Expected: a note (set-up function), or no finding with `entry-points:`.
 * main (c98824d): unprotected-write warning on 'init_refcount'. */
#include <pthread.h>
#include <stdlib.h>

static unsigned int init_refcount = 0;
static pthread_mutex_t api_lock = PTHREAD_MUTEX_INITIALIZER;
static int connections;

/* Not thread safe: call before any other function of the library. */
int lib_init(void)
{
	if (init_refcount == 0)
		srand(42);
	init_refcount++; /* false warning here */
	return 0;
}

/* Not thread safe: call after every other function of the library. */
int lib_cleanup(void)
{
	if (init_refcount == 1)
		srand(0);
	if (init_refcount > 0)
		--init_refcount;
	return 0;
}

int lib_connect(void)
{
	pthread_mutex_lock(&api_lock);
	connections++;
	pthread_mutex_unlock(&api_lock);
	return 0;
}
