/*
 * view: the one read-only API rules see.  It bundles the linked program and
 * the lock state of every function, and turns IR locations into report
 * sites.  Rules never include libclang, SQLite or stdio-writing code; they
 * read this and call the report API.
 */
#ifndef LL_VIEW_H
#define LL_VIEW_H

#include "dataflow.h"
#include "ir.h"
#include "program.h"
#include "report.h"

#include <stdbool.h>
#include <stddef.h>

struct ll_fn_view {
    const struct ll_function *fn;
    const struct ll_tu_facts *tu;
    struct ll_df_result df;
    bool is_main, is_start_routine;
};

struct ll_view {
    struct ll_program program;
    struct ll_arena arena;
    size_t nfns;
    struct ll_fn_view *fns;
    uint8_t *may_lock;                  /* per program function */
    struct ll_strmap recursive_classes; /* lock classes initialised recursive */
};

/* Links the TUs and runs the dataflow on every function.  Returns 0 or -1
 * when out of memory. Release with ll_view_release(). */
int ll_view_build(struct ll_view *v, const struct ll_tu_facts *tus, size_t ntus);
void ll_view_release(struct ll_view *v);

/* A thread root: main or a start routine (its entry holds no lock). */
static inline bool ll_fn_view_is_root(const struct ll_fn_view *f)
{
    return f->is_main || f->is_start_routine;
}

/* The report site of a location in f's TU, with an optional message. */
struct ll_site ll_view_site(const struct ll_fn_view *f, struct ll_loc loc, const char *message);

/* True when the location lies in a system header. */
bool ll_view_in_system_header(const struct ll_fn_view *f, struct ll_loc loc);

/*
 * True when the lock state `st` at event `e` of f says "not held" on some
 * path: released there, or never taken since the thread started.  (A call
 * to a function that may take locks turns both into ENTRY: the callee may
 * be a wrapper that took it.)
 */
bool ll_view_not_held_somewhere(const struct ll_view *v, const struct ll_fn_view *f, uint32_t e,
                                uint8_t st);

/* True when lock `lock` of f is recursive: a recursive kind at its use, a
 * recursive initialisation in f, or a global with a recursive
 * initialiser in any TU. */
bool ll_view_lock_recursive(const struct ll_view *v, const struct ll_fn_view *f, uint32_t lock);

#endif
