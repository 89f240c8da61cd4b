/*
 * catalogue_bottleneck.c — the one definition of the bottleneck a report
 * names (see catalogue.h).  Kept in a file of its own so that a better
 * definition (e.g. the station whose improvement raises the output most)
 * replaces this one function and every report follows.
 */
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

int summary_bottleneck(const takt_summary *s)
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
