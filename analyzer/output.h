/*
 * output: the writers that turn a finished report into text, JSON, SARIF or
 * GitLab Code Quality JSON.
 * They only format; choosing which findings to show (suppressions,
 * baselines, --fail-on) happens before.  Each returns 0, or -1 on an I/O or
 * allocation error.
 */
#ifndef LL_OUTPUT_H
#define LL_OUTPUT_H

#include "report.h"

#include <stdbool.h>
#include <stdio.h>

/* What the writers need to know about a rule (SARIF tool.driver.rules). */
struct ll_rule_info {
    const char *id;
    const char *summary; /* one line */
    const char *doc;     /* the full documentation text (markdown-ish) */
    enum ll_severity severity;
};

/* A problem of the run itself, not a finding (SARIF's
 * toolExecutionNotifications): `file` could not be analysed (an error),
 * or only as far as the parser recovered (`warning`); `message` says
 * why. */
struct ll_tool_note {
    const char *file; /* absolute, or relative to base_dir */
    const char *message;
    bool warning;
};

struct ll_output_opts {
    const char *base_dir; /* the project root: finding paths are relative to it; may be NULL */
    bool caret;           /* text: print the source line and a caret (terminals only) */
    const char *version;  /* locklint version for JSON/SARIF */
    const struct ll_rule_info *rules;
    size_t nrules;
    /* TUs the run could not analyse (the parser crashed, a refused file):
     * SARIF lists them as toolExecutionNotifications. */
    const struct ll_tool_note *notes;
    size_t nnotes;
    bool color;           /* text: ANSI colours (--color, NO_COLOR) */
    const char *text_dir; /* text: paths are shown relative to it (the current directory) when
                             they lie under it, else absolute; NULL: as stored */
};

int ll_output_text(FILE *out, const struct ll_report *r, const struct ll_output_opts *o);
int ll_output_json(FILE *out, const struct ll_report *r, const struct ll_output_opts *o);
int ll_output_sarif(FILE *out, const struct ll_report *r, const struct ll_output_opts *o);
/* GitLab Code Quality (a subset of the Code Climate issue format). */
int ll_output_codeclimate(FILE *out, const struct ll_report *r, const struct ll_output_opts *o);

#endif
