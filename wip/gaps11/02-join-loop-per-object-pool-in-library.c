/* Gap 02 (xz-utils 5.4.1 liblzma: 7 false unprotected-write warnings).
 * Program: liblzma.so (library: exported functions are entry points).
 * Rule: unprotected-write.
 * Gap (thread order + object identity): a coder object owns its worker
 * pool (`coder->threads[i]`, each worker's argument points back to its
 * coder).  threads_end() joins every worker of *this* coder in a loop; the
 * entry point then writes the coder's fields.  No worker of this coder is
 * alive after the loop, and a worker only touches its own coder, so the
 * writes cannot race.  The engine orders writes after a join helper only
 * when main calls it and the handle is a global's, not a field behind a
 * pointer (README, "write after join in helper"); in a library everything
 * runs under '<entry points>'.
 * liblzma: stream_decoder_mt.c:527-531 (threads_end() itself, after its
 * join loop), :1974-1978 (stream_decoder_mt_init() after threads_end()),
 * stream_encoder_mt.c:1124 (stream_encoder_mt_init() after threads_end()).
 * Expected: no finding.  main (c98824d): unprotected-write warning on
 * 'c->progress' against the write in 'worker_main'. */
#include <pthread.h>
#include <stdlib.h>

struct coder;
struct worker {
	pthread_t tid;
	struct coder *coder;
};
struct coder {
	pthread_mutex_t mutex;
	struct worker *threads;
	unsigned n;
	long progress;
};
struct stream {
	struct coder *coder;
};

static void *worker_main(void *p)
{
	struct worker *w = p;

	pthread_mutex_lock(&w->coder->mutex);
	w->coder->progress += 1;
	pthread_mutex_unlock(&w->coder->mutex);
	return NULL;
}

static void threads_end(struct coder *c)
{
	for (unsigned i = 0; i < c->n; ++i)
		pthread_join(c->threads[i].tid, NULL);
	free(c->threads);
	c->threads = NULL;
	c->n = 0;
}

static int new_thread(struct coder *c)
{
	struct worker *w = &c->threads[c->n];

	w->coder = c;
	if (pthread_create(&w->tid, NULL, worker_main, w))
		return -1;
	++c->n;
	return 0;
}

int coder_init(struct stream *s, unsigned n)
{
	struct coder *c = s->coder;

	if (c == NULL) {
		c = calloc(1, sizeof(*c));
		if (c == NULL)
			return -1;
		pthread_mutex_init(&c->mutex, NULL);
		s->coder = c;
	}
	threads_end(c);
	c->progress = 0; /* false warning here */
	c->threads = calloc(n, sizeof(*c->threads));
	if (c->threads == NULL)
		return -1;
	for (unsigned i = 0; i < n; ++i)
		if (new_thread(c))
			return -1;
	return 0;
}

void coder_end(struct stream *s)
{
	if (s->coder == NULL)
		return;
	threads_end(s->coder);
	pthread_mutex_destroy(&s->coder->mutex);
	free(s->coder);
	s->coder = NULL;
}
