/*
 * lock-order-inversion: a cycle in the lock-order graph that concurrently
 * running threads can take, with no gate lock held around every edge; and
 * the nesting of two locks of one class whose order depends on runtime
 * values (dining philosophers, transfer(a, b) against transfer(b, a)).
 */
#include "rule.h"

#include <stdlib.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Builds the program's lock-order graph -- an edge A -> B whenever B is acquired (blocking)\n"
    "while A is held, in one function or through any chain of calls -- and reports every cycle\n"
    "whose edges can run in different threads at the same time, plus nestings of two locks of\n"
    "one class whose order depends on runtime values.\n\n"
    "## Why is this bad\n"
    "Thread 1 holds A and waits for B while thread 2 holds B and waits for A: both wait\n"
    "forever. It happens rarely, under load, and never in a debugger.\n\n"
    "## Example\n"
    "```c\n"
    "void *t1(void *p) { lock(&a); lock(&b); ... }   /* a then b */\n"
    "void *t2(void *p) { lock(&b); lock(&a); ... }   /* b then a: deadlock */\n"
    "```\n\n"
    "## Use instead\n"
    "Pick one global order and always take locks in it (document it); for locks of one\n"
    "class, order by a stable key (address, id): `if (a < b) { lock(a); lock(b); } else ...`;\n"
    "or take a single gate lock around the nesting; or use `trylock` and back off.\n\n"
    "## Known problems\n"
    "Locks are told apart by object for globals and by class (struct type and field, array)\n"
    "otherwise, so two different objects of one class count as one node. A class keeps where\n"
    "its struct is embedded (`c->in.lock` and `c->out.lock` of one `struct half` type are the\n"
    "classes `struct conn.in.lock` and `struct conn.out.lock`), also through helpers called\n"
    "with `&c->in`; when the program also takes a lock of that type where the embedding is not\n"
    "known (through a `struct half *` from elsewhere), they are one class again. Objects of one\n"
    "type from two allocation sites (`pool_new()`, `job_new()`: each field or pointer that\n"
    "holds blocks of one site only) are two classes; two objects of one site are one, and a\n"
    "pointer filled from several sites or from unseen code may be any of them. Calls through\n"
    "function pointers reach the functions the program stores in the same field, variable or\n"
    "parameter (a table of lock functions is seen through); a callback nothing in the program\n"
    "stores is not followed. Such a slot holds every function stored in it anywhere, so a\n"
    "cycle with an edge seen only through a slot that can hold several functions is a note.\n"
    "A lock taken through a local pointer set to one of a few locks (`m = k ? &a : &b;`) is\n"
    "each of them, and a cycle that needs the pointer to point to one is a note: which lock\n"
    "it holds on a path is not followed.\n"
    "A nesting of one class is taken to be ordered when the function\n"
    "compares the two locks' index or pointer variables with `<` or `>`; when every nesting\n"
    "of a class reaches its two locks through different paths in one order (`s->poll->lock`\n"
    "before `s->abort->lock`), the roles fix the order and it is a note. Cycles are reported when\n"
    "two of their edges are reached from two threads that may run at the same time: two\n"
    "roots, or one started several times, that creation and join order does not keep apart.\n";

