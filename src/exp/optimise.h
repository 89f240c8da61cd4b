/*
 * optimise.h — choosing integer settings of a plant (buffer capacities,
 * servers, crews ...) for the most throughput under a budget, or the
 * smallest budget that reaches a throughput target.
 *
 * The search moves one unit at a time, as the buffer-allocation
 * literature does (greedy ascent, then exchanges between the settings with
 * the smallest loss and the largest gain), judging designs by the analytic
 * estimate when it applies to the plant and by simulation otherwise.  The
 * final candidates are simulated with common random numbers (every design
 * with the same seeds); for max-throughput a sequential ranking-and-
 * selection procedure (KN, optimise_select.c) adds replications only to
 * the designs still in contention.  The answer is the best, with its 95 %
 * interval, and the designs not significantly worse than it (paired t,
 * 95 %, on the replications they share).  Designs are plants built by a callback (the loader's
 * business), so this layer knows no file format.
 */
#ifndef TAKT_OPTIMISE_H
#define TAKT_OPTIMISE_H

#include "summary.h"

#define OPT_MAX_DECISIONS 64

typedef enum { OPT_MAX_THROUGHPUT = 0, OPT_MIN_TOTAL = 1 } opt_objective;

typedef struct opt_decision {
    char *path;                     /* "buffers.B1.capacity" (owned)     */
    long lo, hi;
} opt_decision;

/* Build the plant of a design: sets[i] = "PATH=VALUE" for every decision.
 * Returns the plant, or NULL with a message in err. */
typedef takt_plant *(*opt_build_fn)(void *ctx, const char *const *sets, int n,
                                    char *err, int errlen);

typedef struct opt_problem {
    opt_decision d[OPT_MAX_DECISIONS];
    int n;
    long total;                     /* the decisions add up to this; < 0: free */
    opt_objective objective;
    double target_per_hour;         /* OPT_MIN_TOTAL: throughput to reach */
    opt_build_fn build;
    void *ctx;
    exp_options run;                /* replications, seed, threads, stop */
    int candidates;                 /* designs simulated at the end (>= 1) */
    double indifference;            /* max-throughput: the indifference zone */
                                    /* (parts/h); <= 0: 0.25 % of the throughput */
    int max_replications;           /* per design in the final comparison; */
                                    /* <= 0: 10 times the first stage's */
} opt_problem;

typedef struct opt_design {
    long *x;                        /* one value per decision (owned)    */
    kpi throughput_per_hour;        /* simulated, CRN                    */
    int replications;               /* behind it                         */
    int meets;                      /* OPT_MIN_TOTAL: reaches the target */
} opt_design;

typedef struct opt_result {
    opt_design best;
    opt_design *tied; int ntied;    /* not significantly worse than best */
    long evaluated;                 /* designs simulated                 */
    long estimated;                 /* designs estimated analytically    */
    long replications;              /* replications simulated in all     */
    int by_estimate;                /* the search used the estimate      */
    char message[512];              /* why it failed (return -4, -5)     */
} opt_result;

/* Check the problem before any long computation: ranges, the budget's
 * feasibility.  Returns 0, or -1 with a message in err. */
int optimise_check(const opt_problem *pr, char *err, int errlen);

/* Run.  Returns 0; -1 out of memory; -2 interrupted; -4 a design could
 * not be built or simulated (message); -5 no design reaches the target
 * (message names the best reached); EXP_NOT_ROOT on MPI ranks other than
 * 0 (they took part; rank 0 reports).  Every rank must call it. */
int optimise_run(const opt_problem *pr, opt_result *out);

void optimise_result_free(opt_result *r, int n);
void optimise_problem_free(opt_problem *pr);

/* "PATH=VALUE" of decision i at value v into buf. */
void optimise_setting(const opt_problem *pr, int i, long v, char *buf, int len);

#endif
