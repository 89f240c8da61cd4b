/*
 * load_car.c — the car-plant sections of a plant file: products and the
 * release sequence, workshops, ramp-up curves, and the per-product keys
 * of stations and buffers (cycle by product, mix, products allowed on a
 * buffer).  Demand and targets are in load_market.c.
 *
 * Products may be listed after the stations that name them, so every
 * product-keyed value is kept as a node during the walk and read here once
 * the names are known (resolve_car).  Readers follow load_walk.c's rule:
 * report at the node at fault, leave the default in place, go on.
 * Routing by `to:` and rework wiring, which add buffers, are in
 * load_route.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "load_internal.h"
#include "suggest.h"

#define MAX_FACTOR 1000.0               /* ramp: 1000 times slower        */
#define SHARE_TOL 1e-6

/* ---- products ------------------------------------------------------------ */

static const field product_fields[] = {
    FIELD(product, "name", F_TEXT, name, "its name, e.g. name: SU7"),
    NUMBER(product, "share", share, NULL, 0, 1, NUM_LO_OPEN),
    DATE(product, "from", from, NULL, DATE_OR_DURATION),
    DATE(product, "until", until, NULL, DATE_OR_DURATION | DATE_END_OF_DAY),
};
SECTION(product_section, "in %s", product_fields);

/* Shares: all given (summing to 1) or none (equal shares). */
static void check_shares(loader *L, const ynode *seq)
{
    takt_plant *p = L->p;
    int given = 0;
    double sum = 0;
    for (int i = 0; i < p->nproducts; i++)
        if (map_value(seq->items[i], "share")) {
            given++;
            sum += p->products[i].share;
        }
    if (given == 0) {
        for (int i = 0; i < p->nproducts; i++)
            p->products[i].share = 1.0 / p->nproducts;
        return;
    }
    for (int i = 0; i < p->nproducts && given < p->nproducts; i++)
        if (!map_value(seq->items[i], "share")) {
            diags_add(L->w.d, seq->items[i]->line, seq->items[i]->col, "product %d has no "
                      "'share': give every product a share, or none for equal shares", i + 1);
            return;
        }
    if (fabs(sum - 1) > SHARE_TOL)
        diags_add(L->w.d, seq->line, seq->col, "the shares of the products add up to %.10g, "
                  "not 1", sum);
}

void read_products(walker *W, const ynode *seq, void *at, const char *label)
{
    loader *L = loader_of(W);
    takt_plant *p = L->p;
    int before = W->d->n;
    (void)at;
    (void)label;
    if (!(p->products = alloc_items(W, seq, sizeof *p->products)))
        return;
    p->nproducts = list_len(seq);
    L->product_list = seq;
    place_items(seq, p->products, sizeof *p->products, offsetof(product, line));
    for (int i = 0; i < p->nproducts; i++) {
        p->products[i].from = -INFINITY;
        p->products[i].until = INFINITY;
    }
    walk_list(W, seq, "products", "product", &product_section, p->products,
              sizeof *p->products, NULL);
    for (int i = 0; i < p->nproducts; i++)
        if (p->products[i].until <= p->products[i].from)
            diags_add(W->d, seq->items[i]->line, seq->items[i]->col, "product %d: 'until' "
                      "must be after 'from'", i + 1);
    if (W->d->n == before)
        check_shares(L, seq);
}

/* ---- ramps ------------------------------------------------------------------ */

static const field ramp_fields[] = {
    DATE(ramp_point, "date", t, NULL, 0),
    DURATION(ramp_point, "at", t, NULL, 0),
    NUMBER(ramp_point, "factor", factor, "the cycle-time factor, e.g. factor: 2 (twice as "
           "slow)", 0, MAX_FACTOR, NUM_LO_OPEN),
};
SECTION(ramp_section, "in %s", ramp_fields);

