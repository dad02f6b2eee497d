/*
 * cache: SQLite storage of per-TU facts (see cache.h for the contract).
 *
 * Database (PRAGMA application_id LL_CACHE_APP_ID, user_version
 * LL_CACHE_SCHEMA, WAL journal):
 *
 *   tu(key BLOB PRIMARY KEY, file TEXT, facts BLOB, deps BLOB, used INTEGER,
 *      size INTEGER)
 *
 * `key` is 16 bytes: two XXH64 hashes (different seeds) of the key
 * material (locklint version, LL_FACTS_VERSION, a hash of the running
 * executable, file, directory, every sanitised argument with its length;
 * the arguments name the resource directory, hence the libclang version).
 * The executable's hash means a rebuilt locklint never trusts facts an
 * older build extracted, even when LL_FACTS_VERSION was not bumped.  `facts` is
 * ll_facts_to_blob()'s output.  `deps` lists every dependency as varint path length, path bytes,
 * varint mtime seconds, varint mtime nanoseconds, varint size, then the
 * XXH64 of the content as 8 little-endian bytes.  `used` is when a run last
 * stored or reused the entry (milliseconds since the epoch; a hit refreshes
 * it only when it is more than TOUCH_MS old, so that a warm run writes
 * nothing), `size` the bytes it takes; together they drive the
 * least-recently-used eviction at close when the entries exceed the size
 * limit.
 *
 * Within one run, each file is stat'ed once and hashed at most once per
 * (mtime, size) it is seen with: the table `memo` is shared by every
 * thread.  A store stats its dependencies afresh, because it must prove
 * that none changed after its parse began ("racy" entries, as git calls
 * them, are not stored: the content hashed now might not be what the
 * parser read).
 *
 * Damage is never fatal: a bad file found at open is set aside and
 * rebuilt; a read or write error later turns lookups into misses and
 * drops writes, with one warning, and the file is set aside at close when
 * SQLite said it was corrupt.  The full check at open is skipped for a
 * file exactly as a clean close left it (see stamp_write()).
 */
#define _DEFAULT_SOURCE /* MAP_POPULATE */
#include "cache.h"

#include "file_access.h"
#include "ir_blob.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* A dependency modified less than this long before its TU's parse began is
 * treated as possibly modified during it (file timestamps come from a
 * coarse clock, and some file systems keep whole seconds). */
#define RACY_MARGIN_NS 1000000000LL
#define QUEUE_CAP 32
#define WRITER_BUSY_MS 30000
#define READER_BUSY_MS 5000
/* Connections read the database through a memory map of up to this size:
 * a warm run reads every page of it (the check at open, then every blob),
 * and mapped pages are neither copied into a page cache of each
 * connection's own nor faulted in one by one.  The file only grows (no
 * auto-vacuum, no VACUUM), so the map never outlives its pages. */
#define MMAP_SIZE "1073741824"
/* A hit refreshes an entry's `used` only when it is older than this. */
#define TOUCH_MS (3600LL * 1000)
/* Eviction keeps the entries under this share (in percent) of the limit,
 * so that the next runs do not evict again at once. */
#define EVICT_TO_PCT 90

/* ---- XXH64 ------------------------------------------------------------ */

static const uint64_t P1 = 0x9E3779B185EBCA87u, P2 = 0xC2B2AE3D27D4EB4Fu, P3 = 0x165667B19E3779F9u,
                      P4 = 0x85EBCA77C2B2AE63u, P5 = 0x27D4EB2F165667C5u;

static inline uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

/* Spelled out so that the compiler makes it one load (a byte loop stayed a
 * loop, and hashing the executable at every start took milliseconds). */
static inline uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
           (uint64_t)p[7] << 56;
}

static inline uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t xround(uint64_t acc, uint64_t in)
{
    acc += in * P2;
    acc = rotl(acc, 31);
    return acc * P1;
}

static uint64_t xmerge(uint64_t acc, uint64_t v)
{
    acc ^= xround(0, v);
    return acc * P1 + P4;
}

