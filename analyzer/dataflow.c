/*
 * dataflow: lock state per program point (see dataflow.h).
 *
 * A client of the path-state engine (pathset.h): one slot per lock the
 * function names, holding LL_LS_* bits; this file maps events to locks and
 * says what each event does to them.  Paths, branches, joins and the
 * iteration are the engine's.
 */
#include "dataflow.h"

#include "pathset.h"

#include <stdlib.h>
#include <string.h>

struct run {
    const struct ll_function *fn;
    const struct ll_df_env *env;
    struct ll_arena *tmp; /* ps.tmp: env->scratch, or the engine's own */
    uint32_t nlocks;
    int32_t *ev_lock, *ev_aux;    /* per event: lock index of obj / aux, or -1 */
    const struct ll_effect **eff; /* per event: a call's effects */
    size_t *neff;
    int32_t **eff_idx;        /* per event: lock index of each effect */
    const char ***index_vars; /* per lock: NULL-terminated variables in its indices */
    const bool *caller_held;  /* per lock: start HELD (see find_caller_held) */
    int32_t **rebind;         /* per event: what a write of a pointer does to the locks
                                 reached through it (collect_rebinds) */
    int32_t **null_locks;     /* per block: locks reached through the pointer its condition
                                 compares with zero, -1-terminated, or NULL (see absent_on) */
    struct ll_pathset ps;
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

/* ---- locks that do not exist ---------------------------------------- */

/* Whether lock l is one the function's callers can name (a parameter's,
 * a global's): one reached through a local, such as the object a lookup
 * returns locked or NULL, stays "not held" where the local is NULL, so
 * that the summary can say "held when the result is not NULL". */
static bool callers_name(const struct ll_df_lock *l)
{
    uint8_t root = l->path->root;
    return root == LL_ROOT_PARAM || root == LL_ROOT_GLOBAL || root == LL_ROOT_STATIC_LOCAL;
}

/* Whether lock key `key` names an object reached through the local,
 * parameter or pointer path `base` (`base->m`, `base.m`, `base[i]`,
 * `*base`), not `base` itself: with `base` NULL there is no such object,
 * and when `base` changes it names another one. */
static bool reached_through(const char *key, const char *base)
{
    size_t n = strlen(base);
    if (key[0] == '*')
        key++;
    else if (strcmp(key, base) == 0)
        return false;
    return strncmp(key, base, n) == 0 && (key[n] == '\0' || key[n] == '.' || key[n] == '[' ||
                                          (key[n] == '-' && key[n + 1] == '>'));
}

/*
 * The locks of each branch that tests a pointer they are reached through
 * (`if (m && m->mutex) pthread_mutex_lock(m->mutex);`, `if (!o) return
 * -1; lock(&o->lock);`).  Where the pointer is NULL the lock does not
 * exist: nothing holds it and nothing can, so on that edge its state is
 * empty and says nothing at the returns.  A wrapper that checks its lock
 * pointer first locks "on every path" where there is a lock to lock.
 * Returns how many blocks have some.
 */
static int collect_null_locks(struct run *ru, const struct ll_df_result *r, uint32_t *nblocks)
{
    const struct ll_function *fn = ru->fn;
    *nblocks = 0;
    ru->null_locks = ll_arena_alloc(ru->tmp, (fn->nblocks + 1) * sizeof(*ru->null_locks));
    if (!ru->null_locks)
        return -1;
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        const struct ll_block *bb = &fn->blocks[b];
        const char *ptr = bb->cond.tested;
        ru->null_locks[b] = NULL;
        if (!ptr || bb->nsucc != 2 || bb->succ[0] == bb->succ[1])
            continue;
        uint32_t n = 0;
        for (uint32_t l = 0; l < r->nlocks; l++)
            n += callers_name(&r->locks[l]) && reached_through(r->locks[l].key, ptr);
        if (n == 0)
            continue;
        int32_t *v = ll_arena_alloc(ru->tmp, (n + 1) * sizeof(*v));
        if (!v)
            return -1;
        n = 0;
        for (uint32_t l = 0; l < r->nlocks; l++)
            if (callers_name(&r->locks[l]) && reached_through(r->locks[l].key, ptr))
                v[n++] = (int32_t)l;
        v[n] = -1;
        ru->null_locks[b] = v;
        (*nblocks)++;
    }
    return 0;
}

