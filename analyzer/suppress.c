/*
 * suppress: finds `locklint-ignore` comments with a small C lexer (code,
 * line comments with backslash continuations, block comments, string and
 * character literals), so that the words inside a string literal or far
 * into a line of code are not taken for a suppression.
 *
 * Suppressions are kept per file in scan order; applying them to a report
 * is a scan over the suppressions of the finding's file, which is cheap for
 * the handful a file has.  Nothing here reads a finding's related sites:
 * a finding is suppressed where its primary location is.
 */
#define _GNU_SOURCE /* memmem */
#include "suppress.h"

#include "file_access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIRECTIVE "locklint-ignore"
#define MAX_FILE_SIZE ((size_t)64 << 20)

const struct ll_rule_info ll_suppress_rules[] = {
    {LL_RULE_UNUSED_SUPPRESSION, "a locklint-ignore comment that silences no finding",
     "## What it does\n\n"
     "Reports a `locklint-ignore` comment (or a rule named in one, or a\n"
     "`locklint-ignore-begin`/`-end` region) that silenced no finding in this run.\n\n"
     "## Why is this bad\n\n"
     "A stale suppression hides the next real finding on that line.\n\n"
     "## Use instead\n\n"
     "Delete the comment, or the rule name that no longer applies.\n\n"
     "## Known problems\n\n"
     "Only rules that ran count: a suppression of a rule switched off with\n"
     "`--disable` or in `.locklint.yml` is never reported as unused.\n",
     LL_SEV_NOTE},
    {LL_RULE_BAD_SUPPRESSION,
     "a locklint-ignore comment that names an unknown rule or is malformed",
     "## What it does\n\n"
     "Reports `locklint-ignore` comments that name a rule locklint does not have,\n"
     "lack the rule list (`// locklint-ignore: RULE[,RULE] reason`), or leave a\n"
     "`locklint-ignore-begin` region unclosed or close one that was never opened.\n\n"
     "## Why is this bad\n\n"
     "A misspelt rule name silences nothing, so the finding it was meant for is\n"
     "still reported, or a region silences more than intended.\n\n"
     "## Use instead\n\n"
     "`locklint --list-rules` lists the rule ids.\n",
     LL_SEV_NOTE},
};
const size_t ll_suppress_nrules = sizeof(ll_suppress_rules) / sizeof(ll_suppress_rules[0]);

const struct ll_rule_info *ll_suppress_rule_find(const char *id)
{
    for (size_t i = 0; i < ll_suppress_nrules; i++)
        if (strcmp(ll_suppress_rules[i].id, id) == 0)
            return &ll_suppress_rules[i];
    return NULL;
}

void ll_suppress_init(struct ll_suppress *s)
{
    memset(s, 0, sizeof(*s));
    ll_arena_init(&s->arena);
}

void ll_suppress_release(struct ll_suppress *s)
{
    free(s->items);
    free(s->problems);
    free(s->text);
    ll_arena_release(&s->arena);
    ll_suppress_init(s);
}

static int add_problem(struct ll_suppress *s, const char *file, uint32_t line, const char *msg)
{
    if (s->nproblems == s->problems_cap) {
        size_t cap = s->problems_cap ? s->problems_cap * 2 : 8;
        struct ll_suppress_problem *p = realloc(s->problems, cap * sizeof(*p));
        if (!p)
            return -1;
        s->problems = p;
        s->problems_cap = cap;
    }
    const char *m = ll_arena_strdup(&s->arena, msg);
    if (!m)
        return -1;
    s->problems[s->nproblems++] = (struct ll_suppress_problem){file, line, m};
    return 0;
}

static struct ll_suppression *add_item(struct ll_suppress *s)
{
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct ll_suppression *p = realloc(s->items, cap * sizeof(*p));
        if (!p)
            return NULL;
        s->items = p;
        s->cap = cap;
    }
    struct ll_suppression *it = &s->items[s->count++];
    memset(it, 0, sizeof(*it));
    return it;
}

static bool rule_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

