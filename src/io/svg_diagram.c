/*
 * svg_diagram.c — a plant as boxes and arrows, for the HTML report.
 *
 * Columns: a box's column is the length of the longest path to it from
 * the entries (raw material), so material flows left to right and
 * parallel stations share a column.  Loops (rework) would make "longest"
 * endless, so the edges that close a cycle in a depth-first walk from the
 * entries are left out of the layering and drawn as return arrows.
 *
 * Rows: each group (workshop) gets a horizontal lane, and groups that
 * follow one another share a lane, preferably the lane of the group that
 * feeds them most — so a production line reads as one lane from press
 * shop to final assembly, and a second line as a second lane.  Groups in
 * one lane never share a column, so their tinted backgrounds never
 * overlap.  Within a group's column, boxes sort by where their
 * predecessors sit, which keeps most arrows short and uncrossed.  A plant
 * without groups is one lane.
 *
 * Big plants stay legible by bounds, not by zoom: columns wrap into bands
 * of at most BAND_COLS, boxes shrink with the rows of their band down to a
 * floor, labels that no longer fit are left to the tooltip, and an arrow
 * into a later band becomes a numbered connector (a circle at each end)
 * instead of a line across the page.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "svg.h"

#define MARGIN 34                   /* room for entry and exit arrows    */
#define LEGEND_H 40
#define BAND_GAP 30
#define BAND_COLS 9
#define MIN_COL_W 112
#define MAX_COL_W 240
#define MAX_BAND_H 560.0
#define NO_BARY 1e9

static const char *const group_colors[] = {
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7f6a3a", "#666666"
};

/* Yellow-green-blue, light to dark.  Busy shares of real lines bunch
 * between 60 and 100 %, so the scale runs on u^2: most of its range goes
 * to the top half, where telling 75 % from 90 % matters. */
