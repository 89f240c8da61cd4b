/*
 * summary.h — replications and their summary: means and 95 % half-widths
 * of every KPI across replications.
 */
#ifndef TAKT_SUMMARY_H
#define TAKT_SUMMARY_H

#include "../model/run.h"
#include "../../include/takt.h"

typedef struct kpi {
    double mean, ci95;
} kpi;

typedef struct station_sum {
    kpi parts_out;
    kpi state[NSTATES];
    kpi bn_sole, bn_shifting;       /* bottleneck shares                 */
    kpi recent_out;                 /* to the sink in the last quarter   */
    double recent_on_s;             /* open and on shift in that quarter (s) */
} station_sum;

typedef struct buffer_sum {
    kpi mean_level;
    double max_level;               /* max over replications             */
} buffer_sum;

typedef struct day_sum {
    kpi produced, delivered, backlog;
} day_sum;

typedef struct month_sum {
    int64_t first_day;              /* days since 1970-01-01             */
    kpi produced, delivered, backlog_end;
} month_sum;

typedef struct target_sum {
    int nreached;                   /* replications that reached it      */
    double reached, lo, hi;         /* mean, 2.5 % and 97.5 % (s); NAN   */
    int met;                        /* every replication reached it by `by` */
} target_sum;

typedef struct workshop_sum {
    kpi parts_out;
    kpi state[NSTATES];
} workshop_sum;

typedef struct pool_sum {          /* a resource pool: see pool_obs     */
    kpi utilisation, waiting, waited_h, wait_s;
} pool_sum;

typedef struct loop_sum {          /* a carrier loop: see loop_obs      */
    kpi free, wip, lead_time_s, from_waiting, waited_h, throughput_per_hour;
} loop_sum;

/* The bottleneck: the station whose improvement raises the plant's output
 * most (docs/diagnosis.md).  summary_build names the station most often
 * the bottleneck by the active-period method (summary_active_period_pick,
 * catalogue.h); bottleneck_confirm
 * (improve.h) replaces it by the station whose shorter cycle, in paired
 * runs on common random numbers, raised the throughput most. */
typedef enum { BN_ACTIVE_PERIOD = 0, BN_PAIRED_IMPROVEMENT = 1 } bn_method;

typedef struct station_gain {
    int station;
    kpi gain;                       /* throughput gain per hour: mean and */
                                    /* 95 % half-width of paired differences */
    int replications;               /* paired replications it rests on   */
} station_gain;

typedef struct bottleneck_sum {
    int station;                    /* -1: a plant with no station       */
    bn_method method;
    double by;                      /* share of the cycle taken off (paired) */
    kpi gain;                       /* of that station; NAN if not simulated */
    station_gain *candidates;       /* the shortlist, largest gain first */
    int ncandidates;
} bottleneck_sum;

typedef struct takt_summary {
    const takt_plant *plant;        /* borrowed: must outlive the summary */
    int replications;
    uint64_t seed;
    double horizon, warmup;         /* s */
    kpi throughput_per_hour, lead_time_s, wip;
    station_sum *stations;
    buffer_sum *buffers;
    rep_obs *reps;                  /* the raw observations, one per rep */
    uint64_t events;                /* total over replications           */
    /* car-plant layer (see summary_plant.c) */
    int ndays, nmonths;
    day_sum *daily;
    month_sum *monthly;
    target_sum *targets;
    workshop_sum *workshops;
    kpi produced, delivered;        /* totals since time 0               */
    kpi scrapped;                   /* in the window                     */
    double recent_from;             /* start of the last quarter (s)     */
    kpi annual_capacity;            /* last quarter's rate per shift hour */
                                    /* x the calendars' hours in a year  */
    double wait_mean_w, wait_p50_w, wait_p90_w;   /* NAN with no demand  */
    long wait_n;
    pool_sum *pools;                /* nresources                        */
    loop_sum *loops;                /* ncarriers                         */

    bottleneck_sum bottleneck;
    struct series_sum *series;      /* over time (series_sum.h), or NULL
                                       when the run collected none       */
    /* The analytic estimate of the plant (src/analytic), shown beside the
     * simulation: computed by summary_estimate the first time a report
     * asks for it, so a run, a replication or a sweep point whose report
     * does not show it never pays for it.  NULL if out of memory. */
    struct summary_estimate_cache *estimate;
} takt_summary;

/* Fill the car-plant part of the summary (series, targets, workshops,
 * customer wait).  Returns 0 or -1 (out of memory). */
int summary_plant(takt_summary *s);

/* Fill the pools and carrier loops of the summary (summary_resource.c).
 * Returns 0 or -1 (out of memory). */
int summary_resources(takt_summary *s);

/* The options of a run (the public takt_options wraps one). */
typedef struct exp_options {
    int replications;               /* <= 0: the plant's                 */
    uint64_t seed; int have_seed;   /* have_seed = 0: the plant's        */
    double horizon, warmup;         /* seconds; < 0: the plant's         */
    int threads;                    /* <= 0: all cores                   */
    const volatile int *stop;       /* set *stop to interrupt; may be NULL */
    /* Progress: called from worker threads (must be thread-safe) after
     * every replication and every ~65,000 events, with the replication
     * number and the fraction of its simulated time done.  May be NULL. */
    void (*progress)(void *ctx, int rep, double frac);
    void *progress_ctx;
    /* When a run fails for a reason in the plant (a deadlock), *error
     * receives a malloc'd message (free it).  May be NULL. */
    char **error;
    /* How the bottleneck is named: EXP_BN_PAIRED (the default) confirms a
     * shortlist by paired improvement runs (improve.h), which adds a few
     * runs of the plant; EXP_BN_ACTIVE keeps the active-period pick. */
    int bottleneck;
    /* 1: collect the series over time (series.h, docs/series.md) of the
     * run's own replications (paired improvement runs never do). */
    int series;
} exp_options;

enum { EXP_BN_PAIRED = 0, EXP_BN_ACTIVE = 1 };

void exp_options_default(exp_options *o);

/* Run all replications and summarise.  Returns 0; -1 out of memory;
 * -2 interrupted; EXP_NOT_ROOT on MPI ranks other than 0 (which ran their
 * share of the replications and sent them to rank 0: nothing to report). */
#define EXP_NOT_ROOT 3
int exp_run(const takt_plant *p, const exp_options *o, takt_summary **out);

/* Threads to use: `asked` (<= 0: all cores), at most `jobs`. */
int exp_threads(int asked, int jobs);

/* Build the summary from finished observations (takes ownership of reps). */
takt_summary *summary_build(const takt_plant *p, rep_obs *reps, int n,
                            uint64_t seed, double horizon, double warmup);
void summary_free(takt_summary *s);

/* The analytic estimate of the summary's plant, computed on the first call
 * and kept with the summary (the summary itself is not otherwise changed,
 * so reports that take it const may call this).  NULL when there is none
 * (out of memory).  Not thread-safe for one summary: reports of one
 * summary are written by one thread. */
const struct estimate *summary_estimate(const takt_summary *s);

/* The method names as reports print them: "active-period",
 * "paired-improvement". */
const char *bn_method_name(bn_method m);

#endif
