/*
 * frontend: one translation unit through libclang into facts.
 *
 * Parses with the job's sanitised arguments, counts the errors libclang
 * recovered from, then visits the top-level declarations: every function
 * definition outside system headers is lowered into a CFG of events
 * (frontend_stmt.c, frontend_expr.c); file-scope variables become globals;
 * functions an initialiser stores become fnrefs (flows into slots).
 *
 * The walk keeps its own stacks: no visitor recursion follows the depth of
 * the code being analysed.
 */
#include "frontend.h"

#include "compdb.h"
#include "frontend_cfg.h"
#include "frontend_expr.h"
#include "frontend_stmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ll_frontend {
    CXIndex index;
    struct fe_memo *memo; /* NULL: none (out of memory) */
};

struct ll_frontend *ll_frontend_new(void)
{
    if (ll_clang_load() != 0)
        return NULL;
    struct ll_frontend *fe = calloc(1, sizeof(*fe));
    if (!fe)
        return NULL;
    fe->index = clang_createIndex(0, 0);
    fe->memo = fe_memo_new();
    if (!fe->index) {
        fe_memo_free(fe->memo);
        free(fe);
        return NULL;
    }
    return fe;
}

const char *ll_frontend_unavailable(void)
{
    const char *why = ll_clang_error();
    return why ? why : "out of memory";
}

void ll_frontend_free(struct ll_frontend *fe)
{
    if (!fe)
        return;
    clang_disposeIndex(fe->index);
    fe_memo_free(fe->memo);
    free(fe);
}

/* ---- functions ----------------------------------------------------- */

/* Internal linkage, which a definition without `static` inherits from an
 * earlier `static` declaration (C11 6.2.2p4-5): linkage, not the
 * definition's own storage class, says who may call it. */
static bool internal_linkage(CXCursor c)
{
    return clang_getCursorLinkage(c) == CXLinkage_Internal;
}

static void function_flags(CXCursor c, struct ll_function *fn, struct tu_ctx *tu)
{
    if (internal_linkage(c))
        fn->flags |= LL_FN_STATIC;
    if (clang_Cursor_isFunctionInlined(c))
        fn->flags |= LL_FN_INLINE;
    if (clang_getCursorVisibility(c) == CXVisibility_Hidden)
        fn->flags |= LL_FN_HIDDEN;
    if (clang_isFunctionTypeVariadic(clang_getCursorType(c)))
        fn->flags |= LL_FN_VARIADIC;
    if (clang_getCanonicalType(clang_getResultType(clang_getCursorType(c))).kind == CXType_Pointer)
        fn->flags |= LL_FN_RETURNS_POINTER;
    if (fe_callee_noreturn(tu, c))
        fn->flags |= LL_FN_NORETURN;
}

