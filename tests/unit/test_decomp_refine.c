/*
 * test_decomp_refine.c — the decomposition (src/analytic/decomp.c) with
 * blocks refined from their kept factors between sweeps gives the same
 * answer as with every block factored afresh in every sweep.
 *
 * 40 random lines: 2 to 7 stations, cycles exponential, Erlang-like (SCV
 * 0.3-0.9), hyperexponential (SCV 1.5-4) or nearly constant (SCV 0.05),
 * 0-2 failure modes each, neighbours seen in compact form as the estimate
 * uses them, buffers 0-12.  Both runs iterate to a change of 1e-9, so
 * they end within ~1e-8 of the same fixed point; throughput, mean levels
 * and station states must agree to 1e-6 (relative for the throughput).  A
 * refinement that dropped or misplaced a transition would move them by
 * orders of magnitude more.  The generator is fixed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include "analytic/decomp.h"

#define NLINES 40
#define KMAX 7

typedef struct draw { uint64_t s; } draw;

static double uniform(draw *d)
{
    d->s ^= d->s << 13; d->s ^= d->s >> 7; d->s ^= d->s << 17;
    return (double)(d->s >> 11) / 9007199254740992.0;
}

static void random_station(draw *d, ph *full, ph *compact)
{
    double mean = 40 + 40 * uniform(d), u = uniform(d), scv;
    scv = u < 0.25 ? 1 : u < 0.5 ? 0.3 + 0.6 * uniform(d) : u < 0.75 ? 1.5 + 2.5 * uniform(d) : 0.05;
    int nf = (int)(uniform(d) * 3);
    double ttf[2], ttr[2];
    for (int f = 0; f < nf; f++) {
        ttf[f] = 1800 + 14400 * uniform(d);
        ttr[f] = 120 + 900 * uniform(d);
    }
    int exact;
    assert_int_equal(ph_station(full, mean, scv, nf, ttf, ttr, &exact), 0);
    assert_int_equal(ph_compact(compact, full, mean, nf, ttf, ttr), 0);
}

static void refined_equals_fresh(void **unused)
{
    (void)unused;
    draw d = { 0x2545f4914f6cdd1dULL };
    double worst = 0;
    for (int t = 0; t < NLINES; t++) {
        int k = 2 + t % (KMAX - 1);
        ph full[KMAX], compact[KMAX];
        long cap[KMAX];
        for (int i = 0; i < k; i++) random_station(&d, &full[i], &compact[i]);
        for (int i = 0; i + 1 < k; i++) cap[i] = (long)(uniform(&d) * 13);
        decomp_line l = { k, full, compact, cap, NULL, NULL, 0, 1e-9 };
        double lv[2][KMAX], st[2][KMAX][DS_NSTATES];
        decomp_result r[2];
        for (int run = 0; run < 2; run++) {
            l.fresh = run;
            r[run].mean_level = lv[run];
            r[run].state = st[run];
            int rc = decomp_solve(&l, &r[run]);
            if (rc != 0) fail_msg("line %d (%s): decomp_solve returned %d", t,
                                  run ? "fresh" : "refined", rc);
        }
        double e = fabs(r[0].throughput - r[1].throughput) / r[1].throughput;
        for (int i = 0; i + 1 < k; i++) e = fmax(e, fabs(lv[0][i] - lv[1][i]) / (1 + lv[1][i]));
        for (int i = 0; i < k; i++)
            for (int s = 0; s < DS_NSTATES; s++) e = fmax(e, fabs(st[0][i][s] - st[1][i][s]));
        if (e > 1e-6) fail_msg("line %d (%d stations): refined and fresh differ by %.3g", t, k, e);
        worst = fmax(worst, e);
    }
    print_message("refined vs fresh on %d lines: largest difference %.3g\n", NLINES, worst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(refined_equals_fresh),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