uint64_t ll_hash64(const void *data, size_t n, uint64_t seed)
{
    const unsigned char *p = data, *end = p + n;
    uint64_t h;
    if (n >= 32) {
        uint64_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
        const unsigned char *limit = end - 32;
        do {
            v1 = xround(v1, rd64(p));
            v2 = xround(v2, rd64(p + 8));
            v3 = xround(v3, rd64(p + 16));
            v4 = xround(v4, rd64(p + 24));
            p += 32;
        } while (p <= limit);
        h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
        h = xmerge(h, v1);
        h = xmerge(h, v2);
        h = xmerge(h, v3);
        h = xmerge(h, v4);
    } else {
        h = seed + P5;
    }
    h += (uint64_t)n;
    for (; end - p >= 8; p += 8) {
        h ^= xround(0, rd64(p));
        h = rotl(h, 27) * P1 + P4;
    }
    if (end - p >= 4) {
        h ^= (uint64_t)rd32(p) * P1;
        h = rotl(h, 23) * P2 + P3;
        p += 4;
    }
    for (; p < end; p++) {
        h ^= (uint64_t)*p * P5;
        h = rotl(h, 11) * P1;
    }
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

/* ---- file states ------------------------------------------------------- */

struct fstate {
    int64_t mtime_s, mtime_ns;
    uint64_t size;
};

static bool fstate_eq(const struct fstate *a, const struct fstate *b)
{
    return a->mtime_s == b->mtime_s && a->mtime_ns == b->mtime_ns && a->size == b->size;
}

static void fstate_from(struct fstate *f, const struct stat *st)
{
    f->mtime_s = (int64_t)st->st_mtim.tv_sec;
    f->mtime_ns = (int64_t)st->st_mtim.tv_nsec;
    f->size = (uint64_t)st->st_size;
}

/* Whether `f` was modified at or after `t` minus the racy margin. */
static bool fstate_racy(const struct fstate *f, struct timespec t)
{
    long long fm = (long long)f->mtime_s * 1000000000LL + f->mtime_ns;
    long long tm = (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
    return fm >= tm - RACY_MARGIN_NS;
}

/* Reads and hashes a regular file; `st` gets its state as opened.
 * Returns 0, or -1 when it cannot be read. */
static int hash_file(const char *path, struct fstate *st, uint64_t *hash)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = -1;
    unsigned char *buf = NULL;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
        goto out;
    fstate_from(st, &sb);
    size_t cap = (size_t)sb.st_size + 1, len = 0;
    buf = malloc(cap);
    if (!buf)
        goto out;
    for (;;) {
        if (len == cap) {
            unsigned char *p = realloc(buf, cap * 2);
            if (!p)
                goto out;
            buf = p;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            goto out;
        if (r == 0)
            break;
        len += (size_t)r;
    }
    if (len != st->size) /* grew or shrank while read: not what fstat saw */
        goto out;
    *hash = ll_hash64(buf, len, 0);
    rc = 0;
out:
    free(buf);
    close(fd);
    return rc;
}

/* The hash of the running executable's content.  It is mapped, not read
 * (and populated in one go rather than faulted in as it is hashed): no
 * buffer to fault in, and a running executable cannot be written to (the
 * kernel refuses with ETXTBSY), so the mapping stays whole.  Falls back to
 * reading it.  Returns 0, or -1 when it cannot be read. */
static int hash_exe(uint64_t *hash)
{
    static const char exe[] = "/proc/self/exe";
    struct fstate st;
    int fd = open(exe, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat sb;
    void *m = MAP_FAILED;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0)
        m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return hash_file(exe, &st, hash);
    *hash = ll_hash64(m, (size_t)sb.st_size, 0);
    munmap(m, (size_t)sb.st_size);
    return 0;
}

struct memo_entry {
    char *path;
    uint64_t phash;
    bool exists, have_hash;
    struct fstate st;
    uint64_t hash;
};

/* Every file looked at in this run, by path (open addressing over entry
 * indices; slot 0 = empty, else index + 1). */
struct memo {
    pthread_mutex_t mu;
    struct memo_entry *v;
    size_t n, cap;
    uint32_t *slots;
    size_t nslots;
};

static int memo_rehash(struct memo *m, size_t nslots)
{
    uint32_t *slots = calloc(nslots, sizeof(*slots));
    if (!slots)
        return -1;
    for (size_t i = 0; i < m->n; i++) {
        size_t j = m->v[i].phash & (nslots - 1);
        while (slots[j])
            j = (j + 1) & (nslots - 1);
        slots[j] = (uint32_t)i + 1;
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = nslots;
    return 0;
}

/* Index of `path` (caller holds the lock), or -1. */
static long memo_find(const struct memo *m, const char *path, uint64_t ph)
{
    if (!m->nslots)
        return -1;
    for (size_t j = ph & (m->nslots - 1); m->slots[j]; j = (j + 1) & (m->nslots - 1)) {
        const struct memo_entry *e = &m->v[m->slots[j] - 1];
        if (e->phash == ph && strcmp(e->path, path) == 0)
            return (long)(m->slots[j] - 1);
    }
    return -1;
}

/* Adds `e` (caller holds the lock; path not present); -1 when out of memory. */
static long memo_add(struct memo *m, const struct memo_entry *e)
{
    if ((m->n + 1) * 2 > m->nslots && memo_rehash(m, m->nslots ? m->nslots * 2 : 256) != 0)
        return -1;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 128;
        struct memo_entry *v = realloc(m->v, cap * sizeof(*v));
        if (!v)
            return -1;
        m->v = v;
        m->cap = cap;
    }
    char *p = strdup(e->path);
    if (!p)
        return -1;
    m->v[m->n] = *e;
    m->v[m->n].path = p;
    size_t j = e->phash & (m->nslots - 1);
    while (m->slots[j])
        j = (j + 1) & (m->nslots - 1);
    m->slots[j] = (uint32_t)m->n + 1;
    return (long)m->n++;
}

/* Records what is known of `path`: its state and, when have_hash, its hash. */
static void memo_put(struct memo *m, const char *path, bool exists, const struct fstate *st,
                     bool have_hash, uint64_t hash)
{
    uint64_t ph = ll_hash64(path, strlen(path), 1);
    pthread_mutex_lock(&m->mu);
    long i = memo_find(m, path, ph);
    struct memo_entry e = {(char *)path, ph, exists, have_hash, *st, hash};
    if (i < 0) {
        memo_add(m, &e); /* out of memory only costs a later re-stat */
    } else {
        e.path = m->v[i].path;
        m->v[i] = e;
    }
    pthread_mutex_unlock(&m->mu);
}

/* The state of `path` as first seen in this run.  Returns 0, or -1 when it
 * does not exist (or cannot be stat'ed). */
static int memo_stat(struct memo *m, const char *path, struct fstate *st)
{
    uint64_t ph = ll_hash64(path, strlen(path), 1);
    pthread_mutex_lock(&m->mu);
    long i = memo_find(m, path, ph);
    if (i >= 0) {
        bool exists = m->v[i].exists;
        *st = m->v[i].st;
        pthread_mutex_unlock(&m->mu);
        return exists ? 0 : -1;
    }
    pthread_mutex_unlock(&m->mu);
    struct stat sb;
    bool exists = stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
    memset(st, 0, sizeof(*st));
    if (exists)
        fstate_from(st, &sb);
    memo_put(m, path, exists, st, false, 0);
    return exists ? 0 : -1;
}

/* The content hash of `path` in state `st`, hashing it unless this run
 * already did.  Returns 0, or -1 when it cannot be read or no longer has
 * that state. */
static int memo_hash(struct memo *m, const char *path, const struct fstate *st, uint64_t *hash,
                     atomic_size_t *rehashed)
{
    uint64_t ph = ll_hash64(path, strlen(path), 1);
    pthread_mutex_lock(&m->mu);
    long i = memo_find(m, path, ph);
    if (i >= 0 && m->v[i].exists && m->v[i].have_hash && fstate_eq(&m->v[i].st, st)) {
        *hash = m->v[i].hash;
        pthread_mutex_unlock(&m->mu);
        return 0;
    }
    pthread_mutex_unlock(&m->mu);
    struct fstate now;
    if (hash_file(path, &now, hash) != 0 || !fstate_eq(&now, st))
        return -1;
    if (rehashed)
        atomic_fetch_add(rehashed, 1);
    memo_put(m, path, true, &now, true, *hash);
    return 0;
}

static void memo_release(struct memo *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->v[i].path);
    free(m->v);
    free(m->slots);
    pthread_mutex_destroy(&m->mu);
}

/* ---- byte strings ------------------------------------------------------ */

struct bytes {
    unsigned char *p;
    size_t len, cap;
    bool failed;
};

static void bytes_put(struct bytes *b, const void *p, size_t n)
{
    if (b->failed)
        return;
    if (b->cap - b->len < n) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < n)
            cap *= 2;
        unsigned char *q = realloc(b->p, cap);
        if (!q) {
            b->failed = true;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void bytes_varint(struct bytes *b, uint64_t v)
{
    unsigned char tmp[10];
    size_t n = 0;
    do {
        tmp[n] = (unsigned char)(v & 0x7f);
        v >>= 7;
        tmp[n++] |= v ? 0x80 : 0;
    } while (v);
    bytes_put(b, tmp, n);
}

static void bytes_u64(struct bytes *b, uint64_t v)
{
    unsigned char tmp[8];
    for (int i = 0; i < 8; i++)
        tmp[i] = (unsigned char)(v >> (8 * i));
    bytes_put(b, tmp, 8);
}

struct cursor {
    const unsigned char *p;
    size_t pos, len;
};

static int cur_varint(struct cursor *c, uint64_t *out)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (c->pos >= c->len)
            return -1;
        unsigned char b = c->p[c->pos++];
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return -1;
}

struct dep {
    const char *path; /* into the blob, `plen` bytes, not terminated */
    size_t plen;
    struct fstate st;
    uint64_t hash;
};

/* Reads the next dependency record; -1 when the blob is damaged. */
static int cur_dep(struct cursor *c, struct dep *d)
{
    uint64_t plen, ms, mns, size;
    if (cur_varint(c, &plen) < 0 || plen == 0 || plen > c->len - c->pos)
        return -1;
    d->path = (const char *)c->p + c->pos;
    d->plen = (size_t)plen;
    c->pos += (size_t)plen;
    if (cur_varint(c, &ms) < 0 || cur_varint(c, &mns) < 0 || cur_varint(c, &size) < 0 ||
        c->len - c->pos < 8)
        return -1;
    d->st.mtime_s = (int64_t)ms;
    d->st.mtime_ns = (int64_t)mns;
    d->st.size = size;
    d->hash = rd64(c->p + c->pos);
    c->pos += 8;
    return 0;
}

static void put_dep(struct bytes *b, const char *path, const struct fstate *st, uint64_t hash)
{
    size_t n = strlen(path);
    bytes_varint(b, n);
    bytes_put(b, path, n);
    bytes_varint(b, (uint64_t)st->mtime_s);
    bytes_varint(b, (uint64_t)st->mtime_ns);
    bytes_varint(b, st->size);
    bytes_u64(b, hash);
}

/* ---- the cache ---------------------------------------------------------- */

struct item {
    struct item *next;
    unsigned char key[16];
    char *file;           /* NULL for a refresh */
    unsigned char *facts; /* NULL for a refresh: only deps is updated */
    size_t nfacts;
    unsigned char *deps;
    size_t ndeps;
};

struct ll_cache {
    char *path;
    FILE *warn;
    uint64_t build; /* hash of the executable, 0 when unknown */
    sqlite3 *db;    /* the writer's connection */
    struct memo memo;
    pthread_t writer;
    bool writer_started;
    pthread_mutex_t mu; /* guards the queue and the warning flags */
    pthread_cond_t nonempty, nonfull;
    struct item *head, *tail;
    size_t queued;
    bool closing;
    bool warned_write, warned_read;
    atomic_bool broken;  /* stop writing: the database refused */
    atomic_bool corrupt; /* set aside at close */
    atomic_size_t stored, racy, dropped, rehashed;
    long long now;        /* when the run began, ms since the epoch: `used` */
    uint64_t limit;       /* bytes of entries kept at close; 0: no limit */
    unsigned char *touch; /* keys (16 bytes each) of old entries reused; under mu */
    size_t ntouch, touch_cap;
    size_t evicted;
};

struct ll_cache_reader {
    struct ll_cache *c;
    sqlite3 *db;
    sqlite3_stmt *get;
};

const char *ll_cache_path(const struct ll_cache *c)
{
    return c->path;
}

static void warnf(FILE *warn, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warnf(FILE *warn, const char *fmt, ...)
{
    if (!warn)
        return;
    va_list ap;
    va_start(ap, fmt);
    char line[1024];
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    fprintf(warn, "locklint: warning: %s\n", line);
}

static bool is_damage(int rc)
{
    rc &= 0xff;
    return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

/* Key material hashed twice into 16 bytes. */
static int tu_key(const struct ll_cache *c, const struct ll_tu_job *job, unsigned char key[16])
{
    struct bytes b = {0};
    static const char tag[] = "locklint-cache\n" LL_VERSION "\n";
    bytes_put(&b, tag, sizeof(tag) - 1);
    bytes_varint(&b, LL_FACTS_VERSION);
    bytes_u64(&b, c->build);
    const char *parts[2] = {job->file, job->directory};
    for (int i = 0; i < 2; i++) {
        size_t n = parts[i] ? strlen(parts[i]) : 0;
        bytes_varint(&b, n);
        bytes_put(&b, parts[i], n);
    }
    bytes_varint(&b, (uint64_t)job->argc);
    for (int i = 0; i < job->argc; i++) {
        size_t n = strlen(job->argv[i]);
        bytes_varint(&b, n);
        bytes_put(&b, job->argv[i], n);
    }
    if (b.failed) {
        free(b.p);
        return -1;
    }
    uint64_t h1 = ll_hash64(b.p, b.len, 0x6c6f636b6c696e74u), h2 = ll_hash64(b.p, b.len, 7);
    for (int i = 0; i < 8; i++) {
        key[i] = (unsigned char)(h1 >> (8 * i));
        key[8 + i] = (unsigned char)(h2 >> (8 * i));
    }
    free(b.p);
    return 0;
}

/* ---- opening ------------------------------------------------------------ */

/* mkdir -p of the directories above `path`; errors show at open. */
static void make_parents(const char *path)
{
    char *p = strdup(path);
    if (!p)
        return;
    for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(p, 0777);
        *s = '/';
    }
    free(p);
}

/* Renames the database and its WAL files aside.  Returns 0 or -1. */
static int set_aside(const char *path, const char *reason, const char *why, FILE *warn)
{
    char stamp[32], aside[4096], src[4096], dst[4096];
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm) == 0)
        snprintf(stamp, sizeof(stamp), "%lld", (long long)t);
    snprintf(aside, sizeof(aside), "%s.%s-%s-%ld", path, reason, stamp, (long)getpid());
    if (rename(path, aside) != 0 && errno != ENOENT) {
        warnf(warn, "cache '%s' is %s and cannot be set aside: %s: running uncached", path, why,
              strerror(errno));
        return -1;
    }
    static const char *const sfx[] = {"-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
        snprintf(src, sizeof(src), "%s%s", path, sfx[i]);
        snprintf(dst, sizeof(dst), "%s%s", aside, sfx[i]);
        if (rename(src, dst) != 0 && errno != ENOENT)
            unlink(src);
    }
    snprintf(src, sizeof(src), "%s-checked", path); /* stamps a file no longer there */
    unlink(src);
    warnf(warn, "cache '%s' is %s: set aside as '%s', starting a new one", path, why, aside);
    return 0;
}

