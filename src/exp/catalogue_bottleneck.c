/*
 * catalogue_bottleneck.c — the one definition of the bottleneck a report
 * names (see catalogue.h): the station whose improvement raises the output
 * most, as paired improvement runs found it (improve.h, docs/diagnosis.md),
 * held in the summary.  The active-period pick below names it until those
 * runs confirm one, and keeps the name when no improvement raised the
 * output or when the paired runs were not asked for.
 */
#include <math.h>
#include "catalogue.h"

double summary_bottleneck_share(const station_sum *st)
{
    return st->bn_sole.mean + st->bn_shifting.mean;
}

/* Active time: the states the active-period method counts as active. */
static double active_share(const station_sum *st)
{
    double a = 0;
    for (int q = 0; q < NSTATES; q++)
        if (catalogue_states[q].active) a += st->state[q].mean;
    return a;
}

int summary_bottleneck(const takt_summary *s) { return s->bottleneck.station; }

int summary_active_period_pick(const takt_summary *s)
{
    const takt_plant *p = s->plant;
    int best = -1;
    double v = -1;
    for (int i = 0; i < p->nstations; i++) {
        double b = summary_bottleneck_share(&s->stations[i]);
        if (b > v) { v = b; best = i; }
    }
    if (v > 0) return best;
    /* No station was ever the bottleneck (nothing active while the plant
     * worked as a whole): name the one active the longest. */
    for (int i = 0; i < p->nstations; i++) {
        double b = active_share(&s->stations[i]);
        if (b > v) { v = b; best = i; }
    }
    return best;
}

double summary_rate_on_shift(const takt_summary *s, int i)
{
    const station_sum *ss = &s->stations[i];
    if (!station_is_line_end(s->plant, i) || !(ss->recent_on_s > 0)) return NAN;
    return ss->recent_out.mean / (ss->recent_on_s / 3600);
}
