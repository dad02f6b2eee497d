/*
 * cond-wait-outside-loop: a condition wait that is not inside a loop, so a
 * spurious wakeup or a stolen signal goes unnoticed.
 */
#include "rule.h"

static const char doc[] =
    "## What it does\n"
    "Finds `pthread_cond_wait`, `pthread_cond_timedwait`, `cnd_wait` and `cnd_timedwait`\n"
    "calls that are not inside a loop.\n\n"
    "## Why is this bad\n"
    "Condition variables may wake up spuriously, and another thread may consume the state\n"
    "change between the signal and the wakeup. A wait under `if` then proceeds with the\n"
    "predicate false: a consumer takes from an empty queue.\n\n"
    "## Example\n"
    "```c\n"
    "pthread_mutex_lock(&q->lock);\n"
    "if (q->len == 0)\n"
    "    pthread_cond_wait(&q->nonempty, &q->lock);\n"
    "item = q->items[--q->len];    /* may be empty */\n"
    "```\n\n"
    "## Use instead\n"
    "```c\n"
    "while (q->len == 0)\n"
    "    pthread_cond_wait(&q->nonempty, &q->lock);\n"
    "```\n\n"
    "A wait inside a loop counts only when the loop re-tests after it: an outer\n"
    "`while (running)` whose body waits under `if (q->len == 0)` and then takes from the\n"
    "queue is reported, since the take also runs after a spurious wakeup.\n\n"
    "## Known problems\n"
    "A loop whose head tests something other than the predicate counts when every path\n"
    "from the wait goes back to it. A wait under `if (pred)` after which every path tests\n"
    "`pred` again before doing anything else (`if (busy) timedwait(); if (!busy) take();`) is\n"
    "silent: the later test sees a spurious wakeup. A wait wrapper (a function\n"
    "that waits on a condition variable it is given, like `uv_cond_wait(c, m)`) is not\n"
    "reported itself; its calls are, by the same test, when they are not re-checked.\n";

/* The wait inside a wait wrapper (`uv_cond_wait(c, m)`), for the note. */
static const struct ll_event *wrapped_wait(const struct ll_function *fn)
{
    for (uint32_t e = 0; e < fn->nevents; e++)
        if (fn->events[e].kind == LL_EV_COND_WAIT && fn->events[e].obj.root == LL_ROOT_PARAM)
            return &fn->events[e];
    return NULL;
}

static void check_call(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                       struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    const struct ll_event *ev = &fn->events[e];
    const struct ll_fn_view *callee = ll_view_fn(v, (size_t)ll_fn_call(f, e)->callee);
    const char *name = ll_fn_ir(callee)->name;
    if (!ll_fn_summary(callee)->waits_on_param || ll_fn_wait_rechecked(v, f, e))
        return;
    /* a wrapper calling a wrapper is itself one: report at its callers */
    if (ll_fn_summary(f)->waits_on_param)
        return;
    struct ll_site site = ll_view_site(f, ev->loc, NULL);
    struct ll_finding *fd =
        ll_diag(r, &site, fn->name, name,
                "wait through '%s' is not in a loop re-checking its condition", name);
    const struct ll_event *w = wrapped_wait(ll_fn_ir(callee));
    if (fd && w) {
        struct ll_site ws = ll_view_site(callee, w->loc, NULL);
        ll_diag_note(r, fd, &ws, "'%s' waits on its parameter '%s' here", name, w->obj.text);
    }
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    LL_FOR_EACH_FN(v, f)
    {
        const struct ll_function *fn = ll_fn_ir(f);
        LL_FOR_EACH_REACHED(f, e, LL_EVK_ALL)
        {
            const struct ll_event *ev = &fn->events[e];
            if (ll_fn_call(f, e)) {
                check_call(v, f, e, r);
                continue;
            }
            if (ev->kind != LL_EV_COND_WAIT || ll_fn_wait_rechecked(v, f, e))
                continue;
            if (ll_fn_summary(f)->waits_on_param && ev->obj.root == LL_ROOT_PARAM)
                continue; /* a wait wrapper: its callers' loops count */
            struct ll_site site = ll_view_site(f, ev->loc, NULL);
            ll_diag(r, &site, fn->name, ev->obj.cls,
                    "wait on '%s' is not in a loop re-checking its condition", ev->obj.text);
        }
    }
}

const struct ll_rule ll_rule_cond_wait_outside_loop = {
    "cond-wait-outside-loop", "a condition wait that does not re-check its predicate in a loop",
    doc, LL_SEV_WARNING, check};
