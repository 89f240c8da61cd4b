/*
 * bounds.h — lower bounds of line balancing.
 *
 * Stations for cycle time c (SALBP-1), after Scholl & Klein: LB1 the total
 * work over c; LB2 the tasks longer than c/2, which need a station each,
 * strengthened to Martello & Toth's L2 (the small tasks that do not fit
 * beside them); LB3 the same idea in thirds; and the
 * chain bound: a task cannot start before the stations its predecessors
 * fill, nor leave fewer than its followers need.
 *
 * Cycle time for m stations (SALBP-2): the longest task, the total over m,
 * and the pigeonhole bound — of the k*m+1 longest tasks some station holds
 * k+1, so c is at least the sum of the k+1 shortest of them.
 */
#ifndef TAKT_BALANCE_BOUNDS_H
#define TAKT_BALANCE_BOUNDS_H

#include <stdint.h>
#include "graph.h"

static inline int64_t bal_ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

/* Bin-packing bound (max of LB1, LB3 and Martello & Toth's L2, which
 * contains LB2) for items of the given times, sorted longest first. */
int bal_lb_items(const int64_t *t, int count, int64_t c);
/* Stations bound of the whole graph at cycle c (includes the chain bound). */
int bal_lb_stations(const bal_graph *g, int64_t c);
/* Cycle-time bound of the whole graph with m stations. */
int64_t bal_lb_cycle(const bal_graph *g, int m);

#endif
