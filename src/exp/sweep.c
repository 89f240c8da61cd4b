/*
 * sweep.c — parameter sweeps: the settings of each combination, and all
 * the replications of all the combinations on one pool of threads.
 *
 * Values are kept as the text the user wrote; what they mean is up to the
 * loader, which builds one plant per combination.  Integer ranges are the
 * one thing expanded here, because "0..20" is sweep syntax, not plant
 * syntax.
 *
 * Why one flat pool rather than one takt_simulate per combination: with
 * few replications per combination (a common case when scanning many
 * settings) the per-combination pools would leave cores idle at every
 * combination's tail.  Every (combination, replication) job is run exactly
 * as a plain run runs it — same plant, same seed, same replication number
 * — and the summaries read the observations in replication order, so each
 * combination's results are those of `takt run` on its plant, however the
 * jobs were scheduled.  Over MPI, job k runs on rank k % size and rank 0
 * gathers them all, so long sweeps spread evenly even when each
 * combination has fewer replications than there are ranks.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sweep.h"
#include "../model/series.h"
#include "cluster.h"

/* ---- the axes ---------------------------------------------------------- */

static void axis_free(sweep_axis *a)
{
    for (int i = 0; i < a->nvalues; i++) free(a->settings[i]);
    free(a->settings);
    free(a->values);
    free(a->key);
    memset(a, 0, sizeof *a);
}

static int axis_push(sweep_axis *a, const char *v, size_t len, char *err, int errlen)
{
    if (a->nvalues >= SWEEP_MAX_COMBINATIONS) {
        snprintf(err, (size_t)errlen, "'%s' has more than %ld values", a->key, SWEEP_MAX_COMBINATIONS);
        return -1;
    }
    size_t klen = strlen(a->key);
    char **ns = realloc(a->settings, ((size_t)a->nvalues + 1) * sizeof *ns);
    if (ns) a->settings = ns;
    const char **nv = ns ? realloc(a->values, ((size_t)a->nvalues + 1) * sizeof *nv) : NULL;
    if (nv) a->values = nv;
    char *set = nv ? malloc(klen + len + 2) : NULL;
    if (!set) {
        snprintf(err, (size_t)errlen, "out of memory");
        return -1;
    }
    memcpy(set, a->key, klen);
    set[klen] = '=';
    memcpy(set + klen + 1, v, len);
    set[klen + 1 + len] = 0;
    a->settings[a->nvalues] = set;
    a->values[a->nvalues++] = set + klen + 1;
    return 0;
}

/* A whole number at *s (optional sign), advancing *s; -1 if none. */
static int whole(const char **s, long long *out)
{
    char *end;
    if (!isdigit((unsigned char)**s) && !((**s == '-' || **s == '+') && isdigit((unsigned char)(*s)[1])))
        return -1;
    errno = 0;
    *out = strtoll(*s, &end, 10);
    if (errno) return -1;
    *s = end;
    return 0;
}

/* FROM..TO or FROM..TO..STEP, the whole text; 1 if it is one, 0 if the
 * text is no range, -1 (message in err) if it is a malformed one. */
static int parse_range(const char *t, long long r[3], char *err, int errlen)
{
    const char *s = t;
    if (!strstr(t, "..")) return 0;
    r[2] = 1;
    if (whole(&s, &r[0]) < 0 || strncmp(s, "..", 2) != 0 || (s += 2, whole(&s, &r[1])) < 0 ||
        (*s && (strncmp(s, "..", 2) != 0 || (s += 2, whole(&s, &r[2])) < 0 || *s))) {
        snprintf(err, (size_t)errlen, "bad range '%s': expected FROM..TO or FROM..TO..STEP "
                 "with whole numbers, e.g. 0..20 or 0..20..5", t);
        return -1;
    }
    if (r[2] < 1) {
        snprintf(err, (size_t)errlen, "bad range '%s': the step must be at least 1", t);
        return -1;
    }
    if (r[0] > r[1]) {
        snprintf(err, (size_t)errlen, "bad range '%s': it is empty (%lld > %lld)", t, r[0], r[1]);
        return -1;
    }
    return 1;
}

