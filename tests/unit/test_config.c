/*
 * Unit tests for analyzer/config: a full .locklint.yml parses into the
 * documented structure; every kind of mistake (syntax, unknown key,
 * duplicate key, wrong type, bad value) is an error naming the file and
 * the line; excludes match as documented; discovery walks up; user
 * primitives reach lockapi and leave it on release.
 */
/* realpath() and mkdtemp() */
#define _XOPEN_SOURCE 700

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "config.h"
#include "ir.h"
#include "lockapi.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool known(const char *id)
{
    return strcmp(id, "double-lock") == 0 || strcmp(id, "lock-leak") == 0 ||
           strcmp(id, "lock-order-inversion") == 0;
}

static int parse(struct ll_config *cfg, const char *text, char *err, size_t errlen)
{
    ll_config_init(cfg);
    return ll_config_parse(cfg, "/proj/.locklint.yml", text, strlen(text), known, err, errlen);
}

static const char full[] = "# a complete configuration\n"
                           "rules:\n"
                           "  double-lock: error\n"
                           "  lock-leak: off\n"
                           "  lock-order-inversion: note\n"
                           "exclude:\n"
                           "  - src/generated/\n"
                           "  - \"*.pb.c\"\n"
                           "exclude-vendored: false\n"
                           "locks:\n"
                           "  - {lock: spin_acquire, unlock: spin_release, trylock: spin_try,\n"
                           "     kind: spin}\n"
                           "  - lock: rd_enter\n"
                           "    unlock: rd_leave\n"
                           "    arg: 1\n"
                           "    kind: rwlock-read\n"
                           "threads:\n"
                           "  - {create: spawn, start: 0, arg: 1}\n"
                           "  - {join: reap, handle: 0}\n"
                           "hierarchy:\n"
                           "  - big_lock before table.lock before row.lock\n"
                           "  - [a, b]\n";

static void test_full_config(void **state)
{
    (void)state;
    struct ll_config cfg;
    char err[512] = "";
    if (parse(&cfg, full, err, sizeof(err)) != 0) {
        print_error("%s\n", err);
        fail();
    }
    assert_string_equal(cfg.path, "/proj/.locklint.yml");
    assert_int_equal(cfg.nrules, 3);
    assert_int_equal(ll_config_rule(&cfg, "double-lock"), LL_RULE_ERROR);
    assert_int_equal(ll_config_rule(&cfg, "lock-leak"), LL_RULE_OFF);
    assert_int_equal(ll_config_rule(&cfg, "lock-order-inversion"), LL_RULE_NOTE);
    assert_int_equal(ll_config_rule(&cfg, "unlock-not-held"), LL_RULE_DEFAULT);
    assert_int_equal(cfg.nexclude, 2);
    assert_string_equal(cfg.exclude[0], "src/generated/");
    assert_string_equal(cfg.exclude[1], "*.pb.c");
    assert_false(cfg.exclude_vendored);

    assert_int_equal(cfg.nlocks, 2);
    assert_string_equal(cfg.locks[0].lock, "spin_acquire");
    assert_string_equal(cfg.locks[0].unlock, "spin_release");
    assert_string_equal(cfg.locks[0].trylock, "spin_try");
    assert_int_equal(cfg.locks[0].arg, 0);
    assert_int_equal(cfg.locks[0].lock_kind, LL_LK_SPIN);
    assert_int_equal(cfg.locks[0].line, 11);
    assert_string_equal(cfg.locks[1].lock, "rd_enter");
    assert_null(cfg.locks[1].trylock);
    assert_int_equal(cfg.locks[1].arg, 1);
    assert_int_equal(cfg.locks[1].lock_kind, LL_LK_RWLOCK);
    assert_int_equal(cfg.locks[1].mode, LL_MODE_SHARED);

    assert_int_equal(cfg.nthreads, 2);
    assert_string_equal(cfg.threads[0].create, "spawn");
    assert_int_equal(cfg.threads[0].start, 0);
    assert_int_equal(cfg.threads[0].arg, 1);
    assert_int_equal(cfg.threads[0].handle, -1);
    assert_string_equal(cfg.threads[1].join, "reap");
    assert_int_equal(cfg.threads[1].handle, 0);

    assert_int_equal(cfg.nhierarchy, 3);
    assert_string_equal(cfg.hierarchy[0].first, "big_lock");
    assert_string_equal(cfg.hierarchy[0].second, "table.lock");
    assert_string_equal(cfg.hierarchy[1].first, "table.lock");
    assert_string_equal(cfg.hierarchy[1].second, "row.lock");
    assert_int_equal(cfg.hierarchy[1].line, 21);
    assert_string_equal(cfg.hierarchy[2].first, "a");
    assert_string_equal(cfg.hierarchy[2].second, "b");
    assert_int_equal(cfg.hierarchy[2].line, 22);
    ll_config_release(&cfg);
}