/*
 * Parses ": rule[, rule]..." at *p (up to end) into the item's rule list.
 * Returns 1 when rules were found, 0 when there is no list, -1 on OOM.
 */
static int parse_rules(struct ll_suppress *s, struct ll_suppression *it, const char *p,
                       const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p >= end || *p != ':')
        return 0;
    p++;
    const char *names[64];
    size_t n = 0;
    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *b = p;
        while (p < end && rule_char(*p))
            p++;
        if (p == b)
            break;
        if (n < sizeof(names) / sizeof(names[0])) {
            names[n] = ll_arena_strndup(&s->arena, b, (size_t)(p - b));
            if (!names[n])
                return -1;
            n++;
        }
        const char *q = p;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        if (q < end && *q == ',') {
            p = q + 1;
            continue;
        }
        break;
    }
    if (n == 0)
        return 0;
    bool all = false;
    for (size_t i = 0; i < n; i++)
        all = all || strcmp(names[i], "all") == 0;
    if (all)
        n = 0;
    it->nrules = n;
    it->rules = n ? ll_arena_alloc(&s->arena, n * sizeof(*it->rules)) : NULL;
    it->used = ll_arena_alloc(&s->arena, (n ? n : 1) * sizeof(*it->used));
    if ((n && !it->rules) || !it->used)
        return -1;
    if (n)
        memcpy(it->rules, names, n * sizeof(*names));
    return 1;
}

struct scan {
    struct ll_suppress *s;
    const char *file;
    size_t open[64]; /* indices of open regions */
    size_t nopen;
    bool overflow; /* more regions open than `open` holds */
};

/* One directive found in a comment: `p` points just after DIRECTIVE. */
static int directive(struct scan *sc, const char *p, const char *end, uint32_t line,
                     bool code_before)
{
    struct ll_suppress *s = sc->s;
    char msg[160];
    if (end - p >= 4 && strncmp(p, "-end", 4) == 0 && (end - p == 4 || !rule_char(p[4]))) {
        if (sc->nopen == 0) {
            snprintf(msg, sizeof(msg), "'%s-end' without a '%s-begin'", DIRECTIVE, DIRECTIVE);
            return add_problem(s, sc->file, line, msg);
        }
        s->items[sc->open[--sc->nopen]].last = line;
        return 0;
    }
    bool begin = end - p >= 6 && strncmp(p, "-begin", 6) == 0 && (end - p == 6 || !rule_char(p[6]));
    if (begin)
        p += 6;
    else if (p < end && rule_char(*p))
        return 0; /* some other word, e.g. locklint-ignored */
    struct ll_suppression *it = add_item(s);
    if (!it)
        return -1;
    it->file = sc->file;
    it->line = line;
    it->region = begin;
    int rc = parse_rules(s, it, p, end);
    if (rc < 0)
        return -1;
    if (rc == 0 && !begin) {
        s->count--;
        snprintf(msg, sizeof(msg), "'%s' without rule names (write '// %s: RULE[,RULE] reason')",
                 DIRECTIVE, DIRECTIVE);
        return add_problem(s, sc->file, line, msg);
    }
    if (rc == 0) {
        it->nrules = 0;
        it->used = ll_arena_alloc(&s->arena, sizeof(*it->used));
        if (!it->used)
            return -1;
    }
    it->first = line;
    if (begin) {
        it->last = UINT32_MAX;
        if (sc->nopen < sizeof(sc->open) / sizeof(sc->open[0]))
            sc->open[sc->nopen++] = s->count - 1;
        else
            sc->overflow = true;
    } else {
        it->last = code_before ? line : line + 1;
    }
    return 0;
}

/* True when only comment decoration (spaces, '*', '/') precedes p on its
 * line of the comment: a directive is the first word of that line. */
static bool first_word(const char *line_start, const char *p)
{
    for (const char *q = line_start; q < p; q++)
        if (*q != ' ' && *q != '\t' && *q != '*' && *q != '/' && *q != '!')
            return false;
    return true;
}

