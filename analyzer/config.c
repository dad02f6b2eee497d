/*
 * config: .locklint.yml, read with libyaml's event parser (which gives the
 * line of every node, so every error names the file and the line).
 *
 * The events are first built into a small tree of scalars, sequences and
 * mappings in the config arena, then the tree is validated key by key.
 * Anchors are ignored and aliases refused: a configuration has no use for
 * them and they make line numbers meaningless.  Nesting is bounded, so a
 * hostile file cannot exhaust the stack.  Unknown keys, duplicate keys,
 * wrong types and bad values are all errors; nothing is silently ignored.
 *
 * This module does not decide what a rule id is (the caller passes a
 * predicate) and does not filter findings.
 */
/* realpath() is XSI, not in _POSIX_C_SOURCE alone. */
#define _XOPEN_SOURCE 700

#include "config.h"

#include "cachedir.h"
#include "compdb.h"
#include "file_access.h"

#include "ir.h"
#include "lockapi.h"
#include "rule.h"
#include "suppress.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#define MAX_DEPTH 32
#define MAX_ARG 15

const char *const ll_config_vendored_dirs[] = {
    "third_party", "third-party", "thirdparty", "3rdparty", "vendor", "vendored",
    "deps",        "_deps",       "external",   "extern",   NULL,
};

/* Absolute prefixes of system headers: never the project's code. */
static const char *const system_prefixes[] = {"/usr/include/", "/usr/local/include/", "/usr/lib/",
                                              NULL};

enum node_kind { NODE_SCALAR, NODE_SEQ, NODE_MAP };

struct node {
    enum node_kind kind;
    uint32_t line;
    const char *value;   /* scalar */
    bool plain;          /* scalar written without quotes */
    struct node **items; /* seq: elements; map: key, value, key, value... */
    size_t n;
};

struct parser {
    yaml_parser_t yp;
    struct ll_arena *arena;
    const char *path;
    char *err;
    size_t errlen;
    bool failed;
};

void ll_config_init(struct ll_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    ll_arena_init(&cfg->arena);
    cfg->exclude_vendored = true;
    cfg->tu_source_limit_mib = LL_CONFIG_TU_SOURCE_LIMIT_MIB;
}

void ll_config_release(struct ll_config *cfg)
{
    if (cfg->registered)
        ll_lockapi_reset();
    ll_arena_release(&cfg->arena);
    ll_config_init(cfg);
}

static void fail_at(struct parser *p, uint32_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail_at(struct parser *p, uint32_t line, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    int n = snprintf(p->err, p->errlen, "%s:%u: ", p->path, line);
    if (n < 0 || (size_t)n >= p->errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

static void fail_oom(struct parser *p)
{
    if (!p->failed)
        snprintf(p->err, p->errlen, "%s: out of memory", p->path);
    p->failed = true;
}

/* The next event; false (with the error set) on a YAML syntax error. */
static bool next_event(struct parser *p, yaml_event_t *ev)
{
    if (yaml_parser_parse(&p->yp, ev))
        return true;
    const char *what = p->yp.problem ? p->yp.problem : "invalid YAML";
    if (p->yp.error == YAML_MEMORY_ERROR)
        fail_oom(p);
    else
        fail_at(p, (uint32_t)p->yp.problem_mark.line + 1, "invalid YAML: %s", what);
    return false;
}

/* Appends to a growing array of node pointers (capacity: powers of two). */
static int push_node(struct node ***v, size_t *n, size_t *cap, struct node *x)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        struct node **q = realloc(*v, c * sizeof(*q));
        if (!q)
            return -1;
        *v = q;
        *cap = c;
    }
    (*v)[(*n)++] = x;
    return 0;
}

static struct node *parse_node(struct parser *p, yaml_event_t *ev, int depth);

/* Reads the children of a sequence or mapping until its end event. */
static struct node *parse_children(struct parser *p, struct node *nd, yaml_event_type_t end,
                                   int depth)
{
    struct node **tmp = NULL;
    size_t n = 0, cap = 0;
    struct node *result = NULL;
    for (;;) {
        yaml_event_t ev;
        if (!next_event(p, &ev))
            goto out;
        if (ev.type == end) {
            yaml_event_delete(&ev);
            break;
        }
        struct node *child = parse_node(p, &ev, depth + 1);
        yaml_event_delete(&ev);
        if (!child)
            goto out;
        if (push_node(&tmp, &n, &cap, child) != 0) {
            fail_oom(p);
            goto out;
        }
    }
    if (n) {
        nd->items = ll_arena_alloc(p->arena, n * sizeof(*nd->items));
        if (!nd->items) {
            fail_oom(p);
            goto out;
        }
        memcpy(nd->items, tmp, n * sizeof(*tmp));
    }
    nd->n = n;
    result = nd;
out:
    free(tmp);
    return result;
}

/* The node that starts with *ev (which the caller deletes), or NULL. */
static struct node *parse_node(struct parser *p, yaml_event_t *ev, int depth)
{
    uint32_t line = (uint32_t)ev->start_mark.line + 1;
    if (depth > MAX_DEPTH) {
        fail_at(p, line, "nesting deeper than %d levels", MAX_DEPTH);
        return NULL;
    }
    struct node *nd = ll_arena_alloc(p->arena, sizeof(*nd));
    if (!nd) {
        fail_oom(p);
        return NULL;
    }
    nd->line = line;
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        nd->kind = NODE_SCALAR;
        nd->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        nd->value =
            ll_arena_strndup(p->arena, (const char *)ev->data.scalar.value, ev->data.scalar.length);
        if (!nd->value) {
            fail_oom(p);
            return NULL;
        }
        if (strlen(nd->value) != ev->data.scalar.length) {
            fail_at(p, line, "a value contains a NUL character");
            return NULL;
        }
        return nd;
    case YAML_SEQUENCE_START_EVENT:
        nd->kind = NODE_SEQ;
        return parse_children(p, nd, YAML_SEQUENCE_END_EVENT, depth);
    case YAML_MAPPING_START_EVENT:
        nd->kind = NODE_MAP;
        return parse_children(p, nd, YAML_MAPPING_END_EVENT, depth);
    case YAML_ALIAS_EVENT:
        fail_at(p, line, "aliases ('*name') are not supported");
        return NULL;
    default:
        fail_at(p, line, "unexpected YAML event");
        return NULL;
    }
}

