/* Gap 08 (fio 3.33 `fio`: 2 false warnings, unlock-not-held + lock-leak).
 * Program: fio. Rules: unlock-not-held, lock-leak.
 * Gap (lock semantics, value correlation): `if (pred(td)) lock(m); ...;
 * if (pred(td)) unlock(m);` where pred() is a side-effect-free inline
 * function of fields nothing in between writes.  The engine correlates
 * the two tests when they are the same field read (`if (td->o.flag)`
 * twice is silent) but not when they are the same call.
 * fio: backend.c:1963-1971 thread_main() (`if (td_offload_overlap(td))`
 * around td_set_runstate(td, TD_FINISHING); td_offload_overlap() is
 * fio.h's `td->o.serialize_overlap && td->o.io_submit_mode ==
 * IO_MODE_OFFLOAD`).
 * Expected: no finding.  main (c98824d): unlock-not-held on the unlock and
 * lock-leak "'overlap_check' still held when 'finish' returns". */
#include <pthread.h>
#include <stdbool.h>

struct options {
	int serialize_overlap;
	int submit_mode;
};
struct td {
	struct options o;
	int runstate;
};

pthread_mutex_t overlap_check = PTHREAD_MUTEX_INITIALIZER;

static inline bool td_offload_overlap(struct td *td)
{
	return td->o.serialize_overlap && td->o.submit_mode == 1;
}

void finish(struct td *td)
{
	if (td_offload_overlap(td))
		pthread_mutex_lock(&overlap_check);
	td->runstate = 3;
	if (td_offload_overlap(td))
		pthread_mutex_unlock(&overlap_check);
}
