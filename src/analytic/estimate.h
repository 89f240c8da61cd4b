/*
 * estimate.h — the analytic estimate of a plant: applicability, then the
 * decomposition (decomp.h) of the line the plant describes.  No events, no
 * I/O: `takt estimate`, `takt run` and the optimiser call it.
 *
 * A plant the method cannot describe is not estimated: the result lists
 * every feature outside the method, so no number is ever silently wrong.
 */
#ifndef TAKT_ANALYTIC_ESTIMATE_H
#define TAKT_ANALYTIC_ESTIMATE_H

#include "model/plant.h"
#include "analytic/decomp.h"

#define ESTIMATE_METHOD "decomposition"

typedef struct estimate {
    int applicable;
    char **unsupported; int nunsupported;   /* when not applicable       */
    const char *method;                     /* ESTIMATE_METHOD           */
    double throughput_per_hour;             /* parts leaving the line end */
    int nstations, nbuffers;                /* the plant's               */
    double *mean_level;                     /* per plant buffer          */
    double (*state)[DS_NSTATES];            /* per plant station         */
    int iterations;
    double spread;                          /* see decomp_result         */
    int approximate;                        /* a two-moment fit or a */
                                            /* parallel-server station was */
                                            /* approximated (see docs)   */
} estimate;

/* Estimate p.  Returns 0 (e->applicable says whether there is a number),
 * -1 out of memory.  Free with estimate_free. */
int estimate_plant(const takt_plant *p, estimate *e);
void estimate_free(estimate *e);

#endif
