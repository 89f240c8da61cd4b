/*
 * catalogue_rep.c — a headline figure's observation in one replication
 * (catalogue_rep.h).
 *
 * A headline figure with an interval is the mean of one observation per
 * replication (summary.c, summary_plant.c); this table says which field
 * of a replication's rep_obs each one is, keyed by where the figure's
 * mean lives in the summary, so the catalogue's rows stay as they are.
 * A figure added to the catalogue with an interval and no row here has
 * no per-replication values: tests/unit/test_compare.c checks, figure by
 * figure, that the mean of these values is the summary's mean, so such a
 * figure is caught there.
 */
#include <math.h>
#include <stddef.h>
#include "catalogue_rep.h"

typedef struct rep_field {
    size_t summary;                 /* offset of the kpi in takt_summary */
    double (*get)(const rep_obs *o);
} rep_field;

static double rep_throughput(const rep_obs *o) { return o->throughput_per_hour; }
static double rep_lead_time(const rep_obs *o) { return o->lead_time_s; }
static double rep_wip(const rep_obs *o) { return o->wip; }
static double rep_produced(const rep_obs *o) { return (double)o->produced; }
static double rep_scrapped(const rep_obs *o) { return (double)o->scrapped; }
static double rep_delivered(const rep_obs *o) { return (double)o->delivered; }

static const rep_field fields[] = {
    { offsetof(takt_summary, throughput_per_hour), rep_throughput },
    { offsetof(takt_summary, lead_time_s), rep_lead_time },
    { offsetof(takt_summary, wip), rep_wip },
    { offsetof(takt_summary, produced), rep_produced },
    { offsetof(takt_summary, scrapped), rep_scrapped },
    { offsetof(takt_summary, delivered), rep_delivered },
};

static const rep_field *field_of(const figure_def *f)
{
    if (!f || f < catalogue_headline || f >= catalogue_headline + catalogue_nheadline ||
        f->kind != CAT_KPI)
        return NULL;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (fields[i].summary == f->offset) return &fields[i];
    return NULL;
}

int catalogue_has_reps(const figure_def *f)
{
    return field_of(f) != NULL;
}

double catalogue_rep_value(const figure_def *f, const takt_summary *s, int rep)
{
    const rep_field *rf = field_of(f);
    if (!rf || !s || !s->reps || rep < 0 || rep >= s->replications) return NAN;
    return rf->get(&s->reps[rep]);
}
