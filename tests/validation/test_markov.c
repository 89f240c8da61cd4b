/*
 * test_markov.c — the exact Markov-chain solver (markov.c) against closed
 * forms and structural laws of production lines, before it is trusted as
 * the reference for the simulator in test_theory.c.
 *
 * Closed forms: the two-machine exponential line with a buffer of N
 * (a birth-death chain), the zero-buffer lines of identical exponential
 * machines (Hunt's values), a single machine with operation-dependent
 * failures.  Laws that hold for any line: flow conservation (every machine
 * passes the same rate of parts), reversibility (a line and its mirror image
 * have the same throughput), throughput rises with buffer capacity and
 * never exceeds the slowest machine's isolated rate.  The solver computes in
 * double precision from exact rational rates, so the closed forms are
 * checked to 1e-9 relative; literature values given to four digits are
 * checked to half a unit of their last digit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include "markov.h"

#define EXACT 1e-9                  /* relative, for closed forms        */

static void assert_close(double got, double want, double rel)
{
    double err = fabs(got - want) / fabs(want);
    if (err > rel)
        fail_msg("got %.12g, want %.12g (relative error %.3g > %.3g)", got, want, err, rel);
}

/* A small deterministic generator, so the random lines are the same on
 * every run and every platform. */
typedef struct draw { uint64_t s; } draw;

static double draw_uniform(draw *d)
{
    d->s ^= d->s << 13; d->s ^= d->s >> 7; d->s ^= d->s << 17;
    return (double)(d->s >> 11) / 9007199254740992.0;
}

static markov_line random_line(draw *d, int max_machines, int max_capacity, int failures)
{
    markov_line l = markov_uniform_line(2 + (int)(draw_uniform(d) * (max_machines - 1)), 1, 0);
    for (int i = 0; i < l.nmachines; i++) {
        l.machine[i].mu = 0.5 + 1.5 * draw_uniform(d);
        if (failures && draw_uniform(d) < 0.7) {
            l.machine[i].p = 0.005 + 0.05 * draw_uniform(d);
            l.machine[i].r = 0.05 + 0.5 * draw_uniform(d);
        }
        if (i < l.nmachines - 1)
            l.capacity[i] = (int)(draw_uniform(d) * (max_capacity + 1));
    }
    return l;
}

static markov_result solve(const markov_line *l, markov_method m)
{
    markov_result r;
    assert_int_equal(markov_solve(l, m, &r), 0);
    assert_true(r.residual < 1e-12);
    return r;
}

/* Two machines, buffer N: the parts between M1's output and M2's exit
 * (buffer, M2, and M1 blocked) form a birth-death chain on 0..N+2 with
 * pi_n ~ rho^n, rho = mu1/mu2.  TH = mu2 (1 - pi_0). */
static void two_machine_exact(double mu1, double mu2, int n, double *th, double *level)
{
    double rho = mu1 / mu2, w[64], sum = 0;
    for (int j = 0; j <= n + 2; j++) { w[j] = pow(rho, j); sum += w[j]; }
    *th = mu2 * (1 - w[0] / sum);
    *level = 0;
    for (int j = 2; j <= n + 2; j++) *level += (j - 1 < n ? j - 1 : n) * w[j] / sum;
}

static void test_two_machine_closed_form(void **state)
{
    static const double rhos[] = { 0.5, 0.8, 1.0, 1.25, 2.0 };
    (void)state;
    for (int n = 0; n <= 8; n++) {
        for (size_t k = 0; k < sizeof rhos / sizeof *rhos; k++) {
            markov_line l = markov_uniform_line(2, 1.0, n);
            double rho = rhos[k], th, level;
            l.machine[0].mu = rho;
            two_machine_exact(rho, 1.0, n, &th, &level);
            /* the textbook form, independently of the chain above */
            double book = rho == 1.0 ? (n + 2.0) / (n + 3.0)
                        : rho * (1 - pow(rho, n + 2)) / (1 - pow(rho, n + 3));
            assert_close(th, book, EXACT);
            for (int m = MARKOV_DENSE; m <= MARKOV_ITERATIVE; m++) {
                markov_result r = solve(&l, (markov_method)m);
                assert_close(r.throughput, book, EXACT);
                if (n > 0) assert_close(r.mean_level[0], level, EXACT);
                else assert_true(r.mean_level[0] == 0);
            }
        }
    }
}

static void test_zero_buffer_lines(void **state)
{
    /* Hunt (1956) and later tables: K identical exponential machines, no
     * buffers, blocking after service; throughput in units of mu. */
    static const double hunt[] = { 0, 1.0, 2.0 / 3.0, 22.0 / 39.0, 0.5148, 0.4858 };
    static const double tol[]  = { 0, EXACT, EXACT, EXACT, 0.00005, 0.00005 };
    (void)state;
    for (int k = 1; k <= 5; k++) {
        for (double mu = 0.5; mu <= 2.0; mu *= 2) {
            markov_line l = markov_uniform_line(k, mu, 0);
            markov_result r = solve(&l, MARKOV_AUTO);
            if (tol[k] == EXACT) assert_close(r.throughput, mu * hunt[k], EXACT);
            else assert_true(fabs(r.throughput / mu - hunt[k]) <= tol[k]);
        }
    }
}

