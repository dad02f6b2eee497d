/*
 * Unit tests for the whole-program phases (callgraph.c, view*.c) and the
 * view's query API (view_query.c): C snippets
 * are parsed by the real frontend, then linked; checked are the bottom-up
 * order, thread roots, summaries inferred for wrappers (also through
 * recursion, where the component is iterated to a fixpoint), and the
 * lock-order graph built from them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "getters.h"
#include "snippet.h"
#include "view_internal.h"

struct world {
    struct snippet s;
    struct ll_view view;
};

static void build(struct world *w, const char *src)
{
    snippet_parse(&w->s, src);
    assert_int_equal(ll_view_build(&w->view, &w->s.facts, 1, NULL, 0), 0);
}

static void destroy(struct world *w)
{
    ll_view_release(&w->view);
    snippet_release(&w->s);
}

static const struct ll_fn_view *fn(const struct world *w, const char *name)
{
    for (size_t i = 0; i < w->view.nfns; i++)
        if (strcmp(w->view.fns[i].fn->name, name) == 0)
            return &w->view.fns[i];
    fail_msg("no function %s", name);
    return NULL;
}

static const struct ll_effect *effect(const struct ll_fn_view *f, const char *key)
{
    for (size_t i = 0; i < f->summary.neffects; i++)
        if (strcmp(f->summary.effects[i].lock.key, key) == 0)
            return &f->summary.effects[i];
    return NULL;
}

static bool takes(const struct ll_fn_view *f, const char *key)
{
    for (size_t i = 0; i < f->summary.ntakes; i++)
        if (strcmp(f->summary.takes[i].lock.key, key) == 0)
            return true;
    return false;
}

static void test_wrappers_inferred(void **state)
{
    (void)state;
    struct world w;
    build(&w, "#include <pthread.h>\n"
              "struct stats { pthread_mutex_t lock; long hits; };\n"
              "int stats_lock(struct stats *s) { return pthread_mutex_lock(&s->lock); }\n"
              "void stats_unlock(struct stats *s) { pthread_mutex_unlock(&s->lock); }\n"
              "int stats_try(struct stats *s) {\n"
              "    if (pthread_mutex_trylock(&s->lock) != 0) return -1;\n"
              "    return 0;\n"
              "}\n"
              "void *grab(struct stats *s) { if (pthread_mutex_trylock(&s->lock)) return 0;\n"
              "    return s; }\n");
    const struct ll_effect *x = effect(fn(&w, "stats_lock"), "s->lock");
    assert_non_null(x);
    assert_int_equal(x->op, LL_EFF_ACQUIRE);
    x = effect(fn(&w, "stats_unlock"), "s->lock");
    assert_non_null(x);
    assert_int_equal(x->op, LL_EFF_RELEASE);
    x = effect(fn(&w, "stats_try"), "s->lock");
    assert_non_null(x);
    assert_int_equal(x->op, LL_EFF_COND_ACQUIRE);
    assert_int_equal(x->succ, LL_PS_ZERO);
    x = effect(fn(&w, "grab"), "s->lock"); /* a pointer when locked, NULL when not */
    assert_non_null(x);
    assert_int_equal(x->op, LL_EFF_COND_ACQUIRE);
    assert_int_equal(x->succ & LL_PS_ZERO, 0);
    destroy(&w);
}

/* A function that releases its caller's lock exactly when it returns 1
 * (it started a task that took the lock over), and a caller that unlocks
 * only when it returned 0: free on every path after the test. */
