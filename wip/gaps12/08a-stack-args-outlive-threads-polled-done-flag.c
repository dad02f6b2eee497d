/* Gap 08a (masscan 1.3.2: 1 false thread-arg-lifetime warning).
 * Program: masscan. Rule: thread-arg-lifetime.
 * Gap (thread order through a polled done flag): main_scan() gives each
 * thread `&parms_array[i]`, a local array, then polls every element's
 * done flag (a sleep loop) and returns only when all are set.  Each
 * thread's last access to its argument is setting that flag, so nothing
 * uses the frame after it ends.  The engine takes only joins as the end
 * of a thread; a polled flag that is the thread's last action is not one.
 * (masscan uses plain `unsigned` flags, which is itself a formal race;
 * the reproducer uses C11 atomics so it has no race at all.)
 * masscan: main.c:1130 `struct ThreadPair parms_array[8]`, :1336-1351
 * (creations), :1456-1472 (poll of done_transmitting/done_receiving),
 * receive_thread() ending with `parms->done_receiving = 1;` (:1085).  The
 * transmit thread's twin warning is true: it reads parms->nic_index in a
 * LOG() call after setting done_transmitting (main.c:500-501).
 * Related: gaps10/a-05 (start-up handshake), gaps11/01 (done handshake
 * under a mutex, unprotected-write).
 * Expected: no finding.  main (1392f8c): thread-arg-lifetime warning
 * "'&parms[i]' points into the stack frame of 'run_scan', which ends while
 * the thread may still use it". */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

struct thread_pair {
	unsigned nic_index;
	unsigned long packets;
	atomic_uint done_receiving;
};

static void *receive_thread(void *v)
{
	struct thread_pair *parms = v;
	for (int i = 0; i < 1000; i++)
		parms->packets += parms->nic_index + 1;
	atomic_store(&parms->done_receiving, 1);
	return NULL;
}

static int run_scan(unsigned nic_count)
{
	struct thread_pair parms[8];
	pthread_t t;
	unsigned i;

	if (nic_count > 8)
		return 1;
	for (i = 0; i < nic_count; i++) {
		parms[i].nic_index = i;
		parms[i].packets = 0;
		atomic_init(&parms[i].done_receiving, 0);
		if (pthread_create(&t, NULL, receive_thread, &parms[i]) == 0)
			pthread_detach(t);
		else
			atomic_store(&parms[i].done_receiving, 1);
	}
	for (;;) {
		unsigned receive_count = 0;
		for (i = 0; i < nic_count; i++)
			receive_count += atomic_load(&parms[i].done_receiving);
		if (receive_count == nic_count)
			break;
		usleep(250 * 1000);
	}
	return 0;
}

int main(void)
{
	return run_scan(2);
}
