/*
 * graph.c — building the precedence graph: arcs in both directions, a
 * topological order (which also finds cycles), and transitive followers.
 */
#include <stdlib.h>
#include <string.h>
#include "graph.h"

static int csr(int n, int narcs, const int *key, const int *val, int **start, int **list)
{
    *start = calloc((size_t)n + 1, sizeof **start);
    *list = malloc(((size_t)narcs + 1) * sizeof **list);
    if (!*start || !*list) return -1;
    for (int k = 0; k < narcs; k++) (*start)[key[k] + 1]++;
    for (int i = 0; i < n; i++) (*start)[i + 1] += (*start)[i];
    int *fill = malloc(((size_t)n + 1) * sizeof *fill);
    if (!fill) return -1;
    memcpy(fill, *start, (size_t)n * sizeof *fill);
    for (int k = 0; k < narcs; k++) (*list)[fill[key[k]]++] = val[k];
    free(fill);
    return 0;
}

int bal_graph_build(bal_graph *g, int n, const int64_t *t,
                    int narcs, const int *from, const int *to, int *cycle_task)
{
    memset(g, 0, sizeof *g);
    g->n = n;
    g->words = (n + 63) / 64;
    if (g->words == 0) g->words = 1;
    size_t W = (size_t)g->words;
    g->t = malloc(((size_t)n + 1) * sizeof *g->t);
    g->tail = calloc((size_t)n + 1, sizeof *g->tail);
    g->head = calloc((size_t)n + 1, sizeof *g->head);
    g->follow = calloc((size_t)n * W + 1, sizeof *g->follow);
    g->topo = malloc(((size_t)n + 1) * sizeof *g->topo);
    int *indeg = calloc((size_t)n + 1, sizeof *indeg);
    if (!g->t || !g->tail || !g->head || !g->follow || !g->topo || !indeg
        || csr(n, narcs, to, from, &g->pstart, &g->pred) < 0
        || csr(n, narcs, from, to, &g->sstart, &g->succ) < 0) {
        free(indeg);
        bal_graph_free(g);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        g->t[i] = t[i];
        g->total += t[i];
        if (t[i] > g->tmax) g->tmax = t[i];
    }
    /* Kahn's algorithm: tasks left over lie on or behind a cycle. */
    for (int k = 0; k < narcs; k++) indeg[to[k]]++;
    int done = 0;
    for (int i = 0; i < n; i++) if (!indeg[i]) g->topo[done++] = i;
    for (int h = 0; h < done; h++) {
        int i = g->topo[h];
        for (int k = g->sstart[i]; k < g->sstart[i + 1]; k++)
            if (--indeg[g->succ[k]] == 0) g->topo[done++] = g->succ[k];
    }
    if (done < n) {
        if (cycle_task) {
            /* Walk back along predecessors that are still blocked: every
             * such task has one, so the walk must come round to a cycle. */
            int i = 0;
            while (!indeg[i]) i++;
            char *seen = calloc((size_t)n, 1);
            while (seen && !seen[i]) {
                seen[i] = 1;
                for (int k = g->pstart[i]; k < g->pstart[i + 1]; k++)
                    if (indeg[g->pred[k]]) { i = g->pred[k]; break; }
            }
            free(seen);
            *cycle_task = i;
        }
        free(indeg);
        bal_graph_free(g);
        return -2;
    }
    free(indeg);
    for (int h = n - 1; h >= 0; h--) {
        int i = g->topo[h];
        uint64_t *fi = g->follow + (size_t)i * W;
        for (int k = g->sstart[i]; k < g->sstart[i + 1]; k++) {
            int s = g->succ[k];
            const uint64_t *fs = g->follow + (size_t)s * W;
            for (size_t w = 0; w < W; w++) fi[w] |= fs[w];
            bal_set_add(fi, s);
        }
    }
    for (int i = 0; i < n; i++) {
        const uint64_t *fi = g->follow + (size_t)i * W;
        g->tail[i] += t[i];
        g->head[i] += t[i];
        for (size_t w = 0; w < W; w++)
            for (uint64_t b = fi[w]; b; b &= b - 1) {
                int j = (int)(w * 64) + __builtin_ctzll(b);
                g->tail[i] += t[j];
                g->head[j] += t[i];
            }
    }
    return 0;
}

int bal_graph_set_apart(bal_graph *g, int a, int b)
{
    if (!g->apart) {
        g->apart = calloc((size_t)g->n * (size_t)g->words + 1, sizeof *g->apart);
        if (!g->apart) return -1;
    }
    bal_set_add(g->apart + (size_t)a * (size_t)g->words, b);
    bal_set_add(g->apart + (size_t)b * (size_t)g->words, a);
    return 0;
}

int bal_graph_reverse(const bal_graph *g, bal_graph *r)
{
    int m = g->sstart[g->n];
    int *from = malloc(((size_t)m + 1) * sizeof *from), *to = malloc(((size_t)m + 1) * sizeof *to);
    if (!from || !to) { free(from); free(to); return -1; }
    int k = 0;
    for (int i = 0; i < g->n; i++)
        for (int e = g->sstart[i]; e < g->sstart[i + 1]; e++) { from[k] = g->succ[e]; to[k] = i; k++; }
    int rc = bal_graph_build(r, g->n, g->t, m, from, to, NULL);
    free(from);
    free(to);
    if (rc < 0) return -1;
    if (g->apart) {
        r->apart = malloc((size_t)g->n * (size_t)g->words * sizeof *r->apart + 1);
        if (!r->apart) { bal_graph_free(r); return -1; }
        memcpy(r->apart, g->apart, (size_t)g->n * (size_t)g->words * sizeof *r->apart);
    }
    return 0;
}

void bal_graph_free(bal_graph *g)
{
    free(g->t); free(g->pstart); free(g->pred); free(g->sstart); free(g->succ);
    free(g->follow); free(g->tail); free(g->head); free(g->apart); free(g->topo);
    memset(g, 0, sizeof *g);
}
