/*
 * tasks.h — a line-balancing problem as the user states it: named tasks
 * with times in seconds (one per product for a mixed-model line), their
 * precedence, task-time variability, and zoning (tasks that must share a
 * station, tasks that must not).  Readers in src/io fill it; bal_tasks_graph
 * turns it into the whole-number graph the solver works on.
 */
#ifndef TAKT_BALANCE_TASKS_H
#define TAKT_BALANCE_TASKS_H

#include "graph.h"

typedef struct bal_tasks {
    char *title;            /* the problem's name (may be NULL)            */
    int n;                  /* tasks                                       */
    char **name;            /* n names                                     */
    double *time_s;         /* n: mix-weighted time (the time balanced)    */
    double *cv;             /* n: coefficient of variation (0: fixed)      */
    int *line, *col;        /* n: where each task is defined (0: unknown)  */
    int products;           /* 0 for a single-model line                   */
    char **product;         /* product names                               */
    double *share;          /* shares, summing to 1                        */
    double *ptime_s;        /* n * products: time of task i for product p at [i*products+p] */
    int narcs;
    int *from, *to;         /* from[k] before to[k]                        */
    int ngroups;            /* together zones: tasks with the same group id share a station */
    int *group;             /* n: group id, or -1                          */
    int napart;
    int *apart_a, *apart_b; /* pairs that may not share a station          */
    double takt_s;          /* SALBP-1 cycle time, 0 when not given         */
    int stations;           /* SALBP-2 station count, 0 when not given      */
    double unit_s;          /* seconds per whole-number time unit            */
} bal_tasks;

void bal_tasks_free(bal_tasks *t);

/* The solver's graph: one node per together group or lone task, times in
 * units of t->unit_s; node_of (n ints, malloc'd) maps each task to its
 * node.  Returns 0; -1 out of memory; -2 the zoning makes a cycle (a task
 * between two of a together group is not in it): *bad gets such a task. */
int bal_tasks_graph(const bal_tasks *t, bal_graph *g, int **node_of, int *bad);

/* Whole-number time of x seconds in the problem's unit (rounded). */
int64_t bal_tasks_units(const bal_tasks *t, double seconds);

#endif
