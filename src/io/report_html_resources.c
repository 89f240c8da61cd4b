/*
 * report_html_resources.c — the resource pools and carrier loops of the
 * HTML report: one table each (nothing for a plant with none).
 */
#include <stdio.h>
#include "report_html.h"
#include "svg.h"

static void cell(FILE *f, double v, int sig, const char *unit)
{
    char buf[32];
    fmt_num(buf, sizeof buf, v, sig);
    fprintf(f, "<td>%s%s</td>", buf, unit);
}

void html_resources(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    if (p->nresources > 0) {
        fputs("<section><h2>Resources</h2><p class='lead'>Pools of people, tools and vehicles: "
              "the share of their units in use, and how long stations, repairs, maintenance and "
              "transports waited for them (first come, first served).</p>\n<div class='tw'><table>"
              "<thead><tr><th>Resource</th><th>Units</th><th>Utilisation</th><th>Waiting "
              "(mean requests)</th><th>Waited</th><th>Mean wait</th></tr></thead><tbody>\n", f);
        for (int i = 0; i < p->nresources; i++) {
            const pool_sum *q = &s->pools[i];
            fputs("<tr><td>", f);
            html_esc(f, p->resources[i].name);
            fprintf(f, "</td><td>%d</td>", p->resources[i].count);
            cell(f, 100 * q->utilisation.mean, 3, " %");
            cell(f, q->waiting.mean, 3, "");
            cell(f, q->waited_h.mean, 3, " h");
            cell(f, q->wait_s.mean, 3, " s");
            fputs("</tr>\n", f);
        }
        fputs("</tbody></table></div></section>\n", f);
    }
    if (p->ncarriers > 0) {
        fputs("<section><h2>Carrier loops</h2><p class='lead'>Closed loops of skids, hangers, "
              "pallets or CONWIP cards: carriers free at the start of the loop, carriers riding "
              "(the loop's work in process), the loop lead time (Little's law) and the share of "
              "its first station's time spent waiting for a carrier.</p>\n<div class='tw'><table>"
              "<thead><tr><th>Loop</th><th>Carriers</th><th>Free</th><th>Riding</th><th>Lead "
              "time</th><th>First station waits</th><th>Parts per hour</th></tr></thead><tbody>\n",
              f);
        for (int i = 0; i < p->ncarriers; i++) {
            const loop_sum *l = &s->loops[i];
            fputs("<tr><td>", f);
            html_esc(f, p->carriers[i].name);
            fprintf(f, "</td><td>%d</td>", p->carriers[i].count);
            cell(f, l->free.mean, 3, "");
            cell(f, l->wip.mean, 3, "");
            cell(f, l->lead_time_s.mean / 60, 3, " min");
            cell(f, 100 * l->from_waiting.mean, 3, " %");
            cell(f, l->throughput_per_hour.mean, 4, "");
            fputs("</tr>\n", f);
        }
        fputs("</tbody></table></div></section>\n", f);
    }
}
