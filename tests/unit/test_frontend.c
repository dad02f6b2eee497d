/*
 * Unit tests for the frontend (frontend.c, frontend_stmt.c,
 * frontend_expr.c): small C files are written to a temporary directory,
 * parsed through a real file-mode job, and the facts checked -- the shape
 * of the control-flow graph for every kind of statement and short-circuit
 * operator, which event a lock branch tests and how, the ends of paths at
 * calls that never return, access paths and classes of locks, lock
 * initialisation and thread creation attributes, atomics, reads and
 * writes, condition texts, files with errors and absurdly deep nesting.
 *
 * Events are found by kind and by the line of a marker comment in the
 * source ("@name"), so the tests do not depend on event or block numbers.
 * They do not test the dataflow or any rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "compdb.h"
#include "frontend.h"
#include "frontend_cfg.h" /* LL_MAX_NESTING */
#include "ir.h"
#include "ir_dump.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- fixture: one temporary directory and one frontend for all tests ---- */

struct env {
    char dir[256];
    struct ll_frontend *fe;
};

static struct env g_env;

static int group_setup(void **state)
{
    (void)state;
    snprintf(g_env.dir, sizeof(g_env.dir), "/tmp/ll_test_frontend_XXXXXX");
    if (!mkdtemp(g_env.dir))
        return -1;
    g_env.fe = ll_frontend_new();
    return g_env.fe ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    ll_frontend_free(g_env.fe);
    DIR *d = opendir(g_env.dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char path[512];
            snprintf(path, sizeof(path), "%s/%s", g_env.dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(g_env.dir);
    return 0;
}

/* ---- parsing ---------------------------------------------------------- */

struct parsed {
    const char *src;
    struct ll_compdb db;
    struct ll_tu_facts facts;
    int rc;
    char err[512];
};

static const char *const std_args[] = {"-std=c11", "-pthread", "-D_GNU_SOURCE"};

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Writes `src` as `name` in the temporary directory and parses it with
 * `args`; the parse's return code is left in p->rc. */
static void parse_args(struct parsed *p, const char *name, const char *src, const char *const *args,
                       size_t nargs)
{
    memset(p, 0, sizeof(*p));
    p->src = src;
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", g_env.dir, name);
    write_file(path, src, strlen(src));
    ll_compdb_init(&p->db);
    const char *files[] = {path};
    assert_int_equal(ll_compdb_from_files(&p->db, files, 1, args, nargs, LL_RESOURCE_DIR, NULL,
                                          p->err, sizeof(p->err)),
                     0);
    assert_int_equal(p->db.njobs, 1);
    ll_tu_facts_init(&p->facts);
    p->rc = ll_frontend_parse(g_env.fe, &p->db.jobs[0], &p->facts, p->err, sizeof(p->err));
    if (getenv("LL_TEST_DUMP"))
        ll_facts_dump(stderr, &p->facts);
}

/* Parses and insists on success without errors. */
static void parse(struct parsed *p, const char *name, const char *src)
{
    parse_args(p, name, src, std_args, sizeof(std_args) / sizeof(std_args[0]));
    if (p->rc != 0)
        fail_msg("parse failed: %s", p->err);
    if (p->facts.nerrors != 0)
        fail_msg("unexpected parse error: %s", p->facts.first_error);
}

static void parsed_release(struct parsed *p)
{
    ll_tu_facts_release(&p->facts);
    ll_compdb_release(&p->db);
}

/* ---- finding things --------------------------------------------------- */

static const struct ll_function *find_fn_or_null(const struct ll_tu_facts *f, const char *name)
{
    for (uint32_t i = 0; i < f->nfunctions; i++)
        if (strcmp(f->functions[i].name, name) == 0)
            return &f->functions[i];
    return NULL;
}

static const struct ll_function *find_fn(const struct parsed *p, const char *name)
{
    const struct ll_function *fn = find_fn_or_null(&p->facts, name);
    if (!fn)
        fail_msg("no function '%s'", name);
    return fn;
}

/* Line (1-based) of the first occurrence of "@marker" in the source. */
static uint32_t line_of(const char *src, const char *marker)
{
    char at[64];
    snprintf(at, sizeof(at), "@%s*", marker);
    const char *hit = strstr(src, at);
    if (!hit)
        fail_msg("no marker '%s' in the source", marker);
    uint32_t line = 1;
    for (const char *c = src; c < hit; c++)
        line += *c == '\n';
    return line;
}

/* Index of the first event of `kind` on `line`, or -1. */
static int find_ev_line(const struct ll_function *fn, enum ll_event_kind kind, uint32_t line)
{
    for (uint32_t e = 0; e < fn->nevents; e++)
        if (fn->events[e].kind == kind && fn->events[e].loc.line == line)
            return (int)e;
    return -1;
}

static int find_ev(const struct parsed *p, const struct ll_function *fn, enum ll_event_kind kind,
                   const char *marker)
{
    return find_ev_line(fn, kind, line_of(p->src, marker));
}

/* Like find_ev() but the event must exist. */
static uint32_t ev(const struct parsed *p, const struct ll_function *fn, enum ll_event_kind kind,
                   const char *marker)
{
    int e = find_ev(p, fn, kind, marker);
    if (e < 0)
        fail_msg("no %s event at marker '%s' in '%s'", ll_event_kind_name(kind), marker, fn->name);
    return (uint32_t)e;
}

static uint32_t block_of(const struct ll_function *fn, uint32_t e)
{
    for (uint32_t b = 0; b < fn->nblocks; b++)
        if (e >= fn->blocks[b].first_event && e < fn->blocks[b].first_event + fn->blocks[b].nevents)
            return b;
    fail_msg("event %u is in no block", e);
    return UINT32_MAX;
}

/* Block of the event of `kind` at `marker`. */
static uint32_t blk(const struct parsed *p, const struct ll_function *fn, enum ll_event_kind kind,
                    const char *marker)
{
    return block_of(fn, ev(p, fn, kind, marker));
}

static bool has_succ(const struct ll_function *fn, uint32_t b, uint32_t s)
{
    for (uint32_t i = 0; i < fn->blocks[b].nsucc; i++)
        if (fn->blocks[b].succ[i] == s)
            return true;
    return false;
}

static uint32_t npreds(const struct ll_function *fn, uint32_t b)
{
    uint32_t n = 0;
    for (uint32_t x = 0; x < fn->nblocks; x++)
        for (uint32_t i = 0; i < fn->blocks[x].nsucc; i++)
            n += fn->blocks[x].succ[i] == b;
    return n;
}

/* The only predecessor of b (fails unless there is exactly one edge in). */
static uint32_t only_pred(const struct ll_function *fn, uint32_t b)
{
    assert_int_equal(npreds(fn, b), 1);
    for (uint32_t x = 0; x < fn->nblocks; x++)
        if (has_succ(fn, x, b))
            return x;
    return UINT32_MAX;
}

/* Whether a path of at least one edge leads from `from` to `to`. */
static bool reaches(const struct ll_function *fn, uint32_t from, uint32_t to)
{
    uint8_t *seen = calloc(fn->nblocks, 1);
    uint32_t *stack = malloc(fn->nblocks * sizeof(*stack) + sizeof(*stack));
    assert_non_null(seen);
    assert_non_null(stack);
    uint32_t sp = 0;
    bool hit = false;
    for (uint32_t i = 0; i < fn->blocks[from].nsucc; i++) {
        uint32_t s = fn->blocks[from].succ[i];
        if (!seen[s]) {
            seen[s] = 1;
            stack[sp++] = s;
        }
    }
    while (sp && !hit) {
        uint32_t x = stack[--sp];
        hit = x == to;
        for (uint32_t i = 0; i < fn->blocks[x].nsucc; i++) {
            uint32_t s = fn->blocks[x].succ[i];
            if (!seen[s]) {
                seen[s] = 1;
                stack[sp++] = s;
            }
        }
    }
    free(seen);
    free(stack);
    return hit;
}

/* Checks every structural promise of ir.h that holds for any function. */
static void check_well_formed(const struct ll_function *fn)
{
    assert_true(fn->nblocks >= 2);
    assert_true(fn->exit < fn->nblocks);
    assert_int_equal(fn->blocks[fn->exit].nsucc, 0);
    assert_int_equal(fn->blocks[fn->exit].nevents, 0);
    uint32_t next = 0;
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        const struct ll_block *bb = &fn->blocks[b];
        assert_int_equal(bb->first_event, next);
        next += bb->nevents;
        for (uint32_t i = 0; i < bb->nsucc; i++)
            assert_true(bb->succ[i] < fn->nblocks);
        if (bb->cond.kind != LL_COND_NONE)
            assert_int_equal(bb->nsucc, 2);
        if (bb->cond.kind == LL_COND_EVENT) {
            assert_true(bb->cond.event >= bb->first_event &&
                        bb->cond.event < bb->first_event + bb->nevents);
            assert_true(fn->events[bb->cond.event].flags & LL_EVF_CHECKED);
        }
        for (uint32_t e = bb->first_event; e < bb->first_event + bb->nevents; e++) {
            const struct ll_event *x = &fn->events[e];
            if (x->kind == LL_EV_RETURN) {
                assert_int_equal(e, bb->first_event + bb->nevents - 1);
                assert_int_equal(bb->nsucc, 1);
                assert_int_equal(bb->succ[0], fn->exit);
            }
            if (x->flags & LL_EVF_NORETURN) {
                assert_int_equal(e, bb->first_event + bb->nevents - 1);
                assert_int_equal(bb->nsucc, 0);
            }
        }
        /* every kept block is reachable from the entry (the exit may not be) */
        if (b != 0 && b != fn->exit)
            assert_true(reaches(fn, 0, b));
    }
    assert_int_equal(next, fn->nevents);
}

static void check_all_well_formed(const struct parsed *p)
{
    for (uint32_t i = 0; i < p->facts.nfunctions; i++)
        check_well_formed(&p->facts.functions[i]);
}

/* ---- control flow ------------------------------------------------------ */

static void test_if_else_join(void **state)
{
    (void)state;
    static const char src[] = "int g;\n"
                              "void f(int c)\n"
                              "{\n"
                              "    g = 0; /*@pre*/\n"
                              "    if (c)\n"
                              "        g = 1; /*@then*/\n"
                              "    else\n"
                              "        g = 2; /*@else*/\n"
                              "    g = 3; /*@join*/\n"
                              "}\n"
                              "void h(int c)\n"
                              "{\n"
                              "    if (c)\n"
                              "        g = 4; /*@hthen*/\n"
                              "    g = 5; /*@hjoin*/\n"
                              "}\n";
    struct parsed p;
    parse(&p, "ifelse.c", src);
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn(&p, "f");
    uint32_t pre = blk(&p, fn, LL_EV_ACCESS, "pre"), t = blk(&p, fn, LL_EV_ACCESS, "then"),
             e = blk(&p, fn, LL_EV_ACCESS, "else"), j = blk(&p, fn, LL_EV_ACCESS, "join");
    assert_int_not_equal(t, e);
    assert_int_not_equal(t, j);
    assert_int_not_equal(e, j);
    /* the condition ends the block of the code before it */
    const struct ll_block *cb = &fn->blocks[pre];
    assert_int_equal(cb->nsucc, 2);
    assert_int_equal(cb->cond.kind, LL_COND_VAR);
    assert_string_equal(cb->cond.var, "c");
    assert_string_equal(cb->cond.text, "c");
    assert_int_equal(cb->cond.true_when_zero, 0);
    assert_int_equal(cb->succ[0], t);
    assert_int_equal(cb->succ[1], e);
    /* both arms join */
    assert_int_equal(fn->blocks[t].nsucc, 1);
    assert_int_equal(fn->blocks[t].succ[0], j);
    assert_int_equal(fn->blocks[e].nsucc, 1);
    assert_int_equal(fn->blocks[e].succ[0], j);
    assert_int_equal(npreds(fn, j), 2);
    /* the join falls off the end: implicit return to the exit */
    uint32_t r = fn->blocks[j].first_event + fn->blocks[j].nevents - 1;
    assert_int_equal(fn->events[r].kind, LL_EV_RETURN);
    assert_true(fn->events[r].flags & LL_EVF_IMPLICIT);
    assert_int_equal(fn->blocks[j].succ[0], fn->exit);
    assert_int_equal(fn->blocks[0].nevents, 0);
    assert_true(fn->blocks[0].nsucc == 1);

    /* without else the false edge goes straight to the join */
    const struct ll_function *h = find_fn(&p, "h");
    uint32_t ht = blk(&p, h, LL_EV_ACCESS, "hthen"), hj = blk(&p, h, LL_EV_ACCESS, "hjoin");
    uint32_t hc = only_pred(h, ht);
    assert_int_equal(h->blocks[hc].succ[0], ht);
    assert_int_equal(h->blocks[hc].succ[1], hj);
    assert_true(has_succ(h, ht, hj));
    parsed_release(&p);
}

static void test_while_loop(void **state)
{
    (void)state;
    static const char src[] = "#include <pthread.h>\n"
                              "pthread_mutex_t m;\n"
                              "int g;\n"
                              "void f(int n)\n"
                              "{\n"
                              "    int i = 0;\n"
                              "    g = 0; /*@pre*/\n"
                              "    while (i < n) {\n"
                              "        pthread_mutex_lock(&m); /*@body*/\n"
                              "        i++; /*@inc*/\n"
                              "    }\n"
                              "    g = 1; /*@post*/\n"
                              "}\n"
                              "void spin(void)\n"
                              "{\n"
                              "    while (1)\n"
                              "        g++; /*@forever*/\n"
                              "}\n";
    struct parsed p;
    parse(&p, "while.c", src);
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn(&p, "f");
    uint32_t lock = ev(&p, fn, LL_EV_ACQUIRE, "body");
    uint32_t inc = ev(&p, fn, LL_EV_ACCESS, "inc");
    assert_int_equal(fn->events[lock].loop_depth, 1);
    assert_int_equal(fn->events[inc].loop_depth, 1);
    assert_true(fn->events[inc].flags & LL_EVF_WRITE);
    assert_int_equal(fn->events[ev(&p, fn, LL_EV_ACCESS, "pre")].loop_depth, 0);
    assert_int_equal(fn->events[ev(&p, fn, LL_EV_ACCESS, "post")].loop_depth, 0);
    uint32_t body = block_of(fn, lock), post = blk(&p, fn, LL_EV_ACCESS, "post");
    assert_int_equal(fn->blocks[body].loop_depth, 1);
    assert_int_equal(fn->blocks[post].loop_depth, 0);
    /* the head tests the condition: true into the body, false out */
    uint32_t head = only_pred(fn, body);
    const struct ll_block *hb = &fn->blocks[head];
    assert_int_equal(hb->loop_depth, 1);
    assert_int_equal(hb->cond.kind, LL_COND_OTHER);
    assert_string_equal(hb->cond.text, "i<n");
    assert_int_equal(hb->cond.nvars, 2);
    assert_int_equal(hb->succ[0], body);
    assert_int_equal(hb->succ[1], post);
    /* back edge: the body goes back to the head */
    assert_int_equal(fn->blocks[body].nsucc, 1);
    assert_int_equal(fn->blocks[body].succ[0], head);
    assert_int_equal(npreds(fn, head), 2);
    assert_true(reaches(fn, body, body));
    assert_false(reaches(fn, post, head));

    /* while (1): no false edge, the exit is unreachable */
    const struct ll_function *s = find_fn(&p, "spin");
    uint32_t fb = blk(&p, s, LL_EV_ACCESS, "forever");
    assert_true(reaches(s, fb, fb));
    assert_false(reaches(s, 0, s->exit));
    for (uint32_t e = 0; e < s->nevents; e++)
        assert_int_not_equal(s->events[e].kind, LL_EV_RETURN);
    parsed_release(&p);
}

static void test_for_variants(void **state)
{
    (void)state;
    static const char src[] = "#include <pthread.h>\n"
                              "pthread_mutex_t m;\n"
                              "int g;\n"
                              "void none(void)\n"
                              "{\n"
                              "    for (;;) {\n"
                              "        pthread_mutex_lock(&m); /*@n_body*/\n"
                              "        if (g)\n"
                              "            break;\n"
                              "    }\n"
                              "    g = 1; /*@n_post*/\n"
                              "}\n"
                              "void forever(void)\n"
                              "{\n"
                              "    for (;;)\n"
                              "        g++; /*@f_body*/\n"
                              "}\n"
                              "void no_cond(int n)\n"
                              "{\n"
                              "    int i;\n"
                              "    for (i = 0; /*@nc_init*/\n"
                              "         ;\n"
                              "         i++) { /*@nc_inc*/\n"
                              "        g = i; /*@nc_body*/\n"
                              "        if (i > n)\n"
                              "            break;\n"
                              "    }\n"
                              "    g = 2; /*@nc_post*/\n"
                              "}\n"
                              "void cond_only(int n)\n"
                              "{\n"
                              "    int i = 0;\n"
                              "    for (; i < n; ) {\n"
                              "        g = 3; /*@co_body*/\n"
                              "        i += 2;\n"
                              "    }\n"
                              "    g = 4; /*@co_post*/\n"
                              "}\n"
                              "void inc_only(int n)\n"
                              "{\n"
                              "    int i = 0;\n"
                              "    for (;;\n"
                              "         i++) { /*@io_inc*/\n"
                              "        if (i == n)\n"
                              "            return;\n"
                              "        g = 5; /*@io_body*/\n"
                              "    }\n"
                              "}\n"
                              "void full(int n)\n"
                              "{\n"
                              "    for (int j = 0; j < n; j++) /*@fu_head*/\n"
                              "        g = j; /*@fu_body*/\n"
                              "    g = 6; /*@fu_post*/\n"
                              "}\n";
    struct parsed p;
    parse(&p, "for.c", src);
    check_all_well_formed(&p);

    /* for (;;) with a break */
    const struct ll_function *fn = find_fn(&p, "none");
    uint32_t body = blk(&p, fn, LL_EV_ACQUIRE, "n_body");
    assert_int_equal(fn->events[ev(&p, fn, LL_EV_ACQUIRE, "n_body")].loop_depth, 1);
    uint32_t head = only_pred(fn, body);
    assert_int_equal(fn->blocks[head].cond.kind, LL_COND_NONE);
    assert_int_equal(fn->blocks[head].nsucc, 1);
    assert_true(reaches(fn, body, head));
    uint32_t post = blk(&p, fn, LL_EV_ACCESS, "n_post");
    assert_true(reaches(fn, body, post));
    assert_false(has_succ(fn, head, post)); /* only the break leaves */

    /* for (;;) without a break never ends */
    const struct ll_function *fv = find_fn(&p, "forever");
    uint32_t fb = blk(&p, fv, LL_EV_ACCESS, "f_body");
    assert_true(reaches(fv, fb, fb));
    assert_false(reaches(fv, 0, fv->exit));

    /* init and increment, no condition */
    fn = find_fn(&p, "no_cond");
    uint32_t init = ev(&p, fn, LL_EV_ACCESS, "nc_init");
    uint32_t inc = ev(&p, fn, LL_EV_ACCESS, "nc_inc");
    assert_string_equal(fn->events[init].obj.key, "i");
    assert_true(fn->events[init].flags & LL_EVF_WRITE);
    assert_int_equal(fn->events[init].loop_depth, 0);
    assert_int_equal(fn->events[inc].loop_depth, 1);
    body = blk(&p, fn, LL_EV_ACCESS, "nc_body");
    uint32_t incb = block_of(fn, inc);
    assert_int_not_equal(block_of(fn, init), incb);
    head = only_pred(fn, body);
    /* the increment is not mistaken for a condition */
    assert_int_equal(fn->blocks[head].cond.kind, LL_COND_NONE);
    assert_int_equal(fn->blocks[head].nsucc, 1);
    assert_int_equal(fn->blocks[incb].nsucc, 1);
    assert_int_equal(fn->blocks[incb].succ[0], head);
    assert_true(has_succ(fn, block_of(fn, init), head));
    post = blk(&p, fn, LL_EV_ACCESS, "nc_post");
    assert_false(reaches(fn, post, head));

    /* a condition only */
    fn = find_fn(&p, "cond_only");
    body = blk(&p, fn, LL_EV_ACCESS, "co_body");
    head = only_pred(fn, body);
    assert_int_equal(fn->blocks[head].cond.kind, LL_COND_OTHER);
    assert_string_equal(fn->blocks[head].cond.text, "i<n");
    assert_int_equal(fn->blocks[head].succ[0], body);
    post = blk(&p, fn, LL_EV_ACCESS, "co_post");
    assert_int_equal(fn->blocks[head].succ[1], post);
    assert_true(reaches(fn, body, head));
    assert_int_equal(fn->events[ev(&p, fn, LL_EV_ACCESS, "co_post")].loop_depth, 0);

    /* an increment only: it runs after the body, at loop depth 1 */
    fn = find_fn(&p, "inc_only");
    inc = ev(&p, fn, LL_EV_ACCESS, "io_inc");
    assert_int_equal(fn->events[inc].loop_depth, 1);
    body = blk(&p, fn, LL_EV_ACCESS, "io_body");
    assert_true(has_succ(fn, body, block_of(fn, inc)));
    incb = block_of(fn, inc);
    assert_int_equal(fn->blocks[incb].nsucc, 1);
    head = fn->blocks[incb].succ[0];
    assert_int_equal(fn->blocks[head].cond.kind, LL_COND_NONE);
    assert_true(reaches(fn, head, fn->exit)); /* through the return */

    /* all three parts, with a declaration */
    fn = find_fn(&p, "full");
    uint32_t jinc = ev(&p, fn, LL_EV_ACCESS, "fu_head");
    /* the first write of j on that line is `int j = 0` (a known value,
     * before the loop); the increment is the next one */
    assert_string_equal(fn->events[jinc].obj.key, "j");
    assert_string_equal(fn->events[jinc].result_var, "0");
    assert_int_equal(fn->events[jinc].loop_depth, 0);
    for (uint32_t e = jinc + 1; e < fn->nevents; e++)
        if (fn->events[e].kind == LL_EV_ACCESS &&
            fn->events[e].loc.line == fn->events[jinc].loc.line) {
            jinc = e;
            break;
        }
    assert_string_equal(fn->events[jinc].obj.key, "j");
    assert_int_equal(fn->events[jinc].loop_depth, 1);
    body = blk(&p, fn, LL_EV_ACCESS, "fu_body");
    head = only_pred(fn, body);
    assert_string_equal(fn->blocks[head].cond.text, "j<n");
    assert_int_equal(fn->blocks[head].succ[1], blk(&p, fn, LL_EV_ACCESS, "fu_post"));
    assert_true(has_succ(fn, block_of(fn, jinc), head));
    parsed_release(&p);
}

/* Parts of a for header that come from macros are still told apart: a
 * macro's definition lies elsewhere in the file, but the part is written
 * where the macro is used. */
static void test_for_macro_parts(void **state)
{
    (void)state;
    static const char src[] = "int g;\n"
                              "#define MORE(i, n) ((i) < (n))\n"
                              "#define NEXT(i) ((i) += 2)\n"
                              "void cond_macro(int n)\n"
                              "{\n"
                              "    int i = 0;\n"
                              "    for (; MORE(i, n); )\n"
                              "        g = i; /*@cm_body*/\n"
                              "    g = 1; /*@cm_post*/\n"
                              "}\n"
                              "void inc_macro(int n)\n"
                              "{\n"
                              "    int i;\n"
                              "    for (i = 0; /*@im_init*/\n"
                              "         ;\n"
                              "         NEXT(i)) { /*@im_inc*/\n"
                              "        if (i > n)\n"
                              "            break;\n"
                              "    }\n"
                              "    g = 2; /*@im_post*/\n"
                              "}\n";
    struct parsed p;
    parse(&p, "formacro.c", src);
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn(&p, "cond_macro");
    uint32_t body = blk(&p, fn, LL_EV_ACCESS, "cm_body");
    uint32_t head = only_pred(fn, body);
    assert_int_equal(fn->blocks[head].nsucc, 2);
    assert_int_equal(fn->blocks[head].succ[1], blk(&p, fn, LL_EV_ACCESS, "cm_post"));
    assert_true(reaches(fn, 0, fn->exit));

    fn = find_fn(&p, "inc_macro");
    uint32_t init = ev(&p, fn, LL_EV_ACCESS, "im_init");
    uint32_t inc = ev(&p, fn, LL_EV_ACCESS, "im_inc");
    assert_int_equal(fn->events[init].loop_depth, 0);
    assert_int_equal(fn->events[inc].loop_depth, 1);
    assert_true(reaches(fn, block_of(fn, inc), block_of(fn, inc)));
    assert_false(reaches(fn, block_of(fn, inc), block_of(fn, init)));
    parsed_release(&p);
}

static void test_do_while(void **state)
{
    (void)state;
    static const char src[] = "#include <pthread.h>\n"
                              "pthread_mutex_t m;\n"
                              "int g;\n"
                              "void f(int n)\n"
                              "{\n"
                              "    g = 0; /*@pre*/\n"
                              "    do {\n"
                              "        pthread_mutex_lock(&m); /*@body*/\n"
                              "        if (n == 3) {\n"
                              "            g = 7; /*@cont*/\n"
                              "            continue;\n"
                              "        }\n"
                              "        pthread_mutex_unlock(&m); /*@rest*/\n"
                              "    } while (--n); /*@test*/\n"
                              "    g = 1; /*@post*/\n"
                              "}\n"
                              "void once(void)\n"
                              "{\n"
                              "    do {\n"
                              "        g = 2; /*@once*/\n"
                              "    } while (0);\n"
                              "    g = 3; /*@once_post*/\n"
                              "}\n";
    struct parsed p;
    parse(&p, "do.c", src);
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn(&p, "f");
    uint32_t body = blk(&p, fn, LL_EV_ACQUIRE, "body");
    uint32_t test = blk(&p, fn, LL_EV_ACCESS, "test"); /* the write of --n */
    uint32_t post = blk(&p, fn, LL_EV_ACCESS, "post");
    uint32_t pre = blk(&p, fn, LL_EV_ACCESS, "pre");
    assert_int_equal(fn->events[ev(&p, fn, LL_EV_ACQUIRE, "body")].loop_depth, 1);
    assert_int_equal(fn->events[ev(&p, fn, LL_EV_ACCESS, "test")].loop_depth, 1);
    assert_int_equal(fn->events[ev(&p, fn, LL_EV_ACCESS, "post")].loop_depth, 0);
    /* the body is entered once without a test */
    assert_true(has_succ(fn, pre, body));
    /* the test: true back to the body, false out */
    assert_int_equal(fn->blocks[test].nsucc, 2);
    assert_int_equal(fn->blocks[test].succ[0], body);
    assert_int_equal(fn->blocks[test].succ[1], post);
    /* continue goes to the test, not to the body */
    uint32_t cont = blk(&p, fn, LL_EV_ACCESS, "cont");
    assert_int_equal(fn->blocks[cont].nsucc, 1);
    assert_int_equal(fn->blocks[cont].succ[0], test);
    assert_true(has_succ(fn, blk(&p, fn, LL_EV_RELEASE, "rest"), test));

    /* do { } while (0) runs once: no back edge, and it is not a loop */
    fn = find_fn(&p, "once");
    uint32_t o = ev(&p, fn, LL_EV_ACCESS, "once");
    assert_false(reaches(fn, block_of(fn, o), block_of(fn, o)));
    assert_true(reaches(fn, block_of(fn, o), blk(&p, fn, LL_EV_ACCESS, "once_post")));
    assert_int_equal(fn->events[o].loop_depth, 0);
    parsed_release(&p);
}

static void test_switch(void **state)
{
    (void)state;
    static const char src[] = "#include <pthread.h>\n"
                              "pthread_mutex_t m;\n"
                              "int g;\n"
                              "void f(int x)\n"
                              "{\n"
                              "    switch (x) {\n"
                              "    case 1:\n"
                              "        pthread_mutex_lock(&m); /*@c1*/\n"
                              "        /* fall through */\n"
                              "    case 2:\n"
                              "    case 3:\n"
                              "        pthread_mutex_unlock(&m); /*@c2*/\n"
                              "        break;\n"
                              "    default:\n"
                              "        g = 3; /*@dflt*/\n"
                              "    }\n"
                              "    g = 4; /*@post*/\n"
                              "}\n"
                              "void h(int x)\n"
                              "{\n"
                              "    switch (x) {\n"
                              "    case 1:\n"
                              "        g = 1; /*@h1*/\n"
                              "        break;\n"
                              "        g = 99; /*@dead*/\n"
                              "    case 2:\n"
                              "        g = 2; /*@h2*/\n"
                              "    }\n"
                              "    g = 5; /*@hpost*/\n"
                              "}\n";
    struct parsed p;
    parse(&p, "switch.c", src);
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn(&p, "f");
    uint32_t c1 = blk(&p, fn, LL_EV_ACQUIRE, "c1"), c2 = blk(&p, fn, LL_EV_RELEASE, "c2"),
             d = blk(&p, fn, LL_EV_ACCESS, "dflt"), post = blk(&p, fn, LL_EV_ACCESS, "post");
    uint32_t disp = only_pred(fn, c1);
    assert_int_equal(fn->blocks[disp].cond.kind, LL_COND_NONE);
    /* cases 1, 2, 3 and default; with a default, no edge straight out */
    assert_int_equal(fn->blocks[disp].nsucc, 4);
    assert_true(has_succ(fn, disp, d));
    assert_false(has_succ(fn, disp, post));
    assert_true(reaches(fn, disp, c2));
    /* fallthrough from case 1 into case 2 */
    assert_true(reaches(fn, c1, c2));
    assert_false(reaches(fn, c2, c1));
    /* break and the end of the default lead out */
    assert_int_equal(fn->blocks[c2].nsucc, 1);
    assert_int_equal(fn->blocks[c2].succ[0], post);
    assert_int_equal(fn->blocks[d].nsucc, 1);
    assert_int_equal(fn->blocks[d].succ[0], post);

    /* no default: the dispatch also goes straight to the end of the switch */
    fn = find_fn(&p, "h");
    uint32_t h1 = blk(&p, fn, LL_EV_ACCESS, "h1"), h2 = blk(&p, fn, LL_EV_ACCESS, "h2"),
             hpost = blk(&p, fn, LL_EV_ACCESS, "hpost");
    disp = only_pred(fn, h1);
    assert_int_equal(fn->blocks[disp].nsucc, 3);
    assert_true(has_succ(fn, disp, h2));
    assert_true(has_succ(fn, disp, hpost));
    assert_int_equal(fn->blocks[h1].succ[0], hpost);
    assert_false(has_succ(fn, h1, h2));
    /* code after break is unreachable and dropped */
    assert_int_equal(find_ev(&p, fn, LL_EV_ACCESS, "dead"), -1);
    parsed_release(&p);
}

static void test_break_continue(void **state)
{
    (void)state;
    static const char src[] = "int g;\n"
                              "void f(int n)\n"
                              "{\n"
                              "    while (n > 0) {\n"
                              "        n--; /*@top*/\n"
                              "        if (n == 5) {\n"
                              "            g = 10; /*@brk*/\n"
                              "            break;\n"
                              "        }\n"
                              "        if (n == 7) {\n"
                              "            g = 20; /*@cont*/\n"
                              "            continue;\n"
                              "            g = 21; /*@dead*/\n"
                              "        }\n"
                              "        for (;;) {\n"
                              "            g = 30; /*@inner*/\n"
                              "            break;\n"
                              "        }\n"
                              "        g = 1; /*@x*/\n"
                              "    }\n"
                              "    g = 2; /*@post*/\n"
                              "}\n";
    struct parsed p;
    parse(&p, "brk.c", src);
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn(&p, "f");
    uint32_t top = blk(&p, fn, LL_EV_ACCESS, "top");
    uint32_t head = only_pred(fn, top);
    assert_string_equal(fn->blocks[head].cond.text, "n>0");
    uint32_t post = blk(&p, fn, LL_EV_ACCESS, "post");
    assert_int_equal(fn->blocks[head].succ[1], post);
    uint32_t brk = blk(&p, fn, LL_EV_ACCESS, "brk");
    assert_int_equal(fn->blocks[brk].nsucc, 1);
    assert_int_equal(fn->blocks[brk].succ[0], post);
    uint32_t cont = blk(&p, fn, LL_EV_ACCESS, "cont");
    assert_int_equal(fn->blocks[cont].nsucc, 1);
    assert_int_equal(fn->blocks[cont].succ[0], head);
    assert_int_equal(find_ev(&p, fn, LL_EV_ACCESS, "dead"), -1);
    /* the inner loop's break leaves only the inner loop */
    uint32_t inner = blk(&p, fn, LL_EV_ACCESS, "inner");
    uint32_t x = blk(&p, fn, LL_EV_ACCESS, "x");
    assert_int_equal(fn->blocks[inner].nsucc, 1);
    assert_int_equal(fn->blocks[inner].succ[0], x);
    assert_int_equal(fn->events[ev(&p, fn, LL_EV_ACCESS, "inner")].loop_depth, 2);
    assert_true(has_succ(fn, x, head));
    parsed_release(&p);
}

static void test_goto_and_return(void **state)
{
    (void)state;
    static const char src[] = "#include <pthread.h>\n"
                              "pthread_mutex_t m;\n"
                              "int g;\n"
                              "int f(int n)\n"
                              "{\n"
                              "    int rc = 0;\n"
                              "    pthread_mutex_lock(&m);\n"
                              "    if (n == 1) {\n"
                              "        rc = -1; /*@g1*/\n"
                              "        goto cleanup;\n"
                              "    }\n"
                              "    if (n == 2) {\n"
                              "        rc = -2; /*@g2*/\n"
                              "        goto cleanup;\n"
                              "    }\n"
                              "again:\n"
                              "    g++; /*@again*/\n"
                              "    if (g < 10)\n"
                              "        goto again;\n"
                              "    pthread_mutex_unlock(&m); /*@ok*/\n"
                              "    return 0; /*@ret0*/\n"
                              "    g = 5; /*@dead*/\n"
                              "cleanup:\n"
                              "    pthread_mutex_unlock(&m); /*@cleanup*/\n"
                              "    return rc; /*@retrc*/\n"
                              "}\n";
    struct parsed p;
    parse(&p, "goto.c", src);
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn(&p, "f");
    uint32_t g1 = blk(&p, fn, LL_EV_ACCESS, "g1"), g2 = blk(&p, fn, LL_EV_ACCESS, "g2");
    uint32_t cu = blk(&p, fn, LL_EV_RELEASE, "cleanup");
    /* both gotos lead to the same label block */
    assert_int_equal(fn->blocks[g1].nsucc, 1);
    assert_int_equal(fn->blocks[g1].succ[0], cu);
    assert_int_equal(fn->blocks[g2].nsucc, 1);
    assert_int_equal(fn->blocks[g2].succ[0], cu);
    assert_int_equal(npreds(fn, cu), 2); /* the return before it does not fall in */
    uint32_t rrc = ev(&p, fn, LL_EV_RETURN, "retrc");
    assert_int_equal(block_of(fn, rrc), cu);
    assert_string_equal(fn->events[rrc].result_var, "rc");
    assert_int_equal(fn->blocks[cu].succ[0], fn->exit);
    /* return 0 */
    uint32_t r0 = ev(&p, fn, LL_EV_RETURN, "ret0");
    assert_string_equal(fn->events[r0].result_var, "0");
    assert_false(fn->events[r0].flags & LL_EVF_IMPLICIT);
    assert_int_equal(block_of(fn, r0), blk(&p, fn, LL_EV_RELEASE, "ok"));
    assert_int_equal(fn->blocks[block_of(fn, r0)].succ[0], fn->exit);
    assert_int_equal(npreds(fn, fn->exit), 2);
    assert_int_equal(find_ev(&p, fn, LL_EV_ACCESS, "dead"), -1);
    /* no implicit return: the end of the body is unreachable */
    for (uint32_t e = 0; e < fn->nevents; e++)
        assert_false(fn->events[e].kind == LL_EV_RETURN && (fn->events[e].flags & LL_EVF_IMPLICIT));
    /* the backward goto loops to the label */
    uint32_t ag = blk(&p, fn, LL_EV_ACCESS, "again");
    assert_int_equal(fn->blocks[ag].nsucc, 2);
    uint32_t jump = fn->blocks[ag].succ[0];
    assert_int_equal(fn->blocks[jump].nsucc, 1);
    assert_int_equal(fn->blocks[jump].succ[0], ag);
    assert_true(reaches(fn, ag, ag));
    parsed_release(&p);
}

static void test_short_circuit(void **state)
{
    (void)state;
    static const char src[] = "int g;\n"
                              "int a(void);\n"
                              "int b(void);\n"
                              "void f(int n)\n"
                              "{\n"
                              "    if (a() && /*@and_a*/\n"
                              "        b()) /*@and_b*/\n"
                              "        g = 1; /*@and_then*/\n"
                              "    if (a() || /*@or_a*/\n"
                              "        b()) /*@or_b*/\n"
                              "        g = 2; /*@or_then*/\n"
                              "    g = a() && /*@ex_a*/\n"
                              "        b(); /*@ex_b*/\n"
                              "    g = 6; /*@ex_after*/\n"
                              "    if (!a()) /*@not_a*/\n"
                              "        g = 7; /*@not_then*/\n"
                              "}\n";
    struct parsed p;
    parse(&p, "andor.c", src);
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn(&p, "f");

    /* &&: b() only from a()'s true edge */
    uint32_t ea = ev(&p, fn, LL_EV_CALL, "and_a"), eb = ev(&p, fn, LL_EV_CALL, "and_b");
    uint32_t ba = block_of(fn, ea), bb = block_of(fn, eb);
    uint32_t then = blk(&p, fn, LL_EV_ACCESS, "and_then");
    assert_int_not_equal(ba, bb);
    assert_int_equal(fn->blocks[ba].cond.kind, LL_COND_EVENT);
    assert_int_equal(fn->blocks[ba].cond.event, ea);
    assert_int_equal(fn->blocks[ba].succ[0], bb);
    assert_int_equal(only_pred(fn, bb), ba);
    assert_int_equal(fn->blocks[bb].cond.kind, LL_COND_EVENT);
    assert_int_equal(fn->blocks[bb].cond.event, eb);
    assert_int_equal(fn->blocks[bb].succ[0], then);
    assert_int_equal(fn->blocks[bb].succ[1], fn->blocks[ba].succ[1]);
    assert_false(has_succ(fn, ba, then));

    /* ||: b() only from a()'s false edge */
    ea = ev(&p, fn, LL_EV_CALL, "or_a");
    eb = ev(&p, fn, LL_EV_CALL, "or_b");
    ba = block_of(fn, ea);
    bb = block_of(fn, eb);
    then = blk(&p, fn, LL_EV_ACCESS, "or_then");
    assert_int_not_equal(ba, bb);
    assert_int_equal(fn->blocks[ba].cond.event, ea);
    assert_int_equal(fn->blocks[ba].succ[0], then);
    assert_int_equal(fn->blocks[ba].succ[1], bb);
    assert_int_equal(only_pred(fn, bb), ba);
    assert_int_equal(fn->blocks[bb].succ[0], then);

    /* && as a value: still two blocks, both edges of b() join */
    ea = ev(&p, fn, LL_EV_CALL, "ex_a");
    eb = ev(&p, fn, LL_EV_CALL, "ex_b");
    ba = block_of(fn, ea);
    bb = block_of(fn, eb);
    assert_int_not_equal(ba, bb);
    assert_int_equal(only_pred(fn, bb), ba);
    assert_int_equal(fn->blocks[ba].succ[0], bb);
    uint32_t join = fn->blocks[ba].succ[1];
    assert_int_equal(fn->blocks[bb].nsucc, 2);
    assert_int_equal(fn->blocks[bb].succ[0], join);
    assert_int_equal(fn->blocks[bb].succ[1], join);
    /* the write of the result happens after the join */
    uint32_t wr = find_ev_line(fn, LL_EV_ACCESS, line_of(src, "ex_a"));
    assert_true(wr < fn->nevents);
    assert_int_equal(block_of(fn, wr), join);
    assert_true(fn->events[wr].flags & LL_EVF_WRITE);
    assert_int_equal(block_of(fn, ev(&p, fn, LL_EV_ACCESS, "ex_after")), join);

    /* !: the edges swap */
    ea = ev(&p, fn, LL_EV_CALL, "not_a");
    ba = block_of(fn, ea);
    assert_int_equal(fn->blocks[ba].cond.kind, LL_COND_EVENT);
    assert_int_equal(fn->blocks[ba].succ[1], blk(&p, fn, LL_EV_ACCESS, "not_then"));
    parsed_release(&p);
}

static void test_conditional_operator(void **state)
{
    (void)state;
    static const char src[] = "int g;\n"
                              "int a(void);\n"
                              "int b(void);\n"
                              "int c(void);\n"
                              "void f(int n)\n"
                              "{\n"
                              "    int x = a() /*@q*/\n"
                              "        ? b() /*@qt*/\n"
                              "        : 3;\n"
                              "    g = x; /*@qj*/\n"
                              "    if (n ? b() /*@cb*/\n"
                              "          : c()) /*@cc*/\n"
                              "        g = 1; /*@cthen*/\n"
                              "    g = 2; /*@cpost*/\n"
                              "}\n";
    struct parsed p;
    parse(&p, "cond.c", src);
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn(&p, "f");
    uint32_t q = ev(&p, fn, LL_EV_CALL, "q");
    uint32_t bq = block_of(fn, q), bt = blk(&p, fn, LL_EV_CALL, "qt"),
             bj = blk(&p, fn, LL_EV_ACCESS, "qj");
    assert_int_equal(fn->blocks[bq].cond.kind, LL_COND_EVENT);
    assert_int_equal(fn->blocks[bq].cond.event, q);
    assert_int_equal(fn->blocks[bq].succ[0], bt);
    uint32_t other = fn->blocks[bq].succ[1];
    assert_int_not_equal(other, bt);
    assert_int_equal(fn->blocks[bt].nsucc, 1);
    assert_int_equal(fn->blocks[bt].succ[0], bj);
    assert_int_equal(fn->blocks[other].nsucc, 1);
    assert_int_equal(fn->blocks[other].succ[0], bj);
    assert_int_equal(npreds(fn, bj), 2);

    /* ?: as a condition: each arm is a branch to the same two targets */
    uint32_t cb = blk(&p, fn, LL_EV_CALL, "cb"), cc = blk(&p, fn, LL_EV_CALL, "cc");
    uint32_t then = blk(&p, fn, LL_EV_ACCESS, "cthen"), post = blk(&p, fn, LL_EV_ACCESS, "cpost");
    assert_int_not_equal(cb, cc);
    uint32_t sel = only_pred(fn, cb);
    assert_int_equal(only_pred(fn, cc), sel);
    assert_int_equal(fn->blocks[sel].cond.kind, LL_COND_VAR);
    assert_string_equal(fn->blocks[sel].cond.var, "n");
    assert_int_equal(fn->blocks[sel].succ[0], cb);
    assert_int_equal(fn->blocks[sel].succ[1], cc);
    for (uint32_t arm = 0; arm < 2; arm++) {
        uint32_t x = arm ? cc : cb;
        assert_int_equal(fn->blocks[x].cond.kind, LL_COND_EVENT);
        assert_int_equal(fn->blocks[x].succ[0], then);
        assert_int_equal(fn->blocks[x].succ[1], post);
    }
    parsed_release(&p);
}

/* ---- lock branches ------------------------------------------------------ */

static void test_lock_conditions(void **state)
{
    (void)state;
    static const char src[] = "#include <pthread.h>\n"
                              "#include <errno.h>\n"
                              "pthread_mutex_t m;\n"
                              "int g;\n"
                              "int f(void)\n"
                              "{\n"
                              "    if (pthread_mutex_lock(&m) != 0) /*@lock*/\n"
                              "        return -1;\n"
                              "    if (pthread_mutex_trylock(&m) == 0) /*@try*/\n"
                              "        g = 1; /*@try_then*/\n"
                              "    int rc;\n"
                              "    rc = pthread_mutex_trylock(&m); /*@rc*/\n"
                              "    if (rc)\n"
                              "        return 1;\n"
                              "    int r2 = pthread_mutex_trylock(&m); /*@r2*/\n"
                              "    if (r2 == 0)\n"
                              "        g = 2;\n"
                              "    if (pthread_mutex_trylock(&m)) /*@bare*/\n"
                              "        g = 3;\n"
                              "    if (pthread_mutex_trylock(&m) == EBUSY) /*@busy*/\n"
                              "        g = 4;\n"
                              "    if (!pthread_mutex_trylock(&m)) /*@not*/\n"
                              "        g = 5; /*@not_then*/\n"
                              "    if ((rc = pthread_mutex_trylock(&m)) == 0) /*@assign*/\n"
                              "        g = 6;\n"
                              "    pthread_mutex_lock(&m); /*@plain*/\n"
                              "    return 0;\n"
                              "}\n";
    struct parsed p;
    parse(&p, "lockcond.c", src);
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn(&p, "f");

    uint32_t e = ev(&p, fn, LL_EV_ACQUIRE, "lock");
    const struct ll_block *b = &fn->blocks[block_of(fn, e)];
    assert_int_equal(b->cond.kind, LL_COND_EVENT);
    assert_int_equal(b->cond.event, e);
    assert_int_equal(b->cond.true_when_zero, 0);
    assert_true(fn->events[e].flags & LL_EVF_CHECKED);
    assert_int_equal(fn->events[e].lock_kind, LL_LK_MUTEX);
    assert_int_equal(fn->events[e].mode, LL_MODE_EXCL);
    assert_string_equal(fn->events[e].api, "pthread_mutex_lock");

    e = ev(&p, fn, LL_EV_TRYACQUIRE, "try");
    b = &fn->blocks[block_of(fn, e)];
    assert_int_equal(b->cond.kind, LL_COND_EVENT);
    assert_int_equal(b->cond.event, e);
    assert_int_equal(b->cond.true_when_zero, 1);
    assert_true(fn->events[e].flags & LL_EVF_CHECKED);
    assert_int_equal(b->succ[0], blk(&p, fn, LL_EV_ACCESS, "try_then"));

    e = ev(&p, fn, LL_EV_TRYACQUIRE, "rc");
    assert_string_equal(fn->events[e].result_var, "rc");
    b = &fn->blocks[block_of(fn, e)];
    assert_int_equal(b->cond.kind, LL_COND_VAR);
    assert_string_equal(b->cond.var, "rc");
    assert_int_equal(b->cond.true_when_zero, 0);
    assert_string_equal(b->cond.text, "rc");

    e = ev(&p, fn, LL_EV_TRYACQUIRE, "r2"); /* initialised declaration */
    assert_string_equal(fn->events[e].result_var, "r2");
    b = &fn->blocks[block_of(fn, e)];
    assert_int_equal(b->cond.kind, LL_COND_VAR);
    assert_string_equal(b->cond.var, "r2");
    assert_int_equal(b->cond.true_when_zero, 1);

    e = ev(&p, fn, LL_EV_TRYACQUIRE, "bare");
    b = &fn->blocks[block_of(fn, e)];
    assert_int_equal(b->cond.kind, LL_COND_EVENT);
    assert_int_equal(b->cond.true_when_zero, 0);

    e = ev(&p, fn, LL_EV_TRYACQUIRE, "busy"); /* == EBUSY: true is failure */
    b = &fn->blocks[block_of(fn, e)];
    assert_int_equal(b->cond.kind, LL_COND_EVENT);
    assert_int_equal(b->cond.event, e);
    assert_int_equal(b->cond.true_when_zero, 0);

    e = ev(&p, fn, LL_EV_TRYACQUIRE, "not"); /* !trylock: the false edge is success */
    b = &fn->blocks[block_of(fn, e)];
    assert_int_equal(b->cond.kind, LL_COND_EVENT);
    assert_int_equal(b->cond.true_when_zero, 0);
    assert_int_equal(b->succ[1], blk(&p, fn, LL_EV_ACCESS, "not_then"));

    e = ev(&p, fn, LL_EV_TRYACQUIRE, "assign");
    assert_string_equal(fn->events[e].result_var, "rc");
    b = &fn->blocks[block_of(fn, e)];
    assert_int_equal(b->cond.kind, LL_COND_EVENT);
    assert_int_equal(b->cond.event, e);
    assert_int_equal(b->cond.true_when_zero, 1);

    e = ev(&p, fn, LL_EV_ACQUIRE, "plain");
    assert_false(fn->events[e].flags & LL_EVF_CHECKED);
    assert_null(fn->events[e].result_var);
    parsed_release(&p);
}

/* ---- paths that end ------------------------------------------------------ */

static void test_noreturn(void **state)
{
    (void)state;
    static const char src[] = "#include <stdlib.h>\n"
                              "#include <pthread.h>\n"
                              "int g;\n"
                              "__attribute__((noreturn)) void die(const char *msg);\n"
                              "_Noreturn void fatal(void)\n"
                              "{\n"
                              "    abort(); /*@fatal*/\n"
                              "}\n"
                              "void helper(void);\n"
                              "void f(int c)\n"
                              "{\n"
                              "    if (c == 1)\n"
                              "        exit(1); /*@exit*/\n"
                              "    if (c == 2)\n"
                              "        abort(); /*@abort*/\n"
                              "    if (c == 3)\n"
                              "        die(\"x\"); /*@die*/\n"
                              "    if (c == 4)\n"
                              "        fatal(); /*@fatalcall*/\n"
                              "    if (c == 5)\n"
                              "        pthread_exit(0); /*@pexit*/\n"
                              "    helper(); /*@helper*/\n"
                              "    g = 1; /*@after*/\n"
                              "}\n";
    struct parsed p;
    parse(&p, "noreturn.c", src);
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn(&p, "f");
    static const char *const marks[] = {"exit", "abort", "die", "fatalcall", "pexit"};
    for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
        uint32_t e = ev(&p, fn, LL_EV_CALL, marks[i]);
        assert_true(fn->events[e].flags & LL_EVF_NORETURN);
        uint32_t b = block_of(fn, e);
        assert_int_equal(fn->blocks[b].nsucc, 0);
        assert_int_equal(e, fn->blocks[b].first_event + fn->blocks[b].nevents - 1);
    }
    assert_non_null(fn->events[ev(&p, fn, LL_EV_CALL, "die")].callee);
    /* an ordinary call goes on */
    uint32_t h = ev(&p, fn, LL_EV_CALL, "helper");
    assert_false(fn->events[h].flags & LL_EVF_NORETURN);
    assert_int_equal(block_of(fn, h), blk(&p, fn, LL_EV_ACCESS, "after"));
    assert_false(find_fn(&p, "f")->flags & LL_FN_NORETURN);
    /* a definition that says it never returns */
    const struct ll_function *fa = find_fn(&p, "fatal");
    assert_true(fa->flags & LL_FN_NORETURN);
    assert_false(reaches(fa, 0, fa->exit));
    parsed_release(&p);
}

