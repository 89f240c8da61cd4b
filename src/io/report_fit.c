/*
 * report_fit.c — text, JSON and HTML reports of a fit (report_fit.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "report_fit.h"
#include "fmt.h"
#include "jsonw.h"
#include "svg.h"
#include "../core/date.h"

static const char *kind_name(const fit_param *fp)
{
    return fp->kind == FIT_DATE ? "date" : fp->kind == FIT_WHOLE ? "whole number" : "number";
}

static int both_series(const fit_config *c)
{
    return c->obs->has[FIT_PRODUCED] && c->obs->has[FIT_DELIVERED];
}

/* ---- text ------------------------------------------------------------------ */

int report_fit_text(FILE *f, const fit_report *rp)
{
    const fit_config *c = rp->config;
    const fit_result *r = rp->result;
    int width = 7;
    for (int j = 0; j < c->nparams; j++)
        if ((int)strlen(c->params[j].path) > width) width = (int)strlen(c->params[j].path);
    fprintf(f, "takt %s fit — %s: %d observed values, %d free setting%s, %d replication%s, seed %llu\n\n",
            TAKT_VERSION, rp->plant_name, r->ncells, c->nparams, c->nparams == 1 ? "" : "s",
            r->replications, r->replications == 1 ? "" : "s", (unsigned long long)rp->seed);
    fprintf(f, "  %-*s  %-12s  %-28s  %s\n", width, "setting", "fitted", "95 % interval", "range searched");
    for (int j = 0; j < c->nparams; j++) {
        const fit_param *fp = &c->params[j];
        char v[64], lo[64], hi[64], rlo[64], rhi[64], iv[160];
        fit_param_format(fp, r->value[j], v, sizeof v);
        fit_param_format(fp, r->lo[j], lo, sizeof lo);
        fit_param_format(fp, r->hi[j], hi, sizeof hi);
        fit_param_format(fp, fp->lo, rlo, sizeof rlo);
        fit_param_format(fp, fp->hi, rhi, sizeof rhi);
        if (r->determined[j]) snprintf(iv, sizeof iv, "%s .. %s", lo, hi);
        else snprintf(iv, sizeof iv, "not determined");
        fprintf(f, "  %-*s  %-12s  %-28s  %s .. %s\n", width, fp->path, v, iv, rlo, rhi);
    }
    for (int j = 0; j < c->nparams; j++)
        if (!r->determined[j])
            fprintf(f, "  (%s: the series cannot tell its values apart: anywhere in the range fits as well)\n",
                    c->params[j].path);
    char loss[48], root[48], noise[48];
    fmt_fixed(loss, sizeof loss, r->loss, 6);
    fmt_fixed(root, sizeof root, sqrt(r->loss), 4);
    fmt_fixed(noise, sizeof noise, sqrt(r->sigma2), 4);
    fprintf(f, "\nloss %s (mean squared error per observed value; root %s), noise %s per value\n",
            loss, root, noise);
    fprintf(f, "%d simulations (%d for the search, the rest for the intervals)\n\n", r->evals, r->search_evals);
    int both = both_series(c);
    fprintf(f, "  %-10s  %s%12s  %22s  %8s\n", "period to", both ? "series     " : "", "observed",
            "simulated (95 % CI)", "diff");
    for (int i = 0; i < r->ncells; i++) {
        const fit_cell *fc = &r->cells[i];
        char d[16], sim[64];
        date_format(c->obs->v[fc->period].day, d);
        snprintf(sim, sizeof sim, "%.0f ± %.0f", fc->mean, fc->ci95);
        fprintf(f, "  %-10s  ", d);
        if (both) fprintf(f, "%-10s ", fit_series_name[fc->series]);
        double rel = fc->observed > 0 ? 100 * (fc->mean - fc->observed) / fc->observed : NAN;
        fprintf(f, "%12.0f  %22s  ", fc->observed, sim);
        if (isnan(rel)) fprintf(f, "%8s\n", "");
        else fprintf(f, "%+7.1f%%\n", rel);
    }
    return ferror(f) ? -1 : 0;
}

