/*
 * run.c — one replication: set-up, the event loop, state accounting and
 * the observations of the measured window.  How parts move is in flow.c,
 * when machines can work in avail.c, products and orders in market.c.
 *
 * Statistics.  Every change of a machine's phase or availability charges
 * the time since the last change to the state it was in (run_account); at
 * the end of warm-up all accumulators restart, so the observation covers
 * exactly [warmup, warmup + horizon].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "run_internal.h"
#include "ring.h"
#include "bottleneck.h"
#include "../core/date.h"

static int state_of(const run *r, const machine *m)
{
    if (r->s[m->station].off) return r->s[m->station].closed ? ST_CLOSED : ST_OFF_SHIFT;
    if (m->down) return ST_FAILED;
    switch (m->phase) {
    case PH_WORK: return m->rem_setup > 0 ? ST_SETUP : ST_WORKING;
    case PH_IDLE: return m->waiting ? ST_WAITING : ST_STARVED;
    case PH_WAIT_RES: return ST_WAITING;
    case PH_MAINT: return ST_MAINTENANCE;
    default: return ST_BLOCKED;
    }
}

/* ACTIVE: active in the sense of the active-period method, the machine
 * itself holds the line up (planned maintenance does too).  HELD: held up
 * by others, blocked or waiting for units or a carrier; the deadlock watch
 * counts these.  A table, as run_account is on every event's path. */
enum { ACTIVE = 1, HELD = 2 };
static const unsigned char state_kind[NSTATES] = {
    [ST_WORKING] = ACTIVE, [ST_SETUP] = ACTIVE, [ST_FAILED] = ACTIVE,
    [ST_MAINTENANCE] = ACTIVE, [ST_BLOCKED] = HELD, [ST_WAITING] = HELD,
};

static int active(int state)
{
    return state_kind[state] & ACTIVE;
}

static inline void account(run *r, machine *m)
{
    int old = m->state, now = state_of(r, m);
    m->st[old] += r->now - m->since;
    m->since = r->now;
    m->state = (unsigned char)now;
    int ko = state_kind[old], kn = state_kind[now];
    r->n_blocked += (kn >> 1) - (ko >> 1);
    if ((ko ^ kn) & ACTIVE) {
        rstation *s = &r->s[m->station];
        s->nactive += active(now) ? 1 : -1;
        r->n_active += active(now) ? 1 : -1;
        if (r->bn && !r->bn_paused && s->nactive == (active(now) ? 1 : 0) &&
            bn_set(r->bn, m->station, active(now), r->now) < 0)
            r->oom = 1;
    }
}

/* With series: the same, and the interval to the series.  Out of line and
 * reached by a tail call, so that a run without series pays one test of
 * a pointer and run_account stays as lean as before. */
RUN_COLD static void account_series(run *r, machine *m)
{
    series_state(r->ser, m->station, m->state, m->since, r->now);
    account(r, m);
}

void run_account(run *r, machine *m)
{
    if (RUN_UNLIKELY(r->ser != NULL)) { account_series(r, m); return; }
    account(r, m);
}

RUN_COLD void run_series_level(run *r, const rbuf *b)
{
    series_level(r->ser, (int)(b - r->b), (double)b->count, b->last_t, r->now);
}

/* The bottleneck is analysed while the plant works as a whole: moments
 * when an open station is off shift are left out (otherwise a station
 * working a night shift alone would be the "bottleneck" of every night).
 * Shares are fractions of the analysed time. */
void run_bn_check(run *r)
{
    int off = r->n_off_open > 0;
    if (off == r->bn_paused || !r->bn) { r->bn_paused = off; return; }
    r->bn_paused = off;
    if (off) r->bn_paused_since = r->now;
    else {
        r->bn_paused_total += r->now - r->bn_paused_since;
        if (r->ser) series_spread(r->ser, r->ser->paused, 1, 1.0, r->bn_paused_since, r->now);
    }
    for (int i = 0; i < r->p->nstations; i++)
        if (r->s[i].nactive > 0 && bn_set(r->bn, i, !off, r->now) < 0) r->oom = 1;
}

