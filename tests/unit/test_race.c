/*
 * Unit tests for analyzer/race and analyzer/live_reach, over C snippets
 * parsed by the real frontend and built into a view: which roots reach a
 * function alive (calls made on a path that dies do not count), the
 * fewest calls from each root, and the shared accesses with their locks,
 * roots and conflicts -- a write under the lock every thread takes, one
 * without it, main's writes before any thread runs, accesses ordered
 * by a join, and by a flag set under a lock and waited for (handoff.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "live_reach.h"
#include "race.h"
#include "settled.h"
#include "snippet.h"
#include "view_internal.h"

#include <stdbool.h>

struct world {
    struct snippet s;
    struct ll_view v;
};

static void build(struct world *w, const char *src)
{
    memset(w, 0, sizeof(*w));
    snippet_parse(&w->s, src);
    assert_int_equal(ll_view_build(&w->v, &w->s.facts, 1, NULL, 0), 0);
}

static void destroy(struct world *w)
{
    ll_view_release(&w->v);
    snippet_release(&w->s);
}

static uint32_t fn_index(const struct world *w, const char *name)
{
    for (size_t i = 0; i < w->v.nfns; i++)
        if (strcmp(w->v.fns[i].fn->name, name) == 0)
            return (uint32_t)i;
    fail_msg("no function %s", name);
    return 0;
}

/* The root index of function `name`. */
static uint32_t root_of(const struct world *w, const char *name)
{
    uint32_t f = fn_index(w, name);
    for (uint32_t r = 0; r < w->v.cg.nroots; r++)
        if (w->v.cg.roots[r].fn == f)
            return r;
    fail_msg("%s is no root", name);
    return 0;
}

/* ---- live_reach --------------------------------------------------------- */

static const char *const reach_src =
    "#include <pthread.h>\n#include <stdlib.h>\n"
    "void report(void) {}\n"
    "void step(void) {}\n"
    "void check(int ok) { if (!ok) { report(); abort(); } step(); }\n"
    "void *worker(void *a) { check(a != 0); return a; }\n"
    "int main(void) { pthread_t t; pthread_create(&t, 0, worker, 0);"
    " pthread_join(t, 0); return 0; }\n";

static void test_live_reach(void **state)
{
    (void)state;
    struct world w;
    build(&w, reach_src);
    struct ll_arena a;
    ll_arena_init(&a);
    struct ll_live_reach lr;
    assert_int_equal(ll_live_reach_build(&w.v, &a, &lr), 0);
    uint32_t worker = root_of(&w, "worker"), report = fn_index(&w, "report");
    uint32_t step = fn_index(&w, "step"), check = fn_index(&w, "check");
    /* the call graph reaches report(); only the crash path calls it */
    assert_true(ll_callgraph_reaches(&w.v.cg, worker, report));
    assert_false(ll_live_reaches(&lr, worker, report));
    assert_false(ll_live_reached(&lr, report));
    assert_true(ll_live_reaches(&lr, worker, step));
    assert_true(ll_live_reached(&lr, check));
    assert_int_equal(ll_live_depths(&lr, check)[worker], 1);
    assert_int_equal(ll_live_depths(&lr, step)[worker], 2);
    assert_int_equal(ll_live_depths(&lr, step)[root_of(&w, "main")], UINT8_MAX);
    ll_arena_release(&a);
    destroy(&w);
}

/* ---- race --------------------------------------------------------------- */

static const char *const race_src =
    "#include <pthread.h>\n"
    "pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;\n"
    "int guarded, bare, before;\n"
    "void *worker(void *a) {\n"
    "  pthread_mutex_lock(&m); guarded++; pthread_mutex_unlock(&m);\n"
    "  bare++; return a; }\n"
    "int main(void) { pthread_t t[2]; before = 1;\n"
    "  for (int i = 0; i < 2; i++) pthread_create(&t[i], 0, worker, 0);\n"
    "  for (int i = 0; i < 2; i++) pthread_join(t[i], 0);\n"
    "  return before; }\n";

/* The first access to `name` in function `fn` (a write when `write`). */
static const struct ll_race_access *access_to(const struct world *w, const struct ll_race_result *r,
                                              const char *fn, const char *name, bool write)
{
    uint32_t f = fn_index(w, fn);
    for (size_t i = 0; i < r->n; i++)
        if (r->acc[i].fn == f && r->acc[i].write == write && strcmp(r->acc[i].name, name) == 0)
            return &r->acc[i];
    return NULL;
}

