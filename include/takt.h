/*
 * takt.h — the public C API of takt, a discrete-event simulator for car
 * plants and other discrete production lines (docs/api.md).
 *
 *   char *errors = NULL;
 *   takt_plant *p = takt_load("plant.yaml", &errors);   // or takt_load_string
 *   takt_options *o = takt_options_new();
 *   takt_options_set_replications(o, 10);
 *   takt_result *r = NULL;
 *   if (takt_simulate(p, o, &r, NULL) == TAKT_OK) {
 *       double mean, ci95;
 *       takt_result_figure(r, "throughput_per_hour", &mean, &ci95);
 *       takt_result_write(r, TAKT_FORMAT_TEXT, stdout);
 *   }
 *   takt_result_free(r); takt_options_free(o); takt_plant_free(p);
 *
 * Every type is opaque: it is made and read through functions, so the
 * library may grow without breaking programs built against an older
 * takt.h of the same major version (the soname is libtakt.so.MAJOR).
 *
 * Ownership: a function that returns a char * the caller must free says
 * so ("free() it"); const char * results are borrowed and live as long as
 * the object they came from.  A result borrows its plant: free the result
 * first.  A plant is immutable once loaded and may be simulated by many
 * threads at once.  Results depend only on the plant, its seed and the
 * options, never on the number of threads or processes.
 */
#ifndef TAKT_H
#define TAKT_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TAKT_VERSION_MAJOR 0
#define TAKT_VERSION_MINOR 4
#define TAKT_VERSION_PATCH 0
#define TAKT_VERSION "0.4.0"

#if defined(__GNUC__)
#define TAKT_API __attribute__((visibility("default")))
#else
#define TAKT_API
#endif

/* ---- status ----------------------------------------------------------- */

typedef enum takt_status {
    TAKT_OK = 0,
    TAKT_EBADINPUT = 1,     /* a plant, setting or argument was refused   */
    TAKT_EDEADLOCK = 2,     /* the plant deadlocked while simulating      */
    TAKT_EINTERRUPTED = 3,  /* stopped by the stop flag or takt_options_cancel */
    TAKT_ENOMEM = 4,        /* out of memory                              */
    TAKT_EIO = 5,           /* a file or the run store could not be read or written */
    TAKT_ENOTFOUND = 6,     /* no such figure, station, buffer, series or run */
    TAKT_ENOTROOT = 7       /* an MPI rank other than 0: it ran its share
                               of the replications; rank 0 has the result */
} takt_status;

/* A short English sentence for a status ("out of memory"); never NULL. */
TAKT_API const char *takt_strerror(takt_status status);

/* The library's version, "MAJOR.MINOR.PATCH" (may differ from the
 * TAKT_VERSION a program was compiled with). */
TAKT_API const char *takt_version(void);

/* A duration as plant files write them ("90min", "2.5h", "3d"; a bare
 * number is seconds) into *seconds.  TAKT_EBADINPUT with a message (free()
 * it) when it is not one. */
TAKT_API takt_status takt_parse_duration(const char *text, double *seconds, char **message);

/* Processes of an MPI job (docs/cluster.md).  A program that may run under
 * mpirun calls takt_mpi_init at the start of main and takt_mpi_finalize
 * at its end; outside mpirun, or built without MPI, both do nothing.
 * takt_mpi_abort(status) ends every process of the job when this one
 * fails while others would wait for it; it does nothing in one process. */
TAKT_API takt_status takt_mpi_init(int *argc, char ***argv);
TAKT_API void takt_mpi_finalize(void);
TAKT_API void takt_mpi_abort(int status);

/* ---- plants ----------------------------------------------------------- */

typedef struct takt_plant takt_plant;

/* Load and validate a plant file (or YAML text, named `name` in messages).
 * On error returns NULL and, if errors is not NULL, sets *errors to text of
 * one "FILE:LINE:COLUMN: message" line per problem (free() it).  The _with
 * forms apply settings first, each "PATH=VALUE" as `takt run --set` takes
 * them (stations.M1.servers=2, buffers.B1.capacity=5; docs/sweep.md). */
TAKT_API takt_plant *takt_load(const char *path, char **errors);
TAKT_API takt_plant *takt_load_string(const char *name, const char *yaml, size_t len,
                                      char **errors);
TAKT_API takt_plant *takt_load_with(const char *path, const char *const *settings,
                                    int nsettings, char **errors);
TAKT_API takt_plant *takt_load_string_with(const char *name, const char *yaml, size_t len,
                                           const char *const *settings, int nsettings,
                                           char **errors);
TAKT_API void takt_plant_free(takt_plant *p);
/* A plant file's bytes, read as takt_load reads them (a directory or a
 * file over 64 MiB is refused): *text (free() it) holds *len bytes and a
 * final NUL.  TAKT_EIO with "FILE: reason" in *message (free() it).
 * With takt_load_file_text, a program loads exactly the bytes it gives
 * takt_store_add to hash, however the file changes meanwhile. */