/* ---- access paths ----------------------------------------------------- */

static void test_lock_paths(void **state)
{
    (void)state;
    static const char src[] = "#include <pthread.h>\n"
                              "pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;\n"
                              "static pthread_mutex_t s_lock;\n"
                              "pthread_mutex_t forks[5];\n"
                              "struct conn { pthread_mutex_t lock; int n; };\n"
                              "struct conn conns[4];\n"
                              "void f(int unused, struct conn *s, int i, pthread_mutex_t *mp)\n"
                              "{\n"
                              "    pthread_mutex_lock(&g_lock); /*@global*/\n"
                              "    pthread_mutex_lock(&s->lock); /*@field*/\n"
                              "    pthread_mutex_lock(&forks[i]); /*@fork*/\n"
                              "    pthread_mutex_lock(&forks[2]); /*@fork2*/\n"
                              "    static pthread_mutex_t sl = PTHREAD_MUTEX_INITIALIZER;\n"
                              "    pthread_mutex_lock(&sl); /*@static_local*/\n"
                              "    pthread_mutex_lock(&s_lock); /*@static_global*/\n"
                              "    pthread_mutex_lock(mp); /*@ptr*/\n"
                              "    pthread_mutex_lock(&conns[i].lock); /*@arr_field*/\n"
                              "    pthread_mutex_t local;\n"
                              "    pthread_mutex_lock(&local); /*@local*/\n"
                              "}\n";
    struct parsed p;
    parse(&p, "paths.c", src);
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn(&p, "f");
    assert_int_equal(fn->nparams, 4);
    assert_string_equal(fn->params[1], "s");

    const struct ll_path *o = &fn->events[ev(&p, fn, LL_EV_ACQUIRE, "global")].obj;
    assert_int_equal(o->root, LL_ROOT_GLOBAL);
    assert_string_equal(o->key, "g_lock");
    assert_string_equal(o->cls, "g_lock");
    assert_string_equal(o->text, "g_lock");
    assert_string_equal(o->root_usr, "c:@g_lock");
    assert_int_equal(o->param, -1);
    assert_int_equal(o->flags & (LL_PATH_ADDR | LL_PATH_DEREF | LL_PATH_INDEXED), 0);

    o = &fn->events[ev(&p, fn, LL_EV_ACQUIRE, "field")].obj;
    assert_int_equal(o->root, LL_ROOT_PARAM);
    assert_int_equal(o->param, 1);
    assert_string_equal(o->key, "s->lock");
    assert_string_equal(o->text, "s->lock");
    assert_string_equal(o->cls, "struct conn.lock");
    assert_true(o->flags & LL_PATH_DEREF);
    assert_false(o->flags & LL_PATH_ADDR);

    o = &fn->events[ev(&p, fn, LL_EV_ACQUIRE, "fork")].obj;
    assert_int_equal(o->root, LL_ROOT_GLOBAL);
    assert_string_equal(o->key, "forks[i]");
    assert_string_equal(o->cls, "forks[]");
    assert_true(o->flags & LL_PATH_INDEXED);
    assert_false(o->flags & LL_PATH_DEREF); /* an array, not a pointer */
    assert_string_equal(o->root_usr, "c:@forks");
    o = &fn->events[ev(&p, fn, LL_EV_ACQUIRE, "fork2")].obj;
    assert_string_equal(o->key, "forks[2]");
    assert_string_equal(o->cls, "forks[]");

    o = &fn->events[ev(&p, fn, LL_EV_ACQUIRE, "static_local")].obj;
    assert_int_equal(o->root, LL_ROOT_STATIC_LOCAL);
    assert_string_equal(o->key, "sl");
    assert_string_equal(o->cls, "f:sl");
    assert_non_null(o->root_usr);

    o = &fn->events[ev(&p, fn, LL_EV_ACQUIRE, "static_global")].obj;
    assert_int_equal(o->root, LL_ROOT_GLOBAL);
    assert_string_equal(o->key, "s_lock");
    assert_string_equal(o->cls, "paths.c:s_lock");

    o = &fn->events[ev(&p, fn, LL_EV_ACQUIRE, "ptr")].obj;
    assert_int_equal(o->root, LL_ROOT_PARAM);
    assert_int_equal(o->param, 3);
    assert_string_equal(o->text, "mp");
    assert_string_equal(o->key, "*mp");
    assert_true(o->flags & LL_PATH_DEREF);

    o = &fn->events[ev(&p, fn, LL_EV_ACQUIRE, "arr_field")].obj;
    assert_int_equal(o->root, LL_ROOT_GLOBAL);
    assert_string_equal(o->key, "conns[i].lock");
    assert_string_equal(o->cls, "struct conn.lock");
    assert_true(o->flags & LL_PATH_INDEXED);

    o = &fn->events[ev(&p, fn, LL_EV_ACQUIRE, "local")].obj;
    assert_int_equal(o->root, LL_ROOT_LOCAL);
    assert_string_equal(o->key, "local");
    assert_string_equal(o->cls, "f:local");
    assert_null(o->root_usr);

    /* the globals table */
    bool seen_lock = false;
    for (uint32_t i = 0; i < p.facts.nglobals; i++) {
        const struct ll_global *gv = &p.facts.globals[i];
        if (strcmp(gv->name, "g_lock") == 0) {
            seen_lock = true;
            assert_true(gv->flags & LL_GV_LOCK);
            assert_true(gv->flags & LL_GV_DEFINITION);
            assert_false(gv->flags & LL_GV_STATIC);
        }
        if (strcmp(gv->name, "s_lock") == 0)
            assert_true(gv->flags & LL_GV_STATIC);
    }
    assert_true(seen_lock);
    parsed_release(&p);
}