void read_ramp(walker *W, const ynode *v, void *at, const char *label)
{
    static const char *const when[] = { "date", "at" };
    ramp *r = at;
    int before = W->d->n;
    if (ynode_is_null(v))
        return;
    if (v->kind != YNODE_SEQ) {
        type_error(W, v, "ramp", "a list of points, e.g. [{date: 2024-04-01, factor: 3}, "
                   "{date: 2024-09-01, factor: 1}]");
        return;
    }
    if (!(r->pts = alloc_items(W, v, sizeof *r->pts)))
        return;
    r->n = v->n;
    walk_list(W, v, "ramp", "ramp point", &ramp_section, r->pts, sizeof *r->pts, label);
    for (int i = 0; i < v->n; i++)
        if (v->items[i]->kind == YNODE_MAP) {
            char what[300];
            snprintf(what, sizeof what, "ramp point %d of %s", i + 1, label);
            exactly_one(W, v->items[i], when, 2, what);
        }
    for (int i = 1; i < v->n && W->d->n == before; i++)
        if (!(r->pts[i].t > r->pts[i - 1].t))
            diags_add(W->d, v->items[i]->line, v->items[i]->col, "ramp point %d of %s is not "
                      "after point %d: the points must be in time order", i + 1, label, i);
}

/* ---- workshops ---------------------------------------------------------------- */

static const field workshop_fields[] = {
    FIELD(workshop_entry, "name", F_TEXT, w.name, "its name, e.g. name: paint"),
    FIELD(workshop_entry, "calendar", F_NODE, calendar, NULL),
    DATE(workshop_entry, "opens", w.opens, NULL, DATE_NOT_BEFORE | DATE_OR_DURATION),
    CUSTOM_AT(workshop_entry, "ramp", w.ramp, read_ramp, NULL),
};
SECTION(workshop_section, "in %s", workshop_fields);

void read_workshops(walker *W, const ynode *seq, void *at, const char *label)
{
    loader *L = loader_of(W);
    (void)at;
    (void)label;
    if (!(L->shops = alloc_items(W, seq, sizeof *L->shops)))
        return;
    L->workshop_list = seq;
    place_items(seq, L->shops, sizeof *L->shops, offsetof(workshop_entry, w.line));
    for (int i = 0; i < list_len(seq); i++)
        L->shops[i].w.calendar = -1;
    walk_list(W, seq, "workshops", "workshop", &workshop_section, L->shops, sizeof *L->shops,
              NULL);
}

/* ---- stations: the keys read during the walk --------------------------------------- */

void read_station_cycle(walker *W, const ynode *v, void *at, const char *label)
{
    station_entry *e = at;
    (void)label;
    if (v->kind == YNODE_MAP)
        e->cycle = v;
    else
        read_dist_value(W, "cycle", v, &e->s.cycle);
}

static const field rework_fields[] = {
    NUMBER(station_entry, "p", s.rework_p, "the probability that a part needs rework, e.g. "
           "p: 0.05", 0, 1, NUM_LO_OPEN | NUM_HI_OPEN),
    FIELD(station_entry, "to", F_NODE, rework_to, "the station that reworks it, e.g. to: R1"),
};
SECTION(rework_section, "in %s", rework_fields);

void read_rework(walker *W, const ynode *v, void *at, const char *label)
{
    station_entry *e = at;
    char where[300];
    if (v->kind != YNODE_MAP) {
        type_error(W, v, "rework", "a mapping, e.g. {p: 0.05, to: R1}");
        return;
    }
    e->rework = v;
    snprintf(where, sizeof where, "'rework' of %s", label);
    walk_mapping(W, v, &rework_section, e, where);
}

/* ---- resolving products ------------------------------------------------------------- */

/* The products are needed: say so once per use when the plant has none. */
int need_products(loader *L, const ynode *v, const char *owner, const char *key)
{
    if (L->p->nproducts > 0)
        return 0;
    diags_add(L->w.d, v->line, v->col, "%s: '%s' names products, but the plant lists none "
              "(add 'products:' at the top level)", owner, key);
    return -1;
}

/* The product a key of a by-product mapping names: its index, -2 for
 * "default" (when allowed), -1 after reporting. */
