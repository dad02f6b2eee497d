/*
 * memapi: the table of C library functions that access memory through
 * their pointer arguments (memapi.h).  Sorted by name for bsearch; a unit
 * test checks the order.
 */
#include "memapi.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define A(i) (uint16_t)(1u << (i))

/* name, written arguments, read arguments, first scanf-style argument,
 * flags -- sorted by strcmp. */
static const struct ll_memapi table[] = {
    {"bzero", A(0), 0, 0, 0},
    {"explicit_bzero", A(0), 0, 0, 0},
    {"fgets", A(0), 0, 0, 0},
    {"fgets_unlocked", A(0), 0, 0, 0},
    {"fread", A(0), 0, 0, 0},
    {"fread_unlocked", A(0), 0, 0, 0},
    {"fscanf", 0, 0, 2, 0},
    {"fwrite", 0, A(0), 0, 0},
    {"memcpy", A(0), A(1), 0, LL_MEM_COPY},
    {"memmove", A(0), A(1), 0, LL_MEM_COPY},
    {"mempcpy", A(0), A(1), 0, 0},
    {"memset", A(0), 0, 0, 0},
    {"pread", A(1), 0, 0, 0},
    {"pwrite", 0, A(1), 0, 0},
    {"read", A(1), 0, 0, 0},
    {"recv", A(1), 0, 0, 0},
    {"recvfrom", A(1), 0, 0, 0},
    {"scanf", 0, 0, 1, 0},
    {"send", 0, A(1), 0, 0},
    {"sendto", 0, A(1), 0, 0},
    {"snprintf", A(0), 0, 0, 0},
    {"sprintf", A(0), 0, 0, 0},
    {"sscanf", 0, A(0), 2, 0},
    {"stpcpy", A(0), A(1), 0, 0},
    {"stpncpy", A(0), A(1), 0, 0},
    {"strcat", A(0), A(1), 0, 0},
    {"strcpy", A(0), A(1), 0, 0},
    {"strlcat", A(0), A(1), 0, 0},
    {"strlcpy", A(0), A(1), 0, 0},
    {"strncat", A(0), A(1), 0, 0},
    {"strncpy", A(0), A(1), 0, 0},
    {"vsnprintf", A(0), 0, 0, 0},
    {"vsprintf", A(0), 0, 0, 0},
    {"write", 0, A(1), 0, 0},
};

static int by_name(const void *key, const void *elem)
{
    return strcmp(key, ((const struct ll_memapi *)elem)->name);
}

const struct ll_memapi *ll_memapi_lookup(const char *name)
{
    if (!name)
        return NULL;
    size_t n = strlen(name);
    bool chk = n > 4 && strcmp(name + n - 4, "_chk") == 0;
    if (chk)
        n -= 4;
    size_t skip = 0;
    if (strncmp(name, "__builtin___", 12) == 0)
        skip = 12;
    else if (strncmp(name, "__builtin_", 10) == 0)
        skip = 10;
    else if (strncmp(name, "__isoc99_", 9) == 0 || strncmp(name, "__isoc23_", 9) == 0)
        skip = 9;
    else if (chk && strncmp(name, "__", 2) == 0)
        skip = 2; /* glibc's __read_chk */
    else if (chk)
        return NULL;
    if (n <= skip)
        return NULL;
    name += skip;
    n -= skip;
    char buf[32];
    if (n >= sizeof(buf))
        return NULL;
    memcpy(buf, name, n);
    buf[n] = '\0';
    return bsearch(buf, table, sizeof(table) / sizeof(table[0]), sizeof(table[0]), by_name);
}

size_t ll_memapi_count(void)
{
    return sizeof(table) / sizeof(table[0]);
}

const struct ll_memapi *ll_memapi_at(size_t i)
{
    return i < ll_memapi_count() ? &table[i] : NULL;
}
