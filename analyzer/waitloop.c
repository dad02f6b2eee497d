/*
 * waitloop: two searches over the blocks of the wait's innermost natural
 * loop (loops.h: loop statements and `goto` loops alike).  The first
 * collects what runs after the wait before the next loop head (or a block
 * outside the loop, or another wait); the second looks for any of those
 * blocks on a path from those heads that does not wait.  Both are linear
 * in the blocks; waits are few.
 */
#include "waitloop.h"

#include "loops.h"
#include "threadflow.h"

#include <stdlib.h>
#include <string.h>

static bool has_wait(const struct ll_function *fn, uint32_t b, const struct ll_wait_oracle *o)
{
    const struct ll_block *bb = &fn->blocks[b];
    for (uint32_t x = bb->first_event; x < bb->first_event + bb->nevents; x++)
        if (o->is_wait(o->ctx, x))
            return true;
    return false;
}

/* Whether event x does something that may rely on the waited-for state:
 * touches memory other than the function's own locals, or calls.  Lock
 * releases, signals (also through a wrapper) and local bookkeeping (a
 * loop counter) do not. */
static bool substantive(const struct ll_function *fn, uint32_t x, const struct ll_wait_oracle *o)
{
    const struct ll_event *ev = &fn->events[x];
    if (ev->kind == LL_EV_CALL)
        return !(ev->flags & LL_EVF_NORETURN) && !(o->is_quiet && o->is_quiet(o->ctx, x));
    if (ev->kind != LL_EV_ACCESS)
        return false;
    return !((ev->obj.root == LL_ROOT_LOCAL || ev->obj.root == LL_ROOT_PARAM) &&
             !(ev->obj.flags & LL_PATH_DEREF));
}

/* Whether block b does something substantive from its event `from` on. */
static bool runs_code(const struct ll_function *fn, uint32_t b, uint32_t from,
                      const struct ll_wait_oracle *o)
{
    const struct ll_block *bb = &fn->blocks[b];
    for (uint32_t x = from; x < bb->first_event + bb->nevents; x++)
        if (x >= bb->first_event && substantive(fn, x, o))
            return true;
    return false;
}

static uint32_t block_of(const struct ll_function *fn, uint32_t e)
{
    for (uint32_t b = 0; b < fn->nblocks; b++)
        if (e >= fn->blocks[b].first_event && e < fn->blocks[b].first_event + fn->blocks[b].nevents)
            return b;
    return UINT32_MAX;
}

/* what a block is to the wait: runs after it, is a loop head after it */
enum { AFTER = 1, HEAD = 2 };

/* The innermost loop holding block b, or NULL. */
static const struct ll_loop *innermost(const struct ll_loop *loops, uint32_t nloops, uint32_t b)
{
    for (uint32_t k = 0; k < nloops; k++)
        if (loops[k].body[b])
            return &loops[k];
    return NULL;
}