int product_key(loader *L, const ynode *k, const char *owner, const char *key,
                       int allow_default, const ynode **seen)
{
    char clip[80];
    if (allow_default && k->kind == YNODE_SCALAR && strcmp(k->text, "default") == 0)
        return -2;
    int i = names_resolve(&L->w, &L->products, k, owner, key, "product");
    if (i < 0)
        return -1;
    if (seen[i]) {
        diags_add(L->w.d, k->line, k->col, "%s: product '%s' appears twice in '%s' (first at "
                  "line %d)", owner, text_clip(k->text, clip, sizeof clip, 60), key, seen[i]->line);
        return -1;
    }
    seen[i] = k;
    return i;
}

static int dist_copy(dist *to, const dist *from)
{
    *to = *from;
    if (!from->values)
        return 0;
    to->values = malloc((size_t)from->nvalues * sizeof *to->values);
    if (!to->values)
        return -1;
    memcpy(to->values, from->values, (size_t)from->nvalues * sizeof *to->values);
    return 0;
}

/* cycle: {SU7: 70s, SU7-Ultra: 80s, default: 75s} */
static void station_cycle_map(loader *L, station *s, const ynode *map, const char *owner)
{
    takt_plant *p = L->p;
    const ynode **seen = calloc((size_t)p->nproducts + 1, sizeof *seen);
    s->cycle_by_product = calloc((size_t)p->nproducts + 1, sizeof *s->cycle_by_product);
    if (!seen || !s->cycle_by_product) {
        diags_add(L->w.d, 0, 0, "out of memory");
        free(seen);
        return;
    }
    int before = L->w.d->n, has_default = 0;
    const ynode *default_key = NULL;
    dist def = dist_const(0);
    for (int i = 0; i < map->n; i++) {
        const ynode *key = map->pairs[i].key;
        int skip = flow_split(&L->w, map, i, 1);
        if (skip >= 0) {
            i += skip;
            continue;
        }
        int k = product_key(L, key, owner, "cycle", 1, seen);
        if (k == -2 && default_key) {
            diags_add(L->w.d, key->line, key->col, "%s: 'default' appears twice in 'cycle' "
                      "(first at line %d)", owner, default_key->line);
        } else if (k == -2) {
            default_key = key;
            has_default = read_dist_value(&L->w, "cycle", map->pairs[i].value, &def) == 0;
        } else if (k >= 0) {
            read_dist_value(&L->w, "cycle", map->pairs[i].value, &s->cycle_by_product[k]);
        }
    }
    for (int k = 0; k < p->nproducts && L->w.d->n == before; k++) {
        if (seen[k])
            continue;
        if (!has_default) {
            diags_add(L->w.d, map->line, map->col, "%s: 'cycle' gives no time for product "
                      "'%s' (list it, or add a 'default:' entry)", owner, p->products[k].name);
        } else if (dist_copy(&s->cycle_by_product[k], &def)) {
            diags_add(L->w.d, 0, 0, "out of memory");
        }
    }
    if (L->w.d->n == before && dist_copy(&s->cycle, has_default ? &def : &s->cycle_by_product[0]))
        diags_add(L->w.d, 0, 0, "out of memory");
    free(def.values);
    free(seen);
}

/* mix: {SU7: 0.8, SU7-Ultra: 0.2}; products not listed get 0. */
static void station_mix(loader *L, station *s, const ynode *map, const char *owner)
{
    takt_plant *p = L->p;
    if (map->kind != YNODE_MAP) {
        type_error(&L->w, map, "mix", "a mapping product -> share, e.g. {SU7: 0.8, SU7-Ultra: 0.2}");
        return;
    }
    const ynode **seen = calloc((size_t)p->nproducts + 1, sizeof *seen);
    s->mix = calloc((size_t)p->nproducts + 1, sizeof *s->mix);
    if (!seen || !s->mix) {
        diags_add(L->w.d, 0, 0, "out of memory");
        free(seen);
        return;
    }
    int before = L->w.d->n;
    double sum = 0;
    for (int i = 0; i < map->n; i++) {
        int k = product_key(L, map->pairs[i].key, owner, "mix", 0, seen);
        if (k >= 0 && read_number_value(&L->w, "mix", map->pairs[i].value, 0, 1, 0,
                                        &s->mix[k]) == 0)
            sum += s->mix[k];
    }
    if (L->w.d->n == before && fabs(sum - 1) > SHARE_TOL)
        diags_add(L->w.d, map->line, map->col, "%s: the shares in 'mix' add up to %.10g, not 1",
                  owner, sum);
    free(seen);
}