struct cyc_ctx {
    const struct ll_view *v;
    struct ll_rule_ctx *r;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* True when a lock held at every edge of the cycle is not itself in it. */
static bool gated(const struct ll_view *v, const struct ll_lg_cycle *c)
{
    const struct ll_lockgraph *g = ll_view_lockgraph(v);
    const struct ll_lg_edge *e0 = &g->edges[c->edges[0]];
    for (uint32_t gi = 0; gi < e0->ngates; gi++) {
        bool everywhere = true, in_cycle = false;
        for (uint32_t k = 0; k < c->n && everywhere; k++) {
            const struct ll_lg_edge *e = &g->edges[c->edges[k]];
            bool has = false;
            for (uint32_t i = 0; i < e->ngates && !has; i++)
                has = strcmp(e->gates[i], e0->gates[gi]) == 0;
            everywhere = has;
            in_cycle = in_cycle || strcmp(g->nodes[e->from].id, e0->gates[gi]) == 0;
        }
        if (everywhere && !in_cycle)
            return true;
    }
    return false;
}

/* Two threads that may run at the same time reach edges a and b (one
 * edge: a == b). */
static bool edges_parallel(const struct ll_view *v, const uint64_t *a, const uint64_t *b)
{
    uint32_t words = ll_view_root_words(v);
    for (uint32_t i = 0; i < words; i++)
        for (uint64_t wa = a[i]; wa; wa &= wa - 1) {
            uint32_t x = 64 * i + (uint32_t)__builtin_ctzll(wa);
            for (uint32_t j = 0; j < words; j++)
                for (uint64_t wb = b[j]; wb; wb &= wb - 1)
                    if (ll_view_roots_parallel(v, x, 64 * j + (uint32_t)__builtin_ctzll(wb)))
                        return true;
        }
    return false;
}

/* Whether two of the cycle's edges can run in concurrent threads. */
static bool cycle_parallel(const struct ll_view *v, const struct ll_lg_cycle *c)
{
    const struct ll_lockgraph *g = ll_view_lockgraph(v);
    for (uint32_t i = 0; i < c->n; i++)
        for (uint32_t j = i + 1; j < c->n; j++)
            if (edges_parallel(v, g->edges[c->edges[i]].roots, g->edges[c->edges[j]].roots))
                return true;
    return false;
}

static bool site_before(const struct ll_site *a, const struct ll_site *b)
{
    int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
    return c < 0 || (c == 0 && (a->line < b->line || (a->line == b->line && a->col < b->col)));
}

/* The fingerprint key: lock classes and functions, sorted, never lines. */
static const char *cycle_key(const struct ll_view *v, const struct ll_lg_cycle *c, char *buf,
                             size_t len)
{
    const struct ll_lockgraph *g = ll_view_lockgraph(v);
    const char *parts[64];
    uint32_t n = 0;
    for (uint32_t k = 0; k < c->n && n < 31; k++) {
        const struct ll_lg_edge *e = &g->edges[c->edges[k]];
        parts[n++] = g->nodes[e->from].text;
        parts[n++] = e->w.fn_name;
    }
    qsort(parts, n, sizeof(*parts), cmp_str);
    size_t off = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < n && off < len; i++)
        off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? "," : "", parts[i]);
    return buf;
}

/* Where an edge shows in the user's code: the call when it went through a
 * wrapper, else the acquisition. */
static const struct ll_site *edge_site(const struct ll_lg_edge *e)
{
    return e->w.has_call ? &e->w.call : &e->w.inner;
}

static void edge_notes(const struct ll_view *v, const struct ll_lg_edge *e, struct ll_rule_ctx *r,
                       struct ll_finding *fd, bool primary)
{
    const struct ll_lg_witness *w = &e->w;
    if (!primary)
        ll_diag_note(r, fd, edge_site(e), "'%s' acquired while holding '%s' here, in '%s'",
                     w->inner_text, w->outer_text, w->fn_name);
    ll_diag_note(r, fd, &w->outer, "'%s' acquired here", w->outer_text);
    if (w->has_call && w->via) {
        if (!primary)
            ll_diag_note(r, fd, &w->call, "'%s' called here while holding '%s'", w->via,
                         w->outer_text);
        ll_diag_note(r, fd, &w->inner, "'%s' acquires '%s' here", w->via, w->inner_text);
    }
    const char *root = ll_view_root_name(v, w->fn);
    if (root)
        ll_diag_note(r, fd, &w->inner, "reached by thread '%s'", root);
}

static void add_flow(const struct ll_view *v, const struct ll_lg_edge *e, struct ll_rule_ctx *r,
                     struct ll_finding *fd)
{
    const struct ll_lg_witness *w = &e->w;
    struct ll_site steps[3];
    size_t n = 0;
    steps[n] = w->outer;
    steps[n++].message = "acquires the first lock";
    if (w->has_call) {
        steps[n] = w->call;
        steps[n++].message = "calls while holding it";
    }
    steps[n] = w->inner;
    steps[n++].message = "blocks acquiring the second lock";
    const char *root = ll_view_root_name(v, w->fn);
    ll_diag_flow(r, fd, root ? root : w->fn_name, steps, n);
}

