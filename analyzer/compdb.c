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
 * Sanitising is an allow-list: only arguments that change how the code
 * parses are passed on (macros, include paths, the language standard and
 * dialect, the target, -f flags that change the language, warnings), plus
 * the -f/-m flags the configuration's `compiler-flags` adds.  Everything
 * else is dropped, with one note per distinct flag per run unless it only
 * names an output, dependency file, debug information or linking: a
 * deny-list cannot know every flag that writes a file or loads code
 * (-Xclang, -Xpreprocessor, -Wp,, -mllvm, -fplugin=, -fmodules-cache-path=,
 * --config, ...).  Response files (@FILE) are expanded here, so that what
 * they contain is sanitised too.  Relative include paths are rewritten
 * against the entry's directory because libclang honours
 * -working-directory poorly.
 *
 * This module never parses C, never runs the compiler and writes nothing.
 */
#include "compdb.h"

#include "file_access.h"

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
    db->extra_flags = NULL;
    db->nextra_flags = 0;
    db->noted = NULL;
    db->nnoted = 0;
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

/* Contents of a regular file as a string in the arena, or NULL with the
 * reason in `why` (errno ENOMEM when memory ran out, 0 otherwise). */
static char *read_small_file(struct ll_arena *a, const char *path, char *why, size_t whylen)
{
    char *text = NULL;
    FILE *f = ll_file_fopen_regular(path, why, whylen);
    errno = 0;
    if (!f)
        return NULL;
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        snprintf(why, whylen, "%s", strerror(errno));
        goto out;
    }
    if (st.st_size > MAX_RSP_SIZE) {
        snprintf(why, whylen, "larger than %ld bytes", MAX_RSP_SIZE);
        goto out;
    }
    size_t size = (size_t)st.st_size;
    char *buf = ll_arena_alloc(a, size + 1);
    if (!buf) {
        errno = ENOMEM;
        goto out;
    }
    if (fread(buf, 1, size, f) != size) {
        snprintf(why, whylen, "%s", ferror(f) ? strerror(errno) : "it changed while read");
        errno = 0;
        goto out;
    }
    if (memchr(buf, '\0', size)) {
        snprintf(why, whylen, "not a text file (it contains NUL bytes)");
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
        char why[256];
        char *text = read_small_file(scratch, path, why, sizeof(why));
        if (!text) {
            if (errno == ENOMEM)
                return -1;
            if (warn)
                fprintf(warn,
                        "locklint: warning: cannot read response file '%s' in the arguments "
                        "of '%s': %s, dropped\n",
                        path, display, why);
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

/*
 * The allow-list.  An argument is passed to libclang only when it matches
 * a rule below, the -f/-m/-W rules of keep_rule(), or an entry of the
 * configuration's `compiler-flags`; everything else is dropped.  Forms:
 * A_EXACT ("-pthread"), A_SEP (the value is the next argument: "-I dir"),
 * A_JOINED (the value follows the name: "-Idir", "-std=c11"); A_PATH
 * values are made absolute against the entry's directory because libclang
 * honours -working-directory poorly.
 */
enum { A_EXACT = 1, A_SEP = 2, A_JOINED = 4, A_PATH = 8, A_FORCED = 16 };

struct arg_rule {
    const char *name;
    unsigned form;
};

static const struct arg_rule keep_rules[] = {
    {"-D", A_SEP | A_JOINED},
    {"-U", A_SEP | A_JOINED},
    {"-I", A_SEP | A_JOINED | A_PATH},
    {"-isystem", A_SEP | A_JOINED | A_PATH},
    {"-iquote", A_SEP | A_JOINED | A_PATH},
    {"-idirafter", A_SEP | A_JOINED | A_PATH},
    {"-include", A_SEP | A_JOINED | A_PATH | A_FORCED},
    {"-imacros", A_SEP | A_JOINED | A_PATH | A_FORCED},
    {"-isysroot", A_SEP | A_JOINED | A_PATH},
    {"--sysroot", A_SEP | A_PATH},
    {"--sysroot=", A_JOINED | A_PATH},
    {"-iprefix", A_SEP | A_JOINED},
    {"-iwithprefix", A_SEP | A_JOINED},
    {"-iwithprefixbefore", A_SEP | A_JOINED},
    {"-iwithsysroot", A_SEP | A_JOINED},
    {"-nostdinc", A_EXACT},
    {"-nostdlibinc", A_EXACT},
    {"-nobuiltininc", A_EXACT},
    {"-undef", A_EXACT},
    {"-ansi", A_EXACT},
    {"-std=", A_JOINED},
    {"--std=", A_JOINED},
    {"-x", A_SEP | A_JOINED},
    {"-target", A_SEP},
    {"--target=", A_JOINED},
    {"--gcc-toolchain=", A_JOINED},
    {"-pthread", A_EXACT},
    {"-pthreads", A_EXACT},
    {"-w", A_EXACT},
    {"-O", A_JOINED}, /* __OPTIMIZE__, __NO_INLINE__: glibc's headers differ */
    {"-pedantic", A_EXACT},
    {"-pedantic-errors", A_EXACT},
    {"-A", A_SEP | A_JOINED}, /* #assert predicates */
};

/* -f flags that change the language or the predefined macros, with or
 * without "no-"; an entry ending in '=' or '-' is a prefix. */
static const char *const f_language[] = {
    "ms-extensions",
    "ms-compatibility",
    "ms-compatibility-version=",
    "ms-volatile",
    "ms-anonymous-structs",
    "builtin",
    "builtin-",
    "signed-char",
    "unsigned-char",
    "signed-bitfields",
    "unsigned-bitfields",
    "openmp",
    "openmp=",
    "openmp-simd",
    "gnu89-inline",
    "gnu-keywords",
    "asm",
    "blocks",
    "short-enums",
    "short-wchar",
    "wchar-type=",
    "pack-struct",
    "pack-struct=",
    "max-type-align=",
    "dollars-in-identifiers",
    "declspec",
    "freestanding",
    "hosted",
    "pic",
    "PIC",
    "pie",
    "PIE",
    "stack-protector",
    "stack-protector-strong",
    "stack-protector-all",
    "sanitize=",
    "cf-protection",
    "cf-protection=",
    "exceptions",
    "cxx-exceptions",
    "rtti",
    "fast-math",
    "finite-math-only",
    "math-errno",
    "inline",
    "trigraphs",
    "digraphs",
    "extended-identifiers",
    "input-charset=",
    "exec-charset=",
    "wide-exec-charset=",
    "gnu-inline-asm",
    "asm-blocks",
    "heinous-gnu-extensions",
    "gnuc-version=",
    "char8_t",
    "wrapv",
    "trapv",
    "delayed-template-parsing",
    "visibility=", /* which functions a library exports (its entry points) */
    "operator-names",
    "access-control",
    "threadsafe-statics",
    "sized-deallocation",
    "coroutines",
    "zvector",
    "altivec",
    "fixed-point",
    "emulated-tls",
    "pascal-strings",
    "lax-vector-conversions",
    "lax-vector-conversions=",
    "const-strings",
    "writable-strings",
    "strict-flex-arrays=",
    "gnu-runtime",
    "objc-arc",
    "objc-runtime=",
};

/* Dropped flags whose value is the next argument: it is dropped with them,
 * so that it is not taken for an argument of its own. */
static const char *const drop_sep[] = {
    "-o",
    "--output",
    "-MF",
    "-MT",
    "-MQ",
    "-MJ",
    "-Xclang",
    "-Xpreprocessor",
    "-Xassembler",
    "-Xlinker",
    "-Xanalyzer",
    "-Xopenmp-target",
    "-Xcuda-ptxas",
    "-Xcuda-fatbinary",
    "-Xarch_host",
    "-Xarch_device",
    "-mllvm",
    "-arch",
    "-B",
    "-F",
    "-iframework",
    "-L",
    "-l",
    "--param",
    "-gcc-toolchain",
    "-working-directory",
    "-ivfsoverlay",
    "-include-pch",
    "-resource-dir",
    "--config",
    "-serialize-diagnostics",
    "--serialize-diagnostics",
    "-dependency-file",
    "-dependency-dot",
    "-header-include-file",
    "-module-dependency-dir",
    "-aux-info",
    "-T",
    "-u",
    "-z",
    "-e",
    "-specs",
    "-dumpdir",
    "-dumpbase",
    "-dumpbase-ext",
    "-imultilib",
    "-imultiarch",
    "-fmodule-file",
    "-fmodules-cache-path",
    "-main-file-name",
};

/* Flags a build always has that only say what to produce (the action,
 * the output, dependency files, debug information, linking): dropped
 * without a note, since every database would print the same lines. */
static int drop_quietly(const char *s)
{
    static const char *const exact[] = {
        "-c",
        "-S",
        "-E",
        "-o",
        "--output",
        "-M",
        "-MM",
        "-MD",
        "-MMD",
        "-MP",
        "-MG",
        "-pipe",
        "-shared",
        "-static",
        "-rdynamic",
        "-pie",
        "-no-pie",
        "-nostdlib",
        "-nodefaultlibs",
        "-nostartfiles",
        "-static-libgcc",
        "-Xlinker",
        "-s",
    };
    for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
        if (strcmp(s, exact[i]) == 0)
            return 1;
    return starts_with(s, "-g") || starts_with(s, "-MF") || starts_with(s, "-MT") ||
           starts_with(s, "-MQ") || starts_with(s, "-MJ") || starts_with(s, "-Wl,") ||
           starts_with(s, "-l") || starts_with(s, "-L") ||
           (starts_with(s, "-o") && !starts_with(s, "-objc"));
}

/* Prefixes a `compiler-flags` entry of the configuration may never match:
 * flags that pass options on unchecked, load code, write files or read
 * other options from a file.  The configuration is in the repository, so
 * it is no more trusted than the database. */
static const char *const never_allowed[] = {
    "-X",
    "-Wp,",
    "-Wl,",
    "-Wa,",
    "-mllvm",
    "-fplugin",
    "-fpass-plugin",
    "-fmodule",
    "-fimplicit-module",
    "-fprebuilt-module",
    "-o",
    "-M",
    "-H",
    "--config",
    "-B",
    "-fuse-ld",
    "-ivfsoverlay",
    "-include-pch",
    "-resource-dir",
    "-save-temps",
    "-ftime-trace",
    "-fcrash-diagnostics",
    "-fprofile",
    "-fsave-optimization-record",
    "-fproc-stat-report",
    "-fdepfile",
    "-fdump",
    "-fsanitize-ignorelist",
    "-fsanitize-blacklist",
    "-fsanitize-coverage-allowlist",
    "-fsanitize-coverage-ignorelist",
    "-fembed",
    "-fcoverage",
    "-ftest-coverage",
    "-fdebug-dump",
    "-fopt-record",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int ll_compdb_flag_allowable(const char *flag)
{
    if (!(starts_with(flag, "-f") || starts_with(flag, "-m")) || strlen(flag) < 3 ||
        strchr(flag, ','))
        return 0;
    for (size_t i = 0; i < COUNT(never_allowed); i++)
        if (starts_with(flag, never_allowed[i]))
            return 0;
    /* a prefix entry must not cover one of the above either */
    size_t len = strlen(flag);
    if (flag[len - 1] == '*')
        for (size_t i = 0; i < COUNT(never_allowed); i++)
            if (strncmp(flag, never_allowed[i], len - 1) == 0)
                return 0;
    return 1;
}

static int in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

static int f_flag_kept(const char *s)
{
    const char *base = s + 2;
    if (starts_with(base, "no-"))
        base += 3;
    for (size_t i = 0; i < COUNT(f_language); i++) {
        const char *e = f_language[i];
        size_t n = strlen(e);
        if (e[n - 1] == '=' || e[n - 1] == '-' ? strncmp(base, e, n) == 0 : strcmp(base, e) == 0)
            return 1;
    }
    return 0;
}

static int config_flag_kept(const struct ll_compdb *db, const char *s)
{
    for (size_t i = 0; i < db->nextra_flags; i++) {
        const char *e = db->extra_flags[i];
        size_t n = strlen(e);
        if (n && e[n - 1] == '*' ? strncmp(s, e, n - 1) == 0 : strcmp(s, e) == 0)
            return 1;
    }
    return 0;
}

/* The rule that keeps `s`: an exact or separate-value match first, then
 * the longest joined prefix ("-iwithprefixbefore" is not "-iwithprefix"
 * with the value "before").  NULL when no rule of the table keeps it. */
static const struct arg_rule *keep_rule(const char *s)
{
    const struct arg_rule *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < COUNT(keep_rules); i++) {
        const struct arg_rule *r = &keep_rules[i];
        if (strcmp(s, r->name) == 0)
            return r;
        size_t n = strlen(r->name);
        if ((r->form & A_JOINED) && n > best_len && strncmp(s, r->name, n) == 0) {
            best = r;
            best_len = n;
        }
    }
    return best;
}

/* One note per distinct dropped flag per run: `key` is the flag without
 * its value ("-fplugin=", "-MF"), or with it for the flags that pass
 * options on ("-Xclang -load"), whose value is what matters. */
#define MAX_NOTES 64

static void note_dropped(struct ll_compdb *db, FILE *warn, const char *key, const char *text,
                         const char *display)
{
    if (!warn)
        return;
    for (size_t i = 0; i < db->nnoted; i++)
        if (strcmp(db->noted[i], key) == 0)
            return;
    if (db->nnoted == MAX_NOTES) {
        fputs("locklint: note: more compiler flags dropped, not listed\n", warn);
        db->nnoted++;
        return;
    }
    if (db->nnoted > MAX_NOTES)
        return;
    if (!db->noted) {
        db->noted = ll_arena_alloc(&db->arena, MAX_NOTES * sizeof(*db->noted));
        if (!db->noted)
            return;
    }
    const char *k = ll_arena_strdup(&db->arena, key);
    if (!k)
        return;
    db->noted[db->nnoted++] = k;
    fprintf(warn, "locklint: note: dropped compiler flag '%s' (first in the arguments of '%s')\n",
            text, display);
}

/* The note key of a dropped flag: the name up to and including '='. */
static const char *flag_key(struct ll_arena *a, const char *s)
{
    const char *eq = strchr(s, '=');
    return eq ? ll_arena_strndup(a, s, (size_t)(eq - s + 1)) : s;
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
 * A forced include (`-include FILE`, `-imacros FILE`) with a relative
 * FILE: GCC and clang look for it in the current directory (the entry's)
 * first, then along the quoted-include chain.  Its value was made
 * absolute against the entry's directory; where no file is there, it is
 * looked up below, once the chain's directories are absolute too.
 */
struct forced_include {
    int at;             /* its value's index in the kept arguments */
    const char *prefix; /* "-include" for the joined form, else "" */
    const char *rel;    /* the value as written */
};

#define FORCED_INCLUDES_MAX 16

static bool is_regular_file(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The directory argument k of kept names for `flag` (separate or joined),
 * or NULL. */
static const char *chain_dir(const struct argvec *kept, int k, const char *flag)
{
    const char *s = kept->v[k];
    size_t n = strlen(flag);
    const char *d = strcmp(s, flag) == 0       ? (k + 1 < kept->n ? kept->v[k + 1] : NULL)
                    : strncmp(s, flag, n) == 0 ? s + n
                                               : NULL;
    return d && d[0] == '/' ? d : NULL; /* "=dir", "-I-": not a directory of ours */
}

/* Each pending forced include from the first directory of the chain
 * (-iquote, -I, -isystem, -idirafter, in that order, as GCC searches
 * `#include "..."`) that has it; found nowhere, it stays as it was and
 * the parse reports the missing file.  Returns -1 when out of memory. */
static int find_forced_includes(struct ll_arena *a, struct argvec *kept,
                                const struct forced_include *f, int nf)
{
    static const char *const chain[] = {"-iquote", "-I", "-isystem", "-idirafter"};
    for (int i = 0; i < nf; i++) {
        const char *found = NULL;
        for (size_t c = 0; c < sizeof(chain) / sizeof(chain[0]) && !found; c++)
            for (int k = 0; k < kept->n && !found; k++) {
                const char *d = k == f[i].at ? NULL : chain_dir(kept, k, chain[c]);
                const char *path = d ? ll_path_absolute(a, d, f[i].rel) : NULL;
                if (d && !path)
                    return -1;
                found = is_regular_file(path) ? path : NULL;
            }
        if (found && !(kept->v[f[i].at] = ll_arena_printf(a, "%s%s", f[i].prefix, found)))
            return -1;
    }
    return 0;
}

/*
 * "-Wp,A,B,...": options for the preprocessor, passed on unchecked by the
 * driver.  Only its -D and -U pieces are kept (as plain -D/-U arguments:
 * hardened builds pass -Wp,-D_FORTIFY_SOURCE=2); anything else in it drops
 * the rest with a note.  Returns 0, or -1 when out of memory.
 */
static int keep_wp_defines(struct ll_compdb *db, struct ll_arena *scratch, struct argvec *res,
                           const char *s, FILE *warn, const char *display)
{
    char *copy = ll_arena_strdup(scratch, s + 4);
    if (!copy)
        return -1;
    int other = 0;
    char *save = NULL;
    for (char *piece = strtok_r(copy, ",", &save); piece; piece = strtok_r(NULL, ",", &save)) {
        if ((strcmp(piece, "-D") == 0 || strcmp(piece, "-U") == 0)) {
            char *val = strtok_r(NULL, ",", &save);
            if (!val)
                break;
            piece = ll_arena_printf(scratch, "%s%s", piece, val);
            if (!piece)
                return -1;
        } else if (!starts_with(piece, "-D") && !starts_with(piece, "-U")) {
            other = 1;
            continue;
        }
        if (argvec_push(scratch, res, piece) < 0)
            return -1;
    }
    if (other)
        note_dropped(db, warn, "-Wp,", s, display);
    return 0;
}

/* The GCC version given to libclang: at most 6.  glibc's headers take
 * branches for GCC 7 and later that clang 19 rejects (`_Float32` as a
 * built-in type under _GNU_SOURCE, `__attribute__((malloc(f, n)))` from
 * GCC 11), and every TU including <stdlib.h> would be incomplete; 6 still
 * passes the `__GNUC__ > 4` feature tests this flag is for. */
#define GNUC_MAJOR_MAX 6

/*
 * "-fgnuc-version=N" when the entry's compiler is GCC (its name says
 * "gcc", or is "cc"), else NULL.  libclang calls itself GCC 4.2.1, so
 * `#if __GNUC__ > 4 || ...` feature tests would pick the fallbacks the real
 * build never compiled (libuv's __atomic loads become plain reads).  The
 * compiler is never run: the version comes from its name ("gcc-5",
 * "x86_64-linux-gnu-gcc-13"), capped at GNUC_MAJOR_MAX, which a name
 * without a version gets too.
 */
static const char *gnuc_version_flag(struct ll_arena *a, const char *compiler)
{
    if (!compiler)
        return NULL;
    const char *base = strrchr(compiler, '/');
    base = base ? base + 1 : compiler;
    const char *gcc = strstr(base, "gcc");
    if (strstr(base, "clang") || (!gcc && strcmp(base, "cc") != 0))
        return NULL;
    long major = GNUC_MAJOR_MAX;
    const char *dash = gcc ? strchr(gcc, '-') : NULL;
    if (dash && dash[1] >= '1' && dash[1] <= '9') {
        char *end;
        long v = strtol(dash + 1, &end, 10);
        if ((*end == '\0' || *end == '.') && v >= 4 && v < GNUC_MAJOR_MAX)
            major = v;
    }
    return ll_arena_printf(a, "-fgnuc-version=%ld", major);
}

static int has_prefix_arg(const struct argvec *res, const char *prefix)
{
    for (int i = 0; i < res->n; i++)
        if (starts_with(res->v[i], prefix))
            return 1;
    return 0;
}

/*
 * The body of ll_compdb_sanitize() with the entry's directory explicit.
 * Kept and rewritten arguments are copied into db's arena; temporaries go
 * to a scratch arena of its own.
 */
static int sanitize(struct ll_compdb *db, const char *dir, int argc, const char *const *argv,
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
    struct argvec res = {NULL, 0, 0};
    struct forced_include forced[FORCED_INCLUDES_MAX];
    int nforced = 0;

    int i = 0;
    while (i < n) {
        const char *s = av[i];
        const char *next = i + 1 < n ? av[i + 1] : NULL;
        const char *kept[2] = {NULL, NULL};
        int take = 1;
        /* "-include-pch" is not "-include" with the value "-pch": a
         * dropped flag spelled exactly wins over a joined prefix. */
        int dropped_sep = in_list(s, drop_sep, COUNT(drop_sep));
        const struct arg_rule *rule = s[0] == '-' && !dropped_sep ? keep_rule(s) : NULL;

        if (strcmp(s, "--") == 0) {
            break; /* what follows is input files */
        } else if (s[0] != '-' || !s[1]) {
            /* A positional argument: the file itself, another input, or
             * the value of a flag dropped below. */
        } else if (rule) {
            size_t nlen = strlen(rule->name);
            int separate = (rule->form & A_SEP) && strcmp(s, rule->name) == 0;
            if (separate && !next) {
                /* a dangling flag has nothing to apply to */
            } else if (separate) {
                take = 2;
                kept[0] = s;
                kept[1] = rule->form & A_PATH ? path_value(&scratch, dir, "", next) : next;
            } else if ((rule->form & A_PATH) && strcmp(s, "-I-") != 0) {
                kept[0] = path_value(&scratch, dir, rule->name, s + nlen);
            } else {
                kept[0] = s;
            }
            if (!kept[0] || (take == 2 && !kept[1]))
                goto out;
            const char *value = separate ? next : s + nlen;
            if ((rule->form & A_FORCED) && value[0] && value[0] != '/' &&
                nforced < FORCED_INCLUDES_MAX &&
                !is_regular_file(kept[take - 1] + (separate ? 0 : nlen)))
                forced[nforced++] =
                    (struct forced_include){res.n + take - 1, separate ? "" : rule->name, value};
        } else if ((starts_with(s, "-f") && f_flag_kept(s)) ||
                   (starts_with(s, "-m") && !starts_with(s, "-mllvm")) ||
                   (s[1] == 'W' && !strchr(s, ',')) || config_flag_kept(db, s)) {
            kept[0] = s;
        } else if (starts_with(s, "-Wp,")) {
            if (keep_wp_defines(db, &scratch, &res, s, warn, display) < 0)
                goto out;
        } else {
            int sep = dropped_sep && next;
            take = sep ? 2 : 1;
            if (!drop_quietly(s)) {
                /* The value is part of the key where it is the option
                 * passed on ("-Xclang -load"), not where it is a path. */
                int passes_on = starts_with(s, "-X") || strcmp(s, "-mllvm") == 0;
                const char *text = sep ? ll_arena_printf(&scratch, "%s %s", s, next) : s;
                const char *key = sep && passes_on ? text : flag_key(&scratch, s);
                if (!text || !key)
                    goto out;
                note_dropped(db, warn, key, text, display);
            }
        }

        for (int j = 0; j < 2 && kept[j]; j++)
            if (argvec_push(&scratch, &res, kept[j]) < 0)
                goto out;
        i += take;
    }
    if (find_forced_includes(&scratch, &res, forced, nforced) < 0)
        goto out;

    const char *gnuc = has_prefix_arg(&res, "-fgnuc-version=")
                           ? NULL
                           : gnuc_version_flag(&scratch, argc > 0 ? argv[0] : NULL);
    if (gnuc && argvec_push(&scratch, &res, gnuc) < 0)
        goto out;

    const char **v = ll_arena_alloc(&db->arena, ((size_t)res.n + 3) * sizeof(*v));
    if (!v)
        goto out;
    int r = 0;
    for (; r < res.n; r++)
        if (!(v[r] = ll_arena_strdup(&db->arena, res.v[r])))
            goto out;
    /* Always ours: a database's -resource-dir was dropped above. */
    if (resource_dir) {
        v[r] = "-resource-dir";
        v[r + 1] = ll_arena_strdup(&db->arena, resource_dir);
        if (!v[r + 1])
            goto out;
        r += 2;
    }
    v[r] = NULL;
    *out = v;
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
    int n = sanitize(db, dir, argc, argv, file, resource_dir, warn, out);
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
        set_error(errbuf, errlen, "cannot open '%s': %s", path,
                  errno == ELOOP ? "a symbolic link loop" : strerror(errno));
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
                set_error(errbuf, errlen, "cannot open '%s': %s", display,
                          errno == ELOOP ? "a symbolic link loop" : strerror(errno));
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

    /* A FIFO would hang the read, /dev/zero fill memory, and a directory
     * is not "malformed JSON". */
    char why[256];
    FILE *f = ll_file_fopen_regular(display, why, sizeof(why));
    if (!f) {
        set_error(errbuf, errlen, "cannot read '%s': %s", display, why);
        goto out;
    }
    json_error_t jerr;
    root = json_loadf(f, 0, &jerr);
    fclose(f);
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
        if (ll_file_not_regular(file_abs, why, sizeof(why))) {
            if (warn)
                fprintf(warn, "locklint: warning: '%s' listed in %s: %s, skipped\n", file_abs, base,
                        why);
            continue;
        }

        struct ll_tu_job *job = &db->jobs[db->njobs];
        job->file = file_abs;
        job->directory = entry_dir;
        job->argc = sanitize(db, entry_dir, argc, argv, file, resource_dir, warn, &job->argv);
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
                set_error(errbuf, errlen, "cannot open '%s': %s", files[i],
                          errno == ELOOP ? "a symbolic link loop" : strerror(errno));
            goto out;
        }
        if (S_ISDIR(st.st_mode)) {
            set_error(errbuf, errlen, "'%s' is a directory, not a source file", files[i]);
            goto out;
        }
        if (!S_ISREG(st.st_mode)) {
            set_error(errbuf, errlen, "'%s' is %s, not a source file", files[i],
                      ll_file_kind(st.st_mode));
            goto out;
        }
        if (!file_set_add(&seen, full))
            continue;
        argv[nargs + 1] = files[i];
        struct ll_tu_job *job = &db->jobs[db->njobs];
        job->file = full;
        job->directory = db->dir;
        job->argc =
            sanitize(db, db->dir, (int)nargs + 2, argv, files[i], resource_dir, warn, &job->argv);
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
