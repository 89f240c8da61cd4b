/*
 * plant.c — the plant description as a whole: adjacency, validation, lookup
 * and freeing.
 *
 * The loader checks each value where it is written; plant_validate() checks
 * what only the whole plant can show (a line with no end, a conveyor with no
 * room, a plant too large to simulate).  It also re-checks the ranges of
 * single values, because a plant may be built through the C API without a
 * file.  Every check is linear in the size of the plant, so validating a
 * 100,000-station plant costs nothing next to simulating it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "plant.h"

#define MAX_ELEMENTS 100000
#define MAX_MACHINES 1000000L
#define MAX_BATCH 10000
#define MAX_PART_PLACES 1000000L    /* sum of servers x batch */
#define MAX_SERVERS 10000
#define MAX_REPLICATIONS 1000000
#define MAX_SECONDS (1000.0 * 365.25 * 86400.0)     /* 1000 years */

/* ---- adjacency ---------------------------------------------------------- */

static void unlink_station(station *s)
{
    free(s->in);
    free(s->out);
    free(s->src);
    s->in = s->out = s->src = NULL;
    s->nin = s->nout = s->nsrc = 0;
}

static int alloc_lists(station *s)
{
    s->in = s->nin ? malloc((size_t)s->nin * sizeof *s->in) : NULL;
    s->out = s->nout ? malloc((size_t)s->nout * sizeof *s->out) : NULL;
    s->src = s->nsrc ? malloc((size_t)s->nsrc * sizeof *s->src) : NULL;
    if ((s->nin && !s->in) || (s->nout && !s->out) || (s->nsrc && !s->src))
        return -1;
    s->nin = s->nout = s->nsrc = 0;     /* refilled below, in file order */
    return 0;
}

static int valid_station(const takt_plant *p, int i)
{
    return i >= 0 && i < p->nstations;
}

int plant_link(takt_plant *p)
{
    for (int i = 0; i < p->nstations; i++)
        unlink_station(&p->stations[i]);
    for (int b = 0; b < p->nbuffers; b++) {
        if (valid_station(p, p->buffers[b].from))
            p->stations[p->buffers[b].from].nout++;
        if (valid_station(p, p->buffers[b].to))
            p->stations[p->buffers[b].to].nin++;
    }
    for (int s = 0; s < p->nsources; s++)
        if (valid_station(p, p->sources[s].to))
            p->stations[p->sources[s].to].nsrc++;
    for (int i = 0; i < p->nstations; i++)
        if (alloc_lists(&p->stations[i]))
            return -1;
    for (int b = 0; b < p->nbuffers; b++) {
        const buffer *bf = &p->buffers[b];
        if (valid_station(p, bf->from))
            p->stations[bf->from].out[p->stations[bf->from].nout++] = b;
        if (valid_station(p, bf->to))
            p->stations[bf->to].in[p->stations[bf->to].nin++] = b;
    }
    for (int s = 0; s < p->nsources; s++)
        if (valid_station(p, p->sources[s].to)) {
            station *st = &p->stations[p->sources[s].to];
            st->src[st->nsrc++] = s;
        }
    return 0;
}

/* ---- validation ---------------------------------------------------------- */

static const char *nm(const char *name)
{
    return name ? name : "?";
}

/* Past the limit, the first element over it carries the message. */
static void too_many(diags *d, int n, const char *what, int line, int col)
{
    diags_add(d, line, col, "the plant is too large: %d %s (limit %d)", n, what, MAX_ELEMENTS);
}

