/*
 * report_sweep.c — a sweep's table, JSON and CSV (see report_sweep.h).
 * Their figures are the catalogue's headline figures: the table shows
 * those every report shows, the CSV has a column pair for every figure of
 * kpis.csv, and the JSON nests each combination's full `takt run --json`
 * report, so a row can be checked against a plain run.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "report_sweep.h"
#include "jsonw.h"
#include "report.h"

/* ---- the table ------------------------------------------------------------ */

/* A column of the table: a headline figure every report shows. */
static int in_table(const figure_def *fd)
{
    return fd->kind == CAT_KPI && fd->when == CAT_ALWAYS && fd->show == SHOW_ALWAYS;
}

static void kpi_cell(FILE *f, kpi k, double scale, int width)
{
    char buf[80], m[32], c[32];
    fmt_fixed(m, sizeof m, k.mean / scale, 4);
    fmt_fixed(c, sizeof c, k.ci95 / scale, 3);
    snprintf(buf, sizeof buf, "%s ± %s", m, c);
    fprintf(f, "  %-*s", width + 1, buf);   /* '±' takes two bytes, one column */
}

int report_sweep_table(FILE *f, const sweep_spec *sp, takt_summary *const *sums, long n)
{
    int width[SWEEP_MAX_AXES];
    fmt_unit unit[64];
    int cw[64];
    fprintf(f, "takt %s sweep — %s: %ld combination%s\n\n", TAKT_VERSION, sums[0]->plant->name, n,
            n == 1 ? "" : "s");
    for (int i = 0; i < sp->naxes; i++) {
        width[i] = (int)strlen(sp->axes[i].key);
        for (int k = 0; k < sp->axes[i].nvalues; k++)
            if ((int)strlen(sp->axes[i].values[k]) > width[i]) width[i] = (int)strlen(sp->axes[i].values[k]);
        fprintf(f, "  %-*s", width[i], sp->axes[i].key);
    }
    fprintf(f, "  %5s", "reps");
    for (int i = 0; i < catalogue_nheadline && i < 64; i++) {
        const figure_def *fd = &catalogue_headline[i];
        if (!in_table(fd)) continue;
        char head[96];
        unit[i] = (fmt_unit){ catalogue_unit(fd, sums[0]->plant), 1 };
        if (!strcmp(fd->unit, "s")) {       /* one unit for the whole column */
            double longest = 0;
            for (long c = 0; c < n; c++)
                if (catalogue_value(fd, sums[c]).mean > longest) longest = catalogue_value(fd, sums[c]).mean;
            unit[i] = fmt_time_unit(longest);
        }
        snprintf(head, sizeof head, "%s (%s)", fd->label, unit[i].name);
        cw[i] = (int)strlen(head) > 22 ? (int)strlen(head) : 22;
        fprintf(f, "  %-*s", cw[i], head);
    }
    fprintf(f, "  %s\n", "bottleneck");
    for (long c = 0; c < n; c++) {
        const char *values[SWEEP_MAX_AXES];
        sweep_values(sp, c, values);
        for (int i = 0; i < sp->naxes; i++) fprintf(f, "  %-*s", width[i], values[i]);
        fprintf(f, "  %5d", sums[c]->replications);
        for (int i = 0; i < catalogue_nheadline && i < 64; i++)
            if (in_table(&catalogue_headline[i]))
                kpi_cell(f, catalogue_value(&catalogue_headline[i], sums[c]), unit[i].scale, cw[i]);
        fprintf(f, "  %s\n", report_bottleneck_name(sums[c]));
    }
    fprintf(f, "\n(mean ± 95 %% half-width over the replications)\n");
    return ferror(f) ? -1 : 0;
}

/* ---- JSON ------------------------------------------------------------------ */

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
int report_sweep_json(FILE *f, const sweep_spec *spec, takt_summary *const *sums, long n)
{
    int rc = 0;
    fputs("[", f);
    for (long c = 0; c < n && rc == 0; c++) {
        set_doc sd = { spec, c };
        fprintf(f, "%s\n  {\n    \"set\": ", c ? "," : "");
        rc = put_document(f, 4, write_set, &sd);
        fputs(",\n    \"summary\": ", f);
        if (rc == 0) rc = put_document(f, 4, write_summary, sums[c]);
        fputs("\n  }", f);
    }
    fputs("\n]\n", f);
    return rc == 0 && !ferror(f) ? 0 : -1;
}

/* ---- CSV ------------------------------------------------------------------- */

/* A column pair of the CSV: a figure of kpis.csv that some combination
 * holds (a combination without it has empty cells). */
static int in_csv(const figure_def *fd, takt_summary *const *sums, long n)
{
    if (!fd->tabled) return 0;
    for (long c = 0; c < n; c++)
        if (catalogue_holds(fd, sums[c])) return 1;
    return 0;
}

/* One row per combination: the settings, replications and seed, every
 * headline figure (as kpis.csv names them) with its half-width, bottleneck. */
int report_sweep_csv(FILE *f, const sweep_spec *spec, takt_summary *const *sums, long n)
{
    for (int i = 0; i < spec->naxes; i++) { fmt_csv_text(f, spec->axes[i].key); fputc(',', f); }
    fputs("replications,seed", f);
    for (int k = 0; k < catalogue_nheadline; k++)
        if (in_csv(&catalogue_headline[k], sums, n))
            fprintf(f, ",%s_mean,%s_ci95", catalogue_headline[k].key, catalogue_headline[k].key);
    fputs(",bottleneck\n", f);
    for (long c = 0; c < n; c++) {
        const char *values[SWEEP_MAX_AXES];
        sweep_values(spec, c, values);
        for (int i = 0; i < spec->naxes; i++) { fmt_csv_text(f, values[i]); fputc(',', f); }
        fprintf(f, "%d,%llu", sums[c]->replications, (unsigned long long)sums[c]->seed);
        for (int k = 0; k < catalogue_nheadline; k++) {
            const figure_def *fd = &catalogue_headline[k];
            if (!in_csv(fd, sums, n)) continue;
            kpi v = catalogue_holds(fd, sums[c]) ? catalogue_value(fd, sums[c]) : (kpi){ NAN, NAN };
            fmt_csv_num(f, v.mean);
            fmt_csv_num(f, v.ci95);
        }
        fputc(',', f);
        fmt_csv_text(f, report_bottleneck_name(sums[c]));
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}