/*
 * The document's root node; *root is NULL for an empty file.  More than
 * one document is an error.
 */
static int parse_document(struct parser *p, struct node **root)
{
    yaml_event_t ev;
    *root = NULL;
    bool have_doc = false;
    for (;;) {
        if (!next_event(p, &ev))
            return -1;
        yaml_event_type_t t = ev.type;
        uint32_t line = (uint32_t)ev.start_mark.line + 1;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            return 0;
        }
        if (t == YAML_DOCUMENT_START_EVENT) {
            yaml_event_delete(&ev);
            if (have_doc) {
                fail_at(p, line, "more than one YAML document ('---')");
                return -1;
            }
            have_doc = true;
            if (!next_event(p, &ev))
                return -1;
            *root = parse_node(p, &ev, 0);
            yaml_event_delete(&ev);
            if (!*root)
                return -1;
            if (!next_event(p, &ev)) /* the document end */
                return -1;
        }
        yaml_event_delete(&ev);
    }
}

/* --- validation ---------------------------------------------------------- */

static bool is_null(const struct node *nd)
{
    if (nd->kind != NODE_SCALAR || !nd->plain)
        return false;
    return !*nd->value || strcmp(nd->value, "~") == 0 || strcmp(nd->value, "null") == 0;
}

static const char *kind_name(const struct node *nd)
{
    if (is_null(nd))
        return "nothing";
    return nd->kind == NODE_MAP ? "a mapping" : nd->kind == NODE_SEQ ? "a list" : "a value";
}

/* Keys must be scalars and unique. */
static bool check_map(struct parser *p, const struct node *map, const char *what)
{
    for (size_t i = 0; i < map->n; i += 2) {
        const struct node *k = map->items[i];
        if (k->kind != NODE_SCALAR) {
            fail_at(p, k->line, "a key in '%s' must be a plain name, not %s", what, kind_name(k));
            return false;
        }
        for (size_t j = 0; j < i; j += 2)
            if (strcmp(map->items[j]->value, k->value) == 0) {
                fail_at(p, k->line, "duplicate key '%s' in '%s' (first on line %u)", k->value, what,
                        map->items[j]->line);
                return false;
            }
    }
    return true;
}

/* A C identifier: what a lock or thread function is called. */
static bool is_ident(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return false;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' ||
              (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

static bool get_string(struct parser *p, const struct node *v, const char *key, const char **out)
{
    if (v->kind != NODE_SCALAR || is_null(v) || !*v->value) {
        fail_at(p, v->line, "'%s' must be a non-empty string, not %s", key, kind_name(v));
        return false;
    }
    *out = v->value;
    return true;
}

static bool get_ident(struct parser *p, const struct node *v, const char *key, const char **out)
{
    if (!get_string(p, v, key, out))
        return false;
    if (!is_ident(*out)) {
        fail_at(p, v->line, "'%s' must be a function name, not '%s'", key, *out);
        return false;
    }
    return true;
}

/* `struct NAME.FIELD`: a function-pointer field lock calls go through. */
static bool is_field(const char *s)
{
    const char *dot = strchr(s, '.');
    if (strncmp(s, "struct ", 7) != 0 || !dot || strchr(dot + 1, '.'))
        return false;
    char name[256];
    size_t n = (size_t)(dot - s - 7);
    if (n == 0 || n >= sizeof(name))
        return false;
    memcpy(name, s + 7, n);
    name[n] = '\0';
    return is_ident(name) && is_ident(dot + 1);
}

/* A lock function: a name, or a field of a method table (`struct
 * lock_ops.lock`) that calls through are taken as calls of it. */
static bool get_lock_fn(struct parser *p, const struct node *v, const char *key, const char **out)
{
    if (!get_string(p, v, key, out))
        return false;
    if (!is_ident(*out) && !is_field(*out)) {
        fail_at(p, v->line, "'%s' must be a function name or 'struct NAME.FIELD', not '%s'", key,
                *out);
        return false;
    }
    return true;
}

static bool get_int(struct parser *p, const struct node *v, const char *key, int lo, int hi,
                    int *out)
{
    char *end = NULL;
    long n = 0;
    if (v->kind == NODE_SCALAR && v->plain && *v->value) {
        errno = 0;
        n = strtol(v->value, &end, 10);
    }
    if (!end || *end || errno || n < lo || n > hi) {
        fail_at(p, v->line, "'%s' must be an integer from %d to %d, not %s%s%s", key, lo, hi,
                v->kind == NODE_SCALAR ? "'" : "", v->kind == NODE_SCALAR ? v->value : kind_name(v),
                v->kind == NODE_SCALAR ? "'" : "");
        return false;
    }
    *out = (int)n;
    return true;
}

static bool get_bool(struct parser *p, const struct node *v, const char *key, bool *out)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "on", NULL};
    static const char *const no[] = {"false", "False", "FALSE", "no", "off", NULL};
    if (v->kind == NODE_SCALAR && v->plain) {
        for (size_t i = 0; yes[i]; i++)
            if (strcmp(v->value, yes[i]) == 0) {
                *out = true;
                return true;
            }
        for (size_t i = 0; no[i]; i++)
            if (strcmp(v->value, no[i]) == 0) {
                *out = false;
                return true;
            }
    }
    fail_at(p, v->line, "'%s' must be true or false, not %s%s%s", key,
            v->kind == NODE_SCALAR ? "'" : "", v->kind == NODE_SCALAR ? v->value : kind_name(v),
            v->kind == NODE_SCALAR ? "'" : "");
    return false;
}

