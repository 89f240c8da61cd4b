/*
 * report_estimate.c — text and JSON of the analytic estimate (see
 * report_estimate.h).  The JSON names are a contract (issue 14): keep
 * them.
 */
#include "io/report_estimate.h"
#include "exp/catalogue.h"

#include <string.h>

/* The estimate's states in the catalogue's terms (its names, once). */
static const int state_of[DS_NSTATES] = { ST_WORKING, ST_STARVED, ST_BLOCKED, ST_FAILED };

void estimate_json(jsonw *w, const char *key, const takt_plant *p, const estimate *e)
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
    fprintf(f, "Estimate (%s%s): %.2f parts/h\n\n", e->method,
            e->approximate ? ", two-moment approximation" : "", e->throughput_per_hour);
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
