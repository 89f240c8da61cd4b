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
#include "exp/summary.h"

/* The estimate's object under key (NULL at the top level or in arrays):
 * {"applicable": true, "method", "throughput_per_hour", "buffers",
 * "stations"} or {"applicable": false, "unsupported": [...]}. */
void estimate_json(jsonw *w, const char *key, const takt_plant *p, const estimate *e);

/* Beside a simulation (sim: its throughput per hour): the same object
 * with "difference_per_hour" (estimate - simulation) and
 * "difference_relative" (that over the simulation) when applicable. */
void estimate_json_beside(jsonw *w, const char *key, const takt_plant *p, const estimate *e,
                          const kpi *sim);
/* One line of the text report's results, and one card of the HTML's. */
void estimate_text_beside(FILE *f, const estimate *e, const kpi *sim, const char *unit);
void estimate_html_card(FILE *f, const estimate *e, const kpi *sim, const char *unit);

/* A short table.  Returns 0, or -1 on a write error. */
int estimate_text(FILE *f, const takt_plant *p, const estimate *e);

#endif
