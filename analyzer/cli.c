/*
 * cli: hand-written option parsing (getopt_long is not C11), accepting both
 * `--opt value` and `--opt=value`.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char ll_cli_usage[] =
    "usage: locklint [OPTIONS] -p BUILD_DIR|compile_commands.json [PATH...]\n"
    "       locklint [OPTIONS] FILE.c... [-- COMPILER_ARGS...]\n"
    "       locklint link [OPTIONS] [FACTS|DIR...] [-p DIR]\n"
    "       locklint explain RULE | locklint --list-rules | locklint --version\n"
    "\n"
    "Finds lock misuse in C: deadlocks, double locks, leaked locks, bad condition waits.\n"
    "\n"
    "options:\n"
    "  -p PATH               compile_commands.json, or the directory holding it; PATHs then\n"
    "                        limit the analysis to files under them\n"
    "  --format FMT          text (default), json, sarif or codeclimate (GitLab)\n"
    "  -o FILE               write the report to FILE instead of standard output\n"
    "  --color WHEN          colour the text: auto (default: on a terminal, unless NO_COLOR\n"
    "                        is set), always or never\n"
    "  -j N                  parse with N workers (default: online cores)\n"
    "  --enable RULE[,RULE]  run only these rules (globs: 'lock-*')\n"
    "  --disable RULE[,RULE] do not run these rules (globs too)\n"
    "  --exclude GLOB        drop findings in paths matching GLOB (as the configuration's\n"
    "                        exclude: relative to the project root; repeatable)\n"
    "  --fail-on LEVEL       exit 1 on findings at or above LEVEL: never, error,\n"
    "                        warning (default) or note\n"
    "  --config FILE         configuration to use (default: the first .locklint.yml found\n"
    "                        walking up from the compile database, then from here)\n"
    "  --project-root DIR    the directory every path in the output and the configuration\n"
    "                        is relative to (default: the directory of .locklint.yml, else\n"
    "                        the top of the git work tree, else that of the compile database)\n"
    "  --baseline FILE       report and fail only on findings not recorded in FILE\n"
    "  --diff-base REF       report and fail only on findings with a site on a line changed\n"
    "                        since the git commit REF (pull-request mode)\n"
    "  --diff FILE           the same, for the changes of a unified diff ('-': stdin)\n"
    "  --write-baseline FILE record the findings in FILE (and exit 0 unless it fails)\n"
    "  --graph FILE.dot      write the lock-order graph's cycles for Graphviz\n"
    "  --graph-all           with --graph: also the edges on no cycle\n"
    "  --list-rules          list the rules and exit\n"
    "  --dump-facts          print the facts extracted from the files and exit\n"
    "  --cache PATH          cache directory, or database file (default: one database per\n"
    "                        project root in $XDG_CACHE_HOME/locklint or ~/.cache/locklint)\n"
    "  --cache-size SIZE     keep at most SIZE of cache entries, evicting the least recently\n"
    "                        used (K, M, G; default 512M; 0: no limit)\n"
    "  --cache-stats         print the cache's size and entries (of the project given with\n"
    "                        -p or files, else of every project) and exit\n"
    "  --clear-cache         remove the project's cache (without input: every project's)\n"
    "  --no-cache            do not read or write the cache\n"
    "  --stats               print TU counts (parsed, reused, failed) and where the time\n"
    "                        went on standard error\n"
    "  -v, --verbose         name the cache in use and end with the statistics\n"
    "  -q, --quiet           no summary line on standard error\n"
    "  --extra-arg-before=A, --extra-arg=A\n"
    "                        clang-tidy's: add A before / after the compiler arguments;\n"
    "                        with a compile command after '--' (CMAKE_C_CLANG_TIDY), the\n"
    "                        TU's facts are written to OBJECT.llfacts for 'locklint link'\n"
    "  --version             print the version and exit\n"
    "  -h, --help            print this help and exit\n"
    "\n"
    "exit status: 0 no findings at or above --fail-on, 1 findings, 2 usage or input error\n";

static int push(const char ***v, size_t *n, const char *s)
{
    const char **p = realloc(*v, (*n + 1) * sizeof(*p));
    if (!p)
        return -1;
    p[(*n)++] = s;
    *v = p;
    return 0;
}

/* Splits "a,b,c" (in place in a copy kept by the caller's argv lifetime). */
static int push_list(const char ***v, size_t *n, char *list)
{
    for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ","))
        if (*tok && push(v, n, tok) != 0)
            return -1;
    return 0;
}

