/*
 * dataflow: lock state per program point, by a worklist iteration over the
 * CFG with a bounded set of disjuncts per block entry (see dataflow.h).
 *
 * Termination: a block's entry set only grows (a new disjunct is added
 * unless an existing one subsumes it; past LL_DF_MAX_DISJUNCTS the set is
 * joined into one), over a finite domain.  A visit budget guards against
 * pathological inputs anyway.
 */
#include "dataflow.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PEND 8
#define MAX_FACTS 16

/* A lock or trylock whose result a later branch may test. */
struct pend {
    uint32_t event;
    const char *var; /* local that holds the result, or NULL */
    uint32_t lock;
    uint8_t prior, success;
    uint8_t invert; /* success is a nonzero result (a wrapper returning true) */
};

/* The remembered outcome of a branch condition. */
struct fact {
    const struct ll_cond *cond;
    uint8_t value;
};

struct disj {
    uint8_t npend, nfacts;
    struct pend pend[MAX_PEND];
    struct fact facts[MAX_FACTS];
    uint8_t st[]; /* per lock */
};

/* A set of disjuncts.  A disjunct in a set is never changed nor reused:
 * sets change only by adding one, or by replacing some with a join of
 * them, which subsumes them.  So what a block's disjunct yields at its
 * successors stays subsumed there once added, and `sent` remembers which
 * disjuncts were propagated already (see propagate). */
struct dset {
    struct disj *d[LL_DF_MAX_DISJUNCTS];
    uint32_t n;
    struct disj *sent[LL_DF_MAX_DISJUNCTS]; /* some may have left d since */
    uint32_t nsent;
};

struct run {
    const struct ll_function *fn;
    const struct ll_df_env *env;
    struct ll_arena *tmp; /* env->scratch, or own_tmp */
    struct ll_arena own_tmp;
    uint32_t nlocks;
    int32_t *ev_lock, *ev_aux;    /* per event: lock index of obj / aux, or -1 */
    const struct ll_effect **eff; /* per event: a call's effects */
    size_t *neff;
    int32_t **eff_idx;        /* per event: lock index of each effect */
    const char ***index_vars; /* per lock: NULL-terminated variables in its indices */
    struct dset *in;          /* per block */
    const bool *caller_held;  /* per lock: start HELD (see find_caller_held) */
    struct disj **spare;      /* disjuncts no set kept, for reuse */
    size_t nspare, capspare;
    bool oom;
};

int ll_df_lock_index(const struct ll_df_result *r, const char *key)
{
    for (uint32_t i = 0; key && i < r->nlocks; i++)
        if (r->locks[i].key == key || strcmp(r->locks[i].key, key) == 0)
            return (int)i;
    return -1;
}

static bool is_lock_event(const struct ll_event *e)
{
    return e->kind == LL_EV_ACQUIRE || e->kind == LL_EV_TRYACQUIRE || e->kind == LL_EV_RELEASE ||
           e->kind == LL_EV_LOCK_INIT;
}

static int add_lock(struct ll_df_result *r, struct ll_arena *a, const struct ll_path *p,
                    uint8_t kind, uint32_t *cap)
{
    if (!p->key || p->root == LL_ROOT_NONE)
        return -1;
    int i = ll_df_lock_index(r, p->key);
    if (i >= 0)
        return i;
    if (r->nlocks == *cap) {
        uint32_t ncap = *cap ? *cap * 2 : 8;
        struct ll_df_lock *v = ll_arena_alloc(a, ncap * sizeof(*v));
        if (!v)
            return -2;
        if (r->nlocks)
            memcpy(v, r->locks, r->nlocks * sizeof(*v));
        r->locks = v;
        *cap = ncap;
    }
    struct ll_df_lock *l = &r->locks[r->nlocks];
    memset(l, 0, sizeof(*l));
    l->key = p->key;
    l->text = p->text;
    l->cls = p->cls;
    l->kind = kind;
    l->path = p;
    return (int)r->nlocks++;
}

