/*
 * load_internal.h — the loader's state, shared by its parts:
 *   load.c          entry points, the top level, stations, buffers, sources
 *   load_car.c      products, workshops, ramps, the per-product keys
 *   load_market.c   demand and targets
 *   load_route.c    buffers implied by `to:` and `rework:`
 *   load_calendar.c shift calendars
 *   load_walk.c     the generic walker (load_walk.h)
 *   load_names.c    name tables and references
 *
 * Elements that refer to names defined elsewhere in the file are read into
 * "entries": the plant struct plus the YAML nodes of their references,
 * which are resolved once the whole file has been walked (a station may
 * name a product listed further down).
 */
#ifndef TAKT_LOAD_INTERNAL_H
#define TAKT_LOAD_INTERNAL_H

#include "load_walk.h"
#include "../model/plant.h"

typedef struct plant_entry {
    takt_plant p;
    const ynode *start, *horizon, *until, *calendar, *sequence, *unit, *units;
    const ynode *balance;       /* read by takt balance --template only */
} plant_entry;

typedef struct station_entry {
    station s;
    const ynode *workshop, *calendar, *cycle, *mix, *to, *rework, *rework_to, *setup;
    const ynode *needs, *setup_map;
} station_entry;

typedef struct buffer_entry {
    buffer b;
    const ynode *from, *to, *products;
    double length, speed, pitch;    /* conveyors (m, m/s, m); 0 not given */
    int accumulating;
} buffer_entry;

typedef struct resource_entry {
    resource_pool r;
    const ynode *calendar;
} resource_entry;

typedef struct carrier_entry {
    carrier_loop c;
    const ynode *from, *to;
} carrier_entry;

typedef struct pool_ref {           /* a pool named before it is listed  */
    const ynode *v;
    int *slot;
    const char *key;
    char owner[128];
} pool_ref;

typedef struct source_entry {
    source s;
    const ynode *to;
} source_entry;

typedef struct workshop_entry {
    workshop w;
    const ynode *calendar;
} workshop_entry;

typedef struct order_entry {
    order_rate o;
    int line, col;
    const ynode *product;
    double per_day, per_week, per_month, per_year;
} order_entry;

typedef struct target_entry {
    target t;
    double produced, delivered;
} target_entry;

typedef struct loader {
    walker w;                       /* first: readers get &L->w          */
    takt_plant *p;                  /* &top->p                           */
    plant_entry *top;
    station_entry *stas;
    buffer_entry *bufs;
    source_entry *srcs;
    workshop_entry *shops;
    order_entry *orders; int norders;
    int buffer_cap;                 /* room in p->buffers (load_route.c) */
    int workshop_cap;               /* room in p->workshops              */
    target_entry *targets;
    const ynode *station_list, *buffer_list, *source_list, *product_list, *workshop_list,
                *calendar_list, *target_list;
    const ynode *demand, *backlog;
    names stations, products, calendars, workshops;
    /* load_resource.c */
    resource_entry *pools_e;
    carrier_entry *loops_e;
    const ynode *resource_list, *carrier_list;
    pool_ref *prefs; int nprefs, prefs_cap;
    names pools;
} loader;

static inline loader *loader_of(walker *W)
{
    return (loader *)W;
}

/* load_car.c: readers for the tables of load.c */
void read_products(walker *W, const ynode *seq, void *at, const char *label);
void read_workshops(walker *W, const ynode *seq, void *at, const char *label);
void read_ramp(walker *W, const ynode *v, void *at, const char *label);
void read_station_cycle(walker *W, const ynode *v, void *at, const char *label);
void read_rework(walker *W, const ynode *v, void *at, const char *label);

/* load_car.c: by-product values.  need_products reports (and returns -1)
 * when the plant lists no products; product_key gives the product a key
 * of a by-product mapping names (-2 for "default" when allowed, -1 after
 * reporting; seen[] catches repeats); product_mask reads [NAMES]. */
int need_products(loader *L, const ynode *v, const char *owner, const char *key);
int product_key(loader *L, const ynode *k, const char *owner, const char *key,
                int allow_default, const ynode **seen);
void product_mask(loader *L, const ynode *v, const char *owner, unsigned char **out);

/* load_car.c: after the walk, the names of products, calendars and
 * workshops and every reference of the car-plant layer.  Station names
 * must be in L->stations and buffers in the plant. */
void resolve_car(loader *L);

/* load_market.c */
void read_targets(walker *W, const ynode *seq, void *at, const char *label);
void read_demand(walker *W, const ynode *v, void *at, const char *label);
void resolve_demand(loader *L);

/* load_unit.c: `unit:` and `units:`, after the walk */
void resolve_unit(loader *L);

/* load_route.c */
void wire_routes(loader *L);

/* load_resource.c: readers for the tables of load.c; failure_pairs checks
 * ttf/ttr against availability/mttr once a station's failures are walked;
 * resolve_pools (before the buffers are copied into the plant) and
 * resolve_resources (after resolve_car) resolve the references. */
void read_resources(walker *W, const ynode *seq, void *at, const char *label);
void read_carriers(walker *W, const ynode *seq, void *at, const char *label);
void read_maintenance(walker *W, const ynode *seq, void *at, const char *label);
void read_station_setup(walker *W, const ynode *v, void *at, const char *label);
void read_repair_by(walker *W, const ynode *v, void *at, const char *label);
void read_maint_by(walker *W, const ynode *v, void *at, const char *label);
void read_carried_by(walker *W, const ynode *v, void *at, const char *label);
void read_length(walker *W, const ynode *v, void *at, const char *label);
void read_speed(walker *W, const ynode *v, void *at, const char *label);
void read_pitch(walker *W, const ynode *v, void *at, const char *label);
void failure_pairs(walker *W, const ynode *seq, failure_mode *f, const char *parent);
void resolve_pools(loader *L);
void resolve_resources(loader *L);

/* load_calendar.c */
void read_calendars(walker *W, const ynode *seq, void *at, const char *label);

#endif
