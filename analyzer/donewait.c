/*
 * donewait: done flags and the loops that wait for them (donewait.h says
 * what they are).  Three passes: the roots' done flags (their start
 * routines' last writes), who else writes each flag (one scan of the
 * program's writes), and per function that reads a flag in a loop, the
 * loops that wait for it.
 */
#include "donewait.h"

#include "view_internal.h"

#include "loops.h"
#include "threadflow.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define DW_MAX_FLAGS 64  /* done flags followed in a program */
#define DW_MAX_WAITS 256 /* wait loops followed in a program */

struct dw_flag {
    const struct ll_path *path;
    uint32_t root;
    bool valid; /* only setters and waiters write it */
};

struct dw_cand {
    uint32_t fn, at, flag;
};

struct dw {
    const struct ll_view *v;
    struct ll_arena *a;
    struct dw_flag flags[DW_MAX_FLAGS];
    uint32_t nflags;
    struct dw_cand cands[DW_MAX_WAITS]; /* wait loops, before their flags are checked */
    uint32_t ncands;
    uint8_t *seen;   /* per block, scratch */
    uint32_t *stack; /* per block, scratch */
    uint8_t *quiet;  /* per function: only waits (find_quiet()) */
};

/* ---- done flags ----------------------------------------------------- */

/* What a thread may still do once it has set its done flag. */
static bool winds_down(const struct ll_event *ev)
{
    switch (ev->kind) {
    case LL_EV_RELEASE:
    case LL_EV_COND_SIGNAL:
    case LL_EV_SEM_POST:
    case LL_EV_RETURN:
    case LL_EV_DETACH:
        return true;
    case LL_EV_ACCESS:
        return !ll_path_shared(&ev->obj);
    case LL_EV_CALL:
        return (ev->flags & LL_EVF_NORETURN) != 0;
    default:
        return false;
    }
}

static bool block_winds_down(const struct ll_function *fn, uint32_t b, uint32_t from)
{
    const struct ll_block *bl = &fn->blocks[b];
    for (uint32_t e = from; e < bl->first_event + bl->nevents; e++)
        if (!winds_down(&fn->events[e]))
            return false;
    return true;
}

/* Every path from event e (in block b) on only winds down. */
static bool last_action(struct dw *d, const struct ll_function *fn, uint32_t b, uint32_t e)
{
    if (!block_winds_down(fn, b, e + 1))
        return false;
    memset(d->seen, 0, fn->nblocks);
    uint32_t *stack = d->stack, n = 0;
    for (uint32_t x = b;;) {
        for (uint32_t k = 0; k < fn->blocks[x].nsucc; k++) {
            uint32_t s = fn->blocks[x].succ[k];
            if (s < fn->nblocks && !d->seen[s]) {
                d->seen[s] = 1;
                stack[n++] = s;
            }
        }
        if (!n)
            return true;
        x = stack[--n];
        if (!block_winds_down(fn, x, fn->blocks[x].first_event))
            return false;
    }
}

static bool writes(const struct ll_event *ev, const struct ll_path *flag)
{
    return ev->kind == LL_EV_ACCESS && (ev->flags & LL_EVF_WRITE) && ll_path_shared(&ev->obj) &&
           ll_path_same_lock(&ev->obj, flag);
}

/* Every write of `flag` in fn is a last action. */
static bool only_last_writes(struct dw *d, const struct ll_function *fn, const struct ll_path *flag)
{
    for (uint32_t e = 0; e < fn->nevents; e++) {
        if (!writes(&fn->events[e], flag))
            continue;
        if (!last_action(d, fn, ll_tf_block_of(fn, e), e))
            return false;
    }
    return true;
}

