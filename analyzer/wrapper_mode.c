/*
 * wrapper_mode: reads a compile command the way a compiler driver would
 * (enough to find its C sources, whether it compiles, and its object
 * files), extracts each source's facts with the sanitised arguments and
 * writes them next to the object.  The launcher then executes the
 * compiler; the clang-tidy form leaves that to CMake.
 *
 * It does not analyse: no rule runs here (see wrapper_mode.h for why).
 */
#include "wrapper_mode.h"

#include "config.h"
#include "driver.h"
#include "facts_file.h"
#include "frontend.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

/* gcc/clang options whose value is the next argument. */
static bool takes_value(const char *a)
{
    static const char *const opts[] = {
        "-o",          "-I",           "-D",
        "-U",          "-include",     "-imacros",
        "-isystem",    "-iquote",      "-idirafter",
        "-iprefix",    "-iwithprefix", "-isysroot",
        "-MF",         "-MT",          "-MQ",
        "-x",          "-Xclang",      "-Xpreprocessor",
        "-Xassembler", "-Xlinker",     "-L",
        "-l",          "-T",           "-u",
        "-z",          "-e",           "--param",
        "-aux-info",   "-arch",        "-target",
        "-dumpbase",   "-dumpdir",     "-iwithprefixbefore",
        "--sysroot",   "-B",
    };
    for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
        if (strcmp(a, opts[i]) == 0)
            return true;
    return false;
}

/* What a compile command does, as far as facts go. */
struct plan {
    const char **sources; /* C sources compiled to objects */
    size_t nsources;
    const char *object; /* -o, or NULL: each source's base name with .o */
    bool compiles;      /* -c, and nothing that stops before an object */
    bool other_lang;    /* -x with a language other than C */
};

/* Reads cmd[1..n) (cmd[0] is the compiler).  Returns 0 or -1 when out of
 * memory. */
static int plan_read(struct plan *p, int n, const char *const *cmd)
{
    memset(p, 0, sizeof(*p));
    bool stop = false;
    p->sources = calloc((size_t)n + 1, sizeof(*p->sources));
    if (!p->sources)
        return -1;
    for (int i = 1; i < n; i++) {
        const char *a = cmd[i];
        if (strcmp(a, "-c") == 0) {
            p->compiles = true;
        } else if (strcmp(a, "-E") == 0 || strcmp(a, "-S") == 0 || strcmp(a, "-M") == 0 ||
                   strcmp(a, "-MM") == 0 || strcmp(a, "-fsyntax-only") == 0) {
            stop = true;
        } else if (strcmp(a, "-o") == 0 && i + 1 < n) {
            p->object = cmd[++i];
        } else if (starts_with(a, "-o") && a[2]) {
            p->object = a + 2;
        } else if (strcmp(a, "-x") == 0 && i + 1 < n) {
            p->other_lang |= strcmp(cmd[++i], "c") != 0;
        } else if (starts_with(a, "-x") && a[2]) {
            p->other_lang |= strcmp(a + 2, "c") != 0;
        } else if (takes_value(a)) {
            i++;
        } else if (a[0] != '-' && ends_with(a, ".c")) {
            p->sources[p->nsources++] = a;
        }
    }
    p->compiles = p->compiles && !stop && !p->other_lang && p->nsources > 0 &&
                  (p->nsources == 1 || !p->object);
    return 0;
}

/* OBJECT.llfacts for `source`: the -o object, else its base name with .o
 * in the current directory, as the compiler names it. */
static char *facts_path(const struct plan *p, const char *source)
{
    char *out;
    if (p->object) {
        size_t n = strlen(p->object) + sizeof(LL_FACTS_FILE_SUFFIX);
        if ((out = malloc(n)))
            snprintf(out, n, "%s%s", p->object, LL_FACTS_FILE_SUFFIX);
        return out;
    }
    const char *base = strrchr(source, '/');
    base = base ? base + 1 : source;
    size_t len = strlen(base) - 2; /* without ".c" */
    size_t n = len + sizeof(".o" LL_FACTS_FILE_SUFFIX);
    if ((out = malloc(n)))
        snprintf(out, n, "%.*s.o%s", (int)len, base, LL_FACTS_FILE_SUFFIX);
    return out;
}

static void warn(const char *prog, const char *file, const char *what)
{
    fprintf(stderr, "%s: warning: %s: no facts written: %s\n", prog, file, what);
}

/*
 * Parses `source` with the compile command cmd[0..n) (compiler first) run
 * in the current directory and writes its facts to `out`.  The
 * configuration is `config`, else the first .locklint.yml above the
 * source.  Problems are warnings; returns 0 or -1.
 */
