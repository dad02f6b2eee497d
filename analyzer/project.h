/*
 * project: the project root a run is relative to.  Every path locklint
 * writes (findings in every format, fingerprints, baselines) and every
 * path it matches (exclude patterns, suppression scans, baseline scope)
 * is taken relative to it, so that the same run from any directory gives
 * the same results.
 *
 * It only decides and compares paths; it neither reads configuration nor
 * writes anything.
 */
#ifndef LL_PROJECT_H
#define LL_PROJECT_H

#include "compdb.h"

#include <stddef.h>

/*
 * The project root, an absolute path without a trailing slash, written to
 * `out`: `explicit_root` (--project-root) when not NULL; else `cfg_dir`,
 * the directory of the .locklint.yml in use, when not NULL; else the top
 * of the git work tree holding the first of `sources` in path order (the
 * nearest directory above it with a `.git` entry; git itself is not run);
 * else the deepest directory holding every one of `sources` and of
 * `build` (compile_commands.json, or the facts files of `locklint link`:
 * a build/ directory beside src/ then gives their parent), unless that is
 * `/`: then `db_dir`, the directory of compile_commands.json, when not
 * NULL.  Paths are absolute or relative to `cwd`.  Returns 0, or -1 with a
 * message in `err` (an explicit root that is not a directory, a path too
 * long).
 */
int ll_project_root(const char *explicit_root, const char *cfg_dir, const char *const *sources,
                    size_t nsources, const char *const *build, size_t nbuild, const char *db_dir,
                    const char *cwd, char *out, size_t len, char *err, size_t errlen);

/* ll_project_root() for a compile database or the files of file mode. */
int ll_project_root_db(const char *explicit_root, const char *cfg_dir, const struct ll_compdb *db,
                       const char *cwd, char *out, size_t len, char *err, size_t errlen);

/* `path` relative to `root` when it lies under it, else `path` (borrowed;
 * a pointer into `path`). */
const char *ll_project_rel(const char *root, const char *path);

#endif
