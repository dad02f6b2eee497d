/*
 * handoff: publication of data through a flag a lock guards, or of
 * objects through a queue of pointers under a lock, as a happens-before
 * edge of the race analysis (handoff.h says what is understood and
 * assumed).  Passes over the program: the wait loops (which give the flag
 * channels), the writes of the channels' flags (the setters) and the
 * waits through calls of helpers, callees first, and which
 * functions run once; then the takes (which give the queue channels) and
 * the puts, each a must/may dataflow per pointer variable over its
 * function.  Per access, block bitmaps and per-event states answer "set
 * (put in) on every path after it" and "waited for (taken out) on every
 * path before it" in constant time.
 *
 * Callees count through their summaries only (struct ho_sum, struct
 * q_sum: put and get helpers), and it does not decide how a pair is
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
 * (NULL: a wait under `if`, partial evidence only); or, for the calls of
 * get helpers, ok_ev[e] when every path from the entry to event e has
 * left such a loop or returned from such a call (find_gets()). */
struct ho_wait {
    uint32_t chan;
    uint8_t *ok;
    uint8_t *ok_ev;
};

/* The writes of channel `chan`'s flag in one function, per block and event. */
struct ho_pub {
    uint32_t chan;
    uint8_t *set_ev;    /* per event: SET_MUST when it writes the flag with the lock held (or
                           calls a put helper), SET_MAY when it calls a function that may */
    uint8_t *set_blk;   /* per block: it holds such a write */
    uint8_t *free_exit; /* per block: its start reaches the return without a write */
    uint8_t *to_set;    /* per block: its start reaches a write (or a SET_MAY call) */
    uint8_t *after;     /* per block: reachable from the end of a block with a write */
};

/* Queue hand-off: local or parameter pointer `var` taken out of (TAKE) or
 * put into (PUT) the container of queue channel `chan`.  Per event, the
 * state before it: QS_MUST when on every path (through a container tied
 * to the lock, see tied()), QS_ANY the same through any container, QS_MAY
 * when on some path; for PUT, QS_MUST, QS_ANY and QS_MAY look forward (every / some path from the
 * event to the return puts var before it changes), QS_AFTER back (some path from the entry has put
 * var since it last changed). */
enum { QS_MUST = 1, QS_MAY = 2, QS_AFTER = 4, QS_ANY = 8 }; /* QS_ANY: QS_MUST, any container */
#define MAX_ALIASES 4
struct ho_queue {
    uint32_t chan;
    bool put;
    const char *var;
    uint32_t nalias;
    const char *alias[MAX_ALIASES]; /* PUT: local copies that stand for var (canon_var()) */
    uint8_t *state;                 /* per event */
};

struct ll_handoff_fn {
    uint32_t nwaits, npubs, nqueue;
    struct ho_wait waits[MAX_PER_FN];
    struct ho_pub pubs[MAX_PER_FN];
    struct ho_queue queue[MAX_PER_FN];
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
    struct q_sum *qsum; /* per function: what its calls put and take (queues) */
    struct ho_sum *sum; /* per function and flag channel (fn * nchans + chan): what its calls do */
};

/* Helpers of flag channels count at their calls (callees first), through
 * at most HO_LEVELS levels of calls.  Per function and channel, the level
 * (1: by itself, 2: through a call of a level 1 helper, ...; 0: no) at
 * which the function writes the flag with the lock held on every path from
 * its entry to its return (put), on some path (may), or has left a wait
 * loop on the flag on every path to its return (get), on some (mayget). */
#define HO_LEVELS 4
struct ho_sum {
    uint8_t put, may, get, mayget;
};
enum { SET_MUST = 1, SET_MAY = 2 };

/* A function whose calls put or take: it returns, on every path that
 * returns a pointer, one it took out of a queue channel (`pop(q)`), or it
 * puts a parameter in on every path (`push(q, j)`). */
struct q_sum {
    int32_t take_chan, put_chan; /* -1: none */
    int16_t put_param;
    bool take_tied, put_tied;
};

/* ---- small helpers -------------------------------------------------- */

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
static long channel(struct build *b, const struct ll_path *p, const struct ll_race_lock *x,
                    bool queue)
{
    struct ll_handoff *h = b->h;
    for (uint32_t c = 0; c < h->nchans; c++)
        if (h->chans[c].queue == queue && ll_race_same_lock(&h->chans[c].lock, x) &&
            (queue || same_flag(p, b->flag_path[c])))
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
    memset(ch, 0, sizeof(*ch));
    ch->queue = queue;
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
        if (ev->kind != LL_EV_ACCESS || (ev->flags & LL_EVF_WRITE) || !ll_path_shared(&ev->obj) ||
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
        t->waits[t->nwaits++] = (struct ho_wait){(uint32_t)chan, ok, NULL};
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
                if (add_wait(b, i, channel(b, cand[k], x, false), NULL) != 0)
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
            if (!ok || add_wait(b, i, channel(b, cand[k], x, false), ok) != 0)
                goto out;
        }
    }
    rc = 0;
out:
    ll_arena_release(&tmp);
    return rc;
}

/* ---- sets ----------------------------------------------------------- */

/* The summary of the program function event e of function i calls (a
 * reached call), or NULL. */
