/*
 * replicate.c — the options of a run, the number of threads, and the entry
 * points that simulate one plant.
 *
 * The replications themselves run on sweep.c's pool: workers take jobs from
 * a shared counter; each replication owns its state and random streams
 * (seeded from seed and replication number) and writes its observation into
 * its own slot, and the summary reads the slots in order, so the result is
 * identical for any number of threads or MPI ranks.
 */
#include <unistd.h>
#include "summary.h"
#include "sweep.h"
#include "improve.h"

void exp_options_default(exp_options *o)
{
    o->replications = 0;
    o->seed = 0; o->have_seed = 0;
    o->horizon = -1; o->warmup = -1;
    o->threads = 0;
    o->stop = NULL;
    o->progress = NULL;
    o->progress_ctx = NULL;
    o->error = NULL;
    o->bottleneck = EXP_BN_PAIRED;
    o->series = 0;
}

int exp_threads(int asked, int jobs)
{
    int n = asked;
    if (n <= 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        n = c > 0 ? (int)c : 1;
    }
    if (n > jobs) n = jobs;
    if (n > 256) n = 256;
    return n < 1 ? 1 : n;
}

/* One plant is a sweep of one: the pool, the MPI gather and the error
 * hand-over are sweep_run's (sweep.c).  Then its bottleneck is confirmed
 * by paired runs (improve.h), every rank taking part. */
int exp_run(const takt_plant *p, const exp_options *o, takt_summary **out)
{
    *out = NULL;
    int rc = sweep_run(&p, 1, o, out, NULL, NULL);
    if (o->bottleneck == EXP_BN_ACTIVE) return rc;
    int reps = o->replications > 0 ? o->replications : p->replications;
    rc = bottleneck_confirm(&p, 1, o, rc, out, reps);
    if (rc != 0 && *out) { summary_free(*out); *out = NULL; }
    return rc;
}
