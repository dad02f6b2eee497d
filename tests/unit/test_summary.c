/*
 * Unit tests for summary.c: rewriting a callee's lock paths in a caller's
 * terms (parameters rebased on arguments, globals kept, locals dropped,
 * the returned lock, indices of a returned object).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <string.h>

#include "summary.h"

static struct ll_path param_path(int16_t param, const char *text, const char *key, const char *cls)
{
    struct ll_path p = {.root = LL_ROOT_PARAM,
                        .flags = LL_PATH_DEREF,
                        .param = param,
                        .text = text,
                        .key = key,
                        .cls = cls};
    return p;
}

static struct ll_path arg_path(uint8_t root, uint8_t flags, const char *text, const char *cls,
                               const char *usr)
{
    struct ll_path p = {.root = root,
                        .flags = flags,
                        .param = -1,
                        .text = text,
                        .key = text,
                        .cls = cls,
                        .root_usr = usr};
    return p;
}

static const char *params[] = {"s", "m"};
static struct ll_function callee = {.name = "stats_lock", .nparams = 2, .params = params};

static void test_field_of_param_with_address_argument(void **state)
{
    (void)state;
    struct ll_arena a;
    ll_arena_init(&a);
    struct ll_path args[2] = {arg_path(LL_ROOT_GLOBAL, LL_PATH_ADDR, "stats", "stats", "c:@stats"),
                              arg_path(LL_ROOT_NONE, 0, NULL, NULL, NULL)};
    struct ll_event call = {.kind = LL_EV_CALL, .nargs = 2, .args = args};
    struct ll_path p = param_path(0, "s->lock", "s->lock", "struct stats.lock"), out;
    assert_true(ll_path_instantiate(&a, &p, &callee, &call, &out));
    assert_string_equal(out.key, "stats.lock");
    assert_string_equal(out.text, "stats.lock");
    assert_string_equal(out.cls, "struct stats.lock"); /* field classes do not change */
    assert_int_equal(out.root, LL_ROOT_GLOBAL);
    assert_string_equal(out.root_usr, "c:@stats");
    assert_false(out.flags & LL_PATH_ADDR);
    assert_true(ll_path_concrete(&out));
    ll_arena_release(&a);
}

static void test_field_of_param_with_pointer_argument(void **state)
{
    (void)state;
    struct ll_arena a;
    ll_arena_init(&a);
    struct ll_path args[1] = {arg_path(LL_ROOT_LOCAL, 0, "conn", "handler:conn", NULL)};
    struct ll_event call = {.kind = LL_EV_CALL, .nargs = 1, .args = args};
    struct ll_path p = param_path(0, "s->lock", "s->lock", "struct stats.lock"), out;
    assert_true(ll_path_instantiate(&a, &p, &callee, &call, &out));
    assert_string_equal(out.key, "conn->lock");
    assert_int_equal(out.root, LL_ROOT_LOCAL);
    assert_true(out.flags & LL_PATH_DEREF);
    assert_false(ll_path_concrete(&out));
    ll_arena_release(&a);
}

static void test_pointer_param_itself(void **state)
{
    (void)state;
    struct ll_arena a;
    ll_arena_init(&a);
    /* lock(m) where m is the second parameter: the object *m */
    struct ll_path args[2] = {arg_path(LL_ROOT_NONE, 0, NULL, NULL, NULL),
                              arg_path(LL_ROOT_GLOBAL, LL_PATH_ADDR, "g_lock", "g_lock", "c:@g")};
    struct ll_event call = {.kind = LL_EV_CALL, .nargs = 2, .args = args};
    struct ll_path p = param_path(1, "m", "*m", "*stats_lock(m)"), out;
    assert_true(ll_path_instantiate(&a, &p, &callee, &call, &out));
    assert_string_equal(out.key, "g_lock");
    assert_string_equal(out.text, "g_lock");
    assert_string_equal(out.cls, "g_lock"); /* the parameter's class takes the argument's */
    /* and with a pointer argument it stays a dereference */
    args[1] = arg_path(LL_ROOT_PARAM, 0, "lk", "outer(lk)", NULL);
    args[1].param = 0;
    assert_true(ll_path_instantiate(&a, &p, &callee, &call, &out));
    assert_string_equal(out.key, "*lk");
    assert_string_equal(out.cls, "*outer(lk)");
    assert_int_equal(out.root, LL_ROOT_PARAM);
    assert_int_equal(out.param, 0);
    ll_arena_release(&a);
}

