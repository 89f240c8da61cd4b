/*
 * test_core.c — unit tests of the simulation kernel: random streams,
 * distributions, the event calendar, statistics and diagnostics.
 *
 * Statistical checks use a fixed seed, so they are deterministic; their
 * tolerances are still chosen as if the seed were arbitrary (at least four
 * standard errors, a false alarm rate below 1e-4 per check), so a change of
 * seed or of sampling algorithm does not make them flaky, while a wrong
 * formula or parametrisation moves the estimate by many standard errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/dist.h"
#include "core/heap.h"
#include "core/rng.h"
#include "core/stats.h"

#define NSAMPLE 200000

/* ---- random streams ---------------------------------------------------- */

static void test_splitmix64_reference(void **state)
{
    (void)state;
    /* First outputs of splitmix64 from state 0, as published with the
     * reference implementation (Vigna, splitmix64.c). */
    uint64_t s = 0;
    assert_true(rng_splitmix64(&s) == 0xe220a8397b1dcdafULL);
    assert_true(rng_splitmix64(&s) == 0x6e789e6aa1b965f4ULL);
    assert_true(rng_splitmix64(&s) == 0x06c45d188009454fULL);
}

static void test_rng_reproducible(void **state)
{
    (void)state;
    rng a, b;
    rng_seed(&a, 42, 1, 2, 3);
    rng_seed(&b, 42, 1, 2, 3);
    for (int i = 0; i < 1000; i++)
        assert_true(rng_next(&a) == rng_next(&b));
}

static void test_rng_tuples_differ(void **state)
{
    (void)state;
    const uint64_t tuples[][4] = {
        { 0, 0, 0, 0 }, { 1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 },
        { 0, 0, 0, 1 }, { 1, 1, 0, 0 }, { 0, 0, 1, 1 }, { 7, 3, 2, 1 },
    };
    enum { NT = sizeof tuples / sizeof tuples[0] };
    uint64_t first[NT];
    for (int i = 0; i < NT; i++) {
        rng r;
        rng_seed(&r, tuples[i][0], tuples[i][1], tuples[i][2], tuples[i][3]);
        assert_true((r.s[0] | r.s[1] | r.s[2] | r.s[3]) != 0);
        first[i] = rng_next(&r);
        for (int j = 0; j < i; j++)
            assert_true(first[i] != first[j]);
    }
}

/* Correlation of paired uniforms from two streams.  Under independence
 * r is approximately N(0, 1/n); we allow 4/sqrt(n). */
static void check_uncorrelated(const uint64_t *ta, const uint64_t *tb)
{
    rng a, b;
    rng_seed(&a, ta[0], ta[1], ta[2], ta[3]);
    rng_seed(&b, tb[0], tb[1], tb[2], tb[3]);
    double sxy = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < NSAMPLE; i++) {
        double x = rng_uniform(&a), y = rng_uniform(&b);
        sx += x; sy += y; sxy += x * y; sxx += x * x; syy += y * y;
    }
    double n = NSAMPLE;
    double cov = sxy / n - (sx / n) * (sy / n);
    double r = cov / sqrt((sxx / n - (sx / n) * (sx / n)) * (syy / n - (sy / n) * (sy / n)));
    assert_true(fabs(r) < 4.0 / sqrt(n));
}

static void test_rng_streams_independent(void **state)
{
    (void)state;
    const uint64_t a[4] = { 7, 0, 0, 0 }, b[4] = { 7, 0, 0, 1 };
    const uint64_t c[4] = { 7, 1, 0, 0 }, d[4] = { 7, 0, 1, 0 };
    check_uncorrelated(a, b);
    check_uncorrelated(c, d);
    check_uncorrelated(a, c);
}

static void test_rng_uniform_range(void **state)
{
    (void)state;
    rng r;
    rng_seed(&r, 1, 0, 0, 0);
    double sum = 0, lo = 1, hi = 0;
    for (int i = 0; i < 1000000; i++) {
        double u = rng_uniform(&r);
        assert_true(u > 0.0 && u < 1.0);
        sum += u;
        lo = u < lo ? u : lo;
        hi = u > hi ? u : hi;
    }
    /* Mean of 1e6 U(0,1): SE = sqrt(1/12/1e6) = 2.9e-4; allow 4 SE. */
    assert_true(fabs(sum / 1e6 - 0.5) < 4 * sqrt(1.0 / 12 / 1e6));
    assert_true(lo < 1e-5 && hi > 1 - 1e-5);
}

