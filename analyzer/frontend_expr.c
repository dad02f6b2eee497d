/*
 * frontend_expr: lowers expressions into events.  Reads and writes of memory
 * that might be shared (globals, statics, anything reached through a
 * pointer) become ACCESS events; calls become lock, thread and CALL events
 * through the lockapi table; `&&`, `||` and `?:` inside expressions become
 * branches.  Conditions are lowered by fe_cond() so that `&&`, `||`, `!`
 * and `?:` become separate branches and every branch that tests a lock or
 * thread call's result records which event it tests.  Access paths (struct
 * ll_path) are built here.
 *
 * Plain locals and parameters read or written directly are not recorded:
 * they cannot be shared unless their address escapes, which the path of the
 * escaping pointer shows.  A local pointer set once to an object's address
 * (`l = &stripes[i]`) or to an unchanged parameter's or global's value
 * (`c = arg`) is named, where it is used as a base or passed on, by that
 * object's or pointer's path (fe_scan_aliases(), local_value(),
 * pointer_path()).
 */
#include "frontend_expr.h"

#include "lockapi.h"
#include "memapi.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct evref no_event = {UINT32_MAX, UINT32_MAX};

static struct evref last_event(struct fn_builder *b)
{
    struct evref r = {b->cur, b->blocks[b->cur].nevents - 1};
    return r;
}

/* Up to four children, without the builder (for small fixed shapes). */
struct few {
    CXCursor v[4];
    unsigned n, total;
};

static enum CXChildVisitResult few_visit(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    struct few *f = data;
    if (f->n < 4)
        f->v[f->n++] = c;
    f->total++;
    return CXChildVisit_Continue;
}

static struct few few_children(CXCursor c)
{
    struct few f = {.n = 0, .total = 0};
    /* the same node's shape is asked for again and again (an implicit
     * cast by atomic_builtin() and lower_expr(), a member by lower_expr()
     * and fe_path()) */
    struct fe_children_memo *m = fe_children_slot(c);
    if (m && fe_same_cursor(m->c, c)) {
        memcpy(f.v, m->v, sizeof(f.v));
        f.n = m->n;
        f.total = m->total;
        return f;
    }
    clang_visitChildren(c, few_visit, &f);
    if (m) {
        m->c = c;
        memcpy(m->v, f.v, sizeof(f.v));
        m->n = f.n;
        m->total = f.total;
    }
    return f;
}

static bool same_extent(CXCursor a, CXCursor b)
{
    CXSourceRange ra = fe_extent(a), rb = fe_extent(b);
    return clang_equalLocations(clang_getRangeStart(ra), clang_getRangeStart(rb)) &&
           clang_equalLocations(clang_getRangeEnd(ra), clang_getRangeEnd(rb));
}

static CXCursor strip(CXCursor e);

CXCursor fe_strip(CXCursor e)
{
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k != CXCursor_ParenExpr && k != CXCursor_UnexposedExpr && k != CXCursor_CStyleCastExpr)
        return e;
    /* the frontend strips the same expression again and again (a path's
     * base, then its base's base; a condition, then the access in it), and
     * each strip visits children and measures two extents */
    struct fe_strip_memo *m = fe_strip_slot(e);
    if (!m)
        return strip(e);
    if (!fe_same_cursor(m->in, e)) {
        m->in = e;
        m->out = strip(e);
    }
    return m->out;
}

static CXCursor strip(CXCursor e)
{
    for (int guard = 0; guard < 64; guard++) {
        enum CXCursorKind k = clang_getCursorKind(e);
        if (k != CXCursor_ParenExpr && k != CXCursor_UnexposedExpr && k != CXCursor_CStyleCastExpr)
            return e;
        struct few f = few_children(e);
        if (f.total == 0)
            return e;
        CXCursor inner = f.v[f.n - 1];
        if (k == CXCursor_UnexposedExpr && (f.total != 1 || !same_extent(e, inner)))
            return e; /* not an implicit cast: an atomic builtin or similar */
        if (k == CXCursor_CStyleCastExpr && f.total > 2)
            return e;
        e = inner;
    }
    return e;
}

bool fe_eval_int(CXCursor e, long long *out)
{
    enum CXCursorKind k = clang_getCursorKind(e);
    if (!clang_isExpression(k) || k == CXCursor_CallExpr)
        return false;
    CXEvalResult r = clang_Cursor_Evaluate(e);
    if (!r)
        return false;
    bool ok = clang_EvalResult_getKind(r) == CXEval_Int;
    if (ok)
        *out = clang_EvalResult_getAsLongLong(r);
    clang_EvalResult_dispose(r);
    return ok;
}

bool fe_eval_scalar(CXCursor e, long long *out)
{
    if (fe_eval_int(e, out))
        return true;
    CXCursor v = fe_strip(e);
    long long k = 0;
    if (clang_getCursorKind(v) != CXCursor_GNUNullExpr &&
        (clang_equalCursors(v, e) || !fe_eval_int(v, &k) || k != 0))
        return false;
    if (clang_getCanonicalType(clang_getCursorType(e)).kind != CXType_Pointer)
        return false;
    *out = 0;
    return true;
}

/* ---- calls that do not return ------------------------------------ */

/* The identifier written at loc, into buf (empty when none). */
static void word_at(CXTranslationUnit ctu, CXSourceLocation loc, char *buf, size_t len)
{
    CXFile f = NULL;
    unsigned off = 0;
    size_t size = 0, n = 0;
    buf[0] = '\0';
    clang_getSpellingLocation(loc, &f, NULL, NULL, &off);
    const char *text = f ? clang_getFileContents(ctu, f, &size) : NULL;
    if (!text || off >= size)
        return;
    while (off + n < size && n + 1 < len &&
           (text[off + n] == '_' || (text[off + n] >= 'a' && text[off + n] <= 'z') ||
            (text[off + n] >= 'A' && text[off + n] <= 'Z') ||
            (text[off + n] >= '0' && text[off + n] <= '9'))) {
        buf[n] = text[off + n];
        n++;
    }
    buf[n] = '\0';
}

struct attr_scan {
    CXTranslationUnit ctu;
    bool hit;
};

static enum CXChildVisitResult noreturn_attr(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    struct attr_scan *s = data;
    if (!clang_isAttribute(clang_getCursorKind(c)))
        return CXChildVisit_Continue;
    /* libclang exposes _Noreturn and [[noreturn]] as unexposed attributes
     * located at their name, wherever a macro spelled it */
    char w[16];
    word_at(s->ctu, clang_getCursorLocation(c), w, sizeof(w));
    s->hit =
        strcmp(w, "_Noreturn") == 0 || strcmp(w, "noreturn") == 0 || strcmp(w, "__noreturn__") == 0;
    return s->hit ? CXChildVisit_Break : CXChildVisit_Continue;
}

/* What one declaration says: `__attribute__((noreturn))` is part of the
 * function's type; `_Noreturn` and `[[noreturn]]` are attributes of the
 * declaration (inherited by later ones). */
static bool decl_says_noreturn(CXTranslationUnit ctu, CXCursor decl)
{
    CXString t = clang_getTypeSpelling(clang_getCanonicalType(clang_getCursorType(decl)));
    const char *ts = clang_getCString(t);
    bool hit = ts && strstr(ts, "__attribute__((noreturn))") != NULL;
    clang_disposeString(t);
    if (!hit && clang_Cursor_hasAttrs(decl)) {
        struct attr_scan s = {ctu, false};
        clang_visitChildren(decl, noreturn_attr, &s);
        hit = s.hit;
    }
    return hit;
}

/* Whether any declaration of the callee says it never returns: the
 * declaration called, the first one and the definition, from the AST
 * (never from tokens, which a macro at the start of a declaration made
 * clang_tokenize read from the macro's #define on, and so find unrelated
 * `noreturn`s).  The answer is kept per USR. */
bool fe_callee_noreturn(struct tu_ctx *tu, CXCursor decl)
{
    CXString us = clang_getCursorUSR(decl);
    const char *usr = clang_getCString(us);
    size_t known = usr ? ll_strmap_get(&tu->noreturn, usr) : (size_t)-1;
    if (known != (size_t)-1) {
        clang_disposeString(us);
        return known == 1;
    }
    CXCursor cands[3] = {decl, clang_getCanonicalCursor(decl), clang_getCursorDefinition(decl)};
    bool hit = false;
    for (int i = 0; i < 3 && !hit; i++)
        hit = !clang_Cursor_isNull(cands[i]) && decl_says_noreturn(tu->ctu, cands[i]);
    const char *key = usr ? ll_arena_strdup(&tu->facts->arena, usr) : NULL;
    if (key && ll_strmap_put(&tu->noreturn, key, hit ? 1 : 0) < 0)
        tu->oom = true;
    clang_disposeString(us);
    return hit;
}

/* ---- conditions -------------------------------------------------- */

bool fe_is_binop(CXCursor c, enum CXBinaryOperatorKind k)
{
    return clang_getCursorKind(c) == CXCursor_BinaryOperator &&
           clang_getCursorBinaryOperatorKind(c) == k;
}

bool fe_is_unop(CXCursor c, enum CXUnaryOperatorKind k)
{
    return clang_getCursorKind(c) == CXCursor_UnaryOperator &&
           clang_getCursorUnaryOperatorKind(c) == k;
}

/*
 * Classifies a plain (non-logical) condition: which call result or local it
 * tests, and whether its true edge is the zero outcome.  `e` is stripped.
 */
/* An integer constant, also behind casts: `NULL`, `(void *)0`, and `0`
 * compared with a pointer. */
static bool const_operand(CXCursor e, long long *k)
{
    return fe_eval_int(e, k) || fe_eval_int(fe_strip(e), k);
}

/* `k OP x` is `x OP' k`. */
static uint8_t mirror_cmp(uint8_t c)
{
    switch (c) {
    case LL_CMP_LT:
        return LL_CMP_GT;
    case LL_CMP_LE:
        return LL_CMP_GE;
    case LL_CMP_GT:
        return LL_CMP_LT;
    case LL_CMP_GE:
        return LL_CMP_LE;
    default:
        return c;
    }
}

/* What the true edge of `e` says of its tested value: `x OP k`,
 * `x & k`, or the truth of `x`.  `e` is stripped. */
static void cond_cmp(struct fn_builder *b, CXCursor e, struct ll_cond *cond)
{
    static const struct {
        enum CXBinaryOperatorKind op;
        uint8_t cmp;
    } ops[] = {{CXBinaryOperator_EQ, LL_CMP_EQ},  {CXBinaryOperator_NE, LL_CMP_NE},
               {CXBinaryOperator_LT, LL_CMP_LT},  {CXBinaryOperator_LE, LL_CMP_LE},
               {CXBinaryOperator_GT, LL_CMP_GT},  {CXBinaryOperator_GE, LL_CMP_GE},
               {CXBinaryOperator_And, LL_CMP_AND}};
    cond->cmp = LL_CMP_TRUTH;
    cond->cmp_k = 0;
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        if (!fe_is_binop(e, ops[i].op))
            continue;
        CXCursor o[2];
        long long k;
        cond->cmp = LL_CMP_NONE;
        if (fe_operands(b, e, o, 2) != 2)
            return;
        if (const_operand(o[1], &k))
            cond->cmp = ops[i].cmp;
        else if (const_operand(o[0], &k))
            cond->cmp = mirror_cmp(ops[i].cmp);
        else
            return;
        cond->cmp_k = k;
        return;
    }
    if (clang_getCursorKind(e) == CXCursor_BinaryOperator &&
        !fe_is_binop(e, CXBinaryOperator_Assign) && !fe_is_binop(e, CXBinaryOperator_Comma))
        cond->cmp = LL_CMP_NONE; /* arithmetic: `x - 1` */
}

static bool is_pointer_type(CXType t);

/* The access path a condition compares with zero, when it is a pointer
 * (`if (m && m->mutex)`, `if (p == NULL)`): see ll_cond.tested. */
static const char *null_tested(struct fn_builder *b, CXCursor tested, const struct ll_cond *cond)
{
    bool zero_test = cond->cmp == LL_CMP_TRUTH ||
                     ((cond->cmp == LL_CMP_EQ || cond->cmp == LL_CMP_NE) && cond->cmp_k == 0);
    enum CXCursorKind k = clang_getCursorKind(tested);
    if (!zero_test ||
        (k != CXCursor_DeclRefExpr && k != CXCursor_MemberRefExpr &&
         k != CXCursor_ArraySubscriptExpr) ||
        !is_pointer_type(clang_getCursorType(tested)))
        return NULL;
    struct ll_path p = fe_path(b, tested, 0);
    return p.root != LL_ROOT_NONE ? p.key : NULL;
}

static void classify_cond(struct fn_builder *b, CXCursor e, struct evref res, struct ll_cond *cond)
{
    bool true_when_zero = false;
    CXCursor tested = e;
    cond_cmp(b, e, cond);
    if (fe_is_binop(e, CXBinaryOperator_EQ) || fe_is_binop(e, CXBinaryOperator_NE) ||
        fe_is_binop(e, CXBinaryOperator_LT) || fe_is_binop(e, CXBinaryOperator_GE)) {
        CXCursor ops[2];
        if (fe_operands(b, e, ops, 2) == 2) {
            long long k;
            int side = const_operand(ops[1], &k) ? 0 : const_operand(ops[0], &k) ? 1 : -1;
            if (side >= 0) {
                tested = fe_strip(ops[side]);
                enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(e);
                bool eq = op == CXBinaryOperator_EQ || op == CXBinaryOperator_GE;
                /* `== 0` and `>= 0` are success; `== EBUSY` and `< 0` are not */
                true_when_zero = (k == 0) ? eq : !eq;
                if (op == CXBinaryOperator_LT || op == CXBinaryOperator_GE)
                    true_when_zero = op == CXBinaryOperator_GE;
            }
        }
    }
    if (fe_is_binop(tested, CXBinaryOperator_Assign)) {
        CXCursor ops[2];
        if (fe_operands(b, tested, ops, 2) == 2)
            tested = fe_strip(ops[0]);
    }
    cond->true_when_zero = true_when_zero;
    if (fe_is_binop(e, CXBinaryOperator_LT) || fe_is_binop(e, CXBinaryOperator_GT) ||
        fe_is_binop(e, CXBinaryOperator_LE) || fe_is_binop(e, CXBinaryOperator_GE))
        b->blocks[b->cur].flags |= LL_BLK_ORDERED;
    const char *var = fe_local_var(b, tested);
    if (res.block == b->cur && res.block != UINT32_MAX) {
        cond->kind = LL_COND_EVENT;
        cond->event = res.pos;
        b->blocks[b->cur].events[res.pos].flags |= LL_EVF_CHECKED;
    } else if (var) {
        cond->kind = LL_COND_VAR;
        cond->var = var;
    } else {
        cond->kind = LL_COND_OTHER;
    }
    cond->text = fe_cond_text(b, e, &cond->vars, &cond->nvars);
    cond->tested = null_tested(b, tested, cond);
}

void fe_cond(struct fn_builder *b, CXCursor cond, uint32_t t, uint32_t f)
{
    CXCursor e = fe_strip(cond);
    if (++b->depth > LL_MAX_NESTING) {
        b->truncated = true;
        fe_edge(b, b->cur, t);
        fe_edge(b, b->cur, f);
        b->depth--;
        return;
    }
    CXCursor ops[3];
    if (fe_is_binop(e, CXBinaryOperator_LAnd) || fe_is_binop(e, CXBinaryOperator_LOr)) {
        if (fe_operands(b, e, ops, 2) == 2) {
            uint32_t mid = fe_new_block(b);
            if (fe_is_binop(e, CXBinaryOperator_LAnd))
                fe_cond(b, ops[0], mid, f);
            else
                fe_cond(b, ops[0], t, mid);
            b->cur = mid;
            fe_cond(b, ops[1], t, f);
            b->depth--;
            return;
        }
    } else if (fe_is_unop(e, CXUnaryOperator_LNot)) {
        if (fe_operands(b, e, ops, 1) == 1) {
            fe_cond(b, ops[0], f, t);
            b->depth--;
            return;
        }
    } else if (clang_getCursorKind(e) == CXCursor_ConditionalOperator) {
        if (fe_operands(b, e, ops, 3) == 3) {
            uint32_t x = fe_new_block(b), y = fe_new_block(b);
            fe_cond(b, ops[0], x, y);
            b->cur = x;
            fe_cond(b, ops[1], t, f);
            b->cur = y;
            fe_cond(b, ops[2], t, f);
            b->depth--;
            return;
        }
    }
    struct evref res = fe_expr(b, e, CTX_READ);
    long long k;
    if (fe_eval_int(e, &k)) {
        /* constant condition: only the edge it takes (while (1), if (0)) */
        fe_edge(b, b->cur, k ? t : f);
        b->depth--;
        return;
    }
    struct build_block *bb = &b->blocks[b->cur];
    classify_cond(b, e, res, &bb->cond);
    bb = &b->blocks[b->cur];
    bb->nsucc = 0;
    bb->nmany = 0;
    bb->succ[0] = t;
    bb->succ[1] = f;
    bb->nsucc = 2;
    b->depth--;
}

/* ---- access paths -------------------------------------------------- */

static bool is_pointer_type(CXType t)
{
    t = clang_getCanonicalType(t);
    return t.kind == CXType_Pointer;
}

static bool is_array_type(CXType t)
{
    t = clang_getCanonicalType(t);
    return t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray ||
           t.kind == CXType_VariableArray || t.kind == CXType_DependentSizedArray;
}

static uint8_t type_flags(CXType t)
{
    uint8_t f = 0;
    if (clang_isConstQualifiedType(t))
        f |= LL_PATH_CONST;
    if (clang_getCanonicalType(t).kind == CXType_Atomic)
        f |= LL_PATH_ATOMIC_TYPE;
    return f;
}

static int param_index(struct fn_builder *b, CXCursor parm)
{
    int n = clang_Cursor_getNumArguments(b->fn);
    for (int i = 0; i < n; i++)
        if (clang_equalCursors(clang_Cursor_getArgument(b->fn, (unsigned)i), parm))
            return i;
    return -1;
}

static const char *file_base(struct fn_builder *b, CXCursor c)
{
    CXFile f = NULL;
    clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
    if (!f)
        return "?";
    char *name = fe_string(b->arena, clang_getFileName(f));
    if (!name)
        return "?";
    const char *slash = strrchr(name, '/');
    return slash ? slash + 1 : name;
}

static struct ll_path path_unknown(struct fn_builder *b, const char *text)
{
    struct ll_path p = {.root = LL_ROOT_UNKNOWN, .param = -1};
    p.text = p.key = p.cls = ll_arena_strdup(b->arena, text);
    return p;
}

