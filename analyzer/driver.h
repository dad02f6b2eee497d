/*
 * driver: one run of locklint from parsed options to an exit status.
 * Loads the compile database, parses TUs with a pool of workers, builds the
 * view, runs the enabled rules, writes the report.  It is the only module
 * that decides exit statuses; operational errors are printed on stderr as
 * "locklint: error: ...".
 */
#ifndef LL_DRIVER_H
#define LL_DRIVER_H

#include "cli.h"

/* Returns the process exit status: 0, 1 (findings at or above --fail-on),
 * or 2 (usage, configuration or I/O error). */
int ll_driver_run(const struct ll_cli *cli);

#endif
