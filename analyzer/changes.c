/*
 * changes: changed lines for pull-request mode (see changes.h).
 *
 * Files are kept by absolute path with a flag per line.  With
 * --diff-base, a file's flags are computed the first time a finding names
 * it: its content at the base commit (`git cat-file blob COMMIT:PATH`;
 * a file git does not have there is new, every line changed) is compared
 * with the work tree's by Myers' O(ND) algorithm after the common prefix
 * and suffix are cut off; a difference of more than MAX_D edits marks the
 * whole differing middle as changed rather than spend quadratic memory.
 */
#include "changes.h"

#include "cache.h"
#include "file_access.h"
#include "project.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define MAX_D 4000
#define MAX_FILE ((size_t)256 << 20)

struct ll_changes_file {
    char *path;    /* absolute */
    bool *changed; /* changed[line], 1-based; lines past nlines are unchanged */
    size_t nlines;
    bool all; /* every line (a file new since the base) */
};

void ll_changes_init(struct ll_changes *c, const char *root)
{
    memset(c, 0, sizeof(*c));
    c->root = root;
    snprintf(c->top, sizeof(c->top), "%s", root);
}

void ll_changes_release(struct ll_changes *c)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        free(c->files[i].path);
        free(c->files[i].changed);
    }
    free(c->files);
    memset(c, 0, sizeof(*c));
}

/* `file` made absolute against `dir`, into buf; NULL when too long. */
static const char *absolute(const char *dir, const char *file, char *buf, size_t len)
{
    if (file[0] == '/')
        return file;
    int n = snprintf(buf, len, "%s/%s", dir, file);
    return n < 0 || (size_t)n >= len ? NULL : buf;
}

static struct ll_changes_file *find(struct ll_changes *c, const char *abs)
{
    for (size_t i = 0; i < c->nfiles; i++)
        if (strcmp(c->files[i].path, abs) == 0)
            return &c->files[i];
    return NULL;
}

static struct ll_changes_file *add(struct ll_changes *c, const char *abs)
{
    struct ll_changes_file *f = find(c, abs);
    if (f)
        return f;
    if (c->nfiles == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        struct ll_changes_file *p = realloc(c->files, cap * sizeof(*p));
        if (!p)
            return NULL;
        c->files = p;
        c->cap = cap;
    }
    f = &c->files[c->nfiles];
    memset(f, 0, sizeof(*f));
    if (!(f->path = strdup(abs)))
        return NULL;
    c->nfiles++;
    return f;
}

/* Marks line `line` (1-based); 0 and negative lines are ignored. */
static int mark(struct ll_changes_file *f, long line)
{
    if (line <= 0)
        return 0;
    if ((size_t)line >= f->nlines) {
        size_t n = f->nlines ? f->nlines : 64;
        while (n <= (size_t)line)
            n *= 2;
        bool *p = realloc(f->changed, n * sizeof(*p));
        if (!p)
            return -1;
        memset(p + f->nlines, 0, (n - f->nlines) * sizeof(*p));
        f->changed = p;
        f->nlines = n;
    }
    f->changed[line] = true;
    return 0;
}

/* ---- unified diffs ---------------------------------------------------------- */

static char *read_all(FILE *in, size_t *len)
{
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 1 >= cap) {
            char *p = cap < MAX_FILE ? realloc(buf, cap * 2) : NULL;
            if (!p) {
                free(buf);
                return NULL;
            }
            buf = p;
            cap *= 2;
        }
        size_t k = fread(buf + n, 1, cap - n - 1, in);
        n += k;
        if (k == 0)
            break;
    }
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

/* The top of the git work tree holding the root, else the root. */
static void set_top(struct ll_changes *c)
{
    char probe[4200];
    snprintf(c->top, sizeof(c->top), "%s", c->root);
    for (;;) {
        struct stat st;
        snprintf(probe, sizeof(probe), "%s/.git", c->top);
        if (lstat(probe, &st) == 0)
            return;
        char *slash = strrchr(c->top, '/');
        if (!slash || slash == c->top)
            break;
        *slash = '\0';
    }
    snprintf(c->top, sizeof(c->top), "%s", c->root);
}

