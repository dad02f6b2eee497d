/*
 * lock-copy: a lock acquired, released or waited with that is a copy of
 * another lock object -- a by-value parameter (`pthread_mutex_t m`, or a
 * lock field of a struct passed by value), or a local initialised,
 * assigned or memcpy'd from another object.  The copies are the facts'
 * LOCK_COPY events; what uses a copy next comes from the view
 * (ll_fn_next_copy_uses()).  A copy nobody locks is not reported: copying
 * a struct to read its other fields is common and harmless.
 */
#include "rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Finds a lock (`pthread_mutex_t`, `pthread_rwlock_t`, `pthread_spinlock_t`, `mtx_t`)\n"
    "that is acquired, released or used by a condition wait although it is a copy of\n"
    "another lock object: a parameter passed by value (`void f(pthread_mutex_t m)`, or a\n"
    "lock field of a struct passed by value), or a local initialised, assigned or\n"
    "`memcpy`'d from another lock or struct (`pthread_mutex_t m = c->lock;`,\n"
    "`struct conn copy = *c;`). Also when the copy is locked by a function it is passed\n"
    "to (`conn_lock(&copy)`).\n\n"
    "## Why is this bad\n"
    "Each copy is a lock of its own: two threads that lock their own copies exclude\n"
    "nobody, and the data the lock should guard is unprotected. POSIX and C11 leave the\n"
    "use of a copy of a mutex undefined (a copy of a held mutex may look held forever).\n\n"
    "## Example\n"
    "```c\n"
    "static void locked_inc(pthread_mutex_t m)   /* by value */\n"
    "{\n"
    "    pthread_mutex_lock(&m);   /* warning: 'm' is a copy: parameter 'm' of 'locked_inc' is "
    "passed by value ... */\n"
    "    count++;\n"
    "    pthread_mutex_unlock(&m);\n"
    "}\n"
    "```\n\n"
    "## Use instead\n"
    "Pass a pointer to the lock (`pthread_mutex_t *m`, `struct client *c`) and lock the\n"
    "original; copy a struct that holds a lock only to read its other fields, and never\n"
    "lock the copy.\n\n"
    "## Known problems\n"
    "A copy is followed only in the function that holds it, up to a call it is passed to\n"
    "(a use when that call's summary locks it); a copy made in a struct on the heap\n"
    "(`*dst = *src`) or returned by value is not followed, and neither is a struct nested\n"
    "more than two deep or beyond its first 32 fields.\n";

struct walk {
    const struct ll_fn_view *f;
    uint32_t first; /* the first use reached, or UINT32_MAX */
};

static void first_use(void *ctx, uint32_t x)
{
    struct walk *w = ctx;
    const struct ll_event *ev = &ll_fn_ir(w->f)->events[x];
    if (ev->kind == LL_EV_LOCK_INIT || ev->kind == LL_EV_LOCK_DESTROY ||
        ev->kind == LL_EV_LOCK_COPY || !ll_fn_reached(w->f, x))
        return; /* set up afresh, or given up */
    if (x < w->first)
        w->first = x;
}

/* What the use does to the copy, for the message. */
static const char *use_verb(const struct ll_event *ev)
{
    switch (ev->kind) {
    case LL_EV_ACQUIRE:
    case LL_EV_TRYACQUIRE:
        return "acquiring it";
    case LL_EV_RELEASE:
        return "releasing it";
    case LL_EV_COND_WAIT:
        return "waiting with it";
    default:
        return "locking it there";
    }
}

/* Notes at (up to four of) the calls that give parameter p of f its
 * value. */
static void note_callers(const struct ll_view *v, struct ll_rule_ctx *r, struct ll_finding *fd,
                         const struct ll_fn_view *f, int p, const char *pname)
{
    int n = 0;
    LL_FOR_EACH_FN(v, g)
    LL_FOR_EACH_REACHED(g, x, LL_EVK(LL_EV_CALL))
    {
        const struct ll_event *call = &ll_fn_ir(g)->events[x];
        if (n == 4 || ll_view_callee(v, g, x) != f || (uint32_t)p >= call->nargs)
            continue;
        const char *arg = call->args[p].text ? call->args[p].text : "?";
        struct ll_site site = ll_view_site(g, call->loc, NULL);
        if (ll_diag_note(r, fd, &site, "'%s' copied into parameter '%s' by this call", arg,
                         pname) != 0)
            return;
        n++;
    }
}

static void check_copy(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                       struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    const struct ll_event *copy = &fn->events[e];
    struct walk w = {f, UINT32_MAX};
    if (ll_fn_next_copy_uses(f, e, first_use, &w) != 0) {
        ll_diag_oom(r);
        return;
    }
    if (w.first == UINT32_MAX)
        return;
    const struct ll_event *use = &fn->events[w.first];
    const char *text = copy->obj.text ? copy->obj.text : "?";
    const char *verb = use_verb(use);
    if (use->kind == LL_EV_CALL)
        verb = "locking it in the call";
    struct ll_site site = ll_view_site(f, use->loc, NULL);
    struct ll_finding *fd;
    /* a parameter's own copy names the parameter as its source */
    bool param = copy->aux.root == LL_ROOT_PARAM && !(copy->aux.flags & LL_PATH_DEREF) &&
                 copy->aux.key && copy->obj.key && strcmp(copy->aux.key, copy->obj.key) == 0;
    int p = param ? copy->aux.param : -1;
    if (p >= 0 && (uint32_t)p < fn->nparams) {
        const char *pname = fn->params[p] ? fn->params[p] : "?";
        fd = ll_diag(r, &site, fn->name, copy->obj.cls,
                     "'%s' is a copy: parameter '%s' of '%s' is passed by value, so %s excludes "
                     "no other thread (using a copy of a lock is undefined)",
                     text, pname, fn->name, verb);
        if (fd)
            note_callers(v, r, fd, f, p, pname);
        return;
    }
    const char *from = copy->aux.text ? copy->aux.text : "?";
    fd = ll_diag(r, &site, fn->name, copy->obj.cls,
                 "'%s' is a copy of '%s', so %s excludes no other thread (using a copy of a "
                 "lock is undefined)",
                 text, from, verb);
    if (!fd)
        return;
    struct ll_site at = ll_view_site(f, copy->loc, NULL);
    ll_diag_note(r, fd, &at, "'%s' copied into '%s' here", from, text);
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    LL_FOR_EACH_FN(v, f)
    LL_FOR_EACH_REACHED(f, e, LL_EVK(LL_EV_LOCK_COPY))
    {
        if (!ll_view_in_system_header(f, ll_fn_ir(f)->events[e].loc))
            check_copy(v, f, e, r);
    }
}

const struct ll_rule ll_rule_lock_copy = {
    "lock-copy", "a lock acquired, released or waited with that is a copy of another lock", doc,
    LL_SEV_WARNING, check};
