/*
 * parse_worker: see parse_worker.h.
 *
 * Protocol on a stream socket, native byte order (both ends are the same
 * executable):
 *   request:  u32 magic, u64 max_bytes, u32 nstrings, then nstrings times
 *             u32 length + bytes: the file, the directory, the arguments
 *   response: u32 status (0 facts, 1 failed, 2 crashed, 3 refused),
 *             u32 length + message, u64 length + facts blob
 * The worker exits at end of input, and after a crash libclang recovered
 * from (its state is not to be trusted after that).
 */
#define _GNU_SOURCE /* SOCK_CLOEXEC, MSG_NOSIGNAL */
#include "parse_worker.h"

#include "config.h"
#include "file_guard.h"
#include "frontend.h"
#include "ir_blob.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define REQ_MAGIC 0x4c4c5251u /* "LLRQ" */
#define MAX_STRINGS (1u << 20)
#define MAX_STRING (64u << 20)
#define MAX_BLOB ((uint64_t)1 << 34)
#define WORKER_STACK (64u << 20) /* as the driver's parsing threads */

enum { ST_FACTS, ST_FAILED, ST_CRASHED, ST_REFUSED };

struct ll_parse_worker {
    pid_t pid;
    int fd;
};

/* ---- I/O ------------------------------------------------------------ */

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == ENOTSOCK)
            n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* 1 read, 0 end of input before the first byte, -1 error or short read. */
static int read_all(int fd, void *buf, size_t len)
{
    char *p = buf;
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, p + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return got == 0 ? 0 : -1;
        got += (size_t)n;
    }
    return 1;
}

static int put_str(int fd, const char *s)
{
    uint32_t n = (uint32_t)strlen(s);
    return write_all(fd, &n, sizeof(n)) < 0 || write_all(fd, s, n) < 0 ? -1 : 0;
}

/* A string of at most `max` bytes, malloc'd and NUL-terminated. */
static char *get_str(int fd, uint32_t max)
{
    uint32_t n;
    if (read_all(fd, &n, sizeof(n)) != 1 || n > max)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    if (n && read_all(fd, s, n) != 1) {
        free(s);
        return NULL;
    }
    s[n] = '\0';
    return s;
}

/* ---- the worker ----------------------------------------------------- */

struct request {
    uint64_t max_bytes;
    char **s; /* file, directory, arguments */
    uint32_t n;
};

static void request_free(struct request *r)
{
    for (uint32_t i = 0; i < r->n; i++)
        free(r->s[i]);
    free(r->s);
    memset(r, 0, sizeof(*r));
}

/* 1 a request, 0 end of input, -1 a broken one. */
static int read_request(int fd, struct request *r)
{
    memset(r, 0, sizeof(*r));
    uint32_t magic, n;
    int rc = read_all(fd, &magic, sizeof(magic));
    if (rc != 1)
        return rc;
    if (magic != REQ_MAGIC || read_all(fd, &r->max_bytes, sizeof(r->max_bytes)) != 1 ||
        read_all(fd, &n, sizeof(n)) != 1 || n < 2 || n > MAX_STRINGS)
        return -1;
    r->s = calloc(n, sizeof(*r->s));
    if (!r->s)
        return -1;
    for (; r->n < n; r->n++)
        if (!(r->s[r->n] = get_str(fd, MAX_STRING))) {
            request_free(r);
            return -1;
        }
    return 1;
}

static int respond(int fd, uint32_t status, const char *msg, const unsigned char *blob,
                   uint64_t len)
{
    if (write_all(fd, &status, sizeof(status)) < 0 || put_str(fd, msg) < 0 ||
        write_all(fd, &len, sizeof(len)) < 0 || (len && write_all(fd, blob, (size_t)len) < 0))
        return -1;
    return 0;
}

struct worker_io {
    int in, out;
};

