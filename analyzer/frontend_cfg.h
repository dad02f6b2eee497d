/*
 * frontend_cfg: the bottom of the frontend's stack.  The state one
 * translation unit and one function body are lowered into (the TU's file,
 * fnref and noreturn tables; the function's blocks, edges and events) and
 * the helpers that write it, plus the cursor helpers every level uses.
 *
 * The frontend's files form a stack, each including only the headers below
 * it: frontend.c (TU walk, globals) over frontend_stmt.c (statements into
 * edges) over frontend_expr.c (expressions, conditions and calls into
 * events and branches) over this file.  Statement expressions (`({ ... })`)
 * reach statement lowering back through fn_builder.lower_stmt, not an
 * include.  Not for other modules.
 */
#ifndef LL_FRONTEND_CFG_H
#define LL_FRONTEND_CFG_H

#include "ir.h"
#include "strmap.h"

#include "clang_shim.h"
#include <stdbool.h>
#include <stddef.h>

/* Deeper statement or expression nesting than this is skipped (and the
 * function marked LL_FN_TRUNCATED) so that no walker recurses without
 * bound; clang itself refuses far shallower bracket nesting by default. */
#define LL_MAX_NESTING 400

struct file_slot {
    CXFile file;
    uint32_t index;
};

/* Per-TU state: what frontend.c publishes into the facts at the end. */
struct tu_ctx {
    struct ll_tu_facts *facts;
    CXTranslationUnit ctu;
    struct file_slot *files;
    size_t nfiles, capfiles;
    const char **names;
    uint8_t *system;
    struct ll_strmap noreturn; /* fe_callee_noreturn()'s answers: USR -> 0 or 1 */
    struct ll_function *fns;
    size_t nfns, capfns;
    struct ll_global *globals;
    size_t nglobals, capglobals;
    struct ll_fnref *fnrefs;
    size_t nfnrefs, capfnrefs;
    struct ll_fnref *ptrflows;
    size_t nptrflows, capptrflows;
    bool oom;
};

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
    const char *fn_usr; /* set on first use (function-pointer slots) */
    /* statement lowering (fe_stmt), for the statements inside an
     * expression; set by the caller that owns the builder */
    void (*lower_stmt)(struct fn_builder *b, CXCursor s);
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
    struct keyset self_handles; /* handles set to the thread's own id (`j->tid =
                                   pthread_self();`): detaching one detaches itself */
    /* switch being built: the dispatch block (lowered: the test the next
     * case label gets), whether it had a default and its block, and, when
     * it tests a plain local or parameter, the condition its case labels
     * refine into `x == K` tests (sw_cond.text NULL: not lowered) */
    uint32_t sw_dispatch;
    bool sw_default;
    uint32_t sw_default_blk, sw_tests;
    struct ll_cond sw_cond;
    struct ll_event sink; /* absorbs writes after an allocation failure */
    /* scratch stack of cursors for child lists */
    CXCursor *cs;
    size_t ncs, capcs;
    /* pointer variables and what they are set to (fe_scan_aliases);
     * aliases_full: some did not fit */
    struct fe_alias *aliases;
    size_t naliases, capaliases;
    bool aliases_full;
};

#define FE_ALIAS_RHSS 4

/* A pointer variable the function names (a local) or sets (a parameter,
 * global or static) and its definitions: a local's initialiser and plain
 * assignments (`rhs`: the last one seen), or `bad` when it is stepped,
 * compound-assigned or its address is taken; `rhss` the first few right
 * sides; `naddr` counts the times its
 * address is taken, `stepped` the other reasons it is bad, `const_init`
 * says its initialiser is a constant (NULL), `escaped` that a local is
 * returned or stored through a pointer. */
struct fe_alias {
    CXCursor var;
    CXCursor rhs;
    CXCursor rhss[FE_ALIAS_RHSS]; /* the first definitions' right sides (a
                                     lock's possible targets: lock_targets()) */
    unsigned nrhss;               /* how many there are; FE_ALIAS_RHSS + 1 when more */
    unsigned defs, naddr;
    unsigned calls, nulls; /* definitions by a call's result, by a null constant */
    bool bad, busy, stepped, const_init, escaped;
};

/* ---- the TU's tables ---- */

