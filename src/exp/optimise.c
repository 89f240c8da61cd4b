/*
 * optimise.c — search and selection for `takt optimise` (see optimise.h
 * and docs/optimise.md).
 *
 * Every design judged is kept in a table with what is known of it (the
 * estimate, the simulated replications), so no design is built, estimated
 * or simulated twice (a design simulated again only gets its next
 * replications).  Simulations go in batches through sweep_run_part, so
 * they use every thread and MPI rank; after each batch rank 0 sends the
 * replications' throughputs to every rank, and all ranks then take the
 * same decisions: the answer depends only on the plant, the seed and the
 * options, never on how many threads or ranks ran it.
 */
#include "exp/optimise_internal.h"
#include "exp/sweep.h"
#include "exp/cluster.h"
#include "analytic/estimate.h"
#include "core/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef TAKT_HAVE_MPI
#include <mpi.h>
#endif

#define MAX_ROUNDS 200              /* exchange rounds of the search     */
#define MAX_VALUE_LEN 32

static long vsum(const long *x, int n)
{
    long s = 0;
    for (int i = 0; i < n; i++) s += x[i];
    return s;
}

void optimise_setting(const opt_problem *pr, int i, long v, char *buf, int len)
{
    snprintf(buf, (size_t)len, "%s=%ld", pr->d[i].path, v);
}

int optimise_check(const opt_problem *pr, char *err, int errlen)
{
    long lo = 0, hi = 0;
    if (pr->n < 1) { snprintf(err, (size_t)errlen, "nothing to vary (give --vary PATH=LO..HI)"); return -1; }
    for (int i = 0; i < pr->n; i++) {
        if (pr->d[i].lo > pr->d[i].hi || pr->d[i].lo < 0) {
            snprintf(err, (size_t)errlen, "--vary %s=%ld..%ld: the range must be 0 <= LO <= HI",
                     pr->d[i].path, pr->d[i].lo, pr->d[i].hi);
            return -1;
        }
        lo += pr->d[i].lo; hi += pr->d[i].hi;
    }
    if (pr->total >= 0 && (pr->total < lo || pr->total > hi)) {
        snprintf(err, (size_t)errlen, "--total %ld cannot be met: the varied settings add up to "
                 "between %ld and %ld with these ranges", pr->total, lo, hi);
        return -1;
    }
    if (pr->objective == OPT_MIN_TOTAL && !(pr->target_per_hour > 0)) {
        snprintf(err, (size_t)errlen, "--objective min-total needs --target 'throughput>=N/h'");
        return -1;
    }
    if (pr->objective == OPT_MIN_TOTAL && pr->total >= 0) {
        snprintf(err, (size_t)errlen, "--total and --objective min-total exclude each other "
                 "(min-total finds the total)");
        return -1;
    }
    return 0;
}

/* ---- the table of designs ------------------------------------------------ */

static long find(const table *t, const long *x)
{
    for (long k = 0; k < t->n; k++)
        if (!memcmp(t->e[k].x, x, sizeof(long) * (size_t)t->pr->n)) return k;
    return -1;
}

static long intern(table *t, const long *x)
{
    long k = find(t, x);
    if (k >= 0) return k;
    if (t->n == t->cap) {
        long cap = t->cap ? 2 * t->cap : 64;
        entry *e = realloc(t->e, sizeof(entry) * (size_t)cap);
        if (!e) return -1;
        t->e = e; t->cap = cap;
    }
    entry *e = &t->e[t->n];
    memset(e, 0, sizeof *e);
    if (!(e->x = malloc(sizeof(long) * (size_t)t->pr->n))) return -1;
    memcpy(e->x, x, sizeof(long) * (size_t)t->pr->n);
    e->sum = vsum(x, t->pr->n);
    return t->n++;
}

static takt_plant *build(table *t, const long *x)
{
    const opt_problem *pr = t->pr;
    char *buf = malloc((size_t)pr->n * 512);
    const char *sets[OPT_MAX_DECISIONS];
    if (!buf) return NULL;
    for (int i = 0; i < pr->n; i++) {
        optimise_setting(pr, i, x[i], buf + i * 512, 512);
        sets[i] = buf + i * 512;
    }
    takt_plant *p = pr->build(pr->ctx, sets, pr->n, t->msg, t->msglen);
    free(buf);
    return p;
}

