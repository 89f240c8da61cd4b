/*
 * load_resource.c — the plant-file keys of resources, carriers and
 * maintenance, and of the elements engineers describe their own way:
 *
 *   resources: [{name, count, calendar}]           pools
 *   carriers:  [{name, count, from, to, return}]   closed loops, CONWIP
 *   station:   needs: {POOL: N}, maintenance: [...], setup: {FROM: {TO: d}, default: d}
 *   failure:   repair_by: POOL; availability + mttr instead of ttf + ttr
 *   buffer:    carried_by: POOL; length, speed, pitch, accumulating
 *
 * References to pools are collected while walking (a pool may be listed
 * after the stations that use it) and resolved in resolve_pools(), before
 * the buffers are copied into the plant; the rest, which needs products
 * and stations, in resolve_resources(), after the car-plant layer.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "load_internal.h"

/* ---- references to pools ----------------------------------------------------- */

static void pool_ref_add(walker *W, const ynode *v, int *slot, const char *owner,
                         const char *key)
{
    loader *L = loader_of(W);
    *slot = -1;
    if (L->nprefs == L->prefs_cap) {
        int n = L->prefs_cap ? 2 * L->prefs_cap : 16;
        pool_ref *more = realloc(L->prefs, (size_t)n * sizeof *more);
        if (!more) {
            diags_add(W->d, 0, 0, "out of memory");
            return;
        }
        L->prefs = more;
        L->prefs_cap = n;
    }
    pool_ref *r = &L->prefs[L->nprefs++];
    r->v = v;
    r->slot = slot;
    r->key = key;
    snprintf(r->owner, sizeof r->owner, "%s", owner);
}

void read_repair_by(walker *W, const ynode *v, void *at, const char *label)
{
    pool_ref_add(W, v, &((failure_mode *)at)->repair_by, label, "repair_by");
}

void read_maint_by(walker *W, const ynode *v, void *at, const char *label)
{
    pool_ref_add(W, v, &((maint_plan *)at)->by, label, "by");
}

void read_carried_by(walker *W, const ynode *v, void *at, const char *label)
{
    pool_ref_add(W, v, &((buffer_entry *)at)->b.carried_by, label, "carried_by");
}

/* ---- pools and carrier loops ------------------------------------------------- */

static const field resource_fields[] = {
    FIELD(resource_entry, "name", F_TEXT, r.name, "its name, e.g. name: fitters"),
    { .key = "count", .type = F_WHOLE, .at = offsetof(resource_entry, r.count),
      .required = "how many units it has, e.g. count: 6", .min = 1, .max = 1000000 },
    FIELD(resource_entry, "calendar", F_NODE, calendar, NULL),
};
SECTION(resource_section, "in %s", resource_fields);

void read_resources(walker *W, const ynode *seq, void *at, const char *label)
{
    loader *L = loader_of(W);
    takt_plant *p = L->p;
    (void)at;
    (void)label;
    if (!(L->pools_e = alloc_items(W, seq, sizeof *L->pools_e)) ||
        !(p->resources = alloc_items(W, seq, sizeof *p->resources)))
        return;
    p->nresources = list_len(seq);
    L->resource_list = seq;
    place_items(seq, L->pools_e, sizeof *L->pools_e, offsetof(resource_entry, r.line));
    for (int i = 0; i < p->nresources; i++)
        L->pools_e[i].r.calendar = -1;
    walk_list(W, seq, "resources", "resource", &resource_section, L->pools_e,
              sizeof *L->pools_e, NULL);
    for (int i = 0; i < p->nresources; i++) {
        p->resources[i] = L->pools_e[i].r;
        memset(&L->pools_e[i].r, 0, sizeof L->pools_e[i].r);
    }
    names_fill(W, &L->pools, seq, &p->resources[0].name, sizeof *p->resources, p->nresources,
               "resource");
}

