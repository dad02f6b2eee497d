/*
 * frontend_cfg: the state lowering writes and the helpers that write it.
 * The TU's tables (files, fnrefs), the builder's scratch stack of cursors,
 * and the function's graph: new blocks, edges, events, and at the end the
 * copy of the reachable blocks into the facts.  It knows no statement or
 * expression kind; frontend_stmt.c and frontend_expr.c decide what to emit.
 */
#include "frontend_cfg.h"

#include "compdb.h"

#include <stdlib.h>
#include <string.h>

char *fe_string(struct ll_arena *a, CXString s)
{
    const char *c = clang_getCString(s);
    char *copy = ll_arena_strdup(a, c ? c : "");
    clang_disposeString(s);
    return copy;
}

uint32_t fe_file_index(struct tu_ctx *tu, CXFile file)
{
    for (size_t i = tu->nfiles; i-- > 0;)
        if (tu->files[i].file == file || clang_File_isEqual(tu->files[i].file, file))
            return tu->files[i].index;
    size_t cap = tu->capfiles;
    if (!ll_grow((void **)&tu->files, &cap, tu->nfiles, sizeof(*tu->files)) ||
        !ll_grow((void **)&tu->names, &(size_t){tu->capfiles}, tu->nfiles, sizeof(*tu->names)) ||
        !ll_grow((void **)&tu->system, &(size_t){tu->capfiles}, tu->nfiles, 1)) {
        tu->oom = true;
        return 0;
    }
    tu->capfiles = cap;
    CXString s = clang_getFileName(file);
    const char *name = clang_getCString(s);
    char *canon = ll_path_absolute(&tu->facts->arena, "/", name ? name : "?");
    clang_disposeString(s);
    if (!canon) {
        tu->oom = true;
        return 0;
    }
    uint32_t idx = (uint32_t)tu->nfiles;
    tu->files[idx].file = file;
    tu->files[idx].index = idx;
    tu->names[idx] = canon;
    tu->system[idx] =
        (uint8_t)clang_Location_isInSystemHeader(clang_getLocationForOffset(tu->ctu, file, 0));
    tu->nfiles++;
    return idx;
}

#define EXTENT_MEMO 4096 /* slots; powers of two */
#define STRIP_MEMO 2048
#define CHILDREN_MEMO 2048
struct extent_memo {
    CXCursor c;
    CXSourceRange r;
};
struct fe_memo {
    struct extent_memo extent[EXTENT_MEMO];
    struct fe_strip_memo strip[STRIP_MEMO];
    struct fe_children_memo children[CHILDREN_MEMO];
};
static _Thread_local struct fe_memo *memo;

struct fe_memo *fe_memo_new(void)
{
    return malloc(sizeof(struct fe_memo));
}

void fe_memo_free(struct fe_memo *m)
{
    free(m);
}

void fe_memo_begin(struct fe_memo *m)
{
    /* kind 0 is no cursor's: an empty slot matches none */
    if (m)
        memset(m, 0, sizeof(*m));
    memo = m;
}

void fe_memo_end(void)
{
    memo = NULL;
}

bool fe_same_cursor(CXCursor a, CXCursor b)
{
    return a.kind == b.kind && a.xdata == b.xdata && a.data[0] == b.data[0] &&
           a.data[1] == b.data[1] && a.data[2] == b.data[2];
}

/* data[1] is an expression's or statement's node, data[0] its parent
 * declaration */
static size_t slot_of(CXCursor c, size_t n)
{
    uintptr_t h = (uintptr_t)c.data[1] ^ ((uintptr_t)c.data[0] >> 4) ^ (uintptr_t)c.kind;
    h ^= h >> 13;
    return (h ^ (h >> 7)) & (n - 1);
}

CXSourceRange fe_extent(CXCursor c)
{
    if (!memo)
        return clang_getCursorExtent(c);
    struct extent_memo *m = &memo->extent[slot_of(c, EXTENT_MEMO)];
    if (!fe_same_cursor(m->c, c)) {
        m->c = c;
        m->r = clang_getCursorExtent(c);
    }
    return m->r;
}