/* The estimate of design k (NAN when the method does not apply). */
static int estimate_entry(table *t, long k)
{
    entry *e = &t->e[k];
    if (e->estimated) return 0;
    takt_plant *p = build(t, e->x);
    if (!p) return -4;
    estimate es;
    int rc = estimate_plant(p, &es);
    takt_plant_free(p);
    if (rc != 0) { estimate_free(&es); return -1; }
    e->est = es.applicable ? es.throughput_per_hour : NAN;
    e->estimated = 1;
    t->estimated++;
    estimate_free(&es);
    return 0;
}

static void share(double *v, long n)
{
#ifdef TAKT_HAVE_MPI
    if (cluster_size() > 1) MPI_Bcast(v, (int)n, MPI_DOUBLE, 0, MPI_COMM_WORLD);
#else
    (void)v; (void)n;
#endif
}

static void summarise(entry *e)
{
    double m = 0, s = 0;
    int n = e->nreps;
    for (int r = 0; r < n; r++) m += e->reps[r];
    m /= n;
    for (int r = 0; r < n; r++) s += (e->reps[r] - m) * (e->reps[r] - m);
    e->sim.mean = m;
    e->sim.ci95 = n > 1 ? student_t975(n - 1) * sqrt(s / (n - 1) / n) : INFINITY;
}

int opt_simulate_to(table *t, const long *ks, int n, int upto)
{
    long *todo = malloc(sizeof(long) * (size_t)(n ? n : 1));
    const takt_plant **plants = calloc((size_t)(n ? n : 1), sizeof *plants);
    takt_summary **sums = calloc((size_t)(n ? n : 1), sizeof *sums);
    int *rep0 = malloc(sizeof(int) * (size_t)(n ? n : 1));
    int *nrep = malloc(sizeof(int) * (size_t)(n ? n : 1));
    double *reps = NULL;
    long nall = 0;
    int m = 0, rc = 0;
    if (!todo || !plants || !sums || !rep0 || !nrep) { rc = -1; goto done; }
    for (int i = 0; i < n; i++) {
        int dup = 0;
        for (int j = 0; j < m; j++) dup |= todo[j] == ks[i];
        if (t->e[ks[i]].nreps < upto && !dup) todo[m++] = ks[i];
    }
    if (m == 0) goto done;
    for (int i = 0; i < m; i++) {
        entry *e = &t->e[todo[i]];
        if (!e->plant && !(e->plant = build(t, e->x))) { rc = -4; goto done; }
        if (e->cap < upto) {
            double *v = realloc(e->reps, sizeof(double) * (size_t)upto);
            if (!v) { rc = -1; goto done; }
            e->reps = v; e->cap = upto;
        }
        plants[i] = e->plant;
        rep0[i] = e->nreps;
        nrep[i] = upto - e->nreps;
        nall += nrep[i];
    }
    if (!(reps = calloc((size_t)nall + 1, sizeof(double)))) { rc = -1; goto done; }
    int failed = 0;
    char *why = NULL;
    exp_options o = t->pr->run;
    o.error = &why;
    int s = sweep_run_part(plants, m, rep0, nrep, &o, sums, NULL, &failed);
    double status = s == EXP_NOT_ROOT ? 0 : s;
    share(&status, 1);              /* every rank learns how rank 0 fared */
    if (status != 0) {
        if ((int)status == -3)
            snprintf(t->msg, (size_t)t->msglen, "a design deadlocked: %s", why ? why : "");
        rc = (int)status == -3 ? -4 : (int)status;
        free(why);
        goto done;
    }
    free(why);
    if (s == 0)
        for (int i = 0, q = 0; i < m; i++)
            for (int r = 0; r < nrep[i]; r++, q++)
                reps[q] = r < sums[i]->replications ? sums[i]->reps[r].throughput_per_hour : NAN;
    share(reps, nall);
    for (int i = 0, q = 0; i < m; i++) {
        entry *e = &t->e[todo[i]];
        if (e->nreps == 0) t->evaluated++;
        memcpy(e->reps + e->nreps, reps + q, sizeof(double) * (size_t)nrep[i]);
        q += nrep[i];
        e->nreps = upto;
        summarise(e);
    }
    t->replications += nall;
done:
    for (int i = 0; sums && i < n; i++) if (sums[i]) summary_free(sums[i]);
    free(todo); free(plants); free(sums); free(rep0); free(nrep); free(reps);
    return rc;
}