static bool want(struct parser *p, const struct node *v, enum node_kind k, const char *key)
{
    if (v->kind == k && !(k == NODE_SCALAR && is_null(v)))
        return true;
    fail_at(p, v->line, "'%s' must be %s, not %s", key,
            k == NODE_MAP   ? "a mapping"
            : k == NODE_SEQ ? "a list"
                            : "a value",
            kind_name(v));
    return false;
}

static bool parse_rules(struct parser *p, struct ll_config *cfg, const struct node *v,
                        bool (*known_rule)(const char *))
{
    if (!want(p, v, NODE_MAP, "rules") || !check_map(p, v, "rules"))
        return false;
    static const struct {
        const char *name;
        enum ll_rule_setting s;
    } settings[] = {{"off", LL_RULE_OFF},         {"on", LL_RULE_ON},       {"note", LL_RULE_NOTE},
                    {"warning", LL_RULE_WARNING}, {"error", LL_RULE_ERROR}, {"false", LL_RULE_OFF},
                    {"true", LL_RULE_ON}};
    cfg->rules = ll_arena_alloc(&cfg->arena, (v->n / 2 + 1) * sizeof(*cfg->rules));
    if (!cfg->rules) {
        fail_oom(p);
        return false;
    }
    for (size_t i = 0; i < v->n; i += 2) {
        const struct node *k = v->items[i], *val = v->items[i + 1];
        if (known_rule && !known_rule(k->value)) {
            fail_at(p, k->line, "unknown rule '%s' in 'rules' (see locklint --list-rules)",
                    k->value);
            return false;
        }
        enum ll_rule_setting s = LL_RULE_DEFAULT;
        for (size_t j = 0; val->kind == NODE_SCALAR && j < sizeof(settings) / sizeof(settings[0]);
             j++)
            if (strcmp(val->value, settings[j].name) == 0)
                s = settings[j].s;
        if (s == LL_RULE_DEFAULT) {
            fail_at(p, val->line,
                    "bad value %s%s%s for rule '%s' (expected off, on, error, warning or note)",
                    val->kind == NODE_SCALAR ? "'" : "",
                    val->kind == NODE_SCALAR ? val->value : kind_name(val),
                    val->kind == NODE_SCALAR ? "'" : "", k->value);
            return false;
        }
        struct ll_config_rule *r = &cfg->rules[cfg->nrules++];
        r->id = k->value;
        r->setting = s;
        r->line = k->line;
    }
    return true;
}

static bool parse_exclude(struct parser *p, struct ll_config *cfg, const struct node *v)
{
    if (!want(p, v, NODE_SEQ, "exclude"))
        return false;
    cfg->exclude = ll_arena_alloc(&cfg->arena, (v->n + 1) * sizeof(*cfg->exclude));
    if (!cfg->exclude) {
        fail_oom(p);
        return false;
    }
    for (size_t i = 0; i < v->n; i++) {
        const char *s;
        if (!get_string(p, v->items[i], "exclude", &s))
            return false;
        while (s[0] == '.' && s[1] == '/')
            s += 2;
        if (!*s || strcmp(s, ".") == 0) {
            fail_at(p, v->items[i]->line, "an 'exclude' pattern that excludes everything");
            return false;
        }
        cfg->exclude[cfg->nexclude++] = s;
    }
    return true;
}

static bool parse_compiler_flags(struct parser *p, struct ll_config *cfg, const struct node *v)
{
    if (!want(p, v, NODE_SEQ, "compiler-flags"))
        return false;
    cfg->compiler_flags = ll_arena_alloc(&cfg->arena, (v->n + 1) * sizeof(*cfg->compiler_flags));
    if (!cfg->compiler_flags) {
        fail_oom(p);
        return false;
    }
    for (size_t i = 0; i < v->n; i++) {
        const char *s;
        if (!get_string(p, v->items[i], "compiler-flags", &s))
            return false;
        if (!ll_compdb_flag_allowable(s)) {
            fail_at(p, v->items[i]->line,
                    "compiler flag '%s' cannot be allowed (only -f and -m flags that neither "
                    "load code, write files nor pass options on)",
                    s);
            return false;
        }
        cfg->compiler_flags[cfg->ncompiler_flags++] = s;
    }
    return true;
}