static void test_single_machine_failures(void **state)
{
    (void)state;
    for (double p = 0.001; p < 1; p *= 7) {
        for (double rr = 0.01; rr < 10; rr *= 9) {
            markov_line l = markov_uniform_line(1, 1.3, 0);
            l.machine[0].p = p;
            l.machine[0].r = rr;
            markov_result r = solve(&l, MARKOV_AUTO);
            assert_close(r.throughput, 1.3 * rr / (rr + p), EXACT);
            assert_close(r.state[0][MK_FAILED], p / (rr + p), EXACT);
            assert_close(r.state[0][MK_WORKING], rr / (rr + p), EXACT);
        }
    }
}

/* Every machine passes the same rate of parts, and its states are a
 * probability distribution that respects the line's boundary rules. */
static void test_flow_conservation(void **state)
{
    draw d = { 0x9e3779b97f4a7c15u };
    (void)state;
    for (int t = 0; t < 40; t++) {
        markov_line l = random_line(&d, 5, 3, 1);
        markov_result r = solve(&l, MARKOV_AUTO);
        for (int i = 0; i < l.nmachines; i++) {
            double sum = 0;
            for (int s = 0; s < MK_NSTATES; s++) sum += r.state[i][s];
            assert_true(fabs(sum - 1) < 1e-12);
            assert_close(r.state[i][MK_WORKING] * l.machine[i].mu, r.throughput, 1e-10);
            if (l.machine[i].p == 0) assert_true(r.state[i][MK_FAILED] == 0);
        }
        assert_true(r.state[0][MK_IDLE] == 0);
        assert_true(r.state[l.nmachines - 1][MK_BLOCKED] == 0);
    }
}

/* Reversibility (Muth 1979; Yamazaki and Sakasegawa 1975): reversing the
 * order of machines and buffers leaves the throughput unchanged.  With
 * operation-dependent failures a machine is a reliable one with a
 * phase-type processing time, so the law covers those lines too. */
static void test_reversibility(void **state)
{
    draw d = { 12345 };
    (void)state;
    for (int t = 0; t < 40; t++) {
        markov_line l = random_line(&d, 4, 4, t % 2), rev = l;
        int k = l.nmachines;
        for (int i = 0; i < k; i++) rev.machine[i] = l.machine[k - 1 - i];
        for (int i = 0; i < k - 1; i++) rev.capacity[i] = l.capacity[k - 2 - i];
        assert_close(solve(&rev, MARKOV_AUTO).throughput, solve(&l, MARKOV_AUTO).throughput, 1e-9);
    }
}

static void test_dense_and_iterative_agree(void **state)
{
    draw d = { 777 };
    (void)state;
    for (int t = 0; t < 30; t++) {
        markov_line l = random_line(&d, 4, 2, 1);
        markov_result a = solve(&l, MARKOV_DENSE), b = solve(&l, MARKOV_ITERATIVE);
        assert_int_equal(a.nstates, b.nstates);
        assert_close(b.throughput, a.throughput, 1e-9);
        assert_true(fabs(a.wip - b.wip) < 1e-8 * a.wip);
        for (int i = 0; i < l.nmachines - 1; i++)
            assert_true(fabs(a.mean_level[i] - b.mean_level[i]) < 1e-8 * (1 + a.mean_level[i]));
    }
}

/* More buffer space never lowers throughput, and no line is faster than
 * its slowest machine on its own, mu r / (r + p). */
static void test_buffer_monotone_and_bounded(void **state)
{
    draw d = { 4242 };
    (void)state;
    for (int t = 0; t < 20; t++) {
        markov_line l = random_line(&d, 4, 0, 1);
        double slowest = INFINITY, prev = 0;
        for (int i = 0; i < l.nmachines; i++) {
            const markov_machine *m = &l.machine[i];
            double iso = m->p > 0 ? m->mu * m->r / (m->r + m->p) : m->mu;
            if (iso < slowest) slowest = iso;
        }
        for (int n = 0; n <= 6; n++) {
            for (int i = 0; i < l.nmachines - 1; i++) l.capacity[i] = n;
            double th = solve(&l, MARKOV_AUTO).throughput;
            assert_true(th >= prev * (1 - 1e-12));
            assert_true(th <= slowest * (1 + 1e-12));
            prev = th;
        }
    }
}

static void test_invalid_lines(void **state)
{
    markov_result r;
    markov_line l = markov_uniform_line(2, 1.0, 1);
    (void)state;
    l.machine[1].mu = 0;
    assert_int_equal(markov_solve(&l, MARKOV_AUTO, &r), -1);
    l = markov_uniform_line(2, 1.0, 1);
    l.machine[0].p = 0.1;           /* failures without repairs */
    assert_int_equal(markov_solve(&l, MARKOV_AUTO, &r), -1);
    l = markov_uniform_line(MARKOV_MAX_MACHINES + 1, 1.0, 1);
    assert_int_equal(markov_solve(&l, MARKOV_AUTO, &r), -1);
    l = markov_uniform_line(2, 1.0, -1);
    assert_int_equal(markov_solve(&l, MARKOV_AUTO, &r), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_machine_closed_form),
        cmocka_unit_test(test_zero_buffer_lines),
        cmocka_unit_test(test_single_machine_failures),
        cmocka_unit_test(test_flow_conservation),
        cmocka_unit_test(test_reversibility),
        cmocka_unit_test(test_dense_and_iterative_agree),
        cmocka_unit_test(test_buffer_monotone_and_bounded),
        cmocka_unit_test(test_invalid_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
