/*
 * frontend_stmt: statements into the function's control-flow graph (see
 * frontend_cfg.h for where it sits in the frontend's stack).  Not for other
 * modules.
 */
#ifndef LL_FRONTEND_STMT_H
#define LL_FRONTEND_STMT_H

#include "frontend_cfg.h"

/* Lowers statement s into the current block and the blocks it adds. */
void fe_stmt(struct fn_builder *b, CXCursor s);

#endif
