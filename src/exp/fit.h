/*
 * fit.h — calibration: the values of a few plant settings that make the
 * simulated series of cars produced (delivered) closest to an observed
 * one, and how well the series determines each value.
 *
 * The loss is the weighted mean squared error of the period counts:
 *
 *     L(x) = (1/N) sum_k w_k (m_k(x) - o_k)^2
 *
 * over the N observed (period, series) cells, where m_k is the mean over
 * the replications of the simulated count.  Every candidate is simulated
 * with the same seeds (common random numbers), so two candidates differ
 * by their settings and not by their luck, and the search sees a loss
 * that changes with the settings rather than with the draws.
 *
 * The search is Hooke and Jeeves' pattern search on the box of ranges
 * (scaled to the unit cube): derivative-free, it only compares losses, so
 * it tolerates what common random numbers leave of the noise (the loss is
 * still piecewise constant on a fine scale) and handles whole-number and
 * date settings, whose smallest step is one unit.
 *
 * Each value's 95 % interval is where its profile loss (the loss with the
 * value held fixed and the other settings re-fitted, or just held at their
 * fitted values when the profile's budget is 0) stays below
 *
 *     L_min + chi2_{1,0.95} * sigma^2 / N,
 *
 * the likelihood-ratio interval of least squares, with sigma^2 the larger
 * of the residual variance N L_min / (N - p) and the variance of one
 * replication's count around the mean (1 + 1/R times the replications'
 * sample variance): a series that cannot tell two values apart within its
 * own noise does not pretend to.  An interval that spans the whole range
 * is reported as not determined.
 *
 * This layer knows no file format: the observed series comes from the
 * CSV reader (src/io/observed.c) and candidate plants from a builder the
 * caller gives (the loader with "--set" settings, src/io/override.h).
 */
#ifndef TAKT_FIT_H
#define TAKT_FIT_H

#include <stdint.h>
#include "summary.h"

#define FIT_MAX_PARAMS 16

enum { FIT_PRODUCED, FIT_DELIVERED, FIT_NSERIES };
extern const char *const fit_series_name[FIT_NSERIES];   /* "produced", "delivered" */

typedef enum { FIT_REAL, FIT_WHOLE, FIT_DATE } fit_kind;

/* One free setting: "PATH=LO..HI".  A range of dates (2024-05-01..
 * 2024-07-31) is searched day by day; a range of whole numbers written
 * without a point (1..6) by units; anything else (1.0..2.5, 60s..90s,
 * 0.5h..4h) continuously, written back with the unit it was given. */
typedef struct fit_param {
    char *path;
    fit_kind kind;
    double lo, hi;                  /* the numbers; dates as day numbers  */
    char unit[8];                   /* "s", "min", "h", "d", "w" or ""    */
} fit_param;

/* Returns 0, or -1 with a message in err (nothing allocated). */
int fit_param_parse(const char *arg, fit_param *fp, char *err, int errlen);
void fit_param_free(fit_param *fp);
/* The nearest value the setting can take (clamped, whole for whole numbers
 * and dates). */
double fit_param_snap(const fit_param *fp, double v);
/* The value as the plant file writes it ("1.4125", "2024-07-03", "72.5s"). */
void fit_param_format(const fit_param *fp, double v, char *buf, int len);

/* The observed series: row k counts what was made (delivered) on days
 * first..last (indices from the plant's time 0, both included). */
typedef struct fit_period {
    int64_t day;                    /* the row's date (days since 1970-01-01) */
    int first, last;
    double obs[FIT_NSERIES];        /* NAN where the row leaves it empty  */
    double weight;                  /* 1 unless the file gives one        */
    int line;                       /* in the file, for messages          */
} fit_period;

typedef struct fit_observed {
    fit_period *v;
    int n;
    int has[FIT_NSERIES];           /* some row gives this series         */
} fit_observed;

void fit_observed_free(fit_observed *o);

/* Builds the plant with settings "PATH=VALUE" applied; NULL with a
 * malloc'd message in *why when the plant refuses them. */
typedef takt_plant *(*fit_build_fn)(void *ctx, const char *const *settings, int n, char **why);

typedef struct fit_config {
    const fit_param *params;
    int nparams;
    const fit_observed *obs;
    fit_build_fn build;
    void *build_ctx;
    exp_options opt;                /* replications, seed, threads, stop  */
    int budget;                     /* evaluations for the search (> 0)   */
    int profile_evals;              /* re-fit budget per profile point; 0: slices */
    /* Called after each new evaluation (may be NULL). */
    void (*trace)(void *ctx, int evals, double loss, double best);
    void *trace_ctx;
} fit_config;

typedef struct fit_cell {           /* one observed (period, series)      */
    int period, series;
    double observed, mean, ci95;    /* simulated at the fitted values     */
} fit_cell;

typedef struct fit_result {
    double value[FIT_MAX_PARAMS];   /* fitted                             */
    double lo[FIT_MAX_PARAMS], hi[FIT_MAX_PARAMS];   /* 95 % interval      */
    int determined[FIT_MAX_PARAMS]; /* 0: the interval is the whole range */
    double loss;                    /* L at the fitted values             */
    double sigma2, threshold;       /* noise variance; the interval's loss bound */
    int evals, search_evals;        /* simulations run (all; the search's) */
    int replications;
    fit_cell *cells;                /* ncells, in period order            */
    int ncells;
} fit_result;

/* Search and intervals.  Returns 0; -1 out of memory; -2 interrupted;
 * -3 no candidate could be simulated (every one refused or deadlocked:
 * *why gets the last reason); EXP_NOT_ROOT on MPI ranks other than 0. */
int fit_run(const fit_config *c, fit_result *r, char **why);
void fit_result_free(fit_result *r);

/* The same loss for a given vector of values (used by the search; public
 * for tests).  Returns 0 with *loss set (INFINITY when the plant refuses
 * the values or deadlocks), or a negative status as fit_run. */
int fit_loss(const fit_config *c, const double *values, double *loss);

#endif