static const struct ho_sum *callee_sum(const struct build *b, uint32_t i, uint32_t e, uint32_t c)
{
    const struct ll_fn_view *f = &b->v->fns[i];
    if (f->fn->events[e].kind != LL_EV_CALL || !f->df.reached[e])
        return NULL;
    long g = ll_program_callee(&b->v->program, i, e);
    return g >= 0 ? &b->sum[(size_t)g * b->h->nchans + c] : NULL;
}

/* A helper counts at its call when its level is at most HO_LEVELS. */
static bool counts(uint8_t level)
{
    return level > 0 && level <= HO_LEVELS;
}

/* Event e of function i sets channel c's flag: SET_MUST for a write with
 * the lock held or a call of a put helper, SET_MAY for a call of a
 * function that may set it; *level grows to the callee's level. */
static uint8_t sets_flag(const struct build *b, uint32_t i, uint32_t e, uint32_t c, uint8_t *level)
{
    const struct ll_event *ev = &b->v->fns[i].fn->events[e];
    const struct ho_sum *s = callee_sum(b, i, e, c);
    if (s && (counts(s->put) || counts(s->may))) {
        uint8_t l = counts(s->put) ? s->put : s->may;
        *level = l > *level ? l : *level;
        return counts(s->put) ? SET_MUST : SET_MAY;
    }
    if (ev->kind != LL_EV_ACCESS || !(ev->flags & LL_EVF_WRITE) || !b->v->fns[i].df.reached[e] ||
        !ll_path_shared(&ev->obj) || !same_flag(&ev->obj, b->flag_path[c]))
        return 0;
    return holds(b, i, e, &b->h->chans[c].lock) ? SET_MUST : 0;
}

/* Function i writes channel c's flag while other threads may run (with
 * the lock held or not): it is one of the channel's setters. */
static void note_setter(struct build *b, uint32_t i, uint32_t c)
{
    const struct ll_fn_view *f = &b->v->fns[i];
    const struct ll_function *fn = f->fn;
    bool setter = false;
    for (uint32_t e = 0; e < fn->nevents && !setter; e++) {
        const struct ll_event *ev = &fn->events[e];
        setter = ev->kind == LL_EV_ACCESS && (ev->flags & LL_EVF_WRITE) && f->df.reached[e] &&
                 ll_path_shared(&ev->obj) && same_flag(&ev->obj, b->flag_path[c]) &&
                 !f->single_threaded && !(f->quiet && f->quiet[e]);
    }
    struct ll_handoff_chan *w = &b->h->chans[c];
    if (setter && w->nsetters < LL_HO_SETTERS)
        w->setters[w->nsetters] = i;
    w->nsetters += setter;
}

/* The blocks of pub p: with a write (SET_MUST), reaching any set (SET_MAY
 * too), reachable from one, reaching the return without a write. */
static void pub_blocks(struct build *b, const struct ll_function *fn, const uint32_t *block_of,
                       struct ho_pub *p)
{
    uint32_t n = 0;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        p->set_blk[block_of[e]] |= p->set_ev[e] == SET_MUST;
        if (p->set_ev[e] && !p->to_set[block_of[e]]) {
            p->to_set[block_of[e]] = 1;
            b->stack[n++] = block_of[e];
        }
    }
    backward(b, n, p->to_set, NULL);
    uint8_t *seed = p->after; /* borrowed: the blocks with any set, cleared below */
    n = 0;
    for (uint32_t e = 0; e < fn->nevents; e++)
        if (p->set_ev[e] && !seed[block_of[e]]) {
            seed[block_of[e]] = 1;
            b->stack[n++] = block_of[e];
        }
    for (uint32_t k = 0; k < n; k++)
        seed[b->stack[k]] = 0;
    forward(b, fn, n, p->after, NULL);
    if (fn->exit < fn->nblocks && !p->set_blk[fn->exit]) {
        p->free_exit[fn->exit] = 1;
        b->stack[0] = fn->exit;
        backward(b, 1, p->free_exit, p->set_blk);
    }
}

static int find_sets(struct build *b, uint32_t i, uint32_t c)
{
    const struct ll_function *fn = b->v->fns[i].fn;
    uint8_t *set_ev = NULL, level = 0;
    if (b->h->chans[c].queue)
        return 0;
    note_setter(b, i, c);
    for (uint32_t e = 0; e < fn->nevents; e++) {
        uint8_t s = sets_flag(b, i, e, c, &level);
        if (!s)
            continue;
        if (!set_ev && !(set_ev = ll_arena_alloc(b->a, fn->nevents + 1)))
            return -1;
        set_ev[e] = s;
    }
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
    pub_blocks(b, fn, t->block_of, p);
    struct ho_sum *s = &b->sum[(size_t)i * b->h->nchans + c];
    s->may = (uint8_t)(level + 1);
    if (p->to_set[0] && !p->free_exit[0])
        s->put = (uint8_t)(level + 1);
    return 0;
}

/* ---- waits through calls (get helpers) ------------------------------- */

/* Block x comes only after the flag test of a wait loop of function i
 * on channel c. */