int ll_changes_read_diff(struct ll_changes *c, const char *path, char *err, size_t errlen)
{
    char why[256];
    FILE *in = strcmp(path, "-") == 0 ? stdin : ll_file_fopen_regular(path, why, sizeof(why));
    if (!in) {
        snprintf(err, errlen, "cannot read the diff '%s': %s", path, why);
        return -1;
    }
    size_t len = 0;
    char *text = read_all(in, &len);
    if (in != stdin)
        fclose(in);
    if (!text) {
        snprintf(err, errlen, "cannot read the diff '%s': out of memory", path);
        return -1;
    }
    set_top(c);
    struct ll_changes_file *f = NULL;
    long newline = 0, old_left = 0, new_left = 0;
    bool saw_file = false;
    int rc = 0;
    char name[4096], abs[8200];
    for (char *line = text, *next; line && *line && rc == 0; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (old_left > 0 || new_left > 0) { /* in a hunk */
            if (line[0] == '+') {
                rc = f ? mark(f, newline) : 0;
                newline++;
                new_left--;
            } else if (line[0] == '-') {
                if (f && (mark(f, newline - 1) != 0 || mark(f, newline) != 0))
                    rc = -1;
                old_left--;
            } else if (line[0] == ' ' || line[0] == '\0') {
                newline++;
                old_left--;
                new_left--;
            } else if (line[0] != '\\') {
                old_left = new_left = 0; /* a malformed hunk ends here */
            }
            continue;
        }
        if (strncmp(line, "+++ ", 4) == 0) {
            const char *p = line + 4;
            size_t n = strcspn(p, "\t");
            while (n > 0 && p[n - 1] == ' ')
                n--;
            saw_file = true;
            f = NULL;
            if (n >= sizeof(name) || (n == 9 && strncmp(p, "/dev/null", 9) == 0))
                continue;
            if (n > 2 && p[0] == 'b' && p[1] == '/')
                p += 2, n -= 2;
            memcpy(name, p, n);
            name[n] = '\0';
            const char *a = absolute(c->top, name, abs, sizeof(abs));
            if (a && !(f = add(c, a)))
                rc = -1;
        } else if (strncmp(line, "@@ -", 4) == 0) {
            long os = 0, oc = 1, ns = 0, nc = 1;
            char *p = line + 4, *e;
            os = strtol(p, &e, 10);
            if (*e == ',')
                oc = strtol(e + 1, &e, 10);
            if (strncmp(e, " +", 2) != 0)
                continue;
            ns = strtol(e + 2, &e, 10);
            if (*e == ',')
                nc = strtol(e + 1, &e, 10);
            (void)os;
            newline = nc == 0 ? ns + 1 : ns; /* "+5,0": the deletion is after line 5 */
            old_left = oc;
            new_left = nc;
        }
    }
    free(text);
    if (rc != 0) {
        snprintf(err, errlen, "out of memory reading the diff '%s'", path);
        return -1;
    }
    if (!saw_file && len > 0) {
        snprintf(err, errlen, "'%s' is not a unified diff (no '+++ ' line)", path);
        return -1;
    }
    return 0;
}

/* ---- git ----------------------------------------------------------------------- */

/*
 * Runs git in `dir` with `args` and returns its exit status (-1: could not
 * run it), its standard output in *out (malloc'd, NUL-terminated).  No
 * shell; standard input and error are /dev/null.  The -c settings keep git
 * from running what the repository configures: no fsmonitor daemon, no
 * hooks, no transport (a partial clone's lazy fetch would run one).
 */
