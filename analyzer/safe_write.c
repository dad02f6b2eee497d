/*
 * safe_write: see safe_write.h.  The temporary file is made with mkstemp()
 * (O_EXCL: a link planted at its name is not followed) in the directory of
 * the resolved path, so the final rename() stays on one file system.
 */
#define _DEFAULT_SOURCE /* mkstemp, realpath */
#include "safe_write.h"

#include "file_access.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(char *errbuf, size_t errlen, const char *path, const char *why)
{
    snprintf(errbuf, errlen, "cannot write '%s': %s", path, why);
    return -1;
}

/* The process umask, read without changing it (umask() would, for a
 * moment, for every thread). */
static mode_t current_umask(void)
{
    mode_t mask = 022;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return mask;
    char line[256];
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, "Umask:", 6) == 0) {
            mask = (mode_t)strtoul(line + 6, NULL, 8);
            break;
        }
    fclose(f);
    return mask;
}

int ll_safe_write_open(struct ll_safe_write *w, const char *path, char *errbuf, size_t errlen)
{
    memset(w, 0, sizeof(*w));
    char why[256];
    struct stat st;
    char resolved[PATH_MAX];
    const char *target = path;
    if (stat(path, &st) == 0) {
        if (!S_ISREG(st.st_mode)) {
            snprintf(why, sizeof(why), "%s, not a regular file", ll_file_kind(st.st_mode));
            return fail(errbuf, errlen, path, why);
        }
        if (!realpath(path, resolved))
            return fail(errbuf, errlen, path, strerror(errno));
        target = resolved;
    } else if (errno == ELOOP) {
        return fail(errbuf, errlen, path, "a symbolic link loop");
    } else if (errno != ENOENT) {
        return fail(errbuf, errlen, path, strerror(errno));
    } else {
        struct stat lst;
        if (lstat(path, &lst) == 0) /* a dangling link: where would it go? */
            return fail(errbuf, errlen, path, "a symbolic link to nothing");
    }
    w->path = strdup(target);
    const char *slash = w->path ? strrchr(w->path, '/') : NULL;
    size_t dlen = slash ? (size_t)(slash - w->path) + 1 : 0;
    w->tmp = w->path ? malloc(dlen + strlen(w->path + dlen) + 16) : NULL;
    if (!w->path || !w->tmp) {
        ll_safe_write_abort(w);
        return fail(errbuf, errlen, path, "out of memory");
    }
    memcpy(w->tmp, w->path, dlen);
    sprintf(w->tmp + dlen, ".%s.XXXXXX", w->path + dlen);
    int fd = mkstemp(w->tmp);
    if (fd < 0) {
        int e = errno;
        free(w->tmp);
        w->tmp = NULL;
        ll_safe_write_abort(w);
        return fail(errbuf, errlen, path, strerror(e));
    }
    mode_t mode = target != path ? (st.st_mode & 07777) : (0666 & ~current_umask());
    (void)fchmod(fd, mode);
    w->f = fdopen(fd, "w");
    if (!w->f) {
        int e = errno;
        close(fd);
        ll_safe_write_abort(w);
        return fail(errbuf, errlen, path, strerror(e));
    }
    return 0;
}

int ll_safe_write_commit(struct ll_safe_write *w, const char *display, char *errbuf, size_t errlen)
{
    int e = 0;
    errno = 0;
    if (fflush(w->f) != 0 || ferror(w->f))
        e = errno ? errno : EIO;
    if (fclose(w->f) != 0 && !e)
        e = errno ? errno : EIO;
    w->f = NULL;
    if (!e && rename(w->tmp, w->path) != 0)
        e = errno;
    if (e) {
        ll_safe_write_abort(w);
        return fail(errbuf, errlen, display, strerror(e));
    }
    free(w->tmp);
    free(w->path);
    memset(w, 0, sizeof(*w));
    return 0;
}

void ll_safe_write_abort(struct ll_safe_write *w)
{
    if (w->f)
        fclose(w->f);
    if (w->tmp)
        unlink(w->tmp);
    free(w->tmp);
    free(w->path);
    memset(w, 0, sizeof(*w));
}
