/*
 * handoff: publication of data through a flag a lock guards, as a
 * happens-before edge of the race analysis (handoff.h says what is
 * understood and assumed).  Three passes over the program: the wait
 * loops (which give the channels), the writes of the channels' flags
 * (the setters), and which functions run once; then, per access, block
 * bitmaps answer "set on every path after it" and "waited for on every
 * path before it" in constant time.
 *
 * It does not look into callees, and it does not decide how a pair is
 * reported: race.c drops ordered pairs, the rule words partial ones.
 */
#include "handoff.h"
#include "view_internal.h"

#include "loops.h"

#include <stdlib.h>
#include <string.h>

/* Flags one wait loop's exits may test; waits and channels one function
 * keeps track of. */
#define MAX_FLAGS 4
#define MAX_PER_FN 16

/* A wait on channel `chan`: ok[b] when an access in block b has left the
 * wait loop through a test of the flag on every path from the entry
 * (NULL: a wait under `if`, partial evidence only). */
struct ho_wait {
    uint32_t chan;
    uint8_t *ok;
};

/* The writes of channel `chan`'s flag in one function, per block and event. */
struct ho_pub {
    uint32_t chan;
    uint8_t *set_ev;    /* per event: it writes the flag with the lock held */
    uint8_t *set_blk;   /* per block: it holds such a write */
    uint8_t *free_exit; /* per block: its start reaches the return without a write */
    uint8_t *to_set;    /* per block: its start reaches a write */
    uint8_t *after;     /* per block: reachable from the end of a block with a write */
};

struct ll_handoff_fn {
    uint32_t nwaits, npubs;
    struct ho_wait waits[MAX_PER_FN];
    struct ho_pub pubs[MAX_PER_FN];
    const struct ll_function *fn;
    uint32_t *block_of; /* per event */
};

struct build {
    const struct ll_view *v;
    struct ll_race_lock *const *locks;
    struct ll_handoff *h;
    struct ll_arena *a;
    const struct ll_path **flag_path; /* per channel */
    uint32_t cap;
    uint32_t *stack;  /* scratch: a block worklist */
    uint32_t **preds; /* of the function being looked at: per block, its predecessors */
    uint32_t *npreds;
};

/* ---- small helpers -------------------------------------------------- */

/* A flag can be a location other threads see: not a plain local. */
static bool flag_like(const struct ll_path *p)
{
    if (!p->key || !p->cls || p->root == LL_ROOT_NONE || p->root == LL_ROOT_UNKNOWN)
        return false;
    return p->root != LL_ROOT_LOCAL || (p->flags & LL_PATH_DEREF);
}

/* Paths p and f may name one flag: one global object, else one class. */
static bool same_flag(const struct ll_path *p, const struct ll_path *f)
{
    if (ll_path_concrete(p) && ll_path_concrete(f))
        return strcmp(p->key, f->key) == 0 && p->root_usr && f->root_usr &&
               strcmp(p->root_usr, f->root_usr) == 0;
    return ll_class_may_alias(p->cls, ll_path_emb(p), f->cls, ll_path_emb(f));
}

static bool held(const struct ll_fn_view *f, uint32_t e, uint32_t l)
{
    uint8_t st = ll_df_state(&f->df, e, l);
    return (st & LL_LS_HELD) && !(st & (LL_LS_FREE | LL_LS_NEVER | LL_LS_SHARED));
}

/* Function i holds lock x (exclusively, on every path) at event e. */
static bool holds(const struct build *b, uint32_t i, uint32_t e, const struct ll_race_lock *x)
{
    const struct ll_fn_view *f = &b->v->fns[i];
    for (uint32_t l = 0; l < f->df.nlocks; l++)
        if (b->locks[i][l].id && held(f, e, l) && ll_race_same_lock(&b->locks[i][l], x))
            return true;
    return false;
}

static uint8_t *blocks(struct build *b, const struct ll_function *fn)
{
    return ll_arena_alloc(b->a, fn->nblocks + 1);
}

/* Marks in `seen` what is reachable forwards from the blocks already in
 * the worklist (n of them, marked), never entering a block in `stop`. */
