/*
 * improve.c — improved copies of a plant and the paired runs that measure
 * them.
 *
 * A copy shares every array of the plant but the stations, and of the
 * improved station only the distributions it changes are its own: a copy
 * costs one array of stations, however large the plant.  The runs go
 * through sweep_run (sweep.c), so they spread over threads and MPI ranks
 * like any sweep and give the same numbers however they are scheduled;
 * the pairing reads observations by replication number, so it does too.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "improve.h"
#include "sweep.h"
#include "../core/stats.h"

const char *improve_what_name(improve_what w) { return w == IMPROVE_MTTR ? "mttr" : "cycle"; }

typedef struct variant {
    takt_plant plant;               /* first member: handed out as the plant */
    station *stations;              /* the copy's own, shallow copies      */
    dist *by_product;               /* the improved station's, or NULL     */
    failure_mode *failures;         /* the improved station's, or NULL     */
    double *values;                 /* empirical values of the dists above */
} variant;

/* Give d its own copy of its empirical values (from *pool) and scale it. */
static void scale_own(dist *d, double f, double **pool)
{
    if (d->kind == DIST_EMPIRICAL) {
        memcpy(*pool, d->values, (size_t)d->nvalues * sizeof **pool);
        d->values = *pool;
        *pool += d->nvalues;
    }
    dist_scale(d, f);
}

static size_t values_of(const dist *d) { return d->kind == DIST_EMPIRICAL ? (size_t)d->nvalues : 0; }

takt_plant *improve_plant_new(const takt_plant *p, int i, improve_what what, double by)
{
    if (i < 0 || i >= p->nstations || !(by > 0 && by < 1)) return NULL;
    variant *v = calloc(1, sizeof *v);
    if (!v) return NULL;
    v->plant = *p;
    v->stations = malloc((size_t)p->nstations * sizeof *v->stations);
    if (!v->stations) { free(v); return NULL; }
    memcpy(v->stations, p->stations, (size_t)p->nstations * sizeof *v->stations);
    v->plant.stations = v->stations;
    station *st = &v->stations[i];
    const station *orig = &p->stations[i];
    int nprod = orig->cycle_by_product ? p->nproducts : 0;
    size_t nvalues = 0;
    if (what == IMPROVE_CYCLE) {
        nvalues += values_of(&orig->cycle);
        for (int k = 0; k < nprod; k++) nvalues += values_of(&orig->cycle_by_product[k]);
    } else {
        for (int k = 0; k < orig->nfailures; k++) nvalues += values_of(&orig->failures[k].ttr);
    }
    v->values = malloc((nvalues + 1) * sizeof *v->values);
    if (what == IMPROVE_CYCLE && nprod > 0)
        v->by_product = malloc((size_t)nprod * sizeof *v->by_product);
    if (what == IMPROVE_MTTR && orig->nfailures > 0)
        v->failures = malloc((size_t)orig->nfailures * sizeof *v->failures);
    if (!v->values || (what == IMPROVE_CYCLE && nprod > 0 && !v->by_product) ||
        (what == IMPROVE_MTTR && orig->nfailures > 0 && !v->failures)) {
        improve_plant_free(&v->plant);
        return NULL;
    }
    double f = 1 - by, *pool = v->values;
    if (what == IMPROVE_CYCLE) {
        scale_own(&st->cycle, f, &pool);
        if (nprod > 0) {
            memcpy(v->by_product, orig->cycle_by_product, (size_t)nprod * sizeof *v->by_product);
            for (int k = 0; k < nprod; k++) scale_own(&v->by_product[k], f, &pool);
            st->cycle_by_product = v->by_product;
        }
    } else if (orig->nfailures > 0) {
        memcpy(v->failures, orig->failures, (size_t)orig->nfailures * sizeof *v->failures);
        for (int k = 0; k < orig->nfailures; k++) scale_own(&v->failures[k].ttr, f, &pool);
        st->failures = v->failures;
    }
    return &v->plant;
}

void improve_plant_free(takt_plant *q)
{
    if (!q) return;
    variant *v = (variant *)q;
    free(v->stations); free(v->by_product); free(v->failures); free(v->values);
    free(v);
}

/* ---- paired runs ------------------------------------------------------- */

/* Progress of the improvement runs, passed on with job numbers after the
 * baseline's, so one display counts both. */
typedef struct relay {
    const exp_options *o;
    int first;
} relay;

static void relay_progress(void *ctx, int job, double frac)
{
    const relay *r = ctx;
    r->o->progress(r->o->progress_ctx, r->first + job, frac);
}

