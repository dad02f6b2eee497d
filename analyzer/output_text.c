/*
 * output_text: GCC-style findings, one line each, so that editors, CI log
 * parsers and `grep` understand them:
 *
 *     src/a.c:12:5: warning: 'a' acquired while holding 'b' [lock-order-inversion]
 *     src/b.c:30:5: note: 'b' acquired while holding 'a' here
 *
 * With o->caret (a terminal), each of those lines is followed by the source
 * line and a caret under the column, and each finding ends with a help line
 * pointing to `locklint explain RULE`; pipes get the bare lines only.
 *
 * Only findings go to `out`: summaries ("3 warnings generated") and
 * progress are the driver's, on stderr.
 */
#include "output.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* `path` relative to `base` when it lies under it, else `path` itself. */
static const char *rel_path(const char *path, const char *base)
{
    if (!path)
        return "<unknown>";
    if (!base || !*base)
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

/* A finding path as the text shows it: relative to the current directory
 * (o->text_dir) when it lies under it, else absolute, as a compiler run
 * there would print it.  Uses `buf` (PATH_MAX-ish) when it must join. */
static const char *shown_path(const char *path, const struct ll_output_opts *o, char *buf,
                              size_t len)
{
    if (!path || !o->text_dir)
        return rel_path(path, o->base_dir);
    if (path[0] != '/' && o->base_dir && *o->base_dir) {
        snprintf(buf, len, "%s/%s", o->base_dir, path);
        path = buf;
    }
    size_t n = strlen(o->text_dir);
    while (n > 1 && o->text_dir[n - 1] == '/')
        n--;
    if (strncmp(path, o->text_dir, n) == 0 && path[n] == '/' && path[n + 1])
        return path + n + 1;
    return path;
}

/*
 * Reads line `lineno` (1-based) of `path` into *buf without its line end.
 * Returns its length, or -1 when the file or the line cannot be read: the
 * caret is a convenience and its absence is not an error.
 */
static long read_line(const char *path, const char *base, uint32_t lineno, char **buf, size_t *cap)
{
    if (!path || lineno == 0)
        return -1;
    char full[8192];
    if (path[0] != '/' && base && *base) {
        snprintf(full, sizeof(full), "%s/%s", base, path);
        path = full;
    }
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long len = -1;
    for (uint32_t i = 1; i <= lineno; i++) {
        ssize_t n = getline(buf, cap, f);
        if (n < 0)
            goto out;
        if (i == lineno)
            len = (long)n;
    }
    while (len > 0 && ((*buf)[len - 1] == '\n' || (*buf)[len - 1] == '\r'))
        len--;
out:
    fclose(f);
    return len;
}

/*
 * Prints the source line and a caret under byte column `col`.  The caret
 * line copies the tabs of the source line so the caret stays aligned however
 * wide the terminal draws a tab, and skips UTF-8 continuation bytes so that
 * a multi-byte character takes one cell.
 */
static void print_caret(FILE *out, const struct ll_site *s, const char *base, char **buf,
                        size_t *cap)
{
    long len = read_line(s->file, base, s->line, buf, cap);
    if (len < 0)
        return;
    fprintf(out, "%.*s\n", (int)len, *buf);
    for (uint32_t i = 0; i + 1 < s->col; i++) {
        unsigned char c = i < (unsigned long)len ? (unsigned char)(*buf)[i] : ' ';
        if ((c & 0xC0) == 0x80)
            continue;
        fputc(c == '\t' ? '\t' : ' ', out);
    }
    fputs("^\n", out);
}

/* ANSI colours as clang uses them; "" when colour is off. */
#define COLOR(o, code) ((o)->color ? "\033[" code "m" : "")
#define BOLD "1"
#define RESET "0"

/* The word and colour of a finding's severity: notes are `remark:`, as
 * clang prints them, so that problem matchers do not take them for the
 * evidence (`note:`) of the finding before. */
static const char *severity_word(enum ll_severity s, const char **color)
{
    switch (s) {
    case LL_SEV_ERROR:
        *color = "1;31";
        return "error";
    case LL_SEV_WARNING:
        *color = "1;35";
        return "warning";
    default:
        *color = "1;34";
        return "remark";
    }
}

/* Whether rule `id` came before finding i (its help line is printed). */
static bool rule_seen(const struct ll_report *r, size_t i, const char *id)
{
    for (size_t k = 0; k < i; k++)
        if (strcmp(r->items[k]->rule, id) == 0)
            return true;
    return false;
}

int ll_output_text(FILE *out, const struct ll_report *r, const struct ll_output_opts *o)
{
    char *buf = NULL, pbuf[8192];
    size_t cap = 0;
    for (size_t i = 0; i < r->count; i++) {
        const struct ll_finding *f = r->items[i];
        const char *sc = "";
        const char *word = severity_word(f->severity, &sc);
        fprintf(out, "%s%s:%u:%u: %s%s%s%s:%s%s %s [%s]%s\n", COLOR(o, BOLD),
                shown_path(f->primary.file, o, pbuf, sizeof(pbuf)), (unsigned)f->primary.line,
                (unsigned)f->primary.col, o->color ? "\033[" : "", o->color ? sc : "",
                o->color ? "m" : "", word, COLOR(o, RESET), COLOR(o, BOLD), f->message, f->rule,
                COLOR(o, RESET));
        if (o->caret)
            print_caret(out, &f->primary, o->base_dir, &buf, &cap);
        for (size_t j = 0; j < f->nrelated; j++) {
            const struct ll_site *s = &f->related[j];
            fprintf(out, "%s%s:%u:%u: %snote:%s %s\n", COLOR(o, BOLD),
                    shown_path(s->file, o, pbuf, sizeof(pbuf)), (unsigned)s->line, (unsigned)s->col,
                    COLOR(o, "1;30"), COLOR(o, RESET),
                    s->message ? s->message : "related location");
            if (o->caret)
                print_caret(out, s, o->base_dir, &buf, &cap);
        }
        /* once per rule and run: the fix does not change between findings */
        if (o->caret && !rule_seen(r, i, f->rule))
            fprintf(out, "  %shelp:%s run 'locklint explain %s' for how to fix this\n",
                    COLOR(o, "1;36"), COLOR(o, RESET), f->rule);
    }
    free(buf);
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
