/*
 * lockgraph: nodes and edges in arrays with string-keyed indices; cycles by
 * strongly connected components (scc.h) and a breadth-first search per
 * edge.
 */
#include "lockgraph.h"

#include "bitset.h"
#include "scc.h"
#include "summary.h"

#include <stdlib.h>
#include <string.h>

void ll_lockgraph_init(struct ll_lockgraph *g, uint32_t root_words)
{
    memset(g, 0, sizeof(*g));
    ll_arena_init(&g->arena);
    ll_strmap_init(&g->node_by_id);
    ll_strmap_init(&g->edge_by_pair);
    g->root_words = root_words ? root_words : 1;
}

void ll_lockgraph_release(struct ll_lockgraph *g)
{
    free(g->nodes);
    free(g->edges);
    ll_strmap_release(&g->node_by_id);
    ll_strmap_release(&g->edge_by_pair);
    ll_arena_release(&g->arena);
    memset(g, 0, sizeof(*g));
}

const char *ll_lockgraph_id(struct ll_lockgraph *g, const struct ll_path *p)
{
    if (ll_path_concrete(p))
        return ll_arena_printf(&g->arena, "K:%s%s%s", p->root_usr ? p->root_usr : "",
                               p->root_usr ? "/" : "", p->key ? p->key : "?");
    return ll_arena_printf(&g->arena, "C:%s", p->cls ? ll_path_emb(p) : "?");
}

static long node_for(struct ll_lockgraph *g, const struct ll_path *p)
{
    const char *id = ll_lockgraph_id(g, p);
    if (!id)
        return -1;
    size_t v = ll_strmap_get(&g->node_by_id, id);
    if (v != (size_t)-1)
        return (long)v;
    if (g->nnodes == g->capnodes) {
        uint32_t cap = g->capnodes ? g->capnodes * 2 : 32;
        struct ll_lg_node *n = realloc(g->nodes, cap * sizeof(*n));
        if (!n)
            return -1;
        g->nodes = n;
        g->capnodes = cap;
    }
    struct ll_lg_node *n = &g->nodes[g->nnodes];
    n->id = id;
    n->concrete = ll_path_concrete(p);
    n->text = n->concrete ? p->text : ll_path_emb(p);
    n->cls = p->cls;
    n->emb = p->emb;
    if (ll_strmap_put(&g->node_by_id, id, g->nnodes) < 0)
        return -1;
    return (long)g->nnodes++;
}

static void intersect_gates(struct ll_lg_edge *e, const char *const *held, size_t nheld)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < e->ngates; i++) {
        bool keep = false;
        for (size_t j = 0; j < nheld && !keep; j++)
            keep = strcmp(e->gates[i], held[j]) == 0;
        if (keep)
            e->gates[k++] = e->gates[i];
    }
    e->ngates = k;
}

/* ---- roles of same-class nestings --------------------------------- */

static bool ident_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A lock's role: its spelling without the root variable (and any leading
 * `*`, `&`, `(`), every index as `[]`: `ls->poll->lock` -> `->poll->lock`,
 * `forks[(i+1)%N]` -> `[]`.  NULL when out of memory. */
static const char *role_of(struct ll_arena *a, const char *text)
{
    const char *p = text ? text : "";
    while (*p == '*' || *p == '&' || *p == '(' || *p == ' ')
        p++;
    while (ident_char(*p))
        p++;
    size_t n = strlen(p);
    char *out = ll_arena_alloc_raw(a, n + 1);
    if (!out)
        return NULL;
    size_t k = 0, depth = 0;
    for (; *p; p++) {
        if (*p == '[') {
            if (depth++ == 0) {
                out[k++] = '[';
                out[k++] = ']';
            }
        } else if (*p == ']' && depth) {
            depth--;
        } else if (!depth && *p != ')' && *p != ' ') {
            out[k++] = *p;
        }
    }
    out[k] = '\0';
    return out;
}

/* Adds the nesting of role `ro` (outer) and `ri` (inner) to a same-class
 * edge's pairs. */
static void add_role_pair(struct ll_lg_edge *e, const char *ro, const char *ri)
{
    if (e->runtime_order)
        return;
    if (!ro || !ri || strcmp(ro, ri) == 0) {
        e->runtime_order = true;
        return;
    }
    for (uint8_t i = 0; i < e->nroles; i += 2) {
        if (strcmp(e->roles[i], ro) == 0 && strcmp(e->roles[i + 1], ri) == 0)
            return;
        if (strcmp(e->roles[i], ri) == 0 && strcmp(e->roles[i + 1], ro) == 0) {
            e->runtime_order = true; /* both ways round */
            return;
        }
    }
    if (e->nroles == 2 * LL_LG_MAX_ROLE_PAIRS) {
        e->runtime_order = true;
        return;
    }
    e->roles[e->nroles++] = ro;
    e->roles[e->nroles++] = ri;
}