static bool waited(const struct ll_handoff_fn *t, uint32_t c, uint32_t x)
{
    for (uint32_t k = 0; t && k < t->nwaits; k++)
        if (t->waits[k].chan == c && t->waits[k].ok && t->waits[k].ok[x])
            return true;
    return false;
}

/* Function i's sets of channel c's flag, per event (NULL: none). */
static const uint8_t *sets_of(const struct ll_handoff_fn *t, uint32_t c)
{
    for (uint32_t k = 0; t && k < t->npubs; k++)
        if (t->pubs[k].chan == c)
            return t->pubs[k].set_ev;
    return NULL;
}

/* The state after event e (GOT_*) from the state st before it. */
enum { GOT_WAITED = 1, GOT_FRESH = 2 };
static uint8_t got_step(const struct build *b, uint32_t i, uint32_t e, uint32_t c,
                        const uint8_t *set_ev, uint8_t st)
{
    const struct ho_sum *s = callee_sum(b, i, e, c);
    if (s && counts(s->get))
        return counts(s->may) ? GOT_WAITED : GOT_WAITED | GOT_FRESH;
    return set_ev && set_ev[e] ? st & GOT_WAITED : st;
}

/* Per event of function i, whether every path from the entry to it has
 * left a wait loop on channel c or returned from a call of a get helper
 * (GOT_WAITED), and has not set the flag since (GOT_FRESH), into got;
 * *at_exit: waited at the return. */
static int got_events(struct build *b, uint32_t i, uint32_t c, uint8_t *got, bool *at_exit)
{
    const struct ll_function *fn = b->v->fns[i].fn;
    const struct ll_handoff_fn *t = b->h->fns[i];
    const uint8_t *set_ev = sets_of(t, c);
    uint8_t *out = blocks(b, fn);
    if (!out)
        return -1;
    memset(out, GOT_WAITED | GOT_FRESH, fn->nblocks); /* optimistic: must */
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t x = 0; x < fn->nblocks; x++) {
            uint8_t st = x != 0 && b->npreds[x] > 0 ? GOT_WAITED | GOT_FRESH : 0;
            for (uint32_t k = 0; k < b->npreds[x]; k++)
                st &= out[b->preds[x][k]];
            if (waited(t, c, x)) {
                /* where a wait loop is left: a predecessor is in it */
                bool left = false;
                for (uint32_t k = 0; k < b->npreds[x] && !left; k++)
                    left = !waited(t, c, b->preds[x][k]);
                st = left ? GOT_WAITED | GOT_FRESH : st | GOT_WAITED;
            }
            const struct ll_block *bl = &fn->blocks[x];
            for (uint32_t j = 0; j < bl->nevents; j++) {
                got[bl->first_event + j] = st;
                st = got_step(b, i, bl->first_event + j, c, set_ev, st);
            }
            if (st != out[x]) {
                out[x] = st;
                changed = true;
            }
        }
    }
    *at_exit = fn->exit < fn->nblocks && (out[fn->exit] & GOT_WAITED);
    return 0;
}

/* Function i waits on channel c by itself (a wait loop, or a wait under
 * `if`). */
static bool waits_itself(const struct ll_handoff_fn *t, uint32_t c)
{
    for (uint32_t k = 0; t && k < t->nwaits; k++)
        if (t->waits[k].chan == c && !t->waits[k].ok_ev)
            return true;
    return false;
}

/* Function i's calls of functions that wait on a channel: a wait on it
 * (struct ho_wait's ok_ev: in full after the call of a get helper), and
 * whether i is a get helper itself, or waits on some path only. */
static int find_gets(struct build *b, uint32_t i)
{
    const struct ll_function *fn = b->v->fns[i].fn;
    for (uint32_t c = 0; c < b->h->nchans; c++) {
        uint8_t level = 0; /* of the callees that wait */
        for (uint32_t e = 0; e < fn->nevents; e++) {
            const struct ho_sum *s = callee_sum(b, i, e, c);
            if (s && counts(s->mayget) && s->mayget > level)
                level = s->mayget;
        }
        if (!level && !waits_itself(b->h->fns[i], c))
            continue;
        struct ll_handoff_fn *tb = fn_tables(b, i);
        uint8_t *got = ll_arena_alloc(b->a, fn->nevents + 1);
        bool at_exit = false;
        if (!tb || !got || (!b->preds && make_preds(b, fn) != 0) ||
            got_events(b, i, c, got, &at_exit) != 0)
            return -1;
        if (tb->nwaits < MAX_PER_FN)
            tb->waits[tb->nwaits++] = (struct ho_wait){c, NULL, got};
        struct ho_sum *sum = &b->sum[(size_t)i * b->h->nchans + c];
        sum->mayget = (uint8_t)(level + 1);
        if (at_exit)
            sum->get = (uint8_t)(level + 1);
    }
    return 0;
}

/* ---- queues of pointers --------------------------------------------- */

/* The variable a path starts from ("q" of "q->items[i]"), into buf; false
 * when it is no plain local or parameter name. */
static bool root_var(const char *key, char *buf, size_t len)
{
    size_t n = 0;
    while (key && n + 1 < len &&
           (key[n] == '_' || (key[n] >= 'a' && key[n] <= 'z') || (key[n] >= 'A' && key[n] <= 'Z') ||
            (n > 0 && key[n] >= '0' && key[n] <= '9'))) {
        buf[n] = key[n];
        n++;
    }
    buf[n] = '\0';
    return n > 0;
}