/* Collects the function's locks and maps events to them. */
static int collect_locks(struct run *ru, struct ll_df_result *r, struct ll_arena *a)
{
    const struct ll_function *fn = ru->fn;
    uint32_t cap = 0;
    ru->ev_lock = ll_arena_alloc(ru->tmp, (fn->nevents + 1) * sizeof(int32_t));
    ru->ev_aux = ll_arena_alloc(ru->tmp, (fn->nevents + 1) * sizeof(int32_t));
    ru->eff = ll_arena_alloc(ru->tmp, (fn->nevents + 1) * sizeof(*ru->eff));
    ru->neff = ll_arena_alloc(ru->tmp, (fn->nevents + 1) * sizeof(*ru->neff));
    ru->eff_idx = ll_arena_alloc(ru->tmp, (fn->nevents + 1) * sizeof(*ru->eff_idx));
    if (!ru->ev_lock || !ru->ev_aux || !ru->eff || !ru->neff || !ru->eff_idx)
        return -1;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        ru->ev_lock[e] = ru->ev_aux[e] = -1;
        if (is_lock_event(ev)) {
            int i = add_lock(r, a, &ev->obj, ev->lock_kind, &cap);
            if (i == -2)
                return -1;
            ru->ev_lock[e] = i;
            if (i >= 0 && ev->kind == LL_EV_LOCK_INIT && ev->lock_kind == LL_LK_RECURSIVE)
                r->locks[i].recursive = true;
        } else if (ev->kind == LL_EV_COND_WAIT) {
            int i = add_lock(r, a, &ev->aux, ev->lock_kind, &cap);
            if (i == -2)
                return -1;
            ru->ev_aux[e] = i;
        } else if (ev->kind == LL_EV_CALL && ru->env->call_effects) {
            size_t n = 0;
            const struct ll_effect *eff = ru->env->call_effects(e, &n, ru->env->ctx);
            if (!eff || n == 0)
                continue;
            int32_t *idx = ll_arena_alloc(ru->tmp, n * sizeof(*idx));
            if (!idx)
                return -1;
            for (size_t k = 0; k < n; k++) {
                idx[k] = add_lock(r, a, &eff[k].lock, LL_LK_OTHER, &cap);
                if (idx[k] == -2)
                    return -1;
            }
            ru->eff[e] = eff;
            ru->neff[e] = n;
            ru->eff_idx[e] = idx;
        }
    }
    return 0;
}

/* The identifiers inside the brackets of each lock's key. */
static int collect_index_vars(struct run *ru, const struct ll_df_result *r)
{
    ru->index_vars = ll_arena_alloc(ru->tmp, (r->nlocks + 1) * sizeof(*ru->index_vars));
    if (!ru->index_vars)
        return -1;
    for (uint32_t l = 0; l < r->nlocks; l++) {
        const char *k = r->locks[l].key;
        size_t n = 0, depth = 0;
        const char *found[8];
        for (const char *p = k; p && *p && n < 8; p++) {
            if (*p == '[')
                depth++;
            else if (*p == ']' && depth)
                depth--;
            else if (depth && (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) &&
                     (p == k ||
                      !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
                        (p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= '0' && p[-1] <= '9'))))
                found[n++] = p;
        }
        const char **vs = ll_arena_alloc(ru->tmp, (n + 1) * sizeof(*vs));
        if (!vs)
            return -1;
        for (size_t i = 0; i < n; i++) {
            size_t len = 0;
            while (found[i][len] == '_' || (found[i][len] >= 'a' && found[i][len] <= 'z') ||
                   (found[i][len] >= 'A' && found[i][len] <= 'Z') ||
                   (found[i][len] >= '0' && found[i][len] <= '9'))
                len++;
            vs[i] = ll_arena_strndup(ru->tmp, found[i], len);
            if (!vs[i])
                return -1;
        }
        ru->index_vars[l] = vs;
    }
    return 0;
}

/* ---- disjuncts ----------------------------------------------------- */