static int lower_function(struct tu_ctx *tu, CXCursor c)
{
    struct ll_arena *a = &tu->facts->arena;
    struct fn_builder b;
    memset(&b, 0, sizeof(b));
    b.tu = tu;
    b.arena = a;
    b.ctu = tu->ctu;
    b.fn = c;
    b.lower_stmt = fe_stmt;
    b.brk = b.cont = b.sw_dispatch = UINT32_MAX;
    b.fn_name = fe_string(a, clang_getCursorSpelling(c));
    CXCursor body = fe_function_body(c);
    int rc = -1;
    if (!b.fn_name || !ll_grow((void **)&tu->fns, &tu->capfns, tu->nfns, sizeof(*tu->fns)))
        goto out;
    struct ll_function *fn = &tu->fns[tu->nfns];
    memset(fn, 0, sizeof(*fn));
    fn->name = b.fn_name;
    fn->usr = fe_string(a, clang_getCursorUSR(c));
    b.cur = fe_new_block(&b); /* entry, block 0 */
    b.exit = fe_new_block(&b);
    b.cur = fe_new_block(&b);
    fe_edge(&b, 0, b.cur);
    fe_scan_aliases(&b, body);
    fe_param_lock_copies(&b);
    size_t first_fnref = tu->nfnrefs;
    fe_stmt(&b, body);
    fe_resolve_local_starts(&b, first_fnref);
    /* falling off the end: an implicit return at the closing brace */
    CXSourceLocation end = clang_getRangeEnd(clang_getCursorExtent(body));
    struct ll_event *ret = fe_emit(&b, LL_EV_RETURN, body);
    ret->flags |= LL_EVF_IMPLICIT;
    unsigned line = 0, col = 0;
    clang_getExpansionLocation(end, NULL, &line, &col, NULL);
    ret->loc.line = line;
    ret->loc.col = col > 1 ? col - 1 : 1;
    fe_edge(&b, b.cur, b.exit);
    if (b.oom)
        goto out;
    fn->loc = fe_loc(&b, c);
    fn->end = ret->loc;
    int np = clang_Cursor_getNumArguments(c);
    if (np > 0) {
        fn->params = ll_arena_alloc(a, (size_t)np * sizeof(*fn->params));
        if (!fn->params)
            goto out;
        for (int i = 0; i < np; i++)
            fn->params[i] =
                fe_string(a, clang_getCursorSpelling(clang_Cursor_getArgument(c, (unsigned)i)));
        fn->nparams = (uint32_t)np;
    }
    function_flags(c, fn, tu);
    if (b.truncated)
        fn->flags |= LL_FN_TRUNCATED;
    if (fe_build_function(&b, fn) != 0)
        goto out;
    tu->nfns++;
    rc = 0;
out:
    fe_builder_free(&b);
    if (rc != 0)
        tu->oom = true;
    return rc;
}

/* ---- globals ------------------------------------------------------- */

static bool type_is_lock(CXType t)
{
    t = clang_getCanonicalType(t);
    while (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray)
        t = clang_getCanonicalType(clang_getArrayElementType(t));
    CXString s = clang_getTypeSpelling(t);
    const char *n = clang_getCString(s);
    bool lock = n && (strstr(n, "pthread_mutex_t") || strstr(n, "pthread_rwlock_t") ||
                      strstr(n, "pthread_spinlock_t") || strstr(n, "mtx_t") ||
                      strstr(n, "union pthread_mutex") || strstr(n, "union pthread_rwlock"));
    clang_disposeString(s);
    return lock;
}

/* The fields a struct initialiser gives a recursive initialiser by
 * designator: `.lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP` (first
 * level only), as "a,b", or NULL.  Reads at most 1024 tokens of the
 * declaration's first 4 KiB as written (fe_own_range()). */
static const char *recursive_fields(struct tu_ctx *tu, CXCursor decl)
{
    CXToken *toks = NULL;
    unsigned n = 0;
    char buf[256], field[64] = "", prev[64] = "";
    size_t len = 0;
    int depth = 0;
    bool hit = false;
    CXSourceRange r;
    if (!fe_own_range(tu->ctu, clang_getCursorExtent(decl), 4096, true, true, &r))
        return NULL;
    clang_tokenize(tu->ctu, r, &toks, &n);
    for (unsigned i = 0; i < n && i < 1024; i++) {
        CXString s = clang_getTokenSpelling(tu->ctu, toks[i]);
        const char *t = clang_getCString(s);
        t = t ? t : "";
        bool open = strcmp(t, "{") == 0 || strcmp(t, "(") == 0 || strcmp(t, "[") == 0;
        bool close = strcmp(t, "}") == 0 || strcmp(t, ")") == 0 || strcmp(t, "]") == 0;
        bool end = depth == 1 && (strcmp(t, ",") == 0 || strcmp(t, "}") == 0);
        if (end) { /* the end of one element of the outer initialiser */
            size_t fl = strlen(field);
            if (fl && hit && len + fl + 2 < sizeof(buf))
                len +=
                    (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? "," : "", field);
            field[0] = '\0';
            hit = false;
        } else if (depth == 1 && strcmp(t, "=") == 0 && i > 1) {
            /* `.name =`: prev holds the name if the token before it is '.' */
            CXString d = clang_getTokenSpelling(tu->ctu, toks[i - 2]);
            const char *dt = clang_getCString(d);
            if (dt && strcmp(dt, ".") == 0)
                snprintf(field, sizeof(field), "%s", prev);
            clang_disposeString(d);
        } else if (depth >= 1 && strstr(t, "RECURSIVE")) {
            hit = true;
        }
        if (open)
            depth++;
        else if (close)
            depth--;
        snprintf(prev, sizeof(prev), "%s", t);
        clang_disposeString(s);
    }
    clang_disposeTokens(tu->ctu, toks, n);
    return len ? ll_arena_strndup(&tu->facts->arena, buf, len) : NULL;
}