/* "'a' -> 'b' -> 'c' -> 'a'", starting at edge `first`. */
static void cycle_text(const struct ll_view *v, const struct ll_lg_cycle *c, uint32_t first,
                       char *buf, size_t len)
{
    const struct ll_lockgraph *g = ll_view_lockgraph(v);
    size_t off = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i <= c->n && off < len; i++) {
        const struct ll_lg_edge *e = &g->edges[c->edges[(first + i) % c->n]];
        off += (size_t)snprintf(buf + off, len - off, "%s'%s'", i ? " -> " : "", e->w.outer_text);
    }
}

/* The finding already reported at `site` (cycles found so far), or NULL. */
static struct ll_finding *at_site(struct ll_finding **found, size_t n, const struct ll_site *site,
                                  bool note)
{
    for (size_t i = 0; i < n; i++)
        if (found[i]->primary.line == site->line && found[i]->primary.col == site->col &&
            (found[i]->severity == LL_SEV_NOTE) == note &&
            strcmp(found[i]->primary.file, site->file) == 0)
            return found[i];
    return NULL;
}

/* The first edge of c that may not exist (seen only through a call
 * through a function pointer that can hold several functions, or through
 * a pointer that may point to several locks), or NULL. */
static const struct ll_lg_edge *doubtful_edge(const struct ll_lockgraph *g,
                                              const struct ll_lg_cycle *c)
{
    for (uint32_t k = 0; k < c->n; k++)
        if (ll_lg_witness_doubtful(&g->edges[c->edges[k]].w))
            return &g->edges[c->edges[k]];
    return NULL;
}

/* Says why the cycle through edge `doubt` may not happen. */
static void doubt_note(struct ll_rule_ctx *r, struct ll_finding *fd, const struct ll_lg_edge *doubt)
{
    const struct ll_lg_witness *w = &doubt->w;
    if (w->guessed)
        ll_diag_note(r, fd, &w->inner,
                     "'%s' is taken while holding '%s' only through a call that can go to "
                     "several functions (a function pointer that can hold several, or a "
                     "function several linked TUs define), resolved without context: the "
                     "cycle may not happen",
                     w->inner_text, w->outer_text);
    else if (w->may_outer)
        ll_diag_note(r, fd, &w->outer,
                     "'%s' may point to '%s' or to another lock: the cycle needs it to "
                     "point to '%s' here",
                     w->may_outer, w->outer_text, w->outer_text);
    else
        ll_diag_note(r, fd, &w->inner,
                     "'%s' may point to '%s' or to another lock: the cycle needs it to "
                     "point to '%s' here",
                     w->may_inner, w->inner_text, w->inner_text);
}

/*
 * One finding per site: cycles whose first acquisition is the same call or
 * lock (a call that takes several locks, each of which leads back) are
 * reported together, the extra cycles as notes.  `found` collects the
 * findings made so far (at most one per edge).
 */
static void report_cycle(const struct ll_view *v, const struct ll_lg_cycle *c,
                         struct ll_rule_ctx *r, struct ll_finding **found, size_t *nfound)
{
    const struct ll_lockgraph *g = ll_view_lockgraph(v);
    /* start at the edge with the first site: stable across runs */
    uint32_t first = 0;
    for (uint32_t k = 1; k < c->n; k++)
        if (site_before(edge_site(&g->edges[c->edges[k]]), edge_site(&g->edges[c->edges[first]])))
            first = k;
    const struct ll_lg_edge *e0 = &g->edges[c->edges[first]];
    const struct ll_lg_edge *doubt = doubtful_edge(g, c);
    struct ll_finding *fd = at_site(found, *nfound, edge_site(e0), doubt != NULL);
    bool grouped = fd != NULL;
    char text[1024];
    if (grouped) {
        cycle_text(v, c, first, text, sizeof(text));
        ll_diag_note(r, fd, edge_site(e0), "also closes the cycle %s", text);
    } else {
        char key[1024];
        const char *fmt =
            c->n == 2 ? "lock order inversion: '%s' acquired while holding '%s', and elsewhere "
                        "the other way round"
                      : "lock order inversion: '%s' acquired while holding '%s' closes a cycle of "
                        "locks";
        cycle_key(v, c, key, sizeof(key));
        fd = doubt ? ll_diag_sev(r, LL_SEV_NOTE, edge_site(e0), e0->w.fn_name, key, fmt,
                                 e0->w.inner_text, e0->w.outer_text)
                   : ll_diag(r, edge_site(e0), e0->w.fn_name, key, fmt, e0->w.inner_text,
                             e0->w.outer_text);
        if (!fd)
            return;
        found[(*nfound)++] = fd;
        if (doubt)
            doubt_note(r, fd, doubt);
    }
    for (uint32_t i = 0; i < c->n; i++) {
        const struct ll_lg_edge *e = &g->edges[c->edges[(first + i) % c->n]];
        edge_notes(v, e, r, fd, i == 0 && !grouped);
        add_flow(v, e, r, fd);
    }
}