static void test_race_accesses(void **state)
{
    (void)state;
    struct world w;
    build(&w, race_src);
    const struct ll_race_result *r = &w.v.race; /* a phase of the view build */
    assert_non_null(r);
    uint32_t worker = root_of(&w, "worker");
    const struct ll_race_access *g = access_to(&w, r, "worker", "guarded", true);
    const struct ll_race_access *b = access_to(&w, r, "worker", "bare", true);
    assert_non_null(g);
    assert_non_null(b);
    /* sorted by group */
    for (size_t i = 1; i < r->n; i++)
        assert_true(strcmp(r->acc[i - 1].group, r->acc[i].group) <= 0);
    assert_int_equal(g->nlocks, 1);
    assert_true(ll_race_holds(g, &g->locks[0]));
    assert_int_equal(b->nlocks, 0);
    assert_true(ll_bitset_has(b->roots, worker));
    assert_true(ll_race_may_alias(b, b));
    assert_false(ll_race_may_alias(g, b));
    uint32_t ra, rb;
    /* two instances of the worker: unlocked writes race, locked ones do not */
    assert_true(ll_race_conflict(&w.v, b, b, &ra, &rb));
    assert_int_equal(ra, worker);
    assert_int_equal(rb, worker);
    assert_false(ll_race_conflict(&w.v, g, g, &ra, &rb));
    /* main's write before the creations and read after the joins run
     * alone: whatever of them is collected races with nothing */
    for (size_t i = 0; i < r->n; i++)
        for (size_t k = 0; k < r->n; k++)
            if (strcmp(r->acc[i].name, "before") == 0)
                assert_false(ll_race_conflict(&w.v, &r->acc[i], &r->acc[k], &ra, &rb));
    destroy(&w);
}

static void test_atomic_races_only_plain(void **state)
{
    (void)state;
    struct world w;
    build(&w, "#include <pthread.h>\n"
              "long ops;\n"
              "void *worker(void *a) { __atomic_fetch_add(&ops, 1, __ATOMIC_RELAXED); return a; }\n"
              "void *resetter(void *a) { ops = 0; return a; }\n"
              "int main(void) { pthread_t t[2];\n"
              "  pthread_create(&t[0], 0, worker, 0); pthread_create(&t[1], 0, resetter, 0);\n"
              "  pthread_join(t[0], 0); pthread_join(t[1], 0); return 0; }\n");
    const struct ll_race_result *r = &w.v.race;
    const struct ll_race_access *at = access_to(&w, r, "worker", "ops", true);
    const struct ll_race_access *plain = access_to(&w, r, "resetter", "ops", true);
    assert_non_null(at);
    assert_non_null(plain);
    assert_true(at->atomic);
    assert_false(plain->atomic);
    uint32_t ra, rb;
    /* two atomic updates do not race; a plain store against one does */
    assert_false(ll_race_conflict(&w.v, at, at, &ra, &rb));
    assert_true(ll_race_conflict(&w.v, plain, at, &ra, &rb));
    destroy(&w);
}

/* ---- the block a thread is given, through calls (blocks.h) -------------- */

static const char *const block_src =
    "#include <pthread.h>\n#include <stdlib.h>\n"
    "struct client { pthread_t thr; int mid; };\n"
    "static int next_mid(struct client *c) { return ++c->mid; }\n"
    "static void *net(void *arg) { struct client *c = arg; next_mid(c); return 0; }\n"
    "static struct client *client_new(void) { return calloc(1, sizeof(struct client)); }\n"
    "static int loop_start(struct client *c) { return pthread_create(&c->thr, 0, net, c); }\n"
    "int main(void) { struct client *c = client_new(); loop_start(c); next_mid(c);\n"
    "  pthread_join(c->thr, 0); return 0; }\n";

