/*
 * report_sweep.c — the reports of a sweep: one table row per combination
 * (text), one JSON array holding each combination's `takt run --json`
 * report, one CSV row per combination with every headline KPI.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "jsonw.h"
#include "report.h"
#include "report_sweep.h"

static const char *bottleneck(const takt_summary *s)
{
    int i = report_bottleneck(s);
    return i >= 0 ? s->plant->stations[i].name : "";
}

/* One unit for a whole column, so rows compare at a glance. */
static void time_unit(double longest, const char **name, double *scale)
{
    if (longest < 120) { *name = "s"; *scale = 1; }
    else if (longest < 2 * 3600) { *name = "min"; *scale = 60; }
    else if (longest < 2 * 86400) { *name = "h"; *scale = 3600; }
    else { *name = "d"; *scale = 86400; }
}

static void kpi_cell(FILE *f, kpi k, double scale)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.4g ± %.3g", k.mean / scale, k.ci95 / scale);
    fprintf(f, "  %-23s", buf);     /* 22 columns: '±' is two bytes */
}

int report_sweep_text(FILE *f, const sweep_spec *sp, takt_summary *const *sums, long n)
{
    int width[SWEEP_MAX_AXES];
    double longest = 0;
    for (long c = 0; c < n; c++)
        if (sums[c]->lead_time_s.mean > longest) longest = sums[c]->lead_time_s.mean;
    const char *unit; double scale;
    time_unit(longest, &unit, &scale);
    fprintf(f, "takt %s sweep — %s: %ld combination%s\n\n", TAKT_VERSION, sums[0]->plant->name, n,
            n == 1 ? "" : "s");
    for (int i = 0; i < sp->naxes; i++) {
        width[i] = (int)strlen(sp->axes[i].key);
        for (int k = 0; k < sp->axes[i].nvalues; k++)
            if ((int)strlen(sp->axes[i].values[k]) > width[i]) width[i] = (int)strlen(sp->axes[i].values[k]);
        fprintf(f, "  %-*s", width[i], sp->axes[i].key);
    }
    char lead[32];
    snprintf(lead, sizeof lead, "lead time (%s)", unit);
    fprintf(f, "  %5s  %-22s  %-22s  %-22s  %s\n", "reps", "throughput/h", lead, "WIP", "bottleneck");
    for (long c = 0; c < n; c++) {
        const char *values[SWEEP_MAX_AXES];
        sweep_values(sp, c, values);
        for (int i = 0; i < sp->naxes; i++) fprintf(f, "  %-*s", width[i], values[i]);
        fprintf(f, "  %5d", sums[c]->replications);
        kpi_cell(f, sums[c]->throughput_per_hour, 1);
        kpi_cell(f, sums[c]->lead_time_s, scale);
        kpi_cell(f, sums[c]->wip, 1);
        fprintf(f, "  %s\n", bottleneck(sums[c]));
    }
    fprintf(f, "\n(mean ± 95 %% half-width over the replications)\n");
    return ferror(f) ? -1 : 0;
}

/* Copy text to f with `indent` spaces after every inner newline, so a
 * pretty-printed JSON document nests one level deeper (newlines inside
 * strings are escaped, so each one is between tokens); the final newline
 * is dropped. */
static void put_nested(FILE *f, const char *text, size_t len, int indent)
{
    while (len && text[len - 1] == '\n') len--;
    for (size_t i = 0; i < len; i++) {
        fputc(text[i], f);
        if (text[i] == '\n') fprintf(f, "%*s", indent, "");
    }
}

/* A JSON document written by fn into memory, then nested into f. */
static int put_document(FILE *f, int indent, int (*fn)(FILE *, const void *), const void *arg)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) return -1;
    int rc = fn(m, arg);
    if (fclose(m) != 0) rc = -1;
    if (rc == 0) put_nested(f, text, len, indent);
    free(text);
    return rc;
}

typedef struct set_doc {
    const sweep_spec *spec;
    long c;
} set_doc;

static int write_set(FILE *f, const void *arg)
{
    const set_doc *sd = arg;
    const char *values[SWEEP_MAX_AXES];
    jsonw w;
    sweep_values(sd->spec, sd->c, values);
    jw_init(&w, f, 1);
    jw_obj(&w, NULL);
    for (int i = 0; i < sd->spec->naxes; i++) jw_str(&w, sd->spec->axes[i].key, values[i]);
    jw_end(&w);
    return ferror(f) ? -1 : 0;
}

static int write_summary(FILE *f, const void *arg) { return report_json(f, arg); }

/* [{"set": {KEY: VALUE, ...}, "summary": <the JSON of takt run>}, ...] */
int report_sweep_json(FILE *f, const sweep_spec *sp, takt_summary *const *sums, long n)
{
    int rc = 0;
    fputs("[", f);
    for (long c = 0; c < n && rc == 0; c++) {
        set_doc sd = { sp, c };
        fprintf(f, "%s\n  {\n    \"set\": ", c ? "," : "");
        rc = put_document(f, 4, write_set, &sd);
        fputs(",\n    \"summary\": ", f);
        if (rc == 0) rc = put_document(f, 4, write_summary, sums[c]);
        fputs("\n  }", f);
    }
    fputs("\n]\n", f);
    return rc == 0 && !ferror(f) ? 0 : -1;
}

static void csv_num(FILE *f, double v)
{
    char buf[40];
    fputc(',', f);
    if (isnan(v)) return;
    jw_fmt_double(buf, sizeof buf, v);
    fputs(buf, f);
}

/* One row per combination: the settings, replications and seed, every
 * headline KPI (as kpis.csv names them) with its half-width, bottleneck. */
int report_sweep_csv(FILE *f, const sweep_spec *sp, takt_summary *const *sums, long n)
{
    named_kpi head[REPORT_MAX_KPIS], row[REPORT_MAX_KPIS];
    int nh = report_kpis(sums[0], head, REPORT_MAX_KPIS);
    for (int i = 0; i < sp->naxes; i++) { csv_text(f, sp->axes[i].key); fputc(',', f); }
    fputs("replications,seed", f);
    for (int k = 0; k < nh; k++) fprintf(f, ",%s_mean,%s_ci95", head[k].name, head[k].name);
    fputs(",bottleneck\n", f);
    for (long c = 0; c < n; c++) {
        const char *values[SWEEP_MAX_AXES];
        int nr = report_kpis(sums[c], row, REPORT_MAX_KPIS);
        sweep_values(sp, c, values);
        for (int i = 0; i < sp->naxes; i++) { csv_text(f, values[i]); fputc(',', f); }
        fprintf(f, "%d,%llu", sums[c]->replications, (unsigned long long)sums[c]->seed);
        for (int k = 0; k < nh; k++) {
            int j = 0;
            while (j < nr && strcmp(row[j].name, head[k].name) != 0) j++;
            csv_num(f, j < nr ? row[j].mean : NAN);
            csv_num(f, j < nr ? row[j].ci95 : NAN);
        }
        fputc(',', f);
        csv_text(f, bottleneck(sums[c]));
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}

