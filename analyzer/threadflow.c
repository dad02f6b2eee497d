/*
 * threadflow: thread handle states per program point (see threadflow.h).
 *
 * A client of the path-state engine (pathset.h), like dataflow.c: one slot
 * per THREAD_CREATE event, holding LL_TS_* bits.  The engine keeps the
 * paths apart: pending creation results that a later branch resolves, and
 * remembered outcomes of side-effect-free conditions over locals, so that
 * `if (f) create(); ... if (f) join();` is understood.  This file says
 * what events do to handles, and what entering a join loop does (the
 * client's edge function).  Loops are found as natural loops of the back
 * edges of a depth-first search from the entry.
 */
#include "threadflow.h"

#include "pathset.h"

#include <stdlib.h>
#include <string.h>

struct run {
    const struct ll_function *fn;
    const struct ll_program *prog;
    const struct ll_tf_program *tp;
    struct ll_tf_result *res;
    struct ll_arena *tmp; /* ps.tmp: the caller's scratch, or the engine's own */
    struct ll_pathset ps;
    uint32_t n; /* threads */
    /* per loop: for each thread, 1 = the loop joins its class, 2 = detaches */
    uint8_t **loop_ends;
};

/* ---- program facts --------------------------------------------------- */

static bool self_handle(const struct ll_path *p)
{
    if (p->root == LL_ROOT_NONE)
        return true;
    return p->root == LL_ROOT_CALL && p->text &&
           (strcmp(p->text, "pthread_self()") == 0 || strcmp(p->text, "thrd_current()") == 0);
}

static int add_class(struct ll_strmap *m, const struct ll_path *p)
{
    if (!p->cls || p->root == LL_ROOT_NONE)
        return 0;
    return ll_strmap_put(m, p->cls, 1) < 0 ? -1 : 0;
}

/* Event e runs on every path through fn: its block is not bypassed on the
 * way from the entry to the exit (`seen`, `stack`: scratch). */
static bool on_every_path(const struct ll_function *fn, uint32_t e, uint8_t *seen, uint32_t *stack)
{
    uint32_t b = ll_tf_block_of(fn, e);
    return fn->nblocks && !ll_tf_reaches(fn, 0, fn->exit, b, seen, stack);
}

/* The functions that leave a thread behind (spawn_fn): a creation of a
 * known start routine, here or in a callee, in a function that joins
 * nothing, itself or through callees.  The creation (or the call) must
 * run on every path through the function: a creation under `if
 * (run_fserv == 0)` starts one thread at a time, not one per call.  Not
 * through calls through function pointers (dispatchers): a slot that can
 * hold one spawning function among many (a tree's free callback) does not
 * make every call through it one. */
static int spawners(struct ll_tf_program *tp, const struct ll_program *p, struct ll_arena *arena)
{
    size_t n = p->nfns;
    uint8_t *joins = tp->joins_any = ll_arena_alloc(arena, n + 1);
    tp->spawn_fn = ll_arena_alloc(arena, (n + 1) * sizeof(*tp->spawn_fn));
    tp->spawn_ev = ll_arena_alloc(arena, (n + 1) * sizeof(*tp->spawn_ev));
    size_t most = 1;
    for (size_t i = 0; i < n; i++)
        most = p->fns[i].fn->nblocks > most ? p->fns[i].fn->nblocks : most;
    uint8_t *seen = ll_arena_alloc(arena, most + 1);
    uint32_t *stack = ll_arena_alloc(arena, (most + 1) * sizeof(*stack));
    if (!joins || !tp->spawn_fn || !tp->spawn_ev || !seen || !stack)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const struct ll_function *fn = p->fns[i].fn;
        tp->spawn_fn[i] = -1;
        for (uint32_t e = 0; e < fn->nevents && !joins[i]; e++) {
            const struct ll_event *ev = &fn->events[e];
            long k = ev->kind == LL_EV_CALL ? ll_program_callee(p, (uint32_t)i, e) : -1;
            joins[i] = ev->kind == LL_EV_JOIN || (k >= 0 && tp->joins_param[k]);
        }
    }
    /* joining, through callees; then leaving threads behind */
    for (int pass = 0; pass < 2; pass++)
        for (bool changed = true; changed;) {
            changed = false;
            for (size_t i = 0; i < n; i++) {
                const struct ll_function *fn = p->fns[i].fn;
                if (pass == 0 ? joins[i] : joins[i] || tp->spawn_fn[i] >= 0)
                    continue;
                for (uint32_t e = 0; e < fn->nevents; e++) {
                    const struct ll_event *ev = &fn->events[e];
                    if (ev->kind != LL_EV_CALL && ev->kind != LL_EV_THREAD_CREATE)
                        continue;
                    long k = ll_program_callee(p, (uint32_t)i, e);
                    if (k < 0)
                        continue;
                    if (pass == 0 && ev->kind == LL_EV_CALL && joins[k]) {
                        joins[i] = 1;
                    } else if (pass == 1 &&
                               (ev->kind == LL_EV_THREAD_CREATE ||
                                (tp->spawn_fn[k] >= 0 && !p->fns[k].dispatcher)) &&
                               on_every_path(fn, e, seen, stack)) {
                        bool here = ev->kind == LL_EV_THREAD_CREATE;
                        tp->spawn_fn[i] = here ? (int32_t)i : tp->spawn_fn[k];
                        tp->spawn_ev[i] = here ? e : tp->spawn_ev[k];
                    } else {
                        continue;
                    }
                    changed = true;
                    break;
                }
            }
        }
    return 0;
}

