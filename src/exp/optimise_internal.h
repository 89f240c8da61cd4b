/*
 * optimise_internal.h — what optimise.c (the search) and
 * optimise_select.c (the final comparison by simulation) share: the table
 * of every design judged and the means of simulating designs.
 */
#ifndef TAKT_OPTIMISE_INTERNAL_H
#define TAKT_OPTIMISE_INTERNAL_H

#include "exp/optimise.h"

typedef struct entry {
    long *x;
    long sum;
    int estimated; double est;      /* parts/h, or NAN when not applicable */
    double *reps; int nreps, cap;   /* throughputs per hour of replications */
                                    /* 0 .. nreps-1, in replication order */
    kpi sim;                        /* of all nreps                      */
    takt_plant *plant;              /* built once it is simulated        */
} entry;

typedef struct table {
    const opt_problem *pr;
    entry *e; long n, cap;
    int R;                          /* replications asked for (the file's) */
    int Rs;                         /* replications the search by        */
                                    /* simulation gives each design      */
    int by_estimate;
    long evaluated, estimated;      /* designs simulated, estimated      */
    long replications;              /* replications simulated in all    */
    char *msg; int msglen;
} table;

/* Simulate designs ks[0..n-1] until each has at least upto replications
 * (replications nreps .. upto-1 of each, in one batch on every thread and
 * rank; then every rank holds the same numbers).  Returns 0, -1 out of
 * memory, -2 interrupted, -4 a design could not be built or deadlocked
 * (message). */
int opt_simulate_to(table *t, const long *ks, int n, int upto);

/* Estimate the designs ks[0..n-1] not yet estimated, on the threads of
 * the run's options (optimise_estimate.c).  Returns 0, -1, -2
 * interrupted, -4 a design could not be built (message). */
int opt_estimate_batch(table *t, const long *ks, int n);

/* The first stage of the final comparison: the replications asked for,
 * but at least 3 and at most 5. */
int opt_first_stage(const table *t);

/* Mean of the first r replications of design k. */
double opt_mean(const table *t, long k, int r);

/* Paired comparison on the replications a and b share: is a significantly
 * better than b (95 %, Student t)? */
int opt_better(const table *t, long a, long b);

/* Max-throughput: choose the best of the candidates pool[0..m-1] by a
 * sequential ranking-and-selection procedure (optimise_select.c); *best
 * its index in the table.  pool[0] is the search's own choice, whose value
 * sets the default indifference zone. */
int opt_select_best(table *t, const long *pool, int m, long *best);

#endif
