/*
 * report_html_days.c — the calendar view of the HTML report, for plants
 * with a start date: output per day and cumulative output against the
 * targets (with the band between the lowest and the highest replication),
 * output per month, the order backlog and the customer's wait.
 *
 * Bands come from the raw per-replication series (s->reps), not from the
 * 95 % half-widths: a planner asks "how bad can a run be", and the
 * spread of the replications answers it.  Series of thousands of days are
 * thinned by svg.c to what the chart's pixels can show.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "report_html.h"
#include "svg.h"
#include "../core/date.h"

void html_date(const takt_plant *p, double t, char *buf)
{
    if (!isfinite(t)) { strcpy(buf, "\xe2\x80\x94"); return; }
    date_format(p->start_day + (int64_t)floor(t / 86400.0), buf);
}

void html_deadline(const takt_plant *p, double by, char *buf)
{
    date_format(p->start_day + (int64_t)ceil(by / 86400.0) - 1, buf);
}

enum { D_MEAN, D_LO, D_HI, D_AVG, C_MEAN, C_LO, C_HI, C_DEL, C_DLO, C_DHI, D_N };

/* Daily and cumulative series: means, and the lowest and highest
 * replication (per day, and per day of the running totals). */
static void daily_series(const takt_summary *s, double *v)
{
    int nd = s->ndays, R = s->replications;
    double *run = v + (size_t)D_N * nd, *rdel = run + R;    /* running totals */
    for (int i = 0; i < R; i++) run[i] = rdel[i] = 0;
    double cm = 0, cd = 0;
    for (int d = 0; d < nd; d++) {
        double lo = INFINITY, hi = -INFINITY, clo = INFINITY, chi = -INFINITY, dlo = INFINITY, dhi = -INFINITY;
        for (int i = 0; i < R; i++) {
            double x = s->reps[i].day_produced[d];
            run[i] += x;
            rdel[i] += s->reps[i].day_delivered[d];
            lo = fmin(lo, x); hi = fmax(hi, x);
            clo = fmin(clo, run[i]); chi = fmax(chi, run[i]);
            dlo = fmin(dlo, rdel[i]); dhi = fmax(dhi, rdel[i]);
        }
        cm += s->daily[d].produced.mean;
        cd += s->daily[d].delivered.mean;
        v[D_MEAN * nd + d] = s->daily[d].produced.mean;
        v[D_LO * nd + d] = lo; v[D_HI * nd + d] = hi;
        v[C_MEAN * nd + d] = cm; v[C_LO * nd + d] = clo; v[C_HI * nd + d] = chi;
        v[C_DEL * nd + d] = cd; v[C_DLO * nd + d] = dlo; v[C_DHI * nd + d] = dhi;
    }
    for (int d = 0; d < nd; d++) {              /* centred 7-day mean     */
        int a = d - 3 < 0 ? 0 : d - 3, b = d + 3 >= nd ? nd - 1 : d + 3;
        double sum = 0;
        for (int k = a; k <= b; k++) sum += v[D_MEAN * nd + k];
        v[D_AVG * nd + d] = sum / (b - a + 1);
    }
}