void run_wip(run *r, long delta)
{
    if (r->measuring) r->wip_area += (double)r->wip * (r->now - r->wip_last);
    r->wip_last = r->now;
    r->wip += delta;
}

void run_schedule(run *r, double t, int type, int id, uint32_t gen, int arg)
{
    if (r->top_spent) {                       /* reuse the handled event's slot */
        r->top_spent = 0;
        heap_replace_top(&r->cal, t, (uint32_t)type, (uint32_t)id, gen, (uint32_t)arg);
        return;
    }
    if (heap_push(&r->cal, t, (uint32_t)type, (uint32_t)id, gen, (uint32_t)arg) < 0)
        r->oom = 1;
}

/* Follow-up actions run at once, nested, up to a small depth; deeper
 * ones wait in the FIFO agenda, which the event loop drains.  Nesting
 * saves the queueing on the hot path; the cap bounds the stack however
 * long a cascade of unblocking runs. */
void run_agenda(run *r, int type, int id)
{
    if (r->depth < 32) {
        action a = { type, id };
        r->depth++;
        flow_act(r, a);
        r->depth--;
        return;
    }
    if (r->acount == r->asize) {
        int nsize = r->asize * 2;
        action *n = malloc((size_t)nsize * sizeof *n);
        if (!n) { r->oom = 1; return; }
        for (int i = 0; i < r->acount; i++) n[i] = r->agenda[(r->ahead + i) % r->asize];
        free(r->agenda);
        r->agenda = n; r->ahead = 0; r->asize = nsize;
    }
    int i = r->ahead + r->acount;
    if (i >= r->asize) i -= r->asize;
    r->agenda[i].type = type;
    r->agenda[i].id = id;
    r->acount++;
}

/* Finished parts that station i's blocked machines hold. */
static long finished_held(const run *r, int i)
{
    long n = 0;
    for (int k = r->s[i].first; k < r->s[i].first + r->s[i].n; k++)
        if (r->m[k].phase == PH_BLOCKED) n += r->m[k].nheld - r->m[k].nout;
    return n;
}

static void start_window(run *r)
{
    r->measuring = 1;
    r->bn = r->lean ? NULL : bn_new(r->p->nstations, r->now);
    if (!r->bn && !r->lean) r->oom = 1;
    else if (r->bn && r->ser) bn_series(r->bn, r->ser);
    r->bn_paused = 0;
    r->bn_paused_total = 0;
    for (int i = 0; i < r->p->nstations && r->bn; i++)
        if (r->s[i].nactive > 0 && bn_set(r->bn, i, 1, r->now) < 0) r->oom = 1;
    run_bn_check(r);
    for (int i = 0; i < r->nm; i++) {
        machine *m = &r->m[i];
        run_account(r, m);
        memset(m->st, 0, sizeof m->st);
    }
    for (int i = 0; i < r->nb; i++) {
        rbuf *b = &r->b[i];
        b->area = 0; b->last_t = r->now; b->max = (double)b->count; b->parts_in = 0;
    }
    for (int i = 0; i < r->p->nstations; i++) {
        r->s[i].parts_out = r->s[i].sunk = 0;
        r->s[i].scrap_n = r->s[i].rework_n = 0;
        r->s[i].held_start = finished_held(r, i);
    }
    r->wip_area = 0; r->wip_last = r->now; r->wip_start = r->wip;
    r->sys_in = r->sys_out = r->scrapped = r->merged = 0;
    r->lead_sum = 0;
    res_window(r);
}

