/*
 * join_params: joins of a thread handle a function is given as a
 * parameter -- a `join_thread(pthread_t t)` wrapper, `stop(pthread_t *t)`
 * joining `*t`, or a function that passes its own parameter on to one.
 *
 * A handle local or global is named by its class (`main:t`, `g`), a
 * parameter only by the function's own (`join_thread(t)`), so without
 * this a wrapper's join matches no creation and the threads it joins
 * seem to run on (mhp.h).  Two views:
 *
 *   - at a call of such a function, the caller joins the class of the
 *     argument it passes (`join_thread(u)` joins `main:u`), one call
 *     site at a time, so a wrapper called for several threads ends each;
 *   - inside the function, its join names the class every call passes
 *     (the meet over the calls, followed through parameters passed on),
 *     so code after the join in the wrapper itself sees the thread ended.
 *
 * Functions with more than 64 parameters are not followed past the 64th.
 */
#ifndef LL_JOIN_PARAMS_H
#define LL_JOIN_PARAMS_H

#include "arena.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ll_view;

struct ll_join_params {
    const uint64_t *joins; /* per function: bit p when it joins parameter p's handle
                              (threadflow.h's joins_param, program order = view order) */
    const char ***origin;  /* per function with joins: per parameter, the handle class
                              every call passes, or NULL (none known, or calls differ) */
};

/* Fills jp (in arena a) from the view's events and call infos.
 * Returns 0, or -1 when out of memory. */
int ll_join_params_build(const struct ll_view *v, struct ll_arena *a, struct ll_join_params *jp);

/* The handle classes event e of function i joins, at most max of them
 * into out: a join's handle class (for a parameter's handle, its
 * origin); for a call of a function that joins parameters, the classes of
 * the arguments it passes there.  A handle that is one constant element
 * (`t[0]`) names no class: it joins that element only.  Returns how many. */
size_t ll_join_classes_at(const struct ll_join_params *jp, const struct ll_view *v, uint32_t i,
                          uint32_t e, const char **out, size_t max);

/* A key whose every index is a constant (`t[0]`, `w[1].t`): one element. */
bool ll_handle_one_element(const char *key);

#endif
