/*
 * driver: phases of a run.  Parsing is parallel (one frontend, hence one
 * CXIndex, per worker; workers take TU indices from an atomic counter and
 * write only their own slot), everything after it is sequential and
 * ordered by the database, so the output does not depend on -j.
 *
 * With the cache, each worker first looks its TU up on its own reader
 * connection and parses only on a miss; what it parses goes to the cache's
 * single writer thread.  Reused facts are indistinguishable from parsed
 * ones from then on: the whole-program phases always rerun.
 */
#include "driver.h"

#include "cache.h"
#include "cachedir.h"
#include "changes.h"
#include "compdb.h"
#include "config.h"
#include "frontend.h"
#include "getters.h"
#include "graph_dot.h"
#include "ir_blob.h"
#include "ir_dump.h"
#include "ir_intern.h"
#include "output.h"
#include "parse_worker.h"
#include "postprocess.h"
#include "programs.h"
#include "project.h"
#include "rule.h"
#include "safe_write.h"
#include "strmap.h"
#include "suppress.h"
#include "sites.h"
#include "thread_wrappers.h"
#include "view_internal.h"
#include "wrapper_mode.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define WORKER_STACK (64u << 20) /* clang and our walkers on deep code */

struct parse_pool {
    const struct ll_compdb *db;
    struct ll_tu_facts *facts;
    int *status;
    char (*errs)[512];
    atomic_size_t next;
    size_t *order;                  /* job indices, largest file first, or NULL */
    struct ll_cache *cache;         /* NULL: uncached run */
    atomic_size_t reused, done;     /* TUs taken from the cache; TUs finished */
    atomic_uint_least64_t parse_ns; /* summed over workers: libclang and facts */
    atomic_uint_least64_t cache_ns; /* summed over workers: lookups and stores */
    struct ll_arena *mem;           /* per worker: where its TUs' facts live */
    atomic_int nworkers;            /* workers started so far (index into mem) */
    bool progress;                  /* a progress line on stderr (a terminal) */
    uint64_t max_bytes;             /* source bytes one TU may read */
    const char *config;             /* the .locklint.yml, for parser processes; or NULL */
    atomic_bool warned_inprocess;   /* said once that a worker could not start */
    pthread_mutex_t progress_mu;
    double progress_at; /* when the line was last drawn */
};

static void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("locklint: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static uint64_t ns_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (uint64_t)((t1.tv_sec - t0->tv_sec) * 1000000000LL + (t1.tv_nsec - t0->tv_nsec));
}

/* -v: how many calls through function pointers were linked to what their
 * slots can hold, and where the first unknown ones are. */
static void describe_indirect_calls(const struct ll_program *p, const char *root)
{
    fprintf(stderr,
            "locklint: %u call%s through function pointers: %u resolved (%u through several "
            "functions), %u unknown\n",
            p->nindirect, p->nindirect == 1 ? "" : "s", p->nresolved, p->ndispatchers,
            p->nunresolved);
    for (uint32_t i = 0; i < p->nunresolved && i < 8; i++) {
        const struct ll_prog_fn *pf = &p->fns[p->unresolved[i][0]];
        const struct ll_event *ev = &pf->fn->events[p->unresolved[i][1]];
        const char *file = ev->loc.file < pf->tu->nfiles ? pf->tu->files[ev->loc.file] : "?";
        size_t n = strlen(root);
        if (strncmp(file, root, n) == 0 && file[n] == '/')
            file += n + 1;
        fprintf(stderr, "locklint:   unknown: %s:%u:%u: '%s' in '%s' (%s)\n", file, ev->loc.line,
                ev->loc.col, ev->api ? ev->api : "?", pf->fn->name,
                ev->callee ? "nothing is stored in its slot" : "no slot");
    }
    if (p->nunresolved > 8)
        fprintf(stderr, "locklint:   ... and %u more\n", p->nunresolved - 8);
}

static int write_graph(const char *path, const struct ll_view *view, const char *root, bool all)
{
    struct ll_safe_write w;
    char err[PATH_MAX + 128];
    if (ll_safe_write_open(&w, path, err, sizeof(err)) != 0) {
        error("%s", err);
        return -1;
    }
    int rc = ll_graph_write_dot(w.f, &view->graph, view->cycles, view->ncycles, root, all);
    if (rc != 0) {
        ll_safe_write_abort(&w);
        error("cannot write '%s': out of memory", path);
        return -1;
    }
    if (ll_safe_write_commit(&w, path, err, sizeof(err)) != 0) {
        error("%s", err);
        return -1;
    }
    return 0;
}

static double now(void);

/* "locklint: [done/total] file" on the terminal, at most ten times a
 * second; ll_driver_run() clears it. */
static void show_progress(struct parse_pool *pool, size_t i)
{
    size_t done = atomic_fetch_add(&pool->done, 1) + 1;
    if (!pool->progress)
        return;
    pthread_mutex_lock(&pool->progress_mu);
    double t = now();
    if (t - pool->progress_at >= 0.1 || done == pool->db->njobs) {
        pool->progress_at = t;
        const char *f = pool->db->jobs[i].file, *slash = strrchr(f, '/');
        fprintf(stderr, "\rlocklint: [%zu/%zu] %s\033[K", done, pool->db->njobs,
                slash ? slash + 1 : f);
        fflush(stderr);
    }
    pthread_mutex_unlock(&pool->progress_mu);
}

/* What a parsing thread owns: a parser process (parse_worker.h), or,
 * when none can be started, a frontend in this process. */
struct parser {
    struct ll_parse_worker *worker;
    struct ll_frontend *fe;
};

/* In this process, without crash isolation: only when no worker process
 * can be started (no /proc, a process limit). */
static int parse_here(struct parse_pool *pool, struct parser *ps, size_t i)
{
    const struct ll_tu_job *job = &pool->db->jobs[i];
    if (!ps->fe && !(ps->fe = ll_frontend_new())) {
        snprintf(pool->errs[i], sizeof(pool->errs[i]), "%s", ll_frontend_unavailable());
        return -1;
    }
    int rc = ll_frontend_parse(ps->fe, job, &pool->facts[i], pool->errs[i], sizeof(pool->errs[i]));
    /* as interned as facts from the cache (ir.h) */
    if (rc == 0 && ll_facts_intern(&pool->facts[i]) != 0) {
        snprintf(pool->errs[i], sizeof(pool->errs[i]), "%s: out of memory", job->file);
        return -1;
    }
    return rc == LL_FRONTEND_CRASHED ? LL_PARSE_CRASHED : rc;
}