static struct ll_path path_var(struct fn_builder *b, CXCursor ref)
{
    struct ll_path p = {.root = LL_ROOT_NONE, .param = -1};
    enum CXCursorKind rk = clang_getCursorKind(ref);
    char *name = fe_string(b->arena, clang_getCursorSpelling(ref));
    if (!name)
        return p;
    p.text = p.key = name;
    p.flags = type_flags(clang_getCursorType(ref));
    if (rk == CXCursor_FunctionDecl) {
        /* a function designator (`spawn(worker, arg)`): named by its USR */
        p.root_usr = fe_string(b->arena, clang_getCursorUSR(ref));
        return p;
    }
    if (rk == CXCursor_ParmDecl) {
        p.root = LL_ROOT_PARAM;
        p.param = (int16_t)param_index(b, ref);
        p.cls = ll_arena_printf(b->arena, "%s(%s)", b->fn_name, name);
        return p;
    }
    if (rk != CXCursor_VarDecl)
        return p;
    enum CX_StorageClass sc = clang_Cursor_getStorageClass(ref);
    enum CXCursorKind parent = clang_getCursorKind(clang_getCursorSemanticParent(ref));
    bool local = parent == CXCursor_FunctionDecl;
    if (clang_getCursorTLSKind(ref) != CXTLS_None)
        p.flags |= LL_PATH_THREAD_LOCAL;
    if (local && sc != CX_SC_Static && sc != CX_SC_Extern) {
        p.root = LL_ROOT_LOCAL;
        p.cls = ll_arena_printf(b->arena, "%s:%s", b->fn_name, name);
        return p;
    }
    p.root_usr = fe_string(b->arena, clang_getCursorUSR(ref));
    if (local) {
        p.root = LL_ROOT_STATIC_LOCAL;
        p.cls = ll_arena_printf(b->arena, "%s:%s", b->fn_name, name);
    } else {
        p.root = LL_ROOT_GLOBAL;
        p.cls =
            sc == CX_SC_Static ? ll_arena_printf(b->arena, "%s:%s", file_base(b, ref), name) : name;
    }
    return p;
}

/* The expression's tokens joined by single spaces (at most 64 tokens),
 * a canonical spelling that does not depend on layout. */
static const char *tokens_text(struct fn_builder *b, CXCursor e, bool *own)
{
    CXToken *toks = NULL;
    unsigned n = 0;
    CXSourceRange r;
    /* 64 tokens of at most 1 KiB of text fit in 4 KiB of source; an
     * expression that starts or ends inside a macro's body has no text of
     * its own (*own says which of the two it was) */
    CXSourceRange ext = fe_extent(e);
    if (!fe_own_range(b->ctu, ext, 4096, false, false, &r)) {
        if (own)
            *own = fe_own_range(b->ctu, ext, UINT_MAX, false, false, &r);
        return NULL;
    }
    if (own)
        *own = true;
    clang_tokenize(b->ctu, r, &toks, &n);
    if (n == 0 || n > 64) {
        clang_disposeTokens(b->ctu, toks, n);
        return NULL;
    }
    char buf[1024];
    size_t len = 0;
    bool prev_word = false;
    for (unsigned i = 0; i < n && len < sizeof(buf) - 1; i++) {
        CXTokenKind kind = clang_getTokenKind(toks[i]);
        bool word = kind != CXToken_Punctuation;
        CXString sp = clang_getTokenSpelling(b->ctu, toks[i]);
        /* a space only where two words would otherwise merge */
        int w = snprintf(buf + len, sizeof(buf) - len, "%s%s", prev_word && word ? " " : "",
                         clang_getCString(sp));
        clang_disposeString(sp);
        prev_word = word;
        if (w < 0 || (size_t)w >= sizeof(buf) - len) {
            len = sizeof(buf);
            break;
        }
        len += (size_t)w;
    }
    clang_disposeTokens(b->ctu, toks, n);
    return len < sizeof(buf) ? ll_arena_strndup(b->arena, buf, len) : NULL;
}

/* Text of an index expression for keys: a constant, a variable, or "?". */
static const char *index_text(struct fn_builder *b, CXCursor idx)
{
    long long k;
    if (fe_eval_int(idx, &k))
        return ll_arena_printf(b->arena, "%lld", k);
    CXCursor s = fe_strip(idx);
    if (clang_getCursorKind(s) == CXCursor_DeclRefExpr)
        return fe_string(b->arena, clang_getCursorSpelling(s));
    const char *t = tokens_text(b, s, NULL);
    return t ? t : "?";
}

static const char *record_name(struct fn_builder *b, CXCursor field)
{
    CXCursor rec = clang_getCursorSemanticParent(field);
    CXString s = clang_getTypeSpelling(clang_getCursorType(rec));
    const char *t = clang_getCString(s);
    const char *name;
    if (!t || strstr(t, "(unnamed") || strstr(t, "(anonymous"))
        name = ll_arena_printf(b->arena, "struct <anon %s>", file_base(b, rec));
    else
        name = ll_arena_strdup(b->arena, t);
    clang_disposeString(s);
    return name;
}

/* ---- container_of() -------------------------------------------------- */

/* The field an offsetof() names (`__builtin_offsetof(T, m)`: an unexposed
 * expression holding a type and one member reference), or a null cursor
 * (also for a nested designator, `offsetof(T, a.b)`). */
static CXCursor offsetof_field(CXCursor e)
{
    CXCursor none = clang_getNullCursor();
    e = fe_strip(e);
    if (clang_getCursorKind(e) != CXCursor_UnexposedExpr)
        return none;
    struct few f = few_children(e);
    if (f.total != 2 || clang_getCursorKind(f.v[0]) != CXCursor_TypeRef ||
        clang_getCursorKind(f.v[1]) != CXCursor_MemberRef)
        return none;
    CXCursor fld = clang_getCursorReferenced(f.v[1]);
    return clang_getCursorKind(fld) == CXCursor_FieldDecl ? fld : none;
}

/*
 * Whether `e` is what container_of(ptr, T, m) expands to, the address of
 * the T whose field m `ptr` points to: `(T *)((char *)ptr - offsetof(T,
 * m))` (any casts), also as the last expression of a statement expression
 * that first copies ptr into a local (`__mptr`).  Sets *ptr and *field.
 */
static bool container_expr(CXCursor e, CXCursor *ptr, CXCursor *field)
{
    e = fe_strip(e);
    bool stmt = clang_getCursorKind(e) == CXCursor_StmtExpr;
    if (stmt) {
        struct few f = few_children(e);
        if (f.total != 1 || clang_getCursorKind(f.v[0]) != CXCursor_CompoundStmt)
            return false;
        struct few g = few_children(f.v[0]);
        if (g.total == 0 || g.total > 4)
            return false;
        e = fe_strip(g.v[g.n - 1]);
    }
    if (!fe_is_binop(e, CXBinaryOperator_Sub))
        return false;
    struct few f = few_children(e);
    if (f.total != 2)
        return false;
    CXCursor fld = offsetof_field(f.v[1]);
    if (clang_Cursor_isNull(fld))
        return false;
    CXCursor p = fe_strip(f.v[0]);
    if (stmt && clang_getCursorKind(p) == CXCursor_DeclRefExpr) {
        CXCursor var = clang_getCursorReferenced(p);
        CXCursor init = clang_getCursorKind(var) == CXCursor_VarDecl
                            ? clang_Cursor_getVarDeclInitializer(var)
                            : clang_getNullCursor();
        if (!clang_Cursor_isNull(init))
            p = init;
    }
    *ptr = p;
    *field = fld;
    return true;
}

/* ---- the value a local pointer names --------------------------------- */

/*
 * One table (fe_scan_aliases(), one pass over the body before it is
 * lowered) says what each pointer variable the function writes is set to:
 * a local's initialiser and assignments, and whether it is stepped, its
 * address taken or it is handed to the caller; a parameter's, global's or
 * static's assignments, steps and `&`.  local_value() reads it; every
 * place that names an object through a local pointer (a base of `->`,
 * `[]`, `*`, a lock or thread argument, a call argument, a callee
 * expression, a returned value) goes through local_value(), so that the
 * lock `c->m` and the argument `c` of `struct ctx *c = arg;` both name
 * `arg`.
 */
static bool is_plain_local(CXCursor ref)
{
    if (clang_getCursorKind(ref) != CXCursor_VarDecl)
        return false;
    enum CX_StorageClass sc = clang_Cursor_getStorageClass(ref);
    return sc != CX_SC_Static && sc != CX_SC_Extern &&
           clang_getCursorKind(clang_getCursorSemanticParent(ref)) == CXCursor_FunctionDecl &&
           clang_getCursorTLSKind(ref) == CXTLS_None;
}

static struct fe_alias *alias_of(struct fn_builder *b, CXCursor ref, bool add)
{
    for (size_t i = 0; i < b->naliases; i++)
        if (clang_equalCursors(b->aliases[i].var, ref))
            return &b->aliases[i];
    if (!add)
        return NULL;
    /* a bounded table: a function with more pointer variables has no
     * aliases, and none of its variables counts as unwritten */
    if (b->naliases >= 256 ||
        !ll_grow((void **)&b->aliases, &b->capaliases, b->naliases, sizeof(*b->aliases))) {
        b->aliases_full = true;
        return NULL;
    }
    struct fe_alias *a = &b->aliases[b->naliases++];
    memset(a, 0, sizeof(*a));
    a->var = ref;
    a->rhs = clang_getNullCursor();
    return a;
}

/* The local variable declaration `e` names, or a null cursor. */
static CXCursor local_ref(CXCursor e)
{
    e = fe_strip(e);
    if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
        return clang_getNullCursor();
    CXCursor ref = clang_getCursorReferenced(e);
    return is_plain_local(ref) ? ref : clang_getNullCursor();
}

/* The variable (local, parameter, global or static) `e` names, or a null
 * cursor. */
static CXCursor var_ref(CXCursor e)
{
    e = fe_strip(e);
    if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
        return clang_getNullCursor();
    CXCursor ref = clang_getCursorReferenced(e);
    enum CXCursorKind k = clang_getCursorKind(ref);
    return k == CXCursor_VarDecl || k == CXCursor_ParmDecl ? ref : clang_getNullCursor();
}

/* One definition of pointer variable `var` (`bad`: a step or a compound
 * assignment); its entry, or NULL when it has none. */
static struct fe_alias *alias_def(struct fn_builder *b, CXCursor var, CXCursor rhs, bool bad)
{
    if (clang_Cursor_isNull(var) || !is_pointer_type(clang_getCursorType(var)))
        return NULL;
    struct fe_alias *a = alias_of(b, var, true);
    if (!a)
        return NULL;
    a->defs++;
    a->rhs = rhs;
    if (a->nrhss < FE_ALIAS_RHSS)
        a->rhss[a->nrhss++] = rhs;
    else
        a->nrhss = FE_ALIAS_RHSS + 1;
    if (!bad && !clang_Cursor_isNull(rhs)) {
        long long k;
        CXCursor v = fe_strip(rhs);
        if (clang_getCursorKind(v) == CXCursor_CallExpr)
            a->calls++;
        else if (clang_getCursorKind(v) == CXCursor_GNUNullExpr || (fe_eval_int(v, &k) && k == 0))
            a->nulls++;
    }
    a->bad = a->bad || bad;
    a->stepped = a->stepped || bad;
    return a;
}

bool fe_set_by_calls(struct fn_builder *b, CXCursor var)
{
    const struct fe_alias *a =
        b->aliases_full || clang_Cursor_isNull(var) || fe_is_fn_type(clang_getCursorType(var))
            ? NULL
            : alias_of(b, var, false);
    return a && a->calls > 0 && a->defs == a->calls + a->nulls && !a->bad && a->naddr == 0 &&
           !a->stepped;
}

static bool is_deref(CXCursor e)
{
    e = fe_strip(e);
    return clang_getCursorKind(e) == CXCursor_UnaryOperator &&
           clang_getCursorUnaryOperatorKind(e) == CXUnaryOperator_Deref;
}

/* A local pointer handed to the caller (returned, or stored through an
 * out-parameter) keeps its own name where it is a base: the caller names
 * the object's locks through the pointer it gets (`e->lock`), and a lock
 * the function leaves held is handed over in those terms
 * (view_summaries.c, handed_out()).  The value returned or stored is
 * still what the local is set to (value_path()). */
static void escapes(struct fn_builder *b, CXCursor rhs)
{
    CXCursor ref = local_ref(rhs);
    struct fe_alias *a = clang_Cursor_isNull(ref) || !is_pointer_type(clang_getCursorType(ref))
                             ? NULL
                             : alias_of(b, ref, true);
    if (a)
        a->escaped = true;
}

static void scan_unary(struct fn_builder *b, CXCursor c)
{
    enum CXUnaryOperatorKind op = clang_getCursorUnaryOperatorKind(c);
    struct few f = few_children(c);
    if (f.n != 1 || op == CXUnaryOperator_Deref || op == CXUnaryOperator_Plus ||
        op == CXUnaryOperator_Minus || op == CXUnaryOperator_Not || op == CXUnaryOperator_LNot)
        return;
    CXCursor var = var_ref(f.v[0]);
    struct fe_alias *a = NULL;
    if (op != CXUnaryOperator_AddrOf)
        alias_def(b, var, clang_getNullCursor(), true);
    else if (!clang_Cursor_isNull(var) && is_pointer_type(clang_getCursorType(var)) &&
             (a = alias_of(b, var, true)) != NULL) {
        a->bad = true; /* given away: set where we cannot see */
        a->naddr++;
    }
}

static enum CXChildVisitResult scan_visit(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    struct fn_builder *b = data;
    switch (clang_getCursorKind(c)) {
    case CXCursor_VarDecl: {
        CXCursor init = clang_Cursor_getVarDeclInitializer(c);
        long long k;
        struct fe_alias *a = NULL;
        if (is_plain_local(c) && !clang_Cursor_isNull(init))
            a = alias_def(b, c, init, false);
        if (a)
            a->const_init = fe_eval_int(fe_strip(init), &k);
        break;
    }
    case CXCursor_BinaryOperator:
    case CXCursor_CompoundAssignOperator: {
        enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(c);
        if (op < CXBinaryOperator_Assign)
            break;
        struct few f = few_children(c);
        if (f.n == 2)
            alias_def(b, var_ref(f.v[0]), f.v[1], op != CXBinaryOperator_Assign);
        if (f.n == 2 && is_deref(f.v[0]))
            escapes(b, f.v[1]); /* `*out = e;` */
        break;
    }
    case CXCursor_ReturnStmt: {
        struct few f = few_children(c);
        if (f.n == 1)
            escapes(b, f.v[0]); /* `return e;` */
        break;
    }
    case CXCursor_UnaryOperator:
        scan_unary(b, c);
        break;
    default:
        break;
    }
    return CXChildVisit_Recurse;
}

void fe_scan_aliases(struct fn_builder *b, CXCursor body)
{
    b->naliases = 0;
    b->aliases_full = false;
    if (!clang_Cursor_isNull(body))
        clang_visitChildren(body, scan_visit, b);
}

/* Whether the function never sets parameter, global or static `var`:
 * never assigned, stepped or address-taken in its body. */
static bool never_written(struct fn_builder *b, CXCursor var)
{
    struct fe_alias *a = alias_of(b, var, false);
    return !b->aliases_full && (!a || (a->defs == 0 && !a->bad && a->naddr == 0));
}

/*
 * Whether `e` (stripped) is pointer arithmetic `base + index` (or `index +
 * base`) that names an element's address as `&base[index]` does: base a
 * pointer or an array whose element type is the type the sum points to,
 * so no cast changes the stride between them (`(char *)p + 4` is a byte
 * offset into *p, not an element).  Sets *base and *index (unstripped).
 * A difference (`p - 1`) is not one.
 */
static bool element_address(CXCursor e, CXCursor *base, CXCursor *index)
{
    if (!fe_is_binop(e, CXBinaryOperator_Add))
        return false;
    CXType sum = clang_getCanonicalType(clang_getCursorType(e));
    if (sum.kind != CXType_Pointer)
        return false;
    CXType elem = clang_getCanonicalType(clang_getPointeeType(sum));
    if (elem.kind == CXType_Void || elem.kind == CXType_FunctionProto ||
        elem.kind == CXType_FunctionNoProto)
        return false;
    struct few f = few_children(e);
    if (f.total != 2 || f.n != 2)
        return false;
    for (int side = 0; side < 2; side++) {
        CXType t = clang_getCanonicalType(clang_getCursorType(fe_strip(f.v[side])));
        CXType et = t.kind == CXType_Pointer ? clang_getPointeeType(t)
                    : is_array_type(t)       ? clang_getArrayElementType(t)
                                             : (CXType){.kind = CXType_Invalid};
        if (et.kind == CXType_Invalid || !clang_equalTypes(clang_getCanonicalType(et), elem))
            continue;
        *base = f.v[side];
        *index = f.v[1 - side];
        return true;
    }
    return false;
}

/* Whether `e` (stripped) is `&E` of an object E, the address of a
 * function (`&fn`), or an element's address as a sum (`a + i`). */
static bool object_address(CXCursor e)
{
    CXCursor base, index;
    if (element_address(e, &base, &index))
        return true;
    if (!fe_is_unop(e, CXUnaryOperator_AddrOf))
        return false;
    struct few f = few_children(e);
    if (f.n != 1)
        return false;
    CXCursor obj = fe_strip(f.v[0]);
    enum CXCursorKind k = clang_getCursorKind(obj);
    return k == CXCursor_MemberRefExpr || k == CXCursor_ArraySubscriptExpr ||
           k == CXCursor_DeclRefExpr;
}

/*
 * The expression local pointer `ref` stands for all along, or a null
 * cursor.  The local is set once (its initialiser or one assignment),
 * never stepped and its address never taken; unless `escaped_ok`, it is
 * not handed to the caller either (escapes()).  What it is set to is an
 * object's address (`&E`), the struct container_of() names, a function,
 * the value of a parameter, global or static that the function never
 * sets (`struct ctx *c = arg;`), or another local with such a value.
 */
static CXCursor local_value(struct fn_builder *b, CXCursor ref, bool escaped_ok)
{
    CXCursor none = clang_getNullCursor();
    struct fe_alias *a = clang_Cursor_isNull(ref) ? NULL : alias_of(b, ref, false);
    if (!a || a->bad || a->busy || a->defs != 1 || clang_Cursor_isNull(a->rhs) ||
        (a->escaped && !escaped_ok))
        return none;
    CXCursor r = fe_strip(a->rhs), ptr, fld;
    if (container_expr(r, &ptr, &fld) || object_address(r))
        return r;
    CXCursor var = var_ref(r);
    if (clang_Cursor_isNull(var)) {
        bool fn = clang_getCursorKind(r) == CXCursor_DeclRefExpr &&
                  clang_getCursorKind(clang_getCursorReferenced(r)) == CXCursor_FunctionDecl;
        return fn ? r : none;
    }
    if (!is_plain_local(var))
        return never_written(b, var) ? r : none;
    a->busy = true;
    bool chained = !clang_Cursor_isNull(local_value(b, var, false));
    a->busy = false;
    return chained ? r : none;
}

