/*
 * summary: path instantiation.  A parameter-rooted path is spelled from the
 * parameter's name ("s->lock", "*m", "p[i]"); at a call it is rebased on
 * the argument: with `&x` the pointer's target is x itself ("x.lock",
 * "x"), with a pointer value q it stays a dereference ("q->lock", "*q").
 * Classes of fields do not change ("struct conn.lock"); classes derived
 * from the parameter ("*f(m)") take the argument's.  Embedding paths keep
 * the argument's origin: `h->lock` of `half_lock(&c->out)` is embedded as
 * "struct conn.out.lock".
 */
#include "summary.h"

#include "sites.h"

#include <stdio.h>
#include <string.h>

bool ll_path_portable(const struct ll_path *p)
{
    return p->root == LL_ROOT_GLOBAL || p->root == LL_ROOT_STATIC_LOCAL || p->root == LL_ROOT_PARAM;
}

bool ll_path_concrete(const struct ll_path *p)
{
    if (p->root != LL_ROOT_GLOBAL && p->root != LL_ROOT_STATIC_LOCAL)
        return false;
    if (!(p->flags & LL_PATH_INDEXED) || !p->key)
        return true;
    /* indices must all be constants */
    for (const char *c = strchr(p->key, '['); c; c = strchr(c + 1, '[')) {
        const char *q = c + 1;
        if (*q == '-')
            q++;
        if (*q < '0' || *q > '9')
            return false;
        while (*q >= '0' && *q <= '9')
            q++;
        if (*q != ']')
            return false;
    }
    return true;
}

static bool starts_with(const char *s, const char *prefix, size_t *len)
{
    size_t n = strlen(prefix);
    if (strncmp(s, prefix, n) != 0)
        return false;
    *len = n;
    return true;
}

static bool ident_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * Folds the container steps of a spelling that undo the field step before
 * them: "p^m" is the struct whose field m p points to (container_of(),
 * frontend_expr.c), so "a->m^m" is a, "a.m^m->x" is a.x and "*a.m^m" is
 * a.  Other container steps stay.  In `a`; `s` itself when nothing folds.
 */
static const char *fold_containers(struct ll_arena *a, const char *s)
{
    for (int round = 0; s && round < 8; round++) {
        const char *hat = strchr(s, '^');
        bool folded = false;
        for (; hat && !folded; hat = strchr(hat + 1, '^')) {
            size_t i = (size_t)(hat - s), m = 0;
            while (ident_char(hat[1 + m]))
                m++;
            const char *rest = hat + 1 + m;
            if (m == 0 || i < m + 1 || strncmp(s + i - m, hat + 1, m) != 0)
                continue;
            size_t before = i - m; /* where the field step's field starts */
            if (s[before - 1] == '>' && before >= 2 && s[before - 2] == '-')
                s = ll_arena_printf(a, "%.*s%s", (int)(before - 2), s, rest);
            else if (s[before - 1] == '.' && rest[0] == '-' && rest[1] == '>')
                s = ll_arena_printf(a, "%.*s.%s", (int)(before - 1), s, rest + 2);
            else if (s[before - 1] == '.' && s[0] == '*' &&
                     (rest[0] == '\0' || rest[0] == '.' || rest[0] == '['))
                s = ll_arena_printf(a, "%.*s%s", (int)(before - 2), s + 1, rest);
            else
                continue;
            folded = true;
        }
        if (!folded)
            break;
    }
    return s;
}

/* Rebases one spelling (key or text) from parameter `pname` onto the
 * argument's spelling `arg`. */
static const char *rebase(struct ll_arena *a, const char *s, const char *pname, const char *arg,
                          bool addr)
{
    size_t n;
    char star[256];
    snprintf(star, sizeof(star), "*%s", pname);
    if (starts_with(s, star, &n) &&
        (s[n] == '\0' || s[n] == '.' || s[n] == '[' || s[n] == '-' || s[n] == '^'))
        /* the struct holding *(&x.m) is x: the star stays to be folded */
        return fold_containers(a, addr && s[n] != '^' ? ll_arena_printf(a, "%s%s", arg, s + n)
                                                      : ll_arena_printf(a, "*%s%s", arg, s + n));
    if (starts_with(s, pname, &n)) {
        const char *rest = s + n;
        if (rest[0] == '-' && rest[1] == '>')
            return addr ? ll_arena_printf(a, "%s.%s", arg, rest + 2)
                        : ll_arena_printf(a, "%s->%s", arg, rest + 2);
        if (rest[0] == '^')
            return fold_containers(a, ll_arena_printf(a, "%s%s", arg, rest));
        if (rest[0] == '\0' || rest[0] == '[' || rest[0] == '.')
            return ll_arena_printf(a, "%s%s", arg, rest);
    }
    return NULL;
}

