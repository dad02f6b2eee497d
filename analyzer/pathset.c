/*
 * pathset: the bounded disjunctive worklist iteration (see pathset.h).
 *
 * Termination: a block's entry set only grows (a new disjunct is added
 * unless an existing one subsumes it; past LL_PS_MAX_DISJUNCTS the set is
 * joined into one), over a finite domain.  A visit budget guards against
 * pathological inputs anyway.  What the slots mean is the client's: here
 * a slot is a bit set, joined by union and ordered by inclusion.
 */
#include "pathset.h"

#include "invariant.h"

#include <stdlib.h>
#include <string.h>

void ll_pathset_init(struct ll_pathset *ps, const struct ll_function *fn, struct ll_arena *scratch)
{
    memset(ps, 0, sizeof(*ps));
    ps->fn = fn;
    ll_arena_init(&ps->own_tmp);
    ps->tmp = scratch ? scratch : &ps->own_tmp;
    ll_arena_reset(ps->tmp);
}

void ll_pathset_set_client(struct ll_pathset *ps, const struct ll_ps_client *client)
{
    LL_ASSERT(client->transfer);
    ps->client = *client;
}

void ll_pathset_set_calls(struct ll_pathset *ps, const struct ll_cond *const *cond,
                          const uint8_t *opaque)
{
    ps->call_cond = cond;
    ps->opaque = cond ? opaque : NULL;
}

void ll_pathset_release(struct ll_pathset *ps)
{
    ll_arena_reset(ps->tmp);
    ll_arena_release(&ps->own_tmp);
}

/* ---- disjuncts ----------------------------------------------------- */

static size_t disj_size(const struct ll_pathset *ps)
{
    return sizeof(struct ll_ps_disj) + ps->client.nslots;
}

static struct ll_ps_disj *disj_copy(struct ll_pathset *ps, const struct ll_ps_disj *d)
{
    /* reuse a disjunct no set kept before taking fresh memory */
    struct ll_ps_disj *c =
        ps->nspare ? ps->spare[--ps->nspare] : ll_arena_alloc_raw(ps->tmp, disj_size(ps));
    if (!c) {
        ps->oom = true;
        return NULL;
    }
    /* only what is in use: pendings and facts past the counts are never read */
    c->npend = d->npend;
    c->nfacts = d->nfacts;
    c->nvals = d->nvals;
    c->ended = d->ended;
    memcpy(c->pend, d->pend, d->npend * sizeof(d->pend[0]));
    memcpy(c->facts, d->facts, d->nfacts * sizeof(d->facts[0]));
    memcpy(c->vals, d->vals, d->nvals * sizeof(d->vals[0]));
    memcpy(c->st, d->st, ps->client.nslots);
    return c;
}

/* Gives back a disjunct that no set holds. */
static void disj_spare(struct ll_pathset *ps, struct ll_ps_disj *d)
{
    if (ps->nspare == ps->capspare) {
        size_t cap = ps->capspare ? ps->capspare * 2 : 64;
        struct ll_ps_disj **v = ll_arena_alloc_raw(ps->tmp, cap * sizeof(*v));
        if (!v)
            return; /* not reused: only memory */
        if (ps->nspare)
            memcpy(v, ps->spare, ps->nspare * sizeof(*v));
        ps->spare = v;
        ps->capspare = cap;
    }
    ps->spare[ps->nspare++] = d;
}

static bool pend_eq(const struct ll_ps_pend *a, const struct ll_ps_pend *b)
{
    return a->event == b->event && a->slot == b->slot && a->prior == b->prior &&
           a->success == b->success && a->var == b->var && a->succ == b->succ &&
           a->fail == b->fail && a->known == b->known;
}

static bool has_pend(const struct ll_ps_disj *d, const struct ll_ps_pend *p)
{
    for (uint8_t i = 0; i < d->npend; i++)
        if (pend_eq(&d->pend[i], p))
            return true;
    return false;
}

/* Conditions spelled alike are one condition, wherever they are tested. */
static int fact_find(const struct ll_ps_disj *d, const struct ll_cond *c)
{
    for (uint8_t i = 0; i < d->nfacts; i++)
        if (d->facts[i].cond->text == c->text)
            return i;
    return -1;
}