static void forward(struct build *b, const struct ll_function *fn, uint32_t n, uint8_t *seen,
                    const uint8_t *stop)
{
    while (n > 0) {
        const struct ll_block *bl = &fn->blocks[b->stack[--n]];
        for (uint32_t k = 0; k < bl->nsucc; k++) {
            uint32_t s = bl->succ[k];
            if (s >= fn->nblocks || seen[s] || (stop && stop[s]))
                continue;
            seen[s] = 1;
            b->stack[n++] = s;
        }
    }
}

/* The same backwards, over the predecessors. */
static void backward(struct build *b, uint32_t n, uint8_t *seen, const uint8_t *stop)
{
    while (n > 0) {
        uint32_t x = b->stack[--n];
        for (uint32_t k = 0; k < b->npreds[x]; k++) {
            uint32_t p = b->preds[x][k];
            if (seen[p] || (stop && stop[p]))
                continue;
            seen[p] = 1;
            b->stack[n++] = p;
        }
    }
}

static int make_preds(struct build *b, const struct ll_function *fn)
{
    b->npreds = ll_arena_alloc(b->a, (fn->nblocks + 1) * sizeof(uint32_t));
    b->preds = ll_arena_alloc(b->a, (fn->nblocks + 1) * sizeof(uint32_t *));
    if (!b->npreds || !b->preds)
        return -1;
    for (uint32_t x = 0; x < fn->nblocks; x++)
        for (uint32_t k = 0; k < fn->blocks[x].nsucc; k++)
            if (fn->blocks[x].succ[k] < fn->nblocks)
                b->npreds[fn->blocks[x].succ[k]]++;
    for (uint32_t x = 0; x < fn->nblocks; x++) {
        b->preds[x] = ll_arena_alloc(b->a, (b->npreds[x] + 1) * sizeof(uint32_t));
        if (!b->preds[x])
            return -1;
        b->npreds[x] = 0;
    }
    for (uint32_t x = 0; x < fn->nblocks; x++)
        for (uint32_t k = 0; k < fn->blocks[x].nsucc; k++) {
            uint32_t s = fn->blocks[x].succ[k];
            if (s < fn->nblocks)
                b->preds[s][b->npreds[s]++] = x;
        }
    return 0;
}

static struct ll_handoff_fn *fn_tables(struct build *b, uint32_t i)
{
    if (b->h->fns[i])
        return b->h->fns[i];
    const struct ll_function *fn = b->v->fns[i].fn;
    struct ll_handoff_fn *t = ll_arena_alloc(b->a, sizeof(*t));
    if (!t)
        return NULL;
    t->block_of = ll_arena_alloc(b->a, (fn->nevents + 1) * sizeof(uint32_t));
    if (!t->block_of)
        return NULL;
    t->fn = fn;
    for (uint32_t x = 0; x < fn->nblocks; x++)
        for (uint32_t k = 0; k < fn->blocks[x].nevents; k++)
            t->block_of[fn->blocks[x].first_event + k] = x;
    b->h->fns[i] = t;
    return t;
}

/* The channel of flag p under lock x, made when new; -1 when out of memory. */
static long channel(struct build *b, const struct ll_path *p, const struct ll_race_lock *x)
{
    struct ll_handoff *h = b->h;
    for (uint32_t c = 0; c < h->nchans; c++)
        if (same_flag(p, b->flag_path[c]) && ll_race_same_lock(&h->chans[c].lock, x))
            return c;
    if (h->nchans == b->cap) {
        uint32_t nc = b->cap ? b->cap * 2 : 8;
        struct ll_handoff_chan *g = ll_arena_alloc(b->a, nc * sizeof(*g));
        const struct ll_path **gp = ll_arena_alloc(b->a, nc * sizeof(*gp));
        if (!g || !gp)
            return -1;
        if (h->nchans) {
            memcpy(g, h->chans, h->nchans * sizeof(*g));
            memcpy(gp, b->flag_path, h->nchans * sizeof(*gp));
        }
        h->chans = g;
        b->flag_path = gp;
        b->cap = nc;
    }
    struct ll_handoff_chan *ch = &h->chans[h->nchans];
    ch->lock = *x;
    ch->flag.concrete = ll_path_concrete(p);
    ch->flag.cls = p->cls;
    ch->flag.emb = ll_path_emb(p);
    ch->flag.text = p->text ? p->text : p->key;
    ch->flag.id = ch->flag.concrete
                      ? ll_arena_printf(b->a, "=%s|%s", p->root_usr ? p->root_usr : "", p->key)
                      : ll_arena_printf(b->a, "~%s", ch->flag.emb);
    if (!ch->flag.id)
        return -1;
    b->flag_path[h->nchans] = p;
    return h->nchans++;
}

