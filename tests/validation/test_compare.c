/*
 * test_compare.c — the intervals of `takt compare`, against theory.
 *
 *   - The paired interval is the textbook one (mean of the differences ±
 *     t(0.975, n-1) s_d / √n), computed here independently on known
 *     numbers with the t quantile from a table.
 *   - Welch's degrees of freedom and interval match a hand computation
 *     (the reference values below were computed with 30-digit arithmetic:
 *     mpmath, the t quantile as the root of the regularised incomplete
 *     beta function).
 *   - The t quantile for a real df agrees with those references to 1e-9
 *     and with the table at whole dfs exactly.
 *   - Two runs of one plant on the same seed, the second with one setting
 *     changed, paired by replication through the run store, give the
 *     paired interval of the stored per-replication values exactly, and
 *     it is narrower than Welch's interval on the same values: common
 *     random numbers correlate the runs.  With a fixed seed this is
 *     deterministic; the ratio (0.23 here) is far from 1, so the
 *     assertion does not hang on the seed.
 *   - Each headline figure's per-replication values average to the
 *     summary's mean (so a figure added to the catalogue with an interval
 *     and no per-replication value is caught).
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
#include "core/diffci.h"
#include "core/stats.h"
#include "exp/catalogue_rep.h"
#include "io/store.h"

#define REL(x, want, tol) assert_true(fabs((x) - (want)) <= (tol) * fabs(want))

/* ---- known numbers ------------------------------------------------------- */

static void test_paired_is_the_textbook_interval(void **state)
{
    (void)state;
    const double a[] = { 20.1, 18.4, 22.7, 19.9, 21.3 };
    const double b[] = { 21.0, 19.6, 23.1, 21.2, 22.0 };
    /* by hand: d = 0.9, 1.2, 0.4, 1.3, 0.7; mean 0.9; squared deviations
     * 0, 0.09, 0.25, 0.16, 0.04 sum to 0.54, s_d² = 0.135; t(0.975, 4) =
     * 2.7764451051977943 (tables) */
    double sd = sqrt(0.54 / 4), half = 2.7764451051977943 * sd / sqrt(5.0);
    diff_ci d = diffci_paired(a, b, 5);
    REL(d.mean, 0.9, 1e-12);
    REL(d.half, half, 1e-12);
    assert_true(d.df == 4);
    /* one pair: a mean, no interval */
    d = diffci_paired(a, b, 1);
    REL(d.mean, 0.9, 1e-12);
    assert_true(isnan(d.half) && isnan(d.df));
    /* a run against itself: 0 ± 0 */
    d = diffci_paired(a, a, 5);
    assert_true(d.mean == 0 && d.half == 0);
}

static void test_welch_matches_a_hand_computation(void **state)
{
    (void)state;
    const double a[] = { 10, 12, 9, 11, 13 };
    const double b[] = { 14, 18, 11, 20, 16, 15, 19 };
    /* by hand: means 11 and 113/7, variances 2.5 and 103/10.5 */
    double ma = 11, va = 2.5, mb = 113.0 / 7, vb = (103.0 / 10.5);
    double qa = va / 5, qb = vb / 7;
    double df = (qa + qb) * (qa + qb) / (qa * qa / 4 + qb * qb / 6);
    REL(df, 9.2743825977270197742, 1e-13);                    /* 30-digit reference */
    double half = 2.2519962587646920474 * sqrt(qa + qb);       /* t(0.975, 9.274...) */
    REL(half, 3.1052738311697465854, 1e-13);
    /* the sample deviations, as compare computes them from the values */
    double sa = 0, sb = 0;
    for (int i = 0; i < 5; i++) sa += (a[i] - ma) * (a[i] - ma);
    for (int i = 0; i < 7; i++) sb += (b[i] - mb) * (b[i] - mb);
    diff_ci d = diffci_welch(ma, sqrt(sa / 4), 5, mb, sqrt(sb / 6), 7);
    REL(d.mean, 36.0 / 7, 1e-13);
    REL(d.df, 9.2743825977270197742, 1e-12);
    REL(d.half, 3.1052738311697465854, 1e-9);
    /* the same from the summaries' half-widths (what an old store has) */
    double ha, hb, m;
    ci95(a, 5, &m, &ha);
    ci95(b, 7, &m, &hb);
    diff_ci e = diffci_welch(ma, diffci_sd_from_half(ha, 5), 5, mb, diffci_sd_from_half(hb, 7), 7);
    REL(e.df, d.df, 1e-12);
    REL(e.half, d.half, 1e-12);
    /* too few observations: no interval; no spread at all: exactly 0 */
    d = diffci_welch(1, 0.5, 1, 2, 0.5, 5);
    assert_true(isnan(d.half));
    d = diffci_welch(1, 0, 5, 2, 0, 5);
    assert_true(d.half == 0 && d.mean == 1);
}

