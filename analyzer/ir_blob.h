/*
 * ir_blob: the facts of one TU as a compact, versioned byte string (what the
 * cache stores) and back.  The blob starts with a magic and
 * LL_FACTS_VERSION; a blob of another version or a damaged one is refused,
 * never half-read.
 */
#ifndef LL_IR_BLOB_H
#define LL_IR_BLOB_H

#include "ir.h"

#include <stddef.h>

/* Serialises `f` into a malloc'd buffer the caller frees with free().
 * Returns 0, or -1 when out of memory. */
int ll_facts_to_blob(const struct ll_tu_facts *f, unsigned char **out, size_t *out_len);

/* Rebuilds facts from a blob into `out`, which must be freshly initialised
 * with ll_tu_facts_init(); on failure `out` is released and -1 returned
 * (damaged blob, other version, or out of memory).  The facts of a blob
 * ll_facts_to_blob() wrote are interned (see ir.h): it stores each string
 * once. */
int ll_facts_from_blob(const unsigned char *buf, size_t len, struct ll_tu_facts *out);

#endif