TAKT_API takt_status takt_read_file(const char *path, char **text, size_t *len, char **message);
/* As takt_load_with, from the bytes of the plant file at path that the
 * caller read: path names the plant in messages and reports; it is not
 * read again. */
TAKT_API takt_plant *takt_load_file_text(const char *path, const char *yaml, size_t len,
                                         const char *const *settings, int nsettings,
                                         char **errors);

TAKT_API const char *takt_plant_name(const takt_plant *p);
TAKT_API int takt_plant_station_count(const takt_plant *p);
TAKT_API const char *takt_plant_station(const takt_plant *p, int i);   /* NULL if out of range */
/* Buffers, then the queues in front of sources (as the reports list them). */
TAKT_API int takt_plant_buffer_count(const takt_plant *p);
TAKT_API const char *takt_plant_buffer(const takt_plant *p, int i);
/* A setting of the plant by the path `--set` uses: "replications", "seed",
 * "horizon" and "warmup" (seconds), "stations.NAME.servers",
 * "buffers.NAME.capacity" (INFINITY when unbounded).  TAKT_ENOTFOUND for
 * another path. */
TAKT_API takt_status takt_plant_setting(const takt_plant *p, const char *path, double *value);

/* ---- options ---------------------------------------------------------- */

typedef struct takt_options takt_options;

/* New options leave everything to the plant (its replications, seed,
 * horizon and warm-up) and use all cores.  NULL when out of memory. */
TAKT_API takt_options *takt_options_new(void);
TAKT_API void takt_options_free(takt_options *o);
/* Setters return TAKT_EBADINPUT for a value out of range (replications
 * 1..1000000, threads 1..256, horizon > 0, warm-up >= 0). */
TAKT_API takt_status takt_options_set_replications(takt_options *o, int replications);
TAKT_API takt_status takt_options_set_seed(takt_options *o, uint64_t seed);
TAKT_API takt_status takt_options_set_horizon(takt_options *o, double seconds);
TAKT_API takt_status takt_options_set_warmup(takt_options *o, double seconds);
TAKT_API takt_status takt_options_set_threads(takt_options *o, int threads);
/* Progress: called from worker threads (it must be thread-safe) after each
 * replication and every ~65,000 events, with the replication number and
 * the fraction of its simulated time done.  NULL for none. */
TAKT_API void takt_options_set_progress(takt_options *o,
                                        void (*progress)(void *ctx, int rep, double frac),
                                        void *ctx);
/* Stop a simulation or sweep under way (from a progress callback, another
 * thread or a signal handler): it returns TAKT_EINTERRUPTED.  Options that
 * were cancelled stay cancelled until takt_options_reset_cancel. */
TAKT_API void takt_options_cancel(takt_options *o);
TAKT_API void takt_options_reset_cancel(takt_options *o);
/* Or watch a flag of the caller's (a signal handler's): nonzero stops.
 * NULL goes back to takt_options_cancel's own flag. */
TAKT_API void takt_options_set_stop_flag(takt_options *o, const volatile int *flag);
/* The number of replications a run of p with these options makes. */
TAKT_API int takt_options_replications_for(const takt_options *o, const takt_plant *p);
/* How a run names its bottleneck (docs/diagnosis.md): TAKT_BOTTLENECK_PAIRED,
 * the default, confirms a shortlist of candidates by paired improvement
 * runs (a few more runs of the plant); TAKT_BOTTLENECK_ACTIVE takes the
 * active-period method's pick and simulates nothing more. */
typedef enum takt_bottleneck_method {
    TAKT_BOTTLENECK_PAIRED = 0,
    TAKT_BOTTLENECK_ACTIVE = 1
} takt_bottleneck_method;
TAKT_API takt_status takt_options_set_bottleneck(takt_options *o, takt_bottleneck_method m);
/* Replications of those paired runs a run of p makes on top of
 * takt_options_replications_for (0 with TAKT_BOTTLENECK_ACTIVE). */
TAKT_API int takt_options_paired_runs_for(const takt_options *o, const takt_plant *p);
/* on = 1: also collect the series over time (each station's states, each
 * buffer's level and the bottleneck, period by period; docs/series.md),
 * which the JSON, CSV and HTML reports then show.  Off by default. */
TAKT_API takt_status takt_options_set_series(takt_options *o, int on);

/* ---- simulating and reading results ----------------------------------- */

typedef struct takt_result takt_result;

/* Simulate all replications (options may be NULL: the plant's own).  On
 * TAKT_OK *out is the result (free with takt_result_free, before the
 * plant).  On TAKT_EDEADLOCK and TAKT_EBADINPUT, *message (if message is
 * not NULL) gets the reason (free() it). */
