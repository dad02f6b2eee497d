/*
 * memapi: the C library functions that read or write memory through their
 * pointer arguments (memcpy, snprintf, read, fgets, scanf, ...), as one
 * table.  The frontend turns such a call into accesses of the objects the
 * arguments point to, as `buf[i] = x` or `*p = x` would be: a buffer
 * filled by snprintf() in one thread races with its locked reads in
 * another.  Only these names, and only when the called function is the C
 * library's (declared in a system header, not defined by the program).
 */
#ifndef LL_MEMAPI_H
#define LL_MEMAPI_H

#include <stddef.h>
#include <stdint.h>

/* ll_memapi.flags */
enum {
    LL_MEM_COPY = 1 << 0, /* copies argument 1's object into argument 0's (memcpy,
                             memmove): a lock in it is copied (lock-copy) */
};

struct ll_memapi {
    const char *name;
    uint16_t writes; /* bit i: a range of memory from argument i on is written */
    uint16_t reads;  /* bit i: ... is read */
    uint8_t rest;    /* > 0: every argument from this index on points to one object
                        the call writes (scanf's), else 0 */
    uint8_t flags;   /* LL_MEM_* */
};

/* The entry for `name`, also as a builtin (`__builtin_memcpy`), a fortified
 * one (`__builtin___memcpy_chk`, `__read_chk`) or glibc's ISO C scanf
 * (`__isoc99_sscanf`), which keep the leading arguments; or NULL. */
const struct ll_memapi *ll_memapi_lookup(const char *name);

/* The built-in table, for tests. */
size_t ll_memapi_count(void);
const struct ll_memapi *ll_memapi_at(size_t i);

#endif
