/*
 * test_series.c — the series over time and OEE against arithmetic and
 * theory.
 *
 *   - Totals: per replication, the periods' state times of each station
 *     add up to its state times, the periods' buffer areas to its mean
 *     level, the periods' bottleneck times to its bottleneck share (a
 *     plant with no shifts, where the whole window is analysed); the
 *     summary's shares per period, weighted by period length, give the
 *     summary's means.  Equal but for rounding: relative 1e-9.
 *   - The spreading of an interval over periods and the choice of the
 *     period, by hand.
 *   - Reproducible: one thread or two, and through the MPI wire format,
 *     the series are the same bit for bit.
 *   - OEE by hand on deterministic plants: failures on the operating clock
 *     (ttf 5 h of work, repair 1 h) on an 06:00-14:00 shift work 20 h and
 *     are failed 4 h in every 3 days (test_features2.c derives the
 *     pattern), so availability = 20 / 24 = 5/6; a ramp factor of 2 makes
 *     every cycle twice the ideal one, so performance = 1/2; the part cut
 *     by the window's end moves performance by at most one part in the
 *     count.  Quality with scrap probability 0.1 is 0.9 within 4 binomial
 *     standard deviations of the parts made (fails with probability ~6e-5
 *     for a correct model; the seed is fixed).
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
#include "exp/catalogue.h"
#include "exp/cluster.h"
#include "exp/oee.h"
#include "exp/series_sum.h"
#include "model/series.h"

static takt_summary *simulate(takt_plant **p, const char *yaml, int threads)
{
    char *errors = NULL, *why = NULL;
    *p = takt_load_string("series", yaml, strlen(yaml), &errors);
    if (!*p) fail_msg("plant does not load:\n%s", errors ? errors : "");
    exp_options o;
    exp_options_default(&o);
    o.threads = threads;
    o.series = 1;
    o.bottleneck = EXP_BN_ACTIVE;
    o.error = &why;
    takt_summary *s = NULL;
    int rc = exp_run(*p, &o, &s);
    if (rc != 0) fail_msg("run returned %d (%s)", rc, why ? why : "");
    return s;
}

static void near(const char *what, double got, double want, double rel)
{
    double tol = rel * fmax(1.0, fabs(want));
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.15g, want %.15g (tolerance %.3g)", what, got, want, tol);
}

/* Failures, a transit, parallel machines, a warm-up that is no whole
 * number of hours and a horizon that ends inside an hour. */
static const char *line_yaml =
    "name: line\nhorizon: 109200s\nwarmup: 5000s\nreplications: 3\nseed: 7\n"
    "stations:\n"
    "  - {name: A, cycle: exp(50s)}\n"
    "  - {name: B, cycle: \"tri(40s, 55s, 80s)\", failures: [{ttf: exp(2h), ttr: exp(10min)}]}\n"
    "  - {name: C, cycle: exp(100s), servers: 2}\n"
    "  - {name: D, cycle: 52s, failures: [{ttf: exp(5h), ttr: exp(30min)}]}\n"
    "buffers:\n"
    "  - {name: AB, from: A, to: B, capacity: 3}\n"
    "  - {name: BC, from: B, to: C, capacity: 5, transit: 2min}\n"
    "  - {name: CD, from: C, to: D, capacity: 2}\n";

