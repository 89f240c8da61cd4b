/*
 * test_resources2.c — planned maintenance, conveyors, vehicles, the
 * changeover matrix and failures given as availability/mttr, against
 * arithmetic and a renewal argument.
 *
 * Deterministic plants (constant times, one replication) must match the
 * arithmetic up to the edge of the window: at most one period of the
 * pattern out of the whole horizon, which is the stated tolerance.  The
 * random changeover case uses the rule of test_theory.c: 4 half-widths of
 * the 95 % interval plus 0.5 % of the exact value.
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
#include "exp/summary.h"
#include "feature_sim.h"

/* One raw station (constant 60 s cycle) with one maintenance plan. */
static void maint_case(const char *plan, double period_s, double maint_s)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml, "name: maint\nhorizon: 2000h\nwarmup: 0\nreplications: 1\n"
             "stations:\n  - name: M\n    cycle: 60s\n    maintenance:\n      - %s\n", plan);
    fsim f = fs_run("maint", yaml);
    double h = 2000 * 3600.0, tol = (period_s + maint_s) / h;
    fs_exact(&f, "maintenance share", f.sum->stations[0].state[ST_MAINTENANCE].mean,
             maint_s / (period_s + maint_s), tol);
    fs_exact(&f, "throughput", f.sum->throughput_per_hour.mean,
             3600 * (period_s / 60) / (period_s + maint_s), 3600 / h * (period_s / 60 + 1));
    fs_free(&f);
}

static void test_maintenance_arithmetic(void **state)
{
    (void)state;
    /* every 100 parts = every 6000 s of work; 30 min each */
    maint_case("{every: 100 parts, duration: 30min}", 6000, 1800);
    /* every 2 h of operation: 120 parts, then 45 min */
    maint_case("{every: 2h, duration: 45min}", 7200, 2700);
    /* every 10 h of calendar time after the end of the last: 10 h of work
     * (600 parts, the due time falls on a cycle end), then 1 h */
    maint_case("{every: 10h, duration: 1h, clock: calendar}", 36000, 3600);
}

/* A raw station (10 s) -> conveyor -> station (5 s). */
static double conveyor_case(const char *conveyor, double horizon_s, double *level)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml, "name: conveyor\nhorizon: %gs\nwarmup: 0\nreplications: 1\n"
             "stations:\n  - {name: A, cycle: 10s}\n  - {name: B, cycle: 5s, opens: 500s}\n"
             "buffers:\n  - {name: C, from: A, to: B, %s}\n", horizon_s, conveyor);
    fsim f = fs_run("conveyor", yaml);
    double out = f.sum->throughput_per_hour.mean * horizon_s / 3600;
    if (level) *level = f.sum->buffers[0].mean_level.mean;
    fs_free(&f);
    return out;
}

static void test_conveyor_arithmetic(void **state)
{
    (void)state;
    const fsim named = { "conveyor", NULL, NULL };
    /* 60 m at 0.2 m/s: 300 s; pitch 6 m: 10 places, the limit: one part
     * per 30 s (B opens at 500 s; over 100 h the start is within 1 %). */
    double lvl;
    double n = conveyor_case("length: 60m, speed: 0.2m/s, pitch: 6m", 360000, &lvl);
    fs_exact(&named, "parts on the full conveyor", lvl, 10, 0.1);
    fs_exact(&named, "parts through 10 places of 300 s", n / 100, 120, 1.2);
    /* Accumulating vs not, 100 m at 1 m/s (100 s), 100 places.  B opens
     * at 500 s, so the head part (in at 10 s, at the end at 110 s) waits.
     * Accumulating: parts in by 400 s are all at the end at 500 s and B
     * takes one every 5 s: 20 done by 602 s.  Not accumulating: the
     * conveyor stood still from 110 to 500 s, so part k (k = 2..10, in at
     * 10k s) arrives at 10k + 390 s, B finishes it at 10k + 395 s; part 11
     * came on while it stood and arrives at 600 s: 10 done by 602 s. */
    n = conveyor_case("length: 100m, speed: 1m/s, pitch: 1m", 602, NULL);
    fs_exact(&named, "accumulating", n, 20, 1e-6);
    n = conveyor_case("length: 100m, speed: 60m/min, pitch: 1m, accumulating: false", 602, NULL);
    fs_exact(&named, "non-accumulating", n, 10, 1e-6);
}

