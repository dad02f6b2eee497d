/*
 * Unit tests for lockgraph.c: edges and their gates, cycle enumeration
 * (each elementary cycle once, same-class edges apart), a dense graph that
 * must stay bounded, and the Graphviz writer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lockgraph.h"

static struct ll_path glob(const char *name)
{
    struct ll_path p = {.root = LL_ROOT_GLOBAL,
                        .param = -1,
                        .text = name,
                        .key = name,
                        .cls = name,
                        .root_usr = name};
    return p;
}

static struct ll_lg_witness wit(const char *fn)
{
    struct ll_lg_witness w;
    memset(&w, 0, sizeof(w));
    w.fn_name = fn;
    w.inner.file = "x.c";
    w.inner.line = 1;
    return w;
}

static void add(struct ll_lockgraph *g, const char *a, const char *b)
{
    struct ll_path pa = glob(a), pb = glob(b);
    struct ll_lg_witness w = wit("f");
    uint64_t roots = 1;
    assert_int_equal(ll_lockgraph_add(g, &pa, &pb, &w, NULL, 0, &roots), 0);
}

static void test_two_cycle_found_once(void **state)
{
    (void)state;
    struct ll_lockgraph g;
    ll_lockgraph_init(&g, 1);
    add(&g, "a", "b");
    add(&g, "b", "a");
    add(&g, "a", "b"); /* a second occurrence counts, no new edge */
    assert_int_equal(g.nedges, 2);
    assert_int_equal(g.edges[0].count, 2);
    struct ll_lg_cycle *c;
    size_t n;
    assert_int_equal(ll_lockgraph_cycles(&g, 100, &c, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].n, 2);
    assert_int_equal(g.edges[c[0].edges[0]].to, g.edges[c[0].edges[1]].from);
    ll_lockgraph_release(&g);
}

static void test_no_cycle_in_dag_and_self(void **state)
{
    (void)state;
    struct ll_lockgraph g;
    ll_lockgraph_init(&g, 1);
    add(&g, "a", "b");
    add(&g, "b", "c");
    add(&g, "a", "c");
    add(&g, "a", "a"); /* a global inside itself: a double lock, no edge */
    assert_int_equal(g.nedges, 3);
    struct ll_lg_cycle *c;
    size_t n;
    assert_int_equal(ll_lockgraph_cycles(&g, 100, &c, &n), 0);
    assert_int_equal(n, 0);
    ll_lockgraph_release(&g);
}

static void test_three_cycle_and_same_class(void **state)
{
    (void)state;
    struct ll_lockgraph g;
    ll_lockgraph_init(&g, 1);
    add(&g, "a", "b");
    add(&g, "b", "c");
    add(&g, "c", "a");
    /* two instances of one class nested: a same-class edge, not a cycle */
    struct ll_path f1 = {.root = LL_ROOT_GLOBAL,
                         .flags = LL_PATH_INDEXED,
                         .param = -1,
                         .text = "forks[i]",
                         .key = "forks[i]",
                         .cls = "forks[]",
                         .root_usr = "c:@forks"};
    struct ll_path f2 = f1;
    f2.key = f2.text = "forks[i+1]";
    struct ll_lg_witness w = wit("philosopher");
    uint64_t roots = 1;
    assert_int_equal(ll_lockgraph_add(&g, &f1, &f2, &w, NULL, 0, &roots), 0);
    assert_true(g.edges[g.nedges - 1].same_class);
    struct ll_lg_cycle *c;
    size_t n;
    assert_int_equal(ll_lockgraph_cycles(&g, 100, &c, &n), 0);
    assert_int_equal(n, 1); /* a->b->c->a once, though each of its edges finds it */
    assert_int_equal(c[0].n, 3);
    ll_lockgraph_release(&g);
}

static void test_gates_intersect(void **state)
{
    (void)state;
    struct ll_lockgraph g;
    ll_lockgraph_init(&g, 1);
    struct ll_path a = glob("a"), b = glob("b");
    const char *id_big = ll_lockgraph_id(&g, &(struct ll_path){.root = LL_ROOT_GLOBAL,
                                                               .param = -1,
                                                               .text = "big",
                                                               .key = "big",
                                                               .cls = "big",
                                                               .root_usr = "big"});
    const char *id_a = ll_lockgraph_id(&g, &a);
    const char *held1[] = {id_big, id_a};
    const char *held2[] = {id_a};
    struct ll_lg_witness w = wit("f");
    uint64_t roots = 1;
    assert_int_equal(ll_lockgraph_add(&g, &a, &b, &w, held1, 2, &roots), 0);
    assert_int_equal(g.edges[0].ngates, 1); /* big; a itself is the edge's source */
    assert_string_equal(g.edges[0].gates[0], id_big);
    assert_int_equal(ll_lockgraph_add(&g, &a, &b, &w, held2, 1, &roots), 0);
    assert_int_equal(g.edges[0].ngates, 0); /* not held the second time */
    ll_lockgraph_release(&g);
}