static bool var_path(const struct ll_path *p)
{
    return (p->root == LL_ROOT_LOCAL || p->root == LL_ROOT_PARAM) && p->key &&
           !(p->flags & (LL_PATH_DEREF | LL_PATH_ADDR));
}

/* Memory a pointer can be stored in or loaded from: a global or static,
 * or anything reached through a pointer. */
static bool slot_path(const struct ll_path *p)
{
    if (!p->key || (p->flags & LL_PATH_ADDR) || p->key[0] == '*')
        return false; /* `*out = p`: a result handed to the caller, no container */
    return p->root == LL_ROOT_GLOBAL || p->root == LL_ROOT_STATIC_LOCAL ||
           ((p->root == LL_ROOT_LOCAL || p->root == LL_ROOT_PARAM) && (p->flags & LL_PATH_DEREF));
}

/* Slot s and the lock are reached from one variable, or are parts of
 * one global (`q.head` and `q.lock`). */
static bool same_root(const struct ll_path *s, const struct ll_path *lock)
{
    char a[128], c[128];
    if (s->root_usr || (lock && lock->root_usr))
        return lock && s->root_usr && lock->root_usr && strcmp(s->root_usr, lock->root_usr) == 0;
    return lock && lock->key && lock->root == s->root && root_var(s->key, a, sizeof(a)) &&
           root_var(lock->key, c, sizeof(c)) && strcmp(a, c) == 0;
}

/* The container slot s is the lock's own data: a global (compared as
 * one object), or reached from the variable the lock is reached from
 * (`q->items[i]` under `q->lock`, `q->tail->next` too).  Else the slot is
 * matched with the container only by the lock's type: partial evidence. */
static bool tied(const struct ll_path *s, const struct ll_path *lock)
{
    if (s->root == LL_ROOT_GLOBAL || s->root == LL_ROOT_STATIC_LOCAL)
        return true;
    return same_root(s, lock);
}

/* The variable event ev assigns (a local written, a call's result, a local
 * declared as a copy or a load, a local whose address a call gets), or NULL. */
static const char *assigns(const struct ll_event *ev, uint32_t k)
{
    /* a call's result; an access that stands for the write of a local
     * (on a write of a local itself, result_var is the constant written) */
    if (ev->result_var && ev->kind != LL_EV_RETURN &&
        (ev->kind != LL_EV_ACCESS || !(ev->flags & LL_EVF_WRITE) || !var_path(&ev->obj)))
        return ev->result_var;
    if (ev->kind == LL_EV_ACCESS && var_path(&ev->obj) &&
        ((ev->flags & LL_EVF_WRITE) || ev->aux.root != LL_ROOT_NONE))
        return ev->obj.key;
    if ((ev->kind == LL_EV_CALL || ev->kind == LL_EV_THREAD_CREATE) && k < ev->nargs &&
        (ev->args[k].root == LL_ROOT_LOCAL || ev->args[k].root == LL_ROOT_PARAM) &&
        (ev->args[k].flags & LL_PATH_ADDR) && !(ev->args[k].flags & LL_PATH_DEREF))
        return ev->args[k].key;
    return NULL;
}

static bool assigns_var(const struct ll_event *ev, const char *var)
{
    for (uint32_t k = 0; k == 0 || k < ev->nargs; k++) {
        const char *a = assigns(ev, k);
        if (a && strcmp(a, var) == 0)
            return true;
    }
    return false;
}

/* What a local copy stands for: `struct job *j = arg;` never assigned
 * again is arg (the frontend names accesses through j by arg). */
static const char *canon_var(const struct ll_function *fn, const char *var)
{
    for (int steps = 0; steps < 4; steps++) {
        const char *to = NULL;
        uint32_t nassign = 0;
        for (uint32_t e = 0; e < fn->nevents; e++) {
            const struct ll_event *ev = &fn->events[e];
            if (!assigns_var(ev, var))
                continue;
            nassign++;
            if (ev->kind == LL_EV_ACCESS && !(ev->flags & LL_EVF_WRITE) && var_path(&ev->aux))
                to = ev->aux.key;
        }
        if (nassign != 1 || !to)
            return var;
        var = to;
    }
    return var;
}

/* Event ev of function i: the queue channel, evidence and variable of a
 * take (`p = q->head`, `T *p = q->items[--q->n]` with the lock held) or of
 * a put (`q->tail->next = p` with the lock held). */
