/*
 * report_html_series.c — the HTML report's OEE table and, when the run
 * collected series (takt run --series), its views over time: a strip of
 * states per station, each buffer's level per period, and the bottleneck
 * per day or week (active-period method).  Inline SVG, no scripts; each
 * cell names its period and figures in a tooltip.
 *
 * Long series are drawn in at most STRIP_COLS columns, adjacent periods
 * merged (time-weighted), so the page stays small whatever the plant.
 */
#include <math.h>
#include <stdlib.h>
#include "report_html.h"
#include "report_series.h"
#include "svg.h"
#include "../exp/oee.h"
#include "../exp/series_sum.h"

#define STRIP_COLS 200
#define STRIP_W 720.0
#define LABEL_W 170.0

static void pct(char *buf, size_t len, double x)
{
    if (isfinite(x)) fmt_pct(buf, len, x);
    else snprintf(buf, len, "\xe2\x80\x94");
}

static void oee_section(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    oee_factors o;
    if (p->nstations == 0 || oee_station(s, 0, &o) < 0) return;
    fputs("<section><h2>OEE</h2><p class='lead'>Overall equipment effectiveness per station "
          "(ISO 22400): <b>availability</b> (time working / planned busy time, which leaves out "
          "time off shift, closed and in planned maintenance) \xc3\x97 <b>performance</b> (ideal "
          "cycle \xc3\x97 parts produced / time working) \xc3\x97 <b>quality</b> (good parts / "
          "parts produced; 100" NNBSP "% where the station scraps and reworks nothing). "
          "Definitions: docs/oee.md.</p>\n<div class='tw'><table><thead><tr><th>Station</th>"
          "<th>Availability</th><th>Performance</th><th>Quality</th><th>OEE</th>"
          "<th>Ideal cycle</th></tr></thead><tbody>\n", f);
    for (int i = 0; i < p->nstations; i++) {
        if (oee_station(s, i, &o) < 0) break;
        char a[24], pf[24], q[24], e[24], c[32];
        pct(a, sizeof a, o.availability);
        pct(pf, sizeof pf, o.performance);
        pct(q, sizeof q, o.quality);
        pct(e, sizeof e, o.oee);
        fmt_duration(c, sizeof c, o.ideal_cycle_s);
        fputs("<tr><td>", f);
        html_esc(f, p->stations[i].name);
        fprintf(f, "</td><td>%s</td><td>%s</td><td>%s</td><td><b>%s</b></td><td>%s</td></tr>\n",
                a, pf, q, e, c);
    }
    fputs("</tbody></table></div></section>\n", f);
}

/* The time of t (s since time 0) for a tooltip: a date (and hour) when
 * the plant has a start date, else hours. */
static void when(const takt_plant *p, double t, double period, char *buf, size_t len)
{
    if (p->has_start) {
        char d[16];
        html_date(p, t, d);
        if (period < 86400) snprintf(buf, len, "%s %02d:00", d, (int)fmod(floor(t / 3600), 24));
        else snprintf(buf, len, "%s", d);
    } else {
        snprintf(buf, len, "%.6g h", t / 3600);
    }
}

/* Columns of the strips: column c covers periods [first[c], first[c+1]). */
static int columns(const series_sum *ss, int *first)
{
    int n = ss->nperiods < STRIP_COLS ? ss->nperiods : STRIP_COLS;
    for (int c = 0; c <= n; c++) first[c] = (int)((long)c * ss->nperiods / n);
    return n;
}