TAKT_API takt_status takt_simulate(const takt_plant *p, const takt_options *o,
                                   takt_result **out, char **message);
TAKT_API void takt_result_free(takt_result *r);

TAKT_API const takt_plant *takt_result_plant(const takt_result *r);
TAKT_API int takt_result_replications(const takt_result *r);
TAKT_API uint64_t takt_result_seed(const takt_result *r);
TAKT_API double takt_result_horizon(const takt_result *r);     /* s */
TAKT_API double takt_result_warmup(const takt_result *r);      /* s */
TAKT_API uint64_t takt_result_events(const takt_result *r);    /* over all replications */

/* Every figure is a mean over replications and the half-width of its 95 %
 * confidence interval (Student t); ci95 is NAN where there is none.  Keys
 * are those of the JSON report (docs/report.md).  Any of mean and ci95 may be
 * NULL.  TAKT_ENOTFOUND for an unknown key, station, buffer or index. */

/* The results catalogue: every figure a run can report, by table:
 * "headline", "station", "workshop", "buffer", "daily", "monthly" and
 * "state" (the station states).  Row i gives its key, a label for people
 * and its unit (any pointer may be NULL); TAKT_ENOTFOUND past the end.  A
 * new figure in a later version appears here without a new function. */
TAKT_API takt_status takt_catalogue_entry(const char *table, int i, const char **key,
                                          const char **label, const char **unit);

/* Headline figures: "throughput_per_hour", "lead_time_s", "wip",
 * "produced", "scrapped", and with demand "delivered",
 * "customer_wait_weeks_mean", "_p50", "_p90", "customer_deliveries".
 * takt_result_figure_count and _key list those this result holds. */
TAKT_API int takt_result_figure_count(const takt_result *r);
TAKT_API const char *takt_result_figure_key(const takt_result *r, int i);
TAKT_API takt_status takt_result_figure(const takt_result *r, const char *key,
                                        double *mean, double *ci95);

/* Station states (fractions of time, summing to 1): takt_state_count()
 * names, in the reports' order: "working", "starved", "blocked", ... */
TAKT_API int takt_state_count(void);
TAKT_API const char *takt_state_name(int i);
TAKT_API takt_status takt_result_station_state(const takt_result *r, const char *station,
                                               const char *state, double *mean, double *ci95);
/* Other per-station figures: "parts_out", and the bottleneck shares
 * "sole" and "shifting" (also by their CSV columns "bottleneck_sole",
 * "bottleneck_shifting"; ci95 NAN). */
TAKT_API takt_status takt_result_station_figure(const takt_result *r, const char *station,
                                                const char *key, double *mean, double *ci95);
/* Per buffer: "mean_level", "max_level" (the largest over replications;
 * ci95 NAN). */
TAKT_API takt_status takt_result_buffer_figure(const takt_result *r, const char *buffer,
                                               const char *key, double *mean, double *ci95);
/* The station the reports name as the bottleneck, or NULL: the station
 * whose improvement raises the output most (docs/diagnosis.md). */
TAKT_API const char *takt_result_bottleneck(const takt_result *r);
/* How it was named ("paired-improvement" or "active-period", into *method
 * if not NULL) and the throughput gain per hour of its 10 % shorter cycle
 * in the paired runs (NAN when none was simulated).  TAKT_ENOTFOUND for a
 * plant with no station. */
TAKT_API takt_status takt_result_bottleneck_gain(const takt_result *r, const char **method,
                                                 double *mean, double *ci95);


/* Series: "daily" (keys "produced", "delivered", "backlog") and "monthly"
 * ("produced", "delivered", "backlog_end").  A plant without a calendar
 * start date has no series: the length is 0.  -1 for an unknown series. */
TAKT_API int takt_result_series_length(const takt_result *r, const char *series);
/* The date of point i, "2026-03-02" (daily) or "2026-03" (monthly), into
 * buf of at least 16 bytes. */
TAKT_API takt_status takt_result_series_date(const takt_result *r, const char *series, int i,
                                             char *buf, size_t len);
TAKT_API takt_status takt_result_series_value(const takt_result *r, const char *series, int i,
                                              const char *key, double *mean, double *ci95);

/* ---- reports ---------------------------------------------------------- */

typedef enum takt_format {
    TAKT_FORMAT_TEXT = 0,   /* what `takt run` prints                     */
    TAKT_FORMAT_JSON = 1,   /* `takt run --json` (docs/report.md)           */
    TAKT_FORMAT_HTML = 2,   /* `takt run --html`: one self-contained page */
    TAKT_FORMAT_CSV = 3     /* one table of `takt run --csv` (see below)  */
} takt_format;

/* Write a report to f.  For CSV, the table is kpis.csv; takt_result_write_csv
 * names another.  TAKT_EIO on a write error. */
