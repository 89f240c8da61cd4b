/*
 * series_sum.h — the series over time of a run, across its replications:
 * per period, each station's share of machine time in each state, each
 * buffer's mean level, and the bottleneck (docs/series.md).
 *
 * Means over replications are sums in replication order divided by their
 * number, so the series are the same bit for bit for any number of threads
 * or MPI ranks.
 */
#ifndef TAKT_SERIES_SUM_H
#define TAKT_SERIES_SUM_H

#include "summary.h"

typedef struct series_bottleneck {
    double start_s, len_s;          /* the period                        */
    int station;                    /* the most time the bottleneck (sole
                                       or shifting) in the period, summed
                                       over replications; -1: none active */
    double analysed_s;              /* of the period, mean: time the
                                       analysis ran (no open station off
                                       shift), as for the run's shares   */
    double share;                   /* its mean share of the analysed time */
} series_bottleneck;

typedef struct series_sum {
    double t0, t_end, period;       /* s                                 */
    int nperiods, nstations, nbuffers;
    double *start, *len;            /* [period] start time and length (s) */
    double *state;                  /* [station][period][state] share of the
                                       station's machine time, mean      */
    double *level;                  /* [buffer][period] mean level, mean */
    double bn_period;               /* s: a day, or the period if longer */
    int nbn;
    series_bottleneck *bn;          /* [nbn]                             */
} series_sum;

/* The series of the summary's replications, or NULL when they hold none
 * (*oom = 1 when out of memory instead). */
series_sum *series_summarise(const takt_summary *s, int *oom);
void series_sum_free(series_sum *ss);

/* The share of period k that station i spent in state q. */
static inline double series_share(const series_sum *ss, int i, int k, int q)
{
    return ss->state[((size_t)i * (size_t)ss->nperiods + (size_t)k) * NSTATES + (size_t)q];
}

static inline double series_level_at(const series_sum *ss, int b, int k)
{
    return ss->level[(size_t)b * (size_t)ss->nperiods + (size_t)k];
}

#endif