/* The edge function: on the edge where block `from`'s tested pointer is
 * NULL, the locks reached through it are absent (empty state). */
static void absent_on(struct ll_pathset *ps, struct ll_ps_disj *d, uint32_t from, uint32_t to,
                      void *ctx)
{
    (void)ps;
    const struct run *ru = ctx;
    const int32_t *ls = ru->null_locks[from];
    if (!ls)
        return;
    const struct ll_block *bb = &ru->fn->blocks[from];
    bool truth = to == bb->succ[0];
    if (ll_ps_signs(bb->cond.cmp, bb->cond.cmp_k, truth) != LL_PS_ZERO)
        return;
    for (; *ls >= 0; ls++) {
        ll_ps_forget_slot(d, (uint32_t)*ls);
        d->st[*ls] = 0;
    }
}

/* ---- transfer ------------------------------------------------------ */

/* Whether a guarded effect happens in this run: 1 yes, 0 no, -1 not
 * known (the argument is not a constant, nor the parameter this run is
 * for). */
static int guard_decides(const struct run *ru, const struct ll_guard *g)
{
    if (!g->on)
        return 1;
    if (ru->env->seeded && g->param >= 0 && (uint32_t)g->param == ru->env->seed_param)
        return ll_guard_holds(g, ru->env->seed_value) ? 1 : 0;
    return -1;
}

/* An effect that happens or not as an argument the caller's analysis
 * does not know says: both outcomes, until a branch on the variable
 * passed (if it is one) decides. */
static void apply_open(struct ll_ps_disj *d, uint32_t e, const struct ll_effect *x, uint32_t l,
                       uint8_t now)
{
    ll_ps_forget_slot(d, l);
    uint8_t yes = ll_ps_signs(x->guard.cmp, x->guard.k, x->guard.truth != 0);
    uint8_t no = ll_ps_signs(x->guard.cmp, x->guard.k, x->guard.truth == 0);
    if (x->guard.var && !(yes & no))
        ll_ps_pend(d, e, x->guard.var, l, now, yes, no);
    d->st[l] |= now;
}

/* A call's instantiated callee effects: like the lock events they stand for. */
static void apply_effects(const struct run *ru, struct ll_pathset *ps, struct ll_ps_disj *d,
                          uint32_t e)
{
    const struct ll_event *ev = &ru->fn->events[e];
    for (size_t k = 0; k < ru->neff[e]; k++) {
        const struct ll_effect *x = &ru->eff[e][k];
        int32_t l = ru->eff_idx[e][k];
        if (l < 0 || x->op == LL_EFF_RECURSIVE || x->op == LL_EFF_TAKE)
            continue;
        uint8_t held = (uint8_t)(LL_LS_HELD | (x->mode == LL_MODE_SHARED ? LL_LS_SHARED : 0));
        int happens = guard_decides(ru, &x->guard);
        if (happens == 0)
            continue;
        if (happens < 0 && x->op != LL_EFF_COND_ACQUIRE && x->op != LL_EFF_COND_RELEASE) {
            apply_open(d, e, x, (uint32_t)l, x->op == LL_EFF_ACQUIRE ? held : LL_LS_FREE);
            continue;
        }
        switch (x->op) {
        case LL_EFF_ACQUIRE:
            if (x->guard.on || x->guard.decided) {
                /* kept because an argument says so: the result is the
                 * callee's own (a lookup's), not the lock call's */
                ll_ps_forget_slot(d, (uint32_t)l);
                d->st[l] = held;
            } else {
                ll_ps_set_checked(ps, d, e, (uint32_t)l, held);
            }
            break;
        case LL_EFF_RELEASE:
            ll_ps_forget_slot(d, (uint32_t)l);
            d->st[l] = LL_LS_FREE;
            break;
        case LL_EFF_COND_ACQUIRE:
            ll_ps_forget_slot(d, (uint32_t)l);
            ll_ps_pend(d, e, ev->result_var, (uint32_t)l, held, x->succ, x->fail);
            break;
        case LL_EFF_COND_RELEASE:
            ll_ps_forget_slot(d, (uint32_t)l);
            ll_ps_pend(d, e, ev->result_var, (uint32_t)l, LL_LS_FREE, x->succ, x->fail);
            break;
        default:
            break;
        }
    }
}