static const field carrier_fields[] = {
    FIELD(carrier_entry, "name", F_TEXT, c.name, "its name, e.g. name: skids"),
    { .key = "count", .type = F_WHOLE, .at = offsetof(carrier_entry, c.count),
      .required = "how many carriers circulate, e.g. count: 40", .min = 1, .max = 1000000 },
    FIELD(carrier_entry, "from", F_NODE, from, "the station where a part takes a carrier, "
          "e.g. from: underbody"),
    FIELD(carrier_entry, "to", F_NODE, to, "the station after which the carrier goes back, "
          "e.g. to: closures"),
    FIELD(carrier_entry, "return", F_DIST, c.ret, NULL),
};
SECTION(carrier_section, "in %s", carrier_fields);

void read_carriers(walker *W, const ynode *seq, void *at, const char *label)
{
    loader *L = loader_of(W);
    takt_plant *p = L->p;
    (void)at;
    (void)label;
    if (list_len(seq) > MAX_CARRIER_LOOPS) {
        diags_add(W->d, seq->items[MAX_CARRIER_LOOPS]->line, seq->items[MAX_CARRIER_LOOPS]->col,
                  "too many carrier loops: %d (limit %d)", list_len(seq), MAX_CARRIER_LOOPS);
        return;
    }
    if (!(L->loops_e = alloc_items(W, seq, sizeof *L->loops_e)) ||
        !(p->carriers = alloc_items(W, seq, sizeof *p->carriers)))
        return;
    p->ncarriers = list_len(seq);
    L->carrier_list = seq;
    place_items(seq, L->loops_e, sizeof *L->loops_e, offsetof(carrier_entry, c.line));
    for (int i = 0; i < p->ncarriers; i++) {
        L->loops_e[i].c.from = L->loops_e[i].c.to = -1;
        L->loops_e[i].c.ret = dist_const(0);
    }
    walk_list(W, seq, "carriers", "carrier loop", &carrier_section, L->loops_e,
              sizeof *L->loops_e, NULL);
    for (int i = 0; i < p->ncarriers; i++) {
        p->carriers[i] = L->loops_e[i].c;
        memset(&L->loops_e[i].c, 0, sizeof L->loops_e[i].c);
    }
    names names_tmp = { 0 };
    names_fill(W, &names_tmp, seq, &p->carriers[0].name, sizeof *p->carriers, p->ncarriers,
               "carrier loop");
    names_free(&names_tmp);
}

/* ---- failures ------------------------------------------------------------------ */

/* ttf and ttr, or availability and mttr: one pair, complete.  The second
 * pair means exponential times with these means: the operating-time
 * availability mttf / (mttf + mttr) is the one given. */
static void failure_pair(walker *W, const ynode *map, failure_mode *f, const char *label)
{
    const ynode *ttf = map_value(map, "ttf"), *ttr = map_value(map, "ttr");
    const ynode *av = map_value(map, "availability"), *mttr = map_value(map, "mttr");
    const ynode *at = av ? av : mttr;
    if ((ttf || ttr) && (av || mttr)) {
        diags_add(W->d, at->line, at->col, "%s: give either 'ttf' and 'ttr', or "
                  "'availability' and 'mttr', not both", label);
    } else if (av || mttr) {
        if (!av || !mttr) {
            diags_add(W->d, at->line, at->col, "%s: '%s' needs '%s' too (e.g. availability: "
                      "0.95, mttr: 10min)", label, av ? "availability" : "mttr",
                      av ? "mttr" : "availability");
        } else if (f->availability > 0 && f->mttr > 0) {
            f->ttr = dist_exp(f->mttr);
            f->ttf = dist_exp(f->mttr * f->availability / (1 - f->availability));
        }
    } else if (!ttf || !ttr) {
        diags_add(W->d, map->line, map->col, "%s is missing '%s' (%s; or give availability "
                  "and mttr, e.g. availability: 0.95, mttr: 10min)", label,
                  ttf ? "ttr" : "ttf", ttf ? "the time to repair, e.g. ttr: exp(1h)"
                                       : "the time to failure, e.g. ttf: exp(100h)");
    }
}

