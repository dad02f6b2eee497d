/*
 * cachedir: where the cache lives.  By default in the user's cache
 * directory ($XDG_CACHE_HOME/locklint, else ~/.cache/locklint), one
 * database per project root, never in the analysed tree.  A cache
 * directory gets a `.gitignore` with `*` and a `CACHEDIR.TAG`, so that git
 * and backup tools skip it.  It also lists and removes the databases for
 * --cache-stats and --clear-cache.
 *
 * It does not open databases (cache.h does) and decides nothing about
 * their content.
 */
#ifndef LL_CACHEDIR_H
#define LL_CACHEDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ll_cache_loc {
    char dir[4096]; /* the directory holding the database */
    char db[4200];  /* the database file; "" when only the directory is known */
    bool mark;      /* the directory is a cache directory: give it the marker files */
};

/*
 * The cache for the project at `root` (NULL: only the directory, for
 * --cache-stats and --clear-cache without input).  `cli_cache` (--cache)
 * wins: an existing directory, or a path ending in '/', is a cache
 * directory holding one database per root; anything else is the database
 * file itself, whose directory is marked only when it does not exist yet.
 * Else the user's cache directory.  Never from the project's configuration:
 * a pull request must not choose where locklint writes.  Returns 0, or -1 with a
 * message (no home directory to put the cache in, a path too long).
 */
int ll_cachedir_resolve(const char *cli_cache, const char *root, struct ll_cache_loc *loc,
                        char *err, size_t errlen);

/* Creates loc->dir (and its parents) and, when loc->mark, the marker files
 * it lacks.  Failures are left for the cache's open to report. */
void ll_cachedir_prepare(const struct ll_cache_loc *loc);

/* Parses a size: a number of bytes with an optional K, M or G suffix
 * (powers of 1024; "0" means no limit).  Returns 0 or -1. */
int ll_parse_size(const char *s, uint64_t *out);

/* --cache-stats: prints what `loc` holds on `out` (one database, or every
 * database in loc->dir when loc->db is ""), with `limit` as the size
 * limit.  Returns 0. */
int ll_cachedir_stats(const struct ll_cache_loc *loc, uint64_t limit, FILE *out);

/* --clear-cache: removes the database of `loc` (or every locklint
 * database in loc->dir when loc->db is "") with its side files; prints
 * what it removed on `out`.  Returns 0, or -1 when a file could not be
 * removed (named on `err`). */
int ll_cachedir_clear(const struct ll_cache_loc *loc, FILE *out, FILE *err);

#endif