static void test_globals_kept_locals_dropped(void **state)
{
    (void)state;
    struct ll_arena a;
    ll_arena_init(&a);
    struct ll_event call = {.kind = LL_EV_CALL};
    struct ll_path g = arg_path(LL_ROOT_GLOBAL, 0, "g_lock", "g_lock", "c:@g_lock"), out;
    assert_true(ll_path_instantiate(&a, &g, &callee, &call, &out));
    assert_string_equal(out.key, "g_lock");
    struct ll_path l = arg_path(LL_ROOT_LOCAL, 0, "tmp", "f:tmp", NULL);
    assert_false(ll_path_instantiate(&a, &l, &callee, &call, &out));
    /* a parameter with no matching argument (variadic, missing) */
    struct ll_path p = param_path(1, "m", "*m", "*stats_lock(m)");
    assert_false(ll_path_instantiate(&a, &p, &callee, &call, &out));
    /* an argument that is not a path (a literal) */
    struct ll_path args[2] = {arg_path(LL_ROOT_NONE, 0, NULL, NULL, NULL),
                              arg_path(LL_ROOT_NONE, 0, NULL, NULL, NULL)};
    call.nargs = 2;
    call.args = args;
    assert_false(ll_path_instantiate(&a, &p, &callee, &call, &out));
    ll_arena_release(&a);
}

static void test_indexed_and_same_lock(void **state)
{
    (void)state;
    struct ll_path a1 =
        arg_path(LL_ROOT_GLOBAL, LL_PATH_INDEXED, "forks[i]", "forks[]", "c:@forks");
    struct ll_path a2 =
        arg_path(LL_ROOT_GLOBAL, LL_PATH_INDEXED, "forks[(i+1)%N]", "forks[]", "c:@forks");
    struct ll_path c0 =
        arg_path(LL_ROOT_GLOBAL, LL_PATH_INDEXED, "forks[0]", "forks[]", "c:@forks");
    assert_false(ll_path_concrete(&a1));
    assert_true(ll_path_concrete(&c0));
    assert_true(ll_path_same_lock(&a1, &a2)); /* one class */
    struct ll_path g1 = arg_path(LL_ROOT_GLOBAL, 0, "a", "a", "c:@a");
    struct ll_path g2 = arg_path(LL_ROOT_GLOBAL, 0, "b", "b", "c:@b");
    assert_false(ll_path_same_lock(&g1, &g2));
    assert_true(ll_path_same_lock(&g1, &g1));
}

static void test_embedding_kept_through_address_of_member(void **state)
{
    (void)state;
    struct ll_arena a;
    ll_arena_init(&a);
    /* half_lock(&c->out): h->lock is the lock embedded at c->out */
    struct ll_path args[1] = {arg_path(LL_ROOT_LOCAL, LL_PATH_ADDR | LL_PATH_DEREF | LL_PATH_MEMBER,
                                       "c->out", "struct conn.out", NULL)};
    struct ll_event call = {.kind = LL_EV_CALL, .nargs = 1, .args = args};
    struct ll_path p = param_path(0, "s->lock", "s->lock", "struct half.lock"), out;
    p.flags |= LL_PATH_MEMBER;
    assert_true(ll_path_instantiate(&a, &p, &callee, &call, &out));
    assert_string_equal(out.key, "c->out.lock");
    assert_string_equal(out.cls, "struct half.lock");
    assert_string_equal(out.emb, "struct conn.out.lock");
    /* a plain pointer argument says nothing about where the struct is */
    args[0] = arg_path(LL_ROOT_LOCAL, 0, "h", "f:h", NULL);
    assert_true(ll_path_instantiate(&a, &p, &callee, &call, &out));
    assert_null(out.emb);
    /* the pointee itself: lock(m) given &c->out.lock */
    struct ll_path m = param_path(1, "m", "*m", "*stats_lock(m)");
    struct ll_path args2[2] = {arg_path(LL_ROOT_NONE, 0, NULL, NULL, NULL),
                               arg_path(LL_ROOT_LOCAL, LL_PATH_ADDR | LL_PATH_MEMBER, "c->out.lock",
                                        "struct half.lock", NULL)};
    args2[1].emb = "struct conn.out.lock";
    struct ll_event call2 = {.kind = LL_EV_CALL, .nargs = 2, .args = args2};
    assert_true(ll_path_instantiate(&a, &m, &callee, &call2, &out));
    assert_string_equal(out.cls, "struct half.lock");
    assert_string_equal(out.emb, "struct conn.out.lock");
    assert_true(out.flags & LL_PATH_MEMBER);
    ll_arena_release(&a);
}

