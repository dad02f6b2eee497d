/*
 * parse_worker: libclang in a process of its own, so that one translation
 * unit cannot end the run.  Code nested a few thousand levels deep
 * overflows libclang's recursive parser; in a worker process that kills
 * the worker, and the run reports the TU as crashed and goes on with the
 * others.  The worker also arms the file guard (file_guard.h): it reads
 * only regular files, at most a byte budget per TU, and writes nothing.
 *
 * A worker is locklint itself, started with posix_spawn() from
 * /proc/self/exe (no fork of a process with threads and SQLite
 * connections); it takes jobs on a socket and answers with the facts blob
 * (ir_blob.h) the cache stores too.  Each parsing thread of the driver
 * owns one worker, started at its first cache miss and replaced after a
 * crash.
 */
#ifndef LL_PARSE_WORKER_H
#define LL_PARSE_WORKER_H

#include "compdb.h"
#include "ir.h"

#include <stddef.h>
#include <stdint.h>

/* The argument that makes locklint a worker (main.c checks it first). */
#define LL_PARSE_WORKER_ARG "--internal-parse-worker"

/* Results of ll_parse_isolated() other than 0 and -1. */
#define LL_PARSE_CRASHED (-2)   /* the parser crashed or was killed */
#define LL_PARSE_REFUSED (-3)   /* a non-regular file, a write, the byte limit */
#define LL_PARSE_NO_WORKER (-4) /* no worker process could be started */

struct ll_parse_worker;

/* The worker's main loop; returns its exit status.  `config` is the
 * .locklint.yml of the run or NULL: its lock and thread primitives must be
 * known while parsing. */
int ll_parse_worker_main(const char *config);

/*
 * Parses `job` in the worker *w (started when NULL, reading the
 * configuration `config`, NULL for none) and fills `out`
 * (initialised by the caller) with its facts.  Returns 0; -1 when libclang
 * could not parse it (as ll_frontend_parse()); LL_PARSE_CRASHED or
 * LL_PARSE_REFUSED with the reason in errbuf (the worker is then gone and
 * *w NULL); LL_PARSE_NO_WORKER with the reason when no worker can be
 * started (the caller may parse in its own process).
 */
int ll_parse_isolated(struct ll_parse_worker **w, const char *config, const struct ll_tu_job *job,
                      uint64_t max_bytes, struct ll_tu_facts *out, char *errbuf, size_t errlen);

/* Ends the worker (closes its socket, reaps it). NULL is fine. */
void ll_parse_worker_free(struct ll_parse_worker *w);

#endif