/* products: [SU7, ...] -> a mask of nproducts entries. */
void product_mask(loader *L, const ynode *v, const char *owner, unsigned char **out)
{
    takt_plant *p = L->p;
    if (need_products(L, v, owner, "products"))
        return;
    if (v->kind != YNODE_SEQ) {
        type_error(&L->w, v, "products", "a list of product names, e.g. [SU7]");
        return;
    }
    unsigned char *mask = calloc((size_t)p->nproducts, 1);
    if (!mask) {
        diags_add(L->w.d, 0, 0, "out of memory");
        return;
    }
    for (int i = 0; i < v->n; i++) {
        int k = names_resolve(&L->w, &L->products, v->items[i], owner, "products", "product");
        if (k >= 0)
            mask[k] = 1;
    }
    *out = mask;
}

static void read_sequence(loader *L, const ynode *v)
{
    takt_plant *p = L->p;
    if (ynode_is_null(v))
        return;
    if (need_products(L, v, "the plant", "sequence"))
        return;
    if (v->kind != YNODE_SEQ) {
        type_error(&L->w, v, "sequence", "a list of product names, e.g. [SU7, SU7, SU7-Ultra]");
        return;
    }
    if (!(p->sequence = alloc_items(&L->w, v, sizeof *p->sequence)))
        return;
    p->nsequence = v->n;
    for (int i = 0; i < v->n; i++) {
        int k = names_resolve(&L->w, &L->products, v->items[i], "the plant", "sequence",
                              "product");
        p->sequence[i] = k < 0 ? 0 : k;
    }
}

/* ---- resolving workshops and calendars ------------------------------------------- */

/* A station's workshop: a listed one; a new name creates one with the
 * defaults, unless it is close to a listed name (then it is a typo, and
 * a silent new workshop would run on the wrong calendar). */
static int station_workshop(loader *L, const ynode *v, const char *owner, int nlisted)
{
    takt_plant *p = L->p;
    char clip[80];
    if (v->kind != YNODE_SCALAR || ynode_is_null(v) || v->len == 0) {
        type_error(&L->w, v, "workshop", "a workshop name");
        return -1;
    }
    int i = names_find(&L->workshops, v->text);
    if (i >= 0)
        return i;
    const char **listed = malloc(((size_t)nlisted + 1) * sizeof *listed);
    int n = 0;
    for (int k = 0; listed && k < nlisted && nlisted <= SUGGEST_MAX_NAMES; k++)
        if (p->workshops[k].name)
            listed[n++] = p->workshops[k].name;
    const char *guess = listed ? text_suggest(v->text, listed, n) : NULL;
    if (guess)
        diags_add(L->w.d, v->line, v->col, "%s: unknown workshop '%s' in 'workshop' (did you "
                  "mean '%s'? a workshop missing from 'workshops' is made up only when its name "
                  "is not close to a listed one)", owner, text_clip(v->text, clip, sizeof clip, 60),
                  guess);
    free(listed);
    if (guess)
        return -1;
    workshop *more = p->workshops;
    char *name = strdup(v->text);
    if (p->nworkshops >= L->workshop_cap) {
        int cap = p->nworkshops < 8 ? 16 : 2 * p->nworkshops;
        if ((more = realloc(p->workshops, (size_t)cap * sizeof *more))) {
            p->workshops = more;
            L->workshop_cap = cap;
        }
    }
    if (!more || !name || names_add(&L->workshops, name) == -2) {
        free(name);
        diags_add(L->w.d, 0, 0, "out of memory");
        return -1;
    }
    workshop *w = &p->workshops[p->nworkshops];
    memset(w, 0, sizeof *w);
    w->name = name;
    w->line = v->line;
    w->col = v->col;
    w->calendar = -1;
    return p->nworkshops++;
}

