/*
 * Unit tests for ir.c, ir_blob.c and ir_dump.c: facts built by hand (every
 * event, cond and root kind, every flag, NULL and empty strings) survive a
 * blob round trip field for field; foreign, truncated and damaged blobs are
 * refused or decode to a well-formed structure, never crash; the dump shows
 * what a reader needs.  Also ir_intern.c: interned facts, whether from the
 * interning pass or from a blob, have equal strings only as one pointer;
 * and facts read while sharing (ir_blob.h) share equal functions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ir.h"
#include "ir_blob.h"
#include "ir_dump.h"
#include "ir_intern.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building facts --------------------------------------------------- */

static void *xalloc(struct ll_arena *a, size_t n)
{
    void *p = ll_arena_alloc(a, n);
    assert_non_null(p);
    return p;
}

static struct ll_path mkpath(uint8_t root, uint8_t flags, int16_t param, const char *text,
                             const char *key, const char *cls, const char *usr)
{
    struct ll_path p = {.root = root,
                        .flags = flags,
                        .param = param,
                        .text = text,
                        .key = key,
                        .cls = cls,
                        .root_usr = usr};
    return p;
}

static struct ll_loc mkloc(uint32_t file, uint32_t line, uint32_t col)
{
    struct ll_loc l = {file, line, col};
    return l;
}

static const char **mkstrs(struct ll_arena *a, uint32_t n, const char *const *src)
{
    const char **v = xalloc(a, n * sizeof(*v));
    for (uint32_t i = 0; i < n; i++)
        v[i] = src[i];
    return v;
}

static uint32_t *mksucc(struct ll_arena *a, uint32_t n, const uint32_t *src)
{
    uint32_t *v = xalloc(a, n * sizeof(*v));
    memcpy(v, src, n * sizeof(*v));
    return v;
}

/*
 * worker(): one event of every kind, spread over five blocks with one cond
 * of every kind, paths with every root kind and flag.
 */
static void build_worker(struct ll_arena *a, struct ll_function *fn)
{
    static const char *const params[] = {"arg", "", "n"};
    fn->usr = "c:@F@worker";
    fn->name = "worker";
    fn->loc = mkloc(0, 10, 7);
    fn->end = mkloc(0, 60, 1);
    fn->flags = LL_FN_STATIC | LL_FN_INLINE;
    fn->nparams = 3;
    fn->params = mkstrs(a, 3, params);

    fn->nevents = LL_EV_KIND_COUNT + 2;
    fn->events = xalloc(a, fn->nevents * sizeof(*fn->events));
    struct ll_event *e = fn->events;
    for (uint32_t i = 0; i < fn->nevents; i++) {
        e[i].kind = (uint8_t)(i < LL_EV_KIND_COUNT ? i : LL_EV_ACCESS);
        e[i].loc = mkloc(i % 3, 11 + i, 3 + i);
        e[i].loop_depth = (uint16_t)(i % 2);
    }
    struct ll_path glock =
        mkpath(LL_ROOT_GLOBAL, LL_PATH_ADDR, -1, "g_lock", "g_lock", "g_lock", "c:@g_lock");

    e[LL_EV_ACQUIRE].lock_kind = LL_LK_MUTEX;
    e[LL_EV_ACQUIRE].obj = glock;
    e[LL_EV_ACQUIRE].api = "pthread_mutex_lock";

    e[LL_EV_TRYACQUIRE].lock_kind = LL_LK_RWLOCK;
    e[LL_EV_TRYACQUIRE].mode = LL_MODE_SHARED;
    e[LL_EV_TRYACQUIRE].flags = LL_EVF_CHECKED | LL_EVF_TIMED;
    e[LL_EV_TRYACQUIRE].obj =
        mkpath(LL_ROOT_PARAM, LL_PATH_DEREF, 0, "arg->rw", "arg->rw", "struct conn.rw", NULL);
    e[LL_EV_TRYACQUIRE].obj.emb = "struct server.conn.rw";
    e[LL_EV_TRYACQUIRE].obj.site = "@arg:c:@F@worker#0";
    e[LL_EV_TRYACQUIRE].api = "pthread_rwlock_timedrdlock";
    e[LL_EV_TRYACQUIRE].result_var = "rc";

    e[LL_EV_RELEASE].lock_kind = LL_LK_RECURSIVE;
    e[LL_EV_RELEASE].obj = mkpath(LL_ROOT_STATIC_LOCAL, LL_PATH_ADDR | LL_PATH_INDEXED, -1,
                                  "locks[i]", "locks[i]", "locks[]", "c:main.c@F@worker@locks");
    e[LL_EV_RELEASE].api = "pthread_mutex_unlock";

    e[LL_EV_ACCESS].flags = LL_EVF_WRITE | LL_EVF_ATOMIC;
    e[LL_EV_ACCESS].obj = mkpath(LL_ROOT_GLOBAL, LL_PATH_ATOMIC_TYPE | LL_PATH_THREAD_LOCAL, -1,
                                 "counter", "counter", "counter", "c:@counter");

    e[LL_EV_CALL].api = "helper";
    e[LL_EV_CALL].callee = "c:@F@helper";
    e[LL_EV_CALL].flags = LL_EVF_NORETURN;
    e[LL_EV_CALL].nargs = 4;
    e[LL_EV_CALL].args = xalloc(a, 4 * sizeof(struct ll_path));
    e[LL_EV_CALL].args[0] = glock;
    e[LL_EV_CALL].args[1] = mkpath(LL_ROOT_NONE, 0, -1, NULL, NULL, NULL, NULL);
    e[LL_EV_CALL].args[2] = mkpath(LL_ROOT_CALL, LL_PATH_CONST, -32768, "get()", "", "", "");
    e[LL_EV_CALL].args[3] = mkpath(LL_ROOT_UNKNOWN, 0xff, 32767, "", "", "x", NULL);

    e[LL_EV_THREAD_CREATE].flags = LL_EVF_DETACHED | LL_EVF_CHECKED;
    e[LL_EV_THREAD_CREATE].obj = mkpath(LL_ROOT_LOCAL, LL_PATH_ADDR, -1, "tid", "tid", "tid", NULL);
    e[LL_EV_THREAD_CREATE].aux = mkpath(LL_ROOT_PARAM, 0, 2, "n", "n", "n", NULL);
    e[LL_EV_THREAD_CREATE].callee = "c:@F@start";
    e[LL_EV_THREAD_CREATE].api = "pthread_create";

    e[LL_EV_JOIN].obj = mkpath(LL_ROOT_LOCAL, 0, -1, "tid", "tid", "tid", NULL);
    e[LL_EV_JOIN].api = "pthread_join";

    e[LL_EV_DETACH].api = "pthread_detach";

    e[LL_EV_COND_WAIT].lock_kind = LL_LK_C11_MTX;
    e[LL_EV_COND_WAIT].flags = LL_EVF_TIMED;
    e[LL_EV_COND_WAIT].obj = mkpath(LL_ROOT_GLOBAL, LL_PATH_ADDR, -1, "cv", "cv", "cv", "c:@cv");
    e[LL_EV_COND_WAIT].aux = glock;
    e[LL_EV_COND_WAIT].api = "cnd_timedwait";

    e[LL_EV_COND_SIGNAL].obj = e[LL_EV_COND_WAIT].obj;
    e[LL_EV_COND_SIGNAL].api = "cnd_signal";

    e[LL_EV_SEM_WAIT].lock_kind = LL_LK_SEM;
    e[LL_EV_SEM_WAIT].obj = mkpath(LL_ROOT_GLOBAL, LL_PATH_ADDR, -1, "sem", "sem", "sem", "c:@sem");
    e[LL_EV_SEM_WAIT].api = "sem_wait";

    e[LL_EV_SEM_POST].lock_kind = LL_LK_SEM;
    e[LL_EV_SEM_POST].obj = e[LL_EV_SEM_WAIT].obj;
    e[LL_EV_SEM_POST].api = "sem_post";

    e[LL_EV_BLOCKING].api = "sleep";
    e[LL_EV_BLOCKING].flags = LL_EVF_INDIRECT;

    e[LL_EV_LOCK_INIT].lock_kind = LL_LK_SPIN;
    e[LL_EV_LOCK_INIT].obj = glock;
    e[LL_EV_LOCK_INIT].api = "pthread_spin_init";

    e[LL_EV_RETURN].flags = LL_EVF_IMPLICIT;

    /* The two extra accesses: extreme numbers and the "other" lock kind. */
    e[LL_EV_KIND_COUNT].lock_kind = LL_LK_OTHER;
    e[LL_EV_KIND_COUNT].loc = mkloc(2, UINT32_MAX, UINT32_MAX);
    e[LL_EV_KIND_COUNT].loop_depth = UINT16_MAX;
    e[LL_EV_KIND_COUNT].flags = 0xff;
    e[LL_EV_KIND_COUNT + 1].obj = mkpath(LL_ROOT_LOCAL, 0, -1, "", "", "", "");
    e[LL_EV_KIND_COUNT + 1].api = "";

    fn->nblocks = 6;
    fn->exit = 5;
    fn->blocks = xalloc(a, fn->nblocks * sizeof(*fn->blocks));
    struct ll_block *b = fn->blocks;
    static const uint32_t s0[] = {1, 2}, s1[] = {3, 2}, s2[] = {3, 4}, s3[] = {1, 4, 5}, s4[] = {5};
    static const char *const vars[] = {"rc", "", "x"};

    b[0].first_event = 0;
    b[0].nevents = 2;
    b[0].nsucc = 2;
    b[0].succ = mksucc(a, 2, s0);
    b[0].cond.kind = LL_COND_EVENT;
    b[0].cond.event = LL_EV_TRYACQUIRE;
    b[0].cond.true_when_zero = 1;
    b[0].cond.cmp = LL_CMP_LT;
    b[0].cond.cmp_k = INT64_MIN; /* the zigzag's extreme */
    b[0].cond.text = "pthread_rwlock_timedrdlock(arg->rw) == 0";

    b[1].first_event = 2;
    b[1].nevents = 5;
    b[1].nsucc = 2;
    b[1].succ = mksucc(a, 2, s1);
    b[1].loop_depth = 1;
    b[1].flags = LL_BLK_LOOP_HEAD | LL_BLK_COUNTED | LL_BLK_ORDERED;
    b[1].cond.kind = LL_COND_VAR;
    b[1].cond.var = "rc";
    b[1].cond.text = "rc != 0";
    b[1].cond.nvars = 3;
    b[1].cond.vars = mkstrs(a, 3, vars);
    b[1].cond.tested = "arg->rw";

    b[2].first_event = 7;
    b[2].nevents = 0;
    b[2].nsucc = 2;
    b[2].succ = mksucc(a, 2, s2);
    b[2].loop_depth = 2;
    b[2].cond.kind = LL_COND_OTHER;
    b[2].cond.text = "";

    b[3].first_event = 7;
    b[3].nevents = LL_EV_RETURN - 7;
    b[3].nsucc = 3;
    b[3].succ = mksucc(a, 3, s3);
    b[3].cond.kind = LL_COND_NONE;
    b[3].cond.event = 12345; /* meaningless for NONE, but kept */

    b[4].first_event = LL_EV_RETURN;
    b[4].nevents = 0;
    b[4].nsucc = 1;
    b[4].succ = mksucc(a, 1, s4);

    b[5].first_event = LL_EV_RETURN;
    b[5].nevents = fn->nevents - LL_EV_RETURN;
    b[5].loop_depth = UINT16_MAX;
    b[5].flags = 0xff;
}

