/*
 * test_api_plan.c — the planning half of the public API (include/takt.h),
 * as an embedder calls it with nothing but takt.h: a line balanced to a
 * takt and to a station count, its answer checked against the task file
 * (every task once, precedence kept, station times within the cycle, the
 * bound below the answer), its plant file loaded back; the refusals made
 * before the search; and an optimisation of buffer capacities under a
 * budget, its answer within the ranges and the budget, the same for one
 * thread or two, refused or cancelled where it must be.
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

/* Single-model, so every task's time is exactly what the file says. */
static const char tasks_yaml[] =
    "name: plan test\n"
    "takt: 60s\n"
    "tasks:\n"
    "  - {name: a, time: 20s}\n"
    "  - {name: b, time: 35s, after: [a]}\n"
    "  - {name: c, time: 25s, after: [a]}\n"
    "  - {name: d, time: 30s, after: [b]}\n"
    "  - {name: e, time: 15s, after: [c]}\n"
    "  - {name: f, time: 40s, after: [d, e]}\n"
    "  - {name: g, time: 10s, after: [f]}\n";

/* after[i]: the tasks that must come before task i (by index), -1 ends. */
static const int after[7][3] = {
    {-1}, {0, -1}, {0, -1}, {1, -1}, {2, -1}, {3, 4, -1}, {5, -1},
};

static const char plant_yaml[] =
    "name: plan line\n"
    "horizon: 40h\n"
    "warmup: 2h\n"
    "replications: 3\n"
    "seed: 5\n"
    "stations:\n"
    "  - {name: A, cycle: exp(60s), failures: [{ttf: exp(2h), ttr: exp(10min)}]}\n"
    "  - {name: B, cycle: exp(50s)}\n"
    "  - {name: C, cycle: exp(55s)}\n"
    "buffers:\n"
    "  - {name: B1, from: A, to: B, capacity: 1}\n"
    "  - {name: B2, from: B, to: C, capacity: 1}\n";

