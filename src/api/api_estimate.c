/*
 * api_estimate.c — the analytic estimate (src/analytic/) through the
 * public API: a takt_estimate holds the decomposition's answer and the
 * plant it describes, for its reports.
 */
#include <stdlib.h>
#include <string.h>
#include "api.h"
#include "analytic/estimate.h"
#include "io/jsonw.h"
#include "io/report_estimate.h"

struct takt_estimate {
    const takt_plant *plant;        /* borrowed                          */
    estimate e;
};

takt_status takt_estimate_plant(const takt_plant *p, takt_estimate **out)
{
    if (!out) return TAKT_EBADINPUT;
    *out = NULL;
    if (!p) return TAKT_EBADINPUT;
    takt_estimate *t = calloc(1, sizeof *t);
    if (!t) return TAKT_ENOMEM;
    t->plant = p;
    if (estimate_plant(p, &t->e) != 0) {
        estimate_free(&t->e);
        free(t);
        return TAKT_ENOMEM;
    }
    *out = t;
    return TAKT_OK;
}

void takt_estimate_free(takt_estimate *e)
{
    if (!e) return;
    estimate_free(&e->e);
    free(e);
}

int takt_estimate_applicable(const takt_estimate *e) { return e && e->e.applicable; }

takt_status takt_estimate_figure(const takt_estimate *e, const char *key, double *value)
{
    if (!e || !key) return TAKT_EBADINPUT;
    if (!e->e.applicable || strcmp(key, "throughput_per_hour")) return TAKT_ENOTFOUND;
    if (value) *value = e->e.throughput_per_hour;
    return TAKT_OK;
}

takt_status takt_estimate_write(const takt_estimate *e, takt_format format, FILE *f)
{
    if (!e || !f) return TAKT_EBADINPUT;
    if (format == TAKT_FORMAT_TEXT) {
        if (estimate_text(f, e->plant, &e->e) < 0) return TAKT_EIO;
    } else if (format == TAKT_FORMAT_JSON) {
        jsonw w;
        jw_init(&w, f, 1);
        estimate_json(&w, NULL, e->plant, &e->e);
        fputc('\n', f);
    } else {
        return TAKT_EBADINPUT;
    }
    return ferror(f) ? TAKT_EIO : TAKT_OK;
}