/* A handle whose value is stored into memory that is joined or detached
 * (`list[n++] = g_tid;` and a loop joining `list[i]`, `p->tid = g_tid;`
 * and a join of `p->tid`) is joined there: its class joins `joined`.
 * Copies of copies too, one link per round; a round that adds nothing
 * ends it, and the rounds are bounded. */
static int copies_joined(struct ll_tf_program *tp, const struct ll_program *p)
{
    for (unsigned round = 0, changed = 1; changed && round < 16; round++) {
        changed = 0;
        for (size_t i = 0; i < p->nfns; i++) {
            const struct ll_function *fn = p->fns[i].fn;
            for (uint32_t e = 0; e < fn->nevents; e++) {
                const struct ll_event *ev = &fn->events[e];
                const struct ll_path *h = ev->nargs == 1 ? &ev->args[0] : NULL;
                if (ev->kind != LL_EV_ACCESS || !(ev->flags & LL_EVF_WRITE) || !h || !h->cls ||
                    !ev->obj.cls || ll_strmap_get(&tp->joined, ev->obj.cls) == (size_t)-1 ||
                    ll_strmap_get(&tp->joined, h->cls) != (size_t)-1)
                    continue;
                if (add_class(&tp->joined, h) < 0)
                    return -1;
                changed = 1;
            }
        }
    }
    return 0;
}