static void test_empty_files(void **state)
{
    (void)state;
    static const char *const empties[] = {"", "# only a comment\n", "---\n", "~\n"};
    for (size_t i = 0; i < sizeof(empties) / sizeof(empties[0]); i++) {
        struct ll_config cfg;
        char err[512] = "";
        assert_int_equal(parse(&cfg, empties[i], err, sizeof(err)), 0);
        assert_int_equal(cfg.nrules + cfg.nexclude + cfg.nlocks + cfg.nthreads + cfg.nhierarchy, 0);
        assert_true(cfg.exclude_vendored);
        ll_config_release(&cfg);
    }
}

/* The text must fail with "/proj/.locklint.yml:LINE: " and `needle`. */
static void expect_error(const char *text, unsigned line, const char *needle)
{
    struct ll_config cfg;
    char err[512] = "";
    char prefix[64];
    snprintf(prefix, sizeof(prefix), "/proj/.locklint.yml:%u: ", line);
    int rc = parse(&cfg, text, err, sizeof(err));
    if (rc != -1 || strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, needle)) {
        print_error("for:\n%s\ngot rc %d, message '%s'\nwanted '%s...%s'\n", text, rc, err, prefix,
                    needle);
        fail();
    }
    ll_config_release(&cfg);
}

static void test_errors_name_file_line_and_key(void **state)
{
    (void)state;
    /* syntax */
    expect_error("rules:\n  double-lock: [on\n", 3, "invalid YAML");
    expect_error("rules: {a: b\n", 2, "invalid YAML");
    expect_error("a: 1\n---\nb: 2\n", 2, "more than one YAML document");
    expect_error("x: &anchor 1\ny: *anchor\n", 2, "aliases");
    /* unknown and duplicate keys */
    expect_error("rules: {}\nrulez: {}\n", 2, "unknown key 'rulez'");
    expect_error("locks:\n  - {lock: a, lcok: b}\n", 2, "unknown key 'lcok' in 'locks'");
    expect_error("threads:\n  - {create: s, start: 0, strat: 1}\n", 2,
                 "unknown key 'strat' in 'threads'");
    expect_error("rules:\n  double-lock: on\n  double-lock: off\n", 3,
                 "duplicate key 'double-lock'");
    expect_error("exclude: []\nexclude: []\n", 2, "duplicate key 'exclude'");
    /* wrong types */
    expect_error("- rules\n", 1, "must be a mapping");
    expect_error("rules: [double-lock]\n", 1, "'rules' must be a mapping");
    expect_error("exclude: build\n", 1, "'exclude' must be a list");
    expect_error("exclude:\n  - {a: b}\n", 2, "'exclude' must be a non-empty string");
    expect_error("locks: {lock: a}\n", 1, "'locks' must be a list");
    expect_error("locks:\n  - spin_lock\n", 2, "'locks' must be a mapping");
    expect_error("hierarchy: a before b\n", 1, "'hierarchy' must be a list");
    expect_error("exclude-vendored: maybe\n", 1, "'exclude-vendored' must be true or false");
    /* bad values */
    expect_error("rules:\n  double-lock: loud\n", 2, "bad value 'loud' for rule 'double-lock'");
    expect_error("rules:\n  no-such-rule: off\n", 2, "unknown rule 'no-such-rule'");
    expect_error("locks:\n  - {lock: a, arg: x}\n", 2, "'arg' must be an integer from 0 to 15");
    expect_error("locks:\n  - {lock: a, arg: 16}\n", 2, "'arg' must be an integer");
    expect_error("locks:\n  - {lock: a, arg: -1}\n", 2, "'arg' must be an integer");
    expect_error("locks:\n  - {lock: a, kind: semaphore}\n", 2, "bad value 'semaphore' for 'kind'");
    expect_error("locks:\n  - {lock: \"a b\"}\n", 2, "'lock' must be a function name");
    expect_error("locks:\n  - {lock: \"struct a.b.c\"}\n", 2,
                 "'lock' must be a function name or 'struct NAME.FIELD'");
    expect_error("locks:\n  - {unlock: \"struct .b\"}\n", 2, "'unlock' must be a function name");
    expect_error("locks:\n  - {kind: spin}\n", 2, "needs at least one of lock, unlock or trylock");
    expect_error("threads:\n  - {create: s}\n", 2, "needs 'start'");
    expect_error("threads:\n  - {start: 0}\n", 2, "exactly one of 'create' or 'join'");
    expect_error("threads:\n  - {join: j, start: 0}\n", 2, "takes only 'handle'");
    expect_error("hierarchy:\n  - a after b\n", 2, "bad 'hierarchy' entry 'a after b'");
    expect_error("hierarchy:\n  - [a]\n", 2, "two or more locks");
    expect_error("hierarchy:\n  - a before a\n", 2, "appears twice");
    expect_error("exclude:\n  - ./\n", 2, "excludes everything");
}