struct fe_strip_memo *fe_strip_slot(CXCursor e)
{
    return memo ? &memo->strip[slot_of(e, STRIP_MEMO)] : NULL;
}

struct fe_children_memo *fe_children_slot(CXCursor c)
{
    return memo ? &memo->children[slot_of(c, CHILDREN_MEMO)] : NULL;
}

struct ll_loc fe_loc(struct fn_builder *b, CXCursor c)
{
    struct ll_loc l = {0, 0, 0};
    CXFile f = NULL;
    unsigned line = 0, col = 0;
    clang_getExpansionLocation(clang_getRangeStart(fe_extent(c)), &f, &line, &col, NULL);
    if (f)
        l.file = fe_file_index(b->tu, f);
    l.line = line;
    l.col = col;
    return l;
}

struct ll_loc fe_loc_tu(struct tu_ctx *tu, CXCursor c)
{
    struct ll_loc l = {0, 0, 0};
    CXFile f = NULL;
    unsigned line = 0, col = 0;
    clang_getExpansionLocation(clang_getRangeStart(fe_extent(c)), &f, &line, &col, NULL);
    if (f)
        l.file = fe_file_index(tu, f);
    l.line = line;
    l.col = col;
    return l;
}

/* Appends (source, slot, where) to one of the TU's flow tables. */
static void add_ref(struct tu_ctx *tu, struct ll_fnref **v, size_t *cap, size_t *n,
                    const char *source, const char *slot, CXCursor at)
{
    if (!source || !slot)
        return;
    if (!ll_grow((void **)v, cap, *n, sizeof(**v))) {
        tu->oom = true;
        return;
    }
    struct ll_fnref *r = &(*v)[(*n)++];
    r->usr = source;
    r->context = slot;
    r->loc = fe_loc_tu(tu, at);
}

void fe_add_flow(struct tu_ctx *tu, const char *source, const char *slot, CXCursor at)
{
    add_ref(tu, &tu->fnrefs, &tu->capfnrefs, &tu->nfnrefs, source, slot, at);
}

void fe_add_ptrflow(struct tu_ctx *tu, const char *source, const char *slot, CXCursor at)
{
    add_ref(tu, &tu->ptrflows, &tu->capptrflows, &tu->nptrflows, source, slot, at);
}

/* ---- cursors ------------------------------------------------------ */

static enum CXChildVisitResult find_body(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_CompoundStmt)
        *(CXCursor *)data = c;
    return CXChildVisit_Continue;
}

static bool same_file(CXFile a, CXFile b)
{
    return a == b || (a && b && clang_File_isEqual(a, b));
}

bool fe_own_range(CXTranslationUnit ctu, CXSourceRange r, unsigned cap, bool clip,
                  bool from_expansion, CXSourceRange *out)
{
    CXSourceLocation start = clang_getRangeStart(r);
    CXFile sf = NULL, xf = NULL, ef = NULL;
    unsigned so = 0, xo = 0, eo = 0;
    clang_getSpellingLocation(start, &sf, NULL, NULL, &so);
    clang_getExpansionLocation(start, &xf, NULL, NULL, &xo);
    clang_getSpellingLocation(clang_getRangeEnd(r), &ef, NULL, NULL, &eo);
    if (!sf || !xf || !ef)
        return false;
    /* A macro is defined before it is used: a start written before its
     * expansion, or in another file, is in a macro's #define. */
    if (!same_file(sf, xf) || so < xo) {
        if (!from_expansion)
            return false;
        sf = xf;
        so = xo;
    }
    if (!same_file(sf, ef) || eo < so)
        return false;
    if (eo - so > cap) {
        if (!clip)
            return false;
        eo = so + cap;
    }
    *out = clang_getRange(clang_getLocationForOffset(ctu, sf, so),
                          clang_getLocationForOffset(ctu, sf, eo));
    return true;
}

CXCursor fe_function_body(CXCursor fn)
{
    CXCursor body = clang_getNullCursor();
    clang_visitChildren(fn, find_body, &body);
    return body;
}

