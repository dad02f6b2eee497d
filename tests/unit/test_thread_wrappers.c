/*
 * Unit tests for analyzer/thread_wrappers: facts built by hand -- a
 * creation wrapper `spawn(pthread_t *t, void *(*fn)(void *), void *arg)`
 * and callers -- and the call events checked after the rewrite.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "thread_wrappers.h"

#include <string.h>

static const char *spawn_params[] = {"t", "fn", "arg"};

struct fixture {
    struct ll_tu_facts tu;
    struct ll_function fns[2]; /* spawn, caller */
    struct ll_event spawn_ev[2], caller_ev[1];
    struct ll_path args[3];
    struct ll_arena arena;
};

static struct ll_path param_path(int16_t i, const char *key, uint8_t flags)
{
    struct ll_path p = {.root = LL_ROOT_PARAM, .param = i, .text = key, .key = key, .flags = flags};
    return p;
}

static struct ll_path local_path(const char *key, uint8_t flags)
{
    struct ll_path p = {
        .root = LL_ROOT_LOCAL, .param = -1, .text = key, .key = key, .flags = flags};
    return p;
}

/* spawn(&h, work, &v) called from `caller`. */
static void build(struct fixture *f)
{
    memset(f, 0, sizeof(*f));
    ll_arena_init(&f->arena);
    struct ll_function *spawn = &f->fns[0], *caller = &f->fns[1];
    spawn->usr = "c:@F@spawn";
    spawn->name = "spawn";
    spawn->nparams = 3;
    spawn->params = spawn_params;
    spawn->nevents = 2;
    spawn->events = f->spawn_ev;
    f->spawn_ev[0].kind = LL_EV_THREAD_CREATE;
    f->spawn_ev[0].callee = LL_START_PARAM_PREFIX "1";
    f->spawn_ev[0].obj = param_path(0, "*t", LL_PATH_DEREF);
    f->spawn_ev[0].aux = param_path(2, "arg", 0);
    f->spawn_ev[1].kind = LL_EV_RETURN;

    caller->usr = "c:@F@caller";
    caller->name = "caller";
    caller->nevents = 1;
    caller->events = f->caller_ev;
    f->args[0] = local_path("h", LL_PATH_ADDR);
    f->args[1] = (struct ll_path){
        .root = LL_ROOT_NONE, .param = -1, .text = "work", .key = "work", .root_usr = "c:@F@work"};
    f->args[2] = local_path("v", LL_PATH_ADDR);
    f->caller_ev[0].kind = LL_EV_CALL;
    f->caller_ev[0].callee = "c:@F@spawn";
    f->caller_ev[0].api = "spawn";
    f->caller_ev[0].nargs = 3;
    f->caller_ev[0].args = f->args;

    f->tu.nfunctions = 2;
    f->tu.functions = f->fns;
}

static void test_call_becomes_creation(void **state)
{
    (void)state;
    struct fixture f;
    build(&f);
    assert_int_equal(ll_resolve_thread_wrappers(&f.tu, 1, &f.arena), 1);
    const struct ll_event *ev = &f.caller_ev[0];
    assert_int_equal(ev->kind, LL_EV_THREAD_CREATE);
    assert_string_equal(ev->callee, "c:@F@work");
    assert_int_equal(ev->obj.root, LL_ROOT_LOCAL);
    assert_string_equal(ev->obj.key, "h");
    assert_false(ev->obj.flags & LL_PATH_ADDR); /* *t of &h is h */
    assert_string_equal(ev->aux.key, "v");
    assert_true(ev->aux.flags & LL_PATH_ADDR); /* arg is &v as written */
    /* the wrapper's own creation names no start routine any more */
    assert_null(f.spawn_ev[0].callee);
    ll_arena_release(&f.arena);
}

static void test_detached_wrapper(void **state)
{
    (void)state;
    struct fixture f;
    build(&f);
    f.spawn_ev[0].flags |= LL_EVF_DETACHED;
    assert_int_equal(ll_resolve_thread_wrappers(&f.tu, 1, &f.arena), 1);
    assert_true(f.caller_ev[0].flags & LL_EVF_DETACHED);
    ll_arena_release(&f.arena);
}

/* a start routine from a variable (a function pointer) is not known */
static void test_pointer_argument_left_alone(void **state)
{
    (void)state;
    struct fixture f;
    build(&f);
    f.args[1] = local_path("fp", 0);
    assert_int_equal(ll_resolve_thread_wrappers(&f.tu, 1, &f.arena), 0);
    assert_int_equal(f.caller_ev[0].kind, LL_EV_CALL);
    assert_null(f.spawn_ev[0].callee);
    ll_arena_release(&f.arena);
}

/* a function that also locks is more than a wrapper: calls stay calls */
static void test_locking_function_is_no_wrapper(void **state)
{
    (void)state;
    struct fixture f;
    build(&f);
    f.spawn_ev[1].kind = LL_EV_ACQUIRE;
    assert_int_equal(ll_resolve_thread_wrappers(&f.tu, 1, &f.arena), 0);
    assert_int_equal(f.caller_ev[0].kind, LL_EV_CALL);
    assert_string_equal(f.caller_ev[0].callee, "c:@F@spawn");
    ll_arena_release(&f.arena);
}

/* two creations: which one a call means is not known */
static void test_two_creations_is_no_wrapper(void **state)
{
    (void)state;
    struct fixture f;
    build(&f);
    f.spawn_ev[1] = f.spawn_ev[0];
    assert_int_equal(ll_resolve_thread_wrappers(&f.tu, 1, &f.arena), 0);
    assert_int_equal(f.caller_ev[0].kind, LL_EV_CALL);
    ll_arena_release(&f.arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_call_becomes_creation),
        cmocka_unit_test(test_detached_wrapper),
        cmocka_unit_test(test_pointer_argument_left_alone),
        cmocka_unit_test(test_locking_function_is_no_wrapper),
        cmocka_unit_test(test_two_creations_is_no_wrapper),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