static void note_roles(struct ll_lockgraph *g, struct ll_lg_edge *e, const struct ll_lg_witness *w)
{
    add_role_pair(e, role_of(&g->arena, w->outer_text), role_of(&g->arena, w->inner_text));
}

/* Merges the role pairs of same-class edge `from` into `into`. */
static void merge_roles(struct ll_lg_edge *into, const struct ll_lg_edge *from)
{
    into->runtime_order = into->runtime_order || from->runtime_order;
    for (uint8_t i = 0; i + 1 < from->nroles; i += 2)
        add_role_pair(into, from->roles[i], from->roles[i + 1]);
}

int ll_lockgraph_add(struct ll_lockgraph *g, const struct ll_path *outer,
                     const struct ll_path *inner, const struct ll_lg_witness *w,
                     const char *const *held, size_t nheld, const uint64_t *roots)
{
    long a = node_for(g, outer), b = node_for(g, inner);
    if (a < 0 || b < 0)
        return -1;
    bool same_class = false;
    if (a == b) {
        /* one object, or one class with the same instance path: a double
         * lock, not an ordering */
        if (g->nodes[a].concrete || !outer->key || !inner->key ||
            strcmp(outer->key, inner->key) == 0 || w->may_outer || w->may_inner)
            return 0;
        same_class = true;
    }
    char *pair = ll_arena_printf(&g->arena, "%ld>%ld", a, b);
    if (!pair)
        return -1;
    size_t ei = ll_strmap_get(&g->edge_by_pair, pair);
    struct ll_lg_edge *e;
    if (ei == (size_t)-1) {
        if (g->nedges == g->capedges) {
            uint32_t cap = g->capedges ? g->capedges * 2 : 64;
            struct ll_lg_edge *v = realloc(g->edges, cap * sizeof(*v));
            if (!v)
                return -1;
            g->edges = v;
            g->capedges = cap;
        }
        e = &g->edges[g->nedges];
        memset(e, 0, sizeof(*e));
        e->from = (uint32_t)a;
        e->to = (uint32_t)b;
        e->w = *w;
        e->same_class = same_class;
        e->roots = ll_arena_alloc(&g->arena, g->root_words * sizeof(uint64_t));
        e->gates = ll_arena_alloc(&g->arena, (nheld + 1) * sizeof(*e->gates));
        if (!e->roots || !e->gates || ll_strmap_put(&g->edge_by_pair, pair, g->nedges) < 0)
            return -1;
        const char *from_id = g->nodes[a].id;
        for (size_t i = 0; i < nheld; i++)
            if (strcmp(held[i], from_id) != 0)
                e->gates[e->ngates++] = held[i];
        g->nedges++;
    } else {
        e = &g->edges[ei];
        intersect_gates(e, held, nheld);
        /* one sure occurrence makes the edge sure, and its witness */
        if (ll_lg_witness_doubtful(&e->w) && !ll_lg_witness_doubtful(w))
            e->w = *w;
    }
    if (same_class)
        note_roles(g, e, w);
    e->count++;
    if (roots)
        ll_bitset_or(e->roots, roots, g->root_words);
    return 0;
}

bool ll_lg_witness_doubtful(const struct ll_lg_witness *w)
{
    return w->guessed || w->may_outer || w->may_inner;
}

/* ---- classes that may be one object -------------------------------- */

static uint32_t find_rep(uint32_t *rep, uint32_t v)
{
    while (rep[v] != v)
        v = rep[v] = rep[rep[v]];
    return v;
}

static bool class_node_aliases(const struct ll_lg_node *a, const struct ll_lg_node *b)
{
    return !a->concrete && !b->concrete && a->cls && b->cls &&
           ll_class_may_alias(a->cls, a->emb ? a->emb : a->cls, b->cls, b->emb ? b->emb : b->cls);
}

/* Rebuilds the edges over the merged nodes: `to` gives each old node's new
 * index; node_by_id still maps the old ids (the gates) to old indices. */