TAKT_API takt_status takt_result_write(const takt_result *r, takt_format format, FILE *f);
/* One CSV table by its file name in `takt run --csv`: "kpis.csv",
 * "stations.csv", "buffers.csv", "daily.csv", "monthly.csv",
 * "targets.csv", "workshops.csv". */
TAKT_API takt_status takt_result_write_csv(const takt_result *r, const char *table, FILE *f);
/* Every CSV table into the directory dir (created if missing), each file
 * written under a temporary name and renamed. */
TAKT_API takt_status takt_result_write_csv_dir(const takt_result *r, const char *dir,
                                               char **message);
/* Whether takt_result_write_csv_dir could write into dir (checked before a
 * long run); creates nothing. */
TAKT_API takt_status takt_check_csv_dir(const char *dir, char **message);

/* ---- output files (docs/api.md#output-files) ------------------------------ */

/* A group of output files that appear whole or not at all.  Each member is
 * opened at once, so whatever would fail is found before a long run: an
 * empty name, a directory, a socket, a missing or unwritable directory, a
 * file the final rename could not replace (another user's, in a sticky
 * directory).  A regular file (new or to be replaced) is written under a
 * temporary name in its own directory, created 0666 less the umask; a
 * device, FIFO, "-" (standard output) or /dev/stdout is written into
 * directly: renaming over a device would replace it.  Nothing is in place
 * until takt_outputs_place renames every temporary file, one after the
 * other with no other work between; takt_outputs_free discards whatever
 * was not placed. */
typedef struct takt_outputs takt_outputs;
TAKT_API takt_outputs *takt_outputs_new(void);                 /* NULL: out of memory */
TAKT_API void takt_outputs_free(takt_outputs *g);
/* A new member: *f is where to write it (stdout for standard output, which
 * is never closed).  TAKT_EIO with "cannot write 'PATH': reason". */
TAKT_API takt_status takt_outputs_open(takt_outputs *g, const char *path, FILE **f,
                                       char **message);
/* Every CSV table of r (as takt_result_write_csv_dir) as members, in dir
 * (created if missing, and removed again if the group is discarded). */
TAKT_API takt_status takt_outputs_csv(takt_outputs *g, const takt_result *r, const char *dir,
                                      char **message);
/* Flush, sync and close every member: every write error shows here.  On
 * an error the whole group is discarded. */
TAKT_API takt_status takt_outputs_finish(takt_outputs *g, char **message);
/* Rename every finished member into place. */
TAKT_API takt_status takt_outputs_place(takt_outputs *g, char **message);
/* Remove the group's temporary files and the directories it created, and
 * nothing else.  Async-signal-safe: a signal handler may call it on a
 * group another part of the program is writing, then _exit. */
TAKT_API void takt_outputs_unlink_tmp(const takt_outputs *g);

/* A report in memory: *text (free() it) holds *len bytes and a final NUL.
 * len may be NULL. */
TAKT_API takt_status takt_result_report(const takt_result *r, takt_format format,
                                        char **text, size_t *len);

/* ---- improvements (docs/diagnosis.md) ------------------------------------ */

/* For every station, the throughput gained by improving it by a share `by`
 * (0 < by < 1): its cycle time shorter (TAKT_IMPROVE_CYCLE) or its repair
 * times shorter (TAKT_IMPROVE_MTTR; only the stations that fail), in paired
 * runs on common random numbers with the options' replications and seed,
 * on the threads and MPI ranks as a sweep.  The same plant, options and
 * seed give the same gains, bit for bit, however the runs were spread. */
typedef enum takt_improve_what { TAKT_IMPROVE_CYCLE = 0, TAKT_IMPROVE_MTTR = 1 } takt_improve_what;
typedef struct takt_improvement takt_improvement;

/* How many stations takt_improve would improve (0: for MTTR, none fails). */
TAKT_API int takt_improve_station_count(const takt_plant *p, takt_improve_what what);
/* TAKT_EBADINPUT for a `by` out of range or no station to improve;
 * otherwise as takt_simulate.  The result borrows p. */
TAKT_API takt_status takt_improve(const takt_plant *p, const takt_options *o,
                                  takt_improve_what what, double by,
                                  takt_improvement **out, char **message);
TAKT_API void takt_improvement_free(takt_improvement *im);
/* The stations, largest gain first; the gain of station i in throughput
 * per hour (mean and 95 % half-width of the paired differences). */
TAKT_API int takt_improvement_count(const takt_improvement *im);
TAKT_API const char *takt_improvement_station(const takt_improvement *im, int i);
TAKT_API takt_status takt_improvement_gain(const takt_improvement *im, int i, double *mean,
                                           double *ci95);
/* TAKT_FORMAT_TEXT (the table `takt improve` prints) or TAKT_FORMAT_JSON
 * ({"plant", "by", "improvements": [...]}); TAKT_EBADINPUT otherwise. */
TAKT_API takt_status takt_improvement_write(const takt_improvement *im, takt_format format,
                                            FILE *f);