void failure_pairs(walker *W, const ynode *seq, failure_mode *f, const char *parent)
{
    char label[256];
    for (int i = 0; seq && seq->kind == YNODE_SEQ && i < seq->n; i++) {
        if (seq->items[i]->kind != YNODE_MAP)
            continue;
        element_label(label, sizeof label, "failure", seq->items[i], i, parent);
        failure_pair(W, seq->items[i], &f[i], label);
    }
}

/* ---- maintenance ----------------------------------------------------------------- */

/* every: 160h (a duration) or every: 5000 parts. */
static void read_every(walker *W, const ynode *v, void *at, const char *label)
{
    maint_plan *mp = at;
    (void)label;
    if (v->kind == YNODE_SCALAR && v->text) {
        const char *t = v->text;
        size_t n = strlen(t);
        if (n > 5 && strcmp(t + n - 5, "parts") == 0) {
            char *end;
            double x = strtod(t, &end);
            while (*end == ' ') end++;
            if (end == t + n - 5 && x >= 1 && x <= 1e12 && x == floor(x)) {
                mp->parts = (long)x;
                return;
            }
            diags_add(W->d, v->line, v->col, "'every': expected a whole number of parts from "
                      "1 up, e.g. every: 5000 parts");
            return;
        }
    }
    if (read_duration_value(W, "every", v, 1, &mp->every) == 0)
        return;
}

static const char *const maint_clock_names[] = { "operating", "calendar", NULL };

static const field maint_fields[] = {
    CUSTOM("every", read_every, "how often, e.g. every: 160h or every: 5000 parts"),
    FIELD(maint_plan, "duration", F_DIST, duration, "how long it takes, e.g. duration: 4h"),
    CHOICE(maint_plan, "clock", clock, maint_clock_names),
    CUSTOM("by", read_maint_by, NULL),
};
SECTION(maint_section, "in %s", maint_fields);

void read_maintenance(walker *W, const ynode *seq, void *at, const char *label)
{
    station *s = at;
    if (!(s->maint = alloc_items(W, seq, sizeof *s->maint)))
        return;
    s->nmaint = list_len(seq);
    place_items(seq, s->maint, sizeof *s->maint, offsetof(maint_plan, line));
    for (int i = 0; i < s->nmaint; i++)
        s->maint[i].by = -1;
    walk_list(W, seq, "maintenance", "maintenance plan", &maint_section, s->maint,
              sizeof *s->maint, label);
    for (int i = 0; seq->kind == YNODE_SEQ && i < s->nmaint; i++) {
        const ynode *clock = map_value(seq->items[i], "clock");
        if (s->maint[i].parts > 0 && clock)
            diags_add(W->d, clock->line, clock->col, "%s: 'clock' applies to maintenance "
                      "every so many hours, not every so many parts", label);
    }
}

/* ---- station keys ------------------------------------------------------------- */

/* setup: a changeover time (any product change), or a from -> to matrix. */
void read_station_setup(walker *W, const ynode *v, void *at, const char *label)
{
    station_entry *e = at;
    (void)label;
    if (v->kind == YNODE_MAP) {
        e->setup_map = v;
        return;
    }
    if (read_dist_value(W, "setup", v, &e->s.setup) == 0)
        e->s.has_setup = 1;
}

/* ---- buffer keys: conveyors by length, speed and pitch -------------------------- */

/* A length in metres: "60m", "60 m" or a bare number. */
static int parse_metres(const char *t, double *out)
{
    char *end;
    double x = strtod(t, &end);
    if (end == t) return -1;
    while (*end == ' ') end++;
    if (*end == 'm') end++;
    if (*end || !isfinite(x)) return -1;
    *out = x;
    return 0;
}