static void test_totals(void **state)
{
    (void)state;
    takt_plant *p;
    takt_summary *s = simulate(&p, line_yaml, 2);
    double H = s->horizon;
    assert_non_null(s->series);
    const series_sum *ss = s->series;
    assert_true(ss->period == 3600.0);
    assert_int_equal(ss->nperiods, 31);
    near("last period", ss->len[30], 20 * 60, 1e-12);
    near("first period starts at the warm-up", ss->start[0], 5000, 0);
    for (int r = 0; r < s->replications; r++) {
        const rep_obs *o = &s->reps[r];
        const series_obs *so = o->series;
        assert_non_null(so);
        for (int i = 0; i < p->nstations; i++) {
            double bn = 0;
            for (int k = 0; k < so->nperiods; k++) bn += so->bn[(size_t)i * so->nperiods + k];
            near("bottleneck time", bn / H, o->stations[i].bn_sole + o->stations[i].bn_shifting, 1e-9);
            for (int q = 0; q < NSTATES; q++) {
                double t = 0;
                for (int k = 0; k < so->nperiods; k++)
                    t += so->state[((size_t)i * so->nperiods + k) * NSTATES + q];
                near("state time", t / (H * p->stations[i].servers), o->stations[i].state[q], 1e-9);
            }
        }
        for (int b = 0; b < p->nbuffers; b++) {
            double a = 0;
            for (int k = 0; k < so->nperiods; k++) a += so->level[(size_t)b * so->nperiods + k];
            near("buffer level", a / H, o->buffers[b].mean_level, 1e-9);
        }
    }
    for (int i = 0; i < p->nstations; i++) {
        for (int k = 0; k < ss->nperiods; k++) {
            double sum = 0;
            for (int q = 0; q < NSTATES; q++) sum += series_share(ss, i, k, q);
            near("shares of a period", sum, 1, 1e-9);
        }
        for (int q = 0; q < NSTATES; q++) {
            double t = 0;
            for (int k = 0; k < ss->nperiods; k++) t += series_share(ss, i, k, q) * ss->len[k];
            near("mean state share", t / H, s->stations[i].state[q].mean, 1e-9);
        }
    }
    for (int b = 0; b < p->nbuffers; b++) {
        double a = 0;
        for (int k = 0; k < ss->nperiods; k++) a += series_level_at(ss, b, k) * ss->len[k];
        near("mean level", a / H, s->buffers[b].mean_level.mean, 1e-9);
    }
    /* by the day: 31 hours make two days, the second one 6 h 20 min */
    assert_int_equal(ss->nbn, 2);
    near("bottleneck day", ss->bn[1].len_s, 6 * 3600 + 20 * 60, 1e-12);
    for (int g = 0; g < ss->nbn; g++) {
        assert_true(ss->bn[g].station >= 0 && ss->bn[g].share > 0 && ss->bn[g].share <= 1 + 1e-12);
        /* the named station has the most bottleneck time of the day */
        for (int i = 0; i < p->nstations; i++) {
            double t = 0, best = 0;
            for (int r = 0; r < s->replications; r++)
                for (int k = g * 24; k < ss->nperiods && k < (g + 1) * 24; k++) {
                    t += s->reps[r].series->bn[(size_t)i * ss->nperiods + k];
                    best += s->reps[r].series->bn[(size_t)ss->bn[g].station * ss->nperiods + k];
                }
            assert_true(t <= best);
        }
    }
    summary_free(s);
    takt_plant_free(p);
}

static void test_spread_and_period(void **state)
{
    (void)state;
    takt_plant p;
    memset(&p, 0, sizeof p);
    p.nstations = 1;
    series_obs *s = series_new(&p, 100, 100 + 3.5 * 3600, 3600);
    assert_non_null(s);
    assert_int_equal(s->nperiods, 4);
    near("last", series_period_len(s, 3), 1800, 0);
    double row[4] = { 0 };
    series_spread(s, row, 1, 2.0, 0, 100 + 1800);              /* clipped at t0 */
    series_spread(s, row, 1, 1.0, 100 + 3000, 100 + 3 * 3600 + 60);
    series_spread(s, row, 1, 1.0, 100 + 3.4 * 3600, 1e9);     /* clipped at the end */
    near("period 0", row[0], 2 * 1800 + 600, 1e-12);
    near("period 1", row[1], 3600, 1e-12);
    near("period 2", row[2], 3600, 1e-12);
    near("period 3", row[3], 60 + 0.1 * 3600, 1e-9);
    series_free(s);
    assert_true(series_choose_period(&p, 400 * 3600.0) == 3600);
    assert_true(series_choose_period(&p, 401 * 3600.0) == 86400);
    assert_true(series_choose_period(&p, 400 * 86400.0) == 86400);
    assert_true(series_choose_period(&p, 401 * 86400.0) == 604800);
    assert_true(series_choose_period(&p, 1000 * 604800.0) == 3 * 604800);
    /* a plant of 10,000 stations: at most SERIES_MAX_CELLS cells */
    p.nstations = 10000;
    double per = series_choose_period(&p, 400 * 3600.0);
    assert_true(per == 604800);                /* 3 weeks in 1 period */
    p.nstations = 1000;
    per = series_choose_period(&p, 52 * 604800.0);
    long cells = (long)ceil(52 * 604800.0 / per) * (1000L * (NSTATES + 1) + 1);
    assert_true(cells <= SERIES_MAX_CELLS);
}