/* ---- the analytic estimate (docs/estimate.md) ------------------------- */
typedef struct takt_estimate takt_estimate;
/* Estimate a plant by decomposition, without simulating.  A plant outside
 * the method gets an estimate that is not applicable (and lists why in its
 * reports); no number is then given.  The estimate borrows the plant. */
TAKT_API takt_status takt_estimate_plant(const takt_plant *p, takt_estimate **out);
TAKT_API void takt_estimate_free(takt_estimate *e);
TAKT_API int takt_estimate_applicable(const takt_estimate *e);
/* "throughput_per_hour"; TAKT_ENOTFOUND for another key or when the
 * estimate is not applicable. */
TAKT_API takt_status takt_estimate_figure(const takt_estimate *e, const char *key, double *value);
/* The report of `takt estimate`: TAKT_FORMAT_TEXT or TAKT_FORMAT_JSON. */
TAKT_API takt_status takt_estimate_write(const takt_estimate *e, takt_format format, FILE *f);

/* ---- sweeps ----------------------------------------------------------- */

typedef struct takt_sweep takt_sweep;

TAKT_API takt_sweep *takt_sweep_new(void);
TAKT_API void takt_sweep_free(takt_sweep *s);
/* Add an axis, "PATH=VALUES" as `takt sweep --set` takes it
 * ("buffers.B1.capacity=1..5", "stations.M2.servers=1,2,3"). */
TAKT_API takt_status takt_sweep_add(takt_sweep *s, const char *axis, char **message);
TAKT_API long takt_sweep_count(const takt_sweep *s);       /* combinations */
TAKT_API int takt_sweep_axis_count(const takt_sweep *s);
TAKT_API const char *takt_sweep_axis(const takt_sweep *s, int axis);     /* its PATH */
/* The value of an axis in combination c (0 <= c < takt_sweep_count), as
 * written; NULL when out of range. */
TAKT_API const char *takt_sweep_value(const takt_sweep *s, long c, int axis);
/* "PATH=VALUE" of an axis in combination c, as takt_load_with takes it. */
TAKT_API const char *takt_sweep_setting(const takt_sweep *s, long c, int axis);
/* Load the plant file (or YAML text: path is then its name in messages)
 * once per combination, with `settings` applied first, then the
 * combination's.  A bad setting or value fails here, before anything is
 * simulated: TAKT_EBADINPUT, *message naming the combination and holding
 * the loader's "FILE:LINE:COLUMN: message" lines. */
TAKT_API takt_status takt_sweep_load(takt_sweep *s, const char *path,
                                     const char *const *settings, int nsettings,
                                     char **message);
TAKT_API takt_status takt_sweep_load_string(takt_sweep *s, const char *name, const char *yaml,
                                            size_t len, const char *const *settings,
                                            int nsettings, char **message);
/* The loaded plant of combination c (NULL before takt_sweep_load). */
TAKT_API const takt_plant *takt_sweep_plant(const takt_sweep *s, long c);
/* Replications over all combinations with these options. */
TAKT_API long long takt_sweep_jobs(const takt_sweep *s, const takt_options *o);
/* Simulate every combination's replications on one pool of threads (and
 * MPI ranks).  Each result equals what takt_simulate gives for that
 * combination's plant.  On TAKT_EDEADLOCK, takt_sweep_failed names the
 * combination.  Results are kept in the sweep until it is freed. */
TAKT_API takt_status takt_sweep_run(takt_sweep *s, const takt_options *o, char **message);
TAKT_API long takt_sweep_failed(const takt_sweep *s);
TAKT_API const takt_result *takt_sweep_result(const takt_sweep *s, long c);
/* Run time of combination c summed over its replications (s). */
TAKT_API double takt_sweep_seconds(const takt_sweep *s, long c);

/* The sweep's reports after takt_sweep_run: TAKT_FORMAT_TEXT the table
 * `takt sweep` prints, TAKT_FORMAT_JSON an array of {"set": {...},
 * "summary": <takt run --json>}, TAKT_FORMAT_CSV one row per combination.
 * TAKT_EBADINPUT for HTML or a sweep not run. */
TAKT_API takt_status takt_sweep_write(const takt_sweep *s, takt_format format, FILE *f);

/* ---- calibration (docs/fit.md) ---------------------------------------- */

typedef struct takt_fit takt_fit;

/* A fit of the plant file at path, every candidate built with the fixed
 * settings first ("PATH=VALUE" as takt_load_with takes them).  The plant
 * is loaded here: TAKT_EBADINPUT with its problems in *message (free() it)
 * when it is refused. */
TAKT_API takt_status takt_fit_new(const char *path, const char *const *settings, int nsettings,
                                  takt_fit **out, char **message);
