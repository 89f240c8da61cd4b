/*
 * test_optimise_select.c — the final selection of `takt optimise`
 * (src/exp/optimise_select.c, the KN procedure of Kim and Nelson 2001)
 * against the truth of the exact Markov-chain solver.
 *
 * The candidates: every allocation of 6 buffer places over the two
 * buffers of a 3-station line with failures, 7 designs whose exact
 * throughputs are known.  The indifference zone is set to the exact gap
 * between the best and the second best, the case KN's guarantee covers:
 * the best is selected with probability at least 95 %.  Over 20
 * independent seeds, then, at most 3 wrong selections are allowed (with a
 * probability of correct selection of exactly 0.95, 4 or more wrong in 20
 * happen with probability 1.6 %; KN is conservative, so less).
 *
 * Each run must also be economical, the reason for the procedure: the
 * clearly worse designs (exact throughput more than 3 % below the best)
 * leave after the first stage in nearly every run (at most 1.2 times the
 * first stage's replications on average over the seeds: with common
 * random numbers their paired differences to the best are many standard
 * deviations wide); and the selected design's interval rests on at least
 * the replications of the file.  With replications ten times shorter (ten
 * times the variance) the procedure needs many stages, and the guarantee
 * must hold there too.  The answer and every replication count are the
 * same on 1 and 2 threads (short replications: several stages compared).
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
#include "markov.h"
#include "exp/optimise_internal.h"
#include "io/override.h"

enum { NDESIGNS = 7, TOTAL = 6, NSEEDS = 20, FILE_REPS = 5 };

static const double MU[3] = {1.0, 1.4, 0.9}, P[3] = {0.02, 0, 0.01}, RR[3] = {0.2, 0, 0.05};

static char yaml[2048];

static void line_yaml(double horizon_s)
{
    size_t u = 0, n = sizeof yaml;
    u += (size_t)snprintf(yaml + u, n - u, "name: select\nhorizon: %gs\nwarmup: 500s\n"
                          "replications: %d\nseed: 1\nstations:\n", horizon_s, FILE_REPS);
    for (int i = 0; i < 3; i++) {
        u += (size_t)snprintf(yaml + u, n - u, "  - name: M%d\n    cycle: exp(%.17gs)\n", i, 1 / MU[i]);
        if (P[i] > 0)
            u += (size_t)snprintf(yaml + u, n - u, "    failures:\n      - {ttf: exp(%.17gs), ttr: exp(%.17gs)}\n",
                                  1 / P[i], 1 / RR[i]);
    }
    u += (size_t)snprintf(yaml + u, n - u, "buffers:\n  - {name: B0, from: M0, to: M1, capacity: 1}\n"
                          "  - {name: B1, from: M1, to: M2, capacity: 1}\n");
}

static takt_plant *build(void *ctx, const char *const *sets, int n, char *err, int errlen)
{
    (void)ctx;
    diags d;
    diags_init(&d, "select.yaml");
    takt_plant *p = load_plant_string_with(yaml, strlen(yaml), sets, n, &d);
    if (!p && errlen > 0) snprintf(err, (size_t)errlen, "cannot build a design");
    diags_free(&d);
    return p;
}

static double exact(long b0, long b1)
{
    markov_line m = markov_uniform_line(3, 1, 0);
    for (int i = 0; i < 3; i++) {
        m.machine[i].mu = MU[i];
        m.machine[i].p = P[i];
        m.machine[i].r = RR[i];
    }
    m.capacity[0] = (int)b0;
    m.capacity[1] = (int)b1;
    markov_result r;
    assert_int_equal(markov_solve(&m, MARKOV_AUTO, &r), 0);
    return r.throughput;
}

typedef struct outcome {
    long best;                      /* index of the design selected      */
    int nreps[NDESIGNS];
} outcome;

