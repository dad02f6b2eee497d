/*
 * program: links functions across TUs by USR, links calls through function
 * pointers (fnptr.h, dispatchers), and marks thread roots.  Call graph,
 * SCCs and summaries build on this table.
 */
#include "program.h"

#include "fnptr.h"
#include "programs.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Parameters a dispatcher passes on, at most. */
#define DISPATCH_MAX_PARAMS 16

static void mark_start_routines(struct ll_program *p, const struct ll_tu_facts *tus, size_t ntus)
{
    for (size_t t = 0; t < ntus; t++)
        for (uint32_t i = 0; i < tus[t].nfunctions; i++) {
            const struct ll_function *fn = &tus[t].functions[i];
            for (uint32_t e = 0; e < fn->nevents; e++) {
                const struct ll_event *ev = &fn->events[e];
                if (ev->kind != LL_EV_THREAD_CREATE || !ev->callee)
                    continue;
                long k = ll_program_find(p, ev->callee);
                if (k >= 0)
                    p->fns[k].is_start_routine = true;
            }
        }
}

static long find_fn(const void *ctx, const char *usr)
{
    return ll_program_find(ctx, usr);
}

/* Whether event ev goes through a slot (ll_event_through_slot); *call
 * says whether it is an indirect call. */
static bool through_slot(const struct ll_event *ev, bool *call)
{
    *call = ev->kind == LL_EV_CALL && (ev->flags & LL_EVF_INDIRECT);
    return ll_event_through_slot(ev);
}

/*
 * A function that calls each of `n` targets on a path of its own, with its
 * parameters (at most `max_params`) as their arguments: entry -> one block
 * per target -> a block that returns -> exit.  Its lock state at the return is the join of the
 * targets' summaries (a lock every target takes is taken; one some take is
 * not), which is what a call through the slot does.  A dispatcher sits at
 * the first call through the slot, in that call's TU.  Returns the new
 * function, or NULL when out of memory.
 */
static struct ll_prog_fn *make_caller(struct ll_program *p, const char *usr, const char *name,
                                      const uint32_t *targets, size_t n,
                                      const struct ll_tu_facts *tu, struct ll_loc loc,
                                      uint32_t max_params)
{
    struct ll_arena *a = &p->arena;
    struct ll_function *fn = ll_arena_alloc(a, sizeof(*fn));
    uint32_t np = 0;
    for (size_t i = 0; i < n; i++)
        if (p->fns[targets[i]].fn->nparams > np)
            np = p->fns[targets[i]].fn->nparams;
    if (np > max_params)
        np = max_params;
    if (!fn)
        return NULL;
    fn->usr = usr;
    fn->name = name;
    fn->loc = fn->end = loc;
    fn->flags = LL_FN_STATIC;
    fn->nparams = np;
    fn->params = ll_arena_alloc(a, (np + 1) * sizeof(*fn->params));
    struct ll_path *args = ll_arena_alloc(a, (np + 1) * sizeof(*args));
    fn->nblocks = (uint32_t)n + 3;
    fn->exit = 1;
    fn->blocks = ll_arena_alloc(a, fn->nblocks * sizeof(*fn->blocks));
    fn->nevents = (uint32_t)n + 1;
    fn->events = ll_arena_alloc(a, fn->nevents * sizeof(*fn->events));
    uint32_t *succ = ll_arena_alloc(a, (n + 2) * sizeof(*succ));
    if (!fn->name || !fn->params || !args || !fn->blocks || !fn->events || !succ)
        return NULL;
    for (uint32_t i = 0; i < np; i++) {
        fn->params[i] = ll_arena_printf(a, "a%u", i);
        args[i] = (struct ll_path){.root = LL_ROOT_PARAM, .param = (int16_t)i};
        args[i].text = args[i].key = fn->params[i];
        args[i].cls = ll_arena_printf(a, "%s(%s)", fn->name, fn->params[i]);
        if (!fn->params[i] || !args[i].cls)
            return NULL;
    }
    uint32_t join = (uint32_t)n + 2;
    for (size_t i = 0; i < n; i++) {
        const struct ll_function *t = p->fns[targets[i]].fn;
        struct ll_event *ev = &fn->events[i];
        ev->kind = LL_EV_CALL;
        ev->loc = loc;
        ev->api = t->name;
        ev->callee = t->usr;
        ev->nargs = np;
        ev->args = args;
        ev->obj.param = ev->aux.param = -1;
        struct ll_block *b = &fn->blocks[2 + i];
        b->first_event = (uint32_t)i;
        b->nevents = 1;
        b->nsucc = 1;
        b->succ = &succ[n];
        succ[i] = 2 + (uint32_t)i;
    }
    succ[n] = join;
    succ[n + 1] = 1;
    fn->blocks[0].nsucc = (uint32_t)n;
    fn->blocks[0].succ = succ;
    fn->blocks[0].first_event = (uint32_t)n;
    fn->blocks[1].first_event = (uint32_t)n + 1;
    struct ll_event *ret = &fn->events[n];
    ret->kind = LL_EV_RETURN;
    ret->flags = LL_EVF_IMPLICIT;
    ret->loc = loc;
    ret->obj.param = ret->aux.param = -1;
    fn->blocks[join].first_event = (uint32_t)n;
    fn->blocks[join].nevents = 1;
    fn->blocks[join].nsucc = 1;
    fn->blocks[join].succ = &succ[n + 1];
    struct ll_prog_fn *pf = &p->fns[p->nfns];
    memset(pf, 0, sizeof(*pf));
    pf->fn = fn;
    pf->tu = tu;
    if (ll_strmap_put(&p->by_usr, usr, p->nfns) < 0)
        return NULL;
    p->nfns++;
    return pf;
}