/* Whether identifier `var` occurs in `text` as a whole word. */
static bool mentions(const char *text, const char *var)
{
    size_t n = strlen(var);
    for (const char *p = text ? strstr(text, var) : NULL; p; p = strstr(p + 1, var)) {
        bool left =
            p == text || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
                           (p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= '0' && p[-1] <= '9'));
        char c = p[n];
        bool right = !(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                       (c >= '0' && c <= '9'));
        if (left && right)
            return true;
    }
    return false;
}

/* A nesting of one class is ordered when the function compares variables
 * of both locks' spellings with < or >. */
static bool is_param(const struct ll_function *fn, const char *var)
{
    for (uint32_t i = 0; i < fn->nparams; i++)
        if (fn->params[i] && strcmp(fn->params[i], var) == 0)
            return true;
    return false;
}

/* `from < to` over two parameters: the usual way to pick which of two
 * locks passed in goes first (into locals such as `first`/`second`). */
static bool compares_params(const struct ll_function *fn, const struct ll_cond *c)
{
    if (c->nvars < 2)
        return false;
    for (uint32_t i = 0; i < c->nvars; i++)
        if (!is_param(fn, c->vars[i]))
            return false;
    return true;
}

static bool address_ordered(const struct ll_view *v, const struct ll_lg_edge *e)
{
    const struct ll_function *fn = ll_fn_ir(ll_view_fn(v, e->w.fn));
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        const struct ll_cond *c = &fn->blocks[b].cond;
        if (!c->text || (!strchr(c->text, '<') && !strchr(c->text, '>')))
            continue;
        if (compares_params(fn, c))
            return true;
        bool in_outer = false, in_inner = false;
        for (uint32_t i = 0; i < c->nvars; i++) {
            in_outer = in_outer || mentions(e->w.outer_text, c->vars[i]);
            in_inner = in_inner || mentions(e->w.inner_text, c->vars[i]);
        }
        if (in_outer && in_inner)
            return true;
    }
    return false;
}

/* A class as users write it: "file.c:forks[]" (a file-static array) is
 * shown as "forks[]". */
static void display_class(const char *cls, char *buf, size_t len)
{
    const char *colon = strchr(cls, ':');
    const char *bracket = strchr(cls, '[');
    if (colon && (!bracket || colon < bracket) && strncmp(cls, "struct ", 7) != 0)
        cls = colon + 1;
    snprintf(buf, len, "%s", cls);
}

static void report_same_class(const struct ll_view *v, const struct ll_lg_edge *e,
                              struct ll_rule_ctx *r)
{
    const struct ll_lockgraph *g = ll_view_lockgraph(v);
    char cls[256];
    display_class(g->nodes[e->from].text, cls, sizeof(cls));
    char key[512];
    snprintf(key, sizeof(key), "%s,%s", cls, e->w.fn_name);
    struct ll_finding *fd;
    if (e->runtime_order || e->nroles < 2)
        fd = ll_diag(r, edge_site(e), e->w.fn_name, key,
                     "'%s' acquired while holding '%s', another lock of class '%s': the order "
                     "depends on runtime values",
                     e->w.inner_text, e->w.outer_text, cls);
    else /* every nesting takes the two through different paths, in one order */
        fd = ll_diag_sev(r, LL_SEV_NOTE, edge_site(e), e->w.fn_name, key,
                         "'%s' acquired while holding '%s', another lock of class '%s' reached "
                         "another way ('%s' before '%s' wherever two are nested): a fixed order "
                         "unless code not analysed nests them the other way round",
                         e->w.inner_text, e->w.outer_text, cls, e->roles[0], e->roles[1]);
    if (!fd)
        return;
    edge_notes(v, e, r, fd, true);
    add_flow(v, e, r, fd);
}

