/*
 * unbounded-thread-creation: a thread created on every iteration of a loop
 * that nothing bounds (for (;;), while (running), a loop driven by accept
 * or a job queue), or in a recursive function with no depth check.
 * Silent for loops that count to a bound, creations joined in the same
 * iteration, and creations gated by a counting semaphore or by a checked
 * counter of live threads.  Reads threadflow's loops and thread states.
 */
#include "rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Finds thread creation on every iteration of a loop with no bound -- `for (;;)`,\n"
    "`while (running)`, a loop driven by `accept`, `recv`, `read` or a job queue -- and in a\n"
    "recursive function where the creation is not guarded by a depth or count check.  A call\n"
    "in such a loop to a function that leaves a thread running (it creates one, itself or in\n"
    "a callee, and joins none: a `spawn_handler()` that creates and detaches) counts too.\n\n"
    "## Why is this bad\n"
    "Every client, job or recursion level gets a new thread, each with its own stack.  Under\n"
    "load (or on a large input) the process runs out of memory or threads, and the\n"
    "scheduler thrashes long before that; a thread per connection is an easy denial of\n"
    "service.\n\n"
    "## Example\n"
    "```c\n"
    "for (;;) {\n"
    "    int fd = accept(lfd, NULL, NULL);\n"
    "    pthread_create(&t, NULL, serve, conn_new(fd));   /* one thread per client */\n"
    "    pthread_detach(t);\n"
    "}\n"
    "```\n\n"
    "## Use instead\n"
    "A fixed pool of worker threads fed through a queue, or bound the live threads: take a\n"
    "counting semaphore (`sem_wait`) before each creation and post it when the thread ends,\n"
    "or check a counter of live threads.  In recursion, create threads only down to a depth\n"
    "limit and recurse sequentially below it.\n\n"
    "## Known problems\n"
    "A loop counts as bounded when its condition compares a counter it steps with any bound\n"
    "(`i < n`), however large `n` may be.  A recursion guard is any ordering comparison of a\n"
    "single variable (`depth < MAX_DEPTH`, but also `n > CUTOFF`) or of a shared counter.\n"
    "A function that joins any thread (itself or in a callee) is taken to join what it\n"
    "creates, and a loop with any join in it to wait for what its calls create; a callee\n"
    "counts only when every path through it creates; calls through function pointers and\n"
    "recursion through calls are not followed for this.\n"
    "A loop that walks a linked list (`for (p = head; p; p = p->next)`) and creates a thread\n"
    "per element is a note: the list's length bounds the live threads, which is no bound only\n"
    "if the list grows with the input.\n"
    "A recursion that closes only through calls through function pointers is a note: those\n"
    "calls are resolved over the whole program without context, so the cycle may not exist.\n";

/* The first event (in source order) of the loop's blocks in the creation's file. */
static const struct ll_event *loop_site(const struct ll_function *fn, const struct ll_loop *l,
                                        uint32_t file)
{
    const struct ll_event *best = NULL;
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        if (!ll_loop_has_block(l, b))
            continue;
        const struct ll_block *bb = &fn->blocks[b];
        for (uint32_t e = bb->first_event; e < bb->first_event + bb->nevents; e++) {
            const struct ll_event *ev = &fn->events[e];
            if (ev->loc.file != file || ev->loc.line == 0)
                continue;
            if (!best || ev->loc.line < best->loc.line ||
                (ev->loc.line == best->loc.line && ev->loc.col < best->loc.col))
                best = ev;
        }
    }
    return best;
}

/* A semaphore taken in the loop and posted somewhere in the program. */
static bool sem_gated(const struct ll_view *v, const struct ll_function *fn,
                      const struct ll_loop *l)
{
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        if (!ll_loop_has_block(l, b))
            continue;
        const struct ll_block *bb = &fn->blocks[b];
        for (uint32_t e = bb->first_event; e < bb->first_event + bb->nevents; e++) {
            const struct ll_event *ev = &fn->events[e];
            if (ev->kind == LL_EV_SEM_WAIT && ev->obj.cls && ll_view_class_posted(v, ev->obj.cls))
                return true;
        }
    }
    return false;
}

/* True when block b tests, with an ordering comparison, shared memory (a
 * counter) read in that block; *cls gets the class read. */