static int setup_machines(run *r, int rep)
{
    const takt_plant *p = r->p;
    int nmodes = 0, nheld = 0;
    for (int i = 0; i < p->nstations; i++) {
        r->nm += p->stations[i].servers;
        nmodes += p->stations[i].servers * p->stations[i].nfailures;
        nheld += p->stations[i].servers * (p->stations[i].batch > 1 ? p->stations[i].batch : 1);
    }
    r->m = calloc((size_t)r->nm + 1, sizeof *r->m);
    r->s = calloc((size_t)p->nstations + 1, sizeof *r->s);
    double *ttf = calloc((size_t)nmodes + 1, sizeof *ttf);
    rng *frng = calloc((size_t)nmodes + 1, sizeof *frng);
    int *idle = calloc((size_t)r->nm + 1, sizeof *idle);
    r->held_pool = calloc((size_t)nheld + 1, sizeof *r->held_pool);
    if (r->m) { r->m[0].rem_ttf = ttf; r->m[0].frng = frng; }
    if (r->s) r->s[0].idle = idle;
    if (!r->m || !r->s || !ttf || !frng || !idle || !r->held_pool) {
        if (!r->m) { free(ttf); free(frng); }
        if (!r->s) free(idle);
        return -1;
    }
    uint64_t seed = r->lim_seed;
    int mi = 0, fi = 0, hi = 0;
    for (int i = 0; i < p->nstations; i++) {
        const station *st = &p->stations[i];
        rstation *s = &r->s[i];
        s->first = mi; s->n = st->servers;
        s->idle = idle + mi;
        s->bhead = s->btail = -1;
        s->raw = st->nin == 0 && st->nsrc == 0;
        s->rework_buf = -1;
        s->line_end = station_is_line_end(p, i);
        for (int k = 0; k < st->nout; k++)
            if (st->rework_p > 0 && p->buffers[st->out[k]].to == st->rework_to)
                s->rework_buf = st->out[k];
        rng_seed(&s->cycle_rng, seed, (uint64_t)rep, 1, (uint64_t)i);
        rng_seed(&s->route_rng, seed, (uint64_t)rep, 2, (uint64_t)i);
        rng_seed(&s->mix_rng, seed, (uint64_t)rep, 6, (uint64_t)i);
        for (int k = 0; k < st->servers; k++, mi++) {
            machine *m = &r->m[mi];
            m->station = i;
            m->down = r->skip && r->skip[i];    /* left out: never works */
            m->prev = m->next = -1;
            m->idle_pos = -1;
            m->target = -1;
            m->last_product = -1;
            m->state = ST_STARVED;
            m->held = r->held_pool + hi;
            hi += st->batch > 1 ? st->batch : 1;
            m->rem_ttf = ttf + fi;
            m->frng = frng + fi;
            for (int f = 0; f < st->nfailures; f++, fi++) {
                rng_seed(&frng[fi], seed, (uint64_t)rep, 3 + (uint64_t)f, (uint64_t)mi);
                ttf[fi] = dist_sample(&st->failures[f].ttf, &frng[fi]);
            }
        }
    }
    return 0;
}

static int setup(run *r, const takt_plant *p, const run_limits *lim, int rep)
{
    memset(r, 0, sizeof *r);
    r->stuck_since = NAN;
    r->p = p;
    r->rep = rep;
    r->lim_seed = lim->seed;
    r->lean = lim->lean;
    r->skip = lim->lean ? lim->skip : NULL;
    r->t_warm = lim->warmup;
    r->t_end = lim->warmup + lim->horizon;
    r->t_recent = r->t_end - RECENT_SPAN > r->t_warm ? r->t_end - RECENT_SPAN : r->t_warm;
    r->nb = p->nbuffers + p->nsources;
    r->b = calloc((size_t)r->nb + 1, sizeof *r->b);
    r->src_rng = calloc((size_t)p->nsources + 1, sizeof *r->src_rng);
    r->asize = 64;
    r->agenda = malloc((size_t)r->asize * sizeof *r->agenda);
    if (!r->b || !r->src_rng || !r->agenda || setup_machines(r, rep) < 0 ||
        heap_init(&r->cal, (uint32_t)(2 * r->nm + p->nsources + 64)) < 0)
        return -1;
    for (int i = 0; i < r->nb; i++) {
        rbuf *b = &r->b[i];
        if (i < p->nbuffers) {
            const buffer *pb = &p->buffers[i];
            b->cap = pb->capacity; b->transit = pb->transit;
            b->from = pb->from; b->to = pb->to;
            b->ready_idx = -1;
        } else {
            const source *ps = &p->sources[i - p->nbuffers];
            b->cap = CAP_INF; b->from = -1; b->to = ps->to;
        }
    }
    for (int i = 0; i < p->nsources; i++)
        rng_seed(&r->src_rng[i], lim->seed, (uint64_t)rep, 0x5352, (uint64_t)i);
    /* The stop flag and progress every 65,536 events, or fewer when an
     * event may move a whole batch part by part: about the same work
     * between checks, so an interrupt acts within milliseconds. */
    int batch = 1;
    for (int i = 0; i < p->nstations; i++)
        if (p->stations[i].batch > batch) batch = p->stations[i].batch;
    int shift = 0;
    while ((1 << shift) < batch && shift < 16) shift++;
    r->check_mask = (0x10000u >> shift) - 1;
    if (avail_setup(r) < 0 || market_setup(r) < 0 || res_setup(r) < 0 || maint_setup(r) < 0)
        return -1;
    if (lim->series_period > 0 &&
        !(r->ser = series_new(p, r->t_warm, r->t_end, lim->series_period)))
        return -1;
    return 0;
}

