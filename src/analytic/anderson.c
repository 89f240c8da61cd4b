/*
 * anderson.c — Anderson acceleration (see anderson.h).
 *
 * Type II mixing: with residuals f = F(x) - x and the differences of the
 * last few residuals (dF) and images (dG), the next iterate is
 * F(x) - dG gamma, gamma minimising |f - dF gamma| (normal equations; the
 * depth is a handful).  Safeguard: when the residual grows, the history
 * is dropped and the plain step F(x) taken, so the accelerated iteration
 * falls back to plain sweeps where the mixing does not help.
 */
#include "analytic/anderson.h"
#include "analytic/linalg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int anderson_init(anderson *a, int n)
{
    memset(a, 0, sizeof *a);
    a->n = n;
    a->df = calloc((size_t)ANDERSON_DEPTH * (size_t)n, sizeof(double));
    a->dg = calloc((size_t)ANDERSON_DEPTH * (size_t)n, sizeof(double));
    a->fprev = calloc((size_t)n, sizeof(double));
    a->gprev = calloc((size_t)n, sizeof(double));
    if (!a->df || !a->dg || !a->fprev || !a->gprev) { anderson_free(a); return -1; }
    return 0;
}

void anderson_free(anderson *a)
{
    free(a->df); free(a->dg); free(a->fprev); free(a->gprev);
    memset(a, 0, sizeof *a);
}

static void mix(const anderson *a, int k, double *g);

static double dot(const double *u, const double *v, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++) s += u[i] * v[i];
    return s;
}

void anderson_step(anderson *a, const double *x, double *g, double lo, double hi)
{
    int n = a->n;
    double norm = 0;
    for (int i = 0; i < n; i++) { double f = g[i] - x[i]; norm += f * f; }
    norm = sqrt(norm);
    if (a->have_prev && norm > a->prev_norm) a->k = 0;    /* diverging */
    else if (a->have_prev) {
        double *df = a->df + (size_t)a->next * (size_t)n, *dg = a->dg + (size_t)a->next * (size_t)n;
        for (int i = 0; i < n; i++) {
            double f = g[i] - x[i];
            df[i] = f - a->fprev[i];
            dg[i] = g[i] - a->gprev[i];
        }
        a->next = (a->next + 1) % ANDERSON_DEPTH;
        if (a->k < ANDERSON_DEPTH) a->k++;
    }
    for (int i = 0; i < n; i++) { a->fprev[i] = g[i] - x[i]; a->gprev[i] = g[i]; }
    a->have_prev = 1;
    a->prev_norm = norm;
    int k = a->k;
    if (k > 0) mix(a, k, g);
    for (int i = 0; i < n; i++) g[i] = g[i] < lo ? lo : g[i] > hi ? hi : g[i];
}

/* g -= dG gamma, gamma the least-squares fit of the residual by dF. */
static void mix(const anderson *a, int k, double *g)
{
    int n = a->n;
    /* the oldest first, so that the result does not depend on the ring */
    const double *df[ANDERSON_DEPTH], *dg[ANDERSON_DEPTH];
    for (int j = 0; j < k; j++) {
        int r = (a->next - k + j + ANDERSON_DEPTH) % ANDERSON_DEPTH;
        df[j] = a->df + (size_t)r * (size_t)n;
        dg[j] = a->dg + (size_t)r * (size_t)n;
    }
    double m[ANDERSON_DEPTH * ANDERSON_DEPTH], gamma[ANDERSON_DEPTH], scale = 0;
    int piv[ANDERSON_DEPTH];
    for (int i = 0; i < k; i++) {
        for (int j = 0; j <= i; j++) m[i * k + j] = m[j * k + i] = dot(df[i], df[j], n);
        gamma[i] = dot(df[i], a->fprev, n);
        scale = fmax(scale, m[i * k + i]);
    }
    if (!(scale > 0)) return;
    for (int i = 0; i < k; i++) m[i * k + i] += 1e-10 * scale;     /* near-collinear sweeps */
    if (lu_factor(m, k, piv) != 0) return;
    lu_solve(m, k, piv, gamma);
    for (int j = 0; j < k; j++)
        for (int i = 0; i < n; i++) g[i] -= gamma[j] * dg[j][i];
}