/* Vehicles: the transit holds one of `count` for 2 min. */
static void test_carried_by_arithmetic(void **state)
{
    (void)state;
    for (int agvs = 1; agvs <= 3; agvs += 2) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml, "name: agv\nhorizon: 1000h\nwarmup: 1h\nreplications: 1\n"
                 "resources:\n  - {name: agvs, count: %d}\nstations:\n  - {name: A, cycle: 1min}\n"
                 "  - {name: B, cycle: 30s}\nbuffers:\n  - {name: T, from: A, to: B, capacity: 5, "
                 "transit: 2min, carried_by: agvs}\n", agvs);
        fsim f = fs_run("agv", yaml);
        double x = agvs == 1 ? 30 : 60;      /* 1 vehicle: a part per 2 min; 3: A's pace */
        fs_exact(&f, "throughput", f.sum->throughput_per_hour.mean, x, x * 1e-3);
        fs_exact(&f, "vehicle utilisation", f.sum->pools[0].utilisation.mean,
                 x * 2 / 60 / agvs, 1e-3);
        fs_free(&f);
    }
}

/* A pool on a day shift (06:00-14:00, every day) and a machine without
 * one: the machine works only while a unit is there, a cycle started before
 * 14:00 keeps its unit to the end, so with a 1 min cycle it makes 480 parts
 * a day, works 1/3 of the time and waits 2/3.  Exact over whole days. */
static void test_pool_on_a_calendar(void **state)
{
    (void)state;
    const char *yaml =
        "name: dayshift\nhorizon: 10d\nwarmup: 0\nreplications: 1\n"
        "calendars:\n  - {name: day, shifts: [{start: \"06:00\", end: \"14:00\"}], "
        "days: [mon, tue, wed, thu, fri, sat, sun]}\n"
        "resources:\n  - {name: fitters, count: 1, calendar: day}\n"
        "stations:\n  - {name: M, cycle: 1min, needs: {fitters: 1}}\n";
    fsim f = fs_run("pool calendar", yaml);
    fs_exact(&f, "parts per hour", f.sum->throughput_per_hour.mean, 480.0 / 24, 1e-9);
    fs_exact(&f, "working", f.sum->stations[0].state[ST_WORKING].mean, 1.0 / 3, 1e-9);
    fs_exact(&f, "waiting", f.sum->stations[0].state[ST_WAITING].mean, 2.0 / 3, 1e-9);
    fs_exact(&f, "utilisation", f.sum->pools[0].utilisation.mean, 1.0 / 3, 1e-9);
    fs_free(&f);
}

/* Products drawn independently by share; a changeover from i to j takes
 * s_ij (default when not listed; none when i = j).  Each part is a renewal
 * cycle: E[time] = cycle + sum_{i != j} p_i p_j s_ij. */
static void test_setup_matrix_renewal(void **state)
{
    (void)state;
    const char *yaml =
        "name: colours\nhorizon: 5000h\nwarmup: 10h\nreplications: 8\nseed: 4\n"
        "products:\n  - {name: red, share: 0.5}\n  - {name: blue, share: 0.3}\n"
        "  - {name: white, share: 0.2}\n"
        "stations:\n  - name: booth\n    cycle: 2min\n"
        "    setup: {red: {blue: 3min, white: 6min}, blue: {red: 4min}, default: 1min}\n";
    const double p[3] = { 0.5, 0.3, 0.2 };
    const double s[3][3] = { { 0, 3, 6 }, { 4, 0, 1 }, { 1, 1, 0 } };   /* min */
    double setup = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) setup += p[i] * p[j] * s[i][j];
    fsim f = fs_run("colours", yaml);
    fs_expect(&f, "throughput", f.sum->throughput_per_hour, 60 / (2 + setup), 0.005);
    fs_expect(&f, "setup share", f.sum->stations[0].state[ST_SETUP], setup / (2 + setup), 0.005);
    fs_free(&f);
}

/* availability/mttr is exp(mttr) repairs and exp(mttr A / (1 - A)) times
 * to failure: the same plant as ttf/ttr with those means, draw for draw. */
static void test_availability_mttr(void **state)
{
    (void)state;
    const char *a =
        "name: av\nhorizon: 3000h\nwarmup: 10h\nreplications: 4\nseed: 8\nstations:\n"
        "  - name: M1\n    cycle: exp(1min)\n    failures: [{availability: 0.8, mttr: 10min}]\n"
        "  - name: M2\n    cycle: exp(50s)\nbuffers:\n  - {name: B, from: M1, to: M2, capacity: 3}\n";
    const char *b =
        "name: av\nhorizon: 3000h\nwarmup: 10h\nreplications: 4\nseed: 8\nstations:\n"
        "  - name: M1\n    cycle: exp(1min)\n    failures: [{ttf: exp(40min), ttr: exp(10min)}]\n"
        "  - name: M2\n    cycle: exp(50s)\nbuffers:\n  - {name: B, from: M1, to: M2, capacity: 3}\n";
    fsim fa = fs_run("availability", a), fb = fs_run("ttf/ttr", b);
    /* 10 min x 0.8 / 0.2 is 40 min up to rounding in the last bit */
    fs_exact(&fa, "same throughput", fa.sum->throughput_per_hour.mean,
             fb.sum->throughput_per_hour.mean, 1e-6);
    fs_exact(&fa, "same failed share", fa.sum->stations[0].state[ST_FAILED].mean,
             fb.sum->stations[0].state[ST_FAILED].mean, 1e-6);
    fs_free(&fa);
    fs_free(&fb);
}