static int extract(const char *prog, const char *config, int n, const char *const *cmd,
                   const char *source, const char *out)
{
    struct ll_compdb db;
    struct ll_config cfg;
    struct ll_frontend *fe = NULL;
    struct ll_tu_facts facts;
    char cwd[PATH_MAX], err[1024];
    int rc = -1;
    ll_compdb_init(&db);
    ll_config_init(&cfg);
    ll_tu_facts_init(&facts);
    if (!getcwd(cwd, sizeof(cwd))) {
        warn(prog, source, strerror(errno));
        goto done;
    }
    struct ll_tu_job job;
    db.dir = ll_path_absolute(&db.arena, NULL, cwd);
    job.file = db.dir ? ll_path_absolute(&db.arena, db.dir, source) : NULL;
    job.directory = db.dir;
    char *srcdir = job.file ? ll_arena_strdup(&db.arena, job.file) : NULL;
    if (!srcdir) {
        warn(prog, source, "out of memory");
        goto done;
    }
    *strrchr(srcdir, '/') = '\0'; /* absolute: there is a slash */
    struct ll_cli cfg_cli;
    memset(&cfg_cli, 0, sizeof(cfg_cli));
    cfg_cli.config = config;
    ll_config_release(&cfg);
    if (ll_config_load_for(&cfg_cli, srcdir[0] ? srcdir : "/", &cfg, err, sizeof(err)) != 0) {
        warn(prog, source, err);
        goto done;
    }
    job.argc = ll_compdb_sanitize(&db, n, cmd, source, LL_RESOURCE_DIR, stderr, &job.argv);
    if (job.argc < 0) {
        warn(prog, source, "out of memory");
        goto done;
    }
    if (!(fe = ll_frontend_new())) {
        warn(prog, source, ll_frontend_unavailable());
        goto done;
    }
    if (ll_frontend_parse(fe, &job, &facts, err, sizeof(err)) != 0) {
        warn(prog, source, err);
        goto done;
    }
    if (facts.nerrors)
        fprintf(stderr, "%s: warning: %s: analysis incomplete: %u error%s, first: %s\n", prog,
                job.file, facts.nerrors, facts.nerrors == 1 ? "" : "s",
                facts.first_error ? facts.first_error : "?");
    if (ll_facts_file_write(out, &facts, ll_config_facts_hash(&cfg), err, sizeof(err)) != 0) {
        warn(prog, source, err);
        goto done;
    }
    rc = 0;
done:
    ll_frontend_free(fe);
    ll_tu_facts_release(&facts);
    ll_config_release(&cfg);
    ll_compdb_release(&db);
    return rc;
}

/* Facts for every source a compile command compiles; 0 when there was
 * nothing to do or all went well. */
static int extract_all(const char *prog, const char *config, int n, const char *const *cmd)
{
    struct plan p;
    if (plan_read(&p, n, cmd) != 0) {
        fprintf(stderr, "%s: warning: out of memory: no facts written\n", prog);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; p.compiles && i < p.nsources; i++) {
        char *out = facts_path(&p, p.sources[i]);
        if (!out || extract(prog, config, n, cmd, p.sources[i], out) != 0)
            rc = -1;
        free(out);
    }
    free(p.sources);
    return rc;
}

bool ll_wrapper_is_tidy(const struct ll_cli *cli)
{
    return cli->nextra_before || cli->nextra_after || (cli->nextra > 0 && cli->extra[0][0] != '-');
}

static bool is_driver_mode(const char *a)
{
    /* clang-tidy's way to say how to read the command: always gcc's here,
     * and a direct run over the compile database never sees it */
    return starts_with(a, "--driver-mode=");
}

/* The compile command of a tidy-style run: compiler, --extra-arg-before,
 * the command's arguments, --extra-arg.  *n is its length. */
static const char **tidy_command(const struct ll_cli *cli, bool with_compiler, int *n)
{
    size_t cap = 1 + cli->nextra_before + cli->nextra + cli->nextra_after;
    const char **v = calloc(cap + 1, sizeof(*v));
    if (!v)
        return NULL;
    size_t k = 0, first = 0;
    if (with_compiler) {
        v[k++] = cli->extra[0];
        first = 1;
    }
    for (size_t i = 0; i < cli->nextra_before; i++)
        if (!is_driver_mode(cli->extra_before[i]))
            v[k++] = cli->extra_before[i];
    for (size_t i = first; i < cli->nextra; i++)
        v[k++] = cli->extra[i];
    for (size_t i = 0; i < cli->nextra_after; i++)
        if (!is_driver_mode(cli->extra_after[i]))
            v[k++] = cli->extra_after[i];
    *n = (int)k;
    return v;
}