static int push_range(sweep_axis *a, const char *text, const long long r[3], char *err, int errlen)
{
    unsigned long long span = (unsigned long long)r[1] - (unsigned long long)r[0];
    if (span / (unsigned long long)r[2] >= (unsigned long long)SWEEP_MAX_COMBINATIONS) {
        snprintf(err, (size_t)errlen, "range '%s' has more than %ld values", text, SWEEP_MAX_COMBINATIONS);
        return -1;
    }
    for (long long v = r[0]; v <= r[1]; v += r[2]) {
        char num[32];
        int n = snprintf(num, sizeof num, "%lld", v);
        if (axis_push(a, num, (size_t)n, err, errlen) < 0) return -1;
        if (v > LLONG_MAX - r[2]) break;
    }
    return 0;
}

/* One element of the comma list: a range or a literal value. */
static int add_element(sweep_axis *a, const char *t, size_t len, char *err, int errlen)
{
    while (len && isspace((unsigned char)*t)) { t++; len--; }
    while (len && isspace((unsigned char)t[len - 1])) len--;
    if (len == 0) {
        snprintf(err, (size_t)errlen, "empty value in '%s=...'", a->key);
        return -1;
    }
    char *text = strndup(t, len);
    long long r[3];
    if (!text) {
        snprintf(err, (size_t)errlen, "out of memory");
        return -1;
    }
    int rc = parse_range(text, r, err, errlen);
    if (rc == 0) rc = axis_push(a, text, len, err, errlen);
    else if (rc == 1) rc = push_range(a, text, r, err, errlen);
    free(text);
    return rc;
}

static const char *closer_of(char c)
{
    return c == '(' ? ")" : c == '[' ? "]" : c == '{' ? "}" : NULL;
}

/* Split VALUES at the commas outside brackets and quotes. */
static int split_values(sweep_axis *a, const char *v, char *err, int errlen)
{
    char stack[64];
    int depth = 0;
    char quote = 0;
    const char *start = v;
    for (const char *s = v; ; s++) {
        if (quote) {
            if (*s == quote) quote = 0;
            else if (!*s) {
                snprintf(err, (size_t)errlen, "unclosed quote %c in '%s'", quote, v);
                return -1;
            }
            continue;
        }
        if (*s == '"' || *s == '\'') quote = *s;
        else if (closer_of(*s)) {
            if (depth == (int)sizeof stack) {
                snprintf(err, (size_t)errlen, "brackets nested too deep in '%s'", v);
                return -1;
            }
            stack[depth++] = *closer_of(*s);
        } else if (*s == ')' || *s == ']' || *s == '}') {
            if (depth == 0 || stack[depth - 1] != *s) {
                snprintf(err, (size_t)errlen, "unbalanced '%c' in '%s'", *s, v);
                return -1;
            }
            depth--;
        } else if ((*s == ',' && depth == 0) || !*s) {
            if (!*s && depth > 0) {
                snprintf(err, (size_t)errlen, "unbalanced brackets in '%s': '%c' missing", v, stack[depth - 1]);
                return -1;
            }
            if (add_element(a, start, (size_t)(s - start), err, errlen) < 0) return -1;
            if (!*s) return 0;
            start = s + 1;
        }
    }
}

static int key_ok(const char *k, size_t n)
{
    if (n == 0 || k[0] == '.' || k[n - 1] == '.') return 0;
    for (size_t i = 0; i < n; i++)
        if (isspace((unsigned char)k[i]) || (k[i] == '.' && k[i + 1] == '.')) return 0;
    return 1;
}

