/*
 * optimise_estimate.c — the analytic estimates of the search of `takt
 * optimise`, a batch at a time on worker threads.  Each design is built
 * and estimated on its own, so the values do not depend on the threads;
 * no simulation, so nothing travels between MPI ranks (each rank computes
 * the same estimates).
 */
#include "exp/optimise_internal.h"
#include "analytic/estimate.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Estimates of a batch on worker threads: each design is built and
 * estimated on its own, so the values do not depend on the threads. */
typedef struct est_job {
    table *t;
    const long *ks;
    int n, next, rc;
    long done;
    pthread_mutex_t lock;
} est_job;

static void *est_worker(void *arg)
{
    est_job *j = arg;
    table *t = j->t;
    for (;;) {
        pthread_mutex_lock(&j->lock);
        int i = j->next++;
        int stop = j->rc != 0 || (t->pr->run.stop && *t->pr->run.stop);
        pthread_mutex_unlock(&j->lock);
        if (i >= j->n || stop) return NULL;
        entry *e = &t->e[j->ks[i]];
        char msg[512];
        const opt_problem *pr = t->pr;
        char *buf = malloc((size_t)pr->n * 512);
        const char *sets[OPT_MAX_DECISIONS];
        int rc = 0;
        if (!buf) rc = -1;
        for (int q = 0; !rc && q < pr->n; q++) {
            optimise_setting(pr, q, e->x[q], buf + q * 512, 512);
            sets[q] = buf + q * 512;
        }
        takt_plant *pl = rc ? NULL : pr->build(pr->ctx, sets, pr->n, msg, (int)sizeof msg);
        free(buf);
        estimate es;
        memset(&es, 0, sizeof es);
        if (!rc && !pl) rc = -4;
        if (!rc && estimate_plant(pl, &es) != 0) rc = -1;
        if (pl) takt_plant_free(pl);
        pthread_mutex_lock(&j->lock);
        if (rc && !j->rc) {
            j->rc = rc;
            if (rc == -4) snprintf(t->msg, (size_t)t->msglen, "%s", msg);
        }
        if (!rc) {
            e->est = es.applicable ? es.throughput_per_hour : NAN;
            e->estimated = 1;
            j->done++;
        }
        pthread_mutex_unlock(&j->lock);
        estimate_free(&es);
    }
}

int opt_estimate_batch(table *t, const long *ks, int n)
{
    long todo[4 * OPT_MAX_DECISIONS * OPT_MAX_DECISIONS];
    int m = 0;
    for (int i = 0; i < n && m < (int)(sizeof todo / sizeof todo[0]); i++) {
        int dup = 0;
        for (int k = 0; k < m; k++) dup |= todo[k] == ks[i];
        if (!t->e[ks[i]].estimated && !dup) todo[m++] = ks[i];
    }
    if (m == 0) return 0;
    est_job j;
    memset(&j, 0, sizeof j);
    j.t = t; j.ks = todo; j.n = m;
    pthread_mutex_init(&j.lock, NULL);
    int nt = exp_threads(t->pr->run.threads, m);
    pthread_t th[64];
    if (nt > 64) nt = 64;
    int started = 0;
    for (int i = 1; i < nt; i++)
        if (pthread_create(&th[started], NULL, est_worker, &j) == 0) started++;
    est_worker(&j);
    for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
    pthread_mutex_destroy(&j.lock);
    t->estimated += j.done;
    if (j.rc) return j.rc;
    if (t->pr->run.stop && *t->pr->run.stop) return -2;
    return 0;
}