static bool has_fact(const struct ll_ps_disj *d, const struct ll_ps_fact *f)
{
    int i = fact_find(d, f->cond);
    return i >= 0 && d->facts[i].value == f->value;
}

static void add_fact(struct ll_ps_disj *d, const struct ll_cond *c, bool value)
{
    if (d->nfacts == LL_PS_MAX_FACTS) { /* forget the oldest */
        memmove(&d->facts[0], &d->facts[1], (LL_PS_MAX_FACTS - 1) * sizeof(d->facts[0]));
        d->nfacts = LL_PS_MAX_FACTS - 1;
    }
    d->facts[d->nfacts].cond = c;
    d->facts[d->nfacts].value = value;
    d->nfacts++;
}

static int val_find(const struct ll_ps_disj *d, const char *var)
{
    for (uint8_t i = 0; i < d->nvals; i++)
        if (d->vals[i].var == var)
            return i;
    return -1;
}

/* Every value v allows, w allows too. */
static bool val_within(const struct ll_ps_val *v, const struct ll_ps_val *w)
{
    if ((v->signs | w->signs) != w->signs)
        return false;
    return !w->exact || (v->exact && v->v == w->v);
}

/* What d knows of var is now `signs` (and when `exact`, the value k). */
static void set_val(struct ll_ps_disj *d, const char *var, uint8_t signs, bool exact, int64_t k)
{
    int i = val_find(d, var);
    if (i < 0) {
        if (d->nvals == LL_PS_MAX_VALS) { /* forget the oldest */
            memmove(&d->vals[0], &d->vals[1], (LL_PS_MAX_VALS - 1) * sizeof(d->vals[0]));
            d->nvals = LL_PS_MAX_VALS - 1;
        }
        i = d->nvals++;
    }
    struct ll_ps_val v = {var, exact ? k : 0, signs, exact};
    d->vals[i] = v;
}

/* a ⊑ b: every path of a is described by b. */
static bool subsumed(const struct ll_pathset *ps, const struct ll_ps_disj *a,
                     const struct ll_ps_disj *b)
{
    for (uint32_t l = 0; l < ps->client.nslots; l++)
        if ((a->st[l] | b->st[l]) != b->st[l])
            return false;
    for (uint8_t i = 0; i < b->nfacts; i++)
        if (!has_fact(a, &b->facts[i]))
            return false;
    for (uint8_t i = 0; i < b->npend; i++)
        if (!has_pend(a, &b->pend[i]))
            return false;
    for (uint8_t i = 0; i < b->nvals; i++) {
        int k = val_find(a, b->vals[i].var);
        if (k < 0 || !val_within(&a->vals[k], &b->vals[i]))
            return false;
    }
    return true;
}

/* Joins b into a: union of states, common facts and pendings, and of
 * the values both know, the union. */
static void join_into(const struct ll_pathset *ps, struct ll_ps_disj *a, const struct ll_ps_disj *b)
{
    for (uint32_t l = 0; l < ps->client.nslots; l++)
        a->st[l] |= b->st[l];
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
    n = 0;
    for (uint8_t i = 0; i < a->nvals; i++) {
        int k = val_find(b, a->vals[i].var);
        if (k < 0)
            continue;
        struct ll_ps_val v = a->vals[i];
        const struct ll_ps_val *w = &b->vals[k];
        v.exact = v.exact && w->exact && v.v == w->v;
        v.v = v.exact ? v.v : 0;
        v.signs |= w->signs;
        if (v.signs != LL_PS_ANY || v.exact)
            a->vals[n++] = v;
    }
    a->nvals = n;
}

/* Merges disjuncts that agree on every slot (keeping their common facts):
 * what is lost is only path knowledge that does not change a state.
 * Returns false when memory ran out. */
static bool compact_same_states(struct ll_pathset *ps, struct ll_ps_set *s)
{
    for (uint32_t i = 0; i < s->n; i++)
        for (uint32_t j = i + 1; j < s->n;) {
            if (memcmp(s->d[i]->st, s->d[j]->st, ps->client.nslots) != 0) {
                j++;
                continue;
            }
            struct ll_ps_disj *m = disj_copy(ps, s->d[i]);
            if (!m)
                return false;
            join_into(ps, m, s->d[j]);
            s->d[i] = m;
            s->d[j] = s->d[--s->n];
        }
    return true;
}

