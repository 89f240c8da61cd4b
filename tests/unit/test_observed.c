/*
 * test_observed.c — the observed series of a fit (src/io/observed.c):
 * periods from the rows' dates, empty cells, weights and comments; every
 * refusal with its line and column.  And the plant editor
 * (src/io/plant_edit.c) that writes fitted values back into a file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "io/load.h"
#include "io/observed.h"
#include "io/plant_edit.h"

static const char plant_yaml[] =
    "# a comment that must survive\n"
    "name: p\n"
    "start: 2024-01-01\n"
    "until: 2024-03-31\n"
    "ramp:\n"
    "  - {date: 2024-01-01, factor: 2.0}   # launch\n"
    "  - {date: 2024-02-01, factor: 1.0}\n"
    "stations:\n"
    "  - name: M1\n"
    "    cycle: 10min\n";

static takt_plant *plant(void)
{
    diags d;
    diags_init(&d, "p.yaml");
    takt_plant *p = load_plant_string(plant_yaml, strlen(plant_yaml), &d);
    assert_non_null(p);
    diags_free(&d);
    return p;
}

static void test_periods(void **state)
{
    (void)state;
    takt_plant *p = plant();
    const char *csv = "# comment\n"
                      "date, produced ,delivered,weight\r\n"
                      "2024-01-07,100,,\n"
                      "\n"
                      "2024-01-31,,,\n"
                      "2024-02-29,400,,0.5\n"
                      "2024-03-31,500,\n";
    fit_observed o;
    diags d;
    diags_init(&d, "obs.csv");
    assert_int_equal(observed_parse(csv, strlen(csv), p, &o, &d), -1);   /* a short row */
    assert_int_equal(d.n, 1);
    assert_int_equal(d.v[0].line, 7);
    diags_free(&d);
    const char *good = "# comment\n"
                       "date, produced ,delivered,weight\r\n"
                       "2024-01-07,100,,\n"
                       "\n"
                       "2024-01-31,,,\n"
                       "2024-02-29,400,,0.5\n"
                       "2024-03-31,500,,\n";
    diags_init(&d, "obs.csv");
    assert_int_equal(observed_parse(good, strlen(good), p, &o, &d), 0);
    diags_free(&d);
    assert_int_equal(o.n, 4);
    assert_true(o.has[FIT_PRODUCED]);
    assert_false(o.has[FIT_DELIVERED]);
    assert_int_equal(o.v[0].first, 0);
    assert_int_equal(o.v[0].last, 6);
    assert_true(o.v[0].obs[FIT_PRODUCED] == 100);
    assert_true(isnan(o.v[0].obs[FIT_DELIVERED]));
    assert_true(isnan(o.v[1].obs[FIT_PRODUCED]));      /* a boundary only */
    assert_int_equal(o.v[2].first, 31);                 /* February */
    assert_int_equal(o.v[2].last, 59);
    assert_true(o.v[2].weight == 0.5);
    assert_true(o.v[3].weight == 1.0);
    assert_int_equal(o.v[3].line, 7);
    fit_observed_free(&o);
    takt_plant_free(p);
}

static void refused(const char *csv, int line, int col, const char *text)
{
    takt_plant *p = plant();
    fit_observed o;
    diags d;
    diags_init(&d, "obs.csv");
    assert_int_equal(observed_parse(csv, strlen(csv), p, &o, &d), -1);
    assert_true(d.n >= 1);
    if (d.v[0].line != line || d.v[0].col != col || !strstr(d.v[0].msg, text))
        fail_msg("got %d:%d: %s; expected %d:%d: ...%s...", d.v[0].line, d.v[0].col, d.v[0].msg,
                 line, col, text);
    diags_free(&d);
    takt_plant_free(p);
}

static void test_refusals(void **state)
{
    (void)state;
    refused("date,made\n", 1, 6, "unknown column 'made'");
    refused("date,produce\n", 1, 6, "did you mean 'produced'");
    refused("date,produced,produced\n", 1, 15, "given twice");
    refused("produced\n1\n", 1, 1, "no 'date' column");
    refused("date,weight\n", 1, 1, "no 'produced' or 'delivered'");
    refused("", 1, 1, "empty file");
    refused("date,produced\n", 2, 1, "no rows");
    refused("date,produced\n2024-01-07,\n", 3, 1, "every count is empty");
    refused("date,produced\n2024-02-30,1\n", 2, 1, "expected a date");
    refused("date,produced\n2024-01-14,1\n2024-01-07,1\n", 3, 1, "dates must increase");
    refused("date,produced\n2024-01-07,1\n2024-01-07,1\n", 3, 1, "dates must increase");
    refused("date,produced\n2023-12-31,1\n", 2, 1, "before the plant's time 0");
    refused("date,produced\n2024-04-01,1\n", 2, 1, "after the plant's last simulated day (2024-03-31)");
    refused("date,produced\n2024-01-07,-1\n", 2, 12, "expected a number >= 0");
    refused("date,produced\n2024-01-07,nan\n", 2, 12, "expected a number >= 0");
    refused("date,produced\n2024-01-07,1e999\n", 2, 12, "expected a number >= 0");
    refused("date,produced\n2024-01-07,1,2\n", 2, 1, "expected 2 fields");
}

static void test_no_start(void **state)
{
    (void)state;
    const char *y = "name: q\nhorizon: 10h\nstations:\n  - {name: M, cycle: 1h}\n";
    diags d;
    diags_init(&d, "q.yaml");
    takt_plant *p = load_plant_string(y, strlen(y), &d);
    assert_non_null(p);
    diags_free(&d);
    fit_observed o;
    diags_init(&d, "obs.csv");
    assert_int_equal(observed_parse("date,produced\n", 14, p, &o, &d), -1);
    assert_non_null(strstr(d.v[0].msg, "no 'start:' date"));
    diags_free(&d);
    takt_plant_free(p);
}

static void test_plant_edit(void **state)
{
    (void)state;
    const char *sets[] = { "ramp.1.date=2024-02-15", "ramp.0.factor=2.75", "stations.M1.cycle=12min" };
    char *out = NULL, err[256];
    size_t len;
    assert_int_equal(plant_edit(plant_yaml, strlen(plant_yaml), sets, 3, &out, &len, err, sizeof err), 0);
    assert_int_equal(strlen(out), len);
    assert_non_null(strstr(out, "# a comment that must survive\n"));
    assert_non_null(strstr(out, "  - {date: 2024-01-01, factor: 2.75}   # launch\n"));
    assert_non_null(strstr(out, "  - {date: 2024-02-15, factor: 1.0}\n"));
    assert_non_null(strstr(out, "    cycle: 12min\n"));
    diags d;
    diags_init(&d, "out.yaml");
    takt_plant *p = load_plant_string(out, len, &d);
    assert_non_null(p);
    takt_plant_free(p);
    diags_free(&d);
    free(out);
    const char *missing[] = { "stations.M1.servers=2" };
    assert_int_equal(plant_edit(plant_yaml, strlen(plant_yaml), missing, 1, &out, &len, err, sizeof err), -1);
    assert_non_null(strstr(err, "not written in the plant file"));
    const char *whole[] = { "ramp.0=3" };
    assert_int_equal(plant_edit(plant_yaml, strlen(plant_yaml), whole, 1, &out, &len, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a single plain value"));
    const char *twice[] = { "ramp.0.factor=3", "ramp.0.factor=4" };
    assert_int_equal(plant_edit(plant_yaml, strlen(plant_yaml), twice, 2, &out, &len, err, sizeof err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_periods),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_no_start),
        cmocka_unit_test(test_plant_edit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
