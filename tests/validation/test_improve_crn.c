/*
 * test_improve_crn.c — the machinery under `takt improve`: scaled
 * distributions draw the same random numbers, an improved copy changes
 * only what it should, gains agree with theory where theory is exact, the
 * pairing on common random numbers narrows the interval, and the result
 * does not depend on the number of threads.
 *
 * Tolerances: the deterministic line must match to one part over the
 * horizon (the last part may or may not be counted); the availability
 * case within 4 half-widths of the paired 95 % interval plus 3 % of the
 * exact gain, the rule of test_theory.c, with a fixed seed.
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
#include "core/dist.h"
#include "core/rng.h"
#include "exp/improve.h"
#include "exp/catalogue.h"

static takt_plant *load(const char *yaml)
{
    char *errors = NULL;
    takt_plant *p = takt_load_string("test", yaml, strlen(yaml), &errors);
    if (!p) fail_msg("cannot load: %s", errors ? errors : "?");
    return p;
}

static void test_scaled_draws_are_scaled_draws(void **state)
{
    (void)state;
    double values[] = { 3, 7, 11, 40 };
    dist ds[] = {
        { .kind = DIST_CONST, .p = { 5 } },
        { .kind = DIST_EXP, .p = { 60 } },
        { .kind = DIST_UNIFORM, .p = { 10, 20 } },
        { .kind = DIST_TRI, .p = { 10, 15, 30 } },
        { .kind = DIST_NORMAL, .p = { 60, 5 } },
        { .kind = DIST_LOGNORMAL, .p = { 60, 20 } },
        { .kind = DIST_ERLANG, .p = { 3, 60 } },
        { .kind = DIST_ERLANG, .p = { 20, 60 } },
        { .kind = DIST_GAMMA, .p = { 0.5, 30 } },
        { .kind = DIST_GAMMA, .p = { 2.5, 30 } },
        { .kind = DIST_WEIBULL, .p = { 1.5, 60 } },
        { .kind = DIST_EMPIRICAL, .values = values, .nvalues = 4 },
    };
    for (size_t k = 0; k < sizeof ds / sizeof ds[0]; k++) {
        dist a = ds[k], b = ds[k];
        double own[4];
        assert_int_equal(dist_prepare(&a, NULL, 0), 0);
        if (b.kind == DIST_EMPIRICAL) { memcpy(own, values, sizeof own); b.values = own; }
        assert_int_equal(dist_prepare(&b, NULL, 0), 0);
        assert_int_equal(dist_scale(&b, 0.8), 0);
        assert_true(fabs(dist_mean(&b) - 0.8 * dist_mean(&a)) <= 1e-9 * dist_mean(&a));
        rng ra, rb;
        rng_seed(&ra, 7, 1, 2, 3);
        rng_seed(&rb, 7, 1, 2, 3);
        for (int i = 0; i < 2000; i++) {
            double x = dist_sample(&a, &ra), y = dist_sample(&b, &rb);
            if (fabs(y - 0.8 * x) > 1e-9 * (1 + x))
                fail_msg("%s draw %d: %.17g scaled is %.17g, not 0.8 x", dist_kind_name(a.kind), i, x, y);
        }
    }
    assert_int_equal(values[0], 3);                 /* the original's values untouched */
    dist bad = { .kind = DIST_EXP, .p = { 1 } };
    assert_int_equal(dist_scale(&bad, 0), -1);
    assert_int_equal(dist_scale(&bad, NAN), -1);
}

static const char copy_plant[] =
    "name: copy\nhorizon: 10h\n"
    "stations:\n"
    "  - {name: A, cycle: \"empirical(10s, 20s, 30s)\"}\n"
    "  - {name: B, cycle: 20s, failures: [{ttf: exp(1h), ttr: exp(10min)}, {ttf: exp(5h), ttr: 1h}]}\n"
    "buffers:\n  - {name: Q, from: A, to: B, capacity: 2}\n";

