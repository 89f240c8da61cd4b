/*
 * test_improve.c — the bottleneck named by takt is the station whose
 * improvement raises the output most, on five kinds of plant where quick
 * indicators go wrong (issue: "a bottleneck that is right by definition").
 *
 * For every plant the truth is established here, independently of the
 * shortlist: every station's cycle is made 10 % shorter in paired runs on
 * common random numbers (improve_run), and the station with the largest
 * gain is the true bottleneck only if its 95 % interval lies wholly above
 * the runner-up's (the two intervals are disjoint), so the truth is not a
 * coin toss.  Then the run's named bottleneck (exp_run, the default paired
 * method with its shortlist of three) must be that station, and its gain
 * must be bit for bit the truth's, since it is the same paired runs.
 *
 * Each plant also states what makes it a trap, and the test checks it:
 * the active-period pick or the longest cycle names another station.
 * Seeds are fixed, so the outcome is reproducible; the margins between the
 * first and second gains are 2 to 300 half-widths (see docs/diagnosis.md).
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
#include "takt.h"
#include "exp/improve.h"
#include "exp/catalogue.h"

typedef struct verdict {
    takt_plant *p;
    takt_summary *s;
    int truth;                      /* the station the paired runs name */
    int active_pick;
} verdict;

static int station_of(const takt_plant *p, const char *name)
{
    int i = plant_find_station(p, name);
    if (i < 0) fail_msg("no station %s", name);
    return i;
}

/* Simulate, establish the truth over every station, and check the name. */
static verdict judge(const char *name, const char *yaml, const char *expected)
{
    verdict v = {0};
    char *errors = NULL;
    v.p = takt_load_string(name, yaml, strlen(yaml), &errors);
    if (!v.p) fail_msg("%s: %s", name, errors ? errors : "cannot load");
    exp_options o;
    exp_options_default(&o);
    o.threads = 2;
    assert_int_equal(exp_run(v.p, &o, &v.s), 0);
    int n = v.p->nstations, all[64];
    station_gain g[64];
    assert_true(n <= 64);
    for (int i = 0; i < n; i++) all[i] = i;
    assert_int_equal(improve_run(v.p, &o, v.s, all, n, IMPROVE_CYCLE, 0.10, 0, g, NULL), 0);
    improve_rank(g, n);
    v.truth = g[0].station;
    v.active_pick = summary_active_period_pick(v.s);
    if (!(g[0].gain.mean - g[0].gain.ci95 > g[1].gain.mean + g[1].gain.ci95))
        fail_msg("%s: the truth is not clear: %s %+.4g ± %.2g against %s %+.4g ± %.2g", name,
                 v.p->stations[g[0].station].name, g[0].gain.mean, g[0].gain.ci95,
                 v.p->stations[g[1].station].name, g[1].gain.mean, g[1].gain.ci95);
    if (v.truth != station_of(v.p, expected))
        fail_msg("%s: paired runs find %s, the plant was built around %s", name,
                 v.p->stations[v.truth].name, expected);
    const bottleneck_sum *b = &v.s->bottleneck;
    if (b->station != v.truth)
        fail_msg("%s: takt names %s (%s), the paired runs %s", name,
                 b->station >= 0 ? v.p->stations[b->station].name : "none",
                 bn_method_name(b->method), v.p->stations[v.truth].name);
    assert_int_equal(b->method, BN_PAIRED_IMPROVEMENT);
    assert_true(b->gain.mean == g[0].gain.mean && b->gain.ci95 == g[0].gain.ci95);
    assert_true(b->by == 0.10);
    return v;
}

static void release(verdict *v)
{
    summary_free(v->s);
    takt_plant_free(v->p);
}

/* The press works three shifts, the line two; a store of 1,000 between
 * them fills.  At night the press is the only station at work, so its
 * active periods are the longest: the active-period method names it, yet
 * a faster press adds nothing to a full store. */
static const char more_shifts[] =
    "name: press on three shifts\n"
    "start: 2024-01-01\n"
    "until: 2024-02-25\n"
    "replications: 5\n"
    "seed: 11\n"
    "calendar: two-shift\n"
    "calendars:\n"
    "  - name: two-shift\n"
    "    shifts: [{start: \"06:00\", end: \"14:00\"}, {start: \"14:00\", end: \"22:00\"}]\n"
    "  - name: three-shift\n"
    "    shifts: [{start: \"06:00\", end: \"14:00\"}, {start: \"14:00\", end: \"22:00\"}, {start: \"22:00\", end: \"24:00\"}, {start: \"00:00\", end: \"06:00\"}]\n"
    "stations:\n"
    "  - {name: press, cycle: \"normal(100s, 4s)\", calendar: three-shift, failures: [{ttf: exp(10h), ttr: exp(20min)}]}\n"
    "  - {name: body, cycle: \"normal(60s, 5s)\"}\n"
    "  - {name: trim, cycle: \"normal(76s, 8s)\", failures: [{ttf: exp(30min), ttr: exp(1min)}]}\n"
    "  - {name: final, cycle: \"normal(75s, 8s)\", failures: [{ttf: exp(40min), ttr: exp(1min)}]}\n"
    "  - {name: test, cycle: \"tri(50s, 60s, 80s)\"}\n"
    "buffers:\n"
    "  - {name: store, from: press, to: body, capacity: 1000}\n"
    "  - {name: b2, from: body, to: trim, capacity: 5}\n"
    "  - {name: b3, from: trim, to: final, capacity: 3}\n"
    "  - {name: b4, from: final, to: test, capacity: 3}\n";

