/*
 * Unit tests for analyzer/compdb: loading both entry forms, path
 * resolution, every error message, skipped and duplicate entries, argument
 * sanitising (and its notes), response files, shell splitting, path
 * normalisation, filtering and file mode.
 *
 * Every test runs in a fresh temporary directory that is also the current
 * directory, so relative paths and getcwd() agree with what is expected.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "compdb.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fixture {
    char root[4096]; /* the temporary directory, as getcwd() spells it */
    char old_cwd[4096];
    char err[512];
    struct ll_compdb db;
};

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* Everything written to a tmpfile(), as a static string. */
static const char *slurp(FILE *f)
{
    static char buf[8192];
    rewind(f);
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    return buf;
}

static int count_substr(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d))) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                    continue;
                char child[4096];
                snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
                remove_tree(child);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    if (!fx)
        return -1;
    char tmpl[] = "/tmp/test_compdb.XXXXXX";
    if (!getcwd(fx->old_cwd, sizeof(fx->old_cwd)) || !mkdtemp(tmpl) || chdir(tmpl) != 0 ||
        !getcwd(fx->root, sizeof(fx->root))) {
        free(fx);
        return -1;
    }
    if (mkdir("src", 0777) != 0 || mkdir("inc", 0777) != 0 || mkdir("build", 0777) != 0 ||
        mkdir("srcx", 0777) != 0)
        return -1;
    write_file("a.c", "int a;\n");
    write_file("src/b.c", "int b;\n");
    write_file("src/c.c", "int c;\n");
    write_file("srcx/d.c", "int d;\n");
    ll_compdb_init(&fx->db);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    ll_compdb_release(&fx->db);
    if (chdir(fx->old_cwd) != 0)
        return -1;
    remove_tree(fx->root);
    free(fx);
    return 0;
}

/* fx->root + "/" + rel, in a rotating set of static buffers. */
static const char *at(const struct fixture *fx, const char *rel)
{
    static char bufs[8][4200];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, sizeof(bufs[0]), "%s/%s", fx->root, rel);
    return b;
}

static void assert_argv(const struct ll_tu_job *job, const char *const *expect, int n)
{
    for (int i = 0; i < job->argc && i < n; i++)
        assert_string_equal(job->argv[i], expect[i]);
    assert_int_equal(job->argc, n);
    assert_null(job->argv[n]);
}

static int load(struct fixture *fx, const char *path, const char *resource_dir, FILE *warn)
{
    fx->err[0] = '\0';
    return ll_compdb_load(&fx->db, path, resource_dir, warn, fx->err, sizeof(fx->err));
}

/* ------------------------------------------------------------- loading */

static void test_arguments_form(void **state)
{
    struct fixture *fx = *state;
    char json[8192];
    snprintf(json, sizeof(json),
             "[{\"directory\": \"%s\", \"file\": \"a.c\", \"arguments\": [\"clang\", \"-Iinc\", "
             "\"-DX=1\", \"-std=c11\", \"-c\", \"-o\", \"a.o\", \"a.c\"]}]",
             fx->root);
    write_file("compile_commands.json", json);
    assert_int_equal(load(fx, "compile_commands.json", NULL, NULL), 0);
    assert_string_equal(fx->db.path, at(fx, "compile_commands.json"));
    assert_string_equal(fx->db.dir, fx->root);
    assert_int_equal(fx->db.njobs, 1);
    const struct ll_tu_job *job = &fx->db.jobs[0];
    assert_string_equal(job->file, at(fx, "a.c"));
    assert_string_equal(job->directory, fx->root);
    char inc[4300];
    snprintf(inc, sizeof(inc), "-I%s/inc", fx->root);
    const char *expect[] = {inc, "-DX=1", "-std=c11"};
    assert_argv(job, expect, 3);
}

static void test_command_form_with_quotes(void **state)
{
    struct fixture *fx = *state;
    char json[8192];
    snprintf(json, sizeof(json),
             "[{\"directory\": \"%s\", \"file\": \"a.c\", \"command\": "
             "\"/usr/bin/clang -DMSG=\\\"hello world\\\" -I 'my inc' -DQ=\\\\\\\"q\\\\\\\" "
             "-c a.c -o a.o\"}]",
             fx->root);
    write_file("compile_commands.json", json);
    assert_int_equal(load(fx, "compile_commands.json", NULL, NULL), 0);
    assert_int_equal(fx->db.njobs, 1);
    const char *expect[] = {"-DMSG=hello world", "-I", at(fx, "my inc"), "-DQ=\"q\""};
    assert_argv(&fx->db.jobs[0], expect, 4);
}

