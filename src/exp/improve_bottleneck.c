/*
 * improve_bottleneck.c — naming the bottleneck: a shortlist from the
 * station states, confirmed by paired improvement runs.
 *
 * Why a shortlist at all: each candidate costs one more run of the whole
 * plant.  Quick indicators pick the few stations that could be it:
 *
 *  - the active-period pick (Roser et al.), right on most lines but fooled
 *    by a station that works longer hours than the line it feeds (it is
 *    active whenever the line is not) and by variability;
 *  - the stations busiest in the time they could work: working, failed or
 *    changing over as a share of the time neither off shift nor closed
 *    (starved and blocked are the time it could have worked but did not),
 *    weighted by the parts it passes on as a share of the most any station
 *    passes, since an improvement can raise the output by at most what
 *    flows through the station.
 *
 * Why the candidate with the largest paired gain: that is the definition
 * (DESIGN.md): the bottleneck is the station whose improvement raises the
 * output most.  When no candidate's improvement raises it (a plant whose
 * output is set by its arrivals or its calendar), the active-period pick
 * keeps the name and the method says so.
 *
 * Over MPI only rank 0 holds the baseline's results, so it makes the
 * shortlists and sends them to every rank before the runs.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "improve.h"
#include "catalogue.h"
#include "cluster.h"

int improve_shortlist_max(const takt_plant *p)
{
    return p->nstations < IMPROVE_SHORTLIST ? p->nstations : IMPROVE_SHORTLIST;
}

/* Busy share of the time the station could work, times its share of the
 * largest flow. */
static double indicator(const takt_summary *s, int i, double max_out)
{
    const station_sum *st = &s->stations[i];
    double busy = 0, idle = 0;
    for (int q = 0; q < NSTATES; q++) {
        if (q == ST_OFF_SHIFT || q == ST_CLOSED) continue;  /* it could not work then */
        if (catalogue_states[q].active) busy += st->state[q].mean;
        else idle += st->state[q].mean;
    }
    if (!(busy > 0) || !(max_out > 0)) return 0;
    return busy / (busy + idle) * (st->parts_out.mean / max_out);
}

int improve_shortlist(const takt_summary *s, int *out)
{
    const takt_plant *p = s->plant;
    int n = p->nstations, max = improve_shortlist_max(p), k = 0;
    if (n == 0) return 0;
    double *score = malloc((size_t)n * sizeof *score);
    int *order = malloc((size_t)n * sizeof *order);
    if (!score || !order) {         /* fall back to the pick alone */
        free(score); free(order);
        out[0] = summary_active_period_pick(s);
        return out[0] >= 0;
    }
    double max_out = 0;
    for (int i = 0; i < n; i++)
        if (s->stations[i].parts_out.mean > max_out) max_out = s->stations[i].parts_out.mean;
    for (int i = 0; i < n; i++) { score[i] = indicator(s, i, max_out); order[i] = i; }
    /* insertion sort: stable, so ties keep the file's order */
    for (int i = 1; i < n; i++) {
        int v = order[i], j = i;
        while (j > 0 && score[order[j - 1]] < score[v]) { order[j] = order[j - 1]; j--; }
        order[j] = v;
    }
    int pick = summary_active_period_pick(s);
    if (pick >= 0) out[k++] = pick;
    for (int j = 0; j < n && k < max; j++)
        if (order[j] != pick) out[k++] = order[j];
    free(score); free(order);
    return k;
}

/* Rank a plant's gains, largest first; ties keep the shortlist's order. */
static void rank_stable(station_gain *g, int n)
{
    for (int i = 1; i < n; i++) {
        station_gain v = g[i];
        int j = i;
        while (j > 0 && g[j - 1].gain.mean < v.gain.mean) { g[j] = g[j - 1]; j--; }
        g[j] = v;
    }
}

/* Name the bottleneck of s from its candidates' gains (taken over). */
static void name_it(takt_summary *s, station_gain *g, int n, double by)
{
    bottleneck_sum *b = &s->bottleneck;
    int pick = summary_active_period_pick(s);
    rank_stable(g, n);
    free(b->candidates);
    b->candidates = g;
    b->ncandidates = n;
    b->by = by;
    if (n > 0 && g[0].gain.mean > 0) {
        b->station = g[0].station;
        b->method = BN_PAIRED_IMPROVEMENT;
        b->gain = g[0].gain;
        return;
    }
    b->station = pick;
    b->method = BN_ACTIVE_PERIOD;
    b->gain.mean = b->gain.ci95 = NAN;
    for (int k = 0; k < n; k++)
        if (g[k].station == pick) b->gain = g[k].gain;
}

