/*
 * report_sweep.h — the reports of a sweep (sums[c] is combination c's
 * summary, in the order of sweep_values).  Each returns 0, or -1 on a
 * write error.
 */
#ifndef TAKT_REPORT_SWEEP_H
#define TAKT_REPORT_SWEEP_H

#include <stdio.h>
#include "../exp/sweep.h"

/* The table `takt sweep` prints: the settings, replications, throughput,
 * lead time (in one unit for the column), WIP and the bottleneck. */
int report_sweep_text(FILE *f, const sweep_spec *sp, takt_summary *const *sums, long n);
/* [{"set": {KEY: VALUE, ...}, "summary": <the JSON of takt run>}, ...] */
int report_sweep_json(FILE *f, const sweep_spec *sp, takt_summary *const *sums, long n);
/* One row per combination: the settings, replications and seed, every
 * headline KPI (as kpis.csv names them) with its half-width, bottleneck. */
int report_sweep_csv(FILE *f, const sweep_spec *sp, takt_summary *const *sums, long n);

#endif