/* A lock function can be a field of a method table, for calls through it. */
static void test_lock_fields(void **state)
{
    (void)state;
    struct ll_config cfg;
    char err[512] = "";
    assert_int_equal(
        parse(&cfg, "locks:\n  - {lock: \"struct hooks.enter\", unlock: \"struct hooks.leave\"}\n",
              err, sizeof(err)),
        0);
    assert_int_equal(cfg.nlocks, 1);
    assert_string_equal(cfg.locks[0].lock, "struct hooks.enter");
    assert_string_equal(cfg.locks[0].unlock, "struct hooks.leave");
    ll_config_release(&cfg);
}

static void test_excludes(void **state)
{
    (void)state;
    struct ll_config cfg;
    char err[512];
    assert_int_equal(parse(&cfg,
                           "exclude:\n  - src/gen\n  - \"*.pb.c\"\n  - tests/fuzz_[a-c]*.c\n"
                           "  - /build/\n",
                           err, sizeof(err)),
                     0);
    /* patterns are relative to the configuration's directory */
    assert_string_equal(cfg.dir, "/proj");
    const char *cwd = "/proj";
    assert_true(ll_config_excluded(&cfg, "src/gen/a.c", cwd));
    assert_true(ll_config_excluded(&cfg, "/proj/src/gen/deep/a.h", cwd));
    assert_false(ll_config_excluded(&cfg, "src/generated.c", cwd));
    assert_false(ll_config_excluded(&cfg, "lib/src/gen/a.c", cwd)); /* anchored */
    assert_true(ll_config_excluded(&cfg, "lib/msg.pb.c", cwd));     /* any component */
    assert_true(ll_config_excluded(&cfg, "tests/fuzz_a1.c", cwd));
    assert_false(ll_config_excluded(&cfg, "tests/fuzz_z1.c", cwd));
    assert_false(ll_config_excluded(&cfg, "tests/x/fuzz_a1.c", cwd)); /* '*' does not cross '/' */
    assert_true(ll_config_excluded(&cfg, "build/cfg.c", cwd));
    assert_true(ll_config_excluded(&cfg, "third_party/zlib/inflate.c", cwd)); /* vendored */
    assert_true(ll_config_excluded(&cfg, "src/vendor/x.c", cwd));
    assert_true(ll_config_excluded(&cfg, "deps/a.c", cwd));
    assert_false(ll_config_excluded(&cfg, "src/vendor.c", cwd)); /* a file, not a directory */
    assert_true(ll_config_excluded(&cfg, "/usr/include/pthread.h", cwd)); /* system */
    assert_false(ll_config_excluded(&cfg, "/elsewhere/vendor/a.c", cwd)); /* outside */
    /* cwd below the project: relative paths are joined first */
    assert_true(ll_config_excluded(&cfg, "gen/a.c", "/proj/src"));
    assert_false(ll_config_excluded(&cfg, "a.c", "/proj/src"));
    cfg.exclude_vendored = false;
    assert_false(ll_config_excluded(&cfg, "third_party/zlib/inflate.c", cwd));
    ll_config_release(&cfg);

    /* no configuration: vendored directories and system headers only */
    ll_config_init(&cfg);
    assert_true(ll_config_excluded(&cfg, "vendor/lib.c", "/p"));
    assert_false(ll_config_excluded(&cfg, "src/lib.c", "/p"));
    for (size_t i = 0; ll_config_vendored_dirs[i]; i++) {
        char path[128];
        snprintf(path, sizeof(path), "a/%s/b.c", ll_config_vendored_dirs[i]);
        assert_true(ll_config_excluded(&cfg, path, "/p"));
    }
    ll_config_release(&cfg);
}

