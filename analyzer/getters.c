/*
 * getters: finds the getters (by USR) in rounds, a getter of a getter
 * after the getter it calls, then rewrites every path rooted at a call of
 * one (getters.h).
 */
#include "getters.h"

#include "strmap.h"
#include "summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Levels of getters of getters followed. */
#define GETTER_ROUNDS 8

struct getter {
    const struct ll_function *fn;
    bool known;                    /* decided: a getter of `target`, or none (NULL) */
    const struct ll_path *target;  /* the object's address */
    const struct ll_path *or_null; /* decided: what it returns when not NULL (NULL on
                                      its other returns), or NULL: `target` when a getter */
};

struct getters {
    struct ll_arena *a;
    struct ll_strmap by_usr; /* USR -> index into gs */
    struct getter *gs;
    size_t n, cap;
};

static bool global_root(const struct ll_path *p)
{
    return p->root == LL_ROOT_GLOBAL || p->root == LL_ROOT_STATIC_LOCAL;
}

static bool same_object(const struct ll_path *a, const struct ll_path *b)
{
    if (a->root == LL_ROOT_PARAM || b->root == LL_ROOT_PARAM)
        return a->root == b->root && a->param == b->param && strcmp(a->key, b->key) == 0 &&
               ((a->flags ^ b->flags) & LL_PATH_ADDR) == 0;
    return strcmp(a->key, b->key) == 0 && a->root_usr && b->root_usr &&
           strcmp(a->root_usr, b->root_usr) == 0;
}

/* Whether path q is parameter `name` (number i) itself, or its address
 * (`&o`, which lets a callee set it). */
static bool names_param(const struct ll_path *q, uint32_t i, const char *name)
{
    return q->root == LL_ROOT_PARAM && q->param == (int16_t)i && q->key &&
           !(q->flags & LL_PATH_DEREF) && strcmp(q->key, name) == 0;
}

/* Whether fn may change its parameter i itself (`o = o->next;`, `&o`
 * given to a callee): what it names then is no longer the argument. */
static bool param_changed(const struct ll_function *fn, uint32_t i)
{
    const char *name = fn->params[i];
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind == LL_EV_ACCESS && (ev->flags & LL_EVF_WRITE) &&
            names_param(&ev->obj, i, name))
            return true;
        if ((ev->aux.flags & LL_PATH_ADDR) && names_param(&ev->aux, i, name))
            return true;
        for (uint32_t k = 0; k < ev->nargs; k++)
            if ((ev->args[k].flags & LL_PATH_ADDR) && names_param(&ev->args[k], i, name))
                return true;
    }
    return false;
}

/* Whether p, returned by fn, is one of fn's parameters itself or the
 * address of a part of what it points to (`&o->lock`), the parameter
 * never changed: the argument's part at every call. */
static bool param_target(const struct ll_function *fn, const struct ll_path *p)
{
    return p->root == LL_ROOT_PARAM && p->param >= 0 && (uint32_t)p->param < fn->nparams &&
           fn->params[p->param] && ll_path_param_part(p, fn->params[p->param]) &&
           !param_changed(fn, (uint32_t)p->param);
}

/* The end of the call's own spelling in a call-rooted key: "get()@3:9" of
 * "*get()@3:9->x" (after `from`, past its leading stars), or NULL. */
static const char *call_key_end(const char *from)
{
    const char *at = strstr(from, "()@");
    if (!at)
        return NULL;
    const char *q = at + 3;
    if (*q < '0' || *q > '9')
        return NULL;
    while (*q >= '0' && *q <= '9')
        q++;
    if (*q++ != ':' || *q < '0' || *q > '9')
        return NULL;
    while (*q >= '0' && *q <= '9')
        q++;
    return q;
}

/* The text of a call, "get()" of its key "get()@3:9...", in `a`. */
static const char *call_text(struct ll_arena *a, const char *key)
{
    return ll_arena_strndup(a, key, (size_t)(strstr(key, "()@") + 2 - key));
}

