/*
 * fit.c — the loss of a candidate (simulate it with the fixed seeds, sum
 * its days into the observed periods, compare) and the pattern search
 * that minimises it.  See fit.h for the method and why.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fit_internal.h"
#include "../core/stats.h"

void fit_observed_free(fit_observed *o)
{
    free(o->v);
    memset(o, 0, sizeof *o);
}

void fit_result_free(fit_result *r)
{
    free(r->cells);
    r->cells = NULL;
    r->ncells = 0;
}

/* ---- one candidate -------------------------------------------------------- */

static int ncells(const fit_observed *o)
{
    int n = 0;
    for (int k = 0; k < o->n; k++)
        for (int s = 0; s < FIT_NSERIES; s++) n += !isnan(o->v[k].obs[s]);
    return n;
}

/* What replication i made (delivered) in period k. */
static double period_count(const rep_obs *r, const fit_period *p, int series)
{
    const double *day = series == FIT_PRODUCED ? r->day_produced : r->day_delivered;
    double t = 0;
    for (int d = p->first; d <= p->last; d++) t += day[d];
    return t;
}

static void set_why(char **why, const char *msg)
{
    char *m = strdup(msg);
    if (!m) return;
    free(*why);
    *why = m;
}

/* Simulate the values v.  On success fills mean[] and var[] (per cell, in
 * the order of ncells) when not NULL and returns 0 with *loss; a candidate
 * the plant refuses or that deadlocks gives *loss = INFINITY and 0; other
 * failures return their status. */
static int simulate(const fit_config *c, const double *v, double *loss, double *mean,
                    double *var, int *reps, char **why)
{
    char text[FIT_MAX_PARAMS][512];
    const char *sets[FIT_MAX_PARAMS];
    for (int j = 0; j < c->nparams; j++) {
        char value[128];
        fit_param_format(&c->params[j], v[j], value, sizeof value);
        snprintf(text[j], sizeof text[j], "%s=%s", c->params[j].path, value);
        sets[j] = text[j];
    }
    *loss = INFINITY;
    char *refused = NULL;
    takt_plant *p = c->build(c->build_ctx, sets, c->nparams, &refused);
    if (!p) {
        if (refused) { free(*why); *why = refused; }
        return refused ? 0 : -1;
    }
    exp_options o = c->opt;
    char *err = NULL;
    o.error = &err;
    o.bottleneck = EXP_BN_ACTIVE;       /* the loss reads figures, not the bottleneck */
    takt_summary *s = NULL;
    int rc = exp_run(p, &o, &s);
    if (rc == -3) {
        set_why(why, err ? err : "the plant deadlocked");
        free(err);
        takt_plant_free(p);
        return 0;
    }
    free(err);
    if (rc != 0) {
        takt_plant_free(p);
        return rc;
    }
    const fit_observed *ob = c->obs;
    int n = s->replications, ok = 1;
    for (int i = 0; i < n; i++)
        if (ob->n > 0 && s->reps[i].ndays <= ob->v[ob->n - 1].last) ok = 0;
    if (!ok) {
        set_why(why, "the run ends before the last observed period");
    } else {
        double sum = 0;
        int cell = 0;
        for (int k = 0; k < ob->n; k++)
            for (int sr = 0; sr < FIT_NSERIES; sr++) {
                const fit_period *pk = &ob->v[k];
                if (isnan(pk->obs[sr])) continue;
                double m = 0, q = 0;
                for (int i = 0; i < n; i++) m += period_count(&s->reps[i], pk, sr);
                m /= n;
                for (int i = 0; i < n; i++) {
                    double e = period_count(&s->reps[i], pk, sr) - m;
                    q += e * e;
                }
                if (mean) mean[cell] = m;
                if (var) var[cell] = n > 1 ? q / (n - 1) : 0;
                sum += pk->weight * (m - pk->obs[sr]) * (m - pk->obs[sr]);
                cell++;
            }
        *loss = cell ? sum / cell : 0;
    }
    if (reps) *reps = n;
    summary_free(s);
    takt_plant_free(p);
    return 0;
}

