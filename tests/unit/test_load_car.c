/*
 * test_load_car.c — the car-plant keys of plant files: dates and the end
 * of the run, products and the release sequence, calendars, workshops,
 * ramps, demand and targets, read into the right fields of a complete
 * small car plant; and every class of message about them at its exact
 * line and column.  Stations and buffers of the car-plant layer are in
 * test_load_flow.c, settings (--set) in test_override.c.
 *
 * Expected values are worked out from the file text (dates through
 * date_from_civil, times of day by hand), never copied from the loader's
 * output.  Messages are matched on their key phrase, positions exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load_expect.h"
#include "core/date.h"

#define DAY 86400.0

#define load_ok lx_load_ok
#define expect_error lx_expect_error
#define has_diag lx_has_diag
#define print_diags lx_print_diags

#define TWO_PRODUCTS "horizon: 10h\nproducts: [{name: SU7, share: 0.5}, {name: Ultra, share: 0.5}]\n"

/* Seconds from midnight of `from` to midnight of `to`. */
static double span(int64_t from, int64_t to)
{
    return (double)(to - from) * DAY;
}

static int64_t day_of(int y, int m, int d)
{
    return date_from_civil(y, m, d);
}

/* ---- a complete small car plant --------------------------------------------- */

static const char car_plant[] =
    "name: small car plant\n"                                                    /* 1 */
    "start: 2024-03-28\n"                                                        /* 2 */
    "until: 2024-06-30\n"                                                        /* 3 */
    "warmup: 1d\n"                                                               /* 4 */
    "takt: 76s\n"                                                                /* 5 */
    "calendar: two-shift\n"                                                      /* 6 */
    "opens: 2024-04-01\n"                                                        /* 7 */
    "ramp: [{date: 2024-03-28, factor: 2}, {at: 30d, factor: 1}]\n"              /* 8 */
    "products:\n"                                                                /* 9 */
    "  - {name: SU7, share: 0.75}\n"                                             /* 10 */
    "  - {name: Ultra, share: 0.25, from: 2024-05-01, until: 2024-05-31}\n"      /* 11 */
    "sequence: [SU7, SU7, SU7, Ultra]\n"                                         /* 12 */
    "calendars:\n"                                                               /* 13 */
    "  - name: two-shift\n"                                                      /* 14 */
    "    shifts:\n"                                                              /* 15 */
    "      - {start: \"06:00\", end: \"14:30\", breaks: [{start: \"10:00\", end: \"10:30\"}]}\n"
    "      - start: \"22:00\"\n"                                                 /* 17 */
    "        end: \"06:00\"\n"                                                   /* 18 */
    "        breaks: [{start: \"02:00\", end: \"02:30\"}, {start: \"23:00\", end: \"23:15\"}]\n"
    "    holidays: [2024-05-01, \"2024-05-01..2024-05-03\", 2024-04-04]\n"       /* 20 */
    "    plans:\n"                                                               /* 21 */
    "      - {from: 2024-06-01, until: 2024-06-15, days: [sat, sun],\n"          /* 22 */
    "         shifts: [{start: \"08:00\", end: \"16:00\"}]}\n"                   /* 23 */
    "      - {from: 2024-06-16}\n"                                               /* 24 */
    "  - name: always\n"                                                         /* 25 */
    "    shifts: [{start: \"00:00\", end: \"24:00\"}]\n"                         /* 26 */
    "    days: [Monday, tue, wed, thu, fri, sat, sun]\n"                         /* 27 */
    "workshops:\n"                                                               /* 28 */
    "  - name: body\n"                                                           /* 29 */
    "    calendar: always\n"                                                     /* 30 */
    "    opens: 2024-04-02\n"                                                    /* 31 */
    "    ramp: [{at: 0, factor: 3}, {at: 10d, factor: 1}]\n"                     /* 32 */
    "stations:\n"                                                                /* 33 */
    "  - {name: press, workshop: body, cycle: 60s, mix: {SU7: 0.5, Ultra: 0.5}}\n" /* 34 */
    "  - {name: casting, workshop: body, calendar: always, cycle: 100s}\n"       /* 35 */
    "  - name: framing\n"                                                        /* 36 */
    "    workshop: body\n"                                                       /* 37 */
    "    assembly: true\n"                                                       /* 38 */
    "    cycle: 70s\n"                                                           /* 39 */
    "    to:\n"                                                                  /* 40 */
    "      - {station: paint, p: 0.7, products: [SU7, Ultra]}\n"                 /* 41 */
    "      - {station: paint2, p: 0.3}\n"                                        /* 42 */
    "  - name: paint\n"                                                          /* 43 */
    "    workshop: paint-shop\n"                                                 /* 44 */
    "    cycle: {SU7: 70s, default: \"tri(70s, 80s, 90s)\"}\n"                   /* 45 */
    "    setup: exp(5min)\n"                                                     /* 46 */
    "    batch: 2\n"                                                             /* 47 */
    "    scrap: 0.01\n"                                                          /* 48 */
    "    rework: {p: 0.1, to: repair}\n"                                         /* 49 */
    "  - {name: paint2, workshop: paint-shop, cycle: 75s, to: final}\n"          /* 50 */
    "  - {name: repair, workshop: paint-shop, cycle: exp(20min), servers: 3}\n"  /* 51 */
    "  - name: final\n"                                                          /* 52 */
    "    calendar: always\n"                                                     /* 53 */
    "    opens: 2024-04-03\n"                                                    /* 54 */
    "    ramp: [{date: 2024-04-03, factor: 1.5}, {date: 2024-05-03, factor: 1}]\n" /* 55 */
    "    cycle: 72s\n"                                                           /* 56 */
    "buffers:\n"                                                                 /* 57 */
    "  - {name: B-panels, from: press, to: framing, capacity: 5}\n"              /* 58 */
    "  - {name: B-cast, from: casting, to: framing, capacity: 10, take: 2}\n"    /* 59 */
    "  - {name: B-final, from: paint, to: final, capacity: 20, products: [SU7, Ultra]}\n"
    "demand:\n"                                                                  /* 61 */
    "  backlog: {SU7: 1000, Ultra: 50}\n"                                        /* 62 */
    "  orders:\n"                                                                /* 63 */
    "    - {product: SU7, per_week: 700}\n"                                      /* 64 */
    "    - {product: Ultra, from: 2024-05-01, until: 2024-05-31, per_month: 304.375}\n"
    "    - {product: SU7, from: 10d, per_year: 3652.5}\n"                        /* 66 */
    "  delivery: tri(1d, 2d, 5d)\n"                                              /* 67 */
    "targets:\n"                                                                 /* 68 */
    "  - {produced: 1000, by: 2024-04-30}\n"                                     /* 69 */
    "  - {delivered: 500, by: 2024-06-30}\n";                                    /* 70 */

