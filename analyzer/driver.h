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
#include "config.h"
#include "ir.h"
#include "output.h"

#include <stddef.h>

/* Returns the process exit status: 0, 1 (findings at or above --fail-on),
 * or 2 (usage, configuration or I/O error). */
int ll_driver_run(const struct ll_cli *cli);

/* Where a run's CPU time and memory went, for --stats: the process's CPU
 * (user + system, every thread and every reaped parse worker) and its peak
 * RSS (the process's or its largest worker's) at a phase's end.  CPU
 * time, unlike the wall clock, does not depend on what else the host runs. */
struct ll_phase_use {
    double cpu;     /* seconds since the process started */
    double rss_mib; /* peak so far */
};

/* Seconds spent in the phases after parsing, for --stats. */
struct ll_driver_times {
    double program, rules;
    struct ll_phase_use parsed, built, checked; /* after parsing, whole-program, rules */
};

/*
 * Everything after parsing, for facts however they were had (parsed,
 * cached, or read from .llfacts files by `locklint link`): thread-wrapper
 * rewriting, the whole-program phases, the selected rules, post-processing
 * (config, suppressions, baselines) and the report in cli's format, with
 * paths relative to `root`, the project root (project.h).  `tus` are put
 * in the order of their main files' paths (which decides which definition of a function seen in
 * several TUs is kept and which of several main()s runs, so the report
 * does not depend on the order they came in), are modified by the
 * rewriting, and must outlive the call.  `cfg` is loaded and registered.
 * `notes` name inputs that could not be analysed (SARIF's
 * toolExecutionNotifications).  Prints the summary line unless --quiet.
 * Returns the exit status like ll_driver_run().
 */
int ll_driver_analyse(const struct ll_cli *cli, struct ll_tu_facts *tus, size_t ntus,
                      const struct ll_tool_note *notes, size_t nnotes, const struct ll_config *cfg,
                      const char *root, struct ll_driver_times *times);

#endif