int fit_loss(const fit_config *c, const double *values, double *loss)
{
    char *why = NULL;
    int rc = simulate(c, values, loss, NULL, NULL, NULL, &why);
    free(why);
    return rc;
}

/* ---- the loss with memory ---------------------------------------------------- */

void fitter_values(const fitter *F, const double *u, double *v)
{
    for (int j = 0; j < F->c->nparams; j++) {
        const fit_param *fp = &F->c->params[j];
        v[j] = fit_param_snap(fp, fp->lo + u[j] * (fp->hi - fp->lo));
    }
}

double fitter_min_step(const fitter *F, int j)
{
    const fit_param *fp = &F->c->params[j];
    return fp->kind == FIT_REAL ? 1.0 / 512 : 1.0 / (fp->hi - fp->lo);
}

double fitter_loss(fitter *F, const double *u)
{
    double v[FIT_MAX_PARAMS];
    int np = F->c->nparams;
    if (F->status) return INFINITY;
    fitter_values(F, u, v);
    for (int i = 0; i < F->nseen; i++)
        if (!memcmp(F->seen[i].v, v, (size_t)np * sizeof *v)) return F->seen[i].loss;
    double loss;
    int rc = simulate(F->c, v, &loss, NULL, NULL, NULL, &F->why);
    if (rc == 0 && F->c->opt.stop && *F->c->opt.stop) rc = -2;
    if (rc != 0) {
        F->status = rc;
        return INFINITY;
    }
    F->evals++;
    if (isfinite(loss)) F->nok++;
    if (F->nseen == F->capseen) {
        int cap = F->capseen ? 2 * F->capseen : 64;
        fit_eval *more = realloc(F->seen, (size_t)cap * sizeof *more);
        if (!more) { F->status = -1; return INFINITY; }
        F->seen = more;
        F->capseen = cap;
    }
    memcpy(F->seen[F->nseen].v, v, sizeof v);
    F->seen[F->nseen++].loss = loss;
    if (loss < F->best) F->best = loss;
    if (F->c->trace) F->c->trace(F->c->trace_ctx, F->evals, loss, F->best);
    return loss;
}

/* ---- Hooke and Jeeves ---------------------------------------------------------- */

static double clamp01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

/* Try each active coordinate up, then down, keeping the first
 * improvement; u and *fu are updated in place. */
static void explore(fitter *F, double *u, double *fu, const double *step, const int *active,
                    int stop_at)
{
    int np = F->c->nparams;
    for (int j = 0; j < np && !F->status && F->evals < stop_at; j++) {
        if (!active[j]) continue;
        for (int sign = 1; sign >= -1; sign -= 2) {
            double t[FIT_MAX_PARAMS];
            memcpy(t, u, (size_t)np * sizeof *t);
            t[j] = clamp01(u[j] + sign * step[j]);
            if (t[j] == u[j]) continue;
            double ft = fitter_loss(F, t);
            if (ft < *fu) {
                memcpy(u, t, (size_t)np * sizeof *t);
                *fu = ft;
                break;
            }
        }
    }
}

void fitter_pattern_search(fitter *F, double *u, double *fu, const int *active, double step0,
                           int budget)
{
    int np = F->c->nparams, stop_at = F->evals + budget;
    double step[FIT_MAX_PARAMS], base[FIT_MAX_PARAMS];
    for (int j = 0; j < np; j++) step[j] = fmax(step0, fitter_min_step(F, j));
    *fu = fitter_loss(F, u);
    memcpy(base, u, (size_t)np * sizeof *base);
    while (!F->status && F->evals < stop_at) {
        double x[FIT_MAX_PARAMS], fx = *fu;
        memcpy(x, base, (size_t)np * sizeof *x);
        explore(F, x, &fx, step, active, stop_at);
        if (fx < *fu) {
            /* pattern moves: keep going the way that paid off */
            for (;;) {
                double prev[FIT_MAX_PARAMS], y[FIT_MAX_PARAMS];
                memcpy(prev, base, (size_t)np * sizeof *prev);
                memcpy(base, x, (size_t)np * sizeof *base);
                *fu = fx;
                if (F->status || F->evals >= stop_at) break;
                for (int j = 0; j < np; j++) y[j] = active[j] ? clamp01(2 * base[j] - prev[j]) : base[j];
                double fy = fitter_loss(F, y);
                explore(F, y, &fy, step, active, stop_at);
                if (!(fy < *fu)) break;
                memcpy(x, y, (size_t)np * sizeof *x);
                fx = fy;
            }
            continue;
        }
        int shrunk = 0;
        for (int j = 0; j < np; j++) {
            double m = fitter_min_step(F, j);
            if (!active[j] || step[j] <= m * (1 + 1e-9)) continue;
            step[j] = fmax(step[j] / 2, m);
            shrunk = 1;
        }
        if (!shrunk) break;
    }
    memcpy(u, base, (size_t)np * sizeof *u);
}

