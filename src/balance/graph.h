/*
 * graph.h — the precedence graph a line-balancing solver works on: tasks
 * with whole-number times (in units of unit_s seconds), direct arcs both
 * ways, the transitive followers of every task, and pairs of tasks that
 * may not share a station.
 *
 * Times are whole numbers so that the bin-packing bounds and the idle-time
 * budget are exact; the task-file reader chooses the unit (1 s for the
 * benchmark formats, 1 ms for task files with fractional seconds).
 */
#ifndef TAKT_BALANCE_GRAPH_H
#define TAKT_BALANCE_GRAPH_H

#include <stdint.h>

typedef struct bal_graph {
    int n;                  /* tasks 0..n-1                                */
    int words;              /* 64-bit words of a task set                  */
    int64_t *t;             /* time of each task                           */
    int64_t total;          /* sum of t                                    */
    int64_t tmax;
    int *pstart, *pred;     /* direct predecessors of i: pred[pstart[i]..pstart[i+1]) */
    int *sstart, *succ;     /* direct successors, the same way             */
    uint64_t *follow;       /* transitive followers: n sets of words each  */
    int64_t *tail;          /* t[i] + time of all followers of i           */
    int64_t *head;          /* t[i] + time of all predecessors of i        */
    uint64_t *apart;        /* n sets: tasks i may not share a station with, or NULL */
    int *topo;              /* a topological order                          */
} bal_graph;

/* Build from n times and narcs arcs (from[k] before to[k]); duplicate arcs
 * are allowed.  Returns 0; -1 out of memory; -2 the arcs contain a cycle
 * (then *cycle_task, if not NULL, gets a task on it). */
int bal_graph_build(bal_graph *g, int n, const int64_t *t,
                    int narcs, const int *from, const int *to, int *cycle_task);
/* Mark tasks a and b as not allowed in one station (after build). 0 or -1. */
int bal_graph_set_apart(bal_graph *g, int a, int b);
/* The same tasks with every arc turned round (stations counted from the end). */
int bal_graph_reverse(const bal_graph *g, bal_graph *r);
void bal_graph_free(bal_graph *g);

static inline int bal_set_has(const uint64_t *s, int i)
{ return (int)((s[i >> 6] >> (i & 63)) & 1u); }
static inline void bal_set_add(uint64_t *s, int i) { s[i >> 6] |= (uint64_t)1 << (i & 63); }
static inline void bal_set_del(uint64_t *s, int i) { s[i >> 6] &= ~((uint64_t)1 << (i & 63)); }

#endif