/* Rebases a class derived from the root's own class `own` ("f(m)" of
 * parameter m of f: "*f(m)"); a field's or a global's class stays. */
static const char *rebase_class(struct ll_arena *a, const char *cls, const char *own,
                                const char *argcls, bool addr)
{
    size_t n;
    char star[520];
    snprintf(star, sizeof(star), "*%s", own);
    if (starts_with(cls, star, &n))
        return addr ? ll_arena_printf(a, "%s%s", argcls, cls + n)
                    : ll_arena_printf(a, "*%s%s", argcls, cls + n);
    if (starts_with(cls, own, &n))
        return ll_arena_printf(a, "%s%s", argcls, cls + n);
    return cls; /* a field's or a global's class */
}

const char *ll_path_emb(const struct ll_path *p)
{
    return p->emb ? p->emb : p->cls;
}

/* The fields of a class with its embedding path: ".out.lock" of
 * "struct conn.out.lock" (the type's name may hold dots: "struct <anon
 * a.c>"); NULL when there is no field. */
static const char *class_fields(const char *cls)
{
    cls += ll_site_prefix(cls);
    if (*cls == '*')
        return NULL;
    const char *from = cls;
    if (strncmp(cls, "struct <", 8) == 0 || strncmp(cls, "union <", 7) == 0) {
        from = strchr(cls, '>');
        if (!from)
            return NULL;
    }
    return strchr(from, '.');
}

const char *ll_path_emb_from(struct ll_arena *a, const struct ll_path *p, const char *pname,
                             const char *origin)
{
    size_t n = strlen(pname);
    if (!p->key || !origin)
        return p->emb;
    if (p->key[0] == '*' && strcmp(p->key + 1, pname) == 0)
        return origin;
    if (strncmp(p->key, pname, n) != 0 || strncmp(p->key + n, "->", 2) != 0 ||
        strstr(p->key + n + 2, "->"))
        return p->emb;
    const char *fields = class_fields(ll_path_emb(p));
    return fields ? ll_arena_printf(a, "%s%s", origin, fields) : p->emb;
}

/* The embedding path of p's instance for the call: `h->x.y` of parameter
 * h given `&c->out` is embedded where c->out is. */
static const char *instantiate_emb(struct ll_arena *a, const struct ll_path *p, const char *own,
                                   const char *pname, const struct ll_path *arg, bool addr)
{
    const char *pe = ll_path_emb(p), *ae = ll_path_emb(arg);
    const char *derived = rebase_class(a, pe, own, ae, addr);
    if (derived != pe)
        return derived; /* "*f(m)": the argument's own class */
    if (!addr || !(arg->flags & LL_PATH_MEMBER) || (p->key[0] == '*' && !p->emb))
        return p->emb;
    return ll_path_emb_from(a, p, pname, ae);
}

static size_t count_char(const char *s, char c)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == c;
    return n;
}

bool ll_class_may_alias(const char *cls_a, const char *emb_a, const char *cls_b, const char *emb_b)
{
    if (!cls_a || !cls_b || strcmp(cls_a, cls_b) != 0)
        return false;
    if (!emb_a || !emb_b || strcmp(emb_a, emb_b) == 0)
        return true;
    /* blocks from two allocation sites are two objects; one of unknown
     * origin may be either (sites.h) */
    size_t sa = ll_site_prefix(emb_a), sb = ll_site_prefix(emb_b);
    if (sa && sb && (sa != sb || strncmp(emb_a, emb_b, sa) != 0))
        return false;
    emb_a += sa;
    emb_b += sb;
    if (strcmp(emb_a, emb_b) == 0)
        return true;
    const char *fa = class_fields(emb_a), *fb = class_fields(emb_b);
    if (!fa || !fb)
        return true;
    size_t da = count_char(fa, '.'), db = count_char(fb, '.');
    if (da == db)
        return false; /* as deep in their outermost structs, and not the same */
    const char *longer = da > db ? fa : fb, *shorter = da > db ? fb : fa;
    size_t nl = strlen(longer), ns = strlen(shorter);
    return nl > ns && strcmp(longer + nl - ns, shorter) == 0;
}

/* Whether an argument's spelling reads as one operand where it replaces
 * a name (`it->hv`, `b`, `7`), else it is put in parentheses. */
static bool one_operand(const char *s)
{
    for (size_t i = 0; s[i]; i++)
        if (!ident_char(s[i]) && s[i] != '.' && s[i] != '[' && s[i] != ']' && s[i] != '?' &&
            !(s[i] == '-' && s[i + 1] == '>') && !(s[i] == '>' && i > 0 && s[i - 1] == '-'))
            return false;
    return true;
}

