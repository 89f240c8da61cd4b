/*
 * report_csv.c — the summary as CSV tables for spreadsheets and data
 * tools: kpis, stations, buffers, and, for plants with a calendar, the
 * daily and monthly series, targets and workshops (docs/csv.md).
 *
 * The numbers are formatted exactly as in the JSON report (shortest text
 * that reads back to the same double), so a CSV cell and the JSON value
 * are the same number, byte for byte.  A value that does not exist (NaN,
 * e.g. a target never reached) is an empty cell.
 *
 * Every file is a member of the caller's output group (outfile.h): written
 * under a temporary name and renamed into place only when the caller
 * places the whole group, so a failure leaves the directory as it was
 * (apart from the directory itself, which is created if missing).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "jsonw.h"
#include "report.h"
#include "report_series.h"
#include "../core/date.h"

typedef struct csv_set {
    const char *dir;
    outfile_group *g;
    char *err;
    int errlen;
} csv_set;

/* ---- cells ------------------------------------------------------------ */

/* The header cells of a catalogue table: <key>_mean,<key>_ci95 for a
 * figure with an interval, <column> for one without. */
static void figure_heads(FILE *f, const figure_def *t, int n, int grouped)
{
    for (int i = 0; i < n; i++) {
        if ((t[i].group != NULL) != grouped) continue;
        if (t[i].kind == CAT_KPI) fprintf(f, ",%s_mean,%s_ci95", t[i].key, t[i].key);
        else fprintf(f, ",%s", t[i].sql ? t[i].sql : t[i].key);
    }
}

static void figure_cells(FILE *f, const figure_def *t, int n, int grouped, const void *base)
{
    for (int i = 0; i < n; i++) {
        if ((t[i].group != NULL) != grouped) continue;
        kpi k = catalogue_value(&t[i], base);
        fmt_csv_num(f, k.mean);
        if (t[i].kind == CAT_KPI) fmt_csv_num(f, k.ci95);
    }
}

static void state_heads(FILE *f)
{
    for (int q = 0; q < NSTATES; q++)
        fprintf(f, ",%s_mean,%s_ci95", catalogue_states[q].key, catalogue_states[q].key);
}

static void state_cells(FILE *f, const kpi *state)
{
    for (int q = 0; q < NSTATES; q++) {
        fmt_csv_num(f, state[q].mean);
        fmt_csv_num(f, state[q].ci95);
    }
}

/* ---- files ------------------------------------------------------------ */

static int fail(csv_set *cs, const char *what, const char *path, int e)
{
    snprintf(cs->err, (size_t)cs->errlen, "cannot %s '%s': %s", what, path, strerror(e));
    return -1;
}

static FILE *csv_open(csv_set *cs, const char *name)
{
    size_t n = strlen(cs->dir) + strlen(name) + 2;
    char *path = malloc(n);
    if (!path) { fail(cs, "write", name, ENOMEM); return NULL; }
    snprintf(path, n, "%s/%s", cs->dir, name);
    outfile *o = outfile_group_open(cs->g, path, cs->err, (size_t)cs->errlen);
    free(path);
    return o ? o->f : NULL;
}

/* ---- tables ----------------------------------------------------------- */

/* The headline figures the summary holds, one per row. */
static void write_kpis(FILE *f, const takt_summary *s)
{
    fputs("kpi,mean,ci95\n", f);
    for (int i = 0; i < catalogue_nheadline; i++) {
        const figure_def *fd = &catalogue_headline[i];
        if (!fd->tabled || !catalogue_holds(fd, s)) continue;
        kpi k = catalogue_value(fd, s);
        fmt_csv_text(f, fd->key);
        fmt_csv_num(f, k.mean);
        fmt_csv_num(f, k.ci95);
        fputc('\n', f);
    }
}

static void write_stations(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    fputs("station,workshop,servers", f);
    figure_heads(f, catalogue_station, catalogue_nstation, 0);
    state_heads(f);
    figure_heads(f, catalogue_station, catalogue_nstation, 1);
    fputc('\n', f);
    for (int i = 0; i < p->nstations; i++) {
        const station *st = &p->stations[i];
        const station_sum *ss = &s->stations[i];
        fmt_csv_text(f, st->name);
        fputc(',', f);
        fmt_csv_text(f, st->workshop >= 0 ? p->workshops[st->workshop].name : "");
        fprintf(f, ",%d", st->servers);
        figure_cells(f, catalogue_station, catalogue_nstation, 0, ss);
        state_cells(f, ss->state);
        figure_cells(f, catalogue_station, catalogue_nstation, 1, ss);
        fputc('\n', f);
    }
}