/* A recursive static initialiser names itself in the declaration's tokens
 * (PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP, or a hand-written initialiser
 * with PTHREAD_MUTEX_RECURSIVE_NP): the first 64 of them, in the
 * declaration's first 2 KiB as written. */
static bool init_is_recursive(CXTranslationUnit ctu, CXCursor decl)
{
    CXToken *toks = NULL;
    unsigned n = 0;
    bool hit = false;
    CXSourceRange r;
    if (!fe_own_range(ctu, clang_getCursorExtent(decl), 2048, true, true, &r))
        return false;
    clang_tokenize(ctu, r, &toks, &n);
    for (unsigned i = 0; i < n && i < 64 && !hit; i++) {
        CXString s = clang_getTokenSpelling(ctu, toks[i]);
        const char *t = clang_getCString(s);
        hit = t && strstr(t, "RECURSIVE") != NULL;
        clang_disposeString(s);
    }
    clang_disposeTokens(ctu, toks, n);
    return hit;
}

static void add_global(struct tu_ctx *tu, CXCursor c)
{
    struct ll_arena *a = &tu->facts->arena;
    if (!ll_grow((void **)&tu->globals, &tu->capglobals, tu->nglobals, sizeof(*tu->globals))) {
        tu->oom = true;
        return;
    }
    struct ll_global *g = &tu->globals[tu->nglobals];
    memset(g, 0, sizeof(*g));
    g->usr = fe_string(a, clang_getCursorUSR(c));
    g->name = fe_string(a, clang_getCursorSpelling(c));
    CXType t = clang_getCursorType(c);
    g->type = fe_string(a, clang_getTypeSpelling(t));
    CXFile f = NULL;
    unsigned line = 0, col = 0;
    clang_getExpansionLocation(clang_getCursorLocation(c), &f, &line, &col, NULL);
    g->loc.file = f ? fe_file_index(tu, f) : 0;
    g->loc.line = line;
    g->loc.col = col;
    if (internal_linkage(c))
        g->flags |= LL_GV_STATIC;
    if (clang_getCursorTLSKind(c) != CXTLS_None)
        g->flags |= LL_GV_THREAD_LOCAL;
    if (clang_isConstQualifiedType(t))
        g->flags |= LL_GV_CONST;
    if (clang_getCanonicalType(t).kind == CXType_Atomic)
        g->flags |= LL_GV_ATOMIC;
    if (type_is_lock(t))
        g->flags |= LL_GV_LOCK;
    if (clang_isCursorDefinition(c))
        g->flags |= LL_GV_DEFINITION;
    CXCursor init = clang_Cursor_getVarDeclInitializer(c);
    if (!clang_Cursor_isNull(init)) {
        if (clang_getCanonicalType(t).kind == CXType_Record)
            g->recursive_fields = recursive_fields(tu, c);
        if (g->recursive_fields || ((g->flags & LL_GV_LOCK) && init_is_recursive(tu->ctu, c)))
            g->flags |= LL_GV_RECURSIVE_INIT;
        CXType et = clang_getCanonicalType(t);
        while (et.kind == CXType_ConstantArray || et.kind == CXType_IncompleteArray)
            et = clang_getCanonicalType(clang_getArrayElementType(et));
        if (fe_is_fn_type(et) || et.kind == CXType_Record)
            fe_init_flows(tu, NULL, init,
                          fe_is_fn_type(et) ? fe_global_slot(&tu->facts->arena, c) : NULL, 0);
    }
    if (g->usr && g->name && g->type)
        tu->nglobals++;
    else
        tu->oom = true;
}