/* Simulate the designs ks[0..n-1] with the replications the search uses. */
static int simulate(table *t, const long *ks, int n)
{
    return opt_simulate_to(t, ks, n, t->Rs);
}

/* The value the search compares: the estimate, or the simulated mean. */
static int judge(table *t, const long *ks, int n)
{
    if (t->by_estimate) return opt_estimate_batch(t, ks, n);
    return simulate(t, ks, n);
}

static double value(const table *t, long k)
{
    return t->by_estimate ? t->e[k].est : t->e[k].sim.mean;
}

/* Reaches the target: the estimate does, or the simulation does with 95 %
 * confidence (its interval lies above the target). */
static int meets(const table *t, long k)
{
    if (t->by_estimate) return t->e[k].est >= t->pr->target_per_hour;
    return t->e[k].sim.mean - t->e[k].sim.ci95 >= t->pr->target_per_hour;
}

/* ---- the search ------------------------------------------------------------ */

/* Judge x with decision i changed by di and decision j by dj (j < 0: none);
 * the design's index in *k, or -1 when it leaves a range. */
static int neighbour(table *t, const long *x, int i, long di, int j, long dj, long *k)
{
    const opt_problem *pr = t->pr;
    long y[OPT_MAX_DECISIONS];
    memcpy(y, x, sizeof(long) * (size_t)pr->n);
    y[i] += di;
    if (j >= 0) y[j] += dj;
    *k = -1;
    for (int q = 0; q < pr->n; q++)
        if (y[q] < pr->d[q].lo || y[q] > pr->d[q].hi) return 0;
    if ((*k = intern(t, y)) < 0) return -1;
    return 0;
}

/* Add units one at a time where they gain most, until the budget is
 * spent (or, for min-total, the target is met; with neither, while a unit
 * still gains).  x is updated; *cur its index. */
static int ascend(table *t, long *x, long *cur)
{
    const opt_problem *pr = t->pr;
    long ks[OPT_MAX_DECISIONS];
    int rc;
    if ((*cur = intern(t, x)) < 0) return -1;
    if ((rc = judge(t, cur, 1))) return rc;
    for (;;) {
        if (pr->total >= 0 && vsum(x, pr->n) >= pr->total) return 0;
        if (pr->objective == OPT_MIN_TOTAL && meets(t, *cur)) return 0;
        int m = 0;
        for (int i = 0; i < pr->n; i++) {
            long k;
            if (neighbour(t, x, i, 1, -1, 0, &k)) return -1;
            if (k >= 0) ks[m++] = k;
        }
        if (m == 0) return 0;
        if ((rc = judge(t, ks, m))) return rc;
        long best = ks[0];
        for (int i = 1; i < m; i++) if (value(t, ks[i]) > value(t, best)) best = ks[i];
        if (pr->total < 0 && pr->objective == OPT_MAX_THROUGHPUT &&
            !(value(t, best) > value(t, *cur) * (1 + 1e-9)))
            return 0;
        *cur = best;
        memcpy(x, t->e[best].x, sizeof(long) * (size_t)pr->n);
    }
}

/* The budget spread as evenly as the ranges allow: every setting at its
 * low end, then one unit each in turn to those below their high end. */
static void spread(const opt_problem *pr, long *x)
{
    long left = pr->total;
    for (int i = 0; i < pr->n; i++) { x[i] = pr->d[i].lo; left -= x[i]; }
    while (left > 0)
        for (int i = 0; i < pr->n && left > 0; i++)
            if (x[i] < pr->d[i].hi) { x[i]++; left--; }
}

/* Exchanges under a fixed total: move a unit from the setting whose loss
 * is smallest to the one whose gain is largest while that helps; for
 * min-total, drop units while the target stays met. */
