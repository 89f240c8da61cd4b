/*
 * report_improve.c — the reports of `takt improve`.
 *
 * The table prints every gain with the same number of decimals, chosen so
 * that the largest shows three significant digits: a column of numbers in
 * one format, no exponents (1.2e-15 of rounding noise reads as 0.000).
 */
#include <math.h>
#include <string.h>
#include "report_improve.h"
#include "jsonw.h"
#include "../exp/catalogue.h"

static int decimals_for(const improve_result *r)
{
    double big = 0;
    for (int k = 0; k < r->n; k++)
        if (fabs(r->gains[k].gain.mean) > big) big = fabs(r->gains[k].gain.mean);
    int d = big > 0 ? 2 - (int)floor(log10(big)) : 2;
    return d < 0 ? 0 : d > 6 ? 6 : d;
}

/* A number with d decimals and no "-0". */
static void fixed(char *buf, size_t len, double v, int d, int sign)
{
    snprintf(buf, len, sign ? "%+.*f" : "%.*f", d, v);
    char *digits = buf + (buf[0] == '-' || buf[0] == '+');
    if (strspn(digits, "0.") == strlen(digits)) snprintf(buf, len, "%.*f", d, 0.0);
}

int report_improve_text(FILE *f, const improve_result *r)
{
    const takt_plant *p = r->plant;
    int wd = 20, d = decimals_for(r);
    for (int k = 0; k < r->n; k++) {
        int l = (int)strlen(p->stations[r->gains[k].station].name);
        if (l > wd) wd = l < 60 ? l : 60;
    }
    fprintf(f, "takt %s — %s\n", TAKT_VERSION, p->name);
    fprintf(f, "  each station's %s %g %% shorter; %d replication%s paired on common random "
            "numbers, seed %llu\n", r->what == IMPROVE_MTTR ? "repair times" : "cycle time",
            100 * r->by, r->replications, r->replications == 1 ? "" : "s",
            (unsigned long long)r->seed);
    char a[48], b[48];
    fixed(a, sizeof a, r->throughput.mean, d, 0);
    fixed(b, sizeof b, r->throughput.ci95, d, 0);
    fprintf(f, "  %s %s ± %s %s as it is\n\n", catalogue_throughput()->label, a, b,
            catalogue_unit(catalogue_throughput(), p));
    char head[64];
    snprintf(head, sizeof head, "gain (%s)", catalogue_unit(catalogue_throughput(), p));
    fprintf(f, "  %4s  %-*s %14s %11s %9s\n", "rank", wd, "station", head, "± 95 %", "gain (%)");
    for (int k = 0; k < r->n; k++) {
        const station_gain *g = &r->gains[k];
        char rel[24];
        fixed(a, sizeof a, g->gain.mean, d, 1);
        fixed(b, sizeof b, g->gain.ci95, d, 0);
        if (r->throughput.mean > 0) fixed(rel, sizeof rel, 100 * g->gain.mean / r->throughput.mean, 2, 1);
        else strcpy(rel, "–");
        fprintf(f, "  %4d  %-*s %14s %11s %9s\n", k + 1, wd, p->stations[g->station].name, a, b, rel);
    }
    if (r->n > 0 && r->replications < 2)
        fprintf(f, "\n  (one replication: no intervals; give --replications 2 or more)\n");
    return ferror(f) ? -1 : 0;
}

int report_improve_json(FILE *f, const improve_result *r)
{
    jsonw w;
    jw_init(&w, f, 1);
    jw_obj(&w, NULL);
    jw_str(&w, "plant", r->plant->name);
    jw_num(&w, "by", r->by);
    jw_str(&w, "what", improve_what_name(r->what));
    jw_int(&w, "replications", r->replications);
    jw_uint(&w, "seed", (unsigned long long)r->seed);
    jw_kpi(&w, catalogue_throughput()->key, r->throughput.mean, r->throughput.ci95);
    jw_arr(&w, "improvements");
    for (int k = 0; k < r->n; k++) {
        jw_obj(&w, NULL);
        jw_str(&w, "station", r->plant->stations[r->gains[k].station].name);
        jw_kpi(&w, "throughput_gain_per_hour", r->gains[k].gain.mean, r->gains[k].gain.ci95);
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    return ferror(f) ? -1 : 0;
}