char *fe_string(struct ll_arena *a, CXString s); /* copies and disposes */
uint32_t fe_file_index(struct tu_ctx *tu, CXFile file);
/*
 * Answers about cursors remembered for the lowering of one TU, between
 * fe_memo_begin() and fe_memo_end() on this thread (the tables, 700 KiB,
 * are the frontend's: reused from TU to TU, their pages are faulted in
 * once per parsing thread, not once per TU): the frontend asks
 * about the same expression several times (its extent for fe_strip(), an
 * atomic builtin's test and an event's location; fe_strip() itself; the
 * children of a small fixed shape), and
 * an extent costs re-lexing the expression's last token.  Direct-mapped
 * tables keyed by a cursor's bits, on which every such answer depends
 * alone: a hit returns exactly what libclang would.  Per thread, since the
 * driver can parse in its threads; per TU, since a disposed TU's cursors
 * may repeat the bits of a later one's.  Without a table (out of memory,
 * or outside a parse) every answer is computed.
 */
struct fe_memo;
struct fe_memo *fe_memo_new(void); /* NULL when out of memory */
void fe_memo_free(struct fe_memo *m);
void fe_memo_begin(struct fe_memo *m); /* m may be NULL: no tables */
void fe_memo_end(void);
/* clang_getCursorExtent(c), remembered. */
CXSourceRange fe_extent(CXCursor c);
/* fe_strip()'s slot for `e` (`in` is not `e` when it holds another
 * cursor's answer, or none), or NULL without a table. */
struct fe_strip_memo {
    CXCursor in, out;
};
struct fe_strip_memo *fe_strip_slot(CXCursor e);
/* The first four children of `c` and how many it has, for the frontend's
 * small fixed shapes: `c`'s slot (`c` is not `c` when it holds another
 * cursor's), or NULL without a table. */
struct fe_children_memo {
    CXCursor c;
    CXCursor v[4];
    unsigned n, total;
};
struct fe_children_memo *fe_children_slot(CXCursor c);
/* Whether two cursors are the same bits. */
bool fe_same_cursor(CXCursor a, CXCursor b);
struct ll_loc fe_loc(struct fn_builder *b, CXCursor c);
struct ll_loc fe_loc_tu(struct tu_ctx *tu, CXCursor c);
/* Records that the function or slot `source` flows into `slot` (an
 * ll_fnref; both strings in the facts' arena; NULLs are ignored). */
void fe_add_flow(struct tu_ctx *tu, const char *source, const char *slot, CXCursor at);
/* Records that the data pointer `source` (an allocation, a slot, or "?")
 * is stored into `slot` (sites.h); NULLs are ignored. */
void fe_add_ptrflow(struct tu_ctx *tu, const char *source, const char *slot, CXCursor at);

/* ---- cursors ---- */

/* The part of range r to tokenize: from where r's start is written when
 * that lies inside r's own expansion (a file location, a macro argument),
 * otherwise -- a macro body, written at its #define -- from the macro's
 * expansion when `from_expansion` is set, else none; to where r's end is
 * written; at most `cap` bytes (false when r is longer and `clip` is not
 * set, else the first `cap` bytes).  clang_tokenize lexes from where a
 * range's start is written, so a cursor that begins with a macro would
 * have it lex the file from the #define on (each function of the SQLite
 * amalgamation re-lexed most of the file).  False when there is no such
 * range (the ends in different files, or out of order). */
bool fe_own_range(CXTranslationUnit ctu, CXSourceRange r, unsigned cap, bool clip,
                  bool from_expansion, CXSourceRange *out);
/* The function's body (its compound statement), or a null cursor. */
CXCursor fe_function_body(CXCursor fn);
/* Pushes the children of c on the scratch stack; returns the base index.
 * The caller reads b->cs[base .. b->ncs) by index (the array may move) and
 * pops with b->ncs = base. */
size_t fe_push_children(struct fn_builder *b, CXCursor c);
/* The first `max` children of c (an operator's operands) into ops; returns
 * how many there were, at most max. */
size_t fe_operands(struct fn_builder *b, CXCursor c, CXCursor *ops, size_t max);

/* ---- the function's graph ---- */

int fe_keyset_add(struct fn_builder *b, struct keyset *s, const char *key);
bool fe_keyset_has(const struct keyset *s, const char *key);
void fe_keyset_del(struct keyset *s, const char *key);
uint32_t fe_new_block(struct fn_builder *b);
void fe_edge(struct fn_builder *b, uint32_t from, uint32_t to);
/* Ends the current block's path: what follows is unreachable. */
void fe_dead_end(struct fn_builder *b);
/* Moves on to the block `next`, which the current one falls into. */
void fe_fall_into(struct fn_builder *b, uint32_t next);
struct ll_event *fe_emit(struct fn_builder *b, enum ll_event_kind kind, CXCursor at);
/* Copies the blocks reachable from the entry (and the exit) into `out`,
 * renumbered, in the facts arena.  Returns 0, or -1 when out of memory. */
int fe_build_function(struct fn_builder *b, struct ll_function *out);
/* Frees the builder's own buffers (not the arena's facts). */
void fe_builder_free(struct fn_builder *b);

#endif
