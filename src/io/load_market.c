/*
 * load_market.c — the market side of a plant file: customer demand (the
 * initial backlog, order rates per date range, the delivery lead time)
 * and production or delivery targets.
 *
 * Order rates may be written per day, week, month or year, whichever the
 * sales plan uses; they are all kept per day, the unit the run draws
 * Poisson arrivals in.  The backlog and the orders name products, which
 * may be listed after them, so they are read once the names are known.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "load_internal.h"

#define MAX_COUNT 1e12                  /* targets, orders per period     */
#define MAX_BACKLOG 10000000ULL           /* open orders, each one kept in the run */
#define MAX_PER_DAY 1e6                 /* orders a day, per order entry  */

/* ---- targets ------------------------------------------------------------------- */

static const field target_fields[] = {
    NUMBER(target_entry, "produced", produced, NULL, 0, MAX_COUNT, NUM_LO_OPEN),
    NUMBER(target_entry, "delivered", delivered, NULL, 0, MAX_COUNT, NUM_LO_OPEN),
    DATE(target_entry, "by", t.by, "the date to reach it by, e.g. by: 2025-12-31",
         DATE_END_OF_DAY | DATE_OR_DURATION),
};
SECTION(target_section, "in %s", target_fields);

void read_targets(walker *W, const ynode *seq, void *at, const char *label)
{
    static const char *const what[] = { "produced", "delivered" };
    loader *L = loader_of(W);
    takt_plant *p = L->p;
    (void)at;
    (void)label;
    if (!(L->targets = alloc_items(W, seq, sizeof *L->targets)) ||
        !(p->targets = alloc_items(W, seq, sizeof *p->targets)))
        return;
    p->ntargets = list_len(seq);
    place_items(seq, L->targets, sizeof *L->targets, offsetof(target_entry, t.line));
    walk_list(W, seq, "targets", "target", &target_section, L->targets, sizeof *L->targets,
              NULL);
    for (int i = 0; i < p->ntargets; i++) {
        target_entry *e = &L->targets[i];
        char name[32];
        snprintf(name, sizeof name, "target %d", i + 1);
        if (seq->items[i]->kind == YNODE_MAP && exactly_one(W, seq->items[i], what, 2, name) == 1) {
            e->t.what = map_value(seq->items[i], "produced") ? TARGET_PRODUCED : TARGET_DELIVERED;
            e->t.value = e->t.what == TARGET_PRODUCED ? e->produced : e->delivered;
        }
        p->targets[i] = e->t;
    }
}

/* ---- demand --------------------------------------------------------------------- */

static const field order_fields[] = {
    FIELD(order_entry, "product", F_NODE, product, NULL),
    DATE(order_entry, "from", o.from, NULL, DATE_OR_DURATION),
    DATE(order_entry, "until", o.until, NULL, DATE_OR_DURATION | DATE_END_OF_DAY),
    NUMBER(order_entry, "per_day", per_day, NULL, 0, MAX_COUNT, NUM_LO_OPEN),
    NUMBER(order_entry, "per_week", per_week, NULL, 0, MAX_COUNT, NUM_LO_OPEN),
    NUMBER(order_entry, "per_month", per_month, NULL, 0, MAX_COUNT, NUM_LO_OPEN),
    NUMBER(order_entry, "per_year", per_year, NULL, 0, MAX_COUNT, NUM_LO_OPEN),
};
SECTION(order_section, "in %s", order_fields);

static void read_orders(walker *W, const ynode *seq, void *at, const char *label)
{
    static const char *const rates[] = { "per_day", "per_week", "per_month", "per_year" };
    loader *L = loader_of(W);
    (void)at;
    if (!(L->orders = alloc_items(W, seq, sizeof *L->orders)))
        return;
    L->norders = list_len(seq);
    place_items(seq, L->orders, sizeof *L->orders, offsetof(order_entry, line));
    for (int i = 0; i < L->norders; i++)
        L->orders[i].o.until = INFINITY;
    walk_list(W, seq, "orders", "order", &order_section, L->orders, sizeof *L->orders, label);
    for (int i = 0; i < L->norders; i++) {
        order_entry *e = &L->orders[i];
        char name[32];
        snprintf(name, sizeof name, "order %d", i + 1);
        if (seq->items[i]->kind == YNODE_MAP)
            exactly_one(W, seq->items[i], rates, 4, name);
        /* Months and years of the Gregorian calendar on average. */
        e->o.per_day = e->per_day + e->per_week / 7 + e->per_month / 30.4375
                     + e->per_year / 365.25;
        /* every order is an event and, until matched, a place in the run's
         * order book: a rate no plant could ever meet only fills memory */
        if (e->o.per_day > MAX_PER_DAY)
            diags_add(W->d, e->line, e->col, "order %d: at most 1,000,000 orders a day, "
                      "got %.6g a day", i + 1, e->o.per_day);
        if (e->o.until <= e->o.from)
            diags_add(W->d, e->line, e->col, "order %d: 'until' must be after 'from'", i + 1);
    }
}