static void test_start_arg_block(void **state)
{
    (void)state;
    struct world w;
    build(&w, block_src);
    const struct ll_race_result *r = &w.v.race;
    uint32_t f = fn_index(&w, "next_mid"), net = root_of(&w, "net");
    const struct ll_race_access *own = NULL, *creator = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const struct ll_race_access *x = &r->acc[i];
        if (x->fn != f || !x->write)
            continue;
        /* one access, two records: the thread's own view, main's */
        assert_non_null(x->object);
        assert_non_null(strstr(x->object, "main|c->mid"));
        if (x->exclusive)
            own = x;
        else
            creator = x;
    }
    assert_non_null(own);
    assert_non_null(creator);
    assert_true(ll_bitset_has(own->roots, net));
    assert_true(own->from_start_arg);
    assert_true(ll_race_may_alias(own, creator));
    assert_false(ll_race_may_alias(own, own));
    uint32_t ra, rb;
    assert_true(ll_race_conflict(&w.v, own, creator, &ra, &rb));
    destroy(&w);
}

/* ---- hand-off through a flag under a lock (handoff.h) ------------------- */

static const char *const handoff_src =
    "#include <pthread.h>\n"
    "pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;\n"
    "pthread_cond_t cv = PTHREAD_COND_INITIALIZER;\n"
    "int ready, data, early;\n"
    "void *writer(void *a) { data = 1; early = 1;\n"
    "  pthread_mutex_lock(&m); ready = 1; pthread_cond_signal(&cv);\n"
    "  pthread_mutex_unlock(&m); return a; }\n"
    "void *reader(void *a) { int e = early;\n"
    "  pthread_mutex_lock(&m); while (!ready) pthread_cond_wait(&cv, &m);\n"
    "  pthread_mutex_unlock(&m); return (void *)(long)(data + e); }\n"
    "int main(void) { pthread_t t[2];\n"
    "  pthread_create(&t[0], 0, writer, 0); pthread_create(&t[1], 0, reader, 0);\n"
    "  pthread_join(t[0], 0); pthread_join(t[1], 0); return 0; }\n";

static void test_handoff(void **state)
{
    (void)state;
    struct world w;
    build(&w, handoff_src);
    const struct ll_race_result *r = &w.v.race;
    /* one channel: `ready` under `m`, set by the writer only */
    assert_int_equal(r->handoff.nchans, 1);
    assert_string_equal(r->handoff.chans[0].flag.text, "ready");
    assert_string_equal(r->handoff.chans[0].lock.text, "m");
    assert_int_equal(r->handoff.chans[0].nsetters, 1);
    assert_int_equal(r->handoff.chans[0].setters[0], fn_index(&w, "writer"));
    const struct ll_race_access *wd = access_to(&w, r, "writer", "data", true);
    const struct ll_race_access *rd = access_to(&w, r, "reader", "data", false);
    const struct ll_race_access *we = access_to(&w, r, "writer", "early", true);
    const struct ll_race_access *re = access_to(&w, r, "reader", "early", false);
    assert_non_null(wd);
    assert_non_null(rd);
    assert_non_null(we);
    assert_non_null(re);
    /* the writes publish on every path, the set cannot be followed by them */
    assert_int_equal(wd->npub, 1);
    assert_true(wd->pub[0].full);
    assert_false(wd->pub[0].looped);
    /* the read after the loop observes on every path, the one before it
     * only partly */
    assert_int_equal(rd->nobs, 1);
    assert_true(rd->obs[0].full);
    assert_int_equal(re->nobs, 1);
    assert_false(re->obs[0].full);
    uint32_t ra, rb, chan = 9;
    assert_int_equal(ll_handoff_order(&w.v, &r->handoff, wd, rd, &chan, NULL), LL_HO_ORDERED);
    assert_int_equal(chan, 0);
    assert_int_equal(ll_handoff_order(&w.v, &r->handoff, rd, wd, NULL, NULL), LL_HO_NONE);
    assert_false(ll_race_conflict(&w.v, wd, rd, &ra, &rb));
    /* the early read: a race, partly ordered */
    assert_int_equal(ll_handoff_order(&w.v, &r->handoff, we, re, NULL, NULL), LL_HO_PARTIAL);
    assert_true(ll_race_conflict(&w.v, we, re, &ra, &rb));
    struct ll_race_partial why;
    assert_true(ll_race_handoff_partial(&w.v, re, we, &why));
    assert_string_equal(why.flag, "ready");
    assert_false(why.queue);
    destroy(&w);
}

