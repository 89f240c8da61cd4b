/*
 * diffci.c — intervals of a difference of means (diffci.h).
 *
 * Paired: d_i = b_i - a_i, mean d̄, s_d their standard deviation; the
 * interval is d̄ ± t(0.975, n-1) s_d / √n.  When both runs used the same
 * random numbers replication by replication, a_i and b_i are positively
 * correlated and s_d is much smaller than either sample's spread, which
 * is the point of common random numbers.
 *
 * Welch: d = m_b - m_a, v = s_a²/n_a + s_b²/n_b, the interval d ± t(0.975,
 * ν) √v with ν = v² / ((s_a²/n_a)²/(n_a-1) + (s_b²/n_b)²/(n_b-1))
 * (Welch–Satterthwaite).  ν lies between min(n_a, n_b) - 1 and
 * n_a + n_b - 2 and is rarely whole, so the t quantile is needed for a
 * real df: the regularised incomplete beta function gives the t
 * distribution function (Abramowitz & Stegun 26.7.1, with the continued
 * fraction 26.5.8 evaluated by the modified Lentz method), and its root
 * is bracketed by the quantiles of the whole dfs on either side, which
 * the table in stats.c gives exactly.
 */
#include "core/diffci.h"
#include "core/stats.h"

#include <math.h>

diff_ci diffci_paired(const double *a, const double *b, int n)
{
    diff_ci r = { NAN, NAN, NAN };
    if (n < 1) return r;
    double sum = 0;
    for (int i = 0; i < n; i++) sum += b[i] - a[i];
    r.mean = sum / n;
    if (n < 2) return r;
    double ss = 0;
    for (int i = 0; i < n; i++) {
        double e = b[i] - a[i] - r.mean;
        ss += e * e;
    }
    r.df = n - 1;
    r.half = student_t975(n - 1) * sqrt(ss / (n - 1)) / sqrt((double)n);
    return r;
}

diff_ci diffci_welch(double ma, double sa, int na, double mb, double sb, int nb)
{
    diff_ci r = { mb - ma, NAN, NAN };
    if (na < 2 || nb < 2 || isnan(sa) || isnan(sb)) return r;
    double va = sa * sa / na, vb = sb * sb / nb, v = va + vb;
    if (!(v > 0)) { r.half = 0; return r; }
    r.df = v * v / (va * va / (na - 1) + vb * vb / (nb - 1));
    r.half = student_t975_real(r.df) * sqrt(v);
    return r;
}

double diffci_sd_from_half(double half, int n)
{
    if (n < 2 || isnan(half)) return NAN;
    return half * sqrt((double)n) / student_t975(n - 1);
}

/* ---- Student's t for a real df ------------------------------------------ */

/* The continued fraction of the incomplete beta function (A&S 26.5.8). */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    if (fabs(d) < tiny) d = tiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 300; m++) {
        double m2 = 2.0 * m;
        double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
        d = 1 + num * d; if (fabs(d) < tiny) d = tiny;
        c = 1 + num / c; if (fabs(c) < tiny) c = tiny;
        d = 1 / d;
        h *= d * c;
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
        d = 1 + num * d; if (fabs(d) < tiny) d = tiny;
        c = 1 + num / c; if (fabs(c) < tiny) c = tiny;
        d = 1 / d;
        double step = d * c;
        h *= step;
        if (fabs(step - 1) < 1e-15) break;
    }
    return h;
}

/* The regularised incomplete beta function I_x(a, b), 0 <= x <= 1. */
static double beta_inc(double a, double b, double x)
{
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    double ln = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    if (x < (a + 1) / (a + b + 2)) return exp(ln) * beta_cf(a, b, x) / a;
    return 1 - exp(ln) * beta_cf(b, a, 1 - x) / b;
}

/* P(T > t) for t >= 0: half of I_{df/(df+t²)}(df/2, 1/2). */
static double t_upper(double t, double df)
{
    return 0.5 * beta_inc(df / 2, 0.5, df / (df + t * t));
}

double student_t975_real(double df)
{
    if (!(df >= 1)) return 0;
    double whole = floor(df);
    if (whole == df && df < 2e9) return student_t975((int)df);
    /* the quantile falls as df grows: bracketed by the whole dfs around */
    double hi = student_t975(whole < 2e9 ? (int)whole : 2000000000);
    double lo = whole + 1 < 2e9 ? student_t975((int)whole + 1) : 1.959963984540054;
    for (int i = 0; i < 200 && hi - lo > 1e-12; i++) {
        double mid = 0.5 * (lo + hi);
        if (t_upper(mid, df) > 0.025) lo = mid; else hi = mid;
    }
    return 0.5 * (lo + hi);
}