static int exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* One integer or text result of `sql`.  Returns the SQLite status. */
static int query_int(sqlite3 *db, const char *sql, long long *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static int query_text(sqlite3 *db, const char *sql, char *out, size_t len)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            const unsigned char *t = sqlite3_column_text(st, 0);
            snprintf(out, len, "%s", t ? (const char *)t : "");
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/*
 * PRAGMA quick_check reads every page of the database: 2 ms of a warm run
 * on memcached's cache, 7-10 ms on redis's.  A clean close (nothing found
 * damaged, nothing refused) writes a stamp beside the database with the
 * file's device, inode, size, modification and change times.  While they
 * match, the file is as that close left it: checked at some open, and
 * written since only through SQLite by runs that closed cleanly.  A
 * changed or replaced file (truncated, overwritten, copied, restored)
 * changes them and is checked again; damage found by reads later in a run
 * sets it aside at close as before.
 */
#define STAMP_MAGIC "locklint-checked 1"

/* The stamp of the database as it is now, or false when it cannot be
 * stat'ed. */
static bool stamp_now(const char *db, char *line, size_t len)
{
    struct stat sb;
    if (stat(db, &sb) != 0)
        return false;
    snprintf(line, len, STAMP_MAGIC " %ju %ju %jd %jd %ld %jd %ld\n", (uintmax_t)sb.st_dev,
             (uintmax_t)sb.st_ino, (intmax_t)sb.st_size, (intmax_t)sb.st_mtim.tv_sec,
             (long)sb.st_mtim.tv_nsec, (intmax_t)sb.st_ctim.tv_sec, (long)sb.st_ctim.tv_nsec);
    return true;
}

/* Whether the stamp a clean close wrote still describes the database. */
static bool stamp_matches(const char *db)
{
    char path[4096], now[256], saved[256];
    snprintf(path, sizeof(path), "%s-checked", db);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    bool ok = fgets(saved, sizeof(saved), f) && stamp_now(db, now, sizeof(now)) &&
              strcmp(saved, now) == 0;
    fclose(f);
    return ok;
}

/* Writes the stamp (through a temporary file and a rename, so that it is
 * whole or absent); when that fails, none is left. */
static void stamp_write(const char *db)
{
    char path[4096], tmp[4200], line[256];
    snprintf(path, sizeof(path), "%s-checked", db);
    snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long)getpid());
    FILE *f = stamp_now(db, line, sizeof(line)) ? fopen(tmp, "w") : NULL;
    bool ok = f && fputs(line, f) >= 0;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        unlink(path);
    }
}