static int exchange(table *t, long *x, long *cur)
{
    const opt_problem *pr = t->pr;
    long minus[OPT_MAX_DECISIONS], plus[OPT_MAX_DECISIONS], ks[2 * OPT_MAX_DECISIONS];
    int rc;
    for (int round = 0; round < MAX_ROUNDS; round++) {
        int m = 0;
        for (int i = 0; i < pr->n; i++) {
            if (neighbour(t, x, i, -1, -1, 0, &minus[i])) return -1;
            if (neighbour(t, x, i, 1, -1, 0, &plus[i])) return -1;
            if (minus[i] >= 0) ks[m++] = minus[i];
            if (plus[i] >= 0 && pr->objective == OPT_MAX_THROUGHPUT) ks[m++] = plus[i];
        }
        if ((rc = judge(t, ks, m))) return rc;
        if (pr->objective == OPT_MIN_TOTAL) {
            long best = -1;
            for (int i = 0; i < pr->n; i++)
                if (minus[i] >= 0 && meets(t, minus[i]) &&
                    (best < 0 || value(t, minus[i]) > value(t, best)))
                    best = minus[i];
            if (best < 0) return 0;
            *cur = best;
            memcpy(x, t->e[best].x, sizeof(long) * (size_t)pr->n);
            continue;
        }
        if (pr->total < 0) return 0;
        /* every pair (i gives, j takes), best first, until one helps */
        int moved = 0;
        double v0 = value(t, *cur);
        for (int tries = 0; tries < 3 && !moved; tries++) {
            int bi = -1, bj = -1;
            double score = -INFINITY;
            for (int i = 0; i < pr->n; i++) {
                if (minus[i] < 0) continue;
                for (int j = 0; j < pr->n; j++) {
                    if (j == i || plus[j] < 0) continue;
                    double s = (value(t, plus[j]) - v0) - (v0 - value(t, minus[i]));
                    long k = -1;
                    long y[OPT_MAX_DECISIONS];
                    memcpy(y, x, sizeof(long) * (size_t)pr->n);
                    y[i]--; y[j]++;
                    k = find(t, y);
                    if (k >= 0 && (t->by_estimate ? t->e[k].estimated : t->e[k].nreps > 0))
                        continue;   /* tried already */
                    if (s > score) { score = s; bi = i; bj = j; }
                }
            }
            if (bi < 0 || !(score > 0)) break;
            long k;
            if (neighbour(t, x, bi, -1, bj, 1, &k)) return -1;
            if ((rc = judge(t, &k, 1))) return rc;
            if (value(t, k) > v0 * (1 + 1e-9)) {
                *cur = k;
                memcpy(x, t->e[k].x, sizeof(long) * (size_t)pr->n);
                moved = 1;
            }
        }
        if (!moved) return 0;
    }
    return 0;
}

/* ---- selection --------------------------------------------------------------- */

