/*
 * barrier-count: a pthread barrier initialised for more threads than can
 * ever wait on it -- the waits never return.  Counts, per thread root
 * that reaches a `pthread_barrier_wait` on the barrier, how many threads
 * of it can run: main once; a thread created by its parent's start
 * routine (or main) once per creation, times the literal bound of a
 * counted loop around the creation (`for (i = 0; i < 4; i++)`), times
 * its parent's count.  Reports only when every number is known.
 */
#include "rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Finds a `pthread_barrier_init` whose count is larger than the number of threads that can\n"
    "ever call `pthread_barrier_wait` on that barrier.\n\n"
    "## Why is this bad\n"
    "A barrier releases its waiters only when `count` threads have arrived.  With fewer\n"
    "threads than that, every wait blocks forever: the program hangs at its first phase.\n"
    "It typically happens when the thread count changes and the barrier's count does not,\n"
    "or when the thread that initialises the barrier is counted but never waits.\n\n"
    "## Example\n"
    "```c\n"
    "pthread_barrier_init(&b, NULL, 4);          /* 4 ... */\n"
    "for (int i = 0; i < 3; i++)                 /* ... but 3 workers, main does not wait */\n"
    "    pthread_create(&t[i], NULL, worker, NULL);\n"
    "```\n\n"
    "## Use instead\n"
    "Initialise the barrier with the number of threads that wait on it (count the thread\n"
    "that creates the others only if it waits too), from the same constant.\n\n"
    "## Known problems\n"
    "Only barriers that are global or static objects are checked, and only when every wait\n"
    "in the program names a global or static barrier. A thread counts once per creation in\n"
    "its parent's start routine (or main), times the literal bound of a counted loop\n"
    "around the creation; threads created in helpers, in recursion, in loops without a\n"
    "literal bound, or by several threads make the count unknown, and nothing is reported.\n"
    "A thread that can reach a wait counts, whether or not it always does.\n";

/* The literal bound of the counted loop whose condition text is `text`
 * (`i<4`, `i<=3`), or 0. */
static unsigned long loop_bound(const char *text)
{
    const char *lt = text ? strrchr(text, '<') : NULL;
    if (!lt)
        return 0;
    bool le = lt[1] == '=';
    const char *d = lt + 1 + le;
    char *end;
    unsigned long k = strtoul(d, &end, 10);
    if (end == d || *end || k == 0 || k > 100000)
        return 0;
    return k + le;
}

/* Threads of root r that one run of the program can have (each creation
 * counted, joined or not), or 0 when unknown. */
static unsigned long instances(const struct ll_view *v, uint32_t r, int depth)
{
    const struct ll_fn_view *rf = ll_view_fn(v, ll_view_root_fn(v, r));
    if (ll_fn_is_main(rf))
        return 1;
    long p = ll_view_root_parent(v, r);
    if (p < 0 || depth > 16)
        return 0;
    unsigned long per = instances(v, (uint32_t)p, depth + 1), sum = 0;
    const struct ll_fn_view *pf = ll_view_fn(v, ll_view_root_fn(v, (uint32_t)p));
    if (!per)
        return 0;
    LL_FOR_EACH_FN(v, f)
    {
        const struct ll_function *fn = ll_fn_ir(f);
        LL_FOR_EACH_REACHED(f, e, LL_EVK(LL_EV_THREAD_CREATE))
        {
            const struct ll_fn_view *g = ll_view_callee(v, f, e);
            if (!g || ll_view_root_of(v, ll_fn_index(g)) != (long)r)
                continue;
            /* only creations in the parent's own start routine, once each */
            if (f != pf || ll_fn_recursive(v, f))
                return 0;
            const struct ll_event *ev = &fn->events[e];
            unsigned long k = 1;
            if (ev->loop_depth > 1)
                return 0;
            if (ev->loop_depth == 1) {
                uint32_t b = ll_fn_block_of(f, e);
                k = 0;
                for (uint32_t l = 0; l < ll_fn_nloops(f) && !k; l++) {
                    const struct ll_loop *lp = ll_fn_loop(f, l);
                    const struct ll_block *head = &fn->blocks[ll_loop_head(lp)];
                    if (ll_loop_has_block(lp, b))
                        k = (head->flags & LL_BLK_COUNTED) ? loop_bound(head->cond.text) : 0;
                    if (ll_loop_has_block(lp, b) && !k)
                        return 0;
                }
                if (!k)
                    return 0;
            }
            sum += k;
        }
    }
    return sum * per;
}

