/*
 * test_hostile_run.c — the run's own guards against plants that are valid
 * but absurd (issue 10, items 14-17; docs/robustness.md):
 *
 *   - a clock that advances by less than the time resolution (1 us) over
 *     ten million events stops the run with "does not advance" (the
 *     loader refuses such durations, so the test sets one on a loaded
 *     plant, as a computed duration could reach the run);
 *   - with large batches, the interrupt flag and the progress callback
 *     are checked after about the same work as for single parts, not
 *     after 65,536 events of 10,000 parts each;
 *   - an order book that would hold more open orders than the documented
 *     cap stops the run with a message instead of growing without bound;
 *   - the loader refuses durations below the resolution, demand rates
 *     above the maximum, batches beyond the part-place limit and plants
 *     where nothing can enter, each at the line and column of the culprit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "takt.h"
#include "model/plant.h"
#include "exp/summary.h"

static takt_plant *load(const char *yaml, char **errors)
{
    *errors = NULL;
    return takt_load_string("absurd.yaml", yaml, strlen(yaml), errors);
}

static void refused_at(const char *yaml, const char *pos, const char *phrase)
{
    char *errors = NULL;
    takt_plant *p = load(yaml, &errors);
    assert_null(p);
    assert_non_null(errors);
    if (!strstr(errors, pos) || !strstr(errors, phrase)) {
        print_error("expected '%s' and '%s' in: %s\n", pos, phrase, errors);
        fail();
    }
    free(errors);
}

/* ---- 14. durations below the resolution ---------------------------------- */

static void test_tiny_durations_refused(void **state)
{
    (void)state;
    refused_at("horizon: 1h\nstations:\n  - {name: M, cycle: 1e-300s}\n",
               "absurd.yaml:3:22:", "resolution");
    refused_at("horizon: 1h\nstations:\n  - {name: M, cycle: \"normal(0s, 1e-300s)\"}\n",
               "absurd.yaml:3:22:", "resolution");
    refused_at("horizon: 1h\nstations:\n  - {name: M, cycle: 5e-7}\n",
               "absurd.yaml:3:22:", "resolution");
    /* zero and one microsecond are fine */
    char *errors = NULL;
    takt_plant *p = load("horizon: 1h\nstations:\n  - {name: M, cycle: 1e-6s}\n"
                         "  - {name: N, cycle: 0s}\nbuffers:\n  - {name: B, from: M, to: N, capacity: 2}\n", &errors);
    assert_non_null(p);
    takt_plant_free(p);
    free(errors);
}

static void test_clock_that_barely_moves_is_stopped(void **state)
{
    (void)state;
    char *errors = NULL, *why = NULL;
    takt_plant *p = load("horizon: 1h\nwarmup: 0s\nreplications: 1\nstations:\n"
                         "  - {name: M, cycle: 1s}\n", &errors);
    assert_non_null(p);
    /* 1e-300 s a cycle: the clock moves at every event, by nothing */
    p->stations[0].cycle = dist_const(1e-300);
    exp_options o;
    exp_options_default(&o);
    o.threads = 1;
    o.error = &why;
    takt_summary *s = NULL;
    assert_int_equal(exp_run(p, &o, &s), -3);
    assert_non_null(why);
    assert_non_null(strstr(why, "does not advance"));
    free(why);
    takt_plant_free(p);
}

/* ---- 16. batches: checks after bounded work -------------------------------- */

typedef struct first_call {
    volatile int stop;
    double frac;                    /* of the first progress call */
} first_call;

static void note_first(void *ctx, int rep, double frac)
{
    first_call *fc = ctx;
    (void)rep;
    if (!fc->stop) fc->frac = frac;
    fc->stop = 1;
}

static void test_batch_checks_the_stop_flag_often(void **state)
{
    (void)state;
    char *errors = NULL;
    /* 100 machines of a batch of 10,000 parts, one batch a second each */
    takt_plant *p = load("horizon: 1000h\nwarmup: 0s\nreplications: 1\nstations:\n"
                         "  - {name: Oven, cycle: 1s, servers: 100, batch: 10000}\n", &errors);
    assert_non_null(p);
    first_call fc = { 0, -1 };
    exp_options o;
    exp_options_default(&o);
    o.threads = 1;
    o.stop = &fc.stop;
    o.progress = note_first;
    o.progress_ctx = &fc;
    takt_summary *s = NULL;
    assert_int_equal(exp_run(p, &o, &s), -2);
    /* 65,536 events would be 655 simulated seconds (1.8e-4 of the run);
     * the first check must come within a few events (< 10 s) */
    assert_true(fc.frac >= 0);
    assert_true(fc.frac * 1000 * 3600 < 10);
    takt_plant_free(p);
}