static void *worker_loop(void *arg)
{
    struct worker_io *io = arg;
    struct ll_frontend *fe = NULL;
    struct request r;
    int rc;
    while ((rc = read_request(io->in, &r)) == 1) {
        char msg[1536] = "";
        uint32_t status = ST_FAILED;
        unsigned char *blob = NULL;
        size_t len = 0;
        struct ll_tu_job job = {r.s[0], r.s[1], (int)(r.n - 2), (const char **)r.s + 2};
        struct ll_tu_facts facts;
        ll_tu_facts_init(&facts);
        if (!fe && !(fe = ll_frontend_new())) {
            snprintf(msg, sizeof(msg), "%s", ll_frontend_unavailable());
        } else {
            ll_file_guard_arm(r.max_bytes);
            int prc = ll_frontend_parse(fe, &job, &facts, msg, sizeof(msg));
            ll_file_guard_disarm();
            char why[1024];
            if (ll_file_guard_refused(why, sizeof(why))) {
                status = ST_REFUSED;
                snprintf(msg, sizeof(msg), "%s", why);
            } else if (prc == LL_FRONTEND_CRASHED) {
                status = ST_CRASHED;
            } else if (prc == 0) {
                if (ll_facts_to_blob(&facts, &blob, &len) == 0)
                    status = ST_FACTS;
                else
                    snprintf(msg, sizeof(msg), "%s: out of memory", job.file);
            }
        }
        int wrc = respond(io->out, status, msg, blob, len);
        free(blob);
        ll_tu_facts_release(&facts);
        request_free(&r);
        if (wrc < 0 || status == ST_CRASHED || status == ST_REFUSED)
            break; /* after a crash or a refusal, libclang's state is suspect */
    }
    ll_frontend_free(fe);
    return NULL;
}

int ll_parse_worker_main(const char *config)
{
    struct ll_config cfg;
    char err[1024];
    ll_config_init(&cfg);
    if (config &&
        (ll_config_load(&cfg, config, err, sizeof(err)) != 0 || ll_config_register(&cfg) != 0)) {
        fprintf(stderr, "locklint: error: parser process: %s\n", err);
        ll_config_release(&cfg);
        return 2;
    }
    /* The protocol owns the socket; anything a library prints on
     * standard output must not land in it. */
    struct worker_io io = {dup(0), dup(1)};
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (io.in < 0 || io.out < 0 || null < 0)
        return 2;
    dup2(null, 0);
    dup2(null, 1);
    close(null);
    pthread_attr_t attr;
    pthread_t th;
    if (pthread_attr_init(&attr) != 0) {
        ll_config_release(&cfg);
        return 2;
    }
    pthread_attr_setstacksize(&attr, WORKER_STACK);
    if (pthread_create(&th, &attr, worker_loop, &io) == 0)
        pthread_join(th, NULL);
    else
        worker_loop(&io);
    pthread_attr_destroy(&attr);
    ll_config_release(&cfg);
    return 0;
}

/* ---- the driver's side ---------------------------------------------- */

static struct ll_parse_worker *start_worker(const char *config, char *errbuf, size_t errlen)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        snprintf(errbuf, errlen, "cannot start a parser process: %s", strerror(errno));
        return NULL;
    }
    posix_spawn_file_actions_t fa;
    struct ll_parse_worker *w = calloc(1, sizeof(*w));
    int err = w ? posix_spawn_file_actions_init(&fa) : ENOMEM;
    if (err == 0) {
        /* dup2 clears close-on-exec on the copies: the worker keeps 0 and
         * 1, and no other worker's socket */
        err = posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
        if (err == 0)
            err = posix_spawn_file_actions_adddup2(&fa, sv[1], 1);
        char *argv[] = {"locklint", LL_PARSE_WORKER_ARG, (char *)config, NULL};
        if (err == 0)
            err = posix_spawn(&w->pid, "/proc/self/exe", &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
    }
    close(sv[1]);
    if (err != 0) {
        snprintf(errbuf, errlen, "cannot start a parser process: %s", strerror(err));
        close(sv[0]);
        free(w);
        return NULL;
    }
    w->fd = sv[0];
    return w;
}