/* compiler-flags adds -f/-m flags to compdb's allow-list, never one that
 * loads code, writes files or passes options on. */
static void test_compiler_flags(void **state)
{
    (void)state;
    struct ll_config cfg;
    char err[512] = "";
    assert_int_equal(parse(&cfg, "compiler-flags: [-fgnu-tm, '-mfoo*']\n", err, sizeof(err)), 0);
    assert_int_equal(cfg.ncompiler_flags, 2);
    assert_string_equal(cfg.compiler_flags[0], "-fgnu-tm");
    assert_string_equal(cfg.compiler_flags[1], "-mfoo*");
    ll_config_release(&cfg);
    expect_error("compiler-flags:\n  - -fgnu-tm\n  - -Xclang\n", 3,
                 "compiler flag '-Xclang' cannot be allowed");
    expect_error("compiler-flags: ['-fplugin=x.so']\n", 1, "cannot be allowed");
    expect_error("compiler-flags: ['-f*']\n", 1, "cannot be allowed");
    expect_error("compiler-flags: -fgnu-tm\n", 1, "compiler-flags");
}

/* entry-points: `exported` or a list of function names, nothing else. */
static void test_entry_points(void **state)
{
    (void)state;
    struct ll_config cfg;
    char err[512] = "";
    assert_int_equal(parse(&cfg, "entry-points: exported\n", err, sizeof(err)), 0);
    assert_true(cfg.entry_exported);
    assert_int_equal(cfg.nentry_points, 0);
    ll_config_release(&cfg);
    assert_int_equal(parse(&cfg, "entry-points: [api_open, api_close]\n", err, sizeof(err)), 0);
    assert_false(cfg.entry_exported);
    assert_int_equal(cfg.nentry_points, 2);
    assert_string_equal(cfg.entry_points[1], "api_close");
    ll_config_release(&cfg);
    expect_error("entry-points: all\n", 1, "'entry-points' must be 'exported' or a non-empty list");
    expect_error("entry-points: []\n", 1, "'entry-points' must be 'exported'");
    expect_error("entry-points:\n  - api_open\n  - 'x y'\n", 3,
                 "'entry-points' must be a function name, not 'x y'");
    expect_error("entry-points: {api: 1}\n", 1, "'entry-points' must be 'exported'");
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_discovery_and_registration(void **state)
{
    (void)state;
    char root[] = "/tmp/ll_config_XXXXXX";
    assert_non_null(mkdtemp(root));
    char sub[64], build[64], cfgpath[64], found[PATH_MAX];
    snprintf(sub, sizeof(sub), "%s/src", root);
    snprintf(build, sizeof(build), "%s/src/build", root);
    snprintf(cfgpath, sizeof(cfgpath), "%s/.locklint.yml", root);
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_int_equal(mkdir(build, 0700), 0);

    assert_int_equal(ll_config_find(build, found, sizeof(found)), 0);
    write_file(cfgpath, "locks:\n  - {lock: my_spin_lock, unlock: my_spin_unlock, kind: spin}\n"
                        "threads:\n  - {create: go, start: 0, arg: 1}\n");
    assert_int_equal(ll_config_find(build, found, sizeof(found)), 1);
    char real[PATH_MAX];
    assert_non_null(realpath(cfgpath, real));
    assert_string_equal(found, real);

    /* -p BUILD_DIR: found by walking up from it; APIs registered */
    struct ll_cli cli;
    memset(&cli, 0, sizeof(cli));
    cli.compdb = build;
    struct ll_config cfg;
    char err[512] = "";
    assert_null(ll_lockapi_lookup("my_spin_lock"));
    assert_int_equal(ll_config_load_for(&cli, "/", &cfg, err, sizeof(err)), 0);
    assert_string_equal(cfg.path, real);
    const struct ll_api *a = ll_lockapi_lookup("my_spin_lock");
    assert_non_null(a);
    assert_int_equal(a->op, LL_OP_LOCK);
    assert_int_equal(a->lock_kind, LL_LK_SPIN);
    assert_int_equal(a->obj_arg, 0);
    a = ll_lockapi_lookup("my_spin_unlock");
    assert_non_null(a);
    assert_int_equal(a->op, LL_OP_UNLOCK);
    a = ll_lockapi_lookup("go");
    assert_non_null(a);
    assert_int_equal(a->op, LL_OP_THREAD_CREATE);
    assert_int_equal(a->start_arg, 0);
    assert_int_equal(a->aux_arg, 1);
    assert_int_equal(a->obj_arg, -1);
    uint64_t h1 = ll_config_facts_hash(&cfg);
    ll_config_release(&cfg);
    assert_null(ll_lockapi_lookup("my_spin_lock")); /* unregistered */
    assert_non_null(ll_lockapi_lookup("pthread_mutex_lock"));

    /* the hash follows what changes facts */
    write_file(cfgpath, "locks:\n  - {lock: my_spin_lock, unlock: my_spin_unlock, kind: mutex}\n"
                        "threads:\n  - {create: go, start: 0, arg: 1}\n");
    assert_int_equal(ll_config_load_for(&cli, "/", &cfg, err, sizeof(err)), 0);
    assert_true(ll_config_facts_hash(&cfg) != h1);
    ll_config_release(&cfg);

    /* an error in the found file names it */
    write_file(cfgpath, "rules:\n  double-lock: sometimes\n");
    assert_int_equal(ll_config_load_for(&cli, "/", &cfg, err, sizeof(err)), -1);
    assert_non_null(strstr(err, ".locklint.yml:2: "));
    ll_config_release(&cfg);

    /* --config wins; a missing one is an error */
    char other[PATH_MAX + 16];
    snprintf(other, sizeof(other), "%s/other.yml", sub);
    write_file(other, "rules: {lock-leak: warning}\n");
    cli.config = other;
    assert_int_equal(ll_config_load_for(&cli, "/", &cfg, err, sizeof(err)), 0);
    assert_int_equal(ll_config_rule(&cfg, "lock-leak"), LL_RULE_WARNING);
    char realsub[PATH_MAX];
    assert_non_null(realpath(sub, realsub));
    assert_string_equal(cfg.dir, realsub);
    ll_config_release(&cfg);
    cli.config = "/nonexistent/locklint.yml";
    assert_int_equal(ll_config_load_for(&cli, "/", &cfg, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "/nonexistent/locklint.yml"));
    ll_config_release(&cfg);

    remove(other);
    remove(cfgpath);
    rmdir(build);
    rmdir(sub);
    rmdir(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_config),
        cmocka_unit_test(test_empty_files),
        cmocka_unit_test(test_errors_name_file_line_and_key),
        cmocka_unit_test(test_lock_fields),
        cmocka_unit_test(test_excludes),
        cmocka_unit_test(test_compiler_flags),
        cmocka_unit_test(test_entry_points),
        cmocka_unit_test(test_discovery_and_registration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
