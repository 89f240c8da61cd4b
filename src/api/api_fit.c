/*
 * api_fit.c — calibration through the public API (takt_fit_*): the plant
 * file and its fixed settings, the free settings, the observed series,
 * the checks made before any simulation, the run (src/exp/fit.h) and its
 * reports.  Candidate plants are built by the loader from the file with
 * the fixed settings and then the free ones, so a candidate is checked
 * exactly like a value typed into the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"
#include "core/diag.h"
#include "exp/cluster.h"
#include "exp/fit.h"
#include "io/observed.h"
#include "io/override.h"
#include "io/plant_edit.h"
#include "io/report_fit.h"
#include "model/plant.h"

struct takt_fit {
    char *path;
    char **fixed;
    int nfixed;
    takt_plant *base;               /* with the fixed settings           */
    fit_param params[FIT_MAX_PARAMS];
    int nparams;
    fit_observed obs;
    int have_obs;
    int budget, profile;
    fit_config config;              /* of the last run                   */
    fit_result result;
    int have_result;
    uint64_t seed;
};

/* All of d's problems, one line each (malloc'd). */
static char *diag_text(const diags *d, const char *head)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) return NULL;
    if (head) fprintf(m, "%s\n", head);
    char line[2048];
    for (int i = 0; i < d->n; i++) {
        diags_format(d, i, line, sizeof line);
        fprintf(m, "%s%s", i ? "\n" : "", line);
    }
    if (d->n == 0) fputs("out of memory", m);
    fclose(m);
    return text;
}

static takt_plant *load(const takt_fit *f, const char *const *sets, int n, diags *d)
{
    const char *all[2 * FIT_MAX_PARAMS + 64];
    if (f->nfixed + n > (int)(sizeof all / sizeof all[0])) return NULL;
    for (int i = 0; i < f->nfixed; i++) all[i] = f->fixed[i];
    for (int i = 0; i < n; i++) all[f->nfixed + i] = sets[i];
    return load_plant_file_with(f->path, all, f->nfixed + n, d);
}

takt_status takt_fit_new(const char *path, const char *const *settings, int nsettings,
                         takt_fit **out, char **message)
{
    if (message) *message = NULL;
    *out = NULL;
    if (!path || nsettings < 0 || nsettings > 64) return TAKT_EBADINPUT;
    takt_fit *f = calloc(1, sizeof *f);
    if (!f) return TAKT_ENOMEM;
    f->budget = 200;
    f->profile = -1;
    f->path = strdup(path);
    f->fixed = calloc((size_t)nsettings + 1, sizeof *f->fixed);
    int ok = f->path && f->fixed;
    for (int i = 0; ok && i < nsettings; i++) ok = (f->fixed[f->nfixed++] = strdup(settings[i])) != NULL;
    if (!ok) { takt_fit_free(f); return TAKT_ENOMEM; }
    diags d;
    diags_init(&d, path);
    f->base = load(f, NULL, 0, &d);
    if (!f->base) {
        int bad = d.n > 0;
        if (message) *message = diag_text(&d, NULL);
        diags_free(&d);
        takt_fit_free(f);
        return bad ? TAKT_EBADINPUT : TAKT_ENOMEM;
    }
    diags_free(&d);
    f->seed = f->base->seed;
    *out = f;
    return TAKT_OK;
}

void takt_fit_free(takt_fit *f)
{
    if (!f) return;
    if (f->have_result) fit_result_free(&f->result);
    fit_observed_free(&f->obs);
    for (int j = 0; j < f->nparams; j++) fit_param_free(&f->params[j]);
    for (int i = 0; i < f->nfixed; i++) free(f->fixed[i]);
    free(f->fixed);
    plant_free(f->base);
    free(f->path);
    free(f);
}

takt_status takt_fit_add_free(takt_fit *f, const char *free_setting, char **message)
{
    char err[600];
    if (message) *message = NULL;
    if (!f || !free_setting) return TAKT_EBADINPUT;
    if (f->nparams == FIT_MAX_PARAMS) {
        snprintf(err, sizeof err, "at most %d free settings", FIT_MAX_PARAMS);
        api_message(message, err);
        return TAKT_EBADINPUT;
    }
    fit_param *fp = &f->params[f->nparams];
    if (fit_param_parse(free_setting, fp, err, sizeof err) < 0) {
        api_message(message, err);
        return TAKT_EBADINPUT;
    }
    for (int j = 0; j < f->nparams; j++)
        if (!strcmp(f->params[j].path, fp->path)) {
            snprintf(err, sizeof err, "%s given twice", fp->path);
            fit_param_free(fp);
            api_message(message, err);
            return TAKT_EBADINPUT;
        }
    f->nparams++;
    return TAKT_OK;
}

