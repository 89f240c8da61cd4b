/*
 * report_text.c — the report people read on a terminal: the headline KPIs
 * with 95 % intervals; for plants on a calendar, output per month, the
 * targets and when they were reached, the rate at the end of the run
 * (takt achieved, annual capacity), the customer's wait; then workshops,
 * stations with the bottleneck marked, and buffers.
 */
#include <math.h>
#include <string.h>
#include "report.h"
#include "../core/date.h"

void fmt_duration(char *buf, int len, double s)
{
    double a = fabs(s);
    if (a < 120) snprintf(buf, (size_t)len, "%.3g s", s);
    else if (a < 2 * 3600) snprintf(buf, (size_t)len, "%.3g min", s / 60);
    else if (a < 2 * 86400) snprintf(buf, (size_t)len, "%.4g h", s / 3600);
    else snprintf(buf, (size_t)len, "%.4g d", s / 86400);
}

static void pm(FILE *f, const char *label, kpi k, const char *unit, double scale)
{
    fprintf(f, "  %-24s %12.4g ± %-10.3g %s\n", label, k.mean / scale, k.ci95 / scale, unit);
}

static void pm_count(FILE *f, const char *label, kpi k, const char *unit)
{
    fprintf(f, "  %-24s %12.0f ± %-10.0f %s\n", label, k.mean, k.ci95, unit);
}

static void date_of(const takt_plant *p, double t, char *buf)
{
    if (isnan(t)) { strcpy(buf, "—"); return; }
    date_format(p->start_day + (int64_t)floor(t / 86400.0), buf);
}

int report_bottleneck(const takt_summary *s) { return s->bottleneck.station; }

/* The named bottleneck, its workshop, and why: the gain of the improvement
 * that confirmed it, or its active-period share. */
static void bottleneck_line(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    const bottleneck_sum *b = &s->bottleneck;
    if (b->station < 0) return;
    int w = p->stations[b->station].workshop;
    fprintf(f, "  %-24s %s%s%s", "bottleneck", w >= 0 && w < p->nworkshops ? p->workshops[w].name : "",
            w >= 0 && w < p->nworkshops ? " workshop, station " : "station ", p->stations[b->station].name);
    const station_sum *st = &s->stations[b->station];
    if (b->method == BN_PAIRED_IMPROVEMENT)
        fprintf(f, " (a %.0f %% shorter cycle: %+.3g ± %.2g jobs/h; paired runs of %d candidate%s)\n",
                100 * b->by, b->gain.mean, b->gain.ci95, b->ncandidates, b->ncandidates == 1 ? "" : "s");
    else if (b->ncandidates > 0)
        fprintf(f, " (%.0f %% of the time sole or shifting bottleneck; no %.0f %% shorter cycle "
                "of %d candidate%s raised the output)\n", 100 * (st->bn_sole.mean + st->bn_shifting.mean),
                100 * b->by, b->ncandidates, b->ncandidates == 1 ? "" : "s");
    else
        fprintf(f, " (%.0f %% of the time sole or shifting bottleneck, active-period method)\n",
                100 * (st->bn_sole.mean + st->bn_shifting.mean));
}

static void months(FILE *f, const takt_summary *s)
{
    fprintf(f, "\nOutput per month (mean over replications)\n");
    fprintf(f, "  %-8s %12s %12s %14s\n", "month", "produced", "delivered", "backlog at end");
    double cum = 0;
    for (int m = 0; m < s->nmonths; m++) {
        const month_sum *ms = &s->monthly[m];
        char mon[16];
        date_format_month(ms->first_day, mon);
        cum += ms->produced.mean;
        fprintf(f, "  %-8s %12.0f %12.0f %14.0f\n", mon, ms->produced.mean,
                ms->delivered.mean, ms->backlog_end.mean);
    }
    fprintf(f, "  %-8s %12.0f %12.0f\n", "total", cum, s->delivered.mean);
}

static void targets(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    fprintf(f, "\nTargets\n");
    for (int t = 0; t < p->ntargets; t++) {
        const target *tg = &p->targets[t];
        const target_sum *ts = &s->targets[t];
        char by[16], at[16], lo[16], hi[16];
        date_of(p, tg->by - 1, by);            /* by = the end of that day */
        date_of(p, ts->reached, at);
        date_of(p, ts->lo, lo);
        date_of(p, ts->hi, hi);
        fprintf(f, "  %-9s %9.0f by %s: ", tg->what == TARGET_PRODUCED ? "produced" : "delivered",
                tg->value, by);
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
        const station_sum *ss = &s->stations[i];
        if (!station_is_line_end(p, i) || ss->recent_on_s <= 0) continue;
        double jph = ss->recent_out.mean / (ss->recent_on_s / 3600);
        fprintf(f, "  %-22s %8.1f jobs/h on shift", p->stations[i].name, jph);
        if (jph > 0) fprintf(f, ", takt achieved %6.1f s", 3600 / jph);
        if (p->takt > 0) fprintf(f, " (planned %.0f s)", p->takt);
        fputc('\n', f);
    }
    fprintf(f, "  %-22s %8.0f ± %.0f per year at that rate on the calendars' shifts\n",
            "annual capacity", s->annual_capacity.mean, s->annual_capacity.ci95);
}