/* ---- allocation sites (sites.h) ------------------------------------ */

static const char *field_slot(struct ll_arena *a, CXCursor field, const char *file);
static const char *base_name(struct ll_arena *a, CXCursor c);
static const char *fn_usr(struct fn_builder *b);

static bool is_data_pointer(CXType t)
{
    return is_pointer_type(t) && !fe_is_fn_type(t);
}

/* The slot a pointer is stored in when it is `e` (an lvalue): a field of a
 * struct type (an element of an array field is the field's), a global or
 * static, a parameter; NULL for anything else (a local, `*pp`). */
static const char *store_slot(struct fn_builder *b, CXCursor e)
{
    e = fe_strip(e);
    struct few f = few_children(e);
    switch (clang_getCursorKind(e)) {
    case CXCursor_MemberRefExpr: {
        CXCursor field = clang_getCursorReferenced(e);
        if (clang_getCursorKind(field) != CXCursor_FieldDecl)
            return NULL;
        return field_slot(b->arena, field,
                          base_name(b->arena, clang_getCursorSemanticParent(field)));
    }
    case CXCursor_ArraySubscriptExpr:
        /* `pool->jobs[i]`, `table[i]`: the array's slot */
        return f.n >= 2 && is_array_type(clang_getCursorType(fe_strip(f.v[0])))
                   ? store_slot(b, f.v[0])
                   : NULL;
    case CXCursor_DeclRefExpr: {
        CXCursor ref = clang_getCursorReferenced(e);
        enum CXCursorKind rk = clang_getCursorKind(ref);
        if (rk == CXCursor_ParmDecl)
            return ll_arena_printf(b->arena, "@arg:%s#%d", fn_usr(b), param_index(b, ref));
        if (rk != CXCursor_VarDecl || is_plain_local(ref))
            return NULL;
        struct ll_path p = path_var(b, ref);
        return p.cls ? ll_arena_printf(b->arena, "@var:%s", p.cls) : NULL;
    }
    default:
        return NULL;
    }
}

/*
 * Where the block pointer value `e` points to comes from: the slot it is
 * read from (store_slot()), an allocation (`@alloc:malloc@file:L:C` for
 * a C library allocator's call, `@call:USR` for a direct call, a site when
 * the callee is a constructor), the object's own site for `&E`; a local
 * set once stands for what it is set to.  NULL when not known.
 */
static const char *value_slot(struct fn_builder *b, CXCursor e, unsigned depth)
{
    if (depth > 16)
        return NULL;
    e = fe_strip(e);
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_CallExpr) {
        CXCursor ref = clang_getCursorReferenced(e);
        if (clang_getCursorKind(ref) != CXCursor_FunctionDecl)
            return NULL;
        char *name = fe_string(b->arena, clang_getCursorSpelling(ref));
        /* a block realloc() moves may be the one it was given: no site */
        if (name && (strcmp(name, "realloc") == 0 || strcmp(name, "reallocarray") == 0))
            return NULL;
        if (name && ll_lockapi_is_allocator(name)) {
            struct ll_loc l = fe_loc(b, e);
            return ll_arena_printf(b->arena, "@alloc:%s@%s:%u:%u", name, file_base(b, e), l.line,
                                   l.col);
        }
        char *usr = fe_string(b->arena, clang_getCursorUSR(ref));
        return usr ? ll_arena_printf(b->arena, "@call:%s", usr) : NULL;
    }
    CXCursor base, index;
    if (fe_is_unop(e, CXUnaryOperator_AddrOf) || element_address(e, &base, &index)) {
        struct ll_path p = fe_path(b, e, depth + 1);
        return p.site;
    }
    if (k == CXCursor_DeclRefExpr) {
        CXCursor ref = clang_getCursorReferenced(e);
        if (is_plain_local(ref)) {
            struct fe_alias *a = alias_of(b, ref, false);
            if (!a || a->bad || a->busy || a->defs != 1 || clang_Cursor_isNull(a->rhs))
                return NULL;
            a->busy = true;
            const char *s = value_slot(b, a->rhs, depth + 1);
            a->busy = false;
            return s;
        }
    }
    return store_slot(b, e);
}

/* What a store of pointer value `e` records (a ptrflow's source): NULL
 * for a null constant (no block), "?" when value_slot() does not know. */
static const char *value_source(struct fn_builder *b, CXCursor e)
{
    long long k;
    if (fe_eval_int(fe_strip(e), &k) && k == 0)
        return NULL;
    const char *s = value_slot(b, e, 0);
    return s ? s : "?";
}

void fe_ptr_flow(struct fn_builder *b, CXCursor e, const char *slot)
{
    if (!is_data_pointer(clang_getCursorType(e)))
        return;
    if (strcmp(slot, "@ret:") == 0)
        slot = ll_arena_printf(b->arena, "@ret:%s", fn_usr(b));
    fe_add_ptrflow(b->tu, value_source(b, e), slot, e);
}

/* Records a store of pointer value `rhs` into lvalue `lhs` (sites.h). */
static void store_flow(struct fn_builder *b, CXCursor lhs, CXCursor rhs, CXCursor at)
{
    if (!is_data_pointer(clang_getCursorType(lhs)))
        return;
    const char *slot = store_slot(b, lhs);
    if (slot)
        fe_add_ptrflow(b->tu, clang_Cursor_isNull(rhs) ? "?" : value_source(b, rhs), slot, at);
}

/* Whether declaration `d` is written in a macro's body. */
static bool declared_in_macro(CXCursor d)
{
    CXSourceLocation at = clang_getCursorLocation(d);
    CXFile sf = NULL, ef = NULL;
    unsigned so = 0, eo = 0;
    clang_getSpellingLocation(at, &sf, NULL, NULL, &so);
    clang_getExpansionLocation(at, &ef, NULL, NULL, &eo);
    return so != eo || !clang_File_isEqual(sf, ef);
}

/*
 * The path of a pointer used as a base (of `->`, `*`, a lock or a call
 * argument): a local pointer that must alias an object is that object's
 * address (`l->m` with `l = &stripes[h % N]` is stripes[h % N].m), and
 * one that keeps a parameter's or global's value is that value (`c->m`
 * with `c = arg` is arg->m, spelled `c->m`).  A plain read or write of the
 * local itself stays the local's.  `escaped_ok`: see local_value().
 */
static struct ll_path pointer_path(struct fn_builder *b, CXCursor e, unsigned depth,
                                   bool escaped_ok)
{
    CXCursor ref = local_ref(e);
    CXCursor v = local_value(b, ref, escaped_ok);
    if (clang_Cursor_isNull(v) || depth > 64)
        return fe_path(b, e, depth);
    struct fe_alias *a = alias_of(b, ref, false);
    a->busy = true;
    bool chain = !clang_Cursor_isNull(local_ref(v));
    struct ll_path p = chain ? pointer_path(b, v, depth + 1, false) : fe_path(b, v, depth + 1);
    a->busy = false;
    CXCursor ptr, fld;
    bool object = (p.flags & LL_PATH_ADDR) || container_expr(v, &ptr, &fld);
    bool value =
        p.root == LL_ROOT_PARAM || p.root == LL_ROOT_GLOBAL || p.root == LL_ROOT_STATIC_LOCAL;
    if (p.root == LL_ROOT_NONE || p.root == LL_ROOT_UNKNOWN || (!object && !value))
        return fe_path(b, e, depth);
    /* a copied pointer keeps the name it is written with in messages
     * (`c->m`, not `arg->m`), unless a macro made it (glibc's
     * `__cancel_arg`); an object's address is spelled as that object
     * (`stripes[i].count`) */
    const char *own =
        object || declared_in_macro(ref) ? NULL : fe_string(b->arena, clang_getCursorSpelling(ref));
    if (own)
        p.text = own;
    return p;
}

static struct ll_path base_path(struct fn_builder *b, CXCursor e, unsigned depth)
{
    return pointer_path(b, e, depth, false);
}

/* The path of a pointer argument (of a call, a lock or thread API): the
 * same as a base's (pointer_path()), so that `void *arg = &m;` passed on
 * is `&m`, and `c` of `struct ctx *c = arg;` is `arg` as in `c->m`. */
static struct ll_path arg_path(struct fn_builder *b, CXCursor arg)
{
    return base_path(b, arg, 0);
}

/* The value a pointer expression hands on (returned, stored through an
 * out-parameter): also through a local that is itself handed on. */
static struct ll_path value_path(struct fn_builder *b, CXCursor e)
{
    return pointer_path(b, e, 0, true);
}

/* Whether `arg` is `&p` for a local pointer p that nothing else sets: its
 * only definition a constant initialiser (NULL) or none, never stepped,
 * and this the one place its address is taken. */
static bool out_local(struct fn_builder *b, CXCursor arg)
{
    CXCursor s = fe_strip(arg);
    if (!fe_is_unop(s, CXUnaryOperator_AddrOf))
        return false;
    struct few f = few_children(s);
    CXCursor var = f.n == 1 ? local_ref(f.v[0]) : clang_getNullCursor();
    struct fe_alias *a = clang_Cursor_isNull(var) ? NULL : alias_of(b, var, false);
    return a && a->naddr == 1 && !a->stepped && (a->defs == 0 || (a->defs == 1 && a->const_init));
}

/*
 * The address of the struct whose field `fld` pointer `ptr` points to.
 * Of `&x->m` it is x, of `&x.m` &x; of any other pointer value p it is
 * spelled "p^m", rooted where p is: `container_of(n, struct item,
 * link)->lock` of a parameter n is "n^link->lock", of class "struct
 * item.lock", and a caller's `&it->link` for n makes it "it->lock"
 * (summary.c folds the steps).
 */
static struct ll_path container_path(struct fn_builder *b, CXCursor ptr, CXCursor fld,
                                     unsigned depth)
{
    CXCursor s = fe_strip(ptr);
    if (fe_is_unop(s, CXUnaryOperator_AddrOf)) {
        struct few f = few_children(s);
        CXCursor m = f.n == 1 ? fe_strip(f.v[0]) : clang_getNullCursor();
        struct few g = few_children(m);
        if (clang_getCursorKind(m) == CXCursor_MemberRefExpr && g.n > 0 &&
            clang_equalCursors(clang_getCursorReferenced(m), fld)) {
            if (is_pointer_type(clang_getCursorType(g.v[0])))
                return base_path(b, g.v[0], depth + 1);
            struct ll_path p = fe_path(b, g.v[0], depth + 1);
            if (p.root != LL_ROOT_NONE && p.root != LL_ROOT_UNKNOWN)
                p.flags |= LL_PATH_ADDR;
            return p;
        }
    }
    struct ll_path p = base_path(b, ptr, depth + 1);
    char *fname = fe_string(b->arena, clang_getCursorSpelling(fld));
    if (p.root == LL_ROOT_NONE || p.root == LL_ROOT_UNKNOWN || (p.flags & LL_PATH_ADDR) || !p.key ||
        !p.text || !p.cls || !fname)
        return path_unknown(b, "?");
    struct ll_path c = p;
    c.flags = (uint8_t)(p.flags & ~(LL_PATH_MEMBER | LL_PATH_ATOMIC_TYPE | LL_PATH_CONST));
    c.key = ll_arena_printf(b->arena, "%s^%s", p.key, fname);
    c.text = ll_arena_printf(b->arena, "%s^%s", p.text, fname);
    c.cls = ll_arena_printf(b->arena, "%s^%s", p.cls, fname);
    c.emb = NULL;
    c.site = NULL;
    return c;
}

/* Field `fld` (named `fname`, of type `ftype`) of the object bp names, or
 * of the one it points to (`arrow`). */
static struct ll_path member_path(struct fn_builder *b, const struct ll_path *bp, bool arrow,
                                  CXCursor fld, const char *fname, CXType ftype)
{
    const char *op = arrow ? "->" : ".";
    struct ll_path p = *bp;
    p.flags = (uint8_t)((bp->flags & ~(LL_PATH_ADDR | LL_PATH_ATOMIC_TYPE | LL_PATH_CONST)) |
                        (arrow ? LL_PATH_DEREF : 0) | type_flags(ftype));
    if (bp->flags & LL_PATH_ATOMIC_TYPE)
        p.flags |= LL_PATH_ATOMIC_TYPE;
    /* a member of a const object is const (a struct copy's field reads of
     * `static const struct conn zero`); through a pointer the const of the
     * pointer variable says nothing about the object */
    if (!arrow && (bp->flags & LL_PATH_CONST))
        p.flags |= LL_PATH_CONST;
    p.text = ll_arena_printf(b->arena, "%s%s%s", bp->text ? bp->text : "?", op, fname);
    p.key = ll_arena_printf(b->arena, "%s%s%s", bp->key ? bp->key : "?", op, fname);
    p.cls = ll_arena_printf(b->arena, "%s.%s", record_name(b, fld), fname);
    /* a field of a field keeps where it is embedded: c->out.lock is
     * "struct conn.out.lock", not any "struct half.lock" */
    p.emb = NULL;
    if (!arrow && (bp->flags & LL_PATH_MEMBER) && bp->cls)
        p.emb = ll_arena_printf(b->arena, "%s.%s", bp->emb ? bp->emb : bp->cls, fname);
    p.flags |= LL_PATH_MEMBER;
    return p;
}

/* Element `ix` (NULL: any) of what `base` (whose path is *base_p) names,
 * an array or (`through_ptr`) a pointer. */
static struct ll_path element_of(struct fn_builder *b, const struct ll_path *base_p, CXCursor base,
                                 const char *ix, CXType elem, bool through_ptr, unsigned depth)
{
    struct ll_path bp = *base_p;
    struct ll_path p = bp;
    p.flags = (uint8_t)((bp.flags & ~(LL_PATH_ADDR | LL_PATH_CONST)) | LL_PATH_INDEXED |
                        (through_ptr ? LL_PATH_DEREF : 0) | type_flags(elem));
    p.text = ll_arena_printf(b->arena, "%s[%s]", bp.text, ix ? ix : "?");
    p.key = ll_arena_printf(b->arena, "%s[%s]", bp.key, ix ? ix : "?");
    p.cls = ll_arena_printf(b->arena, "%s[]", bp.cls);
    /* an element of an array field is embedded where the array is; an
     * element behind a pointer is an object of its own */
    p.emb = bp.emb && !through_ptr ? ll_arena_printf(b->arena, "%s[]", bp.emb) : NULL;
    if (through_ptr) {
        p.flags &= (uint8_t)~LL_PATH_MEMBER;
        p.site = value_slot(b, base, depth + 1);
    }
    return p;
}

/* `*ptr`, of type `t`, where *ptr_p is the path of pointer `ptr`. */
static struct ll_path deref_of(struct fn_builder *b, const struct ll_path *ptr_p, CXCursor ptr,
                               CXType t, unsigned depth)
{
    struct ll_path p = *ptr_p;
    p.flags = (uint8_t)((ptr_p->flags & ~(LL_PATH_ATOMIC_TYPE | LL_PATH_CONST)) | LL_PATH_DEREF |
                        type_flags(t));
    p.flags &= (uint8_t)~LL_PATH_MEMBER;
    p.text = ll_arena_printf(b->arena, "*%s", ptr_p->text);
    p.key = ll_arena_printf(b->arena, "*%s", ptr_p->key);
    p.cls = ll_arena_printf(b->arena, "*%s", ptr_p->cls);
    p.emb = NULL;
    p.site = value_slot(b, ptr, depth + 1);
    return p;
}

/* Element `idx` of what `base` names (`base[idx]`), of type `elem`; also
 * what `base + idx` points to (element_address()). */
static struct ll_path element_path(struct fn_builder *b, CXCursor base, CXCursor idx, CXType elem,
                                   unsigned depth)
{
    struct ll_path bp = fe_path(b, base, depth + 1);
    if (bp.flags & LL_PATH_ADDR)
        return path_unknown(b, "?"); /* (&x)[i] */
    /* the base's type before the implicit decay: indexing an array
     * (forks[i], a local buffer) goes through no pointer */
    bool through_ptr = is_pointer_type(clang_getCursorType(fe_strip(base)));
    return element_of(b, &bp, base, index_text(b, idx), elem, through_ptr, depth);
}

struct ll_path fe_path(struct fn_builder *b, CXCursor e, unsigned depth)
{
    if (depth > 64)
        return path_unknown(b, "?");
    e = fe_strip(e);
    enum CXCursorKind k = clang_getCursorKind(e);
    struct few f = few_children(e);
    switch (k) {
    case CXCursor_DeclRefExpr:
        return path_var(b, clang_getCursorReferenced(e));
    case CXCursor_MemberRefExpr: {
        if (f.n == 0)
            break;
        CXCursor base = f.v[0];
        bool arrow = is_pointer_type(clang_getCursorType(base));
        struct ll_path bp = arrow ? base_path(b, base, depth + 1) : fe_path(b, base, depth + 1);
        if (arrow && (bp.flags & LL_PATH_ADDR)) /* (&x)->f is x.f */
            arrow = false;
        struct ll_path p =
            member_path(b, &bp, arrow, clang_getCursorReferenced(e),
                        fe_string(b->arena, clang_getCursorSpelling(e)), clang_getCursorType(e));
        if (arrow)
            p.site = value_slot(b, base, depth + 1);
        return p;
    }
    case CXCursor_ArraySubscriptExpr:
        if (f.n < 2)
            break;
        return element_path(b, f.v[0], f.v[1], clang_getCursorType(e), depth);
    case CXCursor_UnaryOperator: {
        enum CXUnaryOperatorKind op = clang_getCursorUnaryOperatorKind(e);
        if (f.n < 1)
            break;
        struct ll_path sp = op == CXUnaryOperator_Deref ? base_path(b, f.v[0], depth + 1)
                                                        : fe_path(b, f.v[0], depth + 1);
        if (op == CXUnaryOperator_AddrOf) {
            sp.flags |= LL_PATH_ADDR;
            return sp;
        }
        if (op == CXUnaryOperator_Deref) {
            if (sp.flags & LL_PATH_ADDR) { /* *&x is x */
                sp.flags &= (uint8_t)~LL_PATH_ADDR;
                return sp;
            }
            return deref_of(b, &sp, f.v[0], clang_getCursorType(e), depth);
        }
        break;
    }
    case CXCursor_StmtExpr:
    case CXCursor_BinaryOperator: {
        CXCursor ptr, fld, base, index;
        if (container_expr(e, &ptr, &fld))
            return container_path(b, ptr, fld, depth);
        if (element_address(e, &base, &index)) { /* `a + i` is &a[i] */
            struct ll_path p =
                element_path(b, base, index, clang_getPointeeType(clang_getCursorType(e)), depth);
            if (p.root == LL_ROOT_NONE || p.root == LL_ROOT_UNKNOWN)
                break;
            p.flags |= LL_PATH_ADDR;
            return p;
        }
        break;
    }
    case CXCursor_CallExpr: {
        struct ll_path p = {.root = LL_ROOT_CALL, .param = -1};
        char *name = fe_string(b->arena, clang_getCursorSpelling(e));
        struct ll_loc l = fe_loc(b, e);
        p.text = ll_arena_printf(b->arena, "%s()", name ? name : "?");
        p.key = ll_arena_printf(b->arena, "%s()@%u:%u", name ? name : "?", l.line, l.col);
        p.cls = p.text;
        /* a direct call names its callee: a getter that returns a global's
         * address turns the path into the global's (getters.h) */
        CXCursor callee = clang_getCursorReferenced(e);
        if (clang_getCursorKind(callee) == CXCursor_FunctionDecl)
            p.root_usr = fe_string(b->arena, clang_getCursorUSR(callee));
        return p;
    }
    case CXCursor_IntegerLiteral:
    case CXCursor_StringLiteral:
    case CXCursor_CharacterLiteral:
    case CXCursor_FloatingLiteral: {
        struct ll_path p = {.root = LL_ROOT_NONE, .param = -1};
        return p;
    }
    default:
        break;
    }
    return path_unknown(b, "?");
}

