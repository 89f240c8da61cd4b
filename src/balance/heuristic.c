/*
 * heuristic.c — a first answer by priority rules: open a station, put in it
 * the available task of highest priority that still fits, and repeat.  Each
 * of several rules is tried on the graph and on its reverse (the line
 * filled from its end), and the fewest stations kept.
 */
#include <stdlib.h>
#include <string.h>
#include "bounds.h"
#include "solve.h"

enum { RULES = 6, NOISY = 12 };

static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static double priority(const bal_graph *g, int rule, int i, int64_t c)
{
    double t = (double)g->t[i], tail = (double)g->tail[i];
    double nf = (double)(g->sstart[i + 1] - g->sstart[i]);
    switch (rule) {
    case 0: return tail;                                  /* positional weight */
    case 1: return t;
    case 2: return (double)bal_ceil_div(g->tail[i], c) * 1e12 + t;   /* latest station first */
    case 3: {
        int cnt = 0;
        for (int w = 0; w < g->words; w++) cnt += __builtin_popcountll(g->follow[(size_t)i * (size_t)g->words + (size_t)w]);
        return cnt * 1e9 + t;
    }
    case 4: return nf * 1e9 + t;
    case 5: return tail / (double)bal_ceil_div(g->tail[i], c) + t;
    default: {                                            /* perturbed weights */
        double u = (double)(mix64((uint64_t)rule * 1000003u + (uint64_t)i) >> 11) / 9007199254740992.0;
        return tail * (0.8 + 0.4 * u);
    }
    }
}

/* One greedy pass; station numbers 1-based; returns stations or -1. */
static int greedy(const bal_graph *g, int64_t c, const double *prio, int *station, int *npred, int *avail)
{
    int n = g->n, navail = 0, left = n, m = 0;
    for (int i = 0; i < n; i++) {
        npred[i] = g->pstart[i + 1] - g->pstart[i];
        if (!npred[i]) avail[navail++] = i;
    }
    const uint64_t *apart = g->apart;
    size_t W = (size_t)g->words;
    while (left > 0) {
        m++;
        int64_t load = 0;
        int first = -1;
        for (;;) {
            int best = -1;
            for (int k = 0; k < navail; k++) {
                int i = avail[k];
                if (load + g->t[i] > c) continue;
                if (apart) {
                    int clash = 0;
                    /* the tasks already in this station are those marked m */
                    const uint64_t *ai = apart + (size_t)i * W;
                    for (size_t w = 0; w < W && !clash; w++)
                        for (uint64_t b = ai[w]; b; b &= b - 1)
                            if (station[w * 64 + (size_t)__builtin_ctzll(b)] == m) { clash = 1; break; }
                    if (clash) continue;
                }
                if (best < 0 || prio[i] > prio[avail[best]]) best = k;
            }
            if (best < 0) break;
            int i = avail[best];
            avail[best] = avail[--navail];
            station[i] = m;
            load += g->t[i];
            left--;
            first = i;
            for (int e = g->sstart[i]; e < g->sstart[i + 1]; e++)
                if (--npred[g->succ[e]] == 0) avail[navail++] = g->succ[e];
        }
        if (first < 0) return -1;                 /* a task longer than c */
    }
    return m;
}

static int best_of_rules(const bal_graph *g, int64_t c, int *station, int reversed, int *best_m)
{
    int n = g->n;
    double *prio = malloc(((size_t)n + 1) * sizeof *prio);
    int *st = malloc(((size_t)n + 1) * sizeof *st), *npred = malloc(((size_t)n + 1) * sizeof *npred);
    int *avail = malloc(((size_t)n + 1) * sizeof *avail);
    int rc = 0;
    if (!prio || !st || !npred || !avail) { rc = -1; goto out; }
    for (int rule = 0; rule < RULES + NOISY; rule++) {
        for (int i = 0; i < n; i++) { prio[i] = priority(g, rule, i, c); st[i] = 0; }
        int m = greedy(g, c, prio, st, npred, avail);
        if (m < 0) { rc = -2; goto out; }
        if (*best_m < 0 || m < *best_m) {
            *best_m = m;
            for (int i = 0; i < n; i++) station[i] = reversed ? m + 1 - st[i] : st[i];
        }
    }
out:
    free(prio); free(st); free(npred); free(avail);
    return rc;
}

int bal_heuristic(const bal_graph *g, int64_t c, int *station)
{
    if (g->tmax > c) return -2;
    int best = -1;
    int rc = best_of_rules(g, c, station, 0, &best);
    if (rc < 0) return rc;
    bal_graph r;
    if (bal_graph_reverse(g, &r) < 0) return -1;
    rc = best_of_rules(&r, c, station, 1, &best);
    bal_graph_free(&r);
    return rc < 0 ? rc : best;
}