/* ---- waits ---------------------------------------------------------- */

/* The flags block x reads with lock x held (at most MAX_FLAGS). */
static uint32_t flags_read(const struct build *b, uint32_t i, uint32_t x,
                           const struct ll_race_lock *lock, const struct ll_path **out)
{
    const struct ll_function *fn = b->v->fns[i].fn;
    const struct ll_block *bl = &fn->blocks[x];
    uint32_t n = 0;
    for (uint32_t k = 0; k < bl->nevents && n < MAX_FLAGS; k++) {
        uint32_t e = bl->first_event + k;
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind != LL_EV_ACCESS || (ev->flags & LL_EVF_WRITE) || !flag_like(&ev->obj) ||
            !holds(b, i, e, lock))
            continue;
        bool dup = false;
        for (uint32_t j = 0; j < n && !dup; j++)
            dup = same_flag(out[j], &ev->obj);
        if (!dup)
            out[n++] = &ev->obj;
    }
    return n;
}

static bool reads_flag(const struct build *b, uint32_t i, uint32_t x,
                       const struct ll_race_lock *lock, const struct ll_path *flag)
{
    const struct ll_path *got[MAX_FLAGS];
    uint32_t n = flags_read(b, i, x, lock, got);
    for (uint32_t k = 0; k < n; k++)
        if (same_flag(got[k], flag))
            return true;
    return false;
}

static int add_wait(struct build *b, uint32_t i, long chan, uint8_t *ok)
{
    if (chan < 0)
        return -1;
    struct ll_handoff_fn *t = fn_tables(b, i);
    if (!t)
        return -1;
    if (t->nwaits < MAX_PER_FN)
        t->waits[t->nwaits++] = (struct ho_wait){(uint32_t)chan, ok};
    return 0;
}

/* The wait loop `loop` on lock x, left through tests of flag: which
 * blocks only such a departure reaches (struct ho_wait's ok). */
static uint8_t *left_on_flag(struct build *b, uint32_t i, const struct ll_loop *loop,
                             const struct ll_race_lock *x, const struct ll_path *flag)
{
    const struct ll_function *fn = b->v->fns[i].fn;
    uint8_t *skip = blocks(b, fn), *ok = blocks(b, fn);
    if (!skip || !ok)
        return NULL;
    uint32_t n = 0;
    /* paths that skip the loop ... */
    if (!loop->body[0]) {
        skip[0] = 1;
        b->stack[n++] = 0;
    }
    /* ... or leave it other than through a test of the flag */
    for (uint32_t y = 0; y < fn->nblocks; y++) {
        if (!loop->body[y] || reads_flag(b, i, y, x, flag))
            continue;
        for (uint32_t k = 0; k < fn->blocks[y].nsucc; k++) {
            uint32_t s = fn->blocks[y].succ[k];
            if (s < fn->nblocks && !loop->body[s] && !skip[s]) {
                skip[s] = 1;
                b->stack[n++] = s;
            }
        }
    }
    forward(b, fn, n, skip, loop->body);
    for (uint32_t y = 0; y < fn->nblocks; y++)
        ok[y] = !loop->body[y] && !skip[y];
    return ok;
}

