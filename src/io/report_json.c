/*
 * report_json.c — the JSON report.  Its names are a contract read by other
 * tools (see docs/json.md); it holds no wall-clock figures, so the same
 * plant and seed give the same bytes however the run was scheduled.
 */
#include <math.h>
#include "jsonw.h"
#include "report.h"
#include "../core/date.h"

static void date_str(jsonw *w, const char *key, const takt_plant *p, double t)
{
    char buf[16];
    if (isnan(t)) { jw_null(w, key); return; }
    date_format(p->start_day + (int64_t)floor(t / 86400.0), buf);
    jw_str(w, key, buf);
}

static void plant_layer(jsonw *w, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    char buf[16];
    if (s->ndays > 0) {
        jw_arr(w, "daily");
        for (int d = 0; d < s->ndays; d++) {
            const day_sum *ds = &s->daily[d];
            date_format(p->start_day + d, buf);
            jw_obj(w, NULL);
            jw_str(w, "date", buf);
            jw_kpi(w, "produced", ds->produced.mean, ds->produced.ci95);
            jw_kpi(w, "delivered", ds->delivered.mean, ds->delivered.ci95);
            jw_kpi(w, "backlog", ds->backlog.mean, ds->backlog.ci95);
            jw_end(w);
        }
        jw_end(w);
        jw_arr(w, "monthly");
        for (int m = 0; m < s->nmonths; m++) {
            const month_sum *ms = &s->monthly[m];
            date_format_month(ms->first_day, buf);
            jw_obj(w, NULL);
            jw_str(w, "month", buf);
            jw_kpi(w, "produced", ms->produced.mean, ms->produced.ci95);
            jw_kpi(w, "delivered", ms->delivered.mean, ms->delivered.ci95);
            jw_kpi(w, "backlog_end", ms->backlog_end.mean, ms->backlog_end.ci95);
            jw_end(w);
        }
        jw_end(w);
    }
    if (p->ntargets > 0) {
        jw_arr(w, "targets");
        for (int t = 0; t < p->ntargets; t++) {
            const target *tg = &p->targets[t];
            const target_sum *ts = &s->targets[t];
            jw_obj(w, NULL);
            jw_str(w, "what", tg->what == TARGET_PRODUCED ? "produced" : "delivered");
            jw_num(w, "value", tg->value);
            date_str(w, "by", p, tg->by - 1);  /* the end of that day */
            date_str(w, "reached", p, ts->reached);
            date_str(w, "reached_lo", p, ts->lo);
            date_str(w, "reached_hi", p, ts->hi);
            jw_int(w, "replications_reached", ts->nreached);
            jw_bool(w, "met", ts->met);
            jw_end(w);
        }
        jw_end(w);
    }
    if (p->nworkshops > 0) {
        jw_obj(w, "workshops");
        for (int i = 0; i < p->nworkshops; i++) {
            const workshop_sum *ws = &s->workshops[i];
            jw_obj(w, p->workshops[i].name);
            jw_kpi(w, "parts_out", ws->parts_out.mean, ws->parts_out.ci95);
            jw_obj(w, "states");
            for (int q = 0; q < NSTATES; q++)
                jw_kpi(w, station_state_names[q], ws->state[q].mean, ws->state[q].ci95);
            jw_end(w);
            jw_end(w);
        }
        jw_end(w);
    }
    if (p->has_start) {
        jw_obj(w, "end_rate");
        date_str(w, "from", p, s->recent_from);
        if (p->takt > 0) jw_num(w, "planned_takt_s", p->takt);
        jw_kpi(w, "annual_capacity", s->annual_capacity.mean, s->annual_capacity.ci95);
        jw_obj(w, "line_ends");
        for (int i = 0; i < p->nstations; i++) {
            const station_sum *ss = &s->stations[i];
            if (!station_is_line_end(p, i) || ss->recent_on_s <= 0) continue;
            double jph = ss->recent_out.mean / (ss->recent_on_s / 3600);
            jw_obj(w, p->stations[i].name);
            jw_num(w, "jobs_per_hour_on_shift", jph);
            jw_num(w, "takt_achieved_s", jph > 0 ? 3600 / jph : NAN);
            jw_end(w);
        }
        jw_end(w);
        jw_end(w);
    }
    if (p->demand.enabled) {
        jw_obj(w, "customer_wait_weeks");
        jw_num(w, "mean", s->wait_mean_w);
        jw_num(w, "p50", s->wait_p50_w);
        jw_num(w, "p90", s->wait_p90_w);
        jw_int(w, "deliveries", s->wait_n);
        jw_end(w);
        jw_kpi(w, "delivered", s->delivered.mean, s->delivered.ci95);
    }
}