static void root_flags(struct dw *d, uint32_t r)
{
    const struct ll_root *root = &d->v->cg.roots[r];
    const struct ll_function *fn = d->v->fns[root->fn].fn;
    if (root->sites == 0 || fn->nblocks == 0)
        return;
    d->seen = ll_arena_alloc(d->a, fn->nblocks);
    d->stack = ll_arena_alloc(d->a, (size_t)fn->nblocks * sizeof(uint32_t));
    for (uint32_t e = 0; d->seen && d->stack && e < fn->nevents && d->nflags < DW_MAX_FLAGS; e++) {
        const struct ll_event *ev = &fn->events[e];
        /* instances of one thread setting one global flag: the first
         * to finish sets it for all */
        if (!writes(ev, &ev->obj) || (root->multi_instance && ll_path_concrete(&ev->obj)))
            continue;
        bool dup = false;
        for (uint32_t k = 0; k < d->nflags && !dup; k++)
            dup = d->flags[k].root == r && ll_path_same_lock(d->flags[k].path, &ev->obj);
        if (!dup && only_last_writes(d, fn, &ev->obj))
            d->flags[d->nflags++] = (struct dw_flag){&ev->obj, r, true};
    }
}

/* ---- who writes a flag ---------------------------------------------- */

/* Function i sets flag k's class as its thread's last action, or waits
 * for it in a loop: the writes a done handshake has (a waiter clears the
 * flag before the creation, or sets it when a creation fails). */
static bool handshake_writer(const struct dw *d, uint32_t i, uint32_t k)
{
    const struct ll_path *p = d->flags[k].path;
    /* another thread's last write of one global flag is a second setter
     * of that very flag; of a flag in an object, it may be another's */
    for (uint32_t x = 0; x < d->nflags && !ll_path_concrete(p); x++)
        if (d->v->cg.roots[d->flags[x].root].fn == i && ll_path_same_lock(d->flags[x].path, p))
            return true;
    for (uint32_t x = 0; x < d->ncands; x++)
        if (d->cands[x].fn == i && ll_path_same_lock(d->flags[d->cands[x].flag].path, p))
            return true;
    return false;
}

/* A flag another function writes (a stop request, a second thread's
 * "done" on one object) does not say the thread is over. */
static void check_writers(struct dw *d)
{
    const struct ll_view *v = d->v;
    for (uint32_t i = 0; i < v->nfns; i++) {
        const struct ll_function *fn = v->fns[i].fn;
        for (uint32_t e = 0; e < fn->nevents; e++) {
            const struct ll_event *ev = &fn->events[e];
            for (uint32_t k = 0; k < d->nflags; k++)
                if (d->flags[k].valid && writes(ev, d->flags[k].path) && !handshake_writer(d, i, k))
                    d->flags[k].valid = false;
        }
    }
}

/* ---- waits ---------------------------------------------------------- */

/* The flag (index) event ev reads, or -1. */
static long flag_read(const struct dw *d, const struct ll_event *ev)
{
    if (ev->kind != LL_EV_ACCESS || (ev->flags & LL_EVF_WRITE))
        return -1;
    for (uint32_t k = 0; k < d->nflags; k++)
        if (ll_path_same_lock(&ev->obj, d->flags[k].path))
            return (long)k;
    return -1;
}

/* errno: each thread has its own. */
static bool errno_path(const struct ll_path *p)
{
    return p->root == LL_ROOT_CALL && p->root_usr &&
           strcmp(p->root_usr, "c:@F@__errno_location") == 0;
}

/* A C library call that only copies between its own locals
 * (`memcpy(&ts, &remaining, sizeof ts)`) or names errno. */
static bool local_libc_call(const struct ll_event *ev)
{
    static const char *const names[] = {"memcpy", "memmove", "memset", "__errno_location"};
    bool known = false;
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]) && !known; k++)
        known = ev->api && strcmp(ev->api, names[k]) == 0;
    for (uint32_t k = 0; known && k < ev->nargs; k++)
        known = !ll_path_shared(&ev->args[k]);
    return known;
}

/* What a wait loop may do besides reading the flag.  A call of a
 * program function counts when that function only does such things
 * (`pixie_usleep(10)`: d->quiet). */
