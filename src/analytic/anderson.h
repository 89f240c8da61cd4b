/*
 * anderson.h — Anderson acceleration of a fixed-point iteration x = F(x)
 * (Anderson 1965; Walker and Ni, SIAM J. Numer. Anal. 49(4), 2011).
 *
 * The decomposition's sweeps (decomp.c) are such an iteration and, on long
 * lines, a slowly converging one: a change at one end of the line reaches
 * the other only a block per sweep, and settles geometrically at a rate
 * close to 1.  Anderson mixing extrapolates from the last few sweeps (the
 * least-squares combination of their residuals), which takes such slow
 * modes out in a few steps instead of hundreds.
 */
#ifndef TAKT_ANALYTIC_ANDERSON_H
#define TAKT_ANALYTIC_ANDERSON_H

#define ANDERSON_DEPTH 3            /* sweeps remembered                 */

typedef struct anderson {
    int n;                          /* length of the iterate             */
    int k;                          /* differences held (<= ANDERSON_DEPTH) */
    int next;                       /* ring position of the next one     */
    int have_prev;
    double prev_norm;               /* |F(x) - x| of the previous step   */
    double *df, *dg;                /* ANDERSON_DEPTH x n differences    */
    double *fprev, *gprev;          /* previous residual and F(x)        */
} anderson;

/* Returns 0, or -1 out of memory. */
int anderson_init(anderson *a, int n);
void anderson_free(anderson *a);

/* One step: x is the iterate a sweep started from, g = F(x) what it gave;
 * g is overwritten with the next iterate (each entry clamped to [lo, hi]). */
void anderson_step(anderson *a, const double *x, double *g, double lo, double hi);

#endif