static void state_strips(FILE *f, const takt_summary *s, const int *first, int ncol)
{
    const series_sum *ss = s->series;
    const takt_plant *p = s->plant;
    double rowh = 16, gap = 6, cw = STRIP_W / ncol;
    double h = ss->nstations * (rowh + gap) + 24;
    fprintf(f, "<svg class='chart' viewBox='0 0 %.0f %.0f' role='img' aria-label='States over "
            "time'>\n", LABEL_W + STRIP_W + 10, h);
    for (int i = 0; i < ss->nstations; i++) {
        double y = i * (rowh + gap);
        fprintf(f, "<text x='%.0f' y='%.1f' text-anchor='end' font-size='11'><title>",
                LABEL_W - 6, y + rowh - 4);
        html_esc(f, p->stations[i].name);
        fputs("</title>", f);
        html_esc_cut(f, p->stations[i].name, 24);
        fputs("</text>\n", f);
        for (int c = 0; c < ncol; c++) {
            double share[NSTATES] = { 0 }, len = 0;
            for (int k = first[c]; k < first[c + 1]; k++) {
                len += ss->len[k];
                for (int q = 0; q < NSTATES; q++) share[q] += series_share(ss, i, k, q) * ss->len[k];
            }
            char t0[40];
            when(p, ss->start[first[c]], ss->period, t0, sizeof t0);
            fprintf(f, "<g><title>");
            html_esc(f, p->stations[i].name);
            fprintf(f, ", from %s:", t0);
            for (int q = 0; q < NSTATES; q++) {
                int st = catalogue_state_at(q);
                if (len > 0 && share[st] / len >= 0.0005) {
                    char v[24];
                    fmt_pct(v, sizeof v, share[st] / len);
                    fprintf(f, " %s %s", catalogue_states[st].label, v);
                }
            }
            fputs("</title>", f);
            double yy = y;
            for (int q = 0; q < NSTATES; q++) {
                int st = catalogue_state_at(q);
                double hh = len > 0 ? rowh * share[st] / len : 0;
                if (hh < 0.05) continue;
                fprintf(f, "<rect x='%.2f' y='%.2f' width='%.2f' height='%.2f' fill='%s'/>",
                        LABEL_W + c * cw, yy, cw, hh, catalogue_states[st].color);
                yy += hh;
            }
            fputs("</g>\n", f);
        }
    }
    char a[40], b[40];
    when(p, ss->t0, ss->period, a, sizeof a);
    when(p, ss->t_end, ss->period, b, sizeof b);
    fprintf(f, "<text x='%.0f' y='%.0f' font-size='11'>%s</text><text x='%.0f' y='%.0f' "
            "font-size='11' text-anchor='end'>%s</text>\n", LABEL_W, h - 6, a, LABEL_W + STRIP_W, h - 6, b);
    fputs("</svg>\n<p class='note'>", f);
    for (int q = 0; q < NSTATES; q++) {
        int st = catalogue_state_at(q);
        fprintf(f, "<span style='display:inline-block;width:10px;height:10px;background:%s'></span> %s &nbsp; ",
                catalogue_states[st].color, catalogue_states[st].label);
    }
    fputs("</p>\n", f);
}

static void buffer_lines(FILE *f, const takt_summary *s, const int *first, int ncol)
{
    const series_sum *ss = s->series;
    const takt_plant *p = s->plant;
    if (ss->nbuffers == 0) return;
    double rowh = 26, gap = 8, cw = STRIP_W / ncol;
    double h = ss->nbuffers * (rowh + gap) + 8;
    fprintf(f, "<h3>Buffer levels</h3><p class='note'>Mean parts in each buffer per period, on the "
            "scale of its capacity (of its highest level where it has none).</p>\n"
            "<svg class='chart' viewBox='0 0 %.0f %.0f' role='img' aria-label='Buffer levels over "
            "time'>\n", LABEL_W + STRIP_W + 10, h);
    for (int b = 0; b < ss->nbuffers; b++) {
        double y = b * (rowh + gap);
        long cap = b < p->nbuffers ? p->buffers[b].capacity : CAP_INF;
        double top = cap != CAP_INF && cap > 0 ? (double)cap : 0;
        if (top == 0)
            for (int k = 0; k < ss->nperiods; k++) top = fmax(top, series_level_at(ss, b, k));
        if (!(top > 0)) top = 1;
        fprintf(f, "<text x='%.0f' y='%.1f' text-anchor='end' font-size='11'><title>",
                LABEL_W - 6, y + rowh - 8);
        html_esc(f, plant_buffer_name(p, b));
        fputs("</title>", f);
        html_esc_cut(f, plant_buffer_name(p, b), 24);
        fprintf(f, "</text><rect x='%.0f' y='%.1f' width='%.0f' height='%.0f' fill='#f3f5f7'/>\n",
                LABEL_W, y, STRIP_W, rowh);
        for (int c = 0; c < ncol; c++) {
            double lv = 0, len = 0;
            for (int k = first[c]; k < first[c + 1]; k++) {
                lv += series_level_at(ss, b, k) * ss->len[k];
                len += ss->len[k];
            }
            lv = len > 0 ? lv / len : 0;
            double hh = rowh * fmin(lv / top, 1.0);
            char t0[40], v[32];
            when(p, ss->start[first[c]], ss->period, t0, sizeof t0);
            fmt_num(v, sizeof v, lv, 3);
            fprintf(f, "<rect x='%.2f' y='%.2f' width='%.2f' height='%.2f' fill='#4393c3'><title>",
                    LABEL_W + c * cw, y + rowh - hh, cw, hh > 0 ? hh : 0);
            html_esc(f, plant_buffer_name(p, b));
            fprintf(f, ", from %s: %s parts</title></rect>\n", t0, v);
        }
    }
    fputs("</svg>\n", f);
}

