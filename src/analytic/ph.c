/*
 * ph.c — phase-type fits of a station's processing (see ph.h).
 *
 * The cycle is fitted by its first two moments, as is usual in the
 * decomposition literature (Buzacott & Shanthikumar 1993; Tijms 1994):
 * SCV = 1 one exponential phase; SCV < 1 a mixture of Erlang(k-1) and
 * Erlang(k) with a common rate, k = ceil(1/SCV); SCV > 1 a two-phase
 * hyperexponential with balanced means.  Failure modes are exponential
 * with the modes' mean times; each working phase gets its own repair
 * phase per mode so that a repaired station resumes where it stopped.
 */
#include "analytic/ph.h"
#include "analytic/linalg.h"

#include <math.h>
#include <string.h>

static void ph_finish(ph *p)
{
    for (int j = 0; j < p->n; j++) {
        double s = p->done[j];
        for (int k = 0; k < p->n; k++) if (k != j) s += p->g[j][k];
        p->out[j] = s;
    }
}

int ph_station(ph *out, double mean, double scv, int nfail,
               const double *ttf, const double *ttr, int *exact)
{
    double alpha[PH_MAX] = {0}, rate[PH_MAX] = {0};
    double next[PH_MAX] = {0};      /* probability phase j goes on to j+1 */
    int w;                          /* working phases                    */
    *exact = 1;
    memset(out, 0, sizeof *out);
    if (fabs(scv - 1) < 1e-9) {
        w = 1; alpha[0] = 1; rate[0] = 1 / mean;
    } else if (scv < 1) {
        int k = scv > 0 ? (int)ceil(1 / scv - 1e-9) : PH_MAX_ERLANG + 1;
        if (k > PH_MAX_ERLANG) {    /* too regular for the phases allowed */
            k = PH_MAX_ERLANG; *exact = 0;
            for (int j = 0; j < k; j++) rate[j] = k / mean;
            alpha[0] = 1;
        } else {
            /* Erlang(k-1) with probability q, Erlang(k) otherwise */
            double q = (k * scv - sqrt(k * (1 + scv) - (double)k * k * scv)) / (1 + scv);
            if (q < 0) q = 0;
            double lambda = (k - q) / mean;
            for (int j = 0; j < k; j++) rate[j] = lambda;
            alpha[0] = 1 - q;
            if (k > 1) alpha[1] = q; else alpha[0] = 1;
        }
        w = k;
        for (int j = 0; j + 1 < w; j++) next[j] = 1;
    } else {
        double p1 = 0.5 * (1 + sqrt((scv - 1) / (scv + 1)));
        w = 2;
        alpha[0] = p1; alpha[1] = 1 - p1;
        rate[0] = 2 * p1 / mean; rate[1] = 2 * (1 - p1) / mean;
    }
    if (w * (1 + nfail) > PH_MAX) return -1;
    out->n = w * (1 + nfail);
    /* phase j*(1+nfail) works, j*(1+nfail)+1+f repairs mode f */
    int stride = 1 + nfail;
    for (int j = 0; j < w; j++) {
        int a = j * stride;
        out->alpha[a] = alpha[j];
        if (next[j] > 0) out->g[a][(j + 1) * stride] = rate[j];
        else out->done[a] = rate[j];
        for (int f = 0; f < nfail; f++) {
            out->g[a][a + 1 + f] = 1 / ttf[f];
            out->g[a + 1 + f][a] = 1 / ttr[f];
            out->failed[a + 1 + f] = 1;
            out->mode[a + 1 + f] = (unsigned char)(1 + f);
        }
    }
    ph_finish(out);
    return 0;
}

int ph_compact(ph *out, const ph *full, double mean, int nfail,
               const double *ttf, const double *ttr)
{
    int exact;
    (void)full;
    return ph_station(out, mean, 1, nfail, ttf, ttr, &exact);
}

/* Expected time spent in each phase during one part: alpha (-T)^-1. */
static void ph_occupancy(const ph *p, double *m)
{
    int n = p->n, piv[PH_MAX];
    double a[PH_MAX * PH_MAX];
    /* x (-T) = alpha  <=>  (-T)^T x^T = alpha^T */
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            a[j * n + i] = i == j ? p->out[i] : -p->g[i][j];
    for (int i = 0; i < n; i++) m[i] = p->alpha[i];
    if (lu_factor(a, n, piv) == 0) lu_solve(a, n, piv, m);
}

double ph_mean(const ph *p)
{
    double m[PH_MAX], s = 0;
    ph_occupancy(p, m);
    for (int j = 0; j < p->n; j++) s += m[j];
    return s;
}

void ph_busy_fractions(const ph *p, double *working, double *failed)
{
    double m[PH_MAX], s = 0, f = 0;
    ph_occupancy(p, m);
    for (int j = 0; j < p->n; j++) { s += m[j]; if (p->failed[j]) f += m[j]; }
    *failed = f / s;
    *working = 1 - *failed;
}
