/*
 * summary: path instantiation.  A parameter-rooted path is spelled from the
 * parameter's name ("s->lock", "*m", "p[i]"); at a call it is rebased on
 * the argument: with `&x` the pointer's target is x itself ("x.lock",
 * "x"), with a pointer value q it stays a dereference ("q->lock", "*q").
 * Classes of fields do not change ("struct conn.lock"); classes derived
 * from the parameter ("*f(m)") take the argument's.
 */
#include "summary.h"

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

/* Rebases one spelling (key or text) from parameter `pname` onto the
 * argument's spelling `arg`. */
static const char *rebase(struct ll_arena *a, const char *s, const char *pname, const char *arg,
                          bool addr)
{
    size_t n;
    char star[256];
    snprintf(star, sizeof(star), "*%s", pname);
    if (starts_with(s, star, &n) && (s[n] == '\0' || s[n] == '.' || s[n] == '[' || s[n] == '-'))
        return addr ? ll_arena_printf(a, "%s%s", arg, s + n)
                    : ll_arena_printf(a, "*%s%s", arg, s + n);
    if (starts_with(s, pname, &n)) {
        const char *rest = s + n;
        if (rest[0] == '-' && rest[1] == '>')
            return addr ? ll_arena_printf(a, "%s.%s", arg, rest + 2)
                        : ll_arena_printf(a, "%s->%s", arg, rest + 2);
        if (rest[0] == '\0' || rest[0] == '[' || rest[0] == '.')
            return ll_arena_printf(a, "%s%s", arg, rest);
    }
    return NULL;
}

static const char *rebase_class(struct ll_arena *a, const char *cls, const char *fn,
                                const char *pname, const struct ll_path *arg, bool addr)
{
    char own[512];
    snprintf(own, sizeof(own), "%s(%s)", fn, pname);
    size_t n;
    char star[520];
    snprintf(star, sizeof(star), "*%s", own);
    if (starts_with(cls, star, &n))
        return addr ? ll_arena_printf(a, "%s%s", arg->cls, cls + n)
                    : ll_arena_printf(a, "*%s%s", arg->cls, cls + n);
    if (starts_with(cls, own, &n))
        return ll_arena_printf(a, "%s%s", arg->cls, cls + n);
    return cls; /* a field's or a global's class */
}

bool ll_path_instantiate(struct ll_arena *a, const struct ll_path *p,
                         const struct ll_function *callee, const struct ll_event *call,
                         struct ll_path *out)
{
    if (p->root == LL_ROOT_GLOBAL || p->root == LL_ROOT_STATIC_LOCAL) {
        *out = *p;
        return true;
    }
    if (p->root != LL_ROOT_PARAM || p->param < 0 || (uint32_t)p->param >= call->nargs ||
        (uint32_t)p->param >= callee->nparams || !p->key || !p->text || !p->cls)
        return false;
    const struct ll_path *arg = &call->args[p->param];
    const char *pname = callee->params[p->param];
    if (arg->root == LL_ROOT_NONE || arg->root == LL_ROOT_UNKNOWN || !arg->key || !pname || !*pname)
        return false;
    bool addr = (arg->flags & LL_PATH_ADDR) != 0;
    struct ll_path r = *p;
    r.key = rebase(a, p->key, pname, arg->key, addr);
    r.text = rebase(a, p->text, pname, arg->text ? arg->text : arg->key, addr);
    r.cls = rebase_class(a, p->cls, callee->name, pname, arg, addr);
    if (!r.key || !r.text || !r.cls)
        return false;
    r.root = arg->root;
    r.param = arg->param;
    r.root_usr = arg->root_usr;
    r.flags = (uint8_t)((p->flags | arg->flags) & ~LL_PATH_ADDR);
    if (!addr)
        r.flags |= LL_PATH_DEREF;
    *out = r;
    return true;
}

bool ll_path_same_lock(const struct ll_path *a, const struct ll_path *b)
{
    bool ca = ll_path_concrete(a), cb = ll_path_concrete(b);
    if (ca && cb)
        return a->key && b->key && strcmp(a->key, b->key) == 0 &&
               ((!a->root_usr && !b->root_usr) ||
                (a->root_usr && b->root_usr && strcmp(a->root_usr, b->root_usr) == 0));
    return a->cls && b->cls && strcmp(a->cls, b->cls) == 0;
}
