/*
 * unprotected-write: data races.  Two accesses to one shared location that
 * threads can make at the same time, at least one a write, with no lock
 * held at both in modes that exclude each other.  One finding per location:
 * at an access to blame (the one that lacks the lock most other accesses
 * hold, else the write), with the location's other such sites as notes.  The shared accesses and
 * their locksets are the view's (the race phase, ll_view_accesses()); this file only picks and
 * words the findings.
 */
#include "rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Finds data races: a write to shared memory that another thread can read or write at the\n"
    "same time, with no lock held at both accesses in modes that exclude each other. Shared\n"
    "memory is globals, statics, static locals, and objects reached through a thread's start\n"
    "argument or a pointer held in shared memory; fields are told apart by struct type, field\n"
    "and embedding (`c->in.bytes` is not `c->out.bytes`), and allocation site. The locks held\n"
    "at an access include those every caller holds on the way from the start routine. A write\n"
    "under a read lock races with another access under the same read lock. `snprintf`,\n"
    "`memcpy`, `read`, ... access what they point to.\n\n"
    "Atomics (`_Atomic` objects, atomic calls and builtins, `*(volatile T *)&x`) race only\n"
    "with plain accesses (a note if one only reads). Not shared: locals,\n"
    "thread-locals, const data, a block fresh from `malloc` before a thread is given it,\n"
    "the first level of a start argument each thread gets its own (`&args[i]`), and array\n"
    "slots a start routine indexes with its own argument or a local it never reassigns\n"
    "(`results[id]`). What a thread does before it creates T, or after it has joined T, never\n"
    "races with T, also through helpers (`start_workers()`, `join_workers()`). Code on a path\n"
    "that ends the process (`abort()`, a `die()` that always exits) is not checked.\n\n"
    "One finding per shared location, at the first access to blame (a write before a read, a\n"
    "sure race before a note); the location's other unprotected sites are notes under it.\n\n"
    "## Severity\n"
    "A warning: a race on one global object (a global, or `g->count` through a global pointer\n"
    "`g`), or on data a thread's start argument reaches. A note: a race between objects\n"
    "reached through pointers (one struct type stands for all its objects), and a race on a\n"
    "global no access locks when both accesses lie more than two calls below any start\n"
    "routine (run-time checks on the way, `if (io) return;`, are not followed). In\n"
    "a library whose entry points are all exported functions, a race only between them on\n"
    "data they store but never update (`n++`) or write without the lock most writes hold is a\n"
    "note: a set-up function may run before any thread. So is a race that a thread reaches\n"
    "only through a call that may run one of several functions (a function pointer, a\n"
    "function two linked TUs define), and one a flag or a queue under a lock partly orders\n"
    "(below). A once-guard main sets before any thread (`if (!inited) inited = 1;`) runs no\n"
    "more: silent, or a note when the value stored might be zero.\n\n"
    "## Why is this bad\n"
    "`counter++` is a load, an add and a store: two threads interleave them and lose updates;\n"
    "C11 leaves a racy program undefined.\n\n"
    "## Example\n"
    "```c\n"
    "static long hits;\n"
    "void *worker(void *arg) { hits++; return NULL; }   /* 4 threads, no lock */\n"
    "```\n\n"
    "## Use instead\n"
    "Take the lock that guards the data at every access, reads too (the message says which\n"
    "lock the other accesses hold); or make the variable `_Atomic`; or give each thread its\n"
    "own slot and combine the results after `pthread_join`.\n\n"
    "## Known problems\n"
    "Locations other than globals are compared by class: `s->hits` counts as guarded by\n"
    "`s->lock` whenever both are of `struct stats`, without proving one object. Locals whose\n"
    "address escapes are not followed. A malloc'ed block is private until it may escape (stored, "
    "given to a thread or\n"
    "to a callee that keeps it). A local a start routine never reassigns is\n"
    "taken to be a copy of its start argument. A callback nothing stores is not followed;\n"
    "`pthread_once` routines are not checked. Semaphores order accesses when the post and the\n"
    "wait are in the accessing functions (in a loop both sides must wait, as a ring buffer's\n"
    "do). So do barrier phases in start routines, a flag under a lock (every\n"
    "path after `a` sets `F` under `L`, every path to `b` left `while (!F) wait(&cv, &L)`,\n"
    "only their functions set `F`, `a`'s runs once) and a queue of pointers (`a` through `p`\n"
    "before every path stores `p` under `L`, `b` through `u` after every path loaded `u`\n"
    "under `L`; the object is the producer's until then; push/pop helpers count). Partial\n"
    "evidence: a note.\n";

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

