/*
 * lock-lifecycle: a lock destroyed while held or twice, used after it was
 * destroyed, initialised while held or twice, or used in a block the
 * function just allocated before its first init.  One function at a time:
 * the lock state and what follows a destroy or an init come from the view.
 */
#include "rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Finds `pthread_mutex_destroy`, `pthread_rwlock_destroy`, `pthread_spin_destroy` or\n"
    "`mtx_destroy` of a lock that is held or already destroyed, a lock acquired, released or\n"
    "waited on after it was destroyed, `pthread_mutex_init` (or the rwlock, spinlock and\n"
    "C11 variants) of a lock that is held or already initialised, and a lock in a block the\n"
    "function allocated (`c = malloc(...)`) acquired, released or waited with -- also by a\n"
    "function it calls -- before the function initialises it. Off by default: run it\n"
    "with `--enable lock-lifecycle` or `lock-lifecycle: on` under `rules:` in `.locklint.yml`.\n\n"
    "## Why is this bad\n"
    "Each of these is undefined behaviour in POSIX and C11. glibc lets most of them pass\n"
    "silently, so the bug shows up later as a hang or a corrupted lock (a second init of a\n"
    "lock another thread holds forgets the owner; a destroyed lock re-used after `free` is a\n"
    "use after free).\n\n"
    "## Example\n"
    "```c\n"
    "pthread_mutex_lock(&s->lock);\n"
    "s->closed = 1;\n"
    "pthread_mutex_destroy(&s->lock);   /* still held */\n"
    "```\n\n"
    "## Use instead\n"
    "Release before destroying; destroy once, after the last user is gone; initialise once,\n"
    "before the lock is shared (`pthread_once`, or a static initialiser).\n\n"
    "## Known problems\n"
    "Each function is checked on its own: a destroy in a helper (`session_free(s)`) of a lock\n"
    "its caller holds, or a use in another thread after the destroy, is not seen. A path stops\n"
    "being followed at a call to a program function (it may initialise the lock again) and\n"
    "where a variable in the lock's path changes. A lock held on some paths only to a\n"
    "destroy or an init is a note. Use before init is checked only in the function that\n"
    "both allocates the block (a C allocator, not a constructor of the program) and\n"
    "initialises the lock, up to the first call of a program function given the block that\n"
    "does not lock it (it may initialise it); a local lock or struct is not checked.\n";

struct walk {
    const struct ll_fn_view *f;
    struct ll_rule_ctx *r;
    uint32_t from; /* the destroy or init the walk starts at */
};

static void next_use(void *ctx, uint32_t x)
{
    const struct walk *w = ctx;
    const struct ll_fn_view *f = w->f;
    const struct ll_function *fn = ll_fn_ir(f);
    const struct ll_event *at = &fn->events[w->from], *ev = &fn->events[x];
    const struct ll_path *lk = ll_event_lock(ev);
    if (!ll_fn_reached(f, x) || !lk)
        return;
    const char *what = NULL;
    if (at->kind == LL_EV_LOCK_DESTROY) {
        switch (ev->kind) {
        case LL_EV_ACQUIRE:
        case LL_EV_TRYACQUIRE:
            what = "acquired after it was destroyed";
            break;
        case LL_EV_RELEASE:
            what = "released after it was destroyed";
            break;
        case LL_EV_COND_WAIT:
            what = "used by a condition wait after it was destroyed";
            break;
        case LL_EV_LOCK_DESTROY:
            what = "destroyed again";
            break;
        default: /* initialised again: fine */
            return;
        }
    } else if (ev->kind == LL_EV_LOCK_INIT) {
        what = "initialised again without being destroyed";
    } else {
        return;
    }
    struct ll_site site = ll_view_site(f, ev->loc, NULL);
    struct ll_finding *fd = ll_diag(w->r, &site, fn->name, lk->cls, "'%s' %s", lk->text, what);
    if (!fd)
        return;
    struct ll_site prev = ll_view_site(f, at->loc, NULL);
    ll_diag_note(w->r, fd, &prev,
                 at->kind == LL_EV_LOCK_DESTROY ? "'%s' destroyed here" : "'%s' initialised here",
                 at->obj.text);
}

/* A destroy or init of a lock this function holds there. */
static void check_held(const struct ll_fn_view *f, uint32_t e, struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    const struct ll_event *ev = &fn->events[e];
    int l = ll_fn_lock_of(f, &ev->obj);
    if (l < 0)
        return;
    enum ll_held h = ll_lock_held(ll_fn_lock_at(f, e, (uint32_t)l));
    if (h == LL_HELD_NONE)
        return;
    bool every = h == LL_HELD_ALL;
    bool destroy = ev->kind == LL_EV_LOCK_DESTROY;
    struct ll_site site = ll_view_site(f, ev->loc, NULL);
    struct ll_finding *fd =
        ll_diag_sev(r, every ? LL_SEV_WARNING : LL_SEV_NOTE, &site, fn->name, ev->obj.cls,
                    "'%s' %s while held%s", ev->obj.text, destroy ? "destroyed" : "initialised",
                    every ? "" : " on some paths");
    if (fd)
        ll_diag_note_acquired(r, fd, f, e, (uint32_t)l);
}