/*
 * p, spelled from a root pointer value (`kroot` in its key after `stars`
 * stars, `troot` in its text, `croot` its own class), rooted instead at
 * `target`, the address or pointer value the root holds: `get()->x` is
 * `g.x`, `*get()` is g.  Returns 1 and fills *out, 0 when p is not
 * spelled from the root (left as it is).
 */
static int reroot(struct ll_arena *a, const struct ll_path *p, size_t stars, const char *kroot,
                  const char *troot, const char *croot, const struct ll_path *target,
                  struct ll_path *out)
{
    if (!ll_path_rebase(a, p, kroot, troot, croot, target, out))
        return 0;
    /* through a pointer only where the rest of the path goes through one
     * (`g.x` is written directly, `g.next->x` is not) */
    const char *rest = p->key + stars + strlen(kroot);
    if (rest[0] == '-' && rest[1] == '>')
        rest += 2;
    bool deref = (target->flags & LL_PATH_DEREF) || !(target->flags & LL_PATH_ADDR) || stars > 1 ||
                 strstr(rest, "->") || ((p->flags & LL_PATH_DEREF) && strchr(rest, '['));
    out->flags &= (uint8_t)~(LL_PATH_DEREF | LL_PATH_ADDR);
    out->flags |= (uint8_t)((deref ? LL_PATH_DEREF : 0) | (p->flags & LL_PATH_ADDR));
    return 1;
}

/*
 * p, rooted at a call, rooted instead at `target`, the address the callee
 * returns; get()'s value itself is &g.  Returns 1 and fills *out, 0 when
 * p is not spelled from the call (left as it is), -1 when out of memory.
 */
static int rewrite(struct ll_arena *a, const struct ll_path *p, const struct ll_path *target,
                   struct ll_path *out)
{
    const char *k = p->key;
    if (!k)
        return 0;
    size_t stars = 0;
    while (k[stars] == '*')
        stars++;
    const char *end = call_key_end(k + stars);
    if (!end)
        return 0;
    if (stars == 0 && *end == '\0') { /* the returned value itself */
        *out = *target;
        return 1;
    }
    /* the call's class is its text ("get()", frontend_expr.c) */
    const char *kroot = ll_arena_strndup(a, k + stars, (size_t)(end - (k + stars)));
    const char *troot = call_text(a, k + stars);
    if (!kroot || !troot)
        return -1;
    return reroot(a, p, stars, kroot, troot, troot, target, out);
}

static struct getter *getter_of(struct getters *g, const char *usr)
{
    size_t k = usr ? ll_strmap_get(&g->by_usr, usr) : (size_t)-1;
    return k == (size_t)-1 ? NULL : &g->gs[k];
}

/* Marks in `seen` the blocks fn's entry reaches (`stack`: room for every
 * block). */
static void mark_reachable(const struct ll_function *fn, uint8_t *seen, uint32_t *stack)
{
    size_t n = 0;
    stack[n++] = 0;
    seen[0] = 1;
    while (n > 0) {
        const struct ll_block *b = &fn->blocks[stack[--n]];
        for (uint32_t s = 0; s < b->nsucc; s++)
            if (b->succ[s] < fn->nblocks && !seen[b->succ[s]]) {
                seen[b->succ[s]] = 1;
                stack[n++] = b->succ[s];
            }
    }
}

/* Functions with a returned path on some reachable return; the others
 * are no getters and are not kept. */
static int collect(struct getters *g, const struct ll_tu_facts *tus, size_t ntus)
{
    for (size_t t = 0; t < ntus; t++)
        for (uint32_t i = 0; i < tus[t].nfunctions; i++) {
            const struct ll_function *fn = &tus[t].functions[i];
            bool any = false;
            for (uint32_t e = 0; e < fn->nevents && !any; e++)
                any = fn->events[e].kind == LL_EV_RETURN && fn->events[e].obj.root != LL_ROOT_NONE;
            if (!any || fn->nblocks == 0 || ll_strmap_get(&g->by_usr, fn->usr) != (size_t)-1)
                continue;
            if (g->n == g->cap) {
                size_t cap = g->cap ? g->cap * 2 : 16;
                struct getter *gs = realloc(g->gs, cap * sizeof(*gs));
                if (!gs)
                    return -1;
                g->gs = gs;
                g->cap = cap;
            }
            if (ll_strmap_put(&g->by_usr, fn->usr, g->n) < 0)
                return -1;
            g->gs[g->n++] = (struct getter){.fn = fn};
        }
    return 0;
}

