/*
 * summary_resource.c — the resource pools and carrier loops of a summary:
 * the mean and 95 % half-width across replications of each figure of
 * pool_obs and loop_obs (run.h), which are plain arrays of doubles.
 */
#include <stdlib.h>
#include "summary.h"
#include "../core/stats.h"

static kpi across(const rep_obs *reps, int n, double *tmp, const double *(*at)(const rep_obs *,
                  int, int), int i, int k)
{
    kpi out;
    for (int r = 0; r < n; r++) tmp[r] = at(&reps[r], i, k)[0];
    ci95(tmp, n, &out.mean, &out.ci95);
    return out;
}

static const double *pool_at(const rep_obs *o, int i, int k)
{
    return &o->pools[i].utilisation + k;
}

static const double *loop_at(const rep_obs *o, int i, int k)
{
    return &o->loops[i].free + k;
}

int summary_resources(takt_summary *s)
{
    const takt_plant *p = s->plant;
    int n = s->replications;
    double *tmp = calloc((size_t)n + 1, sizeof *tmp);
    s->pools = calloc((size_t)p->nresources + 1, sizeof *s->pools);
    s->loops = calloc((size_t)p->ncarriers + 1, sizeof *s->loops);
    if (!tmp || !s->pools || !s->loops) { free(tmp); return -1; }
    for (int i = 0; i < p->nresources; i++) {
        kpi *k = &s->pools[i].utilisation;
        for (int f = 0; f < POOL_FIGURES; f++) k[f] = across(s->reps, n, tmp, pool_at, i, f);
    }
    for (int i = 0; i < p->ncarriers; i++) {
        kpi *k = &s->loops[i].free;
        for (int f = 0; f < LOOP_FIGURES; f++) k[f] = across(s->reps, n, tmp, loop_at, i, f);
    }
    free(tmp);
    return 0;
}