static void test_station_on_more_shifts(void **state)
{
    (void)state;
    verdict v = judge("more shifts", more_shifts, "trim");
    assert_int_equal(v.active_pick, station_of(v.p, "press"));
    release(&v);
}

/* An exponential first station (mean 60 s) hands over directly to a
 * constant 61 s one: the longest mean cycle is weld's, but the first
 * station's variability starves it, and speeding the first helps more. */
static const char variable_first[] =
    "name: variable first station\n"
    "horizon: 400h\n"
    "warmup: 10h\n"
    "replications: 5\n"
    "seed: 12\n"
    "stations:\n"
    "  - {name: feed, cycle: exp(60s)}\n"
    "  - {name: weld, cycle: 61s}\n"
    "  - {name: seal, cycle: \"tri(50s, 58s, 66s)\"}\n"
    "  - {name: pack, cycle: 55s}\n"
    "buffers:\n"
    "  - {name: b1, from: feed, to: weld, capacity: 0}\n"
    "  - {name: b2, from: weld, to: seal, capacity: 1}\n"
    "  - {name: b3, from: seal, to: pack, capacity: 1}\n";

static void test_variable_first_station(void **state)
{
    (void)state;
    verdict v = judge("variable first", variable_first, "feed");
    assert_int_equal(v.active_pick, station_of(v.p, "weld"));
    release(&v);
}

/* A body line whose paint station (70 s) is slower than the marriage
 * (66 s) it feeds together with a pack line. */
static const char slower_feeder[] =
    "name: assembly fed by a slower feeder line\n"
    "horizon: 300h\n"
    "warmup: 10h\n"
    "replications: 5\n"
    "seed: 13\n"
    "stations:\n"
    "  - {name: body-weld, cycle: \"tri(55s, 60s, 70s)\"}\n"
    "  - {name: body-paint, cycle: \"normal(70s, 5s)\"}\n"
    "  - {name: pack, cycle: \"tri(45s, 50s, 60s)\"}\n"
    "  - {name: marriage, assembly: true, cycle: \"normal(66s, 4s)\"}\n"
    "  - {name: final, cycle: 64s}\n"
    "buffers:\n"
    "  - {name: b1, from: body-weld, to: body-paint, capacity: 3}\n"
    "  - {name: bodies, from: body-paint, to: marriage, capacity: 3}\n"
    "  - {name: packs, from: pack, to: marriage, capacity: 3}\n"
    "  - {name: b4, from: marriage, to: final, capacity: 3}\n";

static void test_assembly_fed_by_slower_line(void **state)
{
    (void)state;
    verdict v = judge("slower feeder", slower_feeder, "body-paint");
    assert_true(dist_mean(&v.p->stations[station_of(v.p, "marriage")].cycle) <
                dist_mean(&v.p->stations[station_of(v.p, "body-paint")].cycle));
    release(&v);
}

/* Three curing machines of 120 s each (40 s a part together) before a
 * 46 s inspection: the longest cycle, and the active-period pick (one of
 * the three is nearly always busy), is the curing station. */
static const char parallel_machines[] =
    "name: station of parallel machines\n"
    "horizon: 300h\n"
    "warmup: 10h\n"
    "replications: 5\n"
    "seed: 14\n"
    "stations:\n"
    "  - {name: load, cycle: \"tri(35s, 40s, 50s)\"}\n"
    "  - {name: cure, servers: 3, cycle: \"normal(120s, 10s)\"}\n"
    "  - {name: inspect, cycle: \"normal(46s, 3s)\"}\n"
    "  - {name: pack, cycle: 42s}\n"
    "buffers:\n"
    "  - {name: b1, from: load, to: cure, capacity: 4}\n"
    "  - {name: b2, from: cure, to: inspect, capacity: 4}\n"
    "  - {name: b3, from: inspect, to: pack, capacity: 4}\n";

static void test_station_of_parallel_machines(void **state)
{
    (void)state;
    verdict v = judge("parallel machines", parallel_machines, "inspect");
    assert_int_equal(v.active_pick, station_of(v.p, "cure"));
    release(&v);
}

/* A 50 s press between 60 s and 62 s stations, down a third of the time
 * (20 min between failures, 10 min to repair): its shorter cycle hides it. */
static const char failure_prone[] =
    "name: failure-prone short cycle\n"
    "horizon: 400h\n"
    "warmup: 10h\n"
    "replications: 6\n"
    "seed: 15\n"
    "stations:\n"
    "  - {name: cut, cycle: \"normal(60s, 4s)\"}\n"
    "  - {name: press, cycle: 50s, failures: [{ttf: exp(20min), ttr: exp(10min)}]}\n"
    "  - {name: bend, cycle: \"normal(62s, 4s)\"}\n"
    "  - {name: pack, cycle: 58s}\n"
    "buffers:\n"
    "  - {name: b1, from: cut, to: press, capacity: 5}\n"
    "  - {name: b2, from: press, to: bend, capacity: 5}\n"
    "  - {name: b3, from: bend, to: pack, capacity: 5}\n";

static void test_failure_prone_short_cycle(void **state)
{
    (void)state;
    verdict v = judge("failure prone", failure_prone, "press");
    const takt_plant *p = v.p;
    double press = dist_mean(&p->stations[station_of(p, "press")].cycle);
    assert_true(press < dist_mean(&p->stations[station_of(p, "cut")].cycle));
    assert_true(press < dist_mean(&p->stations[station_of(p, "bend")].cycle));
    release(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_station_on_more_shifts),
        cmocka_unit_test(test_variable_first_station),
        cmocka_unit_test(test_assembly_fed_by_slower_line),
        cmocka_unit_test(test_station_of_parallel_machines),
        cmocka_unit_test(test_failure_prone_short_cycle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