/* The call of fn that call-rooted key `key` ("*get()@3:9->x") names, or
 * NULL. */
static const struct ll_event *call_of(const struct ll_function *fn, const char *key,
                                      const char *usr)
{
    const char *at = strstr(key, "()@");
    unsigned line, col;
    if (!at || sscanf(at + 3, "%u:%u", &line, &col) != 2)
        return NULL;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind == LL_EV_CALL && ev->loc.line == line && ev->loc.col == col && ev->callee &&
            strcmp(ev->callee, usr) == 0)
            return ev;
    }
    return NULL;
}

/*
 * What getter c returns (`target`: its target or its or_null), at call
 * `call` of it (NULL when not found), in the caller's terms, into *out:
 * a global's indices spelled with the arguments (`&locks[k & 15]` of
 * `get_lock(k)` is `locks[b&15]` at `get_lock(b)`), a parameter's part
 * that of the argument (`&o->lock` of `obj_lock(o)` is `&p->lock` at
 * `obj_lock(p)`).  False when it cannot be said.
 */
static bool target_at(struct getters *g, const struct getter *c, const struct ll_path *target,
                      const struct ll_event *call, struct ll_path *out)
{
    if (target->root != LL_ROOT_PARAM) {
        if (!call || !(target->flags & LL_PATH_INDEXED)) {
            *out = *target;
            return true;
        }
        return ll_path_instantiate_indices(g->a, target, c->fn, call, out);
    }
    if (!call || target->param < 0 || (uint32_t)target->param >= call->nargs)
        return false;
    const struct ll_path *arg = &call->args[target->param];
    if (arg->root == LL_ROOT_NONE || arg->root == LL_ROOT_UNKNOWN || !arg->key)
        return false;
    if (!(target->flags & LL_PATH_ADDR)) {
        *out = *arg; /* the parameter itself: the argument */
        return true;
    }
    if (!ll_path_instantiate(g->a, target, c->fn, call, out))
        return false;
    out->flags |= LL_PATH_ADDR;
    return true;
}

/* What return event ev of fn returns, in the object's terms: 1 with *out
 * set, 0 not yet known (a getter not decided), -1 no single global or
 * parameter's part, -2 out of memory. */
static int returned(struct getters *g, const struct ll_function *fn, const struct ll_event *ev,
                    struct ll_path *out)
{
    const struct ll_path *p = &ev->obj;
    if ((global_root(p) && (p->flags & LL_PATH_ADDR) && p->key && p->root_usr) ||
        param_target(fn, p)) {
        *out = *p;
        return 1;
    }
    if (p->root != LL_ROOT_CALL)
        return -1;
    const struct getter *c = getter_of(g, p->root_usr);
    if (!c)
        return -1;
    if (!c->known)
        return 0;
    struct ll_path t;
    if (!c->target || !p->key || !target_at(g, c, c->target, call_of(fn, p->key, p->root_usr), &t))
        return -1;
    int r = rewrite(g->a, p, &t, out);
    if (r < 0)
        return -2;
    if (r == 1 && global_root(out) && (out->flags & LL_PATH_ADDR) && out->root_usr)
        return 1;
    return r == 1 && param_target(fn, out) ? 1 : -1;
}

/* Decides what getter k returns, if it can be told yet: 1 decided, 0 not
 * yet, -1 out of memory. */
