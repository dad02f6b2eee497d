/*
 * output_codeclimate: the report as a GitLab Code Quality report, the JSON
 * array of Code Climate issues that a merge request widget shows
 * (`artifacts: reports: codequality`).  Per finding: description (the
 * message with the rule id, as in text output), check_name (the rule id),
 * fingerprint (the report's, unique per finding), severity (note: minor,
 * warning: major, error: critical), location.path (relative to
 * o->base_dir, which GitLab needs to link the file) and location.lines.begin.
 * The Code Climate fields GitLab ignores but the spec wants (type,
 * categories, engine_name) are written too.
 *
 * Related sites and thread flows have no place in the format and are left
 * out; the text, JSON and SARIF outputs carry them.  Bytes of a path or
 * message that are not valid UTF-8 are written as U+FFFD.
 */
#include "output.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

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

/* A JSON string for s ("" for NULL), invalid UTF-8 replaced; NULL on OOM. */
static json_t *jstr(const char *s)
{
    if (!s)
        s = "";
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

static const char *severity(enum ll_severity s)
{
    switch (s) {
    case LL_SEV_NOTE:
        return "minor";
    case LL_SEV_WARNING:
        return "major";
    case LL_SEV_ERROR:
        return "critical";
    }
    return "info";
}

/* json_object_set_new() takes a NULL value as an error, so failed
 * constructors can be passed straight in and the errors OR-ed. */
static json_t *issue(const struct ll_finding *f, const struct ll_output_opts *o)
{
    json_t *j = json_object(), *loc = json_object(), *lines = json_object(), *cats = json_array();
    int err = !j || !loc || !lines || !cats;
    if (err) {
        json_decref(j);
        json_decref(loc);
        json_decref(lines);
        json_decref(cats);
        return NULL;
    }
    size_t n = strlen(f->message) + strlen(f->rule) + 4;
    char *desc = malloc(n);
    if (desc)
        snprintf(desc, n, "%s [%s]", f->message, f->rule);
    err |= json_object_set_new(j, "type", json_string("issue"));
    err |= json_object_set_new(j, "check_name", jstr(f->rule));
    err |= json_object_set_new(j, "description", desc ? jstr(desc) : NULL);
    err |= json_array_append_new(cats, json_string("Bug Risk"));
    err |= json_object_set_new(j, "categories", cats);
    err |= json_object_set_new(j, "fingerprint", jstr(f->fingerprint));
    err |= json_object_set_new(j, "severity", json_string(severity(f->severity)));
    err |= json_object_set_new(j, "engine_name", json_string("locklint"));
    err |= json_object_set_new(lines, "begin", json_integer(f->primary.line ? f->primary.line : 1));
    err |= json_object_set_new(loc, "path", jstr(rel_path(f->primary.file, o->base_dir)));
    err |= json_object_set_new(loc, "lines", lines);
    err |= json_object_set_new(j, "location", loc);
    free(desc);
    if (err) {
        json_decref(j);
        return NULL;
    }
    return j;
}

int ll_output_codeclimate(FILE *out, const struct ll_report *r, const struct ll_output_opts *o)
{
    int rc = -1;
    json_t *root = json_array();
    int err = !root;
    for (size_t i = 0; !err && i < r->count; i++)
        err |= json_array_append_new(root, issue(r->items[i], o));
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