/* The same through helpers: a put helper sets the flag under the lock on
 * every path, a get helper (wrapped once more) leaves a wait loop on it,
 * then clears it. */
static const char *const handoff_helpers_src =
    "#include <pthread.h>\n"
    "struct { pthread_mutex_t mu; pthread_cond_t cv; int item; } q =\n"
    "  { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };\n"
    "int table, late, early;\n"
    "static int q_get(void) { int it; pthread_mutex_lock(&q.mu);\n"
    "  while (q.item == 0) pthread_cond_wait(&q.cv, &q.mu);\n"
    "  it = q.item; q.item = 0; pthread_mutex_unlock(&q.mu); return it; }\n"
    "static int next_job(void) { return q_get(); }\n"
    "static void q_put(int it) { pthread_mutex_lock(&q.mu); q.item = it;\n"
    "  pthread_cond_signal(&q.cv); pthread_mutex_unlock(&q.mu); }\n"
    "void *worker(void *a) { int e = early; int n = next_job();\n"
    "  return (void *)(long)(n + table + late + e); }\n"
    "int main(void) { pthread_t t; pthread_create(&t, 0, worker, 0);\n"
    "  table = 1; early = 1; q_put(1); late = 2;\n"
    "  pthread_join(t, 0); return 0; }\n";

static void test_handoff_helpers(void **state)
{
    (void)state;
    struct world w;
    build(&w, handoff_helpers_src);
    const struct ll_race_result *r = &w.v.race;
    assert_int_equal(r->handoff.nchans, 1);
    assert_string_equal(r->handoff.chans[0].flag.text, "q.item");
    /* the helpers set the flag; their callers count (own_setters) */
    assert_int_equal(r->handoff.chans[0].nsetters, 2);
    const struct ll_race_access *wt = access_to(&w, r, "main", "table", true);
    const struct ll_race_access *rt = access_to(&w, r, "worker", "table", false);
    const struct ll_race_access *wl = access_to(&w, r, "main", "late", true);
    const struct ll_race_access *rl = access_to(&w, r, "worker", "late", false);
    const struct ll_race_access *we = access_to(&w, r, "main", "early", true);
    const struct ll_race_access *re = access_to(&w, r, "worker", "early", false);
    assert_non_null(wt);
    assert_non_null(rt);
    assert_non_null(wl);
    assert_non_null(rl);
    assert_non_null(we);
    assert_non_null(re);
    /* the call of the put helper publishes the write before it */
    assert_int_equal(wt->npub, 1);
    assert_true(wt->pub[0].full);
    assert_false(wt->pub[0].looped);
    assert_int_equal(wl->npub, 0);
    /* after the get (two levels down) in full, but not fresh: the get
     * helper clears the flag after its wait */
    assert_int_equal(rt->nobs, 1);
    assert_true(rt->obs[0].full);
    assert_false(rt->obs[0].fresh);
    assert_int_equal(re->nobs, 1);
    assert_false(re->obs[0].full);
    uint32_t ra, rb;
    assert_int_equal(ll_handoff_order(&w.v, &r->handoff, wt, rt, NULL, NULL), LL_HO_ORDERED);
    assert_false(ll_race_conflict(&w.v, wt, rt, &ra, &rb));
    /* a write after the put, a read before the get: still races */
    assert_int_equal(ll_handoff_order(&w.v, &r->handoff, wl, rl, NULL, NULL), LL_HO_NONE);
    assert_true(ll_race_conflict(&w.v, wl, rl, &ra, &rb));
    assert_int_equal(ll_handoff_order(&w.v, &r->handoff, we, re, NULL, NULL), LL_HO_PARTIAL);
    assert_true(ll_race_conflict(&w.v, we, re, &ra, &rb));
    destroy(&w);
}

/* ---- hand-off through a queue of pointers under a lock ------------------ */