static void test_conditional_release_inferred(void **state)
{
    (void)state;
    struct world w;
    build(&w, "#include <pthread.h>\n"
              "struct x { pthread_mutex_t lock; int busy; };\n"
              "static void hand_on(struct x *p) { p->busy = 1; pthread_mutex_unlock(&p->lock); }\n"
              "int start(struct x *p) { if (p->busy) return 0; hand_on(p); return 1; }\n"
              "int user(struct x *p) { pthread_mutex_lock(&p->lock);\n"
              "    if (!start(p)) pthread_mutex_unlock(&p->lock);\n"
              "    return 0; }\n");
    const struct ll_effect *x = effect(fn(&w, "start"), "p->lock");
    assert_non_null(x);
    assert_int_equal(x->op, LL_EFF_COND_RELEASE);
    assert_int_equal(x->succ, LL_PS_POS);
    assert_int_equal(x->fail, LL_PS_ZERO);
    const struct ll_fn_view *u = fn(&w, "user");
    int l = ll_df_lock_index(&u->df, "p->lock");
    assert_true(l >= 0);
    const struct ll_function *f = u->fn;
    for (uint32_t e = 0; e < f->nevents; e++)
        if (f->events[e].kind == LL_EV_RETURN)
            assert_int_equal(ll_df_state(&u->df, e, (uint32_t)l), LL_LS_FREE);
    destroy(&w);
}

static void test_caller_uses_wrappers(void **state)
{
    (void)state;
    struct world w;
    build(&w, "#include <pthread.h>\n"
              "pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;\n"
              "void lk(pthread_mutex_t *m) { pthread_mutex_lock(m); }\n"
              "void ul(pthread_mutex_t *m) { pthread_mutex_unlock(m); }\n"
              "int user(void) { lk(&g); ul(&g); return 0; }\n");
    const struct ll_fn_view *u = fn(&w, "user");
    int l = ll_df_lock_index(&u->df, "g");
    assert_true(l >= 0);
    /* before the return: released by ul() after lk() acquired it */
    const struct ll_function *f = u->fn;
    uint32_t ret = UINT32_MAX;
    for (uint32_t e = 0; e < f->nevents; e++)
        if (f->events[e].kind == LL_EV_RETURN)
            ret = e;
    assert_true(ret != UINT32_MAX);
    assert_int_equal(ll_df_state(&u->df, ret, (uint32_t)l), LL_LS_FREE);
    assert_true(takes(u, "g"));
    destroy(&w);
}

static void test_recursion_reaches_fixpoint(void **state)
{
    (void)state;
    struct world w;
    /* even() and odd() call each other; only odd() takes the lock.  The
     * component is iterated, so even() learns that it may take it too. */
    build(&w, "#include <pthread.h>\n"
              "pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;\n"
              "int odd(int n);\n"
              "int even(int n) { return n == 0 ? 1 : odd(n - 1); }\n"
              "int odd(int n) { pthread_mutex_lock(&m); pthread_mutex_unlock(&m);\n"
              "    return n == 0 ? 0 : even(n - 1); }\n"
              "int top(void) { return even(4); }\n");
    assert_true(w.view.cg.recursive[fn(&w, "even")->index]);
    assert_true(w.view.cg.recursive[fn(&w, "odd")->index]);
    assert_false(w.view.cg.recursive[fn(&w, "top")->index]);
    assert_true(takes(fn(&w, "odd"), "m"));
    assert_true(takes(fn(&w, "even"), "m"));
    assert_true(takes(fn(&w, "top"), "m"));
    /* bottom-up: top's component comes after even's */
    assert_true(w.view.cg.scc[fn(&w, "top")->index] > w.view.cg.scc[fn(&w, "even")->index]);
    destroy(&w);
}

static void test_roots_and_graph(void **state)
{
    (void)state;
    struct world w;
    build(&w, "#include <pthread.h>\n"
              "pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;\n"
              "static void inner(void) { pthread_mutex_lock(&b); pthread_mutex_unlock(&b); }\n"
              "static void *t1(void *p) { pthread_mutex_lock(&a); inner();\n"
              "    pthread_mutex_unlock(&a); return p; }\n"
              "int main(void) { pthread_t t[4];\n"
              "    for (int i = 0; i < 4; i++) pthread_create(&t[i], 0, t1, 0);\n"
              "    for (int i = 0; i < 4; i++) pthread_join(t[i], 0); return 0; }\n");
    assert_int_equal(w.view.cg.nroots, 2); /* main and t1 */
    bool multi = false;
    for (uint32_t r = 0; r < w.view.cg.nroots; r++)
        if (w.view.cg.roots[r].fn == fn(&w, "t1")->index)
            multi = w.view.cg.roots[r].multi_instance;
    assert_true(multi); /* created in a loop */
    assert_true(w.view.fns[fn(&w, "inner")->index].is_start_routine == false);
    /* a -> b through inner(), witnessed at the call */
    assert_int_equal(w.view.graph.nedges, 1);
    const struct ll_lg_edge *e = &w.view.graph.edges[0];
    assert_string_equal(w.view.graph.nodes[e->from].text, "a");
    assert_string_equal(w.view.graph.nodes[e->to].text, "b");
    assert_true(e->w.has_call);
    assert_string_equal(e->w.via, "inner");
    assert_int_equal(w.view.ncycles, 0);
    destroy(&w);
}

