/*
 * linalg.c — dense LU for the decomposition (see linalg.h).  The matrices
 * are a few dozen rows: a straightforward partial-pivoting elimination is
 * both fast enough and exact to rounding.
 */
#include "analytic/linalg.h"

#include <math.h>

int lu_factor(double *a, int n, int *piv)
{
    for (int k = 0; k < n; k++) {
        int p = k;
        double best = fabs(a[k * n + k]);
        for (int i = k + 1; i < n; i++) {
            double v = fabs(a[i * n + k]);
            if (v > best) { best = v; p = i; }
        }
        piv[k] = p;
        if (best == 0) return -1;
        if (p != k)
            for (int j = 0; j < n; j++) {
                double t = a[k * n + j]; a[k * n + j] = a[p * n + j]; a[p * n + j] = t;
            }
        double inv = 1.0 / a[k * n + k];
        for (int i = k + 1; i < n; i++) {
            double f = a[i * n + k] * inv;
            if (f == 0) continue;
            a[i * n + k] = f;
            double *ri = a + i * n, *rk = a + k * n;
            for (int j = k + 1; j < n; j++) ri[j] -= f * rk[j];
        }
    }
    return 0;
}

void lu_solve(const double *a, int n, const int *piv, double *b)
{
    for (int k = 0; k < n; k++) {
        int p = piv[k];
        if (p != k) { double t = b[k]; b[k] = b[p]; b[p] = t; }
    }
    for (int i = 1; i < n; i++) {
        double s = b[i];
        for (int j = 0; j < i; j++) s -= a[i * n + j] * b[j];
        b[i] = s;
    }
    for (int i = n - 1; i >= 0; i--) {
        double s = b[i];
        for (int j = i + 1; j < n; j++) s -= a[i * n + j] * b[j];
        b[i] = s / a[i * n + i];
    }
}

void mat_transpose(double *a, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double t = a[i * n + j]; a[i * n + j] = a[j * n + i]; a[j * n + i] = t;
        }
}
