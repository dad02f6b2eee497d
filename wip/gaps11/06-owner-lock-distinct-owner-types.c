/* Gap 06 (xz-utils 5.4.1 liblzma: 2 false unprotected-write warnings).
 * Program: liblzma.so. Rule: unprotected-write.
 * Gap (object identity): two coder types (the multithreaded encoder's and
 * decoder's `lzma_stream_coder`, each file-local) each own an output queue
 * of a shared buffer type (`lzma_outbuf`).  Each worker writes its buffer
 * with its own coder's mutex held (`thr->outbuf->pos` under
 * `thr->coder->mutex`), and a worker's buffer always comes from its own
 * coder's queue.  An encoder worker and a decoder worker never share a
 * buffer, but the engine merges all objects of the buffer type and the
 * two mutexes are different locks (different owner types), so it pairs
 * the encoder worker's write with the decoder worker's.
 * liblzma: stream_decoder_mt.c:429/:479-481 against stream_encoder_mt.c:413-414.
 * Expected: no finding (or a note: objects reached through pointers).
 * main (c98824d): unprotected-write warnings on 'thr->outbuf->pos' and
 * 'thr->outbuf->finished' against 'dec_main'. */
#include <pthread.h>
#include <stddef.h>

struct outbuf {
	size_t pos;
	int finished;
};

struct enc_coder {
	pthread_mutex_t mutex;
	struct outbuf bufs[4];
};
struct enc_worker {
	pthread_t tid;
	struct enc_coder *coder;
	struct outbuf *outbuf;
};

struct dec_coder {
	pthread_mutex_t mutex;
	struct outbuf bufs[4];
};
struct dec_worker {
	pthread_t tid;
	struct dec_coder *coder;
	struct outbuf *outbuf;
};

static void *enc_main(void *p)
{
	struct enc_worker *thr = p;

	pthread_mutex_lock(&thr->coder->mutex);
	thr->outbuf->pos = 10; /* false warning here */
	thr->outbuf->finished = 1;
	pthread_mutex_unlock(&thr->coder->mutex);
	return NULL;
}

static void *dec_main(void *p)
{
	struct dec_worker *thr = p;

	pthread_mutex_lock(&thr->coder->mutex);
	thr->outbuf->pos = 20;
	thr->outbuf->finished = 1;
	pthread_mutex_unlock(&thr->coder->mutex);
	return NULL;
}

int enc_start(struct enc_worker *w, struct enc_coder *c)
{
	w->coder = c;
	w->outbuf = &c->bufs[0];
	return pthread_create(&w->tid, NULL, enc_main, w);
}

void enc_end(struct enc_worker *w)
{
	pthread_join(w->tid, NULL);
}

int dec_start(struct dec_worker *w, struct dec_coder *c)
{
	w->coder = c;
	w->outbuf = &c->bufs[0];
	return pthread_create(&w->tid, NULL, dec_main, w);
}

void dec_end(struct dec_worker *w)
{
	pthread_join(w->tid, NULL);
}