static bool queue_event(struct build *b, uint32_t i, uint32_t e, bool put, bool create, long *chan,
                        bool *is_tied, const char **var)
{
    const struct ll_fn_view *f = &b->v->fns[i];
    const struct ll_event *ev = &f->fn->events[e];
    if (ev->kind == LL_EV_CALL && f->df.reached[e]) {
        long g = ll_program_callee(&b->v->program, i, e);
        const struct q_sum *s = g >= 0 ? &b->qsum[g] : NULL;
        if (!s || (put ? s->put_chan < 0 || s->put_param >= (int)ev->nargs ||
                             !var_path(&ev->args[s->put_param])
                       : s->take_chan < 0 || !ev->result_var))
            return false;
        *chan = put ? s->put_chan : s->take_chan;
        *is_tied = put ? s->put_tied : s->take_tied;
        *var = put ? canon_var(f->fn, ev->args[s->put_param].key) : ev->result_var;
        return true;
    }
    if (ev->kind != LL_EV_ACCESS || !f->df.reached[e])
        return false;
    const struct ll_path *slot = put ? &ev->obj : &ev->aux, *val = put ? &ev->aux : &ev->obj;
    if (!slot_path(slot) || !var_path(val) || (put && !(ev->flags & LL_EVF_WRITE)) ||
        (!put && (ev->obj.root != LL_ROOT_LOCAL || ev->aux.root == LL_ROOT_NONE)))
        return false;
    /* the lock the slot is tied to first (`q->lock` for `q->head`, not an
     * outer `pool->lock`), else any held */
    for (uint32_t k = 0; k < 2 * f->df.nlocks; k++) {
        uint32_t l = k % f->df.nlocks;
        const struct ll_race_lock *x = &b->locks[i][l];
        if (!x->id || !held(f, e, l) || (k < f->df.nlocks && !same_root(slot, f->df.locks[l].path)))
            continue;
        long c = -1;
        for (uint32_t n = 0; n < b->h->nchans && c < 0; n++)
            if (b->h->chans[n].queue && ll_race_same_lock(&b->h->chans[n].lock, x))
                c = n;
        if (c < 0 && create)
            c = channel(b, slot, x, true);
        if (c < 0)
            continue;
        *chan = c;
        *is_tied = tied(slot, f->df.locks[l].path);
        *var = put ? canon_var(f->fn, val->key) : val->key;
        return true;
    }
    return false;
}

/* What event_of[] says an event does to a queue's variable. */
enum { QE_NONE = 0, QE_TIED, QE_OTHER, QE_CHANGE };

/* The must bits (every path: `must`, of which QS_MUST counts tied slots
 * only) and may bits (some path) through one event. */
static uint8_t q_step(uint8_t st, uint8_t what, uint8_t must, uint8_t may)
{
    switch (what) {
    case QE_TIED:
        return (uint8_t)(must | may);
    case QE_OTHER:
        return (uint8_t)((must & ~QS_MUST) | may);
    case QE_CHANGE:
        return 0;
    default:
        return st;
    }
}

/* Meets two states: must bits by AND, may bits by OR. */
static uint8_t q_meet(uint8_t x, uint8_t y, uint8_t must, uint8_t may)
{
    return (uint8_t)((x & y & must) | ((x | y) & may));
}

/* The state where block x starts (forwards) or ends (backwards), from the
 * neighbours' `out`. */
static uint8_t q_start(const struct build *b, const struct ll_function *fn, const uint8_t *out,
                       uint32_t x, bool fwd, uint8_t must, uint8_t may)
{
    if (fwd ? x == 0 : x == fn->exit)
        return 0;
    uint8_t st = 0;
    bool any = false;
    if (fwd) {
        for (uint32_t p = 0; p < b->npreds[x]; p++) {
            st = any ? q_meet(st, out[b->preds[x][p]], must, may) : out[b->preds[x][p]];
            any = true;
        }
        return st; /* unreachable: nothing */
    }
    const struct ll_block *bl = &fn->blocks[x];
    for (uint32_t j = 0; j < bl->nsucc; j++) {
        if (bl->succ[j] >= fn->nblocks)
            continue;
        st = any ? q_meet(st, out[bl->succ[j]], must, may) : out[bl->succ[j]];
        any = true;
    }
    /* a path that ends the thread or the process puts nothing and hands
     * nothing on: nothing to wait for */
    return any ? st : must;
}

/* One pass over function fn's CFG (forwards from the entry, or backwards
 * from the return) for the bits must and may; ORs into state[] each
 * event's: forwards, the state before it; backwards, after it. */
static int q_pass(struct build *b, const struct ll_function *fn, const uint8_t *event_of, bool fwd,
                  uint8_t must, uint8_t may, uint8_t *state, uint8_t *entry)
{
    uint32_t nb = fn->nblocks;
    uint8_t *out = blocks(b, fn);
    if (!out)
        return -1;
    for (uint32_t x = 0; x < nb; x++)
        out[x] = must; /* optimistic for must; may grows */
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t k = 0; k < nb; k++) {
            uint32_t x = fwd ? k : nb - 1 - k;
            const struct ll_block *bl = &fn->blocks[x];
            uint8_t st = q_start(b, fn, out, x, fwd, must, may);
            for (uint32_t j = 0; j < bl->nevents; j++)
                st = q_step(
                    st, event_of[fwd ? bl->first_event + j : bl->first_event + bl->nevents - 1 - j],
                    must, may);
            if (st != out[x]) {
                out[x] = st;
                changed = true;
            }
        }
    }
    for (uint32_t x = 0; x < nb; x++) {
        const struct ll_block *bl = &fn->blocks[x];
        uint8_t st = q_start(b, fn, out, x, fwd, must, may);
        for (uint32_t j = 0; j < bl->nevents; j++) {
            uint32_t e = fwd ? bl->first_event + j : bl->first_event + bl->nevents - 1 - j;
            state[e] |= st;
            st = q_step(st, event_of[e], must, may);
        }
    }
    if (entry)
        *entry = out[0]; /* backwards: the state where the function starts */
    return 0;
}

