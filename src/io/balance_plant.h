/*
 * balance_plant.h — a balanced line written as a plant file (docs/balance.md):
 * one station per balanced station in line order, joined by buffers; each
 * station's cycle is the sum of its tasks' times (per product on a
 * mixed-model line), with the tasks' variability turned into a lognormal
 * of the summed variance.  A template plant supplies the run settings, and
 * each station's failures, blocking and calendar and the capacity of the
 * buffer after it: from the template station its 'balance' mapping names
 * (balance: {S1: body-in, ...}), or without one from the template's station
 * at the same position.
 */
#ifndef TAKT_BALANCE_PLANT_H
#define TAKT_BALANCE_PLANT_H

#include <stdio.h>
#include "balance_report.h"
#include "yaml_doc.h"

/* Read and parse a template plant file.  0, or -1 with a diagnostic. */
int bal_template_read(ydoc *doc, const char *path, diags *d);

/* Check the template's 'balance' mapping (when it has one): a mapping of
 * balanced station names S1, S2, ... each to a station of the template,
 * none twice.  0, or -1 with a diagnostic at the offending node. */
int bal_template_check(const ydoc *tmpl, diags *d);

/* Write the plant; tmpl may be NULL.  0, or -1 (write error / memory). */
int bal_write_plant(FILE *f, const bal_outcome *o, const ydoc *tmpl, const char *source);

#endif
