/*
 * sweep.h — parameter sweeps: every combination of a few settings of a
 * plant, each simulated with all its replications.
 *
 * A sweep is a list of axes, one per `--set KEY=VALUES`; the combinations
 * are their cartesian product, the first axis varying slowest.  Building
 * each combination's plant is the loader's business (src/io/override.h);
 * this layer only spells the settings out and runs the plants.
 */
#ifndef TAKT_SWEEP_H
#define TAKT_SWEEP_H

#include "summary.h"

#define SWEEP_MAX_AXES 32
#define SWEEP_MAX_COMBINATIONS 100000L

typedef struct sweep_axis {
    char *key;                      /* "buffers.B1.capacity"             */
    char **settings;                /* "KEY=VALUE" per value, ranges expanded */
    const char **values;            /* each VALUE as written (inside settings) */
    int nvalues;
} sweep_axis;

typedef struct sweep_spec {
    sweep_axis axes[SWEEP_MAX_AXES];
    int naxes;
} sweep_spec;

/* Add one axis from "KEY=VALUES".  VALUES is a comma list in which commas
 * inside (), [], {} or quotes belong to the value ("exp(1h),tri(1h, 2h,
 * 3h)"), and any element may be an integer range FROM..TO or FROM..TO..STEP.
 * Returns 0, or -1 with a message in err (nothing added). */
int sweep_add_axis(sweep_spec *s, const char *arg, char *err, int errlen);

/* Number of combinations (the product of the axes' sizes; 1 with no
 * axes).  sweep_add_axis refuses more than SWEEP_MAX_COMBINATIONS. */
long sweep_count(const sweep_spec *s);

/* The value of every axis in combination c (0 <= c < sweep_count), and
 * the same as "KEY=VALUE" settings for the loader (src/io/override.h). */
void sweep_values(const sweep_spec *s, long c, const char **values);
void sweep_settings(const sweep_spec *s, long c, const char **settings);

void sweep_spec_free(sweep_spec *s);

/* Simulate every replication of plants[0..n-1] on one pool of threads
 * (and over the MPI ranks): a flat list of (plant, replication) jobs, each
 * run exactly as takt_simulate would run it, so out[c] equals
 * takt_simulate(plants[c], o).  The options apply to every plant; where
 * they leave a value to the plant, each plant's own is used.  If seconds
 * is not NULL, seconds[c] is the run time summed over plant c's
 * replications (those run in this process).  Returns 0; -1 out of memory;
 * -2 interrupted; -3 a run stopped on a problem of its plant (a deadlock:
 * *o->error gets the message if o->error is set, *failed the plant's index
 * if failed is not NULL); EXP_NOT_ROOT on MPI ranks other than 0.  out is
 * filled only when 0 is returned. */
int sweep_run(const takt_plant *const *plants, int n, const exp_options *o,
              takt_summary **out, double *seconds, int *failed);

/* The throughput per hour of replications rep_from[c] .. rep_from[c] +
 * nreps[c] - 1 of every plants[c], run lean (run_limits.lean: the parts
 * move exactly as in a full run, nothing else is observed), on one pool
 * and over the MPI ranks; on rank 0, tph[] receives them plant by plant,
 * in replication order (room for the sum of nreps).  skip[c] (or skip
 * NULL) are the stations plant c's runs leave out (run_skippable); extra[k]
 * (read on rank 0) is what job k's left-out stations passed to the sink,
 * counted into its throughput.  Paired improvement runs need nothing
 * more.  Returns as sweep_run. */
int sweep_throughputs(const takt_plant *const *plants, int n, const unsigned char *const *skip,
                      const int *rep_from, const int *nreps, const long *extra,
                      const exp_options *o, double *tph);

/* As sweep_run, but plant c runs only replications rep0[c] ..
 * rep0[c] + nreps[c] - 1 (nreps[c] >= 1), each exactly as a full run runs
 * that replication (its seed is the replication's number): a plant's
 * replications can be added a few at a time, as a sequential procedure
 * needs, and the observations are those of one run of them all.  out[c]
 * summarises the replications of the part (out[c]->reps[i] is replication
 * rep0[c] + i).  rep0 and nreps NULL: sweep_run. */
int sweep_run_part(const takt_plant *const *plants, int n, const int *rep0, const int *nreps,
                   const exp_options *o, takt_summary **out, double *seconds, int *failed);

#endif