/* Buffers, then the queues in front of the sources, as in the JSON. */
static void write_buffers(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    fputs("buffer,capacity", f);
    figure_heads(f, catalogue_buffer, catalogue_nbuffer, 0);
    fputc('\n', f);
    for (int i = 0; i < p->nbuffers + p->nsources; i++) {
        int is_buf = i < p->nbuffers;
        fmt_csv_text(f, plant_buffer_name(p, i));
        if (is_buf && p->buffers[i].capacity != CAP_INF) fprintf(f, ",%ld", p->buffers[i].capacity);
        else fputs(",inf", f);
        figure_cells(f, catalogue_buffer, catalogue_nbuffer, 0, &s->buffers[i]);
        fputc('\n', f);
    }
}

static void write_daily(FILE *f, const takt_summary *s)
{
    char buf[16];
    fputs("date", f);
    figure_heads(f, catalogue_daily, catalogue_ndaily, 0);
    fputc('\n', f);
    for (int d = 0; d < s->ndays; d++) {
        date_format(s->plant->start_day + d, buf);
        fputs(buf, f);
        figure_cells(f, catalogue_daily, catalogue_ndaily, 0, &s->daily[d]);
        fputc('\n', f);
    }
}

static void write_monthly(FILE *f, const takt_summary *s)
{
    char buf[16];
    fputs("month", f);
    figure_heads(f, catalogue_monthly, catalogue_nmonthly, 0);
    fputc('\n', f);
    for (int m = 0; m < s->nmonths; m++) {
        date_format_month(s->monthly[m].first_day, buf);
        fputs(buf, f);
        figure_cells(f, catalogue_monthly, catalogue_nmonthly, 0, &s->monthly[m]);
        fputc('\n', f);
    }
}

/* A target's cell, without its separator. */
static void target_cell(FILE *f, const takt_plant *p, cat_cell c)
{
    char buf[40];
    switch (c.type) {
    case CAT_TEXT: fmt_csv_text(f, c.text); break;
    case CAT_NUMBER:
        if (isfinite(c.num)) { jw_fmt_double(buf, sizeof buf, c.num); fputs(buf, f); }
        break;
    case CAT_DATE:
        if (!isnan(c.num)) {
            date_format(p->start_day + (int64_t)floor(c.num / 86400.0), buf);
            fputs(buf, f);
        }
        break;
    case CAT_INT: fprintf(f, "%lld", (long long)c.num); break;
    case CAT_BOOL: fputs(c.num != 0 ? "true" : "false", f); break;
    }
}

static void write_targets(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    for (int k = 0; k < catalogue_ntarget; k++) fprintf(f, "%s%s", k ? "," : "", catalogue_target[k].key);
    fputc('\n', f);
    for (int t = 0; t < p->ntargets; t++) {
        for (int k = 0; k < catalogue_ntarget; k++) {
            if (k) fputc(',', f);
            target_cell(f, p, catalogue_target[k].get(s, t));
        }
        fputc('\n', f);
    }
}

static void write_workshops(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    fputs("workshop", f);
    figure_heads(f, catalogue_workshop, catalogue_nworkshop, 0);
    state_heads(f);
    fputc('\n', f);
    for (int w = 0; w < p->nworkshops; w++) {
        fmt_csv_text(f, p->workshops[w].name);
        figure_cells(f, catalogue_workshop, catalogue_nworkshop, 0, &s->workshops[w]);
        state_cells(f, s->workshops[w].state);
        fputc('\n', f);
    }
}

/* Resource pools and carrier loops: name, count, then their catalogue figures. */
static void write_pools(FILE *f, const takt_summary *s)
{
    fputs("resource,count", f);
    figure_heads(f, catalogue_pool, catalogue_npool, 0);
    fputc('\n', f);
    for (int i = 0; i < s->plant->nresources; i++) {
        fmt_csv_text(f, report_pool_name(s->plant, i));
        fprintf(f, ",%d", report_pool_count(s->plant, i));
        figure_cells(f, catalogue_pool, catalogue_npool, 0, report_pool_sum(s, i));
        fputc('\n', f);
    }
}