static void test_relative_file_and_directory(void **state)
{
    struct fixture *fx = *state;
    /* "directory" is relative to the database's directory, "file" to
     * "directory". */
    write_file(
        "build/compile_commands.json",
        "[{\"directory\": \"..\", \"file\": \"src/b.c\", \"arguments\": [\"clang\", \"-c\", "
        "\"src/b.c\", \"-Iinc\"]},\n"
        " {\"directory\": \"../src/\", \"file\": \"./c.c\", \"command\": \"clang -c c.c\"}]");
    assert_int_equal(load(fx, "build/compile_commands.json", NULL, NULL), 0);
    assert_string_equal(fx->db.path, at(fx, "build/compile_commands.json"));
    assert_string_equal(fx->db.dir, at(fx, "build"));
    assert_int_equal(fx->db.njobs, 2);
    assert_string_equal(fx->db.jobs[0].file, at(fx, "src/b.c"));
    assert_string_equal(fx->db.jobs[0].directory, fx->root);
    char inc[4300];
    snprintf(inc, sizeof(inc), "-I%s/inc", fx->root);
    const char *expect0[] = {inc};
    assert_argv(&fx->db.jobs[0], expect0, 1);
    assert_string_equal(fx->db.jobs[1].file, at(fx, "src/c.c"));
    assert_string_equal(fx->db.jobs[1].directory, at(fx, "src"));
    assert_argv(&fx->db.jobs[1], NULL, 0);
}

static void test_directory_argument(void **state)
{
    struct fixture *fx = *state;
    write_file("build/compile_commands.json",
               "[{\"directory\": \"..\", \"file\": \"a.c\", \"command\": \"clang -c a.c\"}]");
    assert_int_equal(load(fx, "build/", NULL, NULL), 0);
    assert_string_equal(fx->db.path, at(fx, "build/compile_commands.json"));
    assert_string_equal(fx->db.dir, at(fx, "build"));
    assert_int_equal(fx->db.njobs, 1);
    assert_string_equal(fx->db.jobs[0].file, at(fx, "a.c"));

    ll_compdb_release(&fx->db);
    assert_int_equal(load(fx, at(fx, "build"), NULL, NULL), 0);
    assert_string_equal(fx->db.path, at(fx, "build/compile_commands.json"));
}

static void test_missing_file_skipped_with_warning(void **state)
{
    struct fixture *fx = *state;
    write_file(
        "compile_commands.json",
        "[{\"directory\": \".\", \"file\": \"missing.c\", \"command\": \"clang -c missing.c\"},"
        " {\"directory\": \".\", \"file\": \"a.c\", \"command\": \"clang -c a.c\"}]");
    FILE *warn = tmpfile();
    assert_non_null(warn);
    assert_int_equal(load(fx, "compile_commands.json", NULL, warn), 0);
    assert_int_equal(fx->db.njobs, 1);
    assert_string_equal(fx->db.jobs[0].file, at(fx, "a.c"));
    char expect[4400];
    snprintf(expect, sizeof(expect),
             "locklint: warning: '%s/missing.c' listed in compile_commands.json: does not exist, "
             "skipped\n",
             fx->root);
    assert_string_equal(slurp(warn), expect);
    fclose(warn);
}

static void test_all_skipped_is_empty(void **state)
{
    struct fixture *fx = *state;
    write_file("compile_commands.json",
               "[{\"directory\": \".\", \"file\": \"missing.c\", \"command\": \"clang -c x.c\"}]");
    assert_int_equal(load(fx, "compile_commands.json", NULL, NULL) < 0, 1);
    assert_string_equal(fx->err, "no translation units in 'compile_commands.json'");
    assert_int_equal(fx->db.njobs, 0);
}

static void test_duplicates_keep_first(void **state)
{
    struct fixture *fx = *state;
    write_file(
        "compile_commands.json",
        "[{\"directory\": \".\", \"file\": \"a.c\", \"command\": \"clang -DFIRST -c a.c\"},"
        " {\"directory\": \"src\", \"file\": \"../a.c\", \"command\": \"clang -DSECOND\"},"
        " {\"directory\": \".\", \"file\": \"src/b.c\", \"command\": \"clang -c src/b.c\"}]");
    assert_int_equal(load(fx, "compile_commands.json", NULL, NULL), 0);
    assert_int_equal(fx->db.njobs, 2);
    const char *expect[] = {"-DFIRST"};
    assert_argv(&fx->db.jobs[0], expect, 1);
    assert_string_equal(fx->db.jobs[1].file, at(fx, "src/b.c"));
}

static void test_malformed_json(void **state)
{
    struct fixture *fx = *state;
    write_file("compile_commands.json", "[\n  {\"file\": \"a.c\",\n   oops }\n]\n");
    assert_int_equal(load(fx, "compile_commands.json", NULL, NULL) < 0, 1);
    assert_non_null(strstr(fx->err, "compile_commands.json:3:"));
    assert_non_null(strstr(fx->err, ": malformed JSON: "));
}

static void test_missing_file_key(void **state)
{
    struct fixture *fx = *state;
    write_file("compile_commands.json",
               "[{\"directory\": \".\", \"file\": \"a.c\", \"command\": \"clang -c a.c\"},"
               " {\"directory\": \".\", \"command\": \"clang -c a.c\"}]");
    assert_int_equal(load(fx, "compile_commands.json", NULL, NULL) < 0, 1);
    assert_string_equal(fx->err, "compile_commands.json: entry 1 has no \"file\"");
    assert_int_equal(fx->db.njobs, 0);
}

static void test_missing_directory_key(void **state)
{
    struct fixture *fx = *state;
    write_file("compile_commands.json", "[{\"file\": \"a.c\", \"command\": \"clang -c a.c\"}]");
    assert_int_equal(load(fx, "compile_commands.json", NULL, NULL) < 0, 1);
    assert_string_equal(fx->err, "compile_commands.json: entry 0 has no \"directory\"");
}

