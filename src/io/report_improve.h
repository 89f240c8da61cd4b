/*
 * report_improve.h — the reports of `takt improve`: a ranked table for
 * people and JSON for tools (docs/diagnosis.md).
 */
#ifndef TAKT_REPORT_IMPROVE_H
#define TAKT_REPORT_IMPROVE_H

#include <stdio.h>
#include "../exp/improve.h"

/* Return 0, or -1 on a write error. */
int report_improve_text(FILE *f, const improve_result *r);
/* {"plant", "by", "what", "replications", "seed", "throughput_per_hour",
 * "improvements": [{"station", "throughput_gain_per_hour": {"mean",
 * "ci95"}}, ...]}, largest gain first; no wall-clock figure, so the bytes
 * depend only on the plant, options and seed. */
int report_improve_json(FILE *f, const improve_result *r);

#endif