static bool counter_test(const struct ll_function *fn, uint32_t b, const char **cls)
{
    const struct ll_block *bb = &fn->blocks[b];
    if (!(bb->flags & LL_BLK_ORDERED))
        return false;
    for (uint32_t e = bb->first_event; e < bb->first_event + bb->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind == LL_EV_ACCESS && !(ev->flags & LL_EVF_WRITE) && ev->obj.cls &&
            ev->obj.root != LL_ROOT_LOCAL && ev->obj.root != LL_ROOT_PARAM) {
            *cls = ev->obj.cls;
            return true;
        }
    }
    return false;
}

/* A checked counter of live threads: the loop compares a shared counter
 * with a bound and increments it. */
static bool counter_gated(const struct ll_function *fn, const struct ll_loop *l)
{
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        const char *cls = NULL;
        if (!ll_loop_has_block(l, b) || !counter_test(fn, b, &cls))
            continue;
        for (uint32_t w = 0; w < fn->nblocks; w++) {
            if (!ll_loop_has_block(l, w))
                continue;
            const struct ll_block *wb = &fn->blocks[w];
            for (uint32_t e = wb->first_event; e < wb->first_event + wb->nevents; e++) {
                const struct ll_event *ev = &fn->events[e];
                if (ev->kind == LL_EV_ACCESS && (ev->flags & LL_EVF_WRITE) && ev->obj.cls &&
                    strcmp(ev->obj.cls, cls) == 0)
                    return true;
            }
        }
    }
    return false;
}

/* The call whose result a loop condition tests: directly, or through the
 * local it was stored in (`fd = accept(...); if (fd < 0) break;`). */
static const struct ll_event *tested_call(const struct ll_function *fn, const struct ll_loop *l,
                                          const struct ll_cond *c)
{
    if (c->kind == LL_COND_EVENT && c->event < fn->nevents) {
        const struct ll_event *ev = &fn->events[c->event];
        return ev->api && ev->kind != LL_EV_THREAD_CREATE ? ev : NULL;
    }
    if (c->kind != LL_COND_VAR || !c->var)
        return NULL;
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        if (!ll_loop_has_block(l, b))
            continue;
        const struct ll_block *bb = &fn->blocks[b];
        for (uint32_t e = bb->first_event; e < bb->first_event + bb->nevents; e++) {
            const struct ll_event *ev = &fn->events[e];
            if ((ev->kind == LL_EV_CALL || ev->kind == LL_EV_BLOCKING) && ev->api &&
                ev->result_var && strcmp(ev->result_var, c->var) == 0)
                return ev;
        }
    }
    return NULL;
}

/* Why the loop has no bound, for the message. */
static const char *reason(const struct ll_fn_view *f, const struct ll_loop *l, char *buf,
                          size_t size)
{
    const struct ll_function *fn = ll_fn_ir(f);
    /* an exit (or the loop test) driven by a call's result */
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        const struct ll_block *bb = &fn->blocks[b];
        if (!ll_loop_has_block(l, b))
            continue;
        bool exits = false;
        for (uint32_t s = 0; s < bb->nsucc; s++)
            exits |= !ll_loop_has_block(l, bb->succ[s]);
        const struct ll_event *ev = exits ? tested_call(fn, l, &bb->cond) : NULL;
        if (ev) {
            snprintf(buf, size, "the loop is driven by '%s'", ev->api);
            return buf;
        }
    }
    const struct ll_block *hb = &fn->blocks[ll_loop_head(l)];
    if (hb->flags & LL_BLK_FOREVER)
        return "the loop has no exit condition";
    for (uint32_t e = hb->first_event; e < hb->first_event + hb->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind == LL_EV_ACCESS && !(ev->flags & LL_EVF_WRITE) && ev->obj.text) {
            snprintf(buf, size, "the loop runs while '%s' says so", ev->obj.text);
            return buf;
        }
    }
    if (hb->cond.text) {
        snprintf(buf, size, "the loop runs while '%s'", hb->cond.text);
        return buf;
    }
    return "the loop's condition does not count iterations";
}

/* Whether loop l walks a linked list: it leaves where a local pointer is
 * NULL (`p != NULL`, `while (p)`) and steps that pointer to a field of
 * what it points to (`p = p->next`).  Returns the step, or NULL. */