static int remap_edges(struct ll_lockgraph *g, const uint32_t *to)
{
    struct ll_lg_edge *old = g->edges;
    uint32_t nold = g->nedges;
    g->edges = NULL;
    g->nedges = g->capedges = 0;
    ll_strmap_release(&g->edge_by_pair);
    ll_strmap_init(&g->edge_by_pair);
    int rc = -1;
    for (uint32_t i = 0; i < nold; i++) {
        struct ll_lg_edge e = old[i];
        uint32_t a = to[e.from], b = to[e.to];
        /* gates by their new ids */
        uint32_t k = 0;
        for (uint32_t j = 0; j < e.ngates; j++) {
            size_t v = ll_strmap_get(&g->node_by_id, e.gates[j]);
            const char *id = v == (size_t)-1 ? e.gates[j] : g->nodes[to[v]].id;
            if (v != (size_t)-1 && to[v] == a)
                continue;
            e.gates[k++] = id;
        }
        e.ngates = k;
        char *pair = ll_arena_printf(&g->arena, "%u>%u", a, b);
        if (!pair)
            goto out;
        size_t ei = ll_strmap_get(&g->edge_by_pair, pair);
        if (ei != (size_t)-1) {
            struct ll_lg_edge *m = &g->edges[ei];
            if (a == b) {
                if (!e.same_class)
                    note_roles(g, &e, &e.w);
                merge_roles(m, &e);
            }
            intersect_gates(m, e.gates, e.ngates);
            if (ll_lg_witness_doubtful(&m->w) && !ll_lg_witness_doubtful(&e.w))
                m->w = e.w;
            m->count += e.count;
            ll_bitset_or(m->roots, e.roots, g->root_words);
            continue;
        }
        if (g->nedges == g->capedges) {
            uint32_t cap = g->capedges ? g->capedges * 2 : 64;
            struct ll_lg_edge *v = realloc(g->edges, cap * sizeof(*v));
            if (!v)
                goto out;
            g->edges = v;
            g->capedges = cap;
        }
        if (a == b && !e.same_class)
            note_roles(g, &e, &e.w); /* two classes that became one */
        e.same_class = e.same_class || a == b;
        e.from = a;
        e.to = b;
        if (ll_strmap_put(&g->edge_by_pair, pair, g->nedges) < 0)
            goto out;
        g->edges[g->nedges++] = e;
    }
    rc = 0;
out:
    free(old);
    return rc;
}

int ll_lockgraph_merge_aliases(struct ll_lockgraph *g)
{
    uint32_t n = g->nnodes;
    uint32_t *rep = malloc((n + 1) * sizeof(*rep)), *to = malloc((n + 1) * sizeof(*to));
    struct ll_strmap by_cls;
    ll_strmap_init(&by_cls);
    int rc = -1;
    bool merged = false;
    if (!rep || !to)
        goto out;
    for (uint32_t v = 0; v < n; v++)
        rep[v] = v;
    /* nodes of one plain class, chained through `to` from the first */
    for (uint32_t v = 0; v < n; v++) {
        to[v] = UINT32_MAX;
        if (g->nodes[v].concrete || !g->nodes[v].cls)
            continue;
        size_t first = ll_strmap_get(&by_cls, g->nodes[v].cls);
        if (first == (size_t)-1) {
            if (ll_strmap_put(&by_cls, g->nodes[v].cls, v) < 0)
                goto out;
            continue;
        }
        uint32_t last = (uint32_t)first;
        while (to[last] != UINT32_MAX)
            last = to[last];
        to[last] = v;
        for (uint32_t u = (uint32_t)first; u != v; u = to[u])
            if (class_node_aliases(&g->nodes[u], &g->nodes[v]) &&
                find_rep(rep, u) != find_rep(rep, v)) {
                rep[find_rep(rep, v)] = find_rep(rep, u);
                merged = true;
            }
    }
    if (!merged) {
        rc = 0;
        goto out;
    }
    /* each merged node is named by its shortest embedding path */
    for (uint32_t v = 0; v < n; v++) {
        uint32_t r = find_rep(rep, v);
        if (r != v && strlen(g->nodes[v].text) < strlen(g->nodes[r].text)) {
            g->nodes[r].id = g->nodes[v].id;
            g->nodes[r].text = g->nodes[v].text;
            g->nodes[r].emb = g->nodes[v].emb;
        }
    }
    /* new indices: representatives in their order */
    uint32_t m = 0;
    for (uint32_t v = 0; v < n; v++)
        if (find_rep(rep, v) == v)
            to[v] = m++;
    for (uint32_t v = 0; v < n; v++)
        to[v] = to[find_rep(rep, v)];
    /* the old ids must still find their nodes while the gates are remapped */
    struct ll_lg_node *nodes = malloc((m + 1) * sizeof(*nodes));
    if (!nodes)
        goto out;
    for (uint32_t v = 0; v < n; v++)
        if (find_rep(rep, v) == v)
            nodes[to[v]] = g->nodes[v];
    struct ll_lg_node *old_nodes = g->nodes;
    g->nodes = nodes;
    rc = remap_edges(g, to);
    free(old_nodes);
    g->nnodes = g->capnodes = m;
    ll_strmap_release(&g->node_by_id);
    ll_strmap_init(&g->node_by_id);
    for (uint32_t v = 0; v < m && rc == 0; v++)
        if (ll_strmap_put(&g->node_by_id, g->nodes[v].id, v) < 0)
            rc = -1;
out:
    ll_strmap_release(&by_cls);
    free(rep);
    free(to);
    return rc;
}

