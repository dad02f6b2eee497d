/*
 * programs: which translation units make up each program of the input.
 *
 * A compilation database often holds several programs (a tool and its
 * test drivers, a daemon and its utilities), each with its own main().
 * Each is the TUs a static linker would pull in: the TU that defines
 * main(), then, transitively, the TUs that define the external functions
 * and variables those TUs refer to (a call, a thread's start routine, a
 * function's address taken, an access of a global).  A TU's own
 * definition is the one its references mean, and a TU that defines a
 * main() is never pulled into another program.  A symbol several TUs
 * define (two programs' variants of one function: a daemon's logger and a
 * client library's) is linked the way a program can link it, once: from
 * the TU the program's other references link (ll_programs_linked).  The
 * TUs no main() reaches are one more part.  This reads facts only: which
 * TU refers to which symbol is worked out once, the programs then walk
 * that small graph.
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

/*
 * Which of `ntus` TUs a linker links with the main() in TU `main_tu`, into
 * linked[t] (the walk ll_programs_split() makes for each main()): main()'s
 * TU, then what linked TUs refer to.  A symbol one TU defines links that
 * TU.  Of several TUs defining a symbol (copies of one definition -- one
 * file compiled twice -- count once), the one the program's other
 * references link is its definition; only when none of them is linked once
 * every definite reference is followed are they all linked, and the
 * analysis cannot tell which one runs (program.h).  Returns 0, or -1 when
 * out of memory.
 */
int ll_programs_linked(const struct ll_tu_facts *tus, size_t ntus, size_t main_tu, bool *linked);

#endif
