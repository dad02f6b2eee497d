/*
 * lock-lifecycle: a lock destroyed while held or twice, used after it was
 * destroyed, or initialised while held or twice.  One function at a time:
 * the lock state and what follows a destroy or an init come from the view.
 */
#include "rule.h"

static const char doc[] =
    "## What it does\n"
    "Finds `pthread_mutex_destroy`, `pthread_rwlock_destroy`, `pthread_spin_destroy` or\n"
    "`mtx_destroy` of a lock that is held or already destroyed, a lock acquired, released or\n"
    "waited on after it was destroyed, and `pthread_mutex_init` (or the rwlock, spinlock and\n"
    "C11 variants) of a lock that is held or already initialised. Off by default: run it\n"
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
    "destroy or an init is a note.\n";

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

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    LL_FOR_EACH_FN(v, f)
    LL_FOR_EACH_REACHED(f, e, LL_EVK(LL_EV_LOCK_DESTROY) | LL_EVK(LL_EV_LOCK_INIT))
    {
        if (!ll_fn_ir(f)->events[e].obj.key)
            continue;
        check_held(f, e, r);
        struct walk w = {f, r, e};
        if (ll_fn_next_lock_uses(f, e, next_use, &w) != 0) {
            ll_diag_oom(r);
            return;
        }
    }
}

const struct ll_rule ll_rule_lock_lifecycle = {
    "lock-lifecycle", "a lock destroyed while held or twice, used after destroy, or re-initialised",
    doc, LL_SEV_WARNING, check};
