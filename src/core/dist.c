/*
 * dist.c — validation, sampling and exact means of distributions.
 *
 * Sampling sits on the simulator's hot path (every processing time, time to
 * failure and repair is a draw), so everything that depends only on the
 * parameters — the log-scale parameters of a lognormal, the Marsaglia–Tsang
 * constants of a gamma, the mean of a truncated normal — is computed once in
 * dist_prepare() and kept in q[].  dist_sample() then costs one or two
 * uniforms and a transcendental or two.
 *
 * Every kind describes a duration, so every draw is >= 0: parameters that
 * could produce negative values are rejected, and the normal is truncated at
 * 0 by rejection (its mean parameter is >= 0, so at least half of the
 * proposals are accepted).  dist_mean() returns the mean of what is actually
 * sampled, i.e. the truncated mean for the normal.
 *
 * q[] layout per kind:
 *   EXP        -
 *   UNIFORM    q0 = b - a
 *   TRI        q0 = (mode-min)/(max-min), q1 = (max-min)(mode-min),
 *              q2 = (max-min)(max-mode)
 *   NORMAL     q0 = mean of the truncated variable
 *   LOGNORMAL  q0 = mu, q1 = sigma of log(X)
 *   ERLANG     q0 = mean/k; for k > ERLANG_PRODUCT_MAX q1, q2 = gamma d, c
 *   GAMMA      q0 = d, q1 = c (Marsaglia–Tsang), q2 = 1/shape when shape < 1
 *   WEIBULL    q0 = 1/shape
 *   EMPIRICAL  q0 = mean of the values
 */
#include "core/dist.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>

/* Up to this k an Erlang is drawn as a product of k uniforms (k draws, one
 * log); beyond it the gamma sampler is cheaper and cannot underflow. */
#define ERLANG_PRODUCT_MAX 16

static const char *const kind_names[] = {
    "const", "exp", "uniform", "tri", "normal",
    "lognormal", "erlang", "gamma", "weibull", "empirical"
};

const char *dist_kind_name(dist_kind k)
{
    if ((unsigned)k < sizeof kind_names / sizeof kind_names[0])
        return kind_names[k];
    return "?";
}

static int fail(char *err, int errlen, const char *msg)
{
    if (err && errlen > 0)
        snprintf(err, (size_t)errlen, "%s", msg);
    return -1;
}

static int params_finite(const dist *d, int np)
{
    for (int i = 0; i < np; i++)
        if (!isfinite(d->p[i]))
            return 0;
    return 1;
}

/* Marsaglia–Tsang constants for shape a >= 1. */
static void gamma_constants(double a, double *dd, double *c)
{
    *dd = a - 1.0 / 3.0;
    *c = 1.0 / sqrt(9.0 * *dd);
}

static double std_normal_pdf(double x)
{
    return exp(-0.5 * x * x) / sqrt(2.0 * M_PI);
}

static double std_normal_cdf(double x)
{
    return 0.5 * erfc(-x / M_SQRT2);
}

/* Mean of N(mu, sd^2) conditioned on X > 0. */
static double truncated_normal_mean(double mu, double sd)
{
    if (sd == 0.0)
        return mu;
    double z = mu / sd;
    return mu + sd * std_normal_pdf(z) / std_normal_cdf(z);
}

