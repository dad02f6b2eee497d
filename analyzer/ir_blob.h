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

/*
 * Sharing between the TUs of one run (ir_blob.c explains it): from
 * ll_facts_share_begin() to ll_facts_share_stop(), ll_facts_from_blob()
 * interns every string run-wide and gives a function equal to one an
 * earlier blob gave the first copy's events and blocks instead of its own.
 * Facts read meanwhile then borrow the interned strings and other TUs'
 * memory: they must all be released (and their arenas' memory with them)
 * before ll_facts_share_end(), which frees the strings.  Whoever reads
 * such facts must not rewrite one TU's copy of a function in a way it
 * would not rewrite the others.  Process-wide, for one run at a time;
 * out of memory while offering a function fails that blob's read.
 */
void ll_facts_share_begin(void);
void ll_facts_share_stop(void);
void ll_facts_share_end(void);

#endif