static int series_section(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    int nd = s->ndays, R = s->replications, band = R > 1, nm = 0;
    if (nd <= 0 || !s->reps) return 0;
    double *v = malloc(((size_t)D_N * nd + 2 * (size_t)R + 1) * sizeof *v);
    xy_mark *marks = calloc((size_t)p->ntargets + 1, sizeof *marks);
    char *labels = calloc((size_t)p->ntargets + 1, 96);
    if (!v || !marks || !labels) { free(v); free(marks); free(labels); return -1; }
    daily_series(s, v);
    double x0 = (double)p->start_day + 0.5, xmin = (double)p->start_day, xmax = xmin + nd;
    char unit[64], cap[64];
    snprintf(unit, sizeof unit, "%s per day", plant_units(p));
    fmt_capital(cap, sizeof cap, plant_units(p));
    fprintf(f, "<section><h2>Output per day</h2><p class='lead'>%s finished each day", cap);
    if (band) fputs(", mean over the replications, with the band between the lowest and the highest replication", f);
    fputs(".</p>\n", f);
    xy_series d[3];
    int k = 0;
    if (band) d[k++] = (xy_series){ "lowest to highest replication", "#0b5cab", XY_BAND, NULL, x0,
                                    v + D_LO * nd, v + D_HI * nd, nd, 0, 0, 0 };
    d[k++] = (xy_series){ "mean per day", nd > 120 ? "#8fb3da" : "#0b5cab", XY_LINE, NULL, x0,
                          v + D_MEAN * nd, NULL, nd, 0, 0, nd > 120 };
    if (nd > 120) d[k++] = (xy_series){ "7-day mean", "#0a3d73", XY_LINE, NULL, x0,
                                        v + D_AVG * nd, NULL, nd, 0, 0, 0 };
    xy_chart c = { "daily", "Output per day", unit, d, k, NULL, 0, NULL, xmin, xmax, 300 };
    svg_xy(f, &c);
    fputs("</section>\n", f);

    for (int t = 0; t < p->ntargets; t++) {
        const target *tg = &p->targets[t];
        char val[32], by[16];
        fmt_int(val, sizeof val, tg->value);
        html_deadline(p, tg->by, by);
        snprintf(labels + t * 96, 96, "%s %s by %s: %s", val,
                 catalogue_target_kind(tg), by, s->targets[t].met ? "met" : "missed");
        marks[nm++] = (xy_mark){ xmin + tg->by / 86400.0, tg->value, labels + t * 96, s->targets[t].met };
    }
    fprintf(f, "<section><h2>Cumulative output</h2><p class='lead'>%s produced since the start", cap);
    if (p->demand.enabled) fprintf(f, " and %s delivered to customers", plant_units(p));
    if (nm) fputs("; diamonds mark the targets at their dates (green: met in every replication, red: missed)", f);
    fputs(".</p>\n", f);
    xy_series cs[4];
    k = 0;
    if (band) cs[k++] = (xy_series){ "produced, lowest to highest replication", "#0b5cab", XY_BAND, NULL, x0,
                                     v + C_LO * nd, v + C_HI * nd, nd, 0, 0, 0 };
    if (band && p->demand.enabled)
        cs[k++] = (xy_series){ "delivered, lowest to highest", "#009E73", XY_BAND, NULL, x0,
                               v + C_DLO * nd, v + C_DHI * nd, nd, 0, 0, 0 };
    cs[k++] = (xy_series){ "produced (mean)", "#0b5cab", XY_LINE, NULL, x0, v + C_MEAN * nd, NULL, nd, 0, 0, 0 };
    if (p->demand.enabled)
        cs[k++] = (xy_series){ "delivered (mean)", "#009E73", XY_LINE, NULL, x0, v + C_DEL * nd, NULL, nd, 0, 1, 0 };
    xy_chart cc = { "cumulative", "Cumulative output", plant_units(p), cs, k, marks, nm, "target",
                    xmin, xmax, 340 };
    svg_xy(f, &cc);
    fputs("</section>\n", f);
    free(v); free(marks); free(labels);
    return 0;
}

static void wait_cards(FILE *f, const takt_summary *s)
{
    char a[32], b[32], c[32], n[32];
    fmt_num(a, sizeof a, s->wait_mean_w, 3);
    fmt_num(b, sizeof b, s->wait_p50_w, 3);
    fmt_num(c, sizeof c, s->wait_p90_w, 3);
    fmt_int(n, sizeof n, (double)s->wait_n);
    fprintf(f, "<h3>Customer wait (order to delivery)</h3><div class='cards'>"
            "<div class='card'><div class='k'>Mean</div><div class='v'>%s<small>weeks</small></div>"
            "<div class='ci'>over %s deliveries, all replications</div></div>"
            "<div class='card'><div class='k'>Median</div><div class='v'>%s<small>weeks</small></div>"
            "<div class='ci'>half the customers waited longer</div></div>"
            "<div class='card'><div class='k'>90th percentile</div><div class='v'>%s<small>weeks</small></div>"
            "<div class='ci'>one customer in ten waited longer</div></div></div>\n", a, n, b, c);
}

/* Output per month: a bar per month for each monthly figure that adds up
 * to a headline figure (a count per month: produced, delivered); then,
 * with demand, a line for each other one (a level at the month's end:
 * the backlog). */