int ll_tf_program_build(struct ll_tf_program *tp, const struct ll_program *p,
                        struct ll_arena *arena)
{
    memset(tp, 0, sizeof(*tp));
    ll_strmap_init(&tp->joined);
    ll_strmap_init(&tp->posted);
    size_t n = p->nfns;
    tp->joins_param = ll_arena_alloc(arena, (n + 1) * sizeof(uint64_t));
    tp->detaches_param = ll_arena_alloc(arena, (n + 1) * sizeof(uint64_t));
    tp->self_detach = ll_arena_alloc(arena, n + 1);
    if (!tp->joins_param || !tp->detaches_param || !tp->self_detach)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const struct ll_function *fn = p->fns[i].fn;
        for (uint32_t e = 0; e < fn->nevents; e++) {
            const struct ll_event *ev = &fn->events[e];
            if (ev->kind == LL_EV_SEM_POST && add_class(&tp->posted, &ev->obj) < 0)
                return -1;
            if (ev->kind != LL_EV_JOIN && ev->kind != LL_EV_DETACH)
                continue;
            if (ev->kind == LL_EV_DETACH && self_handle(&ev->obj))
                tp->self_detach[i] = 1;
            if (ev->obj.root == LL_ROOT_PARAM && ev->obj.param >= 0 && ev->obj.param < 64) {
                uint64_t bit = (uint64_t)1 << ev->obj.param;
                if (ev->kind == LL_EV_JOIN)
                    tp->joins_param[i] |= bit;
                else
                    tp->detaches_param[i] |= bit;
            }
            if (add_class(&tp->joined, &ev->obj) < 0)
                return -1;
        }
    }
    /* wrappers of wrappers, and self-detaching callees: a fixpoint */
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < n; i++) {
            const struct ll_function *fn = p->fns[i].fn;
            for (uint32_t e = 0; e < fn->nevents; e++) {
                const struct ll_event *ev = &fn->events[e];
                long k = ev->kind == LL_EV_CALL ? ll_program_callee(p, (uint32_t)i, e) : -1;
                if (k < 0)
                    continue;
                if (tp->self_detach[k] && !tp->self_detach[i])
                    tp->self_detach[i] = 1, changed = true;
                for (uint32_t a = 0; a < ev->nargs && a < 64; a++) {
                    const struct ll_path *ap = &ev->args[a];
                    uint64_t bit = (uint64_t)1 << a;
                    bool j = tp->joins_param[k] & bit, d = tp->detaches_param[k] & bit;
                    if ((j || d) && add_class(&tp->joined, ap) < 0)
                        return -1;
                    if (ap->root != LL_ROOT_PARAM || ap->param < 0 || ap->param >= 64)
                        continue;
                    uint64_t mine = (uint64_t)1 << ap->param;
                    if (j && !(tp->joins_param[i] & mine))
                        tp->joins_param[i] |= mine, changed = true;
                    if (d && !(tp->detaches_param[i] & mine))
                        tp->detaches_param[i] |= mine, changed = true;
                }
            }
        }
    }
    if (copies_joined(tp, p) < 0)
        return -1;
    return spawners(tp, p, arena);
}

void ll_tf_program_release(struct ll_tf_program *tp)
{
    ll_strmap_release(&tp->joined);
    ll_strmap_release(&tp->posted);
    memset(tp, 0, sizeof(*tp));
}

/* ---- graph helpers --------------------------------------------------- */

uint32_t ll_tf_block_of(const struct ll_function *fn, uint32_t e)
{
    for (uint32_t b = 0; b < fn->nblocks; b++)
        if (e >= fn->blocks[b].first_event && e < fn->blocks[b].first_event + fn->blocks[b].nevents)
            return b;
    return 0;
}

bool ll_tf_reaches(const struct ll_function *fn, uint32_t from, uint32_t to, uint32_t avoid,
                   uint8_t *seen, uint32_t *stack)
{
    if (from == avoid)
        return false;
    memset(seen, 0, fn->nblocks);
    uint32_t sp = 0;
    stack[sp++] = from;
    seen[from] = 1;
    while (sp) {
        uint32_t x = stack[--sp];
        if (x == to)
            return true;
        const struct ll_block *bb = &fn->blocks[x];
        for (uint32_t s = 0; s < bb->nsucc; s++) {
            uint32_t y = bb->succ[s];
            if (y != avoid && !seen[y]) {
                seen[y] = 1;
                stack[sp++] = y;
            }
        }
    }
    return false;
}

/* ---- threads --------------------------------------------------------- */

bool ll_tf_names_thread(const struct ll_tf_thread *t, const struct ll_path *p)
{
    const struct ll_path *h = t->handle;
    if (!p->key || !h->key || p->root == LL_ROOT_NONE)
        return false;
    if (t->by_class)
        return (p->flags & LL_PATH_INDEXED) && p->cls && h->cls && strcmp(p->cls, h->cls) == 0;
    return strcmp(p->key, h->key) == 0;
}

/* The parameter `*P` names (a plain dereference of pointer parameter P,
 * the first 64), or -1. */
static int deref_param(const struct ll_function *fn, const struct ll_path *p)
{
    if (p->root != LL_ROOT_PARAM || !(p->flags & LL_PATH_DEREF) || p->param < 0 || p->param >= 64 ||
        (uint32_t)p->param >= fn->nparams || !p->key || p->key[0] != '*')
        return -1;
    return strcmp(p->key + 1, fn->params[p->param]) == 0 ? p->param : -1;
}

