/*
 * project: finding the project root (see project.h).  The root is
 * compared with the paths compdb normalised lexically (no symlinks
 * resolved), so a root that is derived from those paths is kept lexical
 * too; one given on the command line is resolved with realpath() only
 * when its lexical form is not a directory.
 */
#define _DEFAULT_SOURCE /* realpath */
#include "project.h"

#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int put(char *out, size_t len, const char *s, size_t n)
{
    while (n > 1 && s[n - 1] == '/')
        n--;
    if (n + 1 > len)
        return -1;
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Lexical absolute form of `path` relative to `cwd`, into out. */
static int absolute(const char *cwd, const char *path, char *out, size_t len)
{
    struct ll_arena a;
    ll_arena_init(&a);
    char *p = ll_path_absolute(&a, cwd, path);
    int rc = p ? put(out, len, p, strlen(p)) : -1;
    ll_arena_release(&a);
    return rc;
}

/* The nearest directory at or above `dir` holding a `.git` entry (a
 * directory, or the file of a linked work tree or submodule). */
static int git_top(const char *dir, char *out, size_t len)
{
    char cur[PATH_MAX], probe[PATH_MAX + 8];
    if (put(cur, sizeof(cur), dir, strlen(dir)) != 0)
        return -1;
    for (;;) {
        struct stat st;
        snprintf(probe, sizeof(probe), "%s/.git", strcmp(cur, "/") == 0 ? "" : cur);
        if (lstat(probe, &st) == 0)
            return put(out, len, cur, strlen(cur));
        char *slash = strrchr(cur, '/');
        if (!slash || slash == cur)
            return -1; /* the file system root does not count */
        *slash = '\0';
    }
}

static size_t dir_len(const char *file)
{
    const char *slash = strrchr(file, '/');
    return !slash ? 0 : slash == file ? 1 : (size_t)(slash - file);
}

int ll_project_root(const char *explicit_root, const char *cfg_dir, const char *const *sources,
                    size_t nsources, const char *const *build, size_t nbuild, const char *db_dir,
                    const char *cwd, char *out, size_t len, char *err, size_t errlen)
{
    if (explicit_root) {
        char real[PATH_MAX];
        if (absolute(cwd, explicit_root, out, len) != 0) {
            snprintf(err, errlen, "project root '%s': path too long", explicit_root);
            return -1;
        }
        if (is_dir(out))
            return 0;
        if (!realpath(explicit_root, real) || !is_dir(real)) {
            snprintf(err, errlen, "project root '%s' is not a directory", explicit_root);
            return -1;
        }
        return put(out, len, real, strlen(real));
    }
    if (cfg_dir)
        return absolute(cwd, cfg_dir, out, len);
    /* the first source in path order, not in the database's or the
     * command line's: `locklint link` then finds the root a direct run
     * does */
    const char *first = NULL;
    for (size_t i = 0; i < nsources; i++)
        if (!first || strcmp(sources[i], first) < 0)
            first = sources[i];
    if (!first)
        return absolute(cwd, db_dir ? db_dir : ".", out, len);
    char dir[PATH_MAX];
    if (put(dir, sizeof(dir), first, dir_len(first)) == 0 && git_top(dir, out, len) == 0)
        return 0;
    /* the deepest directory above every source and build file */
    size_t n = dir_len(first);
    for (size_t i = 0; i < nsources + nbuild; i++) {
        char abs[PATH_MAX];
        const char *f = i < nsources ? sources[i] : build[i - nsources];
        if (f[0] != '/') {
            if (absolute(cwd, f, abs, sizeof(abs)) != 0)
                continue;
            f = abs;
        }
        size_t k = 0;
        while (k < n && f[k] == first[k])
            k++;
        if (k == n && f[n] == '/')
            continue;
        /* the last separator before the first difference */
        size_t j = k;
        while (j > 0 && (j == k || first[j] != '/'))
            j--;
        n = j == 0 ? 1 : j;
    }
    if (n == 1 && db_dir) /* nothing in common: the database's directory */
        return absolute(cwd, db_dir, out, len);
    if (put(out, len, first, n) != 0) {
        snprintf(err, errlen, "path too long");
        return -1;
    }
    return 0;
}

int ll_project_root_db(const char *explicit_root, const char *cfg_dir, const struct ll_compdb *db,
                       const char *cwd, char *out, size_t len, char *err, size_t errlen)
{
    const char **files = calloc(db->njobs + 1, sizeof(*files));
    if (!files) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < db->njobs; i++)
        files[i] = db->jobs[i].file;
    const char *build[1] = {db->path};
    const char *db_dir = db->path ? db->dir : NULL;
    int rc = ll_project_root(explicit_root, cfg_dir, files, db->njobs, build, db->path ? 1 : 0,
                             db_dir, cwd, out, len, err, errlen);
    free(files);
    return rc;
}

const char *ll_project_rel(const char *root, const char *path)
{
    if (!root || !path)
        return path;
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    if (n == 1 && root[0] == '/')
        return path[0] == '/' && path[1] ? path + 1 : path;
    if (strncmp(path, root, n) == 0 && path[n] == '/' && path[n + 1])
        return path + n + 1;
    return path;
}