static int month_charts(FILE *f, const takt_summary *s)
{
    static const char *const colors[] = { "#0b5cab", "#009E73", "#E69F00", "#56B4E9" };
    const takt_plant *p = s->plant;
    int nm = s->nmonths, dem = p->demand.enabled, nb = 0, bar[8], nl = 0, line[8];
    for (int k = 0; k < catalogue_nmonthly && k < 8; k++) {
        const figure_def *total = catalogue_find(catalogue_monthly[k].key);
        if (total && catalogue_holds(total, s)) { if (nb < 4) bar[nb++] = k; }
        else line[nl++] = k;
    }
    double *v = malloc(((size_t)nm * 2 * (size_t)(nb + nl) + 1) * sizeof *v);
    if (!v) return -1;
    double xmin = (double)p->start_day, xmax = xmin + s->ndays;
    double wf = nb == 1 ? 0.7 : 0.8 / nb;       /* a bar's share of its month */
    xy_series ms[4], ls[8];
    char what[160];
    size_t wl = 0;
    what[0] = 0;
    for (int j = 0; j < nb; j++) {
        double *x = v + (size_t)2 * j * nm, *y = x + nm;
        for (int m = 0; m < nm; m++) {
            double first = (double)s->monthly[m].first_day;
            double end = m + 1 < nm ? (double)s->monthly[m + 1].first_day : xmax;
            x[m] = first + (end - first) * (nb == 1 ? 0.15 : 0.08 + j * (wf + 0.04));
            y[m] = catalogue_value(&catalogue_monthly[bar[j]], &s->monthly[m]).mean;
        }
        ms[j] = (xy_series){ catalogue_monthly[bar[j]].label, colors[j], XY_BARS, x, 0, y, NULL, nm,
                             30.44 * wf, 0, 0 };
        wl += (size_t)snprintf(what + wl, sizeof what - wl > 0 ? sizeof what - wl : 0, "%s%s",
                               j == 0 ? "" : j + 1 == nb ? " and " : ", ", catalogue_monthly[bar[j]].label);
        if (wl >= sizeof what) wl = sizeof what - 1;
    }
    char cap[64], unit[64];
    fmt_capital(cap, sizeof cap, plant_units(p));
    snprintf(unit, sizeof unit, "%s per month", plant_units(p));
    fprintf(f, "<p class='lead'>%s ", cap);
    html_esc(f, what);
    fputs(" in each month (means over the replications).</p>\n", f);
    xy_chart c = { "monthly", "Output per month", unit, ms, nb, NULL, 0, NULL, xmin, xmax, 280 };
    svg_xy(f, &c);
    for (int j = 0; dem && j < nl; j++) {
        const figure_def *fd = &catalogue_monthly[line[j]];
        double *x = v + (size_t)2 * (nb + j) * nm, *y = x + nm;
        for (int m = 0; m < nm; m++) {
            x[m] = m + 1 < nm ? (double)s->monthly[m + 1].first_day : xmax;
            y[m] = catalogue_value(fd, &s->monthly[m]).mean;
        }
        ls[j] = (xy_series){ fd->label, "#CC79A7", XY_LINE, x, 0, y, NULL, nm, 0, 0, 0 };
        fputs("<h3>Order backlog</h3><p class='lead'>Orders placed and not yet delivered, at the "
              "end of each month.</p>\n", f);
        xy_chart bc = { "backlog", "Order backlog", fd->unit, &ls[j], 1, NULL, 0, NULL, xmin, xmax, 240 };
        svg_xy(f, &bc);
    }
    free(v);
    return 0;
}

static int months_section(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    int nm = s->nmonths, dem = p->demand.enabled;
    if (nm <= 0 && !dem) return 0;
    fputs("<section><h2>Months</h2>", f);
    if (nm > 0) {
        if (month_charts(f, s) < 0) return -1;
    }
    if (dem && s->wait_n > 0) wait_cards(f, s);
    else if (dem) fputs("<p class='note'>No order was delivered, so there is no customer wait to show.</p>\n", f);
    fputs("</section>\n", f);
    return 0;
}

int html_days(FILE *f, const takt_summary *s)
{
    return series_section(f, s) < 0 || months_section(f, s) < 0 ? -1 : 0;
}