enum open_result { OPEN_OK, OPEN_BAD, OPEN_FAIL };

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS tu(key BLOB PRIMARY KEY, file TEXT NOT NULL,"
    " facts BLOB NOT NULL, deps BLOB NOT NULL, used INTEGER NOT NULL, size INTEGER NOT NULL)";

/* Creates the schema in an empty database, unless another process just
 * did.  Returns the SQLite status. */
static int create_schema(sqlite3 *db)
{
    int rc = exec(db, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK)
        return rc;
    long long app = 0;
    rc = query_int(db, "PRAGMA application_id", &app);
    if (rc == SQLITE_OK && app == 0) {
        char sql[160];
        snprintf(sql, sizeof(sql), "PRAGMA application_id=%d; PRAGMA user_version=%d",
                 LL_CACHE_APP_ID, LL_CACHE_SCHEMA);
        rc = exec(db, schema_sql);
        if (rc == SQLITE_OK)
            rc = exec(db, sql);
    }
    if (rc == SQLITE_OK)
        rc = exec(db, "COMMIT");
    if (rc != SQLITE_OK)
        exec(db, "ROLLBACK");
    return rc;
}

/* Opens and checks the database.  OPEN_BAD: not a usable cache, `reason`
 * and `why` say why (the caller sets it aside); OPEN_FAIL: cannot be used
 * at all, `why` says why. */
static enum open_result try_open(struct ll_cache *c, const char **reason, char *why, size_t wlen)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(c->path, &c->db, flags, NULL);
    long long app = 0, ver = 0, nobj = 0;
    char mode[32] = "", check[256] = "";
    if (rc != SQLITE_OK)
        goto fail;
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, WRITER_BUSY_MS);
    exec(c->db, "PRAGMA mmap_size=" MMAP_SIZE);
    if (sqlite3_db_readonly(c->db, "main") == 1) {
        snprintf(why, wlen, "it is read-only");
        return OPEN_FAIL;
    }
    /* One read transaction: another process creating the schema at the
     * same time must be seen before or after, never half way (an id of 0
     * with its table already there looked like another application's). */
    if ((rc = exec(c->db, "BEGIN")) != SQLITE_OK)
        goto fail;
    if ((rc = query_int(c->db, "PRAGMA application_id", &app)) != SQLITE_OK ||
        (rc = query_int(c->db, "PRAGMA user_version", &ver)) != SQLITE_OK ||
        (rc = query_int(c->db, "SELECT count(*) FROM sqlite_master", &nobj)) != SQLITE_OK) {
        exec(c->db, "ROLLBACK");
        goto fail;
    }
    exec(c->db, "COMMIT");
    if (app == 0 && ver == 0 && nobj == 0) {
        if ((rc = create_schema(c->db)) != SQLITE_OK)
            goto fail;
        if ((rc = query_int(c->db, "PRAGMA application_id", &app)) != SQLITE_OK ||
            (rc = query_int(c->db, "PRAGMA user_version", &ver)) != SQLITE_OK)
            goto fail;
    }
    if (app != LL_CACHE_APP_ID) {
        *reason = "foreign";
        snprintf(why, wlen, "not a locklint cache");
        return OPEN_BAD;
    }
    if (ver > LL_CACHE_SCHEMA) {
        *reason = "newer";
        snprintf(why, wlen, "from a newer locklint (schema %lld, this one reads %d)", ver,
                 LL_CACHE_SCHEMA);
        return OPEN_BAD;
    }
    if (ver < LL_CACHE_SCHEMA) {
        *reason = "older";
        snprintf(why, wlen, "from an older locklint (schema %lld)", ver);
        return OPEN_BAD;
    }
    if ((rc = query_text(c->db, "PRAGMA journal_mode=WAL", mode, sizeof(mode))) != SQLITE_OK)
        goto fail;
    if (strcmp(mode, "wal") != 0) {
        snprintf(why, wlen, "it cannot use a write-ahead log (journal mode '%s')", mode);
        return OPEN_FAIL;
    }
    exec(c->db, "PRAGMA synchronous=NORMAL");
    if (stamp_matches(c->path)) /* as a clean close left it: see stamp_write() */
        return OPEN_OK;
    if ((rc = query_text(c->db, "PRAGMA quick_check(1)", check, sizeof(check))) != SQLITE_OK)
        goto fail;
    if (strcmp(check, "ok") != 0) {
        *reason = "corrupt";
        snprintf(why, wlen, "damaged (%s)", check);
        return OPEN_BAD;
    }
    return OPEN_OK;
