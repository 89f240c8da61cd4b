/*
 * test_api.c — the public API (include/takt.h) as an embedder calls it,
 * with nothing but takt.h: statuses, loading with settings, options out of
 * range, cancelling, figures by key (all agreeing with the JSON report,
 * which is written from the same summary), reports in memory, a sweep
 * whose results equal plain runs, and the run store written and read
 * back.  Built with the static library, so `make asan` checks these paths
 * for leaks and bad accesses too.
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

#include "takt.h"

static const char plant_yaml[] =
    "name: api test\n"
    "horizon: 200h\n"
    "warmup: 10h\n"
    "replications: 4\n"
    "seed: 3\n"
    "stations:\n"
    "  - {name: M1, cycle: exp(1h), failures: [{ttf: exp(50h), ttr: exp(5h)}]}\n"
    "  - {name: M2, cycle: exp(50min)}\n"
    "buffers:\n"
    "  - {name: B1, from: M1, to: M2, capacity: 2}\n";

static takt_plant *load(const char *const *sets, int n)
{
    char *errors = NULL;
    takt_plant *p = takt_load_string_with("api.yaml", plant_yaml, strlen(plant_yaml), sets, n,
                                          &errors);
    if (!p) fail_msg("%s", errors ? errors : "no plant");
    assert_null(errors);
    return p;
}

static takt_result *run(const takt_plant *p, int threads)
{
    takt_options *o = takt_options_new();
    assert_non_null(o);
    assert_int_equal(takt_options_set_threads(o, threads), TAKT_OK);
    takt_result *r = NULL;
    char *why = NULL;
    assert_int_equal(takt_simulate(p, o, &r, &why), TAKT_OK);
    assert_null(why);
    takt_options_free(o);
    return r;
}

static void test_status_and_version(void **state)
{
    (void)state;
    for (int s = TAKT_OK; s <= TAKT_ENOTROOT; s++) {
        assert_non_null(takt_strerror((takt_status)s));
        for (int t = TAKT_OK; t < s; t++)
            assert_string_not_equal(takt_strerror((takt_status)s), takt_strerror((takt_status)t));
    }
    assert_string_equal(takt_strerror((takt_status)99), "unknown status");
    assert_string_equal(takt_version(), TAKT_VERSION);
    char v[32];
    snprintf(v, sizeof v, "%d.%d.%d", TAKT_VERSION_MAJOR, TAKT_VERSION_MINOR, TAKT_VERSION_PATCH);
    assert_string_equal(v, TAKT_VERSION);
}

static void test_plant_lists_and_settings(void **state)
{
    (void)state;
    const char *sets[] = { "buffers.B1.capacity=inf", "stations.M2.servers=3" };
    takt_plant *p = load(sets, 2);
    double v;
    assert_string_equal(takt_plant_name(p), "api test");
    assert_int_equal(takt_plant_station_count(p), 2);
    assert_string_equal(takt_plant_station(p, 1), "M2");
    assert_null(takt_plant_station(p, 2));
    assert_int_equal(takt_plant_buffer_count(p), 1);
    assert_string_equal(takt_plant_buffer(p, 0), "B1");
    assert_int_equal(takt_plant_setting(p, "buffers.B1.capacity", &v), TAKT_OK);
    assert_true(isinf(v));
    assert_int_equal(takt_plant_setting(p, "stations.M2.servers", &v), TAKT_OK);
    assert_true(v == 3);
    assert_int_equal(takt_plant_setting(p, "horizon", &v), TAKT_OK);
    assert_true(v == 200 * 3600.0);
    assert_int_equal(takt_plant_setting(p, "stations.M9.servers", &v), TAKT_ENOTFOUND);
    assert_int_equal(takt_plant_setting(p, "colour", &v), TAKT_ENOTFOUND);
    takt_plant_free(p);

    char *errors = NULL;
    const char *bad[] = { "buffers.B1.capacity=-4" };
    assert_null(takt_load_string_with("api.yaml", plant_yaml, strlen(plant_yaml), bad, 1, &errors));
    assert_non_null(errors);
    assert_non_null(strstr(errors, "buffers.B1.capacity=-4"));
    free(errors);
    double d;
    char *why = NULL;
    assert_int_equal(takt_parse_duration("90min", &d, &why), TAKT_OK);
    assert_true(d == 5400);
    assert_int_equal(takt_parse_duration("soon", &d, &why), TAKT_EBADINPUT);
    assert_non_null(why);
    free(why);
}

static void test_options_refuse_out_of_range(void **state)
{
    (void)state;
    takt_options *o = takt_options_new();
    assert_int_equal(takt_options_set_replications(o, 0), TAKT_EBADINPUT);
    assert_int_equal(takt_options_set_replications(o, 1000001), TAKT_EBADINPUT);
    assert_int_equal(takt_options_set_threads(o, 0), TAKT_EBADINPUT);
    assert_int_equal(takt_options_set_horizon(o, 0), TAKT_EBADINPUT);
    assert_int_equal(takt_options_set_horizon(o, NAN), TAKT_EBADINPUT);
    assert_int_equal(takt_options_set_warmup(o, -1), TAKT_EBADINPUT);
    takt_plant *p = load(NULL, 0);
    assert_int_equal(takt_options_replications_for(o, p), 4);
    assert_int_equal(takt_options_set_replications(o, 7), TAKT_OK);
    assert_int_equal(takt_options_replications_for(o, p), 7);
    assert_int_equal(takt_options_replications_for(NULL, p), 4);
    takt_plant_free(p);
    takt_options_free(o);
}

static void cancel_at_second(void *ctx, int rep, double frac)
{
    (void)frac;
    if (rep >= 1) takt_options_cancel(ctx);
}

static void test_cancel_returns_interrupted_and_no_result(void **state)
{
    (void)state;
    takt_plant *p = load(NULL, 0);
    takt_options *o = takt_options_new();
    takt_options_set_replications(o, 40);
    takt_options_set_threads(o, 1);
    takt_options_set_progress(o, cancel_at_second, o);
    takt_result *r = (takt_result *)o;      /* must be reset to NULL */
    assert_int_equal(takt_simulate(p, o, &r, NULL), TAKT_EINTERRUPTED);
    assert_null(r);
    /* a flag of the caller's, already set: stops before anything runs */
    static volatile int flag = 1;
    takt_options_reset_cancel(o);
    takt_options_set_progress(o, NULL, NULL);
    takt_options_set_stop_flag(o, &flag);
    assert_int_equal(takt_simulate(p, o, &r, NULL), TAKT_EINTERRUPTED);
    /* back to its own flag, reset: runs */
    takt_options_set_stop_flag(o, NULL);
    takt_options_set_replications(o, 2);
    assert_int_equal(takt_simulate(p, o, &r, NULL), TAKT_OK);
    assert_int_equal(takt_result_replications(r), 2);
    takt_result_free(r);
    takt_options_free(o);
    takt_plant_free(p);
}

