/*
 * stats.c — tallies, time-weighted averages, quantile histograms and
 * confidence intervals.
 *
 * A replication may record millions of observations, so every collector is
 * O(1) per observation and fixed in size:
 *
 *  - tally: Welford's running mean and sum of squared deviations, which
 *    does not lose precision when the mean is large compared to the spread
 *    (the textbook sum-of-squares formula does).
 *  - timeavg: the exact integral of a piecewise-constant level.
 *  - qhist: a histogram with logarithmic bins.  Bin i covers
 *    [lo*r^i, lo*r^(i+1)) with r = 10^(QHIST_DECADES/QHIST_BINS), i.e. a
 *    relative width of 1.36 % spanning 12 decades above lo (1 ms to about
 *    30 years for lo = 1 ms).  Values below lo count as zeros, values above the
 *    range fall into the last bin.  Quantiles interpolate geometrically
 *    within a bin, so for a smooth density the error is far below the bin
 *    width.  Histograms with the same lo merge by adding counts, which is
 *    how per-replication histograms are pooled.
 *
 * Student's t quantile: an exact table for df <= 30, then the Cornish–Fisher
 * expansion of Abramowitz & Stegun 26.7.5 with four correction terms, whose
 * error is below 1e-7 from df = 31 on.  df <= 0 has no t distribution;
 * student_t975 then returns 0, the same "no interval" value that ci95()
 * reports for fewer than two observations.
 */
#include "core/stats.h"

#include <math.h>

#define QHIST_DECADES 12.0

/* ---- tally ------------------------------------------------------------ */

void tally_reset(tally *t)
{
    t->n = 0;
    t->mean = t->m2 = 0;
    t->min = t->max = 0;   /* meaningful once n > 0 */
}

void tally_add(tally *t, double x)
{
    t->n++;
    if (t->n == 1) {
        t->mean = t->min = t->max = x;
        t->m2 = 0;
        return;
    }
    double delta = x - t->mean;
    t->mean += delta / (double)t->n;
    t->m2 += delta * (x - t->mean);
    if (x < t->min)
        t->min = x;
    if (x > t->max)
        t->max = x;
}

double tally_var(const tally *t)
{
    return t->n < 2 ? 0.0 : t->m2 / (double)(t->n - 1);
}

/* ---- time-weighted average -------------------------------------------- */

void timeavg_reset(timeavg *a, double now, double value)
{
    a->t0 = a->last_t = now;
    a->value = a->max = value;
    a->area = 0;
}

void timeavg_set(timeavg *a, double now, double value)
{
    a->area += a->value * (now - a->last_t);
    a->last_t = now;
    a->value = value;
    if (value > a->max)
        a->max = value;
}

double timeavg_mean(const timeavg *a, double now)
{
    double span = now - a->t0;
    if (span <= 0)
        return a->value;
    return (a->area + a->value * (now - a->last_t)) / span;
}

/* ---- quantile histogram ----------------------------------------------- */

static double qhist_log_ratio(void)
{
    return QHIST_DECADES * M_LN10 / QHIST_BINS;
}

void qhist_init(qhist *h, double lo)
{
    h->lo = lo > 0 && isfinite(lo) ? lo : 1e-3;
    h->n = h->zeros = 0;
    for (int i = 0; i < QHIST_BINS; i++)
        h->bins[i] = 0;
}

static void qhist_add_count(qhist *h, double x, long count)
{
    if (isnan(x))
        return;
    h->n += count;
    if (x < h->lo) {
        h->zeros += count;
        return;
    }
    double f = log(x / h->lo) / qhist_log_ratio();
    int i = f < QHIST_BINS ? (int)f : QHIST_BINS - 1;
    h->bins[i] += count;
}

void qhist_add(qhist *h, double x)
{
    qhist_add_count(h, x, 1);
}

void qhist_merge(qhist *into, const qhist *from)
{
    if (into->lo == from->lo) {
        into->n += from->n;
        into->zeros += from->zeros;
        for (int i = 0; i < QHIST_BINS; i++)
            into->bins[i] += from->bins[i];
        return;
    }
    /* Different resolutions: re-bin each bin at its geometric centre. */
    into->n += from->zeros;
    into->zeros += from->zeros;
    double lr = qhist_log_ratio();
    for (int i = 0; i < QHIST_BINS; i++)
        if (from->bins[i])
            qhist_add_count(into, from->lo * exp((i + 0.5) * lr), from->bins[i]);
}

double qhist_quantile(const qhist *h, double p)
{
    if (h->n == 0)
        return 0;
    if (!(p > 0))
        p = 0;
    if (p > 1)
        p = 1;
    double target = p * (double)h->n;
    if (h->zeros > 0 && target <= (double)h->zeros)
        return 0;
    double below = (double)h->zeros;
    double lr = qhist_log_ratio();
    int last = 0;
    for (int i = 0; i < QHIST_BINS; i++) {
        if (h->bins[i] == 0)
            continue;
        double count = (double)h->bins[i];
        if (below + count >= target) {
            double frac = (target - below) / count;
            if (frac < 0)
                frac = 0;
            return h->lo * exp((i + frac) * lr);
        }
        below += count;
        last = i;
    }
    return h->lo * exp((last + 1) * lr);   /* rounding left target past n */
}

/* ---- Student t and confidence intervals ------------------------------- */

static const double t975_table[31] = {
    0,
    12.7062047362, 4.30265272975, 3.18244630528, 2.7764451052, 2.57058183564,
    2.44691185114, 2.36462425159, 2.3060041352, 2.2621571628, 2.22813885199,
    2.20098516009, 2.17881282967, 2.16036865646, 2.14478668792, 2.13144954556,
    2.11990529922, 2.10981557783, 2.10092204024, 2.09302405441, 2.08596344727,
    2.07961384473, 2.0738730679, 2.06865761042, 2.06389856163, 2.05953855275,
    2.05552943864, 2.05183051648, 2.0484071418, 2.04522964213, 2.0422724563
};

double student_t975(int df)
{
    if (df <= 0)
        return 0;
    if (df <= 30)
        return t975_table[df];
    const double z = 1.959963984540054;   /* 97.5 % normal quantile */
    double z2 = z * z, v = df;
    double g1 = (z2 + 1) * z / 4;
    double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
    double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
    double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
    return z + (g1 + (g2 + (g3 + g4 / v) / v) / v) / v;
}

void ci95(const double *x, int n, double *mean, double *half)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += x[i];
    double m = n > 0 ? sum / n : 0;
    *mean = m;
    *half = 0;
    if (n < 2)
        return;
    double ss = 0;
    for (int i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    *half = student_t975(n - 1) * sqrt(ss / (n - 1)) / sqrt((double)n);
}
