/*
 * api_run.c — options and simulating: the public takt_options wraps the
 * experiment layer's exp_options, so adding an internal option never
 * changes the ABI.
 */
#include <math.h>
#include <stdlib.h>
#include "api.h"
#include "exp/sweep.h"
#include "exp/catalogue.h"
#include "exp/improve.h"

takt_options *takt_options_new(void)
{
    takt_options *o = calloc(1, sizeof *o);
    if (o) exp_options_default(&o->exp);
    return o;
}

void takt_options_free(takt_options *o) { free(o); }

takt_status takt_options_set_replications(takt_options *o, int replications)
{
    if (!o || replications < 1 || replications > 1000000) return TAKT_EBADINPUT;
    o->exp.replications = replications;
    return TAKT_OK;
}

takt_status takt_options_set_seed(takt_options *o, uint64_t seed)
{
    if (!o) return TAKT_EBADINPUT;
    o->exp.seed = seed;
    o->exp.have_seed = 1;
    return TAKT_OK;
}

/* The same bound `takt run` puts on --horizon and --warmup. */
#define LONGEST_S (1000.0 * 365 * 86400)

takt_status takt_options_set_horizon(takt_options *o, double seconds)
{
    if (!o || !(seconds > 0 && seconds <= LONGEST_S)) return TAKT_EBADINPUT;
    o->exp.horizon = seconds;
    return TAKT_OK;
}

takt_status takt_options_set_warmup(takt_options *o, double seconds)
{
    if (!o || !(seconds >= 0 && seconds <= LONGEST_S)) return TAKT_EBADINPUT;
    o->exp.warmup = seconds;
    return TAKT_OK;
}

takt_status takt_options_set_threads(takt_options *o, int threads)
{
    if (!o || threads < 1 || threads > 256) return TAKT_EBADINPUT;
    o->exp.threads = threads;
    return TAKT_OK;
}

void takt_options_set_progress(takt_options *o, void (*progress)(void *, int, double), void *ctx)
{
    if (!o) return;
    o->exp.progress = progress;
    o->exp.progress_ctx = ctx;
}

void takt_options_cancel(takt_options *o) { if (o) o->cancelled = 1; }
void takt_options_reset_cancel(takt_options *o) { if (o) o->cancelled = 0; }
void takt_options_set_stop_flag(takt_options *o, const volatile int *flag) { if (o) o->flag = flag; }

int takt_options_replications_for(const takt_options *o, const takt_plant *p)
{
    if (o && o->exp.replications > 0) return o->exp.replications;
    return p ? p->replications : 0;
}

takt_status takt_options_set_bottleneck(takt_options *o, takt_bottleneck_method m)
{
    if (!o || (m != TAKT_BOTTLENECK_PAIRED && m != TAKT_BOTTLENECK_ACTIVE)) return TAKT_EBADINPUT;
    o->exp.bottleneck = m == TAKT_BOTTLENECK_ACTIVE ? EXP_BN_ACTIVE : EXP_BN_PAIRED;
    return TAKT_OK;
}

takt_status takt_options_set_series(takt_options *o, int on)
{
    if (!o || (on != 0 && on != 1)) return TAKT_EBADINPUT;
    o->exp.series = on;
    return TAKT_OK;
}

int takt_options_paired_runs_for(const takt_options *o, const takt_plant *p)
{
    if (!p || (o && o->exp.bottleneck == EXP_BN_ACTIVE)) return 0;
    return takt_options_replications_for(o, p) * improve_shortlist_max(p);
}

void api_exp_options(const takt_options *o, exp_options *out)
{
    if (!o) { exp_options_default(out); return; }
    *out = o->exp;
    out->stop = o->flag ? o->flag : &o->cancelled;
    out->error = NULL;
}

takt_status api_status_of_run(int rc)
{
    switch (rc) {
    case 0:           return TAKT_OK;
    case -2:          return TAKT_EINTERRUPTED;
    case -3:          return TAKT_EDEADLOCK;
    case EXP_NOT_ROOT: return TAKT_ENOTROOT;
    default:          return TAKT_ENOMEM;
    }
}

takt_result *api_result_new(takt_summary *sum)
{
    takt_result *r = malloc(sizeof *r);
    if (!r) { summary_free(sum); return NULL; }
    r->sum = sum;
    r->bottleneck = summary_bottleneck(sum);
    return r;
}

takt_status takt_simulate(const takt_plant *p, const takt_options *o, takt_result **out,
                          char **message)
{
    if (message) *message = NULL;
    if (!out) return TAKT_EBADINPUT;
    *out = NULL;
    if (!p) { api_message(message, "no plant"); return TAKT_EBADINPUT; }
    exp_options eo;
    api_exp_options(o, &eo);
    char *why = NULL;
    eo.error = &why;
    takt_summary *sum = NULL;
    int rc = exp_run(p, &eo, &sum);
    takt_status st = api_status_of_run(rc);
    /* a stop requested as the last replication ended still counts: the
     * caller asked for no result */
    if (st == TAKT_OK && eo.stop && *eo.stop) st = TAKT_EINTERRUPTED;
    if (st != TAKT_OK) {
        if (st == TAKT_EDEADLOCK && message) *message = why; else free(why);
        summary_free(sum);
        return st;
    }
    free(why);
    if (!(*out = api_result_new(sum))) return TAKT_ENOMEM;
    return TAKT_OK;
}

void takt_result_free(takt_result *r)
{
    if (!r) return;
    summary_free(r->sum);
    free(r);
}

const takt_plant *takt_result_plant(const takt_result *r) { return r ? r->sum->plant : NULL; }
int takt_result_replications(const takt_result *r) { return r ? r->sum->replications : 0; }
uint64_t takt_result_seed(const takt_result *r) { return r ? r->sum->seed : 0; }
double takt_result_horizon(const takt_result *r) { return r ? r->sum->horizon : NAN; }
double takt_result_warmup(const takt_result *r) { return r ? r->sum->warmup : NAN; }
uint64_t takt_result_events(const takt_result *r) { return r ? r->sum->events : 0; }