/* ---- cycles -------------------------------------------------------- */

struct adj {
    uint32_t *start; /* per node: first index into `edge` */
    uint32_t *edge;  /* edge indices grouped by source node */
};

static int build_adj(const struct ll_lockgraph *g, struct adj *adj)
{
    adj->start = calloc(g->nnodes + 2, sizeof(uint32_t));
    adj->edge = malloc((g->nedges + 1) * sizeof(uint32_t));
    if (!adj->start || !adj->edge)
        return -1;
    for (uint32_t e = 0; e < g->nedges; e++)
        adj->start[g->edges[e].from + 1]++;
    for (uint32_t v = 0; v < g->nnodes; v++)
        adj->start[v + 1] += adj->start[v];
    uint32_t *fill = calloc(g->nnodes + 1, sizeof(uint32_t));
    if (!fill)
        return -1;
    for (uint32_t e = 0; e < g->nedges; e++) {
        uint32_t v = g->edges[e].from;
        adj->edge[adj->start[v] + fill[v]++] = e;
    }
    free(fill);
    return 0;
}

struct walk {
    const struct ll_lockgraph *g;
    const struct adj *adj;
};

static uint32_t out_degree(const void *ctx, uint32_t v)
{
    const struct walk *w = ctx;
    return w->adj->start[v + 1] - w->adj->start[v];
}

static uint32_t out_node(const void *ctx, uint32_t v, uint32_t i)
{
    const struct walk *w = ctx;
    return w->g->edges[w->adj->edge[w->adj->start[v] + i]].to;
}

static int components(const struct ll_lockgraph *g, const struct adj *adj, uint32_t *comp)
{
    struct walk w = {g, adj};
    struct ll_scc_graph sg = {g->nnodes, out_degree, out_node, &w};
    return ll_scc_find(&sg, comp, NULL, NULL) < 0 ? -1 : 0;
}

/* Shortest path from `src` to `dst` inside component c, as edge indices
 * written backwards into path; returns its length or 0. */
