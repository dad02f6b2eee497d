/*
 * unprotected-write: data races.  Two accesses to one shared location that
 * threads can make at the same time, at least one a write, with no lock
 * held at both in modes that exclude each other.  One finding per location
 * and unprotected access site: the access that lacks the lock most other
 * accesses hold, else the write.  The shared accesses and their locksets
 * are the view's (the race phase, ll_view_accesses()); this file only picks
 * and words the findings.
 */
#include "rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Finds data races: a write to shared memory that another thread can read or write at the\n"
    "same time, with no lock held at both accesses in modes that exclude each other. Shared\n"
    "memory is globals, statics and static locals, and objects reached through a thread's\n"
    "start argument or through a pointer held in shared memory; struct fields are told apart\n"
    "by struct type and field, and by where the struct is embedded (`c->in.bytes` is not\n"
    "`c->out.bytes`, `c->in.lock` not `c->out.lock`, also in a helper every call gives\n"
    "`&c->in`). The locks held at an access include those every caller holds\n"
    "on the way from the thread's start routine. A write under a read lock (`rdlock`) races\n"
    "with another access under the same read lock; under the write lock it does not.\n\n"
    "Not shared, and never reported: locals, `_Thread_local`/`__thread` variables, const data,\n"
    "`_Atomic` objects, `<stdatomic.h>` calls and `__atomic_*`/`__sync_*` builtins, a block\n"
    "fresh from `malloc` before a thread is given it, and the first level of a start argument\n"
    "when every thread gets an object of its own (`&args[i]`, or a fresh block, in the\n"
    "creation loop). Array elements a start routine indexes with its own start argument, or\n"
    "with a local it never reassigns (`results[id]`, `out[a->slot]`; not a call's result), are\n"
    "per-thread result slots: distinct per thread. What a thread does before it creates T, or\n"
    "after it has joined T, never races with T, also through helpers (`start_workers()`,\n"
    "`join_workers()`). Code on a path\n"
    "that ends the process (a crash report before `abort()`, a `die()` that always exits) is\n"
    "not checked. The locks callers hold are summed up apart for main's thread and for the\n"
    "other threads: main's set-up calls made without a lock while only unrelated threads run\n"
    "do not hide the lock every worker holds at the same calls.\n\n"
    "## Severity\n"
    "A race on one global object (a global, or `g->count` through a global pointer `g`), or on\n"
    "data a thread's start argument reaches, is a warning.\n"
    "A note: a race between objects reached through pointers (one struct type stands for all\n"
    "its objects), and a race on a global no access locks when both accesses lie more than\n"
    "two calls below any start routine (run-time checks on the way, such as `if (in_io_thread)\n"
    "return;`, often keep threads out of such shared code; they are not followed).\n\n"
    "## Why is this bad\n"
    "`counter++` is a load, an add and a store: two threads interleave them and lose updates.\n"
    "Beyond lost updates, a racy program has undefined behaviour in C11: the compiler may keep\n"
    "the value in a register, tear it, or reorder it around other stores.\n\n"
    "## Example\n"
    "```c\n"
    "static long hits;\n"
    "void *worker(void *arg) { hits++; return NULL; }   /* 4 threads, no lock */\n"
    "```\n\n"
    "## Use instead\n"
    "Take the lock that guards the data at every access, reads too (the message says which\n"
    "lock the other accesses hold); or make the variable `_Atomic` / use `atomic_fetch_add`;\n"
    "or give each thread its own slot and combine the results after `pthread_join`.\n\n"
    "## Known problems\n"
    "Locks and locations other than globals are compared by class: `s->hits` counts as guarded\n"
    "by `s->lock` whenever both are of `struct stats`, without proving they are one object.\n"
    "`h->bytes` of a `struct half *h` given either half may be `c->in.bytes` or `c->out.bytes`.\n"
    "Locals whose address escapes to another thread are not followed. A malloc'ed block is\n"
    "private until a thread creation is given it (storing the pointer into shared memory is\n"
    "not seen). A local a start routine never reassigns is taken to be a copy of its start\n"
    "argument. A callback nothing in the program stores is not followed; `pthread_once`\n"
    "routines are not checked (they run once). Semaphores order accesses when "
    "the post and the wait are in the accessing\n"
    "functions themselves (`data = x; sem_post(&s);` before `sem_wait(&s); use(data);`; in a\n"
    "loop, both sides must wait for the other, as a ring buffer's two semaphores do). So do\n"
    "barrier phases in start routines. Other ordering (condition flags without a lock,\n"
    "pausing threads) is not understood.\n";

/* "'a', 'b'" or "no lock". */
static void lock_list(const struct ll_race_access *a, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    if (a->nlocks == 0) {
        snprintf(buf, len, "no lock");
        return;
    }
    for (uint32_t i = 0; i < a->nlocks && o < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s'%s'%s", i ? ", " : "", a->locks[i].text,
                              a->locks[i].shared ? " (read)" : "");
}

