/*
 * test_load.c — the plant-file loader: durations and distributions as
 * text, the YAML reader's refusals and limits, every class of loader
 * message at its exact line and column, and the whole-plant checks.
 *
 * Messages are matched on their key phrase, positions exactly: the
 * position is what a user's editor jumps to, the wording may be polished.
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
#include "io/load.h"
#include "io/distparse.h"

static const char example_plant[] =
    "name: two machines and a buffer\n"                         /* 1 */
    "horizon: 20000h          # measured time, after warm-up\n" /* 2 */
    "warmup: 500h\n"                                            /* 3 */
    "replications: 10\n"                                        /* 4 */
    "seed: 42\n"                                                /* 5 */
    "sources:                 # optional\n"                     /* 6 */
    "  - {name: arrivals, interarrival: exp(1.2h), to: M1}\n"   /* 7 */
    "stations:\n"                                               /* 8 */
    "  - name: M1\n"                                            /* 9 */
    "    cycle: exp(1h)\n"                                      /* 10 */
    "    failures:\n"                                           /* 11 */
    "      - {ttf: exp(100h), ttr: exp(10h)}\n"                 /* 12 */
    "  - name: M2\n"                                            /* 13 */
    "    cycle: tri(50min, 1h, 70min)\n"                        /* 14 */
    "    servers: 2\n"                                          /* 15 */
    "buffers:\n"                                                /* 16 */
    "  - {name: B1, from: M1, to: M2, capacity: 3}\n";          /* 17 */

/* ---- helpers -------------------------------------------------------------- */

/* cmocka 1.1.5 has no double assertion; tol is absolute. */
#define assert_near(a, b, tol) assert_near_at((a), (b), (tol), __FILE__, __LINE__)

static void assert_near_at(double a, double b, double tol, const char *file, int line)
{
    if (!(fabs(a - b) <= tol))
        fail_msg("%s:%d: %.17g is not %.17g (within %g)", file, line, a, b, tol);
}

static takt_plant *load_text(const char *yaml, diags *d)
{
    diags_init(d, "t.yaml");
    return load_plant_string(yaml, strlen(yaml), d);
}

static void print_diags(const diags *d)
{
    char line[1024];
    for (int i = 0; i < d->n; i++) {
        diags_format(d, i, line, sizeof line);
        print_message("  %s\n", line);
    }
}

/* A diagnostic at exactly line:col whose message contains phrase. */
static int has_diag(const diags *d, int line, int col, const char *phrase)
{
    for (int i = 0; i < d->n; i++)
        if (d->v[i].line == line && d->v[i].col == col && d->v[i].msg
            && strstr(d->v[i].msg, phrase))
            return 1;
    print_message("no diagnostic at %d:%d with \"%s\"; got:\n", line, col, phrase);
    print_diags(d);
    return 0;
}

/* Load text that must fail with exactly `count` problems, one of them at
 * line:col containing phrase. */
static void expect_error(const char *yaml, int count, int line, int col, const char *phrase)
{
    diags d;
    takt_plant *p = load_text(yaml, &d);
    assert_null(p);
    assert_true(has_diag(&d, line, col, phrase));
    if (count > 0 && d.n != count) {
        print_message("expected %d diagnostics, got %d:\n", count, d.n);
        print_diags(&d);
        fail();
    }
    diags_free(&d);
}

static void expect_duration(const char *text, double seconds)
{
    double x = -1;
    char err[256] = "";
    if (parse_duration(text, &x, err, sizeof err) != 0)
        fail_msg("'%s' was refused: %s", text, err);
    assert_near(x, seconds, 1e-9 * seconds);
}

static void expect_duration_error(const char *text, const char *phrase)
{
    double x;
    char err[256] = "";
    assert_int_equal(parse_duration(text, &x, err, sizeof err), -1);
    if (!strstr(err, phrase))
        fail_msg("'%s': message \"%s\" lacks \"%s\"", text, err, phrase);
}

static void expect_dist_error(const char *text, const char *phrase)
{
    dist d;
    char err[256] = "";
    assert_int_equal(parse_dist(text, &d, err, sizeof err), -1);
    assert_null(d.values);
    if (!strstr(err, phrase))
        fail_msg("'%s': message \"%s\" lacks \"%s\"", text, err, phrase);
}

static dist expect_dist(const char *text, dist_kind kind)
{
    dist d;
    char err[256] = "";
    if (parse_dist(text, &d, err, sizeof err) != 0)
        fail_msg("'%s' was refused: %s", text, err);
    assert_int_equal(d.kind, kind);
    return d;
}

