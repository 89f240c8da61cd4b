/*
 * fit_internal.h — what the search (fit.c) and the intervals
 * (fit_interval.c) share: the loss with its memory of evaluated points,
 * and the pattern search on a subset of the coordinates.
 */
#ifndef TAKT_FIT_INTERNAL_H
#define TAKT_FIT_INTERNAL_H

#include "fit.h"

typedef struct fit_eval {
    double v[FIT_MAX_PARAMS];       /* snapped values                    */
    double loss;
} fit_eval;

typedef struct fitter {
    const fit_config *c;
    fit_eval *seen;                 /* every point simulated, to reuse   */
    int nseen, capseen;
    int evals;                      /* simulations run                   */
    double best;
    int status;                     /* first fatal status (-1, -2, EXP_NOT_ROOT) */
    char *why;                      /* last reason a candidate was refused */
    int nok;                        /* candidates simulated successfully */
} fitter;

/* Values from unit coordinates u (0..1 over each range), snapped. */
void fitter_values(const fitter *F, const double *u, double *v);
/* The loss at unit coordinates u (INFINITY once F->status is set). */
double fitter_loss(fitter *F, const double *u);
/* The smallest useful step of parameter j in unit coordinates. */
double fitter_min_step(const fitter *F, int j);

/* Hooke-Jeeves from u (updated to the best point found, *fu its loss) over
 * the parameters with active[j] set, starting with steps of `step`, for
 * at most `budget` new simulations. */
void fitter_pattern_search(fitter *F, double *u, double *fu, const int *active, double step,
                           int budget);

/* Intervals (fit_interval.c): fills r->lo, hi, determined from the
 * fitted point u. */
void fitter_intervals(fitter *F, const double *u, fit_result *r);

#endif
