/*
 * catalogue.c — the rows of the results catalogue (see catalogue.h).
 *
 * To add a station state: the model's ST_ value (src/model/run.h) and its
 * row in `catalogue_states`.  To add a figure: its field in the summary
 * and its row in the table of its kind.  Every report, the sweep and the
 * run store pick it up from here.
 *
 * The JSON names (`key`) are a contract other tools read (docs/json.md);
 * the order of the rows is the order of the JSON members and the CSV
 * columns.
 */
#include <math.h>
#include <string.h>
#include "catalogue.h"

/* Colours: the Okabe-Ito palette, told apart with any colour vision.
 * The array's size comes from its rows, and catalogue.h declares it with
 * NSTATES: a state of the model without a row here does not compile. */
const state_def catalogue_states[] = {
    /*               key          label        colour     stack busy active */
    [ST_WORKING]   = { "working",   "working",   "#009E73", 10, 1, 1 },
    [ST_STARVED]   = { "starved",   "starved",   "#F0E442", 30, 0, 0 },
    [ST_BLOCKED]   = { "blocked",   "blocked",   "#0072B2", 40, 0, 0 },
    [ST_FAILED]    = { "failed",    "failed",    "#D55E00", 50, 0, 1 },
    [ST_SETUP]     = { "setup",     "setup",     "#56B4E9", 20, 1, 1 },
    [ST_OFF_SHIFT] = { "off_shift", "off shift", "#BBBBBB", 90, 0, 0 },
    [ST_WAITING]   = { "waiting",   "waiting",   "#CC79A7", 35, 0, 0 },
    [ST_MAINTENANCE] = { "maintenance", "maintenance", "#8B5A2B", 25, 0, 1 },
    [ST_CLOSED]    = { "closed",    "closed",    "#E4E4E4", 95, 0, 0 },
};

int catalogue_state_at(int k)
{
    /* the k-th state by (stack, enum order): states are few, so count */
    for (int q = 0; q < NSTATES; q++) {
        int before = 0;
        for (int r = 0; r < NSTATES; r++)
            before += catalogue_states[r].stack < catalogue_states[q].stack ||
                      (catalogue_states[r].stack == catalogue_states[q].stack && r < q);
        if (before == k) return q;
    }
    return k;
}

double catalogue_busy(const station_sum *st)
{
    double b = 0;
    for (int q = 0; q < NSTATES; q++)
        if (catalogue_states[q].busy) b += st->state[q].mean;
    return b;
}

#define SUM(field) offsetof(takt_summary, field)

const figure_def catalogue_headline[] = {
    { "throughput_per_hour", "throughput", "parts/h", NULL, NULL, CAT_KPI, SUM(throughput_per_hour),
      CAT_ALWAYS, SHOW_ALWAYS, 0, NULL, NULL, 1 },
    { "lead_time_s", "lead time", "s", NULL, NULL, CAT_KPI, SUM(lead_time_s),
      CAT_ALWAYS, SHOW_ALWAYS, 0, NULL, NULL, 1 },
    { "wip", "work in process", "parts", NULL, NULL, CAT_KPI, SUM(wip),
      CAT_ALWAYS, SHOW_ALWAYS, 0, NULL, NULL, 1 },
    { "produced", "produced", "parts", NULL, NULL, CAT_KPI, SUM(produced),
      CAT_ALWAYS, SHOW_ALWAYS, 1, NULL, NULL, 1 },
    { "scrapped", "scrapped", "parts", NULL, NULL, CAT_KPI, SUM(scrapped),
      CAT_ALWAYS, SHOW_NONZERO, 1, NULL, NULL, 1 },
    { "delivered", "delivered", "parts", NULL, NULL, CAT_KPI, SUM(delivered),
      CAT_DEMAND, SHOW_ALWAYS, 1, NULL, NULL, 1 },
    { "customer_wait_weeks_mean", "customer wait, mean", "weeks", NULL, NULL, CAT_REAL, SUM(wait_mean_w),
      CAT_DEMAND, SHOW_NONZERO, 0, "customer_wait_weeks", "mean", 1 },
    { "customer_wait_weeks_p50", "customer wait, median", "weeks", NULL, NULL, CAT_REAL, SUM(wait_p50_w),
      CAT_DEMAND, SHOW_NONZERO, 0, "customer_wait_weeks", "p50", 1 },
    { "customer_wait_weeks_p90", "customer wait, 90 %", "weeks", NULL, NULL, CAT_REAL, SUM(wait_p90_w),
      CAT_DEMAND, SHOW_NONZERO, 0, "customer_wait_weeks", "p90", 1 },
    { "customer_deliveries", "orders delivered", "orders", NULL, NULL, CAT_COUNT, SUM(wait_n),
      CAT_DEMAND, SHOW_NEVER, 1, "customer_wait_weeks", "deliveries", 0 },
};
const int catalogue_nheadline = (int)(sizeof catalogue_headline / sizeof *catalogue_headline);