static int run_git(const char *dir, const char *const *args, char **out, size_t *outlen)
{
    const char *argv[24] = {"git",
                            "-c",
                            "core.fsmonitor=false",
                            "-c",
                            "core.hooksPath=/dev/null",
                            "-c",
                            "protocol.allow=never",
                            "--no-pager",
                            "-C",
                            dir};
    size_t n = 10;
    for (size_t i = 0; args[i] && n < 23; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    *out = NULL;
    *outlen = 0;
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    fcntl(fd[0], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_addclose(&fa, fd[1]);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, "git", &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (rc != 0) {
        close(fd[0]);
        return -1;
    }
    FILE *in = fdopen(fd[0], "rb");
    if (in) {
        *out = read_all(in, outlen);
        fclose(in);
    } else {
        close(fd[0]);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (!*out)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int ll_changes_git_base(struct ll_changes *c, const char *ref, char *err, size_t errlen)
{
    char *out = NULL;
    size_t len;
    if (!*ref || ref[0] == '-') {
        snprintf(err, errlen, "bad --diff-base '%s'", ref);
        return -1;
    }
    const char *top[] = {"rev-parse", "--show-toplevel", NULL};
    int rc = run_git(c->root, top, &out, &len);
    if (rc != 0) {
        snprintf(err, errlen,
                 rc < 0 ? "--diff-base: cannot run git"
                        : "--diff-base: '%s' is not in a git "
                          "work tree",
                 c->root);
        free(out);
        return -1;
    }
    out[strcspn(out, "\n")] = '\0';
    snprintf(c->top, sizeof(c->top), "%s", out);
    free(out);
    char spec[1024];
    snprintf(spec, sizeof(spec), "%s^{commit}", ref);
    const char *verify[] = {"rev-parse", "--verify", "--quiet", "--end-of-options", spec, NULL};
    rc = run_git(c->root, verify, &out, &len);
    if (rc != 0 || len < 40) {
        snprintf(err, errlen, "--diff-base: no commit '%s' in the repository at '%s'", ref, c->top);
        free(out);
        return -1;
    }
    out[strcspn(out, "\n")] = '\0';
    snprintf(c->commit, sizeof(c->commit), "%s", out);
    free(out);
    return 0;
}

/* Hashes of the lines of text[0..len). */
static unsigned long long *split(const char *text, size_t len, size_t *n)
{
    size_t cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += text[i] == '\n';
    unsigned long long *h = malloc(cap * sizeof(*h));
    if (!h)
        return NULL;
    *n = 0;
    for (size_t i = 0; i < len;) {
        const char *e = memchr(text + i, '\n', len - i);
        size_t l = e ? (size_t)(e - (text + i)) : len - i;
        h[(*n)++] = ll_hash64(text + i, l, 0);
        i += l + 1;
    }
    return h;
}

int ll_changes_diff_lines(const unsigned long long *a, size_t na, const unsigned long long *b,
                          size_t nb, bool *changed)
{
    size_t pre = 0, suf = 0;
    while (pre < na && pre < nb && a[pre] == b[pre])
        pre++;
    while (suf < na - pre && suf < nb - pre && a[na - 1 - suf] == b[nb - 1 - suf])
        suf++;
    const unsigned long long *x = a + pre, *y = b + pre;
    long n = (long)(na - pre - suf), m = (long)(nb - pre - suf);
    bool *ch = changed + pre;
    if (n == 0 || m == 0) {
        for (long j = 0; j < m; j++)
            ch[j] = true;
        if (m == 0 && n > 0) { /* a pure deletion: the lines around it */
            if (pre > 0)
                changed[pre - 1] = true;
            if (pre < nb)
                changed[pre] = true;
        }
        return 0;
    }
    long max = n + m, dmax = max < MAX_D ? max : MAX_D, off = dmax + 1;
    long *v = calloc((size_t)(2 * dmax + 3), sizeof(*v));
    long **trace = calloc((size_t)dmax + 1, sizeof(*trace));
    long d = 0, found = -1;
    int rc = -1;
    if (!v || !trace)
        goto out;
    for (d = 0; d <= dmax && found < 0; d++) {
        for (long k = -d; k <= d; k += 2) {
            long px;
            if (k == -d || (k != d && v[off + k - 1] < v[off + k + 1]))
                px = v[off + k + 1];
            else
                px = v[off + k - 1] + 1;
            long py = px - k;
            while (px < n && py < m && x[px] == y[py])
                px++, py++;
            v[off + k] = px;
            if (px >= n && py >= m) {
                found = d;
                break;
            }
        }
        /* V after step d, for k in -d..d */
        if (!(trace[d] = malloc((size_t)(2 * d + 1) * sizeof(long))))
            goto out;
        memcpy(trace[d], v + off - d, (size_t)(2 * d + 1) * sizeof(long));
    }
    if (found < 0) { /* too different: the whole middle */
        for (long j = 0; j < m; j++)
            ch[j] = true;
        rc = 0;
        goto out;
    }
    long px = n, py = m;
    for (long dd = found; dd > 0; dd--) {
        const long *pv = trace[dd - 1]; /* index k + (dd - 1) */
        long k = px - py, prevk;
        if (k == -dd || (k != dd && pv[k - 1 + dd - 1] < pv[k + 1 + dd - 1]))
            prevk = k + 1; /* a line of b inserted */
        else
            prevk = k - 1; /* a line of a deleted */
        long prevx = pv[prevk + dd - 1], prevy = prevx - prevk;
        while (px > prevx && py > prevy)
            px--, py--;
        if (prevk == k + 1) {
            ch[prevy] = true;
        } else { /* the lines on both sides of the deletion */
            size_t at = pre + (size_t)prevy;
            if (at > 0)
                changed[at - 1] = true;
            if (at < nb)
                changed[at] = true;
        }
        px = prevx;
        py = prevy;
    }
    rc = 0;
out:
    for (long i = 0; trace && i <= dmax && i < d + 1; i++)
        free(trace[i]);
    free(trace);
    free(v);
    return rc;
}

/* Computes the changed lines of `abs` against the base commit. */
static int from_git(struct ll_changes *c, const char *abs, char *err, size_t errlen)
{
    struct ll_changes_file *f = add(c, abs);
    if (!f)
        goto oom;
    const char *rel = ll_project_rel(c->top, abs);
    if (rel == abs)
        return 0; /* outside the repository: not part of the change */
    char why[256];
    FILE *in = ll_file_fopen_regular(abs, why, sizeof(why));
    if (!in)
        return 0; /* gone from the work tree (or not a file): nothing to point at */
    size_t nnew = 0, nold = 0, lnew = 0, lold = 0;
    char *now = read_all(in, &lnew);
    fclose(in);
    if (!now)
        goto oom;
    char spec[8300];
    snprintf(spec, sizeof(spec), "%s:%s", c->commit, rel);
    const char *cat[] = {"cat-file", "blob", spec, NULL};
    char *then = NULL;
    int rc = run_git(c->top, cat, &then, &lold);
    if (rc < 0) {
        free(now);
        free(then);
        snprintf(err, errlen, "--diff-base: cannot run git");
        return -1;
    }
    if (rc != 0) { /* not there at the base: a new file */
        f->all = true;
        free(now);
        free(then);
        return 0;
    }
    unsigned long long *hn = split(now, lnew, &nnew), *ho = split(then, lold, &nold);
    free(now);
    free(then);
    bool *ch = hn && ho ? calloc(nnew + 1, sizeof(*ch)) : NULL;
    int drc = ch ? ll_changes_diff_lines(ho, nold, hn, nnew, ch) : -1;
    free(hn);
    free(ho);
    for (size_t i = 0; drc == 0 && i < nnew; i++)
        if (ch[i] && mark(f, (long)i + 1) != 0)
            drc = -1;
    free(ch);
    if (drc != 0)
        goto oom;
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

bool ll_changes_has(struct ll_changes *c, const char *file, unsigned line)
{
    char buf[8200];
    const char *abs = file ? absolute(c->root, file, buf, sizeof(buf)) : NULL;
    const struct ll_changes_file *f = abs ? find(c, abs) : NULL;
    return f && (f->all || (line < f->nlines && f->changed[line]));
}

/* With --diff-base, the changes of `file` computed when first needed. */
static int ensure(struct ll_changes *c, const char *file, char *err, size_t errlen)
{
    char buf[8200];
    const char *abs = file ? absolute(c->root, file, buf, sizeof(buf)) : NULL;
    if (!c->commit[0] || !abs || find(c, abs))
        return 0;
    return from_git(c, abs, err, errlen);
}

long ll_changes_filter(struct ll_changes *c, struct ll_report *r, char *err, size_t errlen)
{
    size_t kept = 0, n = r->count;
    for (size_t i = 0; i < n; i++) {
        struct ll_finding *f = r->items[i];
        bool on = false;
        for (size_t k = 0; k <= f->nrelated && !on; k++) {
            const struct ll_site *s = k == 0 ? &f->primary : &f->related[k - 1];
            if (ensure(c, s->file, err, errlen) != 0)
                return -1;
            on = ll_changes_has(c, s->file, s->line);
        }
        if (on)
            r->items[kept++] = f;
    }
    r->count = kept;
    return (long)(n - kept);
}
