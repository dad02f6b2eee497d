/*
 * postprocess: the filters between the rules and the writers (see
 * postprocess.h for their order).  Every filter compacts r->items in place
 * and keeps the others' order and fingerprints.
 *
 * The suppression notes are the only findings added here.  They need
 * fingerprints, which only ll_report_finish() computes, and calling it
 * again would renumber the ordinals of findings whose identical twin was
 * just suppressed; so the old fingerprints are saved and put back, and
 * only the notes keep what the second finish gave them (their rule ids
 * differ from every real rule's, so their ordinals only count notes).
 */
#include "postprocess.h"

#include "baseline.h"
#include "rule.h"
#include "suppress.h"

#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

bool ll_postprocess_rule_listed(const char *const *v, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (fnmatch(v[i], id, 0) == 0)
            return true;
    return false;
}

static bool in_list(const char *const *v, size_t n, const char *id)
{
    return ll_postprocess_rule_listed(v, n, id);
}

bool ll_postprocess_rule_ran(const struct ll_cli *cli, const struct ll_config *cfg, const char *id)
{
    bool enabled = in_list(cli->enable, cli->nenable, id);
    if (cfg && ll_config_rule(cfg, id) == LL_RULE_OFF && !enabled)
        return false;
    if (cli->nenable && !enabled)
        return false;
    const struct ll_rule *r = ll_rule_find(id);
    if (r && ll_rule_off_by_default(r) && !enabled &&
        !(cfg && ll_config_rule(cfg, id) >= LL_RULE_ON))
        return false;
    return !in_list(cli->disable, cli->ndisable, id);
}

struct ran_ctx {
    const struct ll_cli *cli;
    const struct ll_config *cfg;
};

static bool ran_cb(const char *id, void *ctx)
{
    const struct ran_ctx *c = ctx;
    return ll_postprocess_rule_ran(c->cli, c->cfg, id);
}

static bool known_rule(const char *id)
{
    return ll_rule_find(id) != NULL || ll_suppress_rule_find(id) != NULL;
}

static bool same_site(const struct ll_finding *a, const struct ll_finding *b)
{
    return a->primary.line && a->primary.line == b->primary.line &&
           a->primary.col == b->primary.col && strcmp(a->rule, b->rule) == 0 && a->primary.file &&
           b->primary.file && strcmp(a->primary.file, b->primary.file) == 0;
}

/* Findings of one rule at one site -- several from one macro expansion,
 * or several locks leaked at one return -- are one finding: the first
 * (in report order) keeps its message and fingerprint, each other one
 * becomes an "also: ..." note at its site followed by its notes.
 * Returns 0 or -1 when out of memory. */
static int merge_same_site(struct ll_report *r, struct ll_post_stats *stats)
{
    size_t kept = 0;
    for (size_t i = 0; i < r->count; i++) {
        struct ll_finding *f = r->items[i];
        if (kept && same_site(r->items[kept - 1], f)) {
            struct ll_finding *g = r->items[kept - 1];
            if (ll_finding_note(r, g, &f->primary, "also: %s", f->message) != 0)
                return -1;
            for (size_t k = 0; k < f->nrelated; k++)
                if (ll_finding_note(r, g, &f->related[k], "%s",
                                    f->related[k].message ? f->related[k].message : "") != 0)
                    return -1;
            stats->merged++;
            continue;
        }
        r->items[kept++] = f;
    }
    r->count = kept;
    return 0;
}

/* Drops findings in excluded paths and of rules off in the configuration. */
static void drop_configured(struct ll_report *r, const struct ll_cli *cli,
                            const struct ll_config *cfg, const char *cwd,
                            struct ll_post_stats *stats)
{
    size_t kept = 0;
    for (size_t i = 0; i < r->count; i++) {
        struct ll_finding *f = r->items[i];
        if (ll_config_rule(cfg, f->rule) == LL_RULE_OFF &&
            !in_list(cli->enable, cli->nenable, f->rule)) {
            stats->disabled++;
            continue;
        }
        if (ll_config_excluded(cfg, f->primary.file, cwd)) {
            stats->excluded++;
            continue;
        }
        r->items[kept++] = f;
    }
    r->count = kept;
}

/* `path` relative to cwd when it lies under it (as the driver writes
 * finding paths), else `path`. */
