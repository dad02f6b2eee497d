/*
 * frontend_stmt: builds a function's control-flow graph from its statements.
 *
 * Structured statements (if, loops, switch, break/continue, goto/labels,
 * return) give edges; conditions and other expressions are left to
 * frontend_expr.c (fe_cond, fe_expr).  Nesting deeper than LL_MAX_NESTING is
 * skipped, not recursed into, and the function is marked truncated.
 */
#include "frontend_stmt.h"

#include "frontend_expr.h"
#include "lockapi.h"

#include <stdlib.h>
#include <string.h>

static uint32_t label_block(struct fn_builder *b, const char *name)
{
    for (size_t i = 0; i < b->nlabels; i++)
        if (strcmp(b->labels[i].name, name) == 0)
            return b->labels[i].block;
    if (b->nlabels == b->caplabels) {
        size_t cap = b->caplabels ? b->caplabels * 2 : 8;
        struct label *v = realloc(b->labels, cap * sizeof(*v));
        if (!v) {
            b->oom = true;
            return b->exit;
        }
        b->labels = v;
        b->caplabels = cap;
    }
    char *copy = ll_arena_strdup(b->arena, name);
    if (!copy) {
        b->oom = true;
        return b->exit;
    }
    uint32_t blk = fe_new_block(b);
    b->labels[b->nlabels].name = copy;
    b->labels[b->nlabels].block = blk;
    b->nlabels++;
    return blk;
}

/* ---- statements ---------------------------------------------------- */

/* The parts of a for statement; libclang omits absent ones, so they are
 * told apart by where they start relative to the header's semicolons. */
struct for_parts {
    CXCursor init, cond, inc, body;
    bool has_init, has_cond, has_inc;
};

/* Where c starts in the file, as the header's tokens are numbered: a part
 * that begins with a macro (`for (; MORE(i, n); )`) is placed where the
 * macro is used, not where it is defined. */
static unsigned offset_of(CXCursor c)
{
    unsigned off = 0;
    clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(c)), NULL, NULL, NULL,
                               &off);
    return off;
}

static void for_parts(struct fn_builder *b, CXCursor s, struct for_parts *p)
{
    memset(p, 0, sizeof(*p));
    size_t base = fe_push_children(b, s);
    size_t n = b->ncs - base;
    if (n == 0) {
        b->ncs = base;
        p->body = clang_getNullCursor();
        return;
    }
    p->body = b->cs[base + n - 1];
    CXCursor parts[3];
    size_t np = n - 1 > 3 ? 3 : n - 1;
    for (size_t i = 0; i < np; i++)
        parts[i] = b->cs[base + i];
    b->ncs = base;
    if (np == 3) {
        p->init = parts[0], p->cond = parts[1], p->inc = parts[2];
        p->has_init = p->has_cond = p->has_inc = true;
        return;
    }
    if (np == 0)
        return;
    /* Find the header's two semicolons. */
    CXSourceRange ext = clang_getCursorExtent(s);
    CXSourceRange head = clang_getRange(clang_getRangeStart(ext),
                                        clang_getRangeStart(clang_getCursorExtent(p->body)));
    CXToken *toks = NULL;
    unsigned ntoks = 0;
    /* a loop a macro makes has no header of its own to read */
    if (fe_own_range(b->ctu, head, 8192, false, false, &head))
        clang_tokenize(b->ctu, head, &toks, &ntoks);
    unsigned semi[2] = {0, 0}, nsemi = 0, depth = 0;
    for (unsigned i = 0; i < ntoks && nsemi < 2; i++) {
        if (clang_getTokenKind(toks[i]) != CXToken_Punctuation)
            continue;
        CXString sp = clang_getTokenSpelling(b->ctu, toks[i]);
        const char *t = clang_getCString(sp);
        if (strcmp(t, "(") == 0)
            depth++;
        else if (strcmp(t, ")") == 0)
            depth--;
        else if (strcmp(t, ";") == 0 && depth == 1)
            clang_getSpellingLocation(clang_getTokenLocation(b->ctu, toks[i]), NULL, NULL, NULL,
                                      &semi[nsemi++]);
        clang_disposeString(sp);
    }
    clang_disposeTokens(b->ctu, toks, ntoks);
    for (size_t i = 0; i < np; i++) {
        unsigned off = offset_of(parts[i]);
        if (nsemi == 2 && off < semi[0])
            p->init = parts[i], p->has_init = true;
        else if (nsemi == 2 && off < semi[1])
            p->cond = parts[i], p->has_cond = true;
        else if (nsemi == 2)
            p->inc = parts[i], p->has_inc = true;
        else if (i == 0 && np == 2) /* macro-made loop: assume init; cond */
            p->init = parts[i], p->has_init = true;
        else
            p->cond = parts[i], p->has_cond = true;
    }
}