static void test_copy_changes_one_thing(void **state)
{
    (void)state;
    takt_plant *p = load(copy_plant);
    takt_plant *a = improve_plant_new(p, 0, IMPROVE_CYCLE, 0.25);
    takt_plant *b = improve_plant_new(p, 1, IMPROVE_MTTR, 0.5);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(fabs(dist_mean(&a->stations[0].cycle) - 15) < 1e-12);
    assert_true(fabs(dist_mean(&p->stations[0].cycle) - 20) < 1e-12);
    assert_ptr_not_equal(a->stations[0].cycle.values, p->stations[0].cycle.values);
    assert_true(dist_mean(&a->stations[1].cycle) == 20);
    assert_true(fabs(dist_mean(&b->stations[1].failures[0].ttr) - 300) < 1e-9);
    assert_true(fabs(dist_mean(&b->stations[1].failures[1].ttr) - 1800) < 1e-9);
    assert_true(dist_mean(&b->stations[1].failures[0].ttf) == 3600);
    assert_true(dist_mean(&p->stations[1].failures[0].ttr) == 600);
    assert_true(dist_mean(&b->stations[1].cycle) == 20);
    assert_ptr_equal(b->buffers, p->buffers);
    assert_null(improve_plant_new(p, 2, IMPROVE_CYCLE, 0.1));
    assert_null(improve_plant_new(p, 0, IMPROVE_CYCLE, 1.0));
    improve_plant_free(a);
    improve_plant_free(b);
    takt_plant_free(p);
}

/* One machine of constant 60 s that never waits: 60 an hour; 10 % shorter,
 * 3600 / 54 an hour.  Nothing is random, so the interval is 0. */
static void test_constant_machine_gain(void **state)
{
    (void)state;
    takt_plant *p = load("name: one\nhorizon: 100h\nwarmup: 0s\nreplications: 3\n"
                         "stations:\n  - {name: M, cycle: 60s}\n");
    exp_options o;
    exp_options_default(&o);
    int all[] = { 0 };
    station_gain g;
    kpi base;
    assert_int_equal(improve_run(p, &o, NULL, all, 1, IMPROVE_CYCLE, 0.10, 0, &g, &base), 0);
    assert_true(fabs(base.mean - 60) <= 0.01);
    assert_true(fabs(g.gain.mean - (3600.0 / 54 - 60)) <= 0.01 + 1e-9);
    assert_true(g.gain.ci95 == 0);
    takt_plant_free(p);
}

/* A machine that never waits, failing on its operating clock: it works
 * mttf / (mttf + mttr) of the time, so 60 s parts come at
 * 60 · 60 / (60 + mttr_min) an hour.  Repairs 10 % faster: 10 → 9 min. */
static const char availability_plant[] =
    "name: availability\nhorizon: 2000h\nwarmup: 10h\nreplications: 8\nseed: 5\n"
    "stations:\n  - {name: M, cycle: 60s, failures: [{ttf: exp(1h), ttr: exp(10min)}]}\n";

static void test_mttr_gain_matches_availability(void **state)
{
    (void)state;
    takt_plant *p = load(availability_plant);
    exp_options o;
    exp_options_default(&o);
    o.threads = 2;
    takt_summary *s = NULL;
    assert_int_equal(exp_run(p, &o, &s), 0);
    int all[] = { 0 };
    station_gain g;
    assert_int_equal(improve_run(p, &o, s, all, 1, IMPROVE_MTTR, 0.10, 0, &g, NULL), 0);
    double exact = 60.0 * 60 / 69 - 60.0 * 60 / 70;
    if (fabs(g.gain.mean - exact) > 4 * g.gain.ci95 + 0.03 * exact)
        fail_msg("gain %.4f ± %.4f, theory %.4f", g.gain.mean, g.gain.ci95, exact);
    /* paired against unpaired: the improved plant alone, then the two
     * independent intervals combined as Welch would */
    takt_plant *q = improve_plant_new(p, 0, IMPROVE_MTTR, 0.10);
    takt_summary *t = NULL;
    o.bottleneck = EXP_BN_ACTIVE;
    assert_int_equal(exp_run(q, &o, &t), 0);
    double welch = hypot(s->throughput_per_hour.ci95, t->throughput_per_hour.ci95);
    assert_true(t->throughput_per_hour.mean - s->throughput_per_hour.mean == g.gain.mean ||
                fabs(t->throughput_per_hour.mean - s->throughput_per_hour.mean - g.gain.mean) < 1e-9);
    if (!(g.gain.ci95 < 0.5 * welch))
        fail_msg("paired half-width %.4f is not under half of the unpaired %.4f", g.gain.ci95, welch);
    summary_free(t);
    improve_plant_free(q);
    summary_free(s);
    takt_plant_free(p);
}