/* One selection among the 7 designs with the given seed and threads. */
static void select_once(uint64_t seed, int threads, double delta_per_hour, outcome *out)
{
    opt_problem pr;
    memset(&pr, 0, sizeof pr);
    exp_options_default(&pr.run);
    pr.run.threads = threads;
    pr.run.seed = seed;
    pr.run.have_seed = 1;
    pr.d[0].path = (char *)"buffers.B0.capacity";
    pr.d[1].path = (char *)"buffers.B1.capacity";
    pr.d[0].hi = pr.d[1].hi = TOTAL;
    pr.n = 2;
    pr.total = TOTAL;
    pr.build = build;
    pr.indifference = delta_per_hour;
    pr.max_replications = 400;
    char msg[256] = "";
    table t;
    memset(&t, 0, sizeof t);
    t.pr = &pr;
    t.R = FILE_REPS;
    t.msg = msg;
    t.msglen = (int)sizeof msg;
    entry e[NDESIGNS];
    long x[NDESIGNS][2], pool[NDESIGNS];
    memset(e, 0, sizeof e);
    for (int k = 0; k < NDESIGNS; k++) {
        x[k][0] = k;
        x[k][1] = TOTAL - k;
        e[k].x = x[k];
        e[k].sum = TOTAL;
        pool[k] = k;
    }
    t.e = e;
    t.n = t.cap = NDESIGNS;
    assert_int_equal(opt_select_best(&t, pool, NDESIGNS, &out->best), 0);
    for (int k = 0; k < NDESIGNS; k++) {
        out->nreps[k] = e[k].nreps;
        free(e[k].reps);
        takt_plant_free(e[k].plant);
    }
}

/* 20 seeds of the selection on the line simulated for horizon_s; the
 * replications each design got, summed over the seeds, in per[]. */
static void twenty_seeds(double horizon_s, double *v, int *top, long *per)
{
    line_yaml(horizon_s);
    *top = 0;
    for (int k = 0; k < NDESIGNS; k++) {
        v[k] = exact(k, TOTAL - k) * 3600;
        if (v[k] > v[*top]) *top = k;
    }
    double second = -1;
    for (int k = 0; k < NDESIGNS; k++) if (k != *top && v[k] > second) second = v[k];
    double delta = v[*top] - second;
    printf("  horizon %g s: exact best %d/%d (%.3f/h), indifference zone %.3f/h (%.2f %%)\n",
           horizon_s, *top, TOTAL - *top, v[*top], delta, 100 * delta / v[*top]);
    int wrong = 0;
    for (int k = 0; k < NDESIGNS; k++) per[k] = 0;
    for (int s = 0; s < NSEEDS; s++) {
        outcome o;
        select_once(1000 + (uint64_t)s, 2, delta, &o);
        wrong += o.best != *top;
        assert_true(o.nreps[o.best] >= FILE_REPS);
        for (int k = 0; k < NDESIGNS; k++) per[k] += o.nreps[k];
    }
    printf("  %d of %d seeds selected a design other than the best\n", wrong, NSEEDS);
    for (int k = 0; k < NDESIGNS; k++)
        printf("  design %d/%d: exact %.2f/h (%+.2f %%), %.1f replications on average\n", k,
               TOTAL - k, v[k], 100 * (v[k] / v[*top] - 1), (double)per[k] / NSEEDS);
    assert_true(wrong <= 3);
}

/* Long replications, little noise: the guarantee, and the clearly worse
 * designs leave after the first stage. */
static void selects_the_best_within_the_guarantee(void **unused)
{
    (void)unused;
    double v[NDESIGNS];
    long per[NDESIGNS];
    int top;
    twenty_seeds(20000, v, &top, per);
    for (int k = 0; k < NDESIGNS; k++)
        if (v[k] < 0.97 * v[top]) assert_true(per[k] <= 1.2 * FILE_REPS * NSEEDS);
}

/* Short replications, ten times the variance: the zone is now far narrower
 * than one replication resolves, so the procedure must go on for many
 * stages (the best gets more than twice the first stage on average), and
 * the guarantee must still hold. */
static void noisy_replications_take_more_stages(void **unused)
{
    (void)unused;
    double v[NDESIGNS];
    long per[NDESIGNS];
    int top;
    twenty_seeds(2000, v, &top, per);
    assert_true(per[top] > 2 * FILE_REPS * NSEEDS);
}

static void threads_do_not_change_the_selection(void **unused)
{
    (void)unused;
    line_yaml(2000);
    outcome a, b;
    select_once(7, 1, 0, &a);
    select_once(7, 2, 0, &b);
    assert_int_equal(a.best, b.best);
    for (int k = 0; k < NDESIGNS; k++) assert_int_equal(a.nreps[k], b.nreps[k]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(selects_the_best_within_the_guarantee),
        cmocka_unit_test(noisy_replications_take_more_stages),
        cmocka_unit_test(threads_do_not_change_the_selection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
