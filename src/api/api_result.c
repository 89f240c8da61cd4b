/*
 * api_result.c — a result's figures as numbers, found by the keys the JSON
 * report uses: headline figures, per station (states and others), per
 * buffer, and the daily and monthly series.
 */
#include <math.h>
#include <string.h>
#include "api.h"
#include "io/report.h"
#include "core/date.h"

static takt_status give(kpi k, double *mean, double *ci95)
{
    if (mean) *mean = k.mean;
    if (ci95) *ci95 = k.ci95;
    return TAKT_OK;
}

static kpi one(double mean) { return (kpi){ mean, NAN }; }

int takt_result_figure_count(const takt_result *r)
{
    named_kpi k[REPORT_MAX_KPIS];
    return r ? report_kpis(r->sum, k, REPORT_MAX_KPIS) : 0;
}

const char *takt_result_figure_key(const takt_result *r, int i)
{
    named_kpi k[REPORT_MAX_KPIS];
    int n = r ? report_kpis(r->sum, k, REPORT_MAX_KPIS) : 0;
    return i >= 0 && i < n ? k[i].name : NULL;
}

takt_status takt_result_figure(const takt_result *r, const char *key, double *mean, double *ci95)
{
    named_kpi k[REPORT_MAX_KPIS];
    if (!r || !key) return TAKT_EBADINPUT;
    int n = report_kpis(r->sum, k, REPORT_MAX_KPIS);
    for (int i = 0; i < n; i++)
        if (!strcmp(k[i].name, key)) return give((kpi){ k[i].mean, k[i].ci95 }, mean, ci95);
    return TAKT_ENOTFOUND;
}

int takt_state_count(void) { return NSTATES; }

const char *takt_state_name(int i)
{
    return i >= 0 && i < NSTATES ? station_state_names[i] : NULL;
}

static const station_sum *station_of(const takt_result *r, const char *station)
{
    int i = r ? api_station_index(r->sum->plant, station) : -1;
    return i < 0 ? NULL : &r->sum->stations[i];
}

takt_status takt_result_station_state(const takt_result *r, const char *station,
                                      const char *state, double *mean, double *ci95)
{
    if (!r || !station || !state) return TAKT_EBADINPUT;
    const station_sum *ss = station_of(r, station);
    if (!ss) return TAKT_ENOTFOUND;
    for (int q = 0; q < NSTATES; q++)
        if (!strcmp(station_state_names[q], state)) return give(ss->state[q], mean, ci95);
    return TAKT_ENOTFOUND;
}

takt_status takt_result_station_figure(const takt_result *r, const char *station,
                                       const char *key, double *mean, double *ci95)
{
    if (!r || !station || !key) return TAKT_EBADINPUT;
    const station_sum *ss = station_of(r, station);
    if (!ss) return TAKT_ENOTFOUND;
    if (!strcmp(key, "parts_out")) return give(ss->parts_out, mean, ci95);
    if (!strcmp(key, "bottleneck_sole")) return give(one(ss->bn_sole.mean), mean, ci95);
    if (!strcmp(key, "bottleneck_shifting")) return give(one(ss->bn_shifting.mean), mean, ci95);
    return TAKT_ENOTFOUND;
}

takt_status takt_result_buffer_figure(const takt_result *r, const char *buffer,
                                      const char *key, double *mean, double *ci95)
{
    if (!r || !buffer || !key) return TAKT_EBADINPUT;
    int i = api_buffer_index(r->sum->plant, buffer);
    if (i < 0) return TAKT_ENOTFOUND;
    const buffer_sum *bs = &r->sum->buffers[i];
    if (!strcmp(key, "mean_level")) return give(bs->mean_level, mean, ci95);
    if (!strcmp(key, "max_level")) return give(one(bs->max_level), mean, ci95);
    return TAKT_ENOTFOUND;
}

const char *takt_result_bottleneck(const takt_result *r)
{
    return r && r->bottleneck >= 0 ? r->sum->plant->stations[r->bottleneck].name : NULL;
}

/* 'd' daily, 'm' monthly, 0 neither. */
static int series_kind(const char *series)
{
    if (!series) return 0;
    if (!strcmp(series, "daily")) return 'd';
    if (!strcmp(series, "monthly")) return 'm';
    return 0;
}

int takt_result_series_length(const takt_result *r, const char *series)
{
    int kind = series_kind(series);
    if (!r || !kind) return -1;
    return kind == 'd' ? r->sum->ndays : r->sum->nmonths;
}

takt_status takt_result_series_date(const takt_result *r, const char *series, int i,
                                    char *buf, size_t len)
{
    char date[16];
    int n = takt_result_series_length(r, series);
    if (n < 0 || !buf) return n < 0 ? TAKT_ENOTFOUND : TAKT_EBADINPUT;
    if (i < 0 || i >= n) return TAKT_ENOTFOUND;
    if (series_kind(series) == 'd') date_format(r->sum->plant->start_day + i, date);
    else date_format_month(r->sum->monthly[i].first_day, date);
    if (strlen(date) >= len) return TAKT_EBADINPUT;
    strcpy(buf, date);
    return TAKT_OK;
}

takt_status takt_result_series_value(const takt_result *r, const char *series, int i,
                                     const char *key, double *mean, double *ci95)
{
    int n = takt_result_series_length(r, series);
    if (n < 0 || i < 0 || i >= n || !key) return key ? TAKT_ENOTFOUND : TAKT_EBADINPUT;
    if (series_kind(series) == 'd') {
        const day_sum *d = &r->sum->daily[i];
        if (!strcmp(key, "produced")) return give(d->produced, mean, ci95);
        if (!strcmp(key, "delivered")) return give(d->delivered, mean, ci95);
        if (!strcmp(key, "backlog")) return give(d->backlog, mean, ci95);
    } else {
        const month_sum *m = &r->sum->monthly[i];
        if (!strcmp(key, "produced")) return give(m->produced, mean, ci95);
        if (!strcmp(key, "delivered")) return give(m->delivered, mean, ci95);
        if (!strcmp(key, "backlog_end")) return give(m->backlog_end, mean, ci95);
    }
    return TAKT_ENOTFOUND;
}
