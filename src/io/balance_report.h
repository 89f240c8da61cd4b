/*
 * balance_report.h — the answer of `takt balance` as text and as JSON
 * (field names in docs/balance.md).
 */
#ifndef TAKT_BALANCE_REPORT_H
#define TAKT_BALANCE_REPORT_H

#include <stdio.h>
#include "../balance/tasks.h"

typedef struct bal_outcome {
    const bal_tasks *tasks;
    int problem;            /* 1: SALBP-1 (takt given), 2: SALBP-2 (stations given) */
    double takt_s;          /* SALBP-1: the target; SALBP-2: the cycle found */
    int stations;
    const int *station;     /* station of each task, 1-based              */
    double lower_bound;     /* SALBP-1: stations; SALBP-2: seconds         */
    int optimal, timed_out;
    double seconds;         /* solver time                                 */
    long long nodes;
} bal_outcome;

/* Station times (weighted, and per product when the line is mixed-model):
 * station_s[k-1] for station k, product_s[(k-1)*products + p].  malloc'd;
 * 0 or -1 out of memory. */
int bal_station_times(const bal_outcome *o, double **station_s, double **product_s);

int bal_report_text(FILE *f, const bal_outcome *o);   /* 0, -1 write error */
int bal_report_json(FILE *f, const bal_outcome *o);

#endif
