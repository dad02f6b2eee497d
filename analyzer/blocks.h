/*
 * blocks: the one block a pointer names, followed through calls and thread
 * creation, so that a thread's view of the block its creator gave it meets
 * the creator's accesses of that same block wherever they are made --
 *
 *     c = client_new();                      block "@main|c"
 *     loop_start(c);      pthread_create(&c->thr, NULL, net_main, c)
 *     publish(c);         mid_generate(c): c->last_mid++       "@main|c"
 *     ... in net_main:    mid_generate(arg): c->last_mid++     "@main|c"
 *
 * A block local is a local its function assigns once, outside any loop,
 * from a C library allocator or a constructor (fresh.h), and never takes
 * the address of: within one run of that function it names one block,
 * "@USR|c".  A pointer parameter names the block every call of the
 * program passes it: a block local, a parameter naming one, or a local
 * copy of one (`struct client *c = arg;`) -- the meet over the calls, to
 * a fixpoint.  A start routine's first parameter names what its only
 * creation site gives it.  Two different blocks, or anything else, name
 * none; so do the parameters of functions with callers not seen (main,
 * roots, functions whose address is taken other than as a start
 * routine).
 *
 * The race analysis (race.c) asks it; it reports nothing itself.
 */
#ifndef LL_BLOCKS_H
#define LL_BLOCKS_H

#include "arena.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ll_view;
struct ll_path;
struct ll_fresh;

/* A local's one definition (blocks.c's only_definition()), by name. */
struct ll_local_def {
    const char *name;
    long def;          /* the event, -1 never assigned, -2 no block local */
    const char *block; /* a call's result: the block, once asked */
};

struct ll_blocks {
    const struct ll_view *v;
    struct ll_arena *a;
    const struct ll_fresh *fresh;
    /* per function: its locals' definitions sorted by name, from one scan
     * of its events (a query per access scanned them all) */
    struct ll_local_def **defs;
    uint32_t *ndefs;
    const char ***param; /* per function, per parameter: the block, or "" */
    const char **given;  /* the blocks start routines are given, once each */
    size_t ngiven;
};

/* start_fn / start_ev: per start routine, the function and event of its
 * only creation site, or UINT32_MAX and more when none or several.
 * Returns 0, or -1 when out of memory. */
int ll_blocks_build(const struct ll_view *v, struct ll_arena *a, const struct ll_fresh *fresh,
                    const uint32_t *start_fn, const uint32_t *start_ev, struct ll_blocks *out);

/* The block the pointer at the root of path p (in function fn) names:
 * `c->n` or `c` with c a block local, a parameter, or a local copy of a
 * parameter; NULL when it names none. */
const char *ll_block_of(const struct ll_blocks *b, uint32_t fn, const struct ll_path *p);

/* The block start routine fn's argument names, or NULL. */
const char *ll_block_given(const struct ll_blocks *b, uint32_t fn);

/* Whether some thread is given `block` as its start argument. */
bool ll_block_handed(const struct ll_blocks *b, const char *block);

#endif