/* ---- durations and distributions ------------------------------------------ */

static void test_durations(void **state)
{
    (void)state;
    expect_duration("90s", 90);
    expect_duration("90", 90);
    expect_duration("1.5h", 5400);
    expect_duration("2 min", 120);
    expect_duration("  3d ", 3 * 86400);
    expect_duration("1w", 7 * 86400);
    expect_duration("1e3", 1000);
    expect_duration(".5min", 30);
    expect_duration("0", 0);
}

static void test_duration_errors(void **state)
{
    (void)state;
    expect_duration_error("5 mins", "unknown unit 'mins' in '5 mins' (expected s, min, h, d or w; "
                          "did you mean 'min'?)");
    expect_duration_error("3hrs", "did you mean 'h'?");
    expect_duration_error("2 hr", "did you mean 'h'?");
    expect_duration_error("10 sec", "did you mean 's'?");
    expect_duration_error("10secs", "did you mean 's'?");
    expect_duration_error("2 days", "did you mean 'd'?");
    expect_duration_error("1 week", "did you mean 'w'?");
    expect_duration_error("5m", "'m' in '5m' is ambiguous: write min");
    expect_duration_error("5 parsecs", "unknown unit 'parsecs'");
    expect_duration_error("-1h", "negative");
    expect_duration_error("nan", "not a finite number");
    expect_duration_error(".inf", "not a finite number");
    expect_duration_error("inf", "not a finite number");
    expect_duration_error("1e400", "too large");
    expect_duration_error("1e305w", "too large");
    expect_duration_error("fast", "not a duration");
    expect_duration_error("1h30min", "not a duration");
    expect_duration_error("0x10", "not a duration");
    expect_duration_error("", "empty");
}

static void test_dists(void **state)
{
    (void)state;
    dist d = expect_dist("exp(1h)", DIST_EXP);
    assert_near(d.p[0], 3600, 0);
    d = expect_dist("30min", DIST_CONST);
    assert_near(d.p[0], 1800, 0);
    d = expect_dist("const(2s)", DIST_CONST);
    assert_near(d.p[0], 2, 0);
    d = expect_dist(" tri( 50min ,1h,70 min ) ", DIST_TRI);
    assert_near(d.p[0], 3000, 0);
    assert_near(d.p[1], 3600, 0);
    assert_near(d.p[2], 4200, 0);
    d = expect_dist("uniform(1, 2min)", DIST_UNIFORM);
    assert_near(d.p[1], 120, 0);
    d = expect_dist("normal(1h, 10min)", DIST_NORMAL);
    assert_near(d.p[1], 600, 0);
    d = expect_dist("lognormal(1h, 30min)", DIST_LOGNORMAL);
    assert_near(d.p[0], 3600, 0);
    d = expect_dist("erlang(3, 1h)", DIST_ERLANG);
    assert_near(d.p[0], 3, 0);
    assert_near(d.p[1], 3600, 0);
    d = expect_dist("gamma(2, 30min)", DIST_GAMMA);
    assert_near(d.p[0], 2, 0);
    assert_near(d.p[1], 1800, 0);
    d = expect_dist("weibull(1.5, 2h)", DIST_WEIBULL);
    assert_near(d.p[1], 7200, 0);
    d = expect_dist("empirical(1min, 2min, 4min)", DIST_EMPIRICAL);
    assert_int_equal(d.nvalues, 3);
    assert_near(d.values[2], 240, 0);
    free(d.values);
}

static void test_dist_errors(void **state)
{
    (void)state;
    expect_dist_error("exp(-1h)", "negative");
    expect_dist_error("tri(3,2,1)", "tri(");
    expect_dist_error("normal(1h)", "normal() takes 2 parameters (mean, sd), got 1");
    expect_dist_error("tri(1h, 2h)", "tri() takes 3 parameters (min, mode, max), got 2");
    expect_dist_error("exp()", "exp() takes 1 parameter (mean), got 0");
    expect_dist_error("empirical()", "at least 1");
    expect_dist_error("empirical(1h, -2h)", "negative");
    expect_dist_error("expo(1h)", "unknown distribution 'expo' (expected const, exp, uniform, tri, "
                      "normal, lognormal, erlang, gamma, weibull or empirical; did you mean 'exp'?)");
    expect_dist_error("triangular(1, 2, 3)", "did you mean 'tri'?");
    expect_dist_error("tri(1h", "unbalanced '(' in 'tri(1h'");
    expect_dist_error("exp(1h))", "unbalanced ')'");
    expect_dist_error("exp(1h) + 2", "unexpected text after ')'");
    expect_dist_error("exp(max(1h))", "unexpected '('");
    expect_dist_error("tri(1h,,2h)", "empty");
    expect_dist_error("exp(5 mins)", "did you mean 'min'?");
    expect_dist_error("erlang(2h, 1h)", "plain number");
    expect_dist_error("gamma(2 min, 1h)", "plain number");
    expect_dist_error("erlang(2.5, 1h)", "erlang");
    expect_dist_error("exp", "needs its parameters in parentheses");
    expect_dist_error("fast", "not a duration or a distribution");
    expect_dist_error("", "empty");
}

