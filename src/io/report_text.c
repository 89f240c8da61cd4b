/*
 * report_text.c — the report people read on a terminal: the headline KPIs
 * with 95 % intervals, then one line per station and per buffer.  The
 * station most often working or failed (busiest) is marked as the likely
 * bottleneck.
 */
#include <math.h>
#include <string.h>
#include "report.h"

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
    fprintf(f, "  %-22s %12.4g ± %-10.3g %s\n", label, k.mean / scale, k.ci95 / scale, unit);
}

static const char *buffer_name(const takt_plant *p, int i)
{
    return i < p->nbuffers ? p->buffers[i].name : p->sources[i - p->nbuffers].name;
}

int report_text(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    char h[32], w[32];
    fmt_duration(h, sizeof h, s->horizon);
    fmt_duration(w, sizeof w, s->warmup);
    fprintf(f, "takt %s — %s\n", TAKT_VERSION, p->name);
    fprintf(f, "  %d replication%s of %s after %s warm-up, seed %llu\n\n",
            s->replications, s->replications == 1 ? "" : "s", h, w,
            (unsigned long long)s->seed);
    fprintf(f, "Results (mean ± 95 %% half-width)\n");
    pm(f, "throughput", s->throughput_per_hour, "parts/h", 1);
    double th = s->throughput_per_hour.mean;
    if (th > 0)
        fprintf(f, "  %-22s %12.4g            s/part\n", "takt achieved", 3600.0 / th);
    pm(f, "lead time", s->lead_time_s, "h", 3600);
    pm(f, "work in process", s->wip, "parts", 1);

    int busiest = -1; double best = -1;
    for (int i = 0; i < p->nstations; i++) {
        double b = s->stations[i].state[ST_WORKING].mean + s->stations[i].state[ST_FAILED].mean
                 + s->stations[i].state[ST_SETUP].mean;
        if (b > best) { best = b; busiest = i; }
    }
    fprintf(f, "\nStations (share of time, %%)\n");
    fprintf(f, "  %-18s %10s %8s %8s %8s %8s %8s %9s\n", "station", "parts out",
            "working", "starved", "blocked", "failed", "setup", "off shift");
    for (int i = 0; i < p->nstations; i++) {
        const station_sum *st = &s->stations[i];
        fprintf(f, "  %-18s %10.0f", p->stations[i].name, st->parts_out.mean);
        for (int q = 0; q < NSTATES; q++) fprintf(f, " %*.1f", q == ST_OFF_SHIFT ? 9 : 8,
                                                  100 * st->state[q].mean);
        fprintf(f, "%s\n", i == busiest ? "  ◀ busiest" : "");
    }
    if (p->nbuffers + p->nsources > 0) {
        fprintf(f, "\nBuffers\n  %-18s %10s %12s %10s\n", "buffer", "capacity", "mean level", "max");
        for (int i = 0; i < p->nbuffers + p->nsources; i++) {
            char cap[24];
            long c = i < p->nbuffers ? p->buffers[i].capacity : CAP_INF;
            if (c == CAP_INF) strcpy(cap, "inf");
            else snprintf(cap, sizeof cap, "%ld", c);
            fprintf(f, "  %-18s %10s %12.3g %10.0f\n", buffer_name(p, i), cap,
                    s->buffers[i].mean_level.mean, s->buffers[i].max_level);
        }
    }
    return ferror(f) ? -1 : 0;
}

int takt_write_text(FILE *f, const takt_summary *s) { return report_text(f, s); }