/* The object a lock-API argument points to: `&x` is x, `p` is *p. */
static struct ll_path object_path(struct fn_builder *b, CXCursor arg)
{
    struct ll_path p = arg_path(b, arg);
    if (p.flags & LL_PATH_ADDR) {
        p.flags &= (uint8_t)~LL_PATH_ADDR;
        return p;
    }
    if (p.root == LL_ROOT_NONE)
        return p;
    struct ll_path d = p;
    d.flags = (uint8_t)((d.flags | LL_PATH_DEREF) & ~LL_PATH_MEMBER);
    d.key = ll_arena_printf(b->arena, "*%s", p.key);
    d.cls = ll_arena_printf(b->arena, "*%s", p.cls);
    d.emb = NULL;
    d.site = value_slot(b, arg, 0);
    return d; /* text stays "p": messages name the pointer as written */
}

/* Adds the lock object each arm of pointer value `v` points to (`&a`, both
 * arms of `c ? &a : &b`, nested) to `out` (distinct keys, at most
 * LL_LOCK_TARGETS_MAX); a null constant adds nothing.  False when an arm
 * is anything else, or there are too many. */
static bool add_targets(struct fn_builder *b, CXCursor v, struct ll_path *out, uint32_t *n,
                        unsigned depth)
{
    long long k;
    v = fe_strip(v);
    if (depth > 8)
        return false;
    if (clang_getCursorKind(v) == CXCursor_ConditionalOperator) {
        struct few f = few_children(v);
        return f.total == 3 && f.n == 3 && add_targets(b, f.v[1], out, n, depth + 1) &&
               add_targets(b, f.v[2], out, n, depth + 1);
    }
    if (clang_getCursorKind(v) == CXCursor_GNUNullExpr || (fe_eval_int(v, &k) && k == 0))
        return true;
    if (!object_address(v))
        return false;
    struct ll_path p = arg_path(b, v);
    if (!(p.flags & LL_PATH_ADDR) || !p.key || p.root == LL_ROOT_UNKNOWN ||
        p.root == LL_ROOT_NONE || p.root == LL_ROOT_CALL)
        return false;
    p.flags &= (uint8_t)~LL_PATH_ADDR;
    for (uint32_t i = 0; i < *n; i++)
        if (strcmp(out[i].key, p.key) == 0)
            return true;
    if (*n >= LL_LOCK_TARGETS_MAX)
        return false;
    out[(*n)++] = p;
    return true;
}

/*
 * The locks a lock-API argument `arg` may point to, when it is a local
 * pointer that the function sets only to lock objects' addresses and that
 * may point to two or more of them: `m = k ? &a : &b;`, or `m = &a;` and
 * `m = &b;` in two branches (never stepped, its address never taken, at
 * most four definitions).  Returns their number (0 when not so) and
 * fills `out` (LL_LOCK_TARGETS_MAX entries).  Which one it is on a path
 * is not known: the lock-order graph takes an edge for each.
 */
static uint32_t lock_targets(struct fn_builder *b, CXCursor arg, struct ll_path *out)
{
    CXCursor ref = local_ref(arg);
    struct fe_alias *a =
        clang_Cursor_isNull(ref) || b->aliases_full ? NULL : alias_of(b, ref, false);
    if (!a || a->bad || a->stepped || a->naddr || a->defs == 0 || a->nrhss != a->defs ||
        a->nrhss > FE_ALIAS_RHSS)
        return 0;
    uint32_t n = 0;
    for (unsigned i = 0; i < a->nrhss; i++)
        if (clang_Cursor_isNull(a->rhss[i]) || !add_targets(b, a->rhss[i], out, &n, 0))
            return 0;
    return n >= 2 ? n : 0;
}

const char *fe_local_var(struct fn_builder *b, CXCursor e)
{
    e = fe_strip(e);
    if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
        return NULL;
    CXCursor ref = clang_getCursorReferenced(e);
    enum CXCursorKind rk = clang_getCursorKind(ref);
    if (rk == CXCursor_VarDecl) {
        enum CX_StorageClass sc = clang_Cursor_getStorageClass(ref);
        if (sc == CX_SC_Static || sc == CX_SC_Extern ||
            clang_getCursorKind(clang_getCursorSemanticParent(ref)) != CXCursor_FunctionDecl)
            return NULL;
    } else if (rk != CXCursor_ParmDecl) {
        return NULL;
    }
    return fe_string(b->arena, clang_getCursorSpelling(ref));
}

struct ll_path fe_stored_pointer(struct fn_builder *b, CXCursor rhs)
{
    struct ll_path none = {.root = LL_ROOT_NONE, .param = -1};
    CXType t = clang_getCursorType(rhs);
    if (!is_pointer_type(t) || fe_is_fn_type(t) || !fe_local_var(b, rhs))
        return none;
    struct ll_path p = fe_path(b, rhs, 0);
    bool var = p.root == LL_ROOT_LOCAL || p.root == LL_ROOT_PARAM;
    return var && !(p.flags & (LL_PATH_DEREF | LL_PATH_ADDR)) ? p : none;
}

void fe_local_part_read(struct fn_builder *b, CXCursor rhs)
{
    CXCursor e = fe_strip(rhs);
    enum CXCursorKind k = clang_getCursorKind(e);
    CXType t = clang_getCursorType(e);
    bool rec = clang_getCanonicalType(t).kind == CXType_Record;
    bool part = (k == CXCursor_MemberRefExpr || k == CXCursor_ArraySubscriptExpr) &&
                (is_pointer_type(t) || is_array_type(t) || rec);
    bool whole = k == CXCursor_DeclRefExpr && (is_array_type(t) || rec);
    CXCursor base, index;
    if (!part && !whole && !fe_is_unop(e, CXUnaryOperator_AddrOf) &&
        !element_address(e, &base, &index))
        return;
    struct ll_path p = fe_path(b, e, 0);
    if (p.root != LL_ROOT_LOCAL || (p.flags & LL_PATH_DEREF) || !p.key)
        return;
    fe_emit(b, LL_EV_ACCESS, rhs)->obj = p;
}

/* The call `rhs` when a write of a local's part stores its result
 * (`st.buf = calloc(...)`): ll_event.aux of the write, so that fresh.h
 * sees the part hold a new block; else a path with root LL_ROOT_NONE. */
static struct ll_path part_allocation(struct fn_builder *b, const struct ll_event *w, CXCursor rhs)
{
    struct ll_path none = {.root = LL_ROOT_NONE, .param = -1};
    CXCursor e = fe_strip(rhs);
    if (w->obj.root != LL_ROOT_LOCAL || (w->obj.flags & LL_PATH_DEREF) ||
        !(w->obj.flags & (LL_PATH_MEMBER | LL_PATH_INDEXED)) ||
        clang_getCursorKind(e) != CXCursor_CallExpr || !is_pointer_type(clang_getCursorType(e)))
        return none;
    return fe_path(b, e, 0);
}

struct ll_path fe_loaded_pointer(struct fn_builder *b, CXCursor rhs)
{
    struct ll_path none = {.root = LL_ROOT_NONE, .param = -1};
    CXCursor e = fe_strip(rhs);
    CXType t = clang_getCursorType(e); /* an array decaying to a pointer is no load */
    enum CXCursorKind k = clang_getCursorKind(e);
    if (!is_pointer_type(clang_getCursorType(rhs)) || !is_pointer_type(t) || fe_is_fn_type(t) ||
        (k != CXCursor_MemberRefExpr && k != CXCursor_ArraySubscriptExpr &&
         k != CXCursor_UnaryOperator && k != CXCursor_DeclRefExpr) ||
        (k == CXCursor_UnaryOperator &&
         clang_getCursorUnaryOperatorKind(e) != CXUnaryOperator_Deref))
        return none;
    struct ll_path p = fe_path(b, e, 0);
    bool global = p.root == LL_ROOT_GLOBAL || p.root == LL_ROOT_STATIC_LOCAL;
    bool memory = global || ((p.root == LL_ROOT_LOCAL || p.root == LL_ROOT_PARAM) &&
                             (p.flags & LL_PATH_DEREF));
    return memory && p.key && !(p.flags & LL_PATH_ADDR) ? p : none;
}

/* ---- condition text ------------------------------------------------ */

/* True when the expression only reads locals and constants: no calls, no
 * assignments, no dereferences.  Collects the locals it reads. */
static bool pure_over_locals(struct fn_builder *b, CXCursor e, struct keyset *vars)
{
    size_t base = b->ncs;
    bool ok = true;
    unsigned budget = 64;
    CXCursor root = e;
    /* an explicit stack on the scratch array, starting with the root */
    {
        if (b->ncs == b->capcs) {
            size_t cap = b->capcs ? b->capcs * 2 : 256;
            CXCursor *v = realloc(b->cs, cap * sizeof(*v));
            if (!v) {
                b->oom = true;
                return false;
            }
            b->cs = v;
            b->capcs = cap;
        }
        b->cs[b->ncs++] = root;
    }
    while (ok && b->ncs > base) {
        CXCursor c = b->cs[--b->ncs];
        if (budget-- == 0) {
            ok = false;
            break;
        }
        enum CXCursorKind k = clang_getCursorKind(c);
        switch (k) {
        case CXCursor_DeclRefExpr: {
            const char *v = fe_local_var(b, c);
            CXCursor ref = clang_getCursorReferenced(c);
            if (v) {
                fe_keyset_add(b, vars, v);
            } else if (clang_getCursorKind(ref) == CXCursor_VarDecl) {
                /* a global flag (`if (config.threads) lock ... if
                 * (config.threads) unlock`): trusted not to change
                 * between the two tests unless this function writes it */
                struct ll_path gp = fe_path(b, c, 0);
                if (gp.key && (gp.root == LL_ROOT_GLOBAL || gp.root == LL_ROOT_STATIC_LOCAL))
                    fe_keyset_add(b, vars, gp.key);
                else
                    ok = false;
            } else if (clang_getCursorKind(ref) != CXCursor_EnumConstantDecl) {
                ok = false;
            }
            continue;
        }
        case CXCursor_MemberRefExpr: {
            /* a field reached from a local (`req->cb`, `s.flag`): named by
             * its path, forgotten when that path or the local is written */
            struct ll_path fp = fe_path(b, c, 0);
            if ((fp.root == LL_ROOT_LOCAL || fp.root == LL_ROOT_PARAM ||
                 fp.root == LL_ROOT_GLOBAL || fp.root == LL_ROOT_STATIC_LOCAL) &&
                fp.key && !(fp.flags & LL_PATH_INDEXED)) {
                fe_keyset_add(b, vars, fp.key);
                CXCursor owner = c;
                while (clang_getCursorKind(owner) == CXCursor_MemberRefExpr ||
                       clang_getCursorKind(owner) == CXCursor_UnexposedExpr ||
                       clang_getCursorKind(owner) == CXCursor_ParenExpr) {
                    struct few f = few_children(owner);
                    if (f.n == 0)
                        break;
                    owner = fe_strip(f.v[0]);
                }
                const char *local = fe_local_var(b, owner);
                if (local)
                    fe_keyset_add(b, vars, local);
                continue;
            }
            ok = false;
            continue;
        }
        case CXCursor_IntegerLiteral:
        case CXCursor_CharacterLiteral:
            continue;
        case CXCursor_BinaryOperator: {
            enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(c);
            if (op >= CXBinaryOperator_Assign)
                ok = false;
            break;
        }
        case CXCursor_UnaryOperator: {
            enum CXUnaryOperatorKind op = clang_getCursorUnaryOperatorKind(c);
            if (op <= CXUnaryOperator_PreDec || op == CXUnaryOperator_Deref)
                ok = false;
            break;
        }
        case CXCursor_ParenExpr:
        case CXCursor_UnexposedExpr:
        case CXCursor_CStyleCastExpr:
        case CXCursor_TypeRef:
            break;
        default:
            ok = false;
            break;
        }
        if (ok)
            fe_push_children(b, c);
    }
    b->ncs = base;
    return ok && !b->oom;
}

/* A condition's text rebuilt from its AST, for a condition that is not
 * its own source text (it starts or ends in a macro's body: `if
 * (THREADED)`, `if ((o)->shared)` inside a lock-if-shared macro).  The
 * text is the expansion's, spelled the way tokens_text() joins tokens,
 * so a condition spelled out and the same condition behind a macro read
 * alike: names, `.`/`->` members, integer values, operators, parentheses
 * and casts, which is all pure_over_locals() admits.  Returns false for
 * anything else or past the cap. */
struct ast_text {
    char buf[1024];
    size_t len;
    unsigned pieces; /* tokens_text()'s limit: 64 */
    bool prev_word, full;
};

static void ast_emit(struct ast_text *t, const char *s, bool word)
{
    if (t->full || !s || !*s)
        return;
    int w = snprintf(t->buf + t->len, sizeof(t->buf) - t->len, "%s%s",
                     t->prev_word && word ? " " : "", s);
    if (w < 0 || (size_t)w >= sizeof(t->buf) - t->len || ++t->pieces > 64) {
        t->full = true;
        return;
    }
    t->len += (size_t)w;
    t->prev_word = word;
}

static void ast_emit_string(struct ast_text *t, CXString s, bool word)
{
    ast_emit(t, clang_getCString(s), word);
    clang_disposeString(s);
}

static bool ast_text_of(struct ast_text *t, CXCursor e, unsigned depth)
{
    if (depth > 64 || t->full)
        return false;
    enum CXCursorKind k = clang_getCursorKind(e);
    struct few f = few_children(e);
    switch (k) {
    case CXCursor_DeclRefExpr:
        ast_emit_string(t, clang_getCursorSpelling(e), true);
        return true;
    case CXCursor_MemberRefExpr: {
        if (f.total != 1 || !ast_text_of(t, f.v[0], depth + 1))
            return false;
        CXString name = clang_getCursorSpelling(e);
        const char *n = clang_getCString(name);
        if (n && *n) /* an anonymous struct or union member is not written */
            ast_emit(t, is_pointer_type(clang_getCursorType(f.v[0])) ? "->" : ".", false);
        ast_emit_string(t, name, true);
        return true;
    }
    case CXCursor_IntegerLiteral:
    case CXCursor_CharacterLiteral: {
        long long v;
        char num[32];
        if (!fe_eval_int(e, &v))
            return false;
        snprintf(num, sizeof(num), "%lld", v);
        ast_emit(t, num, true);
        return true;
    }
    case CXCursor_BinaryOperator:
        if (f.total != 2 || !ast_text_of(t, f.v[0], depth + 1))
            return false;
        ast_emit_string(
            t, clang_getBinaryOperatorKindSpelling(clang_getCursorBinaryOperatorKind(e)), false);
        return ast_text_of(t, f.v[1], depth + 1);
    case CXCursor_UnaryOperator: {
        enum CXUnaryOperatorKind op = clang_getCursorUnaryOperatorKind(e);
        if (f.total != 1)
            return false;
        ast_emit_string(t, clang_getUnaryOperatorKindSpelling(op),
                        op == CXUnaryOperator_Extension || op == CXUnaryOperator_Real ||
                            op == CXUnaryOperator_Imag);
        return ast_text_of(t, f.v[0], depth + 1);
    }
    case CXCursor_ParenExpr:
        if (f.total != 1)
            return false;
        ast_emit(t, "(", false);
        if (!ast_text_of(t, f.v[0], depth + 1))
            return false;
        ast_emit(t, ")", false);
        return true;
    case CXCursor_UnexposedExpr: /* an implicit conversion */
        return f.total == 1 && ast_text_of(t, f.v[0], depth + 1);
    case CXCursor_CStyleCastExpr:
        if (f.total == 0 || f.total > 2)
            return false;
        ast_emit(t, "(", false);
        ast_emit_string(t, clang_getTypeSpelling(clang_getCursorType(e)), true);
        ast_emit(t, ")", false);
        return ast_text_of(t, f.v[f.n - 1], depth + 1);
    default:
        return false;
    }
}

static const char *ast_text(struct fn_builder *b, CXCursor e)
{
    struct ast_text t = {.len = 0};
    if (!ast_text_of(&t, e, 0) || t.full || t.len == 0)
        return NULL;
    return ll_arena_strndup(b->arena, t.buf, t.len);
}

const char *fe_cond_text(struct fn_builder *b, CXCursor e, const char ***vars, uint32_t *nvars)
{
    struct keyset vs = {0};
    *vars = NULL;
    *nvars = 0;
    const char *text = NULL;
    if (pure_over_locals(b, e, &vs) && vs.n > 0) {
        bool own = false;
        text = tokens_text(b, e, &own);
        if (!own)
            text = ast_text(b, e);
        const char **v = ll_arena_alloc(b->arena, vs.n * sizeof(*v));
        if (v && text) {
            memcpy(v, vs.v, vs.n * sizeof(*v));
            *vars = v;
            *nvars = (uint32_t)vs.n;
        } else {
            text = NULL;
        }
    }
    free(vs.v);
    return text;
}

/* ---- accesses ------------------------------------------------------ */

/* pthread_t / thrd_t: reading a local handle copies it somewhere (a
 * global table, a struct), which the thread analysis must see. */