static void workshops(FILE *f, const takt_summary *s, int bn)
{
    const takt_plant *p = s->plant;
    fprintf(f, "\nWorkshops (share of time, %%)\n");
    fprintf(f, "  %-18s %10s %8s %8s %8s %8s %8s %9s %10s\n", "workshop", "parts out",
            "working", "starved", "blocked", "failed", "setup", "off shift", "bottleneck");
    int bw = bn >= 0 ? p->stations[bn].workshop : -1;
    for (int w = 0; w < p->nworkshops; w++) {
        const workshop_sum *ws = &s->workshops[w];
        double share = 0;
        for (int i = 0; i < p->nstations; i++)
            if (p->stations[i].workshop == w)
                share += s->stations[i].bn_sole.mean + s->stations[i].bn_shifting.mean;
        fprintf(f, "  %-18s %10.0f", p->workshops[w].name, ws->parts_out.mean);
        for (int q = 0; q < NSTATES; q++)
            fprintf(f, " %*.1f", q == ST_OFF_SHIFT ? 9 : 8, 100 * ws->state[q].mean);
        fprintf(f, " %9.1f%%%s\n", 100 * share, w == bw ? "  ◀ bottleneck" : "");
    }
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
    pm(f, "throughput", s->throughput_per_hour, "jobs/h (whole window)", 1);
    double th = s->throughput_per_hour.mean;
    if (th > 0)
        fprintf(f, "  %-24s %12.4g              s/job (whole window)\n", "mean time between jobs", 3600.0 / th);
    pm(f, "lead time", s->lead_time_s, "h", 3600);
    pm(f, "work in process", s->wip, "parts", 1);
    if (s->scrapped.mean > 0) pm_count(f, "scrapped", s->scrapped, "parts");
    if (p->has_start) {
        pm_count(f, "produced", s->produced, "since the start");
        if (p->demand.enabled) pm_count(f, "delivered", s->delivered, "since the start");
    }
    if (p->demand.enabled && s->wait_n > 0)
        fprintf(f, "  %-24s %12.1f weeks mean, %.1f median, %.1f p90 (order to delivery)\n",
                "customer wait", s->wait_mean_w, s->wait_p50_w, s->wait_p90_w);
    bottleneck_line(f, s);
    if (s->ndays > 0) months(f, s);
    if (p->ntargets > 0) targets(f, s);
    if (p->has_start) rate(f, s);

    int bn = report_bottleneck(s);
    if (p->nworkshops > 0) workshops(f, s, bn);
    fprintf(f, "\nStations (share of time, %%; bottleneck = sole + shifting, active-period method)\n");
    fprintf(f, "  %-20s %10s %8s %8s %8s %8s %8s %9s %10s\n", "station", "parts out",
            "working", "starved", "blocked", "failed", "setup", "off shift", "bottleneck");
    for (int i = 0; i < p->nstations; i++) {
        const station_sum *st = &s->stations[i];
        fprintf(f, "  %-20s %10.0f", p->stations[i].name, st->parts_out.mean);
        for (int q = 0; q < NSTATES; q++) fprintf(f, " %*.1f", q == ST_OFF_SHIFT ? 9 : 8,
                                                  100 * st->state[q].mean);
        fprintf(f, " %9.1f%%%s\n", 100 * (st->bn_sole.mean + st->bn_shifting.mean),
                i == bn ? "  ◀ bottleneck" : "");
    }
    if (p->nbuffers + p->nsources > 0) {
        int wd = 20;
        for (int i = 0; i < p->nbuffers + p->nsources; i++) {
            int l = (int)strlen(plant_buffer_name(p, i));
            if (l > wd) wd = l < 60 ? l : 60;
        }
        fprintf(f, "\nBuffers\n  %-*s %10s %12s %10s\n", wd, "buffer", "capacity", "mean level", "max");
        for (int i = 0; i < p->nbuffers + p->nsources; i++) {
            char cap[24];
            long c = i < p->nbuffers ? p->buffers[i].capacity : CAP_INF;
            if (c == CAP_INF) strcpy(cap, "inf");
            else snprintf(cap, sizeof cap, "%ld", c);
            fprintf(f, "  %-*s %10s %12.3g %10.0f\n", wd, plant_buffer_name(p, i), cap,
                    s->buffers[i].mean_level.mean, s->buffers[i].max_level);
        }
    }
    return ferror(f) ? -1 : 0;
}

int takt_write_text(FILE *f, const takt_summary *s) { return report_text(f, s); }