static const struct ll_event *list_step(const struct ll_function *fn, const struct ll_loop *l)
{
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        const struct ll_block *bb = &fn->blocks[b];
        const char *p = bb->cond.tested;
        if (!ll_loop_has_block(l, b) || bb->cond.kind != LL_COND_VAR || !p || bb->nsucc != 2)
            continue;
        bool exits = false;
        for (uint32_t s = 0; s < 2; s++)
            exits = exits || (!ll_loop_has_block(l, bb->succ[s]) &&
                              ll_ps_signs(bb->cond.cmp, bb->cond.cmp_k, s == 0) == LL_PS_ZERO);
        if (!exits)
            continue;
        size_t n = strlen(p);
        for (uint32_t k = 0; k < fn->nblocks; k++) {
            const struct ll_block *kb = &fn->blocks[k];
            if (!ll_loop_has_block(l, k))
                continue;
            for (uint32_t e = kb->first_event; e < kb->first_event + kb->nevents; e++) {
                const struct ll_event *ev = &fn->events[e];
                const char *src = ev->aux.key;
                if (ev->kind == LL_EV_ACCESS && (ev->flags & LL_EVF_WRITE) &&
                    ev->obj.root == LL_ROOT_LOCAL && ev->obj.key && strcmp(ev->obj.key, p) == 0 &&
                    src && strncmp(src, p, n) == 0 && src[n] == '-' && src[n + 1] == '>' &&
                    !strstr(src + n + 2, "->") && !strchr(src + n + 2, '['))
                    return ev;
            }
        }
    }
    return NULL;
}

static bool loop_bounded(const struct ll_view *v, const struct ll_fn_view *f,
                         const struct ll_loop *l, uint32_t t)
{
    const struct ll_function *fn = ll_fn_ir(f);
    if (fn->blocks[ll_loop_head(l)].flags & LL_BLK_COUNTED)
        return true;
    if (!ll_fn_thread_outlives_iteration(f, l, t))
        return true; /* joined in the same iteration */
    return sem_gated(v, fn, l) || counter_gated(fn, l);
}

/* Function `from` reaches function `target` through calls and thread
 * creations (with `direct`, none through a function-pointer slot).
 * `seen` and `queue` are scratch of one element per function;
 * `seen` is all zero before and after: the queue keeps every function
 * the walk marked, and only those are cleared, so a walk costs what it
 * visits, not the program's size. */
static bool reaches_fn(const struct ll_view *v, size_t from, size_t target, bool direct,
                       uint8_t *seen, size_t *queue)
{
    size_t head = 0, tail = 0;
    bool found = false;
    queue[tail++] = from;
    seen[from] = 1;
    while (head < tail && !found) {
        const struct ll_fn_view *f = ll_view_fn(v, queue[head++]);
        const struct ll_function *fn = ll_fn_ir(f);
        for (uint32_t e = 0; e < fn->nevents && !found; e++) {
            const struct ll_event *ev = &fn->events[e];
            if ((ev->kind != LL_EV_CALL && ev->kind != LL_EV_THREAD_CREATE) ||
                (direct && ll_event_through_slot(ev)))
                continue;
            const struct ll_fn_view *g = ll_view_callee(v, f, e);
            if (!g)
                continue;
            size_t k = ll_fn_index(g);
            if (k == target)
                found = true;
            else if (!seen[k]) {
                seen[k] = 1;
                queue[tail++] = k;
            }
        }
    }
    for (size_t i = 0; i < tail; i++)
        seen[queue[i]] = 0;
    return found;
}

/* A depth or count check guards block cb: an ordering comparison of one
 * variable, or of a shared counter, that cb depends on. */
static bool guarded(const struct ll_fn_view *f, uint32_t cb, uint8_t *seen, uint32_t *stack)
{
    const struct ll_function *fn = ll_fn_ir(f);
    for (uint32_t g = 0; g < fn->nblocks; g++) {
        const struct ll_block *gb = &fn->blocks[g];
        const char *cls = NULL;
        if (g == cb || gb->nsucc != 2 || !(gb->flags & LL_BLK_ORDERED))
            continue;
        if (gb->cond.nvars != 1 && !counter_test(fn, g, &cls))
            continue;
        if (ll_fn_block_reaches(f, 0, cb, g, seen, stack))
            continue; /* g does not dominate cb */
        if (!ll_fn_block_reaches(f, gb->succ[0], cb, g, seen, stack) ||
            !ll_fn_block_reaches(f, gb->succ[1], cb, g, seen, stack))
            return true;
    }
    return false;
}

