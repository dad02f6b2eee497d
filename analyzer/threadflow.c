/*
 * threadflow: thread handle states per program point (see threadflow.h).
 *
 * The iteration mirrors dataflow.c: a worklist over blocks, a bounded set
 * of disjuncts per block entry (joined into one past TF_MAX_DISJUNCTS),
 * pending creation results that a later branch resolves, and remembered
 * outcomes of side-effect-free conditions over locals, so that `if (f)
 * create(); ... if (f) join();` is understood.  States only grow, over a
 * finite domain; a visit budget guards against pathological inputs anyway.
 * Loops are found as natural loops of the back edges of a depth-first
 * search from the entry.
 */
#include "threadflow.h"

#include <stdlib.h>
#include <string.h>

#define TF_MAX_DISJUNCTS 16
#define MAX_PEND 8
#define MAX_FACTS 8
#define MAX_LOOPS 256

struct pend {
    uint32_t event;
    const char *var; /* local holding the creation's result, or NULL */
    uint32_t thread;
    uint8_t prior, success;
};

struct fact {
    const struct ll_cond *cond;
    uint8_t value;
};

struct disj {
    uint8_t npend, nfacts;
    struct pend pend[MAX_PEND];
    struct fact facts[MAX_FACTS];
    uint8_t st[]; /* per thread */
};

struct dset {
    struct disj *d[TF_MAX_DISJUNCTS];
    uint32_t n;
};