void ll_parse_worker_free(struct ll_parse_worker *w)
{
    if (!w)
        return;
    close(w->fd); /* end of input: the worker exits */
    while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    free(w);
}

/* How the worker ended, for a message: "killed by signal 11 (Segmentation
 * fault)", "exit status 1".  Reaps it. */
static void reap(struct ll_parse_worker *w, char *how, size_t len)
{
    int st = 0;
    close(w->fd);
    pid_t r;
    while ((r = waitpid(w->pid, &st, 0)) < 0 && errno == EINTR)
        ;
    if (r < 0)
        snprintf(how, len, "lost");
    else if (WIFSIGNALED(st))
        snprintf(how, len, "killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
    else
        snprintf(how, len, "exit status %d", WEXITSTATUS(st));
    free(w);
}

static int send_job(int fd, const struct ll_tu_job *job, uint64_t max_bytes)
{
    uint32_t magic = REQ_MAGIC, n = (uint32_t)job->argc + 2;
    if (write_all(fd, &magic, sizeof(magic)) < 0 ||
        write_all(fd, &max_bytes, sizeof(max_bytes)) < 0 || write_all(fd, &n, sizeof(n)) < 0 ||
        put_str(fd, job->file) < 0 || put_str(fd, job->directory) < 0)
        return -1;
    for (int i = 0; i < job->argc; i++)
        if (put_str(fd, job->argv[i]) < 0)
            return -1;
    return 0;
}

int ll_parse_isolated(struct ll_parse_worker **wp, const char *config, const struct ll_tu_job *job,
                      uint64_t max_bytes, struct ll_tu_facts *out, char *errbuf, size_t errlen)
{
    if (!*wp && !(*wp = start_worker(config, errbuf, errlen)))
        return LL_PARSE_NO_WORKER;
    struct ll_parse_worker *w = *wp;
    uint32_t status;
    char *msg = NULL;
    uint64_t len = 0;
    unsigned char *blob = NULL;
    int rc = -1;
    if (send_job(w->fd, job, max_bytes) < 0 || read_all(w->fd, &status, sizeof(status)) != 1 ||
        !(msg = get_str(w->fd, MAX_STRING)) || read_all(w->fd, &len, sizeof(len)) != 1 ||
        len > MAX_BLOB) {
        /* The worker died on this TU. */
        char how[128];
        reap(w, how, sizeof(how));
        *wp = NULL;
        snprintf(errbuf, errlen, "%s: the parser crashed; its functions are not analysed (%s)",
                 job->file, how);
        free(msg);
        return LL_PARSE_CRASHED;
    }
    if (len && (!(blob = malloc((size_t)len)) || read_all(w->fd, blob, (size_t)len) != 1)) {
        snprintf(errbuf, errlen, "%s: %s", job->file,
                 blob ? "the parser process stopped answering" : "out of memory");
        ll_parse_worker_free(w);
        *wp = NULL;
        goto out;
    }
    switch (status) {
    case ST_FACTS:
        if (ll_facts_from_blob(blob, (size_t)len, out) == 0)
            rc = 0;
        else
            snprintf(errbuf, errlen, "%s: the parser process sent damaged facts", job->file);
        break;
    case ST_CRASHED:
        snprintf(errbuf, errlen, "%s: the parser crashed; its functions are not analysed",
                 job->file);
        rc = LL_PARSE_CRASHED;
        break;
    case ST_REFUSED:
        snprintf(errbuf, errlen, "%s: not analysed: %s", job->file, msg);
        rc = LL_PARSE_REFUSED;
        break;
    default:
        snprintf(errbuf, errlen, "%s", msg);
        break;
    }
    if (rc == LL_PARSE_CRASHED || rc == LL_PARSE_REFUSED) {
        ll_parse_worker_free(w); /* it exits after these */
        *wp = NULL;
    }
out:
    free(blob);
    free(msg);
    return rc;
}