/* ---- the example plant ------------------------------------------------------ */

static void test_example_plant(void **state)
{
    (void)state;
    diags d;
    takt_plant *p = load_text(example_plant, &d);
    if (!p)
        print_diags(&d);
    assert_non_null(p);
    assert_int_equal(d.n, 0);
    assert_string_equal(p->name, "two machines and a buffer");
    assert_null(p->file);
    assert_near(p->horizon, 20000.0 * 3600, 0);
    assert_near(p->warmup, 500.0 * 3600, 0);
    assert_int_equal(p->replications, 10);
    assert_int_equal(p->seed, 42);

    assert_int_equal(p->nsources, 1);
    assert_string_equal(p->sources[0].name, "arrivals");
    assert_int_equal(p->sources[0].interarrival.kind, DIST_EXP);
    assert_near(p->sources[0].interarrival.p[0], 1.2 * 3600, 1e-9);
    assert_int_equal(p->sources[0].to, 0);
    assert_int_equal(p->sources[0].line, 7);
    assert_int_equal(p->sources[0].col, 5);

    assert_int_equal(p->nstations, 2);
    const station *m1 = &p->stations[0], *m2 = &p->stations[1];
    assert_string_equal(m1->name, "M1");
    assert_int_equal(m1->line, 9);
    assert_int_equal(m1->col, 5);
    assert_int_equal(m1->cycle.kind, DIST_EXP);
    assert_near(m1->cycle.p[0], 3600, 0);
    assert_int_equal(m1->servers, 1);
    assert_int_equal(m1->blocking, BLOCK_AFTER);
    assert_int_equal(m1->routing, ROUTE_FIRST_FREE);
    assert_int_equal(m1->nfailures, 1);
    assert_null(m1->failures[0].name);
    assert_int_equal(m1->failures[0].ttf.kind, DIST_EXP);
    assert_near(m1->failures[0].ttf.p[0], 100.0 * 3600, 0);
    assert_near(m1->failures[0].ttr.p[0], 10.0 * 3600, 0);
    assert_int_equal(m1->failures[0].clock, CLOCK_OPERATING);
    assert_int_equal(m1->failures[0].line, 12);
    assert_int_equal(m1->failures[0].col, 9);

    assert_string_equal(m2->name, "M2");
    assert_int_equal(m2->cycle.kind, DIST_TRI);
    assert_near(m2->cycle.p[0], 3000, 0);
    assert_near(m2->cycle.p[1], 3600, 0);
    assert_near(m2->cycle.p[2], 4200, 0);
    assert_int_equal(m2->servers, 2);
    assert_int_equal(m2->nfailures, 0);

    assert_int_equal(p->nbuffers, 1);
    assert_string_equal(p->buffers[0].name, "B1");
    assert_int_equal(p->buffers[0].from, 0);
    assert_int_equal(p->buffers[0].to, 1);
    assert_int_equal(p->buffers[0].capacity, 3);
    assert_near(p->buffers[0].transit, 0, 0);
    assert_int_equal(p->buffers[0].line, 17);

    /* adjacency */
    assert_int_equal(m1->nin, 0);
    assert_int_equal(m1->nout, 1);
    assert_int_equal(m1->out[0], 0);
    assert_int_equal(m1->nsrc, 1);
    assert_int_equal(m1->src[0], 0);
    assert_int_equal(m2->nin, 1);
    assert_int_equal(m2->in[0], 0);
    assert_int_equal(m2->nout, 0);
    assert_int_equal(m2->nsrc, 0);

    /* The later layers are off: "none" values, not zeros that name index 0. */
    assert_int_equal(p->calendar, -1);
    assert_int_equal(m1->workshop, -1);
    assert_int_equal(m1->calendar, -1);
    assert_int_equal(m1->rework_to, -1);
    assert_int_equal(m1->batch, 1);
    assert_int_equal(p->buffers[0].take, 1);

    assert_int_equal(plant_find_station(p, "M2"), 1);
    assert_int_equal(plant_find_station(p, "M9"), -1);
    assert_int_equal(plant_find_buffer(p, "B1"), 0);
    plant_free(p);
    diags_free(&d);
}

