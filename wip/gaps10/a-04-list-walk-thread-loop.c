/* Gap C: a loop that walks a linked list (`for (p = head; p != NULL; p =
 * p->next)`) counts as a loop with no bound for unbounded-thread-creation,
 * like `while (running)` or an accept loop.  The list is finite (here built
 * once from the configuration) and each node starts at most one live thread
 * (`running` gate under the lock), so the live threads are bounded by the
 * list's length.  collectd's exec plugin: exec_read() (src/exec.c:829-846)
 * and exec_notification() (src/exec.c:861-886).
 * Expected: no finding.  locklint base10: unbounded-thread-creation warning
 * "(the loop runs while 'p!=NULL')". */
#include <pthread.h>
#include <stddef.h>
struct prog { struct prog *next; int running; };
static struct prog *head; /* built once from the configuration */
static pthread_mutex_t lk = PTHREAD_MUTEX_INITIALIZER;
static void *run_one(void *arg) {
  struct prog *p = arg;
  pthread_mutex_lock(&lk);
  p->running = 0;
  pthread_mutex_unlock(&lk);
  return NULL;
}
/* Called periodically: at most one live thread per configured program. */
int run_all(void) {
  for (struct prog *p = head; p != NULL; p = p->next) {
    pthread_mutex_lock(&lk);
    if (p->running) {
      pthread_mutex_unlock(&lk);
      continue;
    }
    p->running = 1;
    pthread_mutex_unlock(&lk);
    pthread_t t;
    if (pthread_create(&t, NULL, run_one, p) == 0)
      pthread_detach(t);
  }
  return 0;
}
