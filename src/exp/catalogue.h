/*
 * catalogue.h — the results catalogue: every figure a run reports, once.
 *
 * Each station state, headline figure, per-station and per-buffer figure,
 * series and target field is one row here, with its key (the JSON name),
 * the label people read, its unit, its CSV and SQL columns and where its
 * value lives in the summary.  The text, JSON, CSV and HTML reporters, the
 * sweep's tables and the run store all iterate these rows; none of them
 * names a state or a figure itself.  So adding a figure is the model's
 * change, one row here, and nothing else (the store adds the new column
 * to an existing file by itself, see store_schema.c).
 *
 * The one definition of "the bottleneck" a report names is here too
 * (summary_bottleneck), so text, HTML, sweeps and the store cannot
 * disagree.
 */
#ifndef TAKT_CATALOGUE_H
#define TAKT_CATALOGUE_H

#include <stddef.h>
#include "summary.h"

/* ---- station states ------------------------------------------------------ */

typedef struct state_def {
    const char *key;                /* JSON name; columns <key>_mean, <key>_ci95 */
    const char *label;              /* for people                        */
    const char *color;              /* in charts                         */
    int stack;                      /* stacked bars order states by this key,
                                       smallest first (active states first) */
    int busy;                       /* counts as busy (the diagram's colour) */
    int active;                     /* active in the active-period method's sense */
} state_def;

/* Indexed by the model's ST_* values. */
extern const state_def catalogue_states[NSTATES];

/* The state at place k (0 .. NSTATES-1) of a stacked bar. */
int catalogue_state_at(int k);

/* The share of time a station was busy (the states marked busy). */
double catalogue_busy(const station_sum *st);

/* ---- figures --------------------------------------------------------------- */

typedef enum cat_kind {
    CAT_KPI,                        /* a kpi: mean and 95 % half-width   */
    CAT_KPI_MEAN,                   /* a kpi of which only the mean is reported */
    CAT_REAL,                       /* a double with no interval         */
    CAT_COUNT                       /* a long                            */
} cat_kind;

typedef enum cat_when {
    CAT_ALWAYS,                     /* every summary holds it            */
    CAT_DEMAND                      /* only plants with customer demand  */
} cat_when;

typedef enum cat_show {             /* when the reports for people show it */
    SHOW_ALWAYS,
    SHOW_NONZERO,                   /* only when finite and not zero     */
    SHOW_NEVER                      /* only in the tables for tools      */
} cat_show;

typedef struct figure_def {
    const char *key;                /* JSON name; CSV columns <key>_mean, <key>_ci95
                                       (without interval: the `sql` name, or <key>) */
    const char *label;              /* for people                        */
    const char *unit;               /* of the value as held: "s", "parts/h", "parts", ...;
                                       reports name it with catalogue_unit() */
    const char *sql;                /* SQL column of the mean (NULL: not a column) */
    const char *sql_ci;             /* SQL column of the half-width, or NULL */
    cat_kind kind;
    size_t offset;                  /* of the value in its struct (see each table) */
    cat_when when;
    cat_show show;
    int whole;                      /* a count of things: shown without decimals */
    const char *group;              /* JSON object holding it as a plain number
                                       named `member`; NULL: at its own key */
    const char *member;
    int tabled;                     /* a row of kpis.csv, the store's kpis table
                                       and the sweep's columns (headline only) */
} figure_def;

/* Headline figures: offsets into takt_summary.  In the order of kpis.csv;
 * the JSON writes those held always at the top, those of the demand layer
 * after it (each group as one object, then the rest). */
extern const figure_def catalogue_headline[];
extern const int catalogue_nheadline;

/* Per station: offsets into station_sum.  Figures without a group sit in
 * the station's JSON object and come before the states in the CSV and SQL
 * columns; those of a group (the bottleneck shares, group "bottlenecks":
 * one JSON object of all stations) come after the states.  A figure
 * without an interval has the CSV column `sql` too. */
extern const figure_def catalogue_station[];
extern const int catalogue_nstation;

/* Per workshop (all its machines together): offsets into workshop_sum;
 * with the states, as for a station. */
extern const figure_def catalogue_workshop[];
extern const int catalogue_nworkshop;