static void keep_backlog(walker *W, const ynode *v, void *at, const char *label)
{
    (void)at;
    (void)label;
    loader_of(W)->backlog = v;
}

static const field demand_fields[] = {
    CUSTOM("backlog", keep_backlog, NULL),
    LIST("orders", read_orders, NULL),
    FIELD(demand, "delivery", F_DIST, delivery, NULL),
};
SECTION(demand_section, "in %s", demand_fields);

void read_demand(walker *W, const ynode *v, void *at, const char *label)
{
    demand *dm = at;
    (void)label;
    if (ynode_is_null(v))
        return;
    if (v->kind != YNODE_MAP) {
        type_error(W, v, "demand", "a mapping (backlog, orders, delivery)");
        return;
    }
    loader_of(W)->demand = v;
    dm->enabled = 1;
    walk_mapping(W, v, &demand_section, dm, "'demand'");
}

/* ---- resolving demand --------------------------------------------------------------- */

static void read_backlog(loader *L, const ynode *v)
{
    takt_plant *p = L->p;
    int np = p->nproducts > 0 ? p->nproducts : 1;
    uint64_t x;
    if (!(p->demand.backlog = calloc((size_t)np, sizeof *p->demand.backlog))) {
        diags_add(L->w.d, 0, 0, "out of memory");
        return;
    }
    if (!v || ynode_is_null(v))
        return;
    if (v->kind != YNODE_MAP) {
        if (p->nproducts >= 2)
            diags_add(L->w.d, v->line, v->col, "'backlog' must be a mapping product -> open "
                      "orders, e.g. {%s: 1000}, since the plant has %d products",
                      p->products[0].name ? p->products[0].name : "SU7", p->nproducts);
        else if (read_whole_value(&L->w, "backlog", v, 0, MAX_BACKLOG, &x) == 0)
            p->demand.backlog[0] = (double)x;
        return;
    }
    if (need_products(L, v, "'demand'", "backlog"))
        return;
    const ynode **seen = calloc((size_t)p->nproducts + 1, sizeof *seen);
    if (!seen) {
        diags_add(L->w.d, 0, 0, "out of memory");
        return;
    }
    for (int i = 0; i < v->n; i++) {
        int k = product_key(L, v->pairs[i].key, "'demand'", "backlog", 0, seen);
        if (k >= 0 && read_whole_value(&L->w, "backlog", v->pairs[i].value, 0, MAX_BACKLOG,
                                       &x) == 0)
            p->demand.backlog[k] = (double)x;
    }
    free(seen);
}

void resolve_demand(loader *L)
{
    takt_plant *p = L->p;
    if (!p->demand.enabled)
        return;
    read_backlog(L, L->backlog);
    if (!(p->demand.rates = calloc(L->norders ? (size_t)L->norders : 1,
                                   sizeof *p->demand.rates))) {
        diags_add(L->w.d, 0, 0, "out of memory");
        return;
    }
    p->demand.nrates = L->norders;
    for (int i = 0; i < L->norders; i++) {
        order_entry *e = &L->orders[i];
        char owner[32];
        snprintf(owner, sizeof owner, "order %d", i + 1);
        if (e->product && need_products(L, e->product, owner, "product") == 0)
            e->o.product = names_resolve(&L->w, &L->products, e->product, owner, "product",
                                         "product");
        else if (!e->product && p->nproducts >= 2)
            diags_add(L->w.d, e->line, e->col, "order %d needs 'product' (the plant has %d "
                      "products)", i + 1, p->nproducts);
        if (e->o.product < 0)
            e->o.product = 0;
        p->demand.rates[i] = e->o;
    }
}