static const char *const bn_palette[] = {
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666",
    "#1f78b4", "#b2df8a", "#fb9a99", "#cab2d6"
};
#define NPAL (sizeof bn_palette / sizeof *bn_palette)

static int bottleneck_strip(FILE *f, const takt_summary *s)
{
    const series_sum *ss = s->series;
    const takt_plant *p = s->plant;
    int *color = malloc(((size_t)ss->nstations + 1) * sizeof *color), ncolor = 0;
    if (!color) return -1;
    for (int i = 0; i < ss->nstations; i++) color[i] = -1;
    for (int g = 0; g < ss->nbn; g++) {
        int i = ss->bn[g].station;
        if (i >= 0 && color[i] < 0) color[i] = ncolor++;
    }
    const char *unit = ss->bn_period == 86400 ? "day" : ss->bn_period == 604800 ? "week" : "period";
    fprintf(f, "<h3>Bottleneck per %s</h3><p class='note'>By the active-period method, period by "
            "period: the station that was the bottleneck (sole or shifting) for the most time in "
            "each %s, over all replications. A view of where the flow waits, not the confirmed "
            "bottleneck above.</p>\n", unit, unit);
    double cw = STRIP_W / ss->nbn;
    fprintf(f, "<svg class='chart' viewBox='0 0 %.0f 30' role='img' aria-label='Bottleneck over "
            "time'>\n", LABEL_W + STRIP_W + 10);
    fprintf(f, "<text x='%.0f' y='16' text-anchor='end' font-size='11'>bottleneck</text>\n",
            LABEL_W - 6);
    for (int g = 0; g < ss->nbn; g++) {
        const series_bottleneck *b = &ss->bn[g];
        char t0[40], v[24];
        when(p, b->start_s, ss->bn_period, t0, sizeof t0);
        fmt_pct(v, sizeof v, b->share);
        const char *fill = b->station >= 0 ? bn_palette[(size_t)color[b->station] % NPAL] : "#dddddd";
        fprintf(f, "<rect x='%.2f' y='2' width='%.2f' height='20' fill='%s'><title>%s: ",
                LABEL_W + g * cw, cw, fill, t0);
        if (b->station >= 0) {
            html_esc(f, p->stations[b->station].name);
            fprintf(f, " (%s of the time)", v);
        } else {
            fputs("no station active", f);
        }
        fputs("</title></rect>\n", f);
    }
    fputs("</svg>\n<p class='note'>", f);
    for (int c = 0; c < ncolor; c++)
        for (int i = 0; i < ss->nstations; i++)
            if (color[i] == c) {
                fprintf(f, "<span style='display:inline-block;width:10px;height:10px;background:%s'>"
                        "</span> ", bn_palette[(size_t)c % NPAL]);
                html_esc(f, p->stations[i].name);
                fputs(" &nbsp; ", f);
            }
    fputs("</p>\n", f);
    free(color);
    return 0;
}

int report_html_series(FILE *f, const takt_summary *s)
{
    oee_section(f, s);
    const series_sum *ss = s->series;
    if (!ss) return 0;
    int *first = malloc(((size_t)STRIP_COLS + 2) * sizeof *first);
    if (!first) return -1;
    int ncol = columns(ss, first);
    char per[32];
    if (ss->period == 3600) snprintf(per, sizeof per, "hour");
    else if (ss->period == 86400) snprintf(per, sizeof per, "day");
    else if (ss->period == 604800) snprintf(per, sizeof per, "week");
    else snprintf(per, sizeof per, "%.0f weeks", ss->period / 604800);
    fprintf(f, "<section><h2>Over time</h2><p class='lead'>Each station's states per %s (share of its machine time, mean over the replications)%s. Hover a cell for its "
            "figures. Definitions: docs/series.md.</p>\n", per,
            ncol < ss->nperiods ? ", adjacent periods merged to fit the page" : "");
    state_strips(f, s, first, ncol);
    buffer_lines(f, s, first, ncol);
    int rc = bottleneck_strip(f, s);
    fputs("</section>\n", f);
    free(first);
    return rc;
}