TAKT_API void takt_fit_free(takt_fit *f);
/* A free setting, "PATH=LO..HI" (1.0..2.5, 1..6, 2024-05-01..2024-07-31,
 * 60s..90s).  At most 16. */
TAKT_API takt_status takt_fit_add_free(takt_fit *f, const char *free_setting, char **message);
/* The observed series: a CSV file (docs/fit.md), checked against the
 * plant's dates; problems as "FILE:LINE:COLUMN: message" lines. */
TAKT_API takt_status takt_fit_observed(takt_fit *f, const char *path, char **message);
/* Simulations for the search (default 200), and to re-fit the other
 * settings at each point of a profile (< 0: 4 per other setting; 0:
 * slices). */
TAKT_API void takt_fit_set_budget(takt_fit *f, int simulations);
TAKT_API void takt_fit_set_profile(takt_fit *f, int simulations);
/* Before running: the plant at both ends of every range, and, when
 * writable is set, that the file writes every free value as a plain value
 * (so takt_fit_plant_text can write it back). */
TAKT_API takt_status takt_fit_check(takt_fit *f, int writable, char **message);
/* Search and intervals; trace (may be NULL) is called after every new
 * simulation with the count so far and the best loss.  In one process
 * only (TAKT_EBADINPUT under mpirun). */
TAKT_API takt_status takt_fit_run(takt_fit *f, const takt_options *o,
                                  void (*trace)(void *ctx, int simulations, double best),
                                  void *ctx, char **message);
/* After takt_fit_run: TEXT, JSON or HTML (docs/fit.md). */
TAKT_API takt_status takt_fit_write(const takt_fit *f, takt_format format, FILE *out);
/* The plant file with the fitted values written in (malloc'd; free() it). */
TAKT_API takt_status takt_fit_plant_text(const takt_fit *f, char **text, size_t *len,
                                         char **message);
TAKT_API int takt_fit_simulations(const takt_fit *f);
TAKT_API int takt_fit_replications(const takt_fit *f);

/* ---- line balancing (docs/balance.md) --------------------------------- */

/* A line's tasks (a task file, Scholl .IN2 or Otto .alb) cut into
 * stations: for a takt, the fewest stations (SALBP-1); for a number of
 * stations, the shortest cycle (SALBP-2).  Messages (free() them) are one
 * "FILE:LINE:COLUMN: message" line per problem, each ending in a newline. */
typedef struct takt_balance takt_balance;

/* Load the task file at path; with template_path (may be NULL), the plant
 * file whose run settings, failures and buffers the balanced line's plant
 * takes (checked first: a valid plant, then its parts). */
TAKT_API takt_status takt_balance_load(const char *path, const char *template_path,
                                       takt_balance **out, char **message);
TAKT_API void takt_balance_free(takt_balance *b);
TAKT_API int takt_balance_task_count(const takt_balance *b);
TAKT_API const char *takt_balance_task(const takt_balance *b, int i);      /* its name */
TAKT_API double takt_balance_task_time(const takt_balance *b, int i);      /* s, mix-weighted */
/* The file's own takt (s) and station count; 0 when it gives none. */
TAKT_API double takt_balance_file_takt(const takt_balance *b);
TAKT_API int takt_balance_file_stations(const takt_balance *b);
/* Balance to this takt (0 < s <= 1e9), or to this number of stations
 * (1..100000), instead of the file's; 0 goes back to the file's.  Before
 * takt_balance_check only. */
TAKT_API takt_status takt_balance_set_takt(takt_balance *b, double seconds);
TAKT_API takt_status takt_balance_set_stations(takt_balance *b, int stations);
/* Everything that can be refused, before the search: no cycle time, a
 * precedence cycle, a task (or zone) longer than the takt. */
TAKT_API takt_status takt_balance_check(takt_balance *b, char **message);
/* Search for at most time_limit seconds (checking first if not done);
 * the best found when the limit stops it. */
TAKT_API takt_status takt_balance_solve(takt_balance *b, double time_limit, char **message);
/* After takt_balance_check: 1 (a takt given) or 2 (stations given). */
TAKT_API int takt_balance_problem(const takt_balance *b);
/* After takt_balance_solve: the stations used; the cycle (SALBP-1: the
 * takt; SALBP-2: the shortest found, s); the proven lower bound (SALBP-1:
 * stations; SALBP-2: seconds); whether the answer is proven optimal,
 * whether the time limit stopped the search, and the search's time (s). */
TAKT_API int takt_balance_stations(const takt_balance *b);
TAKT_API double takt_balance_cycle(const takt_balance *b);
TAKT_API double takt_balance_lower_bound(const takt_balance *b);
TAKT_API int takt_balance_optimal(const takt_balance *b);
TAKT_API int takt_balance_timed_out(const takt_balance *b);
TAKT_API double takt_balance_seconds(const takt_balance *b);
/* The station of task i, 1-based (0 before a solve or out of range). */
TAKT_API int takt_balance_task_station(const takt_balance *b, int i);
/* The answer as `takt balance` prints it (TAKT_FORMAT_TEXT) or its
 * --json (TAKT_FORMAT_JSON). */
