/*
 * report_resource.c — the resource pools and carrier loops of a summary,
 * in the text report and the JSON report.  The figure names are defined
 * once here and used by both (and by the run store's tables).
 */
#include <stdio.h>
#include "report.h"
#include "jsonw.h"

const char *const pool_figure_names[POOL_FIGURES] = {
    "utilisation", "waiting", "waited_h", "wait_s"
};
const char *const loop_figure_names[LOOP_FIGURES] = {
    "free_carriers", "wip", "lead_time_s", "from_waiting", "waited_h", "throughput_per_hour"
};

void report_json_resources(jsonw *w, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    if (p->nresources > 0) {
        jw_obj(w, "resources");
        for (int i = 0; i < p->nresources; i++) {
            const kpi *k = &s->pools[i].utilisation;
            jw_obj(w, p->resources[i].name);
            jw_int(w, "count", p->resources[i].count);
            for (int f = 0; f < POOL_FIGURES; f++)
                jw_kpi(w, pool_figure_names[f], k[f].mean, k[f].ci95);
            jw_end(w);
        }
        jw_end(w);
    }
    if (p->ncarriers > 0) {
        jw_obj(w, "carriers");
        for (int i = 0; i < p->ncarriers; i++) {
            const kpi *k = &s->loops[i].free;
            jw_obj(w, p->carriers[i].name);
            jw_int(w, "count", p->carriers[i].count);
            for (int f = 0; f < LOOP_FIGURES; f++)
                jw_kpi(w, loop_figure_names[f], k[f].mean, k[f].ci95);
            jw_end(w);
        }
        jw_end(w);
    }
}

void report_text_resources(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    if (p->nresources > 0) {
        fprintf(f, "\nResources\n  %-20s %6s %12s %12s %12s %12s\n", "resource", "units",
                "utilisation", "waiting", "waited (h)", "mean wait");
        for (int i = 0; i < p->nresources; i++) {
            const pool_sum *q = &s->pools[i];
            char wait[32];
            fmt_duration(wait, sizeof wait, q->wait_s.mean);
            fprintf(f, "  %-20s %6d %11.1f%% %12.3g %12.4g %12s\n", p->resources[i].name,
                    p->resources[i].count, 100 * q->utilisation.mean, q->waiting.mean,
                    q->waited_h.mean, wait);
        }
    }
    if (p->ncarriers > 0) {
        fprintf(f, "\nCarrier loops\n  %-20s %6s %8s %8s %12s %12s %10s\n", "loop", "count",
                "free", "riding", "lead time", "from waits", "per hour");
        for (int i = 0; i < p->ncarriers; i++) {
            const loop_sum *l = &s->loops[i];
            char lead[32];
            fmt_duration(lead, sizeof lead, l->lead_time_s.mean);
            fprintf(f, "  %-20s %6d %8.3g %8.3g %12s %11.1f%% %10.4g\n", p->carriers[i].name,
                    p->carriers[i].count, l->free.mean, l->wip.mean, lead,
                    100 * l->from_waiting.mean, l->throughput_per_hour.mean);
        }
    }
}
