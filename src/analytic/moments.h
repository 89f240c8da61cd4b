/*
 * moments.h — the mean and squared coefficient of variation of a duration
 * distribution, the two moments the decomposition fits its phases to.
 */
#ifndef TAKT_ANALYTIC_MOMENTS_H
#define TAKT_ANALYTIC_MOMENTS_H

#include "core/dist.h"

/* Variance / mean^2 of what dist_sample draws (0 for a constant). */
double dist_scv(const dist *d);

#endif
