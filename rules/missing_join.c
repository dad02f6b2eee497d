/*
 * missing-join: a joinable thread that is neither joined nor detached on
 * some path after it was created, a handle in a struct or global that
 * nothing in the program ever joins, `main` returning (or calling exit)
 * while a thread it created still runs, and joining a handle that was
 * detached or already joined.  Reads threadflow's per-event thread states.
 */
#include "rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Finds a joinable thread that is neither joined nor detached on some path after it was\n"
    "created: the creating function returns, or the handle is overwritten by the next\n"
    "creation.  A handle kept in a struct field or a global must be joined or detached\n"
    "somewhere in the program.  `main` returning or calling `exit` while a thread it created\n"
    "may still run is reported too (the daemon-thread trap), as is joining a detached thread\n"
    "or joining one handle twice.  A constructor that returns the object holding the handles\n"
    "(`return p;`) and on an error path returns something else (`return NULL;`) while a\n"
    "thread created into `p->threads[i]` may still run loses the handle with the object.\n\n"
    "## Why is this bad\n"
    "An unjoined thread's resources (its stack, its result) are never reclaimed, and nobody\n"
    "learns when it finished.  Returning from `main` ends the process: every thread still\n"
    "running is killed mid-work, with buffers unflushed and files half written.  Joining a\n"
    "detached thread, or a thread twice, is undefined behaviour.\n\n"
    "## Example\n"
    "```c\n"
    "if (pthread_create(&a, NULL, reader, NULL) != 0)\n"
    "    return -1;\n"
    "if (pthread_create(&b, NULL, writer, NULL) != 0)\n"
    "    return -1;                 /* 'a' is still running, never joined */\n"
    "pthread_join(a, NULL);\n"
    "pthread_join(b, NULL);\n"
    "```\n\n"
    "## Use instead\n"
    "Join (or detach) the threads already created on the error path, e.g. `pthread_join(a,\n"
    "NULL); return -1;`.  A thread that nobody waits for should be created detached\n"
    "(`pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED)`).  `main` should join its\n"
    "workers before returning, or end with `pthread_exit(NULL)`.\n\n"
    "## Known problems\n"
    "A local handle passed to another function, returned, or copied into memory is assumed\n"
    "to be joined there.  A global's or a field's handle copied into memory (`list[n++] =\n"
    "g_tid;`) counts as joined when memory of the same class (the same local array, the same\n"
    "struct field) is joined anywhere; a copy made by a callee or by `memcpy` is not\n"
    "followed.  Handles created through a pointer parameter belong to the caller and are\n"
    "not followed.  A thread created in a callee of `main` is not checked against `main`'s\n"
    "return.  A detached thread whose start routine never returns (a service loop) may be\n"
    "killed when `main` returns: that is its design and is not reported; nor is a joinable\n"
    "one that can never end (no path to a return, no `pthread_exit`): it cannot be joined,\n"
    "and lives until the process ends; a `pthread_exit` after a signal sent on every path to\n"
    "it (asking another thread to end the process) counts as never ending.  A loop that\n"
    "ends only when a callee longjmps or\n"
    "is cancelled is taken to run forever; a thread `main` cancels before it returns is not\n"
    "reported.  Error paths are\n"
    "checked only in constructors that return a local pointer to the handles' object;\n"
    "`init(struct pool *p)` returning an error code leaves the clean-up to its caller.  A\n"
    "wrapper storing the id through a pointer parameter (`if (idp) *idp = id;`) hands the\n"
    "thread to its caller also when `idp` is NULL; a caller passing NULL is not reported.\n";

static bool is_exit_call(const struct ll_event *ev)
{
    static const char *const names[] = {"exit", "_exit", "_Exit", "quick_exit"};
    if (ev->kind != LL_EV_CALL || !(ev->flags & LL_EVF_NORETURN) || !ev->api)
        return false;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(ev->api, names[i]) == 0)
            return true;
    return false;
}

/* True when the start routine of creation event e of f never returns (a
 * service loop): it is meant to live until the process ends. */
static bool runs_forever(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e)
{
    const struct ll_fn_view *routine = ll_view_callee(v, f, e);
    if (!routine)
        return false;
    const struct ll_function *fn = ll_fn_ir(routine);
    for (uint32_t k = 0; k < fn->nevents; k++)
        if (fn->events[k].kind == LL_EV_RETURN)
            return false;
    return true;
}

/* True when the thread started by creation event e of f can never end:
 * its start routine has no path to a return, and neither it nor a callee
 * calls pthread_exit (thread summary).  Such a thread cannot be joined
 * (the join would block forever) and leaves no finished thread to reap;
 * it lives until the process ends, joinable or not. */