static size_t disj_size(const struct run *ru)
{
    return sizeof(struct disj) + ru->nlocks;
}

static struct disj *disj_copy(struct run *ru, const struct disj *d)
{
    /* reuse a disjunct no set kept before taking fresh memory */
    struct disj *c =
        ru->nspare ? ru->spare[--ru->nspare] : ll_arena_alloc_raw(ru->tmp, disj_size(ru));
    if (!c) {
        ru->oom = true;
        return NULL;
    }
    /* only what is in use: pendings and facts past the counts are never read */
    c->npend = d->npend;
    c->nfacts = d->nfacts;
    memcpy(c->pend, d->pend, d->npend * sizeof(d->pend[0]));
    memcpy(c->facts, d->facts, d->nfacts * sizeof(d->facts[0]));
    memcpy(c->st, d->st, ru->nlocks);
    return c;
}

/* Gives back a disjunct that no set holds. */
static void disj_spare(struct run *ru, struct disj *d)
{
    if (ru->nspare == ru->capspare) {
        size_t cap = ru->capspare ? ru->capspare * 2 : 64;
        struct disj **v = ll_arena_alloc_raw(ru->tmp, cap * sizeof(*v));
        if (!v)
            return; /* not reused: only memory */
        if (ru->nspare)
            memcpy(v, ru->spare, ru->nspare * sizeof(*v));
        ru->spare = v;
        ru->capspare = cap;
    }
    ru->spare[ru->nspare++] = d;
}

/* Variables and condition texts are strings of fn's TU, which are
 * interned (ir.h): they are compared by pointer. */
static bool pend_eq(const struct pend *a, const struct pend *b)
{
    return a->event == b->event && a->lock == b->lock && a->prior == b->prior &&
           a->success == b->success && a->var == b->var;
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
        if (d->facts[i].cond->text == c->text)
            return i;
    return -1;
}

static bool has_fact(const struct disj *d, const struct fact *f)
{
    int i = fact_find(d, f->cond);
    return i >= 0 && d->facts[i].value == f->value;
}

/* a ⊑ b: every path of a is described by b. */
static bool subsumed(const struct run *ru, const struct disj *a, const struct disj *b)
{
    for (uint32_t l = 0; l < ru->nlocks; l++)
        if ((a->st[l] | b->st[l]) != b->st[l])
            return false;
    for (uint8_t i = 0; i < b->nfacts; i++)
        if (!has_fact(a, &b->facts[i]))
            return false;
    for (uint8_t i = 0; i < b->npend; i++)
        if (!has_pend(a, &b->pend[i]))
            return false;
    return true;
}

/* Joins b into a: union of lock states, common facts and pendings. */
static void join_into(const struct run *ru, struct disj *a, const struct disj *b)
{
    for (uint32_t l = 0; l < ru->nlocks; l++)
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
}

/* Merges disjuncts that agree on every lock (keeping their common facts):
 * what is lost is only path knowledge that does not change a lock state.
 * Returns false when memory ran out. */
static bool compact_same_locks(struct run *ru, struct dset *s)
{
    for (uint32_t i = 0; i < s->n; i++)
        for (uint32_t j = i + 1; j < s->n;) {
            if (memcmp(s->d[i]->st, s->d[j]->st, ru->nlocks) != 0) {
                j++;
                continue;
            }
            struct disj *m = disj_copy(ru, s->d[i]);
            if (!m)
                return false;
            join_into(ru, m, s->d[j]);
            s->d[i] = m;
            s->d[j] = s->d[--s->n];
        }
    return true;
}

enum added { ADD_NONE, ADD_STORED, ADD_MERGED };

/* Adds d to the set: ADD_NONE when an existing disjunct already covers it,
 * ADD_STORED when d itself is now in the set, ADD_MERGED when the set
 * changed by joining (d is not kept). */