/* The first reached event of a kind in `kinds` at or after `from`. */
static uint32_t first(const struct ll_fn_view *f, uint32_t from, uint32_t kinds)
{
    uint32_t e = ll_fn_next_reached(f, from, kinds);
    assert_true(e < ll_fn_ir(f)->nevents);
    return e;
}

static void test_query_locks(void **state)
{
    (void)state;
    struct world w;
    build(&w, "#include <pthread.h>\n"
              "pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;\n"
              "void lk(void) { pthread_mutex_lock(&m); }\n"
              "int f(int c) {\n"
              "    pthread_mutex_lock(&m);\n"
              "    if (c) pthread_mutex_unlock(&m);\n"
              "    pthread_mutex_unlock(&m);\n"
              "    lk();\n"
              "    pthread_mutex_unlock(&m);\n"
              "    return 0; }\n");
    const struct ll_fn_view *f = fn(&w, "f");
    const struct ll_function *ir = ll_fn_ir(f);
    uint32_t u1 = first(f, 0, LL_EVK(LL_EV_RELEASE));
    uint32_t u2 = first(f, u1 + 1, LL_EVK(LL_EV_RELEASE));
    uint32_t u3 = first(f, u2 + 1, LL_EVK(LL_EV_RELEASE));
    assert_true(ll_fn_next_reached(f, u3 + 1, LL_EVK(LL_EV_RELEASE)) == ir->nevents);
    int l = ll_fn_lock_of(f, &ir->events[u1].obj);
    assert_true(l >= 0);
    /* held on every path at the first release, on one of two at the second */
    struct ll_lock_state st = ll_fn_lock_at(f, u1, (uint32_t)l);
    assert_int_equal(ll_lock_held(st), LL_HELD_ALL);
    st = ll_fn_lock_at(f, u2, (uint32_t)l);
    assert_int_equal(ll_lock_held(st), LL_HELD_SOME);
    assert_true(st.released && !st.unknown);
    /* taken by the call to the wrapper lk() before the third */
    assert_int_equal(ll_lock_held(ll_fn_lock_at(f, u3, (uint32_t)l)), LL_HELD_ALL);
    struct ll_acquisition a;
    assert_true(ll_fn_acquired_where(f, u3, (uint32_t)l, &a));
    assert_string_equal(a.wrapper, "lk");
    assert_non_null(a.effect);
    assert_int_equal(a.effect->op, LL_EFF_ACQUIRE);
    assert_true(ll_fn_acquired_where(f, u1, (uint32_t)l, &a));
    assert_null(a.wrapper);
    assert_int_equal(a.site.line, 5);
    /* released on every return */
    st = ll_fn_lock_at_returns(f, (uint32_t)l);
    assert_int_equal(ll_lock_held(st), LL_HELD_NONE);
    assert_true(st.released);
    destroy(&w);
}

