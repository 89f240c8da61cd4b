/*
 * test_catalogue.c — the results catalogue and the one bottleneck.
 *
 * Every state has a key, a label, a colour and its own place in a stacked
 * bar; keys are unique; every figure reads the field it names (each field
 * of a hand-made summary gets a distinct value, and each row must return
 * exactly that one).  The active-period pick is the station with the
 * largest sole + shifting share, or, when none was ever the bottleneck,
 * the one active the longest; the bottleneck a report names is the
 * summary's (that pick, or the station paired improvement runs confirmed),
 * and the text and HTML reports, the sweep's CSV and the name all give that
 * same station (the text and HTML reports used to disagree on it).
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
#include "io/report.h"
#include "io/report_sweep.h"

static const char line_yaml[] =
    "name: three\n"
    "horizon: 100h\n"
    "replications: 2\n"
    "stations:\n"
    "  - {name: A, cycle: 1h}\n"
    "  - {name: B, cycle: 1h}\n"
    "  - {name: C, cycle: 1h}\n"
    "buffers:\n"
    "  - {name: AB, from: A, to: B, capacity: 2}\n"
    "  - {name: BC, from: B, to: C, capacity: 2}\n";

static void test_states(void **state)
{
    (void)state;
    int seen[NSTATES] = { 0 };
    for (int q = 0; q < NSTATES; q++) {
        const state_def *d = &catalogue_states[q];
        assert_non_null(d->key);
        assert_non_null(d->label);
        assert_non_null(d->color);
        int k = catalogue_state_at(q);
        assert_true(k >= 0 && k < NSTATES);
        seen[k]++;
        if (q > 0)                  /* stacked in the order of their keys */
            assert_true(catalogue_states[catalogue_state_at(q - 1)].stack <= catalogue_states[k].stack);
        for (int r = 0; r < q; r++) {
            assert_string_not_equal(d->key, catalogue_states[r].key);
            assert_string_not_equal(d->label, catalogue_states[r].label);
        }
    }
    for (int k = 0; k < NSTATES; k++) assert_int_equal(seen[k], 1);
    /* working is busy and active, blocked neither: the two derived shares */
    assert_true(catalogue_states[ST_WORKING].busy && catalogue_states[ST_WORKING].active);
    assert_false(catalogue_states[ST_BLOCKED].busy || catalogue_states[ST_BLOCKED].active);
}

/* Fill every double of a struct with its index + 1, so each field holds
 * a value no other field holds. */
static void number_fields(void *base, size_t size)
{
    double *d = base;
    for (size_t i = 0; i < size / sizeof *d; i++) d[i] = (double)i + 1;
}

static void check_table(const figure_def *t, int n, const void *base)
{
    for (int i = 0; i < n; i++) {
        assert_non_null(t[i].key);
        assert_non_null(t[i].label);
        assert_non_null(t[i].unit);
        for (int j = 0; j < i; j++)
            if (!t[i].group && !t[j].group) assert_string_not_equal(t[i].key, t[j].key);
        if (t[i].group) assert_non_null(t[i].member);
        kpi k = catalogue_value(&t[i], base);
        double want;
        memcpy(&want, (const char *)base + t[i].offset, sizeof want);
        if (t[i].kind == CAT_COUNT) continue;       /* a long, checked below */
        assert_true(k.mean == want);
        if (t[i].kind == CAT_KPI) {
            double ci;
            memcpy(&ci, (const char *)base + t[i].offset + sizeof(double), sizeof ci);
            assert_true(k.ci95 == ci);
        } else {
            assert_true(isnan(k.ci95));
        }
    }
}

