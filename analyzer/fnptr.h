/*
 * fnptr: which functions can be called through a function pointer, over
 * the whole program.
 *
 * The frontend names the slots a function's address can be stored in
 * (ir.h: a struct field by type and field, a global or static variable, a
 * local, a parameter, a return value) and records every flow into them:
 * a function, or everything in another slot (`p->queue[n].fn = fn` where
 * `fn` is parameter 1 of pool_add, and `pool_add(p, job, arg)`).  This
 * module closes those flows into, for every slot, the set of functions
 * with a body in the program that can be stored there.  It is flow- and
 * context-insensitive: a function stored in a field of one struct type
 * can be called through that field of any object of the type.
 *
 * It does not guess: a slot nothing is stored in has no functions (the
 * call through it stays unknown), and it never falls back on "every
 * function whose address is taken".  program.c turns the sets into calls.
 */
#ifndef LL_FNPTR_H
#define LL_FNPTR_H

#include "arena.h"
#include "ir.h"
#include "strmap.h"

#include <stddef.h>
#include <stdint.h>

struct ll_fnptr {
    struct ll_arena arena;
    struct ll_strmap slots; /* slot key -> slot index */
    uint32_t nslots;
    const char **keys;   /* per slot (borrowed from the facts, or in the arena) */
    uint32_t nfns;       /* functions stored anywhere that have a body */
    uint32_t *fn_index;  /* per such function: its index in the program */
    const char **fn_usr; /* per such function: its USR */
    uint32_t words;      /* 64-bit words per slot in `bits` */
    uint64_t *bits;      /* per slot: the functions it can hold */
    uint32_t rounds;     /* rounds the closure took */
};

/* Looks a function up by USR: its program index, or -1 without a body. */
typedef long (*ll_fnptr_find)(const void *ctx, const char *usr);

/* Resolves the flows of `ntus` TUs (borrowed: they must outlive r).
 * Returns 0 or -1 when out of memory. */
int ll_fnptr_build(struct ll_fnptr *r, const struct ll_tu_facts *tus, size_t ntus,
                   ll_fnptr_find find, const void *ctx);
void ll_fnptr_release(struct ll_fnptr *r);

/* The number of functions slot `key` can hold; their program indices go to
 * out[0 .. min(count, max)), in increasing order. */
size_t ll_fnptr_targets(const struct ll_fnptr *r, const char *key, uint32_t *out, size_t max);

#endif
