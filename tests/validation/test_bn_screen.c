/*
 * test_bn_screen.c — what makes naming the bottleneck cheap, held to
 * giving the same answers as the plain method (docs/diagnosis.md, What it
 * costs):
 *
 *  - a lean run (no customer orders, no active-period tracking) moves
 *    every part exactly as a full run does: the same output, bit for bit;
 *  - a lean run that leaves out the part of a plant not joined to the
 *    improved station by buffers, plus the baseline's output of that part,
 *    gives the full run's throughput bit for bit; and a plant whose
 *    stations share pools, carriers or maintenance is never split;
 *  - the screening drops a candidate only when another one beats it on
 *    the first two paired replications; the bottleneck it names has run
 *    every replication, with the very gain `takt improve` reports, and
 *    candidates that the first replications cannot tell apart run them all.
 *
 * Everything is exact (bit-identical numbers, replication counts of a
 * fixed seed); no statistical tolerance is involved.
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
#include "model/run.h"
#include "exp/improve.h"
#include "exp/catalogue.h"

static takt_plant *load(const char *yaml)
{
    char *errors = NULL;
    takt_plant *p = takt_load_string("test", yaml, strlen(yaml), &errors);
    if (!p) fail_msg("cannot load: %s", errors ? errors : "?");
    return p;
}

/* Two lines that share nothing but the calendar, the products and the
 * customers: calendar and operating failures, a transit, a mix, orders. */
static const char two_lines[] =
    "name: two lines\n"
    "start: 2024-01-01\n"
    "until: 2024-02-15\n"
    "replications: 3\n"
    "seed: 11\n"
    "products:\n"
    "  - {name: X, share: 0.5}\n"
    "  - {name: Y, share: 0.5}\n"
    "calendars:\n"
    "  - name: day\n"
    "    shifts:\n"
    "      - {start: \"06:00\", end: \"22:00\"}\n"
    "    days: [mon, tue, wed, thu, fri]\n"
    "calendar: day\n"
    "stations:\n"
    "  - {name: A1, cycle: exp(60s), failures: [{ttf: exp(3h), ttr: exp(10min)}]}\n"
    "  - {name: A2, cycle: \"tri(50s, 62s, 80s)\", scrap: 0.02}\n"
    "  - {name: B1, cycle: exp(70s), failures: [{ttf: exp(2h), ttr: exp(8min), clock: calendar}]}\n"
    "  - {name: B2, cycle: {X: 65s, Y: 75s}}\n"
    "buffers:\n"
    "  - {name: QA, from: A1, to: A2, capacity: 3, transit: 2min}\n"
    "  - {name: QB, from: B1, to: B2, capacity: 2}\n"
    "demand:\n"
    "  orders:\n"
    "    - {product: X, from: 2024-01-01, per_day: 300}\n"
    "    - {product: Y, from: 2024-01-01, per_day: 200}\n"
    "  delivery: tri(1d, 2d, 5d)\n";

static run_limits limits_of(const takt_plant *p)
{
    run_limits lim = { .horizon = p->horizon, .warmup = p->warmup, .seed = p->seed };
    return lim;
}

static void test_lean_run_moves_parts_as_a_full_run(void **state)
{
    (void)state;
    takt_plant *p = load(two_lines);
    for (int rep = 0; rep < 2; rep++) {
        run_limits lim = limits_of(p);
        rep_obs full, lean;
        assert_int_equal(run_replication(p, &lim, rep, &full), 0);
        lim.lean = 1;
        assert_int_equal(run_replication(p, &lim, rep, &lean), 0);
        assert_true(full.parts_out > 1000);
        assert_true(full.ordered > 0 && lean.ordered == 0);     /* it is lean */
        assert_true(full.events > lean.events);
        assert_int_equal(lean.parts_out, full.parts_out);
        assert_memory_equal(&lean.throughput_per_hour, &full.throughput_per_hour, sizeof(double));
        for (int i = 0; i < p->nstations; i++) {
            assert_true(lean.stations[i].parts_out == full.stations[i].parts_out);
            assert_true(lean.stations[i].sunk == full.stations[i].sunk);
        }
        rep_obs_free(&full);
        rep_obs_free(&lean);
    }
    takt_plant_free(p);
}

static void test_left_out_line_keeps_the_throughput(void **state)
{
    (void)state;
    takt_plant *p = load(two_lines);
    int a1 = plant_find_station(p, "A1"), b2 = plant_find_station(p, "B2");
    unsigned char *skip = run_skippable(p, a1);
    assert_non_null(skip);
    assert_int_equal(skip[a1], 0);
    assert_int_equal(skip[plant_find_station(p, "A2")], 0);
    assert_int_equal(skip[plant_find_station(p, "B1")], 1);
    assert_int_equal(skip[b2], 1);
    for (int rep = 0; rep < 2; rep++) {
        run_limits lim = limits_of(p);
        rep_obs full, part;
        assert_int_equal(run_replication(p, &lim, rep, &full), 0);
        lim.lean = 1;
        lim.skip = skip;
        assert_int_equal(run_replication(p, &lim, rep, &part), 0);
        assert_true(part.events < full.events);
        assert_true(part.stations[b2].sunk == 0 && full.stations[b2].sunk > 0);
        assert_true(part.stations[a1].parts_out == full.stations[a1].parts_out);
        long other = (long)full.stations[b2].sunk;
        double t = run_throughput(part.parts_out + other, lim.warmup, lim.warmup + lim.horizon);
        assert_memory_equal(&t, &full.throughput_per_hour, sizeof t);
        rep_obs_free(&full);
        rep_obs_free(&part);
    }
    free(skip);
    takt_plant_free(p);
}