static void build_facts(struct ll_tu_facts *f)
{
    struct ll_arena *a = &f->arena;
    static const char *const files[] = {"/abs/src/main.c", "/usr/include/pthread.h",
                                        "/abs/src/util.h", ""};
    f->main_file = "/abs/src/main.c";
    f->nfiles = 4;
    f->files = mkstrs(a, 4, files);
    f->file_system = xalloc(a, 4);
    f->file_system[1] = 1;
    f->nerrors = 2;
    f->first_error = "main.c:3:4: error: expected ';'";
    /* Dependencies share strings with files[] and may include "". */
    static const char *const deps[] = {"/abs/src/main.c", "/usr/include/pthread.h",
                                       "/abs/src/util.h", "/usr/include/bits/types.h", ""};
    f->ndeps = 5;
    f->deps = mkstrs(a, 5, deps);

    f->nfunctions = 4;
    f->functions = xalloc(a, f->nfunctions * sizeof(*f->functions));
    build_worker(a, &f->functions[0]);

    /* A body with a single empty block. */
    struct ll_function *fn = &f->functions[1];
    fn->usr = "";
    fn->name = "";
    fn->loc = mkloc(2, 1, 1);
    fn->end = mkloc(0, 0, 0);
    fn->flags = LL_FN_NORETURN | LL_FN_TRUNCATED | LL_FN_VARIADIC | 0x80000000u;
    fn->nblocks = 1;
    fn->blocks = xalloc(a, sizeof(*fn->blocks));

    /* No blocks at all. */
    fn = &f->functions[2];
    fn->usr = "c:@F@nothing";
    fn->name = "nothing";

    /* Same worker again under another name: shares strings with the first. */
    build_worker(a, &f->functions[3]);
    f->functions[3].name = "worker2";
    f->functions[3].usr = "c:main.c@F@worker2";

    f->nglobals = 4;
    f->globals = xalloc(a, f->nglobals * sizeof(*f->globals));
    f->globals[0] = (struct ll_global){
        "c:@g_lock", "g_lock", "pthread_mutex_t", mkloc(0, 3, 17), LL_GV_LOCK | LL_GV_DEFINITION,
        NULL};
    f->globals[1] = (struct ll_global){"c:main.c@count",
                                       "count",
                                       "_Atomic(int)",
                                       mkloc(0, 4, 12),
                                       LL_GV_STATIC | LL_GV_ATOMIC,
                                       NULL};
    f->globals[2] = (struct ll_global){"c:@tls",
                                       "tls",
                                       "const int",
                                       mkloc(2, 9, 1),
                                       LL_GV_THREAD_LOCAL | LL_GV_CONST | LL_GV_RECURSIVE_INIT,
                                       "lock,inner"};
    f->globals[3] = (struct ll_global){"", "", "", mkloc(3, 0, 0), UINT32_MAX, NULL};

    f->nfnrefs = 3;
    f->fnrefs = xalloc(a, f->nfnrefs * sizeof(*f->fnrefs));
    f->fnrefs[0] = (struct ll_fnref){"c:@F@worker", "struct ops.run", mkloc(0, 40, 9)};
    f->fnrefs[1] = (struct ll_fnref){"c:@F@start", NULL, mkloc(0, 41, 5)};
    f->fnrefs[2] = (struct ll_fnref){"", "", mkloc(1, 2, 3)};

    f->nptrflows = 2;
    f->ptrflows = xalloc(a, f->nptrflows * sizeof(*f->ptrflows));
    f->ptrflows[0] =
        (struct ll_fnref){"@call:c:@F@job_new", "@field:struct work.job", mkloc(0, 50, 5)};
    f->ptrflows[1] = (struct ll_fnref){"?", "@arg:c:@F@worker#0", mkloc(1, 2, 3)};
}

/* ---- deep comparison -------------------------------------------------- */

static void str_eq(const char *a, const char *b)
{
    if (!a) {
        assert_null(b);
        return;
    }
    assert_non_null(b);
    assert_string_equal(a, b);
}

static void loc_eq(const struct ll_loc *a, const struct ll_loc *b)
{
    assert_int_equal(a->file, b->file);
    assert_int_equal(a->line, b->line);
    assert_int_equal(a->col, b->col);
}

static void path_eq(const struct ll_path *a, const struct ll_path *b)
{
    assert_int_equal(a->root, b->root);
    assert_int_equal(a->flags, b->flags);
    assert_int_equal(a->param, b->param);
    str_eq(a->text, b->text);
    str_eq(a->key, b->key);
    str_eq(a->cls, b->cls);
    str_eq(a->emb, b->emb);
    str_eq(a->root_usr, b->root_usr);
    str_eq(a->site, b->site);
}

