/* Gap 10 (mosquitto 2.0.11 libmosquitto: 1 false lock-order-inversion
 * warning; the same cause gives a double-lock note in mosquitto_pub).
 * Program: libmosquitto.so (library). Rule: lock-order-inversion.
 * Gap (lock semantics, value correlation): every callback is called with
 * callback_mutex held and `mosq->in_callback = true` around the call;
 * a publish from inside a callback only queues the packet, because
 * packet__queue() writes it out (taking current_out_packet_mutex) only
 * `if (mosq->in_callback == false && ...)`.  So current_out_packet_mutex is
 * never taken while callback_mutex is held; only the other order
 * (packet__write() holds current_out_packet_mutex and takes callback_mutex
 * for on_publish) happens.  The engine ignores the flag and sees a cycle.
 * mosquitto: lib/handle_publish.c:125-129 (callback_mutex, in_callback,
 * on_message), lib/helpers.c (on_message_callback -> mosquitto_disconnect),
 * lib/packet_mosq.c:236 and :302 (packet__write), packet__queue() at its end.
 * Expected: no finding.  main (c98824d): lock-order-inversion warning on
 * 'm->out_packet_mutex' / 'm->callback_mutex'. */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct mosq {
	pthread_mutex_t callback_mutex;
	pthread_mutex_t out_packet_mutex;
	bool in_callback;
	int queued;
	void (*on_message)(struct mosq *);
	void (*on_publish)(struct mosq *);
};

static int packet_write(struct mosq *m)
{
	pthread_mutex_lock(&m->out_packet_mutex);
	m->queued = 0;
	pthread_mutex_lock(&m->callback_mutex);
	if (m->on_publish) {
		m->in_callback = true;
		m->on_publish(m);
		m->in_callback = false;
	}
	pthread_mutex_unlock(&m->callback_mutex);
	pthread_mutex_unlock(&m->out_packet_mutex);
	return 0;
}

static int packet_queue(struct mosq *m)
{
	m->queued++;
	if (m->in_callback == false)
		return packet_write(m);
	return 0;
}

int mosq_publish(struct mosq *m)
{
	return packet_queue(m);
}

/* the library's own callback (mosquitto_subscribe_callback's helper) */
static void helper_on_message(struct mosq *m)
{
	mosq_publish(m);
}

void mosq_use_helper(struct mosq *m)
{
	m->on_message = helper_on_message;
}

int mosq_loop(struct mosq *m)
{
	pthread_mutex_lock(&m->callback_mutex);
	if (m->on_message) {
		m->in_callback = true;
		m->on_message(m);
		m->in_callback = false;
	}
	pthread_mutex_unlock(&m->callback_mutex);
	return 0;
}
