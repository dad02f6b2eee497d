/*
 * programs: which translation units make up each program of the input.
 *
 * A compilation database often holds several programs (a tool and its
 * test drivers, a daemon and its utilities), each with its own main().
 * Each is the TUs a static linker would pull in: the TU that defines
 * main(), then, transitively, the TUs that define the external functions
 * and variables those TUs refer to (a call, a thread's start routine, a
 * function's address taken, an access of a global).  Of several TUs
 * defining one symbol the first in the input's order is pulled, and a TU
 * that defines a main() is never pulled into another program.  The TUs no
 * main() reaches are one more part.  This reads
 * facts only: which TU refers to which is worked out once, the programs
 * then walk that small graph.
 */
#ifndef LL_PROGRAMS_H
#define LL_PROGRAMS_H

#include "arena.h"
#include "ir.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ll_program_part {
    /* the TU that defines main() and where, or -1 for the TUs no main()
     * reaches (or every TU of an input without main()) */
    long main_tu;
    struct ll_loc main_loc;
    size_t ntus;
    size_t *tus; /* indices into the input, in its order */
};

struct ll_programs {
    struct ll_arena arena;
    size_t nparts;
    struct ll_program_part *parts;
};

/*
 * Splits `ntus` TUs into programs.  With fewer than two main()s, or with
 * `whole` (a library by configuration), there is one part holding every
 * TU (main_tu is the one main's TU, else -1).  Returns 0, or -1 when out
 * of memory.  Release either way.
 */
int ll_programs_split(struct ll_programs *out, const struct ll_tu_facts *tus, size_t ntus,
                      bool whole);
void ll_programs_release(struct ll_programs *p);

#endif
