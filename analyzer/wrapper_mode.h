/*
 * wrapper_mode: locklint inside a build, the per-TU half of an analysis
 * whose whole-program half is `locklint link` (link.h).
 *
 * Two forms:
 *
 * - clang-tidy's (CMAKE_C_CLANG_TIDY=locklint): CMake runs
 *   `locklint --extra-arg-before=--driver-mode=gcc FILE -- CC ARGS... -o
 *   OBJ -c FILE` before each compile.  The TU is parsed with the compile
 *   command's arguments, sanitised as a compile database's are, and its
 *   facts are written to OBJ.llfacts; nothing is printed unless something
 *   goes wrong (no finding: every rule follows calls into other TUs, so
 *   only the link can report).  Without a compile command that writes an
 *   object, the extra arguments are added to the TU's and the run is an
 *   ordinary one.
 * - a compiler launcher (`locklint-cc CC ARGS...`, CMAKE_C_COMPILER_LAUNCHER
 *   or CC="locklint-cc cc"): for a compile (`-c`) of C sources, the facts
 *   are extracted in a child process and written next to each object;
 *   then the compiler named first is executed with the unchanged
 *   arguments, so the build's outputs and exit status are the compiler's.
 *   Nothing else is ever executed.
 *
 * Neither form fails the build for locklint's own problems (a TU libclang
 * cannot parse, a facts file that cannot be written): they are named on
 * standard error as warnings, and that TU is missing from the link.
 */
#ifndef LL_WRAPPER_MODE_H
#define LL_WRAPPER_MODE_H

#include "cli.h"
#include "compdb.h"

#include <stdbool.h>
#include <stddef.h>

/* Whether `cli` is a clang-tidy-style run: --extra-arg(-before) given, or
 * the words after "--" start with a compiler (a word that is not an
 * option), as CMake passes them. */
bool ll_wrapper_is_tidy(const struct ll_cli *cli);

/* Runs a clang-tidy-style command line.  Returns the exit status. */
int ll_wrapper_tidy(const struct ll_cli *cli);

/* Adds --extra-arg-before/--extra-arg to every job of `db` (the -p form),
 * sanitised like the rest.  Returns 0, or -1 when out of memory. */
int ll_wrapper_extra_args(struct ll_compdb *db, const struct ll_cli *cli);

/* main() of `locklint-cc [--config FILE] COMPILER ARGS...`. */
int ll_wrapper_launcher(int argc, char **argv);

/* Whether argv[0] names the launcher (its base name starts with
 * "locklint-cc"). */
bool ll_wrapper_is_launcher(const char *argv0);

#endif