/* The lock most accesses of [s, t) hold, with counts over all of them or
 * over the writes only. */
struct majority {
    const struct ll_race_lock *lock; /* NULL when no lock is held at most sites */
    const char *text;
    uint32_t held, sites;
};

static const struct ll_event *access_event(const struct ll_view *v, const struct ll_race_access *a)
{
    return &ll_fn_ir(ll_view_fn(v, a->fn))->events[a->event];
}

/* Whether acc[i] repeats the site of an earlier access counted the same
 * way (`n++` reads and writes at one place). */
static bool same_site(const struct ll_view *v, const struct ll_race_access *acc, size_t s, size_t i,
                      bool writes)
{
    /* a group is sorted by function: only the run of i's function is looked at */
    struct ll_loc li = access_event(v, &acc[i])->loc;
    for (size_t j = i; j-- > s && acc[j].fn == acc[i].fn;) {
        struct ll_loc lj = access_event(v, &acc[j])->loc;
        if ((!writes || acc[j].write) && lj.line == li.line && lj.col == li.col &&
            lj.file == li.file)
            return true;
    }
    return false;
}

static void find_majority(const struct ll_view *v, const struct ll_race_access *acc, size_t s,
                          size_t t, bool writes, struct majority *m)
{
    memset(m, 0, sizeof(*m));
    for (size_t i = s; i < t; i++)
        if ((!writes || acc[i].write) && !same_site(v, acc, s, i, writes))
            m->sites++;
    for (size_t i = s; i < t; i++)
        for (uint32_t l = 0; l < acc[i].nlocks; l++) {
            const struct ll_race_lock *x = &acc[i].locks[l];
            uint32_t n = 0;
            for (size_t j = s; j < t; j++)
                if ((!writes || acc[j].write) && !same_site(v, acc, s, j, writes) &&
                    ll_race_holds(&acc[j], x))
                    n++;
            if (n > m->held) {
                m->held = n;
                m->lock = x;
                m->text = x->concrete || !x->cls ? x->text : x->cls;
            }
        }
    if (m->held == 0 || m->held == m->sites || m->held * 2 <= m->sites)
        m->lock = NULL;
}

/* Whether a is the one to blame in its race with b. */
static bool culprit(const struct ll_race_access *a, const struct ll_race_access *b,
                    const struct majority *m)
{
    if (m->lock) {
        bool ha = ll_race_holds(a, m->lock), hb = ll_race_holds(b, m->lock);
        if (ha != hb)
            return !ha;
    }
    if ((a->nlocks == 0) != (b->nlocks == 0))
        return a->nlocks == 0;
    return a->write || !b->write;
}

static const char *kind(const struct ll_race_access *a)
{
    return a->write ? "write" : "read";
}

/* Calls from a thread's start routine within which an access of data no
 * access locks still counts as the thread's own doing. */
#define SHALLOW_CALLS 2

/*
 * How sure a finding is.  Objects reached through pointers are merged by
 * struct type: one `struct item.refcount` stands for every item, handed
 * between threads by protocols (reference counts, queues) the analysis
 * does not see; such findings are notes, and one global object, or data a
 * thread's start argument reaches, makes a warning.  Data that no access
 * locks, touched only deep in shared code (more than SHALLOW_CALLS calls
 * from any start routine), is most often kept to one thread by run-time
 * checks on the way (`if (in_io_thread) return;`) that are not followed:
 * a note too.
 */
static bool firm(const struct ll_race_access *a, const struct ll_race_access *b, bool locked)
{
    if (a->from_start_arg || b->from_start_arg)
        return true;
    if (!a->concrete || !b->concrete)
        return false;
    return locked || a->depth <= SHALLOW_CALLS || b->depth <= SHALLOW_CALLS;
}