/* A slot filled per call (a parameter, what a function returns): what it
 * holds at one call is not what it holds at another. */
static bool slot_of_calls(const char *slot)
{
    return strncmp(slot, "@arg:", 5) == 0 || strncmp(slot, "@argof:", 7) == 0 ||
           strncmp(slot, "@ret:", 5) == 0;
}

/* The function of TU `tu` whose body holds `loc`, or NULL. */
static const struct ll_function *function_at(const struct ll_tu_facts *tu, struct ll_loc loc)
{
    for (uint32_t i = 0; i < tu->nfunctions; i++) {
        const struct ll_function *fn = &tu->functions[i];
        if (fn->loc.file == loc.file &&
            (fn->loc.line < loc.line || (fn->loc.line == loc.line && fn->loc.col <= loc.col)) &&
            (fn->end.line > loc.line || (fn->end.line == loc.line && fn->end.col >= loc.col)))
            return fn;
    }
    return NULL;
}

/* fn starts a thread running `routine` after `loc` (in fn's file). */
static bool creates_after(const struct ll_program *p, const struct ll_function *fn,
                          struct ll_loc loc, long routine)
{
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind == LL_EV_THREAD_CREATE && ev->loc.file == loc.file &&
            (ev->loc.line > loc.line || (ev->loc.line == loc.line && ev->loc.col > loc.col)) &&
            ll_program_find(p, ev->callee) == routine)
            return true;
    }
    return false;
}

/*
 * A variable slot only the creators of the thread that calls through it
 * fill, each before it starts that thread (pixz's pipeline_create()
 * stores its `split` parameter into gPLSplit, then starts the thread that
 * calls gPLSplit()): each thread runs what its creator stored, one of the
 * slot's functions, not all of them -- which one runs alongside what is a
 * guess.
 */
