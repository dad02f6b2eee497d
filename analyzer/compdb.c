/*
 * compdb: turns a compile_commands.json (or a list of files named on the
 * command line) into translation-unit jobs whose arguments are safe to hand
 * to libclang.
 *
 * The database is read with jansson rather than libclang's
 * clang_CompilationDatabase_* API so that every problem gets a precise
 * message (file, line and column of a JSON error, index of a bad entry)
 * instead of a NULL.  Paths are made absolute and normalised as strings:
 * symbolic links are not resolved, so "dir/link/.." is "dir", the same
 * way a build tool that wrote the database spelled it.
 *
 * Sanitising is deny-by-name: it drops what would write files (-o, the
 * dependency flags, --serialize-diagnostics, -save-temps), what links, the
 * other inputs of the command line, and everything that makes the parser
 * load code or read options from a file we do not look at (-fplugin=,
 * -fpass-plugin=, -Xclang -load/-plugin/-add-plugin, --config).  Response
 * files (@FILE) are expanded here, so that what they contain is sanitised
 * too.  Relative include paths are rewritten against the entry's directory
 * because libclang honours -working-directory poorly.  All other flags,
 * GCC-only ones included, are passed on untouched: libclang warns about
 * those it does not know, which is the honest outcome.
 *
 * This module never parses C, never runs the compiler and writes nothing.
 */
#include "compdb.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Nesting limit and size limit of response files: protection against
 * "@a" containing "@a" and against pointing us at a huge file. */
#define MAX_RSP_DEPTH 16
#define MAX_RSP_SIZE (16L * 1024 * 1024)

/* Error codes of split_command(); the public wrapper folds them into -1. */
#define SPLIT_OOM (-1)
#define SPLIT_UNTERMINATED (-2)

void ll_compdb_init(struct ll_compdb *db)
{
    ll_arena_init(&db->arena);
    db->path = NULL;
    db->dir = NULL;
    db->njobs = 0;
    db->jobs = NULL;
}

void ll_compdb_release(struct ll_compdb *db)
{
    ll_arena_release(&db->arena);
    ll_compdb_init(db);
}

static void set_error(char *errbuf, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_error(char *errbuf, size_t errlen, const char *fmt, ...)
{
    if (!errbuf || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(errbuf, errlen, fmt, ap);
    va_end(ap);
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The current directory in malloc'ed memory, or NULL with errno set. */
static char *current_dir(void)
{
    size_t size = 256;
    for (;;) {
        char *buf = malloc(size);
        if (!buf)
            return NULL;
        if (getcwd(buf, size))
            return buf;
        free(buf);
        if (errno != ERANGE || size > SIZE_MAX / 2)
            return NULL;
        size *= 2;
    }
}

/* ------------------------------------------------------------------ paths */

char *ll_path_absolute(struct ll_arena *a, const char *dir, const char *path)
{
    /* A NULL or empty dir leaves a relative path relative (still
     * normalised); callers that want an absolute result pass one. */
    int join = path[0] != '/' && dir && dir[0];
    size_t dlen = join ? strlen(dir) : 0;
    size_t plen = strlen(path);
    char *buf = ll_arena_alloc(a, dlen + plen + 3);
    if (!buf)
        return NULL;
    if (join) {
        memcpy(buf, dir, dlen);
        buf[dlen++] = '/';
    }
    memcpy(buf + dlen, path, plen + 1);

    /*
     * Normalise in place.  The write position never overtakes the read
     * position: every component written was read at or after the place it
     * is written to, and each separator written replaces at least one read.
     */
    int absolute = buf[0] == '/';
    size_t o = absolute ? 1 : 0, i = 0;
    for (;;) {
        while (buf[i] == '/')
            i++;
        if (!buf[i])
            break;
        size_t start = i;
        while (buf[i] && buf[i] != '/')
            i++;
        size_t clen = i - start;
        if (clen == 1 && buf[start] == '.')
            continue;
        if (clen == 2 && buf[start] == '.' && buf[start + 1] == '.') {
            /* The last component written is the one ".." cancels, unless
             * there is none (absolute: ".." of "/" is "/") or it is itself
             * a ".." at the start of a relative path. */
            size_t floor = absolute ? 1 : 0;
            if (o > floor) {
                size_t last = o;
                while (last > floor && buf[last - 1] != '/')
                    last--;
                if (!(o - last == 2 && buf[last] == '.' && buf[last + 1] == '.')) {
                    o = last > floor ? last - 1 : floor;
                    continue;
                }
            } else if (absolute) {
                continue;
            }
        }
        if (o > (absolute ? 1u : 0u))
            buf[o++] = '/';
        memmove(buf + o, buf + start, clen);
        o += clen;
    }
    if (o == 0)
        buf[o++] = '.';
    buf[o] = '\0';
    return buf;
}

/* ------------------------------------------------------------- splitting */

/*
 * One pass of the POSIX sh word splitting (no expansions).  With buf and
 * words NULL it only counts and validates; otherwise it writes the words,
 * NUL-terminated, into buf (strlen(cmd) + 1 bytes suffice: a word is never
 * longer than the text it came from, and all but the last are followed by
 * a separator that makes room for its NUL) and their starts into words.
 */
static int split_pass(const char *cmd, char *buf, const char **words)
{
    int n = 0;
    size_t o = 0;
    const char *p = cmd;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\v' || *p == '\f')
            p++;
        if (!*p)
            break;
        if (words)
            words[n] = buf + o;
        int in_word = 1;
        while (in_word && *p) {
            char c = *p;
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
                in_word = 0;
            } else if (c == '\'') {
                const char *q = strchr(p + 1, '\'');
                if (!q)
                    return SPLIT_UNTERMINATED;
                if (buf)
                    memcpy(buf + o, p + 1, (size_t)(q - p - 1));
                o += (size_t)(q - p - 1);
                p = q + 1;
            } else if (c == '"') {
                p++;
                while (*p && *p != '"') {
                    if (*p == '\\' && p[1] == '\n') {
                        p += 2; /* line continuation */
                        continue;
                    }
                    if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '$' || p[1] == '`'))
                        p++;
                    if (buf)
                        buf[o] = *p;
                    o++;
                    p++;
                }
                if (!*p)
                    return SPLIT_UNTERMINATED;
                p++;
            } else if (c == '\\' && p[1]) {
                if (p[1] != '\n') {
                    if (buf)
                        buf[o] = p[1];
                    o++;
                }
                p += 2;
            } else {
                /* Includes a backslash at the very end: kept literally. */
                if (buf)
                    buf[o] = c;
                o++;
                p++;
            }
        }
        if (buf)
            buf[o] = '\0';
        o++;
        n++;
    }
    if (words)
        words[n] = NULL;
    return n;
}

