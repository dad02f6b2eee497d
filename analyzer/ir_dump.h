/*
 * ir_dump: a readable, stable text form of one TU's facts, for
 * `locklint --dump-facts` and for tests.  Same facts, same text: nothing
 * depends on addresses, and locations name files by their basename so that
 * dumps compare across checkouts (only the first line has the main file's
 * full path).  It is a debugging view, not an interchange format: use
 * ir_blob.h to store facts.
 */
#ifndef LL_IR_DUMP_H
#define LL_IR_DUMP_H

#include "ir.h"

#include <stdio.h>

/*
 * Writes the facts `f` to `out`:
 *
 *   tu /abs/path/file.c (errors: 0)
 *   global g_lock 'pthread_mutex_t' file.c:3:17 [lock definition]
 *   fnref c:@F@worker file.c:40:9 in '@field:struct ops.run'
 *   function worker file.c:10:7 params(arg) exit=B5 [static]
 *     B0 loop=0 -> B1
 *       10:3 acquire mutex excl 'g_lock' class=g_lock key=g_lock via pthread_mutex_lock
 *       12:3 call 'helper' (usr c:@F@helper) args('&g_lock')
 *       13:3 call 'o->run' (through @field:struct ops.run) args('o') [indirect]
 *     B1 loop=1 if [event 3 true_when_zero] -> B2 B3
 *
 * Returns 0, or -1 when writing to `out` failed.
 */
int ll_facts_dump(FILE *out, const struct ll_tu_facts *f);

#endif
