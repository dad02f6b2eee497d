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
    "or joining one handle twice.\n\n"
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
    "A handle passed to another function, returned, or copied into memory is assumed to be\n"
    "joined there.  Handles created through a pointer parameter belong to the caller and are\n"
    "not followed.  A thread created in a callee of `main` is not checked against `main`'s\n"
    "return.  A detached thread whose start routine never returns (a service loop) may be\n"
    "killed when `main` returns: that is its design and is not reported.\n";

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

/* True when the start routine of creation `ev` never returns (a service
 * loop): it is meant to live until the process ends. */
static bool runs_forever(const struct ll_view *v, const struct ll_event *ev)
{
    long k = ll_program_find(&v->program, ev->callee);
    if (k < 0)
        return false;
    const struct ll_function *fn = v->program.fns[k].fn;
    for (uint32_t e = 0; e < fn->nevents; e++)
        if (fn->events[e].kind == LL_EV_RETURN)
            return false;
    return true;
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
    const struct ll_tf_result *tf = &f->tf;
    const struct ll_tf_thread *th = &tf->threads[t];
    const struct ll_event *c = &f->fn->events[th->event];
    struct ll_finding *fd = NULL;
    bool forever = runs_forever(v, c);
    if (!th->local)
        return; /* a global or field handle: joined elsewhere, see check() */
    for (uint32_t e = 0; e < f->fn->nevents; e++) {
        const struct ll_event *ev = &f->fn->events[e];
        bool is_ret = ev->kind == LL_EV_RETURN, is_exit = f->is_main && is_exit_call(ev);
        if ((!is_ret && !is_exit) || !tf->reached[e])
            continue;
        uint8_t st = ll_tf_state(tf, e, t);
        uint8_t bad =
            f->is_main
                ? (uint8_t)(st & (LL_TS_RUNNING | LL_TS_ESCAPED | (forever ? 0 : LL_TS_DETACHED)))
                : (uint8_t)(st & LL_TS_RUNNING);
        if (!bad || (!f->is_main && is_ret && returned(ev, th->handle)))
            continue;
        if (!fd) {
            struct ll_site site = ll_view_site(f, c->loc, NULL);
            if (f->is_main)
                fd = ll_diag(r, &site, f->fn->name, th->handle->cls,
                             "thread '%s' may still be running when 'main' %s: the "
                             "process ends and kills it mid-work",
                             th->handle->text, is_exit ? "calls 'exit'" : "returns");
            else
                fd = ll_diag(r, &site, f->fn->name, th->handle->cls,
                             "thread '%s' is neither joined nor detached when '%s' returns",
                             th->handle->text, f->fn->name);
            if (!fd)
                return;
        }
        struct ll_site rs = ll_view_site(f, ev->loc, NULL);
        if (is_exit)
            ll_diag_note(r, fd, &rs, "'%s' ends the process here", ev->api);
        else
            ll_diag_note(r, fd, &rs, "'%s' returns here without joining '%s'", f->fn->name,
                         th->handle->text);
    }
}

/* A scalar handle created again while its previous thread runs. */
static void check_overwrite(const struct ll_fn_view *f, uint32_t t, struct ll_rule_ctx *r)
{
    const struct ll_tf_result *tf = &f->tf;
    const struct ll_tf_thread *th = &tf->threads[t];
    const struct ll_event *c = &f->fn->events[th->event];
    if (th->by_class || !th->local || !tf->reached[th->event])
        return;
    for (uint32_t u = 0; u < tf->nthreads; u++) {
        const struct ll_tf_thread *o = &tf->threads[u];
        if (!ll_tf_names_thread(o, th->handle) || !(ll_tf_state(tf, th->event, u) & LL_TS_RUNNING))
            continue;
        struct ll_site site = ll_view_site(f, f->fn->events[o->event].loc, NULL);
        struct ll_finding *fd =
            ll_diag(r, &site, f->fn->name, th->handle->cls,
                    "thread '%s' is neither joined nor detached before its handle is reused",
                    th->handle->text);
        struct ll_site cs = ll_view_site(f, c->loc, NULL);
        if (fd)
            ll_diag_note(r, fd, &cs, "'%s' overwritten by this creation", c->obj.text);
        return;
    }
}

static void check_joins(const struct ll_fn_view *f, struct ll_rule_ctx *r)
{
    const struct ll_tf_result *tf = &f->tf;
    for (uint32_t e = 0; e < f->fn->nevents; e++) {
        const struct ll_event *ev = &f->fn->events[e];
        if (ev->kind != LL_EV_JOIN || !tf->reached[e])
            continue;
        for (uint32_t t = 0; t < tf->nthreads; t++) {
            const struct ll_tf_thread *th = &tf->threads[t];
            if (!ll_tf_names_thread(th, &ev->obj))
                continue;
            uint8_t st = ll_tf_state(tf, e, t);
            const char *what = NULL;
            if (st & LL_TS_DETACHED)
                what = "'%s' is joined but the thread was detached";
            else if ((st & LL_TS_JOINED) && !th->by_class)
                what = "'%s' may already have been joined";
            if (!what)
                continue;
            struct ll_site site = ll_view_site(f, ev->loc, NULL);
            struct ll_finding *fd =
                ll_diag(r, &site, f->fn->name, th->handle->cls, what, ev->obj.text);
            struct ll_site cs = ll_view_site(f, f->fn->events[th->event].loc, NULL);
            if (fd)
                ll_diag_note(r, fd, &cs, "thread created here%s", th->detached ? " detached" : "");
            break;
        }
    }
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    for (size_t i = 0; i < v->nfns; i++) {
        const struct ll_fn_view *f = &v->fns[i];
        const struct ll_tf_result *tf = &f->tf;
        for (uint32_t t = 0; t < tf->nthreads; t++) {
            const struct ll_tf_thread *th = &tf->threads[t];
            const struct ll_event *c = &f->fn->events[th->event];
            if (!tf->reached[th->event] || ll_view_in_system_header(f, c->loc))
                continue;
            if (!th->local && !th->detached && named_handle(th->handle) &&
                ll_strmap_get(&v->threads.joined, th->handle->cls) == (size_t)-1) {
                struct ll_site site = ll_view_site(f, c->loc, NULL);
                ll_diag(r, &site, f->fn->name, th->handle->cls,
                        "thread handle '%s' is never joined or detached anywhere in the "
                        "program",
                        th->handle->text);
                continue;
            }
            check_returns(v, f, t, r);
            check_overwrite(f, t, r);
        }
        check_joins(f, r);
    }
}

const struct ll_rule ll_rule_missing_join = {
    "missing-join", "a joinable thread that is neither joined nor detached on some path", doc,
    LL_SEV_WARNING, check};
