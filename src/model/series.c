/*
 * series.c — the accumulators of the series over time (series.h).
 *
 * An interval is charged to the periods it covers, cut at their edges.
 * Edges are computed from the start of the window (t0 + k * period), never
 * by adding periods up, so every interval sees the same edges and the
 * periods' sums add up to the whole interval but for rounding.
 */
#include <math.h>
#include <stdlib.h>
#include "series.h"
#include "run.h"

static long cells_per_period(const takt_plant *p)
{
    return (long)p->nstations * (NSTATES + 1) + p->nbuffers + p->nsources + 1;
}

size_t series_ncells(const takt_plant *p, int n)
{
    return (size_t)n * (size_t)cells_per_period(p);
}

static int periods_for(double horizon, double period)
{
    double n = ceil(horizon / period);
    if (n * period - horizon >= period) n -= 1;     /* rounding up a whole count */
    return n < 1 ? 1 : n > 1e9 ? 1000000000 : (int)n;
}

double series_choose_period(const takt_plant *p, double horizon)
{
    static const double ladder[] = { 3600.0, 86400.0, 604800.0 };
    long cells = cells_per_period(p);
    long most = SERIES_MAX_CELLS / (cells > 0 ? cells : 1);
    if (most > SERIES_MAX_PERIODS) most = SERIES_MAX_PERIODS;
    if (most < 1) most = 1;
    for (int i = 0; i < 3; i++)
        if (periods_for(horizon, ladder[i]) <= most) return ladder[i];
    double weeks = ceil(horizon / (604800.0 * (double)most));
    while (periods_for(horizon, weeks * 604800.0) > most) weeks += 1;
    return weeks * 604800.0;
}

series_obs *series_new(const takt_plant *p, double t0, double t_end, double period)
{
    series_obs *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->t0 = t0; s->t_end = t_end; s->period = period; s->per_s = 1 / period;
    s->nperiods = periods_for(t_end - t0, period);
    s->nstations = p->nstations;
    s->nbuffers = p->nbuffers + p->nsources;
    s->nstates = NSTATES;
    size_t n = series_ncells(p, s->nperiods);
    s->cells = calloc(n + 1, sizeof *s->cells);
    if (!s->cells) { free(s); return NULL; }
    s->state = s->cells;
    s->level = s->state + (size_t)s->nperiods * (size_t)s->nstations * NSTATES;
    s->bn = s->level + (size_t)s->nperiods * (size_t)s->nbuffers;
    s->paused = s->bn + (size_t)s->nperiods * (size_t)s->nstations;
    return s;
}

void series_free(series_obs *s)
{
    if (!s) return;
    free(s->cells);
    free(s);
}

double series_period_len(const series_obs *s, int k)
{
    double a = s->t0 + (double)k * s->period;
    double b = k + 1 < s->nperiods ? s->t0 + (double)(k + 1) * s->period : s->t_end;
    return b - a;
}

void series_spread(const series_obs *s, double *row, int stride, double x, double a, double b)
{
    if (a < s->t0) a = s->t0;
    if (b > s->t_end) b = s->t_end;
    if (!(b > a)) return;
    int n = s->nperiods;
    int k = (int)((a - s->t0) / s->period);
    if (k >= n) k = n - 1;
    if (k < 0) k = 0;
    for (;;) {
        double edge = k + 1 < n ? s->t0 + (double)(k + 1) * s->period : b;
        if (b <= edge) { row[(size_t)k * (size_t)stride] += x * (b - a); return; }
        if (edge > a) { row[(size_t)k * (size_t)stride] += x * (edge - a); a = edge; }
        k++;
    }
}