/* The state lock l starts in. */
static uint8_t entry_state(const struct run *ru, uint32_t l)
{
    return ru->caller_held && ru->caller_held[l] ? LL_LS_HELD
           : ru->env->entry_free                 ? LL_LS_NEVER
                                                 : LL_LS_ENTRY;
}

/* `forks[i]` after `i++` is another object: what was known of it is
 * forgotten (a loop over lock arrays takes each element once). */
static void rebind_indexed(const struct run *ru, struct ll_ps_disj *d, const char *var)
{
    for (uint32_t l = 0; l < ru->nlocks; l++) {
        const char **vs = ru->index_vars ? ru->index_vars[l] : NULL;
        for (; vs && *vs; vs++)
            if (strcmp(*vs, var) == 0) {
                ll_ps_forget_slot(d, l);
                d->st[l] = entry_state(ru, l);
                break;
            }
    }
}

/* The one value local `var` is given in fn (`struct node *next =
 * n->next;`), or NULL when it is given several or none. */
static const char *copy_source(const struct ll_function *fn, const char *var)
{
    const char *src = NULL;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind != LL_EV_ACCESS || ev->obj.root != LL_ROOT_LOCAL || !ev->obj.key ||
            (ev->obj.flags & LL_PATH_DEREF) || strcmp(ev->obj.key, var) != 0)
            continue;
        if (ev->aux.key && !(ev->flags & LL_EVF_WRITE) && !src)
            src = ev->aux.key; /* the declaration's initialiser */
        else if (ev->aux.key || (ev->flags & (LL_EVF_WRITE | LL_EVF_UPDATE)) != LL_EVF_WRITE ||
                 ev->result_var)
            return NULL; /* assigned again */
    }
    return src;
}

/* The lock `base` followed by `rest` names (`n->next` + `->lock`), or -1. */
static int32_t lock_through(const struct ll_df_result *r, const char *base, const char *rest)
{
    char buf[512];
    size_t nb = strlen(base), nr = strlen(rest);
    if (nb + nr >= sizeof(buf))
        return -1;
    memcpy(buf, base, nb);
    memcpy(buf + nb, rest, nr + 1);
    return ll_df_lock_index(r, buf);
}

/*
 * `n = next`, `n = n->next`: the pointer names another object now.  A
 * lock reached through it takes the state of the lock the new value
 * reaches the same way, when the function tracks one: `n->lock` after
 * `n = n->next` is what `n->next->lock` was (hand-over-hand locking).
 * When some lock moves so, the others reached through the pointer start
 * over, as the caller left them (`n->next->lock` names the node after
 * the new one).  When none does (`z++` in a loop that locks each
 * element) every state stays as it was: a cursor loop that keeps its
 * element's lock and one that forgot to release it before `continue`
 * look alike, and the latter is the common bug.  Per write event: pairs
 * (lock, its source lock or -1), ended by -1; NULL when no lock moves.
 */
static int collect_rebinds(struct run *ru, const struct ll_df_result *r)
{
    const struct ll_function *fn = ru->fn;
    ru->rebind = ll_arena_alloc(ru->tmp, (fn->nevents + 1) * sizeof(*ru->rebind));
    if (!ru->rebind)
        return -1;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        const char *var = ev->obj.key;
        ru->rebind[e] = NULL;
        if (ev->kind != LL_EV_ACCESS || !(ev->flags & LL_EVF_WRITE) || !var ||
            (ev->obj.root != LL_ROOT_LOCAL && ev->obj.root != LL_ROOT_PARAM) ||
            (ev->obj.flags & LL_PATH_DEREF))
            continue;
        uint32_t n = 0;
        for (uint32_t l = 0; l < r->nlocks; l++)
            n += reached_through(r->locks[l].key, var);
        if (n == 0)
            continue;
        /* the new value when it is reached from the old one: `n =
         * n->next`, or `n = next` of `next = n->next` (another pointer
         * copied, `to_cancel = cur`, only aliases: not a move) */
        const char *src = ev->aux.key && !(ev->flags & LL_EVF_UPDATE) ? ev->aux.key : NULL;
        if (src && ev->aux.root == LL_ROOT_LOCAL && !(ev->aux.flags & LL_PATH_DEREF))
            src = copy_source(fn, src);
        if (src && !reached_through(src, var))
            src = NULL;
        int32_t *v = ll_arena_alloc(ru->tmp, (2 * n + 1) * sizeof(*v));
        if (!v)
            return -1;
        uint32_t k = 0;
        bool moved = false;
        for (uint32_t l = 0; l < r->nlocks && src; l++) {
            const char *key = r->locks[l].key;
            if (!reached_through(key, var))
                continue;
            const char *rest = key + (key[0] == '*') + strlen(var);
            int32_t from = key[0] == '*' ? -1 : lock_through(r, src, rest);
            v[k++] = (int32_t)l;
            v[k++] = from;
            moved = moved || from >= 0;
        }
        v[k] = -1;
        ru->rebind[e] = moved ? v : NULL;
    }
    return 0;
}

