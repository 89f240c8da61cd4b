/*
 * oee.h — overall equipment effectiveness per station, with its ISO 22400
 * factors, from the state times and counts of the replications
 * (docs/oee.md gives the definitions and an example worked by hand).
 *
 *   planned busy time  = measured time - off shift - closed - planned
 *                        maintenance (machine time, all servers)
 *   operating time     = time working (not setup, failed, starved,
 *                        blocked or waiting)
 *   availability = operating time / planned busy time
 *   performance  = ideal cycle x produced / operating time
 *   quality      = good / produced
 *   oee          = availability x performance x quality
 *
 * produced counts the parts the station finished in the window (passed
 * on, scrapped, or held by a blocked machine at the end, less those held
 * finished at the start), good those neither scrapped nor sent to
 * rework.  The ideal cycle is the mean of the station's cycle-time
 * distribution per part (a batch's cycle divided by its size; with cycle
 * times by product, their mean at the plant's release mix), times the
 * smallest ramp-up factor that ever applies to the station when that is
 * below 1.  Every factor is a ratio of totals over all
 * replications, summed in replication order, so oee is exactly the
 * product of the three and the same for any number of threads.
 */
#ifndef TAKT_OEE_H
#define TAKT_OEE_H

#include "summary.h"

typedef struct oee_factors {
    double availability, performance, quality, oee;
    double planned_h, operating_h;  /* machine hours over all replications / replications */
    double produced, good;          /* parts, mean per replication      */
    double ideal_cycle_s;           /* per part                          */
} oee_factors;

/* Station i of the summary's plant.  Factors without a denominator (a
 * station never planned, never working or producing nothing) are NAN.
 * Returns 0, or -1 when the summary holds no replications. */
int oee_station(const takt_summary *s, int i, oee_factors *out);

/* Whether time in this state (ST_*) is outside the planned busy time. */
int oee_unplanned(int state);

/* The ideal cycle per part of station i of p (s). */
double oee_ideal_cycle(const takt_plant *p, int i);

#endif
