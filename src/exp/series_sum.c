/*
 * series_sum.c — from the replications' series (src/model/series.h) to
 * the means the reports show (series_sum.h).
 *
 * The bottleneck of a longer period (a day when the series is by the
 * hour) is the station that was the bottleneck, sole or shifting, for the
 * most time in it by the active-period method, its seconds summed over
 * the period's hours and over the replications.  Ties go to the station
 * listed first.  Its share is of the time the method analysed, as the
 * run's shares are: moments when an open station is off shift are left
 * out (run.c, run_bn_check).
 */
#include <math.h>
#include <stdlib.h>
#include "series_sum.h"
#include "../model/series.h"

void series_sum_free(series_sum *ss)
{
    if (!ss) return;
    free(ss->start); free(ss->len); free(ss->state); free(ss->level); free(ss->bn);
    free(ss);
}

/* Whether every replication holds a series of the same shape. */
static const series_obs *shape(const takt_summary *s)
{
    if (!s->reps || s->replications < 1) return NULL;
    const series_obs *a = s->reps[0].series;
    for (int r = 0; a && r < s->replications; r++) {
        const series_obs *o = s->reps[r].series;
        if (!o || o->nperiods != a->nperiods || o->period != a->period || o->t0 != a->t0 ||
            o->nstations != s->plant->nstations || o->nstates != NSTATES)
            return NULL;
    }
    return a;
}

static int bottlenecks(series_sum *ss, const takt_summary *s, const series_obs *a)
{
    int group = a->period < 86400.0 ? (int)lround(86400.0 / a->period) : 1;
    if (group < 1) group = 1;
    ss->bn_period = a->period * group;
    ss->nbn = (a->nperiods + group - 1) / group;
    ss->bn = calloc((size_t)ss->nbn + 1, sizeof *ss->bn);
    double *secs = calloc((size_t)ss->nstations + 1, sizeof *secs);
    if (!ss->bn || !secs) { free(secs); return -1; }
    for (int g = 0; g < ss->nbn; g++) {
        int k0 = g * group, k1 = k0 + group < a->nperiods ? k0 + group : a->nperiods;
        series_bottleneck *b = &ss->bn[g];
        b->start_s = ss->start[k0];
        b->len_s = 0;
        double paused = 0;
        for (int k = k0; k < k1; k++) b->len_s += ss->len[k];
        for (int r = 0; r < s->replications; r++)
            for (int k = k0; k < k1; k++) paused += s->reps[r].series->paused[k];
        b->analysed_s = b->len_s - paused / s->replications;
        if (b->analysed_s < 0) b->analysed_s = 0;
        b->station = -1;
        double best = 0;
        for (int i = 0; i < ss->nstations; i++) {
            secs[i] = 0;
            for (int r = 0; r < s->replications; r++) {
                const series_obs *o = s->reps[r].series;
                for (int k = k0; k < k1; k++) secs[i] += o->bn[(size_t)i * (size_t)o->nperiods + (size_t)k];
            }
            if (secs[i] > best) { best = secs[i]; b->station = i; }
        }
        b->share = b->analysed_s > 0 ? fmin(best / s->replications / b->analysed_s, 1) : 0;
    }
    free(secs);
    return 0;
}

series_sum *series_summarise(const takt_summary *s, int *oom)
{
    *oom = 0;
    const series_obs *a = shape(s);
    if (!a) return NULL;
    const takt_plant *p = s->plant;
    series_sum *ss = calloc(1, sizeof *ss);
    if (!ss) { *oom = 1; return NULL; }
    int n = a->nperiods, R = s->replications;
    ss->t0 = a->t0; ss->t_end = a->t_end; ss->period = a->period;
    ss->nperiods = n; ss->nstations = a->nstations; ss->nbuffers = a->nbuffers;
    size_t ncell = (size_t)n * (size_t)a->nstations * NSTATES;
    ss->start = calloc((size_t)n + 1, sizeof *ss->start);
    ss->len = calloc((size_t)n + 1, sizeof *ss->len);
    ss->state = calloc(ncell + 1, sizeof *ss->state);
    ss->level = calloc((size_t)n * (size_t)a->nbuffers + 1, sizeof *ss->level);
    if (!ss->start || !ss->len || !ss->state || !ss->level) goto fail;
    for (int k = 0; k < n; k++) {
        ss->start[k] = a->t0 + (double)k * a->period;
        ss->len[k] = series_period_len(a, k);
    }
    for (size_t c = 0; c < ncell; c++) {
        int i = (int)(c / ((size_t)n * NSTATES)), k = (int)(c / NSTATES % (size_t)n);
        double sum = 0;
        for (int r = 0; r < R; r++) sum += s->reps[r].series->state[c];
        double machine = ss->len[k] * p->stations[i].servers;
        ss->state[c] = machine > 0 ? sum / R / machine : 0;
    }
    for (size_t c = 0; c < (size_t)n * (size_t)a->nbuffers; c++) {
        int k = (int)(c % (size_t)n);
        double sum = 0;
        for (int r = 0; r < R; r++) sum += s->reps[r].series->level[c];
        ss->level[c] = ss->len[k] > 0 ? sum / R / ss->len[k] : 0;
    }
    if (bottlenecks(ss, s, a) < 0) goto fail;
    return ss;
fail:
    series_sum_free(ss);
    *oom = 1;
    return NULL;
}
