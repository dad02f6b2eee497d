/*
 * report: collects findings, then sorts them, drops duplicates and gives
 * each a fingerprint that survives edits which only move lines.
 *
 * Every string of a finding lives in the report's arena; only the array of
 * finding pointers is malloc'd, because it grows by doubling and an arena
 * cannot give memory back.  Out of memory never loses the report silently:
 * r->oom is set and the caller decides what an incomplete report means.
 *
 * This module does not print, filter (suppressions, baselines) or know
 * anything about rules beyond their ids.
 */
#include "report.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ll_report_init(struct ll_report *r)
{
    ll_arena_init(&r->arena);
    r->items = NULL;
    r->count = 0;
    r->cap = 0;
    r->oom = false;
}

void ll_report_release(struct ll_report *r)
{
    free(r->items);
    ll_arena_release(&r->arena);
    ll_report_init(r);
}

static char *vformat(struct ll_arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *p = ll_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

/* Copies a site's strings; a NULL string stays NULL.  Returns 0 or -1. */
static int copy_site(struct ll_arena *a, struct ll_site *dst, const struct ll_site *src)
{
    dst->line = src->line;
    dst->col = src->col;
    dst->file = ll_arena_strdup(a, src->file);
    dst->message = ll_arena_strdup(a, src->message);
    if ((src->file && !dst->file) || (src->message && !dst->message))
        return -1;
    return 0;
}

/*
 * Arrays inside a finding (related sites, flows) live in the arena and carry
 * no capacity field, so their capacity is implied by their length: the
 * smallest power of two >= n, at least 4.  A new array is needed exactly
 * when n is 0 or a power of two >= 4.  The old array is abandoned to the
 * arena; findings have few notes, so the waste is small.
 */
static void *grow(struct ll_arena *a, void *old, size_t n, size_t elem)
{
    if (n != 0 && (n < 4 || (n & (n - 1)) != 0))
        return old;
    size_t cap = n ? n * 2 : 4;
    if (cap > SIZE_MAX / elem)
        return NULL;
    void *p = ll_arena_alloc(a, cap * elem);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, old, n * elem);
    return p;
}

struct ll_finding *ll_report_add(struct ll_report *r, const char *rule, enum ll_severity sev,
                                 const struct ll_site *primary, const char *function,
                                 const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct ll_finding *f = ll_report_vadd(r, rule, sev, primary, function, key, fmt, ap);
    va_end(ap);
    return f;
}

struct ll_finding *ll_report_vadd(struct ll_report *r, const char *rule, enum ll_severity sev,
                                  const struct ll_site *primary, const char *function,
                                  const char *key, const char *fmt, va_list ap)
{
    struct ll_finding *f = NULL;
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        struct ll_finding **items =
            cap <= SIZE_MAX / sizeof(*items) ? realloc(r->items, cap * sizeof(*items)) : NULL;
        if (!items)
            goto fail;
        r->items = items;
        r->cap = cap;
    }
    f = ll_arena_alloc(&r->arena, sizeof(*f));
    if (!f)
        goto fail;
    f->rule = ll_arena_strdup(&r->arena, rule);
    f->severity = sev;
    f->function = ll_arena_strdup(&r->arena, function);
    f->key = ll_arena_strdup(&r->arena, key);
    f->message = vformat(&r->arena, fmt, ap);
    if (!f->rule || !f->message || (function && !f->function) || (key && !f->key))
        goto fail;
    if (copy_site(&r->arena, &f->primary, primary) < 0)
        goto fail;
    r->items[r->count++] = f;
    return f;
fail:
    r->oom = true;
    return NULL;
}

int ll_finding_note(struct ll_report *r, struct ll_finding *f, const struct ll_site *site,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = ll_finding_vnote(r, f, site, fmt, ap);
    va_end(ap);
    return rc;
}

int ll_finding_vnote(struct ll_report *r, struct ll_finding *f, const struct ll_site *site,
                     const char *fmt, va_list ap)
{
    struct ll_site *related = grow(&r->arena, f->related, f->nrelated, sizeof(*related));
    if (!related)
        goto fail;
    f->related = related;
    struct ll_site *s = &related[f->nrelated];
    struct ll_site tmp = *site;
    tmp.message = NULL;
    if (copy_site(&r->arena, s, &tmp) < 0)
        goto fail;
    s->message = vformat(&r->arena, fmt, ap);
    if (!s->message)
        goto fail;
    f->nrelated++;
    return 0;
fail:
    r->oom = true;
    return -1;
}

