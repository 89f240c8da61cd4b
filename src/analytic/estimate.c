/*
 * estimate.c — from a plant description to the decomposition (see
 * estimate.h and docs/estimate.md).
 *
 * First every feature is checked against what the method covers; each one
 * outside it is named (once) in the result.  Then the stations are put in
 * line order by following the buffers from the one station nothing feeds,
 * and each station's processing becomes a phase-type distribution: its
 * cycle fitted by two moments, its failure modes exponential with the
 * modes' mean times (the repair's and the time to failure's other moments
 * are not used), parallel servers as one machine c times as fast whose
 * failures take 1/c of its capacity.
 */
#include "analytic/estimate.h"
#include "analytic/moments.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int add_unsupported(estimate *e, const char *what)
{
    for (int i = 0; i < e->nunsupported; i++)
        if (!strcmp(e->unsupported[i], what)) return 0;
    char **u = realloc(e->unsupported, sizeof(char *) * (size_t)(e->nunsupported + 1));
    if (!u) return -1;
    e->unsupported = u;
    if (!(u[e->nunsupported] = strdup(what))) return -1;
    e->nunsupported++;
    return 0;
}

#define NEED(cond, what) do { if ((cond) && add_unsupported(e, what)) return -1; } while (0)

/* Everything the plant uses that the method does not cover. */
static int check_features(const takt_plant *p, estimate *e)
{
    NEED(p->nsources > 0, "sources (arrival processes)");
    NEED(p->calendar >= 0 || p->ncalendars > 0, "shift calendars");
    NEED(p->opens > 0, "late openings");
    NEED(p->ramp.n > 0, "ramp-up");
    NEED(p->demand.enabled, "demand (orders)");
    NEED(p->nsequence > 0, "release sequences");
    for (int i = 0; i < p->nworkshops; i++) {
        NEED(p->workshops[i].calendar >= 0, "shift calendars");
        NEED(p->workshops[i].opens > 0, "late openings");
        NEED(p->workshops[i].ramp.n > 0, "ramp-up");
    }
    for (int i = 0; i < p->nproducts; i++)
        NEED(isfinite(p->products[i].from) || isfinite(p->products[i].until),
             "products released in periods");
    for (int i = 0; i < p->nstations; i++) {
        const station *s = &p->stations[i];
        NEED(s->calendar >= 0, "shift calendars");
        NEED(s->opens > 0, "late openings");
        NEED(s->ramp.n > 0, "ramp-up");
        NEED(s->cycle_by_product != NULL, "cycle times by product");
        NEED(s->has_setup, "changeovers");
        NEED(s->batch > 1, "batches");
        NEED(s->scrap > 0, "scrap");
        NEED(s->rework_p > 0, "rework");
        NEED(s->blocking == BLOCK_BEFORE, "blocking before service");
        NEED(s->mix != NULL, "product mixes by station");
        NEED(s->assembly, "assembly stations");
        NEED(s->nout > 1, "branching (a station with several outputs)");
        NEED(s->nin > 1 && !s->assembly, "merging lines");
        for (int f = 0; f < s->nfailures; f++)
            NEED(s->failures[f].clock == CLOCK_CALENDAR, "failures on the calendar clock");
    }
    for (int i = 0; i < p->nbuffers; i++) {
        const buffer *b = &p->buffers[i];
        NEED(b->capacity == CAP_INF, "unbounded buffers");
        NEED(b->capacity > decomp_max_capacity(), "buffers larger than 10000");
        NEED(b->transit > 0, "transit times");
        NEED(b->p > 0, "routing by probability");
        NEED(b->products != NULL, "buffers for some products only");
    }
    int heads = 0, ends = 0;
    for (int i = 0; i < p->nstations; i++) {
        heads += p->stations[i].nin == 0 && p->stations[i].nsrc == 0;
        ends += station_is_line_end(p, i);
    }
    NEED(heads > 1 || ends > 1, "several lines (more than one first or last station)");
    return 0;
}

/* The stations in line order, or -1 if they do not form one line. */
static int line_order(const takt_plant *p, int *order)
{
    int s = -1;
    for (int i = 0; i < p->nstations; i++)
        if (p->stations[i].nin == 0) { s = i; break; }
    for (int k = 0; k < p->nstations; k++) {
        if (s < 0) return -1;
        order[k] = s;
        const station *st = &p->stations[s];
        s = st->nout == 1 ? p->buffers[st->out[0]].to : -1;
    }
    return s < 0 ? 0 : -1;
}