enum { PRESS, CASTING, FRAMING, PAINT, PAINT2, REPAIR, FINAL };

static void check_times_and_products(const takt_plant *p)
{
    int64_t t0 = day_of(2024, 3, 28);
    assert_true(p->has_start);
    assert_true(p->start_day == t0);
    assert_near(p->warmup, DAY, 0);
    /* until: the end of 2024-06-30; the horizon is what follows the warm-up */
    assert_near(p->horizon, span(t0, day_of(2024, 7, 1)) - DAY, 0);
    assert_near(p->takt, 76, 0);
    assert_int_equal(p->calendar, 0);
    assert_near(p->opens, 4 * DAY, 0);
    assert_int_equal(p->ramp.n, 2);
    assert_near(p->ramp.pts[0].t, 0, 0);
    assert_near(p->ramp.pts[0].factor, 2, 0);
    assert_near(p->ramp.pts[1].t, 30 * DAY, 0);

    assert_int_equal(p->nproducts, 2);
    assert_string_equal(p->products[1].name, "Ultra");
    assert_near(p->products[0].share, 0.75, 0);
    assert_true(isinf(p->products[0].from) && p->products[0].from < 0);
    assert_true(isinf(p->products[0].until) && p->products[0].until > 0);
    assert_near(p->products[1].from, span(t0, day_of(2024, 5, 1)), 0);
    assert_near(p->products[1].until, span(t0, day_of(2024, 6, 1)), 0);
    assert_int_equal(p->nsequence, 4);
    assert_int_equal(p->sequence[2], 0);
    assert_int_equal(p->sequence[3], 1);
}

