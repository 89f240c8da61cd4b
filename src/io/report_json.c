/*
 * report_json.c — the JSON report.  Its names are a contract read by other
 * tools (see docs/json.md); they are the keys of the results catalogue,
 * which this file walks.  It holds no wall-clock figures, so the same
 * plant and seed give the same bytes however the run was scheduled.
 */
#include <math.h>
#include <string.h>
#include "io/report_estimate.h"
#include "jsonw.h"
#include "report.h"
#include "report_series.h"
#include "../core/date.h"

static void date_str(jsonw *w, const char *key, const takt_plant *p, double t)
{
    char buf[16];
    if (isnan(t)) { jw_null(w, key); return; }
    date_format(p->start_day + (int64_t)floor(t / 86400.0), buf);
    jw_str(w, key, buf);
}

/* One figure of base (a summary, a station_sum, ...): {mean, ci95} or a
 * plain number, under its key (or its member name inside its group). */
static void figure(jsonw *w, const figure_def *fd, const void *base)
{
    kpi k = catalogue_value(fd, base);
    const char *name = fd->group ? fd->member : fd->key;
    switch (fd->kind) {
    case CAT_KPI: jw_kpi(w, name, k.mean, k.ci95); break;
    case CAT_COUNT: jw_int(w, name, (long long)k.mean); break;
    case CAT_KPI_MEAN: case CAT_REAL: jw_num(w, name, k.mean); break;
    }
}

/* The figures of a table that sit at their own key (no group). */
static void own_figures(jsonw *w, const figure_def *t, int n, const void *base)
{
    for (int i = 0; i < n; i++)
        if (!t[i].group) figure(w, &t[i], base);
}

static void states(jsonw *w, const kpi *state)
{
    jw_obj(w, "states");
    for (int q = 0; q < NSTATES; q++)
        jw_kpi(w, catalogue_states[q].key, state[q].mean, state[q].ci95);
    jw_end(w);
}

/* The headline figures held `when`: each group as one object of plain
 * numbers, then the figures at their own keys. */
static void headline(jsonw *w, const takt_summary *s, cat_when when)
{
    const char *open = NULL;
    for (int i = 0; i < catalogue_nheadline; i++) {
        const figure_def *fd = &catalogue_headline[i];
        if (fd->when != when || !fd->group) continue;
        if (!open || strcmp(open, fd->group) != 0) {
            if (open) jw_end(w);
            jw_obj(w, fd->group);
            open = fd->group;
        }
        figure(w, fd, s);
    }
    if (open) jw_end(w);
    for (int i = 0; i < catalogue_nheadline; i++)
        if (catalogue_headline[i].when == when && !catalogue_headline[i].group)
            figure(w, &catalogue_headline[i], s);
}

static void series(jsonw *w, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    char buf[16];
    jw_arr(w, "daily");
    for (int d = 0; d < s->ndays; d++) {
        date_format(p->start_day + d, buf);
        jw_obj(w, NULL);
        jw_str(w, "date", buf);
        own_figures(w, catalogue_daily, catalogue_ndaily, &s->daily[d]);
        jw_end(w);
    }
    jw_end(w);
    jw_arr(w, "monthly");
    for (int m = 0; m < s->nmonths; m++) {
        date_format_month(s->monthly[m].first_day, buf);
        jw_obj(w, NULL);
        jw_str(w, "month", buf);
        own_figures(w, catalogue_monthly, catalogue_nmonthly, &s->monthly[m]);
        jw_end(w);
    }
    jw_end(w);
}

static void targets(jsonw *w, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    jw_arr(w, "targets");
    for (int t = 0; t < p->ntargets; t++) {
        jw_obj(w, NULL);
        for (int k = 0; k < catalogue_ntarget; k++) {
            const target_field *tf = &catalogue_target[k];
            cat_cell c = tf->get(s, t);
            switch (c.type) {
            case CAT_TEXT: jw_str(w, tf->key, c.text); break;
            case CAT_NUMBER: jw_num(w, tf->key, c.num); break;
            case CAT_DATE: date_str(w, tf->key, p, c.num); break;
            case CAT_INT: jw_int(w, tf->key, (long long)c.num); break;
            case CAT_BOOL: jw_bool(w, tf->key, c.num != 0); break;
            }
        }
        jw_end(w);
    }
    jw_end(w);
}