static int check_size(const takt_plant *p, diags *d)
{
    int n0 = d->n;
    if (p->nstations > MAX_ELEMENTS)
        too_many(d, p->nstations, "stations", p->stations[MAX_ELEMENTS].line,
                 p->stations[MAX_ELEMENTS].col);
    if (p->nbuffers > MAX_ELEMENTS)
        too_many(d, p->nbuffers, "buffers", p->buffers[MAX_ELEMENTS].line,
                 p->buffers[MAX_ELEMENTS].col);
    if (p->nsources > MAX_ELEMENTS)
        too_many(d, p->nsources, "sources", p->sources[MAX_ELEMENTS].line,
                 p->sources[MAX_ELEMENTS].col);
    long long machines = 0, places = 0;
    int over = -1, over_places = -1;
    for (int i = 0; i < p->nstations; i++) {
        const station *s = &p->stations[i];
        long long servers = s->servers > 0 ? s->servers : 0;
        machines += servers;
        /* a batch is handled part by part: its size is work per event */
        places += servers * (s->batch > 1 && s->batch <= MAX_BATCH ? s->batch : 1);
        if (machines > MAX_MACHINES && over < 0)
            over = i;
        if (places > MAX_PART_PLACES && over_places < 0)
            over_places = i;
    }
    if (over >= 0)
        diags_add(d, p->stations[over].line, p->stations[over].col, "the plant is too large: "
                  "%lld machines in all stations (limit %ld)", machines, MAX_MACHINES);
    else if (over_places >= 0)
        diags_add(d, p->stations[over_places].line, p->stations[over_places].col,
                  "the plant is too large: its machines hold %lld parts at once in full batches "
                  "(servers x batch over all stations; limit %ld)", places, MAX_PART_PLACES);
    if (p->nstations <= 0)
        diags_add(d, 0, 0, "the plant has no stations");
    return d->n - n0;
}

static void check_times(const takt_plant *p, diags *d)
{
    if (!(p->horizon > 0) || p->horizon > MAX_SECONDS)
        diags_add(d, 0, 0, "horizon must be more than 0 and at most 1000 years, got %g s", p->horizon);
    if (!(p->warmup >= 0) || p->warmup > MAX_SECONDS)
        diags_add(d, 0, 0, "warmup must be from 0 to 1000 years, got %g s", p->warmup);
    if (p->replications < 1 || p->replications > MAX_REPLICATIONS)
        diags_add(d, 0, 0, "replications must be a whole number from 1 to %d, got %d",
                  MAX_REPLICATIONS, p->replications);
}

static void check_stations(const takt_plant *p, diags *d)
{
    for (int i = 0; i < p->nstations; i++) {
        const station *s = &p->stations[i];
        if (!s->name || !*s->name)
            diags_add(d, s->line, s->col, "station %d has no name", i + 1);
        if (s->servers < 1 || s->servers > MAX_SERVERS)
            diags_add(d, s->line, s->col, "station '%s': servers must be from 1 to %d, got %d",
                      nm(s->name), MAX_SERVERS, s->servers);
        if (s->nfailures > 0 && !s->failures)
            diags_add(d, s->line, s->col, "station '%s' has no failure modes allocated", nm(s->name));
    }
}

typedef struct named { const char *name; int index; } named;