/* ---- loop kinds ---------------------------------------------------- */

/* Looks for a step (++, --, op=) of the variable `var` in a subtree. */
struct step_search {
    CXCursor var;
    bool found;
};

static enum CXChildVisitResult first_child(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    *(CXCursor *)data = c;
    return CXChildVisit_Break;
}

static bool names_var(CXCursor e, CXCursor var)
{
    e = fe_strip(e);
    return clang_getCursorKind(e) == CXCursor_DeclRefExpr &&
           clang_equalCursors(clang_getCursorReferenced(e), var);
}

static bool is_step(CXCursor c, CXCursor var)
{
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_UnaryOperator) {
        enum CXUnaryOperatorKind op = clang_getCursorUnaryOperatorKind(c);
        if (op != CXUnaryOperator_PostInc && op != CXUnaryOperator_PostDec &&
            op != CXUnaryOperator_PreInc && op != CXUnaryOperator_PreDec)
            return false;
    } else if (k != CXCursor_CompoundAssignOperator) {
        return false;
    }
    CXCursor operand = clang_getNullCursor();
    clang_visitChildren(c, first_child, &operand);
    return !clang_Cursor_isNull(operand) && names_var(operand, var);
}

static enum CXChildVisitResult step_visit(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    struct step_search *s = data;
    if (is_step(c, s->var)) {
        s->found = true;
        return CXChildVisit_Break;
    }
    return CXChildVisit_Recurse;
}

static bool steps_var(CXCursor tree, CXCursor var)
{
    struct step_search s = {var, false};
    if (clang_Cursor_isNull(tree))
        return false;
    if (is_step(tree, var))
        return true;
    clang_visitChildren(tree, step_visit, &s);
    return s.found;
}

/*
 * True when a loop condition counts: an ordering or `!=` comparison one of
 * whose sides is a local the loop steps (in `step` or `body`), or is
 * stepped in the comparison itself (`n-- > 0`).  `a && b` counts when
 * either side does.
 */
static bool counted_cond(struct fn_builder *b, CXCursor cond, CXCursor step, CXCursor body,
                         unsigned depth)
{
    CXCursor e = fe_strip(cond), ops[2];
    if (depth > 16 || fe_operands(b, e, ops, 2) != 2)
        return false;
    if (fe_is_binop(e, CXBinaryOperator_LAnd))
        return counted_cond(b, ops[0], step, body, depth + 1) ||
               counted_cond(b, ops[1], step, body, depth + 1);
    if (!fe_is_binop(e, CXBinaryOperator_LT) && !fe_is_binop(e, CXBinaryOperator_GT) &&
        !fe_is_binop(e, CXBinaryOperator_LE) && !fe_is_binop(e, CXBinaryOperator_GE) &&
        !fe_is_binop(e, CXBinaryOperator_NE))
        return false;
    for (int i = 0; i < 2; i++) {
        CXCursor side = fe_strip(ops[i]);
        if (clang_getCursorKind(side) == CXCursor_UnaryOperator) {
            CXCursor operand = clang_getNullCursor();
            clang_visitChildren(side, first_child, &operand);
            if (!clang_Cursor_isNull(operand) && fe_local_var(b, operand) &&
                is_step(side, clang_getCursorReferenced(fe_strip(operand))))
                return true;
            continue;
        }
        if (!fe_local_var(b, side))
            continue;
        CXCursor var = clang_getCursorReferenced(side);
        if (steps_var(step, var) || steps_var(body, var))
            return true;
    }
    return false;
}

/* Marks `head`, the target of a loop's back edges, with the loop's kind. */
static void mark_loop(struct fn_builder *b, uint32_t head, bool has_cond, CXCursor cond,
                      CXCursor step, CXCursor body)
{
    long long k = 0;
    uint8_t flags = LL_BLK_LOOP_HEAD;
    if (!has_cond || (fe_eval_int(fe_strip(cond), &k) && k != 0))
        flags |= LL_BLK_FOREVER;
    else if (counted_cond(b, cond, step, body, 0))
        flags |= LL_BLK_COUNTED;
    b->blocks[head].flags |= flags;
}

