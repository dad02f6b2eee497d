/*
 * output_sarif: the report as a SARIF 2.1.0 log that GitHub code scanning
 * (and any SARIF viewer) accepts.  One run; tool.driver.rules describes
 * every rule in o->rules; each finding is one result whose locations[0] is
 * the primary site, relatedLocations the notes, and codeFlows one
 * threadFlow per thread when the finding has flows.
 *
 * Paths under o->base_dir become relative URIs with uriBaseId "%SRCROOT%"
 * (declared in originalUriBaseIds as file:///base_dir/), which is what
 * code scanning needs to find the file in the repository; other absolute
 * paths become file:/// URIs.  URIs are percent-encoded byte by byte, so
 * spaces and non-UTF-8 bytes in paths survive.  Regions use locklint's
 * 1-based byte columns; a 0 line or column (unknown) is written as 1
 * because SARIF requires >= 1.
 *
 * partialFingerprints carries the report's fingerprint under
 * "locklintFingerprint/v1"; code scanning adds its own
 * primaryLocationLineHash from the source when it uploads.
 */
#include "output.h"
#include "output_util.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SRCROOT "%SRCROOT%"

/* {"text": s}; NULL when out of memory. */
static json_t *message(const char *s)
{
    json_t *j = json_object();
    if (j && json_object_set_new(j, "text", ll_out_jstr(s ? s : "")) < 0) {
        json_decref(j);
        return NULL;
    }
    return j;
}

/*
 * Appends `path` to `dst` percent-encoded per RFC 3986: unreserved
 * characters and '/' stay, every other byte becomes %XX.  `dst` must have
 * room for 3 * strlen(path) + 1 bytes.  Returns the end of the output.
 */
static char *pct_encode(char *dst, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            *dst++ = (char)c;
        } else {
            *dst++ = '%';
            *dst++ = hex[c >> 4];
            *dst++ = hex[c & 15];
        }
    }
    *dst = '\0';
    return dst;
}

/* `path` relative to `base` when it lies under it, else NULL. */
static const char *under_base(const char *path, const char *base)
{
    if (!base || !*base)
        return NULL;
    size_t n = strlen(base);
    while (n > 0 && base[n - 1] == '/')
        n--;
    if (strncmp(path, base, n) != 0 || path[n] != '/')
        return NULL;
    const char *p = path + n;
    while (*p == '/')
        p++;
    return *p ? p : NULL;
}

/* {"uri": ..., "uriBaseId"?: ...} for a path as stored in a site. */
static json_t *artifact_location(const char *path, const char *base)
{
    if (!path)
        path = "<unknown>";
    const char *rel = under_base(path, base);
    bool absolute = !rel && path[0] == '/';
    if (!rel) {
        rel = path;
        while (rel[0] == '.' && rel[1] == '/') {
            rel += 2;
            while (*rel == '/')
                rel++;
        }
    }
    size_t len = strlen(rel);
    if (len > (SIZE_MAX - 8) / 3)
        return NULL;
    char *uri = malloc(len * 3 + 8);
    json_t *j = json_object();
    int err = !uri || !j;
    if (!err) {
        char *p = uri;
        if (absolute) {
            memcpy(p, "file://", 7);
            p += 7;
        }
        pct_encode(p, rel);
        err |= json_object_set_new(j, "uri", json_string(uri));
        if (!absolute)
            err |= json_object_set_new(j, "uriBaseId", json_string(SRCROOT));
    }
    free(uri);
    if (err) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static json_int_t at_least_1(uint32_t v)
{
    return v ? (json_int_t)v : 1;
}

/* {"id"?: id, "physicalLocation": {...}, "message"?: {...}}; no id when id is 0. */
static json_t *location(const struct ll_site *s, const char *base, size_t id, const char *msg)
{
    json_t *loc = json_object();
    json_t *phys = json_object();
    json_t *region = json_object();
    int err = !loc || !phys || !region;
    if (err) {
        json_decref(phys);
        json_decref(region);
        json_decref(loc);
        return NULL;
    }
    if (id)
        err |= json_object_set_new(loc, "id", json_integer((json_int_t)id));
    err |= json_object_set_new(region, "startLine", json_integer(at_least_1(s->line)));
    err |= json_object_set_new(region, "startColumn", json_integer(at_least_1(s->col)));
    err |= json_object_set_new(phys, "artifactLocation", artifact_location(s->file, base));
    err |= json_object_set_new(phys, "region", region);
    err |= json_object_set_new(loc, "physicalLocation", phys);
    if (msg)
        err |= json_object_set_new(loc, "message", message(msg));
    if (err) {
        json_decref(loc);
        return NULL;
    }
    return loc;
}

/* "lock-order-inversion" -> "LockOrderInversion"; NULL on OOM. */
static json_t *pascal_case(const char *id)
{
    char *name = malloc(strlen(id) + 1);
    if (!name)
        return NULL;
    char *q = name;
    bool upper = true;
    for (const char *p = id; *p; p++) {
        char c = *p;
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum) {
            upper = true;
            continue;
        }
        *q++ = upper && c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
        upper = false;
    }
    *q = '\0';
    json_t *j = ll_out_jstr(name);
    free(name);
    return j;
}