static void test_lock_init_and_threads(void **state)
{
    (void)state;
    static const char src[] = "#include <pthread.h>\n"
                              "pthread_mutex_t m, plain;\n"
                              "int c;\n"
                              "void *worker(void *arg) { return arg; }\n"
                              "void init(void)\n"
                              "{\n"
                              "    pthread_mutexattr_t attr;\n"
                              "    pthread_mutexattr_init(&attr);\n"
                              "    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);\n"
                              "    pthread_mutex_init(&m, &attr); /*@rec*/\n"
                              "    pthread_mutex_init(&plain, NULL); /*@plain*/\n"
                              "}\n"
                              "void start(void)\n"
                              "{\n"
                              "    pthread_t t, t2;\n"
                              "    pthread_attr_t at;\n"
                              "    pthread_attr_init(&at);\n"
                              "    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);\n"
                              "    pthread_create(&t, &at, worker, 0); /*@detached*/\n"
                              "    pthread_create(&t2, NULL, &worker, &c); /*@joinable*/\n"
                              "    pthread_join(t2, NULL); /*@join*/\n"
                              "}\n";
    struct parsed p;
    parse(&p, "threads.c", src);
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn(&p, "init");
    const struct ll_event *e = &fn->events[ev(&p, fn, LL_EV_LOCK_INIT, "rec")];
    assert_int_equal(e->lock_kind, LL_LK_RECURSIVE);
    assert_string_equal(e->obj.key, "m");
    e = &fn->events[ev(&p, fn, LL_EV_LOCK_INIT, "plain")];
    assert_int_equal(e->lock_kind, LL_LK_MUTEX);
    assert_string_equal(e->obj.key, "plain");

    fn = find_fn(&p, "start");
    const struct ll_function *w = find_fn(&p, "worker");
    e = &fn->events[ev(&p, fn, LL_EV_THREAD_CREATE, "detached")];
    assert_non_null(e->callee);
    assert_string_equal(e->callee, w->usr);
    assert_true(e->flags & LL_EVF_DETACHED);
    assert_string_equal(e->obj.key, "t");
    assert_int_equal(e->obj.root, LL_ROOT_LOCAL);
    e = &fn->events[ev(&p, fn, LL_EV_THREAD_CREATE, "joinable")];
    assert_string_equal(e->callee, w->usr);
    assert_false(e->flags & LL_EVF_DETACHED);
    assert_string_equal(e->obj.key, "t2");
    assert_string_equal(e->aux.key, "c");
    assert_true(e->aux.flags & LL_PATH_ADDR);
    e = &fn->events[ev(&p, fn, LL_EV_JOIN, "join")];
    assert_string_equal(e->obj.key, "t2");
    parsed_release(&p);
}