static bool filled_per_creation(const struct ll_program *p, const struct ll_tu_facts *tus,
                                size_t ntus, const char *slot, uint32_t caller)
{
    bool any = false;
    if (strncmp(slot, "@var:", 5) != 0)
        return false;
    for (size_t t = 0; t < ntus; t++)
        for (uint32_t i = 0; i < tus[t].nfnrefs; i++) {
            const struct ll_fnref *r = &tus[t].fnrefs[i];
            if (!r->context || strcmp(r->context, slot) != 0)
                continue;
            const struct ll_function *fn = function_at(&tus[t], r->loc);
            if (!fn || !creates_after(p, fn, r->loc, caller))
                return false;
            any = true;
        }
    return any;
}

/* The caller a call through `slot` stands for: it calls each of the
 * functions the slot can hold, with its parameters as their arguments. */
static int make_dispatcher(struct ll_program *p, const char *slot, const uint32_t *targets,
                           size_t n, const struct ll_tu_facts *tu, struct ll_loc loc)
{
    const char *name = ll_arena_printf(&p->arena, "<call through %s>", slot);
    struct ll_prog_fn *pf =
        name ? make_caller(p, slot, name, targets, n, tu, loc, DISPATCH_MAX_PARAMS) : NULL;
    if (!pf)
        return -1;
    pf->dispatcher = true;
    pf->dispatch_sites = 1;
    p->ndispatchers++;
    return 0;
}

/* Links every call through a slot, and every creation whose start routine
 * is read from one, to what the slot can hold: the one function, or a
 * dispatcher over several.  Slots that hold nothing stay unknown. */
static int resolve_slots(struct ll_program *p, const struct ll_tu_facts *tus, size_t ntus)
{
    struct ll_fnptr r;
    if (ll_fnptr_build(&r, tus, ntus, find_fn, p) != 0) {
        ll_fnptr_release(&r);
        return -1;
    }
    uint32_t *buf = malloc(((size_t)r.nfns + 1) * sizeof(*buf));
    int rc = buf ? 0 : -1;
    size_t nbase = p->nfns;
    for (size_t f = 0; f < nbase && rc == 0; f++) {
        const struct ll_function *fn = p->fns[f].fn;
        for (uint32_t e = 0; e < fn->nevents && rc == 0; e++) {
            const struct ll_event *ev = &fn->events[e];
            bool call;
            if (!through_slot(ev, &call))
                continue;
            p->nindirect += call;
            size_t at = ev->callee ? ll_strmap_get(&p->by_usr, ev->callee) : (size_t)-1;
            bool known = at != (size_t)-1;
            if (known && p->fns[at].dispatcher)
                p->fns[at].dispatch_sites++;
            size_t n = known || !ev->callee ? 0 : ll_fnptr_targets(&r, ev->callee, buf, r.nfns);
            if (n == 1 && ll_strmap_put(&p->by_usr, ev->callee, buf[0]) < 0)
                rc = -1;
            else if (n > 1 && make_dispatcher(p, ev->callee, buf, n, p->fns[f].tu, ev->loc) != 0)
                rc = -1;
            else if (n > 1)
                p->fns[p->nfns - 1].dispatch_caller = (uint32_t)f;
            if (known || n > 0) {
                p->nresolved += call;
            } else if (call) {
                if (p->nunresolved < 8) {
                    p->unresolved[p->nunresolved][0] = (uint32_t)f;
                    p->unresolved[p->nunresolved][1] = e;
                }
                p->nunresolved++;
            }
        }
    }
    free(buf);
    ll_fnptr_release(&r);
    for (size_t f = nbase; f < p->nfns; f++)
        p->fns[f].dispatch_in_place =
            p->fns[f].dispatcher && p->fns[f].dispatch_sites == 1 &&
            !slot_of_calls(p->fns[f].fn->usr) &&
            !filled_per_creation(p, tus, ntus, p->fns[f].fn->usr, p->fns[f].dispatch_caller);
    return rc;
}

static bool is_main(const struct ll_function *fn)
{
    return strcmp(fn->name, "main") == 0 && !(fn->flags & LL_FN_STATIC);
}

