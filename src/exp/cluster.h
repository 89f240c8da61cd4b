/*
 * cluster.h — replications spread over the processes of an MPI job.
 *
 * Built with Open MPI when it is present (TAKT_HAVE_MPI); otherwise, and
 * whenever takt is not started by mpirun, there is one process of rank 0
 * and every call here is trivial.  Replication i runs on rank i % size;
 * rank 0 gathers every observation and writes the reports, so the results
 * are byte-identical to a single-process run with the same seed.
 */
#ifndef TAKT_CLUSTER_H
#define TAKT_CLUSTER_H

#include <stdint.h>
#include "../model/run.h"

/* Call once at the start of main (MPI_Init only when launched by mpirun). */
int cluster_init(int *argc, char ***argv);
void cluster_finalize(void);
/* When this process fails while others may go on (a file missing on one
 * node), they would wait for it forever: in a job of several processes
 * this ends them all with `status` (MPI_Abort) and does not return.  Does
 * nothing in a single process.  main() calls it for a non-zero status. */
void cluster_abort(int status);
int cluster_rank(void);
int cluster_size(void);

/* Collect on rank 0 the observations run on other ranks: obs[k] (k < n)
 * was filled on rank k % size by a run of the plant plant_of(ctx, k).
 * After the call, rank 0 holds all n observations; other ranks keep theirs
 * (the caller frees them).  Every rank must call it, also after a failed
 * run.  Returns 0; on rank 0, -3 when a run on another rank stopped on a
 * problem of its plant (obs[k].error says what, stations NULL) and -1 when
 * some are missing for another reason (out of memory or interrupted
 * there); -1 on a communication or memory error. */
typedef const takt_plant *(*cluster_plant_fn)(const void *ctx, int k);
int cluster_gather(cluster_plant_fn plant_of, const void *ctx, rep_obs *obs, int n);

/* Rank 0's v[0..n-1] to every rank (a decision taken on rank 0 from the
 * results only it holds, such as which runs to do next).  Every rank must
 * call it with the same n.  Returns 0 or -1. */
int cluster_broadcast(int32_t *v, int n);

/* Serialise one observation (all arrays included) into a malloc'd buffer,
 * and back.  An observation of a run that did not finish (stations NULL)
 * travels as its error message alone.  Return 0 or -1. */
int rep_obs_pack(const takt_plant *p, const rep_obs *o, unsigned char **buf, size_t *len);
int rep_obs_unpack(const takt_plant *p, const unsigned char *buf, size_t len, rep_obs *o);

#endif