/* ---- accesses ------------------------------------------------------------ */

/* The ACCESS event on `line` whose object has `key`, or NULL. */
static const struct ll_event *access_on(const struct ll_function *fn, uint32_t line,
                                        const char *key)
{
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *x = &fn->events[e];
        if (x->kind == LL_EV_ACCESS && x->loc.line == line && x->obj.key &&
            strcmp(x->obj.key, key) == 0)
            return x;
    }
    return NULL;
}

static uint32_t accesses_on(const struct ll_function *fn, uint32_t line)
{
    uint32_t n = 0;
    for (uint32_t e = 0; e < fn->nevents; e++)
        n += fn->events[e].kind == LL_EV_ACCESS && fn->events[e].loc.line == line;
    return n;
}

static void test_atomics(void **state)
{
    (void)state;
    static const char src[] = "#include <stdatomic.h>\n"
                              "int c;\n"
                              "_Atomic int ac;\n"
                              "_Atomic int x;\n"
                              "void f(void)\n"
                              "{\n"
                              "    atomic_fetch_add(&ac, 1); /*@std*/\n"
                              "    __atomic_fetch_add(&c, 1, 5); /*@gnu*/\n"
                              "    __sync_fetch_and_add(&c, 1); /*@sync*/\n"
                              "    x++; /*@typed*/\n"
                              "    int v = atomic_load(&ac); /*@load*/\n"
                              "    int w = __atomic_load_n(&c, 5); /*@gnuload*/\n"
                              "    (void)v;\n"
                              "    (void)w;\n"
                              "    c = 1; /*@plainw*/\n"
                              "}\n";
    struct parsed p;
    parse(&p, "atomics.c", src);
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn(&p, "f");
    const uint8_t aw = LL_EVF_ATOMIC | LL_EVF_WRITE;
    const struct ll_event *e = access_on(fn, line_of(src, "std"), "ac");
    assert_non_null(e);
    assert_int_equal(e->flags & aw, aw);
    e = access_on(fn, line_of(src, "gnu"), "c");
    assert_non_null(e);
    assert_int_equal(e->flags & aw, aw);
    assert_int_equal(accesses_on(fn, line_of(src, "gnu")), 1);
    e = access_on(fn, line_of(src, "sync"), "c");
    assert_non_null(e);
    assert_int_equal(e->flags & aw, aw);
    e = access_on(fn, line_of(src, "typed"), "x");
    assert_non_null(e);
    assert_int_equal(e->flags & aw, aw);
    assert_true(e->obj.flags & LL_PATH_ATOMIC_TYPE);
    e = access_on(fn, line_of(src, "load"), "ac");
    assert_non_null(e);
    assert_int_equal(e->flags & aw, LL_EVF_ATOMIC);
    e = access_on(fn, line_of(src, "gnuload"), "c");
    assert_non_null(e);
    assert_int_equal(e->flags & aw, LL_EVF_ATOMIC);
    e = access_on(fn, line_of(src, "plainw"), "c");
    assert_non_null(e);
    assert_int_equal(e->flags & aw, LL_EVF_WRITE);
    parsed_release(&p);
}

