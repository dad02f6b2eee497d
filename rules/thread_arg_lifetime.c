/*
 * thread-arg-lifetime: a thread's start argument points into the creating
 * function's stack frame (a local, a field or element of one) and the
 * thread can outlive it: the function returns while the thread may still
 * run, or the object is changed -- or re-created by the next iteration of
 * the loop it is declared in -- while the thread may still read it.
 * Reads threadflow's per-event thread states.
 */
#include "rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Finds a thread whose start argument points to a stack object of the creating function\n"
    "(`&local`, `&local.field`, `&array[i]`, a local array by name: `buf`) when the thread\n"
    "can outlive it: the function\n"
    "returns without joining the thread, or the object is changed (or re-created by the next\n"
    "iteration of the loop it lives in) while the thread may still read it.\n\n"
    "## Why is this bad\n"
    "The thread reads a dead stack slot, or a value that changed under it.  The classic\n"
    "`pthread_create(&t[i], NULL, worker, &i)` in a loop gives every worker the same `i`, by\n"
    "then already incremented: workers see wrong, duplicated ids, differently on each run.\n\n"
    "## Example\n"
    "```c\n"
    "for (int i = 0; i < N; i++)\n"
    "    pthread_create(&t[i], NULL, worker, &i);   /* i changes before workers read it */\n"
    "```\n\n"
    "## Use instead\n"
    "One object per thread that lives until the thread is joined (`ids[i] = i;\n"
    "pthread_create(&t[i], NULL, worker, &ids[i]);` with the joins before `ids` goes out of\n"
    "scope), a heap allocation the thread frees, or a small value cast into the pointer\n"
    "(`(void *)(intptr_t)i`).\n\n"
    "## Known problems\n"
    "The end of a block that is not a loop body is not recognised.  Elements of an array argument\n"
    "(`&ids[i]`) are assumed to be one per thread, so writes to other elements are not\n"
    "reported.\n";

/* True when the argument is the address of (a part of) a stack object. */
static bool stack_arg(const struct ll_path *a)
{
    return (a->root == LL_ROOT_LOCAL || a->root == LL_ROOT_PARAM) && (a->flags & LL_PATH_ADDR) &&
           !(a->flags & LL_PATH_DEREF) && a->key;
}

/* One key names a part of the other: "s" and "s.f", "i" and "i". */
static bool overlaps(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    const char *shorter = la <= lb ? a : b, *longer = la <= lb ? b : a;
    size_t n = la <= lb ? la : lb;
    if (strncmp(shorter, longer, n) != 0)
        return false;
    char next = longer[n];
    return next == '\0' || next == '.' || next == '[' || next == '-';
}

static void check_thread(const struct ll_fn_view *f, uint32_t t, struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    struct ll_thread th = ll_fn_thread(f, t);
    const struct ll_event *c = &fn->events[th.event];
    const struct ll_path *a = &c->aux;
    struct ll_site site = ll_view_site(f, c->loc, NULL);
    /* changed while the thread may read it */
    LL_FOR_EACH_THREAD_REACHED(f, e, LL_EVK(LL_EV_ACCESS))
    {
        const struct ll_event *ev = &fn->events[e];
        if (!(ev->flags & LL_EVF_WRITE) || ev->obj.root != a->root ||
            (ev->obj.flags & LL_PATH_DEREF) || !ev->obj.key ||
            !ll_thread_alive(ll_fn_thread_at(f, e, t)))
            continue;
        if ((a->flags & LL_PATH_INDEXED) && (ev->obj.flags & LL_PATH_INDEXED))
            continue; /* one element per thread */
        if (!overlaps(a->key, ev->obj.key))
            continue;
        struct ll_finding *fd = ll_diag(
            r, &site, fn->name, a->cls,
            "'&%s' is given to a thread, but '%s' changes while the thread may still read it",
            a->text, ev->obj.text);
        struct ll_site s = ll_view_site(f, ev->loc, NULL);
        if (fd)
            ll_diag_note(r, fd, &s,
                         ev->loop_depth && e < th.event
                             ? "'%s' changed (or re-created by the next iteration) here"
                             : "'%s' changed here",
                         ev->obj.text);
        return;
    }
    if (ll_fn_is_main(f))
        return; /* main returning ends the process: missing-join's business */
    LL_FOR_EACH_THREAD_REACHED(f, e, LL_EVK(LL_EV_RETURN))
    {
        if (!ll_thread_alive(ll_fn_thread_at(f, e, t)))
            continue;
        struct ll_finding *fd = ll_diag(r, &site, fn->name, a->cls,
                                        "'&%s' points into the stack frame of '%s', which ends "
                                        "while the thread may still use it",
                                        a->text, fn->name);
        struct ll_site s = ll_view_site(f, fn->events[e].loc, NULL);
        if (fd)
            ll_diag_note(r, fd, &s, "'%s' returns here without joining the thread", fn->name);
        return;
    }
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    LL_FOR_EACH_FN(v, f)
    {
        for (uint32_t t = 0; t < ll_fn_nthreads(f); t++) {
            uint32_t ce = ll_fn_thread(f, t).event;
            const struct ll_event *c = &ll_fn_ir(f)->events[ce];
            if (ll_fn_thread_reached(f, ce) && stack_arg(&c->aux) &&
                !ll_view_in_system_header(f, c->loc))
                check_thread(f, t, r);
        }
    }
}

const struct ll_rule ll_rule_thread_arg_lifetime = {
    "thread-arg-lifetime",
    "a thread argument that points to a stack object that dies or changes while the thread may "
    "still read it",
    doc, LL_SEV_WARNING, check};