static void note_main(struct ll_program *p, const struct ll_tu_facts *tu)
{
    if (p->nmains < 2)
        p->main_files[p->nmains] = tu->main_file;
    p->nmains++;
}

static bool named_entry(const struct ll_entry_points *ep, const char *name)
{
    for (size_t i = 0; i < ep->nnames; i++)
        if (strcmp(ep->names[i], name) == 0)
            return true;
    return false;
}

/* A library: main() is an ordinary function, and one made-up root calls
 * every entry point (ll_entry_points). */
static int add_entry_caller(struct ll_program *p, const struct ll_entry_points *ep)
{
    size_t nbase = p->nfns;
    uint32_t *targets = malloc((nbase + 1) * sizeof(*targets));
    if (!targets)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < nbase; i++) {
        struct ll_prog_fn *pf = &p->fns[i];
        pf->is_main = false;
        if (pf->dispatcher)
            continue;
        bool exported = !(pf->fn->flags & (LL_FN_STATIC | LL_FN_HIDDEN));
        if (ep->exported ? exported : named_entry(ep, pf->fn->name)) {
            pf->is_entry = true;
            targets[n++] = (uint32_t)i;
        }
    }
    int rc = 0;
    if (n) {
        const struct ll_prog_fn *first = &p->fns[targets[0]];
        struct ll_prog_fn *pf = make_caller(p, LL_ENTRY_CALLER_NAME, LL_ENTRY_CALLER_NAME, targets,
                                            n, first->tu, first->fn->loc, 0);
        if (pf) {
            pf->entry_caller = true;
            pf->is_start_routine = true;
        } else {
            rc = -1;
        }
    }
    p->nentries = (uint32_t)n;
    p->entries_assumed = ep->exported;
    free(targets);
    return rc;
}

/* Another definition of the external function at p->fns[k], from a TU
 * main() links as well (both_linked()). */
struct other_def {
    size_t k;
    const struct ll_function *fn;
    const struct ll_tu_facts *tu;
};

static const char *file_of(const struct ll_tu_facts *tu, struct ll_loc loc)
{
    return loc.file < tu->nfiles ? tu->files[loc.file] : "";
}

/* Copies of one definition: one source file compiled twice, a
 * definition in a header (a `static inline` function). */
static bool same_definition(const struct ll_function *a, const struct ll_tu_facts *ta,
                            const struct ll_function *b, const struct ll_tu_facts *tb)
{
    return a->loc.line == b->loc.line && a->loc.col == b->loc.col &&
           strcmp(file_of(ta, a->loc), file_of(tb, b->loc)) == 0;
}

/* Which TUs main() links (ll_programs_linked()), into linked[]: every TU
 * when there is no main() or the input is a library.  *main_tu is main()'s
 * TU, or ntus. */
static int link_main(const struct ll_tu_facts *tus, size_t ntus,
                     const struct ll_entry_points *entries, bool *linked, size_t *main_tu)
{
    *main_tu = ntus;
    for (size_t t = 0; t < ntus && *main_tu == ntus; t++)
        for (uint32_t i = 0; i < tus[t].nfunctions; i++)
            if (is_main(&tus[t].functions[i])) {
                *main_tu = t;
                break;
            }
    if (*main_tu == ntus || (entries && entries->library)) {
        for (size_t t = 0; t < ntus; t++)
            linked[t] = true;
        return 0;
    }
    return ll_programs_linked(tus, ntus, *main_tu, linked);
}

/*
 * A second definition `fn` (TU t) of the external function at p->fns[k]:
 * main()'s TU's definition wins, then one from a TU main() links; of two
 * such (distinct, not copies) both stay, in `others`, for a dispatcher
 * (alternatives()).  Otherwise the first by path stays.  Returns 0 or -1.
 */