static uint32_t shortest(const struct ll_lockgraph *g, const struct adj *adj, const uint32_t *comp,
                         uint32_t src, uint32_t dst, uint32_t *via, uint32_t *queue, uint32_t *path)
{
    for (uint32_t i = 0; i < g->nnodes; i++)
        via[i] = UINT32_MAX;
    uint32_t head = 0, tail = 0;
    queue[tail++] = src;
    via[src] = UINT32_MAX - 1;
    while (head < tail && via[dst] == UINT32_MAX) {
        uint32_t v = queue[head++];
        for (uint32_t k = adj->start[v]; k < adj->start[v + 1]; k++) {
            const struct ll_lg_edge *e = &g->edges[adj->edge[k]];
            if (e->same_class || comp[e->to] != comp[src] || via[e->to] != UINT32_MAX)
                continue;
            via[e->to] = adj->edge[k];
            queue[tail++] = e->to;
        }
    }
    if (via[dst] == UINT32_MAX || src == dst)
        return 0;
    uint32_t n = 0;
    for (uint32_t v = dst; v != src; v = g->edges[via[v]].from)
        path[n++] = via[v];
    return n;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int ll_lockgraph_cycles(struct ll_lockgraph *g, size_t max, struct ll_lg_cycle **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    struct adj adj = {NULL, NULL};
    uint32_t n = g->nnodes;
    uint32_t *comp = malloc((n + 1) * sizeof(*comp)), *via = malloc((n + 1) * sizeof(*via));
    uint32_t *queue = malloc((n + 1) * sizeof(*queue)), *path = malloc((n + 2) * sizeof(*path));
    uint32_t *nodes = malloc((n + 2) * sizeof(*nodes));
    struct ll_strmap seen;
    ll_strmap_init(&seen);
    size_t cap = 16;
    struct ll_lg_cycle *cyc = ll_arena_alloc(&g->arena, cap * sizeof(*cyc));
    int rc = -1;
    if (!comp || !via || !queue || !path || !nodes || !cyc || build_adj(g, &adj) != 0 ||
        components(g, &adj, comp) != 0)
        goto out;
    for (uint32_t e = 0; e < g->nedges && *nout < max; e++) {
        const struct ll_lg_edge *ed = &g->edges[e];
        if (ed->same_class || comp[ed->from] != comp[ed->to])
            continue;
        /* the cycle: e, then the shortest way back from e.to to e.from */
        uint32_t len = shortest(g, &adj, comp, ed->to, ed->from, via, queue, path);
        if (len == 0)
            continue;
        uint32_t *edges = ll_arena_alloc(&g->arena, (len + 1) * sizeof(uint32_t));
        if (!edges)
            goto out;
        edges[0] = e;
        for (uint32_t i = 0; i < len; i++)
            edges[i + 1] = path[len - 1 - i];
        /* dedupe by the sorted node set */
        for (uint32_t i = 0; i <= len; i++)
            nodes[i] = g->edges[edges[i]].from;
        qsort(nodes, len + 1, sizeof(*nodes), cmp_u32);
        char *key = ll_arena_alloc(&g->arena, (len + 1) * 11 + 1);
        if (!key)
            goto out;
        size_t off = 0;
        for (uint32_t i = 0; i <= len; i++)
            off += (size_t)snprintf(key + off, 12, "%u,", nodes[i]);
        int put = ll_strmap_put(&seen, key, *nout);
        if (put < 0)
            goto out;
        if (put == 1)
            continue;
        if (*nout == cap) {
            struct ll_lg_cycle *bigger = ll_arena_alloc(&g->arena, cap * 2 * sizeof(*bigger));
            if (!bigger)
                goto out;
            memcpy(bigger, cyc, cap * sizeof(*cyc));
            cyc = bigger;
            cap *= 2;
        }
        cyc[*nout].n = len + 1;
        cyc[*nout].edges = edges;
        (*nout)++;
    }
    *out = cyc;
    rc = 0;
out:
    ll_strmap_release(&seen);
    free(adj.start);
    free(adj.edge);
    free(comp);
    free(via);
    free(queue);
    free(path);
    free(nodes);
    return rc;
}

/* ---- Graphviz ------------------------------------------------------ */

static void dot_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        if (*s == '\n')
            fputs("\\n", out);
        else
            fputc(*s, out);
    }
    fputc('"', out);
}

int ll_lockgraph_write_dot(FILE *out, const struct ll_lockgraph *g, const struct ll_lg_cycle *c,
                           size_t nc)
{
    bool *hot = calloc(g->nedges + 1, sizeof(*hot));
    if (!hot)
        return -1;
    for (size_t i = 0; i < nc; i++)
        for (uint32_t k = 0; k < c[i].n; k++)
            hot[c[i].edges[k]] = true;
    fputs("digraph lockorder {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n", out);
    for (uint32_t v = 0; v < g->nnodes; v++) {
        char label[512];
        snprintf(label, sizeof(label), "%s%s%s", g->nodes[v].text, g->nodes[v].concrete ? "\n" : "",
                 g->nodes[v].concrete ? g->nodes[v].cls : "");
        fprintf(out, "  n%u [label=", v);
        dot_string(out, label);
        fputs("];\n", out);
    }
    for (uint32_t e = 0; e < g->nedges; e++) {
        const struct ll_lg_edge *ed = &g->edges[e];
        char label[512];
        const char *file = ed->w.inner.file ? ed->w.inner.file : "?";
        const char *base = strrchr(file, '/');
        snprintf(label, sizeof(label), "%u× %s\n%s:%u", ed->count, ed->w.fn_name,
                 base ? base + 1 : file, ed->w.inner.line);
        fprintf(out, "  n%u -> n%u [label=", ed->from, ed->to);
        dot_string(out, label);
        fputs(hot[e] ? ", color=red, penwidth=2" : "", out);
        fputs(ed->same_class ? ", style=dashed" : "", out);
        fputs("];\n", out);
    }
    fputs("}\n", out);
    free(hot);
    return ferror(out) ? -1 : 0;
}