enum added { ADD_NONE, ADD_STORED, ADD_MERGED };

/* Adds d to the set: ADD_NONE when an existing disjunct already covers it,
 * ADD_STORED when d itself is now in the set, ADD_MERGED when the set
 * changed by joining (d is not kept). */
static enum added set_add(struct ll_pathset *ps, struct ll_ps_set *s, struct ll_ps_disj *d)
{
    for (uint32_t i = 0; i < s->n; i++)
        if (subsumed(ps, d, s->d[i]))
            return ADD_NONE;
    if (s->n == LL_PS_MAX_DISJUNCTS && !compact_same_states(ps, s))
        return ADD_NONE;
    if (s->n < LL_PS_MAX_DISJUNCTS) {
        s->d[s->n++] = d;
        return ADD_STORED;
    }
    struct ll_ps_disj *j = disj_copy(ps, s->d[0]);
    if (!j)
        return ADD_NONE;
    for (uint32_t i = 1; i < s->n; i++)
        join_into(ps, j, s->d[i]);
    join_into(ps, j, d);
    s->d[0] = j;
    s->n = 1;
    return ADD_MERGED;
}

/* ---- for transfer functions ---------------------------------------- */

/* `var` is the written path or one inside it: writing `cfg` changes
 * `cfg.threads` and `cfg->mod->on`. */
static bool within(const char *var, const char *written)
{
    if (var == written)
        return true;
    if (written[0] && var[0] != written[0])
        return false; /* the common case, before measuring `written` */
    size_t n = strlen(written);
    return strncmp(var, written, n) == 0 && (var[n] == '\0' || var[n] == '.' || var[n] == '[' ||
                                             (var[n] == '-' && var[n + 1] == '>'));
}

void ll_ps_forget_var(struct ll_ps_disj *d, const char *var)
{
    uint8_t n = 0;
    for (uint8_t i = 0; i < d->nfacts; i++) {
        const struct ll_cond *c = d->facts[i].cond;
        bool uses = false;
        for (uint32_t v = 0; v < c->nvars && !uses; v++)
            uses = within(c->vars[v], var);
        if (!uses)
            d->facts[n++] = d->facts[i];
    }
    d->nfacts = n;
    n = 0;
    for (uint8_t i = 0; i < d->npend; i++)
        if (d->pend[i].var != var)
            d->pend[n++] = d->pend[i];
    d->npend = n;
    n = 0;
    for (uint8_t i = 0; i < d->nvals; i++)
        if (!within(d->vals[i].var, var))
            d->vals[n++] = d->vals[i];
    d->nvals = n;
}

void ll_ps_forget_slot(struct ll_ps_disj *d, uint32_t slot)
{
    uint8_t n = 0;
    for (uint8_t i = 0; i < d->npend; i++)
        if (d->pend[i].slot != slot)
            d->pend[n++] = d->pend[i];
    d->npend = n;
}

void ll_ps_pend(struct ll_ps_disj *d, uint32_t e, const char *var, uint32_t slot, uint8_t success,
                uint8_t succ, uint8_t fail)
{
    if (d->npend == LL_PS_MAX_PEND) { /* forget the oldest */
        memmove(&d->pend[0], &d->pend[1], (LL_PS_MAX_PEND - 1) * sizeof(d->pend[0]));
        d->npend--;
    }
    struct ll_ps_pend p = {e, var, slot, d->st[slot], success, succ, fail, 0, 0};
    d->pend[d->npend++] = p;
}

/* The signs of the values v with v < k. */
static uint8_t signs_below(int64_t k)
{
    if (k <= 0)
        return LL_PS_NEG;
    return (uint8_t)(LL_PS_NEG | LL_PS_ZERO | (k > 1 ? LL_PS_POS : 0));
}