/* ---- distributions ------------------------------------------------------ */

static dist make(dist_kind k, double a, double b, double c)
{
    dist d = { .kind = k, .p = { a, b, c } };
    return d;
}

/* Draw NSAMPLE values and compare with the exact mean (and variance when
 * var > 0).  The sample mean has standard error sqrt(var/n); the sample
 * variance, asymptotically, var*sqrt((kurt-1)/n) with kurt the (non-excess)
 * kurtosis.  Both are checked to 4 standard errors.  When var == 0 the
 * sample variance stands in for the standard error of the mean: with
 * n = 200000 and the light tails used here it is accurate to about 1 %. */
static void check_moments(dist d, double mean, double var, double kurt,
                          double lo, double hi)
{
    char err[128] = "";
    assert_int_equal(dist_prepare(&d, err, sizeof err), 0);
    assert_true(fabs(dist_mean(&d) - mean) <= 1e-9 * fabs(mean));
    rng r;
    rng_seed(&r, 2024, (uint64_t)d.kind, 0, 0);
    tally t;
    tally_reset(&t);
    for (int i = 0; i < NSAMPLE; i++) {
        double x = dist_sample(&d, &r);
        assert_true(x >= lo && x <= hi);
        tally_add(&t, x);
    }
    double n = NSAMPLE, s2 = tally_var(&t);
    double se_mean = sqrt((var > 0 ? var : s2) / n);
    assert_true(fabs(t.mean - mean) < 4 * se_mean);
    if (var > 0)
        assert_true(fabs(s2 - var) < 4 * var * sqrt((kurt - 1) / n));
}

/* Variance and kurtosis from raw moments m1..m4. */
static void raw_to_central(const double *m, double *var, double *kurt)
{
    double mu = m[1];
    *var = m[2] - mu * mu;
    double c4 = m[4] - 4 * m[3] * mu + 6 * m[2] * mu * mu - 3 * mu * mu * mu * mu;
    *kurt = c4 / (*var * *var);
}

static void test_dist_const(void **state)
{
    (void)state;
    dist d = dist_const(3.5);
    rng r;
    rng_seed(&r, 1, 2, 3, 4);
    for (int i = 0; i < 100; i++)
        assert_true(dist_sample(&d, &r) == 3.5);
    assert_true(dist_mean(&d) == 3.5);
}

static void test_dist_exp(void **state)
{
    (void)state;
    check_moments(dist_exp(2.0), 2.0, 4.0, 9.0, 0, INFINITY);
}

static void test_dist_uniform(void **state)
{
    (void)state;
    check_moments(make(DIST_UNIFORM, 1, 4, 0), 2.5, 9.0 / 12, 1.8, 1, 4);
}

static void test_dist_tri(void **state)
{
    (void)state;
    double a = 1, c = 2, b = 6;
    double var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
    check_moments(make(DIST_TRI, a, c, b), (a + b + c) / 3, var, 2.4, a, b);
    check_moments(make(DIST_TRI, 0, 0, 3), 1.0, 9.0 / 18, 2.4, 0, 3);
}

static void test_dist_normal(void **state)
{
    (void)state;
    /* Far from 0 truncation is negligible (mass below 0 is 3e-7). */
    check_moments(make(DIST_NORMAL, 5, 1, 0), 5 + 0.398942280401 * exp(-12.5) / 0.99999971334842808,
                  1.0, 3.0, 0, INFINITY);
    /* Mean 1, sd 1 truncated at 0: 1 + phi(1)/Phi(1), table values. */
    check_moments(make(DIST_NORMAL, 1, 1, 0), 1 + 0.24197072451914337 / 0.8413447460685429,
                  0, 0, 0, INFINITY);
    /* Mean 0: the half-normal, mean sd*sqrt(2/pi). */
    check_moments(make(DIST_NORMAL, 0, 2, 0), 2 * sqrt(2 / M_PI), 0, 0, 0, INFINITY);
    dist d = make(DIST_NORMAL, 4, 0, 0);
    assert_int_equal(dist_prepare(&d, NULL, 0), 0);
    rng r;
    rng_seed(&r, 1, 0, 0, 0);
    assert_true(dist_sample(&d, &r) == 4.0);
}