static enum added dset_add(struct run *ru, struct dset *s, struct disj *d)
{
    for (uint32_t i = 0; i < s->n; i++)
        if (subsumed(ru, d, s->d[i]))
            return ADD_NONE;
    if (s->n == LL_DF_MAX_DISJUNCTS && !compact_same_locks(ru, s))
        return ADD_NONE;
    if (s->n < LL_DF_MAX_DISJUNCTS) {
        s->d[s->n++] = d;
        return ADD_STORED;
    }
    struct disj *j = disj_copy(ru, s->d[0]);
    if (!j)
        return ADD_NONE;
    for (uint32_t i = 1; i < s->n; i++)
        join_into(ru, j, s->d[i]);
    join_into(ru, j, d);
    s->d[0] = j;
    s->n = 1;
    return ADD_MERGED;
}

/* ---- transfer ------------------------------------------------------ */

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

static void forget_var(struct disj *d, const char *var)
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
}

static void forget_lock_pend(struct disj *d, uint32_t lock)
{
    uint8_t n = 0;
    for (uint8_t i = 0; i < d->npend; i++)
        if (d->pend[i].lock != lock)
            d->pend[n++] = d->pend[i];
    d->npend = n;
}

static void add_pend(struct disj *d, uint32_t event, const char *var, uint32_t lock, uint8_t prior,
                     uint8_t success, uint8_t invert)
{
    if (d->npend == MAX_PEND) { /* forget the oldest */
        memmove(&d->pend[0], &d->pend[1], (MAX_PEND - 1) * sizeof(d->pend[0]));
        d->npend--;
    }
    struct pend p = {event, var, lock, prior, success, invert};
    d->pend[d->npend++] = p;
}

/* A call's instantiated callee effects: like the lock events they stand for. */
static void apply_effects(const struct run *ru, struct disj *d, uint32_t e)
{
    const struct ll_event *ev = &ru->fn->events[e];
    for (size_t k = 0; k < ru->neff[e]; k++) {
        const struct ll_effect *x = &ru->eff[e][k];
        int32_t l = ru->eff_idx[e][k];
        if (l < 0)
            continue;
        uint8_t held = (uint8_t)(LL_LS_HELD | (x->mode == LL_MODE_SHARED ? LL_LS_SHARED : 0));
        if (x->op == LL_EFF_RECURSIVE)
            continue;
        forget_lock_pend(d, (uint32_t)l);
        switch (x->op) {
        case LL_EFF_ACQUIRE:
            if ((ev->flags & LL_EVF_CHECKED) || ev->result_var)
                add_pend(d, e, ev->result_var, (uint32_t)l, d->st[l], held, 0);
            d->st[l] = held;
            break;
        case LL_EFF_RELEASE:
            d->st[l] = LL_LS_FREE;
            break;
        case LL_EFF_COND_ACQUIRE:
            add_pend(d, e, ev->result_var, (uint32_t)l, d->st[l], held, !x->success_zero);
            break;
        default: /* LL_EFF_RECURSIVE changes no state */
            break;
        }
    }
}

/* `forks[i]` after `i++` is another object: what was known of it is
 * forgotten (a loop over lock arrays takes each element once). */
static void rebind_indexed(const struct run *ru, struct disj *d, const char *var)
{
    for (uint32_t l = 0; l < ru->nlocks; l++) {
        const char **vs = ru->index_vars ? ru->index_vars[l] : NULL;
        for (; vs && *vs; vs++)
            if (strcmp(*vs, var) == 0) {
                forget_lock_pend(d, l);
                d->st[l] = ru->caller_held && ru->caller_held[l] ? LL_LS_HELD
                           : ru->env->entry_free                 ? LL_LS_NEVER
                                                                 : LL_LS_ENTRY;
                break;
            }
    }
}

/* After `flag = K`, a later `if (flag)` is known: remember it as the
 * outcome of a condition spelled like the variable. */
static void learn_value(const struct run *ru, struct disj *d, const char *var, const char *value)
{
    const struct ll_function *fn = ru->fn;
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        const struct ll_cond *c = &fn->blocks[b].cond;
        if (c->text != var)
            continue;
        if (d->nfacts == MAX_FACTS) {
            memmove(&d->facts[0], &d->facts[1], (MAX_FACTS - 1) * sizeof(d->facts[0]));
            d->nfacts--;
        }
        d->facts[d->nfacts].cond = c;
        d->facts[d->nfacts].value = strcmp(value, "0") != 0;
        d->nfacts++;
        return;
    }
}