static int prepare_two(dist *d, char *err, int errlen)
{
    double a = d->p[0], b = d->p[1];
    switch (d->kind) {
    case DIST_UNIFORM:
        if (!params_finite(d, 2) || !(a >= 0 && a <= b))
            return fail(err, errlen, "uniform(a, b) needs 0 <= a <= b");
        d->q[0] = b - a;
        return 0;
    case DIST_NORMAL:
        if (!params_finite(d, 2) || !(a >= 0 && b >= 0))
            return fail(err, errlen, "normal(mean, sd) needs mean >= 0 and sd >= 0");
        d->q[0] = truncated_normal_mean(a, b);
        return 0;
    case DIST_LOGNORMAL: {
        if (!params_finite(d, 2) || !(a > 0 && b >= 0))
            return fail(err, errlen, "lognormal(mean, sd) needs mean > 0 and sd >= 0");
        double cv = b / a;
        double s2 = log1p(cv * cv);
        d->q[0] = log(a) - 0.5 * s2;
        d->q[1] = sqrt(s2);
        return 0;
    }
    case DIST_ERLANG:
        if (!params_finite(d, 2) || !(a >= 1 && a == floor(a) && a <= 1e9 && b > 0))
            return fail(err, errlen, "erlang(k, mean) needs an integer k >= 1 and mean > 0");
        d->q[0] = b / a;
        if (a > ERLANG_PRODUCT_MAX)
            gamma_constants(a, &d->q[1], &d->q[2]);
        return 0;
    case DIST_GAMMA:
        if (!params_finite(d, 2) || !(a > 0 && b > 0))
            return fail(err, errlen, "gamma(shape, scale) needs shape > 0 and scale > 0");
        gamma_constants(a < 1 ? a + 1 : a, &d->q[0], &d->q[1]);
        d->q[2] = a < 1 ? 1.0 / a : 0.0;
        return 0;
    case DIST_WEIBULL:
        if (!params_finite(d, 2) || !(a > 0 && b > 0))
            return fail(err, errlen, "weibull(shape, scale) needs shape > 0 and scale > 0");
        d->q[0] = 1.0 / a;
        return 0;
    default:
        return fail(err, errlen, "unknown distribution");
    }
}

static int prepare_empirical(dist *d, char *err, int errlen)
{
    if (!d->values || d->nvalues < 1)
        return fail(err, errlen, "empirical() needs at least one value");
    double sum = 0;
    for (int i = 0; i < d->nvalues; i++) {
        double v = d->values[i];
        if (!isfinite(v) || v < 0)
            return fail(err, errlen, "empirical() needs finite values >= 0");
        sum += v;
    }
    d->q[0] = sum / d->nvalues;
    return 0;
}

int dist_prepare(dist *d, char *err, int errlen)
{
    d->q[0] = d->q[1] = d->q[2] = 0;
    switch (d->kind) {
    case DIST_CONST:
        if (!params_finite(d, 1) || !(d->p[0] >= 0))
            return fail(err, errlen, "const(value) needs value >= 0");
        return 0;
    case DIST_EXP:
        if (!params_finite(d, 1) || !(d->p[0] > 0))
            return fail(err, errlen, "exp() needs a mean > 0");
        return 0;
    case DIST_TRI: {
        double lo = d->p[0], mode = d->p[1], hi = d->p[2];
        if (!params_finite(d, 3) || !(lo <= mode && mode <= hi))
            return fail(err, errlen, "tri(min, mode, max) needs min <= mode <= max");
        if (lo < 0)
            return fail(err, errlen, "tri(min, mode, max) needs min >= 0");
        double w = hi - lo;
        d->q[0] = w > 0 ? (mode - lo) / w : 0;
        d->q[1] = w * (mode - lo);
        d->q[2] = w * (hi - mode);
        return 0;
    }
    case DIST_EMPIRICAL:
        return prepare_empirical(d, err, errlen);
    default:
        return prepare_two(d, err, errlen);
    }
}

/* ---- sampling --------------------------------------------------------- */

/* Marsaglia's polar method yields two independent normals per accepted
 * pair; the rejection loop of the truncated normal consumes them in turn,
 * which is the same as drawing i.i.d. normals until one is accepted. */