/* `entry-points: exported`, or a list of function names. */
static bool parse_entry_points(struct parser *p, struct ll_config *cfg, const struct node *v)
{
    if (v->kind == NODE_SCALAR && !is_null(v) && strcmp(v->value, "exported") == 0) {
        cfg->entry_exported = true;
        return true;
    }
    if (v->kind != NODE_SEQ || v->n == 0) {
        fail_at(p, v->line,
                "'entry-points' must be 'exported' or a non-empty list of function names, not "
                "%s%s%s",
                v->kind == NODE_SCALAR ? "'" : "", v->kind == NODE_SCALAR ? v->value : kind_name(v),
                v->kind == NODE_SCALAR ? "'" : "");
        return false;
    }
    cfg->entry_points = ll_arena_alloc(&cfg->arena, (v->n + 1) * sizeof(*cfg->entry_points));
    if (!cfg->entry_points) {
        fail_oom(p);
        return false;
    }
    for (size_t i = 0; i < v->n; i++)
        if (!get_ident(p, v->items[i], "entry-points", &cfg->entry_points[cfg->nentry_points++]))
            return false;
    return true;
}

static bool parse_kind(struct parser *p, const struct node *v, struct ll_config_lock *l)
{
    static const struct {
        const char *name;
        uint8_t kind, mode;
    } kinds[] = {
        {"mutex", LL_LK_MUTEX, LL_MODE_EXCL},         {"recursive", LL_LK_RECURSIVE, LL_MODE_EXCL},
        {"spin", LL_LK_SPIN, LL_MODE_EXCL},           {"rwlock-read", LL_LK_RWLOCK, LL_MODE_SHARED},
        {"rwlock-write", LL_LK_RWLOCK, LL_MODE_EXCL},
    };
    for (size_t i = 0; v->kind == NODE_SCALAR && i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(v->value, kinds[i].name) == 0) {
            l->lock_kind = kinds[i].kind;
            l->mode = kinds[i].mode;
            return true;
        }
    fail_at(p, v->line,
            "bad value %s%s%s for 'kind' (expected mutex, recursive, spin, rwlock-read or "
            "rwlock-write)",
            v->kind == NODE_SCALAR ? "'" : "", v->kind == NODE_SCALAR ? v->value : kind_name(v),
            v->kind == NODE_SCALAR ? "'" : "");
    return false;
}

static bool parse_locks(struct parser *p, struct ll_config *cfg, const struct node *v)
{
    if (!want(p, v, NODE_SEQ, "locks"))
        return false;
    cfg->locks = ll_arena_alloc(&cfg->arena, (v->n + 1) * sizeof(*cfg->locks));
    if (!cfg->locks) {
        fail_oom(p);
        return false;
    }
    for (size_t i = 0; i < v->n; i++) {
        const struct node *e = v->items[i];
        if (!want(p, e, NODE_MAP, "locks") || !check_map(p, e, "locks"))
            return false;
        struct ll_config_lock *l = &cfg->locks[cfg->nlocks++];
        l->lock_kind = LL_LK_MUTEX;
        l->mode = LL_MODE_EXCL;
        l->line = e->line;
        for (size_t k = 0; k < e->n; k += 2) {
            const char *key = e->items[k]->value;
            const struct node *val = e->items[k + 1];
            bool ok;
            if (strcmp(key, "lock") == 0)
                ok = get_lock_fn(p, val, key, &l->lock);
            else if (strcmp(key, "unlock") == 0)
                ok = get_lock_fn(p, val, key, &l->unlock);
            else if (strcmp(key, "trylock") == 0)
                ok = get_lock_fn(p, val, key, &l->trylock);
            else if (strcmp(key, "arg") == 0)
                ok = get_int(p, val, key, 0, MAX_ARG, &l->arg);
            else if (strcmp(key, "kind") == 0)
                ok = parse_kind(p, val, l);
            else {
                fail_at(p, e->items[k]->line,
                        "unknown key '%s' in 'locks' (expected lock, unlock, trylock, arg or "
                        "kind)",
                        key);
                ok = false;
            }
            if (!ok)
                return false;
        }
        if (!l->lock && !l->unlock && !l->trylock) {
            fail_at(p, e->line, "a 'locks' entry needs at least one of lock, unlock or trylock");
            return false;
        }
    }
    return true;
}