static void test_batch_part_places_limited(void **state)
{
    (void)state;
    refused_at("horizon: 1h\nstations:\n  - {name: M, cycle: 1s, servers: 10000, batch: 10000}\n",
               "absurd.yaml:3:5:", "limit 1000000");
    refused_at("horizon: 1h\nstations:\n  - {name: M, cycle: 1s, servers: 100, batch: 10000}\n"
               "  - {name: N, cycle: 1s, servers: 1, batch: 2}\n"
               "buffers:\n  - {name: B, from: M, to: N, capacity: 2}\n",
               "absurd.yaml:4:5:", "limit 1000000");
}

/* ---- 15. demand --------------------------------------------------------- */

static void test_demand_rate_limited(void **state)
{
    (void)state;
    refused_at("horizon: 100h\nstations:\n  - {name: M, cycle: 1h}\n"
               "demand: {orders: [{per_day: 1e12}]}\n", "absurd.yaml:4:19:", "1,000,000 orders a day");
    refused_at("horizon: 100h\nstations:\n  - {name: M, cycle: 1h}\n"
               "demand:\n  orders:\n    - {per_year: 1e9}\n", "absurd.yaml:6:7:", "orders a day");
}

static void test_order_book_bounded(void **state)
{
    (void)state;
    char *errors = NULL, *why = NULL;
    /* a million orders a day for a plant that makes one car an hour: the
     * open orders pass 20 million on day 20 */
    takt_plant *p = load("horizon: 100d\nwarmup: 0s\nreplications: 1\nstations:\n"
                         "  - {name: M, cycle: 1h}\ndemand: {orders: [{per_day: 1e6}]}\n", &errors);
    assert_non_null(p);
    exp_options o;
    exp_options_default(&o);
    o.threads = 1;
    o.error = &why;
    takt_summary *s = NULL;
    assert_int_equal(exp_run(p, &o, &s), -3);
    assert_non_null(why);
    assert_non_null(strstr(why, "open customer orders"));
    free(why);
    takt_plant_free(p);
}

/* ---- 17. nothing can enter ------------------------------------------------ */

static void test_closed_plant_refused(void **state)
{
    (void)state;
    refused_at("horizon: 10h\nstations:\n  - {name: A, cycle: 1min}\n  - {name: B, cycle: 1min}\n"
               "  - {name: C, cycle: 1min}\nbuffers:\n  - {name: AB, from: A, to: B, capacity: 2}\n"
               "  - {name: BA, from: B, to: A, capacity: 2}\n  - {name: BC, from: B, to: C, capacity: 2}\n",
               "absurd.yaml:3:5:", "nothing can ever enter");
    /* the loop reached from a station outside it: C <- B <- A <- B */
    refused_at("horizon: 10h\nstations:\n  - {name: C, cycle: 1min}\n  - {name: A, cycle: 1min}\n"
               "  - {name: B, cycle: 1min}\n  - {name: D, cycle: 1min}\nbuffers:\n"
               "  - {name: AB, from: A, to: B, capacity: 2}\n  - {name: BA, from: B, to: A, capacity: 2}\n"
               "  - {name: BC, from: B, to: C, capacity: 2}\n  - {name: CD, from: C, to: D, capacity: 2}\n",
               "absurd.yaml:", "in a closed loop");
    /* a source starts the same plant */
    char *errors = NULL;
    takt_plant *p = load("horizon: 10h\nstations:\n  - {name: A, cycle: 1min}\n"
                         "  - {name: B, cycle: 1min}\n  - {name: C, cycle: 1min}\n"
                         "buffers:\n  - {name: AB, from: A, to: B, capacity: 2}\n  - {name: BA, from: B, to: A, capacity: 2}\n"
                         "  - {name: BC, from: B, to: C, capacity: 2}\n"
                         "sources:\n  - {name: In, to: A, interarrival: exp(2min)}\n", &errors);
    if (!p) print_error("%s\n", errors ? errors : "?");
    assert_non_null(p);
    takt_plant_free(p);
    free(errors);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tiny_durations_refused),
        cmocka_unit_test(test_clock_that_barely_moves_is_stopped),
        cmocka_unit_test(test_batch_checks_the_stop_flag_often),
        cmocka_unit_test(test_batch_part_places_limited),
        cmocka_unit_test(test_demand_rate_limited),
        cmocka_unit_test(test_order_book_bounded),
        cmocka_unit_test(test_closed_plant_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
