/*
 * clang_shim: dlopen()s libclang on first use and resolves every function
 * the frontend calls (see clang_shim.h).  The library's path is the one
 * CMake found at build time, with the plain soname as a fallback.
 */
#define LL_CLANG_SHIM_IMPL
#include "clang_shim.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define LL_CLANG_DEFINE(name) __typeof__(name) *ll_ptr_##name;
LL_CLANG_FUNCTIONS(LL_CLANG_DEFINE)
#undef LL_CLANG_DEFINE

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int load_status = -1;
static char load_error[512] = "libclang was not loaded";

static void *open_libclang(void)
{
    static const char *const candidates[] = {LL_LIBCLANG_PATH, "libclang-19.so.19",
                                             "libclang-19.so.1", "libclang.so"};
    void *h = NULL;
    for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]) && !h; i++)
        h = dlopen(candidates[i], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(load_error, sizeof(load_error), "cannot load libclang (%s): %s", LL_LIBCLANG_PATH,
                 why ? why : "unknown error");
    }
    return h;
}

static void load(void)
{
    void *h = open_libclang();
    if (!h)
        return;
    /* dlsym returns void *; POSIX guarantees it converts to a function
     * pointer, which ISO C alone does not: go through memcpy */
#define LL_CLANG_RESOLVE(name)                                                                     \
    do {                                                                                           \
        void *sym = dlsym(h, #name);                                                               \
        if (!sym) {                                                                                \
            snprintf(load_error, sizeof(load_error), "libclang lacks %s", #name);                  \
            return;                                                                                \
        }                                                                                          \
        memcpy(&ll_ptr_##name, &sym, sizeof(sym));                                                 \
    } while (0);
    LL_CLANG_FUNCTIONS(LL_CLANG_RESOLVE)
#undef LL_CLANG_RESOLVE
    load_status = 0;
}

int ll_clang_load(void)
{
    pthread_once(&once, load);
    return load_status;
}

const char *ll_clang_error(void)
{
    return load_status == 0 ? NULL : load_error;
}