static void loop_body(struct fn_builder *b, CXCursor body, uint32_t brk, uint32_t cont)
{
    uint32_t ob = b->brk, oc = b->cont;
    b->brk = brk;
    b->cont = cont;
    fe_stmt(b, body);
    b->brk = ob;
    b->cont = oc;
}

static void stmt_for(struct fn_builder *b, CXCursor s)
{
    struct for_parts p;
    for_parts(b, s, &p);
    if (p.has_init)
        fe_stmt(b, p.init);
    b->loop_depth++;
    uint32_t head = fe_new_block(b), body = fe_new_block(b), inc = fe_new_block(b);
    b->loop_depth--;
    uint32_t out = fe_new_block(b);
    b->loop_depth++;
    mark_loop(b, head, p.has_cond, p.cond, p.has_inc ? p.inc : clang_getNullCursor(), p.body);
    fe_fall_into(b, head);
    if (p.has_cond)
        fe_cond(b, p.cond, body, out);
    else
        fe_edge(b, head, body);
    b->cur = body;
    if (!clang_Cursor_isNull(p.body))
        loop_body(b, p.body, out, inc);
    fe_fall_into(b, inc);
    if (p.has_inc)
        fe_expr(b, p.inc, CTX_NONE);
    fe_edge(b, b->cur, head);
    b->loop_depth--;
    b->cur = out;
}

static void stmt_while(struct fn_builder *b, CXCursor s)
{
    CXCursor ops[2];
    size_t n = fe_operands(b, s, ops, 2);
    b->loop_depth++;
    uint32_t head = fe_new_block(b), body = fe_new_block(b);
    b->loop_depth--;
    uint32_t out = fe_new_block(b);
    b->loop_depth++;
    if (n == 2)
        mark_loop(b, head, true, ops[0], clang_getNullCursor(), ops[1]);
    fe_fall_into(b, head);
    if (n == 2) {
        fe_cond(b, ops[0], body, out);
        b->cur = body;
        loop_body(b, ops[1], out, head);
    }
    fe_edge(b, b->cur, head);
    b->loop_depth--;
    b->cur = out;
}

static void stmt_do(struct fn_builder *b, CXCursor s)
{
    CXCursor ops[2];
    size_t n = fe_operands(b, s, ops, 2);
    /* `do { ... } while (0)` (the macro idiom) runs once: not a loop */
    long long k = 1;
    uint16_t inc = n == 2 && fe_eval_int(fe_strip(ops[1]), &k) && k == 0 ? 0 : 1;
    b->loop_depth += inc;
    uint32_t body = fe_new_block(b), test = fe_new_block(b);
    b->loop_depth -= inc;
    uint32_t out = fe_new_block(b);
    b->loop_depth += inc;
    if (n == 2 && inc)
        mark_loop(b, body, true, ops[1], clang_getNullCursor(), ops[0]);
    fe_fall_into(b, body);
    if (n == 2) {
        loop_body(b, ops[0], out, test);
        fe_fall_into(b, test);
        fe_cond(b, ops[1], body, out);
    } else {
        fe_fall_into(b, test);
        fe_edge(b, test, out);
    }
    b->loop_depth -= inc;
    b->cur = out;
}

static void stmt_if(struct fn_builder *b, CXCursor s)
{
    CXCursor ops[3];
    size_t n = fe_operands(b, s, ops, 3);
    if (n < 2) {
        if (n == 1)
            fe_expr(b, ops[0], CTX_READ);
        return;
    }
    uint32_t then = fe_new_block(b), els = n == 3 ? fe_new_block(b) : 0, join = fe_new_block(b);
    fe_cond(b, ops[0], then, n == 3 ? els : join);
    b->cur = then;
    fe_stmt(b, ops[1]);
    fe_edge(b, b->cur, join);
    if (n == 3) {
        b->cur = els;
        fe_stmt(b, ops[2]);
        fe_edge(b, b->cur, join);
    }
    b->cur = join;
}

/* Case labels of one switch that get a test of their own: past this, a
 * huge dispatch (an interpreter's) gets tests that remember nothing. */
#define SWITCH_MAX_TESTS 16

