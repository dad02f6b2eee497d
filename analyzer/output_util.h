/*
 * output_util: helpers shared by the JSON, SARIF and Code Climate writers.
 */
#ifndef LL_OUTPUT_UTIL_H
#define LL_OUTPUT_UTIL_H

#include <jansson.h>
#include <stddef.h>

/* `path` relative to `base` when it lies under it, else `path` (borrowed). */
const char *ll_out_rel_path(const char *path, const char *base);

/* Length of the valid UTF-8 sequence at s, or 0 when it is not one. */
size_t ll_out_utf8_seq(const unsigned char *s);

/* A JSON string for s (null for NULL), invalid UTF-8 replaced by U+FFFD;
 * NULL when out of memory. */
json_t *ll_out_jstr(const char *s);

#endif