static void test_defaults_and_options(void **state)
{
    (void)state;
    char *errors = (char *)"unchanged";
    const char *yaml =
        "horizon: 90\n"
        "stations:\n"
        "  - {name: A, cycle: 1min, blocking: before, routing: round-robin}\n"
        "  - name: B\n"
        "    cycle: \"empirical(1min, 3min)\"\n"
        "    routing: random\n"
        "    failures:\n"
        "      - name: jam\n"
        "        ttf: 2h\n"
        "        ttr: uniform(1min, 2min)\n"
        "        clock: calendar\n"
        "buffers:\n"
        "  - {name: conveyor, from: A, to: B, capacity: inf, transit: 5min}\n";
    takt_plant *p = takt_load_string("lines/paint shop.yaml", yaml, strlen(yaml), &errors);
    if (!p)
        print_message("%s", errors);
    assert_non_null(p);
    assert_null(errors);
    assert_string_equal(p->name, "paint shop");
    assert_near(p->horizon, 90, 0);
    assert_near(p->warmup, 0, 0);
    assert_int_equal(p->replications, 10);
    assert_int_equal(p->seed, 1);
    assert_int_equal(p->nsources, 0);
    assert_int_equal(p->stations[0].blocking, BLOCK_BEFORE);
    assert_int_equal(p->stations[0].routing, ROUTE_ROUND_ROBIN);
    assert_int_equal(p->stations[1].routing, ROUTE_RANDOM);
    assert_int_equal(p->stations[1].cycle.nvalues, 2);
    assert_string_equal(p->stations[1].failures[0].name, "jam");
    assert_int_equal(p->stations[1].failures[0].ttf.kind, DIST_CONST);
    assert_int_equal(p->stations[1].failures[0].clock, CLOCK_CALENDAR);
    assert_int_equal(p->buffers[0].capacity, CAP_INF);
    assert_near(p->buffers[0].transit, 300, 0);
    takt_plant_free(p);

    /* Without a file name the plant is called "plant"; seed takes 64 bits. */
    diags d;
    p = load_text("horizon: 1h\nseed: 18446744073709551615\nstations: [{name: A, cycle: 1}]\n", &d);
    assert_non_null(p);
    assert_string_equal(p->name, "plant");
    assert_true(p->seed == UINT64_MAX);
    plant_free(p);
    diags_free(&d);
    takt_plant_free(NULL);
}

/* ---- YAML-level refusals ------------------------------------------------------ */

static void test_flow_mapping_comma(void **state)
{
    (void)state;
    expect_error("horizon: 10h\n"
                 "stations:\n"
                 "  - name: M1\n"
                 "    cycle: 1h\n"
                 "    failures:\n"
                 "      - {ttf: tri(1h, 2h, 3h), ttr: exp(1h)}\n",
                 1, 6, 15, "unbalanced '(' in 'tri(1h': inside a flow mapping {...} a comma "
                 "separates entries, so quote the distribution (\"tri(1h, 2h, 3h)\") or write "
                 "the mapping in block style");
    /* Under an unknown key the split is not reported twice. */
    expect_error("horizon: 10h\nstations:\n  - name: M1\n    cycle: 1h\n    failures:\n"
                 "      - {ttf: 1h, ttx: tri(1h, 2h, 3h), ttr: 1h}\n",
                 1, 6, 19, "unknown key 'ttx'");
    /* Quoted, the same value is fine. */
    diags d;
    takt_plant *p = load_text("horizon: 10h\nstations:\n"
                              "  - {name: M1, cycle: \"tri(1h, 2h, 3h)\"}\n", &d);
    assert_non_null(p);
    assert_near(p->stations[0].cycle.p[2], 3 * 3600, 0);
    plant_free(p);
    diags_free(&d);
}

