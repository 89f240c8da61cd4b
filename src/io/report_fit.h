/*
 * report_fit.h — the reports of a fit (takt fit): text, JSON and an HTML
 * page with the observed series against the simulated one.
 *
 * JSON (the names are a contract):
 *   {"fitted": {PATH: VALUE}, "intervals": {PATH: [LO, HI]},
 *    "undetermined": [PATH, ...], "loss": X,
 *    "periods": [{"date", "series", "observed", "simulated": {"mean", "ci95"}}], ...}
 * A VALUE is a number, or a string where the plant file writes a date or
 * a unit ("2024-07-03", "72.5s").
 */
#ifndef TAKT_REPORT_FIT_H
#define TAKT_REPORT_FIT_H

#include <stdio.h>
#include "../exp/fit.h"

typedef struct fit_report {
    const char *plant_name;
    const fit_config *config;
    const fit_result *result;
    uint64_t seed;
    const char *units;              /* the plant's unit of output, "cars" */
} fit_report;

int report_fit_text(FILE *f, const fit_report *r);   /* 0, or -1 on a write error */
int report_fit_json(FILE *f, const fit_report *r);
int report_fit_html(FILE *f, const fit_report *r);

#endif