static void read_metres(walker *W, const ynode *v, double *out, const char *key)
{
    char clip[80];
    double x;
    if (v->kind != YNODE_SCALAR || !v->text || parse_metres(v->text, &x) < 0) {
        type_error(W, v, key, "a length in metres, e.g. 60m");
        return;
    }
    if (!(x > 0)) {
        diags_add(W->d, v->line, v->col, "'%s' must be more than 0, got %s", key,
                  text_clip(v->text, clip, sizeof clip, 60));
        return;
    }
    *out = x;
}

void read_length(walker *W, const ynode *v, void *at, const char *label)
{
    (void)label;
    read_metres(W, v, at, "length");
}

void read_pitch(walker *W, const ynode *v, void *at, const char *label)
{
    (void)label;
    read_metres(W, v, at, "pitch");
}

/* A speed: "0.2m/s", "6m/min", "100m/h"; a bare number is m/s. */
void read_speed(walker *W, const ynode *v, void *at, const char *label)
{
    double *out = at, x, per = 1;
    char clip[80], num[64];
    (void)label;
    const char *t = v->kind == YNODE_SCALAR ? v->text : NULL;
    const char *slash = t ? strchr(t, '/') : NULL;
    int ok = t != NULL;
    if (ok && slash) {
        size_t n = (size_t)(slash - t);
        ok = n < sizeof num;
        if (ok) {
            memcpy(num, t, n);
            num[n] = 0;
            ok = parse_metres(num, &x) == 0 && strchr(num, 'm') != NULL;
        }
        if (ok && strcmp(slash + 1, "s") == 0) per = 1;
        else if (ok && strcmp(slash + 1, "min") == 0) per = 60;
        else if (ok && strcmp(slash + 1, "h") == 0) per = 3600;
        else ok = 0;
    } else if (ok) {
        char *end;
        x = strtod(t, &end);
        ok = end != t && *end == 0;
    }
    if (!ok || !isfinite(x)) {
        type_error(W, v, "speed", "a speed, e.g. 0.2m/s or 6m/min");
        return;
    }
    if (!(x > 0)) {
        diags_add(W->d, v->line, v->col, "'speed' must be more than 0, got %s",
                  text_clip(t, clip, sizeof clip, 60));
        return;
    }
    *out = x / per;
}

/* ---- resolving ----------------------------------------------------------------- */

void resolve_pools(loader *L)
{
    if (!L->resource_list && names_init(&L->pools, 0) == 0)
        L->pools.ready = 1;
    for (int i = 0; i < L->nprefs; i++) {
        pool_ref *r = &L->prefs[i];
        *r->slot = names_resolve(&L->w, &L->pools, r->v, r->owner, r->key, "resource");
    }
}

static void station_needs(loader *L, station *s, const ynode *map, const char *owner)
{
    char clip[80];
    if (map->kind != YNODE_MAP || map->n == 0) {
        type_error(&L->w, map, "needs", "a mapping of resources to units, e.g. needs: "
                   "{fitters: 2}");
        return;
    }
    if (!(s->needs = calloc((size_t)map->n, sizeof *s->needs))) {
        diags_add(L->w.d, 0, 0, "out of memory");
        return;
    }
    for (int i = 0; i < map->n; i++) {
        const ynode *k = map->pairs[i].key, *v = map->pairs[i].value;
        int pool = names_resolve(&L->w, &L->pools, k, owner, "needs", "resource");
        uint64_t units;
        if (pool < 0 || read_whole_value(&L->w, k->text, v, 1, 1000000, &units))
            continue;
        for (int j = 0; j < s->nneeds; j++)
            if (s->needs[j].pool == pool)
                diags_add(L->w.d, k->line, k->col, "%s: resource '%s' appears twice in "
                          "'needs'", owner, text_clip(k->text, clip, sizeof clip, 60));
        if ((long)units > L->p->resources[pool].count)
            diags_add(L->w.d, v->line, v->col, "%s needs %llu units of '%s', but the pool "
                      "has only %d: it could never start", owner, (unsigned long long)units,
                      L->p->resources[pool].name, L->p->resources[pool].count);
        s->needs[s->nneeds].pool = pool;
        s->needs[s->nneeds++].units = (int)units;
    }
}

