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
#include "sweep.h"
#include "../core/stats.h"

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

/* Rank a plant's gains: those that ran every replication first, then
 * those the screening dropped, each largest gain first; ties keep the
 * shortlist's order.  reps[] follows g[]. */
static void rank_stable(station_gain *g, int *reps, int n, int full)
{
    for (int i = 1; i < n; i++) {
        station_gain v = g[i];
        int rv = reps[i], j = i;
        while (j > 0 && ((reps[j - 1] < full && rv >= full) ||
                         ((reps[j - 1] >= full) == (rv >= full) && g[j - 1].gain.mean < v.gain.mean))) {
            g[j] = g[j - 1]; reps[j] = reps[j - 1]; j--;
        }
        g[j] = v; reps[j] = rv;
    }
}

/* Name the bottleneck of s from its candidates' gains (g taken over):
 * the largest gain among the candidates that ran all `full` replications. */
static void name_it(takt_summary *s, station_gain *g, int *reps, int n, int full, double by)
{
    bottleneck_sum *b = &s->bottleneck;
    int pick = summary_active_period_pick(s);
    rank_stable(g, reps, n, full);
    for (int k = 0; k < n; k++) g[k].replications = reps[k];
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

/* ---- screening ---------------------------------------------------------- */

/* The candidates of one plant in the paired runs: improved plants
 * vp[first .. first + n - 1], and the replications each has run. */
typedef struct field {
    int first, n;
    int reps;                       /* the plant's replications R        */
} field;

/* Paired differences of candidate v against its baseline: d[r] for the
 * replications it has run. */
static int gains_of(const double *tph, const takt_summary *base, int nrep, double *d)
{
    for (int r = 0; r < nrep; r++) d[r] = tph[r] - base->reps[r].throughput_per_hour;
    return nrep;
}

/* Is candidate b beaten by candidate a on the replications both ran?  The
 * lower bound of the paired difference of their gains (the same
 * replications: common random numbers again) is above 0, one-sided at
 * 2.5 %.  Two rivals of the true best at 2.5 % each: the chance that the
 * best of a shortlist of three is dropped is at most 5 % (Bonferroni). */
static int beaten(const double *ta, const double *tb, int nrep)
{
    double d[BN_SCREEN_REPS], mean, half;
    for (int r = 0; r < nrep; r++) d[r] = ta[r] - tb[r];
    ci95(d, nrep, &mean, &half);
    return nrep >= 2 && mean - half > 0;
}

_Static_assert(IMPROVE_SHORTLIST <= 3, "the screening's 2.5 % per rival assumes at most three candidates");

/* Which candidates of field f go on after the screening (keep[v] = 1). */
static void screen(const field *f, const double *tph, int stride, int32_t *keep)
{
    int nrep = f->reps < BN_SCREEN_REPS ? f->reps : BN_SCREEN_REPS;
    for (int j = 0; j < f->n; j++) keep[f->first + j] = 1;
    if (f->reps <= BN_SCREEN_REPS) return;           /* nothing to save */
    for (int j = 0; j < f->n; j++)
        for (int i = 0; i < f->n; i++)
            if (i != j && beaten(tph + (size_t)(f->first + i) * (size_t)stride,
                                 tph + (size_t)(f->first + j) * (size_t)stride, nrep)) {
                keep[f->first + j] = 0;
                break;
            }
}

/* Progress of the paired runs, with job numbers after those before them,
 * so one display counts all. */
typedef struct relay {
    const exp_options *o;
    int first;
} relay;

static void relay_progress(void *ctx, int job, double frac)
{
    const relay *r = ctx;
    r->o->progress(r->o->progress_ctx, r->first + job, frac);
}

/* Parts a baseline replication's left-out stations passed to the sink
 * (rank 0 holds the baseline; elsewhere nothing is read). */
static long left_out(const takt_summary *base, const unsigned char *skip, int rep)
{
    long n = 0;
    if (!base || !skip) return 0;
    for (int i = 0; i < base->plant->nstations; i++)
        if (skip[i]) n += (long)base->reps[rep].stations[i].sunk;
    return n;
}

/* Fill extra[] for the jobs of vp[which[j]], replications from[j] ..
 * from[j] + nrep[j] - 1, j < m. */
static void extras(long *extra, int m, const int *which, const int *from, const int *nrep,
                   const int *owner, unsigned char **skip, takt_summary **sums, int root)
{
    for (int j = 0, k = 0; j < m; j++)
        for (int r = 0; r < nrep[j]; r++, k++)
            extra[k] = root ? left_out(sums[owner[which[j]]], skip[which[j]], from[j] + r) : 0;
}

/* Broadcast rank 0's v (every rank calls it). */
static int share(int32_t *v, int n)
{
    return cluster_size() > 1 ? cluster_broadcast(v, n) : 0;
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
    int nv = 0, stride = 1;
    field *fl = calloc((size_t)n + 1, sizeof *fl);
    if (!fl) { free(pl.msg); return -1; }
    for (int c = 0; c < n; c++) {
        fl[c].first = nv;
        fl[c].n = slot(&pl, c)[0];
        fl[c].reps = o->replications > 0 ? o->replications : plants[c]->replications;
        if (fl[c].reps > stride) stride = fl[c].reps;
        nv += fl[c].n;
    }
    const takt_plant **vp = calloc((size_t)nv + 1, sizeof *vp);
    const takt_plant **vp2 = calloc((size_t)nv + 1, sizeof *vp2);
    int *from = calloc((size_t)nv + 1, sizeof *from), *nrep = calloc((size_t)nv + 1, sizeof *nrep);
    int *done = calloc((size_t)nv + 1, sizeof *done), *which = calloc((size_t)nv + 1, sizeof *which);
    int32_t *keep = calloc((size_t)nv + 2, sizeof *keep);
    int *owner = calloc((size_t)nv + 1, sizeof *owner);
    unsigned char **skip = calloc((size_t)nv + 1, sizeof *skip);
    unsigned char **skip2 = calloc((size_t)nv + 1, sizeof *skip2);
    long *extra = calloc((size_t)nv * (size_t)stride + 1, sizeof *extra);
    double *tph = calloc((size_t)nv * (size_t)stride + 1, sizeof *tph);
    double *got = calloc((size_t)nv * (size_t)stride + 1, sizeof *got);
    int rc = -1, v = 0, jobs = 0;
    if (!vp || !vp2 || !from || !nrep || !done || !which || !keep || !tph || !got || !owner ||
        !skip || !skip2 || !extra)
        goto done;
    for (int c = 0; c < n; c++) {
        const int32_t *sl = slot(&pl, c);
        for (int k = 0; k < sl[0]; k++, v++) {
            vp[v] = improve_plant_new(plants[c], sl[1 + k], IMPROVE_CYCLE, IMPROVE_BY_DEFAULT);
            if (!vp[v]) goto done;
            owner[v] = c;
            which[v] = v;
            skip[v] = run_skippable(plants[c], sl[1 + k]);
            nrep[v] = fl[c].reps < BN_SCREEN_REPS ? fl[c].reps : BN_SCREEN_REPS;
            done[v] = nrep[v];
            jobs += nrep[v];
        }
    }
    /* 1. screening: the first replications of every candidate */
    relay rl = { o, progress_first };
    exp_options o1 = *o;
    if (o->progress) { o1.progress = relay_progress; o1.progress_ctx = &rl; }
    extras(extra, nv, which, from, nrep, owner, skip, sums, root);
    rc = nv > 0 ? sweep_throughputs(vp, nv, (const unsigned char *const *)skip, from, nrep, extra,
                                    &o1, got)
                : (root ? 0 : EXP_NOT_ROOT);
    if (rc == 0)
        for (int w = 0, k = 0; w < nv; k += nrep[w], w++)
            memcpy(tph + (size_t)w * (size_t)stride, got + k, (size_t)nrep[w] * sizeof *tph);
    /* 2. rank 0 decides who goes on; every rank hears it (keep[nv]: go on) */
    if (rc == 0) for (int c = 0; c < n; c++) screen(&fl[c], tph, stride, keep);
    keep[nv] = rc == 0;
    if (share(keep, nv + 1) < 0) { rc = -1; goto done; }
    if (!keep[nv]) goto done;          /* rank 0 says why; the others, EXP_NOT_ROOT */
    /* 3. the rest of the replications of those not beaten */
    int n2 = 0;
    for (int c = 0; c < n; c++)
        for (int j = 0; j < fl[c].n; j++) {
            int w = fl[c].first + j;
            if (!keep[w] || done[w] >= fl[c].reps) continue;
            vp2[n2] = vp[w]; which[n2] = w; skip2[n2] = skip[w];
            from[n2] = done[w]; nrep[n2] = fl[c].reps - done[w];
            n2++;
        }
    if (n2 > 0) {
        relay rl2 = { o, progress_first + jobs };
        exp_options o2 = *o;
        if (o->progress) { o2.progress = relay_progress; o2.progress_ctx = &rl2; }
        extras(extra, n2, which, from, nrep, owner, skip, sums, root);
        rc = sweep_throughputs(vp2, n2, (const unsigned char *const *)skip2, from, nrep, extra,
                               &o2, got);
        for (int i = 0, k = 0; rc == 0 && i < n2; k += nrep[i], i++) {
            int w = which[i];
            memcpy(tph + (size_t)w * (size_t)stride + done[w], got + k, (size_t)nrep[i] * sizeof *tph);
            done[w] += nrep[i];
        }
    }
    /* 4. rank 0: the gains, those that ran every replication first */
    for (int c = 0; rc == 0 && c < n; c++) {
        station_gain *g = malloc(((size_t)fl[c].n + 1) * sizeof *g);
        int *reps = malloc(((size_t)fl[c].n + 1) * sizeof *reps);
        double *d = malloc(((size_t)stride + 1) * sizeof *d);
        if (!g || !reps || !d) { free(g); free(reps); free(d); rc = -1; break; }
        const int32_t *sl = slot(&pl, c);
        for (int j = 0; j < fl[c].n; j++) {
            int w = fl[c].first + j;
            g[j].station = sl[1 + j];
            reps[j] = done[w];
            int m = gains_of(tph + (size_t)w * (size_t)stride, sums[c], done[w], d);
            ci95(d, m, &g[j].gain.mean, &g[j].gain.ci95);
        }
        name_it(sums[c], g, reps, fl[c].n, fl[c].reps, IMPROVE_BY_DEFAULT);
        free(reps); free(d);
    }
done:
    for (int k = 0; vp && k < nv; k++) improve_plant_free((takt_plant *)vp[k]);
    for (int k = 0; skip && k < nv; k++) free(skip[k]);
    free(vp); free(vp2); free(from); free(nrep); free(done); free(which); free(keep);
    free(owner); free(skip); free(skip2); free(extra);
    free(tph); free(got); free(fl); free(pl.msg);
    return rc;
}