static void test_alias_refused(void **state)
{
    (void)state;
    expect_error("horizon: &h 10h\nwarmup: *h\nstations: [{name: M1, cycle: 1h}]\n",
                 1, 2, 9, "YAML aliases (*name) are not supported: write the value out");
    /* A billion laughs stops at the first alias, long before it expands. */
    char bomb[4096];
    int n = snprintf(bomb, sizeof bomb, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 30; i++)
        n += snprintf(bomb + n, sizeof bomb - (size_t)n,
                      "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n",
                      i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
    expect_error(bomb, 1, 2, 10, "aliases");
}

static void test_yaml_problems(void **state)
{
    (void)state;
    expect_error("horizon: 1h\nstations:\n\t- name: M1\n", 1, 3, 1,
                 "tabs cannot indent YAML; use spaces");
    expect_error("horizon: 1h\nstations:\n  - name: M1\n  \tcycle: 1h\n", 1, 4, 3,
                 "tabs cannot indent YAML; use spaces");
    expect_error("horizon: 1h\n\xff\xfe binary\n", 1, 2, 1, "UTF-8");
    expect_error("- M1\n- M2\n", 1, 1, 1, "the top level must be a mapping");
    expect_error("", 1, 1, 1, "the file is empty: expected a plant description "
                 "(a mapping with 'stations:')");
    expect_error("# a comment\n   # and another\n", 1, 1, 1, "the file is empty");
    expect_error("horizon: 1h\n---\nhorizon: 2h\n", 1, 2, 1, "second YAML document");
    expect_error("horizon: [1h\n", 1, 2, 1, "did not find expected");
    expect_error("horizon: !!int 5\n", 1, 1, 10, "tags are not supported");

    diags d;
    const char nul[] = "horizon: 1h\nsta\0tions: []\n";
    diags_init(&d, "t.yaml");
    assert_null(load_plant_string(nul, sizeof nul - 1, &d));
    assert_true(has_diag(&d, 2, 4, "control characters"));
    diags_free(&d);
}

static void test_yaml_limits(void **state)
{
    (void)state;
    char deep[256];
    snprintf(deep, sizeof deep, "a: %.*s%.*s\n", 70,
             "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", 70,
             "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
    expect_error(deep, 1, 1, 67, "nested too deeply (limit 64 levels)");

    /* 5,000,002 one-byte scalars: over the node limit by a handful. */
    size_t nodes = 5000002, len = 4 + 2 * nodes + 2;
    char *many = malloc(len + 1);
    assert_non_null(many);
    memcpy(many, "a: [", 4);
    for (size_t i = 0; i < nodes; i++)
        memcpy(many + 4 + 2 * i, "1,", 2);
    memcpy(many + len - 3, "]\n", 3);
    diags d;
    diags_init(&d, "t.yaml");
    assert_null(load_plant_string(many, strlen(many), &d));
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.v[0].msg, "too many YAML nodes (limit 5000000)"));
    diags_free(&d);
    free(many);

    size_t huge = ((size_t)64 << 20) + 1;
    char *big = malloc(huge);
    assert_non_null(big);
    memset(big, ' ', huge);
    diags_init(&d, "t.yaml");
    assert_null(load_plant_string(big, huge, &d));
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.v[0].msg, "too large"));
    assert_non_null(strstr(d.v[0].msg, "64 MiB"));
    diags_free(&d);
    free(big);
}

/* ---- loader messages ------------------------------------------------------------ */

#define ONE_STATION "horizon: 10h\nstations: [{name: M1, cycle: 1h}]\n"

static void test_key_errors(void **state)
{
    (void)state;
    diags d;
    assert_null(load_text("horizon: 10h\n"
                          "stations:\n"
                          "  - name: M1\n"
                          "    cyle: exp(1h)\n", &d));
    assert_int_equal(d.n, 2);
    assert_true(has_diag(&d, 4, 5, "unknown key 'cyle' in station 'M1' (did you mean 'cycle'?)"));
    assert_true(has_diag(&d, 3, 5, "station 'M1' is missing 'cycle' (its cycle time, e.g. "
                         "cycle: exp(1h))"));
    diags_free(&d);

    expect_error(ONE_STATION "horizn: 3h\n", 1, 3, 1,
                 "unknown key 'horizn' at the top level (did you mean 'horizon'?)");
    expect_error("stations: [{name: M1, cycle: 1h}]\n", 1, 1, 1, "the plant is missing 'horizon'");
    expect_error("horizon: 1h\n", 1, 1, 1, "the plant is missing 'stations'");
    expect_error("horizon: 10h\nstations:\n  - name: M1\n    cycle: 1h\n    cycle: 2h\n",
                 1, 5, 5, "duplicate key 'cycle' (first at line 4)");
    expect_error(ONE_STATION "<<: {warmup: 1h}\n", 1, 3, 1, "merge keys (<<) are not supported");
    expect_error("horizon: 10h\nstations:\n  - name: M1\n    cycle: 1h\n    failures:\n"
                 "      - {ttf: 1h, tr: 1h}\n", 2, 6, 19, "unknown key 'tr' in failure 1 of "
                 "station 'M1' (did you mean 'ttr'?)");
}