/* setup: {SU7: {YU7: 3min}, YU7: {SU7: 4min}, default: 2min} */
static void setup_matrix(loader *L, station *s, const ynode *map, const char *owner)
{
    takt_plant *p = L->p;
    int np = p->nproducts;
    if (need_products(L, map, owner, "setup"))
        return;
    const ynode **seen = calloc((size_t)np + 1, sizeof *seen);
    const ynode **seen_to = calloc((size_t)np + 1, sizeof *seen_to);
    s->setup_matrix = calloc((size_t)np * (size_t)np, sizeof *s->setup_matrix);
    s->setup_given = calloc((size_t)np * (size_t)np, 1);
    if (!seen || !seen_to || !s->setup_matrix || !s->setup_given) {
        diags_add(L->w.d, 0, 0, "out of memory");
        goto done;
    }
    const ynode *default_key = NULL;
    for (int i = 0; i < map->n; i++) {
        const ynode *key = map->pairs[i].key, *v = map->pairs[i].value;
        int skip = flow_split(&L->w, map, i, 1);
        if (skip >= 0) {
            i += skip;
            continue;
        }
        int from = product_key(L, key, owner, "setup", 1, seen);
        if (from == -2) {
            if (default_key)
                diags_add(L->w.d, key->line, key->col, "%s: 'default' appears twice in "
                          "'setup' (first at line %d)", owner, default_key->line);
            else if (read_dist_value(&L->w, "default", v, &s->setup) == 0)
                s->has_setup = 1;
            default_key = key;
            continue;
        }
        if (from < 0)
            continue;
        if (v->kind != YNODE_MAP) {
            type_error(&L->w, v, key->text, "a mapping of the products it changes to and "
                       "the changeover time, e.g. {YU7: 3min}");
            continue;
        }
        memset(seen_to, 0, (size_t)np * sizeof *seen_to);
        for (int j = 0; j < v->n; j++) {
            const ynode *tk = v->pairs[j].key;
            int sk = flow_split(&L->w, v, j, 1);
            if (sk >= 0) {
                j += sk;
                continue;
            }
            int to = product_key(L, tk, owner, "setup", 0, seen_to);
            if (to < 0)
                continue;
            if (to == from) {
                diags_add(L->w.d, tk->line, tk->col, "%s: 'setup' gives a changeover from "
                          "'%s' to itself; the same product needs none", owner, tk->text);
                continue;
            }
            if (read_dist_value(&L->w, tk->text, v->pairs[j].value,
                                &s->setup_matrix[from * np + to]) == 0)
                s->setup_given[from * np + to] = 1;
        }
    }
done:
    free(seen);
    free(seen_to);
}

