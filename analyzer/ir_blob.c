/*
 * ir_blob: serialises one TU's facts to bytes and back.
 *
 * Layout (version LL_FACTS_VERSION):
 *
 *   "LLFACTS\0"  u32 version, little endian
 *   string table: count, then per string its length and bytes (no NUL)
 *   body: main_file, files, file_system, functions, globals, fnrefs, ptrflows,
 *         nerrors, first_error, deps
 *
 * Every integer after the header is an unsigned LEB128 varint (int16
 * parameter indices zigzag-encoded first).  A string is a reference into
 * the table: 0 is NULL, i + 1 is entry i, so NULL and "" stay distinct.
 * Identical strings are stored once.  Within a function the events come
 * before the blocks so that block ranges can be checked as they are read.
 *
 * The reader trusts nothing: every read is bounds-checked, every count is
 * checked against the bytes left before anything is allocated for it (each
 * element takes at least one byte), every index (file, block, event,
 * string) and enumeration value is range-checked, and the blob must end
 * exactly where the body does.  A blob that fails any check is refused as a
 * whole.  There is no checksum: the cache's storage is trusted not to flip
 * bits, and a blob that passes these checks is a well-formed structure.
 *
 * Sharing (ll_facts_share_begin()): the TUs of one program hold many
 * copies of the same functions -- every `static inline` function of a
 * header, once per TU that includes it (on git, 70% of the events read).
 * While sharing is on, every string read is interned run-wide, and a
 * function equal, field by field, to one an earlier blob gave (same USR,
 * same string pointers, same file indices) is not kept a second time: the
 * TU's ll_function then points at the first copy's events and blocks.
 * The data is the same either way: a TU reads its file indices against
 * its own files, and the first copy's are the same numbers.  What differs
 * is that a rewrite after parsing (getters.h, thread_wrappers.h) of one
 * copy is a rewrite of all of them; those rewrites depend on the event and
 * the whole program, not on the TU, and do nothing to an event they have
 * already rewritten.
 */
#include "ir_blob.h"

#include "strmap.h"

#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char blob_magic[8] = {'L', 'L', 'F', 'A', 'C', 'T', 'S', '\0'};

#define HEADER_SIZE (sizeof(blob_magic) + 4)

/* ---- writing ---------------------------------------------------------- */

/* A growable byte buffer whose first allocation failure sticks. */
struct buf {
    unsigned char *data;
    size_t len, cap;
    bool failed;
};

struct strtab_entry {
    const char *s;
    size_t len;
    uint64_t hash;
};

/* Interned strings in first-use order, found through an open-addressing
 * hash of entry indices (slot value 0 = empty, else index + 1). */
struct strtab {
    struct strtab_entry *entries;
    uint32_t n, cap;
    uint32_t *slots;
    size_t nslots;
};

struct writer {
    struct buf body;
    struct strtab st;
};