static void event_eq(const struct ll_event *a, const struct ll_event *b)
{
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->mode, b->mode);
    assert_int_equal(a->lock_kind, b->lock_kind);
    assert_int_equal(a->flags, b->flags);
    assert_int_equal(a->loop_depth, b->loop_depth);
    loc_eq(&a->loc, &b->loc);
    path_eq(&a->obj, &b->obj);
    path_eq(&a->aux, &b->aux);
    str_eq(a->api, b->api);
    str_eq(a->callee, b->callee);
    str_eq(a->result_var, b->result_var);
    assert_int_equal(a->nargs, b->nargs);
    for (uint32_t i = 0; i < a->nargs; i++)
        path_eq(&a->args[i], &b->args[i]);
}

static void block_eq(const struct ll_block *a, const struct ll_block *b)
{
    assert_int_equal(a->first_event, b->first_event);
    assert_int_equal(a->nevents, b->nevents);
    assert_int_equal(a->nsucc, b->nsucc);
    for (uint32_t i = 0; i < a->nsucc; i++)
        assert_int_equal(a->succ[i], b->succ[i]);
    assert_int_equal(a->loop_depth, b->loop_depth);
    assert_int_equal(a->flags, b->flags);
    assert_int_equal(a->cond.kind, b->cond.kind);
    assert_int_equal(a->cond.true_when_zero, b->cond.true_when_zero);
    assert_int_equal(a->cond.cmp, b->cond.cmp);
    assert_true(a->cond.cmp_k == b->cond.cmp_k);
    assert_int_equal(a->cond.event, b->cond.event);
    str_eq(a->cond.var, b->cond.var);
    str_eq(a->cond.text, b->cond.text);
    str_eq(a->cond.tested, b->cond.tested);
    assert_int_equal(a->cond.nvars, b->cond.nvars);
    for (uint32_t i = 0; i < a->cond.nvars; i++)
        str_eq(a->cond.vars[i], b->cond.vars[i]);
}

static void function_eq(const struct ll_function *a, const struct ll_function *b)
{
    str_eq(a->usr, b->usr);
    str_eq(a->name, b->name);
    loc_eq(&a->loc, &b->loc);
    loc_eq(&a->end, &b->end);
    assert_int_equal(a->flags, b->flags);
    assert_int_equal(a->nparams, b->nparams);
    for (uint32_t i = 0; i < a->nparams; i++)
        str_eq(a->params[i], b->params[i]);
    assert_int_equal(a->nblocks, b->nblocks);
    assert_int_equal(a->exit, b->exit);
    for (uint32_t i = 0; i < a->nblocks; i++)
        block_eq(&a->blocks[i], &b->blocks[i]);
    assert_int_equal(a->nevents, b->nevents);
    for (uint32_t i = 0; i < a->nevents; i++)
        event_eq(&a->events[i], &b->events[i]);
}

static void facts_eq(const struct ll_tu_facts *a, const struct ll_tu_facts *b)
{
    str_eq(a->main_file, b->main_file);
    assert_int_equal(a->nfiles, b->nfiles);
    for (uint32_t i = 0; i < a->nfiles; i++) {
        str_eq(a->files[i], b->files[i]);
        /* A NULL file_system means "no system headers". */
        assert_int_equal(a->file_system ? a->file_system[i] : 0,
                         b->file_system ? b->file_system[i] : 0);
    }
    assert_int_equal(a->nfunctions, b->nfunctions);
    for (uint32_t i = 0; i < a->nfunctions; i++)
        function_eq(&a->functions[i], &b->functions[i]);
    assert_int_equal(a->nglobals, b->nglobals);
    for (uint32_t i = 0; i < a->nglobals; i++) {
        const struct ll_global *x = &a->globals[i], *y = &b->globals[i];
        str_eq(x->usr, y->usr);
        str_eq(x->name, y->name);
        str_eq(x->type, y->type);
        str_eq(x->recursive_fields, y->recursive_fields);
        loc_eq(&x->loc, &y->loc);
        assert_int_equal(x->flags, y->flags);
    }
    assert_int_equal(a->nfnrefs, b->nfnrefs);
    for (uint32_t i = 0; i < a->nfnrefs; i++) {
        str_eq(a->fnrefs[i].usr, b->fnrefs[i].usr);
        str_eq(a->fnrefs[i].context, b->fnrefs[i].context);
        loc_eq(&a->fnrefs[i].loc, &b->fnrefs[i].loc);
    }
    assert_int_equal(a->nptrflows, b->nptrflows);
    for (uint32_t i = 0; i < a->nptrflows; i++) {
        str_eq(a->ptrflows[i].usr, b->ptrflows[i].usr);
        str_eq(a->ptrflows[i].context, b->ptrflows[i].context);
        loc_eq(&a->ptrflows[i].loc, &b->ptrflows[i].loc);
    }
    assert_int_equal(a->nerrors, b->nerrors);
    str_eq(a->first_error, b->first_error);
    assert_int_equal(a->ndeps, b->ndeps);
    for (uint32_t i = 0; i < a->ndeps; i++)
        str_eq(a->deps[i], b->deps[i]);
}

/* ---- well-formedness of whatever a blob decoded to -------------------- */

static void touch(const char *s)
{
    if (s)
        assert_true(strlen(s) < SIZE_MAX);
}

static void loc_ok(const struct ll_tu_facts *f, const struct ll_loc *l)
{
    assert_true(l->file < f->nfiles || (l->file == 0 && l->line == 0 && l->col == 0));
}

static void path_ok(const struct ll_path *p)
{
    assert_true(p->root <= LL_ROOT_UNKNOWN);
    touch(p->text);
    touch(p->key);
    touch(p->cls);
    touch(p->emb);
    touch(p->root_usr);
    touch(p->site);
}

static void facts_ok(const struct ll_tu_facts *f, FILE *sink)
{
    touch(f->main_file);
    touch(f->first_error);
    for (uint32_t i = 0; i < f->ndeps; i++)
        touch(f->deps[i]);
    for (uint32_t i = 0; i < f->nfiles; i++) {
        touch(f->files[i]);
        assert_true(f->file_system[i] <= UINT8_MAX);
    }
    for (uint32_t i = 0; i < f->nfunctions; i++) {
        const struct ll_function *fn = &f->functions[i];
        touch(fn->usr);
        touch(fn->name);
        loc_ok(f, &fn->loc);
        loc_ok(f, &fn->end);
        for (uint32_t k = 0; k < fn->nparams; k++)
            touch(fn->params[k]);
        assert_true(fn->nblocks ? fn->exit < fn->nblocks : fn->exit == 0);
        for (uint32_t k = 0; k < fn->nblocks; k++) {
            const struct ll_block *b = &fn->blocks[k];
            assert_true(b->first_event <= fn->nevents);
            assert_true(b->nevents <= fn->nevents - b->first_event);
            for (uint32_t s = 0; s < b->nsucc; s++)
                assert_true(b->succ[s] < fn->nblocks);
            assert_true(b->cond.kind <= LL_COND_OTHER);
            if (b->cond.kind == LL_COND_EVENT)
                assert_true(b->cond.event < fn->nevents);
            touch(b->cond.var);
            touch(b->cond.text);
            touch(b->cond.tested);
            for (uint32_t v = 0; v < b->cond.nvars; v++)
                touch(b->cond.vars[v]);
        }
        for (uint32_t k = 0; k < fn->nevents; k++) {
            const struct ll_event *e = &fn->events[k];
            assert_true(e->kind < LL_EV_KIND_COUNT);
            assert_true(e->mode <= LL_MODE_SHARED);
            assert_true(e->lock_kind <= LL_LK_OTHER);
            loc_ok(f, &e->loc);
            path_ok(&e->obj);
            path_ok(&e->aux);
            touch(e->api);
            touch(e->callee);
            touch(e->result_var);
            for (uint32_t p = 0; p < e->nargs; p++)
                path_ok(&e->args[p]);
        }
    }
    for (uint32_t i = 0; i < f->nglobals; i++) {
        touch(f->globals[i].usr);
        touch(f->globals[i].name);
        touch(f->globals[i].type);
        touch(f->globals[i].recursive_fields);
        loc_ok(f, &f->globals[i].loc);
    }
    for (uint32_t i = 0; i < f->nfnrefs; i++) {
        touch(f->fnrefs[i].usr);
        touch(f->fnrefs[i].context);
        loc_ok(f, &f->fnrefs[i].loc);
    }
    for (uint32_t i = 0; i < f->nptrflows; i++) {
        touch(f->ptrflows[i].usr);
        touch(f->ptrflows[i].context);
        loc_ok(f, &f->ptrflows[i].loc);
    }
    assert_int_equal(ll_facts_dump(sink, f), 0);
}

