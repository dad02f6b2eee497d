/*
 * init_failure: the parts of a function that run only when the
 * initialisation of a synchronisation object failed.
 *
 * pthread_mutex_init(), pthread_cond_init() and their kin fail only when
 * the system is out of memory or of some other resource (ENOMEM, EAGAIN).
 * Code reached only through such a failure -- a back-off sleep before
 * retrying (`while (pthread_cond_init(&cv, NULL) != 0) nap(10);`), a
 * report -- does not run on the program's ordinary paths, so a rule that
 * finds something there says so at a lower severity instead of warning.
 *
 * A block runs only on failure when every path to it from the entry takes
 * the failure edge of a branch on such a call's result: the edge that
 * excludes zero (every one of these calls returns 0 on success), tested
 * directly (`if (pthread_mutex_init(...) != 0)`) or through the local the
 * result was assigned to (`rv = ...; if (rv)`).
 */
#ifndef LL_INIT_FAILURE_H
#define LL_INIT_FAILURE_H

#include "ir.h"

#include <stdbool.h>
#include <stdint.h>

/* Whether event ev initialises a synchronisation object, or its
 * attributes, with a call that returns 0 on success and fails only when
 * a resource is short (allow-listed by API). */
bool ll_is_sync_init(const struct ll_event *ev);

/* Fills only[b] for every block of fn: 1 when it runs only after such an
 * initialisation failed.  Returns false (and fills nothing) when the
 * function has no branch on such a result. */
bool ll_init_failure_blocks(const struct ll_function *fn, uint8_t *only);

#endif
