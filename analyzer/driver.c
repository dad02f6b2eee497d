/*
 * driver: phases of a run.  Parsing is parallel (one frontend, hence one
 * CXIndex, per worker; workers take TU indices from an atomic counter and
 * write only their own slot), everything after it is sequential and
 * ordered by the database, so the output does not depend on -j.
 */
#include "driver.h"

#include "compdb.h"
#include "frontend.h"
#include "ir_dump.h"
#include "output.h"
#include "rule.h"
#include "view.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WORKER_STACK (64u << 20) /* clang and our walkers on deep code */

struct parse_pool {
    const struct ll_compdb *db;
    struct ll_tu_facts *facts;
    int *status;
    char (*errs)[512];
    atomic_size_t next;
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

static void *parse_worker(void *arg)
{
    struct parse_pool *pool = arg;
    struct ll_frontend *fe = ll_frontend_new();
    for (;;) {
        size_t i = atomic_fetch_add(&pool->next, 1);
        if (i >= pool->db->njobs)
            break;
        if (!fe) {
            pool->status[i] = -1;
            snprintf(pool->errs[i], sizeof(pool->errs[i]), "out of memory");
            continue;
        }
        pool->status[i] = ll_frontend_parse(fe, &pool->db->jobs[i], &pool->facts[i], pool->errs[i],
                                            sizeof(pool->errs[i]));
    }
    ll_frontend_free(fe);
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
    pthread_attr_t attr;
    if (!th || pthread_attr_init(&attr) != 0) {
        free(th);
        return -1;
    }
    pthread_attr_setstacksize(&attr, WORKER_STACK);
    int started = 0;
    for (; started < n; started++)
        if (pthread_create(&th[started], &attr, parse_worker, pool) != 0)
            break;
    if (started == 0)
        parse_worker(pool); /* no threads to be had: parse here */
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    pthread_attr_destroy(&attr);
    free(th);
    return 0;
}

static int load_jobs(const struct ll_cli *cli, struct ll_compdb *db)
{
    char err[1024];
    int rc;
    if (cli->compdb) {
        rc = ll_compdb_load(db, cli->compdb, LL_RESOURCE_DIR, stderr, err, sizeof(err));
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

/* Rules to run: all, or --enable's, minus --disable's. Returns the count
 * or -1 for an unknown rule name. */
static int select_rules(const struct ll_cli *cli, const struct ll_rule **out)
{
    for (size_t i = 0; i < cli->nenable; i++)
        if (!ll_rule_find(cli->enable[i])) {
            error("unknown rule '%s' (see --list-rules)", cli->enable[i]);
            return -1;
        }
    for (size_t i = 0; i < cli->ndisable; i++)
        if (!ll_rule_find(cli->disable[i])) {
            error("unknown rule '%s' (see --list-rules)", cli->disable[i]);
            return -1;
        }
    int n = 0;
    for (size_t i = 0; i < ll_nrules; i++) {
        const struct ll_rule *r = ll_rules[i];
        bool on = cli->nenable == 0;
        for (size_t k = 0; k < cli->nenable; k++)
            on = on || strcmp(cli->enable[k], r->id) == 0;
        for (size_t k = 0; k < cli->ndisable; k++)
            on = on && strcmp(cli->disable[k], r->id) != 0;
        if (on)
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

static int write_report(const struct ll_cli *cli, const struct ll_report *r, const char *cwd)
{
    FILE *out = stdout;
    if (cli->output && !(out = fopen(cli->output, "w"))) {
        error("cannot write '%s': %s", cli->output, strerror(errno));
        return -1;
    }
    struct ll_rule_info *info = calloc(ll_nrules, sizeof(*info));
    if (!info) {
        if (out != stdout)
            fclose(out);
        return -1;
    }
    for (size_t i = 0; i < ll_nrules; i++) {
        info[i].id = ll_rules[i]->id;
        info[i].summary = ll_rules[i]->summary;
        info[i].doc = ll_rules[i]->doc;
        info[i].severity = ll_rules[i]->severity;
    }
    struct ll_output_opts o = {cwd, isatty(fileno(out)) != 0, LL_VERSION, info, ll_nrules};
    int rc = cli->format == LL_FORMAT_JSON    ? ll_output_json(out, r, &o)
             : cli->format == LL_FORMAT_SARIF ? ll_output_sarif(out, r, &o)
                                              : ll_output_text(out, r, &o);
    if (fflush(out) != 0)
        rc = -1;
    if (out != stdout && fclose(out) != 0)
        rc = -1;
    free(info);
    if (rc != 0)
        error("cannot write the report%s%s", cli->output ? " to " : "",
              cli->output ? cli->output : "");
    return rc;
}

/* Names every TU that did not parse cleanly. Returns how many parsed at all. */
static size_t report_parse_problems(const struct parse_pool *pool)
{
    size_t ok = 0;
    for (size_t i = 0; i < pool->db->njobs; i++) {
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

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int analyse(const struct ll_cli *cli, struct parse_pool *pool, size_t nparsed,
                   const char *cwd)
{
    const struct ll_rule *rules[64];
    int nrules = select_rules(cli, rules);
    if (nrules < 0)
        return 2;
    /* parsed TUs, in database order */
    struct ll_tu_facts *tus = calloc(nparsed + 1, sizeof(*tus));
    if (!tus)
        return 2;
    size_t k = 0;
    for (size_t i = 0; i < pool->db->njobs; i++)
        if (pool->status[i] == 0)
            tus[k++] = pool->facts[i];
    int status = 2;
    double t0 = now();
    struct ll_view view;
    struct ll_report report;
    ll_report_init(&report);
    if (ll_view_build(&view, tus, k) != 0) {
        error("out of memory");
        goto out;
    }
    double t1 = now();
    for (int i = 0; i < nrules; i++)
        rules[i]->check(&view, &report);
    if (report.oom) {
        error("out of memory");
        goto out;
    }
    relativize(&report, cwd);
    ll_report_finish(&report);
    double t2 = now();
    if (write_report(cli, &report, cwd) != 0)
        goto out;
    size_t failing = cli->fail_on < 0 ? 0 : ll_report_count_at_least(&report, cli->fail_on);
    if (!cli->quiet)
        fprintf(stderr, "locklint: %zu finding%s in %zu translation unit%s\n", report.count,
                report.count == 1 ? "" : "s", k, k == 1 ? "" : "s");
    if (cli->stats)
        fprintf(stderr, "locklint: stats: whole-program %.3fs, rules %.3fs\n", t1 - t0, t2 - t1);
    status = failing ? 1 : 0;
out:
    ll_view_release(&view);
    ll_report_release(&report);
    free(tus);
    return status;
}

int ll_driver_run(const struct ll_cli *cli)
{
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd))) {
        error("cannot get the current directory: %s", strerror(errno));
        return 2;
    }
    struct ll_compdb db;
    ll_compdb_init(&db);
    struct parse_pool pool = {&db, NULL, NULL, NULL, 0};
    int status = 2;
    if (load_jobs(cli, &db) != 0)
        goto out;
    pool.facts = calloc(db.njobs, sizeof(*pool.facts));
    pool.status = calloc(db.njobs, sizeof(*pool.status));
    pool.errs = calloc(db.njobs, sizeof(*pool.errs));
    if (!pool.facts || !pool.status || !pool.errs) {
        error("out of memory");
        goto out;
    }
    for (size_t i = 0; i < db.njobs; i++)
        ll_tu_facts_init(&pool.facts[i]);
    double t0 = now();
    if (parse_all(cli, &pool) != 0) {
        error("cannot start parsing threads");
        goto out;
    }
    double t1 = now();
    size_t nparsed = report_parse_problems(&pool);
    if (cli->stats)
        fprintf(stderr, "locklint: stats: %zu TUs, %zu parsed, %zu failed, parse %.3fs\n", db.njobs,
                nparsed, db.njobs - nparsed, t1 - t0);
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
    status = analyse(cli, &pool, nparsed, cwd);
out:
    for (size_t i = 0; pool.facts && i < db.njobs; i++)
        ll_tu_facts_release(&pool.facts[i]);
    free(pool.facts);
    free(pool.status);
    free(pool.errs);
    ll_compdb_release(&db);
    return status;
}
