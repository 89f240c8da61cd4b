/*
 * api_improve.c — `takt improve` through the public API: the gain of
 * improving each station, from paired runs (src/exp/improve.h).
 */
#include <math.h>
#include <stdlib.h>
#include "api.h"
#include "exp/improve.h"
#include "io/report_improve.h"

struct takt_improvement {
    improve_result r;
};

int takt_improve_station_count(const takt_plant *p, takt_improve_what what)
{
    if (!p) return 0;
    int n = 0;
    for (int i = 0; i < p->nstations; i++)
        if (what == TAKT_IMPROVE_CYCLE || p->stations[i].nfailures > 0) n++;
    return n;
}

takt_status takt_improve(const takt_plant *p, const takt_options *o, takt_improve_what what,
                         double by, takt_improvement **out, char **message)
{
    if (message) *message = NULL;
    if (!out) return TAKT_EBADINPUT;
    *out = NULL;
    if (!p) { api_message(message, "no plant"); return TAKT_EBADINPUT; }
    if (!(by > 0 && by < 1)) {
        api_message(message, "the share to improve by must be above 0 and below 1");
        return TAKT_EBADINPUT;
    }
    if (what != TAKT_IMPROVE_CYCLE && what != TAKT_IMPROVE_MTTR) return TAKT_EBADINPUT;
    takt_improvement *im = calloc(1, sizeof *im);
    if (!im) return TAKT_ENOMEM;
    exp_options eo;
    api_exp_options(o, &eo);
    char *why = NULL;
    eo.error = &why;
    int rc = improve_all(p, &eo, what == TAKT_IMPROVE_MTTR ? IMPROVE_MTTR : IMPROVE_CYCLE, by, &im->r);
    takt_status st;
    if (rc == -4) {
        api_message(message, "no station has failures: nothing to repair faster");
        st = TAKT_EBADINPUT;
    } else {
        st = api_status_of_run(rc);
        if (st == TAKT_OK && eo.stop && *eo.stop) st = TAKT_EINTERRUPTED;
    }
    if (st == TAKT_EDEADLOCK && message) { *message = why; why = NULL; }
    free(why);
    if (st != TAKT_OK) { takt_improvement_free(im); return st; }
    *out = im;
    return TAKT_OK;
}

void takt_improvement_free(takt_improvement *im)
{
    if (!im) return;
    improve_result_free(&im->r);
    free(im);
}

int takt_improvement_count(const takt_improvement *im) { return im ? im->r.n : 0; }

const char *takt_improvement_station(const takt_improvement *im, int i)
{
    if (!im || i < 0 || i >= im->r.n) return NULL;
    return im->r.plant->stations[im->r.gains[i].station].name;
}

takt_status takt_improvement_gain(const takt_improvement *im, int i, double *mean, double *ci95)
{
    if (!im || i < 0 || i >= im->r.n) return TAKT_ENOTFOUND;
    if (mean) *mean = im->r.gains[i].gain.mean;
    if (ci95) *ci95 = im->r.gains[i].gain.ci95;
    return TAKT_OK;
}

takt_status takt_improvement_write(const takt_improvement *im, takt_format format, FILE *f)
{
    if (!im || !f) return TAKT_EBADINPUT;
    int rc;
    if (format == TAKT_FORMAT_TEXT) rc = report_improve_text(f, &im->r);
    else if (format == TAKT_FORMAT_JSON) rc = report_improve_json(f, &im->r);
    else return TAKT_EBADINPUT;
    return rc < 0 ? TAKT_EIO : TAKT_OK;
}