/* The signs of the values v with v >= k. */
static uint8_t signs_from(int64_t k)
{
    if (k > 0)
        return LL_PS_POS;
    return (uint8_t)(LL_PS_ZERO | LL_PS_POS | (k < 0 ? LL_PS_NEG : 0));
}

uint8_t ll_ps_signs(uint8_t cmp, int64_t k, bool truth)
{
    uint8_t eq = k == 0 ? LL_PS_ZERO : k > 0 ? LL_PS_POS : LL_PS_NEG;
    int64_t k1 = k < INT64_MAX ? k + 1 : k;
    switch (cmp) {
    case LL_CMP_TRUTH:
        return truth ? LL_PS_NONZERO : LL_PS_ZERO;
    case LL_CMP_EQ:
        return truth ? eq : k == 0 ? LL_PS_NONZERO : LL_PS_ANY;
    case LL_CMP_NE:
        return !truth ? eq : k == 0 ? LL_PS_NONZERO : LL_PS_ANY;
    case LL_CMP_LT:
        return truth ? signs_below(k) : signs_from(k);
    case LL_CMP_LE:
        return truth ? signs_below(k1) : signs_from(k1);
    case LL_CMP_GT:
        return truth ? signs_from(k1) : signs_below(k1);
    case LL_CMP_GE:
        return truth ? signs_from(k) : signs_below(k);
    case LL_CMP_AND:
        return truth && k != 0 ? LL_PS_NONZERO : LL_PS_ANY;
    default:
        return LL_PS_ANY;
    }
}

bool ll_ps_cmp_holds(uint8_t cmp, int64_t v, int64_t k)
{
    switch (cmp) {
    case LL_CMP_TRUTH:
        return v != 0;
    case LL_CMP_EQ:
        return v == k;
    case LL_CMP_NE:
        return v != k;
    case LL_CMP_LT:
        return v < k;
    case LL_CMP_LE:
        return v <= k;
    case LL_CMP_GT:
        return v > k;
    case LL_CMP_GE:
        return v >= k;
    case LL_CMP_AND:
        return (v & k) != 0;
    default:
        return false;
    }
}

/* Whether a branch edge on the result of a pending operation means its
 * success: the signs the edge allows, among those the result can have,
 * are all success or all failure signs; else the edge's zero outcome
 * decides (`if (rc)` of a trylock). */
static bool pend_success(const struct ll_cond *c, const struct ll_ps_pend *p, bool truth)
{
    uint8_t can = ll_ps_signs(c->cmp, c->cmp_k, truth) & (p->succ | p->fail);
    if (can && !(can & ~p->succ))
        return true;
    if (can && !(can & ~p->fail))
        return false;
    bool zero = truth == (c->true_when_zero != 0);
    return (p->succ & (zero ? LL_PS_ZERO : LL_PS_NONZERO)) != 0 &&
           !(p->fail & (zero ? LL_PS_ZERO : LL_PS_NONZERO) & ~p->succ);
}

void ll_ps_set_checked(const struct ll_pathset *ps, struct ll_ps_disj *d, uint32_t e, uint32_t slot,
                       uint8_t value)
{
    const struct ll_event *ev = &ps->fn->events[e];
    ll_ps_forget_slot(d, slot);
    bool ok_nonzero = ev->kind == LL_EV_ACQUIRE && (ev->flags & LL_EVF_OK_NONZERO);
    if ((ev->flags & LL_EVF_CHECKED) || ev->result_var)
        ll_ps_pend(d, e, ev->result_var, slot, value, ok_nonzero ? LL_PS_NONZERO : LL_PS_ZERO,
                   ok_nonzero ? LL_PS_ZERO : LL_PS_NONZERO);
    d->st[slot] = value;
}

void ll_ps_sure(struct ll_ps_disj *d, uint32_t e)
{
    for (uint8_t i = 0; i < d->npend; i++)
        if (d->pend[i].event == e)
            d->pend[i].sure = 1;
}

void ll_ps_end_path(struct ll_ps_disj *d)
{
    d->ended = 1;
}

/* ---- the iteration ------------------------------------------------- */

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(const char *const *)a, y = (uintptr_t)*(const char *const *)b;
    return x < y ? -1 : x > y;
}