static void report(const struct ll_view *v, const struct ll_race_access *a,
                   const struct ll_race_access *b, uint32_t ra, uint32_t rb,
                   const struct majority *all, const struct majority *wr, bool locked,
                   struct ll_rule_ctx *r)
{
    const struct ll_fn_view *fa = ll_view_fn(v, a->fn), *fb = ll_view_fn(v, b->fn);
    const char *na = ll_fn_ir(fa)->name, *nb = ll_fn_ir(fb)->name;
    const struct ll_event *ea = access_event(v, a), *eb = access_event(v, b);
    const struct majority *m = a->write && wr->lock ? wr : all;
    char locks[512], stat[768] = "";
    lock_list(a, locks, sizeof(locks));
    if (m->lock)
        snprintf(stat, sizeof(stat), "; '%s' is %s with '%s' held at %u of %u sites", a->name,
                 m == wr ? "written" : "accessed", m->text, m->held, m->sites);
    struct ll_site site = ll_view_site(fa, ea->loc, NULL);
    bool sure = firm(a, b, locked);
    struct ll_finding *fd =
        ll_diag_sev(r, sure ? LL_SEV_WARNING : LL_SEV_NOTE, &site, na, a->name,
                    "data race: %s '%s' with %s held can run concurrently with a %s in '%s'%s",
                    a->write ? "write to" : "read of", ea->obj.text, locks, kind(b), nb, stat);
    if (!fd)
        return;
    const char *ta = ll_view_root_fn_name(v, ra), *tb = ll_view_root_fn_name(v, rb);
    char blocks[512];
    lock_list(b, blocks, sizeof(blocks));
    struct ll_site other = ll_view_site(fb, eb->loc, NULL);
    ll_diag_note(r, fd, &site, "%s in thread '%s'%s, holding %s", kind(a), ta,
                 ll_view_root_multi(v, ra) ? " (several run at once)" : "", locks);
    ll_diag_note(r, fd, &other, "conflicting %s of '%s' here, in '%s' (%sthread '%s'), holding %s",
                 kind(b), eb->obj.text, nb, ra == rb ? "another instance of " : "", tb, blocks);
    if (!sure && !locked && a->concrete && b->concrete)
        ll_diag_note(r, fd, &site,
                     "no access to '%s' holds a lock, and both are %u or more calls from "
                     "their threads' start routines: run-time checks on the way may keep "
                     "them apart",
                     a->name, (unsigned)(a->depth < b->depth ? a->depth : b->depth));
    struct ll_site sa = site, sb = other;
    sa.message = a->write ? "writes" : "reads";
    sb.message = b->write ? "writes" : "reads";
    ll_diag_flow(r, fd, ta, &sa, 1);
    ll_diag_flow(r, fd, tb, &sb, 1);
}

struct seen {
    const char *group;
    uint32_t fn, line;
};

static bool already(const struct seen *s, size_t n, const char *group, uint32_t fn, uint32_t line)
{
    for (size_t i = 0; i < n; i++)
        if (s[i].fn == fn && s[i].line == line && strcmp(s[i].group, group) == 0)
            return true;
    return false;
}

/*
 * Data reached only through pointers, of which no access holds any lock,
 * shows no intent to share it: objects handed from thread to thread (by a
 * queue, a reference count, a freelist) look like that, and one struct
 * type stands for all its objects.  Such groups are not reported unless a
 * thread's start argument reaches them.
 */
static bool evidence_of_sharing(const struct ll_race_access *acc, size_t s, size_t t)
{
    for (size_t i = s; i < t; i++)
        if (acc[i].concrete || acc[i].nlocks > 0 || acc[i].from_start_arg)
            return true;
    return false;
}

static void check_group(const struct ll_view *v, const struct ll_race_access *acc, size_t s,
                        size_t t, struct seen *seen, struct ll_rule_ctx *r)
{
    if (!evidence_of_sharing(acc, s, t))
        return;
    bool locked = false;
    for (size_t i = s; i < t && !locked; i++)
        locked = acc[i].nlocks > 0;
    struct majority all, wr;
    find_majority(v, acc, s, t, false, &all);
    find_majority(v, acc, s, t, true, &wr);
    size_t nseen = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = s; i < t; i++) {
            const struct ll_race_access *a = &acc[i];
            const struct ll_fn_view *fa = ll_view_fn(v, a->fn);
            const struct ll_event *ea = access_event(v, a);
            if (a->write != (pass == 0) || ll_view_in_system_header(fa, ea->loc) ||
                already(seen, nseen, a->group, a->fn, ea->loc.line))
                continue;
            long best = -1;
            uint32_t bra = 0, brb = 0;
            for (size_t j = s; j < t; j++) {
                uint32_t ra, rb;
                if (!ll_race_conflict(v, a, &acc[j], &ra, &rb) || !culprit(a, &acc[j], &all))
                    continue;
                bool better = best < 0 || (all.lock && ll_race_holds(&acc[j], all.lock) &&
                                           !ll_race_holds(&acc[best], all.lock));
                if (better) {
                    best = (long)j;
                    bra = ra;
                    brb = rb;
                }
            }
            if (best < 0)
                continue;
            report(v, a, &acc[best], bra, brb, &all, &wr, locked, r);
            seen[nseen++] = (struct seen){a->group, a->fn, ea->loc.line};
        }
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    size_t n;
    const struct ll_race_access *acc = ll_view_accesses(v, &n);
    struct seen *seen = calloc(n + 1, sizeof(*seen));
    if (!seen) {
        ll_diag_oom(r);
        return;
    }
    for (size_t s = 0, t; s < n; s = t) {
        for (t = s + 1; t < n && strcmp(acc[t].group, acc[s].group) == 0; t++)
            ;
        check_group(v, acc, s, t, seen, r);
    }
    free(seen);
}

const struct ll_rule ll_rule_unprotected_write = {
    "unprotected-write", "shared data written without the lock its other accesses hold (data race)",
    doc, LL_SEV_WARNING, check};
