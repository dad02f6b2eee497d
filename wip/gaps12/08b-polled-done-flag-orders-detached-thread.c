/* Gap 08b (masscan 1.3.2: 1 false unprotected-write warning).
 * Program: masscan (its `--selftest` ring test). Rule: unprotected-write.
 * Gap (thread order through a polled done flag): run_test() clears a test
 * block (memset), starts a producer and then a consumer thread on it
 * (neither is joined), tells the consumer to stop and polls
 * `consumer_done` in a sleep loop; the consumer's last action is setting
 * that flag.  The caller runs the test again on the same block, so the
 * next memset and the final read of total_count come after every access
 * of the previous consumer.  The engine takes only joins as the end of a
 * thread and pairs the memset with the consumer's writes of total_count.
 * masscan uses plain `volatile` flags, a formal race of their own (its
 * warnings on consumer_done and not_active are judged true for that); the
 * reproducer uses acquire/release atomics, so the program is race-free and
 * only the total_count warning stays.
 * masscan: rte-ring.c:278-310 test_consumer_thread(), :336-370 run_test()
 * (memset at :342, polls at :351-367), :376-393 rte_ring_selftest(); the
 * same code in xring.c.  Without the producer thread (and its polled
 * start/done counters) main is silent.
 * Related: gaps11/01 (done handshake under a mutex + condvar), 08a here.
 * Expected: no finding.  main (1392f8c): unprotected-write warning "write
 * to 'test->total_count' with no lock held can run concurrently with a
 * write in 'run_test'". */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

struct test {
	unsigned long total_count;
	volatile unsigned long slot;
	unsigned producer_started;
	unsigned producer_done;
	unsigned consumer_done;
	int not_active;
};

static size_t begin_thread(void (*worker)(void *), void *data)
{
	pthread_t id = 0;
	pthread_create(&id, NULL, (void *(*)(void *))worker, data);
	return (size_t)id;
}

static void consumer_thread(void *v)
{
	struct test *test = v;
	test->total_count = 0;
	while (!__atomic_load_n(&test->not_active, __ATOMIC_ACQUIRE)) {
		unsigned long e = __atomic_exchange_n(&test->slot, 0, __ATOMIC_ACQ_REL);
		test->total_count += e;
	}
	test->total_count += __atomic_exchange_n(&test->slot, 0, __ATOMIC_ACQ_REL);
	__atomic_store_n(&test->consumer_done, 1, __ATOMIC_RELEASE);
}

static void producer_thread(void *v)
{
	struct test *test = v;
	__sync_fetch_and_add(&test->producer_started, 1);
	for (unsigned long i = 1000; i; i--)
		while (!__sync_bool_compare_and_swap(&test->slot, 0, i))
			;
	__sync_fetch_and_add(&test->producer_done, 1);
}

static unsigned long run_test(struct test *test)
{
	memset(test, 0, sizeof(*test));
	begin_thread(producer_thread, test);
	while (__atomic_load_n(&test->producer_started, __ATOMIC_ACQUIRE) < 1)
		usleep(10);
	begin_thread(consumer_thread, test);
	while (__atomic_load_n(&test->producer_done, __ATOMIC_ACQUIRE) < 1)
		usleep(10);
	__atomic_store_n(&test->not_active, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&test->consumer_done, __ATOMIC_ACQUIRE))
		usleep(10);
	return test->total_count;
}

int main(void)
{
	for (int i = 0; i < 100; i++) {
		struct test test[1];
		if (run_test(test) != 500500)
			return 1;
	}
	return 0;
}