static int split_command(struct ll_arena *a, const char *cmd, const char ***out)
{
    *out = NULL;
    int n = split_pass(cmd, NULL, NULL);
    if (n < 0)
        return n;
    char *buf = ll_arena_alloc(a, strlen(cmd) + 1);
    const char **words = ll_arena_alloc(a, ((size_t)n + 1) * sizeof(*words));
    if (!buf || !words)
        return SPLIT_OOM;
    split_pass(cmd, buf, words);
    *out = words;
    return n;
}

int ll_compdb_split_command(struct ll_arena *a, const char *cmd, const char ***out)
{
    int n = split_command(a, cmd, out);
    return n < 0 ? -1 : n;
}

/* ------------------------------------------------------- response files */

struct argvec {
    const char **v;
    int n, cap;
};

static int argvec_push(struct ll_arena *a, struct argvec *av, const char *s)
{
    if (av->n == av->cap) {
        int cap = av->cap ? av->cap * 2 : 32;
        const char **v = ll_arena_alloc(a, (size_t)cap * sizeof(*v));
        if (!v)
            return -1;
        if (av->n)
            memcpy(v, av->v, (size_t)av->n * sizeof(*v));
        av->v = v;
        av->cap = cap;
    }
    av->v[av->n++] = s;
    return 0;
}

/* Contents of a file as a string in the arena, or NULL with errno set. */
static char *read_small_file(struct ll_arena *a, const char *path)
{
    char *text = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0)
        goto out;
    long size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0)
        goto out;
    if (size > MAX_RSP_SIZE) {
        errno = EFBIG;
        goto out;
    }
    char *buf = ll_arena_alloc(a, (size_t)size + 1);
    if (!buf) {
        errno = ENOMEM;
        goto out;
    }
    if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
        errno = EIO;
        goto out;
    }
    if (memchr(buf, '\0', (size_t)size)) {
        errno = EINVAL;
        goto out;
    }
    buf[size] = '\0';
    text = buf;
out:
    fclose(f);
    return text;
}