static void test_reads_and_writes(void **state)
{
    (void)state;
    static const char src[] = "int g;\n"
                              "struct conn { int n; int *p; };\n"
                              "void f(struct conn *s, int *ip)\n"
                              "{\n"
                              "    int x, l = 3, arr[4] = {0};\n"
                              "    g = 1; /*@w*/\n"
                              "    x = g; /*@r*/\n"
                              "    g++; /*@inc*/\n"
                              "    s->n += 1; /*@field*/\n"
                              "    *ip = x; /*@deref*/\n"
                              "    x = *ip; /*@deref_read*/\n"
                              "    int k = l + x; /*@locals*/\n"
                              "    k = arr[1] + arr[k]; /*@array*/\n"
                              "    if (s->n == g) /*@cmp*/\n"
                              "        k++;\n"
                              "    (void)k;\n"
                              "}\n";
    struct parsed p;
    parse(&p, "rw.c", src);
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn(&p, "f");
    const struct ll_event *e = access_on(fn, line_of(src, "w"), "g");
    assert_non_null(e);
    assert_true(e->flags & LL_EVF_WRITE);
    assert_false(e->flags & LL_EVF_ATOMIC);
    assert_int_equal(e->obj.root, LL_ROOT_GLOBAL);

    uint32_t line = line_of(src, "r");
    e = access_on(fn, line, "g");
    assert_non_null(e);
    assert_false(e->flags & LL_EVF_WRITE);
    /* the local written is recorded (conditions over it are forgotten) */
    e = access_on(fn, line, "x");
    assert_non_null(e);
    assert_true(e->flags & LL_EVF_WRITE);
    assert_int_equal(e->obj.root, LL_ROOT_LOCAL);
    assert_int_equal(accesses_on(fn, line), 2);

    line = line_of(src, "inc");
    e = access_on(fn, line, "g");
    assert_non_null(e);
    assert_true(e->flags & LL_EVF_WRITE);
    assert_int_equal(accesses_on(fn, line), 1);

    line = line_of(src, "field");
    e = access_on(fn, line, "s->n");
    assert_non_null(e);
    assert_true(e->flags & LL_EVF_WRITE);
    assert_true(e->obj.flags & LL_PATH_DEREF);
    assert_int_equal(e->obj.root, LL_ROOT_PARAM);
    assert_int_equal(e->obj.param, 0);
    assert_string_equal(e->obj.cls, "struct conn.n");
    assert_int_equal(accesses_on(fn, line), 1); /* reading s is not recorded */

    e = access_on(fn, line_of(src, "deref"), "*ip");
    assert_non_null(e);
    assert_true(e->flags & LL_EVF_WRITE);
    assert_true(e->obj.flags & LL_PATH_DEREF);
    e = access_on(fn, line_of(src, "deref_read"), "*ip");
    assert_non_null(e);
    assert_false(e->flags & LL_EVF_WRITE);

    /* plain locals read: nothing; their initialisation is not a write event */
    assert_int_equal(accesses_on(fn, line_of(src, "locals")), 0);
    /* elements of a local array are locals too; only the write of k shows */
    line = line_of(src, "array");
    assert_int_equal(accesses_on(fn, line), 1);
    assert_non_null(access_on(fn, line, "k"));

    line = line_of(src, "cmp");
    assert_int_equal(accesses_on(fn, line), 2);
    assert_non_null(access_on(fn, line, "s->n"));
    assert_non_null(access_on(fn, line, "g"));
    parsed_release(&p);
}

