/*
 * dist.h — probability distributions of durations and counts.
 *
 * A distribution is a small value type: its kind and parameters, plus
 * derived constants computed once by dist_prepare() so that sampling on the
 * hot path does no more than a few flops and one or two draws.  Parameters
 * are in seconds when the distribution is a duration.  Parsing from text
 * lives in the I/O layer (src/io/distparse.c); the kernel knows no syntax.
 */
#ifndef TAKT_DIST_H
#define TAKT_DIST_H

/* The resolution of simulated time: a duration is 0 or at least this long
 * (the loader refuses others), and a run whose clock advances by less than
 * this over ten million events is stopped (docs/robustness.md). */
#define TIME_RESOLUTION_S 1e-6

#include "rng.h"

typedef enum dist_kind {
    DIST_CONST = 0,  /* p0 = value                                    */
    DIST_EXP,        /* p0 = mean                                     */
    DIST_UNIFORM,    /* p0 = a, p1 = b                                */
    DIST_TRI,        /* p0 = min, p1 = mode, p2 = max                 */
    DIST_NORMAL,     /* p0 = mean, p1 = sd; truncated at 0 (rejection) */
    DIST_LOGNORMAL,  /* p0 = mean, p1 = sd of the variable itself     */
    DIST_ERLANG,     /* p0 = k (integer >= 1), p1 = mean              */
    DIST_GAMMA,      /* p0 = shape, p1 = scale                        */
    DIST_WEIBULL,    /* p0 = shape, p1 = scale                        */
    DIST_EMPIRICAL   /* values[0..nvalues-1], equally likely          */
} dist_kind;

typedef struct dist {
    dist_kind kind;
    double p[3];      /* parameters as written (in seconds)            */
    double q[3];      /* derived constants, set by dist_prepare()      */
    double *values;   /* DIST_EMPIRICAL only; owned by the plant       */
    int nvalues;
} dist;

/* Check parameters and compute derived constants.  Returns 0 when the
 * parameters are valid; otherwise -1 and a message (no trailing period)
 * such as "exp() needs a mean > 0" in err. */
int dist_prepare(dist *d, char *err, int errlen);

/* One draw.  Always >= 0 for the duration kinds (all kinds above). */
double dist_sample(const dist *d, rng *r);

/* The distribution's mean (exact, not estimated). */
double dist_mean(const dist *d);

/* Make *d the distribution of f·X (f > 0): every draw from the same random
 * numbers is f times the draw of the original.  DIST_EMPIRICAL scales
 * d->values in place, so give it its own copy.  Returns 0, or -1 (f not
 * positive and finite, or an unknown kind). */
int dist_scale(dist *d, double f);

/* Convenience constructors (they call dist_prepare; parameters assumed valid). */
dist dist_const(double v);
dist dist_exp(double mean);

/* Name of a kind as written in plant files: "const", "exp", ... */
const char *dist_kind_name(dist_kind k);

#endif