static void transfer(const struct run *ru, struct disj *d, uint32_t e)
{
    const struct ll_event *ev = &ru->fn->events[e];
    if (ev->result_var && ev->kind != LL_EV_RETURN)
        forget_var(d, ev->result_var);
    int l = ru->ev_lock[e];
    uint8_t held = (uint8_t)(LL_LS_HELD | (ev->mode == LL_MODE_SHARED ? LL_LS_SHARED : 0));
    switch (ev->kind) {
    case LL_EV_ACQUIRE:
        if (l < 0)
            break;
        forget_lock_pend(d, (uint32_t)l);
        if (ev->flags & LL_EVF_CHECKED || ev->result_var)
            add_pend(d, e, ev->result_var, (uint32_t)l, d->st[l], held, 0);
        d->st[l] = held;
        break;
    case LL_EV_TRYACQUIRE:
        if (l < 0)
            break;
        forget_lock_pend(d, (uint32_t)l);
        add_pend(d, e, ev->result_var, (uint32_t)l, d->st[l], held, 0);
        break;
    case LL_EV_RELEASE:
        if (l < 0)
            break;
        forget_lock_pend(d, (uint32_t)l);
        d->st[l] = LL_LS_FREE;
        break;
    case LL_EV_ACCESS:
        if ((ev->flags & LL_EVF_WRITE) && ev->obj.key) {
            forget_var(d, ev->obj.key);
            if (ev->obj.root == LL_ROOT_LOCAL && ev->result_var)
                learn_value(ru, d, ev->obj.key, ev->result_var);
            if ((ev->obj.root == LL_ROOT_LOCAL || ev->obj.root == LL_ROOT_PARAM) &&
                !(ev->obj.flags & LL_PATH_DEREF))
                rebind_indexed(ru, d, ev->obj.key);
        }
        break;
    case LL_EV_CALL:
        apply_effects(ru, d, e);
        if (ru->env->call_may_lock && ru->env->call_may_lock(ev, ru->env->ctx))
            for (uint32_t k = 0; k < ru->nlocks; k++)
                if (d->st[k] & (LL_LS_FREE | LL_LS_NEVER))
                    d->st[k] = (uint8_t)((d->st[k] & ~(LL_LS_FREE | LL_LS_NEVER)) | LL_LS_ENTRY);
        break;
    default:
        break;
    }
}

/* Applies a two-way branch to a copy of d for edge `which` (0: true). Returns
 * false when the edge is infeasible for this disjunct. */