static int second_definition(struct ll_program *p, size_t k, const struct ll_function *fn,
                             const struct ll_tu_facts *tus, size_t t, const bool *linked,
                             size_t main_tu, struct other_def **others, size_t *nothers,
                             size_t *cap)
{
    struct ll_prog_fn *old = &p->fns[k];
    size_t to = (size_t)(old->tu - tus);
    if ((fn->flags & LL_FN_STATIC) || (old->fn->flags & LL_FN_STATIC) ||
        same_definition(old->fn, old->tu, fn, &tus[t]) || to == main_tu || !linked[t])
        return 0;
    if (t == main_tu || !linked[to]) {
        old->fn = fn;
        old->tu = &tus[t];
        old->is_main = is_main(fn);
        for (size_t i = 0; i < *nothers; i++)
            if ((*others)[i].k == k)
                (*others)[i].k = SIZE_MAX;
        return 0;
    }
    for (size_t i = 0; i < *nothers; i++)
        if ((*others)[i].k == k && same_definition((*others)[i].fn, (*others)[i].tu, fn, &tus[t]))
            return 0;
    if (*nothers == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        struct other_def *grown = realloc(*others, c * sizeof(*grown));
        if (!grown)
            return -1;
        *others = grown;
        *cap = c;
    }
    (*others)[(*nothers)++] = (struct other_def){k, fn, &tus[t]};
    return 0;
}

/* `fn` under another USR: one of several definitions of its function. */
static struct ll_function *renamed(struct ll_program *p, const struct ll_function *fn, size_t i)
{
    struct ll_function *copy = ll_arena_alloc(&p->arena, sizeof(*copy));
    if (!copy)
        return NULL;
    *copy = *fn;
    copy->usr = ll_arena_printf(&p->arena, "@definition %zu of %s", i, fn->usr);
    return copy->usr ? copy : NULL;
}

/*
 * An external function that two TUs main() links define differently
 * (others, in TU order): each definition is kept under a USR of its own,
 * and its USR names a dispatcher calling each on a path of its own -- the
 * analysis cannot tell which one the program runs, so what it finds only
 * through one is a guess (the dispatcher never runs in place).
 */
static int alternatives(struct ll_program *p, struct other_def *others, size_t nothers)
{
    uint32_t *targets = malloc((nothers + 2) * sizeof(*targets));
    int rc = targets ? 0 : -1;
    for (size_t i = 0; i < nothers && rc == 0; i++) {
        size_t k = others[i].k;
        if (k == SIZE_MAX)
            continue;
        struct ll_prog_fn *first = &p->fns[k];
        const char *usr = first->fn->usr;
        size_t n = 0;
        targets[n++] = (uint32_t)k;
        struct ll_function *fn = renamed(p, first->fn, 0);
        if (!fn || ll_strmap_put(&p->by_usr, fn->usr, k) < 0) {
            rc = -1;
            break;
        }
        first->fn = fn;
        for (size_t j = i; j < nothers && rc == 0; j++) {
            if (others[j].k != k)
                continue;
            others[j].k = SIZE_MAX;
            struct ll_prog_fn *pf = &p->fns[p->nfns];
            memset(pf, 0, sizeof(*pf));
            pf->fn = renamed(p, others[j].fn, n);
            pf->tu = others[j].tu;
            pf->is_main = first->is_main;
            if (!pf->fn || ll_strmap_put(&p->by_usr, pf->fn->usr, p->nfns) < 0)
                rc = -1;
            targets[n++] = (uint32_t)p->nfns++;
        }
        const char *name = ll_arena_printf(&p->arena, "<%zu definitions of %s>", n, fn->name);
        struct ll_prog_fn *d = rc == 0 && name ? make_caller(p, usr, name, targets, n, first->tu,
                                                             fn->loc, DISPATCH_MAX_PARAMS)
                                               : NULL;
        if (!d || ll_strmap_set(&p->by_usr, usr, p->nfns - 1) < 0) {
            rc = -1;
            break;
        }
        d->dispatcher = true;
        p->ndispatchers++;
        p->nambiguous++;
    }
    free(targets);
    return rc;
}