/* ---- used before its first init --------------------------------------- */

struct early {
    const struct ll_fn_view *f;
    struct ll_rule_ctx *r;
    uint32_t init; /* the function's first init of the lock */
};

static void early_use(void *ctx, uint32_t x)
{
    const struct early *w = ctx;
    const struct ll_fn_view *f = w->f;
    const struct ll_function *fn = ll_fn_ir(f);
    const struct ll_event *ev = &fn->events[x], *init = &fn->events[w->init];
    const char *what;
    switch (ev->kind) {
    case LL_EV_ACQUIRE:
    case LL_EV_TRYACQUIRE:
        what = "acquired";
        break;
    case LL_EV_RELEASE:
        what = "released";
        break;
    case LL_EV_COND_WAIT:
        what = "used by a condition wait";
        break;
    case LL_EV_CALL:
        what = NULL;
        break;
    default: /* initialised, destroyed or copied first */
        return;
    }
    if (!ll_fn_reached(f, x))
        return;
    struct ll_site site = ll_view_site(f, ev->loc, NULL);
    struct ll_finding *fd =
        what ? ll_diag(w->r, &site, fn->name, init->obj.cls,
                       "'%s' %s before it is initialised: the block was just allocated",
                       init->obj.text, what)
             : ll_diag(w->r, &site, fn->name, init->obj.cls,
                       "'%s' used by calling '%s' before it is initialised: the block was just "
                       "allocated",
                       init->obj.text, ev->api ? ev->api : "?");
    if (!fd)
        return;
    struct ll_site at = ll_view_site(f, init->loc, NULL);
    ll_diag_note(w->r, fd, &at, "'%s' initialised here", init->obj.text);
}

/* The variable a key starts with, when the key is `var->...`. */
static bool arrow_var(const char *key, char *var, size_t size)
{
    size_t n = 0;
    while (key[n] && (key[n] == '_' || (key[n] >= 'a' && key[n] <= 'z') ||
                      (key[n] >= 'A' && key[n] <= 'Z') || (key[n] >= '0' && key[n] <= '9')))
        n++;
    if (n == 0 || n >= size || strncmp(key + n, "->", 2) != 0)
        return false;
    memcpy(var, key, n);
    var[n] = '\0';
    return true;
}

/* Init event e of a lock in a block this function allocated (`c =
 * malloc(...)`, then `pthread_mutex_init(&c->lock)`): a use of the lock
 * between the allocation and the first init on some path is a use of
 * memory that holds no lock yet. */
static void check_before_init(const struct ll_fn_view *f, uint32_t e, struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    const struct ll_path *lk = &fn->events[e].obj;
    char var[128];
    if (lk->root != LL_ROOT_LOCAL || !(lk->flags & LL_PATH_DEREF) ||
        !arrow_var(lk->key, var, sizeof(var)))
        return;
    for (uint32_t x = 0; x < e; x++)
        if (fn->events[x].kind == LL_EV_LOCK_INIT && fn->events[x].obj.key &&
            strcmp(fn->events[x].obj.key, lk->key) == 0)
            return; /* one walk per lock, from its first init */
    struct early w = {f, r, e};
    LL_FOR_EACH_REACHED(f, a, LL_EVK(LL_EV_CALL))
    {
        const struct ll_event *ev = &fn->events[a];
        if (!ll_event_allocates(ev) || strcmp(ev->result_var, var) != 0)
            continue;
        if (ll_fn_next_uses_of(f, a, lk->key, early_use, &w) != 0) {
            ll_diag_oom(r);
            return;
        }
    }
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    LL_FOR_EACH_FN(v, f)
    LL_FOR_EACH_REACHED(f, e, LL_EVK(LL_EV_LOCK_DESTROY) | LL_EVK(LL_EV_LOCK_INIT))
    {
        if (!ll_fn_ir(f)->events[e].obj.key)
            continue;
        check_held(f, e, r);
        if (ll_fn_ir(f)->events[e].kind == LL_EV_LOCK_INIT)
            check_before_init(f, e, r);
        struct walk w = {f, r, e};
        if (ll_fn_next_lock_uses(f, e, next_use, &w) != 0) {
            ll_diag_oom(r);
            return;
        }
    }
}

const struct ll_rule ll_rule_lock_lifecycle = {
    "lock-lifecycle",
    "a lock destroyed while held or twice, used after destroy or before init, or re-initialised",
    doc, LL_SEV_WARNING, check};