/* The pointer parameters thread t's local handle is stored through:
 * `*out = t;` (a write of `*out` right after a read of the handle, as the
 * assignment lowers). */
static uint64_t handed_out(const struct ll_function *fn, const struct ll_tf_thread *t)
{
    uint64_t params = 0;
    if (!t->local || t->by_class)
        return 0;
    for (uint32_t e = 1; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e], *rd = &fn->events[e - 1];
        int p =
            ev->kind == LL_EV_ACCESS && (ev->flags & LL_EVF_WRITE) ? deref_param(fn, &ev->obj) : -1;
        if (p >= 0 && rd->kind == LL_EV_ACCESS && !(rd->flags & LL_EVF_WRITE) &&
            ll_tf_names_thread(t, &rd->obj))
            params |= (uint64_t)1 << p;
    }
    return params;
}

static int collect_threads(struct run *ru, struct ll_arena *a)
{
    const struct ll_function *fn = ru->fn;
    struct ll_tf_result *r = ru->res;
    uint32_t n = 0;
    for (uint32_t e = 0; e < fn->nevents; e++)
        n += fn->events[e].kind == LL_EV_THREAD_CREATE;
    /* sized to the creations: most functions create no thread */
    r->ev_thread = ll_arena_alloc(a, (fn->nevents + 1) * sizeof(int32_t));
    r->threads = ll_arena_alloc(a, (n + 1) * sizeof(*r->threads));
    if (!r->ev_thread || !r->threads)
        return -1;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        r->ev_thread[e] = -1;
        if (ev->kind != LL_EV_THREAD_CREATE)
            continue;
        struct ll_tf_thread *t = &r->threads[r->nthreads];
        t->event = e;
        t->handle = &ev->obj;
        t->by_class = (ev->obj.flags & LL_PATH_INDEXED) != 0;
        t->local = ev->obj.root == LL_ROOT_LOCAL && !(ev->obj.flags & LL_PATH_DEREF);
        long k = ll_program_find(ru->prog, ev->callee);
        t->detached = (ev->flags & LL_EVF_DETACHED) || (k >= 0 && ru->tp->self_detach[k]);
        t->out_params = handed_out(fn, t);
        r->ev_thread[e] = (int32_t)r->nthreads++;
    }
    return 0;
}

/* What a loop does to every element of an array of handles: a loop that
 * joins `t[i]` (and creates none) joins them all. */
static int loop_ends(struct run *ru)
{
    const struct ll_function *fn = ru->fn;
    struct ll_tf_result *r = ru->res;
    ru->loop_ends = ll_arena_alloc(ru->tmp, (r->nloops + 1) * sizeof(*ru->loop_ends));
    if (!ru->loop_ends)
        return -1;
    for (uint32_t k = 0; k < r->nloops; k++) {
        uint8_t *v = ru->loop_ends[k] = ll_arena_alloc(ru->tmp, ru->n + 1);
        if (!v)
            return -1;
        const struct ll_loop *l = &r->loops[k];
        for (uint32_t b = 0; b < fn->nblocks; b++) {
            if (!l->body[b])
                continue;
            const struct ll_block *bb = &fn->blocks[b];
            for (uint32_t e = bb->first_event; e < bb->first_event + bb->nevents; e++) {
                const struct ll_event *ev = &fn->events[e];
                for (uint32_t t = 0; t < ru->n; t++) {
                    const struct ll_tf_thread *th = &r->threads[t];
                    if (!th->by_class)
                        continue;
                    if (ev->kind == LL_EV_THREAD_CREATE && ll_tf_names_thread(th, &ev->obj))
                        v[t] = 0xff; /* creates too: not a join loop */
                    if (v[t] == 0xff)
                        continue;
                    if ((ev->kind == LL_EV_JOIN || ev->kind == LL_EV_DETACH) &&
                        ll_tf_names_thread(th, &ev->obj))
                        v[t] = ev->kind == LL_EV_JOIN ? 1 : 2;
                    long c = ev->kind == LL_EV_CALL ? ll_program_find(ru->prog, ev->callee) : -1;
                    for (uint32_t i = 0; c >= 0 && i < ev->nargs && i < 64; i++) {
                        uint64_t bit = (uint64_t)1 << i;
                        if (!ll_tf_names_thread(th, &ev->args[i]))
                            continue;
                        if (ru->tp->joins_param[c] & bit)
                            v[t] = 1;
                        else if (ru->tp->detaches_param[c] & bit)
                            v[t] = 2;
                    }
                }
            }
        }
        for (uint32_t t = 0; t < ru->n; t++)
            if (v[t] == 0xff)
                v[t] = 0;
    }
    return 0;
}