static void test_dist_lognormal(void **state)
{
    (void)state;
    /* The parameters are the mean and sd of X itself. */
    double m = 10, sd = 3;
    double s2 = log(1 + sd * sd / (m * m));
    double kurt = exp(4 * s2) + 2 * exp(3 * s2) + 3 * exp(2 * s2) - 3;
    check_moments(make(DIST_LOGNORMAL, m, sd, 0), m, sd * sd, kurt, 0, INFINITY);
    dist d = make(DIST_LOGNORMAL, 7, 0, 0);
    assert_int_equal(dist_prepare(&d, NULL, 0), 0);
    rng r;
    rng_seed(&r, 1, 0, 0, 0);
    assert_true(fabs(dist_sample(&d, &r) - 7.0) < 1e-12);
}

static void test_dist_erlang(void **state)
{
    (void)state;
    /* Small k (product of uniforms) and large k (gamma sampler). */
    const double ks[] = { 1, 3, 16, 17, 40 };
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        double k = ks[i], mean = 6;
        check_moments(make(DIST_ERLANG, k, mean, 0), mean, mean * mean / k,
                      3 + 6 / k, 0, INFINITY);
    }
}

static void test_dist_gamma(void **state)
{
    (void)state;
    /* shape >= 1 (Marsaglia–Tsang) and shape < 1 (with the U^(1/a) boost). */
    const double shapes[] = { 0.5, 1.0, 2.5 };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        double a = shapes[i], s = 4;
        check_moments(make(DIST_GAMMA, a, s, 0), a * s, a * s * s, 3 + 6 / a, 0, INFINITY);
    }
}

static void test_dist_weibull(void **state)
{
    (void)state;
    const double shapes[] = { 0.8, 1.5, 3.0 };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        double k = shapes[i], s = 10, m[5], var, kurt;
        for (int j = 1; j <= 4; j++)
            m[j] = pow(s, j) * tgamma(1 + j / k);
        raw_to_central(m, &var, &kurt);
        check_moments(make(DIST_WEIBULL, k, s, 0), m[1], var, kurt, 0, INFINITY);
    }
    /* Shape 1 is the exponential. */
    dist d = make(DIST_WEIBULL, 1, 10, 0);
    assert_int_equal(dist_prepare(&d, NULL, 0), 0);
    assert_true(fabs(dist_mean(&d) - 10) < 1e-12);
}

static void test_dist_empirical(void **state)
{
    (void)state;
    double values[] = { 1, 2, 2, 7 };
    dist d = { .kind = DIST_EMPIRICAL, .values = values, .nvalues = 4 };
    /* Population moments of the four equally likely values. */
    double m[5] = { 1, 0, 0, 0, 0 }, var, kurt;
    for (int j = 1; j <= 4; j++) {
        for (int i = 0; i < 4; i++)
            m[j] += pow(values[i], j) / 4;
    }
    raw_to_central(m, &var, &kurt);
    check_moments(d, 3.0, var, kurt, 1, 7);
    assert_int_equal(dist_prepare(&d, NULL, 0), 0);
    rng r;
    rng_seed(&r, 3, 0, 0, 0);
    int seen[8] = { 0 };
    for (int i = 0; i < 10000; i++) {
        double x = dist_sample(&d, &r);
        assert_true(x == 1 || x == 2 || x == 7);
        seen[(int)x]++;
    }
    /* P(no 1 in 10000 draws) = 0.75^10000: each value must appear. */
    assert_true(seen[1] > 0 && seen[2] > 0 && seen[7] > 0);
}

static void test_dist_names(void **state)
{
    (void)state;
    const char *names[] = { "const", "exp", "uniform", "tri", "normal",
                            "lognormal", "erlang", "gamma", "weibull", "empirical" };
    for (int k = DIST_CONST; k <= DIST_EMPIRICAL; k++)
        assert_string_equal(dist_kind_name((dist_kind)k), names[k]);
}