/* The number after `"KEY": {"mean": ` in a JSON report, or NAN. */
static double json_mean(const char *json, const char *key)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s\": {", key);
    const char *at = strstr(json, pat);
    if (!at || !(at = strstr(at, "\"mean\": "))) return NAN;
    return strtod(at + 8, NULL);
}

static void test_figures_agree_with_the_json_report(void **state)
{
    (void)state;
    takt_plant *p = load(NULL, 0);
    takt_result *r = run(p, 2);
    char *json = NULL;
    size_t len = 0;
    assert_int_equal(takt_result_report(r, TAKT_FORMAT_JSON, &json, &len), TAKT_OK);
    assert_int_equal(strlen(json), len);
    int n = takt_result_figure_count(r);
    assert_true(n >= 5);
    for (int i = 0; i < n; i++) {
        const char *key = takt_result_figure_key(r, i);
        double mean = NAN;
        assert_int_equal(takt_result_figure(r, key, &mean, NULL), TAKT_OK);
        if (isnan(json_mean(json, key))) continue;          /* not a {mean, ci95} member */
        assert_true(mean == json_mean(json, key));
    }
    assert_null(takt_result_figure_key(r, n));
    double tp, ci, level;
    assert_int_equal(takt_result_figure(r, "throughput_per_hour", &tp, &ci), TAKT_OK);
    assert_true(tp > 0.5 && tp < 1.0 && ci > 0);
    assert_int_equal(takt_result_figure(r, "delivered", &tp, &ci), TAKT_ENOTFOUND); /* no demand */
    double sum = 0, share;
    for (int q = 0; q < takt_state_count(); q++) {
        assert_int_equal(takt_result_station_state(r, "M1", takt_state_name(q), &share, NULL), TAKT_OK);
        sum += share;
    }
    assert_true(fabs(sum - 1) < 1e-9);
    assert_int_equal(takt_result_station_figure(r, "M1", "sole", &share, &ci), TAKT_OK);
    assert_true(isnan(ci));
    assert_int_equal(takt_result_station_figure(r, "M1", "bottleneck_sole", &tp, NULL), TAKT_OK);
    assert_true(tp == share);
    assert_int_equal(takt_result_buffer_figure(r, "B1", "mean_level", &level, &ci), TAKT_OK);
    assert_true(level > 0 && level < 2);
    assert_int_equal(takt_result_buffer_figure(r, "B2", "mean_level", &level, &ci), TAKT_ENOTFOUND);
    assert_string_equal(takt_result_bottleneck(r), "M1");
    assert_int_equal(takt_result_series_length(r, "daily"), 0);
    const char *key, *label, *unit;
    assert_int_equal(takt_catalogue_entry("state", 0, &key, &label, &unit), TAKT_OK);
    assert_string_equal(key, takt_state_name(0));
    assert_int_equal(takt_catalogue_entry("buffer", 99, &key, NULL, NULL), TAKT_ENOTFOUND);
    assert_int_equal(takt_catalogue_entry("nothing", 0, &key, NULL, NULL), TAKT_ENOTFOUND);
    free(json);

    /* the same numbers with one thread: results never depend on threads */
    takt_result *r1 = run(p, 1);
    char *json1 = NULL;
    assert_int_equal(takt_result_report(r1, TAKT_FORMAT_JSON, &json1, NULL), TAKT_OK);
    assert_int_equal(takt_result_report(r, TAKT_FORMAT_JSON, &json, NULL), TAKT_OK);
    assert_string_equal(json, json1);
    free(json); free(json1);
    char *text = NULL;
    assert_int_equal(takt_result_report(r, TAKT_FORMAT_HTML, &text, NULL), TAKT_OK);
    assert_non_null(strstr(text, "<html"));
    free(text);
    assert_int_equal(takt_result_report(r, TAKT_FORMAT_CSV, &text, NULL), TAKT_OK);
    assert_memory_equal(text, "kpi,mean,ci95\n", 14);
    free(text);
    assert_int_equal(takt_result_report(r, (takt_format)9, &text, NULL), TAKT_EBADINPUT);
    assert_null(text);
    takt_result_free(r1);
    takt_result_free(r);
    takt_plant_free(p);
}