static void assert_released(const struct ll_tu_facts *f)
{
    assert_null(f->arena.head);
    assert_null(f->main_file);
    assert_null(f->files);
    assert_null(f->functions);
    assert_int_equal(f->nfunctions, 0);
    assert_int_equal(f->nglobals, 0);
}

static void make_blob(unsigned char **blob, size_t *len)
{
    struct ll_tu_facts f;
    ll_tu_facts_init(&f);
    build_facts(&f);
    assert_int_equal(ll_facts_to_blob(&f, blob, len), 0);
    ll_tu_facts_release(&f);
}

/* ---- tests ------------------------------------------------------------ */

static void test_names(void **state)
{
    (void)state;
    static const char *const ev[] = {
        "acquire",       "tryacquire",   "release",      "access",         "call",
        "thread_create", "join",         "detach",       "cond_wait",      "cond_signal",
        "sem_wait",      "sem_post",     "blocking",     "lock_init",      "return",
        "lock_destroy",  "barrier_init", "barrier_wait", "attr_recursive", "lock_copy",
    };
    assert_int_equal(sizeof(ev) / sizeof(ev[0]), LL_EV_KIND_COUNT);
    for (int k = 0; k < LL_EV_KIND_COUNT; k++)
        assert_string_equal(ll_event_kind_name((enum ll_event_kind)k), ev[k]);
    assert_non_null(ll_event_kind_name(LL_EV_KIND_COUNT));

    static const char *const lk[] = {"none",     "mutex", "recursive mutex", "rwlock",
                                     "spinlock", "mtx",   "semaphore",       "other"};
    for (int k = LL_LK_NONE; k <= LL_LK_OTHER; k++)
        assert_string_equal(ll_lock_kind_name((enum ll_lock_kind)k), lk[k]);
    assert_non_null(ll_lock_kind_name((enum ll_lock_kind)(LL_LK_OTHER + 1)));
}

static void test_init_release(void **state)
{
    (void)state;
    struct ll_tu_facts f;
    memset(&f, 0xa5, sizeof(f));
    ll_tu_facts_init(&f);
    assert_released(&f);
    assert_int_equal(f.nfiles, 0);
    assert_null(f.first_error);
    build_facts(&f);
    assert_non_null(f.arena.head);
    ll_tu_facts_release(&f);
    assert_released(&f);
    /* The arena is usable again after a release. */
    assert_non_null(ll_arena_strdup(&f.arena, "again"));
    ll_tu_facts_release(&f);
}

static void test_roundtrip(void **state)
{
    (void)state;
    struct ll_tu_facts f, g, h;
    ll_tu_facts_init(&f);
    build_facts(&f);

    unsigned char *blob = NULL;
    size_t len = 0;
    assert_int_equal(ll_facts_to_blob(&f, &blob, &len), 0);
    assert_true(len > 12);
    assert_memory_equal(blob, "LLFACTS\0", 8);

    ll_tu_facts_init(&g);
    assert_int_equal(ll_facts_from_blob(blob, len, &g), 0);

    /* The decoded facts must not point into the blob. */
    unsigned char *copy = malloc(len);
    assert_non_null(copy);
    memcpy(copy, blob, len);
    memset(blob, 0xee, len);
    free(blob);

    facts_eq(&f, &g);
    facts_eq(&g, &f);

    /* NULL and "" really are told apart after decoding. */
    assert_string_equal(g.functions[1].usr, "");
    assert_non_null(g.functions[1].name);
    assert_string_equal(g.functions[1].name, "");
    assert_null(g.functions[0].events[LL_EV_CALL].args[1].text);
    assert_string_equal(g.functions[0].events[LL_EV_CALL].args[3].text, "");

    /* Serialisation is deterministic: the decoded facts give the same bytes. */
    unsigned char *again = NULL;
    size_t again_len = 0;
    assert_int_equal(ll_facts_to_blob(&g, &again, &again_len), 0);
    assert_int_equal(again_len, len);
    assert_memory_equal(again, copy, len);

    ll_tu_facts_init(&h);
    assert_int_equal(ll_facts_from_blob(again, again_len, &h), 0);
    facts_eq(&f, &h);

    free(again);
    free(copy);
    ll_tu_facts_release(&h);
    ll_tu_facts_release(&g);
    ll_tu_facts_release(&f);
}

static void test_roundtrip_empty(void **state)
{
    (void)state;
    struct ll_tu_facts f, g;
    ll_tu_facts_init(&f);
    unsigned char *blob = NULL;
    size_t len = 0;
    /* Without a main file: written, but never read (facts always have one). */
    assert_int_equal(ll_facts_to_blob(&f, &blob, &len), 0);
    ll_tu_facts_init(&g);
    assert_int_equal(ll_facts_from_blob(blob, len, &g), -1);
    free(blob);

    /* Only "" as main file: one table entry, referenced, not NULL. */
    f.main_file = "";
    assert_int_equal(ll_facts_to_blob(&f, &blob, &len), 0);
    ll_tu_facts_init(&g);
    assert_int_equal(ll_facts_from_blob(blob, len, &g), 0);
    assert_non_null(g.main_file);
    assert_string_equal(g.main_file, "");
    free(blob);
    ll_tu_facts_release(&g);
}

/* file_system may be left NULL by a producer; it reads back as all zero. */
static void test_null_file_system(void **state)
{
    (void)state;
    struct ll_tu_facts f, g;
    ll_tu_facts_init(&f);
    static const char *const files[] = {"/a/x.c", "/a/y.h"};
    f.main_file = files[0];
    f.nfiles = 2;
    f.files = mkstrs(&f.arena, 2, files);
    unsigned char *blob = NULL;
    size_t len = 0;
    assert_int_equal(ll_facts_to_blob(&f, &blob, &len), 0);
    ll_tu_facts_init(&g);
    assert_int_equal(ll_facts_from_blob(blob, len, &g), 0);
    assert_int_equal(g.nfiles, 2);
    assert_non_null(g.file_system);
    assert_int_equal(g.file_system[0], 0);
    assert_int_equal(g.file_system[1], 0);
    assert_string_equal(g.files[1], "/a/y.h");
    free(blob);
    ll_tu_facts_release(&g);
    ll_tu_facts_release(&f);
}

static void test_strings_deduplicated(void **state)
{
    (void)state;
    struct ll_tu_facts f, g;
    ll_tu_facts_init(&f);
    static const char *const files[] = {"/a/x.c"};
    f.nfiles = 1;
    f.files = mkstrs(&f.arena, 1, files);
    f.main_file = "/a/x.c";
    f.nglobals = 200;
    f.globals = xalloc(&f.arena, f.nglobals * sizeof(*f.globals));
    for (uint32_t i = 0; i < f.nglobals; i++) {
        /* Equal content at different addresses must still be shared. */
        f.globals[i].name = ll_arena_strdup(&f.arena, "a_rather_long_global_variable_name");
        f.globals[i].type = ll_arena_strdup(&f.arena, "pthread_mutex_t");
        f.globals[i].usr = ll_arena_printf(&f.arena, "c:@g%u", (unsigned)i);
        f.globals[i].loc = mkloc(0, i + 1, 1);
    }
    unsigned char *blob = NULL;
    size_t len = 0;
    assert_int_equal(ll_facts_to_blob(&f, &blob, &len), 0);
    /* Unique usr strings are ~7 bytes each; repeating the names would cost
     * 50 bytes per global. */
    assert_true(len < 200 * 25);
    ll_tu_facts_init(&g);
    assert_int_equal(ll_facts_from_blob(blob, len, &g), 0);
    facts_eq(&f, &g);
    assert_string_equal(g.globals[199].usr, "c:@g199");
    free(blob);
    ll_tu_facts_release(&g);
    ll_tu_facts_release(&f);
}

