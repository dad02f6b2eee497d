/*
 * cachedir: cache locations (see cachedir.h).  A database is named after
 * the project root: "<last component>-<XXH64 of the root, hex>.sqlite",
 * so one cache directory serves every project and a name says which.
 * The marker files are created with O_EXCL|O_NOFOLLOW: an existing file,
 * or a symlink planted in its place, is never written through.
 */
#include "cachedir.h"

#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int copy(char *out, size_t len, const char *s)
{
    int n = snprintf(out, len, "%s", s);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* "<name>-<hash>.sqlite" for `root`. */
static void db_name(const char *root, char *out, size_t len)
{
    const char *base = strrchr(root, '/');
    base = base && base[1] ? base + 1 : "root";
    char clean[41];
    size_t n = 0;
    for (; base[n] && n < sizeof(clean) - 1; n++) {
        unsigned char c = (unsigned char)base[n];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        clean[n] = ok ? (char)c : '_';
    }
    clean[n] = '\0';
    snprintf(out, len, "%s-%016llx.sqlite", clean,
             (unsigned long long)ll_hash64(root, strlen(root), 0));
}

int ll_cachedir_resolve(const char *cli_cache, const char *root, struct ll_cache_loc *loc,
                        char *err, size_t errlen)
{
    memset(loc, 0, sizeof(*loc));
    char name[128];
    if (root)
        db_name(root, name, sizeof(name));
    if (cli_cache && *cli_cache) {
        size_t n = strlen(cli_cache);
        if (cli_cache[n - 1] == '/' || is_dir(cli_cache)) {
            if (copy(loc->dir, sizeof(loc->dir), cli_cache) != 0)
                goto too_long;
            loc->mark = true;
        } else {
            if (copy(loc->db, sizeof(loc->db), cli_cache) != 0)
                goto too_long;
            const char *slash = strrchr(cli_cache, '/');
            size_t d = !slash ? 0 : slash == cli_cache ? 1 : (size_t)(slash - cli_cache);
            if (d >= sizeof(loc->dir))
                goto too_long;
            memcpy(loc->dir, d ? cli_cache : ".", d ? d : 1);
            loc->dir[d ? d : 1] = '\0';
            loc->mark = !is_dir(loc->dir); /* a directory made for it */
            return 0;
        }
    } else {
        const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
        int n;
        if (xdg && xdg[0] == '/')
            n = snprintf(loc->dir, sizeof(loc->dir), "%s/locklint", xdg);
        else if (home && home[0] == '/')
            n = snprintf(loc->dir, sizeof(loc->dir), "%s/.cache/locklint", home);
        else {
            snprintf(err, errlen,
                     "no cache directory: neither XDG_CACHE_HOME nor HOME is an absolute path "
                     "(give --cache PATH or --no-cache)");
            return -1;
        }
        if (n < 0 || (size_t)n >= sizeof(loc->dir))
            goto too_long;
        loc->mark = true;
    }
    size_t dl = strlen(loc->dir);
    while (dl > 1 && loc->dir[dl - 1] == '/')
        loc->dir[--dl] = '\0';
    if (root && snprintf(loc->db, sizeof(loc->db), "%s/%s", loc->dir, name) >= (int)sizeof(loc->db))
        goto too_long;
    return 0;
too_long:
    snprintf(err, errlen, "cache path too long");
    return -1;
}

static void write_new(const char *dir, const char *name, const char *text)
{
    char path[4200];
    if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return; /* there already, or the directory is not ours to write */
    size_t len = strlen(text);
    bool ok = write(fd, text, len) == (ssize_t)len;
    if (close(fd) != 0 || !ok)
        unlink(path);
}

void ll_cachedir_prepare(const struct ll_cache_loc *loc)
{
    char p[sizeof(loc->dir)];
    snprintf(p, sizeof(p), "%s", loc->dir);
    for (char *s = strchr(p + 1, '/');; s = strchr(s + 1, '/')) {
        if (s)
            *s = '\0';
        mkdir(p, 0777);
        if (!s)
            break;
        *s = '/';
    }
    if (!loc->mark)
        return;
    write_new(loc->dir, ".gitignore", "# written by locklint: a cache, not source\n*\n");
    write_new(loc->dir, "CACHEDIR.TAG",
              "Signature: 8a477f597d28d172789f06886806bc55\n"
              "# This file is a cache directory tag created by locklint.\n"
              "# For information about cache directory tags, see https://bford.info/cachedir/\n");
}

int ll_parse_size(const char *s, uint64_t *out)
{
    char *end;
    if (!s || !*s || *s == '-')
        return -1;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (errno || end == s)
        return -1;
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k')
        shift = 10;
    else if (*end == 'M' || *end == 'm')
        shift = 20;
    else if (*end == 'G' || *end == 'g')
        shift = 30;
    if (shift)
        end++;
    if (*end == 'B' || (*end == 'i' && end[1] == 'B' && shift && (end++, 1)))
        end++;
    if (*end || n > (UINT64_MAX >> shift))
        return -1;
    *out = (uint64_t)n << shift;
    return 0;
}

static void human(uint64_t b, char *out, size_t len)
{
    if (b >= (uint64_t)1 << 30)
        snprintf(out, len, "%.1f GiB", (double)b / (double)((uint64_t)1 << 30));
    else if (b >= (uint64_t)1 << 20)
        snprintf(out, len, "%.1f MiB", (double)b / (double)((uint64_t)1 << 20));
    else if (b >= 1024)
        snprintf(out, len, "%.1f KiB", (double)b / 1024.0);
    else
        snprintf(out, len, "%llu bytes", (unsigned long long)b);
}

static void when(long long ms, char *out, size_t len)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (ms <= 0 || !gmtime_r(&t, &tm) || strftime(out, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
        snprintf(out, len, "never");
}

static void stats_one(const char *db, uint64_t limit, FILE *out)
{
    struct ll_cache_info info;
    char b[32], c[32], t0[40], t1[40];
    int rc = ll_cache_info(db, &info);
    if (rc == 0) {
        fprintf(out, "%s: no cache yet\n", db);
        return;
    }
    human(info.file_bytes, b, sizeof(b));
    if (rc < 0) {
        fprintf(out, "%s: %s, not a cache this locklint reads\n", db, b);
        return;
    }
    human(limit, c, sizeof(c));
    when(info.oldest_ms, t0, sizeof(t0));
    when(info.newest_ms, t1, sizeof(t1));
    fprintf(out, "%s: %zu entries, %llu bytes (limit %s), file %s, last used %s .. %s\n", db,
            info.entries, (unsigned long long)info.bytes, limit ? c : "none", b, t0, t1);
}

/* Whether `name` is a database of ours or one of its side files. */
static bool ours(const char *name)
{
    return strstr(name, ".sqlite") != NULL;
}

int ll_cachedir_stats(const struct ll_cache_loc *loc, uint64_t limit, FILE *out)
{
    if (loc->db[0]) {
        stats_one(loc->db, limit, out);
        return 0;
    }
    fprintf(out, "cache directory %s\n", loc->dir);
    DIR *d = opendir(loc->dir);
    if (!d)
        return 0;
    struct dirent *e;
    char path[4200];
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n > 7 && strcmp(e->d_name + n - 7, ".sqlite") == 0 &&
            snprintf(path, sizeof(path), "%s/%s", loc->dir, e->d_name) < (int)sizeof(path))
            stats_one(path, limit, out);
    }
    closedir(d);
    return 0;
}

static int remove_file(const char *path, FILE *out, FILE *err)
{
    if (unlink(path) == 0) {
        fprintf(out, "removed %s\n", path);
        return 0;
    }
    if (errno == ENOENT)
        return 0;
    fprintf(err, "locklint: error: cannot remove '%s': %s\n", path, strerror(errno));
    return -1;
}

int ll_cachedir_clear(const struct ll_cache_loc *loc, FILE *out, FILE *err)
{
    char path[4300];
    int rc = 0;
    if (loc->db[0]) {
        static const char *const sfx[] = {"", "-wal", "-shm", "-journal", "-checked"};
        for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
            snprintf(path, sizeof(path), "%s%s", loc->db, sfx[i]);
            rc |= remove_file(path, out, err);
        }
        return rc;
    }
    DIR *d = opendir(loc->dir);
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (ours(e->d_name) &&
            snprintf(path, sizeof(path), "%s/%s", loc->dir, e->d_name) < (int)sizeof(path))
            rc |= remove_file(path, out, err);
    closedir(d);
    return rc;
}
