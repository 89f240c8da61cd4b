/*
 * balance_report.c — reporting a balanced line: each station's tasks, time
 * and idle time, the line's efficiency, balance delay and smoothness index,
 * the bound and whether the answer is proven optimal; for a mixed-model
 * line each product's time at each station and where it overloads the takt.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "balance_report.h"
#include "jsonw.h"

int bal_station_times(const bal_outcome *o, double **station_s, double **product_s)
{
    const bal_tasks *t = o->tasks;
    int P = t->products, M = o->stations;
    *station_s = calloc((size_t)M + 1, sizeof **station_s);
    *product_s = calloc((size_t)M * (size_t)(P ? P : 1) + 1, sizeof **product_s);
    if (!*station_s || !*product_s) { free(*station_s); free(*product_s); return -1; }
    for (int i = 0; i < t->n; i++) {
        int k = o->station[i] - 1;
        (*station_s)[k] += t->time_s[i];
        for (int p = 0; p < P; p++) (*product_s)[(size_t)k * (size_t)P + (size_t)p] += t->ptime_s[(size_t)i * (size_t)P + (size_t)p];
    }
    return 0;
}

typedef struct figures {
    double total, cycle, efficiency, delay, smoothness, gap;
} figures;

static void compute(const bal_outcome *o, const double *st, figures *F)
{
    memset(F, 0, sizeof *F);
    for (int k = 0; k < o->stations; k++) {
        F->total += st[k];
        if (st[k] > F->cycle) F->cycle = st[k];
    }
    double cap = o->stations * o->takt_s;
    F->efficiency = cap > 0 ? F->total / cap : 0;
    F->delay = 1 - F->efficiency;
    double ss = 0;
    for (int k = 0; k < o->stations; k++) ss += (F->cycle - st[k]) * (F->cycle - st[k]);
    F->smoothness = sqrt(ss);
    double have = o->problem == 1 ? o->stations : o->takt_s;
    F->gap = o->lower_bound > 0 ? (have - o->lower_bound) / o->lower_bound : 0;
}

static int in_station(const bal_outcome *o, int k, int i) { return o->station[i] == k + 1; }

int bal_report_text(FILE *f, const bal_outcome *o)
{
    const bal_tasks *t = o->tasks;
    double *st, *ps;
    if (bal_station_times(o, &st, &ps) < 0) return -1;
    figures F;
    compute(o, st, &F);
    int P = t->products;
    fprintf(f, "%s%s%s\n", o->problem == 1 ? "SALBP-1: fewest stations for the takt" : "SALBP-2: shortest cycle for the stations",
            t->title ? " — " : "", t->title ? t->title : "");
    if (o->problem == 1) fprintf(f, "takt %.6gs, %d tasks, work content %.6gs\n\n", o->takt_s, t->n, F.total);
    else fprintf(f, "%d stations, %d tasks, work content %.6gs\n\n", o->stations, t->n, F.total);
    for (int k = 0; k < o->stations; k++) {
        fprintf(f, "station %d  time %.6gs  idle %.6gs  tasks:", k + 1, st[k], o->takt_s - st[k]);
        for (int i = 0; i < t->n; i++) if (in_station(o, k, i)) fprintf(f, " %s", t->name[i]);
        fputc('\n', f);
        for (int p = 0; p < P; p++) {
            double x = ps[(size_t)k * (size_t)P + (size_t)p];
            fprintf(f, "    %-12s %.6gs%s\n", t->product[p], x, x > o->takt_s + 1e-9 ? "  OVER the takt" : "");
        }
    }
    fprintf(f, "\nstations          %d\n", o->stations);
    fprintf(f, "cycle (longest)   %.6gs\n", F.cycle);
    if (o->problem == 2) fprintf(f, "takt reachable    %.6gs\n", o->takt_s);
    fprintf(f, "efficiency        %.2f %%\n", 100 * F.efficiency);
    fprintf(f, "balance delay     %.2f %%\n", 100 * F.delay);
    fprintf(f, "smoothness index  %.6g\n", F.smoothness);
    if (o->problem == 1) fprintf(f, "lower bound       %.0f stations\n", o->lower_bound);
    else fprintf(f, "lower bound       %.6gs cycle\n", o->lower_bound);
    if (o->optimal) fprintf(f, "proven optimal    (%.3f s, %lld nodes)\n", o->seconds, o->nodes);
    else fprintf(f, "best found        gap %.2f %% to the bound%s (%.3f s, %lld nodes)\n", 100 * F.gap,
                 o->timed_out ? ", stopped at the time limit" : "", o->seconds, o->nodes);
    free(st);
    free(ps);
    return ferror(f) ? -1 : 0;
}

int bal_report_json(FILE *f, const bal_outcome *o)
{
    const bal_tasks *t = o->tasks;
    double *st, *ps;
    if (bal_station_times(o, &st, &ps) < 0) return -1;
    figures F;
    compute(o, st, &F);
    int P = t->products;
    jsonw w;
    jw_init(&w, f, 1);
    jw_obj(&w, NULL);
    jw_str(&w, "problem", o->problem == 1 ? "salbp-1" : "salbp-2");
    if (t->title) jw_str(&w, "name", t->title);
    jw_num(&w, "takt_s", o->takt_s);
    jw_int(&w, "stations", o->stations);
    jw_num(&w, "cycle_s", F.cycle);
    jw_num(&w, "lower_bound", o->lower_bound);
    jw_bool(&w, "optimal", o->optimal);
    jw_num(&w, "gap", F.gap);
    jw_num(&w, "efficiency", F.efficiency);
    jw_num(&w, "balance_delay", F.delay);
    jw_num(&w, "smoothness_index", F.smoothness);
    jw_num(&w, "work_s", F.total);
    jw_bool(&w, "timed_out", o->timed_out);
    jw_num(&w, "solve_seconds", o->seconds);
    jw_int(&w, "nodes", o->nodes);
    jw_arr(&w, "assignment");
    for (int k = 0; k < o->stations; k++) {
        jw_obj(&w, NULL);
        jw_int(&w, "station", k + 1);
        jw_arr(&w, "tasks");
        for (int i = 0; i < t->n; i++) if (in_station(o, k, i)) jw_str(&w, NULL, t->name[i]);
        jw_end(&w);
        jw_num(&w, "time_s", st[k]);
        jw_num(&w, "idle_s", o->takt_s - st[k]);
        if (P) {
            jw_obj(&w, "product_time_s");
            for (int p = 0; p < P; p++) jw_num(&w, t->product[p], ps[(size_t)k * (size_t)P + (size_t)p]);
            jw_end(&w);
            jw_arr(&w, "overload");
            for (int p = 0; p < P; p++)
                if (ps[(size_t)k * (size_t)P + (size_t)p] > o->takt_s + 1e-9) jw_str(&w, NULL, t->product[p]);
            jw_end(&w);
        }
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    fputc('\n', f);
    free(st);
    free(ps);
    return ferror(f) ? -1 : 0;
}