/* Parses TU i, or takes it from the cache.  The thread's parser process
 * (and so libclang) is started at the first cache miss: a fully cached
 * run never loads the parser. */
static void process_tu(struct parse_pool *pool, struct parser *ps, struct ll_cache_reader *reader,
                       struct ll_arena *mem, size_t i)
{
    const struct ll_tu_job *job = &pool->db->jobs[i];
    struct timespec t0, wall;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* The facts live until the end of the run: in the worker's arena, whose
     * large chunks take fewer page faults than one small arena per TU. */
    ll_arena_init_child(&pool->facts[i].arena, mem);
    if (reader && ll_cache_lookup(reader, job, &pool->facts[i]) == 1) {
        pool->status[i] = 0;
        atomic_fetch_add(&pool->reused, 1);
        atomic_fetch_add(&pool->cache_ns, ns_since(&t0));
        return;
    }
    ll_arena_init_child(&pool->facts[i].arena, mem); /* a failed lookup released it */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_REALTIME, &wall);
    int rc = LL_PARSE_NO_WORKER;
    if (!ps->fe)
        rc = ll_parse_isolated(&ps->worker, pool->config, job, pool->max_bytes, &pool->facts[i],
                               pool->errs[i], sizeof(pool->errs[i]));
    if (rc == LL_PARSE_NO_WORKER) {
        if (!ps->fe && !atomic_exchange(&pool->warned_inprocess, true))
            fprintf(stderr,
                    "locklint: warning: %s; parsing in this process, where a parser crash ends "
                    "the run and headers are not checked\n",
                    pool->errs[i]);
        rc = parse_here(pool, ps, i);
    }
    pool->status[i] = rc;
    atomic_fetch_add(&pool->parse_ns, ns_since(&t0));
    if (pool->status[i] == 0 && pool->cache) {
        clock_gettime(CLOCK_MONOTONIC, &t0);
        ll_cache_store(pool->cache, job, &pool->facts[i], wall);
        atomic_fetch_add(&pool->cache_ns, ns_since(&t0));
    }
}

static void *parse_worker(void *arg)
{
    struct parse_pool *pool = arg;
    struct ll_arena *mem = &pool->mem[atomic_fetch_add(&pool->nworkers, 1)];
    struct parser ps = {NULL, NULL}; /* started at the first cache miss */
    struct ll_cache_reader *reader = pool->cache ? ll_cache_reader_new(pool->cache) : NULL;
    for (;;) {
        /* Each index comes from one atomic_fetch_add: every slot of
         * status/errs/facts is written by exactly one worker. */
        size_t i = atomic_fetch_add(&pool->next, 1);
        if (i >= pool->db->njobs)
            break;
        if (pool->order)
            i = pool->order[i];
        process_tu(pool, &ps, reader, mem, i);
        show_progress(pool, i);
    }
    ll_cache_reader_free(reader);
    ll_parse_worker_free(ps.worker);
    ll_frontend_free(ps.fe);
    return NULL;
}

static int worker_count(const struct ll_cli *cli, size_t njobs)
{
    long n = cli->jobs > 0 ? cli->jobs : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if ((size_t)n > njobs)
        n = (long)njobs;
    return (int)n;
}

/* Parses every job; returns 0, or -1 when threads could not be started. */
static int parse_all(const struct ll_cli *cli, struct parse_pool *pool)
{
    int n = worker_count(cli, pool->db->njobs);
    pthread_t *th = calloc((size_t)n, sizeof(*th));
    /* one arena per worker (n + 1: never a calloc of 0) */
    pool->mem = calloc((size_t)n + 1, sizeof(*pool->mem));
    pthread_attr_t attr;
    if (!th || !pool->mem || pthread_attr_init(&attr) != 0) {
        free(th);
        return -1;
    }
    for (int i = 0; i <= n; i++)
        ll_arena_init(&pool->mem[i]);
    pthread_attr_setstacksize(&attr, WORKER_STACK);
    int started = 0, err = 0;
    for (; started < n; started++)
        if ((err = pthread_create(&th[started], &attr, parse_worker, pool)) != 0)
            break;
    /* A memory or process limit: fewer workers, not no run. */
    if (started < n)
        fprintf(stderr,
                "locklint: warning: only %d of %d parsing threads could be started (%s); "
                "parsing with %d\n",
                started, n, strerror(err), started ? started : 1);
    if (started == 0)
        parse_worker(pool); /* no threads to be had: parse here */
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    pthread_attr_destroy(&attr);
    free(th);
    return 0;
}

static int load_jobs(const struct ll_cli *cli, const struct ll_config *cfg, struct ll_compdb *db)
{
    char err[1024];
    int rc;
    db->extra_flags = cfg->compiler_flags;
    db->nextra_flags = cfg->ncompiler_flags;
    if (cli->compdb) {
        rc = ll_compdb_load(db, cli->compdb, LL_RESOURCE_DIR, stderr, err, sizeof(err));
        if (rc == 0 && ll_wrapper_extra_args(db, cli) != 0) {
            error("out of memory");
            return -1;
        }
        if (rc == 0 && cli->ninputs) {
            if (ll_compdb_filter(db, cli->inputs, cli->ninputs) == 0) {
                error("no translation unit in '%s' lies under the given paths", db->path);
                return -1;
            }
        }
    } else {
        rc = ll_compdb_from_files(db, cli->inputs, cli->ninputs, cli->extra, cli->nextra,
                                  LL_RESOURCE_DIR, stderr, err, sizeof(err));
    }
    if (rc != 0) {
        error("%s", err);
        return -1;
    }
    return 0;
}

/* Appends the --exclude patterns to the configuration's.  Returns 0 or
 * -1 when out of memory. */
