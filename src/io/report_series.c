/*
 * report_series.c — OEE per station and the series over time in the text,
 * JSON and CSV reports (docs/oee.md, docs/series.md).  The reporters call
 * in here at one place each; the HTML is in report_html_series.c.
 *
 * JSON:
 *   "oee": {STATION: {"availability", "performance", "quality", "oee",
 *                     "ideal_cycle_s", "planned_busy_h", "operating_h",
 *                     "parts_produced", "parts_good"}}
 *   "series": {"period_s", "start_s", "end_s", "periods",
 *              "period_start_s": [...], "period_length_s": [...],
 *              "stations": {STATION: {STATE: [share per period]}},
 *              "buffers": {BUFFER: {"mean_level": [per period]}},
 *              "bottleneck_method": "active-period",
 *              "bottleneck_period_s",
 *              "bottleneck": [{"start_s", "length_s", "station",
 *                              "analysed_s", "share"}]}
 * CSV: oee.csv, series_stations.csv, series_buffers.csv,
 * series_bottleneck.csv.
 */
#include <math.h>
#include <string.h>
#include "report.h"
#include "report_series.h"
#include "jsonw.h"
#include "../exp/oee.h"
#include "../exp/series_sum.h"

/* ---- OEE --------------------------------------------------------------- */

void report_text_oee(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    oee_factors o;
    if (p->nstations == 0 || oee_station(s, 0, &o) < 0) return;
    fprintf(f, "\nOEE (ISO 22400: availability x performance x quality, %%; docs/oee.md)\n");
    fprintf(f, "  %-20s %12s %12s %12s %12s\n", "station", "availability", "performance", "quality", "OEE");
    for (int i = 0; i < p->nstations; i++) {
        if (oee_station(s, i, &o) < 0) return;
        char v[4][24];
        const double x[4] = { o.availability, o.performance, o.quality, o.oee };
        for (int k = 0; k < 4; k++) {
            if (isfinite(x[k])) snprintf(v[k], sizeof v[k], "%.1f%%", 100 * x[k]);
            else snprintf(v[k], sizeof v[k], "-");
        }
        fprintf(f, "  %-20s %12s %12s %12s %12s\n", p->stations[i].name, v[0], v[1], v[2], v[3]);
    }
}

static void json_oee(jsonw *w, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    oee_factors o;
    if (p->nstations == 0 || oee_station(s, 0, &o) < 0) return;
    jw_obj(w, "oee");
    for (int i = 0; i < p->nstations; i++) {
        oee_station(s, i, &o);
        jw_obj(w, p->stations[i].name);
        jw_num(w, "availability", o.availability);
        jw_num(w, "performance", o.performance);
        jw_num(w, "quality", o.quality);
        jw_num(w, "oee", o.oee);
        jw_num(w, "ideal_cycle_s", o.ideal_cycle_s);
        jw_num(w, "planned_busy_h", o.planned_h);
        jw_num(w, "operating_h", o.operating_h);
        jw_num(w, "parts_produced", o.produced);
        jw_num(w, "parts_good", o.good);
        jw_end(w);
    }
    jw_end(w);
}

void report_csv_oee(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    fputs("station,availability,performance,quality,oee,ideal_cycle_s,planned_busy_h,"
          "operating_h,parts_produced,parts_good\n", f);
    oee_factors o;
    for (int i = 0; i < p->nstations; i++) {
        if (oee_station(s, i, &o) < 0) return;
        fmt_csv_text(f, p->stations[i].name);
        const double x[] = { o.availability, o.performance, o.quality, o.oee, o.ideal_cycle_s,
                             o.planned_h, o.operating_h, o.produced, o.good };
        for (size_t k = 0; k < sizeof x / sizeof *x; k++) fmt_csv_num(f, x[k]);
        fputc('\n', f);
    }
}

/* ---- series ------------------------------------------------------------ */