/* Function i returns, on every path that returns a pointer, NULL or one
 * it took out of one channel's container: its calls take (b->qsum). */
static void take_summary(struct build *b, uint32_t i, const struct ll_handoff_fn *tb)
{
    const struct ll_function *fn = b->v->fns[i].fn;
    long chan = -1;
    bool all_tied = true;
    if (!(fn->flags & LL_FN_RETURNS_POINTER))
        return;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind != LL_EV_RETURN || !b->v->fns[i].df.reached[e])
            continue;
        const char *r = ev->result_var;
        char name[128];
        if (!r || (ev->flags & LL_EVF_IMPLICIT))
            return; /* an expression returned, or nothing */
        if (strcmp(r, "NULL") == 0 || !root_var(r, name, sizeof(name)) || strcmp(name, r) != 0)
            continue; /* a constant */
        const struct ho_queue *q = NULL;
        for (uint32_t k = 0; k < tb->nqueue && !q; k++)
            if (!tb->queue[k].put && strcmp(tb->queue[k].var, r) == 0 &&
                (tb->queue[k].state[e] & QS_ANY))
                q = &tb->queue[k];
        if (!q || (chan >= 0 && (uint32_t)chan != q->chan))
            return;
        chan = q->chan;
        all_tied &= (q->state[e] & QS_MUST) != 0;
    }
    if (chan >= 0) {
        b->qsum[i].take_chan = (int32_t)chan;
        b->qsum[i].take_tied = all_tied;
    }
}

/* The takes or puts of function i, one struct ho_queue per variable and
 * channel. */
static int find_queue(struct build *b, uint32_t i, bool put)
{
    const struct ll_function *fn = b->v->fns[i].fn;
    struct q_seen {
        long chan;
        const char *var;
    } seen[MAX_PER_FN];
    uint32_t nseen = 0;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        long c;
        bool t;
        const char *var;
        if (!queue_event(b, i, e, put, !put, &c, &t, &var))
            continue;
        bool dup = false;
        for (uint32_t k = 0; k < nseen && !dup; k++)
            dup = seen[k].chan == c && strcmp(seen[k].var, var) == 0;
        if (!dup && nseen < MAX_PER_FN)
            seen[nseen++] = (struct q_seen){c, var};
    }
    if (nseen == 0)
        return 0;
    struct ll_handoff_fn *tb = fn_tables(b, i);
    uint8_t *event_of = ll_arena_alloc(b->a, fn->nevents + 1);
    if (!tb || !event_of || make_preds(b, fn) != 0)
        return -1;
    for (uint32_t k = 0; k < nseen && tb->nqueue < MAX_PER_FN; k++) {
        for (uint32_t e = 0; e < fn->nevents; e++) {
            long c;
            bool t;
            const char *var;
            const struct ll_event *ev = &fn->events[e];
            if (queue_event(b, i, e, put, false, &c, &t, &var) && c == seen[k].chan &&
                strcmp(var, seen[k].var) == 0)
                event_of[e] = t ? QE_TIED : QE_OTHER;
            else if (assigns_var(ev, seen[k].var))
                event_of[e] = QE_CHANGE;
            else
                event_of[e] = QE_NONE;
        }
        struct ho_queue *q = &tb->queue[tb->nqueue];
        q->chan = (uint32_t)seen[k].chan;
        q->put = put;
        q->var = seen[k].var;
        q->nalias = 0;
        /* a copy that stands for var is assigned once, by its declaration */
        for (uint32_t e = 0; put && e < fn->nevents && q->nalias < MAX_ALIASES; e++) {
            const struct ll_event *ev = &fn->events[e];
            if (ev->kind == LL_EV_ACCESS && !(ev->flags & LL_EVF_WRITE) && var_path(&ev->obj) &&
                var_path(&ev->aux) && strcmp(ev->obj.key, q->var) != 0 &&
                strcmp(canon_var(fn, ev->obj.key), q->var) == 0)
                q->alias[q->nalias++] = ev->obj.key;
        }
        q->state = ll_arena_alloc(b->a, fn->nevents + 1);
        uint8_t entry = 0;
        if (!q->state ||
            q_pass(b, fn, event_of, !put, QS_MUST | QS_ANY, QS_MAY, q->state, &entry) != 0 ||
            (put && q_pass(b, fn, event_of, true, 0, QS_AFTER, q->state, NULL) != 0))
            return -1;
        /* a parameter put in on every path: its callers' calls put it */
        struct q_sum *sum = &b->qsum[i];
        for (uint32_t p = 0; put && (entry & QS_ANY) && sum->put_chan < 0 && p < fn->nparams; p++)
            if (fn->params[p] && strcmp(fn->params[p], q->var) == 0 && p < INT16_MAX) {
                sum->put_chan = (int32_t)q->chan;
                sum->put_param = (int16_t)p;
                sum->put_tied = (entry & QS_MUST) != 0;
            }
        tb->nqueue++;
    }
    if (!put)
        take_summary(b, i, tb);
    return 0;
}

