/*
 * summary_plant.c — the car-plant part of the summary: daily and monthly
 * series with 95 % half-widths across replications, when each target was
 * reached, workshop roll-ups and the customer's wait.
 *
 * "When a target was reached" is reported as the mean over replications
 * with the 2.5 % and 97.5 % empirical quantiles of the replications'
 * dates (with few replications these are close to the minimum and the
 * maximum).  A target counts as met when every replication reached it by
 * its date.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "summary.h"
#include "../core/date.h"
#include "../core/stats.h"
#include "../model/calendar.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double quantile_sorted(const double *v, int n, double q)
{
    if (n == 0) return NAN;
    double pos = q * (n - 1);
    int i = (int)floor(pos);
    if (i >= n - 1) return v[n - 1];
    return v[i] + (v[i + 1] - v[i]) * (pos - i);
}

static void series(takt_summary *s, double *tmp)
{
    const takt_plant *p = s->plant;
    int n = s->replications;
    for (int d = 0; d < s->ndays; d++) {
        day_sum *ds = &s->daily[d];
        for (int i = 0; i < n; i++) tmp[i] = s->reps[i].day_produced[d];
        ci95(tmp, n, &ds->produced.mean, &ds->produced.ci95);
        for (int i = 0; i < n; i++) tmp[i] = s->reps[i].day_delivered[d];
        ci95(tmp, n, &ds->delivered.mean, &ds->delivered.ci95);
        for (int i = 0; i < n; i++) tmp[i] = s->reps[i].day_backlog[d];
        ci95(tmp, n, &ds->backlog.mean, &ds->backlog.ci95);
    }
    /* months: [first day, next month's first day) within the horizon */
    int m = 0;
    for (int d = 0; d < s->ndays; ) {
        int y, mo, dd;
        date_to_civil(p->start_day + d, &y, &mo, &dd);
        int64_t next = mo == 12 ? date_from_civil(y + 1, 1, 1) : date_from_civil(y, mo + 1, 1);
        int end = (int)(next - p->start_day);
        if (end > s->ndays) end = s->ndays;
        month_sum *ms = &s->monthly[m++];
        ms->first_day = p->start_day + d;
        for (int i = 0; i < n; i++) {
            double t = 0;
            for (int k = d; k < end; k++) t += s->reps[i].day_produced[k];
            tmp[i] = t;
        }
        ci95(tmp, n, &ms->produced.mean, &ms->produced.ci95);
        for (int i = 0; i < n; i++) {
            double t = 0;
            for (int k = d; k < end; k++) t += s->reps[i].day_delivered[k];
            tmp[i] = t;
        }
        ci95(tmp, n, &ms->delivered.mean, &ms->delivered.ci95);
        for (int i = 0; i < n; i++) tmp[i] = s->reps[i].day_backlog[end - 1];
        ci95(tmp, n, &ms->backlog_end.mean, &ms->backlog_end.ci95);
        d = end;
    }
    s->nmonths = m;
}

static void targets(takt_summary *s, double *tmp)
{
    const takt_plant *p = s->plant;
    for (int t = 0; t < p->ntargets; t++) {
        target_sum *ts = &s->targets[t];
        int k = 0, met = 1;
        for (int i = 0; i < s->replications; i++) {
            double x = s->reps[i].target_reached[t];
            if (isnan(x) || x > p->targets[t].by) met = 0;
            if (!isnan(x)) tmp[k++] = x;
        }
        ts->nreached = k;
        ts->met = met && s->replications > 0;
        qsort(tmp, (size_t)k, sizeof *tmp, cmp_double);
        double sum = 0;
        for (int i = 0; i < k; i++) sum += tmp[i];
        ts->reached = k ? sum / k : NAN;
        ts->lo = quantile_sorted(tmp, k, 0.025);
        ts->hi = quantile_sorted(tmp, k, 0.975);
    }
}

static int in_workshop(const takt_plant *p, int st, int w)
{
    return st >= 0 && p->stations[st].workshop == w;
}

