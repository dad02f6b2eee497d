/*
 * output_util: what the JSON-based writers share -- paths relative to the
 * report's base directory, and JSON strings that stay valid UTF-8 whatever
 * bytes a path or message holds.  Formatting of findings stays in each
 * writer.
 */
#include "output_util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* `path` relative to `base` when it lies under it, else `path` itself. */
const char *ll_out_rel_path(const char *path, const char *base)
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
size_t ll_out_utf8_seq(const unsigned char *s)
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
json_t *ll_out_jstr(const char *s)
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
        size_t n = ll_out_utf8_seq(p);
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