static void test_type_errors(void **state)
{
    (void)state;
    expect_error("horizon: 10h\nstations:\n  - name: M1\n    cycle: 1h\n    servers: [2]\n",
                 1, 5, 14, "'servers' expects a whole number, got a list");
    expect_error("horizon: 10h\nstations:\n  - name: M1\n    cycle: 1h\n    servers: yes\n",
                 1, 5, 14, "'servers' expects a whole number, got 'yes'");
    expect_error("horizon: 10h\nstations:\n  - name: M1\n    cycle: 1h\n    servers: \"2\"\n",
                 1, 5, 14, "without quotes");
    expect_error("horizon: 10h\nstations:\n  - name: M1\n    cycle: {mean: 1h}\n",
                 1, 4, 12, "'cycle' expects a distribution or a duration");
    expect_error("horizon: 10h\nstations:\n  - name: [M1]\n    cycle: 1h\n",
                 1, 3, 11, "'name' expects text, got a list");
    expect_error("horizon: 10h\nstations:\n  - name: \"M\\n1\"\n    cycle: 1h\n",
                 1, 3, 11, "'name' must be one line of text");
    expect_error("horizon: 10h\nstations: {M1: 1h}\n", 1, 2, 11, "'stations' expects a list");
    expect_error("horizon: 10h\nstations:\n  - M1\n", 1, 3, 5,
                 "each entry of 'stations' must be a mapping");
    expect_error("horizon:\nstations: [{name: M1, cycle: 1h}]\n", 1, 1, 9,
                 "'horizon' expects a duration");
    expect_error("horizon: 10h\nstations:\n  - name: M1\n    cycle: 1h\n    blocking: befor\n",
                 1, 5, 15, "'blocking' must be after or before, got 'befor' (did you mean 'before'?)");
}

static void test_number_errors(void **state)
{
    (void)state;
    expect_error(ONE_STATION "replications: 1e100\n", 1, 3, 15,
                 "replications must be a whole number from 1 to 1000000, got 1e100");
    expect_error(ONE_STATION "replications: 0\n", 1, 3, 15, "from 1 to 1000000, got 0");
    expect_error(ONE_STATION "replications: 2.5\n", 1, 3, 15, "got 2.5");
    expect_error(ONE_STATION "replications: .nan\n", 1, 3, 15, "got .nan");
    expect_error(ONE_STATION "seed: -1\n", 1, 3, 7, "seed must be a whole number from 0 to "
                 "18446744073709551615, got -1");
    expect_error(ONE_STATION "seed: 18446744073709551616\n", 1, 3, 7, "seed must be");
    expect_error(ONE_STATION "warmup: -1h\n", 1, 3, 9, "negative");
    expect_error(ONE_STATION "warmup: .inf\n", 1, 3, 9, "not a finite number");
    expect_error("horizon: 0\nstations: [{name: M1, cycle: 1h}]\n", 1, 1, 10,
                 "'horizon' must be more than 0");
    expect_error("horizon: .nan\nstations: [{name: M1, cycle: 1h}]\n", 1, 1, 10, "not a finite");
    expect_error("horizon: 60000w\nstations: [{name: M1, cycle: 1h}]\n", 1, 1, 10,
                 "at most 1000 years");
    expect_error("horizon: 10h\nstations:\n  - name: M1\n    cycle: 1h\n    servers: 20000\n",
                 1, 5, 14, "servers must be a whole number from 1 to 10000, got 20000");
    expect_error("horizon: 10h\nstations: [{name: M1, cycle: 5 mins}]\n", 1, 2, 30,
                 "unknown unit 'mins' in '5 mins'");
    expect_error("horizon: 10h\nstations: [{name: M1, cycle: expo(1h)}]\n", 1, 2, 30,
                 "unknown distribution 'expo'");
    expect_error("horizon: 10h\n"
                 "stations: [{name: M1, cycle: 1h}, {name: M2, cycle: 1h}]\n"
                 "buffers: [{name: B1, from: M1, to: M2, capacity: -1}]\n", 1, 3, 50,
                 "capacity must be a whole number from 0 to 1000000000 or inf, got -1");
}