fail:
    if (is_damage(rc)) {
        *reason = "corrupt";
        snprintf(why, wlen, "damaged or not a database (%s)", sqlite3_errstr(rc));
        return OPEN_BAD;
    }
    int err = c->db ? sqlite3_system_errno(c->db) : 0;
    snprintf(why, wlen, "%s%s%s", c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc),
             err ? ": " : "", err ? strerror(err) : "");
    return OPEN_FAIL;
}

static void *writer_main(void *arg);

struct ll_cache *ll_cache_open(const char *path, FILE *warn)
{
    struct ll_cache *c = calloc(1, sizeof(*c));
    if (!c || !(c->path = strdup(path))) {
        free(c);
        warnf(warn, "out of memory for the cache: running uncached");
        return NULL;
    }
    c->warn = warn;
    pthread_mutex_init(&c->memo.mu, NULL);
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->nonempty, NULL);
    pthread_cond_init(&c->nonfull, NULL);
    if (hash_exe(&c->build) != 0)
        c->build = 0;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    c->now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    c->limit = LL_CACHE_DEFAULT_LIMIT;
    make_parents(path);
    char why[512];
    /* The place may be in the analysed tree, which a pull request
     * controls (its .locklint.yml's `cache:`): SQLite must not open a
     * FIFO, a device or a link planted there (or at its -wal and -shm
     * files). */
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        char p[PATH_MAX + 8];
        struct stat st;
        snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
        if (lstat(p, &st) == 0 && !S_ISREG(st.st_mode)) {
            warnf(warn,
                  "cannot use the cache '%s': '%s' is %s, not a regular file: running uncached",
                  path, p, S_ISLNK(st.st_mode) ? "a symbolic link" : ll_file_kind(st.st_mode));
            goto fail;
        }
    }
    for (int attempt = 0;; attempt++) {
        const char *reason = NULL;
        enum open_result r = try_open(c, &reason, why, sizeof(why));
        if (r == OPEN_OK)
            break;
        sqlite3_close(c->db);
        c->db = NULL;
        if (r == OPEN_FAIL || attempt == 1 || set_aside(path, reason, why, warn) != 0) {
            if (r != OPEN_BAD)
                warnf(warn, "cannot use the cache '%s': %s: running uncached", path, why);
            else if (attempt == 1)
                warnf(warn, "cache '%s' is still %s after starting anew: running uncached", path,
                      why);
            goto fail;
        }
    }
    if (pthread_create(&c->writer, NULL, writer_main, c) != 0) {
        warnf(warn, "cannot start the cache writer: running uncached");
        goto fail;
    }
    c->writer_started = true;
    return c;
fail:
    ll_cache_close(c, NULL);
    return NULL;
}