/* "bottleneck": the station the reports name, how, and what the
 * improvement that confirmed it gained (docs/diagnosis.md); the gain is
 * null when no improvement was simulated. */
static void bottleneck(jsonw *w, const takt_summary *s)
{
    const bottleneck_sum *b = &s->bottleneck;
    if (b->station < 0) { jw_null(w, "bottleneck"); return; }
    jw_obj(w, "bottleneck");
    jw_str(w, "station", s->plant->stations[b->station].name);
    jw_str(w, "method", bn_method_name(b->method));
    if (isnan(b->gain.mean)) jw_null(w, "throughput_gain_per_hour");
    else jw_kpi(w, "throughput_gain_per_hour", b->gain.mean, b->gain.ci95);
    if (b->ncandidates > 0) {
        jw_num(w, "by", b->by);
        jw_arr(w, "candidates");
        for (int k = 0; k < b->ncandidates; k++) {
            jw_obj(w, NULL);
            jw_str(w, "station", s->plant->stations[b->candidates[k].station].name);
            jw_kpi(w, "throughput_gain_per_hour", b->candidates[k].gain.mean,
                   b->candidates[k].gain.ci95);
            jw_end(w);
        }
        jw_end(w);
    }
    jw_end(w);
}

int report_json(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    jsonw w;
    jw_init(&w, f, 1);
    jw_obj(&w, NULL);
    jw_str(&w, "plant", p->name);
    jw_int(&w, "replications", s->replications);
    jw_uint(&w, "seed", (unsigned long long)s->seed);
    jw_num(&w, "horizon_s", s->horizon);
    jw_num(&w, "warmup_s", s->warmup);
    if (p->has_start) {
        char buf[16];
        date_format(p->start_day, buf);
        jw_str(&w, "start", buf);
    }
    jw_kpi(&w, "throughput_per_hour", s->throughput_per_hour.mean, s->throughput_per_hour.ci95);
    jw_kpi(&w, "lead_time_s", s->lead_time_s.mean, s->lead_time_s.ci95);
    jw_kpi(&w, "wip", s->wip.mean, s->wip.ci95);
    jw_kpi(&w, "produced", s->produced.mean, s->produced.ci95);
    jw_kpi(&w, "scrapped", s->scrapped.mean, s->scrapped.ci95);
    bottleneck(&w, s);
    jw_obj(&w, "stations");
    for (int i = 0; i < p->nstations; i++) {
        const station_sum *st = &s->stations[i];
        jw_obj(&w, p->stations[i].name);
        jw_kpi(&w, "parts_out", st->parts_out.mean, st->parts_out.ci95);
        jw_obj(&w, "states");
        for (int q = 0; q < NSTATES; q++)
            jw_kpi(&w, station_state_names[q], st->state[q].mean, st->state[q].ci95);
        jw_end(&w);
        jw_end(&w);
    }
    jw_end(&w);
    jw_obj(&w, "buffers");
    for (int i = 0; i < p->nbuffers + p->nsources; i++) {
        jw_obj(&w, plant_buffer_name(p, i));
        jw_kpi(&w, "mean_level", s->buffers[i].mean_level.mean, s->buffers[i].mean_level.ci95);
        jw_num(&w, "max_level", s->buffers[i].max_level);
        jw_end(&w);
    }
    jw_end(&w);
    jw_obj(&w, "bottlenecks");
    for (int i = 0; i < p->nstations; i++) {
        jw_obj(&w, p->stations[i].name);
        jw_num(&w, "sole", s->stations[i].bn_sole.mean);
        jw_num(&w, "shifting", s->stations[i].bn_shifting.mean);
        jw_end(&w);
    }
    jw_end(&w);
    plant_layer(&w, s);
    jw_end(&w);
    return ferror(f) ? -1 : 0;
}

int takt_write_json(FILE *f, const takt_summary *s) { return report_json(f, s); }
