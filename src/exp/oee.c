/*
 * oee.c — OEE per station and its ISO 22400 factors (oee.h).
 *
 * The replications hold each station's state times as shares of its
 * machine time (mean over servers) and its counts of parts; the factors
 * are ratios of totals over all replications.  A ratio of totals, not a
 * mean of ratios: the three factors then multiply to the OEE exactly, and
 * a replication in which a station hardly worked weighs as little as it
 * should.
 */
#include <math.h>
#include "oee.h"
#include "../core/dist.h"

/* The product of the plant's, the workshop's and the station's ramp
 * factors at t. */
static double factor_at(const takt_plant *p, int i, double t)
{
    const station *st = &p->stations[i];
    double f = ramp_at(&p->ramp, t) * ramp_at(&st->ramp, t);
    if (st->workshop >= 0 && st->workshop < p->nworkshops) f *= ramp_at(&p->workshops[st->workshop].ramp, t);
    return f;
}

/* The smallest that product ever is: at a point of one of the ramps (each
 * is linear between its points and flat outside; between two points the
 * product of positive linear factors is least at an end). */
static double fastest_factor(const takt_plant *p, int i)
{
    const station *st = &p->stations[i];
    const ramp *rs[3] = { &p->ramp, &st->ramp,
                          st->workshop >= 0 && st->workshop < p->nworkshops
                          ? &p->workshops[st->workshop].ramp : NULL };
    double f = factor_at(p, i, 0);
    for (int k = 0; k < 3; k++)
        for (int j = 0; rs[k] && j < rs[k]->n; j++) f = fmin(f, factor_at(p, i, rs[k]->pts[j].t));
    return f;
}

double oee_ideal_cycle(const takt_plant *p, int i)
{
    const station *st = &p->stations[i];
    double c = dist_mean(&st->cycle);
    if (st->cycle_by_product && p->nproducts > 0) {
        double sum = 0, w = 0;
        for (int k = 0; k < p->nproducts; k++) {
            double share = st->mix ? st->mix[k] : p->products[k].share;
            if (!(share > 0)) continue;
            sum += share * dist_mean(&st->cycle_by_product[k]);
            w += share;
        }
        if (w > 0) c = sum / w;
    }
    /* a ramp that ends faster than the nominal cycle (a line upgraded
     * beyond its plan) sets the ideal; slower factors are losses */
    return c * fmin(1.0, fastest_factor(p, i)) / (st->batch > 1 ? st->batch : 1);
}

int oee_unplanned(int state)
{
    return state == ST_OFF_SHIFT || state == ST_CLOSED || state == ST_MAINTENANCE;
}

static double ratio(double a, double b) { return b > 0 ? a / b : NAN; }

int oee_station(const takt_summary *s, int i, oee_factors *out)
{
    const takt_plant *p = s->plant;
    if (!s->reps || s->replications < 1) return -1;
    double machine_s = s->horizon * p->stations[i].servers;
    double planned = 0, operating = 0, produced = 0, good = 0;
    for (int r = 0; r < s->replications; r++) {
        if (!s->reps[r].stations) return -1;
        const station_obs *so = &s->reps[r].stations[i];
        for (int q = 0; q < NSTATES; q++)
            if (!oee_unplanned(q)) planned += so->state[q] * machine_s;
        operating += so->state[ST_WORKING] * machine_s;
        produced += so->parts_out + so->scrapped + so->held;
        good += so->parts_out + so->held - so->reworked;
    }
    double n = s->replications;
    out->ideal_cycle_s = oee_ideal_cycle(p, i);
    out->availability = ratio(operating, planned);
    out->performance = ratio(out->ideal_cycle_s * produced, operating);
    out->quality = ratio(good, produced);
    out->oee = out->availability * out->performance * out->quality;
    out->planned_h = planned / n / 3600;
    out->operating_h = operating / n / 3600;
    out->produced = produced / n;
    out->good = good / n;
    return 0;
}
