/*
 * Unit tests for memapi.c: the table is sorted the way bsearch needs it
 * (a misplaced entry silently stops being recognised), every entry is
 * found by name, and the builtin, fortified and ISO C scanf spellings
 * find the plain entry; other names find nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <string.h>

#include "memapi.h"

static void test_table_sorted_and_found(void **state)
{
    (void)state;
    size_t n = ll_memapi_count();
    assert_true(n > 20);
    for (size_t i = 0; i < n; i++) {
        const struct ll_memapi *e = ll_memapi_at(i);
        if (i > 0)
            assert_true(strcmp(ll_memapi_at(i - 1)->name, e->name) < 0);
        assert_ptr_equal(ll_memapi_lookup(e->name), e);
        assert_true(e->writes || e->reads || e->rest);
    }
    assert_null(ll_memapi_at(n));
}

static void test_spellings(void **state)
{
    (void)state;
    const struct ll_memapi *memcpy_e = ll_memapi_lookup("memcpy");
    assert_non_null(memcpy_e);
    assert_int_equal(memcpy_e->writes, 1);
    assert_int_equal(memcpy_e->reads, 2);
    assert_true(memcpy_e->flags & LL_MEM_COPY);
    assert_ptr_equal(ll_memapi_lookup("__builtin_memcpy"), memcpy_e);
    assert_ptr_equal(ll_memapi_lookup("__builtin___memcpy_chk"), memcpy_e);
    assert_ptr_equal(ll_memapi_lookup("__memcpy_chk"), memcpy_e);
    const struct ll_memapi *read_e = ll_memapi_lookup("__read_chk");
    assert_non_null(read_e);
    assert_string_equal(read_e->name, "read");
    assert_int_equal(read_e->writes, 2);
    const struct ll_memapi *sscanf_e = ll_memapi_lookup("__isoc99_sscanf");
    assert_non_null(sscanf_e);
    assert_int_equal(sscanf_e->rest, 2);
    assert_int_equal(ll_memapi_lookup("scanf")->rest, 1);
}

static void test_unknown_names(void **state)
{
    (void)state;
    assert_null(ll_memapi_lookup(NULL));
    assert_null(ll_memapi_lookup(""));
    assert_null(ll_memapi_lookup("memcpy_chk"));
    assert_null(ll_memapi_lookup("__memcpy"));
    assert_null(ll_memapi_lookup("__builtin_"));
    assert_null(ll_memapi_lookup("_chk"));
    assert_null(ll_memapi_lookup("my_read"));
    assert_null(ll_memapi_lookup("printf"));
    assert_null(ll_memapi_lookup("a_name_much_longer_than_any_entry_of_the_table"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_sorted_and_found),
        cmocka_unit_test(test_spellings),
        cmocka_unit_test(test_unknown_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