static void check_calendars(const takt_plant *p)
{
    assert_int_equal(p->ncalendars, 2);
    const calendar *c = &p->calendars[0];
    assert_string_equal(c->name, "two-shift");
    assert_int_equal(c->nplans, 3);
    const cal_plan *base = &c->plans[0];
    assert_true(base->from_day == INT64_MIN && base->until_day == INT64_MAX);
    assert_int_equal(base->weekdays, 0x1f);             /* mon-fri by default */
    assert_int_equal(base->nshifts, 2);
    assert_int_equal(base->shifts[0].span.start, 6 * 60);
    assert_int_equal(base->shifts[0].span.end, 14 * 60 + 30);
    assert_int_equal(base->shifts[0].nbreaks, 1);
    assert_int_equal(base->shifts[0].breaks[0].start, 10 * 60);
    /* the night shift runs into the next day; its breaks are sorted in its frame */
    assert_int_equal(base->shifts[1].span.start, 22 * 60);
    assert_int_equal(base->shifts[1].span.end, 24 * 60 + 6 * 60);
    assert_int_equal(base->shifts[1].nbreaks, 2);
    assert_int_equal(base->shifts[1].breaks[0].start, 23 * 60);
    assert_int_equal(base->shifts[1].breaks[0].end, 23 * 60 + 15);
    assert_int_equal(base->shifts[1].breaks[1].start, 24 * 60 + 2 * 60);
    assert_int_equal(base->shifts[1].breaks[1].end, 24 * 60 + 2 * 60 + 30);
    /* holidays sorted, duplicates merged, ranges counted out */
    assert_int_equal(c->nholidays, 4);
    assert_true(c->holidays[0] == day_of(2024, 4, 4));
    assert_true(c->holidays[1] == day_of(2024, 5, 1));
    assert_true(c->holidays[3] == day_of(2024, 5, 3));
    const cal_plan *weekend = &c->plans[1], *later = &c->plans[2];
    assert_true(weekend->from_day == day_of(2024, 6, 1));
    assert_true(weekend->until_day == day_of(2024, 6, 15));
    assert_int_equal(weekend->weekdays, (1 << 5) | (1 << 6));
    assert_int_equal(weekend->nshifts, 1);
    assert_int_equal(weekend->shifts[0].span.start, 8 * 60);
    assert_int_equal(weekend->line, 22);
    /* a plan without shifts or days keeps the calendar's own */
    assert_true(later->from_day == day_of(2024, 6, 16) && later->until_day == INT64_MAX);
    assert_int_equal(later->weekdays, 0x1f);
    assert_int_equal(later->nshifts, 2);
    assert_int_equal(later->shifts[1].nbreaks, 2);
    assert_true(later->shifts[1].breaks != base->shifts[1].breaks);
    assert_int_equal(p->calendars[1].plans[0].weekdays, 0x7f);
    assert_int_equal(p->calendars[1].plans[0].shifts[0].span.end, 24 * 60);
}

static void check_stations(const takt_plant *p)
{
    assert_int_equal(p->nworkshops, 2);
    assert_string_equal(p->workshops[0].name, "body");
    assert_int_equal(p->workshops[0].calendar, 1);
    assert_near(p->workshops[0].opens, 5 * DAY, 0);
    assert_int_equal(p->workshops[0].ramp.n, 2);
    /* named by a station, not listed: made with the defaults */
    assert_string_equal(p->workshops[1].name, "paint-shop");
    assert_int_equal(p->workshops[1].calendar, -1);
    assert_near(p->workshops[1].opens, 0, 0);
    assert_int_equal(p->workshops[1].ramp.n, 0);
    assert_int_equal(p->workshops[1].line, 44);

    const station *s = p->stations;
    assert_int_equal(s[PRESS].workshop, 0);
    assert_non_null(s[PRESS].mix);
    assert_near(s[PRESS].mix[1], 0.5, 0);
    assert_null(s[CASTING].mix);
    assert_int_equal(s[CASTING].calendar, 1);
    assert_int_equal(s[PRESS].calendar, -1);
    assert_int_equal(s[FRAMING].assembly, 1);
    assert_int_equal(s[PAINT].workshop, 1);
    assert_non_null(s[PAINT].cycle_by_product);
    assert_int_equal(s[PAINT].cycle_by_product[0].kind, DIST_CONST);
    assert_near(s[PAINT].cycle_by_product[0].p[0], 70, 0);
    assert_int_equal(s[PAINT].cycle_by_product[1].kind, DIST_TRI);
    assert_near(s[PAINT].cycle_by_product[1].p[2], 90, 0);
    assert_int_equal(s[PAINT].cycle.kind, DIST_TRI);     /* the default */
    assert_int_equal(s[PAINT].has_setup, 1);
    assert_int_equal(s[PAINT].setup.kind, DIST_EXP);
    assert_int_equal(s[FINAL].has_setup, 0);
    assert_int_equal(s[PAINT].batch, 2);
    assert_near(s[PAINT].scrap, 0.01, 0);
    assert_near(s[PAINT].rework_p, 0.1, 0);
    assert_int_equal(s[PAINT].rework_to, REPAIR);
    assert_int_equal(s[FINAL].rework_to, -1);
    assert_near(s[FINAL].opens, 6 * DAY, 0);
    assert_near(s[FINAL].ramp.pts[1].t, 36 * DAY, 0);
    assert_near(s[FINAL].ramp.pts[0].factor, 1.5, 0);
}