/* ---- functions that run once, callers of setters --------------------- */

/* Per function, its callers (h->callers), when a setter's write of a
 * flag counts as its callers' (own_setters()): at most LL_HO_CALLERS of
 * them, each calling it directly, and it no thread's start routine or
 * main, its address never taken, not recursive; else LL_HO_NO_LIFT. */
static int find_callers(struct build *b)
{
    const struct ll_view *v = b->v;
    struct ll_handoff *h = b->h;
    bool *taken = ll_view_address_taken(v);
    h->ncallers = ll_arena_alloc(b->a, v->nfns + 1);
    h->callers = ll_arena_alloc(b->a, ((size_t)v->nfns * LL_HO_CALLERS + 1) * sizeof(uint32_t));
    if (!taken || !h->ncallers || !h->callers) {
        free(taken);
        return -1;
    }
    for (size_t i = 0; i < v->nfns; i++)
        if (taken[i] || v->mhp.root_of[i] >= 0 || v->cg.recursive[i])
            h->ncallers[i] = LL_HO_NO_LIFT;
    for (uint32_t i = 0; i < v->nfns; i++) {
        const struct ll_fn_view *f = &v->fns[i];
        for (uint32_t e = 0; f->calls && e < f->fn->nevents; e++) {
            const struct ll_call_info *ci = f->calls[e];
            if (!ci || ci->callee < 0 || !f->df.reached[e])
                continue;
            uint8_t *n = &h->ncallers[ci->callee];
            uint32_t *list = &h->callers[(size_t)ci->callee * LL_HO_CALLERS];
            bool dup = false;
            for (uint32_t k = 0; *n != LL_HO_NO_LIFT && k < *n && !dup; k++)
                dup = list[k] == i;
            if (dup || *n == LL_HO_NO_LIFT)
                continue;
            if (*n == LL_HO_CALLERS)
                *n = LL_HO_NO_LIFT;
            else
                list[(*n)++] = i;
        }
    }
    for (size_t i = 0; i < v->nfns; i++)
        if (h->ncallers[i] == 0)
            h->ncallers[i] = LL_HO_NO_LIFT; /* called from nowhere seen */
    free(taken);
    return 0;
}

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
    /* flag channels: the sets and the waits through calls, callees first */
    b.sum = ll_arena_alloc(b.a, ((size_t)v->nfns * out->nchans + 1) * sizeof(*b.sum));
    if (!b.sum)
        goto done;
    for (uint32_t o = 0; o < v->cg.n && out->nchans; o++) {
        uint32_t i = v->cg.order[o];
        b.preds = NULL; /* made for this function when it sets a flag */
        for (uint32_t c = 0; c < out->nchans; c++)
            if (find_sets(&b, i, c) != 0)
                goto done;
        if (find_gets(&b, i) != 0)
            goto done;
    }
    if (out->nchans && (find_once(&b) != 0 || find_callers(&b) != 0))
        goto done;
    /* queues: the takes make the channels, then the puts; callees first,
     * so that a call of `pop(q)` or `push(q, j)` is a take or a put */
    b.qsum = ll_arena_alloc(b.a, (v->nfns + 1) * sizeof(*b.qsum));
    if (!b.qsum)
        goto done;
    for (size_t i = 0; i < v->nfns; i++)
        b.qsum[i] = (struct q_sum){-1, -1, -1, false, false};
    for (int put = 0; put < 2; put++)
        for (uint32_t o = 0; o < v->cg.n; o++) {
            b.preds = NULL;
            if (find_queue(&b, v->cg.order[o], put) != 0)
                goto done;
        }
    rc = 0;
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

/* An access `p->f` (also `p->a.b[i]`, not `p->q->f`) through a local or
 * parameter pointer p: p into var. */
static bool queue_through(const struct ll_path *o, char *var, size_t len)
{
    if ((o->root != LL_ROOT_LOCAL && o->root != LL_ROOT_PARAM) || !(o->flags & LL_PATH_DEREF) ||
        !o->key || !root_var(o->key, var, len))
        return false;
    const char *rest = o->key + strlen(var);
    return strncmp(rest, "->", 2) == 0 && !strstr(rest + 2, "->");
}

