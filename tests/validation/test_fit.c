/*
 * test_fit.c — calibration (src/exp/fit.h) against a known truth: a series
 * is simulated from a plant with known settings (one replication, its own
 * seed, as a real plant gives one history), the settings are then freed
 * over wide ranges and fitted with other seeds; each true value must lie
 * inside the 95 % interval the fit reports, the interval must be narrow
 * (a quarter of the range at most, so "anything fits" cannot pass), and a
 * setting that acts only after the last observed day must be reported as
 * not determined, with the whole range as its interval.
 *
 * Tolerance: the intervals are 95 % intervals (fit.h), so with fixed seeds
 * each check is one draw that fails with probability about 5 % for an
 * honest method; the seeds are fixed so the result is reproducible, and a
 * method whose intervals were too narrow (a slice through correlated
 * settings, or the noise of the mean taken for the noise of one history)
 * fails these cases.
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
#include "exp/fit.h"
#include "io/observed.h"
#include "io/override.h"
#include "core/date.h"

/* A press feeding a paced line on one shift, five days a week; the ramp
 * starts at factor 2.5 and ends on 2024-03-15; from 2024-05-20 the line
 * works Saturdays too. */
static const char plant_yaml[] =
    "name: ramp to fit\n"
    "start: 2024-01-01\n"
    "until: 2024-06-30\n"
    "replications: 4\n"
    "seed: 7\n"
    "calendar: day\n"
    "calendars:\n"
    "  - name: day\n"
    "    shifts: [{start: \"08:00\", end: \"16:00\"}]\n"
    "    days: [mon, tue, wed, thu, fri]\n"
    "    plans:\n"
    "      - from: 2024-05-20\n"
    "        days: [mon, tue, wed, thu, fri, sat]\n"
    "        shifts: [{start: \"08:00\", end: \"16:00\"}]\n"
    "ramp:\n"
    "  - {date: 2024-01-01, factor: 2.5}\n"
    "  - {date: 2024-03-15, factor: 1.0}\n"
    "stations:\n"
    "  - name: press\n"
    "    cycle: exp(4min)\n"
    "    failures:\n"
    "      - {ttf: exp(8h), ttr: exp(30min)}\n"
    "  - name: line\n"
    "    cycle: 5min\n"
    "buffers:\n"
    "  - {name: B, from: press, to: line, capacity: 20}\n";

static takt_plant *build(void *ctx, const char *const *sets, int n, char **why)
{
    (void)ctx;
    diags d;
    diags_init(&d, "plant");
    takt_plant *p = load_plant_string_with(plant_yaml, strlen(plant_yaml), sets, n, &d);
    if (!p && d.n > 0) {
        char line[1024];
        diags_format(&d, 0, line, sizeof line);
        *why = strdup(line);
    }
    diags_free(&d);
    return p;
}

/* The "real" history: weekly output of one replication with seed 99, up
 * to (and including) the week ending on `last` (a Sunday). */
static void observe(fit_observed *o, const char *last)
{
    diags d;
    diags_init(&d, "plant");
    takt_plant *p = load_plant_string_with(plant_yaml, strlen(plant_yaml), NULL, 0, &d);
    assert_non_null(p);
    diags_free(&d);
    exp_options opt;
    exp_options_default(&opt);
    opt.replications = 1;
    opt.seed = 99;
    opt.have_seed = 1;
    takt_summary *s;
    assert_int_equal(exp_run(p, &opt, &s), 0);
    int64_t end;
    assert_int_equal(date_parse(last, &end), 0);
    int weeks = (int)(end - p->start_day + 1) / 7;
    memset(o, 0, sizeof *o);
    o->v = calloc((size_t)weeks, sizeof *o->v);
    assert_non_null(o->v);
    for (int w = 0; w < weeks; w++) {
        fit_period *pk = &o->v[o->n++];
        pk->first = 7 * w;
        pk->last = 7 * w + 6;
        pk->day = p->start_day + pk->last;
        pk->weight = 1;
        pk->obs[FIT_PRODUCED] = 0;
        pk->obs[FIT_DELIVERED] = NAN;
        for (int k = pk->first; k <= pk->last; k++) pk->obs[FIT_PRODUCED] += s->reps[0].day_produced[k];
    }
    o->has[FIT_PRODUCED] = 1;
    summary_free(s);
    takt_plant_free(p);
}

static void config(fit_config *c, const fit_param *params, int n, const fit_observed *o)
{
    memset(c, 0, sizeof *c);
    c->params = params;
    c->nparams = n;
    c->obs = o;
    c->build = build;
    exp_options_default(&c->opt);
    c->opt.replications = 4;
    c->opt.seed = 7;
    c->opt.have_seed = 1;
    c->budget = 200;
    c->profile_evals = 20;
}

static void param(fit_param *fp, const char *arg)
{
    char err[256];
    assert_int_equal(fit_param_parse(arg, fp, err, sizeof err), 0);
}