static int decide(struct getters *g, struct getter *k, uint8_t *seen, uint32_t *stack)
{
    const struct ll_function *fn = k->fn;
    memset(seen, 0, fn->nblocks);
    mark_reachable(fn, seen, stack);
    struct ll_path *target = NULL;
    bool nullable = false;
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        if (!seen[b])
            continue;
        const struct ll_block *bl = &fn->blocks[b];
        for (uint32_t e = bl->first_event; e < bl->first_event + bl->nevents; e++) {
            if (e >= fn->nevents || fn->events[e].kind != LL_EV_RETURN)
                continue;
            const struct ll_event *ev = &fn->events[e];
            if (ev->obj.root == LL_ROOT_NONE && ev->result_var &&
                strcmp(ev->result_var, "0") == 0) {
                nullable = true; /* `return NULL;`: no getter, but maybe or_null */
                continue;
            }
            struct ll_path r;
            int st = returned(g, fn, ev, &r);
            if (st == -2)
                return -1;
            if (st == 0)
                return 0;
            if (st < 0 || (target && !same_object(target, &r))) {
                k->known = true;
                k->target = k->or_null = NULL;
                return 1;
            }
            if (!target) {
                target = ll_arena_alloc(g->a, sizeof(*target));
                if (!target)
                    return -1;
                *target = r;
            }
        }
    }
    k->known = true;
    k->or_null = target;
    k->target = nullable ? NULL : target;
    return 1;
}

/* Rewrites one path of fn rooted at a call of a getter: at the object
 * the getter returns, in fn's terms at that call (target_at()). */
static int rewrite_path(struct getters *g, const struct ll_function *fn, struct ll_path *p)
{
    if (p->root != LL_ROOT_CALL)
        return 0;
    const struct getter *c = getter_of(g, p->root_usr);
    if (!c || !c->target || !p->key)
        return 0;
    const struct ll_event *call = call_of(fn, p->key, p->root_usr);
    struct ll_path t;
    if (!target_at(g, c, c->target, call, &t))
        return c->target->root == LL_ROOT_PARAM ? 0 : -1;
    struct ll_path r;
    int st = rewrite(g->a, p, &t, &r);
    if (st < 0)
        return -1;
    if (st == 1)
        *p = r;
    return 0;
}

static int rewrite_all(struct getters *g, struct ll_tu_facts *tus, size_t ntus)
{
    for (size_t t = 0; t < ntus; t++)
        for (uint32_t i = 0; i < tus[t].nfunctions; i++) {
            struct ll_function *fn = &tus[t].functions[i];
            for (uint32_t e = 0; e < fn->nevents; e++) {
                struct ll_event *ev = &fn->events[e];
                if (rewrite_path(g, fn, &ev->obj) != 0 || rewrite_path(g, fn, &ev->aux) != 0)
                    return -1;
                for (uint32_t k = 0; k < ev->nargs; k++)
                    if (rewrite_path(g, fn, &ev->args[k]) != 0)
                        return -1;
            }
        }
    return 0;
}

/* ---- out-parameters ------------------------------------------------ */

static bool same_path(const struct ll_path *a, const struct ll_path *b)
{
    return a->root == b->root && a->param == b->param &&
           ((a->flags ^ b->flags) & LL_PATH_ADDR) == 0 && a->key && b->key &&
           strcmp(a->key, b->key) == 0 && !a->root_usr == !b->root_usr &&
           (!a->root_usr || strcmp(a->root_usr, b->root_usr) == 0);
}

/* Whether path q is parameter `name` (number i) itself, its pointer value. */
static bool bare_param(const struct ll_path *q, uint32_t i, const char *name)
{
    return q->root == LL_ROOT_PARAM && q->param == (int16_t)i && q->key &&
           !(q->flags & (LL_PATH_DEREF | LL_PATH_ADDR)) && strcmp(q->key, name) == 0;
}

/* What fn stores into `*out` through its parameter i when that is all it
 * stores there, one value, on any path that stores (ll_event.aux of the
 * writes of `*out`), and the pointer is not given on; else NULL. */
