/*
 * frontend: parses one translation unit with libclang and lowers every
 * function body outside system headers into facts (ir.h).  It is the only
 * module that sees a CXCursor; everything above it reads plain facts.
 *
 * It does not decide whether anything is a bug, and keeps no libclang
 * object past ll_frontend_parse(): strings are copied into the facts' arena.
 * One ll_frontend per thread (each owns a CXIndex).
 */
#ifndef LL_FRONTEND_H
#define LL_FRONTEND_H

#include "compdb.h"
#include "ir.h"

#include <stddef.h>

struct ll_frontend;

/* A new frontend, or NULL when out of memory. Free with ll_frontend_free(). */
struct ll_frontend *ll_frontend_new(void);
void ll_frontend_free(struct ll_frontend *fe);

/* Why ll_frontend_new() gave NULL: libclang could not be loaded (it is
 * loaded on the first call, so runs served from the cache never load it),
 * or memory ran out. */
const char *ll_frontend_unavailable(void);

/*
 * Parses `job` and fills `out` (initialised by the caller with
 * ll_tu_facts_init()).  A TU with errors is still lowered as far as libclang
 * recovered; out->nerrors and out->first_error say so.  Returns 0, or -1
 * when libclang produced no translation unit at all or memory ran out, with
 * a message in errbuf; LL_FRONTEND_CRASHED when libclang caught a crash of
 * its own (its state is then not to be trusted: parse_worker.h).
 */
#define LL_FRONTEND_CRASHED (-2)
int ll_frontend_parse(struct ll_frontend *fe, const struct ll_tu_job *job, struct ll_tu_facts *out,
                      char *errbuf, size_t errlen);

#endif
