/*
 * report_text.c — the report people read on a terminal: the headline KPIs
 * with 95 % intervals; for plants on a calendar, output per month, the
 * targets and when they were reached, the rate at the end of the run
 * (takt achieved, annual capacity), the customer's wait; then workshops,
 * stations with the bottleneck marked, and buffers.
 */
#include <math.h>
#include <string.h>
#include "io/report_estimate.h"
#include "report.h"
#include "report_series.h"
#include "../core/date.h"

static void date_of(const takt_plant *p, double t, char *buf)
{
    if (isnan(t)) { strcpy(buf, "—"); return; }
    date_format(p->start_day + (int64_t)floor(t / 86400.0), buf);
}

const char *report_bottleneck_name(const takt_summary *s)
{
    int i = summary_bottleneck(s);
    return i >= 0 ? s->plant->stations[i].name : "";
}

/* A month's figure is shown when its total (the headline figure of the
 * same key) is held, or, with no total (a level such as the backlog), when
 * the plant has demand: a plant without orders has no delivery or backlog
 * column, as in the HTML report. */
static int month_shown(const takt_summary *s, int k)
{
    const figure_def *total = catalogue_find(catalogue_monthly[k].key);
    return total ? catalogue_holds(total, s) : s->plant->demand.enabled;
}

static void months(FILE *f, const takt_summary *s)
{
    fprintf(f, "\nOutput per month (mean over replications)\n");
    fprintf(f, "  %-8s", "month");
    for (int k = 0; k < catalogue_nmonthly; k++)
        if (month_shown(s, k)) fprintf(f, " %14s", catalogue_monthly[k].label);
    fputc('\n', f);
    for (int m = 0; m < s->nmonths; m++) {
        char mon[16];
        date_format_month(s->monthly[m].first_day, mon);
        fprintf(f, "  %-8s", mon);
        for (int k = 0; k < catalogue_nmonthly; k++)
            if (month_shown(s, k)) {
                char v[32];
                fmt_count(v, sizeof v, catalogue_value(&catalogue_monthly[k], &s->monthly[m]).mean);
                fprintf(f, " %14s", v);
            }
        fputc('\n', f);
    }
    /* A month's figure that is also a headline figure (a count since time
     * 0) has that as its total. */
    fprintf(f, "  %-8s", "total");
    for (int k = 0; k < catalogue_nmonthly; k++) {
        if (!month_shown(s, k)) continue;
        const figure_def *total = catalogue_find(catalogue_monthly[k].key);
        char v[32] = "";
        if (total && catalogue_holds(total, s)) fmt_count(v, sizeof v, catalogue_value(total, s).mean);
        fprintf(f, " %14s", v);
    }
    fputc('\n', f);
}

static void targets(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    fprintf(f, "\nTargets\n");
    for (int t = 0; t < p->ntargets; t++) {
        const target *tg = &p->targets[t];
        const target_sum *ts = &s->targets[t];
        char by[16], at[16], lo[16], hi[16], val[32];
        fmt_count(val, sizeof val, tg->value);
        date_of(p, tg->by - 1, by);            /* by = the end of that day */
        date_of(p, ts->reached, at);
        date_of(p, ts->lo, lo);
        date_of(p, ts->hi, hi);
        fprintf(f, "  %-9s %9s by %s: ", catalogue_target_kind(tg), val, by);
        if (ts->nreached == 0) fprintf(f, "not reached within the horizon");
        else fprintf(f, "reached %s (95 %% range %s .. %s)", at, lo, hi);
        if (ts->nreached > 0 && ts->nreached < s->replications)
            fprintf(f, " in %d of %d replications", ts->nreached, s->replications);
        fprintf(f, "  %s\n", ts->met ? "MET" : "MISSED");
    }
}

static void rate(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    char from[16];
    date_of(p, s->recent_from, from);
    fprintf(f, "\nRate at the end of the run (from %s, open and on-shift time)\n", from);
    for (int i = 0; i < p->nstations; i++) {
        double jph = summary_rate_on_shift(s, i);
        if (isnan(jph)) continue;
        fprintf(f, "  %-22s %8.1f %s on shift", p->stations[i].name, jph, plant_rate_unit(p));
        if (jph > 0) fprintf(f, ", takt achieved on shift %6.1f s", 3600 / jph);
        if (p->takt > 0) fprintf(f, " (planned %.0f s)", p->takt);
        fputc('\n', f);
    }
    char cap[32], hw[32];
    fmt_count(cap, sizeof cap, s->annual_capacity.mean);
    fmt_count(hw, sizeof hw, s->annual_capacity.ci95);
    fprintf(f, "  %-22s %8s ± %s %s a year at that rate on the calendars' shifts\n",
            "annual capacity", cap, hw, plant_units(p));
}

/* Beside the rate over all hours, as the HTML cards: the takt achieved
 * on shift at the line ends (the range over them), the planned takt and
 * the annual capacity; the per line end figures are in rate(). */