static bool rechecked_in(const struct ll_function *fn, const struct ll_loop *loop,
                         const uint8_t *is_head, uint32_t e, uint32_t wb, bool may_skip,
                         const struct ll_wait_oracle *o)
{
    uint8_t *mark = calloc(fn->nblocks + 1, 1);
    uint8_t *queued = calloc(fn->nblocks + 1, 1);
    uint32_t *stack = malloc((fn->nblocks + 1) * sizeof(*stack));
    bool rechecked = true, any_after = false;
    if (!mark || !queued || !stack)
        goto out; /* out of memory: say nothing */
    /* what runs after the wait, up to the next loop head, leaving the loop
     * or another wait */
    uint32_t sp = 0;
    queued[wb] = 1;
    if (may_skip && runs_code(fn, wb, e + 1, o)) {
        /* what follows the call in its block runs whether it waited or not */
        mark[wb] = AFTER;
        any_after = true;
    }
    for (uint32_t i = 0; i < fn->blocks[wb].nsucc; i++) {
        uint32_t t = fn->blocks[wb].succ[i];
        if (!queued[t]) {
            queued[t] = 1;
            stack[sp++] = t;
        }
    }
    while (sp) {
        uint32_t b = stack[--sp];
        const struct ll_block *bb = &fn->blocks[b];
        if (is_head[b]) {
            mark[b] = HEAD;
            continue;
        }
        if (b == fn->exit || !loop->body[b] || has_wait(fn, b, o))
            continue;
        if (runs_code(fn, b, bb->first_event, o)) {
            mark[b] = AFTER;
            any_after = true;
        }
        for (uint32_t i = 0; i < bb->nsucc; i++)
            if (!queued[bb->succ[i]]) {
                queued[bb->succ[i]] = 1;
                stack[sp++] = bb->succ[i];
            }
    }
    if (!any_after)
        goto out;
    /* from those heads, without waiting: does a path get there? */
    memset(queued, 0, fn->nblocks);
    queued[wb] = !may_skip;
    sp = 0;
    for (uint32_t h = 0; h < fn->nblocks; h++) {
        if (!(mark[h] & HEAD))
            continue;
        for (uint32_t i = 0; i < fn->blocks[h].nsucc; i++) {
            uint32_t t = fn->blocks[h].succ[i];
            if (!queued[t]) {
                queued[t] = 1;
                stack[sp++] = t;
            }
        }
    }
    while (sp && rechecked) {
        uint32_t b = stack[--sp];
        const struct ll_block *bb = &fn->blocks[b];
        if (is_head[b] || b == fn->exit || !loop->body[b] || (b != wb && has_wait(fn, b, o)))
            continue;
        if (mark[b] & AFTER)
            rechecked = false;
        for (uint32_t i = 0; i < bb->nsucc; i++)
            if (!queued[bb->succ[i]]) {
                queued[bb->succ[i]] = 1;
                stack[sp++] = bb->succ[i];
            }
    }
out:
    free(mark);
    free(queued);
    free(stack);
    return rechecked;
}

/* ---- a wait re-tested by a later `if` -------------------------------- */

/* Guards looked for per wait (branches over shared state, nearest first). */
#define GUARD_CANDIDATES 32

/* A condition over shared state: it reads something other than the
 * function's own plain locals and parameters. */
static bool tests_shared(const struct ll_cond *c)
{
    for (uint32_t i = 0; i < c->nvars; i++)
        if (c->vars[i] && (strstr(c->vars[i], "->") || strchr(c->vars[i], '.')))
            return true;
    return false;
}

/* Whether event x reads one of the variables condition c tests (the
 * test's own load). */
static bool reads_tested(const struct ll_function *fn, uint32_t x, const struct ll_cond *c)
{
    const struct ll_event *ev = &fn->events[x];
    if (ev->kind != LL_EV_ACCESS || (ev->flags & LL_EVF_WRITE) || !ev->obj.key)
        return false;
    for (uint32_t i = 0; i < c->nvars; i++)
        if (c->vars[i] && strcmp(c->vars[i], ev->obj.key) == 0)
            return true;
    return false;
}

/* Whether block b tests what a guard of the wait tested (the same
 * condition text, compared by pointer: interned), doing nothing
 * substantive before the test but loading what it tests. */
static bool retests(const struct ll_function *fn, uint32_t b, const uint8_t *guard_text_of,
                    const struct ll_wait_oracle *o)
{
    const struct ll_block *bb = &fn->blocks[b];
    const struct ll_cond *c = &bb->cond;
    if (bb->nsucc != 2 || bb->succ[0] == bb->succ[1] || !c->text)
        return false;
    for (uint32_t x = bb->first_event; x < bb->first_event + bb->nevents; x++)
        if (substantive(fn, x, o) && !reads_tested(fn, x, c))
            return false;
    for (uint32_t g = 0; g < fn->nblocks; g++)
        if (guard_text_of[g] && fn->blocks[g].cond.text == c->text)
            return true;
    return false;
}