static const struct ll_path *stored(const struct ll_function *fn, uint32_t i)
{
    const char *name = fn->params[i];
    size_t n = name ? strlen(name) : 0;
    const struct ll_path *v = NULL;
    if (n == 0)
        return NULL;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        const struct ll_path *o = &ev->obj;
        if (ev->kind == LL_EV_ACCESS && (ev->flags & LL_EVF_WRITE) && o->root == LL_ROOT_PARAM &&
            o->param == (int16_t)i && o->key) {
            if (o->key[0] == '*' && strcmp(o->key + 1, name) == 0) {
                if (ev->aux.root == LL_ROOT_NONE || !ev->aux.key || (v && !same_path(v, &ev->aux)))
                    return NULL;
                v = &ev->aux;
            } else if (strncmp(o->key, name, n) == 0 && o->key[n] == '[') {
                return NULL; /* `out[0] = x` */
            }
        }
        if (bare_param(&ev->aux, i, name))
            return NULL;
        for (uint32_t k = 0; k < ev->nargs; k++)
            if (bare_param(&ev->args[k], i, name))
                return NULL; /* given on: set where we cannot see */
    }
    return v;
}

/* What the caller's `&p` argument k of call ev (to `callee`) makes p hold,
 * in the caller's terms, into *out; false when nothing known. */
static bool out_value(struct ll_arena *a, const struct ll_function *callee,
                      const struct ll_event *ev, uint32_t k, struct ll_path *out)
{
    if (k >= callee->nparams || k >= 64)
        return false;
    const struct ll_path *v = stored(callee, k);
    if (!v)
        return false;
    if (v->root == LL_ROOT_PARAM && v->param >= 0 && (uint32_t)v->param < ev->nargs &&
        (uint32_t)v->param < callee->nparams &&
        bare_param(v, (uint32_t)v->param, callee->params[v->param])) {
        *out = ev->args[v->param]; /* `*out = ctx`: the caller's argument */
    } else if (ll_path_instantiate(a, v, callee, ev, out)) {
        out->flags |= (uint8_t)(v->flags & LL_PATH_ADDR);
    } else {
        return false;
    }
    return out->root != LL_ROOT_NONE && out->root != LL_ROOT_UNKNOWN && out->key &&
           !(out->root == LL_ROOT_LOCAL && strcmp(out->key, ev->args[k].key) == 0);
}

/* Rewrites path q of function fn rooted at local `var` (not the local
 * itself, unless `value`: an argument, which passes its value) as rooted
 * at `target`.  0, or -1 when out of memory. */
static int reroot_local(struct ll_arena *a, const struct ll_function *fn, struct ll_path *q,
                        const char *var, const struct ll_path *target, bool value)
{
    if (q->root != LL_ROOT_LOCAL || !q->key)
        return 0;
    size_t stars = 0, n = strlen(var);
    while (q->key[stars] == '*')
        stars++;
    const char *k = q->key + stars;
    if (strncmp(k, var, n) != 0 ||
        (k[n] && k[n] != '-' && k[n] != '.' && k[n] != '[' && k[n] != '^'))
        return 0;
    if (stars == 0 && k[n] == '\0') {
        if (value && !(q->flags & LL_PATH_ADDR))
            *q = *target;
        return 0;
    }
    const char *croot = ll_arena_printf(a, "%s:%s", fn->name, var);
    if (!croot)
        return -1;
    struct ll_path r;
    if (reroot(a, q, stars, var, var, croot, target, &r) == 1)
        *q = r;
    return 0;
}

/* `get(&p)` with get storing one address into *out, and p set nowhere
 * else (ll_event.out_args): p names that address in the whole function. */
static int rewrite_out_params(struct getters *g, struct ll_function *fn,
                              const struct ll_strmap *fns, const struct ll_function *const *byidx)
{
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        size_t c = ev->kind == LL_EV_CALL && !(ev->flags & LL_EVF_INDIRECT) && ev->callee
                       ? ll_strmap_get(fns, ev->callee)
                       : (size_t)-1;
        if (c == (size_t)-1)
            continue;
        for (uint32_t k = 0; k < ev->nargs; k++) {
            const struct ll_path *arg = &ev->args[k];
            struct ll_path target;
            if (k >= 16 || !(ev->out_args >> k & 1) || arg->root != LL_ROOT_LOCAL || !arg->key ||
                !out_value(g->a, byidx[c], ev, k, &target))
                continue;
            const char *var = arg->key;
            for (uint32_t x = 0; x < fn->nevents; x++) {
                struct ll_event *y = &fn->events[x];
                bool call = y->kind == LL_EV_CALL || y->kind == LL_EV_THREAD_CREATE;
                if (reroot_local(g->a, fn, &y->obj, var, &target, false) != 0 ||
                    reroot_local(g->a, fn, &y->aux, var, &target, y->kind == LL_EV_THREAD_CREATE) !=
                        0)
                    return -1;
                for (uint32_t j = 0; j < y->nargs; j++)
                    if (reroot_local(g->a, fn, &y->args[j], var, &target, call) != 0)
                        return -1;
            }
        }
    }
    return 0;
}

