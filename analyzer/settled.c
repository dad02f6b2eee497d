/*
 * settled: globals a once-guard sets before any thread starts (see
 * settled.h).
 */
#include "settled.h"

#include "bitset.h"
#include "pathset.h"
#include "view_internal.h"

#include <stdlib.h>
#include <string.h>

#define MUST_DEPTH 8
/* Once-guarded globals looked at per program: each costs a walk of the
 * program's calls from main, so crafted code with thousands of them costs
 * a bounded amount; the rest are not settled (their races stay). */
#define MAX_CANDIDATES 256

/* What the whole program's writes do to one global, by its id: some is
 * guarded by a zero test of it, some stores what may be zero, some is
 * not guarded (or an update, or a call may write it through its address). */
enum { VAR_GUARDED = 1, VAR_MAYBE_ZERO = 2, VAR_BAD = 4 };

struct scratch {
    uint8_t *seen;
    uint32_t *stack;
};

/* "usr|key" of a plain global or static path into buf; false when p is
 * none or too long. */
static bool global_id(const struct ll_path *p, char *buf, size_t size)
{
    if ((p->flags & LL_PATH_DEREF) || !p->key || !p->root_usr ||
        (p->root != LL_ROOT_GLOBAL && p->root != LL_ROOT_STATIC_LOCAL))
        return false;
    size_t nu = strlen(p->root_usr), nk = strlen(p->key);
    if (nu + nk + 2 > size)
        return false;
    memcpy(buf, p->root_usr, nu);
    buf[nu] = '|';
    memcpy(buf + nu + 1, p->key, nk + 1);
    return true;
}

/* The successor of two-way block b on which its condition's value is
 * zero, when the condition tests `key` (a global, not a local) against
 * zero; else UINT32_MAX. */
static uint32_t zero_edge(const struct ll_block *b, const char *key)
{
    const struct ll_cond *c = &b->cond;
    if (b->nsucc != 2 || b->succ[0] == b->succ[1] || c->kind != LL_COND_OTHER || c->nvars != 1 ||
        strcmp(c->vars[0], key) != 0)
        return UINT32_MAX;
    if (c->cmp != LL_CMP_TRUTH && !((c->cmp == LL_CMP_EQ || c->cmp == LL_CMP_NE) && c->cmp_k == 0))
        return UINT32_MAX;
    for (uint32_t s = 0; s < 2; s++)
        if (ll_ps_signs(c->cmp, c->cmp_k, s == 0) == LL_PS_ZERO)
            return s;
    return UINT32_MAX;
}

/* Whether block z is entered only from block g. */
static bool only_from(const struct ll_function *fn, uint32_t z, uint32_t g)
{
    for (uint32_t b = 0; b < fn->nblocks; b++)
        for (uint32_t s = 0; s < fn->blocks[b].nsucc; s++)
            if (fn->blocks[b].succ[s] == z && b != g)
                return false;
    return z != 0;
}

/* The guard of write e of `key` in f: the block whose zero edge every
 * path to the write takes (the edge's block entered only from it and
 * dominating the write's).  UINT32_MAX when none. */
static uint32_t guard_of(const struct ll_fn_view *f, uint32_t e, const char *key, struct scratch *s)
{
    const struct ll_function *fn = f->fn;
    uint32_t wb = ll_fn_block_of(f, e);
    for (uint32_t g = 0; g < fn->nblocks; g++) {
        uint32_t k = zero_edge(&fn->blocks[g], key);
        if (k == UINT32_MAX)
            continue;
        uint32_t z = fn->blocks[g].succ[k];
        if (only_from(fn, z, g) &&
            (z == wb || !ll_fn_block_reaches(f, 0, wb, z, s->seen, s->stack)))
            return g;
    }
    return UINT32_MAX;
}

/* Whether exit is reachable from f's entry without entering block
 * `avoid`, and without taking the non-zero edge of block g (UINT32_MAX:
 * any edge). */
static bool exit_avoiding(const struct ll_fn_view *f, uint32_t avoid, uint32_t g, uint32_t gz,
                          struct scratch *s)
{
    const struct ll_function *fn = f->fn;
    memset(s->seen, 0, fn->nblocks);
    uint32_t n = 0;
    if (avoid == 0)
        return false;
    s->stack[n++] = 0;
    s->seen[0] = 1;
    while (n > 0) {
        uint32_t b = s->stack[--n];
        if (b == fn->exit)
            return true;
        for (uint32_t k = 0; k < fn->blocks[b].nsucc; k++) {
            uint32_t t = fn->blocks[b].succ[k];
            if (t == avoid || s->seen[t] || (b == g && k != gz))
                continue;
            s->seen[t] = 1;
            s->stack[n++] = t;
        }
    }
    return false;
}

