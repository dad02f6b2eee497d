/*
 * Unit tests for analyzer/scc and analyzer/bitset: components of small
 * graphs given as adjacency lists (a DAG, cycles, self loops, nested
 * cycles, a long chain that would overflow a recursive walk), their
 * completion order (a component before every one that reaches it), and
 * the bit set helpers on sets of more than one word.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bitset.h"
#include "scc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct graph {
    uint32_t n;
    uint32_t *deg;
    uint32_t **out;
};

static uint32_t degree(const void *ctx, uint32_t v)
{
    const struct graph *g = ctx;
    return g->deg[v];
}

static uint32_t succ(const void *ctx, uint32_t v, uint32_t i)
{
    const struct graph *g = ctx;
    return g->out[v][i];
}

static struct graph *graph_new(uint32_t n)
{
    struct graph *g = calloc(1, sizeof(*g));
    assert_non_null(g);
    g->n = n;
    g->deg = calloc(n + 1, sizeof(uint32_t));
    g->out = calloc(n + 1, sizeof(uint32_t *));
    assert_non_null(g->deg);
    assert_non_null(g->out);
    for (uint32_t v = 0; v < n; v++) {
        g->out[v] = calloc(4, sizeof(uint32_t));
        assert_non_null(g->out[v]);
    }
    return g;
}

static void arc(struct graph *g, uint32_t a, uint32_t b)
{
    assert_true(g->deg[a] < 4);
    g->out[a][g->deg[a]++] = b;
}

static void graph_free(struct graph *g)
{
    for (uint32_t v = 0; v < g->n; v++)
        free(g->out[v]);
    free(g->out);
    free(g->deg);
    free(g);
}

struct sccs {
    long n;
    uint32_t comp[64], order[64], start[65];
};

static void find(const struct graph *g, struct sccs *r)
{
    struct ll_scc_graph sg = {g->n, degree, succ, g};
    r->n = ll_scc_find(&sg, r->comp, r->order, r->start);
    assert_true(r->n >= 0);
    /* every node once in order, in its component's range */
    assert_int_equal(r->start[r->n], g->n);
    for (long c = 0; c < r->n; c++)
        for (uint32_t i = r->start[c]; i < r->start[c + 1]; i++)
            assert_int_equal(r->comp[r->order[i]], c);
    /* an arc goes to the same or an earlier component */
    for (uint32_t v = 0; v < g->n; v++)
        for (uint32_t i = 0; i < g->deg[v]; i++)
            assert_true(r->comp[g->out[v][i]] <= r->comp[v]);
}

/* 0 -> 1 -> 2, 0 -> 2: three components, sinks first. */
static void test_dag(void **state)
{
    (void)state;
    struct graph *g = graph_new(3);
    arc(g, 0, 1);
    arc(g, 1, 2);
    arc(g, 0, 2);
    struct sccs r;
    find(g, &r);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.comp[2], 0);
    assert_int_equal(r.comp[1], 1);
    assert_int_equal(r.comp[0], 2);
    graph_free(g);
}

/* 0 -> 1 -> 2 -> 1, 2 -> 3, 4 -> 4 (self loop), 3 -> 5 -> 3. */
static void test_cycles(void **state)
{
    (void)state;
    struct graph *g = graph_new(6);
    arc(g, 0, 1);
    arc(g, 1, 2);
    arc(g, 2, 1);
    arc(g, 2, 3);
    arc(g, 4, 4);
    arc(g, 3, 5);
    arc(g, 5, 3);
    struct sccs r;
    find(g, &r);
    assert_int_equal(r.n, 4);
    assert_int_equal(r.comp[1], r.comp[2]);
    assert_int_equal(r.comp[3], r.comp[5]);
    assert_true(r.comp[3] < r.comp[1]);
    assert_true(r.comp[1] < r.comp[0]);
    assert_int_not_equal(r.comp[4], r.comp[0]);
    graph_free(g);
}

/* A cycle through every node of a long chain: one component, no recursion. */
static void test_long_cycle(void **state)
{
    (void)state;
    enum { N = 200000 };
    struct graph g = {N, calloc(N, sizeof(uint32_t)), calloc(N, sizeof(uint32_t *))};
    uint32_t *next = calloc(N, sizeof(uint32_t));
    uint32_t *comp = calloc(N, sizeof(uint32_t));
    assert_non_null(g.deg);
    assert_non_null(g.out);
    assert_non_null(next);
    assert_non_null(comp);
    for (uint32_t v = 0; v < N; v++) {
        next[v] = (v + 1) % N;
        g.deg[v] = 1;
        g.out[v] = &next[v];
    }
    struct ll_scc_graph sg = {N, degree, succ, &g};
    assert_int_equal(ll_scc_find(&sg, comp, NULL, NULL), 1);
    assert_int_equal(comp[N - 1], 0);
    free(comp);
    free(next);
    free(g.out);
    free(g.deg);
}

static void test_empty(void **state)
{
    (void)state;
    struct graph *g = graph_new(0);
    struct sccs r;
    find(g, &r);
    assert_int_equal(r.n, 0);
    graph_free(g);
}

static void test_bitset(void **state)
{
    (void)state;
    assert_int_equal(ll_bitset_words(0), 1);
    assert_int_equal(ll_bitset_words(64), 1);
    assert_int_equal(ll_bitset_words(65), 2);
    uint64_t a[3] = {0}, b[3] = {0};
    assert_false(ll_bitset_any(a, 3));
    ll_bitset_set(a, 0);
    ll_bitset_set(a, 130);
    assert_true(ll_bitset_has(a, 130));
    assert_false(ll_bitset_has(a, 129));
    assert_true(ll_bitset_any(a, 3));
    ll_bitset_set(b, 70);
    assert_true(ll_bitset_or_changed(b, a, 3));
    assert_false(ll_bitset_or_changed(b, a, 3));
    assert_true(ll_bitset_has(b, 0) && ll_bitset_has(b, 70) && ll_bitset_has(b, 130));
    ll_bitset_andnot(b, a, 3);
    assert_false(ll_bitset_has(b, 0));
    assert_true(ll_bitset_has(b, 70));
    ll_bitset_or(a, b, 3);
    assert_true(ll_bitset_has(a, 70));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dag),        cmocka_unit_test(test_cycles),
        cmocka_unit_test(test_long_cycle), cmocka_unit_test(test_empty),
        cmocka_unit_test(test_bitset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