static void test_name_errors(void **state)
{
    (void)state;
    expect_error("horizon: 10h\nstations:\n  - {name: M1, cycle: 1h}\n  - {name: M1, cycle: 1h}\n",
                 1, 4, 12, "duplicate station name 'M1' (first at line 3)");
    expect_error("horizon: 10h\n"
                 "stations: [{name: M1, cycle: 1h}, {name: M2, cycle: 1h}]\n"
                 "buffers:\n"
                 "  - {name: B1, from: M1, to: M3, capacity: 1}\n",
                 1, 4, 30, "buffer 'B1': unknown station 'M3' in 'to' (did you mean 'M2'?)");
    expect_error("horizon: 10h\n"
                 "stations: [{name: M1, cycle: 1h}, {name: M2, cycle: 1h}]\n"
                 "buffers:\n"
                 "  - {name: B1, from: M1, to: M2, capacity: 1}\n"
                 "  - {name: B1, from: M1, to: M2, capacity: 1}\n",
                 1, 5, 12, "duplicate buffer name 'B1' (first at line 4)");
    expect_error("horizon: 10h\n"
                 "sources: [{name: in, interarrival: 1h, to: Mx}]\n"
                 "stations: [{name: M1, cycle: 1h}]\n",
                 1, 2, 44, "source 'in': unknown station 'Mx' in 'to' (did you mean 'M1'?)");
    expect_error("horizon: 10h\n"
                 "sources: [{name: B1, interarrival: 1h, to: M1}]\n"
                 "stations: [{name: M1, cycle: 1h}, {name: M2, cycle: 1h}]\n"
                 "buffers: [{name: B1, from: M1, to: M2, capacity: 1}]\n",
                 1, 2, 18, "source 'B1' has the name of buffer 'B1'");
}

/* One pass reports every independent problem, and nothing that follows
 * from them (an unknown distribution does not also make 'cycle' missing). */
static void test_collects_all_errors(void **state)
{
    (void)state;
    diags d;
    assert_null(load_text("horizon: 10h\n"                                    /* 1 */
                          "replications: 0\n"                                 /* 2 */
                          "stations:\n"                                       /* 3 */
                          "  - name: M1\n"                                    /* 4 */
                          "    cycle: expo(1h)\n"                             /* 5 */
                          "    servers: yes\n"                                /* 6 */
                          "  - name: M2\n"                                    /* 7 */
                          "    cycle: 1h\n"                                   /* 8 */
                          "    routing: randm\n"                              /* 9 */
                          "buffers:\n"                                        /* 10 */
                          "  - {name: B1, from: M1, to: M3, capacity: 2}\n"   /* 11 */
                          "colour: red\n", &d));                              /* 12 */
    assert_true(has_diag(&d, 2, 15, "replications must be"));
    assert_true(has_diag(&d, 5, 12, "unknown distribution 'expo'"));
    assert_true(has_diag(&d, 6, 14, "expects a whole number"));
    assert_true(has_diag(&d, 9, 14, "did you mean 'random'?"));
    assert_true(has_diag(&d, 11, 30, "unknown station 'M3'"));
    assert_true(has_diag(&d, 12, 1, "unknown key 'colour'"));
    assert_int_equal(d.n, 6);
    diags_free(&d);
}

/* ---- whole-plant checks ------------------------------------------------------------ */

#define FOUR_STATIONS "horizon: 10h\nstations:\n" \
    "  - {name: M1, cycle: 1h}\n  - {name: M2, cycle: 1h}\n" \
    "  - {name: M3, cycle: 1h}\n  - {name: M4, cycle: 1h}\nbuffers:\n"   /* buffers from line 8 */

static void test_graph_errors(void **state)
{
    (void)state;
    expect_error(FOUR_STATIONS "  - {name: B1, from: M2, to: M2, capacity: 1}\n", 1, 8, 5,
                 "buffer 'B1' goes from station 'M2' back to itself");
    diags d;
    assert_null(load_text(FOUR_STATIONS
                          "  - {name: B1, from: M1, to: M2, capacity: 1}\n"
                          "  - {name: B2, from: M3, to: M4, capacity: 1}\n"
                          "  - {name: B3, from: M4, to: M3, capacity: 1}\n", &d));
    assert_int_equal(d.n, 2);
    assert_true(has_diag(&d, 5, 5, "station 'M3' has no path to the end of the line"));
    assert_true(has_diag(&d, 6, 5, "station 'M4' has no path to the end of the line"));
    diags_free(&d);
    expect_error("horizon: 10h\nstations:\n  - {name: M1, cycle: 1h}\n  - {name: M2, cycle: 1h}\n"
                 "buffers:\n  - {name: B1, from: M1, to: M2, capacity: 1}\n"
                 "  - {name: B2, from: M2, to: M1, capacity: 1}\n", 1, 4, 5, "the line has no end");
    expect_error("horizon: 10h\nstations:\n  - {name: M1, cycle: 1h, blocking: before}\n"
                 "  - {name: M2, cycle: 1h}\nbuffers: [{name: B1, from: M1, to: M2, capacity: 0}]\n",
                 1, 3, 5, "blocks before service, so its outgoing buffer 'B1' needs capacity >= 1");
    expect_error("horizon: 10h\nstations:\n  - {name: M1, cycle: 1h}\n  - {name: M2, cycle: 1h}\n"
                 "buffers:\n  - {name: B1, from: M1, to: M2, capacity: 0, transit: 1min}\n",
                 1, 6, 5, "buffer 'B1' has a transit time but capacity 0");
}

