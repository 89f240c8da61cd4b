/*
 * search_impl.h — the state of the station-oriented search, shared by its
 * depth-first driver (search.c) and its cyclic best-first driver (cbfs.c):
 * both expand a state the same way, only the order of states differs.
 * Private to src/balance.
 */
#ifndef TAKT_BALANCE_SEARCH_IMPL_H
#define TAKT_BALANCE_SEARCH_IMPL_H

#include <stddef.h>
#include "graph.h"
#include "memo.h"

#define MEMO_BYTES ((size_t)192 << 20)

typedef struct load_rec {
    size_t off;             /* first task in the task stack                */
    int len;
    int64_t time;
    int64_t key;            /* order of trial: the time, perturbed on restarts */
} load_rec;

typedef struct search {
    const bal_graph *g;
    int64_t c;
    int n;
    size_t W;
    int target, best, first_only, stop;
    uint64_t shuffle;       /* 0: least idle first; else a seed perturbing that order */
    size_t max_loads;       /* loads tried per state, 0: all (else a heuristic dive) */
    size_t node_base;       /* first load of the state being expanded */
    int cut, truncated;     /* this state's loads were cut short; any were */
    int *best_station, *station;
    uint64_t *assigned, *loadset, *zob;
    uint64_t *anc;          /* n sets: the transitive predecessors of each task */
    int *npred, *need;
    int *by_time;           /* tasks longest first, for the bounds */
    int64_t remaining, min_load;
    int64_t reach;          /* work of the tasks that could still join this station */
    char *inreach;          /* which tasks those are (a task made available by
                             * the load may not be: it is then never counted) */
    bal_memo memo;
    int *dom_start, *dom;   /* tasks dominating each task */
    int64_t *scratch;
    int *cand, ncand;
    char *inload, *urgent;
    int urgent_count, urgent_in, nload;
    int *load;              /* the load being built */
    int *tasks; size_t ntasks, tasks_cap;
    load_rec *recs; size_t nrecs, recs_cap;
    double deadline;
    long long nodes, ticks;
    int oom;
} search;

/* Set up for cycle c and the given target (stations of an answer worth
 * finding); best_station receives the answers.  0, or -1 out of memory
 * (then nothing needs freeing). */
int bal_search_open(search *s, const bal_graph *g, int64_t c, int target, double deadline,
                    uint64_t shuffle, size_t max_loads, int *best_station);
void bal_search_close(search *s);
/* The state is the tasks with station[i] != 0 (assigned, npred and
 * remaining agree with it), filled into m stations.  Pushes the loads worth
 * trying for station m+1 onto recs from the current s->nrecs, best first,
 * and returns how many; -1 when the bounds rule the state out. */
int bal_search_loads(search *s, int m);
void bal_search_tick(search *s);
uint64_t bal_mix64(uint64_t x);

#endif