/* The decision rank 0 sends: go or not, then per plant its count and
 * candidates (width = the most any plant has). */
typedef struct plan {
    int32_t *msg;
    int n, width;
} plan;

static int32_t *slot(plan *pl, int c) { return pl->msg + 1 + (size_t)c * (size_t)(pl->width + 1); }

static int make_plan(plan *pl, const takt_plant *const *plants, int n, int base_rc,
                     takt_summary **sums)
{
    pl->n = n;
    pl->width = 0;
    for (int c = 0; c < n; c++)
        if (improve_shortlist_max(plants[c]) > pl->width) pl->width = improve_shortlist_max(plants[c]);
    pl->msg = calloc(1 + (size_t)n * (size_t)(pl->width + 1), sizeof *pl->msg);
    if (!pl->msg) return -1;
    if (cluster_rank() == 0 && base_rc == 0) {
        int *cand = malloc(((size_t)pl->width + 1) * sizeof *cand);
        if (!cand) return -1;
        pl->msg[0] = 1;
        for (int c = 0; c < n; c++) {
            int32_t *sl = slot(pl, c);
            sl[0] = improve_shortlist(sums[c], cand);
            for (int k = 0; k < sl[0]; k++) sl[1 + k] = cand[k];
        }
        free(cand);
    }
    return 0;
}

int bottleneck_confirm(const takt_plant *const *plants, int n, const exp_options *o,
                       int base_rc, takt_summary **sums, int progress_first)
{
    plan pl = {0};
    int root = cluster_rank() == 0;
    int ok = make_plan(&pl, plants, n, base_rc, sums) == 0;
    /* every rank takes part in the broadcast, even one that failed */
    if (!ok && pl.msg) pl.msg[0] = 0;
    if (cluster_size() > 1) {
        int32_t dummy = 0;
        if (cluster_broadcast(pl.msg ? pl.msg : &dummy, pl.msg ? 1 + n * (pl.width + 1) : 1) < 0)
            ok = 0;
    }
    if (!ok || !pl.msg[0]) {
        free(pl.msg);
        return base_rc != 0 ? base_rc : -1;
    }
    int nv = 0;
    for (int c = 0; c < n; c++) nv += slot(&pl, c)[0];
    const takt_plant **vp = calloc((size_t)nv + 1, sizeof *vp);
    const takt_summary **bases = calloc((size_t)nv + 1, sizeof *bases);
    kpi *gains = calloc((size_t)nv + 1, sizeof *gains);
    int rc = -1, v = 0;
    if (!vp || !bases || !gains) goto done;
    for (int c = 0; c < n; c++) {
        const int32_t *sl = slot(&pl, c);
        for (int k = 0; k < sl[0]; k++, v++) {
            vp[v] = improve_plant_new(plants[c], sl[1 + k], IMPROVE_CYCLE, IMPROVE_BY_DEFAULT);
            bases[v] = root ? sums[c] : NULL;
            if (!vp[v]) goto done;
        }
    }
    rc = nv > 0 ? improve_pairs(vp, nv, o, bases, progress_first, gains) : (root ? 0 : EXP_NOT_ROOT);
    for (int c = 0, w = 0; rc == 0 && c < n; c++) {
        const int32_t *sl = slot(&pl, c);
        station_gain *g = malloc(((size_t)sl[0] + 1) * sizeof *g);
        if (!g) { rc = -1; break; }
        for (int k = 0; k < sl[0]; k++, w++) { g[k].station = sl[1 + k]; g[k].gain = gains[w]; }
        name_it(sums[c], g, sl[0], IMPROVE_BY_DEFAULT);
    }
done:
    for (int k = 0; vp && k < nv; k++) improve_plant_free((takt_plant *)vp[k]);
    free(vp); free(bases); free(gains); free(pl.msg);
    return rc;
}