static void test_size_limits(void **state)
{
    (void)state;
    takt_plant p;
    memset(&p, 0, sizeof p);
    p.horizon = 3600;
    p.replications = 1;
    p.nstations = 250000;
    p.stations = calloc((size_t)p.nstations, sizeof *p.stations);
    assert_non_null(p.stations);
    for (int i = 0; i < p.nstations; i++)
        p.stations[i].servers = 1;
    diags d;
    diags_init(&d, "t");
    assert_int_equal(plant_validate(&p, &d), 1);
    assert_non_null(strstr(d.v[0].msg, "the plant is too large: 250000 stations (limit 100000)"));
    diags_free(&d);

    p.nstations = 101;
    for (int i = 0; i < p.nstations; i++)
        p.stations[i].servers = 10000;
    diags_init(&d, "t");
    assert_int_equal(plant_validate(&p, &d), 1);
    assert_non_null(strstr(d.v[0].msg, "1010000 machines"));
    diags_free(&d);

    p.nstations = 1;
    p.stations[0].name = (char *)"M1";
    p.stations[0].servers = 1;
    p.horizon = 2000.0 * 365 * 86400;
    p.warmup = -1;
    diags_init(&d, "t");
    assert_int_equal(plant_validate(&p, &d), 2);
    assert_non_null(strstr(d.v[0].msg, "horizon must be"));
    assert_non_null(strstr(d.v[1].msg, "warmup must be"));
    diags_free(&d);
    free(p.stations);
}

/* ---- files and the public API ------------------------------------------------------- */

static void test_files(void **state)
{
    (void)state;
    char *errors = NULL;
    assert_null(takt_load("/nonexistent/x.yaml", &errors));
    assert_non_null(errors);
    assert_string_equal(errors, "/nonexistent/x.yaml: cannot open '/nonexistent/x.yaml': "
                        "No such file or directory\n");
    free(errors);

    assert_null(takt_load("/tmp", &errors));
    assert_non_null(strstr(errors, "directory"));
    free(errors);

    char path[] = "/tmp/takt_test_load_XXXXXX.yaml";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    const char *body = strchr(example_plant, '\n') + 1;    /* without its name: */
    assert_int_equal(write(fd, body, strlen(body)), (ssize_t)strlen(body));
    close(fd);
    takt_plant *p = takt_load(path, &errors);
    assert_non_null(p);
    assert_null(errors);
    assert_string_equal(p->file, path);
    char expected[64];
    snprintf(expected, sizeof expected, "%.*s", (int)(strlen(path) - 10), path + 5);
    assert_string_equal(p->name, expected);     /* the base name, without .yaml */
    takt_plant_free(p);
    unlink(path);

    const char *bad = "horizon: 0\nstations: [{name: M1, cycle: 1h, servers: 0}]\n";
    assert_null(takt_load_string("bad.yaml", bad, strlen(bad), &errors));
    assert_non_null(errors);
    assert_non_null(strstr(errors, "bad.yaml:1:10: 'horizon' must be more than 0"));
    assert_non_null(strstr(errors, "\nbad.yaml:2:43: servers must be"));
    assert_int_equal(errors[strlen(errors) - 1], '\n');
    free(errors);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_duration_errors),
        cmocka_unit_test(test_dists),
        cmocka_unit_test(test_dist_errors),
        cmocka_unit_test(test_example_plant),
        cmocka_unit_test(test_defaults_and_options),
        cmocka_unit_test(test_flow_mapping_comma),
        cmocka_unit_test(test_alias_refused),
        cmocka_unit_test(test_yaml_problems),
        cmocka_unit_test(test_yaml_limits),
        cmocka_unit_test(test_key_errors),
        cmocka_unit_test(test_type_errors),
        cmocka_unit_test(test_number_errors),
        cmocka_unit_test(test_name_errors),
        cmocka_unit_test(test_collects_all_errors),
        cmocka_unit_test(test_graph_errors),
        cmocka_unit_test(test_size_limits),
        cmocka_unit_test(test_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