/*
 * A switch over a plain local or parameter (`switch (type)`) is lowered
 * into a chain of two-way tests `type == K`, one per case label, whose
 * last false edge goes to the default label (or past the switch): the
 * dataflow then knows which case a path took, as for an `if` chain, and a
 * parameter's value decides the cases (`pause_threads(PAUSE_ALL)`).  Any
 * other switch keeps one multi-way dispatch block that says nothing.
 */
static void switch_test(struct fn_builder *b, CXCursor e, struct ll_cond *c)
{
    memset(c, 0, sizeof(*c));
    const char *var = fe_local_var(b, e);
    if (!var)
        return;
    const char *text = fe_cond_text(b, fe_strip(e), &c->vars, &c->nvars);
    if (!text || c->nvars != 1) {
        memset(c, 0, sizeof(*c));
        return;
    }
    c->kind = LL_COND_VAR;
    c->var = var;
    c->text = text;
}

static void stmt_switch(struct fn_builder *b, CXCursor s)
{
    CXCursor ops[2];
    size_t n = fe_operands(b, s, ops, 2);
    if (n < 2)
        return;
    fe_expr(b, ops[0], CTX_READ);
    uint32_t dispatch = b->cur, out = fe_new_block(b);
    uint32_t od = b->sw_dispatch, ob = b->brk, odb = b->sw_default_blk, ot = b->sw_tests;
    bool odef = b->sw_default;
    struct ll_cond oc = b->sw_cond;
    b->sw_dispatch = dispatch;
    b->sw_default = false;
    b->sw_default_blk = out;
    b->sw_tests = 0;
    switch_test(b, ops[0], &b->sw_cond);
    b->brk = out;
    fe_dead_end(b); /* code before the first case label is unreachable */
    fe_stmt(b, ops[1]);
    fe_edge(b, b->cur, out);
    if (b->sw_cond.text)
        fe_edge(b, b->sw_dispatch, b->sw_default_blk); /* no case matched */
    else if (!b->sw_default)
        fe_edge(b, dispatch, out);
    b->sw_dispatch = od;
    b->sw_default = odef;
    b->sw_default_blk = odb;
    b->sw_tests = ot;
    b->sw_cond = oc;
    b->brk = ob;
    b->cur = out;
}

/* The lowered switch's test for the case label `s` into blk: `x == K`,
 * or a test that says nothing (a range `case 1 ... 5:`, a value libclang
 * cannot evaluate, a label past SWITCH_MAX_TESTS). */
static void case_test(struct fn_builder *b, CXCursor s, uint32_t blk)
{
    uint32_t test = b->sw_dispatch, next = fe_new_block(b);
    size_t base = fe_push_children(b, s);
    bool one = b->ncs - base == 2; /* the value and the statement: not a range */
    CXCursor value = one ? b->cs[base] : clang_getNullCursor();
    b->ncs = base;
    long long k = 0;
    struct ll_cond c = b->sw_cond;
    if (one && b->sw_tests < SWITCH_MAX_TESTS && fe_eval_int(value, &k) &&
        (c.text = ll_arena_printf(b->arena, "%s == %lld", b->sw_cond.text, k))) {
        c.cmp = LL_CMP_EQ;
        c.cmp_k = k;
        c.true_when_zero = k == 0;
        b->sw_tests++;
    } else {
        memset(&c, 0, sizeof(c));
        c.kind = LL_COND_OTHER;
    }
    struct build_block *bb = &b->blocks[test];
    bb->cond = c;
    bb->nmany = 0;
    bb->succ[0] = blk;
    bb->succ[1] = next;
    bb->nsucc = 2;
    b->sw_dispatch = next;
}

static void stmt_case(struct fn_builder *b, CXCursor s, bool is_default)
{
    uint32_t blk = fe_new_block(b);
    fe_fall_into(b, blk);
    if (b->sw_dispatch != UINT32_MAX && b->sw_cond.text && !is_default)
        case_test(b, s, blk);
    else if (b->sw_dispatch != UINT32_MAX && !b->sw_cond.text)
        fe_edge(b, b->sw_dispatch, blk);
    if (is_default) {
        b->sw_default = true;
        b->sw_default_blk = blk;
    }
    size_t base = fe_push_children(b, s);
    size_t n = b->ncs - base;
    CXCursor sub = n ? b->cs[base + n - 1] : clang_getNullCursor();
    b->ncs = base;
    if (!clang_Cursor_isNull(sub))
        fe_stmt(b, sub);
}