static enum CXChildVisitResult top_level(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    struct tu_ctx *tu = data;
    if (tu->oom)
        return CXChildVisit_Break;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_LinkageSpec)
        return CXChildVisit_Recurse;
    if (k != CXCursor_FunctionDecl && k != CXCursor_VarDecl)
        return CXChildVisit_Continue;
    if (clang_Location_isInSystemHeader(clang_getCursorLocation(c)))
        return CXChildVisit_Continue;
    if (k == CXCursor_FunctionDecl) {
        if (clang_isCursorDefinition(c))
            lower_function(tu, c);
    } else {
        add_global(tu, c);
    }
    return CXChildVisit_Continue;
}

/* ---- diagnostics --------------------------------------------------- */

static void count_errors(struct tu_ctx *tu)
{
    unsigned n = clang_getNumDiagnostics(tu->ctu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu->ctu, i);
        enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
        if (sev >= CXDiagnostic_Error) {
            if (tu->facts->nerrors++ == 0) {
                CXString s = clang_formatDiagnostic(d, CXDiagnostic_DisplaySourceLocation |
                                                           CXDiagnostic_DisplayColumn);
                tu->facts->first_error = fe_string(&tu->facts->arena, s);
            }
        }
        clang_disposeDiagnostic(d);
    }
}

static const char *parse_error_text(enum CXErrorCode e)
{
    switch (e) {
    case CXError_Crashed:
        return "libclang crashed while parsing";
    case CXError_InvalidArguments:
        return "libclang rejected the arguments";
    case CXError_ASTReadError:
        return "libclang could not read the AST";
    default:
        return "libclang could not parse it";
    }
}

static int publish(struct tu_ctx *tu)
{
    struct ll_tu_facts *f = tu->facts;
    struct ll_arena *a = &f->arena;
    f->nfiles = (uint32_t)tu->nfiles;
    f->files = ll_arena_alloc(a, (tu->nfiles + 1) * sizeof(*f->files));
    f->file_system = ll_arena_alloc(a, tu->nfiles + 1);
    f->functions = ll_arena_alloc(a, (tu->nfns + 1) * sizeof(*f->functions));
    f->globals = ll_arena_alloc(a, (tu->nglobals + 1) * sizeof(*f->globals));
    f->fnrefs = ll_arena_alloc(a, (tu->nfnrefs + 1) * sizeof(*f->fnrefs));
    f->ptrflows = ll_arena_alloc(a, (tu->nptrflows + 1) * sizeof(*f->ptrflows));
    if (!f->files || !f->file_system || !f->functions || !f->globals || !f->fnrefs || !f->ptrflows)
        return -1;
    if (tu->nfiles) {
        memcpy(f->files, tu->names, tu->nfiles * sizeof(*f->files));
        memcpy(f->file_system, tu->system, tu->nfiles);
    }
    if (tu->nfns)
        memcpy(f->functions, tu->fns, tu->nfns * sizeof(*tu->fns));
    if (tu->nglobals)
        memcpy(f->globals, tu->globals, tu->nglobals * sizeof(*tu->globals));
    if (tu->nfnrefs)
        memcpy(f->fnrefs, tu->fnrefs, tu->nfnrefs * sizeof(*tu->fnrefs));
    if (tu->nptrflows)
        memcpy(f->ptrflows, tu->ptrflows, tu->nptrflows * sizeof(*tu->ptrflows));
    f->nptrflows = (uint32_t)tu->nptrflows;
    f->nfunctions = (uint32_t)tu->nfns;
    f->nglobals = (uint32_t)tu->nglobals;
    f->nfnrefs = (uint32_t)tu->nfnrefs;
    return 0;
}

/* ---- dependencies ---------------------------------------------------- */

struct dep_list {
    struct ll_arena *arena;
    const char *dir;
    const char **v;
    size_t n, cap;
    bool oom;
};