static void test_cond_text(void **state)
{
    (void)state;
    static const char src[] = "#include <pthread.h>\n"
                              "pthread_mutex_t m;\n"
                              "int g;\n"
                              "void f(int flag, int n)\n"
                              "{\n"
                              "    if (flag) /*@c1*/\n"
                              "        pthread_mutex_lock(&m);\n"
                              "    g = 1;\n"
                              "    if ( flag ) /*@c2*/\n"
                              "        pthread_mutex_unlock(&m);\n"
                              "    if (flag && n > 2) /*@c3*/\n"
                              "        g = 2;\n"
                              "    if (g) /*@c4*/\n"
                              "        g = 3;\n"
                              "}\n";
    struct parsed p;
    parse(&p, "condtext.c", src);
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn(&p, "f");
    /* find the blocks that end in a branch, in source order of their text */
    const struct ll_block *with_flag[3] = {NULL, NULL, NULL};
    size_t nflag = 0;
    bool seen_n = false, seen_other = false;
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        const struct ll_cond *c = &fn->blocks[b].cond;
        if (c->kind == LL_COND_NONE)
            continue;
        if (c->text && strcmp(c->text, "flag") == 0) {
            assert_true(nflag < 3);
            with_flag[nflag++] = &fn->blocks[b];
            assert_int_equal(c->nvars, 1);
            assert_string_equal(c->vars[0], "flag");
        } else if (c->text && strcmp(c->text, "n>2") == 0) {
            seen_n = true;
            assert_int_equal(c->nvars, 1);
            assert_string_equal(c->vars[0], "n");
        } else {
            /* a global flag is trusted not to change between two tests,
             * unless the function writes it (the dataflow forgets then) */
            assert_non_null(c->text);
            assert_string_equal(c->text, "g");
            assert_int_equal(c->nvars, 1);
            assert_string_equal(c->vars[0], "g");
            assert_int_equal(c->kind, LL_COND_OTHER);
            seen_other = true;
        }
    }
    assert_int_equal(nflag, 3); /* if (flag), if ( flag ), and flag && ... */
    assert_string_equal(with_flag[0]->cond.text, with_flag[1]->cond.text);
    assert_true(seen_n);
    assert_true(seen_other);
    parsed_release(&p);
}