/* Whether a lock-graph node answers to a name used in the configuration:
 * its object ("alice.lock", "g_lock") or its class ("struct conn.lock"). */
static bool named(const struct ll_view *v, uint32_t node, const struct ll_lg_edge *e, bool outer,
                  const char *name)
{
    const struct ll_lockgraph *g = ll_view_lockgraph(v);
    const struct ll_lg_node *n = &g->nodes[node];
    char cls[256];
    display_class(n->cls ? n->cls : "", cls, sizeof(cls));
    const char *text = outer ? e->w.outer_text : e->w.inner_text;
    return strcmp(n->text, name) == 0 || strcmp(cls, name) == 0 ||
           (text && strcmp(text, name) == 0);
}

/* Whether the declarations put `a` before `b` (directly or through a chain). */
static bool declared_before(const struct ll_view *v, const char *a, const char *b, size_t depth,
                            const struct ll_order_decl **via)
{
    size_t norder;
    const struct ll_order_decl *order = ll_view_order(v, &norder);
    for (size_t i = 0; i < norder && depth < 16; i++) {
        if (strcmp(order[i].first, a) != 0)
            continue;
        if (strcmp(order[i].second, b) == 0 ||
            declared_before(v, order[i].second, b, depth + 1, via)) {
            if (!*via)
                *via = &order[i];
            return true;
        }
    }
    return false;
}

/* An edge outer -> inner where the configuration says inner comes first. */
static void check_declared(const struct ll_view *v, const struct ll_lg_edge *e,
                           struct ll_rule_ctx *r)
{
    size_t norder;
    const struct ll_order_decl *order = ll_view_order(v, &norder);
    for (size_t i = 0; i < norder; i++) {
        for (size_t j = 0; j < norder; j++) {
            const char *inner = order[i].first, *outer = order[j].second;
            const struct ll_order_decl *via = NULL;
            if (!named(v, e->to, e, false, inner) || !named(v, e->from, e, true, outer) ||
                !declared_before(v, inner, outer, 0, &via))
                continue;
            char key[512];
            snprintf(key, sizeof(key), "%s,%s,%s", inner, outer, e->w.fn_name);
            struct ll_finding *fd = ll_diag(
                r, edge_site(e), e->w.fn_name, key,
                "'%s' acquired while holding '%s', against the declared order '%s' before '%s'",
                e->w.inner_text, e->w.outer_text, inner, outer);
            if (!fd)
                return;
            edge_notes(v, e, r, fd, true);
            if (via && via->site.file)
                ll_diag_note(r, fd, &via->site, "the order '%s' before '%s' is declared here",
                             via->first, via->second);
            return;
        }
    }
}

static void check(const struct ll_view *v, struct ll_rule_ctx *r)
{
    const struct ll_lockgraph *g = ll_view_lockgraph(v);
    size_t norder, ncycles;
    const struct ll_lg_cycle *cycles = ll_view_cycles(v, &ncycles);
    ll_view_order(v, &norder);
    for (uint32_t i = 0; i < g->nedges && norder; i++)
        check_declared(v, &g->edges[i], r);
    struct ll_finding **found = calloc(ncycles + 1, sizeof(*found));
    size_t nfound = 0;
    if (!found) {
        ll_diag_oom(r);
        return;
    }
    uint32_t longest = 0;
    for (size_t i = 0; i < ncycles; i++)
        if (cycles[i].n > longest)
            longest = cycles[i].n;
    /* shortest cycles first: a grouped finding is worded after its simplest */
    for (size_t pass = 0; pass < ncycles * (size_t)longest; pass++) {
        const struct ll_lg_cycle *c = &cycles[pass % ncycles];
        if (c->n != 2 + pass / ncycles)
            continue;
        if (cycle_parallel(v, c) && !gated(v, c))
            report_cycle(v, c, r, found, &nfound);
    }
    free(found);
    for (uint32_t i = 0; i < g->nedges; i++) {
        const struct ll_lg_edge *e = &g->edges[i];
        if (e->same_class && edges_parallel(v, e->roots, e->roots) && !address_ordered(v, e))
            report_same_class(v, e, r);
    }
}

const struct ll_rule ll_rule_lock_order_inversion = {
    "lock-order-inversion", "locks taken in opposite orders by threads that run concurrently", doc,
    LL_SEV_WARNING, check};
