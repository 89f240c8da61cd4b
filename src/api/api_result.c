/*
 * api_result.c — a result's figures as numbers, found by the keys the JSON
 * report uses: headline figures, per station (states and others), per
 * buffer, and the daily and monthly series.
 */
#include <math.h>
#include <string.h>
#include "api.h"
#include "exp/catalogue.h"
#include "core/date.h"

static takt_status give(kpi k, double *mean, double *ci95)
{
    if (mean) *mean = k.mean;
    if (ci95) *ci95 = k.ci95;
    return TAKT_OK;
}

/* The catalogue's tables by the names takt.h uses. */
typedef struct table_ref {
    const char *name;
    const figure_def *rows;
    const int *n;
} table_ref;

static const table_ref tables[] = {
    { "headline", catalogue_headline, &catalogue_nheadline },
    { "station", catalogue_station, &catalogue_nstation },
    { "workshop", catalogue_workshop, &catalogue_nworkshop },
    { "buffer", catalogue_buffer, &catalogue_nbuffer },
    { "daily", catalogue_daily, &catalogue_ndaily },
    { "monthly", catalogue_monthly, &catalogue_nmonthly },
};

static const table_ref *table_named(const char *name)
{
    for (size_t i = 0; name && i < sizeof tables / sizeof *tables; i++)
        if (!strcmp(tables[i].name, name)) return &tables[i];
    return NULL;
}

takt_status takt_catalogue_entry(const char *table, int i, const char **key, const char **label,
                                 const char **unit)
{
    const char *k, *l, *u;
    if (table && !strcmp(table, "state")) {
        if (i < 0 || i >= NSTATES) return TAKT_ENOTFOUND;
        k = catalogue_states[i].key; l = catalogue_states[i].label; u = "share";
    } else {
        const table_ref *t = table_named(table);
        if (!t || i < 0 || i >= *t->n) return TAKT_ENOTFOUND;
        k = t->rows[i].key; l = t->rows[i].label; u = t->rows[i].unit;
    }
    if (key) *key = k;
    if (label) *label = l;
    if (unit) *unit = u;
    return TAKT_OK;
}

/* The row of a table by its key or its CSV/SQL column ("sole" or
 * "bottleneck_sole"); NULL when none. */
static const figure_def *row_named(const figure_def *rows, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(rows[i].key, key) || (rows[i].sql && !strcmp(rows[i].sql, key))) return &rows[i];
    return NULL;
}

static takt_status give_row(const figure_def *f, const void *base, double *mean, double *ci95)
{
    return f ? give(catalogue_value(f, base), mean, ci95) : TAKT_ENOTFOUND;
}

/* The i-th headline figure this result holds, or NULL. */
static const figure_def *held(const takt_result *r, int i)
{
    for (int k = 0; r && k < catalogue_nheadline; k++)
        if (catalogue_holds(&catalogue_headline[k], r->sum) && i-- == 0) return &catalogue_headline[k];
    return NULL;
}

int takt_result_figure_count(const takt_result *r)
{
    int n = 0;
    while (held(r, n)) n++;
    return n;
}

const char *takt_result_figure_key(const takt_result *r, int i)
{
    const figure_def *f = i >= 0 ? held(r, i) : NULL;
    return f ? f->key : NULL;
}

takt_status takt_result_figure(const takt_result *r, const char *key, double *mean, double *ci95)
{
    if (!r || !key) return TAKT_EBADINPUT;
    const figure_def *f = catalogue_find(key);
    if (!f || !catalogue_holds(f, r->sum)) return TAKT_ENOTFOUND;
    return give_row(f, r->sum, mean, ci95);
}

int takt_state_count(void) { return NSTATES; }

const char *takt_state_name(int i)
{
    return i >= 0 && i < NSTATES ? catalogue_states[i].key : NULL;
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
        if (!strcmp(catalogue_states[q].key, state)) return give(ss->state[q], mean, ci95);
    return TAKT_ENOTFOUND;
}

takt_status takt_result_station_figure(const takt_result *r, const char *station,
                                       const char *key, double *mean, double *ci95)
{
    if (!r || !station || !key) return TAKT_EBADINPUT;
    const station_sum *ss = station_of(r, station);
    if (!ss) return TAKT_ENOTFOUND;
    return give_row(row_named(catalogue_station, catalogue_nstation, key), ss, mean, ci95);
}

takt_status takt_result_buffer_figure(const takt_result *r, const char *buffer,
                                      const char *key, double *mean, double *ci95)
{
    if (!r || !buffer || !key) return TAKT_EBADINPUT;
    int i = api_buffer_index(r->sum->plant, buffer);
    if (i < 0) return TAKT_ENOTFOUND;
    return give_row(row_named(catalogue_buffer, catalogue_nbuffer, key), &r->sum->buffers[i],
                    mean, ci95);
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
    if (series_kind(series) == 'd')
        return give_row(row_named(catalogue_daily, catalogue_ndaily, key), &r->sum->daily[i], mean, ci95);
    return give_row(row_named(catalogue_monthly, catalogue_nmonthly, key), &r->sum->monthly[i],
                    mean, ci95);
}