/* Whether `e` hands on the outcome of a lock call: `trylock(m)`,
 * `!trylock(m)`, `trylock(m) != 0`, `trylock(m) == 0` (also for a blocking
 * or timed lock). */
static bool returns_lock_outcome(struct fn_builder *b, CXCursor e)
{
    e = fe_strip(e);
    CXCursor ops[2];
    if (fe_is_unop(e, CXUnaryOperator_LNot) && fe_operands(b, e, ops, 1) == 1) {
        e = fe_strip(ops[0]);
    } else if ((fe_is_binop(e, CXBinaryOperator_EQ) || fe_is_binop(e, CXBinaryOperator_NE)) &&
               fe_operands(b, e, ops, 2) == 2) {
        long long k;
        if (fe_eval_int(fe_strip(ops[1]), &k))
            e = fe_strip(ops[0]);
        else if (fe_eval_int(fe_strip(ops[0]), &k))
            e = fe_strip(ops[1]);
        else
            return false;
    }
    if (clang_getCursorKind(e) != CXCursor_CallExpr)
        return false;
    CXCursor ref = clang_getCursorReferenced(e);
    if (clang_getCursorKind(ref) != CXCursor_FunctionDecl)
        return false;
    CXString nm = clang_getCursorSpelling(ref);
    const struct ll_api *api = ll_lockapi_lookup(clang_getCString(nm));
    clang_disposeString(nm);
    return api && (api->op == LL_OP_TRYLOCK || api->op == LL_OP_LOCK);
}

/* `return E;` where E is a lock call's outcome: lowered as `if (E) return 1;
 * else return 0;`, so that the function holds the lock exactly when its
 * result says so (a trylock wrapper that returns `trylock(m) != 0`). */
static void return_lock_outcome(struct fn_builder *b, CXCursor s, CXCursor e)
{
    uint32_t t = fe_new_block(b), f = fe_new_block(b);
    fe_cond(b, e, t, f);
    b->cur = t;
    fe_emit(b, LL_EV_RETURN, s)->result_var = "1";
    fe_edge(b, b->cur, b->exit);
    b->cur = f;
    fe_emit(b, LL_EV_RETURN, s)->result_var = "0";
    fe_edge(b, b->cur, b->exit);
    fe_dead_end(b);
}

static void stmt_return(struct fn_builder *b, CXCursor s)
{
    size_t base = fe_push_children(b, s);
    bool has = b->ncs > base;
    CXCursor e = has ? b->cs[base] : clang_getNullCursor();
    b->ncs = base;
    const char *value = NULL;
    struct ll_path returned = {.root = LL_ROOT_NONE, .param = -1}, object = returned;
    long long k;
    if (has && returns_lock_outcome(b, e)) {
        return_lock_outcome(b, s, e);
        return;
    }
    if (has) {
        if (fe_is_fn_type(clang_getCursorType(e))) {
            CXString us = clang_getCursorUSR(b->fn);
            fe_fn_flow(b, e, ll_arena_printf(b->arena, "@ret:%s", clang_getCString(us)));
            clang_disposeString(us);
        } else {
            fe_ptr_flow(b, e, "@ret:");
        }
        struct evref r = fe_expr(b, e, CTX_READ);
        fe_local_part_read(b, e);
        if (fe_eval_int(fe_strip(e), &k))
            value = ll_arena_printf(b->arena, "%lld", k);
        else
            value = fe_local_var(b, e);
        returned = fe_returned_path(b, e);
        if (!value)
            object = fe_returned_object(b, e);
        /* `return f(x);`: the call's result goes to a variable of its own,
         * "f()", which the return names (aux), so that what f() leaves
         * pending on its result is pending on this function's */
        struct ll_event *call =
            r.block == b->cur && r.block != UINT32_MAX ? &b->blocks[r.block].events[r.pos] : NULL;
        if (!value && object.root == LL_ROOT_NONE && call && call->kind == LL_EV_CALL &&
            !call->result_var && call->api &&
            clang_getCursorKind(fe_strip(e)) == CXCursor_CallExpr) {
            call->result_var = ll_arena_printf(b->arena, "%s()", call->api);
            object.root = LL_ROOT_LOCAL;
            object.key = object.text = object.cls = call->result_var;
        }
    }
    struct ll_event *ret = fe_emit(b, LL_EV_RETURN, s);
    ret->result_var = value;
    ret->obj = returned;
    ret->aux = object;
    fe_edge(b, b->cur, b->exit);
    fe_dead_end(b);
}