#define MAX_REBIND 64

static void rebind_rooted(const struct run *ru, struct ll_ps_disj *d, uint32_t e)
{
    const int32_t *v = ru->rebind[e];
    uint8_t st[MAX_REBIND];
    uint32_t n = 0;
    /* read every source before writing: a source may be rebound too (past
     * MAX_REBIND locks, the rest start over) */
    for (uint32_t k = 0; v[k] >= 0; k += 2, n++)
        if (n < MAX_REBIND)
            st[n] = v[k + 1] >= 0 ? d->st[v[k + 1]] : entry_state(ru, (uint32_t)v[k]);
    n = 0;
    for (uint32_t k = 0; v[k] >= 0; k += 2, n++) {
        ll_ps_forget_slot(d, (uint32_t)v[k]);
        d->st[v[k]] = n < MAX_REBIND ? st[n] : entry_state(ru, (uint32_t)v[k]);
    }
}

/* The lock-state transfer function of event e (a pathset client). */
static void transfer(struct ll_pathset *ps, struct ll_ps_disj *d, uint32_t e, void *ctx)
{
    const struct run *ru = ctx;
    const struct ll_event *ev = &ru->fn->events[e];
    int l = ru->ev_lock[e];
    uint8_t held = (uint8_t)(LL_LS_HELD | (ev->mode == LL_MODE_SHARED ? LL_LS_SHARED : 0));
    switch (ev->kind) {
    case LL_EV_ACQUIRE:
        if (l < 0)
            break;
        ll_ps_set_checked(ps, d, e, (uint32_t)l, held);
        /* a blocking lock call fails only on a programming error: no
         * finding rests on a path where it failed (a timed one may give up
         * and keeps both outcomes) */
        if (!(ev->flags & LL_EVF_TIMED))
            ll_ps_sure(d, e);
        break;
    case LL_EV_TRYACQUIRE:
        if (l < 0)
            break;
        ll_ps_forget_slot(d, (uint32_t)l);
        ll_ps_pend(d, e, ev->result_var, (uint32_t)l, held, LL_PS_ZERO, LL_PS_NONZERO);
        break;
    case LL_EV_RELEASE:
        if (l < 0)
            break;
        ll_ps_forget_slot(d, (uint32_t)l);
        d->st[l] = LL_LS_FREE;
        break;
    case LL_EV_ACCESS:
        if ((ev->flags & LL_EVF_WRITE) && ev->obj.key) {
            ll_ps_forget_var(d, ev->obj.key);
            if ((ev->obj.root == LL_ROOT_LOCAL || ev->obj.root == LL_ROOT_PARAM) &&
                !(ev->obj.flags & LL_PATH_DEREF)) {
                rebind_indexed(ru, d, ev->obj.key);
                if (ru->rebind[e])
                    rebind_rooted(ru, d, e);
            }
        }
        break;
    case LL_EV_CALL:
        if (ru->env->call_dies && ru->env->call_dies(e, ru->env->ctx)) {
            ll_ps_end_path(d);
            break;
        }
        apply_effects(ru, ps, d, e);
        if (ru->env->call_may_lock && ru->env->call_may_lock(ev, ru->env->ctx))
            for (uint32_t k = 0; k < ru->nlocks; k++)
                if (d->st[k] & (LL_LS_FREE | LL_LS_NEVER))
                    d->st[k] = (uint8_t)((d->st[k] & ~(LL_LS_FREE | LL_LS_NEVER)) | LL_LS_ENTRY);
        break;
    default:
        break;
    }
}