int sweep_add_axis(sweep_spec *s, const char *arg, char *err, int errlen)
{
    const char *eq = strchr(arg, '=');
    if (!eq) {
        snprintf(err, (size_t)errlen, "--set needs KEY=VALUES (e.g. buffers.B1.capacity=2,4,8), got '%s'", arg);
        return -1;
    }
    size_t klen = (size_t)(eq - arg);
    if (!key_ok(arg, klen)) {
        snprintf(err, (size_t)errlen, "bad key '%.*s' in '%s': expected a path such as "
                 "buffers.B1.capacity or stations.M1.servers", (int)klen, arg, arg);
        return -1;
    }
    if (s->naxes == SWEEP_MAX_AXES) {
        snprintf(err, (size_t)errlen, "at most %d --set options", SWEEP_MAX_AXES);
        return -1;
    }
    for (int i = 0; i < s->naxes; i++)
        if (strlen(s->axes[i].key) == klen && !strncmp(s->axes[i].key, arg, klen)) {
            snprintf(err, (size_t)errlen, "key '%s' is set twice: give all its values in one --set", s->axes[i].key);
            return -1;
        }
    sweep_axis a = {0};
    if (!(a.key = strndup(arg, klen))) {
        snprintf(err, (size_t)errlen, "out of memory");
        return -1;
    }
    if (split_values(&a, eq + 1, err, errlen) < 0) { axis_free(&a); return -1; }
    if (sweep_count(s) * a.nvalues > SWEEP_MAX_COMBINATIONS) {
        snprintf(err, (size_t)errlen, "too many combinations: more than %ld", SWEEP_MAX_COMBINATIONS);
        axis_free(&a);
        return -1;
    }
    s->axes[s->naxes++] = a;
    return 0;
}

long sweep_count(const sweep_spec *s)
{
    long n = 1;
    for (int i = 0; i < s->naxes; i++) n *= s->axes[i].nvalues;
    return n;
}

void sweep_values(const sweep_spec *s, long c, const char **values)
{
    for (int i = s->naxes - 1; i >= 0; i--) {
        values[i] = s->axes[i].values[c % s->axes[i].nvalues];
        c /= s->axes[i].nvalues;
    }
}

void sweep_settings(const sweep_spec *s, long c, const char **settings)
{
    for (int i = s->naxes - 1; i >= 0; i--) {
        settings[i] = s->axes[i].settings[c % s->axes[i].nvalues];
        c /= s->axes[i].nvalues;
    }
}

void sweep_spec_free(sweep_spec *s)
{
    for (int i = 0; i < s->naxes; i++) axis_free(&s->axes[i]);
    s->naxes = 0;
}

/* ---- the pool ---------------------------------------------------------- */

typedef struct pool {
    const takt_plant *const *plants;
    const exp_options *o;
    run_limits *lim;                /* per plant                         */
    int *first;                     /* per plant, its first job; [n] = njobs */
    const int *rep_from, *nreps;    /* per plant, or NULL: all of them   */
    const unsigned char *const *skip;   /* per plant (lean), or NULL     */
    int lean;                       /* run_limits.lean for every job     */
    int nplants;
    rep_obs *obs;                   /* per job                           */
    double *busy;                   /* per job: seconds of run time      */
    int njobs, rank, size;          /* this process runs k % size == rank */
    atomic_int next;
    atomic_int rc;                  /* first error, 0 if none            */
} pool;

/* The progress of job k, passed on with the job number in place of the
 * replication number, so a progress display counts all jobs. */
typedef struct relay {
    const exp_options *o;
    int job;
} relay;

static void relay_progress(void *ctx, int rep, double frac)
{
    const relay *r = ctx;
    (void)rep;
    r->o->progress(r->o->progress_ctx, r->job, frac);
}

static int plant_of_job(const pool *pl, int k)
{
    int lo = 0, hi = pl->nplants - 1;       /* last c with first[c] <= k */
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (pl->first[mid] <= k) lo = mid; else hi = mid - 1;
    }
    return lo;
}