/* ---- JSON ------------------------------------------------------------------ */

static void json_value(jsonw *w, const char *key, const fit_param *fp, double v)
{
    char buf[64];
    fit_param_format(fp, v, buf, sizeof buf);
    if (fp->kind == FIT_DATE || fp->unit[0]) jw_str(w, key, buf);
    else jw_num(w, key, fit_param_snap(fp, v));
}

int report_fit_json(FILE *f, const fit_report *rp)
{
    const fit_config *c = rp->config;
    const fit_result *r = rp->result;
    jsonw w;
    jw_init(&w, f, 1);
    jw_obj(&w, NULL);
    jw_str(&w, "plant", rp->plant_name);
    jw_obj(&w, "fitted");
    for (int j = 0; j < c->nparams; j++) json_value(&w, c->params[j].path, &c->params[j], r->value[j]);
    jw_end(&w);
    jw_obj(&w, "intervals");
    for (int j = 0; j < c->nparams; j++) {
        jw_arr(&w, c->params[j].path);
        json_value(&w, NULL, &c->params[j], r->lo[j]);
        json_value(&w, NULL, &c->params[j], r->hi[j]);
        jw_end(&w);
    }
    jw_end(&w);
    jw_arr(&w, "undetermined");
    for (int j = 0; j < c->nparams; j++)
        if (!r->determined[j]) jw_str(&w, NULL, c->params[j].path);
    jw_end(&w);
    jw_obj(&w, "ranges");
    for (int j = 0; j < c->nparams; j++) {
        jw_obj(&w, c->params[j].path);
        jw_str(&w, "kind", kind_name(&c->params[j]));
        json_value(&w, "lo", &c->params[j], c->params[j].lo);
        json_value(&w, "hi", &c->params[j], c->params[j].hi);
        jw_end(&w);
    }
    jw_end(&w);
    jw_num(&w, "loss", r->loss);
    jw_num(&w, "noise_variance", r->sigma2);
    jw_num(&w, "interval_loss", r->threshold);
    jw_int(&w, "replications", r->replications);
    jw_uint(&w, "seed", (unsigned long long)rp->seed);
    jw_int(&w, "simulations", r->evals);
    jw_arr(&w, "periods");
    for (int i = 0; i < r->ncells; i++) {
        const fit_cell *fc = &r->cells[i];
        char d[16];
        date_format(c->obs->v[fc->period].day, d);
        jw_obj(&w, NULL);
        jw_str(&w, "date", d);
        jw_str(&w, "series", fit_series_name[fc->series]);
        jw_num(&w, "observed", fc->observed);
        jw_kpi(&w, "simulated", fc->mean, fc->ci95);
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    fputc('\n', f);
    return ferror(f) ? -1 : 0;
}

/* ---- HTML ------------------------------------------------------------------ */

static const char css[] =
    "body{font:15px/1.45 system-ui,sans-serif;color:#1b1f24;margin:0;background:#fafbfc}\n"
    "main{max-width:1080px;margin:0 auto;padding:24px}\n"
    "table{border-collapse:collapse;margin:8px 0 20px}td,th{padding:4px 12px;text-align:left;"
    "border-bottom:1px solid #d8dee4}th{font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "svg{width:100%;height:auto;background:#fff}.lead{color:#57606a}\n";

/* Per day, averaged over each period (periods may differ in length: a
 * six-month count beside a month's would say nothing), at the middle of
 * the period: observed, simulated mean and its 95 % interval. */
static void chart(FILE *f, const fit_report *rp, int series)
{
    const fit_config *c = rp->config;
    const fit_result *r = rp->result;
    int n = 0;
    for (int i = 0; i < r->ncells; i++) n += r->cells[i].series == series;
    if (n == 0) return;
    double *x = calloc((size_t)n, sizeof *x), *ob = calloc((size_t)n, sizeof *ob);
    double *m = calloc((size_t)n, sizeof *m), *lo = calloc((size_t)n, sizeof *lo), *hi = calloc((size_t)n, sizeof *hi);
    if (x && ob && m && lo && hi) {
        int k = 0;
        double xmin = INFINITY, xmax = -INFINITY;
        for (int i = 0; i < r->ncells; i++) {
            const fit_cell *fc = &r->cells[i];
            if (fc->series != series) continue;
            const fit_period *pk = &c->obs->v[fc->period];
            double days = pk->last - pk->first + 1, first = (double)pk->day - days + 1;
            x[k] = first + days / 2;
            ob[k] = fc->observed / days;
            m[k] = fc->mean / days;
            lo[k] = (fc->mean - fc->ci95) / days;
            hi[k] = (fc->mean + fc->ci95) / days;
            xmin = fmin(xmin, first);
            xmax = fmax(xmax, (double)pk->day + 1);
            k++;
        }
        xy_series s[3] = {
            { "simulated, 95 % CI", "#0b5cab", XY_BAND, x, 0, lo, hi, n, 0, 0, 0 },
            { "simulated (mean)", "#0b5cab", XY_LINE, x, 0, m, NULL, n, 0, 0, 0 },
            { "observed", "#d55e00", XY_LINE, x, 0, ob, NULL, n, 0, 1, 0 },
        };
        char title[128], id[32];
        char cap[40], unit[96];
        fmt_capital(cap, sizeof cap, rp->units);
        snprintf(title, sizeof title, "%s %s per day", cap, fit_series_name[series]);
        snprintf(unit, sizeof unit, "%s per day (period average)", rp->units);
        snprintf(id, sizeof id, "fit-%s", fit_series_name[series]);
        xy_chart ch = { id, title, unit, s, 3, NULL, 0, NULL,
                        xmin, xmax, 320 };
        fprintf(f, "<section><h2>%s</h2><p class='lead'>The count of each observed period divided "
                   "by its days, at the middle of the period.</p>\n", title);
        svg_xy(f, &ch);
        fputs("</section>\n", f);
    }
    free(x); free(ob); free(m); free(lo); free(hi);
}

int report_fit_html(FILE *f, const fit_report *rp)
{
    const fit_config *c = rp->config;
    const fit_result *r = rp->result;
    fputs("<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>\n"
          "<meta name='viewport' content='width=device-width,initial-scale=1'>\n<title>", f);
    html_esc(f, rp->plant_name);
    fprintf(f, " \xe2\x80\x94 takt fit</title>\n<style>\n%s</style></head>\n<body><main>\n<h1>Fit: ", css);
    html_esc(f, rp->plant_name);
    fprintf(f, "</h1>\n<p class='lead'>%d observed values, %d replications per candidate, seed %llu, "
               "%d simulations. Loss (mean squared error per value) %.6g.</p>\n",
            r->ncells, r->replications, (unsigned long long)rp->seed, r->evals, r->loss);
    fputs("<table><tr><th>setting</th><th>fitted</th><th>95 % interval</th><th>range searched</th></tr>\n", f);
    for (int j = 0; j < c->nparams; j++) {
        const fit_param *fp = &c->params[j];
        char v[64], lo[64], hi[64], rlo[64], rhi[64];
        fit_param_format(fp, r->value[j], v, sizeof v);
        fit_param_format(fp, r->lo[j], lo, sizeof lo);
        fit_param_format(fp, r->hi[j], hi, sizeof hi);
        fit_param_format(fp, fp->lo, rlo, sizeof rlo);
        fit_param_format(fp, fp->hi, rhi, sizeof rhi);
        fputs("<tr><td>", f);
        html_esc(f, fp->path);
        fprintf(f, "</td><td class='n'>%s</td><td>", v);
        if (r->determined[j]) fprintf(f, "%s .. %s", lo, hi);
        else fputs("not determined by the series", f);
        fprintf(f, "</td><td>%s .. %s</td></tr>\n", rlo, rhi);
    }
    fputs("</table>\n", f);
    for (int s = 0; s < FIT_NSERIES; s++) chart(f, rp, s);
    fputs("</main></body></html>\n", f);
    return ferror(f) ? -1 : 0;
}