/* ---- the program's writes ------------------------------------------ */

struct build {
    const struct ll_view *v;
    struct ll_arena *a;
    struct ll_strmap vars; /* id (in a) -> VAR_* */
    struct scratch s;
    uint8_t *memo; /* per function, for the global being settled: MUST_* */
};

enum { MUST_UNKNOWN = 0, MUST_BUSY, MUST_YES, MUST_NO };

static int note_var(struct build *bd, const char *id, unsigned bits)
{
    size_t old = ll_strmap_get(&bd->vars, id);
    if (old != (size_t)-1)
        return ll_strmap_set(&bd->vars, id, old | bits);
    const char *key = ll_arena_strdup(bd->a, id);
    return key ? ll_strmap_set(&bd->vars, key, bits) : -1;
}

/* Every write of a global: guarded, and of a non-zero constant?  A
 * global passed by address may be written anywhere: bad. */
static int scan_writes(struct build *bd)
{
    for (size_t i = 0; i < bd->v->nfns; i++) {
        const struct ll_fn_view *f = &bd->v->fns[i];
        const struct ll_function *fn = f->fn;
        for (uint32_t e = 0; e < fn->nevents; e++) {
            const struct ll_event *ev = &fn->events[e];
            char id[512];
            for (uint32_t k = 0; ev->kind == LL_EV_CALL && k < ev->nargs; k++) {
                struct ll_path p = ev->args[k];
                p.flags &= (uint8_t)~LL_PATH_ADDR;
                if ((ev->args[k].flags & LL_PATH_ADDR) && global_id(&p, id, sizeof(id)) &&
                    note_var(bd, id, VAR_BAD) != 0)
                    return -1;
            }
            if (ev->kind != LL_EV_ACCESS || !(ev->flags & LL_EVF_WRITE) ||
                !global_id(&ev->obj, id, sizeof(id)))
                continue;
            bool guarded = !(ev->flags & LL_EVF_UPDATE) && f->df.reached[e] &&
                           guard_of(f, e, ev->obj.key, &bd->s) != UINT32_MAX;
            unsigned bits = guarded ? VAR_GUARDED : VAR_BAD;
            if (!(ev->flags & LL_EVF_NONZERO))
                bits |= VAR_MAYBE_ZERO;
            if (note_var(bd, id, bits) != 0)
                return -1;
        }
    }
    return 0;
}

/* ---- main's first call ---------------------------------------------- */

/* Whether f surely writes `id` when it is zero: a guarded write it makes
 * on every path on which the guard finds it zero, or a call it makes on
 * every path into a function that does. */
static bool must_write_in(struct build *bd, const struct ll_fn_view *f, const char *id,
                          unsigned depth);

static bool must_write(struct build *bd, const struct ll_fn_view *f, const char *id, unsigned depth)
{
    uint8_t *m = &bd->memo[f - bd->v->fns];
    if (*m == MUST_UNKNOWN && depth <= MUST_DEPTH) {
        *m = MUST_BUSY; /* recursion: not through itself */
        *m = must_write_in(bd, f, id, depth) ? MUST_YES : MUST_NO;
    }
    return *m == MUST_YES;
}

static bool must_write_in(struct build *bd, const struct ll_fn_view *f, const char *id,
                          unsigned depth)
{
    const struct ll_function *fn = f->fn;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (!f->df.reached[e])
            continue;
        if (ev->kind == LL_EV_ACCESS && (ev->flags & LL_EVF_WRITE)) {
            char w[512];
            if (!global_id(&ev->obj, w, sizeof(w)) || strcmp(w, id) != 0)
                continue;
            uint32_t g = guard_of(f, e, ev->obj.key, &bd->s);
            if (g != UINT32_MAX && !exit_avoiding(f, ll_fn_block_of(f, e), g,
                                                  zero_edge(&fn->blocks[g], ev->obj.key), &bd->s))
                return true;
        } else if (ev->kind == LL_EV_CALL && !ll_event_through_slot(ev)) {
            const struct ll_fn_view *g = ll_view_callee(bd->v, f, e);
            if (g && g != f && !exit_avoiding(f, ll_fn_block_of(f, e), UINT32_MAX, 0, &bd->s) &&
                must_write(bd, g, id, depth + 1))
                return true;
        }
    }
    return false;
}

/* Whether event c of main comes before every point of main where a
 * thread runs, and none runs at c. */