/*
 * Appends argv to out, replacing each "@FILE" (relative to dir) by the
 * words of FILE, recursively.  A response file that cannot be read is
 * dropped with a warning: libclang would not read it either, and keeping
 * it would make it an input file.  Returns 0, or -1 when out of memory.
 */
static int expand_rsp(struct ll_arena *scratch, const char *dir, int argc, const char *const *argv,
                      const char *display, FILE *warn, int depth, struct argvec *out)
{
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (s[0] != '@' || !s[1]) {
            if (argvec_push(scratch, out, s) < 0)
                return -1;
            continue;
        }
        if (depth >= MAX_RSP_DEPTH) {
            if (warn)
                fprintf(warn,
                        "locklint: warning: response files nested too deeply in the arguments "
                        "of '%s', '%s' dropped\n",
                        display, s);
            continue;
        }
        const char *path = ll_path_absolute(scratch, dir, s + 1);
        if (!path)
            return -1;
        char *text = read_small_file(scratch, path);
        if (!text) {
            if (errno == ENOMEM)
                return -1;
            if (warn)
                fprintf(warn,
                        "locklint: warning: cannot read response file '%s' in the arguments "
                        "of '%s': %s, dropped\n",
                        path, display, strerror(errno));
            continue;
        }
        const char **words;
        int n = split_command(scratch, text, &words);
        if (n == SPLIT_OOM)
            return -1;
        if (n == SPLIT_UNTERMINATED) {
            if (warn)
                fprintf(warn,
                        "locklint: warning: unterminated quote in response file '%s', dropped\n",
                        path);
            continue;
        }
        if (expand_rsp(scratch, dir, n, words, display, warn, depth + 1, out) < 0)
            return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ sanitising */

/* Flags whose value is the next argument (when not joined to it). */
static const char *const value_flags[] = {
    "-D",
    "-U",
    "-x",
    "-target",
    "-arch",
    "-A",
    "-Xpreprocessor",
    "-Xassembler",
    "-Xanalyzer",
    "-iprefix",
    "-iwithprefix",
    "-iwithprefixbefore",
    "-iwithsysroot",
    "-isystem-after",
    "-include-pch",
    "-ivfsoverlay",
    "-mllvm",
    "-gcc-toolchain",
    "-working-directory",
    "-F",
    "-iframework",
    "-cxx-isystem",
    "--param",
    "-resource-dir",
};

/* Flags taking a path that is rewritten to an absolute one, both joined
 * ("-Iinc", "--sysroot=dir") and separate ("-I inc"). */
static const struct {
    const char *name;
    const char *joined; /* prefix of the joined form */
} path_flags[] = {
    {"-I", "-I"},
    {"-isystem", "-isystem"},
    {"-iquote", "-iquote"},
    {"-idirafter", "-idirafter"},
    {"-include", "-include"},
    {"-imacros", "-imacros"},
    {"-isysroot", "-isysroot"},
    {"--sysroot", "--sysroot="},
};

/* Extensions of arguments that are other inputs of the command line. */
static const char *const input_exts[] = {
    ".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".i", ".ii", ".S", ".s", ".o", ".a", ".so",
};

/* cc1 options (behind -Xclang) that write a file, each with one value. */
static const char *const cc1_output_flags[] = {
    "-o",
    "-dependency-file",
    "-dependency-dot",
    "-header-include-file",
    "-module-dependency-dir",
    "-serialize-diagnostic-file",
    "-MT",
    "-MQ",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

static int looks_like_input(const char *s)
{
    const char *base = strrchr(s, '/');
    base = base ? base + 1 : s;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return 0;
    return in_list(dot, input_exts, COUNT(input_exts));
}

/*
 * If argv[i] is "-Xclang X" or "-Xclang=X", sets *val to X and returns the
 * number of arguments the pair takes (2 or 1); otherwise returns 0.
 */
static int xclang_at(const char *const *argv, int argc, int i, const char **val)
{
    if (i >= argc)
        return 0;
    if (strcmp(argv[i], "-Xclang") == 0 && i + 1 < argc) {
        *val = argv[i + 1];
        return 2;
    }
    if (starts_with(argv[i], "-Xclang=")) {
        *val = argv[i] + strlen("-Xclang=");
        return 1;
    }
    return 0;
}

static void note_dropped(FILE *warn, const char *const *argv, int from, int count,
                         const char *display)
{
    if (!warn)
        return;
    fputs("locklint: note: dropped code-loading flag '", warn);
    for (int k = 0; k < count; k++)
        fprintf(warn, "%s%s", k ? " " : "", argv[from + k]);
    fprintf(warn, "' from the arguments of '%s'\n", display);
}

/* A relative path value made absolute against dir; other values copied. */
static const char *path_value(struct ll_arena *a, const char *dir, const char *prefix,
                              const char *value)
{
    /* "=dir" and "$SYSROOT/dir" are relative to the sysroot, not to us. */
    if (!value[0] || value[0] == '/' || value[0] == '=' || starts_with(value, "$SYSROOT"))
        return ll_arena_printf(a, "%s%s", prefix, value);
    const char *abs = ll_path_absolute(a, dir, value);
    if (!abs)
        return NULL;
    return prefix[0] ? ll_arena_printf(a, "%s%s", prefix, abs) : abs;
}

/*
 * The body of ll_compdb_sanitize() with the entry's directory explicit.
 * Kept and rewritten arguments are copied into `a`; temporaries go to a
 * scratch arena of its own.
 */
static int sanitize(struct ll_arena *a, const char *dir, int argc, const char *const *argv,
                    const char *file, const char *resource_dir, FILE *warn, const char ***out)
{
    int result = -1;
    struct ll_arena scratch;
    ll_arena_init(&scratch);
    *out = NULL;

    const char *file_abs = ll_path_absolute(&scratch, dir, file);
    if (!file_abs)
        goto out;
    const char *display = file_abs;

    struct argvec ex = {NULL, 0, 0};
    if (argc > 1 && expand_rsp(&scratch, dir, argc - 1, argv + 1, display, warn, 0, &ex) < 0)
        goto out;
    const char *const *av = ex.v;
    int n = ex.n;

    const char **res = ll_arena_alloc(a, ((size_t)n + 3) * sizeof(*res));
    if (!res)
        goto out;
    int r = 0, has_resource_dir = 0;

    /* Each branch either keeps arguments (copying them to res) or drops
     * them; `take` is how many arguments the branch consumed. */
    int i = 0;
    while (i < n) {
        const char *s = av[i];
        const char *next = i + 1 < n ? av[i + 1] : NULL;
        const char *kept[2] = {NULL, NULL};
        int take = 1;
        const char *val = NULL;
        int k = xclang_at(av, n, i, &val);

        if (strcmp(s, "-Xclang") == 0 && !next) {
            /* dangling, dropped */
        } else if (k) {
            const char *val2 = NULL;
            int k2 = 0;
            int separate = strcmp(val, "-load") == 0 || strcmp(val, "-plugin") == 0 ||
                           strcmp(val, "-add-plugin") == 0 || starts_with(val, "-plugin-arg-") ||
                           in_list(val, cc1_output_flags, COUNT(cc1_output_flags));
            if (separate)
                k2 = xclang_at(av, n, i + k, &val2);
            take = k + k2;
            if (strcmp(val, "-load") == 0 || strcmp(val, "-plugin") == 0 ||
                strcmp(val, "-add-plugin") == 0 || starts_with(val, "-fplugin=") ||
                starts_with(val, "-fpass-plugin=") || starts_with(val, "-load="))
                note_dropped(warn, av, i, take, display);
            else if (!separate && !starts_with(val, "-fplugin-arg-"))
                kept[0] = s, kept[1] = k == 2 ? next : NULL;
        } else if (strcmp(s, "-c") == 0 || strcmp(s, "-S") == 0 || strcmp(s, "-E") == 0) {
            /* the action is ours to choose */
        } else if (strcmp(s, "-o") == 0) {
            take = next ? 2 : 1;
        } else if (starts_with(s, "-o") && !starts_with(s, "-objc") && !starts_with(s, "-object")) {
            /* -oFILE */
        } else if (strcmp(s, "-MD") == 0 || strcmp(s, "-MMD") == 0 || strcmp(s, "-MP") == 0 ||
                   strcmp(s, "-M") == 0 || strcmp(s, "-MM") == 0 || strcmp(s, "-MG") == 0) {
            /* dependency output */
        } else if (strcmp(s, "-MF") == 0 || strcmp(s, "-MT") == 0 || strcmp(s, "-MQ") == 0 ||
                   strcmp(s, "-MJ") == 0) {
            take = next ? 2 : 1;
        } else if (starts_with(s, "-MF") || starts_with(s, "-MT") || starts_with(s, "-MQ") ||
                   starts_with(s, "-MJ")) {
            /* joined dependency output */
        } else if (starts_with(s, "-Wp,") && strstr(s, ",-M")) {
            /* -Wp,-MD,file: dependency output through the preprocessor */
        } else if (strcmp(s, "--serialize-diagnostics") == 0) {
            take = next ? 2 : 1;
        } else if (starts_with(s, "--serialize-diagnostics")) {
            /* joined */
        } else if (starts_with(s, "-fplugin=") || starts_with(s, "-fpass-plugin=")) {
            note_dropped(warn, av, i, 1, display);
        } else if (starts_with(s, "-fplugin-arg-") || starts_with(s, "-save-temps")) {
            /* arguments of a dropped plugin; temporaries written to disk */
        } else if (starts_with(s, "-fbracket-depth") || starts_with(s, "-fconstexpr-depth") ||
                   starts_with(s, "-ftemplate-depth")) {
            /* Raised nesting limits let crafted code overflow libclang's
             * recursive parser and crash the run: keep clang's defaults. */
            if (strcmp(s, "-fbracket-depth") == 0 && next)
                take = 2;
        } else if (strcmp(s, "--config") == 0) {
            /* A config file is a list of options we would not sanitise. */
            take = next ? 2 : 1;
            note_dropped(warn, av, i, take, display);
        } else if (starts_with(s, "--config")) {
            note_dropped(warn, av, i, 1, display);
        } else if (starts_with(s, "-Wl,")) {
            /* linker */
        } else if (strcmp(s, "-Xlinker") == 0 || strcmp(s, "-l") == 0 || strcmp(s, "-L") == 0) {
            take = next ? 2 : 1;
        } else if (starts_with(s, "-l") || starts_with(s, "-L")) {
            /* linker, joined */
        } else if (strcmp(s, "-resource-dir") == 0 || starts_with(s, "-resource-dir=")) {
            has_resource_dir = 1;
            kept[0] = s;
            if (strcmp(s, "-resource-dir") == 0 && next)
                kept[1] = next, take = 2;
        } else if (s[0] == '-') {
            size_t p;
            for (p = 0; p < COUNT(path_flags); p++)
                if (strcmp(s, path_flags[p].name) == 0)
                    break;
            if (p < COUNT(path_flags)) {
                kept[0] = s;
                if (next) {
                    kept[1] = path_value(&scratch, dir, "", next);
                    if (!kept[1])
                        goto out;
                    take = 2;
                }
            } else if (in_list(s, value_flags, COUNT(value_flags))) {
                kept[0] = s;
                if (next)
                    kept[1] = next, take = 2;
            } else {
                for (p = 0; p < COUNT(path_flags); p++)
                    if (starts_with(s, path_flags[p].joined))
                        break;
                /* "-I-" is a flag of its own, not the directory "-". */
                if (p < COUNT(path_flags) && strcmp(s, "-I-") != 0) {
                    const char *prefix = path_flags[p].joined;
                    kept[0] = path_value(&scratch, dir, prefix, s + strlen(prefix));
                    if (!kept[0])
                        goto out;
                } else {
                    kept[0] = s;
                }
            }
        } else {
            /* A positional argument: the file itself or another input is
             * dropped, anything else is kept for the driver to judge. */
            const char *full = ll_path_absolute(&scratch, dir, s);
            if (!full)
                goto out;
            if (strcmp(s, file) != 0 && strcmp(full, file_abs) != 0 && !looks_like_input(s))
                kept[0] = s;
        }

        for (int j = 0; j < 2 && kept[j]; j++) {
            res[r] = ll_arena_strdup(a, kept[j]);
            if (!res[r])
                goto out;
            r++;
        }
        i += take;
    }

    if (resource_dir && !has_resource_dir) {
        res[r] = "-resource-dir";
        res[r + 1] = ll_arena_strdup(a, resource_dir);
        if (!res[r + 1])
            goto out;
        r += 2;
    }
    res[r] = NULL;
    *out = res;
    result = r;
out:
    ll_arena_release(&scratch);
    return result;
}

int ll_compdb_sanitize(struct ll_compdb *db, int argc, const char *const *argv, const char *file,
                       const char *resource_dir, FILE *warn, const char ***out)
{
    /* The public form knows no entry directory: it resolves relative
     * paths against the database's directory, or the current one. */
    char *cwd = NULL;
    const char *dir = db->dir;
    if (!dir) {
        cwd = current_dir();
        dir = cwd ? cwd : "/";
    }
    int n = sanitize(&db->arena, dir, argc, argv, file, resource_dir, warn, out);
    free(cwd);
    return n;
}

/* ------------------------------------------------------------- file sets */

/* Open-addressing set of absolute file names, sized once. */
struct file_set {
    const char **slots;
    size_t mask;
};

static int file_set_init(struct file_set *set, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    set->slots = calloc(cap, sizeof(*set->slots));
    set->mask = cap - 1;
    return set->slots ? 0 : -1;
}

/* Returns 1 when s was added, 0 when it was already there. */
static int file_set_add(struct file_set *set, const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    for (size_t i = (size_t)h & set->mask;; i = (i + 1) & set->mask) {
        if (!set->slots[i]) {
            set->slots[i] = s;
            return 1;
        }
        if (strcmp(set->slots[i], s) == 0)
            return 0;
    }
}

static void file_set_free(struct file_set *set)
{
    free(set->slots);
    set->slots = NULL;
}

/* -------------------------------------------------------------- loading */

/* Checks that an entry member is a string; names it in errbuf if not. */
static const char *entry_string(json_t *entry, const char *key, const char *display, size_t idx,
                                char *errbuf, size_t errlen)
{
    json_t *v = json_object_get(entry, key);
    if (!v) {
        set_error(errbuf, errlen, "%s: entry %zu has no \"%s\"", display, idx, key);
        return NULL;
    }
    if (!json_is_string(v)) {
        set_error(errbuf, errlen, "%s: entry %zu: \"%s\" is not a string", display, idx, key);
        return NULL;
    }
    return json_string_value(v);
}

/*
 * The full command line of an entry ("arguments" wins over "command", as
 * in clang's tooling), its strings borrowed from the JSON or in scratch.
 * Returns argc, or -1 with a message.
 */
static int entry_argv(struct ll_arena *scratch, json_t *entry, const char *display, size_t idx,
                      const char ***argv, char *errbuf, size_t errlen)
{
    json_t *args = json_object_get(entry, "arguments");
    json_t *cmd = json_object_get(entry, "command");
    if (args) {
        size_t n = json_array_size(args);
        if (!json_is_array(args) || n == 0 || n > INT_MAX - 1) {
            set_error(errbuf, errlen, "%s: entry %zu: \"arguments\" is not a non-empty array",
                      display, idx);
            return -1;
        }
        const char **v = ll_arena_alloc(scratch, (n + 1) * sizeof(*v));
        if (!v) {
            set_error(errbuf, errlen, "out of memory");
            return -1;
        }
        for (size_t i = 0; i < n; i++) {
            json_t *s = json_array_get(args, i);
            if (!json_is_string(s)) {
                set_error(errbuf, errlen, "%s: entry %zu: argument %zu is not a string", display,
                          idx, i);
                return -1;
            }
            v[i] = json_string_value(s);
        }
        *argv = v;
        return (int)n;
    }
    if (!cmd) {
        set_error(errbuf, errlen, "%s: entry %zu has no \"arguments\" or \"command\"", display,
                  idx);
        return -1;
    }
    if (!json_is_string(cmd)) {
        set_error(errbuf, errlen, "%s: entry %zu: \"command\" is not a string", display, idx);
        return -1;
    }
    int n = split_command(scratch, json_string_value(cmd), argv);
    if (n == SPLIT_OOM) {
        set_error(errbuf, errlen, "out of memory");
        return -1;
    }
    if (n == SPLIT_UNTERMINATED) {
        set_error(errbuf, errlen, "%s: entry %zu: unterminated quote in \"command\"", display, idx);
        return -1;
    }
    if (n == 0) {
        set_error(errbuf, errlen, "%s: entry %zu has an empty \"command\"", display, idx);
        return -1;
    }
    return n;
}

int ll_compdb_load(struct ll_compdb *db, const char *path, const char *resource_dir, FILE *warn,
                   char *errbuf, size_t errlen)
{
    int rc = -1;
    json_t *root = NULL;
    char *cwd = NULL;
    char *display = NULL;
    struct file_set seen = {NULL, 0};
    struct ll_arena scratch;
    ll_arena_init(&scratch);
    struct stat st;

    if (stat(path, &st) != 0) {
        set_error(errbuf, errlen, "cannot open '%s': %s", path, strerror(errno));
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        size_t len = strlen(path);
        int slash = len > 0 && path[len - 1] == '/';
        display = ll_arena_printf(&db->arena, "%s%scompile_commands.json", path, slash ? "" : "/");
        if (!display) {
            set_error(errbuf, errlen, "out of memory");
            goto out;
        }
        if (stat(display, &st) != 0) {
            if (errno == ENOENT)
                set_error(errbuf, errlen, "no compile_commands.json in '%s'", path);
            else
                set_error(errbuf, errlen, "cannot open '%s': %s", display, strerror(errno));
            goto out;
        }
    } else {
        display = ll_arena_strdup(&db->arena, path);
        if (!display) {
            set_error(errbuf, errlen, "out of memory");
            goto out;
        }
    }

    cwd = current_dir();
    if (!cwd) {
        set_error(errbuf, errlen, "cannot get the current directory: %s", strerror(errno));
        goto out;
    }
    db->path = ll_path_absolute(&db->arena, cwd, display);
    db->dir = db->path ? ll_path_absolute(&db->arena, db->path, "..") : NULL;
    if (!db->dir) {
        set_error(errbuf, errlen, "out of memory");
        goto out;
    }
    const char *base = strrchr(db->path, '/') + 1;

    json_error_t jerr;
    root = json_load_file(display, 0, &jerr);
    if (!root) {
        if (json_error_code(&jerr) == json_error_cannot_open_file || jerr.line < 0)
            set_error(errbuf, errlen, "cannot read '%s': %s", display, jerr.text);
        else
            set_error(errbuf, errlen, "%s:%d:%d: malformed JSON: %s", display, jerr.line,
                      jerr.column, jerr.text);
        goto out;
    }
    if (!json_is_array(root)) {
        set_error(errbuf, errlen, "%s: top-level value is not an array", display);
        goto out;
    }

    size_t n = json_array_size(root);
    if (n > 0) {
        db->jobs = ll_arena_alloc(&db->arena, n * sizeof(*db->jobs));
        if (!db->jobs || file_set_init(&seen, n) < 0) {
            set_error(errbuf, errlen, "out of memory");
            goto out;
        }
    }
    size_t skipped_cc1 = 0;
    for (size_t i = 0; i < n; i++) {
        ll_arena_release(&scratch);
        json_t *entry = json_array_get(root, i);
        if (!json_is_object(entry)) {
            set_error(errbuf, errlen, "%s: entry %zu is not an object", display, i);
            goto out;
        }
        const char *dir = entry_string(entry, "directory", display, i, errbuf, errlen);
        if (!dir)
            goto out;
        const char *file = entry_string(entry, "file", display, i, errbuf, errlen);
        if (!file)
            goto out;
        if (!file[0]) {
            set_error(errbuf, errlen, "%s: entry %zu has an empty \"file\"", display, i);
            goto out;
        }
        const char **argv;
        int argc = entry_argv(&scratch, entry, display, i, &argv, errbuf, errlen);
        if (argc < 0)
            goto out;

        /* `clang -cc1 ...` is the compiler's internal frontend job, which
         * some interceptors record next to the real command: its flags are
         * not driver flags.  The driver's own entry for the file follows. */
        if (argc > 1 && strcmp(argv[1], "-cc1") == 0) {
            skipped_cc1++;
            continue;
        }
        const char *entry_dir = ll_path_absolute(&db->arena, db->dir, dir);
        const char *file_abs = entry_dir ? ll_path_absolute(&db->arena, entry_dir, file) : NULL;
        if (!file_abs) {
            set_error(errbuf, errlen, "out of memory");
            goto out;
        }
        if (!file_set_add(&seen, file_abs))
            continue;
        int exists = stat(file_abs, &st) == 0;
        if (!exists || S_ISDIR(st.st_mode)) {
            if (warn)
                fprintf(warn, "locklint: warning: '%s' listed in %s %s, skipped\n", file_abs, base,
                        exists ? "is a directory" : "does not exist");
            continue;
        }

        struct ll_tu_job *job = &db->jobs[db->njobs];
        job->file = file_abs;
        job->directory = entry_dir;
        job->argc =
            sanitize(&db->arena, entry_dir, argc, argv, file, resource_dir, warn, &job->argv);
        if (job->argc < 0) {
            set_error(errbuf, errlen, "out of memory");
            goto out;
        }
        db->njobs++;
    }
    if (skipped_cc1 && warn)
        fprintf(warn, "locklint: note: %zu internal 'clang -cc1' entr%s in %s skipped\n",
                skipped_cc1, skipped_cc1 == 1 ? "y" : "ies", base);
    if (db->njobs == 0) {
        set_error(errbuf, errlen, "no translation units in '%s'", display);
        goto out;
    }
    rc = 0;
out:
    if (rc != 0) {
        db->njobs = 0;
        db->jobs = NULL;
    }
    ll_arena_release(&scratch);
    file_set_free(&seen);
    json_decref(root);
    free(cwd);
    return rc;
}

int ll_compdb_from_files(struct ll_compdb *db, const char *const *files, size_t nfiles,
                         const char *const *args, size_t nargs, const char *resource_dir,
                         FILE *warn, char *errbuf, size_t errlen)
{
    int rc = -1;
    char *cwd = NULL;
    struct file_set seen = {NULL, 0};
    const char **argv = NULL;

    if (nfiles == 0) {
        set_error(errbuf, errlen, "no input files");
        goto out;
    }
    if (nargs > INT_MAX - 2) {
        set_error(errbuf, errlen, "too many compiler arguments");
        goto out;
    }
    cwd = current_dir();
    if (!cwd) {
        set_error(errbuf, errlen, "cannot get the current directory: %s", strerror(errno));
        goto out;
    }
    db->path = NULL;
    db->dir = ll_path_absolute(&db->arena, NULL, cwd);
    db->jobs = ll_arena_alloc(&db->arena, nfiles * sizeof(*db->jobs));
    argv = malloc((nargs + 2) * sizeof(*argv));
    if (!db->dir || !db->jobs || !argv || file_set_init(&seen, nfiles) < 0) {
        set_error(errbuf, errlen, "out of memory");
        goto out;
    }

    /* The same command line for every file, as clang would get it. */
    argv[0] = "clang";
    for (size_t i = 0; i < nargs; i++)
        argv[i + 1] = args[i];

    for (size_t i = 0; i < nfiles; i++) {
        struct stat st;
        const char *full = ll_path_absolute(&db->arena, db->dir, files[i]);
        if (!full) {
            set_error(errbuf, errlen, "out of memory");
            goto out;
        }
        if (stat(full, &st) != 0) {
            if (errno == ENOENT || errno == ENOTDIR)
                set_error(errbuf, errlen, "no such file: '%s'", files[i]);
            else
                set_error(errbuf, errlen, "cannot open '%s': %s", files[i], strerror(errno));
            goto out;
        }
        if (S_ISDIR(st.st_mode)) {
            set_error(errbuf, errlen, "'%s' is a directory, not a source file", files[i]);
            goto out;
        }
        if (!file_set_add(&seen, full))
            continue;
        argv[nargs + 1] = files[i];
        struct ll_tu_job *job = &db->jobs[db->njobs];
        job->file = full;
        job->directory = db->dir;
        job->argc = sanitize(&db->arena, db->dir, (int)nargs + 2, argv, files[i], resource_dir,
                             warn, &job->argv);
        if (job->argc < 0) {
            set_error(errbuf, errlen, "out of memory");
            goto out;
        }
        db->njobs++;
    }
    rc = 0;
out:
    if (rc != 0) {
        db->njobs = 0;
        db->jobs = NULL;
    }
    free(argv);
    file_set_free(&seen);
    free(cwd);
    return rc;
}

/* ------------------------------------------------------------- filtering */

static int under(const char *file, const char *dir)
{
    size_t len = strlen(dir);
    if (strcmp(dir, "/") == 0)
        return file[0] == '/';
    return strncmp(file, dir, len) == 0 && (file[len] == '\0' || file[len] == '/');
}

size_t ll_compdb_filter(struct ll_compdb *db, const char *const *paths, size_t npaths)
{
    struct ll_arena scratch;
    ll_arena_init(&scratch);
    char *cwd = current_dir();
    const char **want = ll_arena_alloc(&scratch, (npaths + 1) * sizeof(*want));
    size_t nwant = 0;
    /* Out of memory or no current directory: a path that cannot be made
     * absolute matches nothing rather than everything. */
    for (size_t i = 0; want && i < npaths; i++) {
        const char *p = ll_path_absolute(&scratch, cwd, paths[i]);
        if (p && p[0] == '/')
            want[nwant++] = p;
    }

    size_t kept = 0;
    for (size_t j = 0; j < db->njobs; j++) {
        int keep = 0;
        for (size_t i = 0; i < nwant && !keep; i++)
            keep = under(db->jobs[j].file, want[i]);
        if (keep)
            db->jobs[kept++] = db->jobs[j];
    }
    db->njobs = kept;
    ll_arena_release(&scratch);
    free(cwd);
    return kept;
}
