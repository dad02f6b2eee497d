/*
 * baseline: reads and writes the baseline file with jansson.  Entries are
 * kept sorted by fingerprint for binary search; the strings are copied into
 * the baseline's arena so the JSON tree can go at once.
 *
 * Reading is strict about the shape (a wrong file passed as a baseline
 * must not silently accept every finding) but tolerant of extra keys, so a
 * later version can add fields that older readers ignore.
 */
#include "baseline.h"

#include "file_access.h"
#include "safe_write.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ll_baseline_init(struct ll_baseline *b)
{
    ll_arena_init(&b->arena);
    b->items = NULL;
    b->count = 0;
}

void ll_baseline_release(struct ll_baseline *b)
{
    ll_arena_release(&b->arena);
    ll_baseline_init(b);
}

static int cmp_entry(const void *pa, const void *pb)
{
    const struct ll_baseline_entry *a = pa, *b = pb;
    return strcmp(a->fingerprint, b->fingerprint);
}

static bool is_fingerprint(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n == 16;
}

/* A copy of an optional string member: 0, or -1 (wrong type or OOM). */
static int opt_string(struct ll_baseline *b, json_t *obj, const char *key, const char **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return -1;
    *out = ll_arena_strdup(&b->arena, json_string_value(v));
    return *out ? 0 : -1;
}

static int from_json(struct ll_baseline *b, const char *path, json_t *root, char *errbuf,
                     size_t errlen)
{
    if (!json_is_object(root)) {
        snprintf(errbuf, errlen, "%s: not a locklint baseline (expected a JSON object)", path);
        return -1;
    }
    json_t *version = json_object_get(root, "version");
    if (!json_is_integer(version) || json_integer_value(version) != LL_BASELINE_VERSION) {
        snprintf(errbuf, errlen, "%s: not a locklint baseline of version %d ('version' is %s)",
                 path, LL_BASELINE_VERSION,
                 !version                   ? "missing"
                 : json_is_integer(version) ? "another number"
                                            : "not a number");
        return -1;
    }
    json_t *findings = json_object_get(root, "findings");
    if (!json_is_array(findings)) {
        snprintf(errbuf, errlen, "%s: 'findings' must be an array", path);
        return -1;
    }
    size_t n = json_array_size(findings);
    b->items = n ? ll_arena_alloc(&b->arena, n * sizeof(*b->items)) : NULL;
    if (n && !b->items) {
        snprintf(errbuf, errlen, "%s: out of memory", path);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(findings, i);
        json_t *fp = json_object_get(e, "fingerprint");
        struct ll_baseline_entry *it = &b->items[i];
        if (!json_is_object(e) || !json_is_string(fp) || !is_fingerprint(json_string_value(fp))) {
            snprintf(errbuf, errlen,
                     "%s: finding %zu has no 'fingerprint' of 16 lowercase hex digits", path,
                     i + 1);
            return -1;
        }
        it->fingerprint = ll_arena_strdup(&b->arena, json_string_value(fp));
        if (!it->fingerprint || opt_string(b, e, "rule", &it->rule) != 0 ||
            opt_string(b, e, "file", &it->file) != 0 ||
            opt_string(b, e, "message", &it->message) != 0) {
            snprintf(errbuf, errlen,
                     "%s: finding %zu: 'rule', 'file' and 'message' must be strings", path, i + 1);
            return -1;
        }
        it->seen = false;
    }
    b->count = n;
    if (n)
        qsort(b->items, n, sizeof(*b->items), cmp_entry);
    return 0;
}

int ll_baseline_parse(struct ll_baseline *b, const char *path, const char *text, size_t len,
                      char *errbuf, size_t errlen)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        snprintf(errbuf, errlen, "%s:%d:%d: not a locklint baseline: %s", path, je.line, je.column,
                 je.text);
        return -1;
    }
    int rc = from_json(b, path, root, errbuf, errlen);
    json_decref(root);
    return rc;
}

int ll_baseline_load(struct ll_baseline *b, const char *path, char *errbuf, size_t errlen)
{
    char why[256];
    FILE *f = ll_file_fopen_regular(path, why, sizeof(why));
    if (!f) {
        snprintf(errbuf, errlen, "cannot read baseline '%s': %s", path, why);
        return -1;
    }
    json_error_t je;
    json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
    fclose(f);
    if (!root) {
        snprintf(errbuf, errlen, "%s:%d:%d: not a locklint baseline: %s", path, je.line, je.column,
                 je.text);
        return -1;
    }
    int rc = from_json(b, path, root, errbuf, errlen);
    json_decref(root);
    return rc;
}