/* Per buffer (and arrival queue): offsets into buffer_sum. */
extern const figure_def catalogue_buffer[];
extern const int catalogue_nbuffer;

/* Per resource pool (offsets into pool_sum) and per carrier loop
 * (loop_sum): the reports' resource and loop sections, resources.csv and
 * carriers.csv, the store's pools and loops tables. */
extern const figure_def catalogue_pool[];
extern const int catalogue_npool;
extern const figure_def catalogue_loop[];
extern const int catalogue_nloop;

/* Series: per day (offsets into day_sum) and per month (month_sum).  In
 * the store both share the table `series`, so a month's figure names the
 * column of the day's figure it is stored in. */
extern const figure_def catalogue_daily[];
extern const int catalogue_ndaily;
extern const figure_def catalogue_monthly[];
extern const int catalogue_nmonthly;

/* The value of a figure of a struct (a summary, a station_sum, ...):
 * mean and half-width (NAN when there is none). */
kpi catalogue_value(const figure_def *f, const void *base);
/* Whether a summary holds a headline figure at all. */
int catalogue_holds(const figure_def *f, const takt_summary *s);
/* Whether the reports for people show it for this summary. */
int catalogue_shows(const figure_def *f, const takt_summary *s);
/* A figure's unit as a report for plant p names it: the output figures
 * (throughput, produced, delivered; catalogue_is_output) in the plant's
 * unit of output ("cars/h", "cars"; plant_units), the others as held.
 * p may be NULL: the unit as held ("parts/h", "parts"). */
const char *catalogue_unit(const figure_def *f, const takt_plant *p);
int catalogue_is_output(const figure_def *f);
/* The headline rate (parts to the sink per hour), from which the reports
 * derive the time between jobs and the takt achieved. */
const figure_def *catalogue_throughput(void);
/* The headline figure with this key, or NULL. */
const figure_def *catalogue_find(const char *key);

/* ---- targets ----------------------------------------------------------------- */

typedef enum cat_type { CAT_TEXT, CAT_NUMBER, CAT_DATE, CAT_INT, CAT_BOOL } cat_type;

typedef struct cat_cell {
    cat_type type;
    double num;                     /* NUMBER, INT, BOOL; DATE: time (s), NAN for none */
    const char *text;               /* TEXT                              */
} cat_cell;

typedef struct target_field {
    const char *key;                /* JSON name, CSV and SQL column     */
    const char *label;
    const char *sql_type;           /* its column's type and constraint  */
    cat_cell (*get)(const takt_summary *s, int t);
} target_field;

/* A target's kind as reports name it: "produced" or "delivered". */
const char *catalogue_target_kind(const target *tg);

extern const target_field catalogue_target[];
extern const int catalogue_ntarget;

/* ---- the bottleneck ------------------------------------------------------------ */

/* The station a report names as the bottleneck, or -1 for a plant with no
 * station.  Every reporter, the sweep and the store call this, and only
 * this: the station whose improvement raises the output most, confirmed by
 * paired improvement runs (s->bottleneck, set by bottleneck_confirm in
 * improve.h; docs/diagnosis.md), else the active-period pick below. */
int summary_bottleneck(const takt_summary *s);

/* ---- the rate on shift ------------------------------------------------------ */

/* Parts per hour that station i, a line end, passed on in the last quarter
 * of the run (summary.h) per hour it was open and on shift; NAN when it is
 * no line end or was never on shift then.  3600 / this is the "takt
 * achieved on shift" every report puts beside the planned takt (a line
 * takt, in working time); the throughput and the time between jobs are
 * over all hours of the measured time, nights and weekends included. */
double summary_rate_on_shift(const takt_summary *s, int i);

/* The station most often the bottleneck by the active-period method (sole
 * + shifting share); if no station was ever active, the one active the
 * longest; -1 for a plant with no station.  A view, and a quick indicator
 * for the shortlist of candidates. */
int summary_active_period_pick(const takt_summary *s);

/* The station's bottleneck share (sole + shifting), 0 .. 1 (each moment
 * counted once for the sole bottleneck, for both stations of a shift). */
double summary_bottleneck_share(const station_sum *st);

#endif