static const char *const queue_src =
    "#include <pthread.h>\n"
    "struct job { int x, y; struct job *next; };\n"
    "struct q { pthread_mutex_t m; struct job *head; } q = {PTHREAD_MUTEX_INITIALIZER, 0};\n"
    "struct job pool[4];\n"
    "void put(struct job *j) { j->x = 1;\n"
    "  pthread_mutex_lock(&q.m); j->next = q.head; q.head = j; pthread_mutex_unlock(&q.m);\n"
    "  j->y = 2; }\n"
    "void *producer(void *a) { put(&pool[0]); return a; }\n"
    "void *consumer(void *a) { struct job *j;\n"
    "  pthread_mutex_lock(&q.m); j = q.head; if (j) q.head = j->next;\n"
    "  pthread_mutex_unlock(&q.m); return (void *)(long)(j->x + j->y); }\n"
    "int main(void) { pthread_t t[2];\n"
    "  pthread_create(&t[0], 0, producer, 0); pthread_create(&t[1], 0, consumer, 0);\n"
    "  pthread_join(t[0], 0); pthread_join(t[1], 0); return 0; }\n";

static void test_queue_handoff(void **state)
{
    (void)state;
    struct world w;
    build(&w, queue_src);
    const struct ll_race_result *r = &w.v.race;
    /* one queue channel under `q.m`, named by the slot taken from */
    assert_int_equal(r->handoff.nchans, 1);
    assert_true(r->handoff.chans[0].queue);
    assert_string_equal(r->handoff.chans[0].flag.text, "q.head");
    const struct ll_race_access *wx = access_to(&w, r, "put", "struct job.x", true);
    const struct ll_race_access *wy = access_to(&w, r, "put", "struct job.y", true);
    const struct ll_race_access *rx = access_to(&w, r, "consumer", "struct job.x", false);
    const struct ll_race_access *ry = access_to(&w, r, "consumer", "struct job.y", false);
    assert_non_null(wx);
    assert_non_null(wy);
    assert_non_null(rx);
    assert_non_null(ry);
    /* the write before the push is put in on every path; the one after it
     * is not; the reads after the take took the object out first */
    assert_int_equal(wx->npub, 1);
    assert_true(wx->pub[0].full);
    assert_int_equal(wy->npub, 0);
    assert_int_equal(rx->nobs, 1);
    assert_true(rx->obs[0].full);
    uint32_t ra, rb;
    assert_int_equal(ll_handoff_order(&w.v, &r->handoff, wx, rx, NULL, NULL), LL_HO_ORDERED);
    assert_false(ll_race_conflict(&w.v, wx, rx, &ra, &rb));
    assert_int_equal(ll_handoff_order(&w.v, &r->handoff, wy, ry, NULL, NULL), LL_HO_NONE);
    assert_true(ll_race_conflict(&w.v, wy, ry, &ra, &rb));
    destroy(&w);
}

/* ---- a join in a helper main calls (mhp.h, ll_mhp_joined_for_main()) ---- */

static const char *const helper_join_src =
    "#include <pthread.h>\n#include <stdlib.h>\n"
    "pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;\n"
    "pthread_t th, tp; int n, cfg, np; struct conn { pthread_t t; };\n"
    "void *worker(void *a) { pthread_mutex_lock(&m); n += cfg; pthread_mutex_unlock(&m);\n"
    "  return a; }\n"
    "void *pinger(void *a) { pthread_mutex_lock(&m); np++; pthread_mutex_unlock(&m); return a; }\n"
    "void stop(void) { pthread_join(th, 0); n = 0; }\n"
    "void shutdown_all(void) { stop(); cfg = 0; }\n"
    "void close_conn(struct conn *c) { pthread_join(c->t, 0); np = 0; }\n"
    "int main(void) { struct conn *c = calloc(2, sizeof(*c));\n"
    "  pthread_create(&th, 0, worker, 0); shutdown_all();\n"
    "  for (int i = 0; i < 2; i++) pthread_create(&c[i].t, 0, pinger, 0);\n"
    "  close_conn(&c[0]); close_conn(&c[1]); return 0; }\n";