#define STN(field) offsetof(station_sum, field)

const figure_def catalogue_station[] = {
    { "parts_out", "parts out", "parts", "parts_out_mean", "parts_out_ci95", CAT_KPI, STN(parts_out),
      CAT_ALWAYS, SHOW_ALWAYS, 1, NULL, NULL, 0 },
    { "sole", "sole bottleneck", "share", "bottleneck_sole", NULL, CAT_KPI_MEAN, STN(bn_sole),
      CAT_ALWAYS, SHOW_ALWAYS, 0, "bottlenecks", "sole", 0 },
    { "shifting", "shifting bottleneck", "share", "bottleneck_shifting", NULL, CAT_KPI_MEAN,
      STN(bn_shifting), CAT_ALWAYS, SHOW_ALWAYS, 0, "bottlenecks", "shifting", 0 },
};
const int catalogue_nstation = (int)(sizeof catalogue_station / sizeof *catalogue_station);

#define WSH(field) offsetof(workshop_sum, field)

const figure_def catalogue_workshop[] = {
    { "parts_out", "parts out", "parts", "parts_out_mean", "parts_out_ci95", CAT_KPI, WSH(parts_out),
      CAT_ALWAYS, SHOW_ALWAYS, 1, NULL, NULL, 0 },
};
const int catalogue_nworkshop = (int)(sizeof catalogue_workshop / sizeof *catalogue_workshop);

#define BUF(field) offsetof(buffer_sum, field)

const figure_def catalogue_buffer[] = {
    { "mean_level", "mean level", "parts", "mean_level", "mean_level_ci95", CAT_KPI, BUF(mean_level),
      CAT_ALWAYS, SHOW_ALWAYS, 0, NULL, NULL, 0 },
    { "max_level", "max", "parts", "max_level", NULL, CAT_REAL, BUF(max_level),
      CAT_ALWAYS, SHOW_ALWAYS, 1, NULL, NULL, 0 },
};
const int catalogue_nbuffer = (int)(sizeof catalogue_buffer / sizeof *catalogue_buffer);

#define DAY(field) offsetof(day_sum, field)
#define MON(field) offsetof(month_sum, field)

#define POOL(field) offsetof(pool_sum, field)

/* Per resource pool; the store's `pools` table has these columns. */
const figure_def catalogue_pool[] = {
    { "utilisation", "utilisation", "share", "utilisation_mean", "utilisation_ci95", CAT_KPI,
      POOL(utilisation), CAT_ALWAYS, SHOW_ALWAYS, 0, NULL, NULL, 0 },
    { "waiting", "waiting", "requests", "waiting_mean", "waiting_ci95", CAT_KPI, POOL(waiting),
      CAT_ALWAYS, SHOW_ALWAYS, 0, NULL, NULL, 0 },
    { "waited_h", "waited", "h", "waited_h_mean", "waited_h_ci95", CAT_KPI, POOL(waited_h),
      CAT_ALWAYS, SHOW_ALWAYS, 0, NULL, NULL, 0 },
    { "wait_s", "mean wait", "s", "wait_s_mean", "wait_s_ci95", CAT_KPI, POOL(wait_s),
      CAT_ALWAYS, SHOW_ALWAYS, 0, NULL, NULL, 0 },
};
const int catalogue_npool = (int)(sizeof catalogue_pool / sizeof *catalogue_pool);

