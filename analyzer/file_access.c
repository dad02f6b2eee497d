/*
 * file_access: see file_access.h.  The check is made on the open
 * descriptor (fstat), so a file swapped for a FIFO between a stat and the
 * open is still refused; O_NONBLOCK makes the open of a FIFO return at
 * once instead of waiting for a writer.
 */
#include "file_access.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *ll_file_kind(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

static const char *say_errno(int err, char *why, size_t whylen)
{
    if (err == ENOENT || err == ENOTDIR)
        snprintf(why, whylen, "does not exist");
    else if (err == ELOOP)
        snprintf(why, whylen, "a symbolic link loop");
    else
        snprintf(why, whylen, "%s", strerror(err));
    return why;
}

static const char *say_mode(mode_t mode, char *why, size_t whylen)
{
    const char *kind = ll_file_kind(mode);
    if (strcmp(kind, "not a regular file") == 0)
        snprintf(why, whylen, "%s", kind);
    else
        snprintf(why, whylen, "%s, not a regular file", kind);
    return why;
}

const char *ll_file_not_regular(const char *path, char *why, size_t whylen)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return say_errno(errno, why, whylen);
    if (!S_ISREG(st.st_mode))
        return say_mode(st.st_mode, why, whylen);
    return NULL;
}

int ll_file_open_regular(const char *path, char *why, size_t whylen)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        say_errno(errno, why, whylen);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        say_errno(errno, why, whylen);
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        say_mode(st.st_mode, why, whylen);
        close(fd);
        return -1;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return fd;
}

FILE *ll_file_fopen_regular(const char *path, char *why, size_t whylen)
{
    int fd = ll_file_open_regular(path, why, whylen);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        say_errno(errno, why, whylen);
        close(fd);
    }
    return f;
}