static const char *under_cwd(const char *path, const char *cwd)
{
    size_t n = strlen(cwd);
    while (n > 1 && cwd[n - 1] == '/')
        n--;
    if (strncmp(path, cwd, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

/* Scans `file` (a finding path) unless it was scanned or is excluded.
 * Returns 0 or -1 when out of memory. */
static int scan(struct ll_suppress *s, const struct ll_config *cfg, const char *file,
                const char *cwd)
{
    if (!file || !*file || ll_suppress_scanned(s, file) || ll_config_excluded(cfg, file, cwd))
        return 0;
    char open_path[PATH_MAX];
    int n = file[0] == '/' ? snprintf(open_path, sizeof(open_path), "%s", file)
                           : snprintf(open_path, sizeof(open_path), "%s/%s", cwd, file);
    if (n < 0 || (size_t)n >= sizeof(open_path))
        return 0;
    return ll_suppress_scan_file(s, file, open_path) < 0 ? -1 : 0;
}

struct saved_fp {
    struct ll_finding *f;
    char fp[sizeof(((struct ll_finding *)0)->fingerprint)];
};

/* Fingerprints the findings added since `old` (see the file comment). */
static int finish_again(struct ll_report *r, size_t old)
{
    struct saved_fp *saved = old ? malloc(old * sizeof(*saved)) : NULL;
    if (old && !saved)
        return -1;
    for (size_t i = 0; i < old; i++) {
        saved[i].f = r->items[i];
        memcpy(saved[i].fp, r->items[i]->fingerprint, sizeof(saved[i].fp));
    }
    ll_report_finish(r);
    for (size_t i = 0; i < old; i++)
        memcpy(saved[i].f->fingerprint, saved[i].fp, sizeof(saved[i].fp));
    free(saved);
    return 0;
}

static int apply_suppressions(struct ll_report *r, const struct ll_cli *cli,
                              const struct ll_config *cfg, const char *cwd,
                              const char *const *files, size_t nfiles, struct ll_post_stats *stats)
{
    struct ll_suppress s;
    ll_suppress_init(&s);
    int rc = -1;
    for (size_t i = 0; i < r->count; i++)
        if (scan(&s, cfg, r->items[i]->primary.file, cwd) != 0)
            goto out;
    for (size_t i = 0; files && i < nfiles; i++)
        if (files[i] && scan(&s, cfg, under_cwd(files[i], cwd), cwd) != 0)
            goto out;
    stats->suppressed += ll_suppress_apply(&s, r);
    size_t old = r->count;
    struct ran_ctx ctx = {cli, cfg};
    long added = ll_suppress_report(&s, r, known_rule, ran_cb, &ctx);
    if (added < 0 || r->oom)
        goto out;
    /* Notes of a pseudo-rule switched off in the configuration go again. */
    size_t kept = old;
    for (size_t i = old; i < r->count; i++) {
        if (ll_postprocess_rule_ran(cli, cfg, r->items[i]->rule))
            r->items[kept++] = r->items[i];
        else
            stats->disabled++;
    }
    r->count = kept;
    stats->notes += kept - old;
    if (kept > old && finish_again(r, old) != 0)
        goto out;
    rc = 0;
out:
    ll_suppress_release(&s);
    return rc;
}

static void set_severities(struct ll_report *r, const struct ll_config *cfg)
{
    for (size_t i = 0; i < r->count; i++) {
        struct ll_finding *f = r->items[i];
        switch (ll_config_rule(cfg, f->rule)) {
        case LL_RULE_NOTE:
            f->severity = LL_SEV_NOTE;
            break;
        case LL_RULE_WARNING:
            f->severity = LL_SEV_WARNING;
            break;
        case LL_RULE_ERROR:
            f->severity = LL_SEV_ERROR;
            break;
        default:
            break;
        }
    }
}

/* Whether a baseline entry's file was within this run's reach: with -p
 * and paths, only files under those paths were analysed. */
static bool in_scope(const struct ll_cli *cli, const char *file, const char *cwd)
{
    if (!cli->compdb || cli->ninputs == 0)
        return true;
    if (!file)
        return false;
    char here[PATH_MAX], abs[2 * PATH_MAX + 2];
    if (!getcwd(here, sizeof(here)))
        return true;
    for (size_t i = 0; i < cli->ninputs; i++) {
        /* the paths name places relative to the current directory, the
         * findings relative to the project root (`cwd` here) */
        const char *in = cli->inputs[i];
        if (in[0] != '/') {
            snprintf(abs, sizeof(abs), "%s/%s", here, in);
            in = abs;
        }
        in = under_cwd(in, cwd); /* outside the root both stay absolute */
        while (in[0] == '.' && in[1] == '/')
            in += 2;
        size_t n = strlen(in);
        while (n > 0 && in[n - 1] == '/')
            n--;
        if (n == 0 || (n == 1 && in[0] == '.'))
            return true;
        if (strncmp(file, in, n) == 0 && (file[n] == '/' || file[n] == '\0'))
            return true;
    }
    return false;
}

static int apply_baseline(struct ll_report *r, const struct ll_cli *cli,
                          const struct ll_config *cfg, const char *cwd, struct ll_baseline *b,
                          FILE *err, struct ll_post_stats *stats)
{
    char msg[1024];
    if (cli->write_baseline) {
        if (ll_baseline_write(r, cli->write_baseline, msg, sizeof(msg)) != 0) {
            fprintf(err, "locklint: error: %s\n", msg);
            return -1;
        }
        stats->wrote_baseline = true;
        stats->written = r->count;
    }
    if (cli->baseline) {
        stats->baselined += ll_baseline_filter(b, r);
        for (size_t i = 0; i < b->count; i++) {
            const struct ll_baseline_entry *e = &b->items[i];
            if (!e->seen && (!e->rule || ll_postprocess_rule_ran(cli, cfg, e->rule)) &&
                in_scope(cli, e->file, cwd))
                stats->fixed++;
        }
    }
    return 0;
}

int ll_postprocess(struct ll_report *r, const struct ll_cli *cli, const struct ll_config *cfg,
                   const char *cwd, const char *const *files, size_t nfiles, FILE *err,
                   struct ll_post_stats *stats)
{
    memset(stats, 0, sizeof(*stats));
    struct ll_baseline b;
    ll_baseline_init(&b);
    int rc = -1;
    char msg[1024];
    if (cli->baseline) {
        if (ll_baseline_load(&b, cli->baseline, msg, sizeof(msg)) != 0) {
            fprintf(err, "locklint: error: %s\n", msg);
            goto out;
        }
        /* Seen means found at all: excluded or suppressed is not fixed. */
        ll_baseline_mark_seen(&b, r);
    }
    if (merge_same_site(r, stats) != 0) {
        fprintf(err, "locklint: error: out of memory\n");
        goto out;
    }
    drop_configured(r, cli, cfg, cwd, stats);
    if (apply_suppressions(r, cli, cfg, cwd, files, nfiles, stats) != 0) {
        fprintf(err, "locklint: error: out of memory\n");
        goto out;
    }
    set_severities(r, cfg);
    if (apply_baseline(r, cli, cfg, cwd, &b, err, stats) != 0)
        goto out;
    rc = 0;
out:
    ll_baseline_release(&b);
    return rc;
}

/* Appends ", " or " (" and the formatted text. */
static void part(char *buf, size_t len, size_t *used, const char *fmt, size_t n, const char *s)
{
    if (*used >= len)
        return;
    int k = snprintf(buf + *used, len - *used, "%s", *used ? ", " : " (");
    if (k > 0)
        *used += (size_t)k;
    if (*used >= len)
        return;
    k = snprintf(buf + *used, len - *used, fmt, n, s);
    if (k > 0)
        *used += (size_t)k;
}

void ll_post_stats_describe(const struct ll_post_stats *st, char *buf, size_t len)
{
    size_t used = 0;
    if (!len)
        return;
    buf[0] = '\0';
    if (st->suppressed)
        part(buf, len, &used, "%zu suppressed%s", st->suppressed, "");
    if (st->baselined)
        part(buf, len, &used, "%zu baselined%s", st->baselined, "");
    if (st->fixed)
        part(buf, len, &used, "%zu fixed since the baseline%s", st->fixed, "");
    if (st->excluded + st->disabled)
        part(buf, len, &used, "%zu excluded by the configuration%s", st->excluded + st->disabled,
             "");
    if (st->unchanged)
        part(buf, len, &used, "%zu not on changed lines%s", st->unchanged, "");
    if (st->wrote_baseline)
        part(buf, len, &used, "%zu written to the baseline%s", st->written, "");
    if (used && used + 1 < len) {
        buf[used] = ')';
        buf[used + 1] = '\0';
    } else if (used) {
        buf[len - 1] = '\0';
    }
}