static int find_buffer(const takt_plant *p, const char *name)
{
    int b = plant_find_buffer(p, name);
    if (b < 0)
        fail_msg("no buffer '%s'", name);
    return b;
}

static void check_buffers(const takt_plant *p)
{
    /* 3 listed; 3 from `to:`, in station order; the rework loop's 2 */
    assert_int_equal(p->nbuffers, 8);
    const buffer *cast = &p->buffers[find_buffer(p, "B-cast")];
    assert_int_equal(cast->take, 2);
    assert_int_equal(cast->implicit, 0);
    const buffer *fin = &p->buffers[find_buffer(p, "B-final")];
    assert_non_null(fin->products);
    assert_true(fin->products[0] && fin->products[1]);
    const buffer *to_paint = &p->buffers[find_buffer(p, "framing->paint")];
    assert_int_equal(to_paint->implicit, 1);
    assert_int_equal(to_paint->capacity, 0);
    assert_int_equal(to_paint->from, FRAMING);
    assert_int_equal(to_paint->to, PAINT);
    assert_near(to_paint->p, 0.7, 0);
    assert_non_null(to_paint->products);
    assert_int_equal(to_paint->line, 41);
    const buffer *to_paint2 = &p->buffers[find_buffer(p, "framing->paint2")];
    assert_near(to_paint2->p, 0.3, 0);
    assert_null(to_paint2->products);
    assert_int_equal(p->buffers[find_buffer(p, "paint2->final")].capacity, 0);
    const buffer *out = &p->buffers[find_buffer(p, "paint->repair")];
    const buffer *back = &p->buffers[find_buffer(p, "repair->paint")];
    assert_int_equal(out->capacity, CAP_INF);
    assert_int_equal(back->capacity, CAP_INF);
    assert_int_equal(back->from, REPAIR);
    assert_int_equal(back->to, PAINT);
    assert_int_equal(back->implicit, 1);
    /* linked: framing has both ways out, final both ways in */
    assert_int_equal(p->stations[FRAMING].nout, 2);
    assert_int_equal(p->stations[FINAL].nin, 2);
    assert_int_equal(p->stations[PAINT].nin, 2);
}

static void check_market(const takt_plant *p)
{
    int64_t t0 = day_of(2024, 3, 28);
    assert_int_equal(p->demand.enabled, 1);
    assert_near(p->demand.backlog[0], 1000, 0);
    assert_near(p->demand.backlog[1], 50, 0);
    assert_int_equal(p->demand.nrates, 3);
    const order_rate *o = p->demand.rates;
    assert_int_equal(o[0].product, 0);
    assert_near(o[0].per_day, 100, 1e-9);                /* 700 a week */
    assert_near(o[0].from, 0, 0);
    assert_true(isinf(o[0].until));
    assert_int_equal(o[1].product, 1);
    assert_near(o[1].per_day, 10, 1e-9);                 /* 304.375 a 30.4375-day month */
    assert_near(o[1].from, span(t0, day_of(2024, 5, 1)), 0);
    assert_near(o[1].until, span(t0, day_of(2024, 6, 1)), 0);
    assert_near(o[2].per_day, 10, 1e-9);                 /* 3652.5 a 365.25-day year */
    assert_near(o[2].from, 10 * DAY, 0);
    assert_int_equal(p->demand.delivery.kind, DIST_TRI);
    assert_near(p->demand.delivery.p[2], 5 * DAY, 0);
    assert_int_equal(p->ntargets, 2);
    assert_int_equal(p->targets[0].what, TARGET_PRODUCED);
    assert_near(p->targets[0].value, 1000, 0);
    assert_near(p->targets[0].by, span(t0, day_of(2024, 5, 1)), 0);   /* end of 04-30 */
    assert_int_equal(p->targets[1].what, TARGET_DELIVERED);
    assert_int_equal(p->targets[1].line, 70);
}