#define LOOP(field) offsetof(loop_sum, field)

/* Per carrier loop; the store's `loops` table has these columns. */
const figure_def catalogue_loop[] = {
    { "free_carriers", "free", "carriers", "free_carriers_mean", "free_carriers_ci95", CAT_KPI,
      LOOP(free), CAT_ALWAYS, SHOW_ALWAYS, 0, NULL, NULL, 0 },
    { "wip", "riding", "carriers", "wip_mean", "wip_ci95", CAT_KPI, LOOP(wip),
      CAT_ALWAYS, SHOW_ALWAYS, 0, NULL, NULL, 0 },
    { "lead_time_s", "lead time", "s", "lead_time_s_mean", "lead_time_s_ci95", CAT_KPI,
      LOOP(lead_time_s), CAT_ALWAYS, SHOW_ALWAYS, 0, NULL, NULL, 0 },
    { "from_waiting", "from waits", "share", "from_waiting_mean", "from_waiting_ci95", CAT_KPI,
      LOOP(from_waiting), CAT_ALWAYS, SHOW_ALWAYS, 0, NULL, NULL, 0 },
    { "waited_h", "waited", "h", "waited_h_mean", "waited_h_ci95", CAT_KPI, LOOP(waited_h),
      CAT_ALWAYS, SHOW_ALWAYS, 0, NULL, NULL, 0 },
    { "throughput_per_hour", "per hour", "parts/h", "throughput_per_hour_mean",
      "throughput_per_hour_ci95", CAT_KPI, LOOP(throughput_per_hour), CAT_ALWAYS, SHOW_ALWAYS,
      0, NULL, NULL, 0 },
};
const int catalogue_nloop = (int)(sizeof catalogue_loop / sizeof *catalogue_loop);

const figure_def catalogue_daily[] = {
    { "produced", "produced", "parts", "produced", "produced_ci95", CAT_KPI, DAY(produced),
      CAT_ALWAYS, SHOW_ALWAYS, 1, NULL, NULL, 0 },
    { "delivered", "delivered", "parts", "delivered", "delivered_ci95", CAT_KPI, DAY(delivered),
      CAT_ALWAYS, SHOW_ALWAYS, 1, NULL, NULL, 0 },
    { "backlog", "backlog", "orders", "backlog", "backlog_ci95", CAT_KPI, DAY(backlog),
      CAT_ALWAYS, SHOW_ALWAYS, 1, NULL, NULL, 0 },
};
const int catalogue_ndaily = (int)(sizeof catalogue_daily / sizeof *catalogue_daily);

const figure_def catalogue_monthly[] = {
    { "produced", "produced", "parts", "produced", "produced_ci95", CAT_KPI, MON(produced),
      CAT_ALWAYS, SHOW_ALWAYS, 1, NULL, NULL, 0 },
    { "delivered", "delivered", "parts", "delivered", "delivered_ci95", CAT_KPI, MON(delivered),
      CAT_ALWAYS, SHOW_ALWAYS, 1, NULL, NULL, 0 },
    { "backlog_end", "backlog at end", "orders", "backlog", "backlog_ci95", CAT_KPI, MON(backlog_end),
      CAT_ALWAYS, SHOW_ALWAYS, 1, NULL, NULL, 0 },
};
const int catalogue_nmonthly = (int)(sizeof catalogue_monthly / sizeof *catalogue_monthly);

kpi catalogue_value(const figure_def *f, const void *base)
{
    const char *p = (const char *)base + f->offset;
    kpi k = { NAN, NAN };
    switch (f->kind) {
    case CAT_KPI: memcpy(&k, p, sizeof k); break;
    case CAT_KPI_MEAN: memcpy(&k, p, sizeof k); k.ci95 = NAN; break;
    case CAT_REAL: memcpy(&k.mean, p, sizeof k.mean); break;
    case CAT_COUNT: { long n; memcpy(&n, p, sizeof n); k.mean = (double)n; break; }
    }
    return k;
}

