/*
 * summary.c — from per-replication observations to means and 95 %
 * half-widths.  Observations are read in replication order, so the summary
 * is the same bit for bit however the replications were scheduled.
 */
#include <math.h>
#include <stdlib.h>
#include "analytic/estimate.h"
#include "summary.h"
#include "catalogue.h"
#include "series_sum.h"
#include "../core/stats.h"

struct summary_estimate_cache {
    int computed;
    estimate *e;                    /* NULL: out of memory               */
};

const estimate *summary_estimate(const takt_summary *s)
{
    struct summary_estimate_cache *c = s->estimate;
    if (!c) return NULL;
    if (!c->computed) {
        c->computed = 1;
        if ((c->e = malloc(sizeof *c->e)) && estimate_plant(s->plant, c->e) != 0) {
            estimate_free(c->e);
            free(c->e);
            c->e = NULL;
        }
    }
    return c->e;
}

static kpi kpi_of(const rep_obs *reps, int n, double *tmp, size_t off)
{
    kpi k;
    for (int i = 0; i < n; i++) tmp[i] = *(const double *)((const char *)&reps[i] + off);
    ci95(tmp, n, &k.mean, &k.ci95);
    return k;
}

static kpi kpi_station(const rep_obs *reps, int n, double *tmp, int st, int state)
{
    kpi k;
    for (int i = 0; i < n; i++)
        tmp[i] = state < 0 ? reps[i].stations[st].parts_out : reps[i].stations[st].state[state];
    ci95(tmp, n, &k.mean, &k.ci95);
    return k;
}

const char *bn_method_name(bn_method m)
{
    return m == BN_PAIRED_IMPROVEMENT ? "paired-improvement" : "active-period";
}

static void active_period_pick(takt_summary *s)
{
    s->bottleneck.station = summary_active_period_pick(s);
    s->bottleneck.method = BN_ACTIVE_PERIOD;
    s->bottleneck.by = 0;
    s->bottleneck.gain.mean = s->bottleneck.gain.ci95 = NAN;
}

takt_summary *summary_build(const takt_plant *p, rep_obs *reps, int n,
                            uint64_t seed, double horizon, double warmup)
{
    takt_summary *s = calloc(1, sizeof *s);
    double *tmp = calloc((size_t)n + 1, sizeof *tmp);
    int nb = p->nbuffers + p->nsources;
    if (!s || !tmp) goto fail;
    s->stations = calloc((size_t)p->nstations + 1, sizeof *s->stations);
    s->buffers = calloc((size_t)nb + 1, sizeof *s->buffers);
    if (!s->stations || !s->buffers) goto fail;
    s->plant = p; s->reps = reps; s->replications = n;
    s->seed = seed; s->horizon = horizon; s->warmup = warmup;
    s->throughput_per_hour = kpi_of(reps, n, tmp, offsetof(rep_obs, throughput_per_hour));
    s->lead_time_s = kpi_of(reps, n, tmp, offsetof(rep_obs, lead_time_s));
    s->wip = kpi_of(reps, n, tmp, offsetof(rep_obs, wip));
    for (int i = 0; i < n; i++) s->events += reps[i].events;
    for (int st = 0; st < p->nstations; st++) {
        s->stations[st].parts_out = kpi_station(reps, n, tmp, st, -1);
        for (int q = 0; q < NSTATES; q++)
            s->stations[st].state[q] = kpi_station(reps, n, tmp, st, q);
        for (int i = 0; i < n; i++) tmp[i] = reps[i].stations[st].bn_sole;
        ci95(tmp, n, &s->stations[st].bn_sole.mean, &s->stations[st].bn_sole.ci95);
        for (int i = 0; i < n; i++) tmp[i] = reps[i].stations[st].bn_shifting;
        ci95(tmp, n, &s->stations[st].bn_shifting.mean, &s->stations[st].bn_shifting.ci95);
    }
    for (int b = 0; b < nb; b++) {
        for (int i = 0; i < n; i++) tmp[i] = reps[i].buffers[b].mean_level;
        ci95(tmp, n, &s->buffers[b].mean_level.mean, &s->buffers[b].mean_level.ci95);
        for (int i = 0; i < n; i++)
            if (reps[i].buffers[b].max_level > s->buffers[b].max_level)
                s->buffers[b].max_level = reps[i].buffers[b].max_level;
    }
    free(tmp);
    active_period_pick(s);
    int oom = 0;
    s->series = series_summarise(s, &oom);
    if (oom || summary_plant(s) < 0 || summary_resources(s) < 0) {
        s->reps = NULL; summary_free(s); return NULL;
    }
    /* the estimate beside every simulation it applies to (issue 14) is
     * computed when a report shows it (summary_estimate); without memory
     * for its slot the summary simply has none */
    s->estimate = calloc(1, sizeof *s->estimate);
    return s;
fail:
    free(tmp);
    if (s) { free(s->stations); free(s->buffers); free(s); }
    return NULL;
}

void summary_free(takt_summary *s)
{
    if (!s) return;
    for (int i = 0; s->reps && i < s->replications; i++) rep_obs_free(&s->reps[i]);
    free(s->reps);
    free(s->stations);
    free(s->buffers);
    free(s->daily); free(s->monthly); free(s->targets); free(s->workshops);
    free(s->pools); free(s->loops);
    free(s->bottleneck.candidates);
    series_sum_free(s->series);
    if (s->estimate && s->estimate->e) { estimate_free(s->estimate->e); free(s->estimate->e); }
    free(s->estimate);
    free(s);
}