static void test_class_may_alias(void **state)
{
    (void)state;
    const char *h = "struct half.lock";
    /* two embedded places of one type: different objects */
    assert_false(ll_class_may_alias(h, "struct conn.in.lock", h, "struct conn.out.lock"));
    assert_true(ll_class_may_alias(h, "struct conn.in.lock", h, "struct conn.in.lock"));
    /* reached through a struct half *: may be either */
    assert_true(ll_class_may_alias(h, h, h, "struct conn.out.lock"));
    assert_true(ll_class_may_alias(h, "struct pair.a.in.lock", h, "struct conn.in.lock"));
    assert_false(ll_class_may_alias(h, "struct pair.a.in.lock", h, "struct conn.out.lock"));
    assert_false(ll_class_may_alias(h, "struct a.x.lock", h, "struct b.x.lock"));
    /* different plain classes never */
    assert_false(ll_class_may_alias(h, h, "struct other.lock", "struct other.lock"));
    assert_true(ll_class_may_alias("struct <anon a.c>.m", "struct <anon a.c>.m",
                                   "struct <anon a.c>.m", "struct s.x.m"));
}

static void test_sites(void **state)
{
    (void)state;
    const char *m = "struct lock_s.m";
    /* two allocation sites: two objects; one of unknown site: either */
    assert_false(
        ll_class_may_alias(m, "{pool_new()}struct lock_s.m", m, "{job_new()}struct lock_s.m"));
    assert_true(
        ll_class_may_alias(m, "{pool_new()}struct lock_s.m", m, "{pool_new()}struct lock_s.m"));
    assert_true(ll_class_may_alias(m, m, m, "{job_new()}struct lock_s.m"));
    /* with embedding paths, compared as before without the sites */
    assert_true(ll_class_may_alias(m, "{a()}struct w.l.m", m, m));
    assert_false(ll_class_may_alias(m, "{a()}struct w.l.m", m, "struct w.k.m"));
    assert_false(ll_class_may_alias(m, "{malloc@a.c:3:9}struct w.l.m", m, "{a()}struct w.l.m"));

    /* a callee's `l->m` through its parameter takes the argument's site; a
     * path through a further pointer keeps its own */
    struct ll_arena a;
    ll_arena_init(&a);
    struct ll_path args[2] = {arg_path(LL_ROOT_PARAM, 0, "pool", "worker(pool)", NULL),
                              arg_path(LL_ROOT_NONE, 0, NULL, NULL, NULL)};
    args[0].param = 0;
    args[0].site = "{pool_new()}";
    struct ll_event call = {.kind = LL_EV_CALL, .nargs = 2, .args = args};
    struct ll_path p = param_path(0, "s->m", "s->m", m), out;
    assert_true(ll_path_instantiate(&a, &p, &callee, &call, &out));
    assert_string_equal(out.key, "pool->m");
    assert_string_equal(out.emb, "{pool_new()}struct lock_s.m");
    assert_string_equal(out.site, "{pool_new()}");
    p.emb = "{job_new()}struct lock_s.m"; /* the callers all pass job_new()'s */
    p.site = "{job_new()}";
    assert_true(ll_path_instantiate(&a, &p, &callee, &call, &out));
    assert_string_equal(out.emb, "{pool_new()}struct lock_s.m");
    args[0].site = NULL;
    assert_true(ll_path_instantiate(&a, &p, &callee, &call, &out));
    assert_null(out.emb);
    struct ll_path q = param_path(0, "s->next->m", "s->next->m", m);
    q.emb = "{node_new()}struct lock_s.m";
    q.site = "{node_new()}";
    args[0].site = "{pool_new()}";
    assert_true(ll_path_instantiate(&a, &q, &callee, &call, &out));
    assert_string_equal(out.emb, "{node_new()}struct lock_s.m");
    ll_arena_release(&a);
}