static void test_bad_entries(void **state)
{
    struct fixture *fx = *state;
    write_file("compile_commands.json", "[{\"directory\": \".\", \"file\": \"a.c\"}]");
    assert_int_equal(load(fx, "compile_commands.json", NULL, NULL) < 0, 1);
    assert_string_equal(fx->err,
                        "compile_commands.json: entry 0 has no \"arguments\" or \"command\"");

    ll_compdb_release(&fx->db);
    write_file("compile_commands.json", "[42]");
    assert_int_equal(load(fx, "compile_commands.json", NULL, NULL) < 0, 1);
    assert_string_equal(fx->err, "compile_commands.json: entry 0 is not an object");

    ll_compdb_release(&fx->db);
    write_file("compile_commands.json",
               "[{\"directory\": \".\", \"file\": 7, \"command\": \"clang\"}]");
    assert_int_equal(load(fx, "compile_commands.json", NULL, NULL) < 0, 1);
    assert_string_equal(fx->err, "compile_commands.json: entry 0: \"file\" is not a string");

    ll_compdb_release(&fx->db);
    write_file("compile_commands.json",
               "[{\"directory\": \".\", \"file\": \"a.c\", \"command\": \"clang '-DX\"}]");
    assert_int_equal(load(fx, "compile_commands.json", NULL, NULL) < 0, 1);
    assert_string_equal(fx->err,
                        "compile_commands.json: entry 0: unterminated quote in \"command\"");

    ll_compdb_release(&fx->db);
    write_file("compile_commands.json",
               "[{\"directory\": \".\", \"file\": \"a.c\", \"arguments\": [\"clang\", 3]}]");
    assert_int_equal(load(fx, "compile_commands.json", NULL, NULL) < 0, 1);
    assert_string_equal(fx->err, "compile_commands.json: entry 0: argument 1 is not a string");
}

static void test_empty_array(void **state)
{
    struct fixture *fx = *state;
    write_file("compile_commands.json", "  [ ]\n");
    assert_int_equal(load(fx, "compile_commands.json", NULL, NULL) < 0, 1);
    assert_string_equal(fx->err, "no translation units in 'compile_commands.json'");
}

static void test_not_an_array(void **state)
{
    struct fixture *fx = *state;
    write_file("compile_commands.json", "{\"directory\": \".\"}");
    assert_int_equal(load(fx, "compile_commands.json", NULL, NULL) < 0, 1);
    assert_string_equal(fx->err, "compile_commands.json: top-level value is not an array");
}

static void test_nonexistent_path(void **state)
{
    struct fixture *fx = *state;
    assert_int_equal(load(fx, "nope/compile_commands.json", NULL, NULL) < 0, 1);
    assert_string_equal(fx->err,
                        "cannot open 'nope/compile_commands.json': No such file or directory");

    assert_int_equal(load(fx, "inc", NULL, NULL) < 0, 1);
    assert_string_equal(fx->err, "no compile_commands.json in 'inc'");
}

/* ---------------------------------------------------------- sanitising */