static bool buf_reserve(struct buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->cap - b->len >= extra)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < extra) {
        if (cap > SIZE_MAX / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    unsigned char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

static void buf_put(struct buf *b, const void *p, size_t n)
{
    if (n == 0 || !buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void buf_varint(struct buf *b, uint64_t v)
{
    unsigned char tmp[10];
    size_t n = 0;
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        tmp[n++] = c | (v ? 0x80 : 0);
    } while (v);
    buf_put(b, tmp, n);
}

static uint64_t str_hash(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211u;
    }
    return h;
}

static int strtab_rehash(struct strtab *st, size_t nslots)
{
    uint32_t *slots = calloc(nslots, sizeof(*slots));
    if (!slots)
        return -1;
    for (uint32_t i = 0; i < st->n; i++) {
        size_t j = st->entries[i].hash & (nslots - 1);
        while (slots[j])
            j = (j + 1) & (nslots - 1);
        slots[j] = i + 1;
    }
    free(st->slots);
    st->slots = slots;
    st->nslots = nslots;
    return 0;
}

/* Index of `s` in the table, adding it when new; -1 when out of memory. */
static int64_t strtab_intern(struct strtab *st, const char *s)
{
    if ((size_t)st->n + 1 > st->nslots / 2) {
        if (st->n == UINT32_MAX - 1 || strtab_rehash(st, st->nslots ? st->nslots * 2 : 64) < 0)
            return -1;
    }
    size_t len = strlen(s);
    uint64_t h = str_hash(s, len);
    size_t j = h & (st->nslots - 1);
    while (st->slots[j]) {
        const struct strtab_entry *e = &st->entries[st->slots[j] - 1];
        if (e->hash == h && e->len == len && memcmp(e->s, s, len) == 0)
            return st->slots[j] - 1;
        j = (j + 1) & (st->nslots - 1);
    }
    if (st->n == st->cap) {
        uint32_t cap = st->cap ? st->cap * 2 : 64;
        struct strtab_entry *e = realloc(st->entries, (size_t)cap * sizeof(*e));
        if (!e)
            return -1;
        st->entries = e;
        st->cap = cap;
    }
    st->entries[st->n] = (struct strtab_entry){s, len, h};
    st->slots[j] = st->n + 1;
    return st->n++;
}

static void put_u(struct writer *w, uint64_t v)
{
    buf_varint(&w->body, v);
}

static void put_i16(struct writer *w, int16_t v)
{
    /* zigzag: 0, -1, 1, -2, ... become 0, 1, 2, 3, ... */
    uint32_t z = v >= 0 ? (uint32_t)v * 2u : (uint32_t)(-(int32_t)v) * 2u - 1u;
    put_u(w, z);
}

static void put_i64(struct writer *w, int64_t v)
{
    uint64_t u = (uint64_t)v;
    put_u(w, (u << 1) ^ (v < 0 ? UINT64_MAX : 0)); /* zigzag */
}

static void put_str(struct writer *w, const char *s)
{
    if (!s) {
        put_u(w, 0);
        return;
    }
    int64_t i = strtab_intern(&w->st, s);
    if (i < 0) {
        w->body.failed = true;
        return;
    }
    put_u(w, (uint64_t)i + 1);
}

static void put_loc(struct writer *w, const struct ll_loc *l)
{
    put_u(w, l->file);
    put_u(w, l->line);
    put_u(w, l->col);
}

static void put_path(struct writer *w, const struct ll_path *p)
{
    put_u(w, p->root);
    put_u(w, p->flags);
    put_i16(w, p->param);
    put_str(w, p->text);
    put_str(w, p->key);
    put_str(w, p->cls);
    put_str(w, p->emb);
    put_str(w, p->root_usr);
    put_str(w, p->site);
}

static void put_event(struct writer *w, const struct ll_event *e)
{
    put_u(w, e->kind);
    put_u(w, e->mode);
    put_u(w, e->lock_kind);
    put_u(w, e->flags);
    put_u(w, e->loop_depth);
    put_u(w, e->out_args);
    put_loc(w, &e->loc);
    put_path(w, &e->obj);
    put_path(w, &e->aux);
    put_str(w, e->api);
    put_str(w, e->callee);
    put_str(w, e->result_var);
    put_u(w, e->nargs);
    for (uint32_t i = 0; i < e->nargs; i++)
        put_path(w, &e->args[i]);
}

static void put_block(struct writer *w, const struct ll_block *b)
{
    put_u(w, b->first_event);
    put_u(w, b->nevents);
    put_u(w, b->nsucc);
    for (uint32_t i = 0; i < b->nsucc; i++)
        put_u(w, b->succ[i]);
    put_u(w, b->loop_depth);
    put_u(w, b->flags);
    const struct ll_cond *c = &b->cond;
    put_u(w, c->kind);
    put_u(w, c->true_when_zero);
    put_u(w, c->cmp);
    put_i64(w, c->cmp_k);
    put_u(w, c->event);
    put_str(w, c->var);
    put_str(w, c->text);
    put_u(w, c->nvars);
    for (uint32_t i = 0; i < c->nvars; i++)
        put_str(w, c->vars[i]);
    put_str(w, c->tested);
}

static void put_function(struct writer *w, const struct ll_function *fn)
{
    put_str(w, fn->usr);
    put_str(w, fn->name);
    put_loc(w, &fn->loc);
    put_loc(w, &fn->end);
    put_u(w, fn->flags);
    put_u(w, fn->nparams);
    for (uint32_t i = 0; i < fn->nparams; i++)
        put_str(w, fn->params[i]);
    put_u(w, fn->nevents);
    for (uint32_t i = 0; i < fn->nevents; i++)
        put_event(w, &fn->events[i]);
    put_u(w, fn->nblocks);
    put_u(w, fn->exit);
    for (uint32_t i = 0; i < fn->nblocks; i++)
        put_block(w, &fn->blocks[i]);
}

static void put_tu(struct writer *w, const struct ll_tu_facts *f)
{
    put_str(w, f->main_file);
    put_u(w, f->nfiles);
    for (uint32_t i = 0; i < f->nfiles; i++)
        put_str(w, f->files[i]);
    for (uint32_t i = 0; i < f->nfiles; i++)
        put_u(w, f->file_system ? f->file_system[i] : 0);
    put_u(w, f->nfunctions);
    for (uint32_t i = 0; i < f->nfunctions; i++)
        put_function(w, &f->functions[i]);
    put_u(w, f->nglobals);
    for (uint32_t i = 0; i < f->nglobals; i++) {
        const struct ll_global *g = &f->globals[i];
        put_str(w, g->usr);
        put_str(w, g->name);
        put_str(w, g->type);
        put_str(w, g->recursive_fields);
        put_loc(w, &g->loc);
        put_u(w, g->flags);
    }
    put_u(w, f->nfnrefs);
    for (uint32_t i = 0; i < f->nfnrefs; i++) {
        const struct ll_fnref *r = &f->fnrefs[i];
        put_str(w, r->usr);
        put_str(w, r->context);
        put_loc(w, &r->loc);
    }
    put_u(w, f->nptrflows);
    for (uint32_t i = 0; i < f->nptrflows; i++) {
        const struct ll_fnref *r = &f->ptrflows[i];
        put_str(w, r->usr);
        put_str(w, r->context);
        put_loc(w, &r->loc);
    }
    put_u(w, f->nerrors);
    put_str(w, f->first_error);
    put_u(w, f->ndeps);
    for (uint32_t i = 0; i < f->ndeps; i++)
        put_str(w, f->deps[i]);
}

int ll_facts_to_blob(const struct ll_tu_facts *f, unsigned char **out, size_t *out_len)
{
    struct writer w = {0};
    struct buf res = {0};
    int rc = -1;

    put_tu(&w, f);
    if (w.body.failed)
        goto done;

    unsigned char ver[4] = {LL_FACTS_VERSION & 0xff, (LL_FACTS_VERSION >> 8) & 0xff,
                            (LL_FACTS_VERSION >> 16) & 0xff, (LL_FACTS_VERSION >> 24) & 0xff};
    buf_put(&res, blob_magic, sizeof(blob_magic));
    buf_put(&res, ver, sizeof(ver));
    buf_varint(&res, w.st.n);
    for (uint32_t i = 0; i < w.st.n; i++) {
        buf_varint(&res, w.st.entries[i].len);
        buf_put(&res, w.st.entries[i].s, w.st.entries[i].len);
    }
    buf_put(&res, w.body.data, w.body.len);
    if (res.failed)
        goto done;

    *out = res.data;
    *out_len = res.len;
    res.data = NULL;
    rc = 0;
done:
    free(res.data);
    free(w.body.data);
    free(w.st.entries);
    free(w.st.slots);
    return rc;
}

/* ---- reading ---------------------------------------------------------- */

struct reader {
    const unsigned char *p;
    size_t pos, len;
    struct ll_arena *arena;
    bool shared;       /* strings interned run-wide, functions shared (see the top) */
    bool *offer;       /* shared: per function, read from this blob (not shared) */
    const char **strs; /* the string table, malloc'd; entries in the arena */
    uint32_t nstrs;
    uint32_t nfiles; /* for checking locations */
};

/* Canonical unsigned LEB128: at most 64 bits, no redundant zero bytes. */
static int rd_varint(struct reader *r, uint64_t *out)
{
    if (r->pos < r->len && r->p[r->pos] < 0x80) { /* most are one byte */
        *out = r->p[r->pos++];
        return 0;
    }
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        if (r->pos >= r->len)
            return -1;
        unsigned char c = r->p[r->pos++];
        if (shift == 63 && c > 1)
            return -1;
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            if (c == 0 && shift > 0)
                return -1;
            break;
        }
    }
    *out = v;
    return 0;
}