/* Whether a branch of the function tests local `var` against a constant. */
static bool is_tested(const struct ll_pathset *ps, const char *var)
{
    return ps->ntested &&
           bsearch(&var, ps->tested, ps->ntested, sizeof(*ps->tested), cmp_ptr) != NULL;
}

/* The local handle a thread creation fills (`pthread_create(&t, ...)`),
 * or NULL. */
static const char *created_handle(const struct ll_event *ev)
{
    const struct ll_path *p = &ev->obj;
    if (ev->kind != LL_EV_THREAD_CREATE || !p->key ||
        (p->root != LL_ROOT_LOCAL && p->root != LL_ROOT_PARAM) || (p->flags & LL_PATH_DEREF))
        return NULL;
    return p->key;
}

/* A thread creation succeeded on this path: its handle is not 0 (glibc's
 * pthread_t is the thread's descriptor), so `if (t) pthread_join(t, ...)`
 * after `pthread_t t = 0;` joins it.  A failed one leaves the handle as
 * it was. */
static void created(const struct ll_pathset *ps, struct ll_ps_disj *d, const struct ll_event *ev)
{
    const char *h = created_handle(ev);
    if (h && is_tested(ps, h))
        set_val(d, h, LL_PS_NONZERO, false, 0);
}

/* The local a branch on event e's result also tests: the one the result
 * is stored in (`if ((z = lookup(k)))`), or NULL. */
static const char *event_var(const struct ll_function *fn, uint32_t e)
{
    if (e >= fn->nevents)
        return NULL;
    const struct ll_event *ev = &fn->events[e];
    if (!ev->result_var || ev->kind == LL_EV_RETURN ||
        (ev->kind == LL_EV_ACCESS && (ev->flags & LL_EVF_WRITE)))
        return NULL; /* a return's value, or the constant a write stores */
    return ev->result_var;
}

/* Applies what a test of a local against a constant says of its value:
 * false when the value the path knows cannot take the edge. */
static bool branch_value(const struct ll_pathset *ps, struct ll_ps_disj *d, const struct ll_cond *c,
                         bool truth)
{
    const char *var = c->kind == LL_COND_VAR     ? c->var
                      : c->kind == LL_COND_EVENT ? event_var(ps->fn, c->event)
                                                 : NULL;
    if (!var || c->cmp == LL_CMP_NONE || !is_tested(ps, var))
        return true;
    int i = val_find(d, var);
    if (i >= 0 && d->vals[i].exact)
        return ll_ps_cmp_holds(c->cmp, d->vals[i].v, c->cmp_k) == truth;
    uint8_t edge = ll_ps_signs(c->cmp, c->cmp_k, truth);
    uint8_t known = i >= 0 ? d->vals[i].signs : LL_PS_ANY;
    if (!(edge & known))
        return false;
    if ((edge & known) != LL_PS_ANY)
        set_val(d, var, edge & known, false, 0);
    return true;
}

/* Applies a two-way branch to d for edge `which` (0: true): resolves the
 * pendings the condition tests and remembers its outcome.  Returns false
 * when the edge is infeasible for this disjunct. */
static bool branch(const struct ll_pathset *ps, const struct ll_block *bb, struct ll_ps_disj *d,
                   int which)
{
    const struct ll_cond *c = &bb->cond;
    bool truth = which == 0, feasible = true;
    if (!branch_value(ps, d, c, truth))
        return false;
    if (c->kind == LL_COND_EVENT || c->kind == LL_COND_VAR) {
        for (uint8_t i = 0; i < d->npend;) {
            struct ll_ps_pend *p = &d->pend[i];
            bool match =
                c->kind == LL_COND_EVENT ? p->event == c->event : (p->var && p->var == c->var);
            if (!match) {
                i++;
                continue;
            }
            LL_ASSERT(p->slot < ps->client.nslots);
            uint8_t edge = ll_ps_signs(c->cmp, c->cmp_k, truth);
            if (p->known) {
                /* decided before (`if ((h = try(k)) == NULL) continue;`):
                 * a test of the variable that contradicts it is not taken */
                if (c->kind == LL_COND_VAR && !(edge & p->known))
                    feasible = false;
                i++;
                continue;
            }
            bool success = pend_success(c, p, truth);
            d->st[p->slot] = success ? p->success : p->prior;
            if (success)
                created(ps, d, &ps->fn->events[p->event]);
            if (!success && p->sure)
                feasible = false;
            uint8_t now = success ? p->succ : p->fail;
            if (p->var && (now & edge)) {
                p->known = now & edge;     /* what `var` is on this path, until written */
                p->prior = p->success = 0; /* no longer read: paths that agree join */
                i++;
            } else {
                *p = d->pend[--d->npend];
            }
        }
    }
    if (!feasible)
        return false;
    /* a branch on a pure call is remembered as its call condition */
    const struct ll_cond *t = c->text         ? c
                              : ps->call_cond ? ps->call_cond[bb - ps->fn->blocks]
                                              : NULL;
    if (t && t->text) {
        int i = fact_find(d, t);
        if (i >= 0)
            return d->facts[i].value == truth;
        add_fact(d, t, truth);
    }
    return true;
}