/* Everything at once — two nested carrier loops (one starting at a batch
 * station fed by a source), a pool on a shift calendar, blocking before
 * service with needs, a calendar-clock failure repaired by a crew, an
 * assembly with a changeover matrix, a non-accumulating conveyor, a vehicle,
 * scrap and rework inside the loops, maintenance by parts and by calendar:
 * no theory, but every run must keep its invariants (fs_run checks that
 * parts are conserved and the eight states sum to 1), every carrier must be
 * free, riding or travelling back, and the result must not depend on the
 * number of threads. */
static void test_everything_together(void **state)
{
    (void)state;
    const char *yaml =
        "name: stress1\n"
        "horizon: 2w\n"
        "warmup: 1d\n"
        "replications: 3\n"
        "start: 2026-01-05\n"
        "calendars:\n"
        "  - {name: day, shifts: [{start: \"06:00\", end: \"14:00\"}, {start: \"14:00\", end: \"22:00\"}], days: [Mon, Tue, Wed, Thu, Fri]}\n"
        "products:\n"
        "  - {name: X, share: 0.5}\n"
        "  - {name: Y, share: 0.5}\n"
        "resources:\n"
        "  - {name: fitters, count: 2, calendar: day}\n"
        "  - {name: crew, count: 1}\n"
        "  - {name: agv, count: 1}\n"
        "carriers:\n"
        "  - {name: cards, count: 6, from: S1, to: S5, return: exp(5min)}\n"
        "  - {name: skids, count: 3, from: S2, to: S4}\n"
        "sources:\n"
        "  - {name: arr, interarrival: exp(5min), to: S1}\n"
        "stations:\n"
        "  - {name: S1, cycle: exp(3min), batch: 2}\n"
        "  - {name: S2, cycle: exp(4min), needs: {fitters: 1}, blocking: before, failures: [{ttf: exp(2h), ttr: exp(10min), repair_by: crew, clock: calendar}]}\n"
        "  - {name: P, cycle: 1min}\n"
        "  - {name: S3, cycle: exp(3min), assembly: true, setup: {X: {Y: 2min}, default: 1min}}\n"
        "  - {name: S4, cycle: exp(3min), servers: 2, needs: {fitters: 1}, scrap: 0.05, rework: {p: 0.1, to: S2}, maintenance: [{every: 30 parts, duration: 10min, by: crew}, {every: 3h, duration: 5min, clock: calendar}]}\n"
        "  - {name: S5, cycle: exp(2min)}\n"
        "buffers:\n"
        "  - {name: B12, from: S1, to: S2, capacity: 3}\n"
        "  - {name: B23, from: S2, to: S3, capacity: 4, transit: 2min, carried_by: agv}\n"
        "  - {name: BP3, from: P, to: S3, capacity: 2}\n"
        "  - {name: B34, from: S3, to: S4, length: 20m, speed: 0.1m/s, pitch: 4m, accumulating: false}\n"
        "  - {name: B45, from: S4, to: S5, capacity: 0}\n"
        "  - {name: B42, from: S4, to: S2, capacity: 5}\n";
    fsim f = fs_run("together", yaml);
    for (int l = 0; l < 2; l++) {
        const loop_sum *k = &f.sum->loops[l];
        double ret = l == 0 ? k->throughput_per_hour.mean * 5 / 60 : 0;
        fs_exact(&f, "carriers accounted for", k->free.mean + k->wip.mean + ret,
                 f.plant->carriers[l].count, 0.05 * f.plant->carriers[l].count);
    }
    for (int i = 0; i < f.plant->nresources; i++)
        fs_exact(&f, "utilisation within [0, 1]", f.sum->pools[i].utilisation.mean >= 0 &&
                 f.sum->pools[i].utilisation.mean <= 1, 1, 0);
    exp_options o;
    exp_options_default(&o);
    o.threads = 1;                      /* fs_run used 2 */
    takt_summary *two = NULL;
    assert_int_equal(exp_run(f.plant, &o, &two), 0);
    fs_exact(&f, "same with 1 thread", two->throughput_per_hour.mean,
             f.sum->throughput_per_hour.mean, 0);
    fs_exact(&f, "same loop lead time", two->loops[1].lead_time_s.mean,
             f.sum->loops[1].lead_time_s.mean, 0);
    summary_free(two);
    fs_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_maintenance_arithmetic),
        cmocka_unit_test(test_conveyor_arithmetic),
        cmocka_unit_test(test_carried_by_arithmetic),
        cmocka_unit_test(test_pool_on_a_calendar),
        cmocka_unit_test(test_setup_matrix_renewal),
        cmocka_unit_test(test_availability_mttr),
        cmocka_unit_test(test_everything_together),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