int ll_wrapper_tidy(const struct ll_cli *cli)
{
    bool with_compiler = cli->nextra > 0 && cli->extra[0][0] != '-';
    int n = 0;
    const char **cmd = tidy_command(cli, with_compiler, &n);
    if (!cmd) {
        fprintf(stderr, "locklint: error: out of memory\n");
        return 2;
    }
    struct plan p;
    int status = 2;
    if (plan_read(&p, n, cmd) != 0) {
        fprintf(stderr, "locklint: error: out of memory\n");
        goto out;
    }
    if (with_compiler && p.compiles && p.object) {
        /* in a build: facts for the link, the findings come from there */
        if (cli->ninputs != 1)
            fprintf(stderr, "locklint: warning: %zu source files given with one object '%s'\n",
                    cli->ninputs, p.object);
        for (size_t i = 0; i < cli->ninputs; i++) {
            char *out = facts_path(&p, cli->inputs[i]);
            if (out)
                extract("locklint", cli->config, n, cmd, cli->inputs[i], out);
            free(out);
        }
        status = 0;
    } else {
        /* like clang-tidy by hand: an ordinary run with the extra arguments */
        struct ll_cli c = *cli;
        c.extra = with_compiler ? cmd + 1 : cmd;
        c.nextra = with_compiler ? (size_t)n - 1 : (size_t)n;
        c.has_extra = cli->has_extra || c.nextra > 0;
        if (c.compdb) {
            c.extra = NULL;
            c.nextra = 0;
            c.has_extra = false;
        }
        status = ll_driver_run(&c);
    }
    free(p.sources);
out:
    free(cmd);
    return status;
}

int ll_wrapper_extra_args(struct ll_compdb *db, const struct ll_cli *cli)
{
    if (!cli->nextra_before && !cli->nextra_after)
        return 0;
    for (size_t j = 0; j < db->njobs; j++) {
        struct ll_tu_job *job = &db->jobs[j];
        size_t cap = 2 + cli->nextra_before + (size_t)job->argc + cli->nextra_after;
        const char **v = calloc(cap + 1, sizeof(*v));
        if (!v)
            return -1;
        size_t k = 0;
        v[k++] = "clang";
        for (size_t i = 0; i < cli->nextra_before; i++)
            if (!is_driver_mode(cli->extra_before[i]))
                v[k++] = cli->extra_before[i];
        for (int i = 0; i < job->argc; i++)
            v[k++] = job->argv[i];
        for (size_t i = 0; i < cli->nextra_after; i++)
            if (!is_driver_mode(cli->extra_after[i]))
                v[k++] = cli->extra_after[i];
        v[k++] = job->file;
        int argc =
            ll_compdb_sanitize(db, (int)k, v, job->file, LL_RESOURCE_DIR, stderr, &job->argv);
        free(v);
        if (argc < 0)
            return -1;
        job->argc = argc;
    }
    return 0;
}

bool ll_wrapper_is_launcher(const char *argv0)
{
    const char *base = strrchr(argv0, '/');
    return starts_with(base ? base + 1 : argv0, "locklint-cc");
}

static const char launcher_usage[] =
    "usage: locklint-cc [--config FILE] COMPILER ARGS...\n"
    "\n"
    "Runs COMPILER ARGS... unchanged and exits with its status; before a compile (-c) of\n"
    "C sources, writes each source's locklint facts next to its object (OBJECT.llfacts)\n"
    "for 'locklint link'.  Use as CMAKE_C_COMPILER_LAUNCHER or CC=\"locklint-cc cc\".\n";

int ll_wrapper_launcher(int argc, char **argv)
{
    const char *config = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            config = argv[++i];
        } else if (starts_with(argv[i], "--config=")) {
            config = argv[i] + strlen("--config=");
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(launcher_usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("locklint-cc %s\n", LL_VERSION);
            return 0;
        } else {
            fprintf(stderr, "locklint-cc: error: unknown option '%s'\n%s", argv[i], launcher_usage);
            return 2;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "locklint-cc: error: no compiler to run\n%s", launcher_usage);
        return 2;
    }
    const char *const *cmd = (const char *const *)argv + i;
    int n = argc - i;
    struct plan p;
    bool compiles = false;
    if (plan_read(&p, n, cmd) == 0) {
        compiles = p.compiles;
        free(p.sources);
    }
    if (compiles) {
        /* In a child: libclang crashing on a TU must not stop the build. */
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0)
            _exit(extract_all("locklint-cc", config, n, cmd) == 0 ? 0 : 1);
        int ws = 0;
        if (pid < 0)
            fprintf(stderr, "locklint-cc: warning: cannot fork: %s: no facts written\n",
                    strerror(errno));
        else if (waitpid(pid, &ws, 0) == pid && WIFSIGNALED(ws))
            fprintf(stderr,
                    "locklint-cc: warning: facts extraction died of signal %d: no facts "
                    "written\n",
                    WTERMSIG(ws));
    }
    execvp(argv[i], argv + i);
    fprintf(stderr, "locklint-cc: error: cannot run '%s': %s\n", argv[i], strerror(errno));
    return 127;
}