static const char line_plant[] =
    "name: line\nhorizon: 200h\nwarmup: 5h\nreplications: 5\nseed: 9\n"
    "stations:\n"
    "  - {name: A, cycle: exp(50s)}\n"
    "  - {name: B, cycle: \"tri(40s, 55s, 70s)\", failures: [{ttf: exp(2h), ttr: exp(5min)}]}\n"
    "  - {name: C, cycle: \"normal(52s, 6s)\"}\n"
    "buffers:\n"
    "  - {name: Q1, from: A, to: B, capacity: 2}\n"
    "  - {name: Q2, from: B, to: C, capacity: 2}\n";

static void test_same_gains_for_any_thread_count(void **state)
{
    (void)state;
    takt_plant *p = load(line_plant);
    int all[] = { 0, 1, 2 };
    station_gain g1[3], g2[3];
    kpi b1, b2;
    exp_options o;
    exp_options_default(&o);
    o.threads = 1;
    assert_int_equal(improve_run(p, &o, NULL, all, 3, IMPROVE_CYCLE, 0.15, 0, g1, &b1), 0);
    o.threads = 2;
    assert_int_equal(improve_run(p, &o, NULL, all, 3, IMPROVE_CYCLE, 0.15, 0, g2, &b2), 0);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(g1[k].station, g2[k].station);
        assert_memory_equal(&g1[k].gain, &g2[k].gain, sizeof g1[k].gain);   /* bit for bit */
    }
    assert_memory_equal(&b1, &b2, sizeof b1);
    improve_rank(g1, 3);
    for (int k = 1; k < 3; k++) assert_true(g1[k - 1].gain.mean >= g1[k].gain.mean);
    /* the named bottleneck's gain is the same paired runs' */
    takt_summary *s = NULL;
    assert_int_equal(exp_run(p, &o, &s), 0);
    assert_int_equal(s->bottleneck.ncandidates, 3);
    assert_int_equal(s->bottleneck.method, BN_PAIRED_IMPROVEMENT);
    summary_free(s);
    takt_plant_free(p);
}

/* A plant whose output is set by its arrivals: no improvement raises it,
 * so the active-period pick keeps the name and the method says so. */
static void test_arrival_bound_plant_keeps_active_period(void **state)
{
    (void)state;
    takt_plant *p = load("name: arrivals\nhorizon: 100h\nwarmup: 0s\nreplications: 3\n"
                         "sources:\n  - {name: orders, to: A, interarrival: 120s}\n"
                         "stations:\n  - {name: A, cycle: 30s}\n  - {name: B, cycle: 40s}\n"
                         "buffers:\n  - {name: Q, from: A, to: B, capacity: 5}\n");
    exp_options o;
    exp_options_default(&o);
    takt_summary *s = NULL;
    assert_int_equal(exp_run(p, &o, &s), 0);
    assert_int_equal(s->bottleneck.method, BN_ACTIVE_PERIOD);
    assert_int_equal(s->bottleneck.station, summary_active_period_pick(s));
    assert_int_equal(s->bottleneck.ncandidates, 2);
    for (int k = 0; k < 2; k++) assert_true(s->bottleneck.candidates[k].gain.mean <= 0);
    summary_free(s);
    takt_plant_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scaled_draws_are_scaled_draws),
        cmocka_unit_test(test_copy_changes_one_thing),
        cmocka_unit_test(test_constant_machine_gain),
        cmocka_unit_test(test_mttr_gain_matches_availability),
        cmocka_unit_test(test_same_gains_for_any_thread_count),
        cmocka_unit_test(test_arrival_bound_plant_keeps_active_period),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