/* Forgets the outcomes of calls (ll_pathset_set_calls()): a call with
 * unknown effects may change what they read. */
static void forget_calls(struct ll_ps_disj *d)
{
    uint8_t n = 0;
    for (uint8_t i = 0; i < d->nfacts; i++)
        if (d->facts[i].cond->kind != LL_COND_EVENT)
            d->facts[n++] = d->facts[i];
    d->nfacts = n;
}

static bool was_sent(const struct ll_ps_set *s, const struct ll_ps_disj *d)
{
    for (uint32_t i = 0; i < s->nsent; i++)
        if (s->sent[i] == d)
            return true;
    return false;
}

/* The local or parameter itself (not what it points to) that access ev
 * writes, or NULL. */
static const char *written_var(const struct ll_event *ev)
{
    const struct ll_path *p = &ev->obj;
    if (ev->kind != LL_EV_ACCESS || !(ev->flags & LL_EVF_WRITE) || !p->key ||
        (p->root != LL_ROOT_LOCAL && p->root != LL_ROOT_PARAM) ||
        (p->flags & (LL_PATH_DEREF | LL_PATH_ADDR)))
        return NULL;
    return p->key;
}

/* The constant a write of a local stores (its result_var, a decimal). */
static bool written_constant(const struct ll_event *ev, int64_t *k)
{
    const char *s = ev->result_var;
    if (!s || !*s)
        return false;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (*end != '\0')
        return false;
    *k = v;
    return true;
}

/* Forgets what d knew of the locals whose address event ev hands to a
 * call (`find(&z)`): the callee may set them. */
static void forget_addressed(struct ll_ps_disj *d, const struct ll_event *ev)
{
    if (ev->kind != LL_EV_CALL && ev->kind != LL_EV_THREAD_CREATE)
        return;
    for (uint32_t k = 0; k < ev->nargs; k++) {
        const struct ll_path *a = &ev->args[k];
        if ((a->root == LL_ROOT_LOCAL || a->root == LL_ROOT_PARAM) && a->key &&
            (a->flags & LL_PATH_ADDR) && !(a->flags & LL_PATH_DEREF))
            ll_ps_forget_var(d, a->key);
    }
}

/* Finds the locals the function's branches test against a constant.
 * False when memory ran out. */
static bool find_tested(struct ll_pathset *ps)
{
    const struct ll_function *fn = ps->fn;
    ps->ntested = 0;
    ps->tested = ll_arena_alloc_raw(ps->tmp, ((size_t)fn->nblocks + 1) * sizeof(*ps->tested));
    if (!ps->tested)
        return false;
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        const struct ll_cond *c = &fn->blocks[b].cond;
        if (c->kind == LL_COND_VAR && c->var && c->cmp != LL_CMP_NONE)
            ps->tested[ps->ntested++] = c->var;
    }
    qsort(ps->tested, ps->ntested, sizeof(*ps->tested), cmp_ptr);
    return true;
}

/* Applies event e: what the path knew of the locals it writes goes (its
 * result variable: a return's is the value returned, not a write; a
 * local written; a local whose address a call gets), then the client's
 * transfer; a local written with a constant holds it after. */