static bool global_path(const struct ll_path *p)
{
    return (p->root == LL_ROOT_GLOBAL || p->root == LL_ROOT_STATIC_LOCAL) && p->cls &&
           !(p->flags & LL_PATH_DEREF);
}

/* Every wait names a global barrier. */
static bool waits_known(const struct ll_view *v)
{
    LL_FOR_EACH_FN(v, f)
    {
        LL_FOR_EACH_REACHED(f, e, LL_EVK(LL_EV_BARRIER_WAIT))
        {
            if (!global_path(&ll_fn_ir(f)->events[e].obj))
                return false;
        }
    }
    return true;
}

static void check_init(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                       struct ll_rule_ctx *r)
{
    const struct ll_event *init = &ll_fn_ir(f)->events[e];
    unsigned long count = strtoul(init->result_var, NULL, 10);
    uint32_t words = ll_view_root_words(v);
    uint64_t *roots = calloc(words + 1, sizeof(uint64_t));
    if (!roots) {
        ll_diag_oom(r);
        return;
    }
    const struct ll_fn_view *waiter = NULL;
    uint32_t wait_ev = 0;
    bool unknown = false;
    LL_FOR_EACH_FN(v, g)
    {
        LL_FOR_EACH_REACHED(g, w, LL_EVK(LL_EV_BARRIER_WAIT))
        {
            const struct ll_path *p = &ll_fn_ir(g)->events[w].obj;
            if (!p->cls || strcmp(p->cls, init->obj.cls) != 0)
                continue;
            const uint64_t *reach = ll_view_fn_roots(v, ll_fn_index(g));
            bool any = false;
            for (uint32_t i = 0; i < words; i++) {
                roots[i] |= reach[i];
                any |= reach[i] != 0;
            }
            unknown |= !any; /* reached through a pointer: who calls it is not known */
            if (!waiter) {
                waiter = g;
                wait_ev = w;
            }
        }
    }
    unsigned long most = 0;
    char who[256] = "";
    size_t o = 0;
    for (uint32_t x = 0; x < 64 * words && !unknown && waiter; x++) {
        if (!((roots[x / 64] >> (x % 64)) & 1))
            continue;
        unsigned long k = instances(v, x, 0);
        unknown = k == 0;
        most += k;
        if (o < sizeof(who))
            o += (size_t)snprintf(who + o, sizeof(who) - o, "%s%lu '%s'", o ? ", " : "", k,
                                  ll_view_root_fn_name(v, x));
    }
    free(roots);
    if (!waiter || unknown || most >= count)
        return;
    struct ll_site site = ll_view_site(f, init->loc, NULL);
    struct ll_finding *fd =
        ll_diag(r, &site, ll_fn_ir(f)->name, init->obj.cls,
                "barrier '%s' is initialised for %lu threads, but at most %lu can wait on it "
                "(%s): every wait blocks forever",
                init->obj.text, count, most, who);
    struct ll_site ws = ll_view_site(waiter, ll_fn_ir(waiter)->events[wait_ev].loc, NULL);
    if (fd)
        ll_diag_note(r, fd, &ws, "waits on '%s' here", init->obj.text);
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    if (!waits_known(v))
        return;
    LL_FOR_EACH_FN(v, f)
    {
        LL_FOR_EACH_REACHED(f, e, LL_EVK(LL_EV_BARRIER_INIT))
        {
            const struct ll_event *ev = &ll_fn_ir(f)->events[e];
            if (ev->result_var && global_path(&ev->obj))
                check_init(v, f, e, r);
        }
    }
}

const struct ll_rule ll_rule_barrier_count = {
    "barrier-count", "a barrier initialised for more threads than can wait on it (a hang)", doc,
    LL_SEV_WARNING, check};
