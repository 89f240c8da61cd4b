/*
 * test_override.c — settings applied to a plant file before it is read
 * (--set PATH=VALUE, override.h): existing and missing keys, list entries
 * by name and by index, flow values, and every kind of bad path or value,
 * each reported against the setting rather than a place in the file.
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

#include "io/override.h"
#include "load_expect.h"

#define load_ok lx_load_ok
#define expect_error lx_expect_error
#define has_diag lx_has_diag
#define print_diags lx_print_diags

/* ---- settings (--set) --------------------------------------------------------------------- */

static const char set_plant[] =
    "horizon: 10h\n"
    "stations:\n"
    "  - name: M1\n"
    "    cycle: 1h\n"
    "    failures:\n"
    "      - {name: jam, ttf: exp(10h), ttr: exp(1h)}\n"
    "  - {name: M2, cycle: 1h}\n"
    "buffers: [{name: B1, from: M1, to: M2, capacity: 3}]\n";

static takt_plant *load_set(const char *const *sets, int n, diags *d)
{
    diags_init(d, "t.yaml");
    return load_plant_string_with(set_plant, strlen(set_plant), sets, n, d);
}

static void test_overrides(void **state)
{
    (void)state;
    diags d;
    const char *sets[] = {
        "buffers.B1.capacity=7",                /* an existing key, by name */
        "stations.M1.servers=3",                /* a missing key is added */
        "stations.1.cycle=exp(2h)",             /* by index */
        "stations.M1.failures.jam.ttr=5min",    /* nested, by name */
        "stations.M1.failures.0.clock=calendar",
        "warmup=2h",
        "stations.M2.ramp=[{at: 0, factor: 2}]",  /* a flow value */
        "buffers.B1.capacity=9",                /* the last setting wins */
    };
    takt_plant *p = load_set(sets, 8, &d);
    if (!p)
        print_diags(&d);
    assert_non_null(p);
    assert_int_equal(p->buffers[0].capacity, 9);
    assert_int_equal(p->stations[0].servers, 3);
    assert_int_equal(p->stations[1].cycle.kind, DIST_EXP);
    assert_near(p->stations[1].cycle.p[0], 7200, 0);
    assert_int_equal(p->stations[0].failures[0].ttr.kind, DIST_CONST);
    assert_near(p->stations[0].failures[0].ttr.p[0], 300, 0);
    assert_int_equal(p->stations[0].failures[0].clock, CLOCK_CALENDAR);
    assert_near(p->warmup, 7200, 0);
    assert_int_equal(p->stations[1].ramp.n, 1);
    assert_near(p->stations[1].ramp.pts[0].factor, 2, 0);
    plant_free(p);
    diags_free(&d);

    /* none: the same as load_plant_string */
    p = load_set(NULL, 0, &d);
    assert_non_null(p);
    assert_int_equal(p->buffers[0].capacity, 3);
    plant_free(p);
    diags_free(&d);
}

static void expect_set_error(const char *set, const char *message)
{
    diags d;
    const char *sets[] = { "stations.M1.servers=2", set };
    assert_null(load_set(sets, 2, &d));
    for (int i = 0; i < d.n; i++)
        if (d.v[i].line == 0 && d.v[i].col == 0 && d.v[i].msg && strstr(d.v[i].msg, message)) {
            diags_free(&d);
            return;
        }
    print_message("no diagnostic without a position containing \"%s\"; got:\n", message);
    print_diags(&d);
    diags_free(&d);
    fail();
}

static void test_override_errors(void **state)
{
    (void)state;
    expect_set_error("stations.N1.servers=2",
                     "--set stations.N1.servers: no station 'N1' (did you mean 'M1'?)");
    expect_set_error("stations.7.servers=2", "--set stations.7.servers: no station '7'");
    expect_set_error("buffers.B1.capacity=-1", "--set buffers.B1.capacity=-1: capacity must be "
                     "a whole number from 0 to 1000000000 or inf, got -1");
    expect_set_error("stations.M1.servres=2", "--set stations.M1.servres=2: unknown key "
                     "'servres' in station 'M1' (did you mean 'servers'?)");
    expect_set_error("stations.M1.rework.p=0.1", "--set stations.M1.rework.p: no key 'rework' "
                     "in 'stations.M1'");
    expect_set_error("horizn.x=1", "--set horizn.x: no key 'horizn' at the top level (did you "
                     "mean 'horizon'?)");
    expect_set_error("horizon.x=1", "--set horizon.x: 'horizon' is a single value, so it has no 'x'");
    expect_set_error("stations.M1=1", "--set stations.M1: 'M1' is a whole station: name one of its keys");
    expect_set_error("capacity", "--set capacity: expected PATH=VALUE");
    expect_set_error("stations..servers=1", "--set stations..servers: empty key in the path");
    expect_set_error("stations.M1.cycle=[1h", "--set stations.M1.cycle=[1h: the value is not valid YAML");
    expect_set_error("stations.M1.cycle=", "--set stations.M1.cycle=: 'cycle' expects a "
                     "distribution or a duration");

    /* a file, and more than one problem at once */
    char path[] = "/tmp/takt_test_load_car_XXXXXX.yaml";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, set_plant, strlen(set_plant)), (ssize_t)strlen(set_plant));
    close(fd);
    const char *sets[] = { "stations.M1.servers=0", "buffers.B2.capacity=1", "seed=5" };
    diags d;
    diags_init(&d, path);
    assert_null(load_plant_file_with(path, sets, 3, &d));
    assert_int_equal(d.n, 2);
    assert_true(has_diag(&d, 0, 0, "--set stations.M1.servers=0: servers must be"));
    assert_true(has_diag(&d, 0, 0, "--set buffers.B2.capacity: no buffer 'B2' (did you mean 'B1'?)"));
    diags_free(&d);
    const char *good[] = { "seed=5" };
    diags_init(&d, path);
    takt_plant *p = load_plant_file_with(path, good, 1, &d);
    assert_non_null(p);
    assert_int_equal(p->seed, 5);
    assert_string_equal(p->file, path);
    plant_free(p);
    diags_free(&d);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_override_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