/* ---- transfer -------------------------------------------------------- */

/* A running (or escaped) thread becomes `to`: joined or detached. */
static uint8_t end_thread(uint8_t st, uint8_t to)
{
    uint8_t on = LL_TS_RUNNING | LL_TS_ESCAPED | LL_TS_CANCELLED;
    if (st & on)
        st = (uint8_t)((st & ~on) | to);
    return st;
}

static void end_named(const struct run *ru, struct ll_ps_disj *d, const struct ll_path *p,
                      uint8_t to)
{
    for (uint32_t t = 0; t < ru->n; t++)
        if (ll_tf_names_thread(&ru->res->threads[t], p))
            d->st[t] = end_thread(d->st[t], to);
}

/* The handle's value is read or passed on: copied into a table or a
 * struct that is joined elsewhere, or handed to other code. */
static void escape_named(const struct run *ru, struct ll_ps_disj *d, const struct ll_path *p)
{
    for (uint32_t t = 0; t < ru->n; t++)
        if (!ru->res->threads[t].by_class && ll_tf_names_thread(&ru->res->threads[t], p) &&
            (d->st[t] & LL_TS_RUNNING))
            d->st[t] = (uint8_t)((d->st[t] & ~LL_TS_RUNNING) | LL_TS_ESCAPED);
}

/* Event e is a call of pthread_cancel() (the library's: the program does
 * not define it). */
static bool is_cancel(const struct run *ru, const struct ll_event *ev)
{
    return ev->kind == LL_EV_CALL && ev->api && strcmp(ev->api, "pthread_cancel") == 0 &&
           ev->nargs >= 1 && ll_program_find(ru->prog, ev->callee) < 0;
}

/* Read event e is the handle argument of the pthread_cancel() right after
 * it (how `pthread_cancel(t)` lowers): the call, not the read, says what
 * happens to the handle. */
static bool cancel_argument(const struct run *ru, uint32_t e)
{
    const struct ll_function *fn = ru->fn;
    if (e + 1 >= fn->nevents || !is_cancel(ru, &fn->events[e + 1]))
        return false;
    const struct ll_path *a = &fn->events[e + 1].args[0], *r = &fn->events[e].obj;
    return a->key && r->key && strcmp(a->key, r->key) == 0 &&
           ll_tf_block_of(fn, e) == ll_tf_block_of(fn, e + 1);
}

/* pthread_cancel(t) of a thread this path created and has neither joined,
 * detached nor handed on: its only error, ESRCH (no such thread), cannot
 * happen, so a branch on its failure is not taken (ll_ps_sure).  The
 * thread is cancelled: still alive until its next cancellation point, but
 * asked to stop, so a process that ends meanwhile kills it on purpose.
 * Other handles among the arguments are passed on as by any call
 * (escaped).  A cancel of a handle the path may have joined, detached or
 * handed to other code may fail. */
static void cancel(struct ll_pathset *ps, const struct run *ru, struct ll_ps_disj *d, uint32_t e)
{
    const struct ll_event *ev = &ru->fn->events[e];
    int32_t sure = -1;
    for (uint32_t t = 0; t < ru->n; t++) {
        const struct ll_tf_thread *th = &ru->res->threads[t];
        if (th->by_class || !ll_tf_names_thread(th, &ev->args[0]))
            continue;
        if (d->st[t] != LL_TS_RUNNING) {
            sure = -1; /* one of the handles it may name may be done with */
            break;
        }
        sure = (int32_t)t;
    }
    for (uint32_t t = 0; t < ru->n; t++)
        if (!ru->res->threads[t].by_class &&
            ll_tf_names_thread(&ru->res->threads[t], &ev->args[0]) && (d->st[t] & LL_TS_RUNNING))
            d->st[t] = (uint8_t)((d->st[t] & ~LL_TS_RUNNING) | LL_TS_CANCELLED);
    for (uint32_t i = 1; i < ev->nargs; i++)
        escape_named(ru, d, &ev->args[i]);
    if (sure < 0 || (!(ev->flags & LL_EVF_CHECKED) && !ev->result_var))
        return;
    uint32_t t = (uint32_t)sure;
    ll_ps_pend(d, e, ev->result_var, t, d->st[t], LL_PS_ZERO, LL_PS_NONZERO);
    ll_ps_sure(d, e);
}