/* Conveyors: transit = length / speed, places = floor(length / pitch). */
static void buffer_conveyor(loader *L, int i, const char *owner)
{
    buffer_entry *e = &L->bufs[i];
    buffer *b = &L->p->buffers[i];
    const ynode *map = L->buffer_list->items[i];
    const ynode *len = map_value(map, "length"), *speed = map_value(map, "speed");
    const ynode *pitch = map_value(map, "pitch"), *cap = map_value(map, "capacity");
    const ynode *transit = map_value(map, "transit"), *acc = map_value(map, "accumulating");
    const ynode *carried = map_value(map, "carried_by");
    walker *W = &L->w;
    if ((len || speed) && transit)
        diags_add(W->d, transit->line, transit->col, "%s: give 'transit' or 'length' and "
                  "'speed', not both", owner);
    else if (len && !speed)
        diags_add(W->d, len->line, len->col, "%s: 'length' needs 'speed' too (transit = "
                  "length / speed), e.g. speed: 0.2m/s", owner);
    else if (speed && !len)
        diags_add(W->d, speed->line, speed->col, "%s: 'speed' needs 'length' too (transit = "
                  "length / speed), e.g. length: 60m", owner);
    else if (len && e->length > 0 && e->speed > 0)
        b->transit = e->length / e->speed;
    if (pitch && cap)
        diags_add(W->d, pitch->line, pitch->col, "%s: give 'capacity' or 'pitch', not both "
                  "(the places of a conveyor are length / pitch)", owner);
    else if (pitch && !len)
        diags_add(W->d, pitch->line, pitch->col, "%s: 'pitch' needs 'length' (places = "
                  "floor(length / pitch))", owner);
    else if (pitch && e->pitch > e->length && e->length > 0)
        diags_add(W->d, pitch->line, pitch->col, "%s: the pitch (%g m) is longer than the "
                  "conveyor (%g m): it would have no place for a part", owner, e->pitch,
                  e->length);
    else if (pitch && e->pitch > 0)
        b->capacity = (long)floor(e->length / e->pitch * (1 + 1e-12));
    else if (!pitch && !cap)
        diags_add(W->d, map->line, map->col, "%s is missing 'capacity' (the parts it holds "
                  "besides the machines, e.g. capacity: 5 or capacity: inf; or 'length' and "
                  "'pitch' for a conveyor)", owner);
    b->non_accumulating = !e->accumulating;
    if (acc && !e->accumulating && !(b->transit > 0))
        diags_add(W->d, acc->line, acc->col, "%s: a non-accumulating conveyor needs a transit "
                  "time ('length' and 'speed', or 'transit')", owner);
    if (carried && !(b->transit > 0))
        diags_add(W->d, carried->line, carried->col, "%s: 'carried_by' needs a transit time "
                  "(the time a vehicle takes), e.g. transit: 2min", owner);
    else if (carried && !e->accumulating)
        diags_add(W->d, carried->line, carried->col, "%s: a buffer carried by vehicles cannot "
                  "also be a non-accumulating conveyor", owner);
}

static void owner_of(char *buf, size_t len, const char *what, const char *name)
{
    char clip[80];
    snprintf(buf, len, "%s '%s'", what, name ? text_clip(name, clip, sizeof clip, 60) : "?");
}

void resolve_resources(loader *L)
{
    takt_plant *p = L->p;
    char owner[128];
    for (int i = 0; i < p->nresources; i++)
        if (L->pools_e[i].calendar) {
            owner_of(owner, sizeof owner, "resource", p->resources[i].name);
            p->resources[i].calendar = names_resolve(&L->w, &L->calendars,
                                                     L->pools_e[i].calendar, owner,
                                                     "calendar", "calendar");
        }
    for (int i = 0; i < p->nstations; i++) {
        station_entry *e = &L->stas[i];
        owner_of(owner, sizeof owner, "station", p->stations[i].name);
        if (e->needs)
            station_needs(L, &p->stations[i], e->needs, owner);
        if (e->setup_map)
            setup_matrix(L, &p->stations[i], e->setup_map, owner);
    }
    for (int i = 0; i < p->nbuffers; i++) {
        owner_of(owner, sizeof owner, "buffer", p->buffers[i].name);
        buffer_conveyor(L, i, owner);
    }
    for (int i = 0; i < p->ncarriers; i++) {
        carrier_entry *e = &L->loops_e[i];
        owner_of(owner, sizeof owner, "carrier loop", p->carriers[i].name);
        p->carriers[i].from = names_resolve(&L->w, &L->stations, e->from, owner, "from",
                                            "station");
        p->carriers[i].to = names_resolve(&L->w, &L->stations, e->to, owner, "to", "station");
    }
}