static void test_car_plant(void **state)
{
    (void)state;
    takt_plant *p = load_ok(car_plant);
    check_times_and_products(p);
    check_calendars(p);
    check_stations(p);
    check_buffers(p);
    check_market(p);
    plant_free(p);
}

/* Without the car-plant keys nothing of that layer is set. */
static void test_defaults(void **state)
{
    (void)state;
    takt_plant *p = load_ok("horizon: 10h\nstations: [{name: M1, cycle: 1h}]\n");
    assert_int_equal(p->has_start, 0);
    assert_int_equal(date_weekday(p->start_day), 0);    /* time 0 is a Monday */
    assert_near(p->takt, 0, 0);
    assert_int_equal(p->nproducts, 0);
    assert_int_equal(p->ncalendars, 0);
    assert_int_equal(p->nworkshops, 0);
    assert_int_equal(p->demand.enabled, 0);
    assert_int_equal(p->stations[0].has_setup, 0);
    assert_null(p->stations[0].cycle_by_product);
    assert_null(p->stations[0].mix);
    plant_free(p);

    /* horizon as a date: until the end of that day; warmup 0 by default */
    p = load_ok("start: 2024-01-01\nhorizon: 2024-01-31\nstations: [{name: M1, cycle: 1h}]\n");
    assert_near(p->horizon, 31 * DAY, 0);
    assert_near(p->warmup, 0, 0);
    plant_free(p);

    /* products without shares share equally; one product takes a plain backlog */
    p = load_ok("horizon: 10h\nproducts: [{name: A}, {name: B}, {name: C}, {name: D}]\n"
                "stations: [{name: M1, cycle: 1h}]\n");
    assert_near(p->products[3].share, 0.25, 0);
    plant_free(p);
    p = load_ok("horizon: 10h\nproducts: [{name: A}]\ndemand: {backlog: 12, orders: "
                "[{per_day: 3}]}\nstations: [{name: M1, cycle: 1h}]\n");
    assert_near(p->demand.backlog[0], 12, 0);
    assert_int_equal(p->demand.rates[0].product, 0);
    assert_int_equal(p->demand.delivery.kind, DIST_CONST);
    assert_near(p->demand.delivery.p[0], 0, 0);
    plant_free(p);
}

/* ---- dates and the end of the run ---------------------------------------------- */

#define M1 "stations: [{name: M1, cycle: 1h}]\n"

static void test_date_errors(void **state)
{
    (void)state;
    expect_error("horizon: 10h\nopens: 2024-04-01\n" M1, 1, 2, 8,
                 "'opens': dates need a start: date at the top level");
    expect_error("start: 2024-02-30\nhorizon: 10h\n" M1, 1, 1, 8,
                 "'start' expects a date (YYYY-MM-DD");
    /* a bad start: is reported once, not again at every date */
    expect_error("start: 2024-02-30\nhorizon: 10h\nopens: 2024-03-01\n" M1, 1, 1, 8,
                 "'start' expects a date");
    expect_error("start: 2024-03-28\nhorizon: 10h\nuntil: 2024-06-30\n" M1, 1, 3, 8,
                 "'until' and 'horizon' both say when the run ends");
    expect_error("horizon: 10h\nuntil: 2024-06-30\n" M1, 0, 2, 8, "both say");
    expect_error("until: 2024-06-30\n" M1, 1, 1, 8, "'until': dates need a start:");
    expect_error("start: 2024-03-28\nuntil: 2024-03-28\nwarmup: 2d\n" M1, 1, 2, 8,
                 "the run ends before the warm-up is over");
    expect_error("start: 2024-03-28\nuntil: 30d\n" M1, 1, 2, 8, "'until' expects a date");
    expect_error("start: 2024-03-28\nhorizon: 10h\nopens: 2024-03-01\n" M1, 1, 3, 8,
                 "'opens' is before the start of the plant (2024-03-28)");
    expect_error("start: 2024-03-28\nhorizon: 10h\nopens: soon\n" M1, 1, 3, 8,
                 "'opens' expects a date (YYYY-MM-DD) or a duration since the start");
    expect_error(M1, 1, 1, 1, "the plant is missing 'horizon'");
    expect_error("horizon: 10h\ntakt: 0\n" M1, 1, 2, 7, "'takt' must be more than 0");
}