static void teardown(run *r)
{
    if (r->m) { free(r->m[0].rem_ttf); free(r->m[0].frng); }
    if (r->s) free(r->s[0].idle);
    for (int i = 0; r->b && i < r->nb; i++) free(r->b[i].ring);
    free(r->m); free(r->s); free(r->b); free(r->src_rng); free(r->agenda);
    free(r->held_pool); free(r->cal_on);
    if (r->bn) bn_free(r->bn);
    if (r->p) market_free(r);
    res_free(r);
    free(r->maint_pool);
    series_free(r->ser);
    heap_free(&r->cal);
    free(r->error);
}

static int collect(run *r, rep_obs *o)
{
    const takt_plant *p = r->p;
    double h = r->t_end - r->t_warm;
    memset(o, 0, sizeof *o);
    o->stations = calloc((size_t)p->nstations + 1, sizeof *o->stations);
    o->buffers = calloc((size_t)r->nb + 1, sizeof *o->buffers);
    if (!o->stations || !o->buffers) return -1;
    for (int i = 0; i < r->nm; i++) run_account(r, &r->m[i]);
    double *sole = calloc((size_t)p->nstations + 1, sizeof *sole);
    double *shift = calloc((size_t)p->nstations + 1, sizeof *shift);
    if (!sole || !shift) { free(sole); free(shift); return -1; }
    if (r->bn) bn_finish(r->bn, r->now, sole, shift);
    if (r->bn_paused) {
        r->bn_paused_total += r->now - r->bn_paused_since;
        if (r->ser) series_spread(r->ser, r->ser->paused, 1, 1.0, r->bn_paused_since, r->now);
    }
    double analysed = (h - r->bn_paused_total) / h;
    for (int i = 0; i < p->nstations; i++) {
        o->stations[i].bn_sole = analysed > 0 ? sole[i] / analysed : 0;
        o->stations[i].bn_shifting = analysed > 0 ? shift[i] / analysed : 0;
    }
    free(sole); free(shift);
    for (int i = 0; i < p->nstations; i++) {
        station_obs *so = &o->stations[i];
        const rstation *s = &r->s[i];
        so->parts_out = (double)s->parts_out;
        so->recent_out = (double)s->recent_out;
        so->sunk = (double)s->sunk;
        so->scrapped = (double)s->scrap_n;
        so->reworked = (double)s->rework_n;
        so->held = (double)(finished_held(r, i) - s->held_start);
        for (int k = 0; k < s->n; k++)
            for (int q = 0; q < NSTATES; q++) so->state[q] += r->m[s->first + k].st[q];
        for (int q = 0; q < NSTATES; q++) so->state[q] /= h * s->n;
    }
    for (int i = 0; i < r->nb; i++) {
        buf_level(r, &r->b[i]);
        o->buffers[i].mean_level = r->b[i].area / h;
        o->buffers[i].max_level = r->b[i].max;
        o->buffers[i].parts_in = (double)r->b[i].parts_in;
    }
    run_wip(r, 0);
    o->throughput_per_hour = run_throughput(r->sys_out, r->t_warm, r->t_end);
    o->lead_time_s = r->sys_out ? r->lead_sum / (double)r->sys_out : 0.0;
    o->wip = r->wip_area / h;
    o->parts_in = r->sys_in;
    o->parts_out = r->sys_out;
    o->scrapped = r->scrapped;
    o->merged = r->merged;
    o->wip_start = r->wip_start;
    o->wip_end = r->wip;
    o->events = r->events;
    o->series = r->ser;             /* handed over, complete now */
    r->ser = NULL;
    if (res_collect(r, o) < 0) return -1;
    return market_collect(r, o);
}