int ll_finding_flow(struct ll_report *r, struct ll_finding *f, const char *thread,
                    const struct ll_site *steps, size_t nsteps)
{
    struct ll_flow *flows = grow(&r->arena, f->flows, f->nflows, sizeof(*flows));
    if (!flows)
        goto fail;
    f->flows = flows;
    struct ll_flow *fl = &flows[f->nflows];
    fl->thread = ll_arena_strdup(&r->arena, thread);
    fl->nsteps = 0;
    fl->steps = NULL;
    if (thread && !fl->thread)
        goto fail;
    if (nsteps) {
        if (nsteps > SIZE_MAX / sizeof(*fl->steps))
            goto fail;
        fl->steps = ll_arena_alloc(&r->arena, nsteps * sizeof(*fl->steps));
        if (!fl->steps)
            goto fail;
        for (size_t i = 0; i < nsteps; i++)
            if (copy_site(&r->arena, &fl->steps[i], &steps[i]) < 0)
                goto fail;
    }
    fl->nsteps = nsteps;
    f->nflows++;
    return 0;
fail:
    r->oom = true;
    return -1;
}

/* NULL sorts before every string, including "". */
static int cmp_str(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int cmp_u32(uint32_t a, uint32_t b)
{
    return (a > b) - (a < b);
}

static int cmp_site(const struct ll_site *a, const struct ll_site *b)
{
    int c = cmp_str(a->file, b->file);
    if (!c)
        c = cmp_u32(a->line, b->line);
    if (!c)
        c = cmp_u32(a->col, b->col);
    if (!c)
        c = cmp_str(a->message, b->message);
    return c;
}

/* The order findings are reported in, and what makes two of them duplicates. */
static int cmp_identity(const struct ll_finding *a, const struct ll_finding *b)
{
    int c = cmp_str(a->primary.file, b->primary.file);
    if (!c)
        c = cmp_u32(a->primary.line, b->primary.line);
    if (!c)
        c = cmp_u32(a->primary.col, b->primary.col);
    if (!c)
        c = cmp_str(a->rule, b->rule);
    if (!c)
        c = cmp_str(a->message, b->message);
    return c;
}

/*
 * qsort is not stable and rules may add findings in any order, so ties in
 * the identity are broken on everything else a finding holds: which of
 * two duplicates survives, and the ordinals in the fingerprints, must not
 * depend on the order findings were added.  The higher severity sorts
 * first, so it is the one kept.
 */
static int cmp_findings(const void *pa, const void *pb)
{
    const struct ll_finding *a = *(const struct ll_finding *const *)pa;
    const struct ll_finding *b = *(const struct ll_finding *const *)pb;
    int c = cmp_identity(a, b);
    if (!c)
        c = (a->severity < b->severity) - (a->severity > b->severity);
    if (!c)
        c = cmp_str(a->function, b->function);
    if (!c)
        c = cmp_str(a->key, b->key);
    if (!c)
        c = cmp_str(a->primary.message, b->primary.message);
    if (!c)
        c = (a->nrelated > b->nrelated) - (a->nrelated < b->nrelated);
    for (size_t i = 0; !c && i < a->nrelated; i++)
        c = cmp_site(&a->related[i], &b->related[i]);
    if (!c)
        c = (a->nflows > b->nflows) - (a->nflows < b->nflows);
    for (size_t i = 0; !c && i < a->nflows; i++) {
        const struct ll_flow *fa = &a->flows[i], *fb = &b->flows[i];
        c = cmp_str(fa->thread, fb->thread);
        if (!c)
            c = (fa->nsteps > fb->nsteps) - (fa->nsteps < fb->nsteps);
        for (size_t j = 0; !c && j < fa->nsteps; j++)
            c = cmp_site(&fa->steps[j], &fb->steps[j]);
    }
    return c;
}

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME UINT64_C(0x100000001b3)

static uint64_t fnv_byte(uint64_t h, unsigned char c)
{
    return (h ^ c) * FNV_PRIME;
}

/*
 * Hashes one field followed by a terminator, so that ("ab","c") and
 * ("a","bc") differ; NULL hashes differently from "".  With `mask`, every
 * run of digits counts as one '#': counts and line numbers that rules put
 * into messages must not move the fingerprint.
 */
static uint64_t fnv_field(uint64_t h, const char *s, bool mask)
{
    if (!s)
        return fnv_byte(fnv_byte(h, 1), 0);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (mask && *p >= '0' && *p <= '9') {
            while (p[1] >= '0' && p[1] <= '9')
                p++;
            h = fnv_byte(h, '#');
        } else {
            h = fnv_byte(h, *p);
        }
    }
    return fnv_byte(h, 0);
}