static void test_reproducible(void **state)
{
    (void)state;
    takt_plant *p1, *p2;
    takt_summary *a = simulate(&p1, line_yaml, 1), *b = simulate(&p2, line_yaml, 2);
    const series_sum *x = a->series, *y = b->series;
    assert_int_equal(x->nperiods, y->nperiods);
    size_t n = (size_t)x->nperiods * (size_t)x->nstations * NSTATES;
    assert_memory_equal(x->state, y->state, n * sizeof *x->state);
    assert_memory_equal(x->level, y->level, (size_t)x->nperiods * x->nbuffers * sizeof *x->level);
    assert_memory_equal(x->bn, y->bn, (size_t)x->nbn * sizeof *x->bn);
    /* through the wire format of the MPI gather */
    unsigned char *buf;
    size_t len;
    rep_obs back;
    assert_int_equal(rep_obs_pack(p1, &a->reps[1], &buf, &len), 0);
    assert_int_equal(rep_obs_unpack(p1, buf, len, &back), 0);
    assert_non_null(back.series);
    const series_obs *o = a->reps[1].series;
    size_t cells = series_ncells(p1, o->nperiods);
    assert_int_equal(back.series->nperiods, o->nperiods);
    assert_memory_equal(back.series->cells, o->cells, cells * sizeof *o->cells);
    assert_true(back.stations[2].scrapped == a->reps[1].stations[2].scrapped);
    rep_obs_free(&back);
    free(buf);
    summary_free(a); summary_free(b);
    takt_plant_free(p1); takt_plant_free(p2);
}

static oee_factors oee_of(const char *yaml, takt_summary **s, takt_plant **p)
{
    *s = simulate(p, yaml, 2);
    oee_factors f;
    assert_int_equal(oee_station(*s, 0, &f), 0);
    near("oee = a x p x q", f.oee, f.availability * f.performance * f.quality, 1e-15);
    return f;
}

#define SHIFT_CAL "calendar: c\ncalendars:\n  - name: c\n    shifts: [{start: \"06:00\", end: \"14:00\"}]\n" \
                  "    days: [mon, tue, wed, thu, fri, sat, sun]\n"