TAKT_API takt_status takt_balance_write(const takt_balance *b, takt_format format, FILE *f);
/* The balanced line as a plant file (`takt balance --plant`), to f or to
 * memory (*text: free() it; len may be NULL). */
TAKT_API takt_status takt_balance_write_plant(const takt_balance *b, FILE *f);
TAKT_API takt_status takt_balance_plant_text(const takt_balance *b, char **text, size_t *len);

/* ---- optimisation (docs/optimise.md) ---------------------------------- */

/* Integer settings of a plant file (buffer capacities, servers, crews)
 * chosen for the most throughput under a budget, or the smallest total
 * that reaches a target; judged by the analytic estimate where it applies
 * and by simulation with common random numbers. */
typedef struct takt_optimise takt_optimise;
typedef enum takt_objective { TAKT_MAX_THROUGHPUT = 0, TAKT_MIN_TOTAL = 1 } takt_objective;
#define TAKT_OPTIMISE_CANDIDATES 8      /* designs compared at the end by default */

/* Read the plant file at path (TAKT_EIO with "cannot read 'PATH': why";
 * TAKT_EBADINPUT with the YAML's problems, one line each). */
TAKT_API takt_status takt_optimise_new(const char *path, takt_optimise **out, char **message);
TAKT_API void takt_optimise_free(takt_optimise *o);
/* A setting to choose, "PATH=LO..HI" with whole numbers; '*' in PATH
 * stands for every element (buffers.*.capacity).  At most 64 in all.  A
 * refusal's *message holds one sentence a line, no final newline. */
TAKT_API takt_status takt_optimise_vary(takt_optimise *o, const char *decision, char **message);
TAKT_API int takt_optimise_decision_count(const takt_optimise *o);
TAKT_API const char *takt_optimise_decision(const takt_optimise *o, int i);   /* its PATH */
/* The settings add up to total (-1, the default: free). */
TAKT_API takt_status takt_optimise_set_total(takt_optimise *o, long total);
TAKT_API takt_status takt_optimise_set_objective(takt_optimise *o, takt_objective objective);
/* TAKT_MIN_TOTAL: the throughput to reach (per hour, 95 % confidence). */
TAKT_API takt_status takt_optimise_set_target(takt_optimise *o, double per_hour);
/* Designs simulated and compared at the end, 1..60. */
TAKT_API takt_status takt_optimise_set_candidates(takt_optimise *o, int candidates);
/* The final comparison (max-throughput, docs/optimise.md): the
 * indifference zone, differences in parts per hour it need not resolve
 * (0: 0.25 % of the throughput), and the most replications a design gets
 * (0: 10 times the first stage's). */
TAKT_API takt_status takt_optimise_set_selection(takt_optimise *o, double indifference_per_hour,
                                                 int max_replications);
/* Before a long run: the ranges and the budget (one sentence in
 * *message); then, the plant at the low ends of every range (a first line
 * saying so, then the loader's lines). */
TAKT_API takt_status takt_optimise_check(const takt_optimise *o, char **message);
TAKT_API takt_status takt_optimise_check_plant(const takt_optimise *o, char **message);
/* Run with the options' replications, seed, threads, progress and cancel
 * (o may be NULL: the plant's).  TAKT_EBADINPUT with a sentence when a
 * design cannot be built or no design reaches the target;
 * TAKT_EINTERRUPTED; TAKT_ENOTROOT on MPI ranks other than 0 (every rank
 * calls it). */
TAKT_API takt_status takt_optimise_run(takt_optimise *o, const takt_options *opt,
                                       char **message);
/* After a run: design 0 is the best, 1.. those statistically tied with it
 * (not significantly worse, paired 95 %). */
TAKT_API int takt_optimise_design_count(const takt_optimise *o);
TAKT_API takt_status takt_optimise_design_value(const takt_optimise *o, int design,
                                                int decision, long *value);
TAKT_API takt_status takt_optimise_design_throughput(const takt_optimise *o, int design,
                                                     double *mean, double *ci95);
/* Designs simulated and estimated; whether the search used the estimate. */
TAKT_API long takt_optimise_simulated(const takt_optimise *o);
TAKT_API long takt_optimise_estimated(const takt_optimise *o);
/* Replications simulated in all, over every design. */
TAKT_API long takt_optimise_replications(const takt_optimise *o);
TAKT_API int takt_optimise_by_estimate(const takt_optimise *o);
/* What `takt optimise` prints (TAKT_FORMAT_TEXT) or its --json. */
TAKT_API takt_status takt_optimise_write(const takt_optimise *o, takt_format format, FILE *f);
/* The plant file with the best settings applied (`--plant`); TAKT_EIO on
 * a write error. */
