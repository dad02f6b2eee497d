/*
 * cache: the facts of each translation unit, kept in SQLite between runs so
 * that a TU whose inputs did not change is not parsed again.
 *
 * An entry is found by a key hashed from the TU's sanitised arguments, its
 * file and directory, the locklint version and LL_FACTS_VERSION.  It holds
 * the facts blob and the TU's dependencies (the main file and every file it
 * included) with their mtime, size and content hash.  A lookup is a hit
 * only when every dependency still has the content it had when the TU was
 * parsed: mtime+size unchanged is taken as proof, otherwise the file is
 * hashed again and the hash decides.
 *
 * This is the only module that opens the database.  Lookups run in the
 * workers, each on its own reader connection; stores are handed to one
 * writer thread through a bounded queue.  A corrupt, foreign or newer cache
 * file is set aside and rebuilt; a cache that cannot be opened or written
 * makes the run go on uncached.  Problems are reported as warnings on the
 * stream given to ll_cache_open(); nothing here ever fails a run.
 *
 * It does not parse, does not decide what to do on a miss, and keeps no
 * entry it cannot prove current.
 */
#ifndef LL_CACHE_H
#define LL_CACHE_H

#include "compdb.h"
#include "ir.h"

#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* Version of the database layout (PRAGMA user_version). */
#define LL_CACHE_SCHEMA 2
/* 'LLNT': PRAGMA application_id of a locklint cache. */
#define LL_CACHE_APP_ID 0x4c4c4e54

struct ll_cache;
struct ll_cache_reader;

struct ll_cache_stats {
    size_t stored;   /* entries written (or refreshed) */
    size_t racy;     /* not stored: a dependency changed while the TU was parsed */
    size_t dropped;  /* not stored: the database refused the write */
    size_t rehashed; /* files whose mtime or size changed and were hashed again */
    size_t evicted;  /* entries deleted at close to keep under the size limit */
};

/* The size limit of a cache unless ll_cache_set_limit() says otherwise. */
#define LL_CACHE_DEFAULT_LIMIT ((uint64_t)512 << 20)

/* What --cache-stats shows of one database. */
struct ll_cache_info {
    size_t entries;
    uint64_t bytes;                 /* the entries' sizes summed */
    uint64_t file_bytes;            /* the database file */
    long long oldest_ms, newest_ms; /* least and most recent use, ms since the epoch */
};

/*
 * Opens the cache at `path`, creating the file and missing directories.
 * A file that is not a usable locklint cache (corrupt, truncated, another
 * application's database, a newer schema) is renamed to
 * "PATH.<reason>-<time>-<pid>" with a warning on `warn`, and a new one is
 * made in its place.  Returns the cache, or NULL when there is none to be
 * had (unwritable location, out of memory): a warning has then been
 * printed and the caller runs uncached.
 */
struct ll_cache *ll_cache_open(const char *path, FILE *warn);

/* Writes what is still queued, stops the writer, closes the database and
 * frees `c` (NULL is fine).  All readers must have been freed.  Fills
 * `stats` when not NULL. */
void ll_cache_close(struct ll_cache *c, struct ll_cache_stats *stats);

/* A connection for lookups, used by one thread at a time.  NULL when it
 * cannot be opened (then that thread simply parses everything). */
struct ll_cache_reader *ll_cache_reader_new(struct ll_cache *c);
void ll_cache_reader_free(struct ll_cache_reader *r);

/*
 * Looks `job` up.  Returns 1 and fills `out` (freshly initialised with
 * ll_tu_facts_init()) when a current entry exists; returns 0 on a miss,
 * `out` left empty.  Errors (a damaged entry, a busy or broken database)
 * are misses.  Thread-safe across readers.
 */
/* Mixes `salt` into every key of this run: facts that depend on more than
 * the TU (the configuration's extra lock and thread functions) then never
 * come from a run with other settings.  Call before any lookup or store. */
void ll_cache_salt(struct ll_cache *c, uint64_t salt);

int ll_cache_lookup(struct ll_cache_reader *r, const struct ll_tu_job *job,
                    struct ll_tu_facts *out);

/*
 * Queues the facts of `job` for the writer; `parse_started` is the
 * CLOCK_REALTIME time parsing began.  Entries whose dependencies were
 * modified after (or just before) that time are not stored: their content
 * may differ from what the parser read.  Blocks while the queue is full.
 * Returns 0 when queued, 1 when not stored, -1 when out of memory.
 * Thread-safe.
 */
int ll_cache_store(struct ll_cache *c, const struct ll_tu_job *job, const struct ll_tu_facts *f,
                   struct timespec parse_started);

/* Sets the bytes the entries may take (0: no limit).  At close, the
 * entries used least recently are deleted while they take more. */
void ll_cache_set_limit(struct ll_cache *c, uint64_t bytes);

/* Reads `path`'s statistics without changing it.  Returns 1 and fills
 * `out`, 0 when there is no such file, -1 when it is not a cache this
 * locklint reads (out->file_bytes is then still set). */
int ll_cache_info(const char *path, struct ll_cache_info *out);

/* The database path the cache uses (borrowed). */
const char *ll_cache_path(const struct ll_cache *c);

/* XXH64 of `n` bytes (exposed for tests). */
uint64_t ll_hash64(const void *p, size_t n, uint64_t seed);

#endif