static void test_oee_by_hand(void **state)
{
    (void)state;
    takt_summary *s;
    takt_plant *p;
    /* 6 days = two 3-day patterns: 40 h working, 8 h failed, 96 h off
     * shift; a 10-minute cycle makes 240 parts in the 40 h */
    oee_factors f = oee_of("name: a\nstart: 2024-01-01\nuntil: 2024-01-06\nreplications: 2\n" SHIFT_CAL
                           "stations:\n  - name: M\n    cycle: 10min\n    failures: [{ttf: 5h, ttr: 1h}]\n",
                           &s, &p);
    near("availability", f.availability, 5.0 / 6, 1e-12);
    near("planned busy h", f.planned_h, 48, 1e-12);
    near("performance", f.performance, 1, 1.0 / 240);
    near("quality", f.quality, 1, 0);
    near("oee", f.oee, 5.0 / 6, 1.0 / 240);
    summary_free(s); takt_plant_free(p);

    /* the same with a ramp factor of 2: the ideal cycle is 5 min, every
     * cycle takes 10 */
    f = oee_of("name: b\nstart: 2024-01-01\nuntil: 2024-01-06\nreplications: 2\n" SHIFT_CAL
               "ramp: [{at: 0s, factor: 2}]\n"
               "stations:\n  - name: M\n    cycle: 5min\n    failures: [{ttf: 5h, ttr: 1h}]\n", &s, &p);
    near("ideal cycle", f.ideal_cycle_s, 300, 0);
    near("availability (ramp)", f.availability, 5.0 / 6, 1e-12);
    near("performance (ramp)", f.performance, 0.5, 0.5 / 240);
    near("oee (ramp)", f.oee, 5.0 / 12, 0.5 / 240);
    summary_free(s); takt_plant_free(p);

    /* starved by a slower first station: M works 60 of every 90 s */
    takt_summary *s2;
    s2 = simulate(&p, "name: c\nhorizon: 10h\nreplications: 1\nstations:\n  - {name: F, cycle: 90s}\n"
                  "  - {name: M, cycle: 60s}\nbuffers:\n  - {name: FM, from: F, to: M, capacity: 2}\n", 1);
    assert_int_equal(oee_station(s2, 1, &f), 0);
    near("availability (starved)", f.availability, 2.0 / 3, 90.0 / 36000);
    near("performance (starved)", f.performance, 1, 1.0 / 399);
    summary_free(s2); takt_plant_free(p);

    /* blocked for good: B never opens in the window, so A makes 4 parts
     * (3 fill the buffer, 1 stays in A) in 40 min of work and is blocked
     * the rest of its 6 days; B has no planned time at all */
    s2 = simulate(&p, "name: d\nstart: 2024-01-01\nuntil: 2024-01-06\nreplications: 1\n"
                  "stations:\n  - {name: A, cycle: 10min}\n  - {name: B, cycle: 10min, opens: 2024-02-01}\n"
                  "buffers:\n  - {name: AB, from: A, to: B, capacity: 3}\n", 1);
    assert_int_equal(oee_station(s2, 0, &f), 0);
    near("produced (blocked)", f.produced, 4, 0);
    near("performance (blocked)", f.performance, 1, 1e-12);
    near("availability (blocked)", f.availability, 2400.0 / (6 * 86400), 1e-12);
    assert_int_equal(oee_station(s2, 1, &f), 0);
    assert_true(isnan(f.availability) && isnan(f.performance) && isnan(f.quality) && isnan(f.oee));
    near("planned (closed)", f.planned_h, 0, 0);
    summary_free(s2); takt_plant_free(p);
}

/* The ideal cycle: the plant's ramp (2 at 0, 0.8 from 10 h) times the
 * station's (1 at 5 h, 0.5 from 20 h) is 2, 1.4, 0.667 and 0.4 at the
 * points, so the fastest the plan ever runs the station is 0.4 x its
 * nominal 100 s, per part of a batch of 4: 10 s; a station whose ramp
 * only slows it keeps its nominal cycle. */
static void test_ideal_cycle(void **state)
{
    (void)state;
    const char *y = "name: ideal\nhorizon: 30h\n"
                    "ramp: [{at: 0s, factor: 2}, {at: 10h, factor: 0.8}]\n"
                    "stations:\n  - {name: A, cycle: 100s, batch: 4, ramp: [{at: 5h, factor: 1}, {at: 20h, factor: 0.5}]}\n"
                    "  - {name: B, cycle: 30s, ramp: [{at: 0s, factor: 1.25}, {at: 20h, factor: 1.3}]}\n"
                    "buffers:\n  - {name: AB, from: A, to: B, capacity: 5}\n";
    char *errors = NULL;
    takt_plant *p = takt_load_string("ideal", y, strlen(y), &errors);
    if (!p) fail_msg("%s", errors ? errors : "");
    near("ideal cycle A", oee_ideal_cycle(p, 0), 10, 1e-12);
    near("ideal cycle B", oee_ideal_cycle(p, 1), 30, 1e-12);
    takt_plant_free(p);
}

static void test_oee_quality(void **state)
{
    (void)state;
    takt_summary *s;
    takt_plant *p;
    oee_factors f = oee_of("name: q\nhorizon: 200h\nreplications: 4\nseed: 3\n"
                           "stations:\n  - {name: M, cycle: 30s, scrap: 0.1}\n", &s, &p);
    double n = f.produced * s->replications;
    near("produced", f.produced, 200 * 120, 1.0 / 24000);
    double sd = sqrt(0.1 * 0.9 / n);
    if (fabs(f.quality - 0.9) > 4 * sd) fail_msg("quality %.6f, want 0.9 +- %.6f", f.quality, 4 * sd);
    near("availability (scrap)", f.availability, 1, 1e-12);
    summary_free(s); takt_plant_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spread_and_period),
        cmocka_unit_test(test_totals),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_oee_by_hand),
        cmocka_unit_test(test_ideal_cycle),
        cmocka_unit_test(test_oee_quality),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