static void resolve_workshops(loader *L)
{
    takt_plant *p = L->p;
    int n = list_len(L->workshop_list);
    char owner[128], clip[80];
    if (!(p->workshops = calloc(n ? (size_t)n : 1, sizeof *p->workshops))) {
        diags_add(L->w.d, 0, 0, "out of memory");
        return;
    }
    for (int i = 0; i < n; i++) {
        workshop_entry *e = &L->shops[i];
        snprintf(owner, sizeof owner, "workshop '%s'",
                 e->w.name ? text_clip(e->w.name, clip, sizeof clip, 60) : "?");
        if (e->calendar)
            e->w.calendar = names_resolve(&L->w, &L->calendars, e->calendar, owner, "calendar",
                                          "calendar");
        p->workshops[i] = e->w;
    }
    p->nworkshops = n;
    names_fill(&L->w, &L->workshops, L->workshop_list, &p->workshops[0].name,
               sizeof *p->workshops, n, "workshop");
}

static void empty_names(loader *L, names *t)
{
    if (names_init(t, 0))
        diags_add(L->w.d, 0, 0, "out of memory");
    t->ready = 1;
}

static void resolve_stations(loader *L)
{
    takt_plant *p = L->p;
    int nlisted = p->nworkshops;
    char owner[128], clip[80];
    for (int i = 0; i < p->nstations; i++) {
        station_entry *e = &L->stas[i];
        station *s = &p->stations[i];
        snprintf(owner, sizeof owner, "station '%s'",
                 s->name ? text_clip(s->name, clip, sizeof clip, 60) : "?");
        if (e->workshop)
            s->workshop = station_workshop(L, e->workshop, owner, nlisted);
        if (e->calendar)
            s->calendar = names_resolve(&L->w, &L->calendars, e->calendar, owner, "calendar",
                                        "calendar");
        if (e->cycle && p->nproducts == 0)
            type_error(&L->w, e->cycle, "cycle", "a distribution or a duration (e.g. exp(1h), "
                       "90s); a mapping by product needs 'products:' at the top level");
        else if (e->cycle)
            station_cycle_map(L, s, e->cycle, owner);
        if (e->mix && need_products(L, e->mix, owner, "mix") == 0)
            station_mix(L, s, e->mix, owner);
        if (e->rework_to) {
            s->rework_to = names_resolve(&L->w, &L->stations, e->rework_to, owner, "to",
                                         "station");
            if (s->rework_to == i)
                diags_add(L->w.d, e->rework_to->line, e->rework_to->col, "%s: a station cannot "
                          "rework its own parts (name another station in 'to')", owner);
        }
    }
}

void resolve_car(loader *L)
{
    takt_plant *p = L->p;
    char owner[128], clip[80];
    if (L->product_list)
        names_fill(&L->w, &L->products, L->product_list, &p->products[0].name,
                   sizeof *p->products, p->nproducts, "product");
    else
        empty_names(L, &L->products);
    if (L->calendar_list)
        names_fill(&L->w, &L->calendars, L->calendar_list, &p->calendars[0].name,
                   sizeof *p->calendars, p->ncalendars, "calendar");
    else
        empty_names(L, &L->calendars);
    resolve_workshops(L);
    if (L->top->calendar)
        p->calendar = names_resolve(&L->w, &L->calendars, L->top->calendar, "the plant",
                                    "calendar", "calendar");
    if (L->top->sequence)
        read_sequence(L, L->top->sequence);
    if (!L->stations.cap)
        empty_names(L, &L->stations);
    resolve_stations(L);
    for (int i = 0; i < p->nbuffers; i++)
        if (L->bufs[i].products) {
            snprintf(owner, sizeof owner, "buffer '%s'", p->buffers[i].name
                     ? text_clip(p->buffers[i].name, clip, sizeof clip, 60) : "?");
            product_mask(L, L->bufs[i].products, owner, &p->buffers[i].products);
        }
    resolve_demand(L);
}
