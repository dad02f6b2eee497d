/*
 * ir_intern: makes the facts of one TU interned (see ir.h): afterwards two
 * strings anywhere in them are equal exactly when they are the same
 * pointer.  Facts read from a blob are interned already (the blob stores
 * each string once); facts fresh from the frontend are not, and the driver
 * interns them before anything else reads them.
 */
#ifndef LL_IR_INTERN_H
#define LL_IR_INTERN_H

#include "ir.h"

/* Replaces every string of `f` by the first equal one met in the order
 * ll_facts_to_blob() writes them.  No string is copied or freed (the
 * replaced ones stay in the arena).  Returns 0, or -1 when out of memory,
 * with `f` then only partly interned. */
int ll_facts_intern(struct ll_tu_facts *f);

#endif