/* `s` with every name inside brackets that is one of the callee's
 * parameters spelled as the call's argument (`text`: its text, else its
 * key; `?` when it has none).  In `a`, or NULL when out of memory. */
static const char *rebase_indices(struct ll_arena *a, const char *s,
                                  const struct ll_function *callee, const struct ll_event *call,
                                  bool text)
{
    char buf[1024];
    size_t n = 0;
    int depth = 0;
    for (const char *c = s; *c;) {
        bool start = depth > 0 && ident_char(*c) && !(*c >= '0' && *c <= '9') &&
                     (c == s || (!ident_char(c[-1]) && c[-1] != '.' && c[-1] != '>'));
        if (!start) {
            depth += *c == '[' ? 1 : *c == ']' && depth ? -1 : 0;
            if (n + 1 >= sizeof(buf))
                return s;
            buf[n++] = *c++;
            continue;
        }
        size_t m = 0;
        while (ident_char(c[m]))
            m++;
        const char *with = NULL;
        for (uint32_t i = 0; i < callee->nparams && i < call->nargs && !with; i++)
            if (callee->params[i] && strlen(callee->params[i]) == m &&
                strncmp(callee->params[i], c, m) == 0) {
                const struct ll_path *arg = &call->args[i];
                with = text && arg->text ? arg->text : arg->key ? arg->key : "?";
            }
        bool paren = with && !one_operand(with);
        const char *put = with ? with : c;
        size_t len = with ? strlen(with) : m;
        if (n + len + 3 >= sizeof(buf))
            return s;
        if (paren)
            buf[n++] = '(';
        memcpy(buf + n, put, len);
        n += len;
        if (paren)
            buf[n++] = ')';
        c += m;
    }
    return ll_arena_strndup(a, buf, n);
}

bool ll_path_instantiate_indices(struct ll_arena *a, const struct ll_path *p,
                                 const struct ll_function *callee, const struct ll_event *call,
                                 struct ll_path *out)
{
    if (p->root != LL_ROOT_GLOBAL && p->root != LL_ROOT_STATIC_LOCAL)
        return ll_path_instantiate(a, p, callee, call, out);
    *out = *p;
    if (!(p->flags & LL_PATH_INDEXED) || !p->key)
        return true;
    out->key = rebase_indices(a, p->key, callee, call, false);
    out->text = p->text ? rebase_indices(a, p->text, callee, call, true) : NULL;
    return out->key && (out->text || !p->text);
}

bool ll_path_instantiate(struct ll_arena *a, const struct ll_path *p,
                         const struct ll_function *callee, const struct ll_event *call,
                         struct ll_path *out)
{
    if (p->root == LL_ROOT_GLOBAL || p->root == LL_ROOT_STATIC_LOCAL) {
        *out = *p;
        return true;
    }
    if (p->root == LL_ROOT_RETURN) {
        /* `@ret->lock` is a field of what the call's result was stored in,
         * `*@ret` what it points to; of the object itself when the call
         * records it (getters.h: a local set only from such calls) */
        const char *rv = call->result_var;
        size_t stars = p->key && p->key[0] == '*' ? 1 : 0;
        if (!rv || !p->key || !p->text || strncmp(p->key + stars, "@ret", 4) != 0 ||
            strncmp(p->text + stars, "@ret", 4) != 0)
            return false;
        if (call->obj.root != LL_ROOT_NONE && call->obj.key && strcmp(p->key, "*@ret") == 0) {
            *out = call->obj; /* the object itself, with its own class */
            out->flags &= (uint8_t)~LL_PATH_ADDR;
            return true;
        }
        if (call->obj.root != LL_ROOT_NONE && call->obj.key)
            return ll_path_rebase(a, p, "@ret", "@ret", "@ret", &call->obj, out);
        struct ll_path r = *p;
        r.key = ll_arena_printf(a, "%.*s%s%s", (int)stars, p->key, rv, p->key + stars + 4);
        r.text = ll_arena_printf(a, "%.*s%s%s", (int)stars, p->text, rv, p->text + stars + 4);
        if (!r.key || !r.text)
            return false;
        r.root = LL_ROOT_LOCAL;
        r.param = -1;
        r.root_usr = NULL;
        *out = r;
        return true;
    }
    if (p->root != LL_ROOT_PARAM || p->param < 0 || (uint32_t)p->param >= call->nargs ||
        (uint32_t)p->param >= callee->nparams || !p->key || !p->text || !p->cls)
        return false;
    const char *pname = callee->params[p->param];
    if (!pname || !*pname)
        return false;
    char own[512];
    snprintf(own, sizeof(own), "%s(%s)", callee->name, pname);
    return ll_path_rebase(a, p, pname, pname, own, &call->args[p->param], out);
}