static void test_query_threads(void **state)
{
    (void)state;
    struct world w;
    build(&w, "#include <pthread.h>\n"
              "static void *work(void *p) { return p; }\n"
              "int g(void) { pthread_t t;\n"
              "    if (pthread_create(&t, 0, work, 0) != 0) return 1;\n"
              "    pthread_join(t, 0);\n"
              "    return 0; }\n");
    const struct ll_fn_view *g = fn(&w, "g");
    assert_int_equal(ll_fn_nthreads(g), 1);
    struct ll_thread th = ll_fn_thread(g, 0);
    assert_true(th.local);
    assert_ptr_equal(ll_view_callee(&w.view, g, th.event), fn(&w, "work"));
    uint32_t join = ll_fn_next_thread_reached(g, 0, LL_EVK(LL_EV_JOIN));
    assert_true(join < ll_fn_ir(g)->nevents);
    assert_true(ll_fn_names_thread(g, 0, &ll_fn_ir(g)->events[join].obj));
    struct ll_thread_state st = ll_fn_thread_at(g, join, 0);
    assert_true(ll_thread_alive(st)); /* created, not joined yet */
    assert_false(st.joined);
    bool joined_at_end = false;
    LL_FOR_EACH_THREAD_REACHED(g, e, LL_EVK(LL_EV_RETURN))
    {
        st = ll_fn_thread_at(g, e, 0);
        joined_at_end = joined_at_end || (st.joined && !ll_thread_alive(st));
    }
    assert_true(joined_at_end);
    destroy(&w);
}

/* Whether the root `name` may run in function f at its nth call of
 * `callee` (its last event when there is none). */
static bool running_before_call(struct world *w, const char *f, const char *callee, int nth,
                                const char *name)
{
    const struct ll_fn_view *g = fn(w, f);
    uint32_t at = g->fn->nevents - 1;
    for (uint32_t e = 0; e < g->fn->nevents; e++)
        if (g->fn->events[e].kind == LL_EV_CALL && g->fn->events[e].callee &&
            strstr(g->fn->events[e].callee, "@F@") &&
            strcmp(strstr(g->fn->events[e].callee, "@F@") + 3, callee) == 0 && nth-- == 0) {
            at = e;
            break;
        }
    uint64_t run[4] = {0};
    assert_true(w->view.mhp.words <= 4);
    ll_mhp_running_at(&w->view.mhp, g->index, at, run);
    long r = w->view.mhp.root_of[fn(w, name)->index];
    assert_true(r >= 0);
    return (run[r / 64] >> (r % 64)) & 1;
}

static void test_join_wrapper_parameter(void **state)
{
    (void)state;
    struct world w;
    build(&w, "#include <pthread.h>\n"
              "static void *work(void *p) { return p; }\n"
              "static void *idle(void *p) { return p; }\n"
              "static void *sweep(void *p) { return p; }\n"
              "void mark(void) {}\n"
              "static void join_thread(pthread_t t) { pthread_join(t, 0); }\n"
              "static void stop(pthread_t *t) { pthread_join(*t, 0); mark(); }\n"
              "int main(void) { pthread_t t, u, s;\n"
              "    pthread_create(&t, 0, work, 0);\n"
              "    pthread_create(&u, 0, idle, 0);\n"
              "    join_thread(u);\n"
              "    mark();\n"
              "    join_thread(t);\n"
              "    mark();\n"
              "    pthread_create(&s, 0, sweep, 0);\n"
              "    stop(&s);\n"
              "    return 0; }\n");
    /* at the call: each call joins the thread whose handle it passes */
    assert_true(running_before_call(&w, "main", "mark", 0, "work"));
    assert_false(running_before_call(&w, "main", "mark", 0, "idle"));
    assert_false(running_before_call(&w, "main", "mark", 1, "work"));
    /* inside the wrapper: every call passes `s` */
    assert_false(running_before_call(&w, "stop", "mark", 0, "sweep"));
    destroy(&w);
}

static void test_done_flag_wait(void **state)
{
    (void)state;
    struct world w;
    build(&w, "#include <pthread.h>\n"
              "#include <stdatomic.h>\n"
              "#include <unistd.h>\n"
              "struct job { atomic_int done; int n; };\n"
              "static atomic_int busy_done;\n"
              "void mark(void) {}\n"
              "static void *work(void *p) { struct job *j = p; j->n++;\n"
              "    atomic_store(&j->done, 1); return 0; }\n"
              "static void *busy(void *p) { atomic_store(&busy_done, 1);\n"
              "    mark(); return p; }\n"
              "int main(void) { pthread_t t, u; struct job j = {0};\n"
              "    pthread_create(&t, 0, work, &j);\n"
              "    pthread_detach(t);\n"
              "    pthread_create(&u, 0, busy, 0);\n"
              "    pthread_detach(u);\n"
              "    mark();\n"
              "    while (!atomic_load(&j.done)) usleep(10);\n"
              "    while (!atomic_load(&busy_done)) usleep(10);\n"
              "    mark();\n"
              "    return 0; }\n");
    /* before the wait loop, the worker runs; after it, it has ended */
    assert_true(running_before_call(&w, "main", "mark", 0, "work"));
    assert_false(running_before_call(&w, "main", "mark", 1, "work"));
    /* busy sets its flag, then calls on: the flag does not end it */
    assert_true(running_before_call(&w, "main", "mark", 1, "busy"));
    destroy(&w);
}

