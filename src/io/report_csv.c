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
#include "../core/date.h"

typedef struct csv_set {
    const char *dir;
    outfile_group *g;
    char *err;
    int errlen;
} csv_set;

/* ---- cells ------------------------------------------------------------ */

/* RFC 4180: a field holding a comma, a quote or a line break is quoted,
 * and quotes inside it are doubled. */
void csv_text(FILE *f, const char *s)
{
    if (!s) s = "";
    if (!strpbrk(s, ",\"\r\n")) { fputs(s, f); return; }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_num(FILE *f, double v)
{
    char buf[40];
    fputc(',', f);
    if (!isfinite(v)) return;
    jw_fmt_double(buf, sizeof buf, v);
    fputs(buf, f);
}

static void csv_kpi(FILE *f, kpi k)
{
    csv_num(f, k.mean);
    csv_num(f, k.ci95);
}

static void csv_date(FILE *f, const takt_plant *p, double t)
{
    char buf[16];
    fputc(',', f);
    if (isnan(t)) return;
    date_format(p->start_day + (int64_t)floor(t / 86400.0), buf);
    fputs(buf, f);
}

/* ",x_mean,x_ci95" for every name in the list. */
static void csv_kpi_header(FILE *f, const char *const *names, int n)
{
    for (int i = 0; i < n; i++) fprintf(f, ",%s_mean,%s_ci95", names[i], names[i]);
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

int report_kpis(const takt_summary *s, named_kpi *out, int max)
{
    named_kpi k[REPORT_MAX_KPIS];
    int n = 0;
    k[n++] = (named_kpi){ "throughput_per_hour", s->throughput_per_hour.mean, s->throughput_per_hour.ci95 };
    k[n++] = (named_kpi){ "lead_time_s", s->lead_time_s.mean, s->lead_time_s.ci95 };
    k[n++] = (named_kpi){ "wip", s->wip.mean, s->wip.ci95 };
    k[n++] = (named_kpi){ "produced", s->produced.mean, s->produced.ci95 };
    k[n++] = (named_kpi){ "scrapped", s->scrapped.mean, s->scrapped.ci95 };
    if (s->plant->demand.enabled) {
        k[n++] = (named_kpi){ "delivered", s->delivered.mean, s->delivered.ci95 };
        k[n++] = (named_kpi){ "customer_wait_weeks_mean", s->wait_mean_w, NAN };
        k[n++] = (named_kpi){ "customer_wait_weeks_p50", s->wait_p50_w, NAN };
        k[n++] = (named_kpi){ "customer_wait_weeks_p90", s->wait_p90_w, NAN };
    }
    if (n > max) n = max;
    memcpy(out, k, (size_t)n * sizeof *k);
    return n;
}

static void write_kpis(FILE *f, const takt_summary *s)
{
    named_kpi k[REPORT_MAX_KPIS];
    int n = report_kpis(s, k, REPORT_MAX_KPIS);
    fputs("kpi,mean,ci95\n", f);
    for (int i = 0; i < n; i++) {
        csv_text(f, k[i].name);
        csv_num(f, k[i].mean);
        csv_num(f, k[i].ci95);
        fputc('\n', f);
    }
}

static void write_stations(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    fputs("station,workshop,servers,parts_out_mean,parts_out_ci95", f);
    csv_kpi_header(f, station_state_names, NSTATES);
    fputs(",bottleneck_sole,bottleneck_shifting\n", f);
    for (int i = 0; i < p->nstations; i++) {
        const station *st = &p->stations[i];
        const station_sum *ss = &s->stations[i];
        csv_text(f, st->name);
        fputc(',', f);
        csv_text(f, st->workshop >= 0 ? p->workshops[st->workshop].name : "");
        fprintf(f, ",%d", st->servers);
        csv_kpi(f, ss->parts_out);
        for (int q = 0; q < NSTATES; q++) csv_kpi(f, ss->state[q]);
        csv_num(f, ss->bn_sole.mean);
        csv_num(f, ss->bn_shifting.mean);
        fputc('\n', f);
    }
}

/* Buffers, then the queues in front of the sources, as in the JSON. */
static void write_buffers(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    fputs("buffer,capacity,mean_level_mean,mean_level_ci95,max_level\n", f);
    for (int i = 0; i < p->nbuffers + p->nsources; i++) {
        const buffer_sum *bs = &s->buffers[i];
        int is_buf = i < p->nbuffers;
        csv_text(f, plant_buffer_name(p, i));
        if (is_buf && p->buffers[i].capacity != CAP_INF) fprintf(f, ",%ld", p->buffers[i].capacity);
        else fputs(",inf", f);
        csv_kpi(f, bs->mean_level);
        csv_num(f, bs->max_level);
        fputc('\n', f);
    }
}

static void write_daily(FILE *f, const takt_summary *s)
{
    char buf[16];
    fputs("date,produced_mean,produced_ci95,delivered_mean,delivered_ci95,backlog_mean,backlog_ci95\n", f);
    for (int d = 0; d < s->ndays; d++) {
        date_format(s->plant->start_day + d, buf);
        fputs(buf, f);
        csv_kpi(f, s->daily[d].produced);
        csv_kpi(f, s->daily[d].delivered);
        csv_kpi(f, s->daily[d].backlog);
        fputc('\n', f);
    }
}

static void write_monthly(FILE *f, const takt_summary *s)
{
    char buf[16];
    fputs("month,produced_mean,produced_ci95,delivered_mean,delivered_ci95,backlog_end_mean,backlog_end_ci95\n", f);
    for (int m = 0; m < s->nmonths; m++) {
        date_format_month(s->monthly[m].first_day, buf);
        fputs(buf, f);
        csv_kpi(f, s->monthly[m].produced);
        csv_kpi(f, s->monthly[m].delivered);
        csv_kpi(f, s->monthly[m].backlog_end);
        fputc('\n', f);
    }
}

static void write_targets(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    fputs("what,value,by,reached,reached_lo,reached_hi,replications_reached,met\n", f);
    for (int t = 0; t < p->ntargets; t++) {
        const target_sum *ts = &s->targets[t];
        fputs(p->targets[t].what == TARGET_PRODUCED ? "produced" : "delivered", f);
        csv_num(f, p->targets[t].value);
        csv_date(f, p, p->targets[t].by - 1);        /* by: the end of that day */
        csv_date(f, p, ts->reached);
        csv_date(f, p, ts->lo);
        csv_date(f, p, ts->hi);
        fprintf(f, ",%d,%s\n", ts->nreached, ts->met ? "true" : "false");
    }
}

static void write_workshops(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    fputs("workshop,parts_out_mean,parts_out_ci95", f);
    csv_kpi_header(f, station_state_names, NSTATES);
    fputc('\n', f);
    for (int w = 0; w < p->nworkshops; w++) {
        csv_text(f, p->workshops[w].name);
        csv_kpi(f, s->workshops[w].parts_out);
        for (int q = 0; q < NSTATES; q++) csv_kpi(f, s->workshops[w].state[q]);
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

static const csv_table tables[] = {
    { "kpis.csv", write_kpis, always },
    { "stations.csv", write_stations, always },
    { "buffers.csv", write_buffers, always },
    { "daily.csv", write_daily, has_series },
    { "monthly.csv", write_monthly, has_series },
    { "targets.csv", write_targets, has_targets },
    { "workshops.csv", write_workshops, has_workshops },
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
