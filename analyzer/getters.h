/*
 * getters: a function that returns the address of one global object --
 *
 *     static struct cfg_locks locks;
 *     struct cfg_locks *config_locks(void) { return &locks; }
 *     ...
 *     pthread_mutex_lock(&config_locks()->relay_lock);    (any TU)
 *
 * -- names that object at every call of it.  Before the whole-program
 * analysis, every path rooted at a call of a getter is rewritten as the
 * object's (`locks.relay_lock`): the lock taken through one call and
 * released through another is one lock, the same as `locks.relay_lock`
 * written directly, for the lock state, the lock order and the races.
 *
 * A getter returns, on every return its body can reach, the address of one
 * global or static (or of a field or an element of one: `&locks.relay_lock`),
 * possibly through a local set once to it, or the result of a call of a
 * getter of that same object (`return config_locks();`).  Anything else
 * returned on some path (a heap object, one of two globals, a call that
 * is no getter, a global on one path and a parameter's part on another)
 * makes the function no getter, and the paths rooted at its calls stay
 * the call's result, one object per call site.
 *
 * A getter of its argument's part the same way, at each call: one that
 * returns, on every path, the address of a part of what a pointer
 * parameter points to (`&s->lock`, `&s->in.lock`, `&s->locks[0]`) or the
 * parameter itself, and never sets that parameter nor gives its address
 * away (ll_path_param_part(); no cast between the part and the result):
 * `pthread_mutex_lock(session_lock(p))` is `p->lock`, the argument's part,
 * as `&p->lock` written at the call would be.
 *
 * The frontend records what a return returns (fe_returned_path()) and
 * which function a call-rooted path calls (ll_path.root_usr); this module
 * decides over the whole program, after the TUs are read.
 *
 * Out-parameters the same way: a function that stores one address into
 * `*out` (`*out = &cfg;`, `*out = &p->slots[0];`, in the caller's terms at
 * each call) and gives `out` to no one makes the caller's `get(&p)` set p
 * to it, when p is a local pointer nothing else in the caller sets
 * (ll_event.out_args): every path rooted at p is rewritten as rooted there.
 */
#ifndef LL_GETTERS_H
#define LL_GETTERS_H

#include "arena.h"
#include "ir.h"

#include <stddef.h>

/* Rewrites the paths in place (new strings in `a`, which must outlive the
 * facts' use).  Returns the number of getters found, or -1 when out of
 * memory. */
long ll_resolve_getters(struct ll_tu_facts *tus, size_t ntus, struct ll_arena *a);

#endif
