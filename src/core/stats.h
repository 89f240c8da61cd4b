/*
 * stats.h — statistics: tallies, time-weighted averages, quantile
 * histograms and confidence intervals across replications.
 *
 * Tallies use Welford's update (numerically stable for long runs).
 * Confidence intervals use Student's t with R-1 degrees of freedom, the
 * standard for independent replications (Law, Simulation Modeling and
 * Analysis, ch. 9).
 */
#ifndef TAKT_STATS_H
#define TAKT_STATS_H

#include <stddef.h>

typedef struct tally {
    long n;
    double mean, m2, min, max;
} tally;

void tally_reset(tally *t);
void tally_add(tally *t, double x);
double tally_var(const tally *t);   /* sample variance (n-1); 0 if n < 2 */

/* Time-weighted average of a piecewise-constant signal (a level). */
typedef struct timeavg {
    double t0;      /* start of the observation window  */
    double last_t;  /* time of the last change          */
    double value;   /* current value                    */
    double area;    /* integral since t0 up to last_t   */
    double max;     /* maximum value seen since t0      */
} timeavg;

void timeavg_reset(timeavg *a, double now, double value);  /* new window */
void timeavg_set(timeavg *a, double now, double value);
double timeavg_mean(const timeavg *a, double now);

/* Quantiles of a stream of non-negative observations: a log-spaced
 * histogram (relative bin width ~1 %), fixed memory, mergeable. */
#define QHIST_BINS 2048
typedef struct qhist {
    double lo;              /* smallest positive value resolved         */
    long n, zeros;
    long bins[QHIST_BINS];
} qhist;

void qhist_init(qhist *h, double lo);
void qhist_add(qhist *h, double x);
void qhist_merge(qhist *into, const qhist *from);
double qhist_quantile(const qhist *h, double p);   /* p in [0,1] */

/* Two-sided 97.5 % quantile of Student's t with df degrees of freedom;
 * 0 when df <= 0 (no interval, as in ci95). */
double student_t975(int df);

/* Mean and 95 % half-width of n independent observations (half-width 0
 * when n < 2). */
void ci95(const double *x, int n, double *mean, double *half);

#endif