static int add_excludes(const struct ll_cli *cli, struct ll_config *cfg)
{
    if (!cli->nexclude)
        return 0;
    const char **v = ll_arena_alloc(&cfg->arena, (cfg->nexclude + cli->nexclude) * sizeof(*v));
    if (!v)
        return -1;
    for (size_t i = 0; i < cfg->nexclude; i++)
        v[i] = cfg->exclude[i];
    for (size_t i = 0; i < cli->nexclude; i++)
        v[cfg->nexclude + i] = cli->exclude[i];
    cfg->exclude = v;
    cfg->nexclude += cli->nexclude;
    return 0;
}

/* Whether the --enable/--disable pattern `pat` names some rule. */
static bool names_a_rule(const char *pat)
{
    for (size_t i = 0; i < ll_nrules; i++)
        if (ll_postprocess_rule_listed(&pat, 1, ll_rules[i]->id))
            return true;
    for (size_t i = 0; i < ll_suppress_nrules; i++)
        if (ll_postprocess_rule_listed(&pat, 1, ll_suppress_rules[i].id))
            return true;
    return false;
}

/* Rules to run: all (but those off by default that the configuration does
 * not switch on), or --enable's, minus --disable's. Returns the count or
 * -1 for an unknown rule name. */
static int select_rules(const struct ll_cli *cli, const struct ll_config *cfg,
                        const struct ll_rule **out)
{
    for (size_t i = 0; i < cli->nenable + cli->ndisable; i++) {
        const char *pat = i < cli->nenable ? cli->enable[i] : cli->disable[i - cli->nenable];
        if (!names_a_rule(pat)) {
            error("unknown rule '%s' (see --list-rules)", pat);
            return -1;
        }
    }
    int n = 0;
    for (size_t i = 0; i < ll_nrules; i++) {
        const struct ll_rule *r = ll_rules[i];
        bool on = cli->nenable ? ll_postprocess_rule_listed(cli->enable, cli->nenable, r->id)
                               : !ll_rule_off_by_default(r) ||
                                     (cfg && ll_config_rule(cfg, r->id) >= LL_RULE_ON);
        if (on && !ll_postprocess_rule_listed(cli->disable, cli->ndisable, r->id))
            out[n++] = r;
    }
    return n;
}

/* Rewrites finding paths under `dir` as relative ones: output and
 * fingerprints then do not depend on where the checkout lies. */
static void relativize(struct ll_report *r, const char *dir)
{
    size_t n = strlen(dir);
    for (size_t i = 0; i < r->count; i++) {
        struct ll_finding *f = r->items[i];
        struct ll_site *sites[1] = {&f->primary};
        for (size_t k = 0; k < 1 + f->nrelated; k++) {
            struct ll_site *s = k == 0 ? sites[0] : &f->related[k - 1];
            if (s->file && strncmp(s->file, dir, n) == 0 && s->file[n] == '/')
                s->file += n + 1;
        }
        for (size_t fl = 0; fl < f->nflows; fl++)
            for (size_t k = 0; k < f->flows[fl].nsteps; k++) {
                struct ll_site *s = &f->flows[fl].steps[k];
                if (s->file && strncmp(s->file, dir, n) == 0 && s->file[n] == '/')
                    s->file += n + 1;
            }
    }
}

/* --color: always, never, or (auto) on a terminal unless NO_COLOR is set
 * to something or TERM is "dumb". */
static bool use_color(const struct ll_cli *cli, FILE *out)
{
    if (cli->color)
        return cli->color > 0;
    const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
    return isatty(fileno(out)) && !(no && *no) && !(term && strcmp(term, "dumb") == 0);
}

