/* Gap B: a conditional acquire wrapper whose result says whether it holds
 * the lock -- non-NULL: held, NULL: released -- but whose NULL test and
 * return are the same field read twice (`if (e->meta == NULL) unlock;
 * return e->meta;`) rather than separate `return NULL` / `return m`
 * statements.  The path that unlocks and the path that keeps the lock share
 * one return, so it is reported as a leak (and each caller as a
 * double-lock).  collectd's uc_get_meta() (src/daemon/utils_cache.c:958-986),
 * whose UC_WRAP callers unlock `cache_lock` exactly when the result is not
 * NULL.  Written with a local (`m = e->meta; if (!m) {unlock; return NULL;}
 * return m;`) locklint is silent.
 * Expected: no lock-leak.  locklint base10: lock-leak warning at `return
 * e->meta;` (and a double-lock warning at the caller). */
#include <pthread.h>
#include <stdlib.h>

struct entry {
  void *meta;
};
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
struct entry *lookup(int k);

/* Returns the entry's meta data with cache_lock held, or NULL unlocked. */
static void *get_meta(int k) {
  pthread_mutex_lock(&cache_lock);
  struct entry *e = lookup(k);
  if (e == NULL) {
    pthread_mutex_unlock(&cache_lock);
    return NULL;
  }
  if (e->meta == NULL)
    e->meta = malloc(16);
  if (e->meta == NULL)
    pthread_mutex_unlock(&cache_lock);
  return e->meta; /* false lock-leak: held exactly when not NULL */
}

int meta_touch(int k) {
  void *m = get_meta(k);
  if (m == NULL)
    return -1;
  *(char *)m = 1;
  pthread_mutex_unlock(&cache_lock);
  return 0;
}