static void test_joined_plants_are_not_split(void **state)
{
    (void)state;
    /* one line: nothing to leave out */
    takt_plant *p = load("name: line\nhorizon: 10h\nstations:\n  - {name: A, cycle: 60s}\n"
                         "  - {name: B, cycle: 50s}\nbuffers:\n  - {name: Q, from: A, to: B, capacity: 2}\n");
    assert_null(run_skippable(p, 0));
    takt_plant_free(p);
    /* two lines whose stations share a pool of people: never split */
    p = load("name: shared\nhorizon: 10h\n"
             "resources:\n  - {name: crew, count: 1}\n"
             "stations:\n  - {name: A, cycle: 60s, needs: {crew: 1}}\n"
             "  - {name: B, cycle: 50s, needs: {crew: 1}}\n");
    assert_null(run_skippable(p, 0));
    takt_plant_free(p);
}

/* A clear bottleneck (C, the longest cycle, with failures) among three
 * candidates: the two others are beaten on the first two paired
 * replications and run no more; C runs all six, and its gain is bit for
 * bit the one `takt improve` finds (improve_run, full runs). */
static const char clear_line[] =
    "name: clear\nhorizon: 400h\nwarmup: 20h\nreplications: 6\nseed: 5\n"
    "stations:\n"
    "  - {name: A, cycle: exp(40s)}\n"
    "  - {name: B, cycle: exp(45s)}\n"
    "  - {name: C, cycle: \"normal(60s, 5s)\", failures: [{ttf: exp(2h), ttr: exp(10min)}]}\n"
    "buffers:\n"
    "  - {name: Q1, from: A, to: B, capacity: 4}\n"
    "  - {name: Q2, from: B, to: C, capacity: 4}\n";

static void test_screening_drops_beaten_candidates(void **state)
{
    (void)state;
    takt_plant *p = load(clear_line);
    exp_options o;
    exp_options_default(&o);
    o.threads = 2;
    takt_summary *s = NULL;
    assert_int_equal(exp_run(p, &o, &s), 0);
    const bottleneck_sum *b = &s->bottleneck;
    int c = plant_find_station(p, "C");
    assert_int_equal(b->method, BN_PAIRED_IMPROVEMENT);
    assert_int_equal(b->station, c);
    assert_int_equal(b->ncandidates, 3);
    assert_int_equal(b->candidates[0].station, c);
    assert_int_equal(b->candidates[0].replications, 6);
    for (int k = 1; k < 3; k++) assert_int_equal(b->candidates[k].replications, BN_SCREEN_REPS);
    station_gain g;
    assert_int_equal(improve_run(p, &o, s, &c, 1, IMPROVE_CYCLE, IMPROVE_BY_DEFAULT, 0, &g, NULL), 0);
    assert_memory_equal(&g.gain, &b->gain, sizeof g.gain);
    /* the same on one thread, bit for bit */
    takt_summary *s1 = NULL;
    o.threads = 1;
    assert_int_equal(exp_run(p, &o, &s1), 0);
    assert_int_equal(s1->bottleneck.ncandidates, 3);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(s1->bottleneck.candidates[k].station, b->candidates[k].station);
        assert_int_equal(s1->bottleneck.candidates[k].replications, b->candidates[k].replications);
        assert_memory_equal(&s1->bottleneck.candidates[k].gain, &b->candidates[k].gain, sizeof g.gain);
    }
    summary_free(s1);
    summary_free(s);
    takt_plant_free(p);
}

/* Two identical exponential feeders of a fast assembly: their gains are
 * alike (equal in distribution), two replications cannot tell them apart,
 * so neither is dropped and both run every replication. */
static void test_close_candidates_run_every_replication(void **state)
{
    (void)state;
    takt_plant *p = load("name: twins\nhorizon: 300h\nwarmup: 10h\nreplications: 5\nseed: 3\n"
                         "stations:\n  - {name: A, cycle: exp(60s)}\n  - {name: B, cycle: exp(60s)}\n"
                         "  - {name: C, cycle: 20s, assembly: true}\n"
                         "buffers:\n  - {name: Q1, from: A, to: C, capacity: 3}\n"
                         "  - {name: Q2, from: B, to: C, capacity: 3}\n");
    exp_options o;
    exp_options_default(&o);
    takt_summary *s = NULL;
    assert_int_equal(exp_run(p, &o, &s), 0);
    const bottleneck_sum *b = &s->bottleneck;
    int a = plant_find_station(p, "A"), bb = plant_find_station(p, "B"), seen = 0;
    for (int k = 0; k < b->ncandidates; k++)
        if (b->candidates[k].station == a || b->candidates[k].station == bb) {
            assert_int_equal(b->candidates[k].replications, 5);
            seen++;
        }
    assert_int_equal(seen, 2);
    assert_true(b->station == a || b->station == bb);
    summary_free(s);
    takt_plant_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lean_run_moves_parts_as_a_full_run),
        cmocka_unit_test(test_left_out_line_keeps_the_throughput),
        cmocka_unit_test(test_joined_plants_are_not_split),
        cmocka_unit_test(test_screening_drops_beaten_candidates),
        cmocka_unit_test(test_close_candidates_run_every_replication),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
