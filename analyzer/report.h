/*
 * report: the one finding type every rule produces, and the list that
 * collects them.  A finding has a rule, a severity, a message, a primary
 * location, related locations with their own messages (rendered as notes),
 * and optional per-thread flows (for SARIF codeFlows).
 *
 * This module owns sorting, de-duplication and fingerprints; it does not
 * print (see output_*.h) and knows nothing about rules beyond their ids.
 * All strings of a finding are copied into the report's arena.
 */
#ifndef LL_REPORT_H
#define LL_REPORT_H

#include "arena.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ll_severity { LL_SEV_NOTE = 0, LL_SEV_WARNING = 1, LL_SEV_ERROR = 2 };

/* A place in the analysed code.  `file` is a path as the TU saw it
 * (absolute when the compile database gives absolute paths). */
struct ll_site {
    const char *file;
    uint32_t line, col;
    const char *message; /* for related sites and flow steps; may be NULL */
};

/* The steps one thread takes, for SARIF threadFlows. */
struct ll_flow {
    const char *thread; /* name of the thread root, e.g. "worker" */
    size_t nsteps;
    struct ll_site *steps;
};

struct ll_finding {
    const char *rule; /* rule id, e.g. "double-lock" */
    enum ll_severity severity;
    const char *message;
    const char *function; /* enclosing function, or NULL */
    const char *key;      /* what the finding is about (lock class, location class) */
    struct ll_site primary;
    size_t nrelated;
    struct ll_site *related;
    size_t nflows;
    struct ll_flow *flows;
    char fingerprint[17]; /* 16 hex digits, set by ll_report_finish() */
};

struct ll_report {
    struct ll_arena arena;
    struct ll_finding **items;
    size_t count, cap;
    bool oom; /* an allocation failed; the report is incomplete */
};

void ll_report_init(struct ll_report *r);
void ll_report_release(struct ll_report *r);

/*
 * Starts a finding: copies the strings and appends it.  Returns the finding
 * to add notes and flows to, or NULL when out of memory (r->oom is set).
 * `function` and `key` may be NULL; `key` feeds the fingerprint and should
 * name the locks or data involved, never a line number.
 */
struct ll_finding *ll_report_add(struct ll_report *r, const char *rule, enum ll_severity sev,
                                 const struct ll_site *primary, const char *function,
                                 const char *key, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* ll_report_add() with the arguments of the format in a va_list. */
struct ll_finding *ll_report_vadd(struct ll_report *r, const char *rule, enum ll_severity sev,
                                  const struct ll_site *primary, const char *function,
                                  const char *key, const char *fmt, va_list ap)
    __attribute__((format(printf, 7, 0)));

/* Adds a related location (a note). Returns 0 or -1 when out of memory. */
int ll_finding_note(struct ll_report *r, struct ll_finding *f, const struct ll_site *site,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int ll_finding_vnote(struct ll_report *r, struct ll_finding *f, const struct ll_site *site,
                     const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

/* Adds a thread flow with a copy of `nsteps` steps. Returns 0 or -1. */
int ll_finding_flow(struct ll_report *r, struct ll_finding *f, const char *thread,
                    const struct ll_site *steps, size_t nsteps);

/*
 * Sorts findings by file, line, column, rule and message, drops exact
 * duplicates, and computes fingerprints: a hash of the rule, the file, the
 * function, the key, the message with digits masked, and the ordinal among
 * findings sharing all of those, so that moving lines above a finding does
 * not change it.  Call once, after every rule has run.
 */
void ll_report_finish(struct ll_report *r);

/* Number of findings at or above `min`. */
size_t ll_report_count_at_least(const struct ll_report *r, enum ll_severity min);

const char *ll_severity_name(enum ll_severity s); /* "note", "warning", "error" */

#endif