static void assert_covers(const fit_result *r, const fit_param *fp, int j, double truth)
{
    char v[64], lo[64], hi[64];
    fit_param_format(fp, r->value[j], v, sizeof v);
    fit_param_format(fp, r->lo[j], lo, sizeof lo);
    fit_param_format(fp, r->hi[j], hi, sizeof hi);
    print_message("  %s: fitted %s, interval %s .. %s\n", fp->path, v, lo, hi);
    assert_true(r->determined[j]);
    assert_true(r->lo[j] <= truth && truth <= r->hi[j]);
    assert_true(r->hi[j] - r->lo[j] <= (fp->hi - fp->lo) / 4);
}

static int64_t day(const char *s)
{
    int64_t d;
    assert_int_equal(date_parse(s, &d), 0);
    return d;
}

static void test_recovers_ramp(void **state)
{
    (void)state;
    fit_observed o;
    observe(&o, "2024-06-30");
    fit_param fp[2];
    param(&fp[0], "ramp.0.factor=1.0..4.0");
    param(&fp[1], "ramp.1.date=2024-02-01..2024-04-30");
    fit_config c;
    config(&c, fp, 2, &o);
    fit_result r;
    assert_int_equal(fit_run(&c, &r, NULL), 0);
    assert_covers(&r, &fp[0], 0, 2.5);
    assert_covers(&r, &fp[1], 1, (double)day("2024-03-15"));
    /* the fitted series is the observed one within its noise */
    assert_true(r.loss <= 3 * r.sigma2);
    fit_result_free(&r);
    fit_param_free(&fp[0]);
    fit_param_free(&fp[1]);
    fit_observed_free(&o);
}

static void test_reports_undetermined(void **state)
{
    (void)state;
    fit_observed o;
    observe(&o, "2024-04-28");           /* ends before the Saturday plan */
    fit_param fp[3];
    param(&fp[0], "ramp.0.factor=1.0..4.0");
    param(&fp[1], "ramp.1.date=2024-02-01..2024-04-30");
    param(&fp[2], "calendars.day.plans.0.from=2024-05-06..2024-06-10");
    fit_config c;
    config(&c, fp, 3, &o);
    c.profile_evals = 12;
    fit_result r;
    assert_int_equal(fit_run(&c, &r, NULL), 0);
    assert_covers(&r, &fp[0], 0, 2.5);
    assert_covers(&r, &fp[1], 1, (double)day("2024-03-15"));
    assert_false(r.determined[2]);
    assert_true(r.lo[2] == fp[2].lo && r.hi[2] == fp[2].hi);
    fit_result_free(&r);
    for (int j = 0; j < 3; j++) fit_param_free(&fp[j]);
    fit_observed_free(&o);
}

/* The search on common random numbers: the loss of a candidate does not
 * depend on when it is simulated, and the truth scores better than a
 * value far from it. */
static void test_loss_is_common_random_numbers(void **state)
{
    (void)state;
    fit_observed o;
    observe(&o, "2024-06-30");
    fit_param fp[1];
    param(&fp[0], "ramp.0.factor=1.0..4.0");
    fit_config c;
    config(&c, fp, 1, &o);
    double v = 2.5, far = 3.5, a, b, x;
    assert_int_equal(fit_loss(&c, &v, &a), 0);
    assert_int_equal(fit_loss(&c, &far, &x), 0);
    assert_int_equal(fit_loss(&c, &v, &b), 0);
    assert_true(a == b);
    assert_true(a < x);
    fit_param_free(&fp[0]);
    fit_observed_free(&o);
}

static void test_param_parse(void **state)
{
    (void)state;
    fit_param fp;
    char err[256], buf[64];
    param(&fp, "stations.M1.servers=1..6");
    assert_int_equal(fp.kind, FIT_WHOLE);
    fit_param_format(&fp, 3.4, buf, sizeof buf);
    assert_string_equal(buf, "3");
    fit_param_free(&fp);
    param(&fp, "stations.M1.cycle=60s..90s");
    assert_int_equal(fp.kind, FIT_REAL);
    fit_param_format(&fp, 72.5, buf, sizeof buf);
    assert_string_equal(buf, "72.5s");
    fit_param_format(&fp, 200, buf, sizeof buf);    /* clamped to the range */
    assert_string_equal(buf, "90s");
    fit_param_free(&fp);
    param(&fp, "ramp.1.date=2024-02-28..2024-03-02");
    assert_int_equal(fp.kind, FIT_DATE);
    fit_param_format(&fp, fp.lo + 2, buf, sizeof buf);
    assert_string_equal(buf, "2024-03-01");
    fit_param_free(&fp);
    assert_int_equal(fit_param_parse("ramp.0.factor=2..1", &fp, err, sizeof err), -1);
    assert_int_equal(fit_param_parse("ramp.0.factor=1h..2", &fp, err, sizeof err), -1);
    assert_int_equal(fit_param_parse("ramp.0.factor=2024-01-01..3", &fp, err, sizeof err), -1);
    assert_int_equal(fit_param_parse("=1..2", &fp, err, sizeof err), -1);
    assert_int_equal(fit_param_parse("x=1", &fp, err, sizeof err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_param_parse),
        cmocka_unit_test(test_loss_is_common_random_numbers),
        cmocka_unit_test(test_recovers_ramp),
        cmocka_unit_test(test_reports_undetermined),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