static void test_dense_graph_is_bounded(void **state)
{
    (void)state;
    /* 200 locks nested in random orders: exponentially many cycles exist;
     * enumeration must stay polynomial and finish quickly */
    struct ll_lockgraph g;
    ll_lockgraph_init(&g, 1);
    char names[200][8];
    for (int i = 0; i < 200; i++)
        snprintf(names[i], sizeof(names[i]), "l%d", i);
    srand(42);
    for (int k = 0; k < 6000; k++) {
        int i = rand() % 200, j = rand() % 200;
        if (i != j)
            add(&g, names[i], names[j]);
    }
    clock_t t0 = clock();
    struct ll_lg_cycle *c;
    size_t n;
    assert_int_equal(ll_lockgraph_cycles(&g, 100000, &c, &n), 0);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_true(n > 0);
    assert_true(n <= g.nedges); /* at most one cycle per edge */
    /* a generous bound: this is not a benchmark, only "not exponential" */
    assert_true(secs < 20.0);
    for (size_t i = 0; i < n; i++)
        for (uint32_t k = 0; k < c[i].n; k++)
            assert_int_equal(g.edges[c[i].edges[k]].to, g.edges[c[i].edges[(k + 1) % c[i].n]].from);
    ll_lockgraph_release(&g);
}