static int find_waits(struct build *b, uint32_t i)
{
    const struct ll_fn_view *f = &b->v->fns[i];
    const struct ll_function *fn = f->fn;
    struct ll_arena tmp;
    ll_arena_init(&tmp);
    struct ll_loop *loops = NULL;
    uint32_t nloops = 0;
    int rc = -1;
    if (ll_find_loops(fn, b->a, &tmp, &loops, &nloops) != 0 || make_preds(b, fn) != 0)
        goto out;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind != LL_EV_COND_WAIT || !f->df.reached[e])
            continue;
        int l = ll_df_lock_index(&f->df, ev->aux.key);
        if (l < 0 || !b->locks[i][l].id)
            continue;
        const struct ll_race_lock *x = &b->locks[i][l];
        uint32_t wb = 0;
        for (uint32_t y = 0; y < fn->nblocks; y++)
            if (e >= fn->blocks[y].first_event &&
                e < fn->blocks[y].first_event + fn->blocks[y].nevents)
                wb = y;
        const struct ll_loop *loop = NULL;
        for (uint32_t k = 0; k < nloops && !loop; k++)
            if (loops[k].body[wb])
                loop = &loops[k];
        const struct ll_path *cand[MAX_FLAGS];
        uint32_t ncand = 0;
        if (!loop) {
            /* `if (!ready) wait(...)`: the branch just before the wait */
            if (b->npreds[wb] == 1 && fn->blocks[b->preds[wb][0]].nsucc == 2)
                ncand = flags_read(b, i, b->preds[wb][0], x, cand);
            for (uint32_t k = 0; k < ncand; k++)
                if (add_wait(b, i, channel(b, cand[k], x), NULL) != 0)
                    goto out;
            continue;
        }
        /* the flags read where the loop can be left */
        for (uint32_t y = 0; y < fn->nblocks; y++) {
            bool exits = false;
            for (uint32_t k = 0; loop->body[y] && k < fn->blocks[y].nsucc; k++)
                exits |= fn->blocks[y].succ[k] < fn->nblocks && !loop->body[fn->blocks[y].succ[k]];
            if (!exits)
                continue;
            const struct ll_path *got[MAX_FLAGS];
            uint32_t ng = flags_read(b, i, y, x, got);
            for (uint32_t k = 0; k < ng && ncand < MAX_FLAGS; k++) {
                bool dup = false;
                for (uint32_t j = 0; j < ncand && !dup; j++)
                    dup = same_flag(cand[j], got[k]);
                if (!dup)
                    cand[ncand++] = got[k];
            }
        }
        for (uint32_t k = 0; k < ncand; k++) {
            uint8_t *ok = left_on_flag(b, i, loop, x, cand[k]);
            if (!ok || add_wait(b, i, channel(b, cand[k], x), ok) != 0)
                goto out;
        }
    }
    rc = 0;
out:
    ll_arena_release(&tmp);
    return rc;
}

/* ---- sets ----------------------------------------------------------- */

static int find_sets(struct build *b, uint32_t i, uint32_t c)
{
    const struct ll_fn_view *f = &b->v->fns[i];
    const struct ll_function *fn = f->fn;
    const struct ll_handoff_chan *ch = &b->h->chans[c];
    uint8_t *set_ev = NULL;
    bool setter = false;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind != LL_EV_ACCESS || !(ev->flags & LL_EVF_WRITE) || !f->df.reached[e] ||
            !flag_like(&ev->obj) || !same_flag(&ev->obj, b->flag_path[c]))
            continue;
        /* any write while other threads may run sets the flag for a
         * waiter to see, with the lock or (wrongly) without */
        setter |= !f->single_threaded && !(f->quiet && f->quiet[e]);
        if (!holds(b, i, e, &ch->lock))
            continue;
        if (!set_ev && !(set_ev = ll_arena_alloc(b->a, fn->nevents + 1)))
            return -1;
        set_ev[e] = 1;
    }
    struct ll_handoff_chan *w = &b->h->chans[c];
    if (setter && w->nsetters < LL_HO_SETTERS)
        w->setters[w->nsetters] = i;
    w->nsetters += setter;
    if (!set_ev)
        return 0;
    struct ll_handoff_fn *t = fn_tables(b, i);
    if (!t)
        return -1;
    if (t->npubs == MAX_PER_FN)
        return 0;
    if (!b->preds && make_preds(b, fn) != 0)
        return -1;
    struct ho_pub *p = &t->pubs[t->npubs++];
    p->chan = c;
    p->set_ev = set_ev;
    p->set_blk = blocks(b, fn);
    p->free_exit = blocks(b, fn);
    p->to_set = blocks(b, fn);
    p->after = blocks(b, fn);
    if (!p->set_blk || !p->free_exit || !p->to_set || !p->after)
        return -1;
    uint32_t n = 0;
    for (uint32_t e = 0; e < fn->nevents; e++)
        if (set_ev[e] && !p->set_blk[t->block_of[e]]) {
            p->set_blk[t->block_of[e]] = 1;
            p->to_set[t->block_of[e]] = 1;
            b->stack[n++] = t->block_of[e];
        }
    backward(b, n, p->to_set, NULL);
    n = 0;
    for (uint32_t y = 0; y < fn->nblocks; y++)
        if (p->set_blk[y])
            b->stack[n++] = y;
    forward(b, fn, n, p->after, NULL);
    if (fn->exit < fn->nblocks && !p->set_blk[fn->exit]) {
        p->free_exit[fn->exit] = 1;
        b->stack[0] = fn->exit;
        backward(b, 1, p->free_exit, p->set_blk);
    }
    return 0;
}

