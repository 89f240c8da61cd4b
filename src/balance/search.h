/*
 * search.h — the exact station-oriented search shared by SALBP-1 and
 * SALBP-2 (see solve.h for the method).
 */
#ifndef TAKT_BALANCE_SEARCH_H
#define TAKT_BALANCE_SEARCH_H

#include "graph.h"

typedef struct bal_search_result {
    int found;              /* an assignment with <= target stations was found */
    int stations;           /* its stations (the fewest found)             */
    int complete;           /* the search ran to its end: nothing better exists */
    long long nodes;
} bal_search_result;

/* Look for an assignment at cycle c with at most target stations; keep
 * improving it unless first_only.  station (n ints, 1-based) receives the
 * best one found.  deadline: bal_clock() time to stop (<= 0: none).
 * shuffle 0 tries each station's loads least idle first; another value
 * perturbs that order (by up to c/16) so that a restart explores other
 * branches near the top of the tree.  max_loads > 0 tries at most that
 * many loads per state (the first found, longest tasks first): a fast
 * heuristic dive that proves nothing.  0, or -1 out of memory. */
int bal_search(const bal_graph *g, int64_t c, int target, int first_only,
               double deadline, uint64_t shuffle, size_t max_loads, int *station,
               bal_search_result *r);

/* The same search in cyclic best-first order (cbfs.c): the same answers
 * and proofs, found in another order.  It keeps every state, so it can be
 * run in slices (each bal_cbfs_run goes on where the last stopped) and it
 * stops for good, incomplete, when its store of states is full. */
typedef struct bal_cbfs bal_cbfs;
bal_cbfs *bal_cbfs_open(const bal_graph *g, int64_t c, int target, int first_only, int *station);
/* An answer with target stations is known elsewhere: look for fewer. */
void bal_cbfs_target(bal_cbfs *b, int target);
/* Search until deadline (bal_clock() time, <= 0: none), but expand at
 * least one state whole unless hard (<= 0: none) comes first; r as
 * bal_search, nodes counting this slice.  0, or -1 out of memory. */
int bal_cbfs_run(bal_cbfs *b, double deadline, double hard, bal_search_result *r);
void bal_cbfs_close(bal_cbfs *b);

#endif
