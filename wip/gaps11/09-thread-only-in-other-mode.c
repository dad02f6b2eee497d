/* Gap 09 (mosquitto 2.0.11 mosquitto_pub + libmosquitto: 2 false
 * unprotected-write warnings).
 * Program: mosquitto_pub. Rule: unprotected-write.
 * Gap (thread order, value correlation): the network thread exists only in
 * one mode (`-l`, MSGMODE_STDIN_LINE: main calls mosquitto_loop_start()
 * and publishes itself), and the callback code that races with main's
 * publish runs on that thread only in the *other* modes (the connect
 * callback publishes only when pub_mode != MSGMODE_STDIN_LINE; then there
 * is no thread, mosquitto_loop_forever() runs the callbacks on main).
 * The mode is set once before and never changes, so the two writes never
 * run at once.
 * mosquitto: client/pub_client.c:117 and :121 (my_publish() writes
 * ready_for_repeat / first_publish; called from main in
 * pub_stdin_line_loop() and from my_connect_callback() for the other
 * modes), thread mosquitto__thread_main (lib/thread_mosq.c:45).
 * Expected: no finding.  main (c98824d): unprotected-write warning on
 * 'first_publish' against the write in 'my_publish' on 'net_thread'. */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

enum { MODE_CMD, MODE_LINE };

struct client {
	pthread_mutex_t callback_mutex;
	void (*on_connect)(struct client *);
};

static int pub_mode;
static bool first_publish = true;

static void my_publish(void)
{
	first_publish = false; /* false warning here */
}

static void my_connect_callback(struct client *c)
{
	(void)c;
	if (pub_mode != MODE_LINE)
		my_publish();
}

static void run_callbacks(struct client *c)
{
	pthread_mutex_lock(&c->callback_mutex);
	if (c->on_connect)
		c->on_connect(c);
	pthread_mutex_unlock(&c->callback_mutex);
}

static void *net_thread(void *arg)
{
	run_callbacks(arg);
	return NULL;
}

int main(int argc, char **argv)
{
	static struct client c = { PTHREAD_MUTEX_INITIALIZER, NULL };
	pthread_t t;

	(void)argv;
	pub_mode = argc > 1 ? MODE_LINE : MODE_CMD;
	c.on_connect = my_connect_callback;
	if (pub_mode == MODE_LINE) {
		if (pthread_create(&t, NULL, net_thread, &c))
			return 1;
		my_publish();
		pthread_join(t, NULL);
	} else {
		run_callbacks(&c);
	}
	return 0;
}