static void test_sweep_results_equal_plain_runs(void **state)
{
    (void)state;
    takt_sweep *s = takt_sweep_new();
    char *why = NULL;
    assert_int_equal(takt_sweep_add(s, "buffers.B1.capacity=1..3", &why), TAKT_OK);
    assert_int_equal(takt_sweep_add(s, "stations.M2.servers=1,2", &why), TAKT_OK);
    assert_int_equal(takt_sweep_add(s, "stations.M2.servers=1..", &why), TAKT_EBADINPUT);
    assert_non_null(why);
    free(why);
    assert_int_equal(takt_sweep_count(s), 6);
    assert_string_equal(takt_sweep_axis(s, 1), "stations.M2.servers");
    assert_string_equal(takt_sweep_value(s, 3, 0), "2");
    assert_string_equal(takt_sweep_setting(s, 3, 1), "stations.M2.servers=2");
    assert_null(takt_sweep_value(s, 6, 0));
    assert_int_equal(takt_sweep_run(s, NULL, NULL), TAKT_EBADINPUT);       /* not loaded */
    assert_int_equal(takt_sweep_load_string(s, "api.yaml", plant_yaml, strlen(plant_yaml), NULL, 0,
                                            &why), TAKT_OK);
    takt_options *o = takt_options_new();
    takt_options_set_threads(o, 2);
    assert_int_equal(takt_sweep_jobs(s, o), 24);
    assert_int_equal(takt_sweep_run(s, o, &why), TAKT_OK);
    for (long c = 0; c < takt_sweep_count(s); c++) {
        const char *sets[] = { takt_sweep_setting(s, c, 0), takt_sweep_setting(s, c, 1) };
        takt_plant *p = load(sets, 2);
        takt_result *own = run(p, 1);
        double a, b;
        takt_result_figure(takt_sweep_result(s, c), "throughput_per_hour", &a, NULL);
        takt_result_figure(own, "throughput_per_hour", &b, NULL);
        assert_true(a == b);
        takt_result_free(own);
        takt_plant_free(p);
    }
    char *table = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&table, &len);
    assert_int_equal(takt_sweep_write(s, TAKT_FORMAT_CSV, m), TAKT_OK);
    assert_int_equal(takt_sweep_write(s, TAKT_FORMAT_HTML, m), TAKT_EBADINPUT);
    fclose(m);
    int lines = 0;
    for (size_t i = 0; i < len; i++) lines += table[i] == '\n';
    assert_int_equal(lines, 7);
    free(table);
    /* a bad value fails at load, naming its combination */
    takt_sweep *bad = takt_sweep_new();
    takt_sweep_add(bad, "buffers.B1.capacity=2,x", NULL);
    assert_int_equal(takt_sweep_load_string(bad, "api.yaml", plant_yaml, strlen(plant_yaml), NULL,
                                            0, &why), TAKT_EBADINPUT);
    assert_non_null(strstr(why, "sweep combination 2 of 2 (buffers.B1.capacity=x)"));
    free(why);
    takt_sweep_free(bad);
    takt_options_free(o);
    takt_sweep_free(s);
}