static void workshops(takt_summary *s, double *tmp)
{
    const takt_plant *p = s->plant;
    int n = s->replications;
    for (int w = 0; w < p->nworkshops; w++) {
        workshop_sum *ws = &s->workshops[w];
        for (int i = 0; i < n; i++) {
            double out = 0;
            for (int b = 0; b < p->nbuffers; b++)
                if (in_workshop(p, p->buffers[b].from, w) && !in_workshop(p, p->buffers[b].to, w))
                    out += s->reps[i].buffers[b].parts_in;
            for (int st = 0; st < p->nstations; st++)
                if (in_workshop(p, st, w))
                    out += s->reps[i].stations[st].sunk;
            tmp[i] = out;
        }
        ci95(tmp, n, &ws->parts_out.mean, &ws->parts_out.ci95);
        for (int q = 0; q < NSTATES; q++) {
            for (int i = 0; i < n; i++) {
                double sum = 0; int mach = 0;
                for (int st = 0; st < p->nstations; st++)
                    if (in_workshop(p, st, w)) {
                        sum += s->reps[i].stations[st].state[q] * p->stations[st].servers;
                        mach += p->stations[st].servers;
                    }
                tmp[i] = mach ? sum / mach : 0;
            }
            ci95(tmp, n, &ws->state[q].mean, &ws->state[q].ci95);
        }
    }
}

static void customer_wait(takt_summary *s, double *tmp)
{
    int n = s->replications;
    qhist all;
    qhist_init(&all, 60.0);
    double sum = 0; long cnt = 0;
    for (int i = 0; i < n; i++) {
        if (s->reps[i].wait) qhist_merge(&all, s->reps[i].wait);
        if (s->reps[i].wait_n > 0) { sum += s->reps[i].wait_mean_s * s->reps[i].wait_n; cnt += s->reps[i].wait_n; }
    }
    const double week = 7 * 86400.0;
    s->wait_n = cnt;
    s->wait_mean_w = cnt ? sum / cnt / week : NAN;
    s->wait_p50_w = cnt ? qhist_quantile(&all, 0.5) / week : NAN;
    s->wait_p90_w = cnt ? qhist_quantile(&all, 0.9) / week : NAN;
    for (int i = 0; i < n; i++) tmp[i] = (double)s->reps[i].produced;
    ci95(tmp, n, &s->produced.mean, &s->produced.ci95);
    for (int i = 0; i < n; i++) tmp[i] = (double)s->reps[i].delivered;
    ci95(tmp, n, &s->delivered.mean, &s->delivered.ci95);
    for (int i = 0; i < n; i++) tmp[i] = (double)s->reps[i].scrapped;
    ci95(tmp, n, &s->scrapped.mean, &s->scrapped.ci95);
}

/* The rate reached at the end: parts per on-shift second at each sink in
 * the last quarter, scaled to the on-shift time of a year of its calendar. */
static void recent(takt_summary *s, double *tmp)
{
    const takt_plant *p = s->plant;
    double t_end = s->warmup + s->horizon;
    double t0 = t_end - RECENT_SPAN > s->warmup ? t_end - RECENT_SPAN : s->warmup;
    double year = 365.0 * 86400.0;
    s->recent_from = t0;
    for (int i = 0; i < s->replications; i++) tmp[i] = 0;
    for (int st = 0; st < p->nstations; st++) {
        station_sum *ss = &s->stations[st];
        ss->recent_on_s = station_on_time(p, st, t0, t_end);
        double *v = tmp + s->replications;
        for (int i = 0; i < s->replications; i++) v[i] = s->reps[i].stations[st].recent_out;
        ci95(v, s->replications, &ss->recent_out.mean, &ss->recent_out.ci95);
        if (!station_is_line_end(p, st) || ss->recent_on_s <= 0) continue;
        int c = station_calendar(p, st);
        double year_on = c < 0 ? year : calendar_on_time(&p->calendars[c], p->start_day, t_end - year, t_end);
        for (int i = 0; i < s->replications; i++) tmp[i] += v[i] / ss->recent_on_s * year_on;
    }
    ci95(tmp, s->replications, &s->annual_capacity.mean, &s->annual_capacity.ci95);
}

int summary_plant(takt_summary *s)
{
    const takt_plant *p = s->plant;
    int n = s->replications;
    double *tmp = calloc(2 * (size_t)n + 1, sizeof *tmp);
    if (!tmp) return -1;
    s->ndays = n > 0 ? s->reps[0].ndays : 0;
    if (s->ndays > 0) {
        s->daily = calloc((size_t)s->ndays, sizeof *s->daily);
        s->monthly = calloc((size_t)s->ndays / 28 + 2, sizeof *s->monthly);
    }
    s->targets = calloc((size_t)p->ntargets + 1, sizeof *s->targets);
    s->workshops = calloc((size_t)p->nworkshops + 1, sizeof *s->workshops);
    if ((s->ndays > 0 && (!s->daily || !s->monthly)) || !s->targets || !s->workshops) {
        free(tmp);
        return -1;
    }
    if (s->ndays > 0) series(s, tmp);
    targets(s, tmp);
    workshops(s, tmp);
    customer_wait(s, tmp);
    recent(s, tmp);
    free(tmp);
    return 0;
}
