/*
 * optimise_select.c — the final comparison of `takt optimise` (max
 * throughput): which of the search's candidates is best, decided by
 * simulation with common random numbers and a fully sequential
 * indifference-zone procedure, the KN procedure of Kim and Nelson (2001).
 *
 * Why sequential: the candidates differ by a few tenths of a per cent, and
 * how many replications separate two of them depends on the variance of
 * their paired difference, unknown beforehand.  A fixed number of
 * replications is too many for the designs that are clearly worse and too
 * few for the close ones.  KN simulates every candidate a few times (n0),
 * measures the variance of every pairwise difference, and from then on
 * adds replications only to the designs still in contention, dropping a
 * design as soon as its mean falls below another's by more than a margin
 * that shrinks as replications accumulate; the number of replications a
 * pair can need is sized from its observed variance (h^2 S^2 / delta^2).
 * With common random numbers (replication r of every design on the same
 * streams) the variances of the differences are small, so most designs
 * leave after the first stage.
 *
 * Every rank holds the same replications (opt_simulate_to), and the
 * decisions below are arithmetic on them in a fixed order: the same on
 * every rank and for any number of threads.
 */
#include "exp/optimise_internal.h"
#include "core/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ALPHA 0.05                  /* 1 - the probability of correct selection */
#define N0_MAX 5                    /* first-stage replications, at most  */
#define N0_MIN 3                    /* ... and at least                   */
#define IZ_SHARE 0.0025             /* default indifference zone: 0.25 %  */
#define NMAX_PER_N0 10              /* default cap: 10 n0 replications    */

int opt_first_stage(const table *t)
{
    return t->R < N0_MIN ? N0_MIN : t->R > N0_MAX ? N0_MAX : t->R;
}

double opt_mean(const table *t, long k, int r)
{
    double m = 0;
    for (int q = 0; q < r; q++) m += t->e[k].reps[q];
    return r > 0 ? m / r : NAN;
}

int opt_better(const table *t, long a, long b)
{
    int R = t->e[a].nreps < t->e[b].nreps ? t->e[a].nreps : t->e[b].nreps;
    if (R < 2) return opt_mean(t, a, R) > opt_mean(t, b, R);
    double m = 0, s = 0;
    for (int r = 0; r < R; r++) m += t->e[a].reps[r] - t->e[b].reps[r];
    m /= R;
    for (int r = 0; r < R; r++) {
        double d = t->e[a].reps[r] - t->e[b].reps[r] - m;
        s += d * d;
    }
    double hw = student_t975(R - 1) * sqrt(s / (R - 1) / R);
    return m - hw > 0;
}

/* Sample variance of the paired differences of a and b over replications
 * 0 .. n0-1. */
static double diff_var(const table *t, long a, long b, int n0)
{
    double m = 0, s = 0;
    for (int r = 0; r < n0; r++) m += t->e[a].reps[r] - t->e[b].reps[r];
    m /= n0;
    for (int r = 0; r < n0; r++) {
        double d = t->e[a].reps[r] - t->e[b].reps[r] - m;
        s += d * d;
    }
    return s / (n0 - 1);
}

/* KN's screening at stage r: design i leaves when its mean is below some
 * other surviving design's by more than W_il(r) = max(0, delta/(2r)
 * (h^2 S_il^2 / delta^2 - r)).  Decided for all at once from the
 * survivors before this stage, as the procedure states. */
static int screen(const table *t, const long *pool, int m, const double *s2, double h2,
                  double delta, int r, int *alive, double *mean)
{
    int left = 0;
    int *was = malloc(sizeof(int) * (size_t)m);
    if (!was) return -1;
    memcpy(was, alive, sizeof(int) * (size_t)m);
    for (int i = 0; i < m; i++) if (was[i]) mean[i] = opt_mean(t, pool[i], r);
    for (int i = 0; i < m; i++) {
        if (!was[i]) continue;
        for (int l = 0; l < m && alive[i]; l++) {
            if (l == i || !was[l]) continue;
            double w = delta / (2.0 * r) * (h2 * s2[(long)i * m + l] / (delta * delta) - r);
            if (w < 0) w = 0;
            if (mean[i] < mean[l] - w) alive[i] = 0;
        }
        left += alive[i];
    }
    free(was);
    return left;
}

int opt_select_best(table *t, const long *pool, int m, long *best)
{
    const opt_problem *pr = t->pr;
    int n0 = opt_first_stage(t);
    int nmax = pr->max_replications > 0 ? pr->max_replications : NMAX_PER_N0 * n0;
    if (nmax < n0) nmax = n0;
    int rc = opt_simulate_to(t, pool, m, n0);
    if (rc) return rc;
    *best = pool[0];
    if (m == 1) return opt_simulate_to(t, pool, 1, t->R > n0 ? t->R : n0);
    double delta = pr->indifference > 0 ? pr->indifference
                                         : IZ_SHARE * fabs(opt_mean(t, pool[0], n0));
    if (!(delta > 0)) delta = 1e-9;   /* designs that make nothing: all equal */
    /* eta and h^2 of KN for m designs, 1 - ALPHA, n0 first-stage replications */
    double eta = 0.5 * (pow(2 * ALPHA / (m - 1), -2.0 / (n0 - 1)) - 1);
    double h2 = 2 * eta * (n0 - 1);
    double *s2 = malloc(sizeof(double) * (size_t)m * (size_t)m);
    double *mean = malloc(sizeof(double) * (size_t)m);
    int *alive = malloc(sizeof(int) * (size_t)m);
    long *live = malloc(sizeof(long) * (size_t)m);
    if (!s2 || !mean || !alive || !live) { rc = -1; goto done; }
    double nend = 0;                /* KN's N: the most replications a pair needs */
    for (int i = 0; i < m; i++) {
        alive[i] = 1;
        for (int l = 0; l < m; l++) {
            s2[(long)i * m + l] = l == i ? 0 : diff_var(t, pool[i], pool[l], n0);
            double n = floor(h2 * s2[(long)i * m + l] / (delta * delta));
            if (n > nend) nend = n;
        }
    }
    int r = n0, have = n0, left = m;
    for (;;) {
        if (r > have) {
            /* the survivors' next replications, a few at a time (a third
             * more each batch) so the threads and ranks have work; the
             * screening still goes one replication at a time */
            int target = r - 1 + ((r + 1) / 3 > 1 ? (r + 1) / 3 : 1);
            if (target > nmax) target = nmax;
            if (target > nend + 1) target = (int)(nend + 1);
            if (target < r) target = r;
            int nl = 0;
            for (int i = 0; i < m; i++) if (alive[i]) live[nl++] = pool[i];
            if ((rc = opt_simulate_to(t, live, nl, target))) goto done;
            have = target;
        }
        if ((left = screen(t, pool, m, s2, h2, delta, r, alive, mean)) < 0) { rc = -1; goto done; }
        if (left <= 1 || r >= nend + 1 || r >= nmax) break;
        r++;
    }
    /* the survivor with the largest mean (the search's order breaks ties) */
    int bi = -1;
    for (int i = 0; i < m; i++)
        if (alive[i] && (bi < 0 || mean[i] > mean[bi])) bi = i;
    *best = pool[bi];
    /* the answer's interval rests on at least the replications asked for */
    if (t->R > r) {
        int nl = 0;
        for (int i = 0; i < m; i++) if (alive[i]) live[nl++] = pool[i];
        rc = opt_simulate_to(t, live, nl, t->R);
    }
done:
    free(s2); free(mean); free(alive); free(live);
    return rc;
}