static int by_name(const void *a, const void *b)
{
    const named *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* Duplicates found by sorting, n log n, without a table of our own. */
static void check_unique_names(const takt_plant *p, diags *d)
{
    named *v = malloc((size_t)p->nstations * sizeof *v);
    if (!v) {
        diags_add(d, 0, 0, "out of memory");
        return;
    }
    int n = 0;
    for (int i = 0; i < p->nstations; i++)
        if (p->stations[i].name)
            v[n++] = (named){ p->stations[i].name, i };
    qsort(v, (size_t)n, sizeof *v, by_name);
    for (int k = 1, first = 0; k < n; k++) {
        if (strcmp(v[k].name, v[first].name) != 0) {
            first = k;
            continue;
        }
        const station *s = &p->stations[v[k].index];
        diags_add(d, s->line, s->col, "duplicate station name '%s' (first at line %d)",
                  s->name, p->stations[v[first].index].line);
    }
    free(v);
}

static void check_buffers(const takt_plant *p, diags *d)
{
    for (int b = 0; b < p->nbuffers; b++) {
        const buffer *bf = &p->buffers[b];
        if (!valid_station(p, bf->from) || !valid_station(p, bf->to)) {
            diags_add(d, bf->line, bf->col, "buffer '%s' does not connect two stations of the plant",
                      nm(bf->name));
            continue;
        }
        if (bf->from == bf->to)
            diags_add(d, bf->line, bf->col, "buffer '%s' goes from station '%s' back to itself",
                      nm(bf->name), nm(p->stations[bf->from].name));
        if (bf->capacity < 0 && bf->capacity != CAP_INF)
            diags_add(d, bf->line, bf->col, "buffer '%s': capacity must be >= 0 or inf, got %ld",
                      nm(bf->name), bf->capacity);
        if (!(bf->transit >= 0) || bf->transit > MAX_SECONDS)
            diags_add(d, bf->line, bf->col, "buffer '%s': transit must be from 0 to 1000 years",
                      nm(bf->name));
        else if (bf->transit > 0 && bf->capacity == 0)
            diags_add(d, bf->line, bf->col, "buffer '%s' has a transit time but capacity 0: a "
                      "conveyor needs room for at least one part (capacity >= 1)", nm(bf->name));
    }
}

/* The buffer that takes a station's parts to rework (the run's rule). */
static int is_rework(const takt_plant *p, int b)
{
    const station *s = &p->stations[p->buffers[b].from];
    return s->rework_p > 0 && p->buffers[b].to == s->rework_to;
}

static void check_sources(const takt_plant *p, diags *d)
{
    for (int s = 0; s < p->nsources; s++)
        if (!valid_station(p, p->sources[s].to))
            diags_add(d, p->sources[s].line, p->sources[s].col,
                      "source '%s' does not feed a station of the plant", nm(p->sources[s].name));
}

/* Blocking before service reserves a place downstream before it starts,
 * so every way out needs at least one place. */
static void check_blocking(const takt_plant *p, diags *d)
{
    for (int b = 0; b < p->nbuffers; b++) {
        const buffer *bf = &p->buffers[b];
        if (!valid_station(p, bf->from) || bf->capacity != 0)
            continue;
        const station *s = &p->stations[bf->from];
        if (s->blocking == BLOCK_BEFORE)
            diags_add(d, s->line, s->col, "station '%s' blocks before service, so its outgoing "
                      "buffer '%s' needs capacity >= 1 (it has 0)", nm(s->name), nm(bf->name));
    }
}

/* Every station must reach a sink (a station with no outgoing buffer but
 * its way to rework, as the run treats it):
 * a backward search from all sinks over the buffers, O(stations + buffers). */
static void check_sinks(const takt_plant *p, diags *d)
{
    int n = p->nstations;
    int *nout = calloc((size_t)n, sizeof *nout), *nin = calloc((size_t)n + 1, sizeof *nin);
    int *into = malloc(((size_t)p->nbuffers + 1) * sizeof *into);
    int *queue = malloc((size_t)n * sizeof *queue);
    char *reach = calloc((size_t)n, 1);
    if (!nout || !nin || !into || !queue || !reach) {
        diags_add(d, 0, 0, "out of memory");
        goto done;
    }
    /* Buffers grouped by the station they feed (counting sort), so the
     * search can walk each station's incoming buffers. */
    for (int b = 0; b < p->nbuffers; b++) {
        nout[p->buffers[b].from] += !is_rework(p, b);
        nin[p->buffers[b].to + 1]++;
    }
    for (int i = 0; i < n; i++)
        nin[i + 1] += nin[i];
    int *fill = queue;      /* borrowed as fill pointers before the search */
    memcpy(fill, nin, (size_t)n * sizeof *fill);
    for (int b = 0; b < p->nbuffers; b++)
        into[fill[p->buffers[b].to]++] = b;
    int head = 0, tail = 0;
    for (int i = 0; i < n; i++)
        if (nout[i] == 0) {
            reach[i] = 1;
            queue[tail++] = i;
        }
    if (tail == 0) {
        diags_add(d, p->stations[n - 1].line, p->stations[n - 1].col, "the line has no end "
                  "(no sink): every station has an outgoing buffer, but the last station must "
                  "have none");
        goto done;
    }
    while (head < tail) {
        int s = queue[head++];
        for (int k = nin[s]; k < nin[s + 1]; k++) {
            int up = p->buffers[into[k]].from;
            if (!reach[up]) {
                reach[up] = 1;
                queue[tail++] = up;
            }
        }
    }
    for (int i = 0; i < n; i++)
        if (!reach[i])
            diags_add(d, p->stations[i].line, p->stations[i].col, "station '%s' has no path to "
                      "the end of the line (the last station must have no outgoing buffer)",
                      nm(p->stations[i].name));
done:
    free(nout);
    free(nin);
    free(into);
    free(queue);
    free(reach);
}

/* ---- the car-plant layer ---------------------------------------------------- */

#define SHARE_TOL 1e-6

#define MAX_PRODUCTS 64      /* the run keeps per-product arrays of this size */

static void check_products(const takt_plant *p, diags *d)
{
    double sum = 0;
    if (p->nproducts > MAX_PRODUCTS)
        diags_add(d, p->products[MAX_PRODUCTS].line, p->products[MAX_PRODUCTS].col,
                  "too many products: %d (limit %d)", p->nproducts, MAX_PRODUCTS);
    for (int k = 0; k < p->nproducts; k++) {
        const product *pr = &p->products[k];
        if (!(pr->share > 0) && p->nsequence == 0)
            diags_add(d, pr->line, pr->col, "product '%s': share must be more than 0",
                      nm(pr->name));
        sum += pr->share;
    }
    if (p->nproducts > 0 && p->nsequence == 0 && fabs(sum - 1) > SHARE_TOL)
        diags_add(d, p->products[0].line, p->products[0].col, "the shares of the products add "
                  "up to %.10g, not 1", sum);
    for (int i = 0; i < p->nsequence; i++)
        if (p->sequence[i] < 0 || p->sequence[i] >= p->nproducts)
            diags_add(d, 0, 0, "the release sequence names product %d, which does not exist",
                      p->sequence[i]);
    int np = p->nproducts > 0 ? p->nproducts : 1;
    for (int i = 0; p->demand.enabled && i < p->demand.nrates; i++) {
        const order_rate *o = &p->demand.rates[i];
        if (o->product < 0 || o->product >= np || !(o->per_day > 0))
            diags_add(d, 0, 0, "order rate %d: needs a product of the plant and a rate more "
                      "than 0", i + 1);
    }
    for (int i = 0; i < p->ntargets; i++)
        if (!(p->targets[i].value > 0))
            diags_add(d, p->targets[i].line, p->targets[i].col, "target %d: the count to "
                      "reach must be more than 0", i + 1);
}

static void check_car_plant(const takt_plant *p, diags *d)
{
    check_products(p, d);
    for (int i = 0; i < p->nstations; i++) {
        const station *s = &p->stations[i];
        if (s->batch < 0 || s->batch > MAX_BATCH)
            diags_add(d, s->line, s->col, "station '%s': batch must be from 1 to %d, got %d",
                      nm(s->name), MAX_BATCH, s->batch);
        if (!(s->scrap >= 0 && s->rework_p >= 0 && s->scrap + s->rework_p < 1))
            diags_add(d, s->line, s->col, "station '%s': scrap and rework together must be "
                      "less than 1 (got %g + %g)", nm(s->name), s->scrap, s->rework_p);
        if (s->rework_p > 0 && (!valid_station(p, s->rework_to) || s->rework_to == i))
            diags_add(d, s->line, s->col, "station '%s' sends parts to rework but names no "
                      "other station to rework them", nm(s->name));
        if (s->blocking == BLOCK_BEFORE && (s->batch > 1 || s->scrap > 0 || s->rework_p > 0))
            diags_add(d, s->line, s->col, "station '%s' blocks before service, which cannot be "
                      "combined with %s", nm(s->name), s->batch > 1 ? "batch > 1"
                      : s->scrap > 0 ? "scrap" : "rework");
    }
    for (int b = 0; b < p->nbuffers; b++) {
        const buffer *bf = &p->buffers[b];
        if (bf->take < 0 || bf->take > MAX_BATCH)
            diags_add(d, bf->line, bf->col, "buffer '%s': take must be from 1 to %d, got %d",
                      nm(bf->name), MAX_BATCH, bf->take);
        if (!(bf->p <= 1))
            diags_add(d, bf->line, bf->col, "buffer '%s': p must be at most 1, got %g",
                      nm(bf->name), bf->p);
    }
}

static void check_assembly(const takt_plant *p, int i, diags *d)
{
    const station *s = &p->stations[i];
    if (s->nin + s->nsrc < 2)
        diags_add(d, s->line, s->col, "station '%s' is an assembly station but has %d input%s: "
                  "it needs at least 2 (buffers or sources)", nm(s->name), s->nin + s->nsrc,
                  s->nin + s->nsrc == 1 ? "" : "s");
    for (int k = 0; k < s->nin; k++) {
        const buffer *bf = &p->buffers[s->in[k]];
        int take = bf->take > 1 ? bf->take : 1;
        if (bf->capacity != CAP_INF && bf->capacity < take)
            diags_add(d, bf->line, bf->col, "buffer '%s' feeds assembly station '%s', so it "
                      "needs capacity >= %d (its 'take'); it has %ld%s", nm(bf->name),
                      nm(s->name), take, bf->capacity, bf->capacity == 0
                      ? (bf->implicit ? " (a direct hand-over made by 'to': list a buffer "
                         "instead)" : " (a direct hand-over)") : "");
    }
}

/* Probabilities on the normal ways out of station i: all or none, sum 1;
 * and every product can leave through some way. */
static void check_ways_out(const takt_plant *p, int i, diags *d)
{
    const station *s = &p->stations[i];
    int n = 0, with_p = 0, nrework = 0;
    double sum = 0;
    for (int k = 0; k < s->nout; k++) {
        if (is_rework(p, s->out[k])) {
            nrework++;
            continue;
        }
        n++;
        with_p += p->buffers[s->out[k]].p > 0;
        sum += p->buffers[s->out[k]].p > 0 ? p->buffers[s->out[k]].p : 0;
    }
    if (s->rework_p > 0 && nrework != 1)
        diags_add(d, s->line, s->col, "station '%s' needs exactly one buffer to its rework "
                  "station '%s', it has %d", nm(s->name), nm(p->stations[s->rework_to].name),
                  nrework);
    if (with_p > 0 && with_p < n)
        diags_add(d, s->line, s->col, "station '%s': %d of its %d outgoing buffers have 'p': "
                  "give all of them 'p', or none", nm(s->name), with_p, n);
    else if (with_p > 0 && fabs(sum - 1) > SHARE_TOL)
        diags_add(d, s->line, s->col, "station '%s': the 'p' of its outgoing buffers add up "
                  "to %.10g, not 1", nm(s->name), sum);
    for (int k = 0; n > 0 && k < p->nproducts; k++) {
        int way = 0;
        for (int j = 0; j < s->nout && !way; j++) {
            const buffer *bf = &p->buffers[s->out[j]];
            way = !is_rework(p, s->out[j]) && (!bf->products || bf->products[k]);
        }
        if (!way)
            diags_add(d, s->line, s->col, "product '%s' cannot leave station '%s': none of its "
                      "outgoing buffers allows it (see their 'products')",
                      nm(p->products[k].name), nm(s->name));
    }
}

static void check_mix(const takt_plant *p, const station *s, diags *d)
{
    double sum = 0;
    for (int k = 0; k < p->nproducts; k++)
        sum += s->mix[k] >= 0 && s->mix[k] <= 1 ? s->mix[k] : NAN;
    if (!(fabs(sum - 1) <= SHARE_TOL))
        diags_add(d, s->line, s->col, "station '%s': the shares in 'mix' add up to %.10g, not 1",
                  nm(s->name), sum);
    if (s->nin > 0 && s->nsrc == 0)
        diags_add(d, s->line, s->col, "station '%s' has a 'mix', but its parts come from "
                  "upstream buffers, which already set their product: a mix belongs on a "
                  "station that releases parts (no incoming buffer, or fed by a source)",
                  nm(s->name));
}

/* What needs the links: inputs of assemblies, ways out, where a mix is. */
static void check_car_stations(const takt_plant *p, diags *d)
{
    for (int i = 0; i < p->nstations; i++) {
        const station *s = &p->stations[i];
        if (s->assembly)
            check_assembly(p, i, d);
        check_ways_out(p, i, d);
        if (s->mix && p->nproducts > 0)
            check_mix(p, s, d);
    }
    for (int b = 0; b < p->nbuffers; b++) {
        const buffer *bf = &p->buffers[b];
        if (bf->take > 1 && !p->stations[bf->to].assembly)
            diags_add(d, bf->line, bf->col, "buffer '%s' has 'take', but station '%s' is no "
                      "assembly station ('take' counts the parts one assembly takes)",
                      nm(bf->name), nm(p->stations[bf->to].name));
    }
}

int plant_validate(const takt_plant *p, diags *d)
{
    int n0 = d->n;
    if (check_size(p, d))
        return d->n - n0;
    check_times(p, d);
    check_stations(p, d);
    check_unique_names(p, d);
    check_buffers(p, d);
    check_sources(p, d);
    check_blocking(p, d);
    check_car_plant(p, d);
    if (d->n == n0)         /* the graph is only meaningful once it is sound */
        check_sinks(p, d);
    if (d->n == n0)
        plant_check_entry(p, d);
    if (d->n == n0)
        check_car_stations(p, d);
    if (d->n == n0)
        plant_check_resources(p, d);
    return d->n - n0;
}

/* ---- lookup and freeing --------------------------------------------------- */

/* A plant built in code (not loaded) has no unit: it makes parts. */
const char *plant_unit(const takt_plant *p) { return p->unit[0] ? p->unit : "part"; }
const char *plant_units(const takt_plant *p) { return p->units[0] ? p->units : "parts"; }
const char *plant_rate_unit(const takt_plant *p) { return p->rate_unit[0] ? p->rate_unit : "parts/h"; }

int plant_find_station(const takt_plant *p, const char *name)
{
    for (int i = 0; i < p->nstations; i++)
        if (p->stations[i].name && strcmp(p->stations[i].name, name) == 0)
            return i;
    return -1;
}

int plant_find_buffer(const takt_plant *p, const char *name)
{
    for (int i = 0; i < p->nbuffers; i++)
        if (p->buffers[i].name && strcmp(p->buffers[i].name, name) == 0)
            return i;
    return -1;
}

static void free_dist(dist *d)
{
    free(d->values);
    d->values = NULL;
}

static void free_station(station *s, int nproducts)
{
    free(s->name);
    free_dist(&s->cycle);
    free_dist(&s->setup);
    for (int f = 0; f < s->nfailures && s->failures; f++) {
        free(s->failures[f].name);
        free_dist(&s->failures[f].ttf);
        free_dist(&s->failures[f].ttr);
    }
    free(s->failures);
    for (int k = 0; k < nproducts && s->cycle_by_product; k++)
        free_dist(&s->cycle_by_product[k]);
    free(s->cycle_by_product);
    free(s->ramp.pts);
    free(s->mix);
    station_free_resources(s, nproducts);
    unlink_station(s);
}

static void free_calendar(calendar *c)
{
    free(c->name);
    for (int i = 0; i < c->nplans && c->plans; i++) {
        for (int k = 0; k < c->plans[i].nshifts && c->plans[i].shifts; k++)
            free(c->plans[i].shifts[k].breaks);
        free(c->plans[i].shifts);
    }
    free(c->plans);
    free(c->holidays);
}

static void free_car_layer(takt_plant *p)
{
    for (int i = 0; i < p->nproducts && p->products; i++)
        free(p->products[i].name);
    free(p->products);
    free(p->sequence);
    for (int i = 0; i < p->nworkshops && p->workshops; i++) {
        free(p->workshops[i].name);
        free(p->workshops[i].ramp.pts);
    }
    free(p->workshops);
    for (int i = 0; i < p->ncalendars && p->calendars; i++)
        free_calendar(&p->calendars[i]);
    free(p->calendars);
    free(p->ramp.pts);
    free(p->demand.backlog);
    free(p->demand.rates);
    free_dist(&p->demand.delivery);
    free(p->targets);
}

void plant_free(takt_plant *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->nstations && p->stations; i++)
        free_station(&p->stations[i], p->nproducts);
    for (int i = 0; i < p->nbuffers && p->buffers; i++) {
        free(p->buffers[i].name);
        free(p->buffers[i].products);
    }
    for (int i = 0; i < p->nsources && p->sources; i++) {
        free(p->sources[i].name);
        free_dist(&p->sources[i].interarrival);
    }
    free_car_layer(p);
    plant_free_resources(p);
    free(p->stations);
    free(p->buffers);
    free(p->sources);
    free(p->name);
    free(p->file);
    free(p);
}

int station_is_line_end(const takt_plant *p, int i)
{
    const station *st = &p->stations[i];
    if (st->nout == 0) return 1;
    return st->nout == 1 && st->rework_p > 0 && p->buffers[st->out[0]].to == st->rework_to;
}

const char *plant_buffer_name(const takt_plant *p, int i)
{
    return i < p->nbuffers ? p->buffers[i].name : p->sources[i - p->nbuffers].name;
}