/* The loop joins a thread somewhere (a join, or a call that may join):
 * what a call in it leaves running may be waited for in the iteration. */
static bool loop_joins(const struct ll_view *v, const struct ll_fn_view *f, const struct ll_loop *l)
{
    const struct ll_function *fn = ll_fn_ir(f);
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        if (!ll_loop_has_block(l, b))
            continue;
        const struct ll_block *bb = &fn->blocks[b];
        for (uint32_t e = bb->first_event; e < bb->first_event + bb->nevents; e++)
            if (ll_view_event_joins(v, f, e))
                return true;
    }
    return false;
}

/* A creation (`what`: "thread created", "call to 'f' creates a thread") in
 * loop l that walks a linked list is a note: as many live threads as the
 * list has elements, bounded by what the list holds (a configuration, the
 * open files), unbounded only if the list grows with the input.  Returns
 * whether l walks one. */
static bool report_list_walk(const struct ll_fn_view *f, const struct ll_loop *l,
                             const struct ll_site *site, const char *cls, const char *what,
                             struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    const struct ll_event *step = list_step(fn, l);
    if (!step)
        return false;
    struct ll_finding *fd =
        ll_diag_sev(r, LL_SEV_NOTE, site, fn->name, cls,
                    "%s for every element of the list the loop walks ('%s = %s'): as many live "
                    "threads as the list is long",
                    what, step->obj.text, step->aux.text);
    if (fd) {
        struct ll_site s = ll_view_site(f, step->loc, NULL);
        ll_diag_note(r, fd, &s, "the loop steps to the next element here");
    }
    return true;
}

/* Calls, in a loop with no bound, of a function that leaves a thread
 * running (a spawn_handler() that creates and detaches). */
static void check_calls(const struct ll_view *v, const struct ll_fn_view *f, struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    if (ll_fn_nloops(f) == 0)
        return;
    LL_FOR_EACH_REACHED(f, e, LL_EVK(LL_EV_CALL))
    {
        const struct ll_fn_view *creator = NULL;
        uint32_t creation = 0;
        const struct ll_event *c = &fn->events[e];
        if (!ll_view_call_spawns(v, f, e, &creator, &creation) ||
            ll_view_in_system_header(f, c->loc))
            continue;
        uint32_t cb = ll_fn_block_of(f, e);
        const struct ll_loop *bad = NULL;
        for (uint32_t k = 0; k < ll_fn_nloops(f) && !bad; k++) {
            const struct ll_loop *l = ll_fn_loop(f, k);
            if (!ll_loop_has_block(l, cb) || (fn->blocks[ll_loop_head(l)].flags & LL_BLK_COUNTED) ||
                loop_joins(v, f, l) || sem_gated(v, fn, l) || counter_gated(fn, l))
                continue;
            bad = l;
        }
        if (!bad)
            continue;
        char buf[256];
        struct ll_site site = ll_view_site(f, c->loc, NULL);
        const struct ll_event *ce = &ll_fn_ir(creator)->events[creation];
        snprintf(buf, sizeof(buf), "call to '%s' creates a thread", c->api ? c->api : "?");
        if (report_list_walk(f, bad, &site, ce->obj.cls, buf, r))
            continue;
        struct ll_finding *fd =
            ll_diag(r, &site, fn->name, ce->obj.cls,
                    "call to '%s' creates a thread on every iteration of a loop with no bound "
                    "(%s); use a fixed pool of workers or a counting semaphore to limit live "
                    "threads",
                    c->api ? c->api : "?", reason(f, bad, buf, sizeof(buf)));
        if (!fd)
            continue;
        struct ll_site cs = ll_view_site(creator, ce->loc, NULL);
        ll_diag_note(r, fd, &cs, "'%s' creates the thread here and does not join it",
                     ll_fn_ir(creator)->name);
        const struct ll_event *ls = loop_site(fn, bad, c->loc.file);
        if (ls) {
            struct ll_site s = ll_view_site(f, ls->loc, NULL);
            ll_diag_note(r, fd, &s, "the loop starts here");
        }
    }
}

