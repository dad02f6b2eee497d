/* Gap E: a start-up handshake through a stack object: the creator passes
 * `&sem` (a local semaphore) to the thread, the thread's first and last use
 * of its argument is `sem_post(arg)`, and the creator `sem_wait`s for it
 * before returning.  The local outlives every use, but thread-arg-lifetime
 * only knows joins, so "the thread may still use it" after the return.
 * libuv's init_threads() (src/threadpool.c:229-236) with worker()'s
 * `uv_sem_post((uv_sem_t*) arg); arg = NULL;` (same with N threads and a
 * wait loop).
 * Expected: no finding.  locklint base10: thread-arg-lifetime warning on
 * '&sem'. */
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <unistd.h>
static pthread_t t;
static void *worker(void *arg) {
  sem_post((sem_t *)arg);
  for (;;)
    pause();
  return NULL;
}
void start(void) {
  sem_t sem;
  sem_init(&sem, 0, 0);
  if (pthread_create(&t, NULL, worker, &sem))
    abort();
  sem_wait(&sem);
  sem_destroy(&sem);
}