/* ---- products and sequence ---------------------------------------------------- */

static void test_product_errors(void **state)
{
    (void)state;
    expect_error("horizon: 10h\nproducts:\n  - {name: A, share: 0.5}\n  - {name: B, share: 0.4}\n"
                 M1, 1, 3, 3, "the shares of the products add up to 0.9, not 1");
    expect_error("horizon: 10h\nproducts:\n  - {name: A, share: 0.5}\n  - {name: B}\n" M1,
                 1, 4, 5, "product 2 has no 'share'");
    expect_error("horizon: 10h\nproducts: [{name: A, share: 0}]\n" M1, 1, 2, 29,
                 "'share' must be a number more than 0 and at most 1, got 0");
    expect_error("horizon: 10h\nproducts: [{name: A, share: \"1\"}]\n" M1, 1, 2, 29,
                 "'share' expects a number, got '1' in quotes");
    expect_error("start: 2024-01-01\nhorizon: 10h\nproducts:\n"
                 "  - {name: A, from: 2024-05-01, until: 2024-04-01}\n" M1, 1, 4, 5,
                 "product 1: 'until' must be after 'from'");
    expect_error("horizon: 10h\nproducts: [{name: SU7}, {name: SU7}]\n" M1, 1, 2, 32,
                 "duplicate product name 'SU7' (first at line 2)");
    expect_error("horizon: 10h\nproducts: [{name: SU7}, {name: Ultra}]\n"
                 "sequence: [SU7, SU8]\n" M1, 1, 3, 17,
                 "the plant: unknown product 'SU8' in 'sequence' (did you mean 'SU7'?)");
    expect_error("horizon: 10h\nsequence: [SU7]\n" M1, 1, 2, 11,
                 "'sequence' names products, but the plant lists none");
    expect_error("horizon: 10h\nproducts: [{name: A}]\nsequence: A\n" M1, 1, 3, 11,
                 "'sequence' expects a list of product names");
}

/* ---- calendars ------------------------------------------------------------------ */

#define CAL(body) "start: 2024-03-28\nhorizon: 10h\n" M1 "calendars:\n  - name: c\n" body
/* body starts at line 6 */