int catalogue_holds(const figure_def *f, const takt_summary *s)
{
    return f->when == CAT_ALWAYS || s->plant->demand.enabled;
}

int catalogue_shows(const figure_def *f, const takt_summary *s)
{
    if (!catalogue_holds(f, s)) return 0;
    double v = catalogue_value(f, s).mean;
    switch (f->show) {
    case SHOW_ALWAYS: return 1;
    case SHOW_NONZERO: return isfinite(v) && v != 0;
    case SHOW_NEVER: return 0;
    }
    return 0;
}

static int in_table(const figure_def *f, const figure_def *rows, int n)
{
    for (int i = 0; i < n; i++)
        if (f == &rows[i]) return 1;
    return 0;
}

/* The plant's output, counted or per hour: what leaves the plant, in the
 * headline and in the series.  Parts inside the plant (work in process,
 * buffer levels, parts a station passed on, scrap) stay parts: a casting
 * store does not hold cars. */
int catalogue_is_output(const figure_def *f)
{
    if (!in_table(f, catalogue_headline, catalogue_nheadline) &&
        !in_table(f, catalogue_daily, catalogue_ndaily) &&
        !in_table(f, catalogue_monthly, catalogue_nmonthly))
        return 0;
    return !strcmp(f->key, "throughput_per_hour") || !strcmp(f->key, "produced") ||
           !strcmp(f->key, "delivered");
}

const char *catalogue_unit(const figure_def *f, const takt_plant *p)
{
    if (!p || !catalogue_is_output(f)) return f->unit;
    return !strcmp(f->unit, "parts/h") ? plant_rate_unit(p) : plant_units(p);
}

const figure_def *catalogue_throughput(void) { return &catalogue_headline[0]; }

const figure_def *catalogue_find(const char *key)
{
    for (int i = 0; i < catalogue_nheadline; i++)
        if (!strcmp(catalogue_headline[i].key, key)) return &catalogue_headline[i];
    return NULL;
}

/* ---- targets ---------------------------------------------------------------- */

const char *catalogue_target_kind(const target *tg)
{
    return tg->what == TARGET_PRODUCED ? "produced" : "delivered";
}

static cat_cell t_what(const takt_summary *s, int t)
{
    return (cat_cell){ CAT_TEXT, 0, catalogue_target_kind(&s->plant->targets[t]) };
}
static cat_cell t_value(const takt_summary *s, int t) { return (cat_cell){ CAT_NUMBER, s->plant->targets[t].value, NULL }; }
/* `by` is the midnight after the last day allowed: the date is that day. */
static cat_cell t_by(const takt_summary *s, int t) { return (cat_cell){ CAT_DATE, s->plant->targets[t].by - 1, NULL }; }
static cat_cell t_reached(const takt_summary *s, int t) { return (cat_cell){ CAT_DATE, s->targets[t].reached, NULL }; }
static cat_cell t_lo(const takt_summary *s, int t) { return (cat_cell){ CAT_DATE, s->targets[t].lo, NULL }; }
static cat_cell t_hi(const takt_summary *s, int t) { return (cat_cell){ CAT_DATE, s->targets[t].hi, NULL }; }
static cat_cell t_nreached(const takt_summary *s, int t) { return (cat_cell){ CAT_INT, s->targets[t].nreached, NULL }; }
static cat_cell t_met(const takt_summary *s, int t) { return (cat_cell){ CAT_BOOL, s->targets[t].met != 0, NULL }; }

const target_field catalogue_target[] = {
    { "what", "target", "TEXT NOT NULL", t_what },
    { "value", "value", "REAL NOT NULL", t_value },
    { "by", "by", "TEXT", t_by },
    { "reached", "reached (mean)", "TEXT", t_reached },
    { "reached_lo", "reached, 2.5 %", "TEXT", t_lo },
    { "reached_hi", "reached, 97.5 %", "TEXT", t_hi },
    { "replications_reached", "replications that reached it", "INTEGER NOT NULL", t_nreached },
    { "met", "met", "INTEGER NOT NULL", t_met },
};
const int catalogue_ntarget = (int)(sizeof catalogue_target / sizeof *catalogue_target);