/* ---- locals set from calls of a function that returns one object ---- */

static bool ident(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Whether fn has a local variable `name` (len n): one it writes or stores
 * a call's result in. */
static bool has_local(const struct ll_function *fn, const char *name, size_t n)
{
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        const char *v = ev->kind == LL_EV_ACCESS && ev->obj.root == LL_ROOT_LOCAL ? ev->obj.key
                        : ev->kind != LL_EV_RETURN                                ? ev->result_var
                                                                                  : NULL;
        if (v && strlen(v) == n && strncmp(v, name, n) == 0)
            return true;
    }
    return false;
}

/* Whether an index of `p` (in fn's terms) names one of fn's locals
 * (`&info[arena_ind % max]` with `arena_ind` computed inside): a caller
 * cannot spell that element. */
static bool indexed_by_local(const struct ll_function *fn, const struct ll_path *p)
{
    int depth = 0;
    for (const char *c = p->key; c && *c; c++) {
        if (*c == '[' || (*c == ']' && depth)) {
            depth += *c == '[' ? 1 : -1;
            continue;
        }
        if (!depth || !ident(*c) || (*c >= '0' && *c <= '9') ||
            (c > p->key && (ident(c[-1]) || c[-1] == '.' || c[-1] == '>')))
            continue;
        size_t n = 0;
        while (ident(c[n]))
            n++;
        if (has_local(fn, c, n))
            return true;
        c += n - 1;
    }
    return false;
}

/* What call ev's result points to when it is not NULL, in the caller's
 * terms, into *out: the callee returns one object's address or NULL, and
 * its indices name no local of the callee. */
static bool result_object(struct getters *g, const struct ll_event *ev, struct ll_path *out)
{
    const struct getter *c =
        ev->kind == LL_EV_CALL && !(ev->flags & LL_EVF_INDIRECT) ? getter_of(g, ev->callee) : NULL;
    if (!c || !c->known || !c->or_null || indexed_by_local(c->fn, c->or_null) ||
        !target_at(g, c, c->or_null, ev, out))
        return false;
    out->flags |= (uint8_t)(c->or_null->flags & LL_PATH_ADDR);
    return out->key != NULL;
}

/*
 * `hold = item_trylock(hv);` where item_trylock returns `&item_locks[hv &
 * 15]` or NULL, and hold is set only from such calls' results and to NULL
 * (LL_EVF_SOLE): hold names `item_locks[hv&15]` in the whole function
 * (where it is not NULL: whoever uses it as a lock tests it first), and
 * each such call records it as the object its result points to (obj).
 * Every call setting hold must name the same object; else nothing is
 * bound.
 */