/* ---- writing -------------------------------------------------------------- */

static void item_free(struct item *it)
{
    free(it->file);
    free(it->facts);
    free(it->deps);
    free(it);
}

/* Warns once about a failed write and, unless it was only busy, stops
 * writing for the rest of the run. */
static void write_failed(struct ll_cache *c, int rc, size_t lost)
{
    atomic_fetch_add(&c->dropped, lost);
    if ((rc & 0xff) != SQLITE_BUSY)
        atomic_store(&c->broken, true);
    if (is_damage(rc))
        atomic_store(&c->corrupt, true);
    pthread_mutex_lock(&c->mu);
    bool first = !c->warned_write;
    c->warned_write = true;
    pthread_mutex_unlock(&c->mu);
    if (first)
        warnf(c->warn, "cannot write the cache '%s': %s: some results are not kept", c->path,
              sqlite3_errstr(rc));
}

static int write_batch(struct ll_cache *c, sqlite3_stmt *put, sqlite3_stmt *upd, struct item *list)
{
    int rc = exec(c->db, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK)
        return rc;
    size_t n = 0;
    for (struct item *it = list; it && rc == SQLITE_OK; it = it->next, n++) {
        sqlite3_stmt *st = it->facts ? put : upd;
        sqlite3_reset(st);
        sqlite3_bind_blob(st, 1, it->key, sizeof(it->key), SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, it->deps, (int)it->ndeps, SQLITE_STATIC);
        if (it->facts) {
            sqlite3_bind_text(st, 3, it->file, -1, SQLITE_STATIC);
            sqlite3_bind_blob(st, 4, it->facts, (int)it->nfacts, SQLITE_STATIC);
            sqlite3_bind_int64(st, 5, c->now);
            sqlite3_bind_int64(
                st, 6, (long long)(it->nfacts + it->ndeps + strlen(it->file) + sizeof(it->key)));
        }
        rc = sqlite3_step(st);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    if (rc == SQLITE_OK)
        rc = exec(c->db, "COMMIT");
    if (rc != SQLITE_OK)
        exec(c->db, "ROLLBACK");
    else
        atomic_fetch_add(&c->stored, n);
    return rc;
}

static void *writer_main(void *arg)
{
    struct ll_cache *c = arg;
    sqlite3_stmt *put = NULL, *upd = NULL;
    int rc = sqlite3_prepare_v2(c->db,
                                "INSERT OR REPLACE INTO tu(key, deps, file, facts, used, size) "
                                "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                                -1, &put, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(c->db, "UPDATE tu SET deps = ?2 WHERE key = ?1", -1, &upd, NULL);
    if (rc != SQLITE_OK)
        write_failed(c, rc, 0);
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->head && !c->closing)
            pthread_cond_wait(&c->nonempty, &c->mu);
        if (!c->head)
            break;
        struct item *list = c->head;
        size_t n = c->queued;
        c->head = c->tail = NULL;
        c->queued = 0;
        pthread_cond_broadcast(&c->nonfull);
        pthread_mutex_unlock(&c->mu);
        if (atomic_load(&c->broken)) {
            atomic_fetch_add(&c->dropped, n);
        } else if ((rc = write_batch(c, put, upd, list)) != SQLITE_OK) {
            write_failed(c, rc, n);
        }
        while (list) {
            struct item *next = list->next;
            item_free(list);
            list = next;
        }
        pthread_mutex_lock(&c->mu);
    }
    pthread_mutex_unlock(&c->mu);
    sqlite3_finalize(put);
    sqlite3_finalize(upd);
    return NULL;
}

static void enqueue(struct ll_cache *c, struct item *it)
{
    pthread_mutex_lock(&c->mu);
    while (c->queued >= QUEUE_CAP && !c->closing)
        pthread_cond_wait(&c->nonfull, &c->mu);
    if (c->tail)
        c->tail->next = it;
    else
        c->head = it;
    c->tail = it;
    c->queued++;
    pthread_cond_signal(&c->nonempty);
    pthread_mutex_unlock(&c->mu);
}

int ll_cache_store(struct ll_cache *c, const struct ll_tu_job *job, const struct ll_tu_facts *f,
                   struct timespec parse_started)
{
    if (atomic_load(&c->broken))
        return 1;
    struct item *it = calloc(1, sizeof(*it));
    struct bytes deps = {0};
    int rc = -1;
    if (!it || tu_key(c, job, it->key) != 0 || !(it->file = strdup(job->file)))
        goto out;
    bytes_varint(&deps, f->ndeps);
    for (uint32_t i = 0; i < f->ndeps; i++) {
        /* A fresh look: the state must predate the parse. */
        struct stat sb;
        struct fstate st;
        uint64_t hash;
        if (stat(f->deps[i], &sb) != 0 || !S_ISREG(sb.st_mode)) {
            rc = 1;
            goto out;
        }
        fstate_from(&st, &sb);
        if (fstate_racy(&st, parse_started) ||
            memo_hash(&c->memo, f->deps[i], &st, &hash, NULL) != 0) {
            atomic_fetch_add(&c->racy, 1);
            rc = 1;
            goto out;
        }
        put_dep(&deps, f->deps[i], &st, hash);
    }
    if (deps.failed || ll_facts_to_blob(f, &it->facts, &it->nfacts) != 0)
        goto out;
    it->deps = deps.p;
    it->ndeps = deps.len;
    deps.p = NULL;
    enqueue(c, it);
    it = NULL;
    rc = 0;
out:
    free(deps.p);
    if (it)
        item_free(it);
    return rc;
}

/* ---- reading ---------------------------------------------------------------- */

struct ll_cache_reader *ll_cache_reader_new(struct ll_cache *c)
{
    struct ll_cache_reader *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->c = c;
    int rc = sqlite3_open_v2(c->path, &r->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(r->db, READER_BUSY_MS);
        exec(r->db, "PRAGMA mmap_size=" MMAP_SIZE); /* only faster: failure is fine */
        rc = sqlite3_prepare_v2(r->db, "SELECT facts, deps, used FROM tu WHERE key = ?1", -1,
                                &r->get, NULL);
    }
    if (rc != SQLITE_OK) {
        ll_cache_reader_free(r);
        return NULL;
    }
    return r;
}