static bool is_thread_handle(CXType t)
{
    CXString s = clang_getTypeSpelling(t);
    const char *n = clang_getCString(s);
    bool yes = n && (strcmp(n, "pthread_t") == 0 || strcmp(n, "thrd_t") == 0);
    clang_disposeString(s);
    return yes;
}

/* pthread_t / thrd_t, also under typedefs of them (stunnel's
 * `typedef pthread_t THREAD_ID;`). */
static bool thread_handle_typed(CXType t)
{
    for (int guard = 0; guard < 16; guard++) {
        if (is_thread_handle(t))
            return true;
        if (t.kind == CXType_Elaborated)
            t = clang_Type_getNamedType(t);
        else if (t.kind == CXType_Typedef)
            t = clang_getTypedefDeclUnderlyingType(clang_getTypeDeclaration(t));
        else
            return false;
    }
    return false;
}

/* The thread handle whose value `rhs` is (`tid`, `g_tid`, `p->tid`,
 * `list[i]`): a global's, a static's, a local's or one reached through a
 * pointer; false for anything else (a call's result, a constant). */
static bool handle_value(struct fn_builder *b, CXCursor rhs, struct ll_path *out)
{
    CXCursor e = fe_strip(rhs);
    enum CXCursorKind k = clang_getCursorKind(e);
    if ((k != CXCursor_DeclRefExpr && k != CXCursor_MemberRefExpr &&
         k != CXCursor_ArraySubscriptExpr && k != CXCursor_UnaryOperator) ||
        !thread_handle_typed(clang_getCursorType(e)))
        return false;
    *out = fe_path(b, e, 0);
    return out->key && out->cls && !(out->flags & LL_PATH_ADDR) &&
           (out->root == LL_ROOT_GLOBAL || out->root == LL_ROOT_STATIC_LOCAL ||
            out->root == LL_ROOT_LOCAL || out->root == LL_ROOT_PARAM);
}

bool fe_handle_copy(struct fn_builder *b, struct ll_event *w, CXCursor rhs)
{
    struct ll_path p;
    if (w->kind != LL_EV_ACCESS || !(w->flags & LL_EVF_WRITE) || w->nargs ||
        !handle_value(b, rhs, &p))
        return false;
    struct ll_path *a = ll_arena_alloc(b->arena, sizeof(*a));
    if (!a) {
        b->oom = true;
        return false;
    }
    *a = p;
    w->args = a;
    w->nargs = 1;
    return true;
}

bool fe_is_handle_value(struct fn_builder *b, CXCursor rhs)
{
    struct ll_path p;
    return handle_value(b, rhs, &p);
}

static CXCursor skip_parens(CXCursor e)
{
    for (int guard = 0; guard < 64 && clang_getCursorKind(e) == CXCursor_ParenExpr; guard++) {
        struct few f = few_children(e);
        if (f.n != 1)
            break;
        e = f.v[0];
    }
    return e;
}

/* `*(volatile T *)&x`: the ACCESS_ONCE idiom (the kernel's READ_ONCE and
 * WRITE_ONCE, liburcu's CMM_LOAD_SHARED and CMM_STORE_SHARED), an access
 * of x the program marks as meant to race, as it would a relaxed atomic
 * one.  A plain access of a `volatile` object is not marked. */
static bool access_once(CXCursor e)
{
    e = skip_parens(e);
    if (clang_getCursorKind(e) != CXCursor_UnaryOperator ||
        clang_getCursorUnaryOperatorKind(e) != CXUnaryOperator_Deref)
        return false;
    struct few f = few_children(e);
    CXCursor cast = f.n == 1 ? skip_parens(f.v[0]) : clang_getNullCursor();
    if (clang_getCursorKind(cast) != CXCursor_CStyleCastExpr)
        return false;
    CXType to = clang_getCanonicalType(clang_getCursorType(cast));
    if (to.kind != CXType_Pointer || !clang_isVolatileQualifiedType(clang_getPointeeType(to)))
        return false;
    struct few g = few_children(cast);
    CXCursor addr = g.n > 0 ? fe_strip(g.v[g.n - 1]) : clang_getNullCursor();
    return clang_getCursorKind(addr) == CXCursor_UnaryOperator &&
           clang_getCursorUnaryOperatorKind(addr) == CXUnaryOperator_AddrOf;
}

static void emit_access(struct fn_builder *b, CXCursor e, enum expr_ctx ctx)
{
    if (ctx == CTX_ADDR)
        return;
    CXType t = clang_getCursorType(e);
    if (ctx == CTX_READ && is_array_type(t))
        return; /* decays to a pointer: no memory is read */
    if (clang_getCanonicalType(t).kind == CXType_FunctionProto ||
        clang_getCanonicalType(t).kind == CXType_FunctionNoProto)
        return;
    struct ll_path p = fe_path(b, e, 0);
    if (p.root == LL_ROOT_NONE || p.root == LL_ROOT_UNKNOWN)
        return;
    /* Writes to plain locals are kept: the dataflow forgets what it knew
     * about a branch condition over them.  Their reads are not needed. */
    if ((p.root == LL_ROOT_LOCAL || p.root == LL_ROOT_PARAM) && !(p.flags & LL_PATH_DEREF) &&
        ctx != CTX_WRITE && ctx != CTX_RMW && !is_thread_handle(t))
        return;
    if (p.root == LL_ROOT_CALL && !(p.flags & LL_PATH_DEREF))
        return;
    struct ll_event *ev = fe_emit(b, LL_EV_ACCESS, e);
    ev->obj = p;
    if (ctx == CTX_WRITE || ctx == CTX_RMW)
        ev->flags |= LL_EVF_WRITE;
    if (ctx == CTX_RMW)
        ev->flags |= LL_EVF_UPDATE;
    if ((p.flags & LL_PATH_ATOMIC_TYPE) || access_once(e))
        ev->flags |= LL_EVF_ATOMIC;
}

/* ---- function pointers: slots and flows ---------------------------- */

bool fe_is_fn_type(CXType t)
{
    t = clang_getCanonicalType(t);
    if (t.kind == CXType_Pointer)
        t = clang_getCanonicalType(clang_getPointeeType(t));
    return t.kind == CXType_FunctionProto || t.kind == CXType_FunctionNoProto;
}

static const char *fn_usr(struct fn_builder *b)
{
    if (!b->fn_usr)
        b->fn_usr = fe_string(b->arena, clang_getCursorUSR(b->fn));
    return b->fn_usr ? b->fn_usr : "?";
}

/* The slot of a field: its struct type and name, or a union type whole. */
static const char *field_slot(struct ll_arena *a, CXCursor field, const char *file)
{
    CXCursor rec = clang_getCursorSemanticParent(field);
    CXString ts = clang_getTypeSpelling(clang_getCursorType(rec));
    const char *t = clang_getCString(ts);
    char *name = NULL;
    if (!t || strstr(t, "(unnamed") || strstr(t, "(anonymous"))
        name = ll_arena_printf(a, "%s <anon %s>",
                               clang_getCursorKind(rec) == CXCursor_UnionDecl ? "union" : "struct",
                               file);
    else
        name = ll_arena_strdup(a, t);
    clang_disposeString(ts);
    if (!name)
        return NULL;
    if (clang_getCursorKind(rec) == CXCursor_UnionDecl)
        return ll_arena_printf(a, "@field:%s", name);
    CXString fs = clang_getCursorSpelling(field);
    const char *slot = ll_arena_printf(a, "@field:%s.%s", name, clang_getCString(fs));
    clang_disposeString(fs);
    return slot;
}

static const char *base_name(struct ll_arena *a, CXCursor c)
{
    CXFile f = NULL;
    clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
    char *name = f ? fe_string(a, clang_getFileName(f)) : NULL;
    if (!name)
        return "?";
    const char *slash = strrchr(name, '/');
    return slash ? slash + 1 : name;
}

const char *fe_global_slot(struct ll_arena *a, CXCursor var)
{
    CXString ns = clang_getCursorSpelling(var);
    const char *slot =
        clang_Cursor_getStorageClass(var) == CX_SC_Static
            ? ll_arena_printf(a, "@var:%s:%s", base_name(a, var), clang_getCString(ns))
            : ll_arena_printf(a, "@var:%s", clang_getCString(ns));
    clang_disposeString(ns);
    return slot;
}

const char *fe_local_slot(struct fn_builder *b, CXCursor var)
{
    /* named by where it is declared too: the locals of nested scopes
     * (each pthread_cleanup_push's `__cancel_routine`) are not one */
    unsigned line = 0, col = 0;
    clang_getExpansionLocation(clang_getCursorLocation(var), NULL, &line, &col, NULL);
    CXString ns = clang_getCursorSpelling(var);
    const char *slot =
        ll_arena_printf(b->arena, "@local:%s:%s@%u:%u", fn_usr(b), clang_getCString(ns), line, col);
    clang_disposeString(ns);
    return slot;
}

const char *fe_fn_slot(struct fn_builder *b, CXCursor e)
{
    for (int guard = 0; guard < 16; guard++) {
        e = fe_strip(e);
        enum CXCursorKind k = clang_getCursorKind(e);
        struct few f = few_children(e);
        if (fe_is_unop(e, CXUnaryOperator_Deref) && f.n) {
            /* (*fp)(x) is fp(x); *pp of a pointer to a pointer is memory */
            if (!fe_is_fn_type(clang_getCursorType(fe_strip(f.v[0]))))
                return NULL;
            e = f.v[0];
            continue;
        }
        if (k == CXCursor_ArraySubscriptExpr && f.n) {
            e = f.v[0]; /* handlers[i](x): the array's slot */
            continue;
        }
        if (k == CXCursor_DeclRefExpr) {
            CXCursor ref = clang_getCursorReferenced(e);
            enum CXCursorKind rk = clang_getCursorKind(ref);
            if (rk == CXCursor_ParmDecl)
                return ll_arena_printf(b->arena, "@arg:%s#%d", fn_usr(b), param_index(b, ref));
            if (rk != CXCursor_VarDecl)
                return NULL;
            struct ll_path p = path_var(b, ref);
            if (p.root == LL_ROOT_LOCAL)
                return fe_local_slot(b, ref);
            return p.cls ? ll_arena_printf(b->arena, "@var:%s", p.cls) : NULL;
        }
        if (k == CXCursor_MemberRefExpr && f.n) {
            CXCursor field = clang_getCursorReferenced(e);
            CXCursor rec = clang_getCursorSemanticParent(field);
            CXCursor base = fe_strip(f.v[0]);
            /* a local union (`f.in = entry; ... f.out`): the local whole */
            if (clang_getCursorKind(rec) == CXCursor_UnionDecl &&
                !is_pointer_type(clang_getCursorType(base)) &&
                clang_getCursorKind(base) == CXCursor_DeclRefExpr) {
                const char *slot = fe_fn_slot(b, base);
                if (slot && strncmp(slot, "@local:", 7) == 0)
                    return slot;
            }
            return field_slot(b->arena, field, base_name(b->arena, rec));
        }
        if (k == CXCursor_CallExpr) {
            CXCursor ref = clang_getCursorReferenced(e);
            if (clang_getCursorKind(ref) != CXCursor_FunctionDecl)
                return NULL;
            char *usr = fe_string(b->arena, clang_getCursorUSR(ref));
            return usr ? ll_arena_printf(b->arena, "@ret:%s", usr) : NULL;
        }
        return NULL;
    }
    return NULL;
}

/* Records the flows of the function-pointer value `src` into `slot`: a
 * function it names, or the slot it is read from; both arms of `?:`.
 * Without a builder (a file-scope initialiser) only functions count. */
static void value_flows(struct tu_ctx *tu, struct fn_builder *b, CXCursor src, const char *slot,
                        unsigned depth)
{
    if (!slot || depth > 8)
        return;
    CXCursor e = fe_strip(src);
    struct few f = few_children(e);
    if (fe_is_unop(e, CXUnaryOperator_AddrOf) && f.n)
        e = fe_strip(f.v[0]);
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_ConditionalOperator) {
        f = few_children(e);
        if (f.n == 3) {
            value_flows(tu, b, f.v[1], slot, depth + 1);
            value_flows(tu, b, f.v[2], slot, depth + 1);
        }
        return;
    }
    if (k == CXCursor_DeclRefExpr) {
        CXCursor ref = clang_getCursorReferenced(e);
        if (clang_getCursorKind(ref) == CXCursor_FunctionDecl) {
            fe_add_flow(tu, fe_string(&tu->facts->arena, clang_getCursorUSR(ref)), slot, e);
            return;
        }
    }
    if (b && fe_is_fn_type(clang_getCursorType(e)))
        fe_add_flow(tu, fe_fn_slot(b, e), slot, e);
}

void fe_fn_flow(struct fn_builder *b, CXCursor src, const char *slot)
{
    value_flows(b->tu, b, src, slot, 0);
}

struct field_at {
    unsigned want, i;
    CXCursor hit;
};

static enum CXVisitorResult nth_field(CXCursor c, CXClientData data)
{
    struct field_at *fa = data;
    if (fa->i++ == fa->want) {
        fa->hit = c;
        return CXVisit_Break;
    }
    return CXVisit_Continue;
}

struct kids {
    CXCursor *v;
    size_t n, cap;
    bool oom;
};

static enum CXChildVisitResult collect_kid(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    struct kids *k = data;
    if (k->n >= 4096) /* enough of a table */
        return CXChildVisit_Break;
    if (!ll_grow((void **)&k->v, &k->cap, k->n, sizeof(*k->v))) {
        k->oom = true;
        return CXChildVisit_Break;
    }
    k->v[k->n++] = c;
    return CXChildVisit_Continue;
}

/* The field a member of a record initialiser names: a designator
 * (`.run = f`, whose last MemberRef wins) or its position. */
static CXCursor init_field(CXCursor elem, CXType rec, unsigned *pos, CXCursor *value)
{
    *value = elem;
    if (clang_getCursorKind(elem) == CXCursor_UnexposedExpr) {
        struct kids k = {NULL, 0, 0, false};
        clang_visitChildren(elem, collect_kid, &k);
        CXCursor field = clang_getNullCursor();
        for (size_t i = 0; i + 1 < k.n; i++)
            if (clang_getCursorKind(k.v[i]) == CXCursor_MemberRef)
                field = clang_getCursorReferenced(k.v[i]);
        if (!clang_Cursor_isNull(field) && k.n > 0) {
            *value = k.v[k.n - 1];
            free(k.v);
            /* positional members after a designator follow it */
            unsigned idx = 0;
            for (; idx < 4096; idx++) {
                struct field_at scan = {idx, 0, clang_getNullCursor()};
                clang_Type_visitFields(rec, nth_field, &scan);
                if (clang_Cursor_isNull(scan.hit) || clang_equalCursors(scan.hit, field))
                    break;
            }
            *pos = idx + 1;
            return field;
        }
        free(k.v);
    }
    struct field_at fa = {(*pos)++, 0, clang_getNullCursor()};
    clang_Type_visitFields(rec, nth_field, &fa);
    return fa.hit;
}

void fe_init_flows(struct tu_ctx *tu, struct fn_builder *b, CXCursor init, const char *slot,
                   unsigned depth)
{
    CXCursor e = fe_strip(init);
    if (depth > 16)
        return;
    if (clang_getCursorKind(e) != CXCursor_InitListExpr) {
        value_flows(tu, b, e, slot, 0);
        return;
    }
    CXType t = clang_getCanonicalType(clang_getCursorType(e));
    struct kids k = {NULL, 0, 0, false};
    clang_visitChildren(e, collect_kid, &k);
    if (k.oom)
        tu->oom = true;
    unsigned pos = 0;
    for (size_t i = 0; i < k.n && !tu->oom; i++) {
        if (t.kind != CXType_Record) { /* an array: every element into its slot */
            fe_init_flows(tu, b, k.v[i], slot, depth + 1);
            continue;
        }
        CXCursor value;
        CXCursor field = init_field(k.v[i], t, &pos, &value);
        if (clang_Cursor_isNull(field))
            continue;
        CXCursor rec = clang_getCursorSemanticParent(field);
        const char *fslot = field_slot(&tu->facts->arena, field, base_name(&tu->facts->arena, rec));
        /* a block pointer a struct initialiser stores (sites.h) */
        if (b && fslot && clang_getCursorKind(fe_strip(value)) != CXCursor_InitListExpr &&
            is_data_pointer(clang_getCursorType(field)))
            fe_add_ptrflow(tu, value_source(b, value), fslot, value);
        fe_init_flows(tu, b, value, fslot, depth + 1);
    }
    free(k.v);
}

/* The start routine of a creation through a local (`f.in = entry; ...
 * pthread_create(t, a, f.out, arg)`, libuv's union): what the local holds
 * when the function stores one thing in it -- a function, or a parameter,
 * which makes this function a creation wrapper (thread_wrappers.h). */
void fe_resolve_local_starts(struct fn_builder *b, size_t first_fnref)
{
    const struct tu_ctx *tu = b->tu;
    for (uint32_t k = 0; k < b->nblocks; k++)
        for (uint32_t i = 0; i < b->blocks[k].nevents; i++) {
            struct ll_event *ev = &b->blocks[k].events[i];
            if (ev->kind != LL_EV_THREAD_CREATE || !ev->callee ||
                strncmp(ev->callee, "@local:", 7) != 0)
                continue;
            const char *only = NULL;
            bool one = true;
            for (size_t r = first_fnref; r < tu->nfnrefs && one; r++) {
                const struct ll_fnref *fr = &tu->fnrefs[r];
                if (strcmp(fr->context, ev->callee) != 0)
                    continue;
                one = !only || strcmp(only, fr->usr) == 0;
                only = fr->usr;
            }
            if (!one || !only || strncmp(only, "@local:", 7) == 0)
                continue;
            size_t own = strlen("@arg:") + strlen(fn_usr(b));
            if (strncmp(only, "@arg:", 5) == 0 && strncmp(only + 5, fn_usr(b), own - 5) == 0 &&
                only[own] == '#')
                ev->callee =
                    ll_arena_printf(b->arena, "%s%s", LL_START_PARAM_PREFIX, only + own + 1);
            else
                ev->callee = only;
        }
}

/* ---- calls --------------------------------------------------------- */

/* A function the callee expression of an indirect call always names: a
 * local function pointer set once to `fn` or `&fn` (local_value()).  This
 * is how a call through `void (*routine)(void *) = unlock_cb;` (what
 * pthread_cleanup_push/pop expand to in glibc) reaches `unlock_cb`. */
