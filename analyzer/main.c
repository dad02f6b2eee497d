/*
 * main: parses the command line, answers the informational modes, and
 * hands analysis to the driver.  The exit status is decided here and in
 * the driver only.
 */
#include "cli.h"
#include "driver.h"
#include "link.h"
#include "parse_worker.h"
#include "rule.h"
#include "suppress.h"
#include "wrapper_mode.h"

#include <stdio.h>
#include <string.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

/* The analysis rules, then the suppression checks, which are rules like
 * the others for the user (--disable, explain, the configuration). */
static int list_rules(void)
{
    for (size_t i = 0; i < ll_nrules; i++)
        printf("%-26s %-8s %s%s\n", ll_rules[i]->id, ll_severity_name(ll_rules[i]->severity),
               ll_rules[i]->summary,
               ll_rule_off_by_default(ll_rules[i]) ? " (off by default)" : "");
    for (size_t i = 0; i < ll_suppress_nrules; i++)
        printf("%-26s %-8s %s\n", ll_suppress_rules[i].id,
               ll_severity_name(ll_suppress_rules[i].severity), ll_suppress_rules[i].summary);
    return 0;
}

static int explain(const char *id)
{
    const struct ll_rule *r = ll_rule_find(id);
    const struct ll_rule_info *s = r ? NULL : ll_suppress_rule_find(id);
    if (!r && !s) {
        fprintf(stderr, "locklint: error: unknown rule '%s' (see --list-rules)\n", id);
        return 2;
    }
    if (r)
        printf("# %s\n\n%s\n\n%s", r->id, r->summary, r->doc);
    else
        printf("# %s\n\n%s\n\n%s", s->id, s->summary, s->doc);
    return 0;
}

int main(int argc, char **argv)
{
    /* A parser process the driver started (parse_worker.h). */
    if ((argc == 2 || argc == 3) && strcmp(argv[1], LL_PARSE_WORKER_ARG) == 0)
        return ll_parse_worker_main(argc == 3 ? argv[2] : NULL);
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    /* A run is short and first touches of fresh pages are what it pays for
     * most: large blocks (SQLite's blob buffers, source files) come from
     * the heap, where the next one reuses them, and the heap keeps what
     * is freed instead of handing it back to be faulted in again. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
    if (argc > 0 && ll_wrapper_is_launcher(argv[0]))
        return ll_wrapper_launcher(argc, argv);
    struct ll_cli cli;
    char err[512];
    if (ll_cli_parse(&cli, argc, argv, err, sizeof(err)) != 0) {
        fprintf(stderr, "locklint: error: %s\n", err);
        ll_cli_release(&cli);
        return 2;
    }
    int status;
    switch (cli.mode) {
    case LL_MODE_HELP:
        fputs(ll_cli_usage, stdout);
        status = 0;
        break;
    case LL_MODE_VERSION:
        printf("locklint %s\n", LL_VERSION);
        status = 0;
        break;
    case LL_MODE_LIST_RULES:
        status = list_rules();
        break;
    case LL_MODE_EXPLAIN:
        status = explain(cli.explain);
        break;
    case LL_MODE_LINK:
        status = ll_link_run(&cli);
        break;
    default:
        status = ll_wrapper_is_tidy(&cli) ? ll_wrapper_tidy(&cli) : ll_driver_run(&cli);
        break;
    }
    ll_cli_release(&cli);
    return status;
}
