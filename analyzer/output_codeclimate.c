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
#include "output_util.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

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
    err |= json_object_set_new(j, "check_name", ll_out_jstr(f->rule));
    err |= json_object_set_new(j, "description", desc ? ll_out_jstr(desc) : NULL);
    err |= json_array_append_new(cats, json_string("Bug Risk"));
    err |= json_object_set_new(j, "categories", cats);
    err |= json_object_set_new(j, "fingerprint", ll_out_jstr(f->fingerprint));
    err |= json_object_set_new(j, "severity", json_string(severity(f->severity)));
    err |= json_object_set_new(j, "engine_name", json_string("locklint"));
    err |= json_object_set_new(lines, "begin", json_integer(f->primary.line ? f->primary.line : 1));
    err |= json_object_set_new(loc, "path",
                               ll_out_jstr(ll_out_rel_path(f->primary.file, o->base_dir)));
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