void svg_scale_color(char buf[8], double u)
{
    static const unsigned stops[] = {
        0xffffd9, 0xedf8b1, 0xc7e9b4, 0x7fcdbb, 0x41b6c4, 0x1d91c0, 0x225ea8, 0x253494, 0x081d58
    };
    if (!(u > 0)) u = 0;
    if (u > 1) u = 1;
    double p = u * u * 8;
    int i = (int)p;
    if (i >= 8) i = 7;
    double t = p - i;
    unsigned a = stops[i], b = stops[i + 1], rgb[3];
    for (int k = 0; k < 3; k++) {
        double ca = (a >> (16 - 8 * k)) & 0xff, cb = (b >> (16 - 8 * k)) & 0xff;
        rgb[k] = (unsigned)lround(ca + (cb - ca) * t);
    }
    snprintf(buf, 8, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

typedef struct layout {
    int n, ng, ncols, nbands, cpb, nlanes;
    int *depth, *back;              /* back: per edge                    */
    int *out_at, *out, *in_at, *in; /* edges by node (CSR)               */
    int *grp, *lane, *gmin, *gmax;  /* group of a node; lane and columns of a group */
    int *cnt;                       /* nodes per group and column        */
    int *work;                      /* 3n scratch                        */
    double *laneoff, *laneh;        /* per band and lane, in rows        */
    double *row, *key, *x, *y;
    double boxw, colw, left, *boxh, *pitch, *band_top, *band_h;
} layout;

static void layout_free(layout *L)
{
    free(L->depth); free(L->back); free(L->out_at); free(L->out); free(L->in_at); free(L->in);
    free(L->grp); free(L->lane); free(L->gmin); free(L->gmax); free(L->cnt); free(L->work);
    free(L->laneoff); free(L->laneh); free(L->row); free(L->key); free(L->x); free(L->y);
    free(L->boxh); free(L->pitch); free(L->band_top); free(L->band_h);
}

static int layout_alloc(layout *L, const dg_graph *g)
{
    size_t n = (size_t)g->n + 1, ne = (size_t)g->ne + 1, ng = (size_t)g->ngroups + 1;
    memset(L, 0, sizeof *L);
    L->n = g->n; L->ng = g->ngroups + 1;
    L->depth = calloc(n, sizeof *L->depth); L->back = calloc(ne, sizeof *L->back);
    L->out_at = calloc(n + 1, sizeof *L->out_at); L->out = calloc(ne, sizeof *L->out);
    L->in_at = calloc(n + 1, sizeof *L->in_at); L->in = calloc(ne, sizeof *L->in);
    L->grp = calloc(n, sizeof *L->grp); L->lane = calloc(ng, sizeof *L->lane);
    L->gmin = calloc(ng, sizeof *L->gmin); L->gmax = calloc(ng, sizeof *L->gmax);
    L->work = calloc(3 * n, sizeof *L->work);
    L->row = calloc(n, sizeof *L->row); L->key = calloc(n, sizeof *L->key);
    L->x = calloc(n, sizeof *L->x); L->y = calloc(n, sizeof *L->y);
    if (!L->depth || !L->back || !L->out_at || !L->out || !L->in_at || !L->in || !L->grp ||
        !L->lane || !L->gmin || !L->gmax || !L->work || !L->row || !L->key || !L->x || !L->y)
        return -1;
    for (int i = 0; i < g->n; i++) {
        int gr = g->nodes[i].group;
        L->grp[i] = gr >= 0 && gr < g->ngroups ? gr : g->ngroups;
    }
    for (int e = 0; e < g->ne; e++) { L->out_at[g->edges[e].from + 1]++; L->in_at[g->edges[e].to + 1]++; }
    for (int i = 0; i < g->n; i++) { L->out_at[i + 1] += L->out_at[i]; L->in_at[i + 1] += L->in_at[i]; }
    int *po = L->work, *pi = L->work + n;
    for (int i = 0; i < g->n; i++) { po[i] = L->out_at[i]; pi[i] = L->in_at[i]; }
    for (int e = 0; e < g->ne; e++) { L->out[po[g->edges[e].from]++] = e; L->in[pi[g->edges[e].to]++] = e; }
    return 0;
}

/* Mark the edges that close a cycle (depth-first from the entries, then
 * from nodes with no input, then from whatever was not reached). */
static void find_back_edges(const dg_graph *g, layout *L)
{
    int n = g->n, *state = L->work, *stack = L->work + n, *cur = L->work + 2 * n;
    memset(state, 0, (size_t)n * sizeof *state);
    for (int pass = 0; pass < 3; pass++)
        for (int r = 0; r < n; r++) {
            int root = pass == 0 ? g->nodes[r].entry : pass == 1 ? L->in_at[r + 1] == L->in_at[r] : 1;
            if (!root || state[r]) continue;
            int sp = 0;
            stack[sp++] = r; state[r] = 1; cur[r] = L->out_at[r];
            while (sp > 0) {
                int v = stack[sp - 1];
                if (cur[v] == L->out_at[v + 1]) { state[v] = 2; sp--; continue; }
                int e = L->out[cur[v]++], w = g->edges[e].to;
                if (state[w] == 1) L->back[e] = 1;
                else if (state[w] == 0) { state[w] = 1; cur[w] = L->out_at[w]; stack[sp++] = w; }
            }
        }
}

/* Longest path over the forward edges, in topological order (Kahn). */
static void assign_depths(const dg_graph *g, layout *L)
{
    int n = g->n, head = 0, tail = 0, *indeg = L->work, *queue = L->work + n;
    memset(indeg, 0, (size_t)n * sizeof *indeg);
    for (int e = 0; e < g->ne; e++) if (!L->back[e] && g->edges[e].from != g->edges[e].to) indeg[g->edges[e].to]++;
    for (int i = 0; i < n; i++) if (indeg[i] == 0) queue[tail++] = i;
    while (head < tail) {
        int v = queue[head++];
        for (int k = L->out_at[v]; k < L->out_at[v + 1]; k++) {
            int e = L->out[k], w = g->edges[e].to;
            if (L->back[e] || w == v) continue;
            if (L->depth[v] + 1 > L->depth[w]) L->depth[w] = L->depth[v] + 1;
            if (--indeg[w] == 0) queue[tail++] = w;
        }
    }
    L->ncols = 1;
    for (int i = 0; i < n; i++) if (L->depth[i] + 1 > L->ncols) L->ncols = L->depth[i] + 1;
    double usable = SVG_WIDTH - 2 * MARGIN;
    L->cpb = L->ncols;
    if (L->ncols * MIN_COL_W > usable) {
        int cols = (int)(usable / MIN_COL_W);
        if (cols > BAND_COLS) cols = BAND_COLS;
        int bands = (L->ncols + cols - 1) / cols;
        L->cpb = (L->ncols + bands - 1) / bands;
    }
    L->nbands = (L->ncols + L->cpb - 1) / L->cpb;
}

static int band_of(const layout *L, int i) { return L->depth[i] / L->cpb; }

/* The group that feeds group gr most, or -1. */
static int feeder(const dg_graph *g, const layout *L, int gr, int *votes)
{
    memset(votes, 0, (size_t)L->ng * sizeof *votes);
    int best = -1;
    for (int e = 0; e < g->ne; e++) {
        int u = g->edges[e].from, v = g->edges[e].to;
        if (L->back[e] || L->grp[v] != gr || L->grp[u] == gr) continue;
        if (++votes[L->grp[u]] > (best < 0 ? 0 : votes[best])) best = L->grp[u];
    }
    return best;
}

/* Lanes: groups in order of their first column, each into its feeder's
 * lane if that lane is free by then, else the first free lane. */
static int assign_lanes(const dg_graph *g, layout *L)
{
    int ng = L->ng;
    int *votes = malloc(3 * ((size_t)ng + 1) * sizeof *votes), *order = votes + ng + 1, *lane_end = order + ng + 1;
    L->cnt = calloc((size_t)ng * (size_t)L->ncols + 1, sizeof *L->cnt);
    if (!votes || !L->cnt) { free(votes); return -1; }
    for (int k = 0; k < ng; k++) { L->gmin[k] = L->ncols; L->gmax[k] = -1; L->lane[k] = -1; }
    for (int i = 0; i < g->n; i++) {
        int k = L->grp[i], c = L->depth[i];
        if (c < L->gmin[k]) L->gmin[k] = c;
        if (c > L->gmax[k]) L->gmax[k] = c;
        L->cnt[(size_t)k * L->ncols + c]++;
    }
    int m = 0;
    for (int k = 0; k < ng; k++) if (L->gmax[k] >= 0) order[m++] = k;
    for (int a = 1; a < m; a++)             /* insertion sort: few groups */
        for (int b = a; b > 0 && L->gmin[order[b]] < L->gmin[order[b - 1]]; b--) {
            int t = order[b]; order[b] = order[b - 1]; order[b - 1] = t;
        }
    L->nlanes = 0;
    for (int a = 0; a < m; a++) {
        int k = order[a], f = feeder(g, L, k, votes), ln = -1;
        if (f >= 0 && L->lane[f] >= 0 && lane_end[L->lane[f]] < L->gmin[k]) ln = L->lane[f];
        for (int l = 0; ln < 0 && l < L->nlanes; l++) if (lane_end[l] < L->gmin[k]) ln = l;
        if (ln < 0) ln = L->nlanes++;
        L->lane[k] = ln;
        lane_end[ln] = L->gmax[k];
    }
    free(votes);
    return 0;
}

/* Per band: each lane as high as its tallest group column there. */
static int lane_heights(layout *L)
{
    size_t cells = (size_t)L->nbands * (size_t)(L->nlanes + 1);
    L->laneoff = calloc(cells, sizeof *L->laneoff);
    L->laneh = calloc(cells, sizeof *L->laneh);
    if (!L->laneoff || !L->laneh) return -1;
    for (int k = 0; k < L->ng; k++) {
        if (L->lane[k] < 0) continue;
        for (int c = L->gmin[k]; c <= L->gmax[k]; c++) {
            double *h = &L->laneh[(size_t)(c / L->cpb) * (L->nlanes + 1) + L->lane[k]];
            int v = L->cnt[(size_t)k * L->ncols + c];
            if (v > *h) *h = v;
        }
    }
    for (int b = 0; b < L->nbands; b++) {
        double *h = L->laneh + (size_t)b * (L->nlanes + 1), *o = L->laneoff + (size_t)b * (L->nlanes + 1);
        for (int l = 0; l < L->nlanes; l++) o[l + 1] = o[l] + h[l];
    }
    return 0;
}

static int cmp_node(const void *a, const void *b, const layout *L)
{
    int x = *(const int *)a, y = *(const int *)b;
    if (L->grp[x] != L->grp[y]) return L->grp[x] < L->grp[y] ? -1 : 1;
    if (L->key[x] != L->key[y]) return L->key[x] < L->key[y] ? -1 : 1;
    return x - y;
}

/* Rows within each group's column, column by column, by the mean row of
 * predecessors (placed already, being in earlier columns). */
static void order_rows(const dg_graph *g, layout *L)
{
    int n = g->n, *start = L->work, *bycol = L->work + n + 1, *fill = L->work + 2 * n + 1;
    memset(start, 0, ((size_t)L->ncols + 1) * sizeof *start);
    for (int i = 0; i < n; i++) start[L->depth[i] + 1]++;
    for (int c = 0; c < L->ncols; c++) start[c + 1] += start[c];
    for (int c = 0; c < L->ncols; c++) fill[c] = start[c];
    for (int i = 0; i < n; i++) bycol[fill[L->depth[i]]++] = i;
    for (int c = 0; c < L->ncols; c++) {
        int a = start[c], z = start[c + 1];
        for (int j = a; j < z; j++) {
            int i = bycol[j], cnt = 0;
            double sum = 0;
            for (int q = L->in_at[i]; q < L->in_at[i + 1]; q++) {
                int e = L->in[q], u = g->edges[e].from;
                if (L->back[e] || L->depth[u] >= c || band_of(L, u) != c / L->cpb) continue;
                sum += L->row[u]; cnt++;
            }
            L->key[i] = cnt ? sum / cnt : NO_BARY + i;
        }
        for (int p = a + 1; p < z; p++)     /* insertion sort, stable    */
            for (int q = p; q > a && cmp_node(&bycol[q], &bycol[q - 1], L) < 0; q--) {
                int t = bycol[q]; bycol[q] = bycol[q - 1]; bycol[q - 1] = t;
            }
        size_t base = (size_t)(c / L->cpb) * (L->nlanes + 1);
        for (int j = a; j < z; ) {
            int k = L->grp[bycol[j]], m = 0;
            while (j + m < z && L->grp[bycol[j + m]] == k) m++;
            double h = L->laneh[base + L->lane[k]], off = L->laneoff[base + L->lane[k]];
            for (int t = 0; t < m; t++) L->row[bycol[j + t]] = off + (h - m) / 2 + t;
            j += m;
        }
    }
}

static int place(layout *L)
{
    L->boxh = calloc((size_t)L->nbands, sizeof *L->boxh);
    L->pitch = calloc((size_t)L->nbands, sizeof *L->pitch);
    L->band_top = calloc((size_t)L->nbands, sizeof *L->band_top);
    L->band_h = calloc((size_t)L->nbands, sizeof *L->band_h);
    if (!L->boxh || !L->pitch || !L->band_top || !L->band_h) return -1;
    L->colw = fmin(MAX_COL_W, (SVG_WIDTH - 2 * MARGIN) / (double)L->cpb);
    /* wide boxes for long names; the gap keeps room for a capacity label */
    L->boxw = fmin(170, L->colw - 38);
    L->left = (SVG_WIDTH - L->cpb * L->colw) / 2;      /* centred when short */
    double top = LEGEND_H;
    for (int b = 0; b < L->nbands; b++) {
        double rows = fmax(1, L->laneoff[(size_t)b * (L->nlanes + 1) + L->nlanes]);
        double h = fmin(46, fmax(11, MAX_BAND_H / rows * 0.66));
        L->boxh[b] = h;
        L->pitch[b] = h + fmin(30, fmax(5, h * 0.6));
        L->band_top[b] = top;
        L->band_h[b] = rows * L->pitch[b] + 34;
        top += L->band_h[b] + BAND_GAP;
    }
    for (int i = 0; i < L->n; i++) {
        int b = band_of(L, i), c = L->depth[i] % L->cpb;
        L->x[i] = L->left + c * L->colw + (L->colw - L->boxw) / 2;
        L->y[i] = L->band_top[b] + 26 + L->row[i] * L->pitch[b];
    }
    return 0;
}

/* ---- drawing ---------------------------------------------------------- */

static void draw_groups(FILE *f, const dg_graph *g, const layout *L)
{
    for (int k = 0; k < g->ngroups; k++) {
        if (L->lane[k] < 0) continue;
        for (int b = 0; b < L->nbands; b++) {
            int c0 = L->gmin[k] > b * L->cpb ? L->gmin[k] : b * L->cpb;
            int c1 = L->gmax[k] < (b + 1) * L->cpb - 1 ? L->gmax[k] : (b + 1) * L->cpb - 1;
            if (c1 < c0) continue;
            size_t cell = (size_t)b * (L->nlanes + 1) + L->lane[k];
            double gap = L->colw - L->boxw, p = L->pitch[b];
            double x0 = L->left + (c0 % L->cpb) * L->colw + gap / 2 - 10;
            double x1 = L->left + (c1 % L->cpb) * L->colw + gap / 2 + L->boxw + 10;
            double y0 = L->band_top[b] + 26 + L->laneoff[cell] * p - 19;
            double y1 = L->band_top[b] + 26 + (L->laneoff[cell] + L->laneh[cell]) * p - (p - L->boxh[b]) + 7;
            const char *col = group_colors[k % 8];
            fprintf(f, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' rx='8' fill='%s' "
                    "fill-opacity='.07' stroke='%s' stroke-opacity='.45'/>", x0, y0, x1 - x0, y1 - y0, col, col);
            fprintf(f, "<text x='%.1f' y='%.1f' class='gl' style='fill:%s'>", x0 + 6, y0 + 12, col);
            html_esc_cut(f, g->groups[k], (int)((x1 - x0 - 8) / 7.2));
            fputs("</text>\n", f);
        }
    }
}

/* Does an arrow from the same band come into v?  Its connector then sits
 * low, clear of that arrow and its label. */
static int fed_in_band(const dg_graph *g, const layout *L, int v)
{
    for (int q = L->in_at[v]; q < L->in_at[v + 1]; q++) {
        int e = L->in[q], u = g->edges[e].from;
        if (!L->back[e] && u != v && band_of(L, u) == band_of(L, v)) return 1;
    }
    return 0;
}

static void connector(FILE *f, double cx, double cy, int num, const char *tip)
{
    fprintf(f, "<g><title>");
    html_esc(f, tip);
    fprintf(f, "</title><circle cx='%.1f' cy='%.1f' r='8' class='cn'/>"
            "<text x='%.1f' y='%.1f' text-anchor='middle' class='cnt'>%d</text></g>", cx, cy, cx, cy + 3.5, num);
}

/* An arrow from u to v: a curve within a band, a return arrow for a loop,
 * numbered connectors between bands.  Returns the connector number used. */
static int draw_edge(FILE *f, const dg_graph *g, const layout *L, int e, int num, int *seen_out, int *seen_in)
{
    const dg_edge *ed = &g->edges[e];
    int u = ed->from, v = ed->to, bu = band_of(L, u), bv = band_of(L, v);
    double hu = L->boxh[bu], hv = L->boxh[bv], w = L->boxw;
    const char *cls = ed->dashed ? "ed dsh" : "ed";
    if (bu != bv) {
        double ys = L->y[u] + hu / 2 + 18 * seen_out[u]++;
        double yt = L->y[v] + (fed_in_band(g, L, v) ? hv * 0.8 : hv / 2) + 18 * seen_in[v]++;
        char tip[160];
        fprintf(f, "<path d='M%.1f %.1fH%.1f' class='%s'/>", L->x[u] + w, ys, L->x[u] + w + 13, cls);
        snprintf(tip, sizeof tip, "continues at %s", g->nodes[v].label);
        connector(f, L->x[u] + w + 21, ys, num, tip);
        snprintf(tip, sizeof tip, "comes from %s", g->nodes[u].label);
        connector(f, L->x[v] - 23, yt, num, tip);
        fprintf(f, "<path d='M%.1f %.1fH%.1f' class='%s' marker-end='url(#dg-arrow)'/>\n",
                L->x[v] - 15, yt, L->x[v] - 2, cls);
        return num + 1;
    }
    fputs("<path d='", f);
    if (!L->back[e] && L->depth[v] > L->depth[u]) {
        double x1 = L->x[u] + w, y1 = L->y[u] + hu / 2, x2 = L->x[v], y2 = L->y[v] + hv / 2, dx = (x2 - x1) / 2;
        fprintf(f, "M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f", x1, y1, x1 + dx, y1, x2 - dx, y2, x2 - 2, y2);
    } else if (L->depth[u] == L->depth[v] + 1) {    /* back to the column before */
        double x1 = L->x[u], y1 = L->y[u] + hu * 0.78, x2 = L->x[v] + w, y2 = L->y[v] + hv * 0.78, dx = (x1 - x2) / 2;
        fprintf(f, "M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f", x1, y1, x1 - dx, y1 + 6, x2 + dx, y2 + 6, x2 + 2, y2);
    } else {                                        /* a longer loop: arc below */
        double xa = L->x[u] + w / 2, ya = L->y[u] + hu, xb = L->x[v] + w / 2, yb = L->y[v] + hv;
        double low = fmax(ya, yb) + (L->pitch[bu] - hu) * 0.8;
        fprintf(f, "M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f", xa, ya, xa, low, xb, low, xb, yb + 2);
    }
    fprintf(f, "' class='%s' marker-end='url(#dg-arrow)'>", cls);
    if (ed->tip) { fputs("<title>", f); html_esc(f, ed->tip); fputs("</title>", f); }
    fputs("</path>\n", f);
    return num;
}

static int draw_edges(FILE *f, const dg_graph *g, const layout *L)
{
    int *seen_out = calloc((size_t)g->n + 1, sizeof *seen_out), *seen_in = calloc((size_t)g->n + 1, sizeof *seen_in);
    if (!seen_out || !seen_in) { free(seen_out); free(seen_in); return -1; }
    int num = 1;
    for (int e = 0; e < g->ne; e++)
        if (g->edges[e].from != g->edges[e].to) num = draw_edge(f, g, L, e, num, seen_out, seen_in);
    free(seen_out); free(seen_in);
    for (int b = 0; b < L->nbands; b++) if (L->boxh[b] < 18) return 0;
    for (int e = 0; e < g->ne; e++) {       /* labels above every arrow   */
        const dg_edge *ed = &g->edges[e];
        int u = ed->from, v = ed->to;
        if (!ed->label || L->back[e] || band_of(L, u) != band_of(L, v) || L->depth[v] <= L->depth[u])
            continue;
        double hu = L->boxh[band_of(L, u)];
        double xm = (L->x[u] + L->boxw + L->x[v]) / 2, ym = (L->y[u] + L->y[v] + hu) / 2;
        fprintf(f, "<text x='%.1f' y='%.1f' text-anchor='middle' class='el'>", xm, ym - 4);
        html_esc_cut(f, ed->label, 8);
        fputs("</text>", f);
    }
    fputc('\n', f);
    return 0;
}

static void draw_node(FILE *f, const dg_node *nd, const layout *L, int i)
{
    double x = L->x[i], y = L->y[i], w = L->boxw, h = L->boxh[band_of(L, i)];
    char fill[8];
    svg_scale_color(fill, nd->fill);
    const char *stroke = nd->group >= 0 ? group_colors[nd->group % 8] : "#5b6b7b";
    const char *ink = nd->fill > 0.72 ? "#fff" : "#14202b";
    fputs("<g>", f);
    if (nd->tip) { fputs("<title>", f); html_esc(f, nd->tip); fputs("</title>", f); }
    if (nd->entry)
        fprintf(f, "<path d='M%.1f %.1fH%.1f' class='ed' marker-end='url(#dg-arrow)'/>", x - 24, y + h / 2, x - 2);
    if (nd->exit)
        fprintf(f, "<path d='M%.1f %.1fH%.1f' class='ed' marker-end='url(#dg-arrow)'/>", x + w, y + h / 2, x + w + 22);
    if (nd->mark)
        fprintf(f, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' rx='6' fill='none' "
                "stroke='#c2410c' stroke-width='3'/>", x - 4, y - 4, w + 8, h + 8);
    fprintf(f, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' rx='4' fill='%s' stroke='%s' "
            "stroke-width='1.5'/>", x, y, w, h, fill, stroke);
    double fs = h >= 34 ? 12.5 : h >= 15 ? 10.5 : 0;
    int chars = fs > 0 ? (int)((w - 8) / (fs * 0.62)) : 0;
    for (int k = 0; k < 2 && fs > 10 && (int)strlen(nd->label) > chars; k++) {
        fs -= 1.5;                  /* smaller fonts first, then cut: the */
        chars = (int)((w - 8) / (fs * 0.62));   /* whole name is in the tip */
    }
    if (fs > 0) {
        double ty = h >= 34 && nd->sub ? y + h / 2 - 2 : y + h / 2 + fs * 0.36;
        fprintf(f, "<text x='%.1f' y='%.1f' text-anchor='middle' class='nn' style='font-size:%.1fpx;fill:%s'>",
                x + w / 2, ty, fs, ink);
        html_esc_cut(f, nd->label, chars);
        fputs("</text>", f);
        if (h >= 34 && nd->sub) {
            fprintf(f, "<text x='%.1f' y='%.1f' text-anchor='middle' style='font-size:11px;fill:%s'>",
                    x + w / 2, ty + 14, ink);
            html_esc_cut(f, nd->sub, chars + 2);
            fputs("</text>", f);
        }
    }
    if (nd->mark && h >= 18)
        fprintf(f, "<rect x='%.1f' y='%.1f' width='78' height='13' rx='6.5' fill='#c2410c'/>"
                "<text x='%.1f' y='%.1f' text-anchor='middle' class='bt'>BOTTLENECK</text>",
                x + w / 2 - 39, y + h - 2.5, x + w / 2, y + h + 7.2);
    fputs("</g>\n", f);
}

static void draw_legend(FILE *f, const dg_graph *g, int connectors)
{
    fputs("<defs><linearGradient id='dg-scale'>", f);
    for (int k = 0; k <= 10; k++) {
        char c[8];
        svg_scale_color(c, k / 10.0);
        fprintf(f, "<stop offset='%d%%' stop-color='%s'/>", k * 10, c);
    }
    fputs("</linearGradient><marker id='dg-arrow' viewBox='0 0 10 10' refX='9' refY='5' "
          "markerWidth='7' markerHeight='7' orient='auto-start-reverse'>"
          "<path d='M0 0L10 5L0 10z' fill='#5b6b7b'/></marker></defs>\n", f);
    double x = MARGIN;
    fprintf(f, "<text x='%.1f' y='16' class='lg'>", x);
    html_esc(f, g->fill_name);
    fputs("</text>", f);
    x += 7.0 * (double)strlen(g->fill_name) + 10;
    fprintf(f, "<rect x='%.1f' y='5' width='120' height='13' rx='2' fill='url(#dg-scale)' stroke='#9aa5b1'/>"
            "<text x='%.1f' y='31' class='tk' text-anchor='middle'>0" "\xe2\x80\xaf" "%%</text>"
            "<text x='%.1f' y='31' class='tk' text-anchor='middle'>50" "\xe2\x80\xaf" "%%</text>"
            "<text x='%.1f' y='31' class='tk' text-anchor='middle'>100" "\xe2\x80\xaf" "%%</text>",
            x, x, x + 60, x + 120);
    x += 150;
    if (g->mark_name) {
        fprintf(f, "<rect x='%.1f' y='5' width='18' height='13' rx='3' fill='none' stroke='#c2410c' "
                "stroke-width='3'/><text x='%.1f' y='16' class='lg'>", x, x + 26);
        html_esc(f, g->mark_name);
        fputs("</text>", f);
        x += 26 + 7.0 * (double)strlen(g->mark_name) + 20;
    }
    fprintf(f, "<path d='M%.1f 11H%.1f' class='ed' marker-end='url(#dg-arrow)'/>"
            "<text x='%.1f' y='16' class='lg'>buffer, with its capacity</text>", x, x + 26, x + 32);
    x += 32 + 7.0 * 25 + 18;
    if (g->dashed_name) {
        fprintf(f, "<path d='M%.1f 11H%.1f' class='ed dsh' marker-end='url(#dg-arrow)'/>"
                "<text x='%.1f' y='16' class='lg'>", x, x + 26, x + 32);
        html_esc(f, g->dashed_name);
        fputs("</text>", f);
        x += 32 + 7.0 * (double)strlen(g->dashed_name) + 20;
    }
    if (connectors) {
        fprintf(f, "<circle cx='%.1f' cy='11' r='8' class='cn'/><text x='%.1f' y='14.5' "
                "text-anchor='middle' class='cnt'>1</text><text x='%.1f' y='16' class='lg'>"
                "connector</text>", x + 8, x + 8, x + 22);
    }
    fputc('\n', f);
}

int svg_diagram(FILE *f, const dg_graph *g)
{
    layout L;
    if (layout_alloc(&L, g) < 0) { layout_free(&L); return -1; }
    find_back_edges(g, &L);
    assign_depths(g, &L);
    if (assign_lanes(g, &L) < 0 || lane_heights(&L) < 0) { layout_free(&L); return -1; }
    order_rows(g, &L);
    if (place(&L) < 0) { layout_free(&L); return -1; }
    int connectors = 0;
    for (int e = 0; e < g->ne; e++) connectors |= band_of(&L, g->edges[e].from) != band_of(&L, g->edges[e].to);
    double h = L.band_top[L.nbands - 1] + L.band_h[L.nbands - 1];
    fprintf(f, "<svg class='chart' viewBox='0 0 %d %.0f' width='%d' height='%.0f' role='img'><title>",
            SVG_WIDTH, h, SVG_WIDTH, h);
    html_esc(f, g->title);
    fputs("</title>\n", f);
    draw_legend(f, g, connectors);
    draw_groups(f, g, &L);
    int rc = draw_edges(f, g, &L);
    for (int i = 0; i < g->n; i++) draw_node(f, &g->nodes[i], &L, i);
    fputs("</svg>\n", f);
    layout_free(&L);
    return rc;
}
