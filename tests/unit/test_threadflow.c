/*
 * Unit tests for analyzer/threadflow, the thread-handle client of the
 * path-state engine: C snippets are parsed by the real frontend and
 * linked, and the state of each created thread is read where the function
 * ends -- joined, left running, detached, escaped, not created on a failed
 * creation, correlated creations and joins, arrays joined in a loop,
 * joins through a wrapper that joins its parameter -- plus the program
 * facts and the loops found.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "snippet.h"
#include "threadflow.h"

#include <stdbool.h>

struct world {
    struct snippet s;
    struct ll_program p;
    struct ll_tf_program tp;
    struct ll_arena arena;
    struct ll_tf_result r;
    const struct ll_function *fn;
};

#define PROLOGUE "#include <pthread.h>\nstatic void *work(void *a) { return a; }\n"

/* Parses `src` and runs the analysis on function `name`. */
static void analyse(struct world *w, const char *src, const char *name)
{
    memset(w, 0, sizeof(*w));
    snippet_parse(&w->s, src);
    assert_int_equal(ll_program_build(&w->p, &w->s.facts, 1), 0);
    ll_arena_init(&w->arena);
    assert_int_equal(ll_tf_program_build(&w->tp, &w->p, &w->arena), 0);
    for (size_t i = 0; i < w->p.nfns; i++)
        if (strcmp(w->p.fns[i].fn->name, name) == 0)
            w->fn = w->p.fns[i].fn;
    assert_non_null(w->fn);
    assert_int_equal(ll_threadflow_run(w->fn, &w->p, &w->tp, &w->arena, NULL, &w->r), 0);
}

static void destroy(struct world *w)
{
    ll_tf_program_release(&w->tp);
    ll_arena_release(&w->arena);
    ll_program_release(&w->p);
    snippet_release(&w->s);
}

/* Thread t's state where the function ends. */
static uint8_t at_exit(const struct world *w, uint32_t t)
{
    assert_true(t < w->r.nthreads);
    return ll_tf_out(&w->r, w->fn->exit, t);
}

static void test_joined(void **state)
{
    (void)state;
    struct world w;
    analyse(&w,
            PROLOGUE "void f(void) { pthread_t t; pthread_create(&t, 0, work, 0);"
                     " pthread_join(t, 0); }",
            "f");
    assert_int_equal(w.r.nthreads, 1);
    assert_int_equal(at_exit(&w, 0), LL_TS_JOINED);
    destroy(&w);
}

static void test_left_running(void **state)
{
    (void)state;
    struct world w;
    analyse(&w,
            PROLOGUE "void f(int c) { pthread_t t; pthread_create(&t, 0, work, 0);"
                     " if (c) pthread_join(t, 0); }",
            "f");
    assert_int_equal(at_exit(&w, 0), LL_TS_RUNNING | LL_TS_JOINED);
    destroy(&w);
}

static void test_detached(void **state)
{
    (void)state;
    struct world w;
    analyse(&w,
            PROLOGUE "void f(void) { pthread_t t; pthread_create(&t, 0, work, 0);"
                     " pthread_detach(t); }",
            "f");
    assert_int_equal(at_exit(&w, 0), LL_TS_DETACHED);
    destroy(&w);
}

/* Handing the handle to unknown code: it may join it. */
static void test_escaped(void **state)
{
    (void)state;
    struct world w;
    analyse(&w,
            PROLOGUE "void keep(pthread_t t);\n"
                     "void f(void) { pthread_t t; pthread_create(&t, 0, work, 0); keep(t); }",
            "f");
    assert_int_equal(at_exit(&w, 0), LL_TS_ESCAPED);
    destroy(&w);
}

/* The failure edge of a checked creation carries no thread. */
static void test_failed_creation(void **state)
{
    (void)state;
    struct world w;
    analyse(&w,
            PROLOGUE "int f(void) { pthread_t t;"
                     " if (pthread_create(&t, 0, work, 0) != 0) return -1;"
                     " pthread_join(t, 0); return 0; }",
            "f");
    assert_int_equal(at_exit(&w, 0), LL_TS_NONE | LL_TS_JOINED);
    destroy(&w);
}