static int dep_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void dep_visit(CXFile file, CXSourceLocation *stack, unsigned depth, CXClientData data)
{
    (void)stack;
    (void)depth;
    struct dep_list *d = data;
    if (d->oom || !ll_grow((void **)&d->v, &d->cap, d->n, sizeof(*d->v))) {
        d->oom = true;
        return;
    }
    /* The real path where libclang has one: the cache stats these. */
    CXString s = clang_File_tryGetRealPathName(file);
    const char *name = clang_getCString(s);
    if (!name || !*name) {
        clang_disposeString(s);
        s = clang_getFileName(file);
        name = clang_getCString(s);
    }
    if (name && *name) {
        d->v[d->n] = ll_path_absolute(d->arena, d->dir, name);
        if (d->v[d->n])
            d->n++;
        else
            d->oom = true;
    }
    clang_disposeString(s);
}

/* Records the main file and every file it included into out->deps, sorted
 * and without duplicates (a header without a guard is entered once per
 * #include).  Returns 0, or -1 when out of memory. */
static int record_deps(CXTranslationUnit ctu, const struct ll_tu_job *job, struct ll_tu_facts *out)
{
    struct dep_list d = {&out->arena, job->directory, NULL, 0, 0, false};
    clang_getInclusions(ctu, dep_visit, &d);
    int rc = -1;
    if (d.oom)
        goto out;
    if (d.n)
        qsort(d.v, d.n, sizeof(*d.v), dep_cmp);
    out->deps = ll_arena_alloc(&out->arena, (d.n + 1) * sizeof(*out->deps));
    if (!out->deps)
        goto out;
    out->ndeps = 0;
    for (size_t i = 0; i < d.n; i++)
        if (i == 0 || strcmp(d.v[i], d.v[i - 1]) != 0)
            out->deps[out->ndeps++] = d.v[i];
    rc = 0;
out:
    free(d.v);
    return rc;
}

int ll_frontend_parse(struct ll_frontend *fe, const struct ll_tu_job *job, struct ll_tu_facts *out,
                      char *errbuf, size_t errlen)
{
    CXTranslationUnit ctu = NULL;
    unsigned opts =
        CXTranslationUnit_KeepGoing | CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;
    /* -w: the compiler's own warnings are not locklint's to report, and
     * the driver would print some of them (a GCC-only -W option) to
     * stderr itself. */
    const char **argv = malloc(((size_t)job->argc + 1) * sizeof(*argv));
    if (!argv) {
        snprintf(errbuf, errlen, "%s: out of memory", job->file);
        return -1;
    }
    for (int i = 0; i < job->argc; i++)
        argv[i] = job->argv[i];
    argv[job->argc] = "-w";
    enum CXErrorCode e =
        clang_parseTranslationUnit2(fe->index, job->file, argv, job->argc + 1, NULL, 0, opts, &ctu);
    free(argv);
    if (e != CXError_Success || !ctu) {
        snprintf(errbuf, errlen, "%s: %s", job->file, parse_error_text(e));
        return e == CXError_Crashed ? LL_FRONTEND_CRASHED : -1;
    }
    struct tu_ctx tu;
    memset(&tu, 0, sizeof(tu));
    ll_strmap_init(&tu.noreturn);
    tu.facts = out;
    tu.ctu = ctu;
    out->main_file = ll_arena_strdup(&out->arena, job->file);
    CXFile main = clang_getFile(ctu, job->file);
    if (main)
        fe_file_index(&tu, main); /* the main file is files[0] */
    count_errors(&tu);
    fe_memo_begin(fe->memo);
    clang_visitChildren(clang_getTranslationUnitCursor(ctu), top_level, &tu);
    fe_memo_end();
    int rc = tu.oom || !out->main_file ? -1 : publish(&tu);
    if (rc == 0)
        rc = record_deps(ctu, job, out);
    if (rc != 0)
        snprintf(errbuf, errlen, "%s: out of memory", job->file);
    free(tu.files);
    free(tu.names);
    free(tu.system);
    ll_strmap_release(&tu.noreturn);
    free(tu.fns);
    free(tu.globals);
    free(tu.fnrefs);
    free(tu.ptrflows);
    clang_disposeTranslationUnit(ctu);
    return rc;
}