static void step(struct ll_pathset *ps, struct ll_ps_disj *d, uint32_t e)
{
    const struct ll_event *ev = &ps->fn->events[e];
    const char *written = written_var(ev);
    int64_t k = 0;
    if (ev->result_var && ev->kind != LL_EV_RETURN)
        ll_ps_forget_var(d, ev->result_var);
    if (written)
        ll_ps_forget_var(d, written);
    forget_addressed(d, ev);
    if (ps->opaque && ps->opaque[e])
        forget_calls(d);
    if (created_handle(ev) && !(ev->flags & LL_EVF_CHECKED) && !ev->result_var)
        created(ps, d, ev); /* unchecked: taken to succeed */
    ps->client.transfer(ps, d, e, ps->client.ctx);
    if (written && written_constant(ev, &k) && is_tested(ps, written))
        set_val(d, written, ll_ps_signs(LL_CMP_EQ, k, true), true, k);
}

/* Applies b's events to d; false when the path ended in the block. */
static bool apply_block(struct ll_pathset *ps, const struct ll_block *bb, struct ll_ps_disj *d)
{
    for (uint32_t e = 0; e < bb->nevents && !d->ended; e++)
        step(ps, d, bb->first_event + e);
    return !d->ended;
}

/*
 * Pushes the disjuncts at b's entry through b to its successors.  Those
 * pushed on an earlier visit are skipped: they give what they gave then,
 * which the successors' sets still subsume (see struct ll_ps_set), so
 * adding it again would change nothing.
 */
static void propagate(struct ll_pathset *ps, uint32_t b, uint32_t *work, uint32_t *nwork,
                      uint8_t *queued)
{
    const struct ll_block *bb = &ps->fn->blocks[b];
    struct ll_ps_set in = ps->in[b]; /* b may be its own successor: a snapshot */
    bool two_way = bb->nsucc == 2 && bb->cond.kind != LL_COND_NONE;
    /* without an edge function, successors may share the disjunct */
    bool share = !two_way && !ps->client.edge;
    for (uint32_t k = 0; k < in.n && !ps->oom; k++) {
        if (was_sent(&in, in.d[k]))
            continue;
        struct ll_ps_disj *d = disj_copy(ps, in.d[k]);
        if (!d)
            return;
        if (!apply_block(ps, bb, d)) {
            disj_spare(ps, d);
            continue;
        }
        bool kept = false;
        for (uint32_t s = 0; s < bb->nsucc; s++) {
            /* the last edge gets d itself, the others a copy */
            struct ll_ps_disj *o = share || s + 1 == bb->nsucc ? d : disj_copy(ps, d);
            if (!o)
                continue;
            uint32_t t = bb->succ[s];
            if (two_way && !branch(ps, bb, o, (int)s)) {
                if (o != d)
                    disj_spare(ps, o);
                continue;
            }
            if (ps->client.edge)
                ps->client.edge(ps, o, b, t, ps->client.ctx);
            enum added a = set_add(ps, &ps->in[t], o);
            if (a == ADD_STORED && o == d)
                kept = true;
            else if (a != ADD_STORED && o != d)
                disj_spare(ps, o);
            if (a != ADD_NONE && !queued[t]) {
                queued[t] = 1;
                work[(*nwork)++] = t;
            }
        }
        if (!kept)
            disj_spare(ps, d);
    }
    /* everything of the snapshot is sent now; what came since is not */
    struct ll_ps_set *now = &ps->in[b];
    uint32_t n = 0;
    for (uint32_t i = 0; i < now->n; i++)
        for (uint32_t k = 0; k < in.n; k++)
            if (now->d[i] == in.d[k]) {
                now->sent[n++] = now->d[i];
                break;
            }
    now->nsent = n;
}

int ll_pathset_run(struct ll_pathset *ps, const uint8_t *entry)
{
    return ll_pathset_run_facts(ps, entry, NULL, 0);
}

