/*
 * tasks.c — from the stated problem to the solver's graph.
 *
 * Tasks that must share a station become one node: its time is their sum,
 * its arcs the arcs that leave or enter the group.  Pairs that must be
 * apart become apart pairs of their nodes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "tasks.h"

void bal_tasks_free(bal_tasks *t)
{
    for (int i = 0; i < t->n && t->name; i++) free(t->name[i]);
    for (int p = 0; p < t->products && t->product; p++) free(t->product[p]);
    free(t->title); free(t->name); free(t->time_s); free(t->cv); free(t->product);
    free(t->share); free(t->ptime_s); free(t->from); free(t->to); free(t->group);
    free(t->apart_a); free(t->apart_b); free(t->line); free(t->col);
    memset(t, 0, sizeof *t);
}

int64_t bal_tasks_units(const bal_tasks *t, double seconds)
{
    return (int64_t)llround(seconds / t->unit_s);
}

int bal_tasks_graph(const bal_tasks *t, bal_graph *g, int **node_of, int *bad)
{
    int n = t->n, nodes = 0;
    int *node = malloc(((size_t)n + 1) * sizeof *node);
    int *of_group = malloc(((size_t)t->ngroups + 1) * sizeof *of_group);
    int64_t *time = calloc((size_t)n + 1, sizeof *time);
    int *from = malloc(((size_t)t->narcs + 1) * sizeof *from), *to = malloc(((size_t)t->narcs + 1) * sizeof *to);
    int rc = -1;
    *node_of = NULL;
    if (!node || !of_group || !time || !from || !to) goto out;
    for (int k = 0; k < t->ngroups; k++) of_group[k] = -1;
    for (int i = 0; i < n; i++) {
        int gr = t->group ? t->group[i] : -1;
        if (gr >= 0 && of_group[gr] >= 0) node[i] = of_group[gr];
        else {
            node[i] = nodes++;
            if (gr >= 0) of_group[gr] = node[i];
        }
        time[node[i]] += bal_tasks_units(t, t->time_s[i]);
    }
    int arcs = 0;
    for (int k = 0; k < t->narcs; k++)
        if (node[t->from[k]] != node[t->to[k]]) { from[arcs] = node[t->from[k]]; to[arcs] = node[t->to[k]]; arcs++; }
    int cyc = -1;
    rc = bal_graph_build(g, nodes, time, arcs, from, to, &cyc);
    if (rc == -2 && bad) {
        *bad = 0;
        for (int i = 0; i < n; i++) if (node[i] == cyc) { *bad = i; break; }
    }
    if (rc < 0) goto out;
    for (int k = 0; k < t->napart; k++)
        if (bal_graph_set_apart(g, node[t->apart_a[k]], node[t->apart_b[k]]) < 0) { bal_graph_free(g); rc = -1; goto out; }
    *node_of = node;
    node = NULL;
out:
    free(node); free(of_group); free(time); free(from); free(to);
    return rc;
}