static void test_foreign_refused(void **state)
{
    (void)state;
    unsigned char *blob;
    size_t len;
    make_blob(&blob, &len);
    struct ll_tu_facts g;

    /* Another version. */
    uint32_t other = LL_FACTS_VERSION + 1;
    unsigned char saved[4];
    memcpy(saved, blob + 8, 4);
    blob[8] = other & 0xff;
    blob[9] = (other >> 8) & 0xff;
    blob[10] = (other >> 16) & 0xff;
    blob[11] = (other >> 24) & 0xff;
    ll_tu_facts_init(&g);
    assert_int_equal(ll_facts_from_blob(blob, len, &g), -1);
    assert_released(&g);
    blob[11] = 0x80; /* a much newer one */
    ll_tu_facts_init(&g);
    assert_int_equal(ll_facts_from_blob(blob, len, &g), -1);
    memcpy(blob + 8, saved, 4);

    /* Another magic. */
    blob[0] = 'X';
    ll_tu_facts_init(&g);
    assert_int_equal(ll_facts_from_blob(blob, len, &g), -1);
    assert_released(&g);
    blob[0] = 'L';

    /* Trailing bytes after a complete body. */
    unsigned char *longer = malloc(len + 1);
    assert_non_null(longer);
    memcpy(longer, blob, len);
    longer[len] = 0;
    ll_tu_facts_init(&g);
    assert_int_equal(ll_facts_from_blob(longer, len + 1, &g), -1);
    assert_released(&g);

    /* Nothing at all. */
    ll_tu_facts_init(&g);
    assert_int_equal(ll_facts_from_blob(NULL, 0, &g), -1);

    /* Restored, it decodes again. */
    ll_tu_facts_init(&g);
    assert_int_equal(ll_facts_from_blob(blob, len, &g), 0);
    ll_tu_facts_release(&g);
    free(longer);
    free(blob);
}

static void test_truncated_refused(void **state)
{
    (void)state;
    unsigned char *blob;
    size_t len;
    make_blob(&blob, &len);
    for (size_t n = 0; n < len; n++) {
        /* An exact-size copy so that ASan catches any read past the end. */
        unsigned char *p = malloc(n ? n : 1);
        assert_non_null(p);
        memcpy(p, blob, n);
        struct ll_tu_facts g;
        ll_tu_facts_init(&g);
        assert_int_equal(ll_facts_from_blob(p, n, &g), -1);
        assert_released(&g);
        free(p);
    }
    free(blob);
}

static uint64_t rng_next(uint64_t *s)
{
    /* xorshift64*: deterministic, so a failure reproduces. */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717u;
}

static int decode_damaged(const unsigned char *p, size_t len, FILE *sink)
{
    struct ll_tu_facts g;
    ll_tu_facts_init(&g);
    int rc = ll_facts_from_blob(p, len, &g);
    if (rc == 0)
        facts_ok(&g, sink);
    else
        assert_released(&g);
    ll_tu_facts_release(&g);
    return rc;
}

static void test_damaged_no_crash(void **state)
{
    (void)state;
    unsigned char *blob;
    size_t len;
    make_blob(&blob, &len);
    unsigned char *p = malloc(len);
    assert_non_null(p);
    FILE *sink = fopen("/dev/null", "w");
    assert_non_null(sink);
    int accepted = 0, refused = 0;

    /* Every byte, a few ways each. */
    static const unsigned char masks[] = {0x01, 0x02, 0x40, 0x80, 0xff};
    for (size_t i = 0; i < len; i++) {
        for (size_t m = 0; m < sizeof(masks); m++) {
            memcpy(p, blob, len);
            p[i] ^= masks[m];
            if (decode_damaged(p, len, sink) == 0)
                accepted++;
            else
                refused++;
        }
    }
    /* A damaged header is always refused. */
    for (size_t i = 0; i < 12; i++) {
        memcpy(p, blob, len);
        p[i] ^= 0x10;
        assert_int_equal(decode_damaged(p, len, sink), -1);
    }

    /* Several random flips at once, and random cuts. */
    uint64_t seed = 0x9e3779b97f4a7c15u;
    for (int iter = 0; iter < 3000; iter++) {
        memcpy(p, blob, len);
        int nflips = 1 + (int)(rng_next(&seed) % 4);
        for (int k = 0; k < nflips; k++) {
            size_t at = 12 + (size_t)(rng_next(&seed) % (len - 12));
            p[at] = (unsigned char)rng_next(&seed);
        }
        size_t n = iter % 7 == 0 ? (size_t)(rng_next(&seed) % len) : len;
        if (decode_damaged(p, n, sink) == 0)
            accepted++;
        else
            refused++;
    }
    /* Both outcomes occur: flips in string bytes decode to other strings,
     * flips in counts and indices are caught. */
    assert_true(accepted > 0);
    assert_true(refused > 0);
    fclose(sink);
    free(p);
    free(blob);
}

/* Hand-made blobs: the header followed by `body`. */
static int decode_raw(const unsigned char *body, size_t n)
{
    unsigned char buf[128] = {'L',
                              'L',
                              'F',
                              'A',
                              'C',
                              'T',
                              'S',
                              '\0',
                              LL_FACTS_VERSION & 0xff,
                              (LL_FACTS_VERSION >> 8) & 0xff,
                              (LL_FACTS_VERSION >> 16) & 0xff,
                              (LL_FACTS_VERSION >> 24) & 0xff};
    assert_true(n <= sizeof(buf) - 12);
    memcpy(buf + 12, body, n);
    struct ll_tu_facts g;
    ll_tu_facts_init(&g);
    int rc = ll_facts_from_blob(buf, 12 + n, &g);
    ll_tu_facts_release(&g);
    return rc;
}

static void test_hand_made_blobs(void **state)
{
    (void)state;
    /* no strings, main NULL, no files/functions/globals/fnrefs, 0 errors, NULL,
     * no deps: refused, facts always name their main file */
    static const unsigned char minimal[] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
    assert_int_equal(decode_raw(minimal, sizeof(minimal)), -1);

    /* A string count of 2^32-1 with nothing behind it: refused before any
     * allocation is attempted. */
    static const unsigned char huge_strings[] = {0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0};
    assert_int_equal(decode_raw(huge_strings, sizeof(huge_strings)), -1);
    /* Counts past 32 bits and varints past 64 bits. */
    static const unsigned char too_wide[] = {0x80, 0x80, 0x80, 0x80, 0x10, 0, 0, 0};
    assert_int_equal(decode_raw(too_wide, sizeof(too_wide)), -1);
    static const unsigned char too_long[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                             0xff, 0xff, 0xff, 0xff, 0x01};
    assert_int_equal(decode_raw(too_long, sizeof(too_long)), -1);
    /* A redundant zero byte is not the canonical encoding. */
    static const unsigned char overlong[] = {0x80, 0x00, 0, 0, 0, 0, 0, 0};
    assert_int_equal(decode_raw(overlong, sizeof(overlong)), -1);
    /* A huge function count. */
    static const unsigned char huge_fns[] = {0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0, 0};
    assert_int_equal(decode_raw(huge_fns, sizeof(huge_fns)), -1);

    /* One string "ab", main_file = ref 1, no files ... */
    static const unsigned char one_str[] = {1, 2, 'a', 'b', 1, 0, 0, 0, 0, 0, 0, 0, 0};
    assert_int_equal(decode_raw(one_str, sizeof(one_str)), 0);
    /* ... a reference to a string that does not exist ... */
    static const unsigned char bad_ref[] = {1, 2, 'a', 'b', 2, 0, 0, 0, 0, 0, 0};
    assert_int_equal(decode_raw(bad_ref, sizeof(bad_ref)), -1);
    /* ... a string with a NUL inside ... */
    static const unsigned char nul_str[] = {1, 2, 'a', 0, 1, 0, 0, 0, 0, 0, 0};
    assert_int_equal(decode_raw(nul_str, sizeof(nul_str)), -1);
    /* ... a string longer than the blob. */
    static const unsigned char long_str[] = {1, 40, 'a', 'b', 1, 0, 0, 0, 0, 0, 0};
    assert_int_equal(decode_raw(long_str, sizeof(long_str)), -1);

    /* A global (usr, name, type, no recursive fields) whose location names
     * file 0 in a TU without files. */
    static const unsigned char bad_file[] = {1, 2, 'a', 'b', 1, 0, 0, 1, 1, 1,
                                             1, 0, 0,   5,   1, 0, 0, 0, 0, 0};
    assert_int_equal(decode_raw(bad_file, sizeof(bad_file)), -1);
    /* The same global at the unknown location 0:0:0 is fine. */
    static const unsigned char zero_loc[] = {1, 2, 'a', 'b', 1, 0, 0, 1, 1, 1, 1,
                                             0, 0, 0,   0,   0, 0, 0, 0, 0, 0};
    /* ... but a global without a USR, name or type is not */
    static const unsigned char no_usr[] = {1, 2, 'a', 'b', 1, 0, 0, 1, 0, 1,
                                           1, 0, 0,   0,   0, 0, 0, 0, 0, 0};
    assert_int_equal(decode_raw(no_usr, sizeof(no_usr)), -1);
    assert_int_equal(decode_raw(zero_loc, sizeof(zero_loc)), 0);
}