struct ll_baseline_entry *ll_baseline_find(const struct ll_baseline *b, const char *fingerprint)
{
    if (!b->count || !fingerprint)
        return NULL;
    struct ll_baseline_entry key = {.fingerprint = fingerprint};
    return bsearch(&key, b->items, b->count, sizeof(*b->items), cmp_entry);
}

void ll_baseline_mark_seen(struct ll_baseline *b, const struct ll_report *r)
{
    for (size_t i = 0; i < r->count; i++) {
        struct ll_baseline_entry *e = ll_baseline_find(b, r->items[i]->fingerprint);
        if (e)
            e->seen = true;
    }
}

size_t ll_baseline_filter(struct ll_baseline *b, struct ll_report *r)
{
    size_t kept = 0;
    for (size_t i = 0; i < r->count; i++) {
        struct ll_baseline_entry *e = ll_baseline_find(b, r->items[i]->fingerprint);
        if (e)
            e->seen = true;
        else
            r->items[kept++] = r->items[i];
    }
    size_t removed = r->count - kept;
    r->count = kept;
    return removed;
}

static int cmp_str(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int cmp_for_file(const void *pa, const void *pb)
{
    const struct ll_finding *a = *(const struct ll_finding *const *)pa;
    const struct ll_finding *b = *(const struct ll_finding *const *)pb;
    int c = cmp_str(a->primary.file, b->primary.file);
    if (!c)
        c = cmp_str(a->rule, b->rule);
    if (!c)
        c = strcmp(a->fingerprint, b->fingerprint);
    return c;
}

/* A JSON string, or null for NULL or invalid UTF-8 (the fingerprint is
 * what matters; the rest is for reading). */
static json_t *str_or_null(const char *s)
{
    json_t *v = s ? json_string(s) : NULL;
    return v ? v : json_null();
}

int ll_baseline_write(const struct ll_report *r, const char *path, char *errbuf, size_t errlen)
{
    int rc = -1;
    struct ll_safe_write w;
    const struct ll_finding **sorted = NULL;
    json_t *root = json_object(), *arr = json_array();
    int err = !root || !arr;
    if (!err && r->count) {
        sorted = malloc(r->count * sizeof(*sorted));
        err = !sorted;
    }
    if (err)
        goto oom;
    if (r->count) {
        memcpy(sorted, r->items, r->count * sizeof(*sorted));
        qsort(sorted, r->count, sizeof(*sorted), cmp_for_file);
    }
    for (size_t i = 0; !err && i < r->count; i++) {
        const struct ll_finding *fd = sorted[i];
        json_t *e = json_object();
        if (!e) {
            err = 1;
            break;
        }
        err |= json_object_set_new(e, "fingerprint", json_string(fd->fingerprint));
        err |= json_object_set_new(e, "rule", str_or_null(fd->rule));
        err |= json_object_set_new(e, "file", str_or_null(fd->primary.file));
        err |= json_object_set_new(e, "message", str_or_null(fd->message));
        err |= json_array_append_new(arr, e);
    }
    err |= json_object_set_new(root, "version", json_integer(LL_BASELINE_VERSION));
    err |= json_object_set_new(root, "tool", json_string("locklint"));
    err |= json_object_set_new(root, "findings", arr);
    arr = NULL; /* root owns it now, even on failure */
    if (err)
        goto oom;
    if (ll_safe_write_open(&w, path, errbuf, errlen) != 0)
        goto out;
    errno = 0;
    if (json_dumpf(root, w.f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
        fputc('\n', w.f) == EOF) {
        snprintf(errbuf, errlen, "cannot write '%s': %s", path,
                 errno ? strerror(errno) : "out of memory");
        ll_safe_write_abort(&w);
        goto out;
    }
    if (ll_safe_write_commit(&w, path, errbuf, errlen) != 0)
        goto out;
    rc = 0;
    goto out;
oom:
    snprintf(errbuf, errlen, "out of memory writing baseline '%s'", path);
out:
    free(sorted);
    json_decref(arr);
    json_decref(root);
    return rc;
}