static int parse_fail_on(const char *s)
{
    if (strcmp(s, "never") == 0)
        return -1;
    if (strcmp(s, "error") == 0)
        return LL_SEV_ERROR;
    if (strcmp(s, "warning") == 0)
        return LL_SEV_WARNING;
    if (strcmp(s, "note") == 0)
        return LL_SEV_NOTE;
    return -2;
}

/* Matches `--name` or `--name=value` (a short `-x` also `-xvalue`); sets
 * *val from the next argument when needed.  Returns 1 on a match, 0 otherwise, -1 when the value is
 * missing. */
static int opt_value(const char *name, int argc, char **argv, int *i, const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != '\0') {
        if (n != 2) /* a short option takes its value attached too: -j4 */
            return 0;
        *val = a + n;
        return 1;
    }
    if (*i + 1 >= argc)
        return -1;
    *val = argv[++*i];
    return 1;
}

static int parse_format(const char *s, enum ll_format *f)
{
    if (strcmp(s, "text") == 0)
        *f = LL_FORMAT_TEXT;
    else if (strcmp(s, "json") == 0)
        *f = LL_FORMAT_JSON;
    else if (strcmp(s, "sarif") == 0)
        *f = LL_FORMAT_SARIF;
    else if (strcmp(s, "codeclimate") == 0)
        *f = LL_FORMAT_CODECLIMATE;
    else
        return -1;
    return 0;
}

static int parse_jobs(const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);
    return (*s && !*end && n >= 1 && n <= 1024) ? (int)n : -1;
}