/* ---- the iteration ------------------------------------------------- */

/* A seeded run knows the outcome of every branch that tests only the
 * seeded parameter against a constant. */
static uint8_t seed_facts(const struct run *ru, struct ll_ps_fact *facts)
{
    const struct ll_function *fn = ru->fn;
    if (!ru->env->seeded || ru->env->seed_param >= fn->nparams)
        return 0;
    const char *pname = fn->params[ru->env->seed_param];
    uint8_t n = 0;
    for (uint32_t b = 0; b < fn->nblocks && n < LL_PS_MAX_FACTS; b++) {
        const struct ll_cond *c = &fn->blocks[b].cond;
        if (c->kind == LL_COND_NONE || c->cmp == LL_CMP_NONE || c->nvars != 1 || !c->text ||
            strcmp(c->vars[0], pname) != 0)
            continue;
        bool dup = false;
        for (uint8_t i = 0; i < n && !dup; i++)
            dup = facts[i].cond->text == c->text;
        if (dup)
            continue;
        facts[n].cond = c;
        facts[n].value = ll_ps_cmp_holds(c->cmp, ru->env->seed_value, c->cmp_k);
        n++;
    }
    return n;
}

/* Iterates from the entry state and records the states per event. */
static int iterate(struct run *ru, struct ll_df_result *r)
{
    uint8_t *entry = ll_arena_alloc_raw(ru->tmp, ru->nlocks);
    if (!entry)
        return -1;
    for (uint32_t l = 0; l < ru->nlocks; l++)
        entry[l] = entry_state(ru, l);
    struct ll_ps_fact facts[LL_PS_MAX_FACTS];
    uint8_t nfacts = seed_facts(ru, facts);
    if (ll_pathset_run_facts(&ru->ps, entry, facts, nfacts) != 0)
        return -1;
    return ll_pathset_record(&ru->ps, r->state, r->reached, NULL);
}

/* ---- the paths at the returns -------------------------------------- */

struct exits_ctx {
    const struct run *ru;
    struct ll_df_result *r;
    struct ll_arena *a;
    uint32_t event, cap;
    bool oom;
};

/* The signs of the value a return gives on path d: its constant, or what
 * the path's branches said of the variable returned. */
static uint8_t returned_signs(const struct ll_ps_disj *d, const char *v)
{
    if (!v)
        return LL_PS_ANY;
    if (v[0] == '-' || (v[0] >= '0' && v[0] <= '9')) {
        long long k = strtoll(v, NULL, 0);
        return k == 0 ? LL_PS_ZERO : k < 0 ? LL_PS_NEG : LL_PS_POS;
    }
    uint8_t s = LL_PS_ANY;
    for (uint8_t i = 0; i < d->nfacts; i++) {
        const struct ll_cond *c = d->facts[i].cond;
        if (c->cmp != LL_CMP_NONE && c->nvars == 1 && strcmp(c->vars[0], v) == 0)
            s &= ll_ps_signs(c->cmp, c->cmp_k, d->facts[i].value != 0);
    }
    for (uint8_t i = 0; i < d->npend; i++) /* `return h;` after `if (!(h = try()))` */
        if (d->pend[i].known && d->pend[i].var && strcmp(d->pend[i].var, v) == 0)
            s &= d->pend[i].known;
    return s ? s : LL_PS_ANY;
}

const char *ll_returned_name(const struct ll_event *ev)
{
    if (ev->result_var)
        return ev->result_var;
    return ev->aux.root == LL_ROOT_LOCAL && ev->aux.key ? ev->aux.key : NULL;
}

static void push_exit(struct exits_ctx *x, const uint8_t *st, uint8_t signs)
{
    struct ll_df_result *r = x->r;
    if (x->oom)
        return;
    if (r->nexits == x->cap) {
        uint32_t cap = x->cap ? x->cap * 2 : 8;
        struct ll_df_exit *v = ll_arena_alloc_raw(x->a, cap * sizeof(*v));
        if (!v) {
            x->oom = true;
            return;
        }
        if (r->nexits)
            memcpy(v, r->exits, r->nexits * sizeof(*v));
        r->exits = v;
        x->cap = cap;
    }
    uint8_t *copy = ll_arena_alloc_raw(x->a, r->nlocks);
    if (!copy) {
        x->oom = true;
        return;
    }
    memcpy(copy, st, r->nlocks);
    struct ll_df_exit *ex = &r->exits[r->nexits++];
    ex->event = x->event;
    ex->signs = signs;
    ex->st = copy;
}