static bool parse_threads(struct parser *p, struct ll_config *cfg, const struct node *v)
{
    if (!want(p, v, NODE_SEQ, "threads"))
        return false;
    cfg->threads = ll_arena_alloc(&cfg->arena, (v->n + 1) * sizeof(*cfg->threads));
    if (!cfg->threads) {
        fail_oom(p);
        return false;
    }
    for (size_t i = 0; i < v->n; i++) {
        const struct node *e = v->items[i];
        if (!want(p, e, NODE_MAP, "threads") || !check_map(p, e, "threads"))
            return false;
        struct ll_config_thread *t = &cfg->threads[cfg->nthreads++];
        t->start = t->arg = t->handle = -1;
        t->line = e->line;
        for (size_t k = 0; k < e->n; k += 2) {
            const char *key = e->items[k]->value;
            const struct node *val = e->items[k + 1];
            bool ok;
            if (strcmp(key, "create") == 0)
                ok = get_ident(p, val, key, &t->create);
            else if (strcmp(key, "join") == 0)
                ok = get_ident(p, val, key, &t->join);
            else if (strcmp(key, "start") == 0)
                ok = get_int(p, val, key, 0, MAX_ARG, &t->start);
            else if (strcmp(key, "arg") == 0)
                ok = get_int(p, val, key, 0, MAX_ARG, &t->arg);
            else if (strcmp(key, "handle") == 0)
                ok = get_int(p, val, key, 0, MAX_ARG, &t->handle);
            else {
                fail_at(p, e->items[k]->line,
                        "unknown key '%s' in 'threads' (expected create, join, start, arg or "
                        "handle)",
                        key);
                ok = false;
            }
            if (!ok)
                return false;
        }
        if (!t->create == !t->join) {
            fail_at(p, e->line, "a 'threads' entry needs exactly one of 'create' or 'join'");
            return false;
        }
        if (t->create && t->start < 0) {
            fail_at(p, e->line, "thread creation '%s' needs 'start' (the start routine's argument)",
                    t->create);
            return false;
        }
        if (t->join && (t->start >= 0 || t->arg >= 0)) {
            fail_at(p, e->line, "join function '%s' takes only 'handle'", t->join);
            return false;
        }
        if (t->join && t->handle < 0)
            t->handle = 0;
    }
    return true;
}

/* Appends the pairs of one chain a before b before c... */
static bool add_chain(struct parser *p, struct ll_config *cfg, const char **names, size_t n,
                      uint32_t line, size_t *cap)
{
    if (n < 2) {
        fail_at(p, line, "a 'hierarchy' entry needs two or more locks (\"a before b\")");
        return false;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0) {
                fail_at(p, line, "lock '%s' appears twice in one 'hierarchy' entry", names[i]);
                return false;
            }
    for (size_t i = 0; i + 1 < n; i++) {
        if (cfg->nhierarchy == *cap) {
            size_t c = *cap ? *cap * 2 : 8;
            struct ll_config_order *q = ll_arena_alloc(&cfg->arena, c * sizeof(*q));
            if (!q) {
                fail_oom(p);
                return false;
            }
            if (cfg->nhierarchy)
                memcpy(q, cfg->hierarchy, cfg->nhierarchy * sizeof(*q));
            cfg->hierarchy = q;
            *cap = c;
        }
        struct ll_config_order *o = &cfg->hierarchy[cfg->nhierarchy++];
        o->first = names[i];
        o->second = names[i + 1];
        o->line = line;
    }
    return true;
}

/* "a before b before c": splits at the word "before" (spaces around it). */
static bool parse_before(struct parser *p, struct ll_config *cfg, const struct node *e, size_t *cap)
{
    const char *names[64];
    size_t n = 0;
    const char *s = e->value;
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        const char *sep = strstr(s, " before ");
        const char *end = sep ? sep : s + strlen(s);
        const char *e2 = end;
        while (e2 > s && (e2[-1] == ' ' || e2[-1] == '\t'))
            e2--;
        if (e2 == s || n == sizeof(names) / sizeof(names[0])) {
            fail_at(p, e->line,
                    "bad 'hierarchy' entry '%s' (expected \"a before b\" or a list [a, b])",
                    e->value);
            return false;
        }
        names[n] = ll_arena_strndup(&cfg->arena, s, (size_t)(e2 - s));
        if (!names[n]) {
            fail_oom(p);
            return false;
        }
        n++;
        if (!sep)
            break;
        s = sep + 8;
    }
    if (n < 2) {
        fail_at(p, e->line, "bad 'hierarchy' entry '%s' (expected \"a before b\" or a list [a, b])",
                e->value);
        return false;
    }
    return add_chain(p, cfg, names, n, e->line, cap);
}

static bool parse_hierarchy(struct parser *p, struct ll_config *cfg, const struct node *v)
{
    if (!want(p, v, NODE_SEQ, "hierarchy"))
        return false;
    size_t cap = 0;
    for (size_t i = 0; i < v->n; i++) {
        const struct node *e = v->items[i];
        if (e->kind == NODE_SCALAR && !is_null(e)) {
            if (!parse_before(p, cfg, e, &cap))
                return false;
            continue;
        }
        if (e->kind != NODE_SEQ) {
            fail_at(p, e->line,
                    "a 'hierarchy' entry must be \"a before b\" or a list [a, b], not %s",
                    kind_name(e));
            return false;
        }
        const char *names[64];
        if (e->n > sizeof(names) / sizeof(names[0])) {
            fail_at(p, e->line, "a 'hierarchy' entry with more than 64 locks");
            return false;
        }
        for (size_t k = 0; k < e->n; k++)
            if (!get_string(p, e->items[k], "hierarchy", &names[k]))
                return false;
        if (!add_chain(p, cfg, names, e->n, e->line, &cap))
            return false;
    }
    return true;
}

