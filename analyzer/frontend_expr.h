/*
 * frontend_expr: expressions, conditions and calls into events and
 * branches (see frontend_cfg.h for where it sits in the frontend's stack).
 * Not for other modules.
 */
#ifndef LL_FRONTEND_EXPR_H
#define LL_FRONTEND_EXPR_H

#include "frontend_cfg.h"

enum expr_ctx { CTX_READ, CTX_WRITE, CTX_RMW, CTX_ADDR, CTX_NONE };
/* Where an event was emitted: block and position in it (block UINT32_MAX
 * for none). */
struct evref {
    uint32_t block, pos;
};
/* Lowers an expression; returns the event that carries its result (a
 * call's), if any. */
struct evref fe_expr(struct fn_builder *b, CXCursor e, enum expr_ctx ctx);
/* Lowers a branch on `cond`: edges to t when true, f when false. */
void fe_cond(struct fn_builder *b, CXCursor cond, uint32_t t, uint32_t f);
/* Whether any declaration of the function `decl` says it never returns. */
bool fe_callee_noreturn(struct tu_ctx *tu, CXCursor decl);
CXCursor fe_strip(CXCursor e);
bool fe_is_binop(CXCursor c, enum CXBinaryOperatorKind k);
bool fe_is_unop(CXCursor c, enum CXUnaryOperatorKind k);
struct ll_path fe_path(struct fn_builder *b, CXCursor e, unsigned depth);
/* Finds the local pointers of the function `body` belongs to that are set
 * exactly once, to the address of an object (`job = &ctx->jobs[i]`,
 * `l = &stripes[h % N]`), and never stepped or given away by address:
 * fe_path() names what they point to by that object's path. */
void fe_scan_aliases(struct fn_builder *b, CXCursor body);
/* Local variable key when `e` names a local or parameter, else NULL. */
const char *fe_local_var(struct fn_builder *b, CXCursor e);
bool fe_eval_int(CXCursor e, long long *out);
/* Canonical text of a side-effect-free condition over locals, or NULL. */
const char *fe_cond_text(struct fn_builder *b, CXCursor e, const char ***vars, uint32_t *nvars);

#endif