static bool never_ends(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e)
{
    const struct ll_fn_view *routine = ll_view_callee(v, f, e);
    if (!routine || ll_fn_is_dispatcher(routine) || (ll_fn_ir(routine)->flags & LL_FN_TRUNCATED))
        return false;
    if (ll_fn_next_reached(routine, 0, LL_EVK(LL_EV_RETURN)) < ll_fn_ir(routine)->nevents)
        return false;
    /* an exit after a signal sent on every path to it (mksquashfs's
     * prep_exit(): pthread_kill the thread that ends the process, then
     * pthread_exit) hands the end to that thread */
    const struct ll_tsum_event *x = &ll_fn_thread_summary(v, routine)->exit;
    return !x->set || x->signalled;
}

/* A handle with a name the program can join it by elsewhere: a global, or
 * a field.  (`*tp` through a parameter belongs to the caller.) */
static bool named_handle(const struct ll_path *h)
{
    if (h->root == LL_ROOT_GLOBAL || h->root == LL_ROOT_STATIC_LOCAL)
        return true;
    return h->key && (strstr(h->key, "->") || strchr(h->key, '.'));
}

static bool returned(const struct ll_event *ret, const struct ll_path *h)
{
    return ret->result_var && h->key && strcmp(ret->result_var, h->key) == 0;
}

static void check_returns(const struct ll_view *v, const struct ll_fn_view *f, uint32_t t,
                          struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    struct ll_thread th = ll_fn_thread(f, t);
    const struct ll_event *c = &fn->events[th.event];
    struct ll_finding *fd = NULL;
    bool forever = runs_forever(v, f, th.event);
    bool is_main = ll_fn_is_main(f);
    if (!th.local)
        return; /* a global or field handle: joined elsewhere, see check() */
    LL_FOR_EACH_THREAD_REACHED(f, e, LL_EVK(LL_EV_RETURN) | LL_EVK(LL_EV_CALL))
    {
        const struct ll_event *ev = &fn->events[e];
        bool is_ret = ev->kind == LL_EV_RETURN, is_exit = is_main && is_exit_call(ev);
        if (!is_ret && !is_exit)
            continue;
        struct ll_thread_state st = ll_fn_thread_at(f, e, t);
        bool bad = is_main ? st.running || st.escaped || (!forever && st.detached) : st.running;
        if (!bad || (!is_main && is_ret && returned(ev, th.handle)))
            continue;
        if (!fd) {
            struct ll_site site = ll_view_site(f, c->loc, NULL);
            if (is_main)
                fd = ll_diag(r, &site, fn->name, th.handle->cls,
                             "thread '%s' may still be running when 'main' %s: the "
                             "process ends and kills it mid-work",
                             th.handle->text, is_exit ? "calls 'exit'" : "returns");
            else
                fd = ll_diag(r, &site, fn->name, th.handle->cls,
                             "thread '%s' is neither joined nor detached when '%s' returns",
                             th.handle->text, fn->name);
            if (!fd)
                return;
        }
        struct ll_site rs = ll_view_site(f, ev->loc, NULL);
        if (is_exit)
            ll_diag_note(r, fd, &rs, "'%s' ends the process here", ev->api);
        else
            ll_diag_note(r, fd, &rs, "'%s' returns here without joining '%s'", fn->name,
                         th.handle->text);
    }
}

/* A scalar handle created again while its previous thread runs. */
static void check_overwrite(const struct ll_fn_view *f, uint32_t t, struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    struct ll_thread th = ll_fn_thread(f, t);
    const struct ll_event *c = &fn->events[th.event];
    if (th.by_class || !th.local || !ll_fn_thread_reached(f, th.event))
        return;
    for (uint32_t u = 0; u < ll_fn_nthreads(f); u++) {
        if (!ll_fn_names_thread(f, u, th.handle) || !ll_fn_thread_at(f, th.event, u).running)
            continue;
        struct ll_site site = ll_view_site(f, fn->events[ll_fn_thread(f, u).event].loc, NULL);
        struct ll_finding *fd =
            ll_diag(r, &site, fn->name, th.handle->cls,
                    "thread '%s' is neither joined nor detached before its handle is reused",
                    th.handle->text);
        struct ll_site cs = ll_view_site(f, c->loc, NULL);
        if (fd)
            ll_diag_note(r, fd, &cs, "'%s' overwritten by this creation", c->obj.text);
        return;
    }
}

