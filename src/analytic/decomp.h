/*
 * decomp.h — the decomposition of a serial line with finite buffers,
 * blocking after service and stations whose processing is phase-type
 * (ph.h: general cycles by two moments, operation-dependent failures).
 *
 * The line is cut at every buffer into a two-machine block: the machine
 * before the buffer as seen from it (its own phases, plus "starved"
 * phases that copy the phases of the station upstream, entered after a
 * hand-over with the probabilities the upstream block finds) and the
 * machine after it (its own phases, "starved", plus "blocked" phases that
 * copy the station downstream).  Each block is a small Markov chain solved
 * exactly, level by level in the buffer content; the blocks pass their
 * starving and blocking probabilities and the phase a neighbour is in when
 * they start, back and forth until nothing changes.  docs/estimate.md
 * gives the method and its references.
 */
#ifndef TAKT_ANALYTIC_DECOMP_H
#define TAKT_ANALYTIC_DECOMP_H

#include "analytic/ph.h"

enum { DS_WORKING = 0, DS_STARVED, DS_BLOCKED, DS_FAILED, DS_NSTATES };

typedef struct decomp_line {
    int k;                          /* stations (>= 1)                   */
    const ph *machine;              /* k                                 */
    const ph *compact;              /* k, as neighbours see them (ph_compact), */
                                    /* or NULL: the same as machine      */
    const long *capacity;           /* k-1 buffer capacities (>= 0)      */
    /* Optional (may be NULL): parts of block level n that are not in the
     * buffer itself (places in parallel servers counted into the block's
     * capacity); the buffer holds min(buffer_cap, max(0, n - offset)). */
    const long *offset, *buffer_cap;
    /* Optional (0 = the defaults): solve every block afresh in every sweep
     * instead of refining from its last factors (for tests), and the
     * change below which the sweeps stop (default 1e-5). */
    int fresh;
    double tolerance;
} decomp_line;

typedef struct decomp_result {
    double throughput;              /* parts per second                  */
    double *mean_level;             /* k-1, filled by decomp_solve       */
    double (*state)[DS_NSTATES];    /* k, fractions of time              */
    int iterations;
    double spread;                  /* max relative difference between the */
                                    /* blocks' throughputs (consistency) */
} decomp_result;

/* Solve; mean_level and state must point to arrays of the sizes above.
 * Returns 0; -1 out of memory; -2 a block would be too large (buffer
 * capacity times phases); -3 the iteration did not settle. */
int decomp_solve(const decomp_line *l, decomp_result *r);

/* The largest buffer capacity decomp_solve accepts with these phases. */
long decomp_max_capacity(void);

#endif