#ifndef LL_HOMEPAGE
#define LL_HOMEPAGE "https://github.com/locklint/locklint"
#endif

/*
 * reportingDescriptor.properties.precision, from the triage of real code
 * in the README ("Real code"): high where the judged findings were true
 * (blocking-under-lock 5 of 5, cond-wait-outside-loop 3 of 3,
 * lock-order-inversion 2 of 2 on memcached), medium where they were true
 * by the rule but intended (missing-join's daemon threads, lock-leak's
 * hand-off) or no real finding was judged, low for unprotected-write (36
 * of 102 judged warnings true).  The suppression checks are syntactic.
 */
static const char *precision(const char *id)
{
    static const char *const table[][2] = {
        {"blocking-under-lock", "high"},     {"cond-wait-outside-loop", "high"},
        {"lock-order-inversion", "high"},    {"unprotected-write", "low"},
        {"unused-suppression", "very-high"}, {"bad-suppression", "very-high"},
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (strcmp(table[i][0], id) == 0)
            return table[i][1];
    return "medium";
}

/* The README section documenting rule `id` (GitHub's heading anchors). */
static json_t *help_uri(const char *id)
{
    char uri[512];
    bool pseudo = strcmp(id, "unused-suppression") == 0 || strcmp(id, "bad-suppression") == 0;
    snprintf(uri, sizeof(uri), "%s#%s", LL_HOMEPAGE, pseudo ? "suppressions-and-baselines" : id);
    return ll_out_jstr(uri);
}

static json_t *rule_json(const struct ll_rule_info *ri)
{
    const char *summary = ri->summary ? ri->summary : ri->id;
    const char *doc = ri->doc ? ri->doc : summary;
    json_t *j = json_object();
    json_t *help = json_object();
    json_t *config = json_object();
    json_t *props = json_object();
    json_t *tags = json_array();
    int err = !j || !help || !config || !props || !tags;
    if (err) {
        json_decref(help);
        json_decref(config);
        json_decref(props);
        json_decref(tags);
        json_decref(j);
        return NULL;
    }
    err |= json_object_set_new(help, "text", ll_out_jstr(doc));
    err |= json_object_set_new(help, "markdown", ll_out_jstr(doc));
    err |= json_object_set_new(config, "level", json_string(ll_severity_name(ri->severity)));
    err |= json_array_append_new(tags, json_string("concurrency"));
    err |= json_object_set_new(props, "tags", tags);
    err |= json_object_set_new(props, "precision", json_string(precision(ri->id)));
    err |= json_object_set_new(j, "id", ll_out_jstr(ri->id));
    err |= json_object_set_new(j, "name", pascal_case(ri->id));
    err |= json_object_set_new(j, "shortDescription", message(summary));
    err |= json_object_set_new(j, "fullDescription", message(summary));
    err |= json_object_set_new(j, "help", help);
    err |= json_object_set_new(j, "helpUri", help_uri(ri->id));
    err |= json_object_set_new(j, "defaultConfiguration", config);
    err |= json_object_set_new(j, "properties", props);
    if (err) {
        json_decref(j);
        return NULL;
    }
    return j;
}

/* threadFlow ids must be unique within a codeFlow: a second flow of the
 * same thread (another instance) gets "#2", and so on. */
static json_t *thread_flow_id(const struct ll_finding *f, size_t k)
{
    const char *name = f->flows[k].thread ? f->flows[k].thread : "thread";
    size_t same = 0;
    for (size_t i = 0; i < k; i++) {
        const char *other = f->flows[i].thread ? f->flows[i].thread : "thread";
        if (f->flows[i].nsteps && strcmp(other, name) == 0)
            same++;
    }
    if (!same)
        return ll_out_jstr(name);
    size_t len = strlen(name) + 24;
    char *id = malloc(len);
    if (!id)
        return NULL;
    snprintf(id, len, "%s#%zu", name, same + 1);
    json_t *j = ll_out_jstr(id);
    free(id);
    return j;
}

/* [{"threadFlows": [...]}], or a NULL json value when no flow has steps
 * (SARIF requires at least one location per threadFlow).  *err on OOM. */
static json_t *code_flows(const struct ll_finding *f, const char *base, int *err)
{
    json_t *tfs = json_array();
    *err |= !tfs;
    for (size_t k = 0; !*err && k < f->nflows; k++) {
        const struct ll_flow *fl = &f->flows[k];
        if (!fl->nsteps)
            continue;
        json_t *tf = json_object();
        json_t *locs = json_array();
        *err |= !locs;
        for (size_t i = 0; !*err && i < fl->nsteps; i++) {
            json_t *tfl = json_object();
            *err |= json_object_set_new(tfl, "location",
                                        location(&fl->steps[i], base, 0, fl->steps[i].message));
            *err |= json_array_append_new(locs, tfl);
        }
        *err |= json_object_set_new(tf, "id", thread_flow_id(f, k));
        *err |= json_object_set_new(tf, "message", message(fl->thread ? fl->thread : "thread"));
        *err |= json_object_set_new(tf, "locations", locs);
        *err |= json_array_append_new(tfs, tf);
    }
    if (*err || json_array_size(tfs) == 0) {
        json_decref(tfs);
        return NULL;
    }
    json_t *cf = json_object();
    json_t *cfs = json_array();
    *err |= json_object_set_new(cf, "threadFlows", tfs);
    *err |= json_array_append_new(cfs, cf);
    if (*err) {
        json_decref(cfs);
        return NULL;
    }
    return cfs;
}

/* Appends s to the buffer with SARIF's escapes for text holding links:
 * '\\', '[' and ']' get a backslash.  Returns false when out of room. */
static bool put_escaped(char *buf, size_t len, size_t *used, const char *s)
{
    for (; s && *s; s++) {
        if (*used + 3 >= len)
            return false;
        if (*s == '\\' || *s == '[' || *s == ']')
            buf[(*used)++] = '\\';
        buf[(*used)++] = *s;
    }
    buf[*used] = '\0';
    return true;
}

/* The message with each note linked to its related location, as code
 * scanning shows them: "... ('a' acquired [here](1); ...)".  Falls back
 * to the bare message when it does not fit. */
static json_t *linked_message(const struct ll_finding *f)
{
    if (!f->nrelated)
        return message(f->message);
    char buf[4096], id[32];
    size_t used = 0;
    bool ok = put_escaped(buf, sizeof(buf), &used, f->message);
    for (size_t i = 0; ok && i < f->nrelated; i++) {
        const char *m = f->related[i].message ? f->related[i].message : "related location";
        snprintf(id, sizeof(id), "](%zu)", i + 1);
        ok = put_escaped(buf, sizeof(buf), &used, i ? "; " : " (") && used + 2 < sizeof(buf);
        if (ok) {
            buf[used++] = '[';
            buf[used] = '\0';
            ok = put_escaped(buf, sizeof(buf), &used, m) && used + strlen(id) + 2 < sizeof(buf);
        }
        if (ok) {
            memcpy(buf + used, id, strlen(id) + 1);
            used += strlen(id);
        }
    }
    if (ok && used + 2 < sizeof(buf)) {
        buf[used++] = ')';
        buf[used] = '\0';
        return message(buf);
    }
    return message(f->message);
}

static json_t *result_json(const struct ll_finding *f, const struct ll_output_opts *o)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    int err = 0;
    err |= json_object_set_new(j, "ruleId", ll_out_jstr(f->rule));
    for (size_t i = 0; i < o->nrules; i++) {
        if (o->rules[i].id && strcmp(o->rules[i].id, f->rule) == 0) {
            err |= json_object_set_new(j, "ruleIndex", json_integer((json_int_t)i));
            break;
        }
    }
    err |= json_object_set_new(j, "level", json_string(ll_severity_name(f->severity)));
    err |= json_object_set_new(j, "message", linked_message(f));
    json_t *locs = json_array();
    err |= json_array_append_new(locs, location(&f->primary, o->base_dir, 0, NULL));
    err |= json_object_set_new(j, "locations", locs);
    if (f->nrelated && !err) {
        json_t *rel = json_array();
        for (size_t i = 0; rel && !err && i < f->nrelated; i++) {
            const struct ll_site *s = &f->related[i];
            const char *msg = s->message ? s->message : "related location";
            err |= json_array_append_new(rel, location(s, o->base_dir, i + 1, msg));
        }
        err |= json_object_set_new(j, "relatedLocations", rel);
    }
    json_t *fp = json_object();
    err |= json_object_set_new(fp, "locklintFingerprint/v1", ll_out_jstr(f->fingerprint));
    err |= json_object_set_new(j, "partialFingerprints", fp);
    if (f->nflows && !err) {
        json_t *cfs = code_flows(f, o->base_dir, &err);
        if (cfs)
            err |= json_object_set_new(j, "codeFlows", cfs);
    }
    if (err) {
        json_decref(j);
        return NULL;
    }
    return j;
}

