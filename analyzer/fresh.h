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
 * A local's part with constant indices (`st.buf`, `bufs[1]`) set from an
 * allocator or a constructor is tracked the same way (the frontend gives
 * such a write the call as its aux).  It also stops being fresh when what
 * holds it is assigned (`st = ...`), when its value, the struct or array
 * holding it or an address of either is handed on by an assignment, an
 * initialiser or a return (the frontend emits a read of it there), when
 * the struct goes to a thread or by value to a call, and when a call
 * gets the struct's address and the callee may touch the part: each
 * function's list, per pointer parameter, of the paths behind it that it
 * may overwrite or hand on (written, copied into a local, stored,
 * returned, given to one that may keep it, or in a callee's own list;
 * everything when it may keep the parameter); a C library function
 * other than the lock calls touches everything.  A plain local stops
 * being fresh too when its address is handed on that way (`pp = &p`).
 *
 * Not followed (the block is taken as not escaping through them):
 * pointer arithmetic on the block (`q = p + 1`), a struct initialiser
 * holding it, array-typed fields passed by name (`f(p->buf)`), a part's
 * value inside `?:` or arithmetic (`g = c ? st.buf : 0`).
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
    const char *const ***touched; /* per function, per parameter (< 16): what the function
                                     may overwrite or hand on behind it ("->buf" for
                                     `s->buf`; NULL-terminated, NULL for nothing, "" first
                                     for everything); NULL while not computed */
};

/* Computes the constructors and fresh locals of every function of v,
 * bottom-up, in `a`.  Returns 0, or -1 when out of memory. */
int ll_fresh_build(const struct ll_view *v, struct ll_arena *a, struct ll_fresh *out);

/* Whether `api` is a C library allocator (malloc, calloc, realloc, strdup,
 * ...): its result is a fresh block. */
bool ll_fresh_allocator(const char *api);

/* Whether `key` (an access path's, a local's part) is in or through a
 * local's part that holds a fresh block before event e of function fn
 * (`st.buf[i].n` with st.buf fresh; not a plain local: ll_fresh_local()). */
bool ll_fresh_within(const struct ll_fresh *fr, uint32_t fn, const char *key, uint32_t e);

/* Whether local `name` of function fn holds a fresh block before event e. */
bool ll_fresh_local(const struct ll_fresh *fr, uint32_t fn, const char *name, uint32_t e);

#endif