/* ---- the whole fit ------------------------------------------------------------- */

/* The fitted point's series, its replications' noise, and the loss bound
 * of the intervals (fit.h). */
static int fitted_cells(fitter *F, const double *v, fit_result *r)
{
    const fit_config *c = F->c;
    int n = ncells(c->obs), reps = 1;
    double *mean = calloc((size_t)n + 1, sizeof *mean), *var = calloc((size_t)n + 1, sizeof *var);
    r->cells = calloc((size_t)n + 1, sizeof *r->cells);
    if (!mean || !var || !r->cells) { free(mean); free(var); return -1; }
    double loss;
    int rc = simulate(c, v, &loss, mean, var, &reps, &F->why);
    if (rc == 0 && !isfinite(loss)) rc = -3;
    if (rc == 0) {
        double t = student_t975(reps - 1), noise = 0;
        int cell = 0;
        for (int k = 0; k < c->obs->n; k++)
            for (int s = 0; s < FIT_NSERIES; s++) {
                const fit_period *pk = &c->obs->v[k];
                if (isnan(pk->obs[s])) continue;
                fit_cell *fc = &r->cells[cell];
                fc->period = k;
                fc->series = s;
                fc->observed = pk->obs[s];
                fc->mean = mean[cell];
                fc->ci95 = reps > 1 ? t * sqrt(var[cell] / reps) : 0;
                noise += pk->weight * var[cell] * (1 + 1.0 / reps);
                cell++;
            }
        r->ncells = n;
        r->loss = loss;
        r->replications = reps;
        noise = n ? noise / n : 0;
        double resid = n > c->nparams ? n * loss / (n - c->nparams) : (reps > 1 ? 0 : INFINITY);
        r->sigma2 = fmax(resid, noise);
        r->threshold = loss + 3.841459 * r->sigma2 / (n ? n : 1);
    }
    free(mean);
    free(var);
    return rc;
}

int fit_run(const fit_config *c, fit_result *r, char **why)
{
    memset(r, 0, sizeof *r);
    if (c->nparams < 1 || c->nparams > FIT_MAX_PARAMS || !c->obs || ncells(c->obs) == 0) return -1;
    fitter F;
    memset(&F, 0, sizeof F);
    F.c = c;
    F.best = INFINITY;
    double u[FIT_MAX_PARAMS], fu;
    int active[FIT_MAX_PARAMS];
    for (int j = 0; j < c->nparams; j++) { u[j] = 0.5; active[j] = 1; }
    fitter_pattern_search(&F, u, &fu, active, 0.25, c->budget > 0 ? c->budget : 1);
    r->search_evals = F.evals;
    int rc = F.status;
    if (rc == 0 && F.nok == 0) rc = -3;
    if (rc == 0) {
        fitter_values(&F, u, r->value);
        rc = fitted_cells(&F, r->value, r);
    }
    if (rc == 0) {
        fitter_intervals(&F, u, r);
        rc = F.status;
    }
    r->evals = F.evals + (rc == 0);   /* the fitted point's own simulation */
    if (why) { *why = F.why; F.why = NULL; }
    free(F.why);
    free(F.seen);
    if (rc != 0) fit_result_free(r);
    return rc;
}