/* ---- functions that run once ---------------------------------------- */

static int find_once(struct build *b)
{
    const struct ll_view *v = b->v;
    size_t n = v->nfns;
    uint32_t *sites = calloc(n + 1, sizeof(uint32_t));
    uint32_t *site_fn = calloc(n + 1, sizeof(uint32_t));
    uint16_t *site_depth = calloc(n + 1, sizeof(uint16_t));
    b->h->once = ll_arena_alloc(b->a, n + 1);
    int rc = -1;
    if (!sites || !site_fn || !site_depth || !b->h->once)
        goto out;
    for (size_t i = 0; i < n; i++) {
        const struct ll_fn_view *f = &v->fns[i];
        for (uint32_t e = 0; f->calls && e < f->fn->nevents; e++) {
            const struct ll_call_info *ci = f->calls[e];
            if (!ci || ci->callee < 0 || !f->df.reached[e])
                continue;
            sites[ci->callee]++;
            site_fn[ci->callee] = (uint32_t)i;
            site_depth[ci->callee] = f->fn->events[e].loop_depth;
        }
    }
    for (size_t i = 0; i < n; i++) {
        /* up the one chain of callers to a root that runs once */
        size_t x = i;
        bool once = false;
        for (int steps = 0; steps < 16; steps++) {
            long r = v->mhp.root_of[x];
            if (r >= 0) {
                once = sites[x] == 0 && !v->cg.roots[r].multi_instance;
                break;
            }
            if (sites[x] != 1 || site_depth[x] > 0 || v->cg.recursive[x])
                break;
            x = site_fn[x];
        }
        b->h->once[i] = once;
    }
    rc = 0;
out:
    free(sites);
    free(site_fn);
    free(site_depth);
    return rc;
}

int ll_handoff_build(const struct ll_view *v, struct ll_race_lock *const *locks,
                     struct ll_handoff *out)
{
    memset(out, 0, sizeof(*out));
    ll_arena_init(&out->arena);
    struct build b = {.v = v, .locks = locks, .h = out, .a = &out->arena};
    size_t most = 1;
    for (size_t i = 0; i < v->nfns; i++)
        most = v->fns[i].fn->nblocks > most ? v->fns[i].fn->nblocks : most;
    b.stack = malloc(2 * (most + 1) * sizeof(uint32_t)); /* a block at most twice */
    out->fns = ll_arena_alloc(b.a, (v->nfns + 1) * sizeof(*out->fns));
    int rc = -1;
    if (!b.stack || !out->fns)
        goto done;
    for (uint32_t i = 0; i < v->nfns; i++) {
        const struct ll_function *fn = v->fns[i].fn;
        bool waits = false;
        for (uint32_t e = 0; e < fn->nevents && !waits; e++)
            waits = fn->events[e].kind == LL_EV_COND_WAIT;
        b.preds = NULL;
        if (waits && find_waits(&b, i) != 0)
            goto done;
    }
    for (uint32_t i = 0; i < v->nfns && out->nchans; i++) {
        b.preds = NULL; /* made for this function when it sets a flag */
        for (uint32_t c = 0; c < out->nchans; c++)
            if (find_sets(&b, i, c) != 0)
                goto done;
    }
    rc = out->nchans ? find_once(&b) : 0;
done:
    free(b.stack);
    return rc;
}

void ll_handoff_release(struct ll_handoff *h)
{
    ll_arena_release(&h->arena);
    memset(h, 0, sizeof(*h));
}

/* ---- per access ----------------------------------------------------- */

