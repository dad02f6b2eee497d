/*
 * output_json: the report as one JSON document for scripts and dashboards
 * (the schema is documented in the README, "JSON output").  Field order is
 * fixed and every field is always present (null or [] when empty), so a
 * consumer never needs to test for a missing key.
 *
 * Paths under o->base_dir are written relative to it, as in text output.
 * JSON strings must be UTF-8: bytes of a path or message that are not are
 * written as U+FFFD.  This writer does not filter or reorder findings.
 */
#include "output.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* `path` relative to `base` when it lies under it, else `path` itself. */
static const char *rel_path(const char *path, const char *base)
{
    if (!path || !base || !*base)
        return path;
    size_t n = strlen(base);
    while (n > 0 && base[n - 1] == '/')
        n--;
    if (strncmp(path, base, n) != 0 || path[n] != '/')
        return path;
    const char *p = path + n;
    while (*p == '/')
        p++;
    return *p ? p : path;
}

/* Length of the valid UTF-8 sequence at s, or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n;
    unsigned cp;
    if ((s[0] & 0xE0) == 0xC0) {
        n = 2;
        cp = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3;
        cp = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        n = 4;
        cp = s[0] & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* A JSON string for s (null for NULL), invalid UTF-8 replaced; NULL on OOM. */
static json_t *jstr(const char *s)
{
    if (!s)
        return json_null();
    json_t *v = json_string(s);
    if (v)
        return v;
    size_t len = strlen(s);
    if (len > (SIZE_MAX - 1) / 3)
        return NULL;
    char *fixed = malloc(len * 3 + 1);
    if (!fixed)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    char *q = fixed;
    while (*p) {
        size_t n = utf8_seq(p);
        if (n) {
            memcpy(q, p, n);
            q += n;
            p += n;
        } else {
            memcpy(q, "\xEF\xBF\xBD", 3);
            q += 3;
            p++;
        }
    }
    *q = '\0';
    v = json_string(fixed);
    free(fixed);
    return v;
}

/*
 * json_object_set_new() and json_array_append_new() return -1 for a NULL
 * value and take ownership of a non-NULL one even on failure, so a failed
 * constructor can be passed straight in and the errors OR-ed together.
 */
static json_t *site_json(const struct ll_site *s, const struct ll_output_opts *o, bool msg)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    int err = 0;
    err |= json_object_set_new(j, "file", jstr(rel_path(s->file, o->base_dir)));
    err |= json_object_set_new(j, "line", json_integer(s->line));
    err |= json_object_set_new(j, "column", json_integer(s->col));
    if (msg)
        err |= json_object_set_new(j, "message", jstr(s->message));
    if (err) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static json_t *flow_json(const struct ll_flow *fl, const struct ll_output_opts *o)
{
    json_t *j = json_object();
    json_t *steps = json_array();
    int err = !j || !steps;
    for (size_t i = 0; !err && i < fl->nsteps; i++)
        err |= json_array_append_new(steps, site_json(&fl->steps[i], o, true));
    if (j) {
        err |= json_object_set_new(j, "thread", jstr(fl->thread));
        err |= json_object_set_new(j, "steps", steps);
    } else {
        json_decref(steps);
    }
    if (err) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static json_t *finding_json(const struct ll_finding *f, const struct ll_output_opts *o)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    int err = 0;
    err |= json_object_set_new(j, "rule", jstr(f->rule));
    err |= json_object_set_new(j, "severity", json_string(ll_severity_name(f->severity)));
    err |= json_object_set_new(j, "message", jstr(f->message));
    err |= json_object_set_new(j, "function", jstr(f->function));
    err |= json_object_set_new(j, "key", jstr(f->key));
    err |= json_object_set_new(j, "fingerprint", jstr(f->fingerprint));
    err |= json_object_set_new(j, "location", site_json(&f->primary, o, false));
    json_t *related = json_array();
    for (size_t i = 0; related && !err && i < f->nrelated; i++)
        err |= json_array_append_new(related, site_json(&f->related[i], o, true));
    err |= json_object_set_new(j, "related", related);
    json_t *flows = json_array();
    for (size_t i = 0; flows && !err && i < f->nflows; i++)
        err |= json_array_append_new(flows, flow_json(&f->flows[i], o));
    err |= json_object_set_new(j, "flows", flows);
    if (err) {
        json_decref(j);
        return NULL;
    }
    return j;
}

int ll_output_json(FILE *out, const struct ll_report *r, const struct ll_output_opts *o)
{
    int rc = -1;
    size_t nsev[3] = {0, 0, 0};
    json_t *root = NULL;
    json_t *findings = json_array();
    json_t *summary = json_object();
    int err = !findings || !summary;
    for (size_t i = 0; !err && i < r->count; i++) {
        const struct ll_finding *f = r->items[i];
        if ((unsigned)f->severity < 3)
            nsev[f->severity]++;
        err |= json_array_append_new(findings, finding_json(f, o));
    }
    if (err)
        goto out;
    err |= json_object_set_new(summary, "total", json_integer((json_int_t)r->count));
    err |= json_object_set_new(summary, "error", json_integer((json_int_t)nsev[LL_SEV_ERROR]));
    err |= json_object_set_new(summary, "warning", json_integer((json_int_t)nsev[LL_SEV_WARNING]));
    err |= json_object_set_new(summary, "note", json_integer((json_int_t)nsev[LL_SEV_NOTE]));
    root = json_object();
    if (err || !root)
        goto out;
    /* From here on root owns findings and summary, even on failure. */
    err |= json_object_set_new(root, "version", jstr(o->version));
    err |= json_object_set_new(root, "findings", findings);
    err |= json_object_set_new(root, "summary", summary);
    findings = summary = NULL;
    if (err)
        goto out;
    if (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
        goto out;
    if (fputc('\n', out) == EOF || fflush(out) != 0 || ferror(out))
        goto out;
    rc = 0;
out:
    json_decref(findings);
    json_decref(summary);
    json_decref(root);
    return rc;
}