static void test_sanitize_drops_and_keeps(void **state)
{
    struct fixture *fx = *state;
    fx->db.dir = fx->root;
    const char *argv[] = {
        "clang",
        "-c",
        "-o",
        "x.o",
        "-MD",
        "-MF",
        "x.d",
        "-MMD",
        "-MP",
        "-MT",
        "x.o",
        "-MFy.d",
        "-Iinc",
        "-I",
        "inc2",
        "-I/abs",
        "-isystem",
        "../sys",
        "-iquoteq",
        "-include",
        "cfg.h",
        "-DFOO=1",
        "-D",
        "BAR",
        "-std=gnu11",
        "-Werror",
        "-fsanitize=thread",
        "-fplugin=./evil.so",
        "-fpass-plugin=pass.so",
        "-fplugin-arg-evil-x",
        "-Xclang",
        "-load",
        "-Xclang",
        "x.so",
        "-Xclang",
        "-add-plugin",
        "-Xclang",
        "evil",
        "-Xclang=-load",
        "-Xclang=y.so",
        "-Xclang",
        "-fno-color-diagnostics",
        "-Wl,-z,now",
        "-lm",
        "-L",
        "lib",
        "--serialize-diagnostics",
        "x.dia",
        "-save-temps=obj",
        "other.c",
        "x.o",
        "-x",
        "c",
        "-I=/sysinc",
        "./file.c",
        "-O2",
    };
    FILE *warn = tmpfile();
    assert_non_null(warn);
    const char **out;
    int n = ll_compdb_sanitize(&fx->db, (int)(sizeof(argv) / sizeof(argv[0])), argv, "file.c", NULL,
                               warn, &out);
    char inc[4300], inc2[4300], sys[4300], q[4300], cfg[4300];
    snprintf(inc, sizeof(inc), "-I%s/inc", fx->root);
    snprintf(inc2, sizeof(inc2), "%s/inc2", fx->root);
    /* pure string normalisation: ".." of the root's parent */
    char *parent = strdup(fx->root);
    assert_non_null(parent);
    *strrchr(parent, '/') = '\0';
    snprintf(sys, sizeof(sys), "%s/sys", parent[0] ? parent : "");
    free(parent);
    snprintf(q, sizeof(q), "-iquote%s/q", fx->root);
    snprintf(cfg, sizeof(cfg), "%s/cfg.h", fx->root);
    const char *expect[] = {
        inc,  "-I",  inc2,         "-I/abs",  "-isystem",
        sys,  q,     "-include",   cfg,       "-DFOO=1",
        "-D", "BAR", "-std=gnu11", "-Werror", "-fsanitize=thread",
        "-x", "c",   "-I=/sysinc", "-O2",
    };
    int nexpect = (int)(sizeof(expect) / sizeof(expect[0]));
    for (int i = 0; i < n && i < nexpect; i++)
        assert_string_equal(out[i], expect[i]);
    assert_int_equal(n, nexpect);
    assert_null(out[n]);

    /* One note per distinct flag; output, dependency, debug and linker
     * flags are dropped silently.  A flag that passes options on is one
     * flag per option. */
    const char *notes = slurp(warn);
    char file_note[4400];
    snprintf(file_note, sizeof(file_note), "' (first in the arguments of '%s/file.c')\n", fx->root);
    assert_int_equal(count_substr(notes, "locklint: note: dropped compiler flag '"), 11);
    assert_int_equal(count_substr(notes, file_note), 11);
    assert_non_null(strstr(notes, "flag '-fplugin=./evil.so' (first"));
    assert_non_null(strstr(notes, "flag '-fpass-plugin=pass.so' (first"));
    assert_non_null(strstr(notes, "flag '-fplugin-arg-evil-x' (first"));
    assert_non_null(strstr(notes, "flag '-Xclang -load' (first"));
    assert_non_null(strstr(notes, "flag '-Xclang x.so' (first"));
    assert_non_null(strstr(notes, "flag '-Xclang -add-plugin' (first"));
    assert_non_null(strstr(notes, "flag '-Xclang evil' (first"));
    assert_non_null(strstr(notes, "flag '-Xclang=-load' (first"));
    assert_null(strstr(notes, "-Xclang=y.so"));
    assert_non_null(strstr(notes, "flag '-Xclang -fno-color-diagnostics' (first"));
    assert_non_null(strstr(notes, "flag '--serialize-diagnostics x.dia' (first"));
    assert_non_null(strstr(notes, "flag '-save-temps=obj' (first"));
    assert_null(strstr(notes, "'-MF"));
    assert_null(strstr(notes, "'-o"));
    assert_null(strstr(notes, "'-c'"));
    fclose(warn);
}

static void test_sanitize_more_drops(void **state)
{
    struct fixture *fx = *state;
    fx->db.dir = fx->root;
    const char *argv[] = {
        "clang",
        "-Wp,-MD,dep.d",
        "-Wp,-DKEEP",
        "--config",
        "evil.cfg",
        "--config=x.cfg",
        "-Xclang",
        "-plugin",
        "-Xclang",
        "p",
        "-Xclang",
        "-plugin-arg-p",
        "-Xclang",
        "v",
        "-oout.o",
        "-o",
        "prog",
        "-MJ",
        "j.json",
        "-MQx",
        "-E",
        "-S",
        "/abs/dir/file.c",
        "-iquote",
        "dir with space",
        "-include-pch",
        "pch.h.pch",
    };
    FILE *warn = tmpfile();
    assert_non_null(warn);
    const char **out;
    int n = ll_compdb_sanitize(&fx->db, (int)(sizeof(argv) / sizeof(argv[0])), argv,
                               "/abs/dir/./file.c", NULL, warn, &out);
    const char *expect[] = {"-DKEEP", "-iquote", at(fx, "dir with space")};
    for (int i = 0; i < n && i < 3; i++)
        assert_string_equal(out[i], expect[i]);
    assert_int_equal(n, 3);
    const char *notes = slurp(warn);
    assert_non_null(strstr(notes, "flag '-Wp,-MD,dep.d' (first in the arguments of "
                                  "'/abs/dir/file.c')"));
    assert_non_null(strstr(notes, "flag '--config evil.cfg' (first"));
    assert_non_null(strstr(notes, "flag '--config=x.cfg' (first"));
    assert_non_null(strstr(notes, "flag '-Xclang -plugin' (first"));
    assert_non_null(strstr(notes, "flag '-Xclang p' (first"));
    assert_non_null(strstr(notes, "flag '-include-pch pch.h.pch' (first"));
    assert_int_equal(count_substr(notes, "locklint: note:"), 8);
    fclose(warn);
}

/* The attacks of issue 16: flags that write files where the database
 * says, or flood standard error, never reach libclang; a second TU with
 * the same flags adds no note. */
