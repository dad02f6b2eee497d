/*
 * ir_dump: prints one TU's facts as indented text, one line per global,
 * function-pointer reference, function, block and event.
 *
 * The line shapes (see ir_dump.h) are what tests grep for, so they change
 * only on purpose.  An event line reads: location, kind, lock kind, mode or
 * read/write, the object path ('text' class=... key=...), the auxiliary
 * path, callee, API, flags, result variable, and last the roots of the
 * paths in brackets.  Absent parts (NULL strings, LL_ROOT_NONE paths, zero
 * flags) are left out rather than printed as placeholders.
 *
 * The dump does not check the facts (ir_blob.c does that for blobs), but it
 * never reads outside them: an unknown file index prints as "?" and an
 * event range past the function's events is cut short.
 */
#include "ir_dump.h"

#include <stdbool.h>
#include <string.h>

struct flag_name {
    unsigned bit;
    const char *name;
};

static const struct flag_name event_flags[] = {
    {LL_EVF_CHECKED, "checked"},   {LL_EVF_TIMED, "timed"},       {LL_EVF_ATOMIC, "atomic"},
    {LL_EVF_WRITE, "write"},       {LL_EVF_NORETURN, "noreturn"}, {LL_EVF_INDIRECT, "indirect"},
    {LL_EVF_IMPLICIT, "implicit"}, {LL_EVF_DETACHED, "detached"},
};

static const struct flag_name path_flags[] = {
    {LL_PATH_ADDR, "addr"},       {LL_PATH_DEREF, "deref"},
    {LL_PATH_INDEXED, "indexed"}, {LL_PATH_THREAD_LOCAL, "thread_local"},
    {LL_PATH_CONST, "const"},     {LL_PATH_ATOMIC_TYPE, "atomic_type"},
    {LL_PATH_MEMBER, "member"},
};

static const struct flag_name block_flags[] = {
    {LL_BLK_LOOP_HEAD, "loop-head"},
    {LL_BLK_COUNTED, "counted"},
    {LL_BLK_FOREVER, "forever"},
    {LL_BLK_ORDERED, "ordered"},
};

static const struct flag_name function_flags[] = {
    {LL_FN_STATIC, "static"},       {LL_FN_INLINE, "inline"},
    {LL_FN_NORETURN, "noreturn"},   {LL_FN_VARIADIC, "variadic"},
    {LL_FN_TRUNCATED, "truncated"}, {LL_FN_RETURNS_POINTER, "returns-pointer"},
    {LL_FN_HIDDEN, "hidden"},
};