static int put(struct ll_arena *a, struct ll_handoff_mark **m, uint32_t *n,
               struct ll_handoff_mark x)
{
    for (uint32_t k = 0; k < *n; k++)
        if ((*m)[k].chan == x.chan) {
            bool fresh = (*m)[k].fresh || x.fresh;
            if (x.full && !(*m)[k].full)
                (*m)[k] = x;
            (*m)[k].fresh = fresh;
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
        bool full = w->ok_ev ? (w->ok_ev[e] & GOT_WAITED) : w->ok && w->ok[x];
        bool fresh = w->ok_ev && (w->ok_ev[e] & GOT_FRESH);
        if (put(a, obs, nobs, (struct ll_handoff_mark){w->chan, full, false, false, fresh}) != 0)
            return -1;
    }
    const struct ll_function *f = t->fn;
    const struct ll_block *bl = &f->blocks[x];
    for (uint32_t k = 0; k < t->npubs; k++) {
        const struct ho_pub *p = &t->pubs[k];
        bool before = false, after = false, some = false;
        for (uint32_t y = bl->first_event; y < bl->first_event + bl->nevents; y++) {
            before |= y < e && p->set_ev[y];
            after |= y > e && p->set_ev[y] == SET_MUST;
            some |= y > e && p->set_ev[y];
        }
        bool full = after || x != f->exit;
        for (uint32_t s = 0; !after && s < bl->nsucc; s++) {
            if (bl->succ[s] >= f->nblocks)
                continue;
            full &= !p->free_exit[bl->succ[s]];
            some |= p->to_set[bl->succ[s]];
        }
        if (!some)
            continue;
        struct ll_handoff_mark m = {p->chan, full, before || p->after[x], false, false};
        if (put(a, pub, npub, m) != 0)
            return -1;
    }
    char var[128];
    const struct ll_path *o = &f->events[e].obj;
    if (!t->nqueue || !queue_through(o, var, sizeof(var)))
        return 0;
    for (uint32_t k = 0; k < t->nqueue; k++) {
        const struct ho_queue *q = &t->queue[k];
        bool named = strcmp(q->var, var) == 0;
        for (uint32_t j = 0; j < q->nalias && !named; j++)
            named = strcmp(q->alias[j], var) == 0;
        if (!named)
            continue;
        uint8_t st = q->state[e];
        if (!(st & QS_MAY) || (st & QS_AFTER))
            continue; /* an access after the put: the object is no longer its own */
        struct ll_handoff_mark m = {q->chan, (st & QS_MUST) != 0, false,
                                    !(st & QS_MUST) && (st & QS_ANY), false};
        if (put(a, q->put ? pub : obs, q->put ? npub : nobs, m) != 0)
            return -1;
    }
    return 0;
}

/* b publishes a channel a observes, both on every path, a with no set of
 * the flag by its function since the wait: the two sides wait for each
 * other. */
static bool answered(const struct ll_race_access *a, const struct ll_race_access *b)
{
    for (uint32_t i = 0; i < b->npub; i++)
        for (uint32_t j = 0; b->pub[i].full && j < a->nobs; j++)
            if (a->obs[j].full && a->obs[j].fresh && a->obs[j].chan == b->pub[i].chan)
                return true;
    return false;
}

/* Function s is a's or b's, or is called from theirs only (through at
 * most `depth` more levels of calls). */
static bool setter_ok(const struct ll_handoff *h, uint32_t s, const struct ll_race_access *a,
                      const struct ll_race_access *b, int depth)
{
    if (s == a->fn || s == b->fn)
        return true;
    if (depth == 0 || !h->ncallers || h->ncallers[s] == LL_HO_NO_LIFT)
        return false;
    for (uint32_t k = 0; k < h->ncallers[s]; k++)
        if (!setter_ok(h, h->callers[(size_t)s * LL_HO_CALLERS + k], a, b, depth - 1))
            return false;
    return true;
}

/* The flag of channel c is set by a's and b's functions only, by
 * themselves or through helpers they call (a put helper, a get helper
 * that clears the flag it waited for). */
static bool own_setters(const struct ll_handoff *h, const struct ll_handoff_chan *c,
                        const struct ll_race_access *a, const struct ll_race_access *b)
{
    if (c->nsetters > LL_HO_SETTERS)
        return false;
    for (uint32_t k = 0; k < c->nsetters; k++)
        if (!setter_ok(h, c->setters[k], a, b, HO_LEVELS))
            return false;
    return true;
}

enum ll_ho_order ll_handoff_order(const struct ll_view *v, const struct ll_handoff *h,
                                  const struct ll_race_access *a, const struct ll_race_access *b,
                                  uint32_t *chan, bool *by_type)
{
    (void)v;
    enum ll_ho_order best = LL_HO_NONE;
    bool queue_seen = false;
    for (uint32_t i = 0; i < a->npub; i++)
        for (uint32_t j = 0; j < b->nobs; j++) {
            const struct ll_handoff_mark *p = &a->pub[i], *o = &b->obs[j];
            if (p->chan != o->chan)
                continue;
            bool queue = h->chans[p->chan].queue;
            /* the partial channel named: a queue's first, else the first */
            if (chan && (best == LL_HO_NONE || (queue && !queue_seen))) {
                *chan = p->chan;
                if (by_type)
                    *by_type = queue && (p->by_type || o->by_type);
            }
            queue_seen |= queue;
            best = LL_HO_PARTIAL;
            /* a queue: a put the object in before, b took it out after;
             * the pointer names the object, so no other setter, thread or
             * round matters (handoff.h) */
            bool ordered = queue ? p->full && o->full : /* a writer that may set the flag again must
                                                         * wait for the reader's answer: one reader,
                                                         * or another could answer for it */
                               p->full && o->full && own_setters(h, &h->chans[p->chan], a, b) &&
                                   h->once[a->fn] &&
                                   (!p->looped || (answered(a, b) && h->once[b->fn]));
            if (ordered) {
                if (chan)
                    *chan = p->chan;
                return LL_HO_ORDERED;
            }
        }
    return best;
}