/* ---- bad and extreme input ---------------------------------------------- */

static void test_syntax_error(void **state)
{
    (void)state;
    static const char src[] = "#include <pthread.h>\n"
                              "pthread_mutex_t m;\n"
                              "int g;\n"
                              "void f(void)\n"
                              "{\n"
                              "    pthread_mutex_lock(&m); /*@lock*/\n"
                              "    g = 1 +;\n"
                              "    pthread_mutex_unlock(&m); /*@unlock*/\n"
                              "}\n"
                              "void h(void) { g = 2; }\n";
    struct parsed p;
    parse_args(&p, "syntax.c", src, std_args, 3);
    assert_int_equal(p.rc, 0);
    assert_true(p.facts.nerrors > 0);
    assert_non_null(p.facts.first_error);
    assert_non_null(strstr(p.facts.first_error, "syntax.c:7:"));
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn(&p, "f");
    ev(&p, fn, LL_EV_ACQUIRE, "lock");
    ev(&p, fn, LL_EV_RELEASE, "unlock");
    find_fn(&p, "h");
    parsed_release(&p);
}

static void test_missing_file_is_an_error(void **state)
{
    (void)state;
    struct ll_tu_job job = {
        .file = "/nonexistent/dir/none.c", .directory = "/", .argc = 0, .argv = NULL};
    struct ll_tu_facts facts;
    ll_tu_facts_init(&facts);
    char err[256] = "";
    int rc = ll_frontend_parse(g_env.fe, &job, &facts, err, sizeof(err));
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, "none.c"));
    ll_tu_facts_release(&facts);
}

