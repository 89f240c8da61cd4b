/*
 * report_estimate.h — the analytic estimate (src/analytic/estimate.h) as
 * text and as JSON, for `takt estimate` and beside a simulation in
 * `takt run`.
 */
#ifndef TAKT_REPORT_ESTIMATE_H
#define TAKT_REPORT_ESTIMATE_H

#include <stdio.h>
#include "analytic/estimate.h"
#include "io/jsonw.h"

/* The estimate's object under key (NULL at the top level or in arrays):
 * {"applicable": true, "method", "throughput_per_hour", "buffers",
 * "stations"} or {"applicable": false, "unsupported": [...]}. */
void estimate_json(jsonw *w, const char *key, const takt_plant *p, const estimate *e);

/* A short table.  Returns 0, or -1 on a write error. */
int estimate_text(FILE *f, const takt_plant *p, const estimate *e);

#endif