/* A cancel of a running thread cannot fail: the join it guards always
 * runs, however the result is tested. */
static void test_cancel_sure(void **state)
{
    (void)state;
    struct world w;
    analyse(&w,
            PROLOGUE "void f(void) { pthread_t t; pthread_create(&t, 0, work, 0);"
                     " int rc = pthread_cancel(t); if (!rc) pthread_join(t, 0); }\n"
                     "void g(void) { pthread_t t; pthread_create(&t, 0, work, 0);"
                     " if (pthread_cancel(t) == 0) pthread_join(t, 0); }",
            "f");
    assert_int_equal(at_exit(&w, 0), LL_TS_JOINED);
    destroy(&w);
    analyse(&w,
            PROLOGUE "void f(void) { pthread_t t; pthread_create(&t, 0, work, 0);"
                     " int rc = pthread_cancel(t); if (!rc) pthread_join(t, 0); }\n"
                     "void g(void) { pthread_t t; pthread_create(&t, 0, work, 0);"
                     " if (pthread_cancel(t) == 0) pthread_join(t, 0); }",
            "g");
    assert_int_equal(at_exit(&w, 0), LL_TS_JOINED);
    destroy(&w);
}

/* ... but a cancel of a handle handed to other code (which may have joined
 * or detached it) may fail: the join stays conditional. */
static void test_cancel_escaped(void **state)
{
    (void)state;
    struct world w;
    analyse(&w,
            PROLOGUE "void keep(pthread_t t);\n"
                     "void f(void) { pthread_t t; pthread_create(&t, 0, work, 0); keep(t);"
                     " if (pthread_cancel(t) == 0) pthread_join(t, 0); }",
            "f");
    assert_int_equal(at_exit(&w, 0), LL_TS_ESCAPED | LL_TS_JOINED);
    destroy(&w);
}

/* A cancel without a join leaves the thread cancelled: alive, but asked
 * to stop. */
static void test_cancelled(void **state)
{
    (void)state;
    struct world w;
    analyse(&w,
            PROLOGUE "void f(int q) { pthread_t t; pthread_create(&t, 0, work, 0);"
                     " if (q) pthread_cancel(t); }",
            "f");
    assert_int_equal(at_exit(&w, 0), LL_TS_CANCELLED | LL_TS_RUNNING);
    assert_true(at_exit(&w, 0) & LL_TS_ALIVE);
    destroy(&w);
}

/* if (f) create; ...; if (f) join: never left running. */
static void test_correlated(void **state)
{
    (void)state;
    struct world w;
    analyse(&w,
            PROLOGUE "void g(void);\n"
                     "void f(int on) { pthread_t t; if (on) pthread_create(&t, 0, work, 0);"
                     " g(); if (on) pthread_join(t, 0); }",
            "f");
    assert_int_equal(at_exit(&w, 0), LL_TS_NONE | LL_TS_JOINED);
    destroy(&w);
}

/* Writing the flag in between: the second test is another question. */
static void test_flag_written(void **state)
{
    (void)state;
    struct world w;
    analyse(&w,
            PROLOGUE "int g(void);\n"
                     "void f(int on) { pthread_t t; if (on) pthread_create(&t, 0, work, 0);"
                     " on = g(); if (on) pthread_join(t, 0); }",
            "f");
    assert_true(at_exit(&w, 0) & LL_TS_RUNNING);
    destroy(&w);
}

/* A loop that joins t[i] joins every element from its entry on. */
static void test_array_joined_in_loop(void **state)
{
    (void)state;
    struct world w;
    analyse(&w,
            PROLOGUE "void f(void) { pthread_t t[4];"
                     " for (int i = 0; i < 4; i++) pthread_create(&t[i], 0, work, 0);"
                     " for (int i = 0; i < 4; i++) pthread_join(t[i], 0); }",
            "f");
    assert_int_equal(w.r.nthreads, 1);
    assert_true(w.r.threads[0].by_class);
    assert_int_equal(w.r.nloops, 2);
    assert_false(at_exit(&w, 0) & LL_TS_RUNNING);
    destroy(&w);
}

