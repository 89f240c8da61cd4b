/*
 * hoffmann.c — a first answer by Hoffmann's rule (1963), in the weighted
 * form BB&R uses for its first upper bound (Sewell & Jacobson 2012): fill
 * one station at a time with the load of least cost among the loads of
 * that station, where the cost of a load is its idle time, less a weight
 * per task for its positional weight (its time and its followers'), less a
 * weight per direct successor (tasks that open the way for others), plus a
 * small charge per task.  Each setting of the three weights is one greedy
 * pass; a grid of settings is run on the graph and on its reverse.
 *
 * Where the priority rules of heuristic.c pick one task at a time, this
 * picks a whole station: on lines whose idle budget is a few seconds over
 * dozens of stations, only station-wide choices find the tight packing.
 * The loads of one station are enumerated up to a cap (the most promising
 * tasks first), so a pass stays cheap on wide graphs.
 */
#include <stdlib.h>
#include <string.h>
#include "solve.h"

enum { MAX_FULL = 400 };

typedef struct hof {
    const bal_graph *g;
    int64_t c;
    double a, b, charge;
    int *avail, *npred, *cur, *best;
    char *done;
    int ncur, nbest;
    double best_cost;
    long full;
} hof;

static int clash(const hof *h, int j)
{
    const bal_graph *g = h->g;
    if (!g->apart) return 0;
    const uint64_t *a = g->apart + (size_t)j * (size_t)g->words;
    for (int k = 0; k < h->ncur; k++) if (bal_set_has(a, h->cur[k])) return 1;
    return 0;
}

static void gen(hof *h, int pos, int navail, int64_t load, double cost)
{
    const bal_graph *g = h->g;
    int maximal = 1;
    for (int k = pos; k < navail; k++) {
        int j = h->avail[k];
        if (load + g->t[j] > h->c || clash(h, j)) continue;
        maximal = 0;
        h->cur[h->ncur++] = j;
        int nav = navail;
        for (int e = g->sstart[j]; e < g->sstart[j + 1]; e++)
            if (--h->npred[g->succ[e]] == 0) h->avail[nav++] = g->succ[e];
        double sub = cost - (double)g->t[j] - h->a * (double)g->tail[j]
                     - h->b * (double)(g->sstart[j + 1] - g->sstart[j]) + h->charge;
        if (sub < h->best_cost) {
            h->best_cost = sub;
            h->nbest = h->ncur;
            memcpy(h->best, h->cur, (size_t)h->ncur * sizeof *h->cur);
        }
        gen(h, k + 1, nav, load + g->t[j], sub);
        for (int e = g->sstart[j]; e < g->sstart[j + 1]; e++) h->npred[g->succ[e]]++;
        h->ncur--;
        if (h->full >= MAX_FULL) return;
    }
    h->full += maximal;
}

/* One pass; station[] 1-based; returns stations, or more than limit (the
 * pass stopped as soon as it could not beat limit). */
static int pass(hof *h, int *station, int limit)
{
    const bal_graph *g = h->g;
    int n = g->n, left = n, m = 0;
    char *done = h->done;
    memset(done, 0, (size_t)n);
    for (int i = 0; i < n; i++) h->npred[i] = g->pstart[i + 1] - g->pstart[i];
    while (left > 0) {
        if (++m > limit) return m;
        int navail = 0;
        for (int i = 0; i < n; i++) if (!done[i] && h->npred[i] == 0) h->avail[navail++] = i;
        /* most promising first: the capped enumeration sees them early */
        for (int x = 1; x < navail; x++) {
            int v = h->avail[x], y = x;
            while (y > 0 && g->tail[h->avail[y - 1]] < g->tail[v]) { h->avail[y] = h->avail[y - 1]; y--; }
            h->avail[y] = v;
        }
        h->ncur = h->nbest = 0;
        h->best_cost = (double)h->c;
        h->full = 0;
        gen(h, 0, navail, 0, (double)h->c);
        if (h->nbest == 0) return limit + 1;           /* a task longer than c */
        for (int k = 0; k < h->nbest; k++) {
            int j = h->best[k];
            done[j] = 1;
            station[j] = m;
            left--;
            for (int e = g->sstart[j]; e < g->sstart[j + 1]; e++) h->npred[g->succ[e]]--;
        }
    }
    return m;
}

static const double A[] = { 0, 0.005, 0.01, 0.015, 0.02 };
static const double B[] = { 0, 0.005, 0.01, 0.015, 0.02 };
static const double G[] = { 0, 0.01 };

int bal_hoffmann(const bal_graph *g, int64_t c, int goal, int best_m, double deadline, int *station)
{
    if (g->tmax > c) return -2;
    bal_graph rev;
    if (bal_graph_reverse(g, &rev) < 0) return -1;
    size_t n1 = (size_t)g->n + 1;
    hof h = { .c = c };
    h.avail = malloc(2 * n1 * sizeof *h.avail);
    h.npred = malloc(n1 * sizeof *h.npred);
    h.cur = malloc(n1 * sizeof *h.cur);
    h.best = malloc(n1 * sizeof *h.best);
    h.done = malloc(n1);
    int *st = malloc(n1 * sizeof *st);
    int rc = 0;
    if (!h.avail || !h.npred || !h.cur || !h.best || !h.done || !st) { rc = -1; goto out; }
    int improved = 0;
    for (size_t k = 0; k < sizeof A / sizeof *A * (sizeof B / sizeof *B) * (sizeof G / sizeof *G) * 2; k++) {
        if (best_m <= goal || (deadline > 0 && bal_clock() > deadline)) break;
        int dir = (int)(k & 1);
        size_t p = k >> 1;
        h.g = dir ? &rev : g;
        h.a = A[p % 5];
        h.b = B[p / 5 % 5];
        h.charge = G[p / 25 % 2];
        int m = pass(&h, st, best_m - 1);
        if (m < best_m) {
            best_m = m;
            improved = 1;
            for (int i = 0; i < g->n; i++) station[i] = dir ? m + 1 - st[i] : st[i];
        }
    }
    rc = improved ? best_m : 0;
out:
    free(h.avail); free(h.npred); free(h.cur); free(h.best); free(h.done); free(st);
    bal_graph_free(&rev);
    return rc;
}