/* A function whose blocks are hand-encoded, to check each index check. */
static int decode_function(uint32_t exit, uint32_t first, uint32_t nev, uint32_t succ,
                           uint8_t cond_kind, uint32_t cond_event)
{
    unsigned char b[96];
    size_t n = 0;
    b[n++] = 1; /* strings: "f" */
    b[n++] = 1;
    b[n++] = 'f';
    b[n++] = 1; /* main_file */
    b[n++] = 0; /* nfiles */
    b[n++] = 1; /* nfunctions */
    b[n++] = 1; /* usr */
    b[n++] = 1; /* name */
    for (int i = 0; i < 6; i++)
        b[n++] = 0; /* loc, end */
    b[n++] = 0;     /* flags */
    b[n++] = 0;     /* nparams */
    b[n++] = 1;     /* nevents */
    static const unsigned char ev[] = {LL_EV_RETURN,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0};
    memcpy(b + n, ev, sizeof(ev)); /* kind..out_args, loc, obj, aux, api, callee, result, nargs */
    n += sizeof(ev);
    b[n++] = 2; /* nblocks */
    b[n++] = (unsigned char)exit;
    for (int k = 0; k < 2; k++) {
        b[n++] = (unsigned char)(k ? 0 : first);
        b[n++] = (unsigned char)(k ? 0 : nev);
        b[n++] = 1; /* nsucc */
        b[n++] = (unsigned char)(k ? 1 : succ);
        b[n++] = 0; /* loop_depth */
        b[n++] = 0; /* flags */
        b[n++] = k ? 0 : cond_kind;
        b[n++] = 0; /* true_when_zero */
        b[n++] = 0; /* cmp */
        b[n++] = 0; /* cmp_k */
        b[n++] = (unsigned char)(k ? 0 : cond_event);
        b[n++] = 0; /* var */
        b[n++] = 0; /* text */
        b[n++] = 0; /* nvars */
        b[n++] = 0; /* tested */
    }
    for (int i = 0; i < 6; i++)
        b[n++] = 0; /* globals, fnrefs, ptrflows, nerrors, first_error, deps */
    return decode_raw(b, n);
}

static void test_index_checks(void **state)
{
    (void)state;
    assert_int_equal(decode_function(1, 0, 1, 1, LL_COND_EVENT, 0), 0);
    assert_int_equal(decode_function(2, 0, 1, 1, LL_COND_EVENT, 0), -1);     /* exit */
    assert_int_equal(decode_function(1, 1, 1, 1, LL_COND_EVENT, 0), -1);     /* range */
    assert_int_equal(decode_function(1, 2, 0, 1, LL_COND_EVENT, 0), -1);     /* first */
    assert_int_equal(decode_function(1, 1, 0, 1, LL_COND_EVENT, 0), 0);      /* empty at end */
    assert_int_equal(decode_function(1, 0, 1, 2, LL_COND_EVENT, 0), -1);     /* successor */
    assert_int_equal(decode_function(1, 0, 1, 1, LL_COND_EVENT, 1), -1);     /* cond event */
    assert_int_equal(decode_function(1, 0, 1, 1, LL_COND_OTHER, 1), 0);      /* not an index */
    assert_int_equal(decode_function(1, 0, 1, 1, LL_COND_OTHER + 1, 0), -1); /* cond kind */
}