static int write_report(const struct ll_cli *cli, const struct ll_report *r, const char *root,
                        const struct ll_tool_note *notes, size_t nnotes)
{
    FILE *out = stdout;
    struct ll_safe_write w = {NULL, NULL, NULL};
    char err[PATH_MAX + 128];
    if (cli->output) {
        if (ll_safe_write_open(&w, cli->output, err, sizeof(err)) != 0) {
            error("%s", err);
            return -1;
        }
        out = w.f;
    }
    size_t ninfo = ll_nrules + ll_suppress_nrules;
    struct ll_rule_info *info = calloc(ninfo, sizeof(*info));
    if (!info) {
        ll_safe_write_abort(&w);
        error("out of memory");
        return -1;
    }
    for (size_t i = 0; i < ll_nrules; i++) {
        info[i].id = ll_rules[i]->id;
        info[i].summary = ll_rules[i]->summary;
        info[i].doc = ll_rules[i]->doc;
        info[i].severity = ll_rules[i]->severity;
    }
    for (size_t i = 0; i < ll_suppress_nrules; i++)
        info[ll_nrules + i] = ll_suppress_rules[i];
    char cwd[PATH_MAX];
    struct ll_output_opts o = {.base_dir = root,
                               .text_dir = getcwd(cwd, sizeof(cwd)) ? cwd : NULL,
                               .caret = isatty(fileno(out)) != 0,
                               .version = LL_VERSION,
                               .rules = info,
                               .nrules = ninfo,
                               .notes = notes,
                               .nnotes = nnotes,
                               .color = use_color(cli, out)};
    int rc = cli->format == LL_FORMAT_JSON          ? ll_output_json(out, r, &o)
             : cli->format == LL_FORMAT_SARIF       ? ll_output_sarif(out, r, &o)
             : cli->format == LL_FORMAT_CODECLIMATE ? ll_output_codeclimate(out, r, &o)
                                                    : ll_output_text(out, r, &o);
    free(info);
    if (!cli->output) {
        if (fflush(out) != 0 || rc != 0) {
            error("cannot write the report: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    if (rc != 0) {
        ll_safe_write_abort(&w);
        error("cannot write '%s': %s", cli->output, errno ? strerror(errno) : "out of memory");
        return -1;
    }
    if (ll_safe_write_commit(&w, cli->output, err, sizeof(err)) != 0) {
        error("%s", err);
        return -1;
    }
    return 0;
}

/* A TU whose parse crashed, or that needed a file the parser may not
 * read: the run is incomplete (exit status 3). */
static bool incomplete(int status)
{
    return status == LL_PARSE_CRASHED || status == LL_PARSE_REFUSED;
}

/* --diff / --diff-base: drops the findings with no site on a changed
 * line, after suppressions and baselines.  Returns 0 or -1 (printed). */
static int keep_changed(const struct ll_cli *cli, const char *root, struct ll_report *r,
                        struct ll_post_stats *post)
{
    struct ll_changes ch;
    char err[8400];
    ll_changes_init(&ch, root);
    int rc = cli->diff ? ll_changes_read_diff(&ch, cli->diff, err, sizeof(err))
                       : ll_changes_git_base(&ch, cli->diff_base, err, sizeof(err));
    long dropped = rc == 0 ? ll_changes_filter(&ch, r, err, sizeof(err)) : -1;
    ll_changes_release(&ch);
    if (dropped < 0) {
        error("%s", err);
        return -1;
    }
    post->unchanged = (size_t)dropped;
    return 0;
}

/* Names every TU that did not parse cleanly. Returns how many parsed at all. */
static size_t report_parse_problems(const struct parse_pool *pool)
{
    size_t ok = 0;
    for (size_t i = 0; i < pool->db->njobs; i++) {
        if (incomplete(pool->status[i])) {
            error("%s", pool->errs[i]);
            continue;
        }
        if (pool->status[i] != 0) {
            fprintf(stderr, "locklint: warning: %s: not analysed: %s\n", pool->db->jobs[i].file,
                    pool->errs[i]);
            continue;
        }
        ok++;
        const struct ll_tu_facts *f = &pool->facts[i];
        if (f->nerrors)
            fprintf(stderr, "locklint: warning: %s: analysis incomplete: %u error%s, first: %s\n",
                    pool->db->jobs[i].file, f->nerrors, f->nerrors == 1 ? "" : "s",
                    f->first_error ? f->first_error : "?");
    }
    return ok;
}

/* Files named without '--' are parsed with no compiler arguments at all:
 * when that fails (a header not found, a macro not defined), what would
 * be analysed is guesswork, so it is an error rather than findings about
 * locks it cannot name.  Returns true (printed) when that happened. */
static bool unparsable_without_args(const struct ll_cli *cli, const struct parse_pool *pool)
{
    if (cli->compdb || cli->has_extra)
        return false;
    bool bad = false;
    for (size_t i = 0; i < pool->db->njobs; i++) {
        const struct ll_tu_facts *f = &pool->facts[i];
        if (pool->status[i] != 0 || !f->nerrors)
            continue;
        error("%s does not parse without compiler arguments (first error: %s): give them after "
              "'--' (locklint FILE.c -- -Iinclude -DNAME ...) or use -p with a "
              "compile_commands.json",
              pool->db->jobs[i].file, f->first_error ? f->first_error : "unknown");
        bad = true;
    }
    return bad;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_seconds(const struct rusage *ru)
{
    return (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec / 1e6 +
           (double)ru->ru_stime.tv_sec + (double)ru->ru_stime.tv_usec / 1e6;
}

/* Where the run is (driver.h's ll_phase_use).  Parse workers are
 * processes (parse_worker.c), reaped when their parser thread ends: their
 * CPU counts from then on, their RSS as the largest. */
static struct ll_phase_use phase_use_now(void)
{
    struct ll_phase_use u = {0, 0};
    struct rusage self, kids;
    if (getrusage(RUSAGE_SELF, &self) == 0 && getrusage(RUSAGE_CHILDREN, &kids) == 0) {
        u.cpu = cpu_seconds(&self) + cpu_seconds(&kids);
        long rss = self.ru_maxrss > kids.ru_maxrss ? self.ru_maxrss : kids.ru_maxrss;
        u.rss_mib = (double)rss / 1024.0;
    }
    return u;
}

struct tu_order {
    struct ll_tu_facts tu;
    size_t index;
};

static int by_main_file(const void *a, const void *b)
{
    const struct tu_order *x = a, *y = b;
    int c = strcmp(x->tu.main_file, y->tu.main_file);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* The TUs in the order of their source files' paths (stable): the report
 * then does not depend on the order of the compile database, nor on how
 * `locklint link` was given its facts.  Returns 0 or -1 (out of memory). */
static int sort_tus(struct ll_tu_facts *tus, size_t k)
{
    struct tu_order *o = calloc(k + 1, sizeof(*o));
    if (!o)
        return -1;
    for (size_t i = 0; i < k; i++)
        o[i] = (struct tu_order){tus[i], i};
    qsort(o, k, sizeof(*o), by_main_file);
    for (size_t i = 0; i < k; i++)
        tus[i] = o[i].tu;
    free(o);
    return 0;
}

/* `path` relative to the project root when it lies under it. */
static const char *under_root(const char *path, const char *root)
{
    size_t n = strlen(root);
    return strncmp(path, root, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

/* How a part of the input is analysed: a library by configuration, or when
 * the input has no main() at all.  The TUs no main() reaches in an input
 * with programs (test support, code no program links) are no library: no
 * entry points are made up for them. */
static struct ll_entry_points entry_points_of(const struct ll_config *cfg,
                                              const struct ll_programs *parts,
                                              const struct ll_program_part *part)
{
    struct ll_entry_points ep = {0};
    ep.library =
        cfg->entry_exported || cfg->nentry_points || (part->main_tu < 0 && parts->nparts == 1);
    ep.exported = cfg->nentry_points == 0;
    ep.names = cfg->entry_points;
    ep.nnames = cfg->nentry_points;
    return ep;
}

/* -v, and a warning for a configured entry point no TU defines. */
static void describe_part(const struct ll_cli *cli, const struct ll_config *cfg,
                          const struct ll_program *prog, const struct ll_programs *parts,
                          const struct ll_program_part *part, const struct ll_tu_facts *tus,
                          const char *root)
{
    for (size_t i = 0; i < cfg->nentry_points; i++) {
        bool found = false;
        for (size_t f = 0; !found && f < prog->nfns; f++)
            found =
                prog->fns[f].is_entry && strcmp(prog->fns[f].fn->name, cfg->entry_points[i]) == 0;
        if (!found)
            fprintf(stderr,
                    "locklint: warning: entry point '%s' (entry-points in %s) is not a function "
                    "of the analysed code\n",
                    cfg->entry_points[i], cfg->path ? cfg->path : "the configuration");
    }
    if (!cli->verbose)
        return;
    if (part->main_tu >= 0 && parts->nparts > 1)
        fprintf(stderr, "locklint: program of main() in %s: %zu translation unit%s\n",
                under_root(tus[part->main_tu].main_file, root), part->ntus,
                part->ntus == 1 ? "" : "s");
    else if (part->main_tu < 0 && parts->nparts > 1)
        fprintf(stderr, "locklint: the TUs no main() reaches: %zu translation unit%s\n", part->ntus,
                part->ntus == 1 ? "" : "s");
    else if (part->main_tu < 0)
        fprintf(
            stderr, "locklint: %zu translation unit%s analysed as a library: %u entry point%s\n",
            part->ntus, part->ntus == 1 ? "" : "s", prog->nentries, prog->nentries == 1 ? "" : "s");
    if (prog->nambiguous)
        fprintf(stderr,
                "locklint: %u function%s defined in several linked translation units: a call "
                "reaches every definition, as a guess\n",
                prog->nambiguous, prog->nambiguous == 1 ? "" : "s");
}

/* One finding, and the part whose rules reported it. */
struct found_in {
    size_t finding, part;
};

static int by_finding(const void *a, const void *b)
{
    const struct found_in *x = a, *y = b;
    if (x->finding != y->finding)
        return (x->finding > y->finding) - (x->finding < y->finding);
    return (x->part > y->part) - (x->part < y->part);
}

/* Names a part in a note's text: its main()'s file, or the library. */
static void name_part(char *buf, size_t len, const struct ll_programs *parts, size_t p,
                      const struct ll_tu_facts *tus, const char *root)
{
    const struct ll_program_part *part = &parts->parts[p];
    if (part->main_tu < 0)
        snprintf(buf, len, "the TUs no main() reaches");
    else
        snprintf(buf, len, "%s", under_root(tus[part->main_tu].main_file, root));
}

/* The note that names the programs a finding was found in: at the main()
 * of the first, naming the others. */
static int note_programs(struct ll_report *r, struct ll_finding *f, const struct found_in *in,
                         size_t n, const struct ll_programs *parts, const struct ll_tu_facts *tus,
                         const char *root)
{
    const struct ll_program_part *first = &parts->parts[in[0].part];
    struct ll_site site = f->primary;
    site.message = NULL;
    char text[1024], name[512];
    size_t len;
    if (first->main_tu >= 0) {
        const struct ll_tu_facts *tu = &tus[first->main_tu];
        uint32_t file = first->main_loc.file;
        site.file = file < tu->nfiles ? tu->files[file] : tu->main_file;
        site.line = first->main_loc.line;
        site.col = first->main_loc.col;
        len = (size_t)snprintf(text, sizeof(text), "in the program of this main()");
    } else {
        len = (size_t)snprintf(text, sizeof(text), "in the TUs no main() reaches");
    }
    for (size_t i = 1; i < n && len < sizeof(text); i++) {
        if (i == 4 && n > 5) {
            snprintf(text + len, sizeof(text) - len, ", and in %zu more", n - i);
            break;
        }
        name_part(name, sizeof(name), parts, in[i].part, tus, root);
        len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s%s",
                                i == 1 ? ", also in that of " : ", ", name,
                                parts->parts[in[i].part].main_tu >= 0 ? "'s main()" : "");
    }
    return ll_finding_note(r, f, &site, "%s", text);
}

/* Several programs: a finding several of them report (a TU they share)
 * is kept once, and every kept finding names its programs in a note.
 * `in` has one entry per finding, the part that reported it.  Returns 0
 * or -1 (out of memory). */
static int merge_programs(struct ll_report *r, struct found_in *in, const struct ll_programs *parts,
                          const struct ll_tu_facts *tus, const char *root)
{
    struct ll_strmap seen;
    struct ll_arena keys;
    ll_strmap_init(&seen);
    ll_arena_init(&keys);
    int rc = 0;
    size_t n = r->count;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct ll_finding *f = r->items[i];
        const char *key = ll_arena_printf(&keys, "%s\x1f%u\x1f%u\x1f%s\x1f%s",
                                          f->primary.file ? f->primary.file : "", f->primary.line,
                                          f->primary.col, f->rule, f->message);
        int put = key ? ll_strmap_put(&seen, key, i) : -1;
        if (put < 0)
            rc = -1;
        else if (put == 1)
            in[i].finding = ll_strmap_get(&seen, key); /* a duplicate: named on the first */
    }
    if (rc == 0 && n) {
        qsort(in, n, sizeof(*in), by_finding);
        for (size_t i = 0; i < n && rc == 0;) {
            size_t j = i + 1;
            while (j < n && in[j].finding == in[i].finding)
                j++;
            /* one part once: a part may report one finding twice */
            size_t k = i + 1;
            for (size_t x = i + 1; x < j; x++)
                if (in[x].part != in[k - 1].part)
                    in[k++] = in[x];
            rc = note_programs(r, r->items[in[i].finding], &in[i], k - i, parts, tus, root);
            i = j;
        }
    }
    /* the duplicates go (ll_report_finish() would drop them anyway) */
    size_t kept = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const struct ll_finding *f = r->items[i];
        const char *key = ll_arena_printf(&keys, "%s\x1f%u\x1f%u\x1f%s\x1f%s",
                                          f->primary.file ? f->primary.file : "", f->primary.line,
                                          f->primary.col, f->rule, f->message);
        if (!key)
            rc = -1;
        else if (ll_strmap_get(&seen, key) == i)
            r->items[kept++] = r->items[i];
    }
    if (rc == 0)
        r->count = kept;
    ll_strmap_release(&seen);
    ll_arena_release(&keys);
    return rc;
}

/* `root` is the project root: every path written or matched is relative
 * to it (project.h).  Each program of the input (programs.h) gets its own
 * whole-program phases and rules, into one report. */
int ll_driver_analyse(const struct ll_cli *cli, struct ll_tu_facts *tus, size_t k,
                      const struct ll_tool_note *notes, size_t nnotes, const struct ll_config *cfg,
                      const char *root, struct ll_driver_times *times)
{
    const struct ll_rule *rules[64];
    int nrules = select_rules(cli, cfg, rules);
    if (nrules < 0)
        return 2;
    if (sort_tus(tus, k) != 0) {
        error("out of memory");
        return 2;
    }
    int status = 2;
    struct ll_phase_use start = phase_use_now();
    double build_wall = 0, build_cpu = 0, rules_wall = 0, rules_cpu = 0;
    struct ll_view view;
    memset(&view, 0, sizeof(view));
    struct ll_arena rewritten; /* paths rewritten: getters, calls as thread creations */
    ll_arena_init(&rewritten);
    struct ll_report report;
    struct ll_order_decl *order = NULL;
    struct ll_programs parts;
    memset(&parts, 0, sizeof(parts));
    struct ll_tu_facts *sub = NULL;
    struct found_in *in = NULL;
    size_t nin = 0, capin = 0;
    ll_report_init(&report);
    order = calloc(cfg->nhierarchy + 1, sizeof(*order));
    sub = calloc(k + 1, sizeof(*sub));
    if (!order || !sub) {
        error("out of memory");
        goto out;
    }
    for (size_t i = 0; i < cfg->nhierarchy; i++) {
        order[i].first = cfg->hierarchy[i].first;
        order[i].second = cfg->hierarchy[i].second;
        order[i].site.file = cfg->path;
        order[i].site.line = cfg->hierarchy[i].line;
        order[i].site.col = 1;
    }
    /* per TU, shared by every program: getters, thread wrappers, allocation
     * sites, and which TU refers to which */
    if (ll_resolve_getters(tus, k, &rewritten) < 0 ||
        ll_resolve_thread_wrappers(tus, k, &rewritten) < 0 ||
        ll_resolve_sites(tus, k, cfg->entry_exported || cfg->nentry_points, &rewritten) < 0 ||
        ll_programs_split(&parts, tus, k, cfg->entry_exported || cfg->nentry_points) != 0) {
        error("out of memory");
        goto out;
    }
    for (size_t p = 0; p < parts.nparts; p++) {
        const struct ll_program_part *part = &parts.parts[p];
        for (size_t i = 0; i < part->ntus; i++)
            sub[i] = tus[part->tus[i]];
        struct ll_entry_points ep = entry_points_of(cfg, &parts, part);
        double w0 = now();
        struct ll_phase_use u0 = phase_use_now();
        if (ll_view_build_entries(&view, sub, part->ntus, order, cfg->nhierarchy, &ep) != 0) {
            error("out of memory");
            goto out;
        }
        describe_part(cli, cfg, &view.program, &parts, part, tus, root);
        if (cli->verbose)
            describe_indirect_calls(&view.program, root);
        if (p == 0 && cli->graph && write_graph(cli->graph, &view, root, cli->graph_all) != 0)
            goto out;
        double w1 = now();
        struct ll_phase_use u1 = phase_use_now();
        size_t before = report.count;
        for (int i = 0; i < nrules; i++)
            ll_rule_check(rules[i], &view, &report);
        if (report.oom) {
            error("out of memory");
            goto out;
        }
        if (report.count > capin) {
            capin = report.count * 2;
            struct found_in *grown = realloc(in, capin * sizeof(*in));
            if (!grown) {
                error("out of memory");
                goto out;
            }
            in = grown;
        }
        for (size_t i = before; i < report.count; i++)
            in[nin++] = (struct found_in){i, p};
        ll_view_release(&view);
        struct ll_phase_use u2 = phase_use_now();
        build_wall += w1 - w0;
        build_cpu += u1.cpu - u0.cpu;
        rules_wall += now() - w1;
        rules_cpu += u2.cpu - u1.cpu;
    }
    if (parts.nparts > 1 && merge_programs(&report, in, &parts, tus, root) != 0) {
        error("out of memory");
        goto out;
    }
    times->built = phase_use_now();
    times->built.cpu = start.cpu + build_cpu;
    relativize(&report, root);
    ll_report_finish(&report);
    /* after finish: baselines match the fingerprints it computes */
    const char **files = calloc(k + 1, sizeof(*files));
    if (!files) {
        error("out of memory");
        goto out;
    }
    size_t nfiles = 0;
    for (size_t i = 0; i < k; i++)
        files[nfiles++] = tus[i].main_file;
    struct ll_post_stats post;
    double p0 = now();
    int prc = ll_postprocess(&report, cli, cfg, root, files, nfiles, stderr, &post);
    free(files);
    if (prc != 0)
        goto out;
    if ((cli->diff || cli->diff_base) && keep_changed(cli, root, &report, &post) != 0)
        goto out;
    rules_wall += now() - p0;
    times->checked = phase_use_now();
    (void)rules_cpu; /* the rest of the run's CPU counts as rules' */
    if (write_report(cli, &report, root, notes, nnotes) != 0)
        goto out;
    size_t failing = cli->fail_on < 0 ? 0 : ll_report_count_at_least(&report, cli->fail_on);
    if (!cli->quiet) {
        char tail[256];
        ll_post_stats_describe(&post, tail, sizeof(tail));
        fprintf(stderr, "locklint: %zu finding%s in %zu translation unit%s%s\n", report.count,
                report.count == 1 ? "" : "s", k, k == 1 ? "" : "s", tail);
    }
    times->program = build_wall;
    times->rules = rules_wall;
    /* Writing a baseline accepts the findings it records. */
    status = failing && !cli->write_baseline ? 1 : 0;
out:
    ll_view_release(&view);
    ll_programs_release(&parts);
    ll_arena_release(&rewritten);
    ll_report_release(&report);
    free(order);
    free(sub);
    free(in);
    return status;
}

/* SARIF's toolExecutionNotifications (output.h): the TUs not analysed
 * (an error), and those analysed only as far as the parser recovered (a
 * warning).  Texts go to `mem`.  Returns how many, or -1 (out of
 * memory). */
static long tool_notes(const struct parse_pool *pool, struct ll_tool_note *notes,
                       struct ll_arena *mem)
{
    size_t n = 0;
    for (size_t i = 0; i < pool->db->njobs; i++) {
        const struct ll_tu_facts *f = &pool->facts[i];
        char text[1024];
        if (incomplete(pool->status[i]))
            snprintf(text, sizeof(text), "%s", pool->errs[i]);
        else if (pool->status[i] != 0)
            snprintf(text, sizeof(text), "not analysed: %s", pool->errs[i]);
        else if (f->nerrors)
            snprintf(text, sizeof(text), "analysis incomplete: %u error%s, first: %s", f->nerrors,
                     f->nerrors == 1 ? "" : "s", f->first_error ? f->first_error : "?");
        else
            continue;
        notes[n].file = pool->db->jobs[i].file;
        notes[n].warning = pool->status[i] == 0;
        if (!(notes[n].message = ll_arena_strdup(mem, text)))
            return -1;
        n++;
    }
    return (long)n;
}

static int analyse(const struct ll_cli *cli, struct parse_pool *pool, size_t nparsed,
                   const char *root, const struct ll_config *cfg, struct ll_driver_times *times)
{
    /* parsed TUs (ll_driver_analyse() puts them in its order) */
    struct ll_tu_facts *tus = calloc(nparsed + 1, sizeof(*tus));
    struct ll_tool_note *notes = calloc(pool->db->njobs + 1, sizeof(*notes));
    struct ll_arena mem;
    ll_arena_init(&mem);
    long nnotes = tus && notes ? tool_notes(pool, notes, &mem) : -1;
    int status = 2;
    if (nnotes < 0) {
        error("out of memory");
        goto out;
    }
    size_t k = 0;
    for (size_t i = 0; i < pool->db->njobs; i++)
        if (pool->status[i] == 0)
            tus[k++] = pool->facts[i];
    status = ll_driver_analyse(cli, tus, k, notes, (size_t)nnotes, cfg, root, times);
out:
    free(tus);
    free(notes);
    ll_arena_release(&mem);
    return status;
}

struct job_size {
    size_t index;
    off_t size;
};

static int by_size_desc(const void *a, const void *b)
{
    const struct job_size *x = a, *y = b;
    if (x->size != y->size)
        return x->size < y->size ? 1 : -1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* The order workers take jobs in: largest source file first, so that a big
 * TU does not start last and leave the other workers idle at the end.
 * Only the schedule changes: results go to each job's own slot.  NULL
 * (database order) when out of memory. */
static size_t *schedule(const struct ll_compdb *db)
{
    struct job_size *js = calloc(db->njobs + 1, sizeof(*js));
    size_t *order = calloc(db->njobs + 1, sizeof(*order));
    if (!js || !order) {
        free(js);
        free(order);
        return NULL;
    }
    for (size_t i = 0; i < db->njobs; i++) {
        struct stat sb;
        js[i].index = i;
        js[i].size = stat(db->jobs[i].file, &sb) == 0 ? sb.st_size : 0;
    }
    qsort(js, db->njobs, sizeof(*js), by_size_desc);
    for (size_t i = 0; i < db->njobs; i++)
        order[i] = js[i].index;
    free(js);
    return order;
}

/* The size limit of the cache: --cache-size, else the configuration's
 * cache-size, else the default.  -1 for a bad --cache-size. */
static int cache_limit(const struct ll_cli *cli, const struct ll_config *cfg, uint64_t *out)
{
    *out = cfg->has_cache_size ? cfg->cache_size : LL_CACHE_DEFAULT_LIMIT;
    if (cli->cache_size && ll_parse_size(cli->cache_size, out) != 0) {
        error("bad --cache-size '%s' (expected bytes with an optional K, M or G, or 0 for no "
              "limit)",
              cli->cache_size);
        return -1;
    }
    return 0;
}

/* The cache for this run, or NULL (--no-cache, --dump-facts, or it cannot
 * be used: a warning has then been printed). */
static struct ll_cache *open_cache(const struct ll_cli *cli, const char *root, uint64_t limit)
{
    if (cli->no_cache || cli->mode == LL_MODE_DUMP_FACTS)
        return NULL;
    struct ll_cache_loc loc;
    char err[256];
    if (ll_cachedir_resolve(cli->cache, root, &loc, err, sizeof(err)) != 0) {
        fprintf(stderr, "locklint: warning: %s: running uncached\n", err);
        return NULL;
    }
    ll_cachedir_prepare(&loc);
    struct ll_cache *c = ll_cache_open(loc.db, stderr);
    ll_cache_set_limit(c, limit);
    if (c && cli->verbose)
        fprintf(stderr, "locklint: cache '%s'\n", loc.db);
    return c;
}

/* --cache-stats and --clear-cache: of the project's database when `root`
 * is known, else of the whole cache directory.  Returns the exit status. */
static int cache_command(const struct ll_cli *cli, const char *root, uint64_t limit)
{
    struct ll_cache_loc loc;
    char err[256];
    if (ll_cachedir_resolve(cli->cache, root, &loc, err, sizeof(err)) != 0) {
        error("%s", err);
        return 2;
    }
    if (cli->mode == LL_MODE_CACHE_STATS)
        return ll_cachedir_stats(&loc, limit, stdout) == 0 ? 0 : 2;
    return ll_cachedir_clear(&loc, stdout, stderr) == 0 ? 0 : 2;
}

static void print_stats(const struct parse_pool *pool, size_t nparsed, double parse_wall,
                        const struct ll_driver_times *t, double total,
                        const struct ll_cache_stats *cs)
{
    size_t n = pool->db->njobs, reused = atomic_load(&pool->reused), crashed = 0, refused = 0;
    for (size_t i = 0; i < n; i++) {
        crashed += pool->status[i] == LL_PARSE_CRASHED;
        refused += pool->status[i] == LL_PARSE_REFUSED;
    }
    fprintf(stderr, "locklint: stats: %zu TUs: %zu parsed, %zu reused, %zu failed", n,
            nparsed - reused, reused, n - nparsed);
    if (crashed || refused)
        fprintf(stderr, " (%zu crashed, %zu refused)", crashed, refused);
    fputc('\n', stderr);
    fprintf(stderr,
            "locklint: stats: time: parse+facts %.3fs (workers: %.3fs in libclang and the facts "
            "walk, %.3fs in the cache), whole-program %.3fs, rules %.3fs, total %.3fs\n",
            parse_wall, (double)atomic_load(&pool->parse_ns) / 1e9,
            (double)atomic_load(&pool->cache_ns) / 1e9, t->program, t->rules, total);
    if (t->checked.cpu > 0)
        fprintf(stderr,
                "locklint: stats: cpu: parse+facts %.3fs, whole-program %.3fs, rules %.3fs, "
                "total %.3fs; peak RSS: after parse+facts %.1f MiB, after whole-program %.1f MiB, "
                "after rules %.1f MiB\n",
                t->parsed.cpu, t->built.cpu - t->parsed.cpu, t->checked.cpu - t->built.cpu,
                t->checked.cpu, t->parsed.rss_mib, t->built.rss_mib, t->checked.rss_mib);
    if (pool->cache)
        fprintf(stderr,
                "locklint: stats: cache: %zu stored, %zu not stored (changed while parsed), "
                "%zu not written, %zu files hashed again, %zu evicted\n",
                cs->stored, cs->racy, cs->dropped, cs->rehashed, cs->evicted);
}

int ll_driver_run(const struct ll_cli *cli)
{
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd))) {
        error("cannot get the current directory: %s", strerror(errno));
        return 2;
    }
    double start = now();
    struct ll_config cfg;
    char cfgerr[1024];
    if (ll_config_load_for(cli, cwd, &cfg, cfgerr, sizeof(cfgerr)) != 0) {
        error("%s", cfgerr);
        ll_config_release(&cfg);
        return 2;
    }
    struct ll_compdb db;
    ll_compdb_init(&db);
    struct parse_pool pool;
    memset(&pool, 0, sizeof(pool));
    pool.db = &db;
    pthread_mutex_init(&pool.progress_mu, NULL);
    struct ll_driver_times times;
    memset(&times, 0, sizeof(times));
    struct ll_cache_stats cstats = {0, 0, 0, 0, 0};
    uint64_t limit = 0;
    double parse_wall = 0;
    size_t nparsed = 0;
    int status = 2;
    if (cache_limit(cli, &cfg, &limit) != 0)
        goto out;
    bool cache_cmd = cli->mode == LL_MODE_CACHE_STATS || cli->mode == LL_MODE_CLEAR_CACHE;
    if (cache_cmd && !cli->compdb && cli->ninputs == 0) {
        status = cache_command(cli, NULL, limit);
        goto out;
    }
    if (load_jobs(cli, &cfg, &db) != 0)
        goto out;
    char root[PATH_MAX], rooterr[PATH_MAX + 64];
    if (ll_project_root_db(cli->project_root, cfg.path ? cfg.dir : NULL, &db, cwd, root,
                           sizeof(root), rooterr, sizeof(rooterr)) != 0) {
        error("%s", rooterr);
        goto out;
    }
    /* excludes are relative to the project root like everything else;
     * --exclude adds to the configuration's */
    if (!(cfg.dir = ll_arena_strdup(&cfg.arena, root)) || add_excludes(cli, &cfg) != 0) {
        error("out of memory");
        goto out;
    }
    if (cache_cmd) {
        status = cache_command(cli, root, limit);
        goto out;
    }
    pool.facts = calloc(db.njobs, sizeof(*pool.facts));
    pool.status = calloc(db.njobs, sizeof(*pool.status));
    pool.errs = calloc(db.njobs, sizeof(*pool.errs));
    if (!pool.facts || !pool.status || !pool.errs) {
        error("out of memory");
        goto out;
    }
    for (size_t i = 0; i < db.njobs; i++)
        ll_tu_facts_init(&pool.facts[i]);
    pool.cache = open_cache(cli, root, limit);
    ll_cache_salt(pool.cache, ll_config_facts_hash(&cfg));
    pool.order = schedule(&db);
    pool.progress = !cli->quiet && isatty(STDERR_FILENO);
    pool.max_bytes = (uint64_t)cfg.tu_source_limit_mib << 20;
    pool.config = cfg.path;
    double t0 = now();
    /* one copy of each header function for all TUs (ir_blob.h): the
     * facts are released before the end of the sharing, below.  One TU
     * has nothing to share, and its blob stores each string once already:
     * interning them run-wide was a tenth of a warm run on the SQLite
     * amalgamation. */
    if (db.njobs > 1)
        ll_facts_share_begin();
    int prc = parse_all(cli, &pool);
    ll_facts_share_stop();
    parse_wall = now() - t0;
    times.parsed = phase_use_now();
    if (pool.progress)
        fputs("\r\033[K", stderr);
    if (prc != 0) {
        error("cannot start parsing threads");
        goto out;
    }
    nparsed = report_parse_problems(&pool);
    if (unparsable_without_args(cli, &pool))
        goto out;
    if (nparsed == 0) {
        error("no translation unit could be parsed");
        goto out;
    }
    if (cli->mode == LL_MODE_DUMP_FACTS) {
        status = 0;
        for (size_t i = 0; i < db.njobs; i++)
            if (pool.status[i] == 0 && ll_facts_dump(stdout, &pool.facts[i]) != 0)
                status = 2;
        goto out;
    }
    status = analyse(cli, &pool, nparsed, root, &cfg, &times);
    for (size_t i = 0; status != 2 && i < db.njobs; i++)
        if (incomplete(pool.status[i]))
            status = 3; /* every other TU's findings were reported */
out:
    /* Closing waits for the writer: it ran alongside the analysis. */
    ll_cache_close(pool.cache, &cstats);
    if ((cli->stats || cli->verbose) && nparsed)
        print_stats(&pool, nparsed, parse_wall, &times, now() - start, &cstats);
    pthread_mutex_destroy(&pool.progress_mu);
    free(pool.order);
    for (size_t i = 0; pool.facts && i < db.njobs; i++)
        ll_tu_facts_release(&pool.facts[i]);
    for (int i = 0; pool.mem && i < atomic_load(&pool.nworkers); i++)
        ll_arena_release(&pool.mem[i]);
    ll_facts_share_end();
    free(pool.mem);
    free(pool.facts);
    free(pool.status);
    free(pool.errs);
    ll_compdb_release(&db);
    ll_config_release(&cfg);
    return status;
}