static void plant_layer(jsonw *w, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    if (s->ndays > 0) series(w, s);
    if (p->ntargets > 0) targets(w, s);
    if (p->nworkshops > 0) {
        jw_obj(w, "workshops");
        for (int i = 0; i < p->nworkshops; i++) {
            jw_obj(w, p->workshops[i].name);
            own_figures(w, catalogue_workshop, catalogue_nworkshop, &s->workshops[i]);
            states(w, s->workshops[i].state);
            jw_end(w);
        }
        jw_end(w);
    }
    if (p->has_start) {
        jw_obj(w, "end_rate");
        date_str(w, "from", p, s->recent_from);
        if (p->takt > 0) jw_num(w, "planned_takt_s", p->takt);
        jw_kpi(w, "annual_capacity", s->annual_capacity.mean, s->annual_capacity.ci95);
        jw_obj(w, "line_ends");
        for (int i = 0; i < p->nstations; i++) {
            double jph = summary_rate_on_shift(s, i);
            if (isnan(jph)) continue;
            jw_obj(w, p->stations[i].name);
            jw_num(w, "jobs_per_hour_on_shift", jph);
            jw_num(w, "takt_achieved_s", jph > 0 ? 3600 / jph : NAN);
            jw_end(w);
        }
        jw_end(w);
        jw_end(w);
    }
    if (p->demand.enabled) headline(w, s, CAT_DEMAND);
}

/* Per station: an object per station with its own figures and states,
 * then one object per group of station figures ("bottlenecks"), each
 * keyed by station. */
static void stations(jsonw *w, const takt_summary *s, int grouped)
{
    const takt_plant *p = s->plant;
    if (!grouped) {
        jw_obj(w, "stations");
        for (int i = 0; i < p->nstations; i++) {
            jw_obj(w, p->stations[i].name);
            own_figures(w, catalogue_station, catalogue_nstation, &s->stations[i]);
            states(w, s->stations[i].state);
            jw_end(w);
        }
        jw_end(w);
        return;
    }
    for (int g = 0; g < catalogue_nstation; g++) {
        const char *group = catalogue_station[g].group;
        int written = 0;            /* by an earlier row of the same group */
        for (int e = 0; group && e < g; e++)
            written |= catalogue_station[e].group && !strcmp(catalogue_station[e].group, group);
        if (!group || written) continue;
        jw_obj(w, group);
        for (int i = 0; i < p->nstations; i++) {
            jw_obj(w, p->stations[i].name);
            for (int k = g; k < catalogue_nstation; k++)
                if (catalogue_station[k].group && !strcmp(catalogue_station[k].group, group))
                    figure(w, &catalogue_station[k], &s->stations[i]);
            jw_end(w);
        }
        jw_end(w);
    }
}

/* "bottleneck": the station the reports name (summary_bottleneck), how it
 * was named, and what the improvement that confirmed it gained
 * (docs/diagnosis.md); the gain is null when no improvement was simulated. */
static void bottleneck(jsonw *w, const takt_summary *s)
{
    const bottleneck_sum *b = &s->bottleneck;
    int bn = summary_bottleneck(s);
    if (bn < 0) { jw_null(w, "bottleneck"); return; }
    jw_obj(w, "bottleneck");
    jw_str(w, "station", s->plant->stations[bn].name);
    jw_str(w, "method", bn_method_name(b->method));
    if (isnan(b->gain.mean)) jw_null(w, "throughput_gain_per_hour");
    else jw_kpi(w, "throughput_gain_per_hour", b->gain.mean, b->gain.ci95);
    if (b->ncandidates > 0) {
        jw_num(w, "by", b->by);
        jw_arr(w, "candidates");
        for (int k = 0; k < b->ncandidates; k++) {
            jw_obj(w, NULL);
            jw_str(w, "station", s->plant->stations[b->candidates[k].station].name);
            jw_kpi(w, "throughput_gain_per_hour", b->candidates[k].gain.mean,
                   b->candidates[k].gain.ci95);
            jw_int(w, "replications", b->candidates[k].replications);
            jw_end(w);
        }
        jw_end(w);
    }
    jw_end(w);
}

int report_json(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    jsonw w;
    jw_init(&w, f, 1);
    jw_obj(&w, NULL);
    jw_str(&w, "plant", p->name);
    jw_str(&w, "unit", plant_unit(p));      /* what throughput, produced and */
    jw_str(&w, "units", plant_units(p));    /* delivered count               */
    jw_int(&w, "replications", s->replications);
    jw_uint(&w, "seed", (unsigned long long)s->seed);
    jw_num(&w, "horizon_s", s->horizon);
    jw_num(&w, "warmup_s", s->warmup);
    if (p->has_start) {
        char buf[16];
        date_format(p->start_day, buf);
        jw_str(&w, "start", buf);
    }
    headline(&w, s, CAT_ALWAYS);
    bottleneck(&w, s);
    if (summary_estimate(s))
        estimate_json_beside(&w, "estimate", p, summary_estimate(s), &s->throughput_per_hour);
    stations(&w, s, 0);
    jw_obj(&w, "buffers");
    for (int i = 0; i < p->nbuffers + p->nsources; i++) {
        jw_obj(&w, plant_buffer_name(p, i));
        own_figures(&w, catalogue_buffer, catalogue_nbuffer, &s->buffers[i]);
        jw_end(&w);
    }
    jw_end(&w);
    stations(&w, s, 1);
    report_json_series(&w, s);              /* "oee", "series" */
    report_json_resources(&w, s);
    plant_layer(&w, s);
    jw_end(&w);
    return ferror(f) ? -1 : 0;
}

