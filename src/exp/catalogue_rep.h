/*
 * catalogue_rep.h — the value of a headline figure in one replication:
 * the observations whose mean and 95 % half-width the summary reports.
 * The run store keeps them so that two runs on the same seeds can be
 * compared replication by replication (paired differences, `takt
 * compare`).
 */
#ifndef TAKT_CATALOGUE_REP_H
#define TAKT_CATALOGUE_REP_H

#include "catalogue.h"

/* Whether the headline figure f has one observation per replication
 * (those with a 95 % interval across replications do). */
int catalogue_has_reps(const figure_def *f);

/* The value of f in replication rep (0-based) of s; NAN when f has none
 * or rep is out of range. */
double catalogue_rep_value(const figure_def *f, const takt_summary *s, int rep);

#endif
