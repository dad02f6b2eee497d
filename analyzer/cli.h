/*
 * cli: the command line, parsed into options.  It validates what it can
 * without touching files (formats, numbers, rule names are checked by the
 * driver against the registry) and prints nothing itself.
 */
#ifndef LL_CLI_H
#define LL_CLI_H

#include "report.h"

#include <stdbool.h>
#include <stddef.h>

enum ll_cli_mode {
    LL_MODE_ANALYZE,
    LL_MODE_EXPLAIN,
    LL_MODE_LIST_RULES,
    LL_MODE_VERSION,
    LL_MODE_HELP,
    LL_MODE_DUMP_FACTS,
    LL_MODE_LINK,        /* locklint link: facts files in, report out (link.h) */
    LL_MODE_CACHE_STATS, /* --cache-stats */
    LL_MODE_CLEAR_CACHE, /* --clear-cache */
};

enum ll_format { LL_FORMAT_TEXT, LL_FORMAT_JSON, LL_FORMAT_SARIF, LL_FORMAT_CODECLIMATE };

struct ll_cli {
    enum ll_cli_mode mode;
    const char *compdb;  /* -p */
    const char **inputs; /* paths (with -p) or source files (without) */
    size_t ninputs;
    const char **extra; /* compiler arguments after -- */
    size_t nextra;
    enum ll_format format;
    const char *output;             /* -o */
    int jobs;                       /* 0: online cores */
    const char **enable, **disable; /* rule ids or globs ('lock-*'), split at commas */
    size_t nenable, ndisable;
    const char **exclude; /* --exclude patterns, added to the configuration's */
    size_t nexclude;
    int fail_on; /* minimum severity that fails, or -1 for never */
    const char *explain;
    const char *cache;          /* --cache: database file or cache directory */
    const char *cache_size;     /* --cache-size, checked by the driver */
    const char *config;         /* --config: .locklint.yml to use instead of searching */
    const char *baseline;       /* --baseline: report only findings not in it */
    const char *write_baseline; /* --write-baseline: record the findings there */
    const char *graph;          /* --graph: write the lock-order graph (Graphviz) there */
    /* clang-tidy's --extra-arg-before / --extra-arg (wrapper_mode.h) */
    const char **extra_before, **extra_after;
    size_t nextra_before, nextra_after;
    const char *project_root; /* --project-root: what paths are relative to */
    const char *diff_base;    /* --diff-base: only findings on lines changed since it */
    const char *diff;         /* --diff: the same, from a unified diff file */
    bool no_cache, stats, quiet, verbose;
    bool graph_all; /* --graph-all: every edge, not only the cycles */
    int color;      /* --color: 0 auto, 1 always, -1 never */
    bool has_extra; /* "--" was given */
};

/* Parses argv into *cli (arrays are malloc'd; free with ll_cli_release).
 * Returns 0, or -1 with a message in errbuf for a usage error. */
int ll_cli_parse(struct ll_cli *cli, int argc, char **argv, char *errbuf, size_t errlen);
void ll_cli_release(struct ll_cli *cli);

/* The --help text. */
extern const char ll_cli_usage[];

#endif
