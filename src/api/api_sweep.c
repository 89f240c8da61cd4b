/*
 * api_sweep.c — sweeps through the public API: the axes are the
 * experiment layer's sweep_spec, every combination's plant is built by the
 * loader with its settings, and all combinations run on one pool
 * (sweep_run), so each result equals a plain takt_simulate of its plant.
 */
#include <stdlib.h>
#include <string.h>
#include "api.h"
#include "exp/sweep.h"
#include "model/plant.h"
#include "io/report_sweep.h"

struct takt_sweep {
    sweep_spec spec;
    long n;                         /* combinations once loaded, else 0  */
    takt_plant **plants;
    takt_result **results;
    double *seconds;
    long failed;
};

takt_sweep *takt_sweep_new(void)
{
    takt_sweep *s = calloc(1, sizeof *s);
    if (s) s->failed = -1;
    return s;
}

static void drop_results(takt_sweep *s)
{
    for (long c = 0; s->results && c < s->n; c++) takt_result_free(s->results[c]);
    free(s->results); s->results = NULL;
    free(s->seconds); s->seconds = NULL;
}

static void drop_plants(takt_sweep *s)
{
    drop_results(s);
    for (long c = 0; s->plants && c < s->n; c++) plant_free(s->plants[c]);
    free(s->plants); s->plants = NULL;
    s->n = 0;
}

void takt_sweep_free(takt_sweep *s)
{
    if (!s) return;
    drop_plants(s);
    sweep_spec_free(&s->spec);
    free(s);
}

takt_status takt_sweep_add(takt_sweep *s, const char *axis, char **message)
{
    char err[512];
    if (message) *message = NULL;
    if (!s || !axis) return TAKT_EBADINPUT;
    drop_plants(s);                 /* the combinations change */
    if (sweep_add_axis(&s->spec, axis, err, sizeof err) < 0) {
        api_message(message, err);
        return TAKT_EBADINPUT;
    }
    return TAKT_OK;
}

long takt_sweep_count(const takt_sweep *s) { return s ? sweep_count(&s->spec) : 0; }
int takt_sweep_axis_count(const takt_sweep *s) { return s ? s->spec.naxes : 0; }

const char *takt_sweep_axis(const takt_sweep *s, int axis)
{
    return s && axis >= 0 && axis < s->spec.naxes ? s->spec.axes[axis].key : NULL;
}

const char *takt_sweep_value(const takt_sweep *s, long c, int axis)
{
    const char *v[SWEEP_MAX_AXES];
    if (!s || c < 0 || c >= sweep_count(&s->spec) || axis < 0 || axis >= s->spec.naxes)
        return NULL;
    sweep_values(&s->spec, c, v);
    return v[axis];
}

const char *takt_sweep_setting(const takt_sweep *s, long c, int axis)
{
    const char *v[SWEEP_MAX_AXES];
    if (!s || c < 0 || c >= sweep_count(&s->spec) || axis < 0 || axis >= s->spec.naxes)
        return NULL;
    sweep_settings(&s->spec, c, v);
    return v[axis];
}

/* "sweep combination 2 of 6 (KEY=VALUE, KEY=VALUE):\n" + the loader's
 * lines; malloc'd or NULL. */
static char *combination_message(const takt_sweep *s, long c, long n, const char *errors)
{
    const char *set[SWEEP_MAX_AXES];
    size_t len = 64 + (errors ? strlen(errors) : 0);
    sweep_settings(&s->spec, c, set);
    for (int i = 0; i < s->spec.naxes; i++) len += strlen(set[i]) + 2;
    char *m = malloc(len);
    if (!m) return NULL;
    int k = snprintf(m, len, "sweep combination %ld of %ld (", c + 1, n);
    for (int i = 0; i < s->spec.naxes; i++)
        k += snprintf(m + k, len - (size_t)k, "%s%s", i ? ", " : "", set[i]);
    snprintf(m + k, len - (size_t)k, "):\n%s", errors ? errors : "");
    return m;
}