TAKT_API takt_status takt_optimise_write_plant(const takt_optimise *o, FILE *f, char **message);

/* ---- the run store (docs/run-store.md) -------------------------------- */

typedef struct takt_store takt_store;

/* Record a result as one run in the SQLite store at path (created if
 * missing).  The plant's bytes (for its hash) are plant_text/plant_len, or
 * read from plant_file when plant_text is NULL; plant_file and
 * command_line may be NULL.  wall_s is the run's wall-clock time; runs of
 * one sweep share a sweep_id (0: none).  *id (if id is not NULL) gets the
 * new run's id. */
TAKT_API takt_status takt_store_record(const char *path, const takt_result *r,
                                       const char *plant_file, const char *plant_text,
                                       size_t plant_len, const char *command_line,
                                       double wall_s, long long sweep_id, long long *id,
                                       char **message);
/* Recording in steps, so that a program can commit its runs and place its
 * output files as one step: takt_store_begin opens the store (creating it
 * if missing), checks it and takes its write lock, waiting at most 10 s
 * in all for another writer; takt_store_add adds a run (arguments as
 * takt_store_record); takt_store_commit makes the runs permanent and
 * takt_store_abort drops them.  Both close the transaction. */
typedef struct takt_store_txn takt_store_txn;
TAKT_API takt_status takt_store_begin(const char *path, takt_store_txn **out, char **message);
TAKT_API takt_status takt_store_add(takt_store_txn *t, const takt_result *r,
                                    const char *plant_file, const char *plant_text,
                                    size_t plant_len, const char *command_line, double wall_s,
                                    long long sweep_id, long long *id, char **message);
/* As takt_store_add, with the settings applied to the plant file:
 * "PATH=VALUE" as takt_load_with takes them, in the order applied;
 * swept[i] 1 marks a value a sweep varied (swept may be NULL).  The run
 * store keeps them, with the plant text, for `takt show` and `compare`. */
TAKT_API takt_status takt_store_add_with(takt_store_txn *t, const takt_result *r,
                                         const char *plant_file, const char *plant_text,
                                         size_t plant_len, const char *command_line,
                                         double wall_s, long long sweep_id,
                                         const char *const *settings, const int *swept,
                                         int nsettings, long long *id, char **message);
TAKT_API takt_status takt_store_commit(takt_store_txn *t, char **message);
TAKT_API void takt_store_abort(takt_store_txn *t);
/* A sweep id no earlier sweep has (the time in microseconds). */
TAKT_API long long takt_store_new_sweep_id(void);
/* Whether takt_store_record could write to path (checked before a long
 * run): a missing store could be created, an existing one is an intact,
 * writable takt run store of a schema this version knows; creates
 * nothing. */
TAKT_API takt_status takt_store_check(const char *path, char **message);

/* Open an existing store for reading; the list of its runs is read now.
 * TAKT_ENOTFOUND when path holds no takt run store. */
TAKT_API takt_status takt_store_open(const char *path, takt_store **out, char **message);
TAKT_API void takt_store_close(takt_store *st);
TAKT_API int takt_store_run_count(const takt_store *st);
TAKT_API long long takt_store_run_id(const takt_store *st, int i);     /* oldest first */
/* A text field of run i: "started_at", "plant", "plant_file",
 * "plant_hash", "takt_version", "command_line"; NULL when not recorded. */
TAKT_API const char *takt_store_run_text(const takt_store *st, int i, const char *field);
/* A number of run i: "replications", "seed", "horizon_s", "warmup_s",
 * "wall_s", "events", "sweep_id"; or a headline figure of the run by its
 * key ("throughput_per_hour"), with its ci95. */
TAKT_API takt_status takt_store_run_figure(const takt_store *st, int i, const char *key,
                                           double *mean, double *ci95);

/* The tables `takt runs`, `takt show RUN` and `takt compare A B` print. */
TAKT_API takt_status takt_store_print_runs(const char *path, FILE *f, char **message);
TAKT_API takt_status takt_store_print_run(const char *path, long long run, FILE *f,
                                          char **message);
TAKT_API takt_status takt_store_print_compare(const char *path, long long a, long long b,
                                              FILE *f, char **message);
/* `takt compare A B` as TAKT_FORMAT_TEXT or TAKT_FORMAT_JSON: paired
 * differences when the runs share seed and replications, else Welch's. */
TAKT_API takt_status takt_store_write_compare(const char *path, long long a, long long b,
                                              takt_format format, FILE *f, char **message);
/* `takt show RUN --plant`: the plant file's bytes the run simulated;
 * TAKT_ENOTFOUND when there is no such run or it has none (recorded by a
 * takt before the store kept them). */
TAKT_API takt_status takt_store_print_plant(const char *path, long long run, FILE *f,
                                            char **message);

#ifdef __cplusplus
}
#endif

#endif