static CXCursor kept_function(struct fn_builder *b, CXCursor callee)
{
    CXCursor init = local_value(b, local_ref(callee), true);
    if (clang_Cursor_isNull(init))
        return init;
    if (fe_is_unop(init, CXUnaryOperator_AddrOf)) {
        struct few f = few_children(init);
        if (f.n)
            init = fe_strip(f.v[0]);
    }
    if (clang_getCursorKind(init) != CXCursor_DeclRefExpr)
        return clang_getNullCursor();
    CXCursor ref = clang_getCursorReferenced(init);
    return clang_getCursorKind(ref) == CXCursor_FunctionDecl ? ref : clang_getNullCursor();
}

static bool by_value_param(CXCursor parm);

/* Whether two pointer types point to the same type, qualifiers aside. */
static bool same_pointee(CXType a, CXType b)
{
    a = clang_getCanonicalType(a);
    b = clang_getCanonicalType(b);
    if (a.kind != CXType_Pointer || b.kind != CXType_Pointer)
        return false;
    CXType pa = clang_getUnqualifiedType(clang_getCanonicalType(clang_getPointeeType(a)));
    CXType pb = clang_getUnqualifiedType(clang_getCanonicalType(clang_getPointeeType(b)));
    return clang_equalTypes(pa, pb) != 0;
}

/*
 * Whether p, what return value e gives, is a parameter of b's function
 * itself or the address of a part of what it points to (`&o->lock`,
 * `&o->in.lock`): a getter of its argument's part (getters.h).  Only with
 * no cast between it and the result: `(struct shard *)self` is another
 * view of the block, `(mutex_t *)&o->storage` another object.
 */
static bool param_part(struct fn_builder *b, const struct ll_path *p, CXCursor e)
{
    if (p->root != LL_ROOT_PARAM || p->param < 0 || !p->key ||
        p->param >= clang_Cursor_getNumArguments(b->fn))
        return false;
    CXCursor parm = clang_Cursor_getArgument(b->fn, (unsigned)p->param);
    CXType result = clang_getResultType(clang_getCursorType(b->fn));
    CXType given =
        (p->flags & LL_PATH_ADDR) ? clang_getCursorType(fe_strip(e)) : clang_getCursorType(parm);
    if (by_value_param(parm) || !same_pointee(given, result))
        return false;
    CXString s = clang_getCursorSpelling(parm);
    bool ok = ll_path_param_part(p, clang_getCString(s));
    clang_disposeString(s);
    return ok;
}

struct ll_path fe_returned_path(struct fn_builder *b, CXCursor e)
{
    struct ll_path none = {.root = LL_ROOT_NONE, .param = -1};
    if (!is_pointer_type(clang_getCursorType(e)))
        return none;
    struct ll_path p = value_path(b, e);
    bool global = p.root == LL_ROOT_GLOBAL || p.root == LL_ROOT_STATIC_LOCAL;
    if ((global && (p.flags & LL_PATH_ADDR)) || (p.root == LL_ROOT_CALL && p.root_usr))
        return p;
    return param_part(b, &p, e) ? p : none;
}

static CXCursor call_arg(CXCursor call, int i)
{
    return clang_Cursor_getArgument(call, (unsigned)i);
}

static const char *start_routine(struct fn_builder *b, CXCursor arg, CXCursor at)
{
    CXCursor s = fe_strip(arg);
    if (clang_getCursorKind(s) == CXCursor_UnaryOperator &&
        clang_getCursorUnaryOperatorKind(s) == CXUnaryOperator_AddrOf) {
        struct few f = few_children(s);
        if (f.n)
            s = fe_strip(f.v[0]);
    }
    if (clang_getCursorKind(s) != CXCursor_DeclRefExpr)
        return fe_fn_slot(b, arg); /* through a field, an array, a call: resolved later */
    CXCursor ref = clang_getCursorReferenced(s);
    (void)at;
    if (clang_getCursorKind(ref) == CXCursor_ParmDecl) /* a creation wrapper */
        return ll_arena_printf(b->arena, "%s%d", LL_START_PARAM_PREFIX, param_index(b, ref));
    if (clang_getCursorKind(ref) != CXCursor_FunctionDecl)
        return fe_fn_slot(b, arg);
    return fe_string(b->arena, clang_getCursorUSR(ref));
}

/* Whether a ParmDecl holds its object itself (a mutex or a struct passed
 * by value), not a pointer to it. */
static bool by_value_param(CXCursor parm)
{
    enum CXTypeKind k = clang_getCanonicalType(clang_getCursorType(parm)).kind;
    return k != CXType_Pointer && k != CXType_ConstantArray && k != CXType_IncompleteArray &&
           k != CXType_VariableArray && k != CXType_DependentSizedArray;
}

/* A handle path as the self-id set keeps it: with the block it was set
 * in, since a detach counts only in the same straight-line run (the
 * other arm of an `if` may fill the handle with a creation). */
static const char *self_key(struct fn_builder *b, const char *key)
{
    const char *k = ll_arena_printf(b->arena, "%u|%s", b->cur, key);
    if (!k)
        b->oom = true;
    return k;
}

/* A lock named through a by-value parameter (`&m` of `pthread_mutex_t m`,
 * `&c.lock` of `struct client c`) is the function's own copy, not its
 * caller's argument: a local, so that no summary hands it to callers. */
static void own_copy(struct fn_builder *b, struct ll_path *p)
{
    if (p->root != LL_ROOT_PARAM || (p->flags & LL_PATH_DEREF) || p->param < 0 ||
        p->param >= clang_Cursor_getNumArguments(b->fn) ||
        !by_value_param(clang_Cursor_getArgument(b->fn, (unsigned)p->param)))
        return;
    p->root = LL_ROOT_LOCAL;
    p->param = -1;
}

static void api_event(struct fn_builder *b, CXCursor call, const struct ll_api *api,
                      const char *name, int nargs)
{
    struct ll_path obj = {.param = -1}, aux = {.param = -1};
    if (api->obj_arg >= 0 && api->obj_arg < nargs)
        obj = object_path(b, call_arg(call, api->obj_arg));
    if (api->op == LL_OP_LOCK || api->op == LL_OP_TRYLOCK || api->op == LL_OP_UNLOCK ||
        api->op == LL_OP_LOCK_INIT || api->op == LL_OP_LOCK_DESTROY)
        own_copy(b, &obj);
    struct ll_event *ev = NULL;
    long long k = 0;
    switch ((enum ll_api_op)api->op) {
    case LL_OP_LOCK:
    case LL_OP_TRYLOCK: {
        struct ll_path targets[LL_LOCK_TARGETS_MAX];
        uint32_t nt = api->obj_arg >= 0 && api->obj_arg < nargs && (obj.flags & LL_PATH_DEREF)
                          ? lock_targets(b, call_arg(call, api->obj_arg), targets)
                          : 0;
        ev = fe_emit(b, api->op == LL_OP_LOCK ? LL_EV_ACQUIRE : LL_EV_TRYACQUIRE, call);
        if (nt && !(ev->args = ll_arena_alloc(b->arena, nt * sizeof(*ev->args))))
            b->oom = true;
        else if (nt) {
            memcpy(ev->args, targets, nt * sizeof(*ev->args));
            ev->nargs = nt;
        }
        break;
    }
    case LL_OP_UNLOCK:
        ev = fe_emit(b, LL_EV_RELEASE, call);
        break;
    case LL_OP_LOCK_INIT: {
        uint8_t kind = api->lock_kind;
        if (api->start_arg >= 0 && api->start_arg < nargs) {
            CXCursor a = call_arg(call, api->start_arg);
            if (kind == LL_LK_C11_MTX) {
                if (fe_eval_int(a, &k) && (k & 1)) /* mtx_recursive */
                    kind = LL_LK_RECURSIVE;
            } else {
                aux = object_path(b, a);
                if (fe_keyset_has(&b->recursive_attrs, aux.key))
                    kind = LL_LK_RECURSIVE;
            }
        }
        ev = fe_emit(b, LL_EV_LOCK_INIT, call);
        ev->obj = obj;
        ev->aux = aux;
        ev->lock_kind = kind;
        ev->api = name;
        return;
    }
    case LL_OP_COND_WAIT:
        if (api->aux_arg >= 0 && api->aux_arg < nargs)
            aux = object_path(b, call_arg(call, api->aux_arg));
        own_copy(b, &aux);
        ev = fe_emit(b, LL_EV_COND_WAIT, call);
        break;
    case LL_OP_COND_SIGNAL:
        ev = fe_emit(b, LL_EV_COND_SIGNAL, call);
        break;
    case LL_OP_THREAD_CREATE: {
        if (api->aux_arg >= 0 && api->aux_arg < nargs) {
            CXCursor arg = call_arg(call, api->aux_arg);
            aux = base_path(b, arg, 0);
            /* `buf` for a local `char buf[64]` decays to the array's
             * address: the object itself, as `&buf` */
            if (!(aux.flags & (LL_PATH_ADDR | LL_PATH_DEREF)) &&
                is_array_type(clang_getCursorType(fe_strip(arg))))
                aux.flags |= LL_PATH_ADDR;
            if (!(aux.flags & LL_PATH_ADDR))
                aux.site = value_slot(b, arg, 0);
        }
        const char *start = NULL;
        if (api->start_arg >= 0 && api->start_arg < nargs)
            start = start_routine(b, call_arg(call, api->start_arg), call);
        /* the start argument flows into the routine's parameter (sites.h) */
        if (start && start[0] != '@' && api->aux_arg >= 0 && api->aux_arg < nargs)
            fe_add_ptrflow(b->tu, value_source(b, call_arg(call, api->aux_arg)),
                           ll_arena_printf(b->arena, "@arg:%s#0", start), call);
        bool detached = false;
        if (api->attr_arg >= 0 && api->attr_arg < nargs)
            detached = fe_keyset_has(&b->detached_attrs,
                                     object_path(b, call_arg(call, api->attr_arg)).key);
        ev = fe_emit(b, LL_EV_THREAD_CREATE, call);
        ev->callee = start;
        if (detached)
            ev->flags |= LL_EVF_DETACHED;
        break;
    }
    case LL_OP_JOIN:
    case LL_OP_DETACH:
        if (api->obj_arg >= 0 && api->obj_arg < nargs)
            obj = fe_path(b, call_arg(call, api->obj_arg), 0);
        if (api->op == LL_OP_DETACH && obj.key &&
            fe_keyset_has(&b->self_handles, self_key(b, obj.key))) {
            memset(&obj, 0, sizeof(obj)); /* its own id, stored first: detaches itself */
            obj.root = LL_ROOT_NONE;
            obj.param = -1;
        }
        ev = fe_emit(b, api->op == LL_OP_JOIN ? LL_EV_JOIN : LL_EV_DETACH, call);
        break;
    case LL_OP_SEM_WAIT:
    case LL_OP_SEM_TRYWAIT:
        ev = fe_emit(b, LL_EV_SEM_WAIT, call);
        if (api->op == LL_OP_SEM_TRYWAIT)
            ev->flags |= LL_EVF_TIMED;
        break;
    case LL_OP_SEM_POST:
        ev = fe_emit(b, LL_EV_SEM_POST, call);
        break;
    case LL_OP_BLOCKING:
        ev = fe_emit(b, LL_EV_BLOCKING, call);
        break;
    case LL_OP_ATOMIC:
        if (obj.root == LL_ROOT_NONE)
            return;
        for (int i = 0; i < nargs && aux.root == LL_ROOT_NONE; i++)
            if (i != api->obj_arg)
                aux = fe_stored_pointer(b, call_arg(call, i));
        ev = fe_emit(b, LL_EV_ACCESS, call);
        ev->flags |= LL_EVF_ATOMIC;
        if (api->flags & LL_API_ATOMIC_RMW)
            ev->flags |= LL_EVF_WRITE;
        break;
    case LL_OP_ATTR_DETACHED:
        if (nargs > 1 && fe_eval_int(call_arg(call, 1), &k) && k == 1) /* PTHREAD_CREATE_DETACHED */
            fe_keyset_add(b, &b->detached_attrs, obj.key);
        return;
    case LL_OP_ATTR_SETTYPE:
        if (nargs > 1 && fe_eval_int(call_arg(call, 1), &k) &&
            k == 1) { /* PTHREAD_MUTEX_RECURSIVE */
            fe_keyset_add(b, &b->recursive_attrs, obj.key);
            /* for inits in other functions (a global attribute object set
             * up once and reused): the view matches them by class */
            ev = fe_emit(b, LL_EV_ATTR_RECURSIVE, call);
            ev->obj = obj;
            ev->api = name;
        }
        return;
    case LL_OP_LOCK_DESTROY:
        ev = fe_emit(b, LL_EV_LOCK_DESTROY, call);
        break;
    case LL_OP_ONCE:
        /* the routine runs here (once): a call of it, without arguments */
        if (api->start_arg < 0 || api->start_arg >= nargs)
            return;
        ev = fe_emit(b, LL_EV_CALL, call);
        ev->callee = start_routine(b, call_arg(call, api->start_arg), call);
        if (ll_is_slot(ev->callee))
            ev->flags |= LL_EVF_INDIRECT;
        else if (ev->callee && ev->callee[0] == '@')
            ev->callee = NULL; /* a parameter: whatever the caller passes, unknown */
        ev->api = name;
        return;
    case LL_OP_BARRIER_INIT:
        ev = fe_emit(b, LL_EV_BARRIER_INIT, call);
        if (api->start_arg >= 0 && api->start_arg < nargs &&
            fe_eval_int(call_arg(call, api->start_arg), &k) && k > 0)
            ev->result_var = ll_arena_printf(b->arena, "%lld", k);
        break;
    case LL_OP_BARRIER_WAIT:
        ev = fe_emit(b, LL_EV_BARRIER_WAIT, call);
        break;
    case LL_OP_NORETURN:
        ev = fe_emit(b, LL_EV_CALL, call);
        ev->flags |= LL_EVF_NORETURN;
        ev->api = name;
        return;
    }
    ev->obj = obj;
    ev->aux = aux;
    ev->mode = api->mode;
    ev->lock_kind = api->lock_kind;
    ev->api = name;
    if (api->flags & LL_API_TIMED)
        ev->flags |= LL_EVF_TIMED;
    if ((api->flags & LL_API_OK_NONZERO) && ev->kind == LL_EV_ACQUIRE)
        ev->flags |= LL_EVF_OK_NONZERO;
}

/* ---- whole structs ------------------------------------------------- */

/* Fields of a struct followed, per struct and in depth: a copy of a larger
 * struct is checked on its first fields. */
#define WHOLE_FIELDS 32
#define WHOLE_DEPTH 2

struct field_list {
    CXCursor v[WHOLE_FIELDS];
    unsigned n;
};

static enum CXVisitorResult collect_field(CXCursor c, CXClientData data)
{
    struct field_list *l = data;
    if (l->n == WHOLE_FIELDS)
        return CXVisit_Break;
    l->v[l->n++] = c;
    return CXVisit_Continue;
}

static bool type_is_lock(CXType t)
{
    CXString s = clang_getTypeSpelling(clang_getCanonicalType(t));
    const char *n = clang_getCString(s);
    bool lock = n && (strstr(n, "pthread_mutex_t") || strstr(n, "pthread_rwlock_t") ||
                      strstr(n, "pthread_spinlock_t") || strstr(n, "pthread_cond_t") ||
                      strstr(n, "mtx_t") || strstr(n, "cnd_t") || strstr(n, "union pthread_"));
    clang_disposeString(s);
    return lock;
}

/* An access of path p at cursor `at`, atomic when its type is. */
static void path_access(struct fn_builder *b, CXCursor at, const struct ll_path *p, bool write)
{
    struct ll_event *ev = fe_emit(b, LL_EV_ACCESS, at);
    ev->obj = *p;
    if (write)
        ev->flags |= LL_EVF_WRITE;
    if (p->flags & LL_PATH_ATOMIC_TYPE)
        ev->flags |= LL_EVF_ATOMIC;
}

/* An access of every field of the struct of type `rec` that bp names (or
 * points to: `arrow`), at `at`: a struct assignment, memcpy() or memset()
 * writes (or reads) each field, so it conflicts with the field accesses of
 * other threads.  Locks and condition variables in it are left out. */
static void field_accesses(struct fn_builder *b, CXCursor at, const struct ll_path *bp, bool arrow,
                           CXType rec, bool write, unsigned depth)
{
    struct field_list l = {.n = 0};
    clang_Type_visitFields(clang_getCanonicalType(rec), collect_field, &l);
    for (unsigned i = 0; i < l.n && !b->oom; i++) {
        CXType ft = clang_getCursorType(l.v[i]), ct = clang_getCanonicalType(ft);
        char *fname = fe_string(b->arena, clang_getCursorSpelling(l.v[i]));
        if (!fname || !*fname || type_is_lock(ft))
            continue; /* unnamed bit-fields, anonymous members, locks */
        struct ll_path p = member_path(b, bp, arrow, l.v[i], fname, ft);
        if (ct.kind == CXType_Record) {
            if (depth + 1 < WHOLE_DEPTH)
                field_accesses(b, at, &p, false, ft, write, depth + 1);
            continue;
        }
        if (is_array_type(ct)) {
            CXType et = clang_getCanonicalType(clang_getArrayElementType(ct));
            if (et.kind == CXType_Record || type_is_lock(et))
                continue;
            struct ll_path q = p;
            q.flags = (uint8_t)((p.flags & ~(LL_PATH_ATOMIC_TYPE | LL_PATH_CONST)) |
                                LL_PATH_INDEXED | type_flags(et));
            q.text = ll_arena_printf(b->arena, "%s[?]", p.text);
            q.key = ll_arena_printf(b->arena, "%s[?]", p.key);
            q.cls = ll_arena_printf(b->arena, "%s[]", p.cls);
            q.emb = p.emb ? ll_arena_printf(b->arena, "%s[]", p.emb) : NULL;
            p = q;
        }
        path_access(b, at, &p, write);
    }
}

/* The fields of the struct lvalue `e` (`s`, `*p`, `c->in`), accessed at
 * `at` as a whole. */
static void whole_struct(struct fn_builder *b, CXCursor at, CXCursor e, bool write)
{
    CXCursor s = fe_strip(e);
    CXType rec = clang_getCanonicalType(clang_getCursorType(s));
    if (rec.kind != CXType_Record || type_is_lock(rec))
        return; /* a lock copied whole is no data (lock-copy's business) */
    struct ll_path bp;
    bool arrow = false;
    struct few f = few_children(s);
    if (fe_is_unop(s, CXUnaryOperator_Deref) && f.n == 1) {
        bp = base_path(b, f.v[0], 1);
        arrow = !(bp.flags & LL_PATH_ADDR);
        bp.flags &= (uint8_t)~LL_PATH_ADDR;
    } else {
        enum CXCursorKind k = clang_getCursorKind(s);
        if (k != CXCursor_DeclRefExpr && k != CXCursor_MemberRefExpr &&
            k != CXCursor_ArraySubscriptExpr)
            return; /* a call's result, a compound literal: nobody else's */
        bp = fe_path(b, s, 1);
    }
    if (bp.root == LL_ROOT_NONE || bp.root == LL_ROOT_UNKNOWN || !bp.key ||
        (!arrow && !(bp.flags & LL_PATH_DEREF) &&
         (bp.root == LL_ROOT_LOCAL || bp.root == LL_ROOT_PARAM)))
        return; /* a local struct */
    field_accesses(b, at, &bp, arrow, rec, write, 0);
}

