/*
 * report_estimate.c — text and JSON of the analytic estimate (see
 * report_estimate.h).  The JSON names are a contract (issue 14): keep
 * them.
 */
#include "io/report_estimate.h"
#include "exp/catalogue.h"

#include <math.h>
#include <string.h>

/* The estimate's states in the catalogue's terms (its names, once). */
static const int state_of[DS_NSTATES] = { ST_WORKING, ST_STARVED, ST_BLOCKED, ST_FAILED };

static void write_json(jsonw *w, const char *key, const takt_plant *p, const estimate *e,
                       const kpi *sim);

void estimate_json(jsonw *w, const char *key, const takt_plant *p, const estimate *e)
{
    write_json(w, key, p, e, NULL);
}

void estimate_json_beside(jsonw *w, const char *key, const takt_plant *p, const estimate *e,
                          const kpi *sim)
{
    write_json(w, key, p, e, sim);
}

static void write_json(jsonw *w, const char *key, const takt_plant *p, const estimate *e,
                       const kpi *sim)
{
    jw_obj(w, key);
    jw_bool(w, "applicable", e->applicable);
    if (!e->applicable) {
        jw_arr(w, "unsupported");
        for (int i = 0; i < e->nunsupported; i++) jw_str(w, NULL, e->unsupported[i]);
        jw_end(w);
        jw_end(w);
        return;
    }
    jw_str(w, "method", e->method);
    jw_num(w, catalogue_throughput()->key, e->throughput_per_hour);
    jw_bool(w, "approximate", e->approximate);
    if (sim) {
        jw_num(w, "difference_per_hour", e->throughput_per_hour - sim->mean);
        jw_num(w, "difference_relative",
               sim->mean > 0 ? (e->throughput_per_hour - sim->mean) / sim->mean : NAN);
    }
    jw_obj(w, "buffers");
    for (int i = 0; i < p->nbuffers; i++) {
        jw_obj(w, p->buffers[i].name);
        jw_num(w, "mean_level", e->mean_level[i]);
        jw_end(w);
    }
    jw_end(w);
    jw_obj(w, "stations");
    for (int i = 0; i < p->nstations; i++) {
        jw_obj(w, p->stations[i].name);
        jw_obj(w, "states");
        for (int s = 0; s < DS_NSTATES; s++)
            jw_num(w, catalogue_states[state_of[s]].key, e->state[i][s]);
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
}

int estimate_text(FILE *f, const takt_plant *p, const estimate *e)
{
    if (!e->applicable) {
        fprintf(f, "No analytic estimate: the decomposition does not cover\n");
        for (int i = 0; i < e->nunsupported; i++) fprintf(f, "  - %s\n", e->unsupported[i]);
        return ferror(f) ? -1 : 0;
    }
    fprintf(f, "Estimate (%s%s): %.2f %s\n\n", e->method,
            e->approximate ? ", two-moment approximation" : "", e->throughput_per_hour,
            plant_rate_unit(p));
    int wn = 7;
    for (int i = 0; i < p->nstations; i++) {
        int l = (int)strlen(p->stations[i].name);
        if (l > wn) wn = l;
    }
    for (int i = 0; i < p->nbuffers; i++) {
        int l = (int)strlen(p->buffers[i].name);
        if (l > wn) wn = l;
    }
    fprintf(f, "%-*s ", wn, "station");
    for (int s = 0; s < DS_NSTATES; s++) fprintf(f, " %8s", catalogue_states[state_of[s]].label);
    fputc('\n', f);
    for (int i = 0; i < p->nstations; i++) {
        fprintf(f, "%-*s ", wn, p->stations[i].name);
        for (int s = 0; s < DS_NSTATES; s++) fprintf(f, " %7.1f%%", 100 * e->state[i][s]);
        fputc('\n', f);
    }
    if (p->nbuffers > 0) {
        fprintf(f, "\n%-*s  %10s\n", wn, "buffer", "mean level");
        for (int i = 0; i < p->nbuffers; i++)
            fprintf(f, "%-*s  %10.2f\n", wn, p->buffers[i].name, e->mean_level[i]);
    }
    return ferror(f) ? -1 : 0;
}

void estimate_text_beside(FILE *f, const estimate *e, const kpi *sim, const char *unit)
{
    if (!e->applicable) {
        fprintf(f, "  %-24s not applicable (%d feature%s outside the method; see takt estimate)\n",
                "estimate", e->nunsupported, e->nunsupported == 1 ? "" : "s");
        return;
    }
    fprintf(f, "  %-24s %12.4g              %s (%s; %+.1f %% from the simulation)\n",
            "estimate", e->throughput_per_hour, unit, e->method,
            sim->mean > 0 ? 100 * (e->throughput_per_hour - sim->mean) / sim->mean : 0.0);
}

void estimate_html_card(FILE *f, const estimate *e, const kpi *sim, const char *unit)
{
    if (!e->applicable) return;
    fprintf(f, "<div class='card plan'><div class='k'>Estimate</div><div class='v'>%.4g"
            "<small>%s</small></div><div class='ci'>analytic (%s), %+.1f %% from the simulation"
            "</div></div>\n", e->throughput_per_hour, unit, e->method,
            sim->mean > 0 ? 100 * (e->throughput_per_hour - sim->mean) / sim->mean : 0.0);
}