static bool branch(const struct ll_block *bb, struct disj *d, int which)
{
    const struct ll_cond *c = &bb->cond;
    bool truth = which == 0;
    if (c->kind == LL_COND_EVENT || c->kind == LL_COND_VAR) {
        for (uint8_t i = 0; i < d->npend;) {
            struct pend *p = &d->pend[i];
            bool match =
                c->kind == LL_COND_EVENT ? p->event == c->event : (p->var && p->var == c->var);
            if (!match) {
                i++;
                continue;
            }
            bool success = (truth == (c->true_when_zero != 0)) != (p->invert != 0);
            d->st[p->lock] = success ? p->success : p->prior;
            *p = d->pend[--d->npend];
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

/* ---- the iteration ------------------------------------------------- */

static bool was_sent(const struct dset *s, const struct disj *d)
{
    for (uint32_t i = 0; i < s->nsent; i++)
        if (s->sent[i] == d)
            return true;
    return false;
}

/*
 * Pushes the disjuncts at b's entry through b to its successors.  Those
 * pushed on an earlier visit are skipped: they give what they gave then,
 * which the successors' sets still subsume (see struct dset), so adding it
 * again would change nothing.
 */
static void propagate(struct run *ru, uint32_t b, uint32_t *work, uint32_t *nwork, uint8_t *queued)
{
    const struct ll_block *bb = &ru->fn->blocks[b];
    struct dset in = ru->in[b]; /* b may be its own successor: a snapshot */
    for (uint32_t k = 0; k < in.n && !ru->oom; k++) {
        if (was_sent(&in, in.d[k]))
            continue;
        struct disj *d = disj_copy(ru, in.d[k]);
        if (!d)
            return;
        for (uint32_t e = 0; e < bb->nevents; e++)
            transfer(ru, d, bb->first_event + e);
        bool two_way = bb->nsucc == 2 && bb->cond.kind != LL_COND_NONE;
        bool kept = false;
        for (uint32_t s = 0; s < bb->nsucc; s++) {
            struct disj *o = d;
            if (two_way) {
                /* the true edge gets a copy, the false edge d itself */
                o = s == 0 ? disj_copy(ru, d) : d;
                if (!o)
                    continue;
                if (!branch(bb, o, (int)s)) {
                    if (o != d)
                        disj_spare(ru, o);
                    continue;
                }
            }
            uint32_t t = bb->succ[s];
            enum added a = dset_add(ru, &ru->in[t], o);
            if (a == ADD_STORED && o == d)
                kept = true;
            else if (a != ADD_STORED && o != d)
                disj_spare(ru, o);
            if (a != ADD_NONE && !queued[t]) {
                queued[t] = 1;
                work[(*nwork)++] = t;
            }
        }
        if (!kept)
            disj_spare(ru, d);
    }
    /* everything of the snapshot is sent now; what came since is not */
    struct dset *now = &ru->in[b];
    uint32_t n = 0;
    for (uint32_t i = 0; i < now->n; i++)
        for (uint32_t k = 0; k < in.n; k++)
            if (now->d[i] == in.d[k]) {
                now->sent[n++] = now->d[i];
                break;
            }
    now->nsent = n;
}

static void record(struct run *ru, struct ll_df_result *r)
{
    const struct ll_function *fn = ru->fn;
    for (uint32_t b = 0; b < fn->nblocks && !ru->oom; b++) {
        const struct ll_block *bb = &fn->blocks[b];
        for (uint32_t k = 0; k < ru->in[b].n; k++) {
            struct disj *d = disj_copy(ru, ru->in[b].d[k]);
            if (!d)
                return;
            for (uint32_t i = 0; i < bb->nevents; i++) {
                uint32_t e = bb->first_event + i;
                r->reached[e] = 1;
                for (uint32_t l = 0; l < ru->nlocks; l++)
                    r->state[(size_t)e * ru->nlocks + l] |= d->st[l];
                transfer(ru, d, e);
            }
            disj_spare(ru, d);
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
    uint32_t maxsucc = 0;
    for (uint32_t b = 0; b < n; b++)
        if (fn->blocks[b].nsucc > maxsucc)
            maxsucc = fn->blocks[b].nsucc;
    /* propagate appends here, then the blocks go to the queue */
    uint32_t *tmpbuf = ll_arena_alloc_raw(ru->tmp, ((size_t)maxsucc + 1) * sizeof(uint32_t));
    if (!work || !queued || !ru->in || !init || !tmpbuf)
        return -1;
    memset(init->st, ru->env->entry_free ? LL_LS_NEVER : LL_LS_ENTRY, ru->nlocks);
    for (uint32_t l = 0; l < ru->nlocks; l++)
        if (ru->caller_held && ru->caller_held[l])
            init->st[l] = LL_LS_HELD;
    ru->in[0].d[0] = init;
    ru->in[0].n = 1;
    /* A circular queue of blocks; each block is queued at most once. */
    uint32_t head = 0, count = 1;
    work[0] = 0;
    queued[0] = 1;
    size_t budget = (size_t)n * 64 + 1024;
    while (count && budget-- && !ru->oom) {
        uint32_t b = work[head];
        head = (head + 1) % n;
        count--;
        queued[b] = 0;
        uint32_t tail = (head + count) % n, added = 0;
        /* propagate appends at work[tail...]: give it a linear view */
        uint32_t tmpbuf_n = 0;
        propagate(ru, b, tmpbuf, &tmpbuf_n, queued);
        for (uint32_t i = 0; i < tmpbuf_n; i++, added++)
            work[(tail + i) % n] = tmpbuf[i];
        count += added;
    }
    return ru->oom ? -1 : 0;
}

/* Whether lock l's state before event e includes `bits`. */
static bool state_has(const struct ll_df_result *r, uint32_t e, uint32_t l, uint8_t bits)
{
    return r->reached[e] && (r->state[(size_t)e * r->nlocks + l] & bits);
}

/*
 * A lock that some path releases "as the caller left it" while no
 * acquisition ever finds it in that state is one the caller holds: the
 * function drops and re-takes it (a loop that unlocks around a slow step).
 * Marks such locks; returns how many.
 */
static uint32_t find_caller_held(const struct run *ru, struct ll_df_result *r, bool *held)
{
    uint32_t n = 0;
    for (uint32_t l = 0; l < r->nlocks; l++) {
        bool released_at_entry = false, acquired_at_entry = false;
        for (uint32_t e = 0; e < ru->fn->nevents; e++) {
            if (ru->ev_lock[e] != (int32_t)l || !r->reached[e])
                continue;
            uint8_t k = ru->fn->events[e].kind;
            uint8_t st = r->state[(size_t)e * r->nlocks + l] & (uint8_t)~LL_LS_SHARED;
            if (k == LL_EV_RELEASE && (st & LL_LS_ENTRY) && !(st & LL_LS_FREE))
                released_at_entry = true;
            if ((k == LL_EV_ACQUIRE || k == LL_EV_TRYACQUIRE) && state_has(r, e, l, LL_LS_ENTRY))
                acquired_at_entry = true;
        }
        if (released_at_entry && !acquired_at_entry) {
            held[l] = r->locks[l].caller_held = true;
            n++;
        }
    }
    return n;
}

int ll_dataflow_run(const struct ll_function *fn, const struct ll_df_env *env,
                    struct ll_arena *arena, struct ll_df_result *out)
{
    struct run ru;
    memset(&ru, 0, sizeof(ru));
    memset(out, 0, sizeof(*out));
    ru.fn = fn;
    ru.env = env;
    ll_arena_init(&ru.own_tmp);
    ru.tmp = env->scratch ? env->scratch : &ru.own_tmp;
    ll_arena_reset(ru.tmp);
    int rc = -1;
    out->nevents = fn->nevents;
    out->reached = ll_arena_alloc(arena, fn->nevents + 1);
    if (!out->reached || collect_locks(&ru, out, arena) != 0)
        goto out;
    ru.nlocks = out->nlocks;
    if (collect_index_vars(&ru, out) != 0)
        goto out;
    out->state = ll_arena_alloc(arena, (size_t)fn->nevents * ru.nlocks + 1);
    if (!out->state)
        goto out;
    if (ru.nlocks == 0) {
        /* nothing to track: every event counts as reached */
        memset(out->reached, 1, fn->nevents);
        rc = 0;
        goto out;
    }
    if (iterate(&ru) != 0)
        goto out;
    record(&ru, out);
    if (!env->entry_free) {
        bool *held = ll_arena_alloc(ru.tmp, ru.nlocks);
        if (!held)
            goto out;
        if (find_caller_held(&ru, out, held) > 0) {
            /* again, from the state the caller must have left */
            ru.caller_held = held;
            memset(out->state, 0, (size_t)fn->nevents * ru.nlocks);
            memset(out->reached, 0, fn->nevents);
            if (iterate(&ru) != 0)
                goto out;
            record(&ru, out);
        }
    }
    rc = ru.oom ? -1 : 0;
out:
    ll_arena_reset(ru.tmp);
    ll_arena_release(&ru.own_tmp);
    return rc;
}
