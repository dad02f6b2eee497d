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
/* `e` without parentheses, implicit casts and plain casts. */
CXCursor fe_strip(CXCursor e);
bool fe_is_binop(CXCursor c, enum CXBinaryOperatorKind k);
bool fe_is_unop(CXCursor c, enum CXUnaryOperatorKind k);
struct ll_path fe_path(struct fn_builder *b, CXCursor e, unsigned depth);
/* Finds the local pointers of the function `body` belongs to that are set
 * exactly once, to the address of an object (`job = &ctx->jobs[i]`,
 * `l = &stripes[h % N]`), and never stepped or given away by address:
 * fe_path() names what they point to by that object's path. */
void fe_scan_aliases(struct fn_builder *b, CXCursor body);
/* The path of a returned pointer value when it may name one global object:
 * a global's or static's address (`&locks`, `&locks.relay_lock`, also
 * through a local set once to it), or a direct call's result (a getter of a
 * getter); a path with root LL_ROOT_NONE otherwise.  getters.h decides. */
struct ll_path fe_returned_path(struct fn_builder *b, CXCursor e);
/* The object a returned pointer names when it is reached from a local
 * (a summary hands a lock of it to the caller, view_summaries.c): a field
 * load `n->obj` of a local's target, or the back pointer `(T *)e->key` of
 * an entry that T embeds as its one field of that struct type, keyed
 * "e^entry" (the struct holding *e at `entry`) with the text "e->key"
 * (the pointer as loaded); root LL_ROOT_NONE otherwise.  A plain local is
 * the return's result_var instead. */
struct ll_path fe_returned_object(struct fn_builder *b, CXCursor e);
/* Whether local pointer `var` (a VarDecl) is set only from calls' results
 * and null constants, at least once from a call, never stepped, its
 * address never taken (ll_event LL_EVF_SOLE). */
bool fe_set_by_calls(struct fn_builder *b, CXCursor var);
/* Local variable key when `e` names a local or parameter, else NULL. */
const char *fe_local_var(struct fn_builder *b, CXCursor e);
/* The path of `rhs` when it is the value of a local or parameter pointer
 * (what a store of it hands on: ll_event.aux of the write), else a path
 * with root LL_ROOT_NONE. */
struct ll_path fe_stored_pointer(struct fn_builder *b, CXCursor rhs);

/* `list[n++] = tid;`, `p->tid = g_tid;`, `t = g;`: when `rhs` is the
 * value of a thread handle (pthread_t, thrd_t) held in a global, a
 * static, a local or memory, records it as the one argument of the
 * write w (an ACCESS write without arguments), so that a join of the copy
 * is seen to join the handle (threadflow.h); true when it did.
 * fe_is_handle_value: whether `rhs` is such a value. */
bool fe_handle_copy(struct fn_builder *b, struct ll_event *w, CXCursor rhs);
bool fe_is_handle_value(struct fn_builder *b, CXCursor rhs);
/* The path of the memory `rhs` loads a pointer from (`q->head`,
 * `q.items[--q.n]`, a global pointer): where a local assigned from it
 * takes its value (ll_event.aux of the local's write, handoff.h's takes);
 * a path with root LL_ROOT_NONE for anything else (a local's value, an
 * address, a call). */
struct ll_path fe_loaded_pointer(struct fn_builder *b, CXCursor rhs);
/* A read of `rhs` (an ACCESS event) when it is the value of a local's part
 * (`st.buf`, `bufs[1]`, `st.in`: a pointer, an array or a struct), a whole
 * local struct or array, or a local's address (`&st`), which an
 * assignment, an initialiser or a return hands on: fresh.h then no longer
 * takes a block the local holds as unseen.  Nothing for anything else. */
void fe_local_part_read(struct fn_builder *b, CXCursor rhs);
bool fe_eval_int(CXCursor e, long long *out);
/* The value of a constant a scalar is set to: an integer constant
 * expression, or a null pointer constant (`NULL`, `(void *)0`: 0). */
bool fe_eval_scalar(CXCursor e, long long *out);
/* LOCK_COPY events (ir.h) for the locks the function's by-value parameters
 * hold (`pthread_mutex_t m`, `struct client c`), at their declarations. */
void fe_param_lock_copies(struct fn_builder *b);
/* LOCK_COPY events at `at` when `dst` (a VarDecl being initialised, or an
 * lvalue being assigned) is a local object that holds locks and `src` is
 * another object (`pthread_mutex_t m = g;`, `c = *cp;`). */
void fe_lock_copy(struct fn_builder *b, CXCursor at, CXCursor dst, CXCursor src);
/* Canonical text of a side-effect-free condition over locals, or NULL. */
const char *fe_cond_text(struct fn_builder *b, CXCursor e, const char ***vars, uint32_t *nvars);

/* ---- function pointers (slots: ir.h; resolved by fnptr.h) ---- */

/* A function or a pointer to one. */
bool fe_is_fn_type(CXType t);
/* The slot a function-pointer lvalue or called expression reads or
 * writes (`p->queue[i].fn`, `handlers[t]`, `cb`), in the arena, or NULL. */
const char *fe_fn_slot(struct fn_builder *b, CXCursor e);
/* The slot of a local variable of the function being built. */
const char *fe_local_slot(struct fn_builder *b, CXCursor var);
/* The slot of a global or static variable. */
const char *fe_global_slot(struct ll_arena *a, CXCursor var);
/* Records that the function-pointer value `src` flows into `slot`. */
void fe_fn_flow(struct fn_builder *b, CXCursor src, const char *slot);
/* Records the flows of an initialiser: record members into their fields'
 * slots (by designator or position), anything else into `slot`.  `b` is
 * NULL at file scope, where only functions are values. */
void fe_init_flows(struct tu_ctx *tu, struct fn_builder *b, CXCursor init, const char *slot,
                   unsigned depth);
/* Creations through a local that holds one function or parameter: their
 * start routine is that (flows recorded since fnref `first_fnref`). */
void fe_resolve_local_starts(struct fn_builder *b, size_t first_fnref);

/* Records that the block pointer value `e` (returned, when `slot` is
 * "@ret:", into the function's @ret slot) is stored into `slot` (sites.h):
 * a ptrflow from where it comes from.  Not a block pointer: nothing. */
void fe_ptr_flow(struct fn_builder *b, CXCursor e, const char *slot);

#endif