static void test_dump(void **state)
{
    (void)state;
    struct ll_tu_facts f;
    ll_tu_facts_init(&f);
    struct ll_arena *a = &f.arena;
    static const char *const files[] = {"/abs/path/file.c", "/abs/path/inc/util.h"};
    static const char *const params[] = {"arg"};
    f.main_file = "/abs/path/file.c";
    f.nfiles = 2;
    f.files = mkstrs(a, 2, files);
    f.file_system = xalloc(a, 2);
    f.nglobals = 1;
    f.globals = xalloc(a, sizeof(*f.globals));
    f.globals[0] = (struct ll_global){
        "c:@g_lock", "g_lock", "pthread_mutex_t", mkloc(0, 3, 17), LL_GV_LOCK | LL_GV_DEFINITION,
        NULL};
    f.nfnrefs = 1;
    f.fnrefs = xalloc(a, sizeof(*f.fnrefs));
    f.fnrefs[0] = (struct ll_fnref){"c:@F@worker", "struct ops.run", mkloc(0, 40, 9)};

    f.nfunctions = 1;
    f.functions = xalloc(a, sizeof(*f.functions));
    struct ll_function *fn = &f.functions[0];
    fn->name = "worker";
    fn->usr = "c:@F@worker";
    fn->loc = mkloc(0, 10, 7);
    fn->flags = LL_FN_STATIC;
    fn->nparams = 1;
    fn->params = mkstrs(a, 1, params);
    fn->nevents = 6;
    fn->events = xalloc(a, 6 * sizeof(*fn->events));
    struct ll_event *e = fn->events;
    struct ll_path glock =
        mkpath(LL_ROOT_GLOBAL, LL_PATH_ADDR, -1, "g_lock", "g_lock", "g_lock", "c:@g_lock");
    e[0] = (struct ll_event){.kind = LL_EV_ACQUIRE,
                             .lock_kind = LL_LK_MUTEX,
                             .loc = mkloc(0, 10, 3),
                             .obj = glock,
                             .api = "pthread_mutex_lock"};
    e[1] = (struct ll_event){
        .kind = LL_EV_ACCESS,
        .flags = LL_EVF_WRITE,
        .loc = mkloc(0, 11, 3),
        .obj = mkpath(LL_ROOT_GLOBAL, 0, -1, "counter", "counter", "counter", "c:@counter")};
    e[2] = (struct ll_event){.kind = LL_EV_CALL,
                             .loc = mkloc(1, 12, 3),
                             .api = "helper",
                             .callee = "c:@F@helper",
                             .nargs = 1,
                             .args = &glock};
    e[3] = (struct ll_event){.kind = LL_EV_TRYACQUIRE,
                             .lock_kind = LL_LK_MUTEX,
                             .flags = LL_EVF_CHECKED,
                             .loc = mkloc(0, 13, 7),
                             .obj = glock,
                             .api = "pthread_mutex_trylock",
                             .result_var = "rc",
                             .loop_depth = 1};
    e[4] = (struct ll_event){
        .kind = LL_EV_COND_WAIT,
        .lock_kind = LL_LK_MUTEX,
        .flags = LL_EVF_TIMED,
        .loc = mkloc(0, 14, 5),
        .obj = mkpath(LL_ROOT_PARAM, LL_PATH_DEREF, 0, "arg->cv", "arg->cv", "struct q.cv", NULL),
        .aux = glock,
        .api = "pthread_cond_timedwait",
        .loop_depth = 1};
    e[5] =
        (struct ll_event){.kind = LL_EV_RETURN, .flags = LL_EVF_IMPLICIT, .loc = mkloc(0, 20, 1)};

    static const uint32_t s0[] = {1}, s1[] = {2, 3}, s2[] = {3};
    static const char *const vars[] = {"rc"};
    fn->nblocks = 4;
    fn->exit = 3;
    fn->blocks = xalloc(a, 4 * sizeof(*fn->blocks));
    fn->blocks[0] =
        (struct ll_block){.first_event = 0, .nevents = 3, .nsucc = 1, .succ = mksucc(a, 1, s0)};
    fn->blocks[1] =
        (struct ll_block){.first_event = 3,
                          .nevents = 1,
                          .nsucc = 2,
                          .succ = mksucc(a, 2, s1),
                          .loop_depth = 1,
                          .cond = {.kind = LL_COND_EVENT, .event = 3, .true_when_zero = 1}};
    fn->blocks[2] = (struct ll_block){.first_event = 4,
                                      .nevents = 1,
                                      .nsucc = 1,
                                      .succ = mksucc(a, 1, s2),
                                      .loop_depth = 1,
                                      .cond = {.kind = LL_COND_VAR,
                                               .var = "rc",
                                               .text = "rc == 0",
                                               .nvars = 1,
                                               .vars = mkstrs(a, 1, vars)}};
    fn->blocks[3] = (struct ll_block){.first_event = 5, .nevents = 1};

    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    assert_int_equal(ll_facts_dump(out, &f), 0);
    assert_int_equal(fclose(out), 0);

    static const char *const want[] = {
        "tu /abs/path/file.c (errors: 0)\n",
        "\nglobal g_lock 'pthread_mutex_t' file.c:3:17 [lock definition]\n",
        "\nfnref c:@F@worker file.c:40:9 in 'struct ops.run'\n",
        "\nfunction worker file.c:10:7 params(arg) exit=B3 [static]\n",
        "\n  B0 loop=0 -> B1\n",
        ("\n    10:3 acquire mutex excl 'g_lock' class=g_lock key=g_lock via pthread_mutex_lock"
         " [obj: global addr usr=c:@g_lock]\n"),
        "\n    11:3 access write 'counter' class=counter key=counter [obj: global",
        "\n    util.h:12:3 call 'helper' (usr c:@F@helper) args('&g_lock')\n",
        "\n  B1 loop=1 if [event 3 true_when_zero] -> B2 B3\n",
        ("tryacquire mutex excl 'g_lock' class=g_lock key=g_lock via pthread_mutex_trylock "
         "checked result=rc [obj:"),
        "\n  B2 loop=1 if [var 'rc' 'rc == 0' vars(rc)] -> B3\n",
        ("cond_wait mutex 'arg->cv' class=struct q.cv key=arg->cv aux 'g_lock' class=g_lock "
         "key=g_lock via pthread_cond_timedwait timed [obj: param 0 deref] [aux: global addr"),
        "\n  B3 loop=0\n    20:1 return implicit\n",
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        if (!strstr(text, want[i]))
            fail_msg("missing %s\nin:\n%s", want[i], text);
    }
    /* The location of the TU is printed in full once, else by basename. */
    assert_null(strstr(text, "/abs/path/inc"));
    /* Lines come in order: blocks after their function, events after their block. */
    assert_true(strstr(text, "  B0") < strstr(text, "10:3 acquire"));
    assert_true(strstr(text, "10:3 acquire") < strstr(text, "  B1"));
    assert_true(strstr(text, "  B1") < strstr(text, "13:7 tryacquire"));

    /* Deterministic: a second dump is identical. */
    char *text2 = NULL;
    size_t size2 = 0;
    out = open_memstream(&text2, &size2);
    assert_non_null(out);
    assert_int_equal(ll_facts_dump(out, &f), 0);
    assert_int_equal(fclose(out), 0);
    assert_string_equal(text, text2);

    free(text2);
    free(text);
    ll_tu_facts_release(&f);
}

/* The dump of the big structure mentions every event kind and cond kind. */
static void test_dump_everything(void **state)
{
    (void)state;
    struct ll_tu_facts f;
    ll_tu_facts_init(&f);
    build_facts(&f);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    assert_int_equal(ll_facts_dump(out, &f), 0);
    assert_int_equal(fclose(out), 0);

    for (int k = 0; k < LL_EV_KIND_COUNT; k++) {
        char needle[64];
        snprintf(needle, sizeof(needle), " %s", ll_event_kind_name((enum ll_event_kind)k));
        if (!strstr(text, needle))
            fail_msg("no '%s' in:\n%s", needle, text);
    }
    static const char *const want[] = {
        "tu /abs/src/main.c (errors: 2)\nerror main.c:3:4: error: expected ';'\n",
        " if [event 1 true_when_zero true-if(<-9223372036854775808) "
        "'pthread_rwlock_timedrdlock(arg->rw) == 0'] -> B1 B2\n",
        " if [var 'rc' 'rc != 0' vars(rc, , x) null-tests(arg->rw)] -> B3 B2\n",
        " if [other ''] -> B3 B4\n",
        "  B3 loop=0 -> B1 B4 B5\n",
        "tryacquire rwlock shared",
        "checked timed result=rc",
        "[obj: param 0 deref]",
        "[obj: static_local addr indexed usr=c:main.c@F@worker@locks]",
        "access write 'counter' class=counter key=counter atomic",
        "thread_local atomic_type",
        "call 'helper' (usr c:@F@helper) args('&g_lock', -, 'get()', '&') noreturn",
        " start=c:@F@start via pthread_create checked detached",
        "[aux: param 2]",
        "cond_wait mtx 'cv' class=cv key=cv aux 'g_lock'",
        "blocking via sleep indirect",
        "lock_init spinlock 'g_lock'",
        "return implicit",
        ("util.h:4294967295:4294967295 access other write checked timed atomic noreturn "
         "indirect update nonzero\n"),
        "  B5 loop=65535 [loop-head counted forever ordered 0xf0]\n",
        " B1 loop=1 [loop-head counted ordered] if [var 'rc'",
        "return implicit loop=0\n",
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        if (!strstr(text, want[i]))
            fail_msg("missing '%s' in:\n%s", want[i], text);
    }
    assert_non_null(strstr(text, "function worker main.c:10:7 params(arg, _, n) exit=B5 "
                                 "[static inline]\n"));
    assert_non_null(strstr(text, "function  util.h:1:1 params() exit=B0 "
                                 "[noreturn variadic truncated 0x80000000]\n"));
    assert_non_null(strstr(text, "function nothing main.c:0:0 params() exit=B0\n"));
    assert_non_null(strstr(text, "global  '' :0:0 [static thread_local const atomic lock "
                                 "recursive_init definition 0xffffff80]\n"));
    assert_non_null(strstr(text, "global count '_Atomic(int)' main.c:4:12 [static atomic]\n"));
    assert_non_null(strstr(text, "fnref  pthread.h:2:3 in ''\n"));
    assert_non_null(strstr(text, "fnref c:@F@start main.c:41:5\n"));
    free(text);
    ll_tu_facts_release(&f);
}

/* ---- interning -------------------------------------------------------- */

/* Every string field of the facts, as ir_blob.c writes them. */
static void each_path_string(struct ll_path *p, void (*fn)(const char **, void *), void *ctx)
{
    fn(&p->text, ctx);
    fn(&p->key, ctx);
    fn(&p->cls, ctx);
    fn(&p->emb, ctx);
    fn(&p->root_usr, ctx);
}