static void test_sanitize_allow_list(void **state)
{
    struct fixture *fx = *state;
    fx->db.dir = fx->root;
    const char *argv[] = {
        "clang",
        "-Xpreprocessor",
        "-dependency-file",
        "-Xpreprocessor",
        "/tmp/pwned",
        "-Wp,-dependency-file,/tmp/pwned2",
        "-H",
        "-Xclang",
        "-header-include-file",
        "-Xclang",
        "/tmp/h",
        "-fmodules",
        "-fmodules-cache-path=/tmp/m",
        "-mllvm",
        "-debug-pass=Structure",
        "-B",
        "/tmp/bin",
        "-fuse-ld=evil",
        "-ivfsoverlay",
        "/tmp/o.yaml",
        "-resource-dir",
        "/tmp/rd",
        "-march=x86-64",
        "-m64",
        "-fms-extensions",
        "-fno-builtin-memcpy",
        "-fno-strict-aliasing",
        "-funsigned-char",
        "-fvisibility=hidden",
        "-Wall",
        "-w",
        "-pthread",
        "-std=c11",
        "-fopenmp",
        "--target=x86_64-linux-gnu",
        "-iwithprefixbefore",
        "p",
        "--",
        "-DAFTER",
        "a.c",
    };
    FILE *warn = tmpfile();
    assert_non_null(warn);
    const char **out;
    int argc = (int)(sizeof(argv) / sizeof(argv[0]));
    int n = ll_compdb_sanitize(&fx->db, argc, argv, "a.c", "/rd", warn, &out);
    const char *expect[] = {"-march=x86-64",
                            "-m64",
                            "-fms-extensions",
                            "-fno-builtin-memcpy",
                            "-funsigned-char",
                            "-fvisibility=hidden",
                            "-Wall",
                            "-w",
                            "-pthread",
                            "-std=c11",
                            "-fopenmp",
                            "--target=x86_64-linux-gnu",
                            "-iwithprefixbefore",
                            "p",
                            "-resource-dir",
                            "/rd"};
    int nexpect = (int)(sizeof(expect) / sizeof(expect[0]));
    for (int i = 0; i < n && i < nexpect; i++)
        assert_string_equal(out[i], expect[i]);
    assert_int_equal(n, nexpect);
    const char *notes = slurp(warn);
    assert_non_null(strstr(notes, "'-Xpreprocessor -dependency-file'"));
    assert_non_null(strstr(notes, "'-Wp,-dependency-file,/tmp/pwned2'"));
    assert_non_null(strstr(notes, "'-H'"));
    assert_non_null(strstr(notes, "'-fmodules'"));
    assert_non_null(strstr(notes, "'-fmodules-cache-path=/tmp/m'"));
    assert_non_null(strstr(notes, "'-mllvm -debug-pass=Structure'"));
    assert_non_null(strstr(notes, "'-B /tmp/bin'"));
    assert_non_null(strstr(notes, "'-fuse-ld=evil'"));
    assert_non_null(strstr(notes, "'-ivfsoverlay /tmp/o.yaml'"));
    assert_non_null(strstr(notes, "'-resource-dir /tmp/rd'"));
    assert_non_null(strstr(notes, "'-fno-strict-aliasing'"));
    fclose(warn);

    /* Again, as for the next TU: no new note. */
    warn = tmpfile();
    assert_non_null(warn);
    n = ll_compdb_sanitize(&fx->db, argc, argv, "a.c", "/rd", warn, &out);
    assert_int_equal(n, nexpect);
    assert_string_equal(slurp(warn), "");
    fclose(warn);

    /* The configuration adds -f/-m flags, never dangerous ones. */
    const char *extra[] = {"-fno-strict-aliasing", "-mfoo*"};
    fx->db.extra_flags = extra;
    fx->db.nextra_flags = 2;
    const char *argv2[] = {"clang", "-fno-strict-aliasing", "-mfoo-bar", "-fno-common", "a.c"};
    n = ll_compdb_sanitize(&fx->db, 5, argv2, "a.c", NULL, NULL, &out);
    assert_int_equal(n, 2);
    assert_string_equal(out[0], "-fno-strict-aliasing");
    assert_string_equal(out[1], "-mfoo-bar");
    assert_true(ll_compdb_flag_allowable("-fgnu-tm"));
    assert_true(ll_compdb_flag_allowable("-mfoo*"));
    assert_false(ll_compdb_flag_allowable("-Xclang"));
    assert_false(ll_compdb_flag_allowable("-fplugin=x.so"));
    assert_false(ll_compdb_flag_allowable("-fmodules-cache-path=/x"));
    assert_false(ll_compdb_flag_allowable("-fmod*"));
    assert_false(ll_compdb_flag_allowable("-f*"));
    assert_false(ll_compdb_flag_allowable("-mllvm"));
    assert_false(ll_compdb_flag_allowable("-H"));
    assert_false(ll_compdb_flag_allowable("-Wp,-MD,x"));
    assert_false(ll_compdb_flag_allowable("-fx,y"));
}

static void test_sanitize_no_warn_stream(void **state)
{
    struct fixture *fx = *state;
    const char *argv[] = {"clang", "-fplugin=x.so", "a.c"};
    const char **out;
    /* NULL warn: nothing printed, nothing crashes. */
    assert_int_equal(ll_compdb_sanitize(&fx->db, 3, argv, "a.c", NULL, NULL, &out), 0);
    assert_null(out[0]);
    /* A dangling -Xclang has nothing to pass on. */
    const char *dangling[] = {"clang", "-DX", "-Xclang"};
    assert_int_equal(ll_compdb_sanitize(&fx->db, 3, dangling, "a.c", NULL, NULL, &out), 1);
    assert_string_equal(out[0], "-DX");
    /* Just the compiler, or nothing at all. */
    assert_int_equal(ll_compdb_sanitize(&fx->db, 1, argv, "a.c", NULL, NULL, &out), 0);
    assert_int_equal(ll_compdb_sanitize(&fx->db, 0, argv, "a.c", "/rd", NULL, &out), 2);
    assert_string_equal(out[0], "-resource-dir");
    assert_string_equal(out[1], "/rd");
}