static int bind_results(struct getters *g, struct ll_function *fn)
{
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind != LL_EV_CALL || !(ev->flags & LL_EVF_SOLE) || !ev->result_var ||
            ev->obj.root != LL_ROOT_NONE)
            continue;
        const char *var = ev->result_var;
        struct ll_path target;
        bool first = true, same = true;
        for (uint32_t x = 0; x < fn->nevents && same; x++) {
            const struct ll_event *y = &fn->events[x];
            struct ll_path t;
            if (y->kind != LL_EV_CALL || !y->result_var || strcmp(y->result_var, var) != 0)
                continue;
            same = (y->flags & LL_EVF_SOLE) && result_object(g, y, &t) &&
                   (first || strcmp(t.key, target.key) == 0);
            if (first)
                target = t;
            first = false;
        }
        if (!same)
            continue;
        for (uint32_t x = 0; x < fn->nevents; x++) {
            struct ll_event *y = &fn->events[x];
            if (y->kind == LL_EV_CALL && y->result_var && strcmp(y->result_var, var) == 0) {
                y->obj = target;
                continue;
            }
            bool call = y->kind == LL_EV_CALL || y->kind == LL_EV_THREAD_CREATE;
            if (reroot_local(g->a, fn, &y->obj, var, &target, false) != 0 ||
                reroot_local(g->a, fn, &y->aux, var, &target, y->kind == LL_EV_THREAD_CREATE) != 0)
                return -1;
            for (uint32_t j = 0; j < y->nargs; j++)
                if (reroot_local(g->a, fn, &y->args[j], var, &target, call) != 0)
                    return -1;
        }
    }
    return 0;
}

static int bind_all_results(struct getters *g, struct ll_tu_facts *tus, size_t ntus)
{
    for (size_t t = 0; t < ntus; t++)
        for (uint32_t i = 0; i < tus[t].nfunctions; i++)
            if (bind_results(g, &tus[t].functions[i]) != 0)
                return -1;
    return 0;
}

/* Every function with a parameter, by USR (the first definition). */
static int out_params(struct getters *g, struct ll_tu_facts *tus, size_t ntus)
{
    struct ll_strmap fns;
    ll_strmap_init(&fns);
    const struct ll_function **byidx = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (size_t t = 0; t < ntus && rc == 0; t++)
        for (uint32_t i = 0; i < tus[t].nfunctions && rc == 0; i++) {
            const struct ll_function *fn = &tus[t].functions[i];
            if (fn->nparams == 0 || ll_strmap_get(&fns, fn->usr) != (size_t)-1)
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                const struct ll_function **v = realloc(byidx, cap * sizeof(*v));
                if (!v) {
                    rc = -1;
                    break;
                }
                byidx = v;
            }
            if (ll_strmap_put(&fns, fn->usr, n) < 0)
                rc = -1;
            byidx[n++] = fn;
        }
    for (size_t t = 0; t < ntus && rc == 0; t++)
        for (uint32_t i = 0; i < tus[t].nfunctions && rc == 0; i++)
            rc = rewrite_out_params(g, &tus[t].functions[i], &fns, byidx);
    free(byidx);
    ll_strmap_release(&fns);
    return rc;
}

long ll_resolve_getters(struct ll_tu_facts *tus, size_t ntus, struct ll_arena *a)
{
    struct getters g = {.a = a};
    ll_strmap_init(&g.by_usr);
    uint8_t *seen = NULL;
    uint32_t *stack = NULL;
    long found = -1;
    if (collect(&g, tus, ntus) != 0)
        goto out;
    uint32_t maxb = 1;
    for (size_t k = 0; k < g.n; k++)
        if (g.gs[k].fn->nblocks > maxb)
            maxb = g.gs[k].fn->nblocks;
    seen = malloc(maxb);
    stack = malloc(maxb * sizeof(*stack));
    if (!seen || !stack)
        goto out;
    /* a getter of a getter is decided the round after the one it calls */
    for (int round = 0; round < GETTER_ROUNDS; round++) {
        bool progress = false;
        for (size_t k = 0; k < g.n; k++) {
            if (g.gs[k].known)
                continue;
            int st = decide(&g, &g.gs[k], seen, stack);
            if (st < 0)
                goto out;
            progress = progress || st == 1;
        }
        if (!progress)
            break;
    }
    found = 0;
    for (size_t k = 0; k < g.n; k++)
        found += g.gs[k].target != NULL;
    if ((found > 0 && rewrite_all(&g, tus, ntus) != 0) || out_params(&g, tus, ntus) != 0 ||
        bind_all_results(&g, tus, ntus) != 0)
        found = -1;
out:
    free(seen);
    free(stack);
    free(g.gs);
    ll_strmap_release(&g.by_usr);
    return found;
}
