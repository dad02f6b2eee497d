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
#include "output_util.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

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
    err |= json_object_set_new(j, "file", ll_out_jstr(ll_out_rel_path(s->file, o->base_dir)));
    err |= json_object_set_new(j, "line", json_integer(s->line));
    err |= json_object_set_new(j, "column", json_integer(s->col));
    if (msg)
        err |= json_object_set_new(j, "message", ll_out_jstr(s->message));
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
        err |= json_object_set_new(j, "thread", ll_out_jstr(fl->thread));
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
    err |= json_object_set_new(j, "rule", ll_out_jstr(f->rule));
    err |= json_object_set_new(j, "severity", json_string(ll_severity_name(f->severity)));
    err |= json_object_set_new(j, "message", ll_out_jstr(f->message));
    err |= json_object_set_new(j, "function", ll_out_jstr(f->function));
    err |= json_object_set_new(j, "key", ll_out_jstr(f->key));
    err |= json_object_set_new(j, "fingerprint", ll_out_jstr(f->fingerprint));
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
    err |= json_object_set_new(root, "version", ll_out_jstr(o->version));
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