void ll_cache_reader_free(struct ll_cache_reader *r)
{
    if (!r)
        return;
    sqlite3_finalize(r->get);
    sqlite3_close(r->db);
    free(r);
}

static void read_failed(struct ll_cache *c, int rc)
{
    if (is_damage(rc))
        atomic_store(&c->corrupt, true);
    pthread_mutex_lock(&c->mu);
    bool first = !c->warned_read;
    c->warned_read = true;
    pthread_mutex_unlock(&c->mu);
    if (first)
        warnf(c->warn, "cannot read the cache '%s': %s: parsing instead", c->path,
              sqlite3_errstr(rc));
}

/*
 * Checks the dependencies in `blob`.  Returns 1 when all are current, 0
 * when one changed or the blob is damaged.  When some had a new mtime but
 * the same content, *refresh gets a deps blob with their current states.
 */
static int deps_current(struct ll_cache *c, const unsigned char *blob, size_t len,
                        struct bytes *refresh)
{
    struct cursor cur = {blob, 0, len};
    uint64_t n;
    char path[4096];
    bool stale_mtime = false;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (cur_varint(&cur, &n) < 0 || n > len)
        return 0;
    bytes_varint(refresh, n);
    for (uint64_t i = 0; i < n; i++) {
        struct dep d;
        struct fstate st;
        uint64_t hash;
        if (cur_dep(&cur, &d) < 0 || d.plen >= sizeof(path) || memchr(d.path, '\0', d.plen))
            return 0;
        memcpy(path, d.path, d.plen);
        path[d.plen] = '\0';
        if (memo_stat(&c->memo, path, &st) != 0 || st.size != d.st.size)
            return 0;
        if (!fstate_eq(&st, &d.st)) {
            if (memo_hash(&c->memo, path, &st, &hash, &c->rehashed) != 0 || hash != d.hash)
                return 0;
            /* same content, new time: remember the new time unless it is
             * too recent to prove anything */
            stale_mtime = stale_mtime || !fstate_racy(&st, now);
        }
        put_dep(refresh, path, &st, d.hash);
    }
    if (cur.pos != len)
        return 0;
    if (!stale_mtime)
        refresh->len = 0;
    return 1;
}

/* Remembers a reused entry whose `used` is old, for close to refresh.
 * Out of memory only loses the refresh. */
static void touch(struct ll_cache *c, const unsigned char key[16])
{
    pthread_mutex_lock(&c->mu);
    if (c->ntouch == c->touch_cap) {
        size_t cap = c->touch_cap ? 2 * c->touch_cap : 64;
        unsigned char *p = realloc(c->touch, cap * 16);
        if (p) {
            c->touch = p;
            c->touch_cap = cap;
        }
    }
    if (c->ntouch < c->touch_cap)
        memcpy(c->touch + 16 * c->ntouch++, key, 16);
    pthread_mutex_unlock(&c->mu);
}

int ll_cache_lookup(struct ll_cache_reader *r, const struct ll_tu_job *job, struct ll_tu_facts *out)
{
    struct ll_cache *c = r->c;
    unsigned char key[16];
    struct bytes refresh = {0};
    int hit = 0;
    if (tu_key(c, job, key) != 0)
        return 0;
    sqlite3_reset(r->get);
    sqlite3_bind_blob(r->get, 1, key, sizeof(key), SQLITE_STATIC);
    int rc = sqlite3_step(r->get);
    if (rc == SQLITE_ROW) {
        const unsigned char *facts = sqlite3_column_blob(r->get, 0);
        size_t nfacts = (size_t)sqlite3_column_bytes(r->get, 0);
        const unsigned char *deps = sqlite3_column_blob(r->get, 1);
        size_t ndeps = (size_t)sqlite3_column_bytes(r->get, 1);
        if (deps && facts && deps_current(c, deps, ndeps, &refresh) == 1 && !refresh.failed &&
            ll_facts_from_blob(facts, nfacts, out) == 0) {
            hit = 1;
            if (sqlite3_column_int64(r->get, 2) < c->now - TOUCH_MS)
                touch(c, key);
        }
    } else if (rc != SQLITE_DONE) {
        read_failed(c, rc);
    }
    sqlite3_reset(r->get);
    sqlite3_clear_bindings(r->get);
    if (hit && refresh.len && !atomic_load(&c->broken)) {
        struct item *it = calloc(1, sizeof(*it));
        if (it) {
            memcpy(it->key, key, sizeof(key));
            it->deps = refresh.p;
            it->ndeps = refresh.len;
            refresh.p = NULL;
            enqueue(c, it);
        }
    }
    free(refresh.p);
    return hit;
}

/* ---- closing ------------------------------------------------------------------ */

/* The entries' total size into *total.  `size` is stored after the blobs
 * in each row, so summing it reads every page of the table (the whole
 * cache, through the memory map: on git's 62 MB that was a sixth of a
 * warm run's peak RSS and 40 ms).  The database's pages hold every byte
 * an entry's size counts, so while they fit the limit the entries do, and
 * the sum is not needed: *total is then 0. */
static int entries_size(struct ll_cache *c, long long *total)
{
    long long pages = 0, page_size = 0;
    *total = 0;
    if (query_int(c->db, "PRAGMA page_count", &pages) == SQLITE_OK &&
        query_int(c->db, "PRAGMA page_size", &page_size) == SQLITE_OK && pages >= 0 &&
        page_size > 0 && (uint64_t)pages <= c->limit / (uint64_t)page_size)
        return SQLITE_OK;
    return query_int(c->db, "SELECT total(size) FROM tu", total);
}