int ll_pathset_run_facts(struct ll_pathset *ps, const uint8_t *entry,
                         const struct ll_ps_fact *facts, uint8_t nfacts)
{
    const struct ll_function *fn = ps->fn;
    uint32_t n = fn->nblocks;
    if (n == 0)
        return 0;
    uint32_t *work = ll_arena_alloc(ps->tmp, (size_t)(n + 1) * sizeof(*work));
    uint8_t *queued = ll_arena_alloc(ps->tmp, n + 1);
    ps->in = ll_arena_alloc(ps->tmp, (size_t)(n + 1) * sizeof(*ps->in));
    struct ll_ps_disj *init = ll_arena_alloc(ps->tmp, disj_size(ps));
    uint32_t maxsucc = 0;
    for (uint32_t b = 0; b < n; b++)
        if (fn->blocks[b].nsucc > maxsucc)
            maxsucc = fn->blocks[b].nsucc;
    /* propagate appends here, then the blocks go to the queue */
    uint32_t *next = ll_arena_alloc_raw(ps->tmp, ((size_t)maxsucc + 1) * sizeof(uint32_t));
    if (!work || !queued || !ps->in || !init || !next || !find_tested(ps)) {
        ps->oom = true;
        return -1;
    }
    memcpy(init->st, entry, ps->client.nslots);
    for (uint8_t i = 0; i < nfacts; i++)
        add_fact(init, facts[i].cond, facts[i].value != 0);
    ps->in[0].d[0] = init;
    ps->in[0].n = 1;
    /* A circular queue of blocks; each block is queued at most once. */
    uint32_t head = 0, count = 1;
    work[0] = 0;
    queued[0] = 1;
    size_t budget = (size_t)n * 64 + 1024;
    while (count && budget-- && !ps->oom) {
        uint32_t b = work[head];
        LL_ASSERT(b < n && queued[b]);
        head = (head + 1) % n;
        count--;
        queued[b] = 0;
        uint32_t nnext = 0;
        propagate(ps, b, next, &nnext, queued);
        LL_ASSERT(count + nnext <= n);
        for (uint32_t i = 0; i < nnext; i++)
            work[(head + count + i) % n] = next[i];
        count += nnext;
    }
    return ps->oom ? -1 : 0;
}

int ll_pathset_record(struct ll_pathset *ps, uint8_t *state, uint8_t *reached, uint8_t *block_out)
{
    const struct ll_function *fn = ps->fn;
    uint32_t ns = ps->client.nslots;
    for (uint32_t b = 0; b < fn->nblocks && ps->in && !ps->oom; b++) {
        const struct ll_block *bb = &fn->blocks[b];
        for (uint32_t k = 0; k < ps->in[b].n; k++) {
            struct ll_ps_disj *d = disj_copy(ps, ps->in[b].d[k]);
            if (!d)
                return -1;
            for (uint32_t i = 0; i < bb->nevents; i++) {
                uint32_t e = bb->first_event + i;
                reached[e] = 1;
                for (uint32_t l = 0; l < ns; l++)
                    state[(size_t)e * ns + l] |= d->st[l];
                step(ps, d, e);
                if (d->ended)
                    break;
            }
            for (uint32_t l = 0; block_out && l < ns && !d->ended; l++)
                block_out[(size_t)b * ns + l] |= d->st[l];
            disj_spare(ps, d);
        }
    }
    return ps->oom ? -1 : 0;
}

int ll_pathset_each_at(struct ll_pathset *ps, uint32_t e,
                       void (*fn)(const struct ll_ps_disj *d, void *ctx), void *ctx)
{
    const struct ll_function *fn_ir = ps->fn;
    for (uint32_t b = 0; b < fn_ir->nblocks && ps->in && !ps->oom; b++) {
        const struct ll_block *bb = &fn_ir->blocks[b];
        if (e < bb->first_event || e >= bb->first_event + bb->nevents)
            continue;
        for (uint32_t k = 0; k < ps->in[b].n; k++) {
            struct ll_ps_disj *d = disj_copy(ps, ps->in[b].d[k]);
            if (!d)
                return -1;
            for (uint32_t i = bb->first_event; i < e; i++)
                step(ps, d, i);
            fn(d, ctx);
            disj_spare(ps, d);
        }
        break;
    }
    return ps->oom ? -1 : 0;
}