static const takt_plant *plant_of(const void *ctx, int k)
{
    const pool *pl = ctx;
    return pl->plants[plant_of_job(pl, k)];
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void *worker(void *arg)
{
    pool *pl = arg;
    relay rl = { pl->o, 0 };
    for (;;) {
        long long k = (long long)atomic_fetch_add(&pl->next, 1) * pl->size + pl->rank;
        if (k >= pl->njobs || atomic_load(&pl->rc) != 0) break;
        int c = plant_of_job(pl, (int)k);
        run_limits lim = pl->lim[c];
        if (pl->o->progress) {
            rl.job = (int)k;
            lim.progress = relay_progress;
            lim.progress_ctx = &rl;
        }
        double t0 = now_s();
        int rep = (int)k - pl->first[c] + (pl->rep_from ? pl->rep_from[c] : 0);
        int rc = run_replication(pl->plants[c], &lim, rep, &pl->obs[k]);
        pl->busy[k] = now_s() - t0;
        if (rc == 0 && pl->o->progress) pl->o->progress(pl->o->progress_ctx, (int)k, 1.0);
        if (rc != 0) {
            int zero = 0;
            atomic_compare_exchange_strong(&pl->rc, &zero, rc);
        }
    }
    return NULL;
}

static void run_pool(pool *pl)
{
    int mine = (pl->njobs - pl->rank + pl->size - 1) / pl->size;
    int nt = exp_threads(pl->o->threads, mine > 0 ? mine : 1);
    pthread_t tid[256];
    int started = 0;
    for (int t = 1; t < nt; t++) {
        if (pthread_create(&tid[started], NULL, worker, pl) != 0) break;
        started++;
    }
    worker(pl);
    for (int t = 0; t < started; t++) pthread_join(tid[t], NULL);
}

/* Limits and job numbering of every plant; -1 if the jobs do not fit. */
static int plan(pool *pl)
{
    const exp_options *o = pl->o;
    long long total = 0;
    for (int c = 0; c < pl->nplants; c++) {
        const takt_plant *p = pl->plants[c];
        run_limits *lim = &pl->lim[c];
        memset(lim, 0, sizeof *lim);
        lim->seed = o->have_seed ? o->seed : p->seed;
        lim->horizon = o->horizon >= 0 ? o->horizon : p->horizon;
        lim->warmup = o->warmup >= 0 ? o->warmup : p->warmup;
        lim->stop = o->stop;
        lim->series_period = o->series ? series_choose_period(p, lim->horizon) : 0;
        lim->lean = pl->lean;
        lim->skip = pl->skip ? pl->skip[c] : NULL;
        pl->first[c] = (int)total;
        total += pl->nreps ? pl->nreps[c] : o->replications > 0 ? o->replications : p->replications;
        if (total > INT_MAX / 2) return -1;
    }
    pl->first[pl->nplants] = (int)total;
    pl->njobs = (int)total;
    return 0;
}

/* Hand each plant's observations to its summary, in replication order. */
static int summarise(pool *pl, takt_summary **out)
{
    int c = 0;
    for (; c < pl->nplants; c++) {
        int a = pl->first[c], r = pl->first[c + 1] - a;
        rep_obs *reps = malloc(((size_t)r + 1) * sizeof *reps);
        if (!reps) break;
        memcpy(reps, &pl->obs[a], (size_t)r * sizeof *reps);
        out[c] = summary_build(pl->plants[c], reps, r, pl->lim[c].seed, pl->lim[c].horizon,
                               pl->lim[c].warmup);
        if (!out[c]) { free(reps); break; }
        memset(&pl->obs[a], 0, (size_t)r * sizeof *reps);      /* now the summary's */
    }
    if (c == pl->nplants) return 0;
    for (int i = 0; i < c; i++) { summary_free(out[i]); out[i] = NULL; }
    return -1;
}

/* The first run that stopped on a problem of its plant gives up its
 * message to *o->error; its plant's index goes to *failed. */
static void hand_over_error(pool *pl, int *failed)
{
    for (int k = 0; k < pl->njobs; k++)
        if (pl->obs[k].error) {
            if (pl->o->error) { *pl->o->error = pl->obs[k].error; pl->obs[k].error = NULL; }
            if (failed) *failed = plant_of_job(pl, k);
            return;
        }
}

/* Set up pl for plants[0..n-1], run every job here and gather them on
 * rank 0.  Returns as sweep_run, before any summary. */
static int run_jobs(pool *pl, const takt_plant *const *plants, int n, const exp_options *o,
                    int *failed)
{
    pl->plants = plants;
    pl->o = o;
    pl->nplants = n;
    atomic_init(&pl->next, 0);
    atomic_init(&pl->rc, 0);
    pl->rank = cluster_rank();
    pl->size = cluster_size();
    pl->lim = calloc((size_t)n + 1, sizeof *pl->lim);
    pl->first = calloc((size_t)n + 1, sizeof *pl->first);
    if (n < 1 || !pl->lim || !pl->first || plan(pl) < 0) return -1;
    pl->obs = calloc((size_t)pl->njobs + 1, sizeof *pl->obs);
    pl->busy = calloc((size_t)pl->njobs + 1, sizeof *pl->busy);
    if (!pl->obs || !pl->busy) return -1;
    run_pool(pl);
    int rc = atomic_load(&pl->rc);
    if (pl->size > 1) {
        /* Failures here travel with the observations: rank 0 reports them
         * all, the other ranks say nothing unless the gather itself fails. */
        int g = cluster_gather(plant_of, pl, pl->obs, pl->njobs);
        if (pl->rank != 0) rc = g < 0 ? -1 : EXP_NOT_ROOT;
        else if (g < 0 && rc == 0) rc = g;
    }
    if (rc == -3) hand_over_error(pl, failed);
    return rc;
}

static void pool_free(pool *pl)
{
    for (int k = 0; pl->obs && k < pl->njobs; k++) rep_obs_free(&pl->obs[k]);
    free(pl->obs); free(pl->busy); free(pl->lim); free(pl->first);
}

int sweep_throughputs(const takt_plant *const *plants, int n, const unsigned char *const *skip,
                      const int *rep_from, const int *nreps, const long *extra,
                      const exp_options *o, double *tph)
{
    pool pl = { .rep_from = rep_from, .nreps = nreps, .lean = 1, .skip = skip };
    int rc = run_jobs(&pl, plants, n, o, NULL);
    for (int k = 0; rc == 0 && k < pl.njobs; k++) {
        const run_limits *lim = &pl.lim[plant_of_job(&pl, k)];
        tph[k] = run_throughput(pl.obs[k].parts_out + extra[k], lim->warmup,
                                lim->warmup + lim->horizon);
    }
    pool_free(&pl);
    return rc;
}

int sweep_run(const takt_plant *const *plants, int n, const exp_options *o,
              takt_summary **out, double *seconds, int *failed)
{
    return sweep_run_part(plants, n, NULL, NULL, o, out, seconds, failed);
}

int sweep_run_part(const takt_plant *const *plants, int n, const int *rep0, const int *nreps,
                   const exp_options *o, takt_summary **out, double *seconds, int *failed)
{
    pool pl = { .rep_from = rep0, .nreps = nreps };
    int rc = run_jobs(&pl, plants, n, o, failed);
    if (rc == 0) rc = summarise(&pl, out);
    for (int c = 0; rc == 0 && seconds && c < n; c++) {
        seconds[c] = 0;
        for (int k = pl.first[c]; k < pl.first[c + 1]; k++) seconds[c] += pl.busy[k];
    }
    pool_free(&pl);
    return rc;
}
