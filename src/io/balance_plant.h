/*
 * balance_plant.h — a balanced line written as a plant file (docs/balance.md):
 * one station per balanced station in line order, joined by buffers; each
 * station's cycle is the sum of its tasks' times (per product on a
 * mixed-model line), with the tasks' variability turned into a lognormal
 * of the summed variance.  A template plant supplies the run settings, and
 * by position each station's failures, blocking and calendar and the
 * capacity of the buffer after it.
 */
#ifndef TAKT_BALANCE_PLANT_H
#define TAKT_BALANCE_PLANT_H

#include <stdio.h>
#include "balance_report.h"
#include "yaml_doc.h"

/* Read and parse a template plant file.  0, or -1 with a diagnostic. */
int bal_template_read(ydoc *doc, const char *path, diags *d);

/* Write the plant; tmpl may be NULL.  0, or -1 (write error / memory). */
int bal_write_plant(FILE *f, const bal_outcome *o, const ydoc *tmpl, const char *source);

#endif
