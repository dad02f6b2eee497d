/*
 * file_guard: see file_guard.h.  The real open is the openat system call,
 * made directly: there is no "next" open() to find without dlsym().
 * Only the first refusal is kept; the parse that caused it fails as a
 * whole, so one reason is enough.
 */
#define _GNU_SOURCE /* O_TMPFILE, syscall() */
#include "file_guard.h"

#include "file_access.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static atomic_bool armed;
static atomic_uint_least64_t budget, used;
static pthread_mutex_t refusal_mu = PTHREAD_MUTEX_INITIALIZER;
static char refusal[1024];
static bool refused;

void ll_file_guard_arm(uint64_t max_bytes)
{
    pthread_mutex_lock(&refusal_mu);
    refused = false;
    refusal[0] = '\0';
    pthread_mutex_unlock(&refusal_mu);
    atomic_store(&budget, max_bytes);
    atomic_store(&used, 0);
    atomic_store(&armed, true);
}

void ll_file_guard_disarm(void)
{
    atomic_store(&armed, false);
}

int ll_file_guard_refused(char *why, size_t whylen)
{
    pthread_mutex_lock(&refusal_mu);
    int r = refused;
    if (r)
        snprintf(why, whylen, "%s", refusal);
    pthread_mutex_unlock(&refusal_mu);
    return r;
}

static void refuse(const char *fmt, const char *path, const char *what)
{
    pthread_mutex_lock(&refusal_mu);
    if (!refused) {
        refused = true;
        snprintf(refusal, sizeof(refusal), fmt, path, what);
    }
    pthread_mutex_unlock(&refusal_mu);
}

static int sys_openat(int dirfd, const char *path, int flags, mode_t mode)
{
    return (int)syscall(SYS_openat, dirfd, path, flags, mode);
}

/* Randomness for LLVM's and libc's own use is not the project's input. */
static bool system_device(const char *path)
{
    return strcmp(path, "/dev/null") == 0 || strcmp(path, "/dev/urandom") == 0 ||
           strcmp(path, "/dev/random") == 0;
}

static int guarded_openat(int dirfd, const char *path, int flags, mode_t mode)
{
    if (!atomic_load(&armed) || !path)
        return sys_openat(dirfd, path, flags, mode);
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)) ||
        (flags & O_TMPFILE) == O_TMPFILE) {
        refuse("it tried to write '%s'%s", path, "");
        errno = EACCES;
        return -1;
    }
    if (system_device(path))
        return sys_openat(dirfd, path, flags, mode);
    int fd = sys_openat(dirfd, path, flags | O_NONBLOCK, mode);
    if (fd < 0)
        return fd;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    if (S_ISDIR(st.st_mode))
        goto ok;
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        refuse("'%s' is %s, not a regular file", path, ll_file_kind(st.st_mode));
        errno = EACCES;
        return -1;
    }
    uint64_t size = st.st_size > 0 ? (uint64_t)st.st_size : 0;
    uint64_t limit = atomic_load(&budget);
    uint64_t total = atomic_fetch_add(&used, size) + size;
    if (limit && total > limit) {
        close(fd);
        char lim[64];
        snprintf(lim, sizeof(lim), "%llu", (unsigned long long)limit);
        refuse("its sources exceed the limit of %2$s bytes at '%1$s'", path, lim);
        errno = EFBIG;
        return -1;
    }
ok:
    if (!(flags & O_NONBLOCK)) {
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
            (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    }
    return fd;
}

/* The interposed entry points.  They must be exported from the
 * executable (CMakeLists.txt: --export-dynamic-symbol) for libraries
 * loaded later to bind to them. */
static mode_t mode_arg(int flags, va_list ap)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    return guarded_openat(AT_FDCWD, path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    return guarded_openat(AT_FDCWD, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    return guarded_openat(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    return guarded_openat(dirfd, path, flags, mode);
}