static void test_resource_dir_once(void **state)
{
    struct fixture *fx = *state;
    const char *argv[] = {"clang", "-DX", "a.c"};
    const char **out;
    int n =
        ll_compdb_sanitize(&fx->db, 3, argv, "a.c", "/usr/lib/llvm-19/lib/clang/19", NULL, &out);
    assert_int_equal(n, 3);
    assert_string_equal(out[0], "-DX");
    assert_string_equal(out[1], "-resource-dir");
    assert_string_equal(out[2], "/usr/lib/llvm-19/lib/clang/19");
    assert_null(out[3]);

    /* The database's own resource directory is dropped: ours is the one
     * that matches the libclang in use. */
    const char *argv2[] = {"clang", "-resource-dir", "/mine", "a.c"};
    n = ll_compdb_sanitize(&fx->db, 4, argv2, "a.c", "/other", NULL, &out);
    assert_int_equal(n, 2);
    assert_string_equal(out[0], "-resource-dir");
    assert_string_equal(out[1], "/other");

    const char *argv3[] = {"clang", "-resource-dir=/mine", "a.c"};
    n = ll_compdb_sanitize(&fx->db, 3, argv3, "a.c", "/other", NULL, &out);
    assert_int_equal(n, 2);
    assert_string_equal(out[1], "/other");

    /* Through load: appended once per job. */
    write_file("compile_commands.json",
               "[{\"directory\": \".\", \"file\": \"a.c\", \"command\": \"clang -c a.c\"}]");
    assert_int_equal(load(fx, "compile_commands.json", "/rd", NULL), 0);
    const char *expect[] = {"-resource-dir", "/rd"};
    assert_argv(&fx->db.jobs[0], expect, 2);
}

static void test_response_files(void **state)
{
    struct fixture *fx = *state;
    write_file("build/args.rsp", "-Iinc '-DMSG=a b'\n-fplugin=evil.so @inner.rsp\n");
    write_file("build/inner.rsp", "-DINNER -c\n");
    write_file("build/loop.rsp", "-DLOOP @loop.rsp\n");
    char json[8192];
    snprintf(json, sizeof(json),
             "[{\"directory\": \"%s/build\", \"file\": \"../a.c\", \"arguments\": [\"clang\", "
             "\"@args.rsp\", \"@missing.rsp\", \"../a.c\"]},"
             " {\"directory\": \"build\", \"file\": \"../src/b.c\", \"command\": \"clang @loop.rsp "
             "../src/b.c\"}]",
             fx->root);
    write_file("compile_commands.json", json);
    FILE *warn = tmpfile();
    assert_non_null(warn);
    assert_int_equal(load(fx, "compile_commands.json", NULL, warn), 0);
    assert_int_equal(fx->db.njobs, 2);
    char inc[4300];
    snprintf(inc, sizeof(inc), "-I%s/build/inc", fx->root);
    const char *expect[] = {inc, "-DMSG=a b", "-DINNER"};
    assert_argv(&fx->db.jobs[0], expect, 3);
    /* The loop ends at the nesting limit: one -DLOOP per level. */
    assert_int_equal(fx->db.jobs[1].argc, 16);
    for (int i = 0; i < fx->db.jobs[1].argc; i++)
        assert_string_equal(fx->db.jobs[1].argv[i], "-DLOOP");
    const char *msgs = slurp(warn);
    assert_non_null(strstr(msgs, "flag '-fplugin=evil.so' (first"));
    assert_non_null(strstr(msgs, "cannot read response file"));
    assert_non_null(strstr(msgs, "missing.rsp"));
    assert_non_null(strstr(msgs, "nested too deeply"));
    fclose(warn);
}

/* ----------------------------------------------------------- splitting */

/* A GCC entry is parsed as that GCC would see it (`#if __GNUC__ >= 5`):
 * the version from the compiler's name, else Debian 12's; never for
 * clang, and never twice. */
