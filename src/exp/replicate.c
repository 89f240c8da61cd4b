/*
 * replicate.c — replications on a pool of threads.
 *
 * Workers take replication numbers from a shared counter; each replication
 * owns its state and random streams (seeded from seed and replication
 * number), and writes its observation into its own slot.  The summary reads
 * the slots in order, so the result is identical for any number of threads.
 */
#include <stdlib.h>
#include <stdatomic.h>
#include <pthread.h>
#include <unistd.h>
#include "summary.h"
#include "cluster.h"

typedef struct pool_job {
    const takt_plant *p;
    int rank, size;                 /* this process's share: i % size == rank */
    run_limits lim;
    rep_obs *reps;
    int n;
    atomic_int next;
    atomic_int rc;                  /* first error, 0 if none            */
} pool_job;

static void *worker(void *arg)
{
    pool_job *j = arg;
    for (;;) {
        int k = atomic_fetch_add(&j->next, 1);
        int i = k * j->size + j->rank;
        if (i >= j->n || atomic_load(&j->rc) != 0) break;
        int rc = run_replication(j->p, &j->lim, i, &j->reps[i]);
        if (rc == 0 && j->lim.progress) j->lim.progress(j->lim.progress_ctx, i, 1.0);
        if (rc != 0) {
            int zero = 0;
            atomic_compare_exchange_strong(&j->rc, &zero, rc);
        }
    }
    return NULL;
}

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
}

void takt_options_default(takt_options *o) { exp_options_default(o); }

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

int exp_run(const takt_plant *p, const exp_options *o, takt_summary **out)
{
    pool_job j;
    j.p = p;
    j.n = o->replications > 0 ? o->replications : p->replications;
    j.lim.seed = o->have_seed ? o->seed : p->seed;
    j.lim.horizon = o->horizon >= 0 ? o->horizon : p->horizon;
    j.lim.warmup = o->warmup >= 0 ? o->warmup : p->warmup;
    j.lim.stop = o->stop;
    j.lim.progress = o->progress;
    j.lim.progress_ctx = o->progress_ctx;
    atomic_init(&j.next, 0);
    atomic_init(&j.rc, 0);
    j.rank = cluster_rank();
    j.size = cluster_size();
    j.reps = calloc((size_t)j.n, sizeof *j.reps);
    if (!j.reps) return -1;
    int mine = (j.n - j.rank + j.size - 1) / j.size;
    int nt = exp_threads(o->threads, mine > 0 ? mine : 1);
    pthread_t tid[256];
    int started = 0;
    for (int t = 1; t < nt; t++) {
        if (pthread_create(&tid[started], NULL, worker, &j) != 0) break;
        started++;
    }
    worker(&j);
    for (int t = 0; t < started; t++) pthread_join(tid[t], NULL);
    int rc = atomic_load(&j.rc);
    if (j.size > 1) {
        int g = cluster_gather_reps(p, j.reps, j.n);
        if (j.rank != 0) rc = g < 0 ? -1 : EXP_NOT_ROOT;
        else if (g < 0 && rc == 0) rc = g;
    }
    if (rc == 0 && j.rank != 0) rc = EXP_NOT_ROOT;
    if (rc == -3 && o->error) {
        for (int i = 0; i < j.n; i++)
            if (j.reps[i].error) { *o->error = j.reps[i].error; j.reps[i].error = NULL; break; }
    }
    if (rc != 0) {
        for (int i = 0; i < j.n; i++) rep_obs_free(&j.reps[i]);
        free(j.reps);
        return rc;
    }
    *out = summary_build(p, j.reps, j.n, j.lim.seed, j.lim.horizon, j.lim.warmup);
    if (!*out) {
        for (int i = 0; i < j.n; i++) rep_obs_free(&j.reps[i]);
        free(j.reps);
        return -1;
    }
    return 0;
}

int takt_simulate(const takt_plant *p, const takt_options *o, takt_summary **out)
{
    takt_options d;
    if (!o) { takt_options_default(&d); o = &d; }
    return exp_run(p, o, out);
}

const char *takt_version(void) { return TAKT_VERSION; }
