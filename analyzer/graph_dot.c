/*
 * graph_dot: see graph_dot.h.  Colours cycle through a fixed palette, so a
 * graph with many cycles repeats them; the edge labels ("C3") stay unique.
 */
#include "graph_dot.h"

#include "project.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const palette[] = {"red",   "blue",     "darkgreen", "purple", "darkorange",
                                      "brown", "deeppink", "darkcyan",  "olive"};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

static void dot_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; s && *s; s++) {
        if (*s == '\n') {
            fputs("\\n", out);
            continue;
        }
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static const char *shown(const char *file, const char *root)
{
    return file ? ll_project_rel(root, file) : "?";
}

struct node_file {
    uint32_t node;
    const char *file;
};

static int by_file(const void *a, const void *b)
{
    const struct node_file *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    return c ? c : (x->node > y->node) - (x->node < y->node);
}

/* "C1,C4" for the cycles holding edge e, into buf. */
static void cycle_names(const struct ll_lg_cycle *c, size_t nc, uint32_t e, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < nc && used + 16 < len; i++)
        for (uint32_t k = 0; k < c[i].n; k++)
            if (c[i].edges[k] == e) {
                used += (size_t)snprintf(buf + used, len - used, "%sC%zu", used ? "," : "", i + 1);
                break;
            }
}

static void legend(FILE *out, bool all, size_t nlocks, size_t nedges, size_t ncycles, size_t hidden)
{
    fputs("  subgraph cluster_legend {\n    label=\"legend\"; fontname=\"sans\"; color=grey;\n"
          "    legend [shape=plaintext, fontname=\"sans\", label=<<table border=\"0\" "
          "cellspacing=\"3\">\n",
          out);
    fprintf(out,
            "      <tr><td align=\"left\"><b>%zu lock%s, %zu nesting edge%s, %zu cycle%s</b>%s</td>"
            "</tr>\n",
            nlocks, nlocks == 1 ? "" : "s", nedges, nedges == 1 ? "" : "s", ncycles,
            ncycles == 1 ? "" : "s",
            hidden && !all ? " (edges on no cycle left out: --graph-all shows them)" : "");
    fputs("      <tr><td align=\"left\">A &#8594; B: B acquired while A is held; the label names "
          "the function and where B is taken</td></tr>\n"
          "      <tr><td align=\"left\"><font color=\"red\"><b>coloured, C1</b></font>: the "
          "edge lies on lock-order cycle 1, a potential deadlock (one colour per "
          "cycle)</td></tr>\n"
          "      <tr><td align=\"left\">dashed: two locks of one class nested (the order "
          "depends on runtime values)</td></tr>\n",
          out);
    if (all)
        fputs("      <tr><td align=\"left\"><font color=\"grey50\">grey</font>: an order on no "
              "cycle</td></tr>\n",
              out);
    fputs("      <tr><td align=\"left\">box: one lock object; ellipse: a class of locks (every "
          "object of a struct field or array)</td></tr>\n"
          "      <tr><td align=\"left\">frame: the file where the lock is first taken</td></tr>\n"
          "    </table>>];\n  }\n",
          out);
}