static void test_sanitize_gnuc_version(void **state)
{
    struct fixture *fx = *state;
    fx->db.dir = fx->root;
    const struct {
        const char *compiler, *flag;
    } cases[] = {
        /* capped at 6: clang rejects glibc's branches for GCC 7 and later */
        {"gcc", "-fgnuc-version=6"},
        {"/usr/bin/cc", "-fgnuc-version=6"},
        {"x86_64-linux-gnu-gcc-13", "-fgnuc-version=6"},
        {"gcc-9.4", "-fgnuc-version=6"},
        {"gcc-5", "-fgnuc-version=5"},
        {"gcc-4.9", "-fgnuc-version=4"},
        {"clang", NULL},
        {"/usr/lib/llvm-19/bin/clang-19", NULL},
        {"tcc", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *argv[] = {cases[i].compiler, "-DX", "a.c"};
        const char **out;
        int n = ll_compdb_sanitize(&fx->db, 3, argv, "a.c", NULL, NULL, &out);
        assert_int_equal(n, cases[i].flag ? 2 : 1);
        assert_string_equal(out[0], "-DX");
        if (cases[i].flag)
            assert_string_equal(out[1], cases[i].flag);
    }
    const char *given[] = {"gcc", "-fgnuc-version=10.1", "a.c"};
    const char **out;
    assert_int_equal(ll_compdb_sanitize(&fx->db, 3, given, "a.c", NULL, NULL, &out), 1);
    assert_string_equal(out[0], "-fgnuc-version=10.1");
}

/* A relative forced include is looked for in the entry's directory, then
 * along the quoted-include chain (liburcu: `-include config.h` from src/
 * with `-I../include`), as GCC and clang do; found nowhere, the entry's
 * directory stays. */
static void test_sanitize_forced_include_search(void **state)
{
    struct fixture *fx = *state;
    write_file("inc/config.h", "#define X 1\n");
    write_file("src/local.h", "#define Y 1\n");
    write_file("inc/local.h", "#define Y 2\n");
    fx->db.dir = at(fx, "src");
    const char *argv[] = {"clang",           "-I../inc", "-include", "config.h", "-imacrosconfig.h",
                          "-include",        "local.h",  "-include", "none.h",   "-include",
                          "../inc/config.h", "a.c"};
    const char **out;
    int n = ll_compdb_sanitize(&fx->db, (int)(sizeof(argv) / sizeof(argv[0])), argv, "a.c", NULL,
                               NULL, &out);
    char joined[4400], inc[4400];
    snprintf(joined, sizeof(joined), "-imacros%s", at(fx, "inc/config.h"));
    snprintf(inc, sizeof(inc), "-I%s", at(fx, "inc"));
    const char *expect[] = {inc,
                            "-include",
                            at(fx, "inc/config.h"),
                            joined,
                            "-include",
                            at(fx, "src/local.h"),
                            "-include",
                            at(fx, "src/none.h"),
                            "-include",
                            at(fx, "inc/config.h")};
    assert_int_equal(n, 10);
    for (int i = 0; i < n; i++)
        assert_string_equal(out[i], expect[i]);
}

static void test_split_command(void **state)
{
    (void)state;
    struct ll_arena a;
    ll_arena_init(&a);
    const char **v;

    assert_int_equal(ll_compdb_split_command(&a, "", &v), 0);
    assert_null(v[0]);
    assert_int_equal(ll_compdb_split_command(&a, " \t\n ", &v), 0);

    assert_int_equal(ll_compdb_split_command(&a, "  cc\t-c   a.c  ", &v), 3);
    assert_string_equal(v[0], "cc");
    assert_string_equal(v[1], "-c");
    assert_string_equal(v[2], "a.c");
    assert_null(v[3]);

    assert_int_equal(ll_compdb_split_command(&a, "'a b' \"c d\" e\\ f", &v), 3);
    assert_string_equal(v[0], "a b");
    assert_string_equal(v[1], "c d");
    assert_string_equal(v[2], "e f");

    /* Adjacent quoted parts join one word; '' is an empty word. */
    assert_int_equal(ll_compdb_split_command(&a, "x'y'\"z\" '' \"\"", &v), 3);
    assert_string_equal(v[0], "xyz");
    assert_string_equal(v[1], "");
    assert_string_equal(v[2], "");

    /* Inside double quotes only \" \\ \$ \` escape; other backslashes stay. */
    assert_int_equal(ll_compdb_split_command(&a, "\"\\\" \\\\ \\$ \\` \\n\"", &v), 1);
    assert_string_equal(v[0], "\" \\ $ ` \\n");
    /* Inside single quotes nothing escapes. */
    assert_int_equal(ll_compdb_split_command(&a, "'\\n\\'", &v), 1);
    assert_string_equal(v[0], "\\n\\");
    /* Outside quotes a backslash escapes any character. */
    assert_int_equal(ll_compdb_split_command(&a, "-DS=\\\"s\\\" \\'q", &v), 2);
    assert_string_equal(v[0], "-DS=\"s\"");
    assert_string_equal(v[1], "'q");
    /* Line continuation and a final backslash. */
    assert_int_equal(ll_compdb_split_command(&a, "a\\\nb c\\", &v), 2);
    assert_string_equal(v[0], "ab");
    assert_string_equal(v[1], "c\\");

    assert_int_equal(ll_compdb_split_command(&a, "cc 'unterminated", &v), -1);
    assert_int_equal(ll_compdb_split_command(&a, "cc \"unterminated\\\"", &v), -1);
    assert_int_equal(ll_compdb_split_command(&a, "\"", &v), -1);
    ll_arena_release(&a);
}

/* --------------------------------------------------------------- paths */

static void test_path_absolute(void **state)
{
    (void)state;
    struct ll_arena a;
    ll_arena_init(&a);
    static const struct {
        const char *dir, *path, *expect;
    } cases[] = {
        {"/d", "a/./b/../c", "/d/a/c"},
        {"/d", "/x//y/", "/x/y"},
        {"/d/e", "../../..", "/"},
        {"/d/e", "../f", "/d/f"},
        {"/", "a", "/a"},
        {"/d/", "", "/d"},
        {"/d", ".", "/d"},
        {"//d//e/", "./", "/d/e"},
        {"/d", "/..", "/"},
        {"/d", "a/b/../../..", "/"},
        {"/d", "..a/.b/...", "/d/..a/.b/..."},
        {"/d", "a b/c", "/d/a b/c"},
        {NULL, "a/../..", ".."},
        {NULL, "../a/./../b", "../b"},
        {NULL, "a/..", "."},
        {"", "x/y/", "x/y"},
        {"rel", "../z", "z"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = ll_path_absolute(&a, cases[i].dir, cases[i].path);
        assert_non_null(got);
        if (strcmp(got, cases[i].expect) != 0)
            fail_msg("ll_path_absolute(\"%s\", \"%s\") = \"%s\", expected \"%s\"",
                     cases[i].dir ? cases[i].dir : "(null)", cases[i].path, got, cases[i].expect);
    }
    ll_arena_release(&a);
}

/* ----------------------------------------------------- filter and files */

static void load_four(struct fixture *fx)
{
    write_file("compile_commands.json",
               "[{\"directory\": \".\", \"file\": \"a.c\", \"command\": \"clang a.c\"},"
               " {\"directory\": \".\", \"file\": \"src/b.c\", \"command\": \"clang src/b.c\"},"
               " {\"directory\": \".\", \"file\": \"src/c.c\", \"command\": \"clang src/c.c\"},"
               " {\"directory\": \".\", \"file\": \"srcx/d.c\", \"command\": \"clang srcx/d.c\"}]");
    assert_int_equal(load(fx, "compile_commands.json", NULL, NULL), 0);
    assert_int_equal(fx->db.njobs, 4);
}

static void test_filter(void **state)
{
    struct fixture *fx = *state;
    load_four(fx);
    /* A directory keeps what is under it, not its namesakes ("srcx"). */
    const char *by_dir[] = {"src/"};
    assert_int_equal(ll_compdb_filter(&fx->db, by_dir, 1), 2);
    assert_int_equal(fx->db.njobs, 2);
    assert_string_equal(fx->db.jobs[0].file, at(fx, "src/b.c"));
    assert_string_equal(fx->db.jobs[1].file, at(fx, "src/c.c"));

    ll_compdb_release(&fx->db);
    load_four(fx);
    const char *by_file[] = {"./src/../srcx/d.c", at(fx, "a.c"), "nothing/here"};
    assert_int_equal(ll_compdb_filter(&fx->db, by_file, 3), 2);
    assert_string_equal(fx->db.jobs[0].file, at(fx, "a.c"));
    assert_string_equal(fx->db.jobs[1].file, at(fx, "srcx/d.c"));

    ll_compdb_release(&fx->db);
    load_four(fx);
    const char *prefix_only[] = {"sr", "src/b"};
    assert_int_equal(ll_compdb_filter(&fx->db, prefix_only, 2), 0);
    assert_int_equal(fx->db.njobs, 0);

    ll_compdb_release(&fx->db);
    load_four(fx);
    const char *all[] = {"."};
    assert_int_equal(ll_compdb_filter(&fx->db, all, 1), 4);
    assert_int_equal(ll_compdb_filter(&fx->db, NULL, 0), 0);
}

static void test_from_files(void **state)
{
    struct fixture *fx = *state;
    const char *files[] = {"a.c", "./src/b.c", "a.c"};
    const char *args[] = {"-Iinc", "-o", "x.o", "-fplugin=p.so", "-DX"};
    FILE *warn = tmpfile();
    assert_non_null(warn);
    assert_int_equal(
        ll_compdb_from_files(&fx->db, files, 3, args, 5, "/rd", warn, fx->err, sizeof(fx->err)), 0);
    assert_null(fx->db.path);
    assert_string_equal(fx->db.dir, fx->root);
    assert_int_equal(fx->db.njobs, 2);
    char inc[4300];
    snprintf(inc, sizeof(inc), "-I%s/inc", fx->root);
    const char *expect[] = {inc, "-DX", "-resource-dir", "/rd"};
    assert_string_equal(fx->db.jobs[0].file, at(fx, "a.c"));
    assert_string_equal(fx->db.jobs[0].directory, fx->root);
    assert_argv(&fx->db.jobs[0], expect, 4);
    assert_string_equal(fx->db.jobs[1].file, at(fx, "src/b.c"));
    assert_argv(&fx->db.jobs[1], expect, 4);
    /* one note per run, not per TU */
    assert_int_equal(count_substr(slurp(warn), "flag '-fplugin=p.so'"), 1);
    fclose(warn);

    ll_compdb_release(&fx->db);
    const char *missing[] = {"a.c", "nope.c"};
    assert_int_equal(ll_compdb_from_files(&fx->db, missing, 2, NULL, 0, NULL, NULL, fx->err,
                                          sizeof(fx->err)) < 0,
                     1);
    assert_string_equal(fx->err, "no such file: 'nope.c'");
    assert_int_equal(fx->db.njobs, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_arguments_form, setup, teardown),
        cmocka_unit_test_setup_teardown(test_command_form_with_quotes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relative_file_and_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_directory_argument, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_file_skipped_with_warning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_all_skipped_is_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicates_keep_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_file_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_directory_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_entries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_array, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_an_array, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nonexistent_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sanitize_drops_and_keeps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sanitize_more_drops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sanitize_allow_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sanitize_no_warn_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resource_dir_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_response_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sanitize_gnuc_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sanitize_forced_include_search, setup, teardown),
        cmocka_unit_test(test_split_command),
        cmocka_unit_test(test_path_absolute),
        cmocka_unit_test_setup_teardown(test_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_from_files, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