static void test_calendar_errors(void **state)
{
    (void)state;
    expect_error(CAL("    shifts: [{start: 6h, end: \"14:00\"}]\n"), 1, 6, 22,
                 "'start' expects a time of day from 00:00 to 24:00 (e.g. 06:00), got '6h'");
    expect_error(CAL("    shifts: [{start: \"06:60\", end: \"14:00\"}]\n"), 1, 6, 22,
                 "expects a time of day");
    expect_error(CAL("    shifts: [{start: \"24:00\", end: \"06:00\"}]\n"), 1, 6, 22,
                 "a shift starts at 23:59 at the latest");
    expect_error(CAL("    shifts:\n      - start: \"06:00\"\n        end: \"14:30\"\n"
                     "        breaks: [{start: \"15:00\", end: \"15:30\"}]\n"), 1, 9, 18,
                 "the break 15:00-15:30 is not inside its shift 06:00-14:30");
    expect_error(CAL("    shifts:\n      - start: \"22:00\"\n        end: \"06:00\"\n"
                     "        breaks: [{start: \"05:00\", end: \"07:00\"}]\n"), 1, 9, 18,
                 "the break 05:00-07:00 is not inside its shift 22:00-06:00");
    expect_error(CAL("    shifts:\n      - start: \"06:00\"\n        end: \"14:30\"\n"
                     "        breaks: [{start: \"10:00\", end: \"10:30\"}, {start: \"10:15\", "
                     "end: \"11:00\"}]\n"), 1, 9, 17, "breaks of shift 1 of calendar 'c' overlap");
    expect_error(CAL("    shifts: [{end: \"14:00\"}]\n"), 1, 6, 14,
                 "shift 1 of calendar 'c' is missing 'start'");
    expect_error(CAL("    shifts: [{start: \"06:00\", end: \"14:00\"}]\n    days: [mon, thurs]\n"),
                 1, 7, 17, "unknown weekday thurs (expected mon, tue, wed, thu, fri, sat or "
                 "sun) (did you mean 'thu'?)");
    expect_error(CAL("    shifts: [{start: \"06:00\", end: \"14:00\"}]\n"
                     "    holidays: [\"2024-05-05..2024-05-01\"]\n"), 1, 7, 16,
                 "the range 2024-05-05..2024-05-01 ends before it starts");
    expect_error(CAL("    shifts: [{start: \"06:00\", end: \"14:00\"}]\n"
                     "    holidays: [2024-13-01]\n"), 1, 7, 16, "'holidays' expects a date");
    expect_error(CAL("    shifts: [{start: \"06:00\", end: \"14:00\"}]\n"
                     "    plans: [{from: 2024-06-01, until: 2024-05-01}]\n"), 1, 7, 13,
                 "plan 1 of calendar 'c': 'until' is before 'from'");
    expect_error(CAL("    shifts: [{start: \"06:00\", end: \"14:00\"}]\n"
                     "    plans: [{from: 2024-06-01, day: [mon]}]\n"), 1, 7, 32,
                 "unknown key 'day' in plan 1 of calendar 'c' (did you mean 'days'?)");
    expect_error("horizon: 10h\n" M1 "calendars:\n  - name: c\n    shifts: [{start: \"06:00\", "
                 "end: \"14:00\"}]\n    holidays: [2024-05-01]\n", 1, 6, 16,
                 "'holidays': dates need a start: date");
    expect_error(CAL("    days: [mon]\n"), 1, 5, 5, "calendar 'c' is missing 'shifts'");

    /* the limits calendar.c works with */
    char text[4096];
    int n = snprintf(text, sizeof text, CAL("    shifts:\n"));
    for (int i = 0; i < 17; i++)
        n += snprintf(text + n, sizeof text - (size_t)n,
                      "      - {start: \"%02d:00\", end: \"%02d:30\"}\n", i, i);
    expect_error(text, 1, 7, 7, "calendar 'c' has 17 shifts: at most 16 are allowed");
    n = snprintf(text, sizeof text, CAL("    shifts:\n      - start: \"00:00\"\n"
                                        "        end: \"24:00\"\n        breaks:\n"));
    for (int i = 0; i < 17; i++)
        n += snprintf(text + n, sizeof text - (size_t)n,
                      "          - {start: \"%02d:00\", end: \"%02d:10\"}\n", i, i);
    expect_error(text, 1, 10, 11, "shift 1 of calendar 'c' has 17 breaks: at most 16");

    /* names are resolved with suggestions, wherever they are used */
    expect_error(CAL("    shifts: [{start: \"06:00\", end: \"14:00\"}]\ncalendar: cc\n"), 1, 7, 11,
                 "the plant: unknown calendar 'cc' in 'calendar' (did you mean 'c'?)");
    expect_error("horizon: 10h\nstations: [{name: M1, cycle: 1h, calendar: day}]\n", 1, 2, 44,
                 "station 'M1': unknown calendar 'day' in 'calendar'");
}

/* ---- workshops and ramps -------------------------------------------------------------- */

static void test_workshop_and_ramp_errors(void **state)
{
    (void)state;
    expect_error("horizon: 10h\nworkshops: [{name: body}]\n"
                 "stations: [{name: M1, cycle: 1h, workshop: bdy}]\n", 1, 3, 44,
                 "station 'M1': unknown workshop 'bdy' in 'workshop' (did you mean 'body'?");
    expect_error("horizon: 10h\nworkshops: [{name: body, calendar: nights}]\n" M1, 1, 2, 36,
                 "workshop 'body': unknown calendar 'nights'");
    expect_error("horizon: 10h\nworkshops: [{name: body}, {name: body}]\n" M1, 1, 2, 34,
                 "duplicate workshop name 'body'");
    expect_error("horizon: 10h\nramp: [{at: 10d, factor: 2}, {at: 5d, factor: 1}]\n" M1, 1, 2, 30,
                 "ramp point 2 of the plant is not after point 1: the points must be in time order");
    expect_error("horizon: 10h\nramp: [{at: 1d, at: 2d, factor: 2}]\n" M1, 0, 2, 17,
                 "duplicate key 'at'");
    expect_error("start: 2024-01-01\nhorizon: 10h\nramp: [{at: 1d, date: 2024-01-02, factor: 2}]\n"
                 M1, 1, 3, 8, "ramp point 1 of the plant gives more than one of 'date' or 'at'");
    expect_error("horizon: 10h\nramp: [{factor: 2}]\n" M1, 1, 2, 8,
                 "ramp point 1 of the plant needs one of 'date' or 'at'");
    expect_error("horizon: 10h\nramp: [{at: 0, factor: 0}]\n" M1, 1, 2, 24,
                 "'factor' must be a number more than 0 and at most 1000, got 0");
    expect_error("horizon: 10h\nramp: {at: 0, factor: 2}\n" M1, 1, 2, 7,
                 "'ramp' expects a list of points");
    expect_error("horizon: 10h\nstations: [{name: M1, cycle: 1h, ramp: [{at: 0}]}]\n", 1, 2, 41,
                 "ramp point 1 of station 'M1' is missing 'factor'");
}