int ll_graph_write_dot(FILE *out, const struct ll_lockgraph *g, const struct ll_lg_cycle *c,
                       size_t nc, const char *root, bool all)
{
    int32_t *cyc = malloc((g->nedges + 1) * sizeof(*cyc));
    bool *keep_node = calloc(g->nnodes + 1, sizeof(*keep_node));
    const char **file = calloc(g->nnodes + 1, sizeof(*file));
    struct node_file *nf = calloc(g->nnodes + 1, sizeof(*nf));
    int rc = -1;
    if (!cyc || !keep_node || !file || !nf)
        goto out;
    for (uint32_t e = 0; e < g->nedges; e++)
        cyc[e] = -1;
    for (size_t i = nc; i-- > 0;)
        for (uint32_t k = 0; k < c[i].n; k++)
            cyc[c[i].edges[k]] = (int32_t)i; /* the first cycle wins */
    size_t nkept = 0, hidden = 0;
    for (uint32_t e = 0; e < g->nedges; e++) {
        const struct ll_lg_edge *ed = &g->edges[e];
        if (!all && cyc[e] < 0 && !ed->same_class) {
            hidden++;
            continue;
        }
        nkept++;
        keep_node[ed->from] = keep_node[ed->to] = true;
        if (!file[ed->from])
            file[ed->from] = shown(ed->w.outer.file, root);
        if (!file[ed->to])
            file[ed->to] = shown(ed->w.inner.file, root);
    }
    size_t n = 0;
    for (uint32_t v = 0; v < g->nnodes; v++)
        if (keep_node[v]) {
            nf[n].node = v;
            nf[n++].file = file[v] ? file[v] : "?";
        }
    qsort(nf, n, sizeof(*nf), by_file);
    fputs("digraph lockorder {\n  rankdir=LR;\n  newrank=true;\n"
          "  node [shape=box, fontname=\"monospace\"];\n  edge [fontname=\"monospace\", "
          "fontsize=10];\n",
          out);
    for (size_t i = 0, cl = 0; i < n; cl++) {
        fprintf(out, "  subgraph cluster_%zu {\n    label=", cl);
        dot_string(out, nf[i].file);
        fputs("; fontname=\"monospace\"; style=rounded; color=grey60;\n", out);
        size_t j = i;
        for (; j < n && strcmp(nf[j].file, nf[i].file) == 0; j++) {
            const struct ll_lg_node *nd = &g->nodes[nf[j].node];
            char label[512];
            bool cls_line = nd->concrete && nd->cls && strcmp(nd->cls, nd->text) != 0;
            snprintf(label, sizeof(label), "%s%s%s", nd->text, cls_line ? "\n" : "",
                     cls_line ? nd->cls : "");
            fprintf(out, "    n%u [label=", nf[j].node);
            dot_string(out, label);
            fputs(nd->concrete ? "" : ", shape=ellipse", out);
            fputs("];\n", out);
        }
        fputs("  }\n", out);
        i = j;
    }
    for (uint32_t e = 0; e < g->nedges; e++) {
        const struct ll_lg_edge *ed = &g->edges[e];
        if (!all && cyc[e] < 0 && !ed->same_class)
            continue;
        char label[1024], names[128];
        const char *fn = ed->w.fn_name ? ed->w.fn_name : "?";
        char where[600];
        const char *in = shown(ed->w.inner.file, root), *slash = strrchr(in, '/');
        snprintf(where, sizeof(where), "%s:%u", slash ? slash + 1 : in, ed->w.inner.line);
        if (cyc[e] >= 0) {
            cycle_names(c, nc, e, names, sizeof(names));
            snprintf(label, sizeof(label), "%s: %s%s%s\n%s", names, fn, ed->w.via ? " > " : "",
                     ed->w.via ? ed->w.via : "", where);
        } else {
            snprintf(label, sizeof(label), "%u\xc3\x97 %s%s%s\n%s", ed->count, fn,
                     ed->w.via ? " > " : "", ed->w.via ? ed->w.via : "", where);
        }
        fprintf(out, "  n%u -> n%u [label=", ed->from, ed->to);
        dot_string(out, label);
        if (cyc[e] >= 0)
            fprintf(out, ", color=%s, fontcolor=%s, penwidth=2", palette[(size_t)cyc[e] % NPALETTE],
                    palette[(size_t)cyc[e] % NPALETTE]);
        else if (!ed->same_class)
            fputs(", color=grey60, fontcolor=grey40", out);
        fputs(ed->same_class ? ", style=dashed" : "", out);
        fputs("];\n", out);
    }
    legend(out, all, n, nkept, nc, hidden);
    fputs("}\n", out);
    rc = ferror(out) ? -1 : 0;
out:
    free(cyc);
    free(keep_node);
    free(file);
    free(nf);
    return rc;
}
