/*
 * frontend_internal: the state shared by the frontend's files while one
 * function body is lowered.  frontend.c walks the TU, frontend_stmt.c builds
 * the control-flow graph from statements, frontend_expr.c lowers
 * expressions, calls and access paths into events.  Not for other modules.
 */
#ifndef LL_FRONTEND_INTERNAL_H
#define LL_FRONTEND_INTERNAL_H

#include "ir.h"
#include "lockapi.h"

#include "clang_shim.h"
#include <stdbool.h>
#include <stddef.h>

/* Deeper statement or expression nesting than this is skipped (and the
 * function marked LL_FN_TRUNCATED) so that no walker recurses without
 * bound; clang itself refuses far shallower bracket nesting by default. */
#define LL_MAX_NESTING 400

struct tu_ctx; /* frontend.c: per-TU state (files, noreturn cache, fnrefs) */

struct build_block {
    struct ll_event *events;
    uint32_t nevents, cap;
    uint32_t succ[2];
    uint32_t nsucc;
    uint32_t *many; /* switch dispatch successors beyond two */
    uint32_t nmany, capmany;
    uint16_t loop_depth;
    uint8_t flags; /* LL_BLK_* */
    struct ll_cond cond;
};

struct label {
    char *name;
    uint32_t block;
};

/* Keys of locals with a property (recursive mutex attributes, ...). */
struct keyset {
    const char **v;
    size_t n, cap;
};

struct fn_builder {
    struct tu_ctx *tu;
    struct ll_arena *arena; /* the TU's facts arena */
    CXTranslationUnit ctu;
    CXCursor fn;
    const char *fn_name;
    struct build_block *blocks;
    uint32_t nblocks, capblocks;
    uint32_t cur;       /* block receiving events */
    uint32_t exit;      /* the unique exit block */
    uint32_t brk, cont; /* targets of break / continue, UINT32_MAX outside */
    uint16_t loop_depth;
    unsigned depth; /* current nesting, bounded by LL_MAX_NESTING */
    bool truncated, oom;
    struct label *labels;
    size_t nlabels, caplabels;
    uint32_t nevents_total; /* events so far, to give events global indices */
    struct keyset recursive_attrs, detached_attrs;
    /* switch being built: dispatch block, and whether it had a default */
    uint32_t sw_dispatch;
    bool sw_default;
    struct ll_event sink; /* absorbs writes after an allocation failure */
    /* scratch stack of cursors for child lists */
    CXCursor *cs;
    size_t ncs, capcs;
};

/* frontend.c */
uint32_t fe_file_index(struct tu_ctx *tu, CXFile file);
struct ll_loc fe_loc(struct fn_builder *b, CXCursor c);
bool fe_callee_noreturn(struct tu_ctx *tu, CXCursor decl);
void fe_add_fnref(struct fn_builder *b, CXCursor fn_decl, const char *context, CXCursor at);
char *fe_string(struct ll_arena *a, CXString s); /* copies and disposes */

/* frontend_stmt.c */
uint32_t fe_new_block(struct fn_builder *b);
void fe_edge(struct fn_builder *b, uint32_t from, uint32_t to);
/* Ends the current block's path: what follows is unreachable. */
void fe_dead_end(struct fn_builder *b);
struct ll_event *fe_emit(struct fn_builder *b, enum ll_event_kind kind, CXCursor at);
void fe_stmt(struct fn_builder *b, CXCursor s);
/* Lowers a branch on `cond`: edges to t when true, f when false. */
void fe_cond(struct fn_builder *b, CXCursor cond, uint32_t t, uint32_t f);
size_t fe_push_children(struct fn_builder *b, CXCursor c);
int fe_build_function(struct fn_builder *b, struct ll_function *out);

/* frontend_expr.c */
enum expr_ctx { CTX_READ, CTX_WRITE, CTX_RMW, CTX_ADDR, CTX_NONE };
/* Where an event was emitted: block and position in it (block UINT32_MAX
 * for none). */
struct evref {
    uint32_t block, pos;
};
/* Lowers an expression; returns the event that carries its result (a
 * call's), if any. */
struct evref fe_expr(struct fn_builder *b, CXCursor e, enum expr_ctx ctx);
CXCursor fe_strip(CXCursor e);
struct ll_path fe_path(struct fn_builder *b, CXCursor e, unsigned depth);
/* Local variable key when `e` names a local or parameter, else NULL. */
const char *fe_local_var(struct fn_builder *b, CXCursor e);
bool fe_eval_int(CXCursor e, long long *out);
/* Canonical text of a side-effect-free condition over locals, or NULL. */
const char *fe_cond_text(struct fn_builder *b, CXCursor e, const char ***vars, uint32_t *nvars);
int fe_keyset_add(struct fn_builder *b, struct keyset *s, const char *key);
bool fe_keyset_has(const struct keyset *s, const char *key);

#endif