/* The current directory in a malloc'd string, or NULL. */
static char *current_dir(void)
{
    for (size_t cap = 256; cap <= 65536; cap *= 2) {
        char *buf = malloc(cap);
        if (!buf)
            return NULL;
        if (getcwd(buf, cap))
            return buf;
        free(buf);
        if (errno != ERANGE)
            return NULL;
    }
    return NULL;
}

/*
 * {"uri": "file:///abs/base/"} for originalUriBaseIds.  A relative
 * base_dir is joined to the current directory.  NULL when out of memory or
 * when the current directory is unknown (the entry is then left out).
 */
static json_t *base_uri(const char *base_dir)
{
    char *cwd = NULL;
    if (base_dir[0] != '/') {
        cwd = current_dir();
        if (!cwd)
            return NULL;
    }
    size_t len = strlen(base_dir) + (cwd ? strlen(cwd) + 1 : 0);
    json_t *j = NULL;
    char *uri = len <= (SIZE_MAX - 16) / 3 ? malloc(len * 3 + 16) : NULL;
    if (uri) {
        memcpy(uri, "file://", 7);
        char *end = uri + 7;
        if (cwd) {
            end = pct_encode(end, cwd);
            if (end[-1] != '/')
                *end++ = '/';
        }
        if (!cwd || strcmp(base_dir, ".") != 0)
            end = pct_encode(end, base_dir);
        while (end > uri + 7 && end[-1] == '/')
            end--;
        memcpy(end, "/", 2);
        j = json_object();
        if (j && json_object_set_new(j, "uri", json_string(uri)) < 0) {
            json_decref(j);
            j = NULL;
        }
    }
    free(uri);
    free(cwd);
    return j;
}