static takt_status load(takt_sweep *s, const char *name, const char *yaml, size_t len,
                        const char *const *settings, int nsettings, char **message)
{
    if (message) *message = NULL;
    if (!s || !name || nsettings < 0 || (nsettings > 0 && !settings)
        || nsettings > SWEEP_MAX_AXES)
        return TAKT_EBADINPUT;
    drop_plants(s);
    long n = sweep_count(&s->spec);
    const char *set[2 * SWEEP_MAX_AXES];
    for (int i = 0; i < nsettings; i++) set[i] = settings[i];
    if (!(s->plants = calloc((size_t)n, sizeof *s->plants))) return TAKT_ENOMEM;
    s->n = n;
    for (long c = 0; c < n; c++) {
        char *errors = NULL;
        sweep_settings(&s->spec, c, set + nsettings);
        int nset = nsettings + s->spec.naxes;
        s->plants[c] = yaml ? takt_load_string_with(name, yaml, len, set, nset, &errors)
                            : takt_load_with(name, set, nset, &errors);
        if (!s->plants[c]) {
            takt_status st = errors && *errors ? TAKT_EBADINPUT : TAKT_ENOMEM;
            if (message && st == TAKT_EBADINPUT) *message = combination_message(s, c, n, errors);
            free(errors);
            drop_plants(s);
            return st;
        }
    }
    return TAKT_OK;
}

takt_status takt_sweep_load(takt_sweep *s, const char *path, const char *const *settings,
                            int nsettings, char **message)
{
    return load(s, path, NULL, 0, settings, nsettings, message);
}

takt_status takt_sweep_load_string(takt_sweep *s, const char *name, const char *yaml, size_t len,
                                   const char *const *settings, int nsettings, char **message)
{
    if (!yaml) return TAKT_EBADINPUT;
    return load(s, name ? name : "<string>", yaml, len, settings, nsettings, message);
}

const takt_plant *takt_sweep_plant(const takt_sweep *s, long c)
{
    return s && s->plants && c >= 0 && c < s->n ? s->plants[c] : NULL;
}

long long takt_sweep_jobs(const takt_sweep *s, const takt_options *o)
{
    long long t = 0;
    for (long c = 0; s && s->plants && c < s->n; c++)
        t += takt_options_replications_for(o, s->plants[c]);
    return t;
}

takt_status takt_sweep_run(takt_sweep *s, const takt_options *o, char **message)
{
    if (message) *message = NULL;
    if (!s || !s->plants) return TAKT_EBADINPUT;
    drop_results(s);
    long n = s->n;
    takt_summary **sums = calloc((size_t)n, sizeof *sums);
    s->results = calloc((size_t)n, sizeof *s->results);
    s->seconds = calloc((size_t)n, sizeof *s->seconds);
    if (!sums || !s->results || !s->seconds) { free(sums); drop_results(s); return TAKT_ENOMEM; }
    exp_options eo;
    api_exp_options(o, &eo);
    char *why = NULL;
    int failed = 0;
    eo.error = &why;
    int rc = sweep_run((const takt_plant *const *)s->plants, (int)n, &eo, sums, s->seconds,
                       &failed);
    takt_status st = api_status_of_run(rc);
    if (st == TAKT_OK && eo.stop && *eo.stop) st = TAKT_EINTERRUPTED;
    s->failed = st == TAKT_EDEADLOCK ? failed : -1;
    if (st == TAKT_EDEADLOCK && message) { *message = why; why = NULL; }
    free(why);
    for (long c = 0; c < n; c++) {
        if (st != TAKT_OK) { summary_free(sums[c]); continue; }
        if (!(s->results[c] = api_result_new(sums[c]))) st = TAKT_ENOMEM;
    }
    free(sums);
    if (st != TAKT_OK) {
        for (long c = 0; c < n; c++) takt_result_free(s->results[c]);
        memset(s->results, 0, (size_t)n * sizeof *s->results);
    }
    return st;
}

long takt_sweep_failed(const takt_sweep *s) { return s ? s->failed : -1; }

const takt_result *takt_sweep_result(const takt_sweep *s, long c)
{
    return s && s->results && c >= 0 && c < s->n ? s->results[c] : NULL;
}

double takt_sweep_seconds(const takt_sweep *s, long c)
{
    return s && s->seconds && c >= 0 && c < s->n ? s->seconds[c] : 0;
}

takt_status takt_sweep_write(const takt_sweep *s, takt_format format, FILE *f)
{
    if (!s || !f || !s->results || !s->results[0]) return TAKT_EBADINPUT;
    takt_summary **sums = malloc((size_t)s->n * sizeof *sums);
    if (!sums) return TAKT_ENOMEM;
    for (long c = 0; c < s->n; c++) sums[c] = s->results[c]->sum;
    int rc;
    switch (format) {
    case TAKT_FORMAT_TEXT: rc = report_sweep_table(f, &s->spec, sums, s->n); break;
    case TAKT_FORMAT_JSON: rc = report_sweep_json(f, &s->spec, sums, s->n); break;
    case TAKT_FORMAT_CSV:  rc = report_sweep_csv(f, &s->spec, sums, s->n); break;
    default:               free(sums); return TAKT_EBADINPUT;
    }
    free(sums);
    return rc < 0 || ferror(f) ? TAKT_EIO : TAKT_OK;
}