static void test_dist_rejects_bad_parameters(void **state)
{
    (void)state;
    const double nan = NAN, inf = INFINITY;
    const dist bad[] = {
        make(DIST_CONST, -1, 0, 0), make(DIST_CONST, nan, 0, 0), make(DIST_CONST, inf, 0, 0),
        make(DIST_EXP, 0, 0, 0), make(DIST_EXP, -1, 0, 0), make(DIST_EXP, nan, 0, 0),
        make(DIST_EXP, inf, 0, 0),
        make(DIST_UNIFORM, 2, 1, 0), make(DIST_UNIFORM, -1, 1, 0), make(DIST_UNIFORM, 0, inf, 0),
        make(DIST_UNIFORM, nan, 1, 0), make(DIST_UNIFORM, 0, nan, 0),
        make(DIST_TRI, 3, 2, 4), make(DIST_TRI, 1, 5, 4), make(DIST_TRI, -1, 0, 1),
        make(DIST_TRI, 0, nan, 1), make(DIST_TRI, 0, 1, inf), make(DIST_TRI, nan, 1, 2),
        make(DIST_NORMAL, -1, 1, 0), make(DIST_NORMAL, 1, -1, 0), make(DIST_NORMAL, nan, 1, 0),
        make(DIST_NORMAL, 1, inf, 0), make(DIST_NORMAL, inf, 1, 0),
        make(DIST_LOGNORMAL, 0, 1, 0), make(DIST_LOGNORMAL, 1, -1, 0),
        make(DIST_LOGNORMAL, inf, 1, 0), make(DIST_LOGNORMAL, 1, nan, 0),
        make(DIST_ERLANG, 0, 1, 0), make(DIST_ERLANG, 2.5, 1, 0), make(DIST_ERLANG, 2, 0, 0),
        make(DIST_ERLANG, nan, 1, 0), make(DIST_ERLANG, 2, inf, 0), make(DIST_ERLANG, inf, 1, 0),
        make(DIST_GAMMA, 0, 1, 0), make(DIST_GAMMA, 1, 0, 0), make(DIST_GAMMA, nan, 1, 0),
        make(DIST_GAMMA, 1, inf, 0), make(DIST_GAMMA, -2, 1, 0),
        make(DIST_WEIBULL, 0, 1, 0), make(DIST_WEIBULL, 1, -1, 0), make(DIST_WEIBULL, inf, 1, 0),
        make(DIST_WEIBULL, 1, nan, 0),
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        dist d = bad[i];
        char err[128] = "";
        assert_int_equal(dist_prepare(&d, err, sizeof err), -1);
        assert_true(strlen(err) > 0);
        /* The message names the distribution as written in plant files. */
        assert_non_null(strstr(err, dist_kind_name(d.kind)));
    }
    dist d = make(DIST_EXP, 0, 0, 0);
    char err[128];
    dist_prepare(&d, err, sizeof err);
    assert_string_equal(err, "exp() needs a mean > 0");
    char tiny[4] = "xxx";
    assert_int_equal(dist_prepare(&d, tiny, sizeof tiny), -1);
    assert_int_equal(strlen(tiny), 3);   /* truncated, still terminated */
    assert_int_equal(dist_prepare(&d, NULL, 0), -1);

    double v_neg[] = { 1, -1 }, v_nan[] = { NAN }, v_inf[] = { 1, INFINITY };
    dist emp[] = {
        { .kind = DIST_EMPIRICAL, .values = v_neg, .nvalues = 0 },
        { .kind = DIST_EMPIRICAL, .values = NULL, .nvalues = 2 },
        { .kind = DIST_EMPIRICAL, .values = v_neg, .nvalues = 2 },
        { .kind = DIST_EMPIRICAL, .values = v_nan, .nvalues = 1 },
        { .kind = DIST_EMPIRICAL, .values = v_inf, .nvalues = 2 },
    };
    for (size_t i = 0; i < sizeof emp / sizeof emp[0]; i++)
        assert_int_equal(dist_prepare(&emp[i], err, sizeof err), -1);
}