/* How many pointers key `key` goes through from root `kroot`: `*m`,
 * `m->lock`, `m[i]` and `m^link->lock` one; `m->next->lock` two; -1 when
 * it is not spelled from kroot. */
static int derefs_from(const char *key, const char *kroot)
{
    int n = 0;
    while (*key == '*') {
        key++;
        n++;
    }
    size_t k = strlen(kroot);
    if (strncmp(key, kroot, k) != 0 || ident_char(key[k]))
        return -1;
    key += k;
    if (*key == '[')
        n++;
    for (const char *c = key; (c = strstr(c, "->")) != NULL; c += 2)
        n++;
    return n;
}

bool ll_path_rebase(struct ll_arena *a, const struct ll_path *p, const char *kroot,
                    const char *troot, const char *croot, const struct ll_path *arg,
                    struct ll_path *out)
{
    if (arg->root == LL_ROOT_NONE || arg->root == LL_ROOT_UNKNOWN || !arg->key || !p->key ||
        !p->text || !p->cls)
        return false;
    bool addr = (arg->flags & LL_PATH_ADDR) != 0;
    /* the block the root points to is the argument's: its site too */
    bool through_root = derefs_from(p->key, kroot) == 1;
    struct ll_path q = *p;
    if (through_root) {
        q.emb = p->emb ? p->emb + ll_site_prefix(p->emb) : NULL;
        q.site = arg->site;
    }
    p = &q;
    struct ll_path r = *p;
    r.key = rebase(a, p->key, kroot, arg->key, addr);
    const char *atext = arg->text ? arg->text : arg->key;
    r.text = rebase(a, p->text, troot, atext, addr);
    /* a text that does not start with the root (`c->m` of `c = arg`,
     * frontend_expr.c pointer_path()): the key's steps on the argument's text */
    if (!r.text && r.key)
        r.text = rebase(a, p->key, kroot, atext, addr);
    r.cls = rebase_class(a, p->cls, croot, arg->cls, addr);
    r.emb = instantiate_emb(a, p, croot, kroot, arg, addr);
    if (!r.key || !r.text || !r.cls)
        return false;
    if (through_root) {
        r.emb = r.emb ? r.emb + ll_site_prefix(r.emb) : NULL;
        if (r.site && !(r.emb = ll_arena_printf(a, "%s%s", r.site, r.emb ? r.emb : r.cls)))
            return false;
    }
    if (r.emb && strcmp(r.emb, r.cls) == 0)
        r.emb = NULL;
    r.root = arg->root;
    r.param = arg->param;
    r.root_usr = arg->root_usr;
    /* the root's pointee itself (`*h`) is a member where the argument is */
    char whole[256];
    snprintf(whole, sizeof(whole), "*%s", kroot);
    uint8_t member = strcmp(p->key, whole) == 0 ? arg->flags : p->flags;
    r.flags = (uint8_t)((p->flags | arg->flags) & ~(LL_PATH_ADDR | LL_PATH_MEMBER));
    r.flags |= member & LL_PATH_MEMBER;
    if (!addr)
        r.flags |= LL_PATH_DEREF;
    *out = r;
    return true;
}

bool ll_guard_holds(const struct ll_guard *g, int64_t v)
{
    bool holds = false;
    if (g->cmp == LL_GUARD_IN)
        for (uint8_t i = 0; i < g->nin && !holds; i++)
            holds = g->in[i] == v;
    else
        holds = ll_ps_cmp_holds(g->cmp, v, g->k);
    return holds == (g->truth != 0);
}

bool ll_path_shared(const struct ll_path *p)
{
    if (!p->key || !p->cls || p->root == LL_ROOT_NONE || p->root == LL_ROOT_UNKNOWN)
        return false;
    return p->root != LL_ROOT_LOCAL || (p->flags & LL_PATH_DEREF);
}

bool ll_path_same_lock(const struct ll_path *a, const struct ll_path *b)
{
    bool ca = ll_path_concrete(a), cb = ll_path_concrete(b);
    if (ca && cb)
        return a->key && b->key && strcmp(a->key, b->key) == 0 &&
               ((!a->root_usr && !b->root_usr) ||
                (a->root_usr && b->root_usr && strcmp(a->root_usr, b->root_usr) == 0));
    return ll_class_may_alias(a->cls, ll_path_emb(a), b->cls, ll_path_emb(b));
}