static int put(struct ll_arena *a, struct ll_handoff_mark **m, uint32_t *n,
               struct ll_handoff_mark x)
{
    for (uint32_t k = 0; k < *n; k++)
        if ((*m)[k].chan == x.chan) {
            if (x.full && !(*m)[k].full)
                (*m)[k] = x;
            return 0;
        }
    if (!*m && !(*m = ll_arena_alloc(a, MAX_PER_FN * sizeof(**m))))
        return -1;
    if (*n < MAX_PER_FN)
        (*m)[(*n)++] = x;
    return 0;
}

int ll_handoff_marks(const struct ll_handoff *h, uint32_t fn, uint32_t e, struct ll_arena *a,
                     struct ll_handoff_mark **pub, uint32_t *npub, struct ll_handoff_mark **obs,
                     uint32_t *nobs)
{
    *pub = *obs = NULL;
    *npub = *nobs = 0;
    const struct ll_handoff_fn *t = h->fns ? h->fns[fn] : NULL;
    if (!t)
        return 0;
    uint32_t x = t->block_of[e];
    for (uint32_t k = 0; k < t->nwaits; k++) {
        const struct ho_wait *w = &t->waits[k];
        if (put(a, obs, nobs, (struct ll_handoff_mark){w->chan, w->ok && w->ok[x], false}) != 0)
            return -1;
    }
    const struct ll_function *f = t->fn;
    const struct ll_block *bl = &f->blocks[x];
    for (uint32_t k = 0; k < t->npubs; k++) {
        const struct ho_pub *p = &t->pubs[k];
        bool before = false, after = false;
        for (uint32_t y = bl->first_event; y < bl->first_event + bl->nevents; y++) {
            before |= y < e && p->set_ev[y];
            after |= y > e && p->set_ev[y];
        }
        bool full = after || x != f->exit, some = after;
        for (uint32_t s = 0; !after && s < bl->nsucc; s++) {
            if (bl->succ[s] >= f->nblocks)
                continue;
            full &= !p->free_exit[bl->succ[s]];
            some |= p->to_set[bl->succ[s]];
        }
        if (!some)
            continue;
        struct ll_handoff_mark m = {p->chan, full, before || p->after[x]};
        if (put(a, pub, npub, m) != 0)
            return -1;
    }
    return 0;
}

/* b publishes a channel a observes, both on every path: the two sides
 * wait for each other. */
static bool answered(const struct ll_race_access *a, const struct ll_race_access *b)
{
    for (uint32_t i = 0; i < b->npub; i++)
        for (uint32_t j = 0; b->pub[i].full && j < a->nobs; j++)
            if (a->obs[j].full && a->obs[j].chan == b->pub[i].chan)
                return true;
    return false;
}

/* The flag of channel c is set by a's and b's functions only. */
static bool own_setters(const struct ll_handoff_chan *c, const struct ll_race_access *a,
                        const struct ll_race_access *b)
{
    if (c->nsetters > LL_HO_SETTERS)
        return false;
    for (uint32_t k = 0; k < c->nsetters; k++)
        if (c->setters[k] != a->fn && c->setters[k] != b->fn)
            return false;
    return true;
}

enum ll_ho_order ll_handoff_order(const struct ll_view *v, const struct ll_handoff *h,
                                  const struct ll_race_access *a, const struct ll_race_access *b,
                                  uint32_t *chan)
{
    (void)v;
    enum ll_ho_order best = LL_HO_NONE;
    for (uint32_t i = 0; i < a->npub; i++)
        for (uint32_t j = 0; j < b->nobs; j++) {
            const struct ll_handoff_mark *p = &a->pub[i], *o = &b->obs[j];
            if (p->chan != o->chan)
                continue;
            if (best == LL_HO_NONE && chan)
                *chan = p->chan;
            best = LL_HO_PARTIAL;
            /* a writer that may set the flag again must wait for the
             * reader's answer: one reader, or another could answer for it */
            if (p->full && o->full && own_setters(&h->chans[p->chan], a, b) && h->once[a->fn] &&
                (!p->looped || (answered(a, b) && h->once[b->fn]))) {
                if (chan)
                    *chan = p->chan;
                return LL_HO_ORDERED;
            }
        }
    return best;
}