static bool parse_top(struct parser *p, struct ll_config *cfg, const struct node *root,
                      bool (*known_rule)(const char *))
{
    if (!root || is_null(root))
        return true;
    if (root->kind != NODE_MAP) {
        fail_at(p, root->line, "the configuration must be a mapping of keys (rules, exclude, ...)");
        return false;
    }
    if (!check_map(p, root, "the configuration"))
        return false;
    for (size_t i = 0; i < root->n; i += 2) {
        const char *key = root->items[i]->value;
        const struct node *v = root->items[i + 1];
        bool ok;
        if (strcmp(key, "rules") == 0)
            ok = parse_rules(p, cfg, v, known_rule);
        else if (strcmp(key, "exclude") == 0)
            ok = parse_exclude(p, cfg, v);
        else if (strcmp(key, "exclude-vendored") == 0)
            ok = get_bool(p, v, key, &cfg->exclude_vendored);
        else if (strcmp(key, "locks") == 0)
            ok = parse_locks(p, cfg, v);
        else if (strcmp(key, "threads") == 0)
            ok = parse_threads(p, cfg, v);
        else if (strcmp(key, "hierarchy") == 0)
            ok = parse_hierarchy(p, cfg, v);
        else if (strcmp(key, "compiler-flags") == 0)
            ok = parse_compiler_flags(p, cfg, v);
        else if (strcmp(key, "tu-source-limit-mib") == 0)
            ok = get_int(p, v, key, 1, 1 << 20, &cfg->tu_source_limit_mib);
        else if (strcmp(key, "entry-points") == 0)
            ok = parse_entry_points(p, cfg, v);
        else if (strcmp(key, "cache") == 0) {
            /* The configuration comes with the sources, so it may come from
             * a pull request: it must not choose where locklint writes. */
            fail_at(p, root->items[i]->line,
                    "'cache' is not read from a project's configuration: the project must not "
                    "choose where locklint writes (give --cache PATH, or set XDG_CACHE_HOME)");
            ok = false;
        } else if (strcmp(key, "cache-size") == 0) {
            ok = v->kind == NODE_SCALAR && !is_null(v) &&
                 ll_parse_size(v->value, &cfg->cache_size) == 0;
            if (!ok)
                fail_at(p, v->line,
                        "'cache-size' must be a size such as 300M, 2G or 0 (no limit), not %s%s%s",
                        v->kind == NODE_SCALAR ? "'" : "",
                        v->kind == NODE_SCALAR ? v->value : kind_name(v),
                        v->kind == NODE_SCALAR ? "'" : "");
            cfg->has_cache_size = ok;
        } else {
            fail_at(p, root->items[i]->line,
                    "unknown key '%s' (expected rules, exclude, exclude-vendored, locks, threads, "
                    "hierarchy, compiler-flags, tu-source-limit-mib, cache-size or "
                    "entry-points)",
                    key);
            ok = false;
        }
        if (!ok)
            return false;
    }
    return true;
}

/* Sets cfg->dir to the absolute directory of `path`: resolved when it
 * exists, else as written (a configuration parsed from memory). */
static int set_dir(struct ll_config *cfg, const char *path)
{
    char buf[PATH_MAX], cwd[PATH_MAX];
    const char *slash = strrchr(path, '/');
    size_t n = !slash ? 0 : slash == path ? 1 : (size_t)(slash - path);
    char *dir = n ? ll_arena_strndup(&cfg->arena, path, n) : ll_arena_strdup(&cfg->arena, ".");
    if (!dir)
        return -1;
    if (realpath(dir, buf)) {
        cfg->dir = ll_arena_strdup(&cfg->arena, buf);
    } else if (dir[0] == '/') {
        cfg->dir = dir;
    } else {
        if (!getcwd(cwd, sizeof(cwd)))
            return -1;
        cfg->dir = ll_arena_printf(&cfg->arena, "%s/%s", cwd, dir);
    }
    return cfg->dir ? 0 : -1;
}