static void test_dot_output(void **state)
{
    (void)state;
    struct ll_lockgraph g;
    ll_lockgraph_init(&g, 1);
    add(&g, "a", "b");
    add(&g, "b", "a");
    add(&g, "b", "c");
    struct ll_lg_cycle *c;
    size_t n;
    assert_int_equal(ll_lockgraph_cycles(&g, 100, &c, &n), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    assert_int_equal(ll_lockgraph_write_dot(out, &g, c, n), 0);
    fclose(out);
    assert_non_null(strstr(buf, "digraph lockorder"));
    assert_non_null(strstr(buf, "n0 -> n1"));
    assert_non_null(strstr(buf, "color=red"));
    /* b -> c is in no cycle: not highlighted */
    char *bc = strstr(buf, "n1 -> n2");
    assert_non_null(bc);
    *strchr(bc, '\n') = '\0'; /* look at that line only */
    assert_null(strstr(bc, "red"));
    free(buf);
    ll_lockgraph_release(&g);
}

static struct ll_path embedded(const char *text, const char *emb)
{
    struct ll_path p = {.root = LL_ROOT_LOCAL,
                        .flags = LL_PATH_DEREF | LL_PATH_MEMBER,
                        .param = -1,
                        .text = text,
                        .key = text,
                        .cls = "struct half.lock",
                        .emb = emb};
    return p;
}

static void add_paths(struct ll_lockgraph *g, const struct ll_path *a, const struct ll_path *b)
{
    struct ll_lg_witness w = wit("f");
    uint64_t roots = 1;
    assert_int_equal(ll_lockgraph_add(g, a, b, &w, NULL, 0, &roots), 0);
}

static void test_embedded_classes_and_their_merge(void **state)
{
    (void)state;
    struct ll_path in = embedded("c->in.lock", "struct conn.in.lock");
    struct ll_path out = embedded("c->out.lock", "struct conn.out.lock");
    struct ll_path any = embedded("h->lock", NULL);
    struct ll_lg_cycle *c;
    size_t n;
    /* c->in.lock and c->out.lock in both orders: two nodes, a cycle */
    struct ll_lockgraph g;
    ll_lockgraph_init(&g, 1);
    add_paths(&g, &in, &out);
    add_paths(&g, &out, &in);
    assert_int_equal(ll_lockgraph_merge_aliases(&g), 0);
    assert_int_equal(g.nnodes, 2);
    assert_int_equal(ll_lockgraph_cycles(&g, 100, &c, &n), 0);
    assert_int_equal(n, 1);
    ll_lockgraph_release(&g);
    /* a struct half's lock taken where its embedding is unknown may be
     * either: one node, named by the shortest path, nestings same-class */
    ll_lockgraph_init(&g, 1);
    add_paths(&g, &in, &out);
    add_paths(&g, &out, &in);
    struct ll_path glock = glob("g_lock");
    add_paths(&g, &glock, &any);
    assert_int_equal(ll_lockgraph_merge_aliases(&g), 0);
    assert_int_equal(g.nnodes, 2);
    assert_int_equal(g.nedges, 2);
    bool seen_same = false;
    for (uint32_t e = 0; e < g.nedges; e++)
        if (g.edges[e].same_class) {
            seen_same = true;
            assert_string_equal(g.nodes[g.edges[e].from].text, "struct half.lock");
            assert_int_equal(g.edges[e].count, 2);
        }
    assert_true(seen_same);
    assert_int_equal(ll_lockgraph_cycles(&g, 100, &c, &n), 0);
    assert_int_equal(n, 0);
    ll_lockgraph_release(&g);
}

/* A same-class nesting of `outer` then `inner` (struct node.lock), spelled so. */
static void nest_nodes(struct ll_lockgraph *g, const char *outer, const char *inner)
{
    struct ll_path po = {.root = LL_ROOT_LOCAL, .param = -1, .cls = "struct node.lock"};
    struct ll_path pi = po;
    po.key = po.text = outer;
    pi.key = pi.text = inner;
    struct ll_lg_witness w = wit("f");
    w.outer_text = outer;
    w.inner_text = inner;
    uint64_t roots = 1;
    assert_int_equal(ll_lockgraph_add(g, &po, &pi, &w, NULL, 0, &roots), 0);
}

static void test_same_class_roles(void **state)
{
    (void)state;
    struct ll_lockgraph g;
    /* different fields, always one order: fixed by the roles */
    ll_lockgraph_init(&g, 1);
    nest_nodes(&g, "ls->poll->lock", "ls->abort->lock");
    nest_nodes(&g, "(*st).poll->lock", "st->abort[k]->lock"); /* not the same roles */
    nest_nodes(&g, "s->poll->lock", "s->abort->lock");
    assert_int_equal(g.nedges, 1);
    assert_true(g.edges[0].same_class);
    assert_false(g.edges[0].runtime_order);
    assert_int_equal(g.edges[0].nroles, 4);
    assert_string_equal(g.edges[0].roles[0], "->poll->lock");
    assert_string_equal(g.edges[0].roles[1], "->abort->lock");
    assert_string_equal(g.edges[0].roles[3], "->abort[]->lock");
    /* the first two roles the other way round: runtime order */
    nest_nodes(&g, "x->abort->lock", "x->poll->lock");
    assert_true(g.edges[0].runtime_order);
    ll_lockgraph_release(&g);
    /* one role on both sides: a->lock then b->lock, forks[i] then forks[j] */
    ll_lockgraph_init(&g, 1);
    nest_nodes(&g, "a->lock", "b->lock");
    assert_true(g.edges[0].runtime_order);
    ll_lockgraph_release(&g);
    ll_lockgraph_init(&g, 1);
    nest_nodes(&g, "forks[i]", "forks[(i + 1) % N]");
    assert_true(g.edges[0].runtime_order);
    ll_lockgraph_release(&g);
    /* more distinct pairs than kept: runtime order */
    ll_lockgraph_init(&g, 1);
    char o[8][16], in[8][16];
    for (int i = 0; i <= LL_LG_MAX_ROLE_PAIRS; i++) {
        snprintf(o[i], sizeof(o[i]), "p->a%d->lock", i);
        snprintf(in[i], sizeof(in[i]), "p->b%d->lock", i);
        nest_nodes(&g, o[i], in[i]);
    }
    assert_true(g.edges[0].runtime_order);
    ll_lockgraph_release(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_cycle_found_once),
        cmocka_unit_test(test_no_cycle_in_dag_and_self),
        cmocka_unit_test(test_three_cycle_and_same_class),
        cmocka_unit_test(test_gates_intersect),
        cmocka_unit_test(test_dense_graph_is_bounded),
        cmocka_unit_test(test_dot_output),
        cmocka_unit_test(test_embedded_classes_and_their_merge),
        cmocka_unit_test(test_same_class_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