/* The fields of the struct pointer `ptr` points to (memcpy, memset). */
static void pointed_struct(struct fn_builder *b, CXCursor at, CXCursor ptr, bool write)
{
    CXCursor s = fe_strip(ptr);
    CXType t = clang_getCanonicalType(clang_getCursorType(s));
    if (t.kind != CXType_Pointer ||
        clang_getCanonicalType(clang_getPointeeType(t)).kind != CXType_Record)
        return;
    struct ll_path bp = arg_path(b, s);
    bool arrow = !(bp.flags & LL_PATH_ADDR);
    bp.flags &= (uint8_t)~LL_PATH_ADDR;
    if (bp.root == LL_ROOT_NONE || bp.root == LL_ROOT_UNKNOWN || !bp.key ||
        (!arrow && !(bp.flags & LL_PATH_DEREF) &&
         (bp.root == LL_ROOT_LOCAL || bp.root == LL_ROOT_PARAM)))
        return;
    field_accesses(b, at, &bp, arrow, clang_getPointeeType(t), write, 0);
}

/* ---- copies of locks --------------------------------------------------- */

/* Whether objects of type t are locks whose copy is no lock: a pthread
 * mutex, rwlock or spinlock, or a C11 mtx_t, by the name written (a
 * spinlock is a `volatile int`) or the type it stands for. */
static bool type_is_copied_lock(CXType t)
{
    CXType ts[2] = {t, clang_getCanonicalType(t)};
    bool lock = false;
    for (int i = 0; i < 2 && !lock; i++) {
        CXString s = clang_getTypeSpelling(ts[i]);
        const char *n = clang_getCString(s);
        lock = n && (strstr(n, "pthread_mutex_t") || strstr(n, "pthread_rwlock_t") ||
                     strstr(n, "pthread_spinlock_t") || strstr(n, "mtx_t") ||
                     strstr(n, "union pthread_mutex") || strstr(n, "union pthread_rwlock"));
        clang_disposeString(s);
    }
    return lock;
}

/* A LOCK_COPY event at `at` for every lock in the object `dst` names, of
 * type t: the lock itself, or the locks among its fields (two levels, the
 * first WHOLE_FIELDS fields), each copied from the same field of `src`
 * (the object, or what it points to when `arrow`). */
static void lock_copies(struct fn_builder *b, CXCursor at, const struct ll_path *dst,
                        const struct ll_path *src, bool arrow, CXType t, unsigned depth)
{
    if (type_is_copied_lock(t)) {
        struct ll_event *ev = fe_emit(b, LL_EV_LOCK_COPY, at);
        if (!ev)
            return;
        ev->obj = *dst;
        ev->aux = *src;
        if (arrow) { /* `pthread_mutex_t m = *mp;` */
            ev->aux.flags = (uint8_t)((src->flags | LL_PATH_DEREF) & ~LL_PATH_MEMBER);
            ev->aux.key = ll_arena_printf(b->arena, "*%s", src->key ? src->key : "?");
            ev->aux.text = ll_arena_printf(b->arena, "*%s", src->text ? src->text : "?");
        }
        return;
    }
    CXType ct = clang_getCanonicalType(t);
    if (ct.kind != CXType_Record || depth >= WHOLE_DEPTH)
        return;
    struct field_list l = {.n = 0};
    clang_Type_visitFields(ct, collect_field, &l);
    for (unsigned i = 0; i < l.n && !b->oom; i++) {
        CXType ft = clang_getCursorType(l.v[i]);
        enum CXTypeKind fk = clang_getCanonicalType(ft).kind;
        if (fk != CXType_Record && !type_is_copied_lock(ft))
            continue;
        char *fname = fe_string(b->arena, clang_getCursorSpelling(l.v[i]));
        if (!fname || !*fname)
            continue;
        struct ll_path d = member_path(b, dst, false, l.v[i], fname, ft);
        struct ll_path s = member_path(b, src, arrow, l.v[i], fname, ft);
        lock_copies(b, at, &d, &s, false, ft, depth + 1);
    }
}

/* Whether type t is a lock or a struct with a lock among the fields
 * lock_copies() follows. */
static bool holds_lock(CXType t, unsigned depth)
{
    if (type_is_copied_lock(t))
        return true;
    CXType ct = clang_getCanonicalType(t);
    if (ct.kind != CXType_Record || depth >= WHOLE_DEPTH)
        return false;
    struct field_list l = {.n = 0};
    clang_Type_visitFields(ct, collect_field, &l);
    for (unsigned i = 0; i < l.n; i++)
        if (holds_lock(clang_getCursorType(l.v[i]), depth + 1))
            return true;
    return false;
}

/* The object an lvalue `e` of a lock or struct type names: its path, and
 * whether the path is a pointer to it (`*p`: `p`, arrow).  False for
 * anything else (a call's result, a compound literal, an initialiser
 * list): no other object's lock is copied. */
static bool copied_object(struct fn_builder *b, CXCursor e, struct ll_path *out, bool *arrow)
{
    CXCursor s = fe_strip(e);
    struct few f = few_children(s);
    *arrow = false;
    if (fe_is_unop(s, CXUnaryOperator_Deref) && f.n == 1) {
        *out = base_path(b, f.v[0], 1);
        *arrow = !(out->flags & LL_PATH_ADDR);
        out->flags &= (uint8_t)~LL_PATH_ADDR;
    } else {
        enum CXCursorKind k = clang_getCursorKind(s);
        if (k != CXCursor_DeclRefExpr && k != CXCursor_MemberRefExpr &&
            k != CXCursor_ArraySubscriptExpr)
            return false;
        *out = fe_path(b, s, 1);
    }
    return out->root != LL_ROOT_NONE && out->root != LL_ROOT_UNKNOWN && out->key && out->text;
}

void fe_param_lock_copies(struct fn_builder *b)
{
    int n = clang_Cursor_getNumArguments(b->fn);
    for (int i = 0; i < n && !b->oom; i++) {
        CXCursor parm = clang_Cursor_getArgument(b->fn, (unsigned)i);
        CXType t = clang_getCursorType(parm);
        if (!by_value_param(parm) || !holds_lock(t, 0))
            continue;
        struct ll_path src = path_var(b, parm);
        if (src.root != LL_ROOT_PARAM)
            continue;
        struct ll_path dst = src;
        own_copy(b, &dst);
        lock_copies(b, parm, &dst, &src, false, t, 0);
    }
}

void fe_lock_copy(struct fn_builder *b, CXCursor at, CXCursor dst, CXCursor src)
{
    CXType t = clang_getCursorType(dst);
    if (!holds_lock(t, 0))
        return;
    struct ll_path d, s;
    bool arrow;
    if (clang_getCursorKind(dst) == CXCursor_VarDecl)
        d = path_var(b, dst);
    else
        d = fe_path(b, dst, 1);
    own_copy(b, &d);
    if (d.root != LL_ROOT_LOCAL || (d.flags & LL_PATH_DEREF) || !d.key ||
        !copied_object(b, src, &s, &arrow))
        return; /* only a copy the function holds itself is followed */
    lock_copies(b, at, &d, &s, arrow, t, 0);
}

/* memcpy(dst, src, n) into a local object that holds a lock. */
static void memcpy_lock_copy(struct fn_builder *b, CXCursor call, CXCursor dst, CXCursor src)
{
    CXType t = clang_getCanonicalType(clang_getCursorType(fe_strip(dst)));
    if (t.kind != CXType_Pointer)
        return;
    CXType obj = clang_getPointeeType(t);
    if (!holds_lock(obj, 0))
        return;
    struct ll_path d = arg_path(b, dst), s = arg_path(b, src);
    if (!(d.flags & LL_PATH_ADDR) || s.root == LL_ROOT_NONE || s.root == LL_ROOT_UNKNOWN ||
        !s.key || !s.text)
        return;
    d.flags &= (uint8_t)~LL_PATH_ADDR;
    own_copy(b, &d);
    if (d.root != LL_ROOT_LOCAL || (d.flags & LL_PATH_DEREF) || !d.key)
        return;
    bool arrow = !(s.flags & LL_PATH_ADDR);
    s.flags &= (uint8_t)~LL_PATH_ADDR;
    lock_copies(b, call, &d, &s, arrow, obj, 0);
}

/* ---- C library calls that access memory through pointers (memapi.h) ---- */

/* Whether `t` is a byte (char, signed or unsigned) or void: a pointer to
 * it points into a buffer. */
static bool is_byte_type(CXType t)
{
    switch (clang_getCanonicalType(t).kind) {
    case CXType_Void:
    case CXType_Char_S:
    case CXType_Char_U:
    case CXType_SChar:
    case CXType_UChar:
        return true;
    default:
        return false;
    }
}

/* `p` with its last index made any index, when it ends in one: a copy
 * into `&buf[4]` reaches past buf[4]. */
static void any_last_index(struct fn_builder *b, struct ll_path *p)
{
    size_t n = strlen(p->key);
    if (n < 3 || p->key[n - 1] != ']')
        return;
    int depth = 0;
    for (size_t i = n; i-- > 0;) {
        depth += p->key[i] == ']' ? 1 : p->key[i] == '[' ? -1 : 0;
        if (depth == 0) {
            p->key = ll_arena_printf(b->arena, "%.*s[?]", (int)i, p->key);
            return;
        }
    }
}

/* The object a C library call reaches through its argument `s` (stripped),
 * of type *type: an array's elements (`buf[?]`), the object `&x` names
 * (from x on, `&buf[4]` is buf[?], when `range`), a byte buffer's elements
 * (`p[?]`, as `p[i] = c` names them), or `*p`. */
static struct ll_path libc_object(struct fn_builder *b, CXCursor s, bool range, CXType *type)
{
    CXType t = clang_getCanonicalType(clang_getCursorType(s));
    if (is_array_type(t)) {
        *type = clang_getArrayElementType(t);
        struct ll_path bp = fe_path(b, s, 1);
        if (bp.flags & LL_PATH_ADDR)
            return path_unknown(b, "?");
        return element_of(b, &bp, s, NULL, *type, false, 0);
    }
    if (t.kind != CXType_Pointer)
        return path_unknown(b, "?");
    *type = clang_getPointeeType(t);
    struct ll_path p = base_path(b, s, 1);
    if (p.flags & LL_PATH_ADDR) {
        p.flags &= (uint8_t)~LL_PATH_ADDR;
        if (is_array_type(*type)) { /* &buf */
            *type = clang_getArrayElementType(clang_getCanonicalType(*type));
            return element_of(b, &p, s, NULL, *type, false, 0);
        }
        if (range)
            any_last_index(b, &p);
        return p;
    }
    if (is_byte_type(*type)) {
        struct ll_path bp = fe_path(b, s, 1);
        return element_of(b, &bp, s, NULL, *type, true, 0);
    }
    return deref_of(b, &p, s, *type, 0);
}

/* An access at `at` of what argument `arg` of a C library call points to
 * (libc_object()); of a struct, or an array of them, each field's. */
static void libc_access(struct fn_builder *b, CXCursor at, CXCursor arg, bool write, bool range)
{
    CXCursor s = fe_strip(arg);
    CXType t = clang_getCanonicalType(clang_getCursorType(s));
    if (t.kind == CXType_Pointer &&
        clang_getCanonicalType(clang_getPointeeType(t)).kind == CXType_Record) {
        pointed_struct(b, at, s, write);
        return;
    }
    CXType type = {.kind = CXType_Invalid};
    struct ll_path p = libc_object(b, s, range, &type);
    if (p.root == LL_ROOT_NONE || p.root == LL_ROOT_UNKNOWN || !p.key || type_is_lock(type))
        return;
    bool own = (p.root == LL_ROOT_LOCAL || p.root == LL_ROOT_PARAM || p.root == LL_ROOT_CALL) &&
               !(p.flags & LL_PATH_DEREF);
    if (clang_getCanonicalType(type).kind == CXType_Record) {
        if (!own) /* an array of structs */
            field_accesses(b, at, &p, false, type, write, 0);
        return;
    }
    if (own && (!write || p.root == LL_ROOT_CALL))
        return; /* as emit_access(): a local's reads are not needed */
    path_access(b, at, &p, write);
}

/* The memapi.h entry of `ref`, the function a call names (as `name`): a C
 * library function, declared in a system header (or a builtin), that the
 * program does not define itself; else NULL. */
static const struct ll_memapi *libc_memapi(CXCursor ref, const char *name)
{
    const struct ll_memapi *m = ll_memapi_lookup(name);
    if (!m || strncmp(name, "__builtin", 9) == 0)
        return m;
    CXCursor def = clang_getCursorDefinition(ref);
    if (!clang_Cursor_isNull(def) && !clang_Location_isInSystemHeader(clang_getCursorLocation(def)))
        return NULL;
    CXCursor first = clang_getCanonicalCursor(ref);
    return clang_Location_isInSystemHeader(clang_getCursorLocation(first)) ||
                   clang_Location_isInSystemHeader(clang_getCursorLocation(ref))
               ? m
               : NULL;
}

/* The accesses C library call `call` makes through its pointer arguments:
 * the reads of its sources, then its writes. */
static void libc_accesses(struct fn_builder *b, CXCursor call, const struct ll_memapi *m, int nargs)
{
    for (int i = 0; i < nargs && i < 16 && !b->oom; i++)
        if ((m->reads >> i) & 1u)
            libc_access(b, call, call_arg(call, i), false, true);
    for (int i = 0; i < nargs && !b->oom; i++) {
        bool rest = m->rest && i >= m->rest;
        if (rest || (i < 16 && ((m->writes >> i) & 1u)))
            libc_access(b, call, call_arg(call, i), true, !rest);
    }
}

static struct evref lower_call(struct fn_builder *b, CXCursor call)
{
    CXCursor ref = clang_getCursorReferenced(call);
    bool direct = clang_getCursorKind(ref) == CXCursor_FunctionDecl;
    int nargs = clang_Cursor_getNumArguments(call);
    struct few f = few_children(call);
    if (!direct && f.n > 0) {
        CXCursor kept = kept_function(b, f.v[0]);
        if (!clang_Cursor_isNull(kept)) {
            ref = kept;
            direct = true;
        }
    }
    if (!direct && f.n > 0)
        fe_expr(b, f.v[0], CTX_READ); /* the function pointer is read */
    for (int i = 0; i < nargs; i++)
        fe_expr(b, call_arg(call, i), CTX_READ);
    char *name = direct ? fe_string(b->arena, clang_getCursorSpelling(ref)) : NULL;
    if (!direct && f.n > 0)
        name = (char *)fe_path(b, f.v[0], 0).text;
    const char *callee = direct    ? fe_string(b->arena, clang_getCursorUSR(ref))
                         : f.n > 0 ? fe_fn_slot(b, f.v[0])
                                   : NULL;
    const struct ll_api *api = direct ? ll_lockapi_lookup(name) : NULL;
    /* memcpy(), snprintf(), read(), ...: what they write and read */
    const struct ll_memapi *mem = direct && name ? libc_memapi(ref, name) : NULL;
    if (mem)
        libc_accesses(b, call, mem, nargs);
    /* a configured lock API through a field (`locks: [{lock: struct lock_ops.lock}]`) */
    if (!direct && callee && strncmp(callee, "@field:", 7) == 0)
        api = ll_lockapi_lookup(callee + 7);
    if (api) {
        uint32_t before = b->blocks[b->cur].nevents;
        uint32_t blk = b->cur;
        api_event(b, call, api, name, nargs);
        if (api->op == LL_OP_NORETURN) {
            fe_dead_end(b);
            struct evref r = {blk, before};
            return r;
        }
        if (b->cur == blk && b->blocks[blk].nevents > before)
            return last_event(b);
        return no_event;
    }
    if (mem && (mem->flags & LL_MEM_COPY) && nargs >= 2)
        memcpy_lock_copy(b, call, call_arg(call, 0), call_arg(call, 1));
    /* functions passed on: into the callee's parameter, or into the
     * arguments of whatever the slot called through holds */
    for (int i = 0; i < nargs && callee; i++) {
        CXCursor a = call_arg(call, i);
        if (fe_is_fn_type(clang_getCursorType(fe_strip(a))))
            fe_fn_flow(
                b, a, ll_arena_printf(b->arena, direct ? "@arg:%s#%d" : "@argof:%s#%d", callee, i));
    }
    /* block pointers passed into a parameter of a program function */
    int nparams = direct ? clang_Cursor_getNumArguments(ref) : 0;
    if (direct && callee &&
        !clang_Location_isInSystemHeader(clang_getCursorLocation(clang_getCanonicalCursor(ref))))
        for (int i = 0; i < nargs && i < nparams; i++) {
            CXCursor a = call_arg(call, i);
            if (is_data_pointer(clang_getCursorType(a)))
                fe_add_ptrflow(b->tu, value_source(b, a),
                               ll_arena_printf(b->arena, "@arg:%s#%d", callee, i), a);
        }
    struct ll_event *ev = fe_emit(b, LL_EV_CALL, call);
    ev->api = name;
    ev->callee = callee;
    if (!direct)
        ev->flags |= LL_EVF_INDIRECT;
    if (nargs > 0) {
        ev->args = ll_arena_alloc(b->arena, (size_t)nargs * sizeof(*ev->args));
        if (!ev->args) {
            b->oom = true;
            return no_event;
        }
        ev->nargs = (uint32_t)nargs;
        for (int i = 0; i < nargs; i++) {
            ev = &b->blocks[b->cur].events[b->blocks[b->cur].nevents - 1];
            ev->args[i] = arg_path(b, call_arg(call, i));
            if (!(ev->args[i].flags & LL_PATH_ADDR) &&
                is_data_pointer(clang_getCursorType(call_arg(call, i))))
                ev->args[i].site = value_slot(b, call_arg(call, i), 0);
            ev = &b->blocks[b->cur].events[b->blocks[b->cur].nevents - 1];
            long long k;
            if ((ev->args[i].root == LL_ROOT_NONE || ev->args[i].root == LL_ROOT_UNKNOWN) &&
                fe_eval_int(call_arg(call, i), &k)) {
                /* a constant: what a callee's branch on this parameter does */
                struct ll_path *a = &ev->args[i];
                const char *text = a->text;
                memset(a, 0, sizeof(*a));
                a->root = LL_ROOT_NONE;
                a->param = -1;
                a->flags = LL_PATH_VALUE;
                a->key = ll_arena_printf(b->arena, "%lld", k);
                a->text = text ? text : a->key;
            }
            if (direct && i < 16 && out_local(b, call_arg(call, i)))
                ev->out_args |= (uint16_t)(1u << i);
        }
    }
    if (direct && fe_callee_noreturn(b->tu, ref)) {
        b->blocks[b->cur].events[b->blocks[b->cur].nevents - 1].flags |= LL_EVF_NORETURN;
        struct evref r = last_event(b);
        fe_dead_end(b);
        return r;
    }
    return last_event(b);
}

