/*
 * fresh: which local pointers hold a block no other thread can see yet,
 * and which functions hand out such blocks (constructors).
 *
 * A block is fresh from an allocator (malloc, calloc, realloc, strdup, ...)
 * or from a constructor: a function that returns, on every path that
 * returns a pointer, NULL or a block fresh there (`o = malloc(); o->x = 0;
 * return o;`, also `return calloc(...)` and another constructor's result).
 * A local stays fresh until the block may escape: the local is assigned
 * again, its value (or the address of a part of the block, or of the
 * local) is stored anywhere, given to a thread, or passed to a function
 * that may keep it.  A function may keep what a parameter points to
 * unless it is one of the C library's that only read or fill memory
 * (memset, strcpy, free, ...) or a program function that itself neither
 * stores, returns nor passes on that parameter to one that may (computed
 * bottom-up with the constructors; recursion keeps it).  "Fresh before
 * event e" holds on every path (a must-analysis over the CFG, loops
 * included).
 *
 * Not followed (the block is taken as not escaping through them):
 * pointer arithmetic on the block (`q = p + 1`), a struct initialiser
 * holding it, array-typed fields passed by name (`f(p->buf)`).
 *
 * The race analysis (race.c) asks it; it reports nothing itself.
 */
#ifndef LL_FRESH_H
#define LL_FRESH_H

#include "arena.h"

#include <stdbool.h>
#include <stdint.h>

struct ll_view;

struct ll_fresh {
    size_t nfns;
    bool *constructor;  /* per function */
    uint16_t *kept;     /* per function: bit i set when it may keep parameter i (< 16) */
    uint32_t *nvars;    /* per function: the locals tracked */
    const char ***vars; /* per function: their names (borrowed from the facts) */
    uint64_t **before;  /* per function, per event: bit i set when vars[i] is fresh before it
                           on every path; NULL when no local is tracked */
};

/* Computes the constructors and fresh locals of every function of v,
 * bottom-up, in `a`.  Returns 0, or -1 when out of memory. */
int ll_fresh_build(const struct ll_view *v, struct ll_arena *a, struct ll_fresh *out);

/* Whether `api` is a C library allocator (malloc, calloc, realloc, strdup,
 * ...): its result is a fresh block. */
bool ll_fresh_allocator(const char *api);

/* Whether local `name` of function fn holds a fresh block before event e. */
bool ll_fresh_local(const struct ll_fresh *fr, uint32_t fn, const char *name, uint32_t e);

#endif