static void test_t_quantile_for_real_df(void **state)
{
    (void)state;
    /* 30-digit references (see the top) */
    const struct { double df, t; } ref[] = {
        { 1.2, 8.6488265107488733471 }, { 2.5, 3.5746548420036832185 },
        { 7.3, 2.345066736547703644 }, { 8.806, 2.2697768256207941082 },
        { 45.6, 2.0133721910852210218 },
    };
    for (size_t i = 0; i < sizeof ref / sizeof *ref; i++) REL(student_t975_real(ref[i].df), ref[i].t, 1e-9);
    for (int df = 1; df <= 60; df++) assert_true(student_t975_real(df) == student_t975(df));
    /* it falls as df grows, between the whole dfs around */
    for (double df = 1.05; df < 40; df += 0.37) {
        double t = student_t975_real(df);
        assert_true(t < student_t975((int)floor(df)) && t > student_t975((int)floor(df) + 1));
    }
    assert_true(student_t975_real(0.5) == 0);
}

/* ---- paired runs through the store ------------------------------------------ */

static const char line_yaml[] =
    "name: two machines\n"
    "horizon: 2000h\n"
    "warmup: 100h\n"
    "replications: 10\n"
    "seed: 42\n"
    "stations:\n"
    "  - name: M1\n"
    "    cycle: exp(1h)\n"
    "    failures:\n"
    "      - {ttf: exp(100h), ttr: exp(10h)}\n"
    "  - {name: M2, cycle: \"tri(50min, 1h, 70min)\", servers: 2}\n"
    "buffers:\n"
    "  - {name: B1, from: M1, to: M2, capacity: 3}\n";

static takt_summary *simulate(const char *const *sets, int nsets, takt_plant **plant)
{
    char *errors = NULL;
    exp_options o;
    takt_summary *s = NULL;
    *plant = takt_load_string_with("line.yaml", line_yaml, strlen(line_yaml), sets, nsets, &errors);
    if (!*plant) fail_msg("cannot load: %s", errors ? errors : "?");
    exp_options_default(&o);
    o.threads = 1;
    o.bottleneck = EXP_BN_ACTIVE;
    assert_int_equal(exp_run(*plant, &o, &s), 0);
    return s;
}

/* The number after `"key": ` following `from` in text. */
static double json_number_after(const char *text, const char *from, const char *key)
{
    const char *p = strstr(text, from);
    char pat[64];
    assert_non_null(p);
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    p = strstr(p, pat);
    assert_non_null(p);
    return strtod(p + strlen(pat), NULL);
}

static long long record(const char *db, const takt_summary *s, const char *const *sets, int nsets)
{
    char err[512];
    store_meta m;
    memset(&m, 0, sizeof m);
    m.plant_file = "line.yaml";
    m.plant_text = line_yaml;
    m.plant_len = strlen(line_yaml);
    m.settings = sets;
    m.nsettings = nsets;
    long long id = store_record(db, s, &m, err, sizeof err);
    if (id < 0) fail_msg("%s", err);
    return id;
}