/* Looks for directives in one comment's text. */
static int comment(struct scan *sc, const char *text, const char *end, uint32_t line,
                   bool code_before)
{
    size_t dl = strlen(DIRECTIVE);
    const char *line_start = text;
    for (const char *p = text; p + dl <= end; p++) {
        if (*p == '\n') {
            line++;
            code_before = false;
            line_start = p + 1;
            continue;
        }
        if (*p != 'l' || strncmp(p, DIRECTIVE, dl) != 0)
            continue;
        if (!first_word(line_start, p))
            continue; /* prose that mentions the directive, not one */
        /* the directive ends at the end of its line within the comment */
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if (directive(sc, p + dl, eol, line, code_before) != 0)
            return -1;
        p += dl - 1;
    }
    return 0;
}

/* Whether the directive occurs in the text at all: most files have none,
 * and then there is nothing the scan below could find. */
static bool mentions_directive(const char *text, size_t len)
{
    /* memmem: a memchr for the directive's first letter stops at every
     * 'l' of the file (a 244k-line amalgamation: 15 ms) */
    return memmem(text, len, DIRECTIVE, strlen(DIRECTIVE)) != NULL;
}

int ll_suppress_scan_text(struct ll_suppress *s, const char *file, const char *text, size_t len)
{
    const char *f = ll_arena_strdup(&s->arena, file);
    if (!f)
        return -1;
    struct scan sc = {.s = s, .file = f};
    /* An item with line 0 covers nothing; it records that the file was scanned. */
    struct ll_suppression *mark = add_item(s);
    if (!mark)
        return -1;
    mark->file = f;
    mark->line = 0;
    mark->first = 1;
    mark->last = 0; /* covers nothing */
    mark->used = NULL;
    if (!mentions_directive(text, len))
        return 0;
    const char *p = text, *end = text + len;
    uint32_t line = 1;
    bool code_on_line = false;
    while (p < end) {
        char c = *p;
        if (c == '\n') {
            line++;
            code_on_line = false;
            p++;
        } else if (c == '/' && p + 1 < end && p[1] == '/') {
            const char *b = p + 2;
            uint32_t start = line;
            p = b;
            while (p < end && *p != '\n') {
                if (*p == '\\' && p + 1 < end && p[1] == '\n') {
                    line++;
                    p++;
                }
                p++;
            }
            if (comment(&sc, b, p, start, code_on_line) != 0)
                return -1;
        } else if (c == '/' && p + 1 < end && p[1] == '*') {
            const char *b = p + 2;
            uint32_t start = line;
            p = b;
            while (p < end && !(*p == '*' && p + 1 < end && p[1] == '/')) {
                if (*p == '\n')
                    line++;
                p++;
            }
            if (comment(&sc, b, p, start, code_on_line) != 0)
                return -1;
            p = p < end ? p + 2 : end;
        } else if (c == '"' || c == '\'') {
            code_on_line = true;
            for (p++; p < end && *p != c && *p != '\n'; p++)
                if (*p == '\\' && p + 1 < end) {
                    p++;
                    if (*p == '\n')
                        line++;
                }
            if (p < end && *p == c)
                p++;
        } else {
            if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v')
                code_on_line = true;
            p++;
        }
    }
    for (size_t i = 0; i < sc.nopen; i++) {
        char msg[160];
        snprintf(msg, sizeof(msg), "'%s-begin' without a matching '%s-end'", DIRECTIVE, DIRECTIVE);
        if (add_problem(s, f, s->items[sc.open[i]].line, msg) != 0)
            return -1;
    }
    return 0;
}

int ll_suppress_scan_file(struct ll_suppress *s, const char *file, const char *open_path)
{
    char why[256];
    FILE *fp = ll_file_fopen_regular(open_path, why, sizeof(why));
    if (!fp)
        return 1;
    /* s->text grows to the largest file and serves every file after it:
     * fresh memory for each file would be faulted in again */
    size_t len = 0;
    int rc = 1;
    for (;;) {
        if (s->text_cap - len < 65536) {
            if (s->text_cap >= MAX_FILE_SIZE)
                goto out; /* not source code we can scan: skip it */
            size_t c = s->text_cap ? s->text_cap * 2 : 65536;
            char *q = realloc(s->text, c);
            if (!q) {
                rc = -1;
                goto out;
            }
            s->text = q;
            s->text_cap = c;
        }
        size_t n = fread(s->text + len, 1, s->text_cap - len, fp);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(fp))
        goto out;
    rc = ll_suppress_scan_text(s, file, s->text, len);
out:
    fclose(fp);
    return rc;
}

