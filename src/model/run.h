/*
 * run.h — one replication of a plant: the mutable state and the event
 * handlers live in run.c; this header is what the experiment layer sees.
 */
#ifndef TAKT_RUN_H
#define TAKT_RUN_H

#include <stdint.h>
#include "plant.h"

/* Station states; their times sum to the measured time for every machine.
 * Their names, labels and colours are in the results catalogue
 * (src/exp/catalogue.c): a new state needs its row there. */
enum {
    ST_WORKING = 0, ST_STARVED, ST_BLOCKED, ST_FAILED, ST_SETUP, ST_OFF_SHIFT,
    ST_WAITING,                     /* for units of a pool or a carrier  */
    ST_MAINTENANCE,                 /* planned                           */
    ST_CLOSED,                      /* before its workshop or plant opens */
    NSTATES
};

typedef struct station_obs {
    double parts_out;               /* parts finished and passed on      */
    double state[NSTATES];          /* fractions of measured time, mean over servers */
    double bn_sole, bn_shifting;    /* bottleneck shares (active-period method) */
    double recent_out;              /* parts to the sink in the last quarter */
    double sunk;                    /* parts it passed to the sink (window) */
    double scrapped, reworked;      /* parts it finished that were scrapped,
                                       or sent to rework (in parts_out)  */
    double held;                    /* finished parts its blocked machines
                                       held at the end of the window less
                                       those at its start: parts_out +
                                       scrapped + held = parts finished
                                       in the window                     */
} station_obs;

typedef struct buffer_obs {
    double mean_level;
    double max_level;
    double parts_in;                /* parts put in during the window    */
} buffer_obs;

typedef struct pool_obs {
    double utilisation;             /* mean units in use / units         */
    double waiting;                 /* mean requests waiting for it      */
    double waited_h;                /* hours requests waited (window)    */
    double wait_s;                  /* mean wait of a request served (s) */
} pool_obs;
#define POOL_FIGURES 4                  /* doubles in a pool_obs, in order */

typedef struct loop_obs {
    double free;                    /* mean carriers free at `from`      */
    double wip;                     /* mean parts riding (from..to)      */
    double lead_time_s;             /* mean time from..to (Little's law) */
    double from_waiting;            /* share of `from`'s machine time waiting */
    double waited_h;                /* machine hours `from` waited       */
    double throughput_per_hour;     /* parts leaving `to`                */
} loop_obs;
#define LOOP_FIGURES 6                  /* doubles in a loop_obs, in order */

/* What one replication observed over the measured window. */
/* The "last quarter": the final 91 days of the run (or the whole window
 * if shorter), where the report measures the rate reached at the end. */
#define RECENT_SPAN (91.0 * 86400.0)

typedef struct rep_obs {
    double throughput_per_hour;     /* parts to the sink per hour        */
    double lead_time_s;             /* mean time in system of parts out  */
    double wip;                     /* time-average parts in the system  */
    long parts_in;                  /* parts created during the window   */
    long parts_out;                 /* parts to the sink in the window   */
    long wip_start, wip_end;        /* parts in system at window edges   */
    long scrapped;                  /* parts scrapped in the window      */
    long merged;                    /* parts consumed by assembly (k-1 per build) */
    uint64_t events;                /* events processed (whole run)      */
    station_obs *stations;          /* nstations                         */
    buffer_obs *buffers;            /* nbuffers + nsources               */
    pool_obs *pools;                /* nresources                        */
    loop_obs *loops;                /* ncarriers                         */
    /* car-plant layer: series over days since time 0 (whole run) */
    int ndays;
    double *day_produced;           /* cars leaving the last station(s)  */
    double *day_delivered;
    double *day_backlog;            /* orders not yet delivered, end of day */
    double *target_reached;         /* per target: time reached, or NAN  */
    long produced, delivered, ordered;  /* totals since time 0           */
    double wait_mean_s;             /* customer wait, order to delivery  */
    long wait_n;
    struct qhist *wait;             /* distribution of customer waits    */
    char *error;                    /* set when the run stopped (-3)      */
    struct series_obs *series;      /* over time (series.h), or NULL when
                                       not asked for                     */
} rep_obs;

typedef struct run_limits {
    double horizon, warmup;         /* s                                 */
    uint64_t seed;
    const volatile int *stop;       /* if non-NULL and *stop, end early  */
    int lean;                       /* throughput only: no customer orders,
                                     * no active-period tracking (paired
                                     * improvement runs read nothing else;
                                     * parts move exactly as in a full run) */
    const unsigned char *skip;      /* lean: per station 1 = not simulated
                                     * (another part of the plant, see
                                     * run_skippable); NULL: none          */
    void (*progress)(void *ctx, int rep, double frac);
    void *progress_ctx;
    double series_period;           /* > 0: collect series (series.h) over
                                       periods this long (s)             */
} run_limits;

/* Simulate replication `rep` (0-based).  Fills *out (arrays allocated;
 * free with rep_obs_free).  Returns 0, -1 out of memory, -2 stopped,
 * -3 the plant deadlocked or stopped advancing (out->error says why). */
int run_replication(const takt_plant *p, const run_limits *lim, int rep, rep_obs *out);
void rep_obs_free(rep_obs *o);

/* Parts out per hour of the window [t_warm, t_end] (t_end = warmup +
 * horizon), as a replication computes its throughput_per_hour. */
static inline double run_throughput(long parts_out, double t_warm, double t_end)
{
    return (double)parts_out / ((t_end - t_warm) / 3600.0);
}

/* The stations a lean run of p may leave out when only station i changes:
 * those not joined to i by buffers, in a plant whose parts interact in no
 * other way (no resource pools, carrier loops or maintenance plans).  Its
 * stations' parts move as they would beside i's, so their output is that
 * of any run of the same seed and replication.  Returns a malloc'd mask
 * (1 = leave out), or NULL when there is nothing to leave out (or no
 * memory: then the whole plant is simulated, which is always right). */
unsigned char *run_skippable(const takt_plant *p, int i);

#endif