static bool waits_only(const struct dw *d, uint32_t i, uint32_t e)
{
    const struct ll_fn_view *f = &d->v->fns[i];
    const struct ll_event *ev = &f->fn->events[e];
    switch (ev->kind) {
    case LL_EV_COND_WAIT:
    case LL_EV_BLOCKING:
    case LL_EV_ACQUIRE:
    case LL_EV_TRYACQUIRE:
    case LL_EV_RELEASE:
        return true;
    case LL_EV_ACCESS:
        return !ll_path_shared(&ev->obj) || (errno_path(&ev->obj) && !(ev->flags & LL_EVF_WRITE));
    case LL_EV_CALL:
        return (f->calls && f->calls[e] && f->calls[e]->callee >= 0 &&
                d->quiet[f->calls[e]->callee]) ||
               local_libc_call(ev);
    default:
        return false;
    }
}

/* d->quiet: the functions that only wait, sleep, lock or touch their own
 * locals, and call only such functions; callees first (cg.order), once,
 * so that the cost is the program's events (a callee in the caller's
 * recursive component, not known yet, does not count). */
static int find_quiet(struct dw *d)
{
    const struct ll_view *v = d->v;
    d->quiet = ll_arena_alloc(d->a, (size_t)v->nfns + 1);
    if (!d->quiet)
        return -1;
    for (uint32_t o = 0; o < v->cg.n; o++) {
        uint32_t i = v->cg.order[o];
        const struct ll_function *fn = v->fns[i].fn;
        bool quiet = true;
        for (uint32_t x = 0; x < fn->nevents && quiet; x++)
            quiet = fn->events[x].kind == LL_EV_RETURN || waits_only(d, i, x);
        d->quiet[i] = quiet;
    }
    return 0;
}

static bool block_reads(const struct dw *d, uint32_t i, uint32_t b, uint32_t flag)
{
    const struct ll_function *fn = d->v->fns[i].fn;
    const struct ll_block *bl = &fn->blocks[b];
    for (uint32_t e = bl->first_event; e < bl->first_event + bl->nevents; e++) {
        long k = flag_read(d, &fn->events[e]);
        if (k >= 0 && ll_path_same_lock(d->flags[k].path, d->flags[flag].path))
            return true;
    }
    return false;
}

static bool leaves_only_on(const struct dw *d, uint32_t i, const struct ll_loop *loop,
                           uint32_t flag)
{
    const struct ll_function *fn = d->v->fns[i].fn;
    for (uint32_t y = 0; y < fn->nblocks; y++) {
        bool exits = false;
        for (uint32_t k = 0; loop->body[y] && k < fn->blocks[y].nsucc; k++)
            exits |= fn->blocks[y].succ[k] >= fn->nblocks || !loop->body[fn->blocks[y].succ[k]];
        if (exits && !block_reads(d, i, y, flag))
            return false;
    }
    return true;
}

static int add_wait(struct dw *d, struct ll_donewait *out, uint32_t i, uint32_t at, uint32_t root)
{
    for (uint32_t k = 0; k < out->nwaits[i]; k++)
        if (out->waits[i][k].at == at && out->waits[i][k].root == root)
            return 0;
    struct ll_done_wait *w =
        ll_arena_alloc(d->a, ((size_t)out->nwaits[i] + 1) * sizeof(struct ll_done_wait));
    if (!w)
        return -1;
    if (out->nwaits[i])
        memcpy(w, out->waits[i], out->nwaits[i] * sizeof(*w));
    w[out->nwaits[i]++] = (struct ll_done_wait){at, root};
    out->waits[i] = w;
    return 0;
}

static int by_at(const void *pa, const void *pb)
{
    const struct ll_done_wait *a = pa, *b = pb;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    return a->root < b->root ? -1 : a->root > b->root;
}

/* The loop waits for a flag: a candidate, until the flag's writers are
 * known (check_writers()). */