bool ll_suppress_scanned(const struct ll_suppress *s, const char *file)
{
    for (size_t i = 0; i < s->count; i++)
        if (s->items[i].line == 0 && strcmp(s->items[i].file, file) == 0)
            return true;
    return false;
}

/* The index of the rule in it->rules that covers `rule`, 0 for every-rule
 * suppressions, or -1. */
static long covers(const struct ll_suppression *it, const struct ll_finding *f)
{
    if (it->line == 0 || f->primary.line < it->first || f->primary.line > it->last)
        return -1;
    if (strcmp(it->file, f->primary.file) != 0)
        return -1;
    /* A suppression never hides the notes about suppressions. */
    if (ll_suppress_rule_find(f->rule))
        return -1;
    if (it->nrules == 0)
        return 0;
    for (size_t i = 0; i < it->nrules; i++)
        if (strcmp(it->rules[i], f->rule) == 0)
            return (long)i;
    return -1;
}

size_t ll_suppress_apply(struct ll_suppress *s, struct ll_report *r)
{
    size_t kept = 0, removed = 0;
    for (size_t i = 0; i < r->count; i++) {
        struct ll_finding *f = r->items[i];
        bool hit = false;
        for (size_t k = 0; f->primary.file && k < s->count; k++) {
            long idx = covers(&s->items[k], f);
            if (idx >= 0) {
                s->items[k].used[idx] = true;
                hit = true;
            }
        }
        if (hit)
            removed++;
        else
            r->items[kept++] = f;
    }
    r->count = kept;
    return removed;
}

long ll_suppress_report(const struct ll_suppress *s, struct ll_report *r,
                        bool (*known)(const char *id), bool (*ran)(const char *id, void *ctx),
                        void *ctx)
{
    long added = 0;
    for (size_t i = 0; i < s->nproblems; i++) {
        const struct ll_suppress_problem *p = &s->problems[i];
        struct ll_site site = {p->file, p->line, 1, NULL};
        if (!ll_report_add(r, LL_RULE_BAD_SUPPRESSION, LL_SEV_NOTE, &site, NULL, NULL, "%s",
                           p->message))
            return -1;
        added++;
    }
    for (size_t i = 0; i < s->count; i++) {
        const struct ll_suppression *it = &s->items[i];
        if (it->line == 0)
            continue;
        struct ll_site site = {it->file, it->line, 1, NULL};
        const char *what = it->region ? DIRECTIVE "-begin" : DIRECTIVE;
        if (it->nrules == 0) {
            if (!it->used[0]) {
                if (!ll_report_add(r, LL_RULE_UNUSED_SUPPRESSION, LL_SEV_NOTE, &site, NULL, "all",
                                   "'%s' silences no finding", what))
                    return -1;
                added++;
            }
            continue;
        }
        for (size_t k = 0; k < it->nrules; k++) {
            const char *id = it->rules[k];
            struct ll_finding *f = NULL;
            if (known && !known(id)) {
                f = ll_report_add(r, LL_RULE_BAD_SUPPRESSION, LL_SEV_NOTE, &site, NULL, id,
                                  "'%s' names unknown rule '%s' (see locklint --list-rules)", what,
                                  id);
            } else if (!it->used[k] && (!ran || ran(id, ctx))) {
                f = ll_report_add(r, LL_RULE_UNUSED_SUPPRESSION, LL_SEV_NOTE, &site, NULL, id,
                                  "'%s' for '%s' silences no finding", what, id);
            } else {
                continue;
            }
            if (!f)
                return -1;
            added++;
        }
    }
    return added;
}