static void normal_pair(rng *r, double *z1, double *z2)
{
    double u, v, s;
    do {
        u = 2.0 * rng_uniform(r) - 1.0;
        v = 2.0 * rng_uniform(r) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double f = sqrt(-2.0 * log(s) / s);
    *z1 = u * f;
    *z2 = v * f;
}

static double std_normal(rng *r)
{
    double z1, z2;
    normal_pair(r, &z1, &z2);
    return z1;
}

static double sample_truncated_normal(double mu, double sd, rng *r)
{
    if (sd == 0.0)
        return mu;
    for (;;) {
        double z1, z2;
        normal_pair(r, &z1, &z2);
        double x = mu + sd * z1;
        if (x >= 0)
            return x;
        x = mu + sd * z2;
        if (x >= 0)
            return x;
    }
}

/* Marsaglia & Tsang (2000): a standard gamma of shape a >= 1 with
 * d = a - 1/3, c = 1/sqrt(9d); acceptance > 95 % for every shape. */
static double sample_std_gamma(double dd, double c, rng *r)
{
    for (;;) {
        double x, v;
        do {
            x = std_normal(r);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        double u = rng_uniform(r);
        double x2 = x * x;
        if (u < 1.0 - 0.0331 * x2 * x2)
            return dd * v;
        if (log(u) < 0.5 * x2 + dd * (1.0 - v + log(v)))
            return dd * v;
    }
}

static double sample_erlang(const dist *d, rng *r)
{
    int k = (int)d->p[0];
    if (k > ERLANG_PRODUCT_MAX)
        return d->q[0] * sample_std_gamma(d->q[1], d->q[2], r);
    /* k uniforms each >= 2^-54: the product stays far above underflow. */
    double prod = rng_uniform(r);
    for (int i = 1; i < k; i++)
        prod *= rng_uniform(r);
    return -d->q[0] * log(prod);
}

static double sample_gamma(const dist *d, rng *r)
{
    double g = sample_std_gamma(d->q[0], d->q[1], r);
    /* Shape a < 1: G(a) = G(a+1) * U^(1/a) (Marsaglia & Tsang, sec. 6). */
    if (d->q[2] > 0)
        g *= exp(log(rng_uniform(r)) * d->q[2]);
    return d->p[1] * g;
}

static double sample_tri(const dist *d, rng *r)
{
    double u = rng_uniform(r);
    if (u < d->q[0])
        return d->p[0] + sqrt(u * d->q[1]);
    return d->p[2] - sqrt((1.0 - u) * d->q[2]);
}

static double sample_empirical(const dist *d, rng *r)
{
    int i = (int)(rng_uniform(r) * d->nvalues);
    /* u * n can round up to n when u is within 2^-53 of 1. */
    if (i >= d->nvalues)
        i = d->nvalues - 1;
    return d->values[i];
}

/* ---- exponential variates: the ziggurat (Marsaglia & Tsang 2000) --------
 * 256 layers; about 99 % of draws cost one 64-bit random number, a table
 * look-up and a multiply, instead of a log().  The layer index and the
 * 32-bit abscissa come from different bits of the draw.  The tables are
 * computed once per process (pthread_once) and never change after. */
#define ZIG_R 7.69711747013104972
#define ZIG_V 3.949659822581572e-3
typedef struct zig_tables { uint32_t k[256]; double w[256], f[256]; } zig_tables;
static zig_tables zig;
static pthread_once_t zig_once = PTHREAD_ONCE_INIT;

static void zig_init(void)
{
    const double m = 4294967296.0;
    double de = ZIG_R, te = de, q = ZIG_V / exp(-de);
    zig.k[0] = (uint32_t)((de / q) * m);
    zig.k[1] = 0;
    zig.w[0] = q / m;
    zig.w[255] = de / m;
    zig.f[0] = 1.0;
    zig.f[255] = exp(-de);
    for (int i = 254; i >= 1; i--) {
        de = -log(ZIG_V / de + exp(-de));
        zig.k[i + 1] = (uint32_t)((de / te) * m);
        te = de;
        zig.f[i] = exp(-de);
        zig.w[i] = de / m;
    }
}

/* A standard exponential variate (mean 1). */
static double std_exp(rng *r)
{
    pthread_once(&zig_once, zig_init);         /* a load and a compare once set */
    for (;;) {
        uint64_t u = rng_next(r);
        unsigned i = (unsigned)(u & 255);
        uint32_t j = (uint32_t)(u >> 32);
        double x = j * zig.w[i];
        if (j < zig.k[i]) return x;            /* inside the layer: done */
        if (i == 0) return ZIG_R - log(rng_uniform(r));      /* the tail */
        if (zig.f[i] + rng_uniform(r) * (zig.f[i - 1] - zig.f[i]) < exp(-x)) return x;
    }
}

double dist_sample(const dist *d, rng *r)
{
    switch (d->kind) {
    case DIST_CONST:
        return d->p[0];
    case DIST_EXP:
        return d->p[0] * std_exp(r);
    case DIST_UNIFORM:
        return d->p[0] + d->q[0] * rng_uniform(r);
    case DIST_TRI:
        return sample_tri(d, r);
    case DIST_NORMAL:
        return sample_truncated_normal(d->p[0], d->p[1], r);
    case DIST_LOGNORMAL:
        if (d->q[1] == 0.0)
            return d->p[0];
        return exp(d->q[0] + d->q[1] * std_normal(r));
    case DIST_ERLANG:
        return sample_erlang(d, r);
    case DIST_GAMMA:
        return sample_gamma(d, r);
    case DIST_WEIBULL:
        return d->p[1] * pow(-log(rng_uniform(r)), d->q[0]);
    case DIST_EMPIRICAL:
        return sample_empirical(d, r);
    }
    return 0;
}

double dist_mean(const dist *d)
{
    switch (d->kind) {
    case DIST_CONST:
    case DIST_EXP:
        return d->p[0];
    case DIST_UNIFORM:
        return 0.5 * (d->p[0] + d->p[1]);
    case DIST_TRI:
        return (d->p[0] + d->p[1] + d->p[2]) / 3.0;
    case DIST_NORMAL:
        return truncated_normal_mean(d->p[0], d->p[1]);
    case DIST_LOGNORMAL:
        return d->p[0];
    case DIST_ERLANG:
        return d->p[1];
    case DIST_GAMMA:
        return d->p[0] * d->p[1];
    case DIST_WEIBULL:
        return d->p[1] * tgamma(1.0 + 1.0 / d->p[0]);
    case DIST_EMPIRICAL: {
        double sum = 0;
        for (int i = 0; i < d->nvalues; i++)
            sum += d->values[i];
        return d->nvalues > 0 ? sum / d->nvalues : 0;
    }
    }
    return 0;
}

dist dist_const(double v)
{
    dist d = { .kind = DIST_CONST, .p = { v, 0, 0 } };
    dist_prepare(&d, NULL, 0);
    return d;
}

dist dist_exp(double mean)
{
    dist d = { .kind = DIST_EXP, .p = { mean, 0, 0 } };
    dist_prepare(&d, NULL, 0);
    return d;
}

/* ---- scaling ---------------------------------------------------------- */

/* Every kind is a scale family in the parameters listed here, and every
 * sampler draws f·X from the same uniforms as X once those are scaled (the
 * shape parameters of erlang, gamma and weibull and the coefficient of
 * variation of a lognormal are left alone), which is what paired runs on
 * common random numbers need: a shorter cycle is the same cycle, shorter. */
int dist_scale(dist *d, double f)
{
    if (!(f > 0) || !isfinite(f)) return -1;
    switch (d->kind) {
    case DIST_CONST: case DIST_EXP:
        d->p[0] *= f; break;
    case DIST_UNIFORM: case DIST_NORMAL: case DIST_LOGNORMAL:
        d->p[0] *= f; d->p[1] *= f; break;
    case DIST_TRI:
        d->p[0] *= f; d->p[1] *= f; d->p[2] *= f; break;
    case DIST_ERLANG: case DIST_GAMMA: case DIST_WEIBULL:
        d->p[1] *= f; break;
    case DIST_EMPIRICAL:
        for (int i = 0; i < d->nvalues; i++) d->values[i] *= f;
        break;
    default:
        return -1;
    }
    return dist_prepare(d, NULL, 0);
}
