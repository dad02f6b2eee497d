/*
 * facts_file: the `.llfacts` envelope around a TU's facts blob, and its
 * careful reading and writing.  It knows nothing of where the files lie
 * (wrapper_mode.c and link.c decide that).
 */
#include "facts_file.h"

#include "ir_blob.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const unsigned char file_magic[8] = {'L', 'L', 'T', 'U', 'F', 'C', 'T', '\0'};

#define FILE_VERSION 1u
#define HEADER_SIZE (sizeof(file_magic) + 4 + 8)

static void put_le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int ll_facts_file_write(const char *path, const struct ll_tu_facts *f, uint64_t config_hash,
                        char *errbuf, size_t errlen)
{
    unsigned char *blob = NULL, header[HEADER_SIZE];
    size_t len = 0;
    char *tmp = NULL;
    int fd = -1, rc = -1;
    if (ll_facts_to_blob(f, &blob, &len) != 0) {
        snprintf(errbuf, errlen, "out of memory");
        goto out;
    }
    memcpy(header, file_magic, sizeof(file_magic));
    put_le(header + sizeof(file_magic), FILE_VERSION, 4);
    put_le(header + sizeof(file_magic) + 4, config_hash, 8);
    size_t plen = strlen(path);
    if (!(tmp = malloc(plen + 16))) {
        snprintf(errbuf, errlen, "out of memory");
        goto out;
    }
    snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
    if ((fd = mkstemp(tmp)) < 0) {
        snprintf(errbuf, errlen, "cannot create a file next to '%s': %s", path, strerror(errno));
        free(tmp);
        tmp = NULL;
        goto out;
    }
    /* mkstemp makes it 0600: a build artefact is as readable as the object */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || write_all(fd, header, sizeof(header)) != 0 ||
        write_all(fd, blob, len) != 0) {
        snprintf(errbuf, errlen, "cannot write '%s': %s", tmp, strerror(errno));
        goto out;
    }
    int cl = close(fd);
    fd = -1;
    if (cl != 0) {
        snprintf(errbuf, errlen, "cannot write '%s': %s", tmp, strerror(errno));
        goto out;
    }
    /* never replace a directory, a device or a symlink's target */
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        snprintf(errbuf, errlen, "'%s' exists and is not a regular file", path);
        goto out;
    }
    if (rename(tmp, path) != 0) {
        snprintf(errbuf, errlen, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    free(tmp);
    tmp = NULL;
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    free(blob);
    return rc;
}

int ll_facts_file_decode(const unsigned char *buf, size_t len, struct ll_tu_facts *out,
                         uint64_t *config_hash, char *errbuf, size_t errlen)
{
    if (len < HEADER_SIZE || memcmp(buf, file_magic, sizeof(file_magic)) != 0) {
        ll_tu_facts_release(out);
        snprintf(errbuf, errlen, "not a locklint facts file");
        return -1;
    }
    uint32_t version = (uint32_t)get_le(buf + sizeof(file_magic), 4);
    if (version != FILE_VERSION) {
        ll_tu_facts_release(out);
        snprintf(errbuf, errlen, "facts file version %u, this locklint reads %u", version,
                 FILE_VERSION);
        return -1;
    }
    *config_hash = get_le(buf + sizeof(file_magic) + 4, 8);
    if (ll_facts_from_blob(buf + HEADER_SIZE, len - HEADER_SIZE, out) != 0) {
        snprintf(errbuf, errlen,
                 "damaged, or written by a locklint with another facts version (this one "
                 "reads version %d)",
                 LL_FACTS_VERSION);
        return -1;
    }
    return 0;
}

int ll_facts_file_read(const char *path, struct ll_tu_facts *out, uint64_t *config_hash,
                       char *errbuf, size_t errlen)
{
    unsigned char *buf = NULL;
    int rc = -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(errbuf, errlen, "cannot read: %s", strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > LL_FACTS_FILE_MAX) {
        snprintf(errbuf, errlen, "%s",
                 S_ISREG(st.st_mode) ? "larger than any facts file" : "not a regular file");
        goto out;
    }
    size_t len = (size_t)st.st_size, got = 0;
    if (!(buf = malloc(len + 1))) {
        snprintf(errbuf, errlen, "out of memory");
        goto out;
    }
    while (got < len) {
        ssize_t r = read(fd, buf + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            snprintf(errbuf, errlen, "cannot read: %s", r < 0 ? strerror(errno) : "truncated");
            goto out;
        }
        got += (size_t)r;
    }
    /* the facts copy what they keep out of buf */
    rc = ll_facts_file_decode(buf, len, out, config_hash, errbuf, errlen);
out:
    if (rc != 0)
        ll_tu_facts_release(out);
    if (fd >= 0)
        close(fd);
    free(buf);
    return rc;
}