/* A function that joins its parameter is a join at its call sites. */
static void test_join_wrapper(void **state)
{
    (void)state;
    struct world w;
    analyse(&w,
            PROLOGUE "static void wait_for(pthread_t t) { pthread_join(t, 0); }\n"
                     "void f(void) { pthread_t t; pthread_create(&t, 0, work, 0); wait_for(t); }",
            "f");
    long k = ll_program_find(&w.p, "c:t.c@F@wait_for");
    if (k < 0)
        for (size_t i = 0; i < w.p.nfns; i++)
            if (strcmp(w.p.fns[i].fn->name, "wait_for") == 0)
                k = (long)i;
    assert_true(k >= 0);
    assert_int_equal(w.tp.joins_param[k], 1);
    assert_int_equal(at_exit(&w, 0), LL_TS_JOINED);
    destroy(&w);
}

/* Whether the class of the handle created by function `name`'s creation
 * number k is joined somewhere in the program. */
static bool created_joined(const struct world *w, const char *name, unsigned k)
{
    for (size_t i = 0; i < w->p.nfns; i++) {
        const struct ll_function *fn = w->p.fns[i].fn;
        if (strcmp(fn->name, name) != 0)
            continue;
        for (uint32_t e = 0; e < fn->nevents; e++)
            if (fn->events[e].kind == LL_EV_THREAD_CREATE && k-- == 0)
                return ll_strmap_get(&w->tp.joined, fn->events[e].obj.cls) != (size_t)-1;
    }
    fail();
    return false;
}

/* A global handle copied into an array that a loop joins (through a
 * second copy) is joined; one copied into an array nothing joins is not. */
static void test_copy_joined(void **state)
{
    (void)state;
    struct world w;
    analyse(&w,
            PROLOGUE "static pthread_t g, h, saved[2];\n"
                     "void f(void) { pthread_create(&g, 0, work, 0);"
                     " pthread_create(&h, 0, work, 0); }\n"
                     "void stop(void) { pthread_t list[2], copy[2]; list[0] = g;"
                     " copy[1] = list[0]; saved[0] = h;"
                     " for (int i = 0; i < 2; i++) pthread_join(copy[i], 0); }",
            "f");
    assert_true(created_joined(&w, "f", 0));
    assert_false(created_joined(&w, "f", 1));
    destroy(&w);
}

/* Block reachability avoiding a block. */
static void test_reaches(void **state)
{
    (void)state;
    struct world w;
    analyse(&w, PROLOGUE "void f(int c) { if (c) c++; else c--; }", "f");
    uint32_t n = w.fn->nblocks;
    uint8_t *seen = calloc(n, 1);
    uint32_t *stack = calloc(n, sizeof(uint32_t));
    assert_true(ll_tf_reaches(w.fn, 0, w.fn->exit, UINT32_MAX, seen, stack));
    assert_false(ll_tf_reaches(w.fn, 0, w.fn->exit, 0, seen, stack));
    assert_false(ll_tf_reaches(w.fn, w.fn->exit, 0, UINT32_MAX, seen, stack));
    free(seen);
    free(stack);
    destroy(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_joined),          cmocka_unit_test(test_left_running),
        cmocka_unit_test(test_detached),        cmocka_unit_test(test_escaped),
        cmocka_unit_test(test_failed_creation), cmocka_unit_test(test_correlated),
        cmocka_unit_test(test_flag_written),    cmocka_unit_test(test_array_joined_in_loop),
        cmocka_unit_test(test_join_wrapper),    cmocka_unit_test(test_reaches),
        cmocka_unit_test(test_cancel_sure),     cmocka_unit_test(test_cancel_escaped),
        cmocka_unit_test(test_cancelled),       cmocka_unit_test(test_copy_joined),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