static int by_value_desc(const table *t, long a, long b)
{
    double va = value(t, a), vb = value(t, b);
    if (va != vb) return va > vb ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* The final candidates: the design found and the best others judged with
 * the same total (and, for min-total, one unit less). */
static int candidates(table *t, long cur, long *out, int max)
{
    int m = 0;
    out[m++] = cur;
    long want = t->e[cur].sum;
    for (int round = 0; round < 2; round++) {
        if (round == 1 && t->pr->objective != OPT_MIN_TOTAL) break;
        long s = want - round;
        int lim = round == 0 ? max : m + 2;
        while (m < lim) {
            long best = -1;
            for (long k = 0; k < t->n; k++) {
                entry *e = &t->e[k];
                if (e->sum != s || !(t->by_estimate ? e->estimated : e->nreps > 0)) continue;
                if (isnan(value(t, k))) continue;
                int used = 0;
                for (int i = 0; i < m; i++) used |= out[i] == k;
                if (used) continue;
                if (best < 0 || by_value_desc(t, k, best) < 0) best = k;
            }
            if (best < 0) break;
            out[m++] = best;
        }
    }
    return m;
}

static int meets_sim(const table *t, long k)
{
    return t->e[k].sim.mean - t->e[k].sim.ci95 >= t->pr->target_per_hour;
}

static int preferred(const table *t, long a, long b)   /* a before b?   */
{
    const entry *ea = &t->e[a], *eb = &t->e[b];
    if (t->pr->objective == OPT_MIN_TOTAL) {
        int ma = meets_sim(t, a), mb = meets_sim(t, b);
        if (ma != mb) return ma;
        if (ma && ea->sum != eb->sum) return ea->sum < eb->sum;
    }
    if (ea->sim.mean != eb->sim.mean) return ea->sim.mean > eb->sim.mean;
    return a < b;
}

static void design_of(const table *t, long k, opt_design *d, int *oom)
{
    d->x = malloc(sizeof(long) * (size_t)t->pr->n);
    if (!d->x) { *oom = 1; return; }
    memcpy(d->x, t->e[k].x, sizeof(long) * (size_t)t->pr->n);
    d->throughput_per_hour = t->e[k].sim;
    d->replications = t->e[k].nreps;
    d->meets = t->pr->objective == OPT_MIN_TOTAL ? meets_sim(t, k) : 1;
}

/* Min-total when no candidate meets the target in simulation: add units
 * one at a time, judged by simulation, until one does. */
static int climb_to_target(table *t, long *cur)
{
    const opt_problem *pr = t->pr;
    long ks[OPT_MAX_DECISIONS];
    int rc;
    while (!meets_sim(t, *cur)) {
        int m = 0;
        for (int i = 0; i < pr->n; i++) {
            long k;
            if (neighbour(t, t->e[*cur].x, i, 1, -1, 0, &k)) return -1;
            if (k >= 0) ks[m++] = k;
        }
        if (m == 0) return 0;
        if ((rc = simulate(t, ks, m))) return rc;
        long best = ks[0];
        for (int i = 1; i < m; i++) if (preferred(t, ks[i], best)) best = ks[i];
        *cur = best;
    }
    return 0;
}

static void fmt_rate(char *buf, size_t len, const kpi *k)
{
    snprintf(buf, len, "%.4g ± %.2g /h", k->mean, k->ci95);
}

int optimise_run(const opt_problem *pr, opt_result *out)
{
    table t;
    memset(&t, 0, sizeof t);
    memset(out, 0, sizeof *out);
    t.pr = pr;
    t.msg = out->message;
    t.msglen = (int)sizeof out->message;
    long x[OPT_MAX_DECISIONS], hi[OPT_MAX_DECISIONS];
    for (int i = 0; i < pr->n; i++) { x[i] = pr->d[i].lo; hi[i] = pr->d[i].hi; }
    int rc = 0;
    long cur, top, pool[64];
    /* the plant at the start: replications, and whether the estimate applies */
    takt_plant *p0 = build(&t, x);
    if (!p0) { rc = -4; goto done; }
    t.R = pr->run.replications > 0 ? pr->run.replications : p0->replications;
    if (t.R < 1) t.R = 1;
    /* The search by simulation, for max-throughput, screens with the final
     * comparison's first stage (at most 5 replications, common random
     * numbers): it compares neighbours, whose differences common random
     * numbers measure well, and the final comparison gives the designs
     * still in contention their replications.  Min-total needs every
     * design's own interval against the target: all replications. */
    t.Rs = pr->objective == OPT_MAX_THROUGHPUT ? opt_first_stage(&t) : t.R;
    takt_plant_free(p0);
    if ((cur = intern(&t, x)) < 0) { rc = -1; goto done; }
    if ((rc = estimate_entry(&t, cur))) goto done;
    t.by_estimate = !isnan(t.e[cur].est);
    if (pr->objective == OPT_MIN_TOTAL) {
        /* can any design reach the target?  The most of everything is the
         * best there is (more places or servers never lose throughput). */
        if ((top = intern(&t, hi)) < 0) { rc = -1; goto done; }
        if ((rc = simulate(&t, &top, 1))) goto done;
        if (t.e[top].sim.mean + t.e[top].sim.ci95 < pr->target_per_hour) {
            char r[64];
            fmt_rate(r, sizeof r, &t.e[top].sim);
            snprintf(out->message, sizeof out->message,
                     "no design reaches the target of %g/h: the best, every setting at its "
                     "maximum, reaches %s", pr->target_per_hour, r);
            rc = -5;
            goto done;
        }
    }
    if (pr->objective == OPT_MAX_THROUGHPUT && pr->total >= 0) {
        /* a budget: start from it spread evenly and exchange from there */
        spread(pr, x);
        if ((cur = intern(&t, x)) < 0) { rc = -1; goto done; }
        if ((rc = judge(&t, &cur, 1))) goto done;
    } else if ((rc = ascend(&t, x, &cur))) goto done;
    if ((rc = exchange(&t, x, &cur))) goto done;
    if (t.by_estimate && pr->n > 1) {
        /* the designs one exchange away, for the final comparison: the
         * estimate's error is about as large as their differences */
        long *ks = malloc(sizeof(long) * (size_t)(pr->n * pr->n));
        int m2 = 0;
        if (!ks) { rc = -1; goto done; }
        for (int i = 0; i < pr->n; i++)
            for (int j = 0; j < pr->n; j++) {
                long k;
                if (i == j) continue;
                if (neighbour(&t, x, i, -1, j, 1, &k)) { free(ks); rc = -1; goto done; }
                if (k >= 0) ks[m2++] = k;
            }
        rc = judge(&t, ks, m2);
        free(ks);
        if (rc) goto done;
    }
    int maxc = pr->candidates > 0 ? pr->candidates : 1;
    if (maxc > 60) maxc = 60;
    int m = candidates(&t, cur, pool, maxc);
    long best = pool[0];
    if (pr->objective == OPT_MAX_THROUGHPUT) {
        if ((rc = opt_select_best(&t, pool, m, &best))) goto done;
    } else {
        if ((rc = simulate(&t, pool, m))) goto done;
        for (int i = 1; i < m; i++) if (preferred(&t, pool[i], best)) best = pool[i];
    }
    if (pr->objective == OPT_MIN_TOTAL && !meets_sim(&t, best)) {
        if ((rc = climb_to_target(&t, &best))) goto done;
        if (!meets_sim(&t, best)) {
            char r[64];
            fmt_rate(r, sizeof r, &t.e[best].sim);
            snprintf(out->message, sizeof out->message,
                     "no design found reaches the target of %g/h with 95 %% confidence: "
                     "the best reaches %s", pr->target_per_hour, r);
            rc = -5;
            goto done;
        }
        if (m < 64) pool[m++] = best;
    }
    int oom = 0;
    design_of(&t, best, &out->best, &oom);
    out->tied = calloc((size_t)m, sizeof *out->tied);
    if (!out->tied) oom = 1;
    for (int i = 0; !oom && i < m; i++) {
        long k = pool[i];
        if (k == best || opt_better(&t, best, k)) continue;
        if (pr->objective == OPT_MIN_TOTAL &&
            (!meets_sim(&t, k) || t.e[k].sum != t.e[best].sum)) continue;
        int dup = 0;
        for (int j = 0; j < i; j++) dup |= pool[j] == k;
        if (dup) continue;
        design_of(&t, k, &out->tied[out->ntied++], &oom);
    }
    if (oom) rc = -1;
    out->evaluated = t.evaluated;
    out->estimated = t.estimated;
    out->replications = t.replications;
    out->by_estimate = t.by_estimate;
done:
    for (long k = 0; k < t.n; k++) {
        free(t.e[k].x); free(t.e[k].reps);
        takt_plant_free(t.e[k].plant);
    }
    free(t.e);
    if (rc == 0 && cluster_rank() != 0) return EXP_NOT_ROOT;
    return rc;
}

void optimise_result_free(opt_result *r, int n)
{
    (void)n;
    free(r->best.x);
    for (int i = 0; i < r->ntied; i++) free(r->tied[i].x);
    free(r->tied);
    memset(r, 0, sizeof *r);
}

void optimise_problem_free(opt_problem *pr)
{
    for (int i = 0; i < pr->n; i++) free(pr->d[i].path);
    pr->n = 0;
}