static json_t *driver_json(const struct ll_output_opts *o)
{
    json_t *driver = json_object();
    json_t *rules = json_array();
    int err = !driver || !rules;
    for (size_t i = 0; !err && i < o->nrules; i++)
        err |= json_array_append_new(rules, rule_json(&o->rules[i]));
    if (err) {
        json_decref(rules);
        json_decref(driver);
        return NULL;
    }
    err |= json_object_set_new(driver, "name", json_string("locklint"));
    if (o->version)
        err |= json_object_set_new(driver, "version", ll_out_jstr(o->version));
    err |= json_object_set_new(driver, "informationUri", json_string(LL_HOMEPAGE));
    err |= json_object_set_new(driver, "rules", rules);
    if (err) {
        json_decref(driver);
        return NULL;
    }
    return driver;
}

/* "invocations": one, with a notification per TU the run could not
 * analyse (an error: the invocation is then unsuccessful) or analysed
 * only as far as the parser recovered (a warning).  Only written when
 * there is one. */
static json_t *invocations_json(const struct ll_output_opts *o)
{
    json_t *inv = json_object(), *notes = json_array(), *arr = json_array();
    int err = !inv || !notes || !arr;
    for (size_t i = 0; !err && i < o->nnotes; i++) {
        json_t *n = json_object(), *locs = json_array(), *loc = json_object(),
               *phys = json_object();
        err |= !n || !locs || !loc || !phys;
        if (!err) {
            err |= json_object_set_new(phys, "artifactLocation",
                                       artifact_location(o->notes[i].file, o->base_dir));
            err |= json_object_set_new(loc, "physicalLocation", phys);
            phys = NULL;
            err |= json_array_append_new(locs, loc);
            loc = NULL;
            err |= json_object_set_new(n, "level",
                                       json_string(o->notes[i].warning ? "warning" : "error"));
            err |= json_object_set_new(n, "message", message(o->notes[i].message));
            err |= json_object_set_new(n, "locations", locs);
            locs = NULL;
            err |= json_array_append_new(notes, n);
            n = NULL;
        }
        json_decref(n);
        json_decref(locs);
        json_decref(loc);
        json_decref(phys);
    }
    bool failed = false;
    for (size_t i = 0; i < o->nnotes; i++)
        failed |= !o->notes[i].warning;
    if (!err) {
        err |= json_object_set_new(inv, "executionSuccessful", json_boolean(!failed));
        err |= json_object_set_new(inv, "toolExecutionNotifications", notes);
        notes = NULL;
        err |= json_array_append_new(arr, inv);
        inv = NULL;
    }
    json_decref(notes);
    json_decref(inv);
    if (err) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

int ll_output_sarif(FILE *out, const struct ll_report *r, const struct ll_output_opts *o)
{
    int rc = -1;
    json_t *root = json_object();
    json_t *runs = json_array();
    json_t *run = json_object();
    json_t *tool = json_object();
    json_t *results = json_array();
    int err = !root || !runs || !run || !tool || !results;
    if (err) {
        json_decref(runs);
        json_decref(run);
        json_decref(tool);
        json_decref(results);
        goto out;
    }
    for (size_t i = 0; !err && i < r->count; i++)
        err |= json_array_append_new(results, result_json(r->items[i], o));
    /* Ownership moves into root now; on failure it is all freed with root. */
    err |= json_object_set_new(tool, "driver", driver_json(o));
    err |= json_object_set_new(run, "tool", tool);
    if (o->base_dir && *o->base_dir) {
        json_t *srcroot = base_uri(o->base_dir);
        if (srcroot) {
            json_t *ids = json_object();
            err |= json_object_set_new(ids, SRCROOT, srcroot);
            err |= json_object_set_new(run, "originalUriBaseIds", ids);
        }
    }
    if (o->nnotes)
        err |= json_object_set_new(run, "invocations", invocations_json(o));
    err |= json_object_set_new(run, "results", results);
    err |= json_array_append_new(runs, run);
    err |= json_object_set_new(root, "$schema",
                               json_string("https://json.schemastore.org/sarif-2.1.0.json"));
    err |= json_object_set_new(root, "version", json_string("2.1.0"));
    err |= json_object_set_new(root, "runs", runs);
    if (err)
        goto out;
    if (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
        goto out;
    if (fputc('\n', out) == EOF || fflush(out) != 0 || ferror(out))
        goto out;
    rc = 0;
out:
    json_decref(root);
    return rc;
}