static void test_dist_accepts_boundaries(void **state)
{
    (void)state;
    const dist good[] = {
        make(DIST_CONST, 0, 0, 0), make(DIST_UNIFORM, 0, 0, 0), make(DIST_UNIFORM, 2, 2, 0),
        make(DIST_TRI, 0, 0, 0), make(DIST_TRI, 1, 1, 3), make(DIST_TRI, 1, 3, 3),
        make(DIST_NORMAL, 0, 0, 0), make(DIST_LOGNORMAL, 1, 0, 0), make(DIST_ERLANG, 1, 1, 0),
        make(DIST_GAMMA, 0.01, 1, 0), make(DIST_WEIBULL, 5, 1, 0),
    };
    rng r;
    rng_seed(&r, 5, 0, 0, 0);
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        dist d = good[i];
        assert_int_equal(dist_prepare(&d, NULL, 0), 0);
        for (int j = 0; j < 1000; j++) {
            double x = dist_sample(&d, &r);
            assert_true(x >= 0 && isfinite(x));
        }
    }
}

/* ---- event calendar ----------------------------------------------------- */

static void test_heap_random_order(void **state)
{
    (void)state;
    heap h;
    assert_int_equal(heap_init(&h, 16), 0);
    rng r;
    rng_seed(&r, 11, 0, 0, 0);
    for (uint32_t i = 0; i < 20000; i++)
        assert_int_equal(heap_push(&h, 1000 * rng_uniform(&r), 1, i, 0, 0), 0);
    event e, prev = { .t = -1 };
    uint32_t count = 0;
    while (heap_pop(&h, &e) == 0) {
        assert_true(e.t > prev.t || (e.t == prev.t && e.seq > prev.seq));
        prev = e;
        count++;
    }
    assert_int_equal(count, 20000);
    assert_int_equal(heap_pop(&h, &e), -1);
    heap_free(&h);
}

static void test_heap_fifo_ties(void **state)
{
    (void)state;
    heap h;
    assert_int_equal(heap_init(&h, 4), 0);
    /* Several times, each with many events, pushed interleaved. */
    for (uint32_t i = 0; i < 3000; i++)
        heap_push(&h, (double)(i % 3), 0, i, 0, 0);
    event e;
    for (uint32_t t = 0; t < 3; t++)
        for (uint32_t k = 0; k < 1000; k++) {
            assert_int_equal(heap_pop(&h, &e), 0);
            assert_true(e.t == t);
            assert_int_equal(e.id, 3 * k + t);
        }
    /* -0.0 and +0.0 are the same time. */
    heap_clear(&h);
    heap_push(&h, 0.0, 0, 0, 0, 0);
    heap_push(&h, -0.0, 0, 1, 0, 0);
    heap_push(&h, 0.0, 0, 2, 0, 0);
    for (uint32_t i = 0; i < 3; i++) {
        heap_pop(&h, &e);
        assert_int_equal(e.id, i);
    }
    heap_free(&h);
}

/* Interleaved pushes and pops with many ties, against a linear scan. */
static void test_heap_against_reference(void **state)
{
    (void)state;
    enum { MAXREF = 4096 };
    static event ref[MAXREF];
    int nref = 0;
    heap h;
    assert_int_equal(heap_init(&h, 1), 0);
    rng r;
    rng_seed(&r, 12, 0, 0, 0);
    double now = 0;
    for (uint32_t step = 0; step < 100000; step++) {
        int push = nref == 0 || (nref < MAXREF && rng_uniform(&r) < 0.52);
        if (push) {
            double t = now + floor(rng_uniform(&r) * 8);
            ref[nref++] = (event){ .t = t, .seq = h.next_seq, .id = step, .gen = step * 7u };
            assert_int_equal(heap_push(&h, t, 2, step, step * 7u, 9), 0);
            continue;
        }
        int best = 0;
        for (int i = 1; i < nref; i++)
            if (ref[i].t < ref[best].t || (ref[i].t == ref[best].t && ref[i].seq < ref[best].seq))
                best = i;
        event e;
        assert_int_equal(heap_pop(&h, &e), 0);
        assert_int_equal(e.id, ref[best].id);
        assert_int_equal(e.gen, ref[best].gen);
        assert_int_equal(e.type, 2);
        assert_int_equal(e.arg, 9);
        now = e.t;
        ref[best] = ref[--nref];
        assert_int_equal(h.n, (uint32_t)nref);
    }
    heap_free(&h);
}