static void test_figures_read_their_fields(void **state)
{
    (void)state;
    takt_summary s;
    station_sum st;
    buffer_sum b;
    day_sum d;
    month_sum m;
    workshop_sum w;
    memset(&s, 0, sizeof s);
    number_fields(&st, sizeof st);
    number_fields(&b, sizeof b);
    number_fields(&d, sizeof d);
    number_fields(&w, sizeof w);
    memset(&m, 0, sizeof m);
    m.produced = (kpi){ 1, 2 }; m.delivered = (kpi){ 3, 4 }; m.backlog_end = (kpi){ 5, 6 };
    s.throughput_per_hour = (kpi){ 1, 2 };
    s.lead_time_s = (kpi){ 3, 4 };
    s.wip = (kpi){ 5, 6 };
    s.produced = (kpi){ 7, 8 };
    s.scrapped = (kpi){ 9, 10 };
    s.delivered = (kpi){ 11, 12 };
    s.wait_mean_w = 13; s.wait_p50_w = 14; s.wait_p90_w = 15; s.wait_n = 16;
    check_table(catalogue_headline, catalogue_nheadline, &s);
    check_table(catalogue_station, catalogue_nstation, &st);
    check_table(catalogue_workshop, catalogue_nworkshop, &w);
    check_table(catalogue_buffer, catalogue_nbuffer, &b);
    check_table(catalogue_daily, catalogue_ndaily, &d);
    check_table(catalogue_monthly, catalogue_nmonthly, &m);
    const figure_def *n = catalogue_find("customer_deliveries");
    assert_non_null(n);
    assert_true(catalogue_value(n, &s).mean == 16);
    assert_int_equal(catalogue_find("lead_time_s")->offset, offsetof(takt_summary, lead_time_s));
    assert_null(catalogue_find("no such figure"));
    assert_string_equal(catalogue_throughput()->key, "throughput_per_hour");
}

/* ---- the bottleneck ---------------------------------------------------------- */

typedef struct fixture {
    takt_plant *plant;
    takt_summary s;
    station_sum st[3];
    buffer_sum b[2];
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    char *errors = NULL;
    fx->plant = takt_load_string("three.yaml", line_yaml, strlen(line_yaml), &errors);
    if (!fx->plant) return -1;
    fx->s.plant = fx->plant;
    fx->s.replications = 2;
    fx->s.horizon = 360000;
    fx->s.stations = fx->st;
    fx->s.buffers = fx->b;
    fx->s.wait_mean_w = fx->s.wait_p50_w = fx->s.wait_p90_w = NAN;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    takt_plant_free(fx->plant);
    free(fx);
    return 0;
}

static char *text_of(const takt_summary *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(report_text(f, s), 0);
    fclose(f);
    return text;
}

/* The stations table marks the station `name` and no other. */
static void assert_marked(const char *text, const char *name)
{
    const char *mark = strstr(text, "\xe2\x97\x80 bottleneck");   /* "◀ bottleneck" */
    assert_non_null(mark);
    assert_null(strstr(mark + 1, "\xe2\x97\x80 bottleneck"));
    const char *line = mark;
    while (line > text && line[-1] != '\n') line--;
    char want[32];
    snprintf(want, sizeof want, "  %s ", name);
    assert_memory_equal(line, want, strlen(want));
}

/* The HTML flow diagram marks the station `name`, and only it. */
static void assert_html_marks(const takt_summary *s, const char *name)
{
    char *html = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&html, &len);
    assert_int_equal(report_html(f, s), 0);
    fclose(f);
    char *mark = strstr(html, ">BOTTLENECK<");
    assert_non_null(mark);
    assert_null(strstr(mark + 1, ">BOTTLENECK<"));
    *mark = 0;
    char *label = strrchr(html, '\n');            /* the node is one line */
    assert_non_null(label);
    label = strstr(label, "class='nn'");
    assert_non_null(label);
    label = strchr(label, '>') + 1;
    assert_memory_equal(label, name, strlen(name));
    assert_int_equal(label[strlen(name)], '<');
    free(html);
}

static char *sweep_csv_of(takt_summary *s)
{
    char *text = NULL;
    size_t len = 0;
    sweep_spec spec;
    memset(&spec, 0, sizeof spec);
    takt_summary *sums[1] = { s };
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(report_sweep_csv(f, &spec, sums, 1), 0);
    fclose(f);
    return text;
}

/* The last cell of the CSV's second line. */
static void assert_csv_bottleneck(char *csv, const char *want)
{
    char *row = strchr(csv, '\n');
    assert_non_null(row);
    char *end = strchr(row + 1, '\n');
    assert_non_null(end);
    *end = 0;
    char *cell = strrchr(row + 1, ',');
    assert_non_null(cell);
    assert_string_equal(cell + 1, want);
}