static void stmt_children(struct fn_builder *b, CXCursor s, bool as_stmts)
{
    size_t base = fe_push_children(b, s);
    size_t n = b->ncs - base;
    for (size_t i = 0; i < n; i++) {
        CXCursor ch = b->cs[base + i];
        if (as_stmts)
            fe_stmt(b, ch);
        else
            fe_expr(b, ch, CTX_READ);
    }
    b->ncs = base;
}

/* Functions a local's initialiser stores: into the local (a pointer, an
 * array of them, a union), a static's variable, or the fields of the
 * structs it initialises. */
static void decl_flows(struct fn_builder *b, CXCursor d)
{
    CXCursor init = clang_Cursor_getVarDeclInitializer(d);
    if (clang_Cursor_isNull(init))
        return;
    CXType t = clang_getCanonicalType(clang_getCursorType(d));
    while (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray)
        t = clang_getCanonicalType(clang_getArrayElementType(t));
    bool fn = fe_is_fn_type(t);
    if (!fn && t.kind != CXType_Record)
        return;
    const char *slot = NULL;
    if (fn && clang_Cursor_getStorageClass(d) == CX_SC_Static) {
        char *name = fe_string(b->arena, clang_getCursorSpelling(d));
        slot = ll_arena_printf(b->arena, "@var:%s:%s", b->fn_name, name ? name : "?");
    } else if (fn) {
        slot = fe_local_slot(b, d);
    }
    fe_init_flows(b->tu, b, init, slot, 0);
}

/* `struct x *q = p;`: a read of q, the local being declared, whose aux is
 * p's value, so that a block p holds is seen to escape into another name
 * (fresh.h); `struct x *q = h->head;`: whose aux is the memory q is loaded
 * from (a queue's take, handoff.h).  Not a write: q is not assigned after
 * its declaration. */
static void copy_decl(struct fn_builder *b, CXCursor d, CXCursor init)
{
    struct ll_path stored = fe_stored_pointer(b, init);
    if (stored.root == LL_ROOT_NONE)
        stored = fe_loaded_pointer(b, init);
    if (stored.root == LL_ROOT_NONE)
        return;
    char *name = fe_string(b->arena, clang_getCursorSpelling(d));
    struct ll_event *ev = fe_emit(b, LL_EV_ACCESS, d);
    ev->obj.root = LL_ROOT_LOCAL;
    ev->obj.text = ev->obj.key = name;
    ev->obj.cls = ll_arena_printf(b->arena, "%s:%s", b->fn_name, name ? name : "?");
    ev->aux = stored;
}

/* A write of the local that declaration d declares. */
static struct ll_event *local_decl_write(struct fn_builder *b, CXCursor d)
{
    char *name = fe_string(b->arena, clang_getCursorSpelling(d));
    struct ll_event *ev = fe_emit(b, LL_EV_ACCESS, d);
    ev->flags |= LL_EVF_WRITE;
    ev->obj.root = LL_ROOT_LOCAL;
    ev->obj.text = ev->obj.key = name;
    ev->obj.cls = ll_arena_printf(b->arena, "%s:%s", b->fn_name, name ? name : "?");
    return ev;
}

/* `pthread_t t = g_tid;`: a write of t that copies the handle
 * (fe_handle_copy), so that a join of t is seen to join g_tid. */
static void handle_decl(struct fn_builder *b, CXCursor d, CXCursor init)
{
    if (fe_is_handle_value(b, init))
        fe_handle_copy(b, local_decl_write(b, d), init);
}

