/*
 * moments.c — second moments of the kernel's distributions (see
 * moments.h).  The kernel gives exact means; the variances here are the
 * textbook ones, with the normal taken as truncated at zero as it is
 * sampled.
 */
#include "analytic/moments.h"

#include <math.h>

static double variance(const dist *d)
{
    double a = d->p[0], b = d->p[1], c = d->p[2];
    switch (d->kind) {
    case DIST_CONST: return 0;
    case DIST_EXP: return a * a;
    case DIST_UNIFORM: return (b - a) * (b - a) / 12;
    case DIST_TRI: /* p0 = min, p1 = mode, p2 = max */
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
    case DIST_NORMAL: {
        if (!(b > 0)) return 0;
        double alpha = -a / b;
        double phi = exp(-0.5 * alpha * alpha) / sqrt(2 * M_PI);
        double tail = 0.5 * erfc(alpha / sqrt(2));
        if (!(tail > 0)) return 0;
        double lambda = phi / tail;
        return b * b * (1 + alpha * lambda - lambda * lambda);
    }
    case DIST_LOGNORMAL: return b * b;
    case DIST_ERLANG: return b * b / a;
    case DIST_GAMMA: return a * b * b;
    case DIST_WEIBULL: {
        double g1 = tgamma(1 + 1 / a), g2 = tgamma(1 + 2 / a);
        return b * b * (g2 - g1 * g1);
    }
    case DIST_EMPIRICAL: {
        if (d->nvalues < 1) return 0;
        double m = 0, s = 0;
        for (int i = 0; i < d->nvalues; i++) m += d->values[i];
        m /= d->nvalues;
        for (int i = 0; i < d->nvalues; i++) s += (d->values[i] - m) * (d->values[i] - m);
        return s / d->nvalues;
    }
    }
    return 0;
}

double dist_scv(const dist *d)
{
    double m = dist_mean(d);
    if (!(m > 0)) return 0;
    double v = variance(d);
    return v > 0 ? v / (m * m) : 0;
}