static bool before_threads(const struct build *bd, const struct ll_fn_view *m, uint32_t c,
                           uint64_t *bits, struct scratch *s)
{
    const struct ll_view *v = bd->v;
    uint32_t cb = ll_fn_block_of(m, c);
    ll_mhp_running_at(&v->mhp, (uint32_t)(m - v->fns), c, bits);
    if (ll_bitset_any(bits, v->cg.root_words))
        return false;
    for (uint32_t e = 0; e < m->fn->nevents; e++) {
        if (!m->df.reached[e] || e == c)
            continue;
        ll_mhp_running_at(&v->mhp, (uint32_t)(m - v->fns), e, bits);
        if (!ll_bitset_any(bits, v->cg.root_words))
            continue;
        uint32_t eb = ll_fn_block_of(m, e);
        if (eb == cb ? e < c : ll_fn_block_reaches(m, 0, eb, cb, s->seen, s->stack))
            return false;
    }
    return true;
}

/* Whether main surely writes `id` before it starts any thread. */
static bool settled_by_main(struct build *bd, const struct ll_fn_view *m, const char *id,
                            uint64_t *bits)
{
    const struct ll_function *fn = m->fn;
    for (uint32_t c = 0; c < fn->nevents; c++) {
        const struct ll_event *ev = &fn->events[c];
        if (ev->kind != LL_EV_CALL || !m->df.reached[c] || ll_event_through_slot(ev))
            continue;
        const struct ll_fn_view *g = ll_view_callee(bd->v, m, c);
        if (g && g != m && must_write(bd, g, id, 1) && before_threads(bd, m, c, bits, &bd->s))
            return true;
    }
    return false;
}

static const struct ll_fn_view *main_fn(const struct ll_view *v)
{
    for (size_t i = 0; i < v->nfns; i++)
        if (v->fns[i].is_main)
            return &v->fns[i];
    return NULL;
}

static int settle(struct build *bd, struct ll_settled *out)
{
    const struct ll_fn_view *m = main_fn(bd->v);
    if (!m)
        return 0;
    uint64_t *bits = ll_arena_alloc(bd->a, ((size_t)bd->v->cg.root_words + 1) * sizeof(uint64_t));
    if (!bits)
        return -1;
    size_t tried = 0;
    for (size_t k = 0; k < bd->vars.cap && tried < MAX_CANDIDATES; k++) {
        const char *id = bd->vars.keys[k];
        if (!id)
            continue;
        size_t bitsv = bd->vars.vals[k];
        if ((bitsv & VAR_BAD) || !(bitsv & VAR_GUARDED))
            continue;
        tried++;
        memset(bd->memo, MUST_UNKNOWN, bd->v->nfns);
        if (!settled_by_main(bd, m, id, bits))
            continue;
        size_t kind = (bitsv & VAR_MAYBE_ZERO) ? LL_SETTLED_IF_NONZERO : LL_SETTLED_SURE;
        if (ll_strmap_put(&out->kind, id, kind) < 0)
            return -1;
    }
    return 0;
}

int ll_settled_build(const struct ll_view *v, struct ll_arena *a, struct ll_settled *out)
{
    struct build bd = {.v = v, .a = a};
    ll_strmap_init(&out->kind);
    ll_strmap_init(&bd.vars);
    size_t most = 1;
    for (size_t i = 0; i < v->nfns; i++)
        if (v->fns[i].fn->nblocks + 1 > most)
            most = v->fns[i].fn->nblocks + 1;
    bd.s.seen = calloc(most, 1);
    bd.s.stack = calloc(most, sizeof(*bd.s.stack));
    bd.memo = calloc(v->nfns + 1, 1);
    int rc = -1;
    if (bd.s.seen && bd.s.stack && bd.memo && scan_writes(&bd) == 0 && settle(&bd, out) == 0)
        rc = 0;
    free(bd.s.seen);
    free(bd.s.stack);
    free(bd.memo);
    ll_strmap_release(&bd.vars);
    return rc;
}

void ll_settled_release(struct ll_settled *s)
{
    ll_strmap_release(&s->kind);
}

enum ll_settled_kind ll_settled_write(const struct ll_settled *s, const struct ll_fn_view *f,
                                      uint32_t e)
{
    const struct ll_event *ev = &f->fn->events[e];
    if (s->kind.count == 0 || ev->kind != LL_EV_ACCESS || !(ev->flags & LL_EVF_WRITE))
        return LL_SETTLED_NO;
    char buf[512];
    if (!global_id(&ev->obj, buf, sizeof(buf)))
        return LL_SETTLED_NO;
    size_t k = ll_strmap_get(&s->kind, buf);
    return k == (size_t)-1 ? LL_SETTLED_NO : (enum ll_settled_kind)k;
}