static void test_heap_growth(void **state)
{
    (void)state;
    for (uint32_t cap = 0; cap <= 1; cap++) {
        heap h;
        assert_int_equal(heap_init(&h, cap), 0);
        for (uint32_t i = 0; i < 5000; i++)
            assert_int_equal(heap_push(&h, (double)(5000 - i), 0, i, 0, 0), 0);
        assert_true(h.cap >= 5000);
        assert_int_equal(h.n, 5000);
        assert_true(heap_top_time(&h) == 1.0);
        event e;
        for (uint32_t i = 0; i < 5000; i++) {
            assert_int_equal(heap_pop(&h, &e), 0);
            assert_int_equal(e.id, 4999 - i);
        }
        assert_true(heap_empty(&h));
        heap_free(&h);
    }
}

/* ---- statistics --------------------------------------------------------- */

static void test_tally_matches_two_pass(void **state)
{
    (void)state;
    enum { N = 100000 };
    static double x[N];
    rng r;
    rng_seed(&r, 21, 0, 0, 0);
    tally t;
    tally_reset(&t);
    assert_true(tally_var(&t) == 0);
    /* A large offset: the naive sum-of-squares formula fails here.  The
     * reference sums x - 1e9, which is exact, so it is accurate to 1e-15. */
    const double offset = 1e9;
    double lo = INFINITY, hi = -INFINITY, sum = 0;
    for (int i = 0; i < N; i++) {
        x[i] = offset + rng_uniform(&r);
        tally_add(&t, x[i]);
        sum += x[i] - offset;
        lo = fmin(lo, x[i]);
        hi = fmax(hi, x[i]);
    }
    double mean = offset + sum / N, ss = 0;
    for (int i = 0; i < N; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    assert_int_equal(t.n, N);
    /* Welford's mean carries one rounding (ulp(1e9)/2 = 6e-8) per update,
     * a random walk of about 2e-5 over 1e5 updates. */
    assert_true(fabs(t.mean - mean) < 1e-4);
    assert_true(fabs(tally_var(&t) - ss / (N - 1)) < 1e-6 * (ss / (N - 1)));
    assert_true(t.min == lo && t.max == hi);
    tally_reset(&t);
    tally_add(&t, 5);
    assert_true(tally_var(&t) == 0 && t.mean == 5 && t.min == 5 && t.max == 5);
}

static void test_timeavg(void **state)
{
    (void)state;
    timeavg a;
    timeavg_reset(&a, 10, 2);
    assert_true(timeavg_mean(&a, 10) == 2);
    timeavg_set(&a, 15, 4);
    timeavg_set(&a, 20, 0);
    /* (2*5 + 4*5 + 0*10) / 20 */
    assert_true(fabs(timeavg_mean(&a, 30) - 1.5) < 1e-12);
    assert_true(a.max == 4);
    /* A new window forgets the past. */
    timeavg_reset(&a, 30, 1);
    timeavg_set(&a, 40, 3);
    assert_true(fabs(timeavg_mean(&a, 50) - 2.0) < 1e-12);
    assert_true(a.max == 3);
}

static void test_qhist_exp_quantiles(void **state)
{
    (void)state;
    /* n = 1e6 draws of exp(mean 10).  The sample p-quantile has SE
     * sqrt(p(1-p)/n)/f(x_p); relative to x_p that is at most 0.45 % for the
     * p below (largest at p = 0.999), and the interpolated bin error is a
     * fraction of the 1.4 % bin width, so 2 % is a safe bound. */
    static qhist h, half1, half2;
    qhist_init(&h, 1e-3);
    qhist_init(&half1, 1e-3);
    qhist_init(&half2, 1e-3);
    rng r;
    rng_seed(&r, 31, 0, 0, 0);
    for (int i = 0; i < 1000000; i++) {
        double x = -10 * log(rng_uniform(&r));
        qhist_add(&h, x);
        qhist_add(i % 2 ? &half1 : &half2, x);
    }
    const double ps[] = { 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999 };
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        double exact = -10 * log(1 - ps[i]);
        assert_true(fabs(qhist_quantile(&h, ps[i]) / exact - 1) < 0.02);
    }
    /* Merging halves gives the same histogram as adding everything. */
    qhist_merge(&half1, &half2);
    assert_int_equal(half1.n, h.n);
    assert_int_equal(half1.zeros, h.zeros);
    assert_memory_equal(half1.bins, h.bins, sizeof h.bins);
    assert_true(qhist_quantile(&h, 0) <= qhist_quantile(&h, 0.5));
    assert_true(qhist_quantile(&h, 0.5) <= qhist_quantile(&h, 1));
}