int ll_config_parse(struct ll_config *cfg, const char *path, const char *text, size_t len,
                    bool (*known_rule)(const char *id), char *errbuf, size_t errlen)
{
    struct parser p = {.arena = &cfg->arena, .path = path, .err = errbuf, .errlen = errlen};
    if (!yaml_parser_initialize(&p.yp)) {
        fail_oom(&p);
        return -1;
    }
    yaml_parser_set_input_string(&p.yp, (const unsigned char *)text, len);
    struct node *root = NULL;
    int rc = -1;
    if (memchr(text, '\0', len)) {
        fail_at(&p, 1, "not a text file (it contains NUL bytes)");
        goto out;
    }
    if (parse_document(&p, &root) != 0)
        goto out;
    if (!parse_top(&p, cfg, root, known_rule))
        goto out;
    cfg->path = ll_arena_strdup(&cfg->arena, path);
    if (!cfg->path) {
        fail_oom(&p);
        goto out;
    }
    if (set_dir(cfg, path) != 0) {
        snprintf(errbuf, errlen, "%s: cannot resolve its directory: %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    yaml_parser_delete(&p.yp);
    return rc;
}

static bool registry_knows(const char *id)
{
    return ll_rule_find(id) != NULL || ll_suppress_rule_find(id) != NULL;
}

int ll_config_load(struct ll_config *cfg, const char *path, char *errbuf, size_t errlen)
{
    char *text = NULL;
    size_t len = 0, cap = 0;
    int rc = -1;
    char why[256];
    FILE *f = ll_file_fopen_regular(path, why, sizeof(why));
    if (!f) {
        snprintf(errbuf, errlen, "cannot read configuration '%s': %s", path, why);
        return -1;
    }
    for (;;) {
        if (cap - len < 4096) {
            if (cap > (size_t)1 << 24) {
                snprintf(errbuf, errlen, "%s: configuration larger than 16 MiB", path);
                goto out;
            }
            size_t c = cap ? cap * 2 : 8192;
            char *q = realloc(text, c);
            if (!q) {
                snprintf(errbuf, errlen, "%s: out of memory", path);
                goto out;
            }
            text = q;
            cap = c;
        }
        size_t n = fread(text + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        snprintf(errbuf, errlen, "cannot read configuration '%s': %s", path, strerror(errno));
        goto out;
    }
    rc = ll_config_parse(cfg, path, text ? text : "", len, registry_knows, errbuf, errlen);
out:
    free(text);
    fclose(f);
    return rc;
}

/* Anything at the path counts, so that a FIFO, a directory or a link
 * loop named .locklint.yml is an error that says so, not ignored. */
static bool is_file(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

int ll_config_find(const char *dir, char *out, size_t outlen)
{
    char cur[PATH_MAX];
    if (!realpath(dir, cur)) {
        if (strlen(dir) >= sizeof(cur))
            return -1;
        strcpy(cur, dir);
    }
    static const char *const names[] = {LL_CONFIG_NAME, ".locklint.yaml"};
    for (;;) {
        for (size_t i = 0; i < 2; i++) {
            int n =
                snprintf(out, outlen, "%s%s%s", cur, strcmp(cur, "/") == 0 ? "" : "/", names[i]);
            if (n < 0 || (size_t)n >= outlen)
                return -1;
            if (is_file(out))
                return 1;
        }
        char *slash = strrchr(cur, '/');
        if (!slash || strcmp(cur, "/") == 0)
            return 0;
        if (slash == cur)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
}

/* The directory that holds the compile database given with -p. */
static int compdb_dir(const char *compdb, char *out, size_t outlen)
{
    struct stat st;
    if (stat(compdb, &st) == 0 && S_ISDIR(st.st_mode)) {
        int n = snprintf(out, outlen, "%s", compdb);
        return n < 0 || (size_t)n >= outlen ? -1 : 0;
    }
    const char *slash = strrchr(compdb, '/');
    if (!slash) {
        int n = snprintf(out, outlen, ".");
        return n < 0 || (size_t)n >= outlen ? -1 : 0;
    }
    size_t n = slash == compdb ? 1 : (size_t)(slash - compdb);
    if (n >= outlen)
        return -1;
    memcpy(out, compdb, n);
    out[n] = '\0';
    return 0;
}

int ll_config_load_for(const struct ll_cli *cli, const char *start_dir, struct ll_config *cfg,
                       char *errbuf, size_t errlen)
{
    ll_config_init(cfg);
    char path[PATH_MAX], dir[PATH_MAX];
    int found = 0;
    if (cli->config) {
        if (snprintf(path, sizeof(path), "%s", cli->config) >= (int)sizeof(path)) {
            snprintf(errbuf, errlen, "configuration path too long");
            return -1;
        }
        found = 1;
    } else {
        if (cli->compdb && compdb_dir(cli->compdb, dir, sizeof(dir)) == 0)
            found = ll_config_find(dir, path, sizeof(path));
        if (found == 0 && !cli->compdb && cli->ninputs > 0) {
            /* file mode: from the first file's directory, wherever we are */
            const char *f = cli->inputs[0], *slash = strrchr(f, '/');
            size_t n = !slash ? 1 : slash == f ? 1 : (size_t)(slash - f);
            if (n < sizeof(dir)) {
                memcpy(dir, slash ? f : ".", n);
                dir[n] = '\0';
                found = ll_config_find(dir, path, sizeof(path));
            }
        }
        if (found == 0 && start_dir)
            found = ll_config_find(start_dir, path, sizeof(path));
        if (found < 0) {
            snprintf(errbuf, errlen, "path too long while looking for %s", LL_CONFIG_NAME);
            return -1;
        }
    }
    if (!found) {
        if (start_dir) {
            cfg->dir = ll_arena_strdup(&cfg->arena, start_dir);
            if (!cfg->dir) {
                snprintf(errbuf, errlen, "out of memory");
                return -1;
            }
        }
        return 0;
    }
    if (ll_config_load(cfg, path, errbuf, errlen) != 0)
        return -1;
    if (ll_config_register(cfg) != 0) {
        snprintf(errbuf, errlen, "out of memory");
        return -1;
    }
    return 0;
}

static int add_api(struct ll_config *cfg, const char *name, uint8_t op, uint8_t kind, uint8_t mode,
                   int obj, int aux, int start)
{
    struct ll_api a = {name, op, kind, mode, 0, (int8_t)obj, (int8_t)aux, (int8_t)start, -1};
    if (ll_lockapi_add(&a) != 0)
        return -1;
    cfg->registered = true;
    return 0;
}

int ll_config_register(struct ll_config *cfg)
{
    for (size_t i = 0; i < cfg->nlocks; i++) {
        const struct ll_config_lock *l = &cfg->locks[i];
        if ((l->lock &&
             add_api(cfg, l->lock, LL_OP_LOCK, l->lock_kind, l->mode, l->arg, -1, -1) != 0) ||
            (l->trylock &&
             add_api(cfg, l->trylock, LL_OP_TRYLOCK, l->lock_kind, l->mode, l->arg, -1, -1) != 0) ||
            (l->unlock && add_api(cfg, l->unlock, LL_OP_UNLOCK, l->lock_kind, LL_MODE_EXCL, l->arg,
                                  -1, -1) != 0))
            return -1;
    }
    for (size_t i = 0; i < cfg->nthreads; i++) {
        const struct ll_config_thread *t = &cfg->threads[i];
        int rc = t->create ? add_api(cfg, t->create, LL_OP_THREAD_CREATE, 0, LL_MODE_EXCL,
                                     t->handle, t->arg, t->start)
                           : add_api(cfg, t->join, LL_OP_JOIN, 0, LL_MODE_EXCL, t->handle, -1, -1);
        if (rc != 0)
            return -1;
    }
    return 0;
}

enum ll_rule_setting ll_config_rule(const struct ll_config *cfg, const char *id)
{
    for (size_t i = cfg->nrules; i-- > 0;)
        if (strcmp(cfg->rules[i].id, id) == 0)
            return cfg->rules[i].setting;
    return LL_RULE_DEFAULT;
}

/* fnmatch of `pat` against the first `n` bytes of `s`. */
static bool match_n(const char *pat, const char *s, size_t n)
{
    char buf[PATH_MAX];
    if (n >= sizeof(buf))
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return fnmatch(pat, buf, FNM_PATHNAME | FNM_PERIOD) == 0;
}

/* One user pattern against a relative path (see config.h). */
static bool pattern_matches(const char *pattern, const char *rel)
{
    char pat[PATH_MAX];
    size_t plen = strlen(pattern);
    if (plen >= sizeof(pat))
        return false;
    memcpy(pat, pattern, plen + 1);
    while (plen > 1 && pat[plen - 1] == '/')
        pat[--plen] = '\0';
    bool anchored = strchr(pat, '/') != NULL;
    const char *p = pat;
    if (anchored && *p == '/')
        p++;
    size_t len = strlen(rel);
    if (anchored) {
        /* the whole path, or a leading run of whole components */
        for (size_t i = 0; i <= len; i++)
            if ((i == len || rel[i] == '/') && match_n(p, rel, i))
                return true;
        return false;
    }
    for (size_t start = 0; start < len;) {
        const char *slash = strchr(rel + start, '/');
        size_t end = slash ? (size_t)(slash - rel) : len;
        if (match_n(p, rel + start, end - start))
            return true;
        start = end + 1;
    }
    return false;
}

bool ll_config_excluded(const struct ll_config *cfg, const char *path, const char *cwd)
{
    if (!path || !*path)
        return false;
    char abs[PATH_MAX];
    int n = path[0] == '/' || !cwd ? snprintf(abs, sizeof(abs), "%s", path)
                                   : snprintf(abs, sizeof(abs), "%s/%s", cwd, path);
    if (n < 0 || (size_t)n >= sizeof(abs))
        return false;
    for (size_t i = 0; system_prefixes[i]; i++)
        if (strncmp(abs, system_prefixes[i], strlen(system_prefixes[i])) == 0)
            return true;
    const char *base = cfg->dir ? cfg->dir : cwd;
    const char *rel = NULL;
    if (abs[0] == '/' && base) {
        size_t bl = strlen(base);
        while (bl > 1 && base[bl - 1] == '/')
            bl--;
        if (bl == 1 && base[0] == '/')
            rel = abs + 1;
        else if (strncmp(abs, base, bl) == 0 && abs[bl] == '/')
            rel = abs + bl + 1;
    } else if (abs[0] != '/') {
        rel = abs;
    }
    if (!rel)
        return false; /* outside the project: only system paths are excluded */
    while (rel[0] == '.' && rel[1] == '/')
        rel += 2;
    if (cfg->exclude_vendored) {
        for (const char *c = rel; *c;) {
            const char *slash = strchr(c, '/');
            if (!slash)
                break; /* the file name itself is not a directory */
            size_t len = (size_t)(slash - c);
            for (size_t i = 0; ll_config_vendored_dirs[i]; i++)
                if (strlen(ll_config_vendored_dirs[i]) == len &&
                    strncmp(c, ll_config_vendored_dirs[i], len) == 0)
                    return true;
            c = slash + 1;
        }
    }
    for (size_t i = 0; i < cfg->nexclude; i++)
        if (pattern_matches(cfg->exclude[i], rel))
            return true;
    return false;
}

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME UINT64_C(0x100000001b3)

static uint64_t hash_str(uint64_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
        h = (h ^ *p) * FNV_PRIME;
    return (h ^ (s ? 0xff : 0xfe)) * FNV_PRIME;
}

static uint64_t hash_int(uint64_t h, int v)
{
    char buf[16];
    snprintf(buf, sizeof(buf), "%d", v);
    return hash_str(h, buf);
}

uint64_t ll_config_facts_hash(const struct ll_config *cfg)
{
    uint64_t h = FNV_OFFSET;
    for (size_t i = 0; i < cfg->nlocks; i++) {
        const struct ll_config_lock *l = &cfg->locks[i];
        h = hash_str(hash_str(hash_str(h, l->lock), l->unlock), l->trylock);
        h = hash_int(hash_int(hash_int(h, l->arg), l->lock_kind), l->mode);
    }
    for (size_t i = 0; i < cfg->nthreads; i++) {
        const struct ll_config_thread *t = &cfg->threads[i];
        h = hash_str(hash_str(h, t->create), t->join);
        h = hash_int(hash_int(hash_int(h, t->start), t->arg), t->handle);
    }
    return h;
}