static void test_store_written_and_read_back(void **state)
{
    (void)state;
    char db[] = "/tmp/takt-api-XXXXXX";
    int fd = mkstemp(db);
    assert_true(fd >= 0);
    close(fd);
    unlink(db);
    takt_plant *p = load(NULL, 0);
    takt_result *r = run(p, 2);
    char *why = NULL;
    long long id = 0;
    assert_int_equal(takt_store_check(db, &why), TAKT_OK);
    for (int k = 1; k <= 2; k++) {
        assert_int_equal(takt_store_record(db, r, "api.yaml", plant_yaml, strlen(plant_yaml),
                                           "api test", 0.5, 0, &id, &why), TAKT_OK);
        assert_int_equal(id, k);
    }
    takt_store *st = NULL;
    assert_int_equal(takt_store_open(db, &st, &why), TAKT_OK);
    assert_int_equal(takt_store_run_count(st), 2);
    assert_int_equal(takt_store_run_id(st, 1), 2);
    assert_string_equal(takt_store_run_text(st, 0, "plant"), "api test");
    assert_string_equal(takt_store_run_text(st, 0, "command_line"), "api test");
    assert_null(takt_store_run_text(st, 0, "colour"));
    double mean, ci, want, want_ci;
    takt_result_figure(r, "throughput_per_hour", &want, &want_ci);
    assert_int_equal(takt_store_run_figure(st, 1, "throughput_per_hour", &mean, &ci), TAKT_OK);
    assert_true(mean == want && ci == want_ci);
    assert_int_equal(takt_store_run_figure(st, 0, "replications", &mean, NULL), TAKT_OK);
    assert_true(mean == 4);
    assert_int_equal(takt_store_run_figure(st, 2, "replications", &mean, NULL), TAKT_ENOTFOUND);
    takt_store_close(st);
    FILE *devnull = fopen("/dev/null", "w");
    assert_int_equal(takt_store_print_run(db, 2, devnull, &why), TAKT_OK);
    assert_int_equal(takt_store_print_run(db, 3, devnull, &why), TAKT_ENOTFOUND);
    assert_non_null(why);
    free(why);
    fclose(devnull);
    unlink(db);
    assert_int_equal(takt_store_open(db, &st, &why), TAKT_ENOTFOUND);
    assert_null(st);
    free(why);
    takt_result_free(r);
    takt_plant_free(p);
}

/* The estimate through the API: a number where the method applies (never
 * above the first machine's rate of 1/h, its cycle being exp(1h)), its
 * reports, and no number where it does not. */
static void test_estimate(void **state)
{
    (void)state;
    takt_plant *p = load(NULL, 0);
    takt_estimate *e = NULL;
    assert_int_equal(takt_estimate_plant(p, &e), TAKT_OK);
    double tp = 0;
    if (takt_estimate_applicable(e)) {
        assert_int_equal(takt_estimate_figure(e, "throughput_per_hour", &tp), TAKT_OK);
        assert_true(tp > 0.3 && tp < 1.0);
    } else {
        assert_int_equal(takt_estimate_figure(e, "throughput_per_hour", &tp), TAKT_ENOTFOUND);
    }
    assert_int_equal(takt_estimate_figure(e, "colour", &tp), TAKT_ENOTFOUND);
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    assert_int_equal(takt_estimate_write(e, TAKT_FORMAT_JSON, m), TAKT_OK);
    assert_int_equal(takt_estimate_write(e, TAKT_FORMAT_HTML, m), TAKT_EBADINPUT);
    fclose(m);
    assert_true(len > 2 && text[0] == '{');
    free(text);
    takt_estimate_free(e);
    takt_plant_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_and_version),
        cmocka_unit_test(test_plant_lists_and_settings),
        cmocka_unit_test(test_options_refuse_out_of_range),
        cmocka_unit_test(test_cancel_returns_interrupted_and_no_result),
        cmocka_unit_test(test_figures_agree_with_the_json_report),
        cmocka_unit_test(test_sweep_results_equal_plain_runs),
        cmocka_unit_test(test_store_written_and_read_back),
        cmocka_unit_test(test_estimate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
