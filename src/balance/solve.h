/*
 * solve.h — the line-balancing solvers.
 *
 * SALBP-1 (fewest stations for cycle time c) is a station-oriented
 * branch-and-bound in the manner of SALOME (Scholl & Klein 1997) and BB&R
 * (Sewell & Jacobson 2012): stations are filled one at a time with every
 * maximal load that no other load dominates (Jackson's rule), states are
 * pruned by the bin-packing and chain bounds and remembered in a table of
 * visited task sets.  A priority-rule heuristic gives the first answer, so
 * a search stopped by its time limit still returns the best assignment
 * found with its gap to the bound.
 *
 * SALBP-2 (shortest cycle for m stations) searches the cycle time between
 * its lower bound and a heuristic answer, asking the SALBP-1 search whether
 * m stations suffice.
 */
#ifndef TAKT_BALANCE_SOLVE_H
#define TAKT_BALANCE_SOLVE_H

#include "graph.h"

typedef struct bal_answer {
    int stations;           /* stations of the assignment                  */
    int64_t cycle;          /* cycle time it respects (SALBP-2: the best)  */
    int *station;           /* station of each task, 1-based; malloc'd     */
    int lower_bound;        /* SALBP-1: proven bound on stations           */
    int64_t cycle_bound;    /* SALBP-2: proven bound on the cycle time     */
    int optimal;            /* the answer meets its bound                  */
    int timed_out;          /* the time limit stopped the search           */
    long long nodes;        /* search states expanded                      */
    double seconds;
} bal_answer;

/* time_limit in seconds (<= 0: none).  Return 0; -1 out of memory; -2 no
 * answer exists (a task longer than c, or apart pairs that cannot be met
 * with any number of stations never happen: one task a station always
 * works). */
int bal_salbp1(const bal_graph *g, int64_t c, double time_limit, bal_answer *a);
int bal_salbp2(const bal_graph *g, int m, double time_limit, bal_answer *a);
void bal_answer_free(bal_answer *a);

/* Priority-rule heuristic: fills *station (1-based), returns stations used,
 * or -1 out of memory. */
int bal_heuristic(const bal_graph *g, int64_t c, int *station);

/* Hoffmann's rule with weights (hoffmann.c), forward and backward over a
 * grid of weights, until an answer with goal stations or deadline
 * (bal_clock() time, <= 0: none).  Looks for fewer than best_m stations:
 * returns the stations found (station filled, 1-based) when it found
 * fewer, 0 when it did not, -1 out of memory, -2 a task longer than c. */
int bal_hoffmann(const bal_graph *g, int64_t c, int goal, int best_m, double deadline, int *station);

/* Whether an assignment is feasible: every task in 1..stations, each
 * predecessor in the same or an earlier station, each station's time <= c,
 * apart pairs in different stations.  0 when it is, else -1 with a reason
 * in why. */
int bal_check(const bal_graph *g, int64_t c, int stations, const int *station,
              char *why, int why_len);

double bal_clock(void);     /* monotonic seconds */

#endif