/* The fingerprint's fields except the ordinal. */
static uint64_t base_hash(const struct ll_finding *f)
{
    uint64_t h = FNV_OFFSET;
    h = fnv_field(h, f->rule, false);
    h = fnv_field(h, f->primary.file, false);
    h = fnv_field(h, f->function, false);
    h = fnv_field(h, f->key, false);
    h = fnv_field(h, f->message, true);
    return h;
}

/* Compares messages as base_hash() sees them: digit runs masked. */
static int cmp_masked(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    for (;;) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= '0' && ca <= '9') {
            while (a[1] >= '0' && a[1] <= '9')
                a++;
            ca = '#';
        }
        if (cb >= '0' && cb <= '9') {
            while (b[1] >= '0' && b[1] <= '9')
                b++;
            cb = '#';
        }
        if (ca != cb || !ca)
            return (ca > cb) - (ca < cb);
        a++;
        b++;
    }
}

struct fp_entry {
    uint64_t hash;
    size_t pos; /* index in the sorted report */
    const struct ll_finding *f;
};

/* Groups findings with equal fingerprint fields, in report order. */
static int cmp_fp_entry(const void *pa, const void *pb)
{
    const struct fp_entry *a = pa, *b = pb;
    if (a->hash != b->hash)
        return (a->hash > b->hash) - (a->hash < b->hash);
    int c = cmp_str(a->f->rule, b->f->rule);
    if (!c)
        c = cmp_str(a->f->primary.file, b->f->primary.file);
    if (!c)
        c = cmp_str(a->f->function, b->f->function);
    if (!c)
        c = cmp_str(a->f->key, b->f->key);
    if (!c)
        c = cmp_masked(a->f->message, b->f->message);
    if (!c)
        c = (a->pos > b->pos) - (a->pos < b->pos);
    return c;
}

static void set_fingerprint(struct ll_finding *f, uint64_t base, size_t ordinal)
{
    char num[24];
    snprintf(num, sizeof(num), "%zu", ordinal);
    uint64_t h = fnv_field(base, num, false);
    snprintf(f->fingerprint, sizeof(f->fingerprint), "%016" PRIx64, h);
}

void ll_report_finish(struct ll_report *r)
{
    if (r->count == 0)
        return;
    qsort(r->items, r->count, sizeof(*r->items), cmp_findings);

    size_t n = 1;
    for (size_t i = 1; i < r->count; i++)
        if (cmp_identity(r->items[n - 1], r->items[i]) != 0)
            r->items[n++] = r->items[i];
    r->count = n;

    struct fp_entry *e = malloc(n * sizeof(*e));
    if (!e) {
        /* The report is incomplete anyway; fingerprints without ordinals
         * are still stable, only no longer unique. */
        r->oom = true;
        for (size_t i = 0; i < n; i++)
            set_fingerprint(r->items[i], base_hash(r->items[i]), 0);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        e[i].hash = base_hash(r->items[i]);
        e[i].pos = i;
        e[i].f = r->items[i];
    }
    qsort(e, n, sizeof(*e), cmp_fp_entry);
    size_t ordinal = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            struct fp_entry prev = e[i - 1];
            prev.pos = e[i].pos; /* compare the fields only */
            ordinal = cmp_fp_entry(&prev, &e[i]) == 0 ? ordinal + 1 : 0;
        }
        set_fingerprint(r->items[e[i].pos], e[i].hash, ordinal);
    }
    free(e);
}

size_t ll_report_count_at_least(const struct ll_report *r, enum ll_severity min)
{
    size_t n = 0;
    for (size_t i = 0; i < r->count; i++)
        if (r->items[i]->severity >= min)
            n++;
    return n;
}

const char *ll_severity_name(enum ll_severity s)
{
    switch (s) {
    case LL_SEV_NOTE:
        return "note";
    case LL_SEV_WARNING:
        return "warning";
    case LL_SEV_ERROR:
        return "error";
    }
    return "unknown";
}
