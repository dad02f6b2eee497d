/*
 * link: `locklint link [FACTS|DIR...] [-p DIR]`, the whole-program half of
 * an analysis whose per-TU half ran inside the build (wrapper_mode.h).
 * It reads `.llfacts` files (named, or found under directories), puts
 * them in a fixed order and runs everything after parsing exactly as a
 * direct run does (ll_driver_analyse()), so that its report is the one
 * a direct run over the same TUs prints.
 *
 * It never parses source: a TU without a facts file is not analysed.
 */
#ifndef LL_LINK_H
#define LL_LINK_H

#include "cli.h"

/* Returns the exit status, as ll_driver_run() does. */
int ll_link_run(const struct ll_cli *cli);

#endif