static void loop_waits(struct dw *d, uint32_t i, const struct ll_loop *loop)
{
    const struct ll_function *fn = d->v->fns[i].fn;
    uint32_t last = 0;
    long read = -1;
    for (uint32_t y = 0; y < fn->nblocks; y++) {
        const struct ll_block *bl = &fn->blocks[y];
        for (uint32_t e = bl->first_event; loop->body[y] && e < bl->first_event + bl->nevents;
             e++) {
            long k = flag_read(d, &fn->events[e]);
            if (k < 0 && !waits_only(d, i, e))
                return;
            read = k >= 0 ? k : read;
            last = e > last ? e : last;
        }
    }
    if (read >= 0 && d->ncands < DW_MAX_WAITS && leaves_only_on(d, i, loop, (uint32_t)read))
        d->cands[d->ncands++] = (struct dw_cand){i, last, (uint32_t)read};
}

/* Each candidate wait on a flag only handshakes write ends every root
 * whose done flag it may be. */
static int add_waits(struct dw *d, struct ll_donewait *out)
{
    for (uint32_t c = 0; c < d->ncands; c++) {
        const struct dw_cand *w = &d->cands[c];
        for (uint32_t k = 0; k < d->nflags; k++)
            if (d->flags[k].valid && ll_path_same_lock(d->flags[k].path, d->flags[w->flag].path) &&
                add_wait(d, out, w->fn, w->at, d->flags[k].root) != 0)
                return -1;
    }
    for (uint32_t i = 0; i < d->v->nfns; i++)
        if (out->nwaits[i] > 1)
            qsort(out->waits[i], out->nwaits[i], sizeof(struct ll_done_wait), by_at);
    return 0;
}

static bool reads_some_flag(const struct dw *d, uint32_t i)
{
    const struct ll_function *fn = d->v->fns[i].fn;
    for (uint32_t e = 0; e < fn->nevents; e++)
        if (fn->events[e].loop_depth > 0 && flag_read(d, &fn->events[e]) >= 0)
            return true;
    return false;
}

static int function_waits(struct dw *d, uint32_t i)
{
    const struct ll_function *fn = d->v->fns[i].fn;
    struct ll_arena tmp;
    ll_arena_init(&tmp);
    struct ll_loop *loops = NULL;
    uint32_t nloops = 0;
    int rc = ll_find_loops(fn, &tmp, &tmp, &loops, &nloops);
    for (uint32_t k = 0; rc == 0 && k < nloops; k++)
        loop_waits(d, i, &loops[k]);
    ll_arena_release(&tmp);
    return rc;
}

int ll_donewait_build(const struct ll_view *v, struct ll_arena *a, struct ll_donewait *out)
{
    struct dw *d = calloc(1, sizeof(*d));
    out->nwaits = ll_arena_alloc(a, ((size_t)v->nfns + 1) * sizeof(uint32_t));
    out->waits = ll_arena_alloc(a, ((size_t)v->nfns + 1) * sizeof(struct ll_done_wait *));
    int rc = -1;
    if (!d || !out->nwaits || !out->waits)
        goto out;
    d->v = v;
    d->a = a;
    for (uint32_t r = 0; r < v->cg.nroots; r++)
        root_flags(d, r);
    rc = 0;
    if (!d->nflags)
        goto out;
    rc = find_quiet(d);
    for (uint32_t i = 0; i < v->nfns && rc == 0; i++)
        if (reads_some_flag(d, i))
            rc = function_waits(d, i);
    if (rc == 0 && d->ncands) {
        check_writers(d);
        rc = add_waits(d, out);
    }
out:
    free(d);
    return rc;
}

uint32_t ll_donewait_first(const struct ll_donewait *d, uint32_t fn, uint32_t r, uint32_t after)
{
    for (uint32_t k = 0; k < d->nwaits[fn]; k++)
        if (d->waits[fn][k].root == r && (after == UINT32_MAX || d->waits[fn][k].at > after))
            return d->waits[fn][k].at;
    return UINT32_MAX;
}