/* An atomic builtin (__c11_atomic_*, __atomic_*) is an unexposed
 * expression that starts with the builtin's name. */
static const struct ll_api *atomic_builtin(struct fn_builder *b, CXCursor e)
{
    struct few f = few_children(e);
    if (f.n == 0 || clang_equalLocations(clang_getRangeStart(fe_extent(e)),
                                         clang_getRangeStart(fe_extent(f.v[0]))))
        return NULL;
    CXToken *tok = clang_getToken(b->ctu, clang_getRangeStart(fe_extent(e)));
    if (!tok)
        return NULL;
    const struct ll_api *api = NULL;
    if (clang_getTokenKind(*tok) == CXToken_Identifier) {
        CXString s = clang_getTokenSpelling(b->ctu, *tok);
        api = ll_lockapi_lookup(clang_getCString(s));
        clang_disposeString(s);
    }
    clang_disposeTokens(b->ctu, tok, 1);
    return api && api->op == LL_OP_ATOMIC ? api : NULL;
}

static void lower_atomic(struct fn_builder *b, CXCursor e, const struct ll_api *api)
{
    size_t base = fe_push_children(b, e);
    size_t n = b->ncs - base;
    for (size_t i = 0; i < n; i++)
        fe_expr(b, b->cs[base + i], CTX_READ);
    CXCursor obj = n ? b->cs[base] : clang_getNullCursor();
    b->ncs = base;
    if (clang_Cursor_isNull(obj) || api->obj_arg < 0)
        return;
    struct ll_path p = object_path(b, obj);
    if (p.root == LL_ROOT_NONE)
        return;
    struct ll_path stored = {.root = LL_ROOT_NONE, .param = -1};
    base = fe_push_children(b, e);
    for (size_t i = 1; i < b->ncs - base && stored.root == LL_ROOT_NONE; i++)
        stored = fe_stored_pointer(b, b->cs[base + i]);
    b->ncs = base;
    struct ll_event *ev = fe_emit(b, LL_EV_ACCESS, e);
    ev->obj = p;
    ev->aux = stored; /* `__atomic_store_n(&head, n, ...)` publishes n */
    ev->flags |= LL_EVF_ATOMIC;
    if (api->flags & LL_API_ATOMIC_RMW)
        ev->flags |= LL_EVF_WRITE;
}

/* ---- expressions --------------------------------------------------- */

static void lower_children(struct fn_builder *b, CXCursor e, enum expr_ctx ctx)
{
    size_t base = fe_push_children(b, e);
    size_t n = b->ncs - base;
    for (size_t i = 0; i < n; i++)
        fe_expr(b, b->cs[base + i], ctx);
    b->ncs = base;
}

/* `*out = &obj;` through a pointer parameter `out`: the write carries the
 * stored address (aux) when the caller can name it (a global's or static's,
 * one reached from a parameter, or a parameter's value), so that
 * `get(&p)` makes the caller's p name obj (getters.h). */
static void out_param_store(struct fn_builder *b, struct ll_event *ev, CXCursor rhs)
{
    const char *k = ev->obj.key;
    if (ev->kind != LL_EV_ACCESS || ev->obj.root != LL_ROOT_PARAM || !k || k[0] != '*' ||
        !is_pointer_type(clang_getCursorType(rhs)))
        return;
    for (const char *c = k + 1; *c; c++)
        if (!(*c == '_' || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9')))
            return; /* `*out->x = ...`, `*out[i] = ...`: not the pointer itself */
    struct ll_path v = value_path(b, rhs);
    bool global = v.root == LL_ROOT_GLOBAL || v.root == LL_ROOT_STATIC_LOCAL;
    bool param = v.root == LL_ROOT_PARAM;
    if (((global || param) && (v.flags & LL_PATH_ADDR)) ||
        (param && !(v.flags & (LL_PATH_DEREF | LL_PATH_ADDR))))
        ev->aux = v;
}

/* `pthread_self()` or `thrd_current()`: the running thread's own id. */
static bool is_self_id(CXCursor e)
{
    e = fe_strip(e);
    if (clang_getCursorKind(e) != CXCursor_CallExpr)
        return false;
    CXString s = clang_getCursorSpelling(e);
    const char *n = clang_getCString(s);
    bool self = n && (strcmp(n, "pthread_self") == 0 || strcmp(n, "thrd_current") == 0);
    clang_disposeString(s);
    return self;
}

/* A plain write of a global or static variable (or a field of one). */
static bool stores_global(const struct ll_event *w)
{
    return w->kind == LL_EV_ACCESS && (w->flags & (LL_EVF_WRITE | LL_EVF_UPDATE)) == LL_EVF_WRITE &&
           !(w->obj.flags & LL_PATH_DEREF) &&
           (w->obj.root == LL_ROOT_GLOBAL || w->obj.root == LL_ROOT_STATIC_LOCAL);
}

static struct evref lower_binary(struct fn_builder *b, CXCursor e)
{
    enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(e);
    struct few f = few_children(e);
    if (f.n < 2)
        return no_event;
    if (op == CXBinaryOperator_LAnd || op == CXBinaryOperator_LOr) {
        uint32_t join = fe_new_block(b);
        fe_cond(b, e, join, join);
        b->cur = join;
        return no_event;
    }
    if (op == CXBinaryOperator_Comma) {
        fe_expr(b, f.v[0], CTX_NONE);
        return fe_expr(b, f.v[1], CTX_READ);
    }
    if (op >= CXBinaryOperator_Assign) /* a block pointer stored in a slot (sites.h) */
        store_flow(b, f.v[0], op == CXBinaryOperator_Assign ? f.v[1] : clang_getNullCursor(), e);
    bool self = op == CXBinaryOperator_Assign && is_self_id(f.v[1]);
    if (op >= CXBinaryOperator_Assign && (self || b->self_handles.n)) {
        /* a handle set to the thread's own id, or to anything else */
        struct ll_path h = fe_path(b, f.v[0], 0);
        if (self && h.key)
            fe_keyset_add(b, &b->self_handles, self_key(b, h.key));
        else if (h.key)
            fe_keyset_del(&b->self_handles, self_key(b, h.key));
    }
    if (op == CXBinaryOperator_Assign) {
        if (fe_is_fn_type(clang_getCursorType(f.v[0])))
            fe_fn_flow(b, f.v[1], fe_fn_slot(b, f.v[0]));
        else if (clang_getCursorKind(fe_strip(f.v[1])) == CXCursor_InitListExpr)
            fe_init_flows(b->tu, b, f.v[1], NULL, 0);
        struct evref r = fe_expr(b, f.v[1], CTX_READ);
        whole_struct(b, e, f.v[1], false);
        fe_local_part_read(b, f.v[1]);
        const char *var = fe_local_var(b, f.v[0]);
        long long k;
        if (var && r.block != UINT32_MAX && r.block == b->cur) {
            struct ll_event *w = &b->blocks[r.block].events[r.pos];
            w->result_var = var; /* the event stands for the write */
            if (w->kind == LL_EV_CALL && fe_set_by_calls(b, local_ref(f.v[0])))
                w->flags |= LL_EVF_SOLE;
        } else {
            uint32_t before = b->blocks[b->cur].nevents, blk = b->cur;
            fe_expr(b, f.v[0], CTX_WRITE);
            bool one = b->cur == blk && b->blocks[blk].nevents == before + 1;
            /* `locked = 1;`: the value a flag now has, for later branches */
            if (var && one && fe_eval_scalar(f.v[1], &k))
                b->blocks[blk].events[before].result_var = ll_arena_printf(b->arena, "%lld", k);
            else if (one && stores_global(&b->blocks[blk].events[before]) &&
                     fe_eval_scalar(f.v[1], &k) && k != 0)
                b->blocks[blk].events[before].flags |= LL_EVF_NONZERO; /* `inited = 1;` */
            /* `*out = e;`, `g = p;`, `q->tail->next = p;`: which local or
             * parameter pointer the write stores, so that a lock of `e`
             * can be said as one of `*out`, a block is seen to escape
             * (fresh.h) and a queue push is seen (handoff.h).  The write
             * is the one plain write the left side makes (`q->items[q->n++]`
             * also updates q->n). */
            struct ll_event *w = one ? &b->blocks[blk].events[before] : NULL;
            for (uint32_t x = before; !one && b->cur == blk && x < b->blocks[blk].nevents; x++) {
                struct ll_event *y = &b->blocks[blk].events[x];
                if (y->kind != LL_EV_ACCESS ||
                    (y->flags & (LL_EVF_WRITE | LL_EVF_UPDATE)) != LL_EVF_WRITE)
                    continue;
                if (w) {
                    w = NULL;
                    break;
                }
                w = y;
            }
            if (w) {
                w->aux = fe_stored_pointer(b, f.v[1]);
                fe_handle_copy(b, w, f.v[1]);
            }
            if (one && w->aux.root == LL_ROOT_NONE)
                out_param_store(b, w, f.v[1]);
            /* `p = q->head;`: where a local pointer is loaded from */
            if (one && var && w->aux.root == LL_ROOT_NONE)
                w->aux = fe_loaded_pointer(b, f.v[1]);
            if (one && w->aux.root == LL_ROOT_NONE)
                w->aux = part_allocation(b, w, f.v[1]);
            whole_struct(b, e, f.v[0], true);
            fe_lock_copy(b, e, fe_strip(f.v[0]), f.v[1]);
        }
        return r;
    }
    if (op > CXBinaryOperator_Assign) { /* compound assignment */
        fe_expr(b, f.v[1], CTX_READ);
        fe_expr(b, f.v[0], CTX_RMW);
        return no_event;
    }
    struct evref r0 = fe_expr(b, f.v[0], CTX_READ);
    struct evref r1 = fe_expr(b, f.v[1], CTX_READ);
    bool compare = op >= CXBinaryOperator_LT && op <= CXBinaryOperator_NE;
    if (!compare)
        return no_event;
    return r0.block != UINT32_MAX ? r0 : r1; /* `lock(m) != 0` tests the call */
}

static struct evref lower_unary(struct fn_builder *b, CXCursor e, enum expr_ctx ctx)
{
    enum CXUnaryOperatorKind op = clang_getCursorUnaryOperatorKind(e);
    struct few f = few_children(e);
    if (f.n < 1)
        return no_event;
    /* a pointer slot stepped, or given away to be set where it is not
     * seen: it may hold any block (sites.h) */
    if (op == CXUnaryOperator_AddrOf || op == CXUnaryOperator_PostInc ||
        op == CXUnaryOperator_PostDec || op == CXUnaryOperator_PreInc ||
        op == CXUnaryOperator_PreDec)
        store_flow(b, f.v[0], clang_getNullCursor(), e);
    switch (op) {
    case CXUnaryOperator_AddrOf:
        fe_expr(b, f.v[0], CTX_ADDR);
        break;
    case CXUnaryOperator_Deref:
        if (ctx != CTX_ADDR)
            emit_access(b, e, ctx);
        fe_expr(b, f.v[0], CTX_READ);
        break;
    case CXUnaryOperator_PostInc:
    case CXUnaryOperator_PostDec:
    case CXUnaryOperator_PreInc:
    case CXUnaryOperator_PreDec:
        fe_expr(b, f.v[0], CTX_RMW);
        break;
    default:
        fe_expr(b, f.v[0], CTX_READ);
        break;
    }
    return no_event;
}

static void lower_conditional(struct fn_builder *b, CXCursor e, enum expr_ctx ctx)
{
    struct few f = few_children(e);
    if (f.n < 3) {
        lower_children(b, e, CTX_READ);
        return;
    }
    uint32_t x = fe_new_block(b), y = fe_new_block(b), join = fe_new_block(b);
    fe_cond(b, f.v[0], x, y);
    b->cur = x;
    fe_expr(b, f.v[1], ctx);
    fe_edge(b, b->cur, join);
    b->cur = y;
    fe_expr(b, f.v[2], ctx);
    fe_edge(b, b->cur, join);
    b->cur = join;
}

static struct evref lower_expr(struct fn_builder *b, CXCursor e, enum expr_ctx ctx)
{
    enum CXCursorKind k = clang_getCursorKind(e);
    switch (k) {
    case CXCursor_DeclRefExpr: {
        CXCursor ref = clang_getCursorReferenced(e);
        if (clang_getCursorKind(ref) != CXCursor_FunctionDecl)
            emit_access(b, e, ctx); /* a function's address flows where fe_fn_flow() says */
        return no_event;
    }
    case CXCursor_MemberRefExpr: {
        struct few f = few_children(e);
        if (f.n > 0) {
            bool arrow = is_pointer_type(clang_getCursorType(f.v[0]));
            fe_expr(b, f.v[0], arrow ? CTX_READ : CTX_ADDR);
        }
        emit_access(b, e, ctx);
        return no_event;
    }
    case CXCursor_ArraySubscriptExpr: {
        struct few f = few_children(e);
        if (f.n >= 2) {
            bool ptr = is_pointer_type(clang_getCursorType(f.v[0]));
            fe_expr(b, f.v[0], ptr ? CTX_READ : CTX_ADDR);
            fe_expr(b, f.v[1], CTX_READ);
        }
        emit_access(b, e, ctx);
        return no_event;
    }
    case CXCursor_UnaryOperator:
        return lower_unary(b, e, ctx);
    case CXCursor_BinaryOperator:
    case CXCursor_CompoundAssignOperator:
        return lower_binary(b, e);
    case CXCursor_ConditionalOperator:
        lower_conditional(b, e, ctx);
        return no_event;
    case CXCursor_CallExpr:
        return lower_call(b, e);
    case CXCursor_StmtExpr:
        lower_children(b, e, CTX_NONE); /* its compound statement, via fe_expr */
        return no_event;
    case CXCursor_CompoundStmt:
        b->lower_stmt(b, e);
        return no_event;
    case CXCursor_ParenExpr:
    case CXCursor_CStyleCastExpr: {
        struct few f = few_children(e);
        return f.n ? fe_expr(b, f.v[f.n - 1], ctx) : no_event;
    }
    case CXCursor_UnexposedExpr: {
        const struct ll_api *api = atomic_builtin(b, e);
        if (api) {
            lower_atomic(b, e, api);
            return no_event;
        }
        struct few f = few_children(e);
        if (f.total == 1)
            return fe_expr(b, f.v[0], ctx);
        lower_children(b, e, CTX_READ);
        return no_event;
    }
    case CXCursor_InitListExpr: /* a compound literal: functions stored in its fields */
        fe_init_flows(b->tu, b, e, NULL, 0);
        lower_children(b, e, CTX_READ);
        return no_event;
    case CXCursor_UnaryExpr: /* sizeof, _Alignof: not evaluated */
    case CXCursor_IntegerLiteral:
    case CXCursor_FloatingLiteral:
    case CXCursor_StringLiteral:
    case CXCursor_CharacterLiteral:
    case CXCursor_TypeRef:
        return no_event;
    default:
        lower_children(b, e, CTX_READ);
        return no_event;
    }
}

struct evref fe_expr(struct fn_builder *b, CXCursor e, enum expr_ctx ctx)
{
    if (b->oom)
        return no_event;
    if (++b->depth > LL_MAX_NESTING) {
        b->truncated = true;
        b->depth--;
        return no_event;
    }
    struct evref r = lower_expr(b, e, ctx);
    b->depth--;
    return r;
}

/* The one field of struct type `rec` whose type is struct `inner` itself
 * (embedded, not pointed to), or a null cursor. */
static CXCursor embedding_field(CXType rec, CXType inner)
{
    struct field_list l = {.n = 0};
    clang_Type_visitFields(clang_getCanonicalType(rec), collect_field, &l);
    CXCursor hit = clang_getNullCursor();
    for (unsigned i = 0; i < l.n; i++)
        if (clang_equalTypes(clang_getCanonicalType(clang_getCursorType(l.v[i])), inner)) {
            if (!clang_Cursor_isNull(hit))
                return clang_getNullCursor(); /* two: which one is not known */
            hit = l.v[i];
        }
    return hit;
}

struct ll_path fe_returned_object(struct fn_builder *b, CXCursor e)
{
    struct ll_path none = {.root = LL_ROOT_NONE, .param = -1};
    CXType t = clang_getCanonicalType(clang_getCursorType(e));
    CXCursor s = fe_strip(e);
    if (t.kind != CXType_Pointer || clang_getCursorKind(s) != CXCursor_MemberRefExpr)
        return none;
    struct few f = few_children(s);
    CXCursor base = f.n ? fe_strip(f.v[0]) : clang_getNullCursor();
    CXType bt = clang_Cursor_isNull(base) ? t : clang_getCanonicalType(clang_getCursorType(base));
    CXType entry = clang_getCanonicalType(clang_getPointeeType(bt));
    CXType owner = clang_getCanonicalType(clang_getPointeeType(t));
    CXType field = clang_getCanonicalType(clang_getCursorType(clang_getCursorReferenced(s)));
    CXType target = clang_getCanonicalType(clang_getPointeeType(field));
    /* `(T *)e->key` where T embeds *e's struct: the back pointer of an
     * embedded entry to the struct that holds it (unbound's
     * `(struct ub_packed_rrset_key *)e->key`) names that struct */
    if (bt.kind == CXType_Pointer && entry.kind == CXType_Record && owner.kind == CXType_Record &&
        !clang_equalTypes(entry, owner) &&
        (target.kind == CXType_Void || clang_equalTypes(target, owner))) {
        CXCursor m = embedding_field(owner, entry);
        struct ll_path load = value_path(b, e);
        if (!clang_Cursor_isNull(m) && load.key) {
            /* named "e^entry"; its text is the load as keyed, `e->key`,
             * which a lock taken through it (`e->key->lock`) starts with */
            struct ll_path p = container_path(b, base, m, 0);
            p.text = load.key;
            return p.root == LL_ROOT_LOCAL ? p : none;
        }
    }
    /* `return n->obj;`: the object a field of a local's target points to */
    struct ll_path p = value_path(b, e);
    return p.root == LL_ROOT_LOCAL && (p.flags & LL_PATH_DEREF) && p.key && p.text ? p : none;
}
