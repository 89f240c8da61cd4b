/*
 * test_load_resources.c — the plant-file keys of resources, carriers,
 * maintenance, changeover matrices, conveyors and availability/mttr: what
 * a good file becomes in the plant, and every bad input refused at its
 * line and column with a clear message (and a suggestion for a misspelt
 * name, as for every other reference).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "load_expect.h"
#include "model/plant.h"

#define H "horizon: 10h\n"
#define POOLS "resources: [{name: fitters, count: 2}, {name: crew, count: 1}]\n"
#define AB "  - {name: A, cycle: 1min}\n  - {name: B, cycle: 1min}\n"
#define AB_BUF "buffers: [{name: AB, from: A, to: B, capacity: 2}]\n"

static void test_good_file(void **state)
{
    (void)state;
    takt_plant *p = lx_load_ok(
        H "products: [{name: SU7, share: 0.5}, {name: YU7, share: 0.5}]\n" POOLS
        "carriers: [{name: skids, count: 5, from: A, to: B, return: 2min}]\n"
        "stations:\n"
        "  - name: A\n    cycle: 1min\n    needs: {fitters: 2, crew: 1}\n"
        "    failures:\n      - {availability: 0.8, mttr: 10min, repair_by: crew}\n"
        "    maintenance:\n      - {every: 100 parts, duration: 5min, by: crew}\n"
        "      - {every: 8h, duration: 1h, clock: calendar}\n"
        "    setup: {SU7: {YU7: 3min}, default: 1min}\n"
        "  - {name: B, cycle: 1min}\n"
        "buffers: [{name: AB, from: A, to: B, length: 60m, speed: 6m/min, pitch: 7m, "
        "accumulating: false}]\n");
    assert_int_equal(p->nresources, 2);
    assert_int_equal(p->resources[1].count, 1);
    assert_int_equal(p->ncarriers, 1);
    assert_int_equal(p->carriers[0].from, 0);
    assert_int_equal(p->carriers[0].to, 1);
    assert_near(dist_mean(&p->carriers[0].ret), 120, 1e-9);
    const station *a = &p->stations[0];
    assert_int_equal(a->nneeds, 2);
    assert_int_equal(a->needs[0].pool, 0);
    assert_int_equal(a->needs[0].units, 2);
    assert_int_equal(a->needs[1].pool, 1);
    assert_int_equal(a->failures[0].repair_by, 1);
    assert_near(dist_mean(&a->failures[0].ttr), 600, 1e-9);
    assert_near(dist_mean(&a->failures[0].ttf), 2400, 1e-6);
    assert_int_equal(a->nmaint, 2);
    assert_int_equal(a->maint[0].parts, 100);
    assert_int_equal(a->maint[0].by, 1);
    assert_near(a->maint[1].every, 8 * 3600, 1e-9);
    assert_int_equal(a->maint[1].clock, CLOCK_CALENDAR);
    assert_int_equal(a->maint[1].by, -1);
    assert_true(a->has_setup);
    assert_near(dist_mean(&a->setup), 60, 1e-9);
    assert_true(a->setup_given[0 * 2 + 1]);
    assert_false(a->setup_given[1 * 2 + 0]);
    assert_near(dist_mean(&a->setup_matrix[1]), 180, 1e-9);
    assert_near(p->buffers[0].transit, 600, 1e-9);
    assert_int_equal(p->buffers[0].capacity, 8);
    assert_true(p->buffers[0].non_accumulating);
    assert_int_equal(p->buffers[0].carried_by, -1);
    assert_int_equal(p->stations[1].failures ? p->stations[1].failures[0].repair_by : -1, -1);
    plant_free(p);
}

static void test_pool_errors(void **state)
{
    (void)state;
    lx_expect_error(H POOLS "stations: [{name: A, cycle: 1min, needs: {fiters: 1}}]\n", 1, 3, 43,
                    "station 'A': unknown resource 'fiters' in 'needs' (did you mean 'fitters'?)");
    lx_expect_error(H POOLS "stations: [{name: A, cycle: 1min, needs: {fitters: 3}}]\n", 1, 3, 52,
                    "station 'A' needs 3 units of 'fitters', but the pool has only 2");
    lx_expect_error(H POOLS "stations: [{name: A, cycle: 1min, needs: {fitters: 0}}]\n", 1, 3, 52,
                    "must be");
    lx_expect_error(H POOLS "stations: [{name: A, cycle: 1min, needs: 2}]\n", 1, 3, 42,
                    "'needs'");
    lx_expect_error(H "resources: [{name: fitters}]\nstations: [{name: A, cycle: 1min}]\n", 1, 2,
                    13, "missing 'count'");
    lx_expect_error(H POOLS "stations: [{name: A, cycle: 1min, failures: [{ttf: exp(1h), "
                    "ttr: 1min, repair_by: crw}]}]\n", 1, 3, 83,
                    "unknown resource 'crw' in 'repair_by' (did you mean 'crew'?)");
    lx_expect_error(H POOLS "stations: [{name: A, cycle: 1min}, {name: B, cycle: 1min}]\n"
                    "buffers: [{name: AB, from: A, to: B, capacity: 2, carried_by: crew}]\n", 1, 4,
                    63, "'carried_by' needs a transit time");
}

static void test_carrier_errors(void **state)
{
    (void)state;
    lx_expect_error(H "carriers: [{name: k, count: 2, from: A, to: C}]\nstations:\n" AB AB_BUF, 1,
                    2, 45, "carrier loop 'k': unknown station 'C' in 'to'");
    lx_expect_error(H "carriers: [{name: k, count: 2, from: B, to: A}]\nstations:\n" AB AB_BUF, 1,
                    2, 12, "station 'A' ('to') cannot be reached from station 'B' ('from')");
    lx_expect_error(H "carriers: [{name: k, from: A, to: B}]\nstations:\n" AB AB_BUF, 1, 2, 12,
                    "missing 'count'");
    lx_expect_error(H "carriers: [{name: k, count: 0, from: A, to: B}]\nstations:\n" AB AB_BUF,
                    1, 2, 29, "count must be a whole number from 1");
}

static void test_failure_pair_errors(void **state)
{
    (void)state;
    lx_expect_error(H "stations: [{name: A, cycle: 1min, failures: [{availability: 1, "
                    "mttr: 1h}]}]\n", 1, 2, 61, "'availability' must be a number more than 0 "
                    "and less than 1");
    lx_expect_error(H "stations: [{name: A, cycle: 1min, failures: [{availability: 0.9}]}]\n",
                    1, 2, 61, "'availability' needs 'mttr' too");
    lx_expect_error(H "stations: [{name: A, cycle: 1min, failures: [{ttr: 1h, mttr: 1h}]}]\n",
                    1, 2, 62, "give either 'ttf' and 'ttr', or 'availability' and 'mttr', not both");
    lx_expect_error(H "stations: [{name: A, cycle: 1min, failures: [{ttr: 1h}]}]\n", 1, 2, 46,
                    "is missing 'ttf'");
}

static void test_maintenance_errors(void **state)
{
    (void)state;
    lx_expect_error(H "stations: [{name: A, cycle: 1min, maintenance: [{duration: 1h}]}]\n", 1, 2,
                    49, "missing 'every'");
    lx_expect_error(H "stations: [{name: A, cycle: 1min, maintenance: [{every: 1.5 parts, "
                    "duration: 1h}]}]\n", 1, 2, 57, "whole number of parts");
    lx_expect_error(H "stations: [{name: A, cycle: 1min, maintenance: [{every: 10 parts, "
                    "duration: 1h, clock: calendar}]}]\n", 1, 2, 88, "'clock' applies to");
    lx_expect_error(H "stations: [{name: A, cycle: 1min, maintenance: [{every: 1h, duration: 1h, "
                    "by: crew}]}]\n", 1, 2, 79, "unknown resource 'crew' in 'by'");
}

static void test_setup_matrix_errors(void **state)
{
    (void)state;
#define P2 H "products: [{name: SU7, share: 0.5}, {name: YU7, share: 0.5}]\n"
    lx_expect_error(P2 "stations: [{name: A, cycle: 1min, setup: {SU7: {YU8: 1min}}}]\n", 1, 3,
                    49, "unknown product 'YU8' in 'setup' (did you mean 'YU7'?)");
    lx_expect_error(P2 "stations: [{name: A, cycle: 1min, setup: {SU8: {YU7: 1min}}}]\n", 1, 3,
                    43, "unknown product 'SU8' in 'setup' (did you mean 'SU7'?)");
    lx_expect_error(P2 "stations: [{name: A, cycle: 1min, setup: {SU7: 1min}}]\n", 1, 3, 48,
                    "a mapping of the products it changes to");
    lx_expect_error(P2 "stations: [{name: A, cycle: 1min, setup: {SU7: {SU7: 1min}}}]\n", 1, 3,
                    49, "to itself");
    lx_expect_error(H "stations: [{name: A, cycle: 1min, setup: {SU7: {YU7: 1min}}}]\n", 1, 2,
                    42, "names products, but the plant lists none");
}

static void test_conveyor_errors(void **state)
{
    (void)state;
#define CONV(x) H "stations:\n" AB "buffers: [{name: C, from: A, to: B, " x "}]\n"
    lx_expect_error(CONV("length: 6m, speed: 1m/s, pitch: 8m"), 1, 5, 69,
                    "the pitch (8 m) is longer than the conveyor (6 m)");
    lx_expect_error(CONV("length: 6m, pitch: 1m"), 1, 5, 45, "'length' needs 'speed' too");
    lx_expect_error(CONV("length: 6m, speed: 1m/s, transit: 2s, capacity: 2"), 1, 5, 71,
                    "give 'transit' or 'length' and 'speed', not both");
    lx_expect_error(CONV("length: 6m, speed: 1m/s, pitch: 1m, capacity: 2"), 1, 5, 69,
                    "give 'capacity' or 'pitch', not both");
    lx_expect_error(CONV("length: 6m, speed: 1 m per s, pitch: 1m"), 1, 5, 56,
                    "a speed, e.g. 0.2m/s");
    lx_expect_error(CONV("length: -6m, speed: 1m/s, pitch: 1m"), 1, 5, 45,
                    "'length' must be more than 0");
    lx_expect_error(CONV("capacity: 3, accumulating: false"), 1, 5, 64,
                    "a non-accumulating conveyor needs a transit time");
    lx_expect_error(CONV("length: 6m, speed: 1m/s"), 1, 5, 11, "missing 'capacity'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_file),
        cmocka_unit_test(test_pool_errors),
        cmocka_unit_test(test_carrier_errors),
        cmocka_unit_test(test_failure_pair_errors),
        cmocka_unit_test(test_maintenance_errors),
        cmocka_unit_test(test_setup_matrix_errors),
        cmocka_unit_test(test_conveyor_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