static void stmt_decl(struct fn_builder *b, CXCursor s)
{
    size_t base = fe_push_children(b, s);
    size_t n = b->ncs - base;
    for (size_t i = 0; i < n; i++) {
        CXCursor d = b->cs[base + i];
        if (clang_getCursorKind(d) != CXCursor_VarDecl)
            continue;
        decl_flows(b, d);
        if (clang_Cursor_getStorageClass(d) == CX_SC_Static ||
            clang_Cursor_getStorageClass(d) == CX_SC_Extern)
            continue; /* initialised once, not here */
        /* Each iteration starts a new object: a write, so that an
         * earlier iteration's use of its address sees it change. */
        if (b->loop_depth > 0)
            local_decl_write(b, d);
        CXCursor init = clang_Cursor_getVarDeclInitializer(d);
        if (clang_Cursor_isNull(init))
            continue;
        long long k;
        if (b->loop_depth == 0 && fe_eval_scalar(init, &k)) {
            /* `int locked = 0;`: a write of a known value, for flags that
             * later decide whether to unlock */
            char *name = fe_string(b->arena, clang_getCursorSpelling(d));
            struct ll_event *ev = fe_emit(b, LL_EV_ACCESS, d);
            ev->flags |= LL_EVF_WRITE;
            ev->obj.root = LL_ROOT_LOCAL;
            ev->obj.text = ev->obj.key = name;
            ev->obj.cls = ll_arena_printf(b->arena, "%s:%s", b->fn_name, name ? name : "?");
            ev->result_var = ll_arena_printf(b->arena, "%lld", k);
            continue;
        }
        struct evref res = fe_expr(b, init, CTX_READ);
        fe_local_part_read(b, init);
        if (res.block != UINT32_MAX && res.block == b->cur) {
            CXString nm = clang_getCursorSpelling(d);
            struct ll_event *w = &b->blocks[res.block].events[res.pos];
            w->result_var = fe_string(b->arena, nm);
            if (w->kind == LL_EV_CALL && fe_set_by_calls(b, d))
                w->flags |= LL_EVF_SOLE;
        } else {
            copy_decl(b, d, init);
            handle_decl(b, d, init);
            fe_lock_copy(b, d, d, init);
        }
    }
    b->ncs = base;
}

void fe_stmt(struct fn_builder *b, CXCursor s)
{
    if (b->oom)
        return;
    if (++b->depth > LL_MAX_NESTING) {
        b->truncated = true;
        b->depth--;
        return;
    }
    enum CXCursorKind k = clang_getCursorKind(s);
    switch (k) {
    case CXCursor_CompoundStmt:
        stmt_children(b, s, true);
        break;
    case CXCursor_IfStmt:
        stmt_if(b, s);
        break;
    case CXCursor_WhileStmt:
        stmt_while(b, s);
        break;
    case CXCursor_DoStmt:
        stmt_do(b, s);
        break;
    case CXCursor_ForStmt:
        stmt_for(b, s);
        break;
    case CXCursor_SwitchStmt:
        stmt_switch(b, s);
        break;
    case CXCursor_CaseStmt:
        stmt_case(b, s, false);
        break;
    case CXCursor_DefaultStmt:
        stmt_case(b, s, true);
        break;
    case CXCursor_BreakStmt:
        if (b->brk != UINT32_MAX)
            fe_edge(b, b->cur, b->brk);
        fe_dead_end(b);
        break;
    case CXCursor_ContinueStmt:
        if (b->cont != UINT32_MAX)
            fe_edge(b, b->cur, b->cont);
        fe_dead_end(b);
        break;
    case CXCursor_ReturnStmt:
        stmt_return(b, s);
        break;
    case CXCursor_GotoStmt: {
        size_t base = fe_push_children(b, s);
        CXCursor ref = b->ncs > base ? clang_getCursorReferenced(b->cs[base]) : s;
        b->ncs = base;
        CXString nm = clang_getCursorSpelling(ref);
        fe_edge(b, b->cur, label_block(b, clang_getCString(nm)));
        clang_disposeString(nm);
        fe_dead_end(b);
        break;
    }
    case CXCursor_IndirectGotoStmt:
        /* targets unknown: the path is not followed further */
        stmt_children(b, s, false);
        fe_dead_end(b);
        break;
    case CXCursor_LabelStmt: {
        CXString nm = clang_getCursorSpelling(s);
        uint32_t blk = label_block(b, clang_getCString(nm));
        clang_disposeString(nm);
        fe_fall_into(b, blk);
        b->blocks[blk].loop_depth = b->loop_depth;
        stmt_children(b, s, true);
        break;
    }
    case CXCursor_DeclStmt:
        stmt_decl(b, s);
        break;
    case CXCursor_NullStmt:
    case CXCursor_GCCAsmStmt:
    case CXCursor_MSAsmStmt:
        break;
    default:
        if (clang_isExpression(k))
            fe_expr(b, s, CTX_NONE);
        else
            stmt_children(b, s, true);
        break;
    }
    b->depth--;
}
