/*
 * report_sweep.h — the reports of a sweep: a table for people, one JSON
 * array (each combination's settings and its `takt run --json` summary)
 * and one CSV row per combination (docs/sweep.md).
 */
#ifndef TAKT_REPORT_SWEEP_H
#define TAKT_REPORT_SWEEP_H

#include <stdio.h>
#include "../exp/sweep.h"

/* sums[c] is combination c of spec (0 <= c < n).  Each returns 0, or -1
 * when writing failed. */
int report_sweep_table(FILE *f, const sweep_spec *spec, takt_summary *const *sums, long n);
int report_sweep_json(FILE *f, const sweep_spec *spec, takt_summary *const *sums, long n);
int report_sweep_csv(FILE *f, const sweep_spec *spec, takt_summary *const *sums, long n);

#endif