takt_status takt_fit_observed(takt_fit *f, const char *path, char **message)
{
    if (message) *message = NULL;
    if (!f || !path) return TAKT_EBADINPUT;
    FILE *in = fopen(path, "rb");
    char *text = NULL;
    size_t len = 0;
    if (in) {
        FILE *m = open_memstream(&text, &len);
        char buf[65536];
        size_t n;
        while (m && (n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, m);
        int err = ferror(in);
        fclose(in);
        if (m) fclose(m);
        if (err) { free(text); text = NULL; }
    }
    if (!text) {
        char err[600];
        snprintf(err, sizeof err, "cannot read '%s'", path);
        api_message(message, err);
        return TAKT_EIO;
    }
    fit_observed_free(&f->obs);
    f->have_obs = 0;
    diags d;
    diags_init(&d, path);
    int rc = observed_parse(text, len, f->base, &f->obs, &d);
    free(text);
    if (rc < 0) {
        if (message) *message = diag_text(&d, NULL);
        diags_free(&d);
        return TAKT_EBADINPUT;
    }
    diags_free(&d);
    if (f->obs.has[FIT_DELIVERED] && !f->base->demand.enabled) {
        char err[600];
        snprintf(err, sizeof err, "%s: the plant has no demand:, so it delivers nothing to compare "
                 "with the 'delivered' column", path);
        api_message(message, err);
        fit_observed_free(&f->obs);
        return TAKT_EBADINPUT;
    }
    f->have_obs = 1;
    return TAKT_OK;
}

void takt_fit_set_budget(takt_fit *f, int simulations) { if (f && simulations > 0) f->budget = simulations; }
void takt_fit_set_profile(takt_fit *f, int simulations) { if (f) f->profile = simulations; }

/* "PATH=VALUE" of every free setting at v[]. */
static void settings_of(const takt_fit *f, const double *v, char text[][512], const char **sets)
{
    for (int j = 0; j < f->nparams; j++) {
        char value[128];
        fit_param_format(&f->params[j], v[j], value, sizeof value);
        snprintf(text[j], 512, "%s=%s", f->params[j].path, value);
        sets[j] = text[j];
    }
}

static int read_plant_file(const takt_fit *f, char **text, size_t *len)
{
    FILE *in = fopen(f->path, "rb");
    if (!in) return -1;
    FILE *m = open_memstream(text, len);
    char buf[65536];
    size_t n;
    while (m && (n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, m);
    int err = ferror(in) || !m;
    fclose(in);
    if (m) fclose(m);
    if (err) { free(*text); *text = NULL; return -1; }
    return 0;
}

takt_status takt_fit_check(takt_fit *f, int writable, char **message)
{
    if (message) *message = NULL;
    if (!f || f->nparams == 0) return TAKT_EBADINPUT;
    double v[FIT_MAX_PARAMS];
    char text[FIT_MAX_PARAMS][512];
    const char *sets[FIT_MAX_PARAMS];
    for (int j = 0; j < f->nparams; j++) v[j] = (f->params[j].lo + f->params[j].hi) / 2;
    for (int j = 0; j < f->nparams; j++)
        for (int end = 0; end < 2; end++) {
            double keep = v[j];
            v[j] = end ? f->params[j].hi : f->params[j].lo;
            settings_of(f, v, text, sets);
            diags d;
            diags_init(&d, f->path);
            takt_plant *p = load(f, sets, f->nparams, &d);
            v[j] = keep;
            if (p) { plant_free(p); diags_free(&d); continue; }
            char head[800];
            snprintf(head, sizeof head, "--free %s: the plant refuses %s:", f->params[j].path, sets[j]);
            int bad = d.n > 0;
            if (message) *message = diag_text(&d, head);
            diags_free(&d);
            return bad ? TAKT_EBADINPUT : TAKT_ENOMEM;
        }
    if (writable) {
        char *ptext = NULL, *out = NULL, err[600];
        size_t len = 0, olen;
        settings_of(f, v, text, sets);
        if (read_plant_file(f, &ptext, &len) < 0) {
            snprintf(err, sizeof err, "cannot read '%s'", f->path);
            api_message(message, err);
            return TAKT_EIO;
        }
        int rc = plant_edit(ptext, len, sets, f->nparams, &out, &olen, err, sizeof err);
        free(ptext);
        free(out);
        if (rc < 0) { api_message(message, err); return TAKT_EBADINPUT; }
    }
    return TAKT_OK;
}

static takt_plant *build(void *ctx, const char *const *sets, int n, char **why)
{
    const takt_fit *f = ctx;
    diags d;
    diags_init(&d, f->path);
    takt_plant *p = load(f, sets, n, &d);
    if (!p && d.n > 0) {
        char line[2048];
        diags_format(&d, 0, line, sizeof line);
        *why = strdup(line);
    }
    diags_free(&d);
    return p;
}

typedef struct tracer {
    void (*fn)(void *ctx, int simulations, double best);
    void *ctx;
} tracer;

static void trace(void *ctx, int evals, double loss, double best)
{
    (void)loss;
    const tracer *t = ctx;
    t->fn(t->ctx, evals, best);
}

takt_status takt_fit_run(takt_fit *f, const takt_options *o,
                         void (*trace_fn)(void *ctx, int simulations, double best), void *ctx,
                         char **message)
{
    if (message) *message = NULL;
    if (!f || f->nparams == 0 || !f->have_obs) return TAKT_EBADINPUT;
    if (cluster_size() > 1) {
        api_message(message, "fit runs in one process (its candidates depend on each other); "
                    "use threads instead of mpirun");
        return TAKT_EBADINPUT;
    }
    if (f->have_result) { fit_result_free(&f->result); f->have_result = 0; }
    tracer t = { trace_fn, ctx };
    fit_config *c = &f->config;
    memset(c, 0, sizeof *c);
    c->params = f->params;
    c->nparams = f->nparams;
    c->obs = &f->obs;
    c->build = build;
    c->build_ctx = f;
    api_exp_options(o, &c->opt);
    c->budget = f->budget;
    c->profile_evals = f->profile >= 0 ? f->profile : 4 * (f->nparams - 1);
    c->trace = trace_fn ? trace : NULL;
    c->trace_ctx = &t;
    f->seed = c->opt.have_seed ? c->opt.seed : f->base->seed;
    char *why = NULL;
    int rc = fit_run(c, &f->result, &why);
    c->trace = NULL;
    c->trace_ctx = NULL;
    if (rc == 0 && c->opt.stop && *c->opt.stop) { fit_result_free(&f->result); rc = -2; }
    takt_status st;
    if (rc == 0) { f->have_result = 1; st = TAKT_OK; }
    else if (rc == -3) {
        char err[2400];
        snprintf(err, sizeof err, "no candidate could be simulated: %s", why ? why : "?");
        api_message(message, err);
        st = TAKT_EBADINPUT;
    } else st = api_status_of_run(rc);
    free(why);
    return st;
}

takt_status takt_fit_write(const takt_fit *f, takt_format format, FILE *out)
{
    if (!f || !f->have_result || !out) return TAKT_EBADINPUT;
    fit_report rp = { f->base->name, &f->config, &f->result, f->seed, plant_units(f->base) };
    int rc;
    switch (format) {
    case TAKT_FORMAT_TEXT: rc = report_fit_text(out, &rp); break;
    case TAKT_FORMAT_JSON: rc = report_fit_json(out, &rp); break;
    case TAKT_FORMAT_HTML: rc = report_fit_html(out, &rp); break;
    default: return TAKT_EBADINPUT;
    }
    return rc < 0 ? TAKT_EIO : TAKT_OK;
}

takt_status takt_fit_plant_text(const takt_fit *f, char **text, size_t *len, char **message)
{
    if (message) *message = NULL;
    if (!f || !f->have_result || !text || !len) return TAKT_EBADINPUT;
    char st[FIT_MAX_PARAMS][512], err[600], *ptext = NULL;
    const char *sets[FIT_MAX_PARAMS];
    size_t plen = 0;
    settings_of(f, f->result.value, st, sets);
    if (read_plant_file(f, &ptext, &plen) < 0) {
        snprintf(err, sizeof err, "cannot read '%s'", f->path);
        api_message(message, err);
        return TAKT_EIO;
    }
    int rc = plant_edit(ptext, plen, sets, f->nparams, text, len, err, sizeof err);
    free(ptext);
    if (rc < 0) { api_message(message, err); return TAKT_EBADINPUT; }
    return TAKT_OK;
}

int takt_fit_simulations(const takt_fit *f) { return f && f->have_result ? f->result.evals : 0; }
int takt_fit_replications(const takt_fit *f) { return f && f->have_result ? f->result.replications : 0; }