static void test_qhist_edges(void **state)
{
    (void)state;
    static qhist h;
    qhist_init(&h, 1e-3);
    assert_true(qhist_quantile(&h, 0.5) == 0);          /* empty */
    for (int i = 0; i < 60; i++)
        qhist_add(&h, 0);
    for (int i = 0; i < 40; i++)
        qhist_add(&h, 1e30);                             /* beyond the range */
    assert_int_equal(h.n, 100);
    assert_int_equal(h.zeros, 60);
    assert_true(qhist_quantile(&h, 0.5) == 0);
    double top = qhist_quantile(&h, 1);
    /* Saturates at the top of the range: lo * 10^12 within a bin. */
    assert_true(isfinite(top) && top > 1e8 && top < 1.1e9);
    /* A single value is recovered to within one bin (1.4 %). */
    qhist_init(&h, 1e-3);
    qhist_add(&h, 42);
    assert_true(fabs(qhist_quantile(&h, 0.5) / 42 - 1) < 0.014);
}

static void test_student_t(void **state)
{
    (void)state;
    /* Published table values (two-sided 95 %). */
    const struct { int df; double t; } known[] = {
        { 1, 12.706 }, { 2, 4.303 }, { 9, 2.262 }, { 30, 2.042 },
        { 40, 2.021 }, { 60, 2.000 }, { 100, 1.984 }, { 1000, 1.962 },
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        assert_true(fabs(student_t975(known[i].df) - known[i].t) < 1e-3);
    /* Decreasing in df, towards the normal quantile, no jump at 30/31. */
    for (int df = 1; df < 2000; df++)
        assert_true(student_t975(df + 1) < student_t975(df));
    assert_true(student_t975(30) - student_t975(31) < 0.004);
    assert_true(fabs(student_t975(1000000) - 1.959964) < 1e-5);
    assert_true(student_t975(0) == 0 && student_t975(-3) == 0);
}

static void test_ci95(void **state)
{
    (void)state;
    const double x[] = { 1, 2, 3, 4, 5 };
    double mean, half;
    ci95(x, 5, &mean, &half);
    /* s = sqrt(2.5), t(4) = 2.776 from a printed table. */
    assert_true(fabs(mean - 3) < 1e-12);
    assert_true(fabs(half - 2.776 * sqrt(2.5) / sqrt(5)) < 1e-3);
    ci95(x, 1, &mean, &half);
    assert_true(mean == 1 && half == 0);
    ci95(x, 0, &mean, &half);
    assert_true(mean == 0 && half == 0);
    const double same[] = { 7, 7, 7 };
    ci95(same, 3, &mean, &half);
    assert_true(mean == 7 && half == 0);
}

/* ---- diagnostics -------------------------------------------------------- */

static void test_diags(void **state)
{
    (void)state;
    diags d;
    char name[] = "plant.yaml";
    diags_init(&d, name);
    name[0] = 'X';                      /* the list keeps its own copy */
    for (int i = 0; i < 100; i++)
        diags_add(&d, i + 1, 3, "problem %d of %s", i, "many");
    diags_add(&d, 0, 0, "no position");
    diags_add(&d, 7, 0, "line only");
    assert_int_equal(d.n, 102);
    char buf[128];
    diags_format(&d, 41, buf, sizeof buf);
    assert_string_equal(buf, "plant.yaml:42:3: problem 41 of many");
    diags_format(&d, 100, buf, sizeof buf);
    assert_string_equal(buf, "plant.yaml: no position");
    diags_format(&d, 101, buf, sizeof buf);
    assert_string_equal(buf, "plant.yaml:7: line only");
    char small[8];
    diags_format(&d, 0, small, sizeof small);
    assert_string_equal(small, "plant.y");
    diags_format(&d, 500, buf, sizeof buf);
    assert_string_equal(buf, "");
    diags_free(&d);
    assert_int_equal(d.n, 0);
}

/* The exponential sampler (a ziggurat) must give the exponential law over
 * its whole range, layers and tail included, not only the right mean: the
 * empirical CDF at 12 points from 0.01 to 12 means (the ziggurat's tail
 * starts at 7.7) is compared with 1 - exp(-x).  With n = 2,000,000 draws
 * the standard error of a CDF value is sqrt(F(1-F)/n) <= 3.6e-4; allowing
 * 4 of them plus 1e-6 makes a false alarm improbable (about 1e-3 over all
 * points at a fixed seed) while a wrong layer (a few per mille of mass)
 * or a missing tail would show.  The count beyond 9 (mass 1.2e-4, inside
 * the ziggurat's tail) must match its Poisson expectation too. */
static void test_exp_distribution_shape(void **state)
{
    (void)state;
    static const double at[] = { 0.01, 0.1, 0.3, 0.5, 1, 1.5, 2, 3, 4.5, 6, 7.7, 12 };
    enum { NPOINTS = sizeof at / sizeof at[0] };
    const long n = 2000000;
    long below[NPOINTS] = { 0 }, beyond = 0;
    dist d = dist_exp(1.0);
    rng r;
    rng_seed(&r, 99, 1, 2, 3);
    for (long i = 0; i < n; i++) {
        double x = dist_sample(&d, &r);
        assert_true(x >= 0);
        for (int k = 0; k < NPOINTS; k++) if (x <= at[k]) below[k]++;
        if (x > 9) beyond++;
    }
    for (int k = 0; k < NPOINTS; k++) {
        double F = 1 - exp(-at[k]), got = (double)below[k] / (double)n;
        double se = sqrt(F * (1 - F) / (double)n);
        if (fabs(got - F) > 4 * se + 1e-6)
            fail_msg("P(X <= %g): %.6f, expected %.6f (se %.2g)", at[k], got, F, se);
    }
    /* P(X > 9) = 1.23e-4: about 247 of 2e6, Poisson sd ~16 */
    double expect = exp(-9.0) * (double)n;
    assert_true(fabs((double)beyond - expect) < 4 * sqrt(expect) + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_splitmix64_reference),
        cmocka_unit_test(test_exp_distribution_shape),
        cmocka_unit_test(test_rng_reproducible),
        cmocka_unit_test(test_rng_tuples_differ),
        cmocka_unit_test(test_rng_streams_independent),
        cmocka_unit_test(test_rng_uniform_range),
        cmocka_unit_test(test_dist_const),
        cmocka_unit_test(test_dist_exp),
        cmocka_unit_test(test_dist_uniform),
        cmocka_unit_test(test_dist_tri),
        cmocka_unit_test(test_dist_normal),
        cmocka_unit_test(test_dist_lognormal),
        cmocka_unit_test(test_dist_erlang),
        cmocka_unit_test(test_dist_gamma),
        cmocka_unit_test(test_dist_weibull),
        cmocka_unit_test(test_dist_empirical),
        cmocka_unit_test(test_dist_names),
        cmocka_unit_test(test_dist_rejects_bad_parameters),
        cmocka_unit_test(test_dist_accepts_boundaries),
        cmocka_unit_test(test_heap_random_order),
        cmocka_unit_test(test_heap_fifo_ties),
        cmocka_unit_test(test_heap_against_reference),
        cmocka_unit_test(test_heap_growth),
        cmocka_unit_test(test_tally_matches_two_pass),
        cmocka_unit_test(test_timeavg),
        cmocka_unit_test(test_qhist_exp_quantiles),
        cmocka_unit_test(test_qhist_edges),
        cmocka_unit_test(test_student_t),
        cmocka_unit_test(test_ci95),
        cmocka_unit_test(test_diags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
