/*
 * plant.h — the plant description: an immutable, validated model that many
 * replications read at once.  Built by the loader (src/io/load.c), checked
 * by plant_validate(), freed by plant_free().  Everything here is plain
 * data; the run (run.c) holds all mutable state.
 *
 * Indices, not pointers, link elements (stations, buffers, sources), so a
 * plant is cheap to copy for sweeps and safe to share between threads.
 */
#ifndef TAKT_PLANT_H
#define TAKT_PLANT_H

#include <stdint.h>
#include "../core/dist.h"
#include "../core/diag.h"

#define CAP_INF (-1L)               /* buffer capacity "inf"            */
#define PLANT_UNIT_MAX 32           /* bytes of `unit:` or `units:`      */
#define PLANT_UNIT_MAX_TEXT "32"

typedef enum { CLOCK_OPERATING = 0, CLOCK_CALENDAR = 1 } failure_clock;
typedef enum { BLOCK_AFTER = 0, BLOCK_BEFORE = 1 } blocking_rule;
typedef enum { ROUTE_FIRST_FREE = 0, ROUTE_ROUND_ROBIN, ROUTE_RANDOM } routing_rule;

typedef struct failure_mode {
    char *name;                     /* optional; NULL if not given       */
    dist ttf, ttr;
    failure_clock clock;
    int repair_by;                  /* resource pool that repairs, -1 none */
    double availability, mttr;      /* as given instead of ttf/ttr; 0 none */
    int line, col;
} failure_mode;

/* ---- resources, carriers, maintenance --------------------------------- */

#define MAX_CARRIER_LOOPS 16        /* a part records its carriers in 16 bits */

typedef struct resource_pool {      /* people, tools or vehicles          */
    char *name;
    int count;                      /* units (>= 1)                      */
    int calendar;                   /* -1: always there                  */
    int line, col;
} resource_pool;

typedef struct need {               /* units of one pool a station needs */
    int pool, units;
} need;

typedef struct carrier_loop {       /* skids, hangers, pallets, CONWIP cards */
    char *name;
    int count;                      /* carriers in the loop (>= 1)       */
    int from, to;                   /* station indices                   */
    dist ret;                       /* travel back from `to` to `from`   */
    int line, col;
} carrier_loop;

typedef struct maint_plan {         /* planned maintenance of a station  */
    double every;                   /* s of operation or calendar; 0 if by parts */
    long parts;                     /* every N parts; 0 if by time       */
    failure_clock clock;
    dist duration;
    int by;                         /* resource pool doing it, -1 none   */
    int line, col;
} maint_plan;

/* ---- car-plant layer (products, calendars, ramp-up, demand) ---------- */

typedef struct product {
    char *name;
    double share;                   /* share of the release mix          */
    double from, until;             /* released only in [from, until) (s); */
                                    /* -INFINITY / INFINITY when open    */
    int line, col;
} product;

typedef struct ramp_point {
    double t;                       /* s since time 0                    */
    double factor;                  /* cycle-time factor (1 = nominal)   */
} ramp_point;

typedef struct ramp {               /* piecewise linear; flat outside    */
    ramp_point *pts;
    int n;                          /* 0: no ramp (factor 1)             */
} ramp;

/* The factor of a ramp at time t (s).  Inline: the run asks it for the
 * cycles that start during a ramp (avail.c). */
static inline double ramp_at(const ramp *rp, double t)
{
    if (rp->n == 0) return 1.0;
    if (t <= rp->pts[0].t) return rp->pts[0].factor;
    if (t >= rp->pts[rp->n - 1].t) return rp->pts[rp->n - 1].factor;
    int lo = 0, hi = rp->n - 1;
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (rp->pts[mid].t <= t) lo = mid; else hi = mid;
    }
    const ramp_point *a = &rp->pts[lo], *b = &rp->pts[hi];
    return a->factor + (b->factor - a->factor) * (t - a->t) / (b->t - a->t);
}

typedef struct shift_span {         /* minutes from the day's midnight   */
    int start, end;                 /* end > start; end may pass 1440    */
} shift_span;

typedef struct shift_def {
    shift_span span;
    shift_span *breaks; int nbreaks;  /* inside the shift, sorted         */
} shift_def;

typedef struct cal_plan {
    int64_t from_day, until_day;    /* days since 1970-01-01, inclusive; */
                                    /* INT64_MIN / INT64_MAX when open   */
    shift_def *shifts; int nshifts; /* sorted by start                   */
    unsigned weekdays;              /* bit 0 = Monday ... bit 6 = Sunday */
    int line, col;
} cal_plan;

typedef struct calendar {
    char *name;
    int line, col;
    cal_plan *plans; int nplans;    /* plans[0] is the default plan; a   */
                                    /* later plan whose dates contain a  */
                                    /* day overrides earlier ones        */
    int64_t *holidays; int nholidays; /* sorted days since 1970-01-01    */
} calendar;

typedef struct workshop {
    char *name;
    int line, col;
    int calendar;                   /* -1: the plant's                   */
    double opens;                   /* s since time 0 (0: from the start) */
    ramp ramp;
} workshop;

typedef enum { TARGET_PRODUCED = 0, TARGET_DELIVERED = 1 } target_kind;

typedef struct target {
    target_kind what;
    double value;                   /* cumulative count to reach         */
    double by;                      /* s since time 0                    */
    int line, col;
} target;

typedef struct order_rate {
    int product;                    /* product index                     */
    double from, until;             /* s since time 0 (until: INFINITY)  */
    double per_day;                 /* mean orders per day (Poisson)     */
} order_rate;