/* The thread-handle transfer function of event e (a pathset client). */
static void transfer(struct ll_pathset *ps, struct ll_ps_disj *d, uint32_t e, void *ctx)
{
    const struct run *ru = ctx;
    const struct ll_event *ev = &ru->fn->events[e];
    switch (ev->kind) {
    case LL_EV_THREAD_CREATE: {
        int32_t t = ru->res->ev_thread[e];
        if (t < 0)
            break;
        uint8_t now = ru->res->threads[t].detached ? LL_TS_DETACHED : LL_TS_RUNNING;
        /* the handle now names the new thread: an earlier one that was
         * joined on every path is done with (create, join, create, join
         * into one `t`) */
        for (uint32_t u = 0; u < ru->n; u++)
            if (u != (uint32_t)t && d->st[u] == LL_TS_JOINED && !ru->res->threads[u].by_class &&
                ll_tf_names_thread(&ru->res->threads[u], &ev->obj))
                d->st[u] = LL_TS_NONE;
        ll_ps_set_checked(ps, d, e, (uint32_t)t, now);
        break;
    }
    case LL_EV_JOIN:
        end_named(ru, d, &ev->obj, LL_TS_JOINED);
        break;
    case LL_EV_DETACH:
        end_named(ru, d, &ev->obj, LL_TS_DETACHED);
        break;
    case LL_EV_ACCESS:
        if ((ev->flags & LL_EVF_WRITE) &&
            (ev->obj.root == LL_ROOT_LOCAL || ev->obj.root == LL_ROOT_PARAM) &&
            !(ev->obj.flags & LL_PATH_DEREF) && ev->obj.key)
            ll_ps_forget_var(d, ev->obj.key);
        else if (!(ev->flags & LL_EVF_WRITE) && ev->obj.root == LL_ROOT_LOCAL && ev->obj.key &&
                 !cancel_argument(ru, e))
            escape_named(ru, d, &ev->obj);
        break;
    case LL_EV_CALL: {
        if (is_cancel(ru, ev)) {
            cancel(ps, ru, d, e);
            break;
        }
        long c = ll_program_find(ru->prog, ev->callee);
        for (uint32_t i = 0; i < ev->nargs; i++) {
            uint64_t bit = i < 64 ? (uint64_t)1 << i : 0;
            if (c >= 0 && (ru->tp->joins_param[c] & bit))
                end_named(ru, d, &ev->args[i], LL_TS_JOINED);
            else if (c >= 0 && (ru->tp->detaches_param[c] & bit))
                end_named(ru, d, &ev->args[i], LL_TS_DETACHED);
            else
                escape_named(ru, d, &ev->args[i]);
        }
        break;
    }
    default:
        break;
    }
}

/* The edge from `from` to `to` is taken when pointer parameter `*param`
 * is NULL (`if (out != NULL)`'s false edge, `if (!out)`'s true edge). */
static bool null_param_edge(const struct ll_function *fn, uint32_t from, uint32_t to, int *param)
{
    const struct ll_block *bb = &fn->blocks[from];
    const struct ll_cond *c = &bb->cond;
    if (c->kind != LL_COND_VAR || !c->var || bb->nsucc != 2 || bb->succ[0] == bb->succ[1])
        return false;
    if (ll_ps_signs(c->cmp, c->cmp_k, bb->succ[0] == to) != LL_PS_ZERO)
        return false;
    for (uint32_t i = 0; i < fn->nparams && i < 64; i++)
        if (fn->params[i] && strcmp(fn->params[i], c->var) == 0) {
            *param = (int)i;
            return true;
        }
    return false;
}

