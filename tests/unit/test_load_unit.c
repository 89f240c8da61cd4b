/*
 * test_load_unit.c — the unit of output of a plant file (`unit:`,
 * `units:`): the plural the loader derives, the one the file gives, the
 * default (parts), the names reports take from it (catalogue_unit: output
 * figures in the plant's unit, parts inside the plant stay parts), and
 * every class of message at its exact line and column.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "load_expect.h"
#include "exp/catalogue.h"

#define TOP "name: u\nhorizon: 10h\n"
#define M1 "stations: [{name: M1, cycle: 1min}]\n"

static void expect_units(const char *lines, const char *one, const char *many)
{
    char yaml[256];
    snprintf(yaml, sizeof yaml, TOP "%s" M1, lines);
    takt_plant *p = lx_load_ok(yaml);
    assert_non_null(p);
    assert_string_equal(plant_unit(p), one);
    assert_string_equal(plant_units(p), many);
    char rate[64];
    snprintf(rate, sizeof rate, "%s/h", many);
    assert_string_equal(plant_rate_unit(p), rate);
    plant_free(p);
}

static void test_plurals(void **state)
{
    (void)state;
    expect_units("", "part", "parts");                  /* the default */
    expect_units("unit: car\n", "car", "cars");
    expect_units("unit: body\n", "body", "bodies");
    expect_units("unit: day\n", "day", "days");         /* a vowel before y */
    expect_units("unit: box\n", "box", "boxes");
    expect_units("unit: bus\n", "bus", "buses");
    expect_units("unit: batch\n", "batch", "batches");
    expect_units("unit: battery pack\n", "battery pack", "battery packs");
    expect_units("unit: Fahrzeug\nunits: Fahrzeuge\n", "Fahrzeug", "Fahrzeuge");
    expect_units("unit: chassis\nunits: chassis\n", "chassis", "chassis");
    expect_units("units: chassis\nunit: chassis\n", "chassis", "chassis");   /* any order */
}

/* Reports name output figures in the plant's unit and nothing else. */
static void test_catalogue_units(void **state)
{
    (void)state;
    takt_plant *p = lx_load_ok(TOP "unit: car\n" M1);
    assert_non_null(p);
    assert_string_equal(catalogue_unit(catalogue_find("throughput_per_hour"), p), "cars/h");
    assert_string_equal(catalogue_unit(catalogue_find("produced"), p), "cars");
    assert_string_equal(catalogue_unit(catalogue_find("delivered"), p), "cars");
    assert_string_equal(catalogue_unit(catalogue_find("wip"), p), "parts");
    assert_string_equal(catalogue_unit(catalogue_find("scrapped"), p), "parts");
    assert_string_equal(catalogue_unit(catalogue_find("lead_time_s"), p), "s");
    for (int i = 0; i < catalogue_ndaily; i++)
        if (!strcmp(catalogue_daily[i].key, "produced"))
            assert_string_equal(catalogue_unit(&catalogue_daily[i], p), "cars");
    for (int i = 0; i < catalogue_nloop; i++)   /* a carrier loop's rate is of carriers' parts */
        if (!strcmp(catalogue_loop[i].key, "throughput_per_hour"))
            assert_string_equal(catalogue_unit(&catalogue_loop[i], p), "parts/h");
    /* without a plant: the unit as held, for tools */
    assert_string_equal(catalogue_unit(catalogue_find("throughput_per_hour"), NULL), "parts/h");
    plant_free(p);
}

static void test_errors(void **state)
{
    (void)state;
    lx_expect_error(TOP "unit: [car]\n" M1, 1, 3, 7, "'unit' must name one unit of output");
    lx_expect_error(TOP "unit:\n" M1, 1, 3, 6, "got nothing");
    lx_expect_error(TOP "unit: ''\n" M1, 1, 3, 7, "must not be empty");
    lx_expect_error(TOP "unit: '<b>car'\n" M1, 1, 3, 7, "begin with a letter");
    lx_expect_error(TOP "unit: car/h\n" M1, 1, 3, 7, "only letters, digits");
    lx_expect_error(TOP "unit: 'car '\n" M1, 1, 3, 7, "end with a space");
    lx_expect_error(TOP "unit: abcdefghijklmnopqrstuvwxyzabcdefg\n" M1, 1, 3, 7, "at most 32 bytes");
    lx_expect_error(TOP "unit: car\nunits: {a: 1}\n" M1, 1, 4, 8, "'units' must name");
    lx_expect_error(TOP "units: cars\n" M1, 1, 3, 8, "'units' (the plural) needs 'unit'");
    /* a unit of 32 bytes whose derived plural would be longer */
    lx_expect_error(TOP "unit: abcdefghijklmnopqrstuvwxyzabcdef\n" M1, 1, 3, 7,
                    "give a shorter 'unit', or the plural with 'units'");
    lx_expect_error(TOP "unitt: car\n" M1, 0, 3, 1, "unit");   /* a typo: suggested */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plurals),
        cmocka_unit_test(test_catalogue_units),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