static void each_string(struct ll_tu_facts *f, void (*fn)(const char **, void *), void *ctx)
{
    fn(&f->main_file, ctx);
    for (uint32_t i = 0; i < f->nfiles; i++)
        fn(&f->files[i], ctx);
    for (uint32_t i = 0; i < f->nfunctions; i++) {
        struct ll_function *x = &f->functions[i];
        fn(&x->usr, ctx);
        fn(&x->name, ctx);
        for (uint32_t k = 0; k < x->nparams; k++)
            fn(&x->params[k], ctx);
        for (uint32_t e = 0; e < x->nevents; e++) {
            struct ll_event *ev = &x->events[e];
            each_path_string(&ev->obj, fn, ctx);
            each_path_string(&ev->aux, fn, ctx);
            fn(&ev->api, ctx);
            fn(&ev->callee, ctx);
            fn(&ev->result_var, ctx);
            for (uint32_t k = 0; k < ev->nargs; k++)
                each_path_string(&ev->args[k], fn, ctx);
        }
        for (uint32_t b = 0; b < x->nblocks; b++) {
            struct ll_cond *c = &x->blocks[b].cond;
            fn(&c->var, ctx);
            fn(&c->text, ctx);
            for (uint32_t k = 0; k < c->nvars; k++)
                fn(&c->vars[k], ctx);
        }
    }
    for (uint32_t i = 0; i < f->nglobals; i++) {
        fn(&f->globals[i].usr, ctx);
        fn(&f->globals[i].name, ctx);
        fn(&f->globals[i].type, ctx);
        fn(&f->globals[i].recursive_fields, ctx);
    }
    for (uint32_t i = 0; i < f->nfnrefs; i++) {
        fn(&f->fnrefs[i].usr, ctx);
        fn(&f->fnrefs[i].context, ctx);
    }
    fn(&f->first_error, ctx);
    for (uint32_t i = 0; i < f->ndeps; i++)
        fn(&f->deps[i], ctx);
}

struct strings {
    struct ll_arena *a; /* for copy_string */
    const char *v[1024];
    size_t n;
};

/* Gives every string an address of its own. */
static void copy_string(const char **s, void *ctx)
{
    struct strings *st = ctx;
    if (*s)
        *s = ll_arena_strdup(st->a, *s);
}

static void collect_string(const char **s, void *ctx)
{
    struct strings *st = ctx;
    assert_true(st->n < sizeof(st->v) / sizeof(st->v[0]));
    if (*s)
        st->v[st->n++] = *s;
}

/* Equal strings are the same pointer, different ones are not; returns how
 * many strings have an equal one elsewhere. */
static size_t check_interned(struct ll_tu_facts *f)
{
    struct strings *st = calloc(1, sizeof(*st));
    assert_non_null(st);
    each_string(f, collect_string, st);
    size_t shared = 0;
    for (size_t i = 0; i < st->n; i++)
        for (size_t k = i + 1; k < st->n; k++) {
            bool same = strcmp(st->v[i], st->v[k]) == 0;
            if (same != (st->v[i] == st->v[k]))
                fail_msg("'%s' and '%s' (%p, %p)", st->v[i], st->v[k], (const void *)st->v[i],
                         (const void *)st->v[k]);
            shared += same;
        }
    free(st);
    return shared;
}

static void test_interned(void **state)
{
    (void)state;
    struct ll_tu_facts f, orig, g;
    ll_tu_facts_init(&orig);
    build_facts(&orig);
    ll_tu_facts_init(&f);
    build_facts(&f);
    /* like the frontend's: equal strings at different addresses */
    struct strings copier = {.a = &f.arena};
    each_string(&f, copy_string, &copier);
    assert_int_equal(ll_facts_intern(&f), 0);
    facts_eq(&orig, &f); /* the same content */
    assert_true(check_interned(&f) > 50);
    /* interning interned facts changes nothing */
    const char *usr = f.functions[3].events[LL_EV_ACQUIRE].obj.root_usr;
    assert_int_equal(ll_facts_intern(&f), 0);
    assert_ptr_equal(f.functions[3].events[LL_EV_ACQUIRE].obj.root_usr, usr);
    assert_ptr_equal(usr, f.globals[0].usr);

    /* facts decoded from a blob are interned too, without the pass */
    unsigned char *blob = NULL;
    size_t len = 0;
    assert_int_equal(ll_facts_to_blob(&orig, &blob, &len), 0);
    ll_tu_facts_init(&g);
    assert_int_equal(ll_facts_from_blob(blob, len, &g), 0);
    assert_true(check_interned(&g) > 50);
    facts_eq(&orig, &g);
    free(blob);

    /* empty facts */
    struct ll_tu_facts e;
    ll_tu_facts_init(&e);
    assert_int_equal(ll_facts_intern(&e), 0);
    assert_int_equal(check_interned(&e), 0);

    ll_tu_facts_release(&g);
    ll_tu_facts_release(&f);
    ll_tu_facts_release(&orig);
}

/* With sharing on, a second TU's copy of a function equal to the first
 * TU's is the first copy's data; one that differs keeps its own; strings
 * are one pointer across TUs; both TUs still read as they were written. */
static void test_shared(void **state)
{
    (void)state;
    struct ll_tu_facts orig, other, a, b, c;
    ll_tu_facts_init(&orig);
    build_facts(&orig);
    ll_tu_facts_init(&other);
    build_facts(&other);
    other.functions[3].events[LL_EV_ACQUIRE].loc.line++; /* worker2 differs */
    unsigned char *blob = NULL, *blob2 = NULL;
    size_t len = 0, len2 = 0;
    assert_int_equal(ll_facts_to_blob(&orig, &blob, &len), 0);
    assert_int_equal(ll_facts_to_blob(&other, &blob2, &len2), 0);

    ll_facts_share_begin();
    ll_tu_facts_init(&a);
    ll_tu_facts_init(&b);
    assert_int_equal(ll_facts_from_blob(blob, len, &a), 0);
    assert_int_equal(ll_facts_from_blob(blob2, len2, &b), 0);
    ll_facts_share_stop();
    /* read after the stop: nothing shared */
    ll_tu_facts_init(&c);
    assert_int_equal(ll_facts_from_blob(blob, len, &c), 0);
    facts_eq(&orig, &a);
    facts_eq(&other, &b);
    facts_eq(&orig, &c);
    assert_ptr_equal(b.functions[0].events, a.functions[0].events);
    assert_ptr_equal(b.functions[0].blocks, a.functions[0].blocks);
    assert_ptr_equal(b.functions[2].usr, a.functions[2].usr);
    assert_ptr_not_equal(b.functions[3].events, a.functions[3].events);
    assert_ptr_equal(b.globals[0].usr, a.globals[0].usr);
    assert_ptr_not_equal(c.functions[0].events, a.functions[0].events);
    assert_ptr_not_equal(c.globals[0].usr, a.globals[0].usr);
    /* each TU is interned on its own as before */
    assert_true(check_interned(&a) > 50);
    assert_true(check_interned(&b) > 50);

    ll_tu_facts_release(&c);
    ll_tu_facts_release(&b);
    ll_tu_facts_release(&a);
    ll_facts_share_end();

    /* A damaged blob offers nothing: its memory is gone when the next one
     * is read (under AddressSanitizer a comparison with it would fail). */
    ll_facts_share_begin();
    struct ll_tu_facts d, e;
    ll_tu_facts_init(&d);
    assert_int_equal(ll_facts_from_blob(blob, len - 1, &d), -1);
    ll_tu_facts_init(&e);
    assert_int_equal(ll_facts_from_blob(blob, len, &e), 0);
    facts_eq(&orig, &e);
    ll_tu_facts_release(&e);
    ll_facts_share_end();
    free(blob);
    free(blob2);
    ll_tu_facts_release(&other);
    ll_tu_facts_release(&orig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_init_release),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_roundtrip_empty),
        cmocka_unit_test(test_null_file_system),
        cmocka_unit_test(test_strings_deduplicated),
        cmocka_unit_test(test_interned),
        cmocka_unit_test(test_shared),
        cmocka_unit_test(test_foreign_refused),
        cmocka_unit_test(test_truncated_refused),
        cmocka_unit_test(test_damaged_no_crash),
        cmocka_unit_test(test_hand_made_blobs),
        cmocka_unit_test(test_index_checks),
        cmocka_unit_test(test_dump),
        cmocka_unit_test(test_dump_everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