/* Entering a join loop from outside joins every element it names; a path
 * that found an out-parameter of a running thread's handle NULL hands the
 * thread to the caller, who passed NULL (the client's edge function). */
static void enter_loops(struct ll_pathset *ps, struct ll_ps_disj *d, uint32_t from, uint32_t to,
                        void *ctx)
{
    const struct run *ru = ctx;
    const struct ll_tf_result *r = ru->res;
    int param;
    if (null_param_edge(ru->fn, from, to, &param))
        for (uint32_t t = 0; t < ru->n; t++)
            if ((r->threads[t].out_params >> param) & 1 && (d->st[t] & LL_TS_RUNNING))
                d->st[t] = (uint8_t)((d->st[t] & ~LL_TS_RUNNING) | LL_TS_ESCAPED);
    for (uint32_t k = 0; k < r->nloops; k++) {
        const struct ll_loop *l = &r->loops[k];
        if (l->head != to || l->body[from])
            continue;
        for (uint32_t t = 0; t < ru->n; t++)
            if (ru->loop_ends[k][t])
                d->st[t] =
                    end_thread(d->st[t], ru->loop_ends[k][t] == 1 ? LL_TS_JOINED : LL_TS_DETACHED);
    }
}

/* fn calls a function that leaves threads behind: its loops matter to
 * unbounded-thread-creation. */
static bool calls_spawner(const struct ll_function *fn, const struct ll_program *p,
                          const struct ll_tf_program *tp)
{
    for (uint32_t e = 0; e < fn->nevents; e++) {
        long k = fn->events[e].kind == LL_EV_CALL ? ll_program_find(p, fn->events[e].callee) : -1;
        if (k >= 0 && tp->spawn_fn && tp->spawn_fn[k] >= 0)
            return true;
    }
    return false;
}

int ll_threadflow_run(const struct ll_function *fn, const struct ll_program *p,
                      const struct ll_tf_program *tp, struct ll_arena *arena,
                      struct ll_arena *scratch, struct ll_tf_result *out)
{
    struct run ru = {.fn = fn, .prog = p, .tp = tp, .res = out};
    memset(out, 0, sizeof(*out));
    ll_pathset_init(&ru.ps, fn, scratch);
    ru.tmp = ru.ps.tmp;
    int rc = -1;
    out->nevents = fn->nevents;
    out->nblocks = fn->nblocks;
    out->reached = ll_arena_alloc(arena, fn->nevents + 1);
    if (!out->reached || collect_threads(&ru, arena) != 0)
        goto out;
    /* loops matter only to the threads created in them, or by the calls
     * in them (most functions do neither, and the search is a walk of
     * every block) */
    if ((out->nthreads || calls_spawner(fn, p, tp)) &&
        ll_find_loops(fn, arena, ru.tmp, &out->loops, &out->nloops) != 0)
        goto out;
    ru.n = out->nthreads;
    out->state = ll_arena_alloc(arena, (size_t)fn->nevents * ru.n + 1);
    out->out = ll_arena_alloc(arena, (size_t)fn->nblocks * ru.n + 1);
    if (!out->state || !out->out)
        goto out;
    if (ru.n == 0 || fn->nblocks == 0) {
        memset(out->reached, 1, fn->nevents);
        rc = 0;
        goto out;
    }
    if (loop_ends(&ru) != 0)
        goto out;
    struct ll_ps_client client = {
        .nslots = ru.n, .transfer = transfer, .edge = enter_loops, .ctx = &ru};
    ll_pathset_set_client(&ru.ps, &client);
    uint8_t *entry = ll_arena_alloc_raw(ru.tmp, ru.n);
    if (!entry)
        goto out;
    memset(entry, LL_TS_NONE, ru.n);
    if (ll_pathset_run(&ru.ps, entry) != 0 ||
        ll_pathset_record(&ru.ps, out->state, out->reached, out->out) != 0)
        goto out;
    rc = 0;
out:
    ll_pathset_release(&ru.ps);
    return rc;
}