static int station_ph(const station *s, ph *out, ph *compact, int *approx)
{
    double mean = dist_mean(&s->cycle), scv = dist_scv(&s->cycle);
    double ttf[PH_MAX], ttr[PH_MAX];
    int c = s->servers > 1 ? s->servers : 1, exact = 1;
    if (s->nfailures >= PH_MAX) return -1;
    for (int f = 0; f < s->nfailures; f++) {
        const failure_mode *m = &s->failures[f];
        ttf[f] = dist_mean(&m->ttf);
        ttr[f] = dist_mean(&m->ttr) / c;    /* one of c servers down     */
        if (fabs(dist_scv(&m->ttf) - 1) > 1e-9 || fabs(dist_scv(&m->ttr) - 1) > 1e-9)
            *approx = 1;
    }
    if (c > 1) *approx = 1;
    if (!(mean > 0)) mean = 1e-9;           /* an instant station        */
    if (ph_station(out, mean / c, scv, s->nfailures, ttf, ttr, &exact) != 0) {
        /* too many phases: keep the failures, fit the cycle coarser */
        if (ph_station(out, mean / c, 1, s->nfailures, ttf, ttr, &exact) != 0) return -1;
        exact = 0;
    }
    if (!exact || fabs(scv - 1) > 1e-9) *approx = 1;
    return ph_compact(compact, out, mean / c, s->nfailures, ttf, ttr);
}

int estimate_plant(const takt_plant *p, estimate *e)
{
    memset(e, 0, sizeof *e);
    e->method = ESTIMATE_METHOD;
    e->nstations = p->nstations;
    e->nbuffers = p->nbuffers;
    if (check_features(p, e)) return -1;
    int k = p->nstations, rc = 0;
    int *order = malloc(sizeof(int) * (size_t)k);
    ph *machine = malloc(sizeof(ph) * (size_t)k * 2);
    long *cap = malloc(sizeof(long) * (size_t)(k > 1 ? 3 * (k - 1) : 3));
    double *level = malloc(sizeof(double) * (size_t)(k > 1 ? k - 1 : 1));
    double (*state)[DS_NSTATES] = malloc(sizeof *state * (size_t)k);
    e->mean_level = calloc((size_t)(p->nbuffers ? p->nbuffers : 1), sizeof(double));
    e->state = calloc((size_t)k, sizeof *e->state);
    if (!order || !machine || !cap || !level || !state || !e->mean_level || !e->state) {
        rc = -1; goto done;
    }
    if (e->nunsupported == 0 && line_order(p, order) != 0)
        if (add_unsupported(e, "a layout other than one serial line")) { rc = -1; goto done; }
    for (int i = 0; e->nunsupported == 0 && i < k; i++) {
        if (station_ph(&p->stations[order[i]], &machine[i], &machine[k + i], &e->approximate) != 0)
            if (add_unsupported(e, "stations with too many failure modes")) { rc = -1; goto done; }
        if (i + 1 < k) {
            /* the extra servers around a buffer hold parts too: c - 1
             * places before it (finished, blocked) and after it (working) */
            long bc = p->buffers[p->stations[order[i]].out[0]].capacity;
            int cu = p->stations[order[i]].servers, cd = p->stations[order[i + 1]].servers;
            long up = cu > 1 ? cu - 1 : 0, down = cd > 1 ? cd - 1 : 0;
            cap[i] = bc + up + down;
            cap[k - 1 + i] = down;
            cap[2 * (k - 1) + i] = bc;
        }
    }
    if (e->nunsupported > 0) goto done;
    decomp_line l = { k, machine, machine + k, cap, cap + (k - 1), cap + 2 * (k - 1), 0, 0 };
    decomp_result r;
    r.mean_level = level;
    r.state = state;
    int d = decomp_solve(&l, &r);
    if (d == -1) { rc = -1; goto done; }
    if (d != 0) {
        if (add_unsupported(e, d == -2 ? "a line too large for the method (buffer capacities x station phases)"
                                       : "a line on which the decomposition does not settle"))
            rc = -1;
        goto done;
    }
    e->applicable = 1;
    e->throughput_per_hour = 3600 * r.throughput;
    e->iterations = r.iterations;
    e->spread = r.spread;
    for (int i = 0; i < k; i++) {
        memcpy(e->state[order[i]], state[i], sizeof state[i]);
        if (i + 1 < k) e->mean_level[p->stations[order[i]].out[0]] = level[i];
    }
done:
    free(order); free(machine); free(cap); free(level); free(state);
    return rc;
}

void estimate_free(estimate *e)
{
    for (int i = 0; i < e->nunsupported; i++) free(e->unsupported[i]);
    free(e->unsupported);
    free(e->mean_level);
    free(e->state);
    memset(e, 0, sizeof *e);
}