/* Refreshes `used` of the entries this run reused, then, while the
 * entries take more than the limit, deletes the least recently used down
 * to EVICT_TO_PCT of it.  Freed pages are reused by later writes; the file
 * is not shrunk (see MMAP_SIZE).  Returns the SQLite status. */
static int touch_and_evict(struct ll_cache *c)
{
    sqlite3_stmt *st = NULL;
    long long total = 0;
    int rc;
    if (!c->ntouch) { /* the usual warm run: a read, no transaction */
        if (!c->limit)
            return SQLITE_OK;
        if ((rc = entries_size(c, &total)) != SQLITE_OK || (uint64_t)total <= c->limit)
            return rc;
    }
    if ((rc = exec(c->db, "BEGIN IMMEDIATE")) != SQLITE_OK)
        return rc;
    if (c->ntouch) {
        rc = sqlite3_prepare_v2(c->db, "UPDATE tu SET used = ?1 WHERE key = ?2", -1, &st, NULL);
        for (size_t i = 0; rc == SQLITE_OK && i < c->ntouch; i++) {
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, c->now);
            sqlite3_bind_blob(st, 2, c->touch + 16 * i, 16, SQLITE_STATIC);
            rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(c->db);
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    if (rc == SQLITE_OK && c->limit)
        rc = entries_size(c, &total);
    if (rc == SQLITE_OK && c->limit && (uint64_t)total > c->limit) {
        uint64_t k = c->limit > UINT64_MAX / 100 ? c->limit / 100 * EVICT_TO_PCT
                                                 : c->limit * EVICT_TO_PCT / 100;
        long long keep = k > (uint64_t)LLONG_MAX ? LLONG_MAX : (long long)k, kept = 0;
        long long *gone = NULL;
        size_t ngone = 0, cap = 0;
        rc = sqlite3_prepare_v2(c->db, "SELECT rowid, size FROM tu ORDER BY used DESC, rowid DESC",
                                -1, &st, NULL);
        /* the newest that fit stay; from the first that does not, all go */
        while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
            long long size = sqlite3_column_int64(st, 1);
            if (!gone && !cap && kept + size <= keep) {
                kept += size;
                continue;
            }
            if (ngone == cap) {
                size_t nc = cap ? 2 * cap : 64;
                long long *p = realloc(gone, nc * sizeof(*p));
                if (!p)
                    break; /* evicts fewer */
                gone = p;
                cap = nc;
            }
            gone[ngone++] = sqlite3_column_int64(st, 0);
        }
        sqlite3_finalize(st);
        st = NULL;
        if (rc == SQLITE_OK && ngone)
            rc = sqlite3_prepare_v2(c->db, "DELETE FROM tu WHERE rowid = ?1", -1, &st, NULL);
        for (size_t i = 0; rc == SQLITE_OK && i < ngone; i++) {
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, gone[i]);
            rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(c->db);
            if (rc == SQLITE_OK)
                c->evicted++;
        }
        sqlite3_finalize(st);
        free(gone);
    }
    if (rc == SQLITE_OK)
        rc = exec(c->db, "COMMIT");
    if (rc != SQLITE_OK)
        exec(c->db, "ROLLBACK");
    return rc;
}

void ll_cache_close(struct ll_cache *c, struct ll_cache_stats *stats)
{
    if (!c)
        return;
    if (c->writer_started) {
        pthread_mutex_lock(&c->mu);
        c->closing = true;
        pthread_cond_broadcast(&c->nonempty);
        pthread_mutex_unlock(&c->mu);
        pthread_join(c->writer, NULL);
        if (!atomic_load(&c->broken) && (c->ntouch || c->limit)) {
            int rc = touch_and_evict(c);
            if (rc != SQLITE_OK)
                write_failed(c, rc, 0);
        }
    }
    if (stats) {
        stats->stored = atomic_load(&c->stored);
        stats->racy = atomic_load(&c->racy);
        stats->dropped = atomic_load(&c->dropped);
        stats->rehashed = atomic_load(&c->rehashed);
        stats->evicted = c->evicted;
    }
    sqlite3_close(c->db);
    if (atomic_load(&c->corrupt))
        set_aside(c->path, "corrupt", "damaged", c->warn);
    else if (c->writer_started && !atomic_load(&c->broken))
        stamp_write(c->path); /* every connection is closed: the file as it stays */
    memo_release(&c->memo);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->nonempty);
    pthread_cond_destroy(&c->nonfull);
    free(c->touch);
    free(c->path);
    free(c);
}

void ll_cache_set_limit(struct ll_cache *c, uint64_t bytes)
{
    if (c)
        c->limit = bytes;
}

int ll_cache_info(const char *path, struct ll_cache_info *out)
{
    memset(out, 0, sizeof(*out));
    struct stat sb;
    if (stat(path, &sb) != 0)
        return 0;
    out->file_bytes = (uint64_t)sb.st_size;
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    long long app = 0, ver = 0;
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, READER_BUSY_MS);
        rc = query_int(db, "PRAGMA application_id", &app);
    }
    if (rc == SQLITE_OK)
        rc = query_int(db, "PRAGMA user_version", &ver);
    if (rc != SQLITE_OK || app != LL_CACHE_APP_ID || ver != LL_CACHE_SCHEMA) {
        sqlite3_close(db);
        return -1;
    }
    rc = sqlite3_prepare_v2(db, "SELECT count(*), total(size), min(used), max(used) FROM tu", -1,
                            &st, NULL);
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        out->entries = (size_t)sqlite3_column_int64(st, 0);
        out->bytes = (uint64_t)sqlite3_column_double(st, 1);
        out->oldest_ms = sqlite3_column_int64(st, 2);
        out->newest_ms = sqlite3_column_int64(st, 3);
    } else {
        rc = SQLITE_ERROR;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc == SQLITE_OK ? 1 : -1;
}

void ll_cache_salt(struct ll_cache *c, uint64_t salt)
{
    if (c)
        c->build ^= salt * 0x9e3779b97f4a7c15ull;
}