/* item_trylock(hv) returns &item_locks[hv & 15]: at item_trylock(bucket)
 * the object is spelled with the caller's argument; a name that is no
 * parameter, or a field after `.`, stays */
static void test_indices_spelled_with_arguments(void **state)
{
    (void)state;
    struct ll_arena a;
    ll_arena_init(&a);
    static const char *hv[] = {"hv", "s"};
    struct ll_function trylock = {.name = "item_trylock", .nparams = 2, .params = hv};
    struct ll_path args[2] = {
        arg_path(LL_ROOT_LOCAL, 0, "bucket", "maint:bucket", NULL),
        arg_path(LL_ROOT_PARAM, LL_PATH_DEREF, "it->hv", "struct item.hv", NULL)};
    struct ll_event call = {.kind = LL_EV_CALL, .nargs = 2, .args = args};
    struct ll_path p = arg_path(LL_ROOT_GLOBAL, LL_PATH_INDEXED | LL_PATH_ADDR,
                                "item_locks[hv&mask(hv_power)]", "item_locks[]", "c:@item_locks"),
                   out;
    assert_true(ll_path_instantiate_indices(&a, &p, &trylock, &call, &out));
    assert_string_equal(out.key, "item_locks[bucket&mask(hv_power)]");
    assert_string_equal(out.text, "item_locks[bucket&mask(hv_power)]");
    assert_string_equal(out.cls, "item_locks[]");
    assert_true(out.flags & LL_PATH_ADDR);
    p.key = p.text = "t[s+1].l[hv].hv";
    assert_true(ll_path_instantiate_indices(&a, &p, &trylock, &call, &out));
    assert_string_equal(out.key, "t[it->hv+1].l[bucket].hv");
    /* an argument that is an expression is put in parentheses; one without
     * a name is `?` */
    args[0] = arg_path(LL_ROOT_NONE, 0, "a+b", NULL, NULL);
    args[0].key = NULL;
    p.key = p.text = "item_locks[hv%16]";
    assert_true(ll_path_instantiate_indices(&a, &p, &trylock, &call, &out));
    assert_string_equal(out.key, "item_locks[?%16]");
    assert_string_equal(out.text, "item_locks[(a+b)%16]");
    ll_arena_release(&a);
}

/* A summary's `*@ret`, the lock whose address the callee returns: the
 * object the call records (getters.h) when it records one, else what the
 * local the result is stored in points to */
static void test_returned_lock(void **state)
{
    (void)state;
    struct ll_arena a;
    ll_arena_init(&a);
    struct ll_path ret =
                       arg_path(LL_ROOT_RETURN, LL_PATH_DEREF, "*@ret", "*item_trylock:lock", NULL),
                   out;
    struct ll_event call = {.kind = LL_EV_CALL, .result_var = "hold"};
    call.obj.root = LL_ROOT_NONE;
    assert_true(ll_path_instantiate(&a, &ret, &callee, &call, &out));
    assert_string_equal(out.key, "*hold");
    assert_int_equal(out.root, LL_ROOT_LOCAL);
    call.obj = arg_path(LL_ROOT_GLOBAL, LL_PATH_INDEXED | LL_PATH_ADDR, "item_locks[bucket&15]",
                        "item_locks[]", "c:@item_locks");
    assert_true(ll_path_instantiate(&a, &ret, &callee, &call, &out));
    assert_string_equal(out.key, "item_locks[bucket&15]");
    assert_string_equal(out.cls, "item_locks[]");
    assert_int_equal(out.root, LL_ROOT_GLOBAL);
    assert_false(out.flags & LL_PATH_ADDR);
    call.result_var = NULL; /* the result not kept: nothing to name */
    assert_false(ll_path_instantiate(&a, &ret, &callee, &call, &out));
    ll_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_of_param_with_address_argument),
        cmocka_unit_test(test_field_of_param_with_pointer_argument),
        cmocka_unit_test(test_pointer_param_itself),
        cmocka_unit_test(test_globals_kept_locals_dropped),
        cmocka_unit_test(test_indexed_and_same_lock),
        cmocka_unit_test(test_embedding_kept_through_address_of_member),
        cmocka_unit_test(test_class_may_alias),
        cmocka_unit_test(test_sites),
        cmocka_unit_test(test_indices_spelled_with_arguments),
        cmocka_unit_test(test_returned_lock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
