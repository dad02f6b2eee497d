/*
 * thread_wrappers: calls to functions that create a thread whose start
 * routine is one of their parameters --
 *
 *     static void spawn(pthread_t *t, void *(*fn)(void *), void *arg)
 *     { pthread_create(t, NULL, fn, arg); }
 *     ...
 *     spawn(&pool[i], worker, &jobs[i]);
 *
 * -- are rewritten, before the whole-program analysis, as the thread
 * creations they are: the call event becomes a THREAD_CREATE of `worker`
 * whose handle and start argument are the wrapper's, in the caller's terms
 * (`pool[i]`, `jobs[i]`).  Without it, every thread started through such a
 * helper would be invisible to the thread and race analyses.
 *
 * A wrapper is a function with exactly one creation, whose start routine
 * is a parameter -- directly, or boxed: the wrapper stores the parameter
 * into a struct field only it feeds and starts a known trampoline that
 * calls through that field (then the trampoline no longer starts there) --
 * and no lock operation of its own; what else it does is
 * not followed from the rewritten call sites (it usually only checks the
 * result).  The wrappers' own creations are left without a start routine,
 * as before.  Only direct calls naming a function are rewritten.
 */
#ifndef LL_THREAD_WRAPPERS_H
#define LL_THREAD_WRAPPERS_H

#include "arena.h"
#include "ir.h"

#include <stddef.h>

/* Rewrites the call sites in place (new strings in `a`, which must outlive
 * the facts' use).  Returns the number of calls rewritten, or -1 when out
 * of memory. */
long ll_resolve_thread_wrappers(struct ll_tu_facts *tus, size_t ntus, struct ll_arena *a);

#endif