static void test_bottleneck_largest_share(void **state)
{
    fixture *fx = *state;
    fx->st[0].bn_sole.mean = 0.1;
    fx->st[1].bn_sole.mean = 0.3; fx->st[1].bn_shifting.mean = 0.25;
    fx->st[2].bn_sole.mean = 0.5;
    for (int i = 0; i < 3; i++) fx->st[i].state[ST_WORKING].mean = 0.9 - 0.2 * i;
    assert_int_equal(summary_active_period_pick(&fx->s), 1);   /* 0.55 beats 0.5 and the busiest */
    fx->s.bottleneck.station = summary_active_period_pick(&fx->s);
    fx->s.bottleneck.method = BN_ACTIVE_PERIOD;
    assert_int_equal(summary_bottleneck(&fx->s), 1);
    assert_true(fabs(summary_bottleneck_share(&fx->st[1]) - 0.55) < 1e-15);
    char *text = text_of(&fx->s);
    assert_non_null(strstr(text, "station B (55 %"));
    assert_marked(text, "B");
    free(text);
    assert_html_marks(&fx->s, "B");
    char *csv = sweep_csv_of(&fx->s);
    assert_csv_bottleneck(csv, "B");
    free(csv);
    assert_string_equal(report_bottleneck_name(&fx->s), "B");
}

static void test_bottleneck_without_shares(void **state)
{
    fixture *fx = *state;
    /* never a bottleneck by the active-period method: the station active
     * (working, setup or failed) the longest, not the one working most */
    fx->st[0].state[ST_WORKING].mean = 0.5;
    fx->st[1].state[ST_WORKING].mean = 0.3; fx->st[1].state[ST_FAILED].mean = 0.3;
    fx->st[2].state[ST_WORKING].mean = 0.2; fx->st[2].state[ST_BLOCKED].mean = 0.7;
    assert_int_equal(summary_active_period_pick(&fx->s), 1);
    fx->s.bottleneck.station = summary_active_period_pick(&fx->s);
    fx->s.bottleneck.method = BN_ACTIVE_PERIOD;
    assert_int_equal(summary_bottleneck(&fx->s), 1);
    char *text = text_of(&fx->s);
    assert_non_null(strstr(text, "station B (0 %"));
    assert_marked(text, "B");
    assert_html_marks(&fx->s, "B");
    free(text);
    char *csv = sweep_csv_of(&fx->s);
    assert_csv_bottleneck(csv, "B");
    free(csv);
}

/* Paired runs confirmed C although the active-period pick is B: every
 * report names C, with the gain of its improvement. */
static void test_bottleneck_confirmed_by_paired_runs(void **state)
{
    fixture *fx = *state;
    fx->st[1].bn_sole.mean = 0.9;
    fx->st[2].state[ST_WORKING].mean = 0.95;
    station_gain g[2] = { { 2, { 1.25, 0.05 }, 4 }, { 1, { 0, 0 }, 4 } };
    fx->s.bottleneck = (bottleneck_sum){ 2, BN_PAIRED_IMPROVEMENT, 0.1, { 1.25, 0.05 }, g, 2 };
    assert_int_equal(summary_active_period_pick(&fx->s), 1);
    assert_int_equal(summary_bottleneck(&fx->s), 2);
    char *text = text_of(&fx->s);
    assert_non_null(strstr(text, "station C (a 10 % shorter cycle: +1.25 ± 0.050 parts/h; paired runs of 2 candidates)"));
    assert_marked(text, "C");
    free(text);
    assert_html_marks(&fx->s, "C");
    char *csv = sweep_csv_of(&fx->s);
    assert_csv_bottleneck(csv, "C");
    free(csv);
    assert_string_equal(report_bottleneck_name(&fx->s), "C");
    fx->s.bottleneck.candidates = NULL;             /* the fixture's, not the heap's */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bottleneck_confirmed_by_paired_runs, setup, teardown),
        cmocka_unit_test(test_states),
        cmocka_unit_test(test_figures_read_their_fields),
        cmocka_unit_test_setup_teardown(test_bottleneck_largest_share, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bottleneck_without_shares, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