static void dispatch(run *r, const event *e)
{
    machine *m = e->type <= EV_MACHINE_LAST ? &r->m[e->id] : NULL;
    switch (e->type) {
    case EV_DONE:
        if (e->gen != m->gen) break;
        avail_end_segment(r, m);
        flow_finish(r, m);
        break;
    case EV_SETUP:
        if (e->gen != m->gen) break;
        avail_end_segment(r, m);
        m->rem_setup = 0;
        avail_begin_work(r, m);
        break;
    case EV_OPFAIL:
        if (e->gen == m->gen) avail_fail(r, m, (int)e->arg);
        break;
    case EV_CALFAIL: avail_fail(r, m, (int)e->arg); break;
    case EV_REPAIR: avail_repair(r, m, (int)e->arg); break;
    case EV_ARRIVE:
        flow_arrive(r, (int)e->id);
        run_schedule(r, r->now + dist_sample(&r->p->sources[e->id].interarrival,
                                             &r->src_rng[e->id]), EV_ARRIVE, (int)e->id, 0, 0);
        break;
    case EV_READY: flow_ready(r, (int)e->id, e->gen); break;
    case EV_CARRIER: r->n_transit--; loop_back(r, (int)e->id); break;
    case EV_MAINT_END: maint_end(r, m); break;
    case EV_MAINT_DUE: maint_calendar_due(r, m, (int)e->arg); break;
    case EV_WARMUP: start_window(r); break;
    case EV_SHIFT: avail_shift(r, (int)e->id); break;
    case EV_OPEN: avail_open(r, (int)e->id); break;
    case EV_ORDER: market_order(r, (int)e->id); break;
    }
}

/* Describe a deadlock: the machines that hold parts they cannot pass on
 * and the full buffers they wait for. */