static void check_joins(const struct ll_fn_view *f, struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    LL_FOR_EACH_THREAD_REACHED(f, e, LL_EVK(LL_EV_JOIN))
    {
        const struct ll_event *ev = &fn->events[e];
        for (uint32_t t = 0; t < ll_fn_nthreads(f); t++) {
            if (!ll_fn_names_thread(f, t, &ev->obj))
                continue;
            struct ll_thread th = ll_fn_thread(f, t);
            struct ll_thread_state st = ll_fn_thread_at(f, e, t);
            const char *what = NULL;
            if (st.detached)
                what = "'%s' is joined but the thread was detached";
            else if (st.joined && !th.by_class)
                what = "'%s' may already have been joined";
            if (!what)
                continue;
            struct ll_site site = ll_view_site(f, ev->loc, NULL);
            struct ll_finding *fd = ll_diag(r, &site, fn->name, th.handle->cls, what, ev->obj.text);
            struct ll_site cs = ll_view_site(f, fn->events[th.event].loc, NULL);
            if (fd)
                ll_diag_note(r, fd, &cs, "thread created here%s", th.detached ? " detached" : "");
            break;
        }
    }
}

/* The local pointer a handle is reached through (`p` of `p->threads[i]`),
 * into buf; false when it is not reached through a local's pointer. */
static bool holder(const struct ll_path *h, char *buf, size_t len)
{
    const char *arrow = h->key ? strstr(h->key, "->") : NULL;
    if (h->root != LL_ROOT_LOCAL || !arrow || (size_t)(arrow - h->key) >= len)
        return false;
    memcpy(buf, h->key, (size_t)(arrow - h->key));
    buf[arrow - h->key] = '\0';
    return strpbrk(buf, ".[*(") == NULL;
}

/* A constructor's error path: f returns the object that holds the
 * handles (`return p;`) on some path, and on another returns something
 * else (`return NULL;`) while the thread created into `p->threads[i]`
 * may still run -- the object is freed or dropped, the handle with it. */
static void check_constructor(const struct ll_fn_view *f, uint32_t t, struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    struct ll_thread th = ll_fn_thread(f, t);
    char base[128];
    if (th.local || th.detached || ll_fn_is_main(f) || !holder(th.handle, base, sizeof(base)))
        return;
    bool returns_it = false;
    LL_FOR_EACH_REACHED(f, e, LL_EVK(LL_EV_RETURN))
    returns_it |= fn->events[e].result_var && strcmp(fn->events[e].result_var, base) == 0;
    if (!returns_it)
        return;
    struct ll_finding *fd = NULL;
    LL_FOR_EACH_THREAD_REACHED(f, e, LL_EVK(LL_EV_RETURN))
    {
        const struct ll_event *ev = &fn->events[e];
        if (!ev->result_var || strcmp(ev->result_var, base) == 0 ||
            !ll_fn_thread_at(f, e, t).running)
            continue;
        if (!fd) {
            struct ll_site site = ll_view_site(f, fn->events[th.event].loc, NULL);
            fd = ll_diag(r, &site, fn->name, th.handle->cls,
                         "thread created into '%s' is neither joined nor detached when '%s' "
                         "returns '%s' instead of '%s': its handle is lost with '%s'",
                         th.handle->text, fn->name, ev->result_var, base, base);
            if (!fd)
                return;
        }
        struct ll_site rs = ll_view_site(f, ev->loc, NULL);
        ll_diag_note(r, fd, &rs, "'%s' returns here while the thread may still run", fn->name);
    }
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    LL_FOR_EACH_FN(v, f)
    {
        const struct ll_function *fn = ll_fn_ir(f);
        for (uint32_t t = 0; t < ll_fn_nthreads(f); t++) {
            struct ll_thread th = ll_fn_thread(f, t);
            const struct ll_event *c = &fn->events[th.event];
            if (!ll_fn_thread_reached(f, th.event) || ll_view_in_system_header(f, c->loc))
                continue;
            /* nothing to join or reap: the thread runs until the process ends */
            if (!th.detached && never_ends(v, f, th.event))
                continue;
            if (!th.local && !th.detached && named_handle(th.handle) &&
                !ll_view_class_joined(v, th.handle->cls)) {
                struct ll_site site = ll_view_site(f, c->loc, NULL);
                ll_diag(r, &site, fn->name, th.handle->cls,
                        "thread handle '%s' is never joined or detached anywhere in the "
                        "program",
                        th.handle->text);
                continue;
            }
            check_returns(v, f, t, r);
            check_constructor(f, t, r);
            check_overwrite(f, t, r);
        }
        check_joins(f, r);
    }
}

const struct ll_rule ll_rule_missing_join = {
    "missing-join", "a joinable thread that is neither joined nor detached on some path", doc,
    LL_SEV_WARNING, check};
