/*
 * report_resource.c — the resource pools and carrier loops of a summary in
 * the text and JSON reports.  Their figures are the rows of the results
 * catalogue (catalogue_pool, catalogue_loop); nothing here names one.
 */
#include <math.h>
#include <string.h>
#include <stdio.h>
#include "report.h"
#include "jsonw.h"
#include "../exp/catalogue.h"

static void json_group(jsonw *w, const char *key, int n, const char *(*name)(const takt_plant *,
                       int), int (*count)(const takt_plant *, int), const figure_def *t, int nt,
                       const void *(*base)(const takt_summary *, int), const takt_summary *s)
{
    if (n == 0) return;
    jw_obj(w, key);
    for (int i = 0; i < n; i++) {
        jw_obj(w, name(s->plant, i));
        jw_int(w, "count", count(s->plant, i));
        for (int k = 0; k < nt; k++) {
            kpi v = catalogue_value(&t[k], base(s, i));
            jw_kpi(w, t[k].key, v.mean, v.ci95);
        }
        jw_end(w);
    }
    jw_end(w);
}

const char *report_pool_name(const takt_plant *p, int i) { return p->resources[i].name; }
int report_pool_count(const takt_plant *p, int i) { return p->resources[i].count; }
const void *report_pool_sum(const takt_summary *s, int i) { return &s->pools[i]; }
const char *report_loop_name(const takt_plant *p, int i) { return p->carriers[i].name; }
int report_loop_count(const takt_plant *p, int i) { return p->carriers[i].count; }
const void *report_loop_sum(const takt_summary *s, int i) { return &s->loops[i]; }

void report_json_resources(jsonw *w, const takt_summary *s)
{
    json_group(w, "resources", s->plant->nresources, report_pool_name, report_pool_count,
               catalogue_pool, catalogue_npool, report_pool_sum, s);
    json_group(w, "carriers", s->plant->ncarriers, report_loop_name, report_loop_count,
               catalogue_loop, catalogue_nloop, report_loop_sum, s);
}

/* A figure as people read it: shares in %, durations in a readable unit. */
static void text_cell(FILE *f, const figure_def *fd, double v)
{
    char buf[32];
    if (strcmp(fd->unit, "share") == 0) snprintf(buf, sizeof buf, "%.1f%%", 100 * v);
    else if (strcmp(fd->unit, "s") == 0) fmt_duration(buf, sizeof buf, v);
    else fmt_fixed(buf, sizeof buf, v, 4);
    fprintf(f, " %13s", buf);
}

static void text_group(FILE *f, const char *title, const char *what, int n,
                       const char *(*name)(const takt_plant *, int),
                       int (*count)(const takt_plant *, int), const figure_def *t, int nt,
                       const void *(*base)(const takt_summary *, int), const takt_summary *s)
{
    if (n == 0) return;
    fprintf(f, "\n%s\n  %-20s %6s", title, what, "count");
    for (int k = 0; k < nt; k++) {
        char head[32];
        if (strcmp(t[k].unit, "h") == 0) snprintf(head, sizeof head, "%s (h)", t[k].label);
        else snprintf(head, sizeof head, "%s", t[k].label);
        fprintf(f, " %13s", head);
    }
    fputc('\n', f);
    for (int i = 0; i < n; i++) {
        fprintf(f, "  %-20s %6d", name(s->plant, i), count(s->plant, i));
        for (int k = 0; k < nt; k++) text_cell(f, &t[k], catalogue_value(&t[k], base(s, i)).mean);
        fputc('\n', f);
    }
}

void report_text_resources(FILE *f, const takt_summary *s)
{
    text_group(f, "Resources", "resource", s->plant->nresources, report_pool_name,
               report_pool_count, catalogue_pool, catalogue_npool, report_pool_sum, s);
    text_group(f, "Carrier loops", "loop", s->plant->ncarriers, report_loop_name,
               report_loop_count, catalogue_loop, catalogue_nloop, report_loop_sum, s);
}
