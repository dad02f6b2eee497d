/*
 * program: all translation units' facts linked into one program.
 *
 * Functions are linked by USR: a `static inline` function seen in many TUs
 * is kept once (the first TU in the driver's order wins, so output does not
 * depend on -j).  Of an external function several TUs define, the program
 * takes main()'s TU's, else the definition in a TU main() links
 * (ll_programs_linked()), else the first; two that main() links both (the
 * analysis cannot tell which the program runs) are each kept under a
 * made-up USR, and the function's USR names a dispatcher calling each.  Thread roots are `main` and
 * every function given to a thread-creation call as its start routine.  A call through a function
 * pointer is linked to the one function its slot can hold (fnptr.h), or to
 * a made-up dispatcher that calls each of several on its own path -- so
 * that summaries join them and every later phase sees ordinary calls.  This module reads facts
 * only; it never sees a TU's source.
 */
#ifndef LL_PROGRAM_H
#define LL_PROGRAM_H

#include "ir.h"
#include "strmap.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ll_prog_fn {
    const struct ll_function *fn; /* borrowed from its TU's facts */
    const struct ll_tu_facts *tu; /* borrowed */
    bool is_main;
    bool is_start_routine; /* given to pthread_create / thrd_create somewhere */
    bool dispatcher;       /* made up: calls each function a slot can hold (fnptr.h) */
    /* a dispatcher whose slot is called at one place in the program and is
     * a field, variable or local (not a parameter or a return value):
     * whatever the slot holds runs there, on the threads that run it (a
     * pool's worker calling its jobs' `fn`) */
    bool dispatch_in_place;
    uint32_t dispatch_sites;  /* a dispatcher: the calls through its slot */
    uint32_t dispatch_caller; /* a dispatcher: the function of its first call */
    bool entry_caller;        /* made up: a library's callers, calling every entry point */
    bool is_entry;            /* a library entry point (ll_entry_points) */
    int32_t *callee;          /* per event: ll_program_find(event's callee), found once */
};

struct ll_program {
    struct ll_arena arena;
    size_t nfns;
    struct ll_prog_fn *fns;
    struct ll_strmap by_usr; /* USR -> index into fns */
    /* TUs defining an external main(): more than one means the input
     * holds several programs, and only the first main is kept */
    uint32_t nmains;
    const char *main_files[2]; /* the first two of them */
    /* calls through function pointers: how many, how many resolved, and
     * the first unresolved ones (function, event) */
    uint32_t nindirect, nresolved, nunresolved, ndispatchers;
    uint32_t unresolved[8][2];
    /* external functions two TUs main() links define differently: each is
     * a dispatcher over its definitions (programs.h) */
    uint32_t nambiguous;
    uint32_t nentries; /* library entry points (0: not analysed as a library) */
    /* the entry points are every exported function, not ones the
     * configuration names: that they run at once is assumed, not known */
    bool entries_assumed;
};

/*
 * A library's entry points: functions its users may call, on any number of
 * threads at once.  With `library` set, main() is an ordinary function and
 * the program gets one made-up thread root, "<entry points>", several of
 * which run at once, that calls each entry point on a path of its own with
 * no lock held: every exported function (not static, not hidden: ll_function)
 * when `exported`, else
 * the functions named in `names`.
 */
struct ll_entry_points {
    bool library;
    bool exported;
    const char *const *names;
    size_t nnames;
};

/* The name of the made-up root that calls a library's entry points. */
#define LL_ENTRY_CALLER_NAME "<entry points>"

/* Links `ntus` TUs (borrowed; they must outlive the program).  Returns 0 or
 * -1 when out of memory. */
int ll_program_build(struct ll_program *p, const struct ll_tu_facts *tus, size_t ntus);
/* The same, for a library when `entries` says so (NULL: a program). */
int ll_program_build_entries(struct ll_program *p, const struct ll_tu_facts *tus, size_t ntus,
                             const struct ll_entry_points *entries);
void ll_program_release(struct ll_program *p);

/* Index of the function with `usr`, or -1. */
long ll_program_find(const struct ll_program *p, const char *usr);

/* Index of the callee (CALL, also an indirect one) or start routine
 * (THREAD_CREATE, also through a slot) of event `e`
 * of function `fn`, or -1: ll_program_find() of its callee, looked up once
 * when the program was built. */
static inline long ll_program_callee(const struct ll_program *p, uint32_t fn, uint32_t e)
{
    return p->fns[fn].callee[e];
}

#endif