/* Whether pending p is still open on the value the return gives: a
 * callee's conditional acquisition whose result is returned undecided
 * (`return lookup(k);`, `e = lookup(k); return e;`). */
static bool open_on(const struct ll_ps_disj *d, const struct ll_ps_pend *p, const char *v)
{
    return v && !p->known && p->var && strcmp(p->var, v) == 0 && d->st[p->slot] != p->success;
}

static void add_exit(const struct ll_ps_disj *d, void *ctx)
{
    struct exits_ctx *x = ctx;
    const char *v = ll_returned_name(&x->ru->fn->events[x->event]);
    uint8_t signs = returned_signs(d, v);
    uint8_t succ = signs, fail = signs;
    bool open = false, sure = false;
    for (uint8_t i = 0; i < d->npend; i++)
        if (open_on(d, &d->pend[i], v)) {
            open = true;
            sure = sure || d->pend[i].sure;
            succ &= d->pend[i].succ;
            fail &= d->pend[i].fail;
        }
    if (!open || !succ || x->r->nlocks > 256) {
        push_exit(x, d->st, signs);
        return;
    }
    /* the caller decides it: one exit where it succeeded, one where not */
    uint8_t st[256];
    memcpy(st, d->st, x->r->nlocks);
    for (uint8_t i = 0; i < d->npend; i++)
        if (open_on(d, &d->pend[i], v))
            st[d->pend[i].slot] = d->pend[i].success;
    push_exit(x, st, succ);
    if (sure || !fail)
        return;
    for (uint8_t i = 0; i < d->npend; i++)
        if (open_on(d, &d->pend[i], v))
            st[d->pend[i].slot] = d->pend[i].prior;
    push_exit(x, st, fail);
}

/* Keeps every path's state at every reached return (summaries tell
 * returns apart by the value they give). */
static int collect_exits(struct run *ru, struct ll_df_result *r, struct ll_arena *a)
{
    struct exits_ctx x = {ru, r, a, 0, 0, false};
    for (uint32_t e = 0; e < ru->fn->nevents; e++) {
        if (ru->fn->events[e].kind != LL_EV_RETURN || !r->reached[e])
            continue;
        x.event = e;
        if (ll_pathset_each_at(&ru->ps, e, add_exit, &x) != 0 || x.oom)
            return -1;
    }
    return 0;
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
    struct run ru = {.fn = fn, .env = env};
    memset(out, 0, sizeof(*out));
    ll_pathset_init(&ru.ps, fn, env->scratch);
    ru.tmp = ru.ps.tmp;
    int rc = -1;
    out->nevents = fn->nevents;
    out->reached = ll_arena_alloc(arena, fn->nevents + 1);
    if (!out->reached || collect_locks(&ru, out, arena) != 0)
        goto out;
    ru.nlocks = out->nlocks;
    if (collect_index_vars(&ru, out) != 0 || collect_rebinds(&ru, out) != 0)
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
    uint32_t nnull = 0;
    if (collect_null_locks(&ru, out, &nnull) != 0)
        goto out;
    /* without one, the engine shares disjuncts between successors */
    struct ll_ps_client client = {
        .nslots = ru.nlocks, .transfer = transfer, .edge = nnull ? absent_on : NULL, .ctx = &ru};
    ll_pathset_set_client(&ru.ps, &client);
    ll_pathset_set_calls(&ru.ps, env->call_conds, env->opaque_events);
    if (iterate(&ru, out) != 0)
        goto out;
    if (!env->entry_free) {
        bool *held = ll_arena_alloc(ru.tmp, ru.nlocks);
        if (!held)
            goto out;
        if (find_caller_held(&ru, out, held) > 0) {
            /* again, from the state the caller must have left */
            ru.caller_held = held;
            memset(out->state, 0, (size_t)fn->nevents * ru.nlocks);
            memset(out->reached, 0, fn->nevents);
            if (iterate(&ru, out) != 0)
                goto out;
        }
    }
    if (collect_exits(&ru, out, arena) != 0)
        goto out;
    rc = 0;
out:
    ll_pathset_release(&ru.ps);
    return rc;
}