static enum CXChildVisitResult collect_child(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    struct fn_builder *b = data;
    if (b->ncs == b->capcs) {
        size_t cap = b->capcs ? b->capcs * 2 : 256;
        CXCursor *v = realloc(b->cs, cap * sizeof(*v));
        if (!v) {
            b->oom = true;
            return CXChildVisit_Break;
        }
        b->cs = v;
        b->capcs = cap;
    }
    b->cs[b->ncs++] = c;
    return CXChildVisit_Continue;
}

size_t fe_push_children(struct fn_builder *b, CXCursor c)
{
    size_t base = b->ncs;
    clang_visitChildren(c, collect_child, b);
    return base;
}

size_t fe_operands(struct fn_builder *b, CXCursor c, CXCursor *ops, size_t max)
{
    size_t base = fe_push_children(b, c);
    size_t n = b->ncs - base;
    if (n > max)
        n = max;
    for (size_t i = 0; i < n; i++)
        ops[i] = b->cs[base + i];
    b->ncs = base;
    return n;
}

/* ---- builder ------------------------------------------------------ */

int fe_keyset_add(struct fn_builder *b, struct keyset *s, const char *key)
{
    if (!key || fe_keyset_has(s, key))
        return 0;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4;
        const char **v = realloc(s->v, cap * sizeof(*v));
        if (!v) {
            b->oom = true;
            return -1;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = key;
    return 0;
}

void fe_keyset_del(struct keyset *s, const char *key)
{
    for (size_t i = 0; key && i < s->n; i++)
        if (strcmp(s->v[i], key) == 0) {
            s->v[i] = s->v[--s->n];
            return;
        }
}

bool fe_keyset_has(const struct keyset *s, const char *key)
{
    for (size_t i = 0; key && i < s->n; i++)
        if (strcmp(s->v[i], key) == 0)
            return true;
    return false;
}

uint32_t fe_new_block(struct fn_builder *b)
{
    if (b->nblocks == b->capblocks) {
        uint32_t cap = b->capblocks ? b->capblocks * 2 : 16;
        struct build_block *v = realloc(b->blocks, cap * sizeof(*v));
        if (!v) {
            b->oom = true;
            return b->cur; /* keep going on the current block; result is discarded */
        }
        b->blocks = v;
        b->capblocks = cap;
    }
    struct build_block *nb = &b->blocks[b->nblocks];
    memset(nb, 0, sizeof(*nb));
    nb->loop_depth = b->loop_depth;
    return b->nblocks++;
}

void fe_edge(struct fn_builder *b, uint32_t from, uint32_t to)
{
    struct build_block *bb = &b->blocks[from];
    if (bb->nsucc < 2 && bb->nmany == 0) {
        bb->succ[bb->nsucc++] = to;
        return;
    }
    if (bb->nmany == bb->capmany) {
        uint32_t cap = bb->capmany ? bb->capmany * 2 : 8;
        uint32_t *v = realloc(bb->many, cap * sizeof(*v));
        if (!v) {
            b->oom = true;
            return;
        }
        bb->many = v;
        bb->capmany = cap;
    }
    bb->many[bb->nmany++] = to;
}

void fe_dead_end(struct fn_builder *b)
{
    b->cur = fe_new_block(b);
}

void fe_fall_into(struct fn_builder *b, uint32_t next)
{
    fe_edge(b, b->cur, next);
    b->cur = next;
}

struct ll_event *fe_emit(struct fn_builder *b, enum ll_event_kind kind, CXCursor at)
{
    struct build_block *bb = &b->blocks[b->cur];
    if (bb->nevents == bb->cap) {
        uint32_t cap = bb->cap ? bb->cap * 2 : 8;
        struct ll_event *v = realloc(bb->events, cap * sizeof(*v));
        if (!v) {
            b->oom = true;
            memset(&b->sink, 0, sizeof(b->sink));
            return &b->sink;
        }
        bb->events = v;
        bb->cap = cap;
    }
    struct ll_event *ev = &bb->events[bb->nevents++];
    memset(ev, 0, sizeof(*ev));
    ev->kind = (uint8_t)kind;
    ev->loop_depth = b->loop_depth;
    ev->loc = fe_loc(b, at);
    ev->obj.param = ev->aux.param = -1;
    b->nevents_total++;
    return ev;
}

void fe_builder_free(struct fn_builder *b)
{
    for (uint32_t i = 0; i < b->nblocks; i++) {
        free(b->blocks[i].events);
        free(b->blocks[i].many);
    }
    free(b->blocks);
    free(b->labels);
    free(b->cs);
    free(b->aliases);
    free(b->recursive_attrs.v);
    free(b->detached_attrs.v);
    free(b->self_handles.v);
}

/* ---- finishing ----------------------------------------------------- */

static uint32_t nsucc_of(const struct build_block *bb)
{
    return bb->nsucc + bb->nmany;
}

static uint32_t succ_of(const struct build_block *bb, uint32_t i)
{
    return i < bb->nsucc ? bb->succ[i] : bb->many[i - bb->nsucc];
}

/* Marks blocks reachable from the entry; returns their new numbering. */
static uint32_t *reachable_numbering(struct fn_builder *b, uint32_t *count)
{
    uint32_t *num = malloc((b->nblocks + 1) * sizeof(*num));
    uint32_t *stack = malloc((b->nblocks + 1) * sizeof(*stack));
    if (!num || !stack) {
        free(num);
        free(stack);
        return NULL;
    }
    for (uint32_t i = 0; i < b->nblocks; i++)
        num[i] = UINT32_MAX;
    uint32_t sp = 0, n = 0;
    stack[sp++] = 0;
    num[0] = 0; /* placeholder: numbered in order below */
    while (sp) {
        uint32_t x = stack[--sp];
        const struct build_block *bb = &b->blocks[x];
        for (uint32_t i = 0; i < nsucc_of(bb); i++) {
            uint32_t y = succ_of(bb, i);
            if (num[y] == UINT32_MAX) {
                num[y] = 0;
                stack[sp++] = y;
            }
        }
    }
    num[b->exit] = 0; /* the exit is kept even when no return reaches it */
    for (uint32_t i = 0; i < b->nblocks; i++)
        if (num[i] != UINT32_MAX)
            num[i] = n++;
    free(stack);
    *count = n;
    return num;
}

int fe_build_function(struct fn_builder *b, struct ll_function *out)
{
    struct ll_arena *a = b->arena;
    uint32_t n = 0;
    uint32_t *num = reachable_numbering(b, &n);
    if (!num)
        return -1;
    int rc = -1;
    uint32_t nev = 0;
    for (uint32_t i = 0; i < b->nblocks; i++)
        if (num[i] != UINT32_MAX)
            nev += b->blocks[i].nevents;
    out->blocks = ll_arena_alloc(a, (n + 1) * sizeof(*out->blocks));
    out->events = ll_arena_alloc(a, (nev + 1) * sizeof(*out->events));
    if (!out->blocks || !out->events)
        goto out;
    uint32_t ev = 0;
    for (uint32_t i = 0; i < b->nblocks; i++) {
        if (num[i] == UINT32_MAX)
            continue;
        const struct build_block *bb = &b->blocks[i];
        struct ll_block *ob = &out->blocks[num[i]];
        ob->first_event = ev;
        ob->nevents = bb->nevents;
        ob->loop_depth = bb->loop_depth;
        ob->flags = bb->flags;
        ob->cond = bb->cond;
        if (bb->cond.kind == LL_COND_EVENT)
            ob->cond.event = ev + bb->cond.event;
        if (bb->nevents)
            memcpy(&out->events[ev], bb->events, bb->nevents * sizeof(*bb->events));
        ev += bb->nevents;
        ob->nsucc = nsucc_of(bb);
        ob->succ = ll_arena_alloc(a, (ob->nsucc + 1) * sizeof(*ob->succ));
        if (!ob->succ)
            goto out;
        for (uint32_t s = 0; s < ob->nsucc; s++)
            ob->succ[s] = num[succ_of(bb, s)];
    }
    out->nblocks = n;
    out->nevents = nev;
    out->exit = num[b->exit];
    rc = 0;
out:
    free(num);
    return rc;
}