/*
 * The wait sits under `if (pred)` (a two-way block over shared state that
 * dominates it) and every path from the wait reaches a branch that tests
 * the same condition again before it runs anything substantive or waits
 * again: `if (c->busy) timedwait(...); if (!c->busy) { take(); } else
 * fail();` -- a spurious wakeup or a timeout finds the predicate tested
 * anew.
 */
static bool retested_by_if(const struct ll_function *fn, uint32_t e, uint32_t wb,
                           const struct ll_wait_oracle *o)
{
    uint8_t *guard = calloc(fn->nblocks + 1, 1), *seen = calloc(fn->nblocks + 1, 1);
    uint8_t *queued = calloc(fn->nblocks + 1, 1);
    uint32_t *stack = malloc((fn->nblocks + 1) * sizeof(*stack));
    bool ok = false, any_guard = false;
    if (!guard || !seen || !queued || !stack)
        goto out;
    /* the nearest candidates first, GUARD_CANDIDATES at most: each costs
     * a search of the function, and a function may hold many waits */
    uint32_t tried = 0;
    for (uint32_t g = wb; g-- > 0 && tried < GUARD_CANDIDATES;) {
        const struct ll_block *gb = &fn->blocks[g];
        if (gb->nsucc != 2 || !gb->cond.text || !tests_shared(&gb->cond))
            continue;
        tried++;
        if (!ll_tf_reaches(fn, 0, wb, g, seen, stack)) {
            guard[g] = 1;
            any_guard = true;
        }
    }
    if (!any_guard || runs_code(fn, wb, e + 1, o))
        goto out;
    ok = true;
    uint32_t sp = 0;
    for (uint32_t i = 0; i < fn->blocks[wb].nsucc; i++) {
        uint32_t t = fn->blocks[wb].succ[i];
        if (t < fn->nblocks && !queued[t]) {
            queued[t] = 1;
            stack[sp++] = t;
        }
    }
    while (sp && ok) {
        uint32_t b = stack[--sp];
        if (retests(fn, b, guard, o))
            continue; /* tested again: this path is fine */
        const struct ll_block *bb = &fn->blocks[b];
        if (b == fn->exit || b == wb || has_wait(fn, b, o) ||
            runs_code(fn, b, bb->first_event, o)) {
            ok = false;
            break;
        }
        for (uint32_t i = 0; i < bb->nsucc; i++) {
            uint32_t t = bb->succ[i];
            if (t < fn->nblocks && !queued[t]) {
                queued[t] = 1;
                stack[sp++] = t;
            }
        }
    }
out:
    free(guard);
    free(seen);
    free(queued);
    free(stack);
    return ok;
}

bool ll_wait_rechecked(const struct ll_function *fn, uint32_t e, bool may_skip,
                       const struct ll_wait_oracle *o)
{
    uint32_t wb = block_of(fn, e);
    if (wb == UINT32_MAX)
        return false;
    struct ll_arena a, tmp;
    ll_arena_init(&a);
    ll_arena_init(&tmp);
    struct ll_loop *loops;
    uint32_t nloops;
    bool rechecked = false;
    uint8_t *is_head = NULL;
    if (ll_find_loops(fn, &a, &tmp, &loops, &nloops) != 0) {
        rechecked = true; /* out of memory: say nothing */
        goto out;
    }
    const struct ll_loop *loop = innermost(loops, nloops, wb);
    if (retested_by_if(fn, e, wb, o)) {
        rechecked = true;
        goto out;
    }
    if (!loop)
        goto out;
    is_head = calloc(fn->nblocks + 1, 1);
    if (!is_head) {
        rechecked = true;
        goto out;
    }
    for (uint32_t k = 0; k < nloops; k++)
        is_head[loops[k].head] = 1;
    rechecked = rechecked_in(fn, loop, is_head, e, wb, may_skip, o);
out:
    free(is_head);
    ll_arena_release(&tmp);
    ll_arena_release(&a);
    return rechecked;
}