/*
 * A recursion that only closes through calls through function pointers is
 * a note: slots are resolved over the whole program without context (a
 * callback stored for one object may be called for any), so the cycle
 * may not exist at run time.
 */
static void report_recursion(const struct ll_fn_view *f, const struct ll_site *site,
                             const struct ll_event *c, bool direct, struct ll_rule_ctx *r)
{
    const struct ll_function *fn = ll_fn_ir(f);
    struct ll_finding *fd = ll_diag_sev(
        r, direct ? LL_SEV_WARNING : LL_SEV_NOTE, site, fn->name, c->obj.cls,
        "thread created in recursive function '%s' with no depth limit: every level creates "
        "more threads; create threads only down to a fixed depth",
        fn->name);
    if (!fd)
        return;
    struct ll_site s = ll_view_site(f, fn->loc, NULL);
    ll_diag_note(r, fd, &s,
                 direct ? "'%s' reaches itself through its calls and threads"
                        : "'%s' reaches itself only through calls through function pointers, "
                          "resolved without context: the cycle may not happen",
                 fn->name);
}

static void check_function(const struct ll_view *v, size_t fi, uint8_t *fseen, size_t *fstack,
                           struct ll_rule_ctx *r)
{
    const struct ll_fn_view *f = ll_view_fn(v, fi);
    const struct ll_function *fn = ll_fn_ir(f);
    check_calls(v, f, r);
    if (ll_fn_nthreads(f) == 0)
        return;
    uint8_t *seen = malloc(fn->nblocks + 1);
    uint32_t *stack = malloc((fn->nblocks + 1) * sizeof(*stack));
    int recursive = -1;
    if (!seen || !stack) {
        ll_diag_oom(r);
        goto out;
    }
    for (uint32_t t = 0; t < ll_fn_nthreads(f); t++) {
        struct ll_thread th = ll_fn_thread(f, t);
        const struct ll_event *c = &fn->events[th.event];
        if (!ll_fn_thread_reached(f, th.event) || ll_view_in_system_header(f, c->loc))
            continue;
        uint32_t cb = ll_fn_block_of(f, th.event);
        const struct ll_loop *bad = NULL;
        for (uint32_t k = 0; k < ll_fn_nloops(f) && !bad; k++) {
            const struct ll_loop *l = ll_fn_loop(f, k);
            if (ll_loop_has_block(l, cb) && !loop_bounded(v, f, l, t))
                bad = l;
        }
        struct ll_site site = ll_view_site(f, c->loc, NULL);
        if (bad && report_list_walk(f, bad, &site, c->obj.cls, "thread created", r))
            continue;
        if (bad) {
            char buf[256];
            struct ll_finding *fd =
                ll_diag(r, &site, fn->name, c->obj.cls,
                        "thread created on every iteration of a loop with no bound (%s); use a "
                        "fixed pool of workers or a counting semaphore to limit live threads",
                        reason(f, bad, buf, sizeof(buf)));
            const struct ll_event *ls = loop_site(fn, bad, c->loc.file);
            if (fd && ls) {
                struct ll_site s = ll_view_site(f, ls->loc, NULL);
                ll_diag_note(r, fd, &s, "the loop starts here");
            }
            continue;
        }
        if (recursive < 0)
            recursive = reaches_fn(v, fi, fi, true, fseen, fstack)    ? 2
                        : reaches_fn(v, fi, fi, false, fseen, fstack) ? 1
                                                                      : 0;
        if (recursive && !guarded(f, cb, seen, stack))
            report_recursion(f, &site, c, recursive == 2, r);
    }
out:
    free(seen);
    free(stack);
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    uint8_t *fseen = calloc(ll_view_nfns(v) + 1, 1);
    size_t *fstack = malloc((ll_view_nfns(v) + 1) * sizeof(*fstack));
    if (!fseen || !fstack) {
        ll_diag_oom(r);
        goto out;
    }
    for (size_t i = 0; i < ll_view_nfns(v); i++)
        check_function(v, i, fseen, fstack, r);
out:
    free(fseen);
    free(fstack);
}

const struct ll_rule ll_rule_unbounded_thread_creation = {
    "unbounded-thread-creation",
    "thread creation in a loop or recursion with no bound (thread per connection or job)", doc,
    LL_SEV_WARNING, check};
