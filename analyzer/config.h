/*
 * config: the project configuration file, .locklint.yml.  Finds it (by
 * walking up from the compile database's directory, or --config), parses
 * it with libyaml, validates every key and value, and holds the result:
 * rules switched off or given another severity, paths to exclude, lock and
 * thread functions of home-made primitives, and a declared lock hierarchy.
 *
 * It registers the user's primitives with lockapi (they must be known
 * before parsing) and answers "is this path excluded"; it does not filter
 * reports itself (see postprocess.h) and does not run rules.  The
 * hierarchy is only stored here, for the lock-order rule to read.
 *
 * Format (all keys optional; README "Configuration" documents it):
 *
 *   rules:            { RULE: off | on | error | warning | note }
 *   exclude:          [ "build/", "src/generated", "*_test.c" ]
 *   exclude-vendored: true        # third_party/, vendor/, deps/, ... (default true)
 *   locks:
 *     - { lock: NAME, unlock: NAME, trylock: NAME, arg: N,
 *         kind: mutex | recursive | spin | rwlock-read | rwlock-write }
 *   threads:
 *     - { create: NAME, start: N, arg: N, handle: N }
 *     - { join: NAME, handle: N }
 *   hierarchy:
 *     - [a, b, c]                 # a before b before c
 *     - "c before d"
 *   compiler-flags:   [ "-fgnu-tm", "-mfoo*" ]   # more -f/-m flags to pass on
 *   tu-source-limit-mib: 256      # source bytes one TU may read
 *   cache-size: 300M              # K, M, G; 0: no limit
 *   entry-points: exported | [ NAME, ... ]   # analyse the input as a library
 */
#ifndef LL_CONFIG_H
#define LL_CONFIG_H

#include "arena.h"
#include "cli.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LL_CONFIG_NAME ".locklint.yml"
#define LL_CONFIG_TU_SOURCE_LIMIT_MIB 256

/* A rule's setting; LL_RULE_DEFAULT when the file does not name it. */
enum ll_rule_setting {
    LL_RULE_DEFAULT = 0,
    LL_RULE_OFF,
    LL_RULE_ON,      /* on, at its default severity */
    LL_RULE_NOTE,    /* on, reported as a note */
    LL_RULE_WARNING, /* on, reported as a warning */
    LL_RULE_ERROR,   /* on, reported as an error */
};

struct ll_config_rule {
    const char *id;
    enum ll_rule_setting setting;
    uint32_t line;
};

/* One home-made lock primitive: any of the three names may be NULL. */
struct ll_config_lock {
    const char *lock, *unlock, *trylock;
    int arg;           /* argument that is the lock (default 0) */
    uint8_t lock_kind; /* enum ll_lock_kind */
    uint8_t mode;      /* enum ll_mode of `lock` and `trylock` */
    uint32_t line;
};

/* A thread creation (create != NULL) or join (join != NULL) function. */
struct ll_config_thread {
    const char *create, *join;
    int start;  /* create: argument that is the start routine */
    int arg;    /* create: argument passed to it, or -1 */
    int handle; /* argument that is the thread handle, or -1 */
    uint32_t line;
};

/* "first before second": taking `second` then `first` is an inversion.
 * Names are lock classes as locklint prints them: "g_lock",
 * "struct conn.lock", "forks[]". */
struct ll_config_order {
    const char *first, *second;
    uint32_t line;
};

struct ll_config {
    struct ll_arena arena;
    const char *path; /* the file read, as found or given; NULL when none */
    const char *dir;  /* absolute directory exclude patterns are relative to */
    struct ll_config_rule *rules;
    size_t nrules;
    const char **exclude;
    size_t nexclude;
    bool exclude_vendored;
    struct ll_config_lock *locks;
    size_t nlocks;
    struct ll_config_thread *threads;
    size_t nthreads;
    struct ll_config_order *hierarchy;
    size_t nhierarchy;
    const char **compiler_flags; /* added to compdb's allow-list */
    size_t ncompiler_flags;
    int tu_source_limit_mib; /* bytes of source files one TU may open, in MiB */
    bool registered;         /* locks/threads were added to lockapi */
    uint64_t cache_size;     /* `cache-size:` in bytes (0: no limit), if has_cache_size */
    bool has_cache_size;
    /* `entry-points:` -- the input is one library whose entry points run
     * concurrently: every exported function (entry_exported), or these */
    bool entry_exported;
    const char **entry_points;
    size_t nentry_points;
};

/* Directory names excluded by default wherever they appear in a path
 * below the project directory; NULL-terminated. */
extern const char *const ll_config_vendored_dirs[];

/* An empty configuration (every rule at its default, vendored directories
 * excluded); `dir` defaults to NULL, meaning the current directory. */
void ll_config_init(struct ll_config *cfg);
/* Frees everything, and removes the primitives it registered from lockapi. */
void ll_config_release(struct ll_config *cfg);

/*
 * Parses `len` bytes of YAML read from `path` (used in messages and to set
 * cfg->dir) into cfg, which must be freshly initialised.  Rule ids are
 * checked with `known_rule` when it is not NULL.  Returns 0, or -1 with
 * "PATH:LINE: problem" in errbuf (also for out of memory).
 */
int ll_config_parse(struct ll_config *cfg, const char *path, const char *text, size_t len,
                    bool (*known_rule)(const char *id), char *errbuf, size_t errlen);

/* Reads and parses the file at `path`; rule ids are checked against the
 * registry.  Returns 0 or -1 with a message. */
int ll_config_load(struct ll_config *cfg, const char *path, char *errbuf, size_t errlen);

/*
 * Walks up from `dir` looking for .locklint.yml (or .locklint.yaml).
 * Returns 1 with the path in `out`, 0 when there is none up to the root,
 * -1 when a path does not fit.
 */
int ll_config_find(const char *dir, char *out, size_t outlen);

/*
 * The configuration for a run: the --config file when given, else the
 * first .locklint.yml found walking up from the directory of the compile
 * database (-p), then from `start_dir` (the current directory).  No file
 * is not an error: cfg is then the defaults.  On success the user's lock
 * and thread functions are registered with lockapi, so call this before
 * parsing.  `cfg` is initialised here; release it after the run either
 * way.  Returns 0, or -1 with a message (exit status 2).
 */
int ll_config_load_for(const struct ll_cli *cli, const char *start_dir, struct ll_config *cfg,
                       char *errbuf, size_t errlen);

/* Registers the locks and threads with ll_lockapi_add().  Returns 0 or -1
 * when out of memory.  ll_config_load_for() calls it. */
int ll_config_register(struct ll_config *cfg);

/* The rule's setting (LL_RULE_DEFAULT when not configured). */
enum ll_rule_setting ll_config_rule(const struct ll_config *cfg, const char *id);

/*
 * Whether findings in `path` are excluded: by a user pattern, by a
 * vendored directory, or because it is a system header path.  Relative
 * paths are taken relative to `cwd`.  Patterns are matched against the
 * path relative to cfg->dir (or cwd): a pattern without a '/' (a trailing
 * one aside) matches any single component (`vendor`, `*.pb.c`); one with
 * a '/' matches the whole relative path or a leading part of it
 * (`src/gen`, `tests/unit_[a-m]*.c`).  `*`, `?` and `[...]` do not cross '/'.
 */
bool ll_config_excluded(const struct ll_config *cfg, const char *path, const char *cwd);

/* A hash of everything in cfg that changes the facts extracted from a TU
 * (the registered primitives): a facts cache must include it in its key. */
uint64_t ll_config_facts_hash(const struct ll_config *cfg);

#endif