/* Writes `head`, `n` copies of `open`, `mid`, `n` copies of `close`,
 * `tail` into a string (caller frees). */
static char *repeat_src(const char *head, const char *open, size_t n, const char *mid,
                        const char *close, const char *tail)
{
    size_t len = strlen(head) + n * (strlen(open) + strlen(close)) + strlen(mid) + strlen(tail);
    char *s = malloc(len + 1);
    assert_non_null(s);
    char *w = s;
    w += sprintf(w, "%s", head);
    for (size_t i = 0; i < n; i++)
        w += sprintf(w, "%s", open);
    w += sprintf(w, "%s", mid);
    for (size_t i = 0; i < n; i++)
        w += sprintf(w, "%s", close);
    sprintf(w, "%s", tail);
    return s;
}

static void test_deep_parentheses(void **state)
{
    (void)state;
    char *src = repeat_src("int x;\nvoid f(void)\n{\n    x = ", "(", 10000, "1", ")",
                           ";\n}\nvoid h(void) { x = 2; }\n");
    struct parsed p;
    parse_args(&p, "parens.c", src, std_args, 3);
    assert_int_equal(p.rc, 0);
    assert_true(p.facts.nerrors > 0); /* clang's bracket depth limit */
    assert_non_null(p.facts.first_error);
    assert_non_null(strstr(p.facts.first_error, "parens.c:4:"));
    check_all_well_formed(&p);
    /* the limit is fatal to clang: what was parsed before it is lowered */
    find_fn(&p, "f");
    parsed_release(&p);
    free(src);
}

static void test_deep_binary_expression(void **state)
{
    (void)state;
    char *src = repeat_src("int x;\nvoid f(void)\n{\n    x = x", " + 1", 10000, "", "",
                           ";\n}\nvoid h(void) { x = 2; }\n");
    struct parsed p;
    parse_args(&p, "binary.c", src, std_args, 3);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.facts.nerrors, 0);
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn(&p, "f");
    assert_true(fn->flags & LL_FN_TRUNCATED);
    /* the write survives; the skipped operands are only reads */
    assert_non_null(access_on(fn, 4, "x"));
    assert_false(find_fn(&p, "h")->flags & LL_FN_TRUNCATED);
    parsed_release(&p);
    free(src);
}

static void test_deep_blocks(void **state)
{
    (void)state;
    /* clang stops at 256 brackets by default: no crash, errors reported */
    char *src = repeat_src("int x;\nvoid f(void)\n", "{ ", 5000, "x = 1;", " }",
                           "\nvoid h(void) { x = 2; }\n");
    struct parsed p;
    parse_args(&p, "blocks.c", src, std_args, 3);
    assert_int_equal(p.rc, 0);
    assert_true(p.facts.nerrors > 0);
    check_all_well_formed(&p);
    const struct ll_function *fn = find_fn_or_null(&p.facts, "f");
    if (fn && (fn->flags & LL_FN_TRUNCATED) == 0)
        assert_true(fn->nevents <= 2); /* the nested body was dropped by clang */
    parsed_release(&p);
    free(src);

    /* -fbracket-depth from a compile database is dropped (a raised limit
     * lets crafted code crash libclang), so deep statement nesting comes
     * from unbraced ifs here; the frontend stops at LL_MAX_NESTING */
    src = repeat_src("int x;\nvoid f(int c)\n{\n", "if (c) ", LL_MAX_NESTING + 600, "x = 1;", "",
                     "\n}\nvoid h(void) { x = 2; }\n");
    static const char *const deep_args[] = {"-std=c11", "-fbracket-depth=2000"};
    parse_args(&p, "blocks2.c", src, deep_args, 2);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.facts.nerrors, 0);
    check_all_well_formed(&p);
    fn = find_fn(&p, "f");
    assert_true(fn->flags & LL_FN_TRUNCATED);
    const struct ll_function *h = find_fn(&p, "h");
    assert_false(h->flags & LL_FN_TRUNCATED);
    assert_non_null(access_on(h, 6, "x"));
    parsed_release(&p);
    free(src);

    /* just under the limit nothing is skipped */
    src = repeat_src("int x;\nvoid f(int c)\n{\n", "if (c) ", LL_MAX_NESTING - 10, "x = 1;", "",
                     "\n}\nvoid h(void) { x = 2; }\n");
    parse_args(&p, "blocks3.c", src, deep_args, 2);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.facts.nerrors, 0);
    fn = find_fn(&p, "f");
    assert_false(fn->flags & LL_FN_TRUNCATED);
    assert_non_null(access_on(fn, 4, "x"));
    parsed_release(&p);
    free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_if_else_join),
        cmocka_unit_test(test_while_loop),
        cmocka_unit_test(test_for_variants),
        cmocka_unit_test(test_for_macro_parts),
        cmocka_unit_test(test_do_while),
        cmocka_unit_test(test_switch),
        cmocka_unit_test(test_break_continue),
        cmocka_unit_test(test_goto_and_return),
        cmocka_unit_test(test_short_circuit),
        cmocka_unit_test(test_conditional_operator),
        cmocka_unit_test(test_lock_conditions),
        cmocka_unit_test(test_noreturn),
        cmocka_unit_test(test_lock_paths),
        cmocka_unit_test(test_lock_init_and_threads),
        cmocka_unit_test(test_atomics),
        cmocka_unit_test(test_reads_and_writes),
        cmocka_unit_test(test_cond_text),
        cmocka_unit_test(test_syntax_error),
        cmocka_unit_test(test_missing_file_is_an_error),
        cmocka_unit_test(test_deep_parentheses),
        cmocka_unit_test(test_deep_binary_expression),
        cmocka_unit_test(test_deep_blocks),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