typedef struct demand {
    int enabled;
    double *backlog;                /* per product: open orders at time 0 */
    order_rate *rates; int nrates;
    dist delivery;                  /* delivery lead time after production */
} demand;

typedef struct station {
    char *name;
    int line, col;                  /* where it is defined               */
    int servers;                    /* parallel identical machines (>=1) */
    dist cycle;
    failure_mode *failures;
    int nfailures;
    blocking_rule blocking;
    routing_rule routing;
    /* car-plant layer; the loader sets the "none" values */
    int workshop;                   /* -1: none                          */
    int calendar;                   /* -1: the workshop's or the plant's */
    double opens;                   /* s since time 0; 0 = from the start */
    ramp ramp;                      /* n = 0: none                       */
    dist *cycle_by_product;         /* nproducts entries, or NULL        */
    int has_setup;
    dist setup;                     /* changeover when the product changes */
    dist *setup_matrix;             /* nproducts x nproducts (from, to) or NULL */
    unsigned char *setup_given;     /* which matrix entries are given    */
    need *needs; int nneeds;        /* units held through each cycle     */
    maint_plan *maint; int nmaint;
    int batch;                      /* parts processed together (>= 1)   */
    int assembly;                   /* 1: takes `take` parts from every input */
    double scrap;                   /* probability a finished part is scrapped */
    double rework_p;                /* probability it goes to rework     */
    int rework_to;                  /* station index, -1 none            */
    double *mix;                    /* nproducts shares for parts released */
                                    /* here, or NULL: the plant's shares  */
    /* filled by plant_link(): buffers in and out, in file order */
    int *in, nin;
    int *out, nout;
    int *src, nsrc;                 /* sources feeding this station      */
} station;

typedef struct buffer {
    char *name;
    int line, col;
    int from, to;                   /* station indices                   */
    long capacity;                  /* parts; CAP_INF for unbounded      */
    double transit;                 /* minimum time on it (s); 0 = none  */
    int take;                       /* parts taken per assembly (>= 1)   */
    double p;                       /* routing probability; <= 0: not given */
    unsigned char *products;        /* per product 1 if allowed; NULL all */
    int implicit;                   /* made by the loader (rework, to:)  */
    int carried_by;                 /* pool carrying each part, -1 none  */
    int non_accumulating;           /* the conveyor stops when its head waits */
} buffer;

typedef struct source {
    char *name;
    int line, col;
    dist interarrival;
    int to;                         /* station index                     */
} source;

typedef struct takt_plant {
    char *name;
    char *file;                     /* path it was loaded from, or NULL  */
    double horizon;                 /* measured time after warm-up (s)   */
    double warmup;                  /* s                                 */
    int replications;
    uint64_t seed;
    station *stations; int nstations;
    buffer *buffers;   int nbuffers;
    source *sources;   int nsources;
    /* car-plant layer */
    int has_start;
    int64_t start_day;              /* days since 1970-01-01 of time 0   */
    double takt;                    /* planned takt (s) for the report; 0 none */
    /* The unit of output (`unit:`, `units:`), as reports name it; empty:
     * not given, read through plant_unit() and its siblings below. */
    char unit[PLANT_UNIT_MAX + 1];
    char units[PLANT_UNIT_MAX + 1];
    char rate_unit[PLANT_UNIT_MAX + 3]; /* units + "/h"                */
    product *products; int nproducts;   /* 0: one anonymous product     */
    int *sequence; int nsequence;   /* release sequence (cyclic), or none */
    workshop *workshops; int nworkshops;
    calendar *calendars; int ncalendars;
    int calendar;                   /* plant-wide calendar, -1 none      */
    double opens;                   /* whole plant; 0 = from the start   */
    ramp ramp;                      /* plant-wide ramp-up                */
    demand demand;
    target *targets; int ntargets;
    resource_pool *resources; int nresources;
    carrier_loop *carriers; int ncarriers;
} takt_plant;

/* Fill the in/out/src adjacency lists from buffers and sources.  Returns 0,
 * -1 on out of memory. */
int plant_link(takt_plant *p);

/* Check the plant as a whole (names unique, references resolved, graph has
 * a sink, parameters in range).  Appends one diagnostic per problem;
 * returns the number of problems found. */
int plant_validate(const takt_plant *p, diags *d);
/* Part of plant_validate (plant_entry.c): a source, or a station with no
 * input, must let parts enter; else one message at a station of a closed
 * loop of buffers. */
void plant_check_entry(const takt_plant *p, diags *d);

/* The name of buffer i as results number them: the plant's buffers, then
 * one queue per source (named after the source). */
const char *plant_buffer_name(const takt_plant *p, int i);

/* Does station i end a line (its finished parts leave the plant)?  True
 * when it has no outgoing buffer, or only the one to its rework station. */
int station_is_line_end(const takt_plant *p, int i);

/* plant_resource.c: the checks of pools, needs, carrier loops (is `to`
 * reachable from `from`?), maintenance and carried buffers, part of
 * plant_validate(); and freeing what they own. */
void plant_check_resources(const takt_plant *p, diags *d);
void plant_free_resources(takt_plant *p);
void station_free_resources(station *s, int nproducts);

/* The unit of output: "car" and "cars" with `unit: car`, "part" and
 * "parts" by default; the rate "cars/h" ("parts/h").  Every report names
 * what the plant makes with these (docs/plant-format.md). */
const char *plant_unit(const takt_plant *p);
const char *plant_units(const takt_plant *p);
const char *plant_rate_unit(const takt_plant *p);

int plant_find_station(const takt_plant *p, const char *name);
int plant_find_buffer(const takt_plant *p, const char *name);

void plant_free(takt_plant *p);

#endif
