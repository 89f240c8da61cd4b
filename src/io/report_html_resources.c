/*
 * report_html_resources.c — the resource pools and carrier loops of the
 * HTML report: one table each (nothing for a plant with none), with the
 * figures of the results catalogue (catalogue_pool, catalogue_loop).
 */
#include <stdio.h>
#include <string.h>
#include "report_html.h"
#include "svg.h"
#include "../exp/catalogue.h"

static void cell(FILE *f, const figure_def *fd, double v)
{
    char buf[32];
    if (strcmp(fd->unit, "share") == 0) fmt_pct(buf, sizeof buf, v);
    else if (strcmp(fd->unit, "s") == 0) fmt_duration(buf, sizeof buf, v);
    else fmt_num(buf, sizeof buf, v, 3);
    fprintf(f, "<td>%s%s%s</td>", buf, strcmp(fd->unit, "h") == 0 ? " h" : "", "");
}

static void table(FILE *f, const char *title, const char *lead, const char *what, int n,
                  const char *(*name)(const takt_plant *, int),
                  int (*count)(const takt_plant *, int), const figure_def *t, int nt,
                  const void *(*base)(const takt_summary *, int), const takt_summary *s)
{
    if (n == 0) return;
    fprintf(f, "<section><h2>%s</h2><p class='lead'>%s</p>\n<div class='tw'><table><thead><tr>"
            "<th>%s</th><th>Units</th>", title, lead, what);
    for (int k = 0; k < nt; k++) {
        fputs("<th>", f);
        html_esc(f, t[k].label);
        fputs("</th>", f);
    }
    fputs("</tr></thead><tbody>\n", f);
    for (int i = 0; i < n; i++) {
        fputs("<tr><td>", f);
        html_esc(f, name(s->plant, i));
        fprintf(f, "</td><td>%d</td>", count(s->plant, i));
        for (int k = 0; k < nt; k++) cell(f, &t[k], catalogue_value(&t[k], base(s, i)).mean);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div></section>\n", f);
}

void html_resources(FILE *f, const takt_summary *s)
{
    table(f, "Resources", "Pools of people, tools and vehicles: the share of their units in use, "
          "and how long stations, repairs, maintenance and transports waited for them (first "
          "come, first served).", "Resource", s->plant->nresources, report_pool_name,
          report_pool_count, catalogue_pool, catalogue_npool, report_pool_sum, s);
    table(f, "Carrier loops", "Closed loops of skids, hangers, pallets or CONWIP cards: carriers "
          "free at the start of the loop, carriers riding (the loop's work in process), the "
          "loop lead time (Little's law), the share of its first station's time spent waiting "
          "for a carrier.", "Loop", s->plant->ncarriers, report_loop_name, report_loop_count,
          catalogue_loop, catalogue_nloop, report_loop_sum, s);
}