static void deadlock_report(run *r)
{
    const takt_plant *p = r->p;
    size_t cap = 4096, n = 0;
    char *msg = malloc(cap);
    if (!msg) { r->oom = 1; return; }
    n += (size_t)snprintf(msg, cap, "deadlock at %.6g h: no machine can work and nothing can move",
                          r->now / 3600);
    if (p->has_start) {
        char d[16];
        date_format(p->start_day + (int64_t)(r->now / 86400), d);
        n += (size_t)snprintf(msg + n, cap - n, " (%s)", d);
    }
    n += (size_t)snprintf(msg + n, cap - n, ".  Blocked:");
    int listed = 0;
    for (int i = 0; i < r->nm && n + 300 < cap; i++) {
        machine *m = &r->m[i];
        if (m->state == ST_WAITING && m->waiting) {
            for (int l = 0; l < p->ncarriers && n + 300 < cap; l++)
                if (m->wait_loops & (1u << l))
                    n += (size_t)snprintf(msg + n, cap - n, "%s station '%s' waiting for a "
                                          "carrier of loop '%s' (all %d in use)",
                                          listed++ ? ";" : "", p->stations[m->station].name,
                                          p->carriers[l].name, p->carriers[l].count);
            continue;
        }
        if (m->state != ST_BLOCKED) continue;
        const station *st = &p->stations[m->station];
        const char *what = m->target >= 0 ? p->buffers[m->target].name
                         : st->nout == 1 ? p->buffers[st->out[0]].name : "any of its outputs";
        n += (size_t)snprintf(msg + n, cap - n, "%s station '%s' waiting for room in '%s'",
                              listed++ ? ";" : "", p->stations[m->station].name, what);
        if (listed >= 12) { n += (size_t)snprintf(msg + n, cap - n, "; ..."); break; }
    }
    listed = 0;
    for (int i = 0; i < p->nstations && n + 300 < cap; i++) {
        const station *st = &p->stations[i];
        if (!st->assembly || r->s[i].nidle == 0) continue;
        n += (size_t)snprintf(msg + n, cap - n, "%s assembly '%s' waiting for parts in",
                              listed++ ? ";" : ".  Waiting:", st->name);
        for (int k = 0, named = 0; k < st->nin && n + 100 < cap; k++) {
            const buffer *b = &p->buffers[st->in[k]];
            if (r->b[st->in[k]].count >= (b->take > 1 ? b->take : 1)) continue;
            n += (size_t)snprintf(msg + n, cap - n, "%s '%s'", named++ ? "," : "", b->name);
        }
    }
    n += (size_t)snprintf(msg + n, cap - n, ".  Full buffers:");
    listed = 0;
    for (int i = 0; i < p->nbuffers && n + 200 < cap; i++) {
        rbuf *b = &r->b[i];
        if (b->cap > 0 && b->count >= b->cap) {
            n += (size_t)snprintf(msg + n, cap - n, "%s '%s' (%ld/%ld)", listed++ ? "," : "",
                                  p->buffers[i].name, b->count, b->cap);
            if (listed >= 12) { n += (size_t)snprintf(msg + n, cap - n, ", ..."); break; }
        }
    }
    if (!listed) n += (size_t)snprintf(msg + n, cap - n, " none");
    snprintf(msg + n, cap - n, ".");
    r->error = msg;
}

/* Stuck: nothing works, changes over or is under repair, something is
 * blocked, every station is on shift and nothing is on a conveyor.  With
 * no sources nothing can ever change again; with sources, new arrivals
 * might still free a starved assembly, so the state must last a week of
 * simulated time (or 1000 mean inter-arrival times, if longer). */
static int deadlocked(run *r)
{
    if (r->n_active > 0 || r->n_blocked == 0 || r->n_off > 0 || r->n_transit > 0) {
        r->stuck_since = NAN;
        return 0;
    }
    if (isnan(r->stuck_since)) r->stuck_since = r->now;
    if (r->p->nsources == 0) return 1;
    double patience = 7 * 86400.0;
    for (int i = 0; i < r->p->nsources; i++) {
        double m = 1000 * dist_mean(&r->p->sources[i].interarrival);
        if (m > patience) patience = m;
    }
    return r->now - r->stuck_since >= patience;
}

/* Zero-time loops (e.g. a zero cycle time feeding itself) never advance
 * the clock, and durations far below the clock's spacing advance it by
 * nothing or next to nothing: stop after 10 million events within one
 * resolution of time (1 microsecond). */
static int frozen(run *r)
{
    if (r->now - r->same_t >= TIME_RESOLUTION_S) { r->same_t = r->now; r->same_n = 0; return 0; }
    if (++r->same_n < 10000000) return 0;
    char *msg = malloc(256);
    if (msg) snprintf(msg, 256, "the simulation does not advance: more than 10,000,000 events "
                      "within 1 microsecond at %.6g h (a zero cycle time in a loop?)", r->now / 3600);
    r->error = msg;
    if (!msg) r->oom = 1;
    return 1;
}

/* Run the follow-up actions that were queued because they nested deep. */
static void drain_agenda(run *r)
{
    while (r->acount > 0) {
        action a = r->agenda[r->ahead];
        if (++r->ahead == r->asize) r->ahead = 0;
        r->acount--;
        flow_act(r, a);
    }
}