static int rd_uint(struct reader *r, uint64_t max, uint64_t *out)
{
    if (rd_varint(r, out) < 0 || *out > max)
        return -1;
    return 0;
}

static int rd_u32(struct reader *r, uint32_t *out)
{
    uint64_t v;
    if (rd_uint(r, UINT32_MAX, &v) < 0)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int rd_u16(struct reader *r, uint16_t *out)
{
    uint64_t v;
    if (rd_uint(r, UINT16_MAX, &v) < 0)
        return -1;
    *out = (uint16_t)v;
    return 0;
}

/* A byte-sized field whose value must not exceed `max`. */
static int rd_u8(struct reader *r, uint8_t max, uint8_t *out)
{
    uint64_t v;
    if (rd_uint(r, max, &v) < 0)
        return -1;
    *out = (uint8_t)v;
    return 0;
}

static int rd_i16(struct reader *r, int16_t *out)
{
    uint64_t z;
    if (rd_uint(r, UINT16_MAX, &z) < 0)
        return -1;
    *out = (z & 1) ? (int16_t)(-(int32_t)((z + 1) / 2)) : (int16_t)(z / 2);
    return 0;
}

static int rd_i64(struct reader *r, int64_t *out)
{
    uint64_t z;
    if (rd_uint(r, UINT64_MAX, &z) < 0)
        return -1;
    *out = (int64_t)((z >> 1) ^ (0 - (z & 1)));
    return 0;
}

/* An element count: every element takes at least one byte, so a count
 * larger than what is left is damage, and allocations stay proportional to
 * the blob's size. */
static int rd_count(struct reader *r, uint32_t *out)
{
    if (rd_u32(r, out) < 0 || *out > r->len - r->pos)
        return -1;
    return 0;
}

/* Zeroed arena array of n elements; NULL (and success) when n is 0. */
static int rd_array(struct reader *r, uint32_t n, size_t size, void **out)
{
    *out = NULL;
    if (n == 0)
        return 0;
    if (n > SIZE_MAX / size)
        return -1;
    *out = ll_arena_alloc(r->arena, (size_t)n * size);
    return *out ? 0 : -1;
}

static int rd_str(struct reader *r, const char **out)
{
    uint64_t ref;
    if (rd_uint(r, r->nstrs, &ref) < 0)
        return -1;
    *out = ref ? r->strs[ref - 1] : NULL;
    return 0;
}

/* A string the facts always have (the frontend never leaves it NULL, and
 * the phases after it rely on that). */
static int rd_str_nn(struct reader *r, const char **out)
{
    return rd_str(r, out) < 0 || !*out ? -1 : 0;
}

/* Entries of string arrays are never NULL. */
static int rd_str_array(struct reader *r, uint32_t *n, const char ***out)
{
    void *a;
    if (rd_count(r, n) < 0 || rd_array(r, *n, sizeof(**out), &a) < 0)
        return -1;
    *out = a;
    for (uint32_t i = 0; i < *n; i++)
        if (rd_str_nn(r, &(*out)[i]) < 0)
            return -1;
    return 0;
}

/* A location must name a known file; the all-zero location is accepted as
 * "unknown" even in a TU without files. */
static int rd_loc(struct reader *r, struct ll_loc *l)
{
    if (rd_u32(r, &l->file) < 0 || rd_u32(r, &l->line) < 0 || rd_u32(r, &l->col) < 0)
        return -1;
    if (l->file >= r->nfiles && (l->file || l->line || l->col))
        return -1;
    return 0;
}

static int rd_path(struct reader *r, struct ll_path *p)
{
    if (rd_u8(r, LL_ROOT_UNKNOWN, &p->root) < 0 || rd_u8(r, UINT8_MAX, &p->flags) < 0 ||
        rd_i16(r, &p->param) < 0 || rd_str(r, &p->text) < 0 || rd_str(r, &p->key) < 0 ||
        rd_str(r, &p->cls) < 0 || rd_str(r, &p->emb) < 0 || rd_str(r, &p->root_usr) < 0 ||
        rd_str(r, &p->site) < 0)
        return -1;
    /* a path with a root always has its spelling, identity and class */
    if (p->root != LL_ROOT_NONE && (!p->text || !p->key || !p->cls))
        return -1;
    return 0;
}

static int rd_event(struct reader *r, struct ll_event *e)
{
    if (rd_u8(r, LL_EV_KIND_COUNT - 1, &e->kind) < 0 || rd_u8(r, LL_MODE_SHARED, &e->mode) < 0 ||
        rd_u8(r, LL_LK_OTHER, &e->lock_kind) < 0 || rd_u8(r, UINT8_MAX, &e->flags) < 0 ||
        rd_u16(r, &e->loop_depth) < 0 || rd_u16(r, &e->out_args) < 0 || rd_loc(r, &e->loc) < 0 ||
        rd_path(r, &e->obj) < 0 || rd_path(r, &e->aux) < 0 || rd_str(r, &e->api) < 0 ||
        rd_str(r, &e->callee) < 0 || rd_str(r, &e->result_var) < 0)
        return -1;
    void *a;
    if (rd_count(r, &e->nargs) < 0 || rd_array(r, e->nargs, sizeof(*e->args), &a) < 0)
        return -1;
    e->args = a;
    for (uint32_t i = 0; i < e->nargs; i++)
        if (rd_path(r, &e->args[i]) < 0)
            return -1;
    return 0;
}

static int rd_block(struct reader *r, const struct ll_function *fn, struct ll_block *b)
{
    if (rd_u32(r, &b->first_event) < 0 || rd_u32(r, &b->nevents) < 0)
        return -1;
    if (b->first_event > fn->nevents || b->nevents > fn->nevents - b->first_event)
        return -1;
    void *a;
    if (rd_count(r, &b->nsucc) < 0 || rd_array(r, b->nsucc, sizeof(*b->succ), &a) < 0)
        return -1;
    b->succ = a;
    for (uint32_t i = 0; i < b->nsucc; i++)
        if (rd_u32(r, &b->succ[i]) < 0 || b->succ[i] >= fn->nblocks)
            return -1;
    struct ll_cond *c = &b->cond;
    if (rd_u16(r, &b->loop_depth) < 0 || rd_u8(r, UINT8_MAX, &b->flags) < 0 ||
        rd_u8(r, LL_COND_OTHER, &c->kind) < 0 || rd_u8(r, UINT8_MAX, &c->true_when_zero) < 0 ||
        rd_u8(r, LL_CMP_COUNT - 1, &c->cmp) < 0 || rd_i64(r, &c->cmp_k) < 0 ||
        rd_u32(r, &c->event) < 0 || rd_str(r, &c->var) < 0 || rd_str(r, &c->text) < 0 ||
        rd_str_array(r, &c->nvars, &c->vars) < 0 || rd_str(r, &c->tested) < 0)
        return -1;
    if (c->kind == LL_COND_EVENT && c->event >= fn->nevents)
        return -1;
    return 0;
}

static int rd_function(struct reader *r, struct ll_function *fn)
{
    if (rd_str_nn(r, &fn->usr) < 0 || rd_str_nn(r, &fn->name) < 0 || rd_loc(r, &fn->loc) < 0 ||
        rd_loc(r, &fn->end) < 0 || rd_u32(r, &fn->flags) < 0 ||
        rd_str_array(r, &fn->nparams, &fn->params) < 0)
        return -1;
    void *a;
    if (rd_count(r, &fn->nevents) < 0 || rd_array(r, fn->nevents, sizeof(*fn->events), &a) < 0)
        return -1;
    fn->events = a;
    for (uint32_t i = 0; i < fn->nevents; i++)
        if (rd_event(r, &fn->events[i]) < 0)
            return -1;
    if (rd_count(r, &fn->nblocks) < 0 || rd_u32(r, &fn->exit) < 0)
        return -1;
    /* A function without blocks has no exit to name. */
    if (fn->nblocks ? fn->exit >= fn->nblocks : fn->exit != 0)
        return -1;
    if (rd_array(r, fn->nblocks, sizeof(*fn->blocks), &a) < 0)
        return -1;
    fn->blocks = a;
    for (uint32_t i = 0; i < fn->nblocks; i++)
        if (rd_block(r, fn, &fn->blocks[i]) < 0)
            return -1;
    return 0;
}

/* ---- sharing between the TUs of a run (see the top) ------------------ */

struct shared_fn {
    const struct ll_function *fn; /* in the facts of the TU that read it first */
};

static struct {
    pthread_mutex_t mu;
    bool on;
    struct ll_arena strings; /* the interned strings */
    struct ll_strmap strs;   /* interned string -> itself (as a size_t) */
    struct ll_strmap fns;    /* USR -> index into v */
    struct shared_fn *v;
    size_t n, cap;
} share = {.mu = PTHREAD_MUTEX_INITIALIZER};

void ll_facts_share_begin(void)
{
    pthread_mutex_lock(&share.mu);
    if (!share.on && !share.n) {
        ll_arena_init(&share.strings);
        ll_strmap_init(&share.strs);
        ll_strmap_init(&share.fns);
    }
    share.on = true;
    pthread_mutex_unlock(&share.mu);
}

void ll_facts_share_stop(void)
{
    pthread_mutex_lock(&share.mu);
    share.on = false;
    pthread_mutex_unlock(&share.mu);
}

void ll_facts_share_end(void)
{
    pthread_mutex_lock(&share.mu);
    share.on = false;
    ll_strmap_release(&share.strs);
    ll_strmap_release(&share.fns);
    ll_arena_release(&share.strings);
    free(share.v);
    share.v = NULL;
    share.n = share.cap = 0;
    pthread_mutex_unlock(&share.mu);
}

/* The run-wide copy of the string `s` of `n` bytes; NULL when out of
 * memory.  `tmp` (n + 1 bytes) holds it NUL-terminated for the lookup.
 * Called with share.mu held. */
static const char *intern_shared(const char *s, size_t n, char *tmp)
{
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    size_t v = ll_strmap_get(&share.strs, tmp);
    if (v != (size_t)-1)
        return (const char *)(uintptr_t)v;
    char *p = ll_arena_strndup(&share.strings, s, n);
    if (!p || ll_strmap_put(&share.strs, p, (size_t)(uintptr_t)p) < 0)
        return NULL;
    return p;
}

static bool same_path(const struct ll_path *a, const struct ll_path *b)
{
    return a->root == b->root && a->flags == b->flags && a->param == b->param &&
           a->text == b->text && a->key == b->key && a->cls == b->cls && a->emb == b->emb &&
           a->root_usr == b->root_usr && a->site == b->site;
}

static bool same_loc(struct ll_loc a, struct ll_loc b)
{
    return a.file == b.file && a.line == b.line && a.col == b.col;
}

static bool same_event(const struct ll_event *a, const struct ll_event *b)
{
    if (a->kind != b->kind || a->mode != b->mode || a->lock_kind != b->lock_kind ||
        a->flags != b->flags || a->loop_depth != b->loop_depth || a->out_args != b->out_args ||
        !same_loc(a->loc, b->loc) || a->nargs != b->nargs || !same_path(&a->obj, &b->obj) ||
        !same_path(&a->aux, &b->aux) || a->api != b->api || a->callee != b->callee ||
        a->result_var != b->result_var)
        return false;
    for (uint32_t i = 0; i < a->nargs; i++)
        if (!same_path(&a->args[i], &b->args[i]))
            return false;
    return true;
}

static bool same_block(const struct ll_block *a, const struct ll_block *b)
{
    const struct ll_cond *x = &a->cond, *y = &b->cond;
    if (a->first_event != b->first_event || a->nevents != b->nevents || a->nsucc != b->nsucc ||
        a->loop_depth != b->loop_depth || a->flags != b->flags || x->kind != y->kind ||
        x->true_when_zero != y->true_when_zero || x->cmp != y->cmp || x->cmp_k != y->cmp_k ||
        x->event != y->event || x->var != y->var || x->text != y->text || x->nvars != y->nvars ||
        x->tested != y->tested)
        return false;
    return (!a->nsucc || memcmp(a->succ, b->succ, a->nsucc * sizeof(*a->succ)) == 0) &&
           (!x->nvars || memcmp(x->vars, y->vars, x->nvars * sizeof(*x->vars)) == 0);
}

/* Whether two functions read with interned strings are the same data. */
static bool same_function(const struct ll_function *a, const struct ll_function *b)
{
    if (a->usr != b->usr || a->name != b->name || !same_loc(a->loc, b->loc) ||
        !same_loc(a->end, b->end) || a->flags != b->flags || a->nparams != b->nparams ||
        a->nblocks != b->nblocks || a->exit != b->exit || a->nevents != b->nevents)
        return false;
    if (a->nparams && memcmp(a->params, b->params, a->nparams * sizeof(*a->params)) != 0)
        return false;
    for (uint32_t i = 0; i < a->nevents; i++)
        if (!same_event(&a->events[i], &b->events[i]))
            return false;
    for (uint32_t i = 0; i < a->nblocks; i++)
        if (!same_block(&a->blocks[i], &b->blocks[i]))
            return false;
    return true;
}

/* A copy of array `p` of n elements in `a`; NULL when n is 0 (as
 * rd_array() leaves it).  Returns 0 or -1 (out of memory). */
static int copy_array(struct ll_arena *a, const void *p, uint32_t n, size_t size, void **out)
{
    *out = NULL;
    if (n == 0)
        return 0;
    if (!(*out = ll_arena_alloc_raw(a, (size_t)n * size)))
        return -1;
    memcpy(*out, p, (size_t)n * size);
    return 0;
}

/* `src` (read into a scratch arena) copied into `a` as `dst`.  Returns 0
 * or -1 (out of memory). */
static int copy_function(struct ll_arena *a, const struct ll_function *src, struct ll_function *dst)
{
    void *p;
    *dst = *src;
    if (copy_array(a, src->params, src->nparams, sizeof(*src->params), &p) < 0)
        return -1;
    dst->params = p;
    if (copy_array(a, src->events, src->nevents, sizeof(*src->events), &p) < 0)
        return -1;
    dst->events = p;
    for (uint32_t i = 0; i < src->nevents; i++) {
        if (copy_array(a, src->events[i].args, src->events[i].nargs, sizeof(*src->events[i].args),
                       &p) < 0)
            return -1;
        dst->events[i].args = p;
    }
    if (copy_array(a, src->blocks, src->nblocks, sizeof(*src->blocks), &p) < 0)
        return -1;
    dst->blocks = p;
    for (uint32_t i = 0; i < src->nblocks; i++) {
        const struct ll_block *b = &src->blocks[i];
        if (copy_array(a, b->succ, b->nsucc, sizeof(*b->succ), &p) < 0)
            return -1;
        dst->blocks[i].succ = p;
        if (copy_array(a, b->cond.vars, b->cond.nvars, sizeof(*b->cond.vars), &p) < 0)
            return -1;
        dst->blocks[i].cond.vars = p;
    }
    return 0;
}

/* The functions of `f` that no TU gave before, offered to the TUs read
 * after it (the first copy of a USR stays the one shared).  `own` marks
 * them.  Returns 0 or -1 (out of memory). */
static int offer_functions(const struct ll_tu_facts *f, const bool *own)
{
    int rc = 0;
    pthread_mutex_lock(&share.mu);
    for (uint32_t i = 0; i < f->nfunctions && rc == 0; i++) {
        if (!own[i] || ll_strmap_get(&share.fns, f->functions[i].usr) != (size_t)-1)
            continue;
        if (share.n == share.cap) {
            size_t cap = share.cap ? share.cap * 2 : 1024;
            struct shared_fn *v = realloc(share.v, cap * sizeof(*v));
            if (!v) {
                rc = -1;
                break;
            }
            share.v = v;
            share.cap = cap;
        }
        if (ll_strmap_put(&share.fns, f->functions[i].usr, share.n) < 0)
            rc = -1;
        else
            share.v[share.n++].fn = &f->functions[i];
    }
    pthread_mutex_unlock(&share.mu);
    return rc;
}

/* The string table: one arena block holds every string, each followed by
 * its NUL (so a string costs its length plus one, not a block of its own
 * rounded up to the arena's alignment); when shared, each string is the
 * run-wide copy instead. */
static int rd_strings(struct reader *r)
{
    if (rd_count(r, &r->nstrs) < 0)
        return -1;
    if (r->nstrs == 0)
        return 0;
    r->strs = malloc((size_t)r->nstrs * sizeof(*r->strs));
    if (!r->strs)
        return -1;
    /* first the lengths: where the strings are and how much they need */
    size_t start = r->pos, total = 0;
    for (uint32_t i = 0; i < r->nstrs; i++) {
        uint64_t n;
        /* The bound is what is left after the length itself. */
        if (rd_varint(r, &n) < 0 || n > r->len - r->pos)
            return -1;
        const char *s = (const char *)r->p + r->pos;
        if (memchr(s, '\0', (size_t)n))
            return -1;
        r->strs[i] = s; /* for now: where it is in the blob */
        total += (size_t)n + 1;
        r->pos += (size_t)n;
    }
    if (r->shared) {
        /* the longest string fits in `total` */
        char *tmp = malloc(total);
        int rc = tmp ? 0 : -1;
        r->pos = start;
        pthread_mutex_lock(&share.mu);
        for (uint32_t i = 0; i < r->nstrs && rc == 0; i++) {
            uint64_t n;
            rd_varint(r, &n); /* read once already */
            if (!(r->strs[i] = intern_shared(r->strs[i], (size_t)n, tmp)))
                rc = -1;
            r->pos += (size_t)n;
        }
        pthread_mutex_unlock(&share.mu);
        free(tmp);
        return rc;
    }
    char *block = ll_arena_alloc_raw(r->arena, total);
    if (!block)
        return -1;
    r->pos = start;
    for (uint32_t i = 0; i < r->nstrs; i++) {
        uint64_t n;
        rd_varint(r, &n); /* read once already */
        memcpy(block, r->strs[i], (size_t)n);
        block[n] = '\0';
        r->strs[i] = block;
        block += n + 1;
        r->pos += (size_t)n;
    }
    return 0;
}

static int rd_functions(struct reader *r, struct ll_tu_facts *f)
{
    for (uint32_t i = 0; i < f->nfunctions; i++)
        if (rd_function(r, &f->functions[i]) < 0)
            return -1;
    return 0;
}

/* Each function is read into scratch memory first: one an earlier TU gave
 * is shared, any other copied into the TU's arena and offered to the TUs
 * read after it (once the whole blob has been read: a damaged blob offers
 * nothing). */
static int rd_functions_shared(struct reader *r, struct ll_tu_facts *f)
{
    struct ll_arena *arena = r->arena, scratch;
    ll_arena_init(&scratch);
    bool *own = calloc((size_t)f->nfunctions + 1, sizeof(*own));
    int rc = own ? 0 : -1;
    for (uint32_t i = 0; i < f->nfunctions && rc == 0; i++) {
        struct ll_function fn;
        memset(&fn, 0, sizeof(fn));
        r->arena = &scratch;
        rc = rd_function(r, &fn);
        r->arena = arena;
        if (rc < 0)
            break;
        const struct ll_function *first = NULL;
        pthread_mutex_lock(&share.mu);
        size_t k = ll_strmap_get(&share.fns, fn.usr);
        if (k != (size_t)-1 && same_function(&fn, share.v[k].fn))
            first = share.v[k].fn;
        pthread_mutex_unlock(&share.mu);
        if (first) {
            f->functions[i] = *first;
        } else {
            rc = copy_function(arena, &fn, &f->functions[i]);
            own[i] = true;
        }
        ll_arena_reset(&scratch);
    }
    ll_arena_release(&scratch);
    r->arena = arena;
    if (rc == 0)
        r->offer = own;
    else
        free(own);
    return rc;
}

static int rd_tu(struct reader *r, struct ll_tu_facts *f)
{
    void *a;
    if (rd_str_nn(r, &f->main_file) < 0 || rd_str_array(r, &f->nfiles, &f->files) < 0 ||
        rd_array(r, f->nfiles, sizeof(*f->file_system), &a) < 0)
        return -1;
    f->file_system = a;
    for (uint32_t i = 0; i < f->nfiles; i++)
        if (rd_u8(r, UINT8_MAX, &f->file_system[i]) < 0)
            return -1;
    r->nfiles = f->nfiles;

    if (rd_count(r, &f->nfunctions) < 0 ||
        rd_array(r, f->nfunctions, sizeof(*f->functions), &a) < 0)
        return -1;
    f->functions = a;
    if (r->shared ? rd_functions_shared(r, f) < 0 : rd_functions(r, f) < 0)
        return -1;

    if (rd_count(r, &f->nglobals) < 0 || rd_array(r, f->nglobals, sizeof(*f->globals), &a) < 0)
        return -1;
    f->globals = a;
    for (uint32_t i = 0; i < f->nglobals; i++) {
        struct ll_global *g = &f->globals[i];
        if (rd_str_nn(r, &g->usr) < 0 || rd_str_nn(r, &g->name) < 0 || rd_str_nn(r, &g->type) < 0 ||
            rd_str(r, &g->recursive_fields) < 0 || rd_loc(r, &g->loc) < 0 ||
            rd_u32(r, &g->flags) < 0)
            return -1;
    }

    if (rd_count(r, &f->nfnrefs) < 0 || rd_array(r, f->nfnrefs, sizeof(*f->fnrefs), &a) < 0)
        return -1;
    f->fnrefs = a;
    for (uint32_t i = 0; i < f->nfnrefs; i++) {
        struct ll_fnref *fr = &f->fnrefs[i];
        if (rd_str_nn(r, &fr->usr) < 0 || rd_str(r, &fr->context) < 0 || rd_loc(r, &fr->loc) < 0)
            return -1;
    }
    if (rd_count(r, &f->nptrflows) < 0 || rd_array(r, f->nptrflows, sizeof(*f->ptrflows), &a) < 0)
        return -1;
    f->ptrflows = a;
    for (uint32_t i = 0; i < f->nptrflows; i++) {
        struct ll_fnref *fr = &f->ptrflows[i];
        if (rd_str_nn(r, &fr->usr) < 0 || rd_str_nn(r, &fr->context) < 0 || rd_loc(r, &fr->loc) < 0)
            return -1;
    }

    if (rd_u32(r, &f->nerrors) < 0 || rd_str(r, &f->first_error) < 0 ||
        rd_str_array(r, &f->ndeps, &f->deps) < 0)
        return -1;
    return 0;
}

int ll_facts_from_blob(const unsigned char *buf, size_t len, struct ll_tu_facts *out)
{
    struct reader r = {.p = buf, .len = len, .arena = &out->arena};
    int rc = -1;
    pthread_mutex_lock(&share.mu);
    r.shared = share.on;
    pthread_mutex_unlock(&share.mu);

    if (!buf || len < HEADER_SIZE || memcmp(buf, blob_magic, sizeof(blob_magic)) != 0)
        goto done;
    const unsigned char *v = buf + sizeof(blob_magic);
    uint32_t version =
        (uint32_t)v[0] | (uint32_t)v[1] << 8 | (uint32_t)v[2] << 16 | (uint32_t)v[3] << 24;
    if (version != LL_FACTS_VERSION)
        goto done;
    r.pos = HEADER_SIZE;
    if (rd_strings(&r) < 0 || rd_tu(&r, out) < 0 || r.pos != r.len)
        goto done;
    if (r.offer && offer_functions(out, r.offer) < 0)
        goto done;
    rc = 0;
done:
    free(r.offer);
    free(r.strs);
    if (rc < 0)
        ll_tu_facts_release(out);
    return rc;
}