static void write_loops(FILE *f, const takt_summary *s)
{
    fputs("loop,count", f);
    figure_heads(f, catalogue_loop, catalogue_nloop, 0);
    fputc('\n', f);
    for (int i = 0; i < s->plant->ncarriers; i++) {
        fmt_csv_text(f, report_loop_name(s->plant, i));
        fprintf(f, ",%d", report_loop_count(s->plant, i));
        figure_cells(f, catalogue_loop, catalogue_nloop, 0, report_loop_sum(s, i));
        fputc('\n', f);
    }
}

typedef struct csv_table {
    const char *name;
    void (*write)(FILE *, const takt_summary *);
    int (*wanted)(const takt_summary *);
} csv_table;

static int always(const takt_summary *s) { (void)s; return 1; }
static int has_series(const takt_summary *s) { return s->ndays > 0; }
static int has_targets(const takt_summary *s) { return s->plant->ntargets > 0; }
static int has_workshops(const takt_summary *s) { return s->plant->nworkshops > 0; }
static int has_pools(const takt_summary *s) { return s->plant->nresources > 0; }
static int has_loops(const takt_summary *s) { return s->plant->ncarriers > 0; }

static const csv_table tables[] = {
    { "kpis.csv", write_kpis, always },
    { "stations.csv", write_stations, always },
    { "buffers.csv", write_buffers, always },
    { "daily.csv", write_daily, has_series },
    { "monthly.csv", write_monthly, has_series },
    { "targets.csv", write_targets, has_targets },
    { "workshops.csv", write_workshops, has_workshops },
    { "resources.csv", write_pools, has_pools },
    { "carriers.csv", write_loops, has_loops },
    { "oee.csv", report_csv_oee, always },          /* report_series.c */
    { "series_stations.csv", report_csv_series_stations, report_has_series },
    { "series_buffers.csv", report_csv_series_buffers, report_has_series },
    { "series_bottleneck.csv", report_csv_series_bottleneck, report_has_series },
};

int report_csv(const char *dir, const takt_summary *s, outfile_group *g, char *err, int errlen)
{
    csv_set cs = { dir, g, err, errlen };
    if (!dir || !*dir) { snprintf(err, (size_t)errlen, "--csv needs a directory"); return -1; }
    if (outfile_group_mkdirs(g, dir, err, (size_t)errlen) < 0) return -1;
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        if (!tables[i].wanted(s)) continue;
        FILE *f = csv_open(&cs, tables[i].name);
        if (!f) return -1;
        tables[i].write(f, s);
    }
    return 0;
}

int report_csv_table(FILE *f, const char *name, const takt_summary *s)
{
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
        if (!strcmp(tables[i].name, name)) {
            tables[i].write(f, s);
            return ferror(f) ? -1 : 0;
        }
    return -2;
}

/* The deepest part of path that exists ("." for a relative name with no
 * directory part); malloc'd, or NULL. */
static char *existing_ancestor(const char *path)
{
    char *a = strdup(path);
    struct stat st;
    while (a && stat(a, &st) < 0) {
        size_t n = strlen(a);
        while (n > 1 && a[n - 1] == '/') a[--n] = 0;
        char *slash = strrchr(a, '/');
        if (!slash) { free(a); return strdup("."); }
        if (slash == a) slash[1] = 0; else *slash = 0;
    }
    return a;
}

int report_csv_check(const char *dir, char *err, int errlen)
{
    if (!dir || !*dir) { snprintf(err, (size_t)errlen, "--csv needs a directory"); return -1; }
    char *a = existing_ancestor(dir);
    if (!a) { snprintf(err, (size_t)errlen, "out of memory"); return -1; }
    struct stat st;
    int rc = 0;
    if (stat(a, &st) < 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, (size_t)errlen, "cannot write CSV files into '%s': '%s' is not a directory", dir, a);
        rc = -1;
    } else if (access(a, W_OK | X_OK) < 0) {
        snprintf(err, (size_t)errlen, "cannot write CSV files into '%s': %s", dir, strerror(errno));
        rc = -1;
    }
    free(a);
    return rc;
}