struct run {
    const struct ll_function *fn;
    const struct ll_program *prog;
    const struct ll_tf_program *tp;
    struct ll_tf_result *res;
    struct ll_arena *tmp; /* the caller's scratch, or own_tmp */
    struct ll_arena own_tmp;
    uint32_t n; /* threads */
    struct dset *in;
    /* per loop: for each thread, 1 = the loop joins its class, 2 = detaches */
    uint8_t **loop_ends;
    bool oom;
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
    return 0;
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

/* Finds the natural loops: back edges of an iterative depth-first search. */
static int find_loops(struct run *ru, struct ll_arena *a)
{
    const struct ll_function *fn = ru->fn;
    struct ll_tf_result *r = ru->res;
    uint32_t n = fn->nblocks;
    if (n == 0)
        return 0;
    uint8_t *color = ll_arena_alloc(ru->tmp, n);
    uint32_t *stk = ll_arena_alloc(ru->tmp, (size_t)n * sizeof(*stk));
    uint32_t *pos = ll_arena_alloc(ru->tmp, (size_t)n * sizeof(*pos));
    uint32_t *heads = ll_arena_alloc(ru->tmp, MAX_LOOPS * sizeof(*heads));
    uint32_t *latch = ll_arena_alloc(ru->tmp, MAX_LOOPS * sizeof(*latch));
    if (!color || !stk || !pos || !heads || !latch)
        return -1;
    uint32_t nback = 0, sp = 0;
    stk[sp++] = 0;
    color[0] = 1;
    pos[0] = 0;
    while (sp) {
        uint32_t x = stk[sp - 1];
        const struct ll_block *bb = &fn->blocks[x];
        if (pos[x] < bb->nsucc) {
            uint32_t y = bb->succ[pos[x]++];
            if (color[y] == 1 && nback < MAX_LOOPS) {
                heads[nback] = y;
                latch[nback++] = x;
            } else if (color[y] == 0) {
                color[y] = 1;
                pos[y] = 0;
                stk[sp++] = y;
            }
        } else {
            color[x] = 2;
            sp--;
        }
    }
    /* one loop per head */
    r->loops = ll_arena_alloc(a, (nback + 1) * sizeof(*r->loops));
    if (!r->loops)
        return -1;
    for (uint32_t i = 0; i < nback; i++) {
        struct ll_tf_loop *l = NULL;
        for (uint32_t k = 0; k < r->nloops; k++)
            if (r->loops[k].head == heads[i])
                l = &r->loops[k];
        if (!l) {
            l = &r->loops[r->nloops++];
            l->head = heads[i];
            l->latches = ll_arena_alloc(a, (nback + 1) * sizeof(uint32_t));
            l->body = ll_arena_alloc(a, n);
            if (!l->latches || !l->body)
                return -1;
            l->body[l->head] = 1;
            l->size = 1;
        }
        l->latches[l->nlatches++] = latch[i];
    }
    /* bodies: everything that reaches a latch backwards without the head */
    uint32_t *npred = ll_arena_alloc(ru->tmp, (size_t)(n + 1) * sizeof(uint32_t));
    if (!npred)
        return -1;
    for (uint32_t b = 0; b < n; b++)
        for (uint32_t s = 0; s < fn->blocks[b].nsucc; s++)
            npred[fn->blocks[b].succ[s]]++;
    uint32_t **preds = ll_arena_alloc(ru->tmp, (size_t)n * sizeof(*preds));
    uint32_t *fill = ll_arena_alloc(ru->tmp, (size_t)n * sizeof(*fill));
    if (!preds || !fill)
        return -1;
    for (uint32_t b = 0; b < n; b++) {
        preds[b] = ll_arena_alloc(ru->tmp, (npred[b] + 1) * sizeof(uint32_t));
        if (!preds[b])
            return -1;
    }
    for (uint32_t b = 0; b < n; b++)
        for (uint32_t s = 0; s < fn->blocks[b].nsucc; s++) {
            uint32_t y = fn->blocks[b].succ[s];
            preds[y][fill[y]++] = b;
        }
    for (uint32_t k = 0; k < r->nloops; k++) {
        struct ll_tf_loop *l = &r->loops[k];
        sp = 0;
        for (uint32_t i = 0; i < l->nlatches; i++)
            if (!l->body[l->latches[i]]) {
                l->body[l->latches[i]] = 1;
                l->size++;
                stk[sp++] = l->latches[i];
            }
        while (sp) {
            uint32_t x = stk[--sp];
            for (uint32_t i = 0; i < fill[x]; i++) {
                uint32_t y = preds[x][i];
                if (!l->body[y]) {
                    l->body[y] = 1;
                    l->size++;
                    stk[sp++] = y;
                }
            }
        }
    }
    /* innermost first: a loop nested in another is smaller */
    for (uint32_t i = 1; i < r->nloops; i++)
        for (uint32_t j = i; j > 0 && r->loops[j - 1].size > r->loops[j].size; j--) {
            struct ll_tf_loop t = r->loops[j];
            r->loops[j] = r->loops[j - 1];
            r->loops[j - 1] = t;
        }
    return 0;
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
        const struct ll_tf_loop *l = &r->loops[k];
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

/* ---- disjuncts ------------------------------------------------------- */

static size_t disj_size(const struct run *ru)
{
    return sizeof(struct disj) + ru->n;
}

static struct disj *disj_copy(struct run *ru, const struct disj *d)
{
    struct disj *c = ll_arena_alloc(ru->tmp, disj_size(ru));
    if (!c) {
        ru->oom = true;
        return NULL;
    }
    memcpy(c, d, disj_size(ru));
    return c;
}

static bool pend_eq(const struct pend *a, const struct pend *b)
{
    return a->event == b->event && a->thread == b->thread && a->prior == b->prior &&
           a->success == b->success &&
           (a->var == b->var || (a->var && b->var && strcmp(a->var, b->var) == 0));
}

static bool has_pend(const struct disj *d, const struct pend *p)
{
    for (uint8_t i = 0; i < d->npend; i++)
        if (pend_eq(&d->pend[i], p))
            return true;
    return false;
}

static int fact_find(const struct disj *d, const struct ll_cond *c)
{
    for (uint8_t i = 0; i < d->nfacts; i++)
        if (d->facts[i].cond == c || strcmp(d->facts[i].cond->text, c->text) == 0)
            return i;
    return -1;
}

static bool has_fact(const struct disj *d, const struct fact *f)
{
    int i = fact_find(d, f->cond);
    return i >= 0 && d->facts[i].value == f->value;
}

static bool subsumed(const struct run *ru, const struct disj *a, const struct disj *b)
{
    for (uint32_t t = 0; t < ru->n; t++)
        if ((a->st[t] | b->st[t]) != b->st[t])
            return false;
    for (uint8_t i = 0; i < b->nfacts; i++)
        if (!has_fact(a, &b->facts[i]))
            return false;
    for (uint8_t i = 0; i < b->npend; i++)
        if (!has_pend(a, &b->pend[i]))
            return false;
    return true;
}

static void join_into(const struct run *ru, struct disj *a, const struct disj *b)
{
    for (uint32_t t = 0; t < ru->n; t++)
        a->st[t] |= b->st[t];
    uint8_t n = 0;
    for (uint8_t i = 0; i < a->nfacts; i++)
        if (has_fact(b, &a->facts[i]))
            a->facts[n++] = a->facts[i];
    a->nfacts = n;
    n = 0;
    for (uint8_t i = 0; i < a->npend; i++)
        if (has_pend(b, &a->pend[i]))
            a->pend[n++] = a->pend[i];
    a->npend = n;
}

static bool dset_add(struct run *ru, struct dset *s, struct disj *d)
{
    for (uint32_t i = 0; i < s->n; i++)
        if (subsumed(ru, d, s->d[i]))
            return false;
    if (s->n < TF_MAX_DISJUNCTS) {
        s->d[s->n++] = d;
        return true;
    }
    struct disj *j = disj_copy(ru, s->d[0]);
    if (!j)
        return false;
    for (uint32_t i = 1; i < s->n; i++)
        join_into(ru, j, s->d[i]);
    join_into(ru, j, d);
    s->d[0] = j;
    s->n = 1;
    return true;
}

/* ---- transfer -------------------------------------------------------- */

static void forget_var(struct disj *d, const char *var)
{
    uint8_t n = 0;
    for (uint8_t i = 0; i < d->nfacts; i++) {
        const struct ll_cond *c = d->facts[i].cond;
        bool uses = false;
        for (uint32_t v = 0; v < c->nvars && !uses; v++)
            uses = strcmp(c->vars[v], var) == 0;
        if (!uses)
            d->facts[n++] = d->facts[i];
    }
    d->nfacts = n;
    n = 0;
    for (uint8_t i = 0; i < d->npend; i++)
        if (!d->pend[i].var || strcmp(d->pend[i].var, var) != 0)
            d->pend[n++] = d->pend[i];
    d->npend = n;
}

static void forget_thread_pend(struct disj *d, uint32_t t)
{
    uint8_t n = 0;
    for (uint8_t i = 0; i < d->npend; i++)
        if (d->pend[i].thread != t)
            d->pend[n++] = d->pend[i];
    d->npend = n;
}

/* A running (or escaped) thread becomes `to`: joined or detached. */
static uint8_t end_thread(uint8_t st, uint8_t to)
{
    if (st & (LL_TS_RUNNING | LL_TS_ESCAPED))
        st = (uint8_t)((st & ~(LL_TS_RUNNING | LL_TS_ESCAPED)) | to);
    return st;
}

static void end_named(const struct run *ru, struct disj *d, const struct ll_path *p, uint8_t to)
{
    for (uint32_t t = 0; t < ru->n; t++)
        if (ll_tf_names_thread(&ru->res->threads[t], p))
            d->st[t] = end_thread(d->st[t], to);
}

static void transfer(const struct run *ru, struct disj *d, uint32_t e)
{
    const struct ll_event *ev = &ru->fn->events[e];
    if (ev->result_var && ev->kind != LL_EV_RETURN)
        forget_var(d, ev->result_var);
    switch (ev->kind) {
    case LL_EV_THREAD_CREATE: {
        int32_t t = ru->res->ev_thread[e];
        if (t < 0)
            break;
        uint8_t now = ru->res->threads[t].detached ? LL_TS_DETACHED : LL_TS_RUNNING;
        forget_thread_pend(d, (uint32_t)t);
        if (ev->flags & LL_EVF_CHECKED || ev->result_var) {
            if (d->npend == MAX_PEND) {
                memmove(&d->pend[0], &d->pend[1], (MAX_PEND - 1) * sizeof(d->pend[0]));
                d->npend--;
            }
            struct pend p = {e, ev->result_var, (uint32_t)t, d->st[t], now};
            d->pend[d->npend++] = p;
        }
        d->st[t] = now;
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
            forget_var(d, ev->obj.key);
        else if (!(ev->flags & LL_EVF_WRITE) && ev->obj.root == LL_ROOT_LOCAL && ev->obj.key)
            /* the handle's value is read: copied into a table or a struct
             * that is joined elsewhere, or passed on */
            for (uint32_t t = 0; t < ru->n; t++)
                if (!ru->res->threads[t].by_class &&
                    ll_tf_names_thread(&ru->res->threads[t], &ev->obj) &&
                    (d->st[t] & LL_TS_RUNNING))
                    d->st[t] = (uint8_t)((d->st[t] & ~LL_TS_RUNNING) | LL_TS_ESCAPED);
        break;
    case LL_EV_CALL: {
        long c = ll_program_find(ru->prog, ev->callee);
        for (uint32_t i = 0; i < ev->nargs; i++) {
            uint64_t bit = i < 64 ? (uint64_t)1 << i : 0;
            if (c >= 0 && (ru->tp->joins_param[c] & bit))
                end_named(ru, d, &ev->args[i], LL_TS_JOINED);
            else if (c >= 0 && (ru->tp->detaches_param[c] & bit))
                end_named(ru, d, &ev->args[i], LL_TS_DETACHED);
            else
                for (uint32_t t = 0; t < ru->n; t++)
                    if (!ru->res->threads[t].by_class &&
                        ll_tf_names_thread(&ru->res->threads[t], &ev->args[i]) &&
                        (d->st[t] & LL_TS_RUNNING))
                        d->st[t] = (uint8_t)((d->st[t] & ~LL_TS_RUNNING) | LL_TS_ESCAPED);
        }
        break;
    }
    default:
        break;
    }
}

static bool branch(const struct ll_block *bb, struct disj *d, int which)
{
    const struct ll_cond *c = &bb->cond;
    bool truth = which == 0;
    if (c->kind == LL_COND_EVENT || c->kind == LL_COND_VAR) {
        for (uint8_t i = 0; i < d->npend; i++) {
            struct pend *p = &d->pend[i];
            bool match = c->kind == LL_COND_EVENT ? p->event == c->event
                                                  : (p->var && strcmp(p->var, c->var) == 0);
            if (!match)
                continue;
            bool success = truth == (c->true_when_zero != 0);
            d->st[p->thread] = success ? p->success : p->prior;
            *p = d->pend[--d->npend];
            break;
        }
    }
    if (c->text) {
        int i = fact_find(d, c);
        if (i >= 0)
            return d->facts[i].value == truth;
        if (d->nfacts == MAX_FACTS) {
            memmove(&d->facts[0], &d->facts[1], (MAX_FACTS - 1) * sizeof(d->facts[0]));
            d->nfacts--;
        }
        d->facts[d->nfacts].cond = c;
        d->facts[d->nfacts].value = truth;
        d->nfacts++;
    }
    return true;
}

/* Entering a join loop from outside joins every element it names. */
static void enter_loops(const struct run *ru, uint32_t from, uint32_t to, struct disj *d)
{
    const struct ll_tf_result *r = ru->res;
    for (uint32_t k = 0; k < r->nloops; k++) {
        const struct ll_tf_loop *l = &r->loops[k];
        if (l->head != to || l->body[from])
            continue;
        for (uint32_t t = 0; t < ru->n; t++)
            if (ru->loop_ends[k][t])
                d->st[t] =
                    end_thread(d->st[t], ru->loop_ends[k][t] == 1 ? LL_TS_JOINED : LL_TS_DETACHED);
    }
}

/* ---- the iteration --------------------------------------------------- */

static void propagate(struct run *ru, uint32_t b, uint32_t *work, uint32_t *nwork, uint8_t *queued)
{
    const struct ll_block *bb = &ru->fn->blocks[b];
    struct dset in = ru->in[b];
    for (uint32_t k = 0; k < in.n && !ru->oom; k++) {
        struct disj *d = disj_copy(ru, in.d[k]);
        if (!d)
            return;
        for (uint32_t e = 0; e < bb->nevents; e++)
            transfer(ru, d, bb->first_event + e);
        bool two_way = bb->nsucc == 2 && bb->cond.kind != LL_COND_NONE;
        for (uint32_t s = 0; s < bb->nsucc; s++) {
            struct disj *o = disj_copy(ru, d);
            if (!o || (two_way && !branch(bb, o, (int)s)))
                continue;
            uint32_t t = bb->succ[s];
            enter_loops(ru, b, t, o);
            if (dset_add(ru, &ru->in[t], o) && !queued[t]) {
                queued[t] = 1;
                work[(*nwork)++] = t;
            }
        }
    }
}

static void record(struct run *ru)
{
    const struct ll_function *fn = ru->fn;
    struct ll_tf_result *r = ru->res;
    for (uint32_t b = 0; b < fn->nblocks && !ru->oom; b++) {
        const struct ll_block *bb = &fn->blocks[b];
        for (uint32_t k = 0; k < ru->in[b].n; k++) {
            struct disj *d = disj_copy(ru, ru->in[b].d[k]);
            if (!d)
                return;
            for (uint32_t i = 0; i < bb->nevents; i++) {
                uint32_t e = bb->first_event + i;
                r->reached[e] = 1;
                for (uint32_t t = 0; t < ru->n; t++)
                    r->state[(size_t)e * ru->n + t] |= d->st[t];
                transfer(ru, d, e);
            }
            for (uint32_t t = 0; t < ru->n; t++)
                r->out[(size_t)b * ru->n + t] |= d->st[t];
        }
    }
}

static int iterate(struct run *ru)
{
    const struct ll_function *fn = ru->fn;
    uint32_t n = fn->nblocks;
    uint32_t *work = ll_arena_alloc(ru->tmp, (size_t)(n + 1) * sizeof(*work));
    uint8_t *queued = ll_arena_alloc(ru->tmp, n + 1);
    ru->in = ll_arena_alloc(ru->tmp, (size_t)(n + 1) * sizeof(*ru->in));
    struct disj *init = ll_arena_alloc(ru->tmp, disj_size(ru));
    uint32_t *next = ll_arena_alloc(ru->tmp, (size_t)(n + 1) * sizeof(*next));
    if (!work || !queued || !ru->in || !init || !next)
        return -1;
    memset(init->st, LL_TS_NONE, ru->n);
    ru->in[0].d[0] = init;
    ru->in[0].n = 1;
    uint32_t head = 0, count = 1;
    work[0] = 0;
    queued[0] = 1;
    size_t budget = (size_t)n * 64 + 1024;
    while (count && budget-- && !ru->oom) {
        uint32_t b = work[head];
        head = (head + 1) % n;
        count--;
        queued[b] = 0;
        uint32_t nnext = 0;
        propagate(ru, b, next, &nnext, queued);
        for (uint32_t i = 0; i < nnext; i++)
            work[(head + count + i) % n] = next[i];
        count += nnext;
    }
    return ru->oom ? -1 : 0;
}

int ll_threadflow_run(const struct ll_function *fn, const struct ll_program *p,
                      const struct ll_tf_program *tp, struct ll_arena *arena,
                      struct ll_arena *scratch, struct ll_tf_result *out)
{
    struct run ru;
    memset(&ru, 0, sizeof(ru));
    memset(out, 0, sizeof(*out));
    ru.fn = fn;
    ru.prog = p;
    ru.tp = tp;
    ru.res = out;
    ll_arena_init(&ru.own_tmp);
    ru.tmp = scratch ? scratch : &ru.own_tmp;
    ll_arena_reset(ru.tmp);
    int rc = -1;
    out->nevents = fn->nevents;
    out->nblocks = fn->nblocks;
    out->reached = ll_arena_alloc(arena, fn->nevents + 1);
    if (!out->reached || collect_threads(&ru, arena) != 0)
        goto out;
    /* loops matter only to the threads created in them (most functions
     * create none, and the search is a walk of every block) */
    if (out->nthreads && find_loops(&ru, arena) != 0)
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
    if (loop_ends(&ru) != 0 || iterate(&ru) != 0)
        goto out;
    record(&ru);
    rc = ru.oom ? -1 : 0;
out:
    ll_arena_reset(ru.tmp);
    ll_arena_release(&ru.own_tmp);
    return rc;
}