static const struct flag_name global_flags[] = {
    {LL_GV_STATIC, "static"},
    {LL_GV_THREAD_LOCAL, "thread_local"},
    {LL_GV_CONST, "const"},
    {LL_GV_ATOMIC, "atomic"},
    {LL_GV_LOCK, "lock"},
    {LL_GV_RECURSIVE_INIT, "recursive_init"},
    {LL_GV_DEFINITION, "definition"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *root_name(unsigned root)
{
    static const char *const names[] = {
        [LL_ROOT_NONE] = "none",
        [LL_ROOT_GLOBAL] = "global",
        [LL_ROOT_STATIC_LOCAL] = "static_local",
        [LL_ROOT_PARAM] = "param",
        [LL_ROOT_LOCAL] = "local",
        [LL_ROOT_CALL] = "call",
        [LL_ROOT_UNKNOWN] = "unknown",
    };
    return root < COUNT(names) ? names[root] : "?";
}

/* " name" for every bit of `flags` in `table` (table order), then the bits
 * the table does not know as one hex number. */
static void put_flags(FILE *out, unsigned flags, const struct flag_name *table, size_t n,
                      unsigned skip)
{
    unsigned known = skip;
    for (size_t i = 0; i < n; i++) {
        known |= table[i].bit;
        if ((flags & table[i].bit) && !(skip & table[i].bit))
            fprintf(out, " %s", table[i].name);
    }
    if (flags & ~known)
        fprintf(out, " 0x%x", flags & ~known);
}

static const char *file_base(const struct ll_tu_facts *f, uint32_t file)
{
    if (file >= f->nfiles || !f->files || !f->files[file])
        return "?";
    const char *slash = strrchr(f->files[file], '/');
    return slash ? slash + 1 : f->files[file];
}

static void put_loc(FILE *out, const struct ll_tu_facts *f, const struct ll_loc *l)
{
    fprintf(out, "%s:%u:%u", file_base(f, l->file), (unsigned)l->line, (unsigned)l->col);
}

static void put_quoted(FILE *out, const char *s)
{
    if (s)
        fprintf(out, "'%s'", s);
    else
        fputs("(null)", out);
}

static int path_present(const struct ll_path *p)
{
    return p->root != LL_ROOT_NONE || p->text || p->key || p->cls || p->emb || p->root_usr ||
           p->site || p->flags;
}

/* 'text' class=C key=K */
static void put_path(FILE *out, const struct ll_path *p)
{
    put_quoted(out, p->text);
    if (p->cls)
        fprintf(out, " class=%s", p->cls);
    if (p->emb)
        fprintf(out, " emb=%s", p->emb);
    if (p->key)
        fprintf(out, " key=%s", p->key);
    if (p->site)
        fprintf(out, " site=%s", p->site);
}

/* [obj: param 0 deref usr=...], printed at the end of an event line. */
static void put_path_root(FILE *out, const char *what, const struct ll_path *p)
{
    fprintf(out, " [%s: %s", what, root_name(p->root));
    if (p->root == LL_ROOT_PARAM || p->param != -1)
        fprintf(out, " %d", (int)p->param);
    put_flags(out, p->flags, path_flags, COUNT(path_flags), 0);
    if (p->root_usr)
        fprintf(out, " usr=%s", p->root_usr);
    fputc(']', out);
}

/* " [a b]" for the set bits of `flags`, in table order; unknown bits in hex. */
static void put_bracket_flags(FILE *out, unsigned flags, const struct flag_name *table, size_t n)
{
    if (!flags)
        return;
    const char *sep = "";
    fputs(" [", out);
    for (size_t i = 0; i < n; i++) {
        if (flags & table[i].bit) {
            fprintf(out, "%s%s", sep, table[i].name);
            sep = " ";
        }
        flags &= ~table[i].bit;
    }
    if (flags)
        fprintf(out, "%s0x%x", sep, flags);
    fputc(']', out);
}

static void put_event(FILE *out, const struct ll_tu_facts *f, const struct ll_function *fn,
                      const struct ll_block *b, const struct ll_event *e)
{
    fputs("    ", out);
    if (e->loc.file == fn->loc.file)
        fprintf(out, "%u:%u", (unsigned)e->loc.line, (unsigned)e->loc.col);
    else
        put_loc(out, f, &e->loc);
    fprintf(out, " %s", ll_event_kind_name(e->kind));
    if (e->lock_kind != LL_LK_NONE)
        fprintf(out, " %s", ll_lock_kind_name(e->lock_kind));
    if (e->kind == LL_EV_ACQUIRE || e->kind == LL_EV_TRYACQUIRE)
        fputs(e->mode == LL_MODE_SHARED ? " shared" : " excl", out);
    if (e->kind == LL_EV_ACCESS)
        fputs(e->flags & LL_EVF_WRITE ? " write" : " read", out);

    int obj = path_present(&e->obj), aux = path_present(&e->aux);
    if (e->kind == LL_EV_CALL) {
        fputc(' ', out);
        put_quoted(out, e->api);
        if (e->flags & LL_EVF_INDIRECT)
            fprintf(out, " (through %s)", e->callee ? e->callee : "unknown");
        else if (e->callee)
            fprintf(out, " (usr %s)", e->callee);
        fputs(" args(", out);
        for (uint32_t i = 0; i < e->nargs; i++) {
            const struct ll_path *a = &e->args[i];
            if (i)
                fputs(", ", out);
            if (a->text)
                fprintf(out, "'%s%s'%s", a->flags & LL_PATH_ADDR ? "&" : "", a->text,
                        i < 16 && (e->out_args >> i & 1) ? " out" : "");
            else
                fputc('-', out);
            if ((a->flags & LL_PATH_VALUE) && a->root == LL_ROOT_NONE && a->key)
                fprintf(out, "=%s", a->key);
        }
        fputc(')', out);
    }
    if (obj) {
        fputc(' ', out);
        put_path(out, &e->obj);
    }
    if (e->kind == LL_EV_ACCESS && e->nargs) { /* the thread handle a write copies */
        fputs(" copies(", out);
        put_path(out, &e->args[0]);
        fputc(')', out);
    } else if (e->kind != LL_EV_CALL && e->nargs) { /* the locks an acquisition may be */
        fputs(" may(", out);
        for (uint32_t i = 0; i < e->nargs; i++)
            fprintf(out, "%s'%s'", i ? ", " : "", e->args[i].key ? e->args[i].key : "-");
        fputc(')', out);
    }
    if (aux) {
        fputs(" aux ", out);
        put_path(out, &e->aux);
    }
    if (e->kind != LL_EV_CALL) {
        if (e->callee)
            fprintf(out, " %s=%s", e->kind == LL_EV_THREAD_CREATE ? "start" : "callee", e->callee);
        if (e->api)
            fprintf(out, " via %s", e->api);
    }
    /* bits 6 and 7 mean one thing per event kind (ir.h): an ACCESS says
     * `update` and `nonzero`, a CALL `sole` */
    bool access = e->kind == LL_EV_ACCESS, call = e->kind == LL_EV_CALL;
    bool acquire = e->kind == LL_EV_ACQUIRE;
    put_flags(out, e->flags, event_flags, COUNT(event_flags),
              access    ? LL_EVF_WRITE | LL_EVF_UPDATE | LL_EVF_NONZERO
              : call    ? LL_EVF_SOLE
              : acquire ? LL_EVF_OK_NONZERO
                        : 0);
    if (acquire && (e->flags & LL_EVF_OK_NONZERO))
        fputs(" ok-nonzero", out);
    if (access && (e->flags & LL_EVF_UPDATE))
        fputs(" update", out);
    if (access && (e->flags & LL_EVF_NONZERO))
        fputs(" nonzero", out);
    if (call && (e->flags & LL_EVF_SOLE))
        fputs(" sole", out);
    if (e->result_var)
        fprintf(out, " result=%s", e->result_var);
    /* Events normally sit at their block's depth; say so only when not. */
    if (e->loop_depth != b->loop_depth)
        fprintf(out, " loop=%u", (unsigned)e->loop_depth);
    if (obj)
        put_path_root(out, "obj", &e->obj);
    if (aux)
        put_path_root(out, "aux", &e->aux);
    fputc('\n', out);
}

static void put_cond(FILE *out, const struct ll_cond *c)
{
    switch (c->kind) {
    case LL_COND_NONE:
        return;
    case LL_COND_EVENT:
        fprintf(out, " if [event %u", (unsigned)c->event);
        break;
    case LL_COND_VAR:
        fputs(" if [var ", out);
        put_quoted(out, c->var);
        break;
    default:
        fputs(" if [other", out);
        break;
    }
    if (c->true_when_zero)
        fputs(" true_when_zero", out);
    static const char *const cmps[LL_CMP_COUNT] = {NULL, "!=", "==", "!=", "<",
                                                   "<=", ">",  ">=", "&"};
    if (c->cmp != LL_CMP_NONE && c->cmp < LL_CMP_COUNT)
        fprintf(out, " true-if(%s%lld)", cmps[c->cmp],
                c->cmp == LL_CMP_TRUTH ? 0LL : (long long)c->cmp_k);
    if (c->text) {
        fputc(' ', out);
        put_quoted(out, c->text);
    }
    if (c->nvars) {
        fputs(" vars(", out);
        for (uint32_t i = 0; i < c->nvars; i++)
            fprintf(out, "%s%s", i ? ", " : "", c->vars[i] ? c->vars[i] : "-");
        fputc(')', out);
    }
    if (c->tested)
        fprintf(out, " null-tests(%s)", c->tested);
    fputc(']', out);
}

static void put_function(FILE *out, const struct ll_tu_facts *f, const struct ll_function *fn)
{
    fprintf(out, "function %s ", fn->name ? fn->name : "(null)");
    put_loc(out, f, &fn->loc);
    fputs(" params(", out);
    for (uint32_t i = 0; i < fn->nparams; i++) {
        const char *p = fn->params[i];
        fprintf(out, "%s%s", i ? ", " : "", p && *p ? p : "_");
    }
    fprintf(out, ") exit=B%u", (unsigned)fn->exit);
    put_bracket_flags(out, fn->flags, function_flags, COUNT(function_flags));
    fputc('\n', out);

    for (uint32_t i = 0; i < fn->nblocks; i++) {
        const struct ll_block *b = &fn->blocks[i];
        fprintf(out, "  B%u loop=%u", (unsigned)i, (unsigned)b->loop_depth);
        put_bracket_flags(out, b->flags, block_flags, COUNT(block_flags));
        put_cond(out, &b->cond);
        if (b->nsucc) {
            fputs(" ->", out);
            for (uint32_t s = 0; s < b->nsucc; s++)
                fprintf(out, " B%u", (unsigned)b->succ[s]);
        }
        fputc('\n', out);
        uint32_t first = b->first_event < fn->nevents ? b->first_event : fn->nevents;
        uint32_t n = b->nevents < fn->nevents - first ? b->nevents : fn->nevents - first;
        for (uint32_t k = 0; k < n; k++)
            put_event(out, f, fn, b, &fn->events[first + k]);
    }
}

int ll_facts_dump(FILE *out, const struct ll_tu_facts *f)
{
    fprintf(out, "tu %s (errors: %u)\n", f->main_file ? f->main_file : "(null)",
            (unsigned)f->nerrors);
    if (f->first_error)
        fprintf(out, "error %s\n", f->first_error);
    for (uint32_t i = 0; i < f->nglobals; i++) {
        const struct ll_global *g = &f->globals[i];
        fprintf(out, "global %s ", g->name ? g->name : "(null)");
        put_quoted(out, g->type);
        fputc(' ', out);
        put_loc(out, f, &g->loc);
        put_bracket_flags(out, g->flags, global_flags, COUNT(global_flags));
        if (g->recursive_fields)
            fprintf(out, " recursive(%s)", g->recursive_fields);
        fputc('\n', out);
    }
    for (uint32_t i = 0; i < f->nfnrefs; i++) {
        const struct ll_fnref *r = &f->fnrefs[i];
        fprintf(out, "fnref %s ", r->usr ? r->usr : "(null)");
        put_loc(out, f, &r->loc);
        if (r->context) {
            fputs(" in ", out);
            put_quoted(out, r->context);
        }
        fputc('\n', out);
    }
    for (uint32_t i = 0; i < f->nptrflows; i++) {
        const struct ll_fnref *r = &f->ptrflows[i];
        fprintf(out, "ptrflow %s ", r->usr ? r->usr : "(null)");
        put_loc(out, f, &r->loc);
        fputs(" in ", out);
        put_quoted(out, r->context);
        fputc('\n', out);
    }
    for (uint32_t i = 0; i < f->nfunctions; i++)
        put_function(out, f, &f->functions[i]);
    return ferror(out) ? -1 : 0;
}