/* Whether every record of acc[i]'s site (one per set of locks its
 * threads hold there; they follow it) holds x. */
static bool site_holds(const struct ll_view *v, const struct ll_race_access *acc, size_t i,
                       size_t t, bool writes, const struct ll_race_lock *x)
{
    struct ll_loc li = access_event(v, &acc[i])->loc;
    for (size_t j = i; j < t && acc[j].fn == acc[i].fn; j++) {
        struct ll_loc lj = access_event(v, &acc[j])->loc;
        if ((!writes || acc[j].write) && lj.line == li.line && lj.col == li.col &&
            lj.file == li.file && !ll_race_holds(&acc[j], x))
            return false;
    }
    return true;
}

static void find_majority(const struct ll_view *v, const struct ll_race_access *acc, size_t s,
                          size_t t, bool writes, struct majority *m)
{
    memset(m, 0, sizeof(*m));
    for (size_t i = s; i < t; i++)
        if ((!writes || acc[i].write) && !acc[i].atomic && !same_site(v, acc, s, i, writes))
            m->sites++;
    for (size_t i = s; i < t; i++)
        for (uint32_t l = 0; l < acc[i].nlocks; l++) {
            const struct ll_race_lock *x = &acc[i].locks[l];
            uint32_t n = 0;
            for (size_t j = s; j < t; j++)
                if ((!writes || acc[j].write) && !acc[j].atomic &&
                    !same_site(v, acc, s, j, writes) && site_holds(v, acc, j, t, writes, x))
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
    if (a->atomic != b->atomic) /* the plain one, never the atomic one */
        return !a->atomic;
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
 * checks on the way (`if (io) return;`) that are not followed:
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

/* An access to blame, with the access it races with and both threads. */
struct culprit_site {
    size_t a, b;
    uint32_t ra, rb;
    bool sure;
    bool set_up;      /* a note only because library entry points are assumed to run at once */
    bool guessed;     /* a thread reaches an access only through a call through a slot that
                         can hold several functions */
    bool settled;     /* a write of a once-guarded global main sets before any thread */
    bool atomic_read; /* the partner is atomic, and one of the two only reads */
    bool unreached;   /* a thread created only in code nothing calls */
};

static struct ll_finding *report(const struct ll_view *v, const struct ll_race_access *acc,
                                 const struct culprit_site *p, const struct majority *all,
                                 const struct majority *wr, bool locked, struct ll_rule_ctx *r)
{
    const struct ll_race_access *a = &acc[p->a], *b = &acc[p->b];
    uint32_t ra = p->ra, rb = p->rb;
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
    bool sure = p->sure;
    struct ll_finding *fd =
        ll_diag_sev(r, sure ? LL_SEV_WARNING : LL_SEV_NOTE, &site, na, a->name,
                    "data race: %s '%s' with %s held can run concurrently with %s%s in '%s'%s",
                    a->write ? "write to" : "read of", ea->obj.text, locks,
                    b->atomic ? "an atomic " : "a ", kind(b), nb, stat);
    if (!fd)
        return NULL;
    const char *ta = ll_view_root_fn_name(v, ra), *tb = ll_view_root_fn_name(v, rb);
    char blocks[512];
    lock_list(b, blocks, sizeof(blocks));
    struct ll_site other = ll_view_site(fb, eb->loc, NULL);
    ll_diag_note(r, fd, &site, "%s in thread '%s'%s, holding %s", kind(a), ta,
                 ll_view_root_multi(v, ra) ? " (several run at once)" : "", locks);
    ll_diag_note(r, fd, &other,
                 "conflicting %s%s of '%s' here, in '%s' (%sthread '%s'), holding %s",
                 b->atomic ? "atomic " : "", kind(b), eb->obj.text, nb,
                 ra == rb ? "another instance of " : "", tb, blocks);
    if (!firm(a, b, locked) && !p->set_up && !p->guessed && !locked && a->concrete && b->concrete)
        ll_diag_note(r, fd, &site,
                     "no access to '%s' holds a lock, and both are %u or more calls from "
                     "their threads' start routines: run-time checks on the way may keep "
                     "them apart",
                     a->name, (unsigned)(a->depth < b->depth ? a->depth : b->depth));
    if (p->guessed)
        ll_diag_note(r, fd, &site,
                     "a thread reaches one of the accesses only through a call that can go "
                     "to several functions (a function pointer that can hold several and is "
                     "called in several places or is a parameter, or a variable each creator "
                     "of the thread fills before starting it, or a function several linked "
                     "TUs define): which of them runs on which thread is a guess");
    if (p->settled)
        ll_diag_note(r, fd, &site,
                     "'%s' is written only where it was just found zero, and main sets it "
                     "before it starts any thread: no write runs again unless the value "
                     "stored is zero",
                     (a->settled ? a : b)->name);
    if (b->atomic)
        ll_diag_note(r, fd, &site,
                     "the other access is atomic, this one is not: a plain access that can run "
                     "at the same time as an atomic one is a data race%s",
                     p->atomic_read ? " (a note while one of them only reads: make both atomic)"
                                    : ", and an update between them can be lost");
    if (p->unreached)
        ll_diag_note(r, fd, &site,
                     "thread '%s' is created only in code that nothing in the program calls: "
                     "a note",
                     ll_view_root_unreached(v, ra) ? ta : tb);
    if (p->set_up)
        ll_diag_note(r, fd, &site,
                     "both accesses are reached only from the library's exported functions, "
                     "assumed to run at once, and '%s' is only stored there, not updated: a "
                     "set-up function its users call before starting threads would keep them "
                     "apart (name the thread-safe functions in `entry-points:` to make this a "
                     "warning)",
                     a->name);
    struct ll_race_partial why = {0};
    bool partial = ll_race_handoff_partial(v, a, b, &why);
    if (partial && !why.queue)
        ll_diag_note(r, fd, &site,
                     "'%s' is set under '%s' and waited for, which may order the two accesses, "
                     "but not on every path (or the flag may be set again, or by another thread): "
                     "a note, see `locklint explain unprotected-write`",
                     why.flag, why.lock);
    else if (partial && why.by_type)
        ll_diag_note(r, fd, &site,
                     "the object is handed over through a queue under '%s' (taken from '%s'), "
                     "which may order the two accesses, but a container is matched with the "
                     "lock only by type: a note, see `locklint explain unprotected-write`",
                     why.lock, why.flag);
    else if (partial)
        ll_diag_note(r, fd, &site,
                     "the object is handed over through a queue under '%s' (taken from '%s'), "
                     "which may order the two accesses, but it is not put in before one, or not "
                     "taken out before the other, on every path: a note, see `locklint explain "
                     "unprotected-write`",
                     why.lock, why.flag);
    struct ll_site sa = site, sb = other;
    sa.message = a->write ? "writes" : "reads";
    sb.message = b->write ? "writes" : "reads";
    ll_diag_flow(r, fd, ta, &sa, 1);
    ll_diag_flow(r, fd, tb, &sb, 1);
    return fd;
}

/*
 * A library whose entry points are every exported function: that two of
 * them run at once is assumed, and libraries have set-up functions
 * (`lib_init()`, option setters) that their users call once before any
 * thread.  A race seen only between such assumed calls is sure when the
 * code shows the location changing while it is in use: a write in the
 * pair updates it (`nconns++`) or lacks the lock most writes hold.  A
 * value only stored (`initialized = 1`, a table the set-up fills) is a
 * note: the set-up may well come first -- also against a read in a thread
 * the library starts only from its entry points (libuv's allocator
 * setter and its thread pool), which runs only after some entry point.
 */
static bool assumed_set_up(const struct ll_view *v, const struct ll_race_access *acc,
                           const struct culprit_site *c, const struct majority *wr)
{
    /* the writes in entry points (the set-up is one); a read may also be
     * in a thread the library starts only from its entry points: the
     * set-up, which comes before any other call, comes before that thread */
    size_t pair[2] = {c->a, c->b};
    uint32_t root[2] = {c->ra, c->rb};
    for (int k = 0; k < 2; k++) {
        const struct ll_race_access *w = &acc[pair[k]];
        bool entry = ll_view_root_assumed(v, root[k]);
        if (!entry && (w->write || !ll_view_root_library_started(v, root[k])))
            return false;
        if (w->write && ((access_event(v, w)->flags & LL_EVF_UPDATE) ||
                         (wr->lock && !ll_race_holds(w, wr->lock))))
            return false;
    }
    return true;
}

/*
 * Data reached only through pointers, of which no access holds any lock,
 * shows no intent to share it: objects handed from thread to thread (by a
 * queue, a reference count, a freelist) look like that, and one struct
 * type stands for all its objects.  Such groups are not reported unless a
 * thread's start argument reaches them, or the creator of a thread uses
 * the block it gave it (a thread's own view of that block alone is none).
 */
static bool evidence_of_sharing(const struct ll_race_access *acc, size_t s, size_t t)
{
    for (size_t i = s; i < t; i++)
        if (acc[i].concrete || acc[i].nlocks > 0 || (acc[i].from_start_arg && !acc[i].exclusive) ||
            (acc[i].object && !acc[i].exclusive))
            return true;
    return false;
}

/* Other sites a grouped finding lists as notes; the rest are counted. */
#define LISTED_SITES 16

/* Whether site i repeats the function and line of an earlier culprit. */
static bool site_seen(const struct ll_view *v, const struct ll_race_access *acc,
                      const struct culprit_site *c, size_t n, size_t i)
{
    uint32_t line = access_event(v, &acc[i])->loc.line;
    for (size_t k = 0; k < n; k++)
        if (acc[c[k].a].fn == acc[i].fn && access_event(v, &acc[c[k].a])->loc.line == line)
            return true;
    return false;
}

/* The access acc[best] that acc[i] races with, preferring one that holds
 * the majority lock; false when acc[i] is to blame for no race. */
static bool partner(const struct ll_view *v, const struct ll_race_access *acc, size_t s, size_t t,
                    size_t i, const struct majority *all, struct culprit_site *out)
{
    long best = -1;
    bool best_partial = false;
    for (size_t j = s; j < t; j++) {
        uint32_t ra, rb;
        struct ll_race_partial why;
        if (!ll_race_conflict(v, &acc[i], &acc[j], &ra, &rb) || !culprit(&acc[i], &acc[j], all))
            continue;
        bool sure = ll_race_sure_roots(&acc[i], &acc[j], ra, rb);
        /* a race no hand-off may order comes first */
        bool partial = ll_race_handoff_partial(v, &acc[i], &acc[j], &why);
        bool same = sure == !out->guessed;
        if (best < 0 || (sure && out->guessed) || (same && best_partial && !partial) ||
            (same && best_partial == partial && all->lock && ll_race_holds(&acc[j], all->lock) &&
             !ll_race_holds(&acc[best], all->lock))) {
            best = (long)j;
            best_partial = partial;
            *out = (struct culprit_site){.a = i, .b = j, .ra = ra, .rb = rb, .guessed = !sure};
        }
    }
    return best >= 0;
}

/* The other culprit sites of one location, as notes of its finding. */
static void list_other_sites(const struct ll_view *v, const struct ll_race_access *acc,
                             const struct culprit_site *c, size_t n, size_t primary,
                             struct ll_finding *fd, struct ll_rule_ctx *r)
{
    const struct ll_race_access *p = &acc[c[primary].a];
    const struct ll_event *ep = access_event(v, p);
    struct ll_site at = ll_view_site(ll_view_fn(v, p->fn), ep->loc, NULL);
    ll_diag_note(r, fd, &at, "%zu more access%s to '%s' race%s the same way%s", n - 1,
                 n == 2 ? "" : "es", ep->obj.text, n == 2 ? "s" : "",
                 n - 1 > LISTED_SITES ? "; the first are listed" : "");
    for (size_t k = 0, listed = 0; k < n && listed < LISTED_SITES; k++) {
        if (k == primary)
            continue;
        const struct ll_race_access *a = &acc[c[k].a];
        const struct ll_fn_view *fa = ll_view_fn(v, a->fn);
        const struct ll_event *ea = access_event(v, a);
        char locks[512];
        lock_list(a, locks, sizeof(locks));
        struct ll_site site = ll_view_site(fa, ea->loc, NULL);
        ll_diag_note(r, fd, &site, "also %s '%s' in '%s' (thread '%s'), holding %s",
                     a->write ? "writes" : "reads", ea->obj.text, ll_fn_ir(fa)->name,
                     ll_view_root_fn_name(v, c[k].ra), locks);
        listed++;
    }
}

/*
 * One finding per shared location: the culprit sites (each access to blame
 * for a race, one per function and line, writes first) are collected, the
 * first one that is sure of its race (else the first) is reported with its
 * partner, and the others are listed under it.  A global that hundreds of
 * functions read without its lock is one problem to fix, not hundreds.
 */
static void check_group(const struct ll_view *v, const struct ll_race_access *acc, size_t s,
                        size_t t, struct culprit_site *c, struct ll_rule_ctx *r)
{
    if (!evidence_of_sharing(acc, s, t))
        return;
    bool locked = false;
    for (size_t i = s; i < t && !locked; i++)
        locked = acc[i].nlocks > 0;
    struct majority all, wr;
    find_majority(v, acc, s, t, false, &all);
    find_majority(v, acc, s, t, true, &wr);
    size_t n = 0, primary = SIZE_MAX;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = s; i < t; i++) {
            const struct ll_race_access *a = &acc[i];
            if (a->write != (pass == 0) || a->atomic ||
                ll_view_in_system_header(ll_view_fn(v, a->fn), access_event(v, a)->loc) ||
                site_seen(v, acc, c, n, i) || !partner(v, acc, s, t, i, &all, &c[n]))
                continue;
            c[n].settled = a->settled || acc[c[n].b].settled;
            c[n].atomic_read = acc[c[n].b].atomic && !(a->write && acc[c[n].b].write);
            c[n].unreached =
                ll_view_root_unreached(v, c[n].ra) || ll_view_root_unreached(v, c[n].rb);
            c[n].sure = firm(a, &acc[c[n].b], locked) && !c[n].guessed && !c[n].settled &&
                        !c[n].atomic_read && !c[n].unreached;
            c[n].set_up = c[n].sure && assumed_set_up(v, acc, &c[n], &wr);
            struct ll_race_partial why;
            c[n].sure =
                c[n].sure && !c[n].set_up && !ll_race_handoff_partial(v, a, &acc[c[n].b], &why);
            if (primary == SIZE_MAX || (c[n].sure && !c[primary].sure))
                primary = n;
            n++;
        }
    if (n == 0)
        return;
    const struct culprit_site *p = &c[primary];
    struct ll_finding *fd = report(v, acc, p, &all, &wr, locked, r);
    if (fd && n > 1)
        list_other_sites(v, acc, c, n, primary, fd, r);
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    size_t n;
    const struct ll_race_access *acc = ll_view_accesses(v, &n);
    struct culprit_site *c = calloc(n + 1, sizeof(*c));
    if (!c) {
        ll_diag_oom(r);
        return;
    }
    for (size_t s = 0, t; s < n; s = t) {
        for (t = s + 1; t < n && strcmp(acc[t].group, acc[s].group) == 0; t++)
            ;
        check_group(v, acc, s, t, c, r);
    }
    free(c);
}

const struct ll_rule ll_rule_unprotected_write = {
    "unprotected-write", "shared data written without the lock its other accesses hold (data race)",
    doc, LL_SEV_WARNING, check};