int ll_program_build(struct ll_program *p, const struct ll_tu_facts *tus, size_t ntus)
{
    return ll_program_build_entries(p, tus, ntus, NULL);
}

int ll_program_build_entries(struct ll_program *p, const struct ll_tu_facts *tus, size_t ntus,
                             const struct ll_entry_points *entries)
{
    memset(p, 0, sizeof(*p));
    ll_arena_init(&p->arena);
    ll_strmap_init(&p->by_usr);
    size_t total = 0;
    for (size_t t = 0; t < ntus; t++)
        for (uint32_t i = 0; i < tus[t].nfunctions; i++) {
            const struct ll_function *fn = &tus[t].functions[i];
            total++;
            for (uint32_t e = 0; e < fn->nevents; e++) {
                bool call;
                total += through_slot(&fn->events[e], &call); /* room for a dispatcher */
            }
        }
    /* and one for a library's entry caller */
    p->fns = ll_arena_alloc(&p->arena, (total + 2) * sizeof(*p->fns));
    bool *linked = calloc(ntus + 1, sizeof(*linked));
    struct other_def *others = NULL;
    size_t nothers = 0, capothers = 0, main_tu;
    int rc = -1;
    if (!p->fns || !linked || link_main(tus, ntus, entries, linked, &main_tu) != 0)
        goto out;
    for (size_t t = 0; t < ntus; t++) {
        for (uint32_t i = 0; i < tus[t].nfunctions; i++) {
            const struct ll_function *fn = &tus[t].functions[i];
            int put = ll_strmap_put(&p->by_usr, fn->usr, p->nfns);
            if (put < 0)
                goto out;
            if (is_main(fn))
                note_main(p, &tus[t]);
            if (put == 1) { /* seen in an earlier TU */
                if (second_definition(p, ll_strmap_get(&p->by_usr, fn->usr), fn, tus, t, linked,
                                      main_tu, &others, &nothers, &capothers) != 0)
                    goto out;
                continue;
            }
            struct ll_prog_fn *pf = &p->fns[p->nfns++];
            pf->fn = fn;
            pf->tu = &tus[t];
            pf->is_main = is_main(fn);
        }
    }
    if (nothers) { /* room for a dispatcher per function defined twice */
        struct ll_prog_fn *grown =
            ll_arena_alloc(&p->arena, (total + 2 + nothers) * sizeof(*p->fns));
        if (!grown)
            goto out;
        memcpy(grown, p->fns, p->nfns * sizeof(*p->fns));
        p->fns = grown;
    }
    if (alternatives(p, others, nothers) != 0)
        goto out;
    rc = 0;
out:
    free(linked);
    free(others);
    if (rc != 0 || resolve_slots(p, tus, ntus) != 0)
        return -1;
    if (entries && entries->library && add_entry_caller(p, entries) != 0)
        return -1;
    /* every callee looked up once: the phases after ask for them by event */
    for (size_t i = 0; i < p->nfns; i++) {
        const struct ll_function *fn = p->fns[i].fn;
        int32_t *c = ll_arena_alloc_raw(&p->arena, (fn->nevents + 1) * sizeof(*c));
        if (!c)
            return -1;
        for (uint32_t e = 0; e < fn->nevents; e++)
            c[e] = (int32_t)ll_program_find(p, fn->events[e].callee);
        p->fns[i].callee = c;
    }
    mark_start_routines(p, tus, ntus);
    return 0;
}

void ll_program_release(struct ll_program *p)
{
    ll_strmap_release(&p->by_usr);
    ll_arena_release(&p->arena);
    memset(p, 0, sizeof(*p));
}

long ll_program_find(const struct ll_program *p, const char *usr)
{
    if (!usr)
        return -1;
    size_t v = ll_strmap_get(&p->by_usr, usr);
    return v == (size_t)-1 ? -1 : (long)v;
}