static void takt_lines(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < p->nstations; i++) {
        double jph = summary_rate_on_shift(s, i);
        if (jph > 0) { lo = fmin(lo, 3600 / jph); hi = fmax(hi, 3600 / jph); }
    }
    if (isfinite(lo)) {
        char a[48], b[48], m[112];
        fmt_fixed(a, sizeof a, lo, 3);
        fmt_fixed(b, sizeof b, hi, 3);
        if (strcmp(a, b)) snprintf(m, sizeof m, "%s\u2013%s", a, b);
        else snprintf(m, sizeof m, "%s", a);
        /* the dash is three bytes and one column */
        fprintf(f, "  %-24s %*s              s at the end of the run, per line end\n",
                "takt achieved on shift", strcmp(a, b) ? 14 : 12, m);
    }
    if (p->takt > 0) {
        char m[48];
        fmt_fixed(m, sizeof m, p->takt, 3);
        fprintf(f, "  %-24s %12s              s, a line takt in working time\n", "takt planned", m);
    }
    char cap[32], hw[32];
    fmt_count(cap, sizeof cap, s->annual_capacity.mean);
    fmt_count(hw, sizeof hw, s->annual_capacity.ci95);
    fprintf(f, "  %-24s %12s ± %-10s %s a year\n", "annual capacity", cap, hw, plant_units(p));
}

/* The header of a table of states: one column per state, as wide as
 * its label (at least 8). */
static int state_width(int q)
{
    int w = (int)strlen(catalogue_states[q].label);
    return w < 8 ? 8 : w;
}

static void state_heads(FILE *f)
{
    for (int q = 0; q < NSTATES; q++) fprintf(f, " %*s", state_width(q), catalogue_states[q].label);
}

static void state_cells(FILE *f, const kpi *state)
{
    for (int q = 0; q < NSTATES; q++) fprintf(f, " %*.1f", state_width(q), 100 * state[q].mean);
}

static void workshops(FILE *f, const takt_summary *s, int bn)
{
    const takt_plant *p = s->plant;
    fprintf(f, "\nWorkshops (share of time, %%)\n");
    fprintf(f, "  %-18s %10s", "workshop", catalogue_station[0].label);
    state_heads(f);
    fprintf(f, " %10s\n", "bottleneck");
    int bw = bn >= 0 ? p->stations[bn].workshop : -1;
    for (int w = 0; w < p->nworkshops; w++) {
        const workshop_sum *ws = &s->workshops[w];
        double share = 0;
        for (int i = 0; i < p->nstations; i++)
            if (p->stations[i].workshop == w) share += summary_bottleneck_share(&s->stations[i]);
        char out[32];
        fmt_count(out, sizeof out, ws->parts_out.mean);
        fprintf(f, "  %-18s %10s", p->workshops[w].name, out);
        state_cells(f, ws->state);
        fprintf(f, " %9.1f%%%s\n", 100 * share, w == bw ? "  ◀ bottleneck" : "");
    }
}

/* One headline figure: mean ± half-width in its unit (a time in a
 * readable one, a count of things without decimals). */
static void headline(FILE *f, const figure_def *fd, const takt_summary *s)
{
    kpi k = catalogue_value(fd, s);
    const char *unit = catalogue_unit(fd, s->plant);
    char m[48], c[48];
    if (!strcmp(fd->unit, "s")) {
        fmt_unit u = fmt_time_unit(k.mean);
        k.mean /= u.scale; k.ci95 /= u.scale;
        unit = u.name;
    }
    if (fd->whole) {
        fmt_count(m, sizeof m, k.mean);
        fmt_count(c, sizeof c, k.ci95);
    } else {
        fmt_fixed(m, sizeof m, k.mean, 4);
        fmt_fixed(c, sizeof c, k.ci95, 3);
    }
    if (isnan(k.ci95)) fprintf(f, "  %-24s %12s              %s\n", fd->label, m, unit);
    else fprintf(f, "  %-24s %12s ± %-10s %s\n", fd->label, m, c, unit);
}

/* The named bottleneck, its workshop, and why: the gain of the improvement
 * that confirmed it (docs/diagnosis.md), or its active-period share. */
static void bottleneck_line(FILE *f, const takt_summary *s, int bn)
{
    const takt_plant *p = s->plant;
    const bottleneck_sum *b = &s->bottleneck;
    if (bn < 0) return;
    int w = p->stations[bn].workshop;
    fprintf(f, "  %-24s %s%s%s", "bottleneck", w >= 0 && w < p->nworkshops ? p->workshops[w].name : "",
            w >= 0 && w < p->nworkshops ? " workshop, station " : "station ", p->stations[bn].name);
    double share = 100 * summary_bottleneck_share(&s->stations[bn]);
    char m[48], c[48];
    fmt_fixed(m, sizeof m, b->gain.mean, 3);
    fmt_fixed(c, sizeof c, b->gain.ci95, 2);
    if (b->method == BN_PAIRED_IMPROVEMENT)
        fprintf(f, " (a %.0f %% shorter cycle: %s%s ± %s %s; paired runs of %d candidate%s)\n",
                100 * b->by, b->gain.mean > 0 ? "+" : "", m, c, plant_rate_unit(p), b->ncandidates,
                b->ncandidates == 1 ? "" : "s");
    else if (b->ncandidates > 0)
        fprintf(f, " (%.0f %% of the time sole or shifting bottleneck; no %.0f %% shorter cycle "
                "of %d candidate%s raised the output)\n", share, 100 * b->by, b->ncandidates,
                b->ncandidates == 1 ? "" : "s");
    else
        fprintf(f, " (%.0f %% of the time sole or shifting bottleneck, active-period method)\n", share);
}

