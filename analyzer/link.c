/*
 * link: finds and reads facts files, orders them, and hands them to the
 * driver's analysis.
 *
 * Order.  The TUs are sorted by their source file (then by the facts
 * file's path), and of several facts files of one source file only the
 * first is used, as a compile database's duplicate entries are: the
 * report then does not depend on how the facts were sharded or named on
 * the command line.  The driver analyses TUs in the order of their source
 * files too, so the link's report is a direct run's.
 *
 * Reading is parallel (-j workers, each decoding into its own arena);
 * everything else is the driver's.
 */
#include "link.h"

#include "config.h"
#include "driver.h"
#include "facts_file.h"
#include "project.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct path_list {
    char **v;
    size_t n, cap;
};

static int path_push(struct path_list *l, const char *dir, const char *name)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        char **v = realloc(l->v, cap * sizeof(*v));
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    size_t n = (dir ? strlen(dir) + 1 : 0) + strlen(name) + 1;
    char *s = malloc(n);
    if (!s)
        return -1;
    if (dir)
        snprintf(s, n, "%s/%s", dir, name);
    else
        snprintf(s, n, "%s", name);
    l->v[l->n++] = s;
    return 0;
}

static void path_list_release(struct path_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof(*l));
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

/* Every *.llfacts under `dir`, not following symbolic links.  Returns 0,
 * or -1 with a message printed. */
static int walk(struct path_list *out, const char *dir, int depth)
{
    if (depth > 64)
        return 0; /* deeper than any build tree: stop rather than recurse on */
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "locklint: error: cannot read directory '%s': %s\n", dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[PATH_MAX];
        if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
            continue;
        struct stat st;
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            rc = walk(out, path, depth + 1);
        else if (S_ISREG(st.st_mode) && has_suffix(e->d_name, LL_FACTS_FILE_SUFFIX))
            rc = path_push(out, NULL, path);
    }
    closedir(d);
    if (rc < 0 && errno == ENOMEM)
        fprintf(stderr, "locklint: error: out of memory\n");
    return rc;
}

/* A named input: a facts file, or a directory to search. */
static int collect(struct path_list *out, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "locklint: error: no such file or directory: '%s'\n", path);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        size_t before = out->n;
        if (walk(out, path, 0) != 0)
            return -1;
        if (out->n == before)
            fprintf(stderr, "locklint: warning: no facts files (*%s) under '%s'\n",
                    LL_FACTS_FILE_SUFFIX, path);
        return 0;
    }
    if (path_push(out, NULL, path) != 0) {
        fprintf(stderr, "locklint: error: out of memory\n");
        return -1;
    }
    return 0;
}

/* -p: a build directory, or its compile_commands.json (whose directory
 * is meant, as for a direct run). */
static int collect_build_dir(struct path_list *out, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        char dir[PATH_MAX];
        const char *slash = strrchr(path, '/');
        if (!slash)
            return collect(out, ".");
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
        return collect(out, dir[0] ? dir : "/");
    }
    return collect(out, path);
}

struct tu_slot {
    const char *path;
    struct ll_tu_facts facts;
    uint64_t config_hash;
    int status; /* 0 read, -1 not */
    char err[256];
};

struct read_pool {
    struct tu_slot *slots;
    size_t n;
    atomic_size_t next;
    struct ll_arena *mem; /* per worker */
    atomic_int nworkers;
    atomic_uint_least64_t bytes;
};

static void *read_worker(void *arg)
{
    struct read_pool *pool = arg;
    struct ll_arena *mem = &pool->mem[atomic_fetch_add(&pool->nworkers, 1)];
    for (;;) {
        size_t i = atomic_fetch_add(&pool->next, 1);
        if (i >= pool->n)
            break;
        struct tu_slot *s = &pool->slots[i];
        struct stat st;
        if (stat(s->path, &st) == 0)
            atomic_fetch_add(&pool->bytes, (uint64_t)st.st_size);
        ll_arena_init_child(&s->facts.arena, mem);
        s->status = ll_facts_file_read(s->path, &s->facts, &s->config_hash, s->err, sizeof(s->err));
    }
    return NULL;
}

