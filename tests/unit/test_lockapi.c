/*
 * Unit tests for lockapi.c: the built-in table is sorted the way bsearch
 * needs it (a misplaced entry silently stops being recognised), every entry
 * is found by name, prefix families and user entries work.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <string.h>

#include "ir.h"
#include "lockapi.h"

static void test_table_sorted_and_found(void **state)
{
    (void)state;
    size_t n = ll_lockapi_builtin_count();
    assert_true(n > 50);
    for (size_t i = 0; i < n; i++) {
        const struct ll_api *e = ll_lockapi_builtin(i);
        if (i > 0)
            assert_true(strcmp(ll_lockapi_builtin(i - 1)->name, e->name) < 0);
        assert_ptr_equal(ll_lockapi_lookup(e->name), e);
    }
}

static void test_known_entries(void **state)
{
    (void)state;
    const struct ll_api *a = ll_lockapi_lookup("__builtin_unreachable");
    assert_non_null(a);
    assert_int_equal(a->op, LL_OP_NORETURN);
    a = ll_lockapi_lookup("_Exit");
    assert_non_null(a);
    assert_int_equal(a->op, LL_OP_NORETURN);
    a = ll_lockapi_lookup("pthread_rwlock_rdlock");
    assert_non_null(a);
    assert_int_equal(a->op, LL_OP_LOCK);
    assert_int_equal(a->mode, LL_MODE_SHARED);
    a = ll_lockapi_lookup("pthread_create");
    assert_int_equal(a->start_arg, 2);
    assert_int_equal(a->aux_arg, 3);
    assert_null(ll_lockapi_lookup("pthread_mutex_lockx"));
    assert_null(ll_lockapi_lookup(""));
}

static void test_prefixes_and_user_entries(void **state)
{
    (void)state;
    const struct ll_api *a = ll_lockapi_lookup("__atomic_fetch_add");
    assert_non_null(a);
    assert_int_equal(a->op, LL_OP_ATOMIC);
    assert_true(a->flags & LL_API_ATOMIC_RMW);
    a = ll_lockapi_lookup("atomic_load_explicit");
    assert_non_null(a);
    assert_false(a->flags & LL_API_ATOMIC_RMW);
    struct ll_api mine = {"my_spin_lock", LL_OP_LOCK, LL_LK_SPIN, LL_MODE_EXCL, 0, 0, -1, -1, -1};
    assert_int_equal(ll_lockapi_add(&mine), 0);
    a = ll_lockapi_lookup("my_spin_lock");
    assert_non_null(a);
    assert_int_equal(a->lock_kind, LL_LK_SPIN);
    ll_lockapi_reset();
    assert_null(ll_lockapi_lookup("my_spin_lock"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_sorted_and_found),
        cmocka_unit_test(test_known_entries),
        cmocka_unit_test(test_prefixes_and_user_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