static void json_series(jsonw *w, const takt_summary *s)
{
    const series_sum *ss = s->series;
    const takt_plant *p = s->plant;
    jw_obj(w, "series");
    jw_num(w, "period_s", ss->period);
    jw_num(w, "start_s", ss->t0);
    jw_num(w, "end_s", ss->t_end);
    jw_int(w, "periods", ss->nperiods);
    jw_arr(w, "period_start_s");
    for (int k = 0; k < ss->nperiods; k++) jw_num(w, NULL, ss->start[k]);
    jw_end(w);
    jw_arr(w, "period_length_s");
    for (int k = 0; k < ss->nperiods; k++) jw_num(w, NULL, ss->len[k]);
    jw_end(w);
    jw_obj(w, "stations");
    for (int i = 0; i < ss->nstations; i++) {
        jw_obj(w, p->stations[i].name);
        for (int q = 0; q < NSTATES; q++) {
            jw_arr(w, catalogue_states[q].key);
            for (int k = 0; k < ss->nperiods; k++) jw_num(w, NULL, series_share(ss, i, k, q));
            jw_end(w);
        }
        jw_end(w);
    }
    jw_end(w);
    jw_obj(w, "buffers");
    for (int b = 0; b < ss->nbuffers; b++) {
        jw_obj(w, plant_buffer_name(p, b));
        jw_arr(w, "mean_level");
        for (int k = 0; k < ss->nperiods; k++) jw_num(w, NULL, series_level_at(ss, b, k));
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
    jw_str(w, "bottleneck_method", "active-period");
    jw_num(w, "bottleneck_period_s", ss->bn_period);
    jw_arr(w, "bottleneck");
    for (int g = 0; g < ss->nbn; g++) {
        const series_bottleneck *b = &ss->bn[g];
        jw_obj(w, NULL);
        jw_num(w, "start_s", b->start_s);
        jw_num(w, "length_s", b->len_s);
        if (b->station >= 0) jw_str(w, "station", p->stations[b->station].name);
        else jw_null(w, "station");
        jw_num(w, "analysed_s", b->analysed_s);
        jw_num(w, "share", b->share);
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
}

void report_json_series(jsonw *w, const takt_summary *s)
{
    json_oee(w, s);
    if (s->series) json_series(w, s);
}

int report_has_series(const takt_summary *s) { return s->series != NULL; }

void report_csv_series_stations(FILE *f, const takt_summary *s)
{
    fputs("station,period,start_s,length_s", f);
    for (int q = 0; q < NSTATES; q++) fprintf(f, ",%s", catalogue_states[q].key);
    fputc('\n', f);
    const series_sum *ss = s->series;
    if (!ss) return;
    for (int i = 0; i < ss->nstations; i++)
        for (int k = 0; k < ss->nperiods; k++) {
            fmt_csv_text(f, s->plant->stations[i].name);
            fprintf(f, ",%d", k);
            fmt_csv_num(f, ss->start[k]);
            fmt_csv_num(f, ss->len[k]);
            for (int q = 0; q < NSTATES; q++) fmt_csv_num(f, series_share(ss, i, k, q));
            fputc('\n', f);
        }
}

void report_csv_series_buffers(FILE *f, const takt_summary *s)
{
    fputs("buffer,period,start_s,length_s,mean_level\n", f);
    const series_sum *ss = s->series;
    if (!ss) return;
    for (int b = 0; b < ss->nbuffers; b++)
        for (int k = 0; k < ss->nperiods; k++) {
            fmt_csv_text(f, plant_buffer_name(s->plant, b));
            fprintf(f, ",%d", k);
            fmt_csv_num(f, ss->start[k]);
            fmt_csv_num(f, ss->len[k]);
            fmt_csv_num(f, series_level_at(ss, b, k));
            fputc('\n', f);
        }
}

void report_csv_series_bottleneck(FILE *f, const takt_summary *s)
{
    fputs("period,start_s,length_s,station,analysed_s,share,method\n", f);
    const series_sum *ss = s->series;
    if (!ss) return;
    for (int g = 0; g < ss->nbn; g++) {
        const series_bottleneck *b = &ss->bn[g];
        fprintf(f, "%d", g);
        fmt_csv_num(f, b->start_s);
        fmt_csv_num(f, b->len_s);
        fputc(',', f);
        fmt_csv_text(f, b->station >= 0 ? s->plant->stations[b->station].name : "");
        fmt_csv_num(f, b->analysed_s);
        fmt_csv_num(f, b->share);
        fputs(",active-period\n", f);
    }
}
