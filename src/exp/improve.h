/*
 * improve.h — what improving one station is worth: paired runs on common
 * random numbers (docs/diagnosis.md).
 *
 * An improvement is a copy of the plant with one station's cycle time (or
 * its repair times) shorter by a share `by`.  Every random stream of a run
 * is keyed by (seed, replication, purpose, station), and a scaled
 * distribution draws the same random numbers (dist_scale), so replication
 * r of the improved plant sees the same breakdowns, products and cycles as
 * replication r of the plant itself, only shorter at that one station.  The
 * gain is the throughput difference per replication; its mean and 95 %
 * half-width (Student t, R-1 degrees of freedom) are those of the paired
 * differences, far narrower than two independent runs would give.
 *
 * The same machinery names the bottleneck: a cheap shortlist from the
 * baseline's station states, then one paired improvement per candidate;
 * the candidate with the largest gain is the bottleneck.
 */
#ifndef TAKT_IMPROVE_H
#define TAKT_IMPROVE_H

#include "summary.h"

#define IMPROVE_BY_DEFAULT 0.10
/* Candidates confirmed by paired runs when naming the bottleneck: each
 * costs one more run of the plant. */
#define IMPROVE_SHORTLIST 3
/* Paired replications every candidate runs before the screening drops
 * those another candidate beats (docs/diagnosis.md); the rest run all the
 * plant's replications. */
#define BN_SCREEN_REPS 2

typedef enum { IMPROVE_CYCLE = 0, IMPROVE_MTTR = 1 } improve_what;

/* "cycle", "mttr" */
const char *improve_what_name(improve_what w);

/* A copy of p with station i's cycle times (every product's) or repair
 * times (every failure mode's) multiplied by 1 - by (0 < by < 1).  It shares
 * everything else with p, which must outlive it.  NULL on out of memory. */
takt_plant *improve_plant_new(const takt_plant *p, int station, improve_what what, double by);
void improve_plant_free(takt_plant *q);

/* Simulate the improvement of each of stations[0..n-1] with o's
 * replications and seed, on one pool of threads and over the MPI ranks,
 * and pair every replication with the same replication of the plant
 * itself: base's observations when base is not NULL (a summary of p under
 * the same options), otherwise the baseline is simulated alongside.  On
 * rank 0, gains[k] receives station k's gain (unsorted) and *throughput
 * (if not NULL) the baseline's throughput per hour.  Returns as
 * sweep_run: 0; -1 out of memory; -2 interrupted; -3 a plant stopped
 * (o->error); EXP_NOT_ROOT on other ranks.  Progress is reported for jobs
 * numbered from progress_first on. */
int improve_run(const takt_plant *p, const exp_options *o, const takt_summary *base,
                const int *stations, int n, improve_what what, double by,
                int progress_first, station_gain *gains, kpi *throughput);

/* The engine of both: simulate plants[0..nv-1] on one pool and pair each
 * replication of plants[v] with the same replication of bases[v] (a
 * summary of the plant it improves, under the same options), or, where
 * bases[v] is NULL, of plants[0], the baseline, whose own gains[0] is its
 * throughput per hour.  gains[v] is filled on rank 0.  Returns as
 * sweep_run. */
int improve_pairs(const takt_plant *const *plants, int nv, const exp_options *o,
                  const takt_summary *const *bases, int progress_first, kpi *gains);

/* Sort gains largest first (ties: the lower station index first). */
void improve_rank(station_gain *gains, int n);

/* What `takt improve` reports: every station's gain, largest first. */
typedef struct improve_result {
    const takt_plant *plant;        /* borrowed                          */
    improve_what what;
    double by;
    int replications;
    uint64_t seed;
    kpi throughput;                 /* the plant as it is, per hour      */
    station_gain *gains;            /* owned; largest gain first         */
    int n;
} improve_result;

/* The stations improve_all improves: all, or for MTTR those that fail.
 * Fills stations (room for p->nstations) and returns how many. */
int improve_targets(const takt_plant *p, improve_what what, int *stations);

/* Improve every target station (improve_run with the baseline alongside)
 * and rank them into *out (free with improve_result_free).  Returns as
 * improve_run; -4 when there is no station to improve. */
int improve_all(const takt_plant *p, const exp_options *o, improve_what what, double by,
                improve_result *out);
void improve_result_free(improve_result *r);

/* ---- the bottleneck (improve_bottleneck.c) ---------------------------- */

/* The candidates for the bottleneck, most likely first, from a baseline
 * summary's station states: the active-period pick and the stations
 * busiest in the time they could work.
 * Returns how many (<= improve_shortlist_max(p)). */
int improve_shortlist(const takt_summary *s, int *stations);
int improve_shortlist_max(const takt_plant *p);

/* Confirm the bottleneck of each plants[c] (summaries sums[c] on rank 0)
 * by paired improvement runs of its shortlist, all on one pool; sets
 * sums[c]->bottleneck.  Every rank calls it with the same plants; base_rc is
 * this rank's outcome of the baseline runs (0, or EXP_NOT_ROOT on other
 * ranks), so that all ranks agree whether to go on.  Progress jobs are
 * numbered from progress_first.  Returns as improve_run. */
int bottleneck_confirm(const takt_plant *const *plants, int n, const exp_options *o,
                       int base_rc, takt_summary **sums, int progress_first);

#endif
