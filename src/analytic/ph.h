/*
 * ph.h — a station's processing of one part as a phase-type (PH)
 * distribution: the phases of its cycle (fitted to the cycle time's first
 * two moments) crossed with its operation-dependent failure modes.  The
 * decomposition (decomp.c) builds its two-machine blocks from these.
 *
 * A part enters phase j with probability alpha[j]; the PH moves between
 * phases at rates g[j][k] (j != k) and the part is done from phase j at
 * rate done[j].  Phases flagged failed are repairs: a failure that strikes
 * in a working phase returns to that same phase when repaired, so the
 * remaining work resumes as the simulator does.
 */
#ifndef TAKT_ANALYTIC_PH_H
#define TAKT_ANALYTIC_PH_H

#define PH_MAX 12                   /* phases of one station             */
#define PH_MAX_ERLANG 4             /* cycle phases when SCV < 1: SCV >= 1/4;
                                     * more would make the blocks (~phases^2
                                     * states a level) too slow for the
                                     * milliseconds the estimate is for   */

typedef struct ph {
    int n;
    double alpha[PH_MAX];
    double g[PH_MAX][PH_MAX];
    double done[PH_MAX];
    unsigned char failed[PH_MAX];
    unsigned char mode[PH_MAX];     /* 0 working, 1 + f repairing mode f: */
                                    /* the phase in the compact form     */
    double out[PH_MAX];             /* total rate out of phase j (g + done) */
} ph;

/* Fit the cycle (mean > 0, squared coefficient of variation scv >= 0) and
 * add nfail exponential failure modes (ttf, ttr means; ttf > 0, ttr > 0)
 * whose clocks run while the station works.  Returns 0, or -1 when the
 * phases would exceed PH_MAX.  *exact is set to 0 when the fit could not
 * match the SCV (below 1/PH_MAX_ERLANG). */
int ph_station(ph *out, double mean, double scv, int nfail,
               const double *ttf, const double *ttr, int *exact);

/* The compact form of a station as its neighbours see it: one exponential
 * working phase with the same mean cycle, and the same failure modes.  A
 * phase j of the full form corresponds to phase mode[j] of this one. */
int ph_compact(ph *out, const ph *full, double mean, int nfail,
               const double *ttf, const double *ttr);

/* Fractions of time in working and failed phases while the PH is busy
 * (busy = between start and completion of a part): pi_j of the PH's
 * renewal process.  Used for a station that is never starved or blocked. */
void ph_busy_fractions(const ph *p, double *working, double *failed);

/* Mean time to process one part (including repairs). */
double ph_mean(const ph *p);

#endif