static void test_paired_runs_are_narrower_than_welch(void **state)
{
    (void)state;
    const char *faster[] = { "stations.M1.cycle=exp(50min)" };
    takt_plant *pa, *pb;
    takt_summary *a = simulate(NULL, 0, &pa), *b = simulate(faster, 1, &pb);
    const figure_def *rate = catalogue_throughput();
    int n = a->replications;
    double va[64], vb[64];
    assert_true(n >= 2 && n <= 64 && b->replications == n);
    for (int i = 0; i < n; i++) {
        va[i] = catalogue_rep_value(rate, a, i);
        vb[i] = catalogue_rep_value(rate, b, i);
    }
    diff_ci paired = diffci_paired(va, vb, n);
    double ma, ha, mb, hb;
    ci95(va, n, &ma, &ha);
    ci95(vb, n, &mb, &hb);
    diff_ci welch = diffci_welch(ma, diffci_sd_from_half(ha, n), n, mb, diffci_sd_from_half(hb, n), n);
    REL(paired.mean, welch.mean, 1e-9);
    print_message("throughput gain %.4f: paired ± %.4f, Welch ± %.4f (ratio %.2f)\n", paired.mean,
                  paired.half, welch.half, paired.half / welch.half);
    assert_true(paired.half < welch.half);
    assert_true(paired.mean - paired.half > 0);     /* a faster M1 raises the output */

    /* through the store: compare pairs the two runs and gives exactly
     * that interval; against a run on another seed, Welch's */
    char dir[] = "/tmp/takt-compare.XXXXXX", db[128], err[512];
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/runs.db", dir);
    assert_int_equal(record(db, a, NULL, 0), 1);
    assert_int_equal(record(db, b, faster, 1), 2);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(store_compare_json(db, 1, 2, f, err, sizeof err), 0);
    fclose(f);
    assert_non_null(strstr(text, "\"method\": \"paired\""));
    assert_non_null(strstr(text, "\"settings\""));
    assert_non_null(strstr(text, "\"stations.M1.cycle\": \"exp(50min)\""));
    const char *kpi = "\"throughput_per_hour\": {\n      \"a\"";
    assert_true(json_number_after(text, kpi, "mean") == ma);
    const char *diff = strstr(strstr(text, kpi), "\"difference\"");
    assert_true(json_number_after(diff, "\"difference\"", "mean") == paired.mean);
    assert_true(json_number_after(diff, "\"difference\"", "ci95") == paired.half);
    free(text);

    /* the same runs, another seed for the second: Welch's */
    exp_options o;
    takt_summary *c = NULL;
    exp_options_default(&o);
    o.threads = 1; o.bottleneck = EXP_BN_ACTIVE; o.seed = 7; o.have_seed = 1;
    assert_int_equal(exp_run(pb, &o, &c), 0);
    assert_int_equal(record(db, c, faster, 1), 3);
    text = NULL;
    f = open_memstream(&text, &len);
    assert_int_equal(store_compare_json(db, 1, 3, f, err, sizeof err), 0);
    fclose(f);
    assert_non_null(strstr(text, "\"method\": \"welch\""));
    assert_non_null(strstr(text, "\"seed\""));
    free(text);

    char path[192];
    const char *names[] = { "runs.db", "runs.db-wal", "runs.db-shm" };
    for (size_t i = 0; i < 3; i++) { snprintf(path, sizeof path, "%s/%s", dir, names[i]); unlink(path); }
    rmdir(dir);
    summary_free(a); summary_free(b); summary_free(c);
    takt_plant_free(pa); takt_plant_free(pb);
}

/* ---- per-replication values ------------------------------------------------- */

static void check_rep_means(const char *yaml)
{
    char *errors = NULL;
    exp_options o;
    takt_summary *s = NULL;
    takt_plant *p = takt_load_string("plant.yaml", yaml, strlen(yaml), &errors);
    if (!p) fail_msg("cannot load: %s", errors ? errors : "?");
    exp_options_default(&o);
    o.threads = 1; o.bottleneck = EXP_BN_ACTIVE;
    assert_int_equal(exp_run(p, &o, &s), 0);
    int checked = 0;
    for (int k = 0; k < catalogue_nheadline; k++) {
        const figure_def *fd = &catalogue_headline[k];
        if (!fd->tabled || !catalogue_holds(fd, s) || fd->kind != CAT_KPI) continue;
        if (!catalogue_has_reps(fd)) fail_msg("%s has an interval but no per-replication values", fd->key);
        double sum = 0;
        for (int r = 0; r < s->replications; r++) sum += catalogue_rep_value(fd, s, r);
        kpi v = catalogue_value(fd, s);
        if (fabs(sum / s->replications - v.mean) > 1e-12 * fabs(v.mean))
            fail_msg("%s: mean of the replications %.17g, summary %.17g", fd->key, sum / s->replications, v.mean);
        checked++;
    }
    assert_true(checked >= 5);
    assert_true(isnan(catalogue_rep_value(catalogue_throughput(), s, s->replications)));
    summary_free(s);
    takt_plant_free(p);
}

static void test_rep_values_average_to_the_summary(void **state)
{
    (void)state;
    check_rep_means(line_yaml);
    check_rep_means("name: demand\n"
                    "start: 2024-01-01\n"
                    "until: 2024-01-30\n"
                    "replications: 3\n"
                    "seed: 11\n"
                    "stations:\n"
                    "  - {name: line, cycle: exp(10min)}\n"
                    "demand:\n"
                    "  orders:\n"
                    "    - {from: 2024-01-02, per_day: 50}\n"
                    "  delivery: 3d\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paired_is_the_textbook_interval),
        cmocka_unit_test(test_welch_matches_a_hand_computation),
        cmocka_unit_test(test_t_quantile_for_real_df),
        cmocka_unit_test(test_paired_runs_are_narrower_than_welch),
        cmocka_unit_test(test_rep_values_average_to_the_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
