/*
 * block.h — one two-machine block of the decomposition (decomp.c): its
 * layout (which (level, up phase, down phase) states exist), its events
 * (block.c) and its exact solution (block_solve.c).  Internal to
 * src/analytic.
 *
 * Block i holds buffer i (capacity N) between "up" = station i and
 * "down" = station i+1; see decomp.c for the phases of each side.
 */
#ifndef TAKT_ANALYTIC_BLOCK_H
#define TAKT_ANALYTIC_BLOCK_H

#include "analytic/ph.h"

#define NSIDE (2 * PH_MAX + 3)               /* phases of one side    */
#define MAX_LEVEL_DOUBLES (6L * 1000 * 1000)   /* R matrices of one block */

/* What block i knows of its neighbours. */
typedef struct starving {           /* station i's supply (from block i-1) */
    double after_done[PH_MAX + 1];  /* P(starved, station i-1 in phase p) */
    double after_unblock[PH_MAX + 1]; /*  after a hand-over ended a block */
    double rate_starved;            /* station i-1 leaves "starved"      */
    double rate_done;               /* it finishes a part while station i */
                                    /* waits for it (compact form only)  */
} starving;

typedef struct blocking {           /* station i+1's exit (from block i+1) */
    double after_done[PH_MAX + 1];  /* P(blocked, station i+2 in phase p) */
    double next_blocked;            /* P(station i+2 blocked after a part) */
    double rate_blocked;            /* station i+2 leaves "blocked"      */
    double rate_done;               /* it finishes a part while station i+1 */
                                    /* waits for room (compact form only) */
} blocking;

typedef struct block {
    const ph *up, *down, *prev, *next;  /* prev / next NULL at the ends  */
    const ph *upc, *downc;          /* up and down as their neighbours see them */
    int compact;                    /* neighbours in compact form: their */
                                    /* finishing rates come from the blocks */
    long cap;
    const starving *sv;
    const blocking *bk;
    /* layout */
    int nu, idle0, nidle, aB, A;    /* up: own, starved.., blocked       */
    int nd, bI, blk0, nblk, B;      /* down: own, starved, blocked..     */
    int *map[3];                    /* level type -> (a*B+b) -> local    */
    int m[3];
} block;

/* A target distribution of one side after an event. */
typedef struct choice { int n; int idx[NSIDE]; double w[NSIDE]; } choice;

enum { TAG_UP_DONE = 1, TAG_UP_BLOCK = 2, TAG_TAKE_DONE = 4,
       TAG_TAKE_UNBLOCK = 8, TAG_DOWN_IDLE = 16, TAG_DOWN_DONE = 32 };

typedef struct sink sink;
typedef void (*sink_fn)(sink *s, int n, int a, int b, int n2, int a2, int b2,
                        double rate, int tag);
struct sink { sink_fn add; };

/* ---- layout and events (block.c) ----------------------------------------- */

int block_layout(block *k);
void block_release(block *k);

static inline int level_type(const block *k, long n)
{
    return n == 0 ? 0 : n < k->cap ? 1 : 2;
}

static inline int valid(const block *k, long n, int a, int b)
{
    int upB = a == k->aB, downI = b == k->bI;
    if (upB && n != k->cap) return 0;
    if (downI && n != 0) return 0;
    return !(upB && downI);
}

static inline int local(const block *k, long n, int a, int b)
{
    return k->map[level_type(k, n)][a * k->B + b];
}

static inline int level_size(const block *k, long n) { return k->m[level_type(k, n)]; }

/* Every transition out of level n's states, to the sink. */
void level_events(const block *k, sink *s, long n);

/* ---- solving (block_solve.c) --------------------------------------------- */

/* Scratch space of the solver, grown to the largest block. */
typedef struct work {
    double *R;                      /* all R_n, packed                   */
    long *Roff;                     /* offset of R_n                     */
    double *pi;                     /* all levels, packed                */
    long *pioff;
    double *D, *U, *L, *Lprev, *S, *row;
    double *scratch;                /* one vector over all levels        */
    /* the block's transitions as a list (block_list): states (indices
     * into pi), rate, tag and the phases of both sides before and after */
    long *tfrom, *tto; double *trate;
    unsigned char *ttag, *ta, *tb, *ta2, *tb2;
    long ntr, trcap;
    int *piv;
    long levels;                    /* allocated for this many levels    */
    long rsize, pisize;
    int mmax;
} work;

/* Returns 0, -1 out of memory, -2 the block is too large. */
int work_fit(work *w, const block *k);
void work_release(work *w);

/* What a block's exact solution leaves behind for the next sweep: the
 * factored levels of the linear level reduction, the R and L matrices, and
 * the stationary vector.  A later solve of the same block with slightly
 * different figures from its neighbours starts from these (block_refine)
 * instead of factoring again. */
typedef struct fact {
    int valid;
    long rsize, pisize, ssize;
    double *R, *S, *pi;             /* R_n at work's Roff[n]; S_n at     */
    long *Soff;                     /* Soff[n]; pi at work's pioff[n]    */
    int *piv;                       /* at work's pioff[n]                */
    int *rrow;                      /* R_n's non-zero rows: rrow[pioff[n-1]..] */
    int *nrrow;                     /* how many, per level               */
    /* L_n (level n to n-1) by rows, sparse: row t of level n holds
     * entries Lptr[pioff[n] + n + t] .. Lptr[pioff[n] + n + t + 1] - 1 */
    long *Lptr; int *Lcol; double *Lval;
} fact;

/* Doubles a fact of block k holds (for a memory budget). */
long fact_doubles(const block *k);
/* Returns 0, or -1 out of memory. */
int fact_init(fact *f, const block *k);
void fact_release(fact *f);

/* The stationary distribution of block k (work_fit first) into w->pi, by
 * linear level reduction; with f != NULL its factors are kept there.
 * Returns 0, or -3 a singular level. */
int block_solve(const block *k, work *w, fact *f);

/* List the transitions of block k (after work_fit) in w, for
 * block_refine and for the flows the block passes on.  Returns 0, or -1
 * out of memory. */
int block_list(const block *k, work *w);

/* The same from the kept factors of an earlier solve (block_list first): iterative
 * refinement, pi += delta with delta Q_old = -pi Q, until |pi Q| is below
 * tol times the flow through the states.  Returns 0 when it is (w->pi and
 * f->pi hold the answer), 1 when the figures moved too far for the old
 * factors (solve afresh). */
int block_refine(const block *k, work *w, fact *f, double tol);

#endif