/* Mean and half-width of the paired throughput differences. */
static int pair(const takt_summary *base, const takt_summary *better, kpi *gain)
{
    int n = base->replications;
    if (better->replications != n) return -1;
    double *d = malloc(((size_t)n + 1) * sizeof *d);
    if (!d) return -1;
    for (int r = 0; r < n; r++)
        d[r] = better->reps[r].throughput_per_hour - base->reps[r].throughput_per_hour;
    ci95(d, n, &gain->mean, &gain->ci95);
    free(d);
    return 0;
}

int improve_pairs(const takt_plant *const *plants, int nv, const exp_options *o,
                  const takt_summary *const *bases, int progress_first, kpi *gains)
{
    takt_summary **out = calloc((size_t)nv + 1, sizeof *out);
    if (!out) return -1;
    exp_options oo = *o;
    oo.series = 0;                  /* the comparison needs no series     */
    relay rl = { o, progress_first };
    if (o->progress) { oo.progress = relay_progress; oo.progress_ctx = &rl; }
    int rc = sweep_run(plants, nv, &oo, out, NULL, NULL);
    for (int v = 0; rc == 0 && v < nv; v++) {
        if (v == 0 && !bases[0]) gains[0] = out[0]->throughput_per_hour;
        else if (pair(bases[v] ? bases[v] : out[0], out[v], &gains[v]) < 0) rc = -1;
    }
    for (int v = 0; v < nv; v++) summary_free(out[v]);
    free(out);
    return rc;
}

int improve_run(const takt_plant *p, const exp_options *o, const takt_summary *base,
                const int *stations, int n, improve_what what, double by,
                int progress_first, station_gain *gains, kpi *throughput)
{
    int with_base = base == NULL, nv = n + with_base, rc = -1;
    const takt_plant **plants = calloc((size_t)nv + 1, sizeof *plants);
    const takt_summary **bases = calloc((size_t)nv + 1, sizeof *bases);
    kpi *g = calloc((size_t)nv + 1, sizeof *g);
    if (!plants || !bases || !g) goto done;
    if (with_base) plants[0] = p;
    for (int k = 0; k < n; k++) {
        plants[with_base + k] = improve_plant_new(p, stations[k], what, by);
        bases[with_base + k] = base;
        if (!plants[with_base + k]) goto done;
    }
    rc = improve_pairs(plants, nv, o, bases, progress_first, g);
    for (int k = 0; rc == 0 && k < n; k++) {
        gains[k].station = stations[k];
        gains[k].gain = g[with_base + k];
        gains[k].replications = o->replications > 0 ? o->replications : p->replications;
    }
    if (rc == 0 && throughput) *throughput = with_base ? g[0] : base->throughput_per_hour;
done:
    for (int k = 0; plants && k < n; k++) improve_plant_free((takt_plant *)plants[with_base + k]);
    free(plants); free(bases); free(g);
    return rc;
}

static int by_gain(const void *a, const void *b)
{
    const station_gain *x = a, *y = b;
    if (x->gain.mean != y->gain.mean) return x->gain.mean > y->gain.mean ? -1 : 1;
    return (x->station > y->station) - (x->station < y->station);
}

void improve_rank(station_gain *gains, int n)
{
    if (n > 1) qsort(gains, (size_t)n, sizeof *gains, by_gain);
}

int improve_targets(const takt_plant *p, improve_what what, int *stations)
{
    int n = 0;
    for (int i = 0; i < p->nstations; i++)
        if (what == IMPROVE_CYCLE || p->stations[i].nfailures > 0) stations[n++] = i;
    return n;
}

int improve_all(const takt_plant *p, const exp_options *o, improve_what what, double by,
                improve_result *out)
{
    memset(out, 0, sizeof *out);
    int *st = malloc(((size_t)p->nstations + 1) * sizeof *st);
    if (!st) return -1;
    int n = improve_targets(p, what, st);
    if (n == 0) { free(st); return -4; }
    out->gains = calloc((size_t)n + 1, sizeof *out->gains);
    if (!out->gains) { free(st); return -1; }
    out->plant = p;
    out->what = what;
    out->by = by;
    out->replications = o->replications > 0 ? o->replications : p->replications;
    out->seed = o->have_seed ? o->seed : p->seed;
    out->n = n;
    int rc = improve_run(p, o, NULL, st, n, what, by, 0, out->gains, &out->throughput);
    free(st);
    if (rc != 0) { improve_result_free(out); return rc; }
    improve_rank(out->gains, n);
    return 0;
}

void improve_result_free(improve_result *r)
{
    if (!r) return;
    free(r->gains);
    memset(r, 0, sizeof *r);
}