/* A getter of a part of its parameter (getters.h): the lock taken through
 * it is the argument's part, as if spelled directly, in the summaries;
 * a function that changes its parameter first, or returns a pointer it
 * loads, is no getter. */
static void test_param_getter(void **state)
{
    (void)state;
    struct world w;
    struct ll_arena a;
    ll_arena_init(&a);
    snippet_parse(&w.s, "#include <pthread.h>\n"
                        "struct in { pthread_mutex_t lock; };\n"
                        "struct obj { pthread_mutex_t lock; struct in in; struct obj *next;\n"
                        "    pthread_mutex_t *lp; };\n"
                        "pthread_mutex_t *obj_lock(struct obj *o) { return &o->lock; }\n"
                        "pthread_mutex_t *in_lock(struct obj *o) { return &o->in.lock; }\n"
                        "pthread_mutex_t *via(struct obj *o) { return obj_lock(o); }\n"
                        "struct obj *self(struct obj *o) { return o; }\n"
                        "pthread_mutex_t *next_lock(struct obj *o) { o = o->next;\n"
                        "    return &o->lock; }\n"
                        "pthread_mutex_t *ptr_lock(struct obj *o) { return o->lp; }\n"
                        "void take(struct obj *p) { pthread_mutex_lock(obj_lock(p)); }\n"
                        "void take_in(struct obj *p) { pthread_mutex_lock(in_lock(p)); }\n"
                        "void take_via(struct obj *p) { pthread_mutex_lock(via(p)); }\n"
                        "void take_self(struct obj *p) { pthread_mutex_lock(&self(p)->lock); }\n"
                        "void drop(struct obj *p) { pthread_mutex_unlock(obj_lock(p)); }\n"
                        "void take_next(struct obj *p) { pthread_mutex_lock(next_lock(p)); }\n"
                        "void take_ptr(struct obj *p) { pthread_mutex_lock(ptr_lock(p)); }\n");
    assert_int_equal(ll_resolve_getters(&w.s.facts, 1, &a), 4);
    assert_int_equal(ll_view_build(&w.view, &w.s.facts, 1, NULL, 0), 0);
    const struct ll_effect *x = effect(fn(&w, "take"), "p->lock");
    assert_non_null(x);
    assert_int_equal(x->op, LL_EFF_ACQUIRE);
    assert_string_equal(x->lock.cls, "struct obj.lock");
    assert_non_null(effect(fn(&w, "take_in"), "p->in.lock"));
    assert_non_null(effect(fn(&w, "take_via"), "p->lock"));
    assert_non_null(effect(fn(&w, "take_self"), "p->lock"));
    x = effect(fn(&w, "drop"), "p->lock");
    assert_non_null(x);
    assert_int_equal(x->op, LL_EFF_RELEASE);
    /* no getters: each call's result is an object of its own */
    assert_null(effect(fn(&w, "take_next"), "p->lock"));
    assert_null(effect(fn(&w, "take_next"), "p->next->lock"));
    assert_null(effect(fn(&w, "take_ptr"), "*p->lp"));
    destroy(&w);
    ll_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrappers_inferred),
        cmocka_unit_test(test_conditional_release_inferred),
        cmocka_unit_test(test_caller_uses_wrappers),
        cmocka_unit_test(test_recursion_reaches_fixpoint),
        cmocka_unit_test(test_roots_and_graph),
        cmocka_unit_test(test_query_locks),
        cmocka_unit_test(test_query_threads),
        cmocka_unit_test(test_join_wrapper_parameter),
        cmocka_unit_test(test_done_flag_wait),
        cmocka_unit_test(test_param_getter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