/* ---- demand and targets ------------------------------------------------------------------ */

static void test_market_errors(void **state)
{
    (void)state;
    expect_error(TWO_PRODUCTS "demand: {backlog: 100}\n" M1, 1, 3, 19,
                 "'backlog' must be a mapping product -> open orders, e.g. {SU7: 1000}, since "
                 "the plant has 2 products");
    expect_error(TWO_PRODUCTS "demand: {backlog: {SU7: -1}}\n" M1, 1, 3, 25,
                 "backlog must be a whole number from 0 to 10000000, got -1");
    expect_error(TWO_PRODUCTS "demand: {backlog: {SU7: 1, SU7: 2}}\n" M1, 1, 3, 28,
                 "product 'SU7' appears twice in 'backlog'");
    expect_error(TWO_PRODUCTS "demand:\n  orders: [{product: SU7}]\n" M1, 1, 4, 12,
                 "order 1 needs one of 'per_day', 'per_week', 'per_month' or 'per_year'");
    expect_error(TWO_PRODUCTS "demand:\n  orders: [{product: SU7, per_day: 1, per_week: 7}]\n" M1,
                 1, 4, 12, "order 1 gives more than one of 'per_day'");
    expect_error(TWO_PRODUCTS "demand:\n  orders: [{per_day: 1}]\n" M1, 1, 4, 12,
                 "order 1 needs 'product' (the plant has 2 products)");
    expect_error(TWO_PRODUCTS "demand:\n  orders: [{product: YU7, per_day: 1}]\n" M1, 1, 4, 22,
                 "order 1: unknown product 'YU7' in 'product'");
    expect_error(TWO_PRODUCTS "demand:\n  orders: [{product: SU7, per_day: 0}]\n" M1, 1, 4, 36,
                 "'per_day' must be a number more than 0");
    expect_error(TWO_PRODUCTS "demand:\n  delivery: exp(-1d)\n" M1, 1, 4, 13, "'delivery':");
    expect_error(TWO_PRODUCTS "demand:\n  backlg: 1\n" M1, 1, 4, 3,
                 "unknown key 'backlg' in 'demand' (did you mean 'backlog'?)");
    expect_error(TWO_PRODUCTS "demand: 100\n" M1, 1, 3, 9, "'demand' expects a mapping");
    expect_error("start: 2024-01-01\nhorizon: 10h\ntargets: [{produced: 10, delivered: 5, "
                 "by: 2024-02-01}]\n" M1, 1, 3, 11, "target 1 gives more than one of 'produced' "
                 "or 'delivered'");
    expect_error("horizon: 10h\ntargets: [{produced: 10}]\n" M1, 1, 2, 11,
                 "target 1 is missing 'by' (the date to reach it by");
    expect_error("start: 2024-01-01\nhorizon: 10h\ntargets: [{produced: 0, by: 2024-02-01}]\n" M1,
                 1, 3, 22, "'produced' must be a number more than 0");
    expect_error("horizon: 10h\ntargets: [{produced: 1, by: 2024-02-01}]\n" M1, 1, 2, 29,
                 "'by': dates need a start: date");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_car_plant),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_date_errors),
        cmocka_unit_test(test_product_errors),
        cmocka_unit_test(test_calendar_errors),
        cmocka_unit_test(test_workshop_and_ramp_errors),
        cmocka_unit_test(test_market_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