int ll_cli_parse(struct ll_cli *cli, int argc, char **argv, char *errbuf, size_t errlen)
{
    memset(cli, 0, sizeof(*cli));
    cli->fail_on = LL_SEV_WARNING;
    int i = 1;
    if (argc > 1 && strcmp(argv[1], "explain") == 0) {
        if (argc != 3) {
            snprintf(errbuf, errlen, "usage: locklint explain RULE");
            return -1;
        }
        cli->mode = LL_MODE_EXPLAIN;
        cli->explain = argv[2];
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "link") == 0) {
        cli->mode = LL_MODE_LINK;
        i = 2;
    }
    for (; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        int m;
        if (strcmp(a, "--") == 0) {
            cli->has_extra = true;
            for (i++; i < argc; i++)
                if (push(&cli->extra, &cli->nextra, argv[i]) != 0)
                    goto oom;
            break;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            cli->mode = LL_MODE_HELP;
        } else if (strcmp(a, "--version") == 0) {
            cli->mode = LL_MODE_VERSION;
        } else if (strcmp(a, "--list-rules") == 0) {
            cli->mode = LL_MODE_LIST_RULES;
        } else if (strcmp(a, "--dump-facts") == 0) {
            cli->mode = LL_MODE_DUMP_FACTS;
        } else if (strcmp(a, "--cache-stats") == 0) {
            cli->mode = LL_MODE_CACHE_STATS;
        } else if (strcmp(a, "--clear-cache") == 0) {
            cli->mode = LL_MODE_CLEAR_CACHE;
        } else if (strcmp(a, "--graph-all") == 0) {
            cli->graph_all = true;
        } else if (strcmp(a, "--no-cache") == 0) {
            cli->no_cache = true;
        } else if (strcmp(a, "--stats") == 0) {
            cli->stats = true;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            cli->verbose = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            cli->quiet = true;
        } else if ((m = opt_value("-p", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            cli->compdb = val;
        } else if ((m = opt_value("-o", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            cli->output = val;
        } else if ((m = opt_value("-j", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            if ((cli->jobs = parse_jobs(val)) < 0) {
                snprintf(errbuf, errlen, "invalid number of jobs '%s'", val);
                return -1;
            }
        } else if ((m = opt_value("--format", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            if (parse_format(val, &cli->format) != 0) {
                snprintf(errbuf, errlen,
                         "unknown format '%s' (expected text, json, sarif or codeclimate)", val);
                return -1;
            }
        } else if ((m = opt_value("--fail-on", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            if ((cli->fail_on = parse_fail_on(val)) == -2) {
                snprintf(errbuf, errlen,
                         "unknown level '%s' for --fail-on (expected never, error, warning or "
                         "note)",
                         val);
                return -1;
            }
        } else if ((m = opt_value("--enable", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            if (push_list(&cli->enable, &cli->nenable, (char *)val) != 0)
                goto oom;
        } else if ((m = opt_value("--disable", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            if (push_list(&cli->disable, &cli->ndisable, (char *)val) != 0)
                goto oom;
        } else if ((m = opt_value("--color", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            if (strcmp(val, "auto") == 0)
                cli->color = 0;
            else if (strcmp(val, "always") == 0)
                cli->color = 1;
            else if (strcmp(val, "never") == 0)
                cli->color = -1;
            else {
                snprintf(errbuf, errlen, "unknown --color '%s' (expected auto, always or never)",
                         val);
                return -1;
            }
        } else if ((m = opt_value("--exclude", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            if (push(&cli->exclude, &cli->nexclude, val) != 0)
                goto oom;
        } else if ((m = opt_value("--cache-size", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            cli->cache_size = val;
        } else if ((m = opt_value("--cache", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            cli->cache = val;
        } else if ((m = opt_value("--config", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            cli->config = val;
        } else if ((m = opt_value("--baseline", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            cli->baseline = val;
        } else if ((m = opt_value("--diff-base", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            cli->diff_base = val;
        } else if ((m = opt_value("--diff", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            cli->diff = val;
        } else if ((m = opt_value("--project-root", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            cli->project_root = val;
        } else if ((m = opt_value("--graph", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            cli->graph = val;
        } else if ((m = opt_value("--write-baseline", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            cli->write_baseline = val;
        } else if ((m = opt_value("--extra-arg-before", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            if (push(&cli->extra_before, &cli->nextra_before, val) != 0)
                goto oom;
        } else if ((m = opt_value("--extra-arg", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                goto missing;
            if (push(&cli->extra_after, &cli->nextra_after, val) != 0)
                goto oom;
        } else if (a[0] == '-' && a[1] != '\0') {
            snprintf(errbuf, errlen, "unknown option '%s' (see --help)", a);
            return -1;
        } else if (push(&cli->inputs, &cli->ninputs, a) != 0) {
            goto oom;
        }
    }
    if (cli->mode == LL_MODE_CACHE_STATS || cli->mode == LL_MODE_CLEAR_CACHE) {
        if (cli->has_extra && cli->ninputs == 0) {
            snprintf(errbuf, errlen, "compiler arguments after '--' need source files");
            return -1;
        }
    } else if (cli->mode == LL_MODE_ANALYZE || cli->mode == LL_MODE_DUMP_FACTS) {
        if (!cli->compdb && cli->ninputs == 0) {
            snprintf(errbuf, errlen, "no input: give -p BUILD_DIR or source files (see --help)");
            return -1;
        }
        if (cli->diff && cli->diff_base) {
            snprintf(errbuf, errlen, "--diff and --diff-base exclude each other");
            return -1;
        }
        if (cli->compdb && cli->has_extra) {
            snprintf(errbuf, errlen, "compiler arguments after '--' need source files, not -p");
            return -1;
        }
    }
    if (argc > 1 && strcmp(argv[1], "link") == 0 && cli->mode != LL_MODE_LINK &&
        cli->mode != LL_MODE_HELP && cli->mode != LL_MODE_VERSION) {
        snprintf(errbuf, errlen,
                 "link: --list-rules, --dump-facts, --cache-stats and --clear-cache are not link "
                 "options");
        return -1;
    }
    if (cli->mode == LL_MODE_LINK) {
        if (!cli->compdb && cli->ninputs == 0) {
            snprintf(errbuf, errlen, "link: no input: give facts files, directories or -p DIR");
            return -1;
        }
        if (cli->has_extra) {
            snprintf(errbuf, errlen, "link takes facts files, not compiler arguments after '--'");
            return -1;
        }
    }
    return 0;
missing:
    snprintf(errbuf, errlen, "option '%s' needs a value", argv[i]);
    return -1;
oom:
    snprintf(errbuf, errlen, "out of memory");
    return -1;
}

void ll_cli_release(struct ll_cli *cli)
{
    free(cli->inputs);
    free(cli->extra);
    free(cli->enable);
    free(cli->disable);
    free(cli->extra_before);
    free(cli->extra_after);
    free(cli->exclude);
    memset(cli, 0, sizeof(*cli));
}