static int read_all(struct read_pool *pool, int jobs)
{
    long n = jobs > 0 ? jobs : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if ((size_t)n > pool->n)
        n = (long)pool->n;
    pthread_t *th = calloc((size_t)n + 1, sizeof(*th));
    pool->mem = calloc((size_t)n + 1, sizeof(*pool->mem));
    if (!th || !pool->mem) {
        free(th);
        return -1;
    }
    for (long i = 0; i <= n; i++)
        ll_arena_init(&pool->mem[i]);
    long started = 0;
    for (; started < n; started++)
        if (pthread_create(&th[started], NULL, read_worker, pool) != 0)
            break;
    if (started == 0)
        read_worker(pool);
    for (long i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    return 0;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int by_file(const void *a, const void *b)
{
    const struct tu_slot *x = *(const struct tu_slot *const *)a;
    const struct tu_slot *y = *(const struct tu_slot *const *)b;
    int c = strcmp(x->facts.main_file, y->facts.main_file);
    return c ? c : strcmp(x->path, y->path);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The configuration: --config; else the first .locklint.yml above the
 * build directory of -p, else above the first source file (not above
 * the facts files or the current directory: the link then uses the
 * configuration the wrapper modes found for the TUs, from wherever it
 * runs).  Returns 0, or -1 with a message printed. */
static int load_config(const struct ll_cli *cli, const char *first_source, struct ll_config *cfg)
{
    char err[1024], dir[PATH_MAX];
    const char *slash = strrchr(first_source, '/');
    size_t n = !slash ? 0 : slash == first_source ? 1 : (size_t)(slash - first_source);
    snprintf(dir, sizeof(dir), "%.*s", (int)n, first_source);
    struct ll_cli c = *cli;
    c.inputs = NULL; /* facts files, not sources */
    c.ninputs = 0;
    ll_config_release(cfg);
    if (ll_config_load_for(&c, n ? dir : "/", cfg, err, sizeof(err)) != 0) {
        fprintf(stderr, "locklint: error: %s\n", err);
        return -1;
    }
    return 0;
}

/* The project root (project.h) of the TUs: that of a direct run over
 * their compile database, whatever the current directory.  The facts
 * files stand for compile_commands.json: they lie in the build tree. */
static int link_root(const struct ll_cli *cli, struct ll_config *cfg, const struct ll_tu_facts *tus,
                     size_t k, const struct path_list *facts, const char *cwd, char *root,
                     size_t len)
{
    const char **files = calloc(k + 1, sizeof(*files));
    if (!files) {
        fprintf(stderr, "locklint: error: out of memory\n");
        return -1;
    }
    for (size_t i = 0; i < k; i++)
        files[i] = tus[i].main_file;
    char err[PATH_MAX + 64], dbdir[PATH_MAX];
    const char *db_dir = NULL;
    if (cli->compdb) {
        /* -p DIR or DIR/compile_commands.json, as for a direct run */
        struct stat st;
        snprintf(dbdir, sizeof(dbdir), "%s", cli->compdb);
        char *slash = strrchr(dbdir, '/');
        if (stat(cli->compdb, &st) == 0 && S_ISREG(st.st_mode)) {
            if (!slash)
                snprintf(dbdir, sizeof(dbdir), ".");
            else
                slash[slash == dbdir] = '\0';
        }
        db_dir = dbdir;
    }
    int rc = ll_project_root(cli->project_root, cfg->path ? cfg->dir : NULL, files, k,
                             (const char *const *)facts->v, facts->n, db_dir, cwd, root, len, err,
                             sizeof(err));
    free(files);
    if (rc != 0) {
        fprintf(stderr, "locklint: error: %s\n", err);
        return -1;
    }
    /* excludes are relative to the project root like everything else */
    if (!(cfg->dir = ll_arena_strdup(&cfg->arena, root))) {
        fprintf(stderr, "locklint: error: out of memory\n");
        return -1;
    }
    return 0;
}

int ll_link_run(const struct ll_cli *cli)
{
    double start = now();
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd))) {
        fprintf(stderr, "locklint: error: cannot get the current directory: %s\n", strerror(errno));
        return 2;
    }
    struct ll_config cfg;
    struct path_list paths = {NULL, 0, 0};
    struct read_pool pool;
    memset(&pool, 0, sizeof(pool));
    struct tu_slot **order = NULL;
    struct ll_tu_facts *tus = NULL;
    struct ll_tool_note *notes = NULL;
    int status = 2;
    ll_config_init(&cfg);
    if (cli->compdb && collect_build_dir(&paths, cli->compdb) != 0)
        goto out;
    for (size_t i = 0; i < cli->ninputs; i++)
        if (collect(&paths, cli->inputs[i]) != 0)
            goto out;
    if (paths.n == 0) {
        fprintf(stderr, "locklint: error: no facts files to link\n");
        goto out;
    }
    /* in path order, not the directories' order: the warnings and SARIF's
     * notifications of unreadable files then do not depend on it */
    qsort(paths.v, paths.n, sizeof(*paths.v), by_path);
    pool.n = paths.n;
    pool.slots = calloc(paths.n, sizeof(*pool.slots));
    order = calloc(paths.n, sizeof(*order));
    tus = calloc(paths.n, sizeof(*tus));
    notes = calloc(paths.n, sizeof(*notes));
    if (!pool.slots || !order || !tus || !notes) {
        fprintf(stderr, "locklint: error: out of memory\n");
        goto out;
    }
    for (size_t i = 0; i < paths.n; i++) {
        pool.slots[i].path = paths.v[i];
        ll_tu_facts_init(&pool.slots[i].facts);
    }
    double t0 = now();
    if (read_all(&pool, cli->jobs) != 0) {
        fprintf(stderr, "locklint: error: out of memory\n");
        goto out;
    }
    double read_wall = now() - t0;
    size_t nread = 0, nnotes = 0;
    for (size_t i = 0; i < paths.n; i++) {
        struct tu_slot *s = &pool.slots[i];
        if (s->status != 0) {
            fprintf(stderr, "locklint: warning: %s: not linked: %s\n", s->path, s->err);
            notes[nnotes].file = s->path;
            notes[nnotes++].message = s->err;
            continue;
        }
        order[nread++] = s;
    }
    if (nread == 0) {
        fprintf(stderr, "locklint: error: no facts file could be read\n");
        goto out;
    }
    qsort(order, nread, sizeof(*order), by_file);
    if (load_config(cli, order[0]->facts.main_file, &cfg) != 0)
        goto out;
    uint64_t cfg_hash = ll_config_facts_hash(&cfg);
    size_t nother = 0;
    const char *other = NULL;
    for (size_t i = 0; i < nread; i++)
        if (order[i]->config_hash != cfg_hash && nother++ == 0)
            other = order[i]->path;
    if (nother)
        fprintf(stderr,
                "locklint: warning: %zu facts file%s (first: %s) extracted with other lock and "
                "thread primitives (the 'locks:' and 'threads:' of the configuration) than this "
                "run's: results may differ from a direct run\n",
                nother, nother == 1 ? " was" : "s were", other);
    size_t k = 0;
    for (size_t i = 0; i < nread; i++) {
        if (k && strcmp(tus[k - 1].main_file, order[i]->facts.main_file) == 0)
            continue; /* another object of one source file: the first wins */
        const struct ll_tu_facts *f = &order[i]->facts;
        if (f->nerrors) {
            char *text = order[i]->err; /* unused: the file was read */
            snprintf(text, sizeof(order[i]->err), "analysis incomplete: %u error%s, first: %s",
                     f->nerrors, f->nerrors == 1 ? "" : "s", f->first_error ? f->first_error : "?");
            fprintf(stderr, "locklint: warning: %s: %s\n", f->main_file, text);
            notes[nnotes++] = (struct ll_tool_note){f->main_file, text, true};
        }
        tus[k++] = *f;
    }
    char root[PATH_MAX];
    if (link_root(cli, &cfg, tus, k, &paths, cwd, root, sizeof(root)) != 0)
        goto out;
    struct ll_driver_times times;
    memset(&times, 0, sizeof(times));
    status = ll_driver_analyse(cli, tus, k, notes, nnotes, &cfg, root, &times);
    if (cli->stats || cli->verbose)
        fprintf(stderr,
                "locklint: stats: link: %zu facts files (%.1f MiB), %zu TUs: read %.3fs, "
                "whole-program %.3fs, rules %.3fs, total %.3fs\n",
                paths.n, (double)atomic_load(&pool.bytes) / (1 << 20), k, read_wall, times.program,
                times.rules, now() - start);
out:
    for (int i = 0; pool.mem && i < atomic_load(&pool.nworkers); i++)
        ll_arena_release(&pool.mem[i]);
    free(pool.mem);
    free(pool.slots);
    free(order);
    free(tus);
    free(notes);
    path_list_release(&paths);
    ll_config_release(&cfg);
    return status;
}