static char *temp_file(const char *text, const char *suffix)
{
    char *path = malloc(64);
    assert_non_null(path);
    snprintf(path, 64, "/tmp/takt_plan_XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    assert_true(fd >= 0);
    size_t len = strlen(text);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    return path;
}

static void drop(char *path)
{
    unlink(path);
    free(path);
}

/* The answer meets the task file: checked from the readers alone. */
static void check_answer(const takt_balance *b, double cycle)
{
    int n = takt_balance_task_count(b), m = takt_balance_stations(b);
    assert_int_equal(n, 7);
    assert_true(m >= 1 && m <= n);
    double load[8] = {0};
    for (int i = 0; i < n; i++) {
        int s = takt_balance_task_station(b, i);
        assert_true(s >= 1 && s <= m);
        load[s - 1] += takt_balance_task_time(b, i);
        for (int k = 0; after[i][k] >= 0; k++)
            assert_true(takt_balance_task_station(b, after[i][k]) <= s);
    }
    for (int s = 0; s < m; s++) assert_true(load[s] > 0 && load[s] <= cycle + 1e-9);
}

static void test_balance_to_a_takt(void **state)
{
    (void)state;
    char *path = temp_file(tasks_yaml, ".yaml");
    takt_balance *b = NULL;
    char *message = NULL;
    assert_int_equal(takt_balance_load(path, NULL, &b, &message), TAKT_OK);
    assert_null(message);
    assert_int_equal(takt_balance_task_count(b), 7);
    assert_string_equal(takt_balance_task(b, 5), "f");
    assert_true(fabs(takt_balance_file_takt(b) - 60) < 1e-12);
    assert_int_equal(takt_balance_stations(b), 0);          /* not solved yet */
    assert_int_equal(takt_balance_solve(b, 10, &message), TAKT_OK);
    assert_int_equal(takt_balance_problem(b), 1);
    assert_true(fabs(takt_balance_cycle(b) - 60) < 1e-12);
    check_answer(b, 60);
    /* 175 s of work at 60 s a station: 3 stations at least; whatever the
     * search found is at or above its own bound, and proven means equal. */
    int m = takt_balance_stations(b);
    assert_true(m >= 3);
    assert_true(takt_balance_lower_bound(b) >= 3 - 1e-9);
    assert_true(takt_balance_lower_bound(b) <= m + 1e-9);
    if (takt_balance_optimal(b)) assert_true(fabs(takt_balance_lower_bound(b) - m) < 1e-9);

    /* The JSON names the same count; the plant file loads, one station
     * per balanced station. */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(takt_balance_write(b, TAKT_FORMAT_JSON, f), TAKT_OK);
    fclose(f);
    char want[64];
    snprintf(want, sizeof want, "\"stations\": %d", m);
    assert_non_null(strstr(text, want));
    free(text);
    assert_int_equal(takt_balance_write(b, TAKT_FORMAT_HTML, stdout), TAKT_EBADINPUT);
    assert_int_equal(takt_balance_plant_text(b, &text, &len), TAKT_OK);
    char *errors = NULL;
    takt_plant *p = takt_load_string("balanced", text, len, &errors);
    assert_non_null(p);
    assert_int_equal(takt_plant_station_count(p), m);
    takt_plant_free(p);
    free(text);
    takt_balance_free(b);
    drop(path);
}

static void test_balance_to_a_station_count(void **state)
{
    (void)state;
    char *path = temp_file(tasks_yaml, ".yaml");
    takt_balance *b = NULL;
    assert_int_equal(takt_balance_load(path, NULL, &b, NULL), TAKT_OK);
    assert_int_equal(takt_balance_set_stations(b, 4), TAKT_OK);
    assert_int_equal(takt_balance_solve(b, 10, NULL), TAKT_OK);
    assert_int_equal(takt_balance_problem(b), 2);
    double cycle = takt_balance_cycle(b);
    /* No cycle below the longest task or the mean load; the bound is below
     * the answer. */
    assert_true(cycle >= 40 - 1e-9 && cycle >= 175.0 / 4 - 1e-9);
    assert_true(takt_balance_lower_bound(b) <= cycle + 1e-9);
    assert_true(takt_balance_stations(b) <= 4);
    check_answer(b, cycle);
    /* Settings after the check are refused. */
    assert_int_equal(takt_balance_set_takt(b, 50), TAKT_EBADINPUT);
    takt_balance_free(b);
    drop(path);
}

static void test_balance_refusals(void **state)
{
    (void)state;
    char *path = temp_file(tasks_yaml, ".yaml");
    takt_balance *b = NULL;
    char *message = NULL;
    /* b takes 35 s: a takt of 30 s cannot hold it, said before the search. */
    assert_int_equal(takt_balance_load(path, NULL, &b, NULL), TAKT_OK);
    assert_int_equal(takt_balance_set_takt(b, 30), TAKT_OK);
    assert_int_equal(takt_balance_check(b, &message), TAKT_EBADINPUT);
    assert_non_null(message);
    assert_non_null(strstr(message, "task 'b' takes 35s, longer than the takt 30s"));
    assert_int_equal(strncmp(message, path, strlen(path)), 0);
    assert_int_equal(message[strlen(message) - 1], '\n');
    free(message);
    assert_int_equal(takt_balance_stations(b), 0);
    takt_balance_free(b);

    assert_int_equal(takt_balance_load(path, NULL, &b, NULL), TAKT_OK);
    assert_int_equal(takt_balance_set_takt(b, -1), TAKT_EBADINPUT);
    assert_int_equal(takt_balance_set_stations(b, 100001), TAKT_EBADINPUT);
    takt_balance_free(b);
    drop(path);

    /* A precedence cycle: the task file is refused as it loads. */
    path = temp_file("takt: 60s\ntasks:\n  - {name: x, time: 1s, after: [y]}\n"
                     "  - {name: y, time: 1s, after: [x]}\n", ".yaml");
    assert_int_equal(takt_balance_load(path, NULL, &b, &message), TAKT_EBADINPUT);
    assert_null(b);
    assert_non_null(strstr(message, "the precedence has a cycle"));
    assert_int_equal(strncmp(message, path, strlen(path)), 0);
    free(message);
    drop(path);

    /* No such file; a bad template. */
    assert_int_equal(takt_balance_load("/nonexistent/tasks.yaml", NULL, &b, &message), TAKT_EBADINPUT);
    assert_null(b);
    assert_non_null(message);
    free(message);
    path = temp_file(tasks_yaml, ".yaml");
    char *tmpl = temp_file("stations: 3\n", ".yaml");
    assert_int_equal(takt_balance_load(path, tmpl, &b, &message), TAKT_EBADINPUT);
    assert_null(b);
    assert_non_null(strstr(message, "'stations' expects a list"));
    free(message);
    drop(tmpl);
    drop(path);
}

/* ---- optimisation ---------------------------------------------------------- */

static takt_optimise *budget_problem(const char *path)
{
    takt_optimise *o = NULL;
    char *message = NULL;
    assert_int_equal(takt_optimise_new(path, &o, &message), TAKT_OK);
    assert_int_equal(takt_optimise_vary(o, "buffers.*.capacity=0..3", &message), TAKT_OK);
    assert_int_equal(takt_optimise_set_total(o, 4), TAKT_OK);
    assert_int_equal(takt_optimise_set_candidates(o, 3), TAKT_OK);
    assert_int_equal(takt_optimise_check(o, &message), TAKT_OK);
    assert_int_equal(takt_optimise_check_plant(o, &message), TAKT_OK);
    return o;
}

static void test_optimise_budget(void **state)
{
    (void)state;
    char *path = temp_file(plant_yaml, ".yaml");
    double thr[2];
    long best[2][2];
    for (int threads = 1; threads <= 2; threads++) {
        takt_optimise *o = budget_problem(path);
        assert_int_equal(takt_optimise_decision_count(o), 2);
        assert_string_equal(takt_optimise_decision(o, 0), "buffers.B1.capacity");
        assert_string_equal(takt_optimise_decision(o, 1), "buffers.B2.capacity");
        takt_options *opt = takt_options_new();
        takt_options_set_threads(opt, threads);
        char *message = NULL;
        assert_int_equal(takt_optimise_run(o, opt, &message), TAKT_OK);
        assert_null(message);
        assert_true(takt_optimise_design_count(o) >= 1);
        assert_true(takt_optimise_simulated(o) >= 1);
        long sum = 0;
        for (int i = 0; i < 2; i++) {
            long v = -1;
            assert_int_equal(takt_optimise_design_value(o, 0, i, &v), TAKT_OK);
            assert_true(v >= 0 && v <= 3);
            best[threads - 1][i] = v;
            sum += v;
        }
        assert_int_equal(sum, 4);
        double mean = 0, ci = 0;
        assert_int_equal(takt_optimise_design_throughput(o, 0, &mean, &ci), TAKT_OK);
        assert_true(mean > 0 && mean < 3600.0 / 60 && ci >= 0);
        thr[threads - 1] = mean;
        assert_int_equal(takt_optimise_design_value(o, takt_optimise_design_count(o), 0, NULL),
                         TAKT_ENOTFOUND);
        /* The JSON names the best settings it holds. */
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        assert_int_equal(takt_optimise_write(o, TAKT_FORMAT_JSON, f), TAKT_OK);
        fclose(f);
        char want[64];
        snprintf(want, sizeof want, "\"buffers.B1.capacity\": %ld", best[threads - 1][0]);
        assert_non_null(strstr(text, want));
        free(text);
        /* The plant with the best settings loads and has them. */
        f = open_memstream(&text, &len);
        assert_int_equal(takt_optimise_write_plant(o, f, &message), TAKT_OK);
        fclose(f);
        takt_plant *p = takt_load_string("best", text, len, NULL);
        assert_non_null(p);
        double cap = -1;
        assert_int_equal(takt_plant_setting(p, "buffers.B2.capacity", &cap), TAKT_OK);
        assert_true(cap == (double)best[threads - 1][1]);
        takt_plant_free(p);
        free(text);
        takt_options_free(opt);
        takt_optimise_free(o);
    }
    /* Common random numbers and a fixed seed: the threads change nothing. */
    assert_true(thr[0] == thr[1]);
    assert_true(best[0][0] == best[1][0] && best[0][1] == best[1][1]);
    drop(path);
}

static void test_optimise_refusals(void **state)
{
    (void)state;
    char *path = temp_file(plant_yaml, ".yaml");
    takt_optimise *o = NULL;
    char *message = NULL;
    assert_int_equal(takt_optimise_new("/nonexistent/plant.yaml", &o, &message), TAKT_EIO);
    assert_null(o);
    assert_non_null(strstr(message, "cannot read '/nonexistent/plant.yaml'"));
    free(message);

    assert_int_equal(takt_optimise_new(path, &o, &message), TAKT_OK);
    assert_int_equal(takt_optimise_vary(o, "buffers.B1.capacity", &message), TAKT_EBADINPUT);
    assert_non_null(strstr(message, "expected PATH=LO..HI"));
    free(message);
    assert_int_equal(takt_optimise_vary(o, "machines.*.servers=1..2", &message), TAKT_EBADINPUT);
    assert_non_null(strstr(message, "matches nothing"));
    free(message);
    assert_int_equal(takt_optimise_vary(o, "buffers.*.capacity=0..3", NULL), TAKT_OK);
    /* Both again: two lines, one per path varied twice. */
    assert_int_equal(takt_optimise_vary(o, "buffers.*.capacity=0..3", &message), TAKT_EBADINPUT);
    assert_string_equal(message, "--vary: 'buffers.B1.capacity' is varied twice\n"
                                 "--vary: 'buffers.B2.capacity' is varied twice");
    free(message);
    /* A budget the ranges cannot meet: refused before any run. */
    assert_int_equal(takt_optimise_set_total(o, 7), TAKT_OK);
    assert_int_equal(takt_optimise_check(o, &message), TAKT_EBADINPUT);
    assert_non_null(message);
    free(message);
    assert_int_equal(takt_optimise_run(o, NULL, &message), TAKT_EBADINPUT);
    free(message);
    assert_int_equal(takt_optimise_design_count(o), 0);
    assert_int_equal(takt_optimise_write(o, TAKT_FORMAT_TEXT, stdout), TAKT_EBADINPUT);
    takt_optimise_free(o);

    /* Cancelled options stop the run: no result. */
    o = budget_problem(path);
    takt_options *opt = takt_options_new();
    takt_options_cancel(opt);
    assert_int_equal(takt_optimise_run(o, opt, &message), TAKT_EINTERRUPTED);
    assert_int_equal(takt_optimise_design_count(o), 0);
    free(message);
    takt_options_free(opt);
    takt_optimise_free(o);
    drop(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_balance_to_a_takt),
        cmocka_unit_test(test_balance_to_a_station_count),
        cmocka_unit_test(test_balance_refusals),
        cmocka_unit_test(test_optimise_budget),
        cmocka_unit_test(test_optimise_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