static void test_join_in_helper(void **state)
{
    (void)state;
    struct world w;
    build(&w, helper_join_src);
    const struct ll_race_result *r = &w.v.race;
    const struct ll_mhp *m = &w.v.mhp;
    uint32_t worker = root_of(&w, "worker"), pinger = root_of(&w, "pinger");
    uint32_t stop = fn_index(&w, "stop"), sa = fn_index(&w, "shutdown_all");
    uint32_t cc = fn_index(&w, "close_conn");
    /* the worker's handle is one global filled once by main: joining it
     * ends the worker; the pinger's is one per connection (`c->t`) */
    assert_true(ll_bitset_has(&m->main_ends[(size_t)worker * m->words], worker));
    assert_false(ll_bitset_any(&m->main_ends[(size_t)pinger * m->words], m->words));
    uint64_t ended[4] = {0};
    ll_mhp_joined_for_main(m, stop, 0, ended);
    assert_false(ll_bitset_has(ended, worker)); /* not before the join */
    ll_mhp_joined_for_main(m, stop, w.v.fns[stop].fn->nevents - 1, ended);
    assert_true(ll_bitset_has(ended, worker));
    /* after the call of stop() in shutdown_all(): its last event */
    ll_mhp_joined_for_main(m, sa, w.v.fns[sa].fn->nevents - 1, ended);
    assert_true(ll_bitset_has(ended, worker));
    ll_mhp_joined_for_main(m, cc, w.v.fns[cc].fn->nevents - 1, ended);
    assert_false(ll_bitset_has(ended, pinger));
    uint32_t ra, rb;
    const struct ll_race_access *wn = access_to(&w, r, "stop", "n", true);
    const struct ll_race_access *wn2 = access_to(&w, r, "worker", "n", true);
    const struct ll_race_access *wc = access_to(&w, r, "shutdown_all", "cfg", true);
    const struct ll_race_access *rc = access_to(&w, r, "worker", "cfg", false);
    const struct ll_race_access *wp = access_to(&w, r, "close_conn", "np", true);
    const struct ll_race_access *wp2 = access_to(&w, r, "pinger", "np", true);
    assert_non_null(wn2);
    assert_non_null(rc);
    assert_non_null(wp);
    assert_non_null(wp2);
    /* the writes after the join (and after the joining call) run alone:
     * not collected as main's, or collected without a conflict */
    assert_true(!wn || !ll_race_conflict(&w.v, wn, wn2, &ra, &rb));
    assert_true(!wc || !ll_race_conflict(&w.v, wc, rc, &ra, &rb));
    /* one connection's join leaves the other's pinger running */
    assert_true(ll_race_conflict(&w.v, wp, wp2, &ra, &rb));
    destroy(&w);
}

/* ---- once-guards main settles before any thread (settled.h) ----------- */

static const char *const settled_src =
    "#include <pthread.h>\n#include <time.h>\n"
    "static int inited, late; static long stamp; static int upd;\n"
    "static void init(void) { if (!inited) inited = 1; }\n"
    "static void stamp_once(void) { if (stamp == 0) stamp = (long)time(0); }\n"
    "static void log_start(int v) { init(); stamp_once(); (void)v; }\n"
    "static void init_late(void) { if (!late) late = 2; }\n"
    "static void bump(void) { if (!upd) upd++; }\n"
    "static void *worker(void *a) { log_start(1); init_late(); bump(); return a; }\n"
    "int main(void) { pthread_t t[2]; log_start(0); bump();\n"
    "  for (int i = 0; i < 2; i++) pthread_create(&t[i], 0, worker, 0);\n"
    "  init_late();\n"
    "  for (int i = 0; i < 2; i++) pthread_join(t[i], 0);\n"
    "  return inited + late; }\n";

static enum ll_settled_kind settled_kind(const struct world *w, const struct ll_settled *s,
                                         const char *fn, const char *var)
{
    const struct ll_fn_view *f = &w->v.fns[fn_index(w, fn)];
    for (uint32_t e = 0; e < f->fn->nevents; e++) {
        const struct ll_event *ev = &f->fn->events[e];
        if (ev->kind == LL_EV_ACCESS && (ev->flags & LL_EVF_WRITE) && ev->obj.key &&
            strcmp(ev->obj.key, var) == 0)
            return ll_settled_write(s, f, e);
    }
    fail_msg("no write of %s in %s", var, fn);
    return LL_SETTLED_NO;
}

