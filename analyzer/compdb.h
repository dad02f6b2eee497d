/*
 * compdb: reads a compile_commands.json (or builds jobs for files named on
 * the command line) and turns each entry into a translation-unit job with
 * arguments that are safe and sensible for parsing.
 *
 * Sanitising keeps only the arguments on the allow-list (README, "What
 * locklint never does"): -D/-U, include paths, -std=, -x, the target,
 * -m flags, -f flags that change the language, -W/-w, -O, -pthread, and
 * the -f/-m flags a configuration adds.  Everything else is dropped with
 * one note per distinct flag per run -- a linter run on an untrusted pull
 * request must not load its code or write where its database says.  It
 * adds `-resource-dir DIR` so builtin headers resolve as they do for clang.
 *
 * It does not parse anything and never runs the compiler.
 */
#ifndef LL_COMPDB_H
#define LL_COMPDB_H

#include "arena.h"

#include <stddef.h>
#include <stdio.h>

struct ll_tu_job {
    const char *file;      /* absolute, normalised path of the source file */
    const char *directory; /* absolute working directory of the entry */
    int argc;
    const char **argv; /* sanitised arguments for libclang (no compiler, no file) */
};

struct ll_compdb {
    struct ll_arena arena;
    const char *path; /* the compile_commands.json read, absolute; NULL in file mode */
    const char *dir;  /* its directory (file mode: the current directory) */
    size_t njobs;
    struct ll_tu_job *jobs;
    /* Set before loading: flags the configuration adds to the allow-list
     * (exact, or a prefix ending in '*'; each passed
     * ll_compdb_flag_allowable()).  Borrowed. */
    const char *const *extra_flags;
    size_t nextra_flags;
    const char **noted; /* dropped flags already named in a note */
    size_t nnoted;
};

void ll_compdb_init(struct ll_compdb *db);
void ll_compdb_release(struct ll_compdb *db);

/*
 * Loads `path`, a compile_commands.json or a directory holding one.  Entries
 * may use "arguments" or "command" (split like a POSIX shell); a relative
 * "file" is resolved against "directory".  Duplicate entries for one file
 * keep the first.  Entries whose file does not exist are skipped with a
 * warning on `warn`; dropped code-loading flags are named there too.
 *
 * Returns 0, or a negative value with a one-line message (no trailing
 * newline) in errbuf: no such file, no compile_commands.json in the
 * directory, malformed JSON (with line and column), an entry missing "file"
 * or "directory" (with the entry's index), an empty database.
 */
int ll_compdb_load(struct ll_compdb *db, const char *path, const char *resource_dir, FILE *warn,
                   char *errbuf, size_t errlen);

/*
 * File mode: one job per file, each with the same extra arguments (those
 * after "--"), sanitised the same way; the directory is the current one.
 * Returns 0, or negative with a message when a file does not exist.
 */
int ll_compdb_from_files(struct ll_compdb *db, const char *const *files, size_t nfiles,
                         const char *const *args, size_t nargs, const char *resource_dir,
                         FILE *warn, char *errbuf, size_t errlen);

/*
 * Keeps only the jobs whose file lies under one of `paths` (files or
 * directories, relative to the current directory).  Returns the number
 * kept.
 */
size_t ll_compdb_filter(struct ll_compdb *db, const char *const *paths, size_t npaths);

/*
 * Sanitises one argument vector (exposed for tests).  `argv` is an entry's
 * full command line including the compiler; the result excludes it and
 * `file`.  Returns the new argc or -1 when out of memory; *out points into
 * db's arena.
 */
int ll_compdb_sanitize(struct ll_compdb *db, int argc, const char *const *argv, const char *file,
                       const char *resource_dir, FILE *warn, const char ***out);

/* Whether a configuration may add `flag` (an exact flag or a prefix
 * ending in '*') to the allow-list: a -f or -m flag that neither passes
 * options on, loads code, writes files nor reads options from a file. */
int ll_compdb_flag_allowable(const char *flag);

/* Splits a shell command line ("command" entries): quotes and backslashes
 * as POSIX sh does. Returns argc or -1 on an unterminated quote / OOM. */
int ll_compdb_split_command(struct ll_arena *a, const char *cmd, const char ***out);

/* Canonical absolute form of `path` relative to `dir` (no "." or "..",
 * no duplicate slashes), without touching the file system. */
char *ll_path_absolute(struct ll_arena *a, const char *dir, const char *path);

#endif