int run_replication(const takt_plant *p, const run_limits *lim, int rep, rep_obs *out)
{
    run r;
    int rc = 0;
    if (setup(&r, p, lim, rep) < 0) {
        int failed = r.oom == RUN_FAILED;      /* e.g. a backlog over the cap */
        if (failed) { out->error = r.error; r.error = NULL; }
        teardown(&r);
        return failed ? -3 : -1;
    }
    r.measuring = r.t_warm <= 0;
    if (r.t_warm > 0) run_schedule(&r, r.t_warm, EV_WARMUP, 0, 0, 0);
    else start_window(&r);
    run_schedule(&r, r.t_end, EV_END, 0, 0, 0);
    for (int i = 0; i < p->nsources; i++)
        if (!r.skip || !r.skip[p->sources[i].to])
            run_schedule(&r, dist_sample(&p->sources[i].interarrival, &r.src_rng[i]),
                         EV_ARRIVE, i, 0, 0);
    for (int i = 0; i < r.nm; i++) flow_idle(&r, &r.m[i]);
    for (int i = 0; i < p->nstations; i++)
        for (int k = 0; k < r.s[i].n && !(r.skip && r.skip[i]); k++)
            for (int f = 0; f < p->stations[i].nfailures; f++)
                if (p->stations[i].failures[f].clock == CLOCK_CALENDAR)
                    run_schedule(&r, r.m[r.s[i].first + k].rem_ttf[f], EV_CALFAIL,
                                 r.s[i].first + k, 0, f);
    event e;
    for (;;) {
        drain_agenda(&r);
        if (r.oom) { rc = r.oom == RUN_FAILED ? -3 : -1; break; }
        if (heap_empty(&r.cal)) break;
        e = *heap_top(&r.cal);                 /* handled in place: the first */
        r.top_spent = 1;                       /* event it schedules takes   */
        r.now = e.t;                           /* its slot (run_schedule)    */
        r.events++;
        if (e.type == EV_END) break;
        dispatch(&r, &e);
        if (r.top_spent) { event gone; heap_pop(&r.cal, &gone); r.top_spent = 0; }
        if (frozen(&r)) { rc = -3; break; }
        if (r.n_blocked > 0 && r.n_active == 0) {
            drain_agenda(&r);
            if (deadlocked(&r)) { deadlock_report(&r); rc = -3; break; }
        }
        if ((r.events & r.check_mask) == 0) {
            if (lim->stop && *lim->stop) { rc = -2; break; }
            if (lim->progress) lim->progress(lim->progress_ctx, rep, r.now / r.t_end);
        }
    }
    if (rc == -3) { out->error = r.error; r.error = NULL; }
    if (rc == 0 && collect(&r, out) < 0) rc = -1;
    teardown(&r);
    return rc;
}

/* Stations joined to i through buffers (union of their ends, repeated
 * until nothing changes: plants are small, this runs once per candidate). */
unsigned char *run_skippable(const takt_plant *p, int i)
{
    if (p->nresources > 0 || p->ncarriers > 0 || i < 0 || i >= p->nstations) return NULL;
    for (int k = 0; k < p->nstations; k++)
        if (p->stations[k].nmaint > 0) return NULL;
    unsigned char *skip = malloc((size_t)p->nstations);
    if (!skip) return NULL;
    memset(skip, 1, (size_t)p->nstations);
    skip[i] = 0;
    for (int changed = 1; changed; ) {
        changed = 0;
        for (int b = 0; b < p->nbuffers; b++) {
            int f = p->buffers[b].from, t = p->buffers[b].to;
            if (f < 0 || t < 0 || skip[f] == skip[t]) continue;
            skip[f] = skip[t] = 0;
            changed = 1;
        }
    }
    int any = 0;
    for (int k = 0; k < p->nstations; k++) any |= skip[k];
    if (!any) { free(skip); return NULL; }
    return skip;
}

void rep_obs_free(rep_obs *o)
{
    if (!o) return;
    free(o->stations); free(o->buffers); free(o->pools); free(o->loops);
    free(o->day_produced); free(o->day_delivered); free(o->day_backlog);
    free(o->target_reached); free(o->wait); free(o->error);
    series_free(o->series);
    memset(o, 0, sizeof *o);
}