static void test_settled(void **state)
{
    (void)state;
    struct world w;
    build(&w, settled_src);
    struct ll_arena a;
    ll_arena_init(&a);
    struct ll_settled s;
    assert_int_equal(ll_settled_build(&w.v, &a, &s), 0);
    /* main's log_start() reaches both guarded writes on every path before
     * the threads: a constant stored settles for good, time() unless 0 */
    assert_int_equal(settled_kind(&w, &s, "init", "inited"), LL_SETTLED_SURE);
    assert_int_equal(settled_kind(&w, &s, "stamp_once", "stamp"), LL_SETTLED_IF_NONZERO);
    /* main's first call comes after the threads start */
    assert_int_equal(settled_kind(&w, &s, "init_late", "late"), LL_SETTLED_NO);
    /* an update is no once-guard write */
    assert_int_equal(settled_kind(&w, &s, "bump", "upd"), LL_SETTLED_NO);
    /* race.c leaves the settled constant write out */
    assert_null(access_to(&w, &w.v.race, "init", "inited", true));
    assert_non_null(access_to(&w, &w.v.race, "init_late", "late", true));
    const struct ll_race_access *st = access_to(&w, &w.v.race, "stamp_once", "stamp", true);
    assert_non_null(st);
    assert_true(st->settled);
    ll_settled_release(&s);
    ll_arena_release(&a);
    destroy(&w);
}

/* ---- elements a worker pops off a shared list (popped.h) -------------- */

static const char *const popped_src =
    "#include <pthread.h>\n#include <stddef.h>\n"
    "struct link { struct link *next; };\n"
    "struct item { struct link l; int n; };\n"
    "struct q { pthread_mutex_t m; struct link head, peek; };\n"
    "#define ITEM(p) ((struct item *)((char *)(p) - offsetof(struct item, l)))\n"
    "static void unlink_first(struct link *h) { h->next = h->next->next; }\n"
    "static void *worker(void *a) {\n"
    "  struct q *q = a; struct item *it, *pk;\n"
    "  pthread_mutex_lock(&q->m); it = ITEM(q->head.next); unlink_first(&q->head);\n"
    "  pthread_mutex_unlock(&q->m);\n"
    "  it->n = 1;\n"
    "  pthread_mutex_lock(&q->m); pk = ITEM(q->peek.next); pthread_mutex_unlock(&q->m);\n"
    "  pk->n = 2;\n"
    "  return a; }\n"
    "int main(void) { pthread_t t[2]; static struct q Q = {PTHREAD_MUTEX_INITIALIZER, {0}, {0}};\n"
    "  for (int i = 0; i < 2; i++) pthread_create(&t[i], 0, worker, &Q);\n"
    "  for (int i = 0; i < 2; i++) pthread_join(t[i], 0);\n"
    "  return 0; }\n";

static void test_popped(void **state)
{
    (void)state;
    struct world w;
    build(&w, popped_src);
    const struct ll_race_result *r = &w.v.race;
    uint32_t worker = fn_index(&w, "worker");
    const struct ll_race_access *popped = NULL, *peeked = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const struct ll_event *ev = &w.v.fns[worker].fn->events[r->acc[i].event];
        if (r->acc[i].fn != worker || !r->acc[i].write || !ev->obj.key)
            continue;
        if (strcmp(ev->obj.key, "a->head.next^l->n") == 0)
            popped = &r->acc[i];
        else if (strcmp(ev->obj.key, "a->peek.next^l->n") == 0)
            peeked = &r->acc[i];
    }
    assert_non_null(popped);
    assert_non_null(peeked);
    /* q->head's first element is unlinked under q->m: each worker's own */
    assert_non_null(popped->popped);
    assert_non_null(strstr(popped->popped, "|a->head.next"));
    uint32_t ra, rb;
    assert_false(ll_race_conflict(&w.v, popped, popped, &ra, &rb));
    /* q->peek's is only looked at: two workers may write one element,
     * which may also be one a worker popped */
    assert_null(peeked->popped);
    assert_true(ll_race_conflict(&w.v, peeked, peeked, &ra, &rb));
    assert_true(ll_race_conflict(&w.v, popped, peeked, &ra, &rb));
    destroy(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_live_reach),      cmocka_unit_test(test_race_accesses),
        cmocka_unit_test(test_start_arg_block), cmocka_unit_test(test_handoff),
        cmocka_unit_test(test_handoff_helpers), cmocka_unit_test(test_queue_handoff),
        cmocka_unit_test(test_join_in_helper),  cmocka_unit_test(test_settled),
        cmocka_unit_test(test_popped),          cmocka_unit_test(test_atomic_races_only_plain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
