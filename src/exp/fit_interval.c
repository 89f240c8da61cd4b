/*
 * fit_interval.c — how well the observed series determines each fitted
 * value: the range of values whose profile loss stays under the bound of
 * fit.h, found by testing each end of the range and bisecting towards
 * the crossing.
 *
 * The profile holds value j fixed and re-fits the others with a short
 * pattern search from their fitted values (config.profile_evals new
 * simulations per point); with a budget of 0, or one free setting, it is
 * the slice through the fitted point, which is cheaper but narrower when
 * settings can make up for each other.
 */
#include <math.h>
#include <string.h>
#include "fit_internal.h"

#define BISECTIONS 6                /* real values: to 1/64 of the range */

static double profile(fitter *F, const double *fitted, int j, double uj)
{
    int np = F->c->nparams;
    double u[FIT_MAX_PARAMS], fu;
    memcpy(u, fitted, (size_t)np * sizeof *u);
    u[j] = uj;
    if (np == 1 || F->c->profile_evals <= 0) return fitter_loss(F, u);
    int active[FIT_MAX_PARAMS];
    for (int i = 0; i < np; i++) active[i] = i != j;
    fitter_pattern_search(F, u, &fu, active, 1.0 / 32, F->c->profile_evals);
    return fu;
}

/* The end of the interval on the side of `edge` (0 or 1, unit
 * coordinates), in unit coordinates. */
static double interval_end(fitter *F, const double *fitted, int j, double edge,
                           const fit_result *r)
{
    const fit_param *fp = &F->c->params[j];
    double bound = r->threshold, fe = profile(F, fitted, j, edge);
    if (fe <= bound || F->status) return edge;
    double in = fitted[j], out = edge, fin = r->loss, fout = fe;
    double unit = fitter_min_step(F, j);
    int steps = fp->kind == FIT_REAL ? BISECTIONS : 64;
    for (int i = 0; i < steps && fabs(out - in) > unit * (1 + 1e-9) && !F->status; i++) {
        double mid = (in + out) / 2;
        if (fp->kind != FIT_REAL) {         /* whole units: snap the midpoint */
            double range = fp->hi - fp->lo;
            mid = floor(mid * range + 0.5) / range;
            if (mid == in || mid == out) break;
        }
        double fm = profile(F, fitted, j, mid);
        if (fm <= bound) { in = mid; fin = fm; }
        else { out = mid; fout = fm; }
    }
    if (fp->kind != FIT_REAL) return in;
    /* where the loss crosses the bound, linearly between the last two points */
    if (!isfinite(fout) || fout <= fin) return in;
    double f = (bound - fin) / (fout - fin);
    return in + (out - in) * (f < 0 ? 0 : f > 1 ? 1 : f);
}

void fitter_intervals(fitter *F, const double *u, fit_result *r)
{
    int np = F->c->nparams;
    for (int j = 0; j < np && !F->status; j++) {
        const fit_param *fp = &F->c->params[j];
        double lo = interval_end(F, u, j, 0.0, r);
        double hi = interval_end(F, u, j, 1.0, r);
        r->lo[j] = fp->kind == FIT_REAL ? fp->lo + lo * (fp->hi - fp->lo)
                                        : fit_param_snap(fp, fp->lo + lo * (fp->hi - fp->lo));
        r->hi[j] = fp->kind == FIT_REAL ? fp->lo + hi * (fp->hi - fp->lo)
                                        : fit_param_snap(fp, fp->lo + hi * (fp->hi - fp->lo));
        r->determined[j] = !(lo <= 0 && hi >= 1);
    }
}