int report_text(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    char h[32], w[32];
    fmt_duration(h, sizeof h, s->horizon);
    fmt_duration(w, sizeof w, s->warmup);
    fprintf(f, "takt %s — %s\n", TAKT_VERSION, p->name);
    if (p->has_start) {
        char a[16], b[16];
        date_of(p, 0, a);
        date_of(p, s->warmup + s->horizon - 1, b);
        fprintf(f, "  %d replication%s from %s to %s, seed %llu\n", s->replications,
                s->replications == 1 ? "" : "s", a, b, (unsigned long long)s->seed);
    } else {
        fprintf(f, "  %d replication%s of %s after %s warm-up, seed %llu\n", s->replications,
                s->replications == 1 ? "" : "s", h, w, (unsigned long long)s->seed);
    }
    fprintf(f, "\nResults (mean ± 95 %% half-width)\n");
    for (int i = 0; i < catalogue_nheadline; i++) {
        const figure_def *fd = &catalogue_headline[i];
        if (!catalogue_shows(fd, s)) continue;
        headline(f, fd, s);
        double th = catalogue_value(fd, s).mean;
        if (fd == catalogue_throughput() && th > 0) {
            char m[48];
            fmt_unit u = fmt_time_unit(3600.0 / th);     /* the unit the HTML card takes */
            fmt_fixed(m, sizeof m, 3600.0 / th / u.scale, 4);
            char label[64];
            snprintf(label, sizeof label, "time between %s", plant_units(p));
            fprintf(f, "  %-24s %12s              %s per %s, all hours\n", label, m, u.name,
                    plant_unit(p));
        }
        if (fd == catalogue_throughput() && p->has_start) takt_lines(f, s);
        if (fd == catalogue_throughput() && summary_estimate(s))
            estimate_text_beside(f, summary_estimate(s), &s->throughput_per_hour, plant_rate_unit(p));
    }
    int bn = summary_bottleneck(s);
    bottleneck_line(f, s, bn);
    if (s->ndays > 0) months(f, s);
    if (p->ntargets > 0) targets(f, s);
    if (p->has_start) rate(f, s);

    if (p->nworkshops > 0) workshops(f, s, bn);
    fprintf(f, "\nStations (share of time, %%; bottleneck = sole + shifting, active-period method)\n");
    int wd = 20;                    /* a long name widens the column, up to 60 */
    for (int i = 0; i < p->nstations; i++) {
        int l = (int)strlen(p->stations[i].name);
        if (l > wd) wd = l < 60 ? l : 60;
    }
    fprintf(f, "  %-*s %10s", wd, "station", catalogue_station[0].label);
    state_heads(f);
    fprintf(f, " %10s\n", "bottleneck");
    for (int i = 0; i < p->nstations; i++) {
        const station_sum *st = &s->stations[i];
        char out[32];
        fmt_count(out, sizeof out, catalogue_value(&catalogue_station[0], st).mean);
        fprintf(f, "  %-*s %10s", wd, p->stations[i].name, out);
        state_cells(f, st->state);
        fprintf(f, " %9.1f%%%s\n", 100 * summary_bottleneck_share(st), i == bn ? "  ◀ bottleneck" : "");
    }
    if (p->nbuffers + p->nsources > 0) {
        wd = 20;
        for (int i = 0; i < p->nbuffers + p->nsources; i++) {
            int l = (int)strlen(plant_buffer_name(p, i));
            if (l > wd) wd = l < 60 ? l : 60;
        }
        fprintf(f, "\nBuffers\n  %-*s %10s", wd, "buffer", "capacity");
        for (int k = 0; k < catalogue_nbuffer; k++) fprintf(f, " %12s", catalogue_buffer[k].label);
        fputc('\n', f);
        for (int i = 0; i < p->nbuffers + p->nsources; i++) {
            char cap[24];
            long c = i < p->nbuffers ? p->buffers[i].capacity : CAP_INF;
            if (c == CAP_INF) strcpy(cap, "inf");
            else fmt_count(cap, sizeof cap, (double)c);
            fprintf(f, "  %-*s %10s", wd, plant_buffer_name(p, i), cap);
            for (int k = 0; k < catalogue_nbuffer; k++) {
                char v[48];
                double x = catalogue_value(&catalogue_buffer[k], &s->buffers[i]).mean;
                if (catalogue_buffer[k].whole) fmt_count(v, sizeof v, x);
                else fmt_fixed(v, sizeof v, x, 3);
                fprintf(f, " %12s", v);
            }
            fputc('\n', f);
        }
    }
    report_text_oee(f, s);
    report_text_resources(f, s);
    return ferror(f) ? -1 : 0;
}

