/*
 * series.h — what a replication saw over time, period by period: each
 * station's state times, each buffer's level and each station's time as
 * the bottleneck (active-period method), over periods of equal length
 * from the start of the measured window (the last one may be shorter).
 *
 * Collected only when asked for (run_limits.series_period > 0).  The run
 * charges an interval to its periods where it already charges state times
 * (run_account) and buffer levels (buf_level): no allocation after set-up,
 * and when no series is asked for, one test of a NULL pointer.
 */
#ifndef TAKT_SERIES_H
#define TAKT_SERIES_H

#include "plant.h"

/* At most this many periods, and at most SERIES_MAX_CELLS doubles a
 * replication, whatever the horizon and the size of the plant. */
#define SERIES_MAX_PERIODS 400
#define SERIES_MAX_CELLS (1L << 20)

typedef struct series_obs {
    double t0, t_end, period;       /* window [t0, t_end], period (s)    */
    double per_s;                   /* 1 / period                        */
    int nperiods, nstations, nbuffers;
    int nstates;                    /* NSTATES when it was made          */
    double *state;                  /* [station][period][state] machine-seconds
                                       (summed over the station's servers) */
    double *level;                  /* [buffer][period] part-seconds     */
    double *bn;                     /* [station][period] seconds it was the
                                       bottleneck, sole or shifting      */
    double *paused;                 /* [period] seconds the bottleneck
                                       analysis paused (an open station
                                       off shift; run.c run_bn_check)    */
    double *cells;                  /* the one allocation behind all four */
} series_obs;

/* Doubles in the cells of a series of n periods of plant p. */
size_t series_ncells(const takt_plant *p, int n);

/* The period for a window of `horizon` seconds of plant p: the first of
 * 1 h, 1 d, 1 w, then whole weeks, that gives at most SERIES_MAX_PERIODS
 * periods and SERIES_MAX_CELLS doubles. */
double series_choose_period(const takt_plant *p, double horizon);

/* Periods of `period` over [t0, t_end].  NULL when out of memory. */
series_obs *series_new(const takt_plant *p, double t0, double t_end, double period);
void series_free(series_obs *s);

/* The length of period k (the last may be shorter). */
double series_period_len(const series_obs *s, int k);

/* Spread x * (b - a) over the periods of the cells row[0], row[stride],
 * ... that [a, b] covers, clipped to the window. */
void series_spread(const series_obs *s, double *row, int stride, double x, double a, double b);

/* series_spread, quicker for the common case of an interval inside one
 * period that is not the last.  The period is found by a multiplication;
 * where rounding puts an instant that is on an edge in the period before,
 * the interval reaches past that period's end and takes the general path;
 * one put in the period after by rounding is charged there (an error of
 * a rounding's width, the same on every thread). */
static inline void series_add(const series_obs *s, double *row, int stride, double x,
                              double a, double b)
{
    if (a >= s->t0) {
        int k = (int)((a - s->t0) * s->per_s);
        if (k < s->nperiods - 1 && b <= s->t0 + (double)(k + 1) * s->period) {
            row[(size_t)k * (size_t)stride] += x * (b - a);
            return;
        }
    }
    series_spread(s, row, stride, x, a, b);
}

static inline void series_state(series_obs *s, int station, int state, double a, double b)
{
    if (b > a && b > s->t0)
        series_add(s, s->state + (size_t)station * (size_t)s->nperiods * (size_t)s->nstates + state,
                   s->nstates, 1.0, a, b);
}

static inline void series_level(series_obs *s, int buffer, double level, double a, double b)
{
    if (b > a && level != 0)
        series_add(s, s->level + (size_t)buffer * (size_t)s->nperiods, 1, level, a, b);
}

#endif
