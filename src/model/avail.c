/*
 * avail.c — when machines can work: failures, shift calendars, openings
 * and ramp-up.
 *
 * Failures.  Each machine keeps, per failure mode on the operating clock,
 * the operating time left until that mode fails.  When it starts or resumes
 * work it schedules one event: the completion, or the earliest operating
 * failure if that comes first.  Calendar-clock modes schedule their own
 * failure events in absolute time and may strike in any state.  A failed
 * machine keeps its part(s) and resumes the remaining work after repair;
 * the time to failure is drawn afresh when a repair ends.  Changeovers do
 * not age the operating clock (it counts processing only).
 *
 * Shifts and openings.  A station is off while its calendar is off or
 * before it opens.  Going off freezes the work in progress exactly like a
 * failure (the pending work event is cancelled by bumping the machine's
 * generation); going on resumes it.  Repairs continue off shift.
 *
 * Ramp-up.  The cycle time of a part is multiplied by the product of the
 * plant's, the workshop's and the station's ramp curves at the moment the
 * part starts (piecewise linear in time, flat outside the points).
 */
#include <math.h>
#include <stdlib.h>
#include "run_internal.h"
#include "calendar.h"

void avail_begin_work(run *r, machine *m)
{
    const station *st = &r->p->stations[m->station];
    int id = (int)(m - r->m);
    m->phase = PH_WORK;
    run_account(r, m);
    m->seg_start = r->now;
    if (m->rem_setup > 0) {
        run_schedule(r, r->now + m->rem_setup, EV_SETUP, id, m->gen, 0);
        return;
    }
    double first = m->rem_work; int mode = -1;
    for (int k = 0; k < st->nfailures; k++)
        if (st->failures[k].clock == CLOCK_OPERATING && m->rem_ttf[k] < first) {
            first = m->rem_ttf[k]; mode = k;
        }
    if (mode < 0) run_schedule(r, r->now + first, EV_DONE, id, m->gen, 0);
    else run_schedule(r, r->now + first, EV_OPFAIL, id, m->gen, mode);
}

/* Close the current segment: charge elapsed time to the changeover, or to
 * the part and the operating failure clocks. */
void avail_end_segment(run *r, machine *m)
{
    const station *st = &r->p->stations[m->station];
    double done = r->now - m->seg_start;
    m->seg_start = r->now;
    if (m->rem_setup > 0) {
        m->rem_setup -= done;
        if (m->rem_setup < 0) m->rem_setup = 0;
        return;
    }
    for (int k = 0; k < st->nfailures; k++)
        if (st->failures[k].clock == CLOCK_OPERATING) m->rem_ttf[k] -= done;
    m->op_time += done;
    m->rem_work -= done;
    if (m->rem_work < 0) m->rem_work = 0;
}

/* Stop whatever m is doing (failure or going off shift). */
static void freeze(run *r, machine *m)
{
    if (m->phase == PH_WORK) { avail_end_segment(r, m); m->gen++; }
    if (m->phase == PH_IDLE) {
        flow_idle_remove(r, m);
        if (m->waiting) loop_unwait(r, m);     /* asks again when it resumes */
    }
}

void avail_fail(run *r, machine *m, int mode)
{
    const failure_mode *f = &r->p->stations[m->station].failures[mode];
    if (machine_available(r, m)) freeze(r, m);
    m->down++;
    run_account(r, m);
    if (f->repair_by >= 0)                     /* waits for the crew, failed */
        res_request(r, RQ_REPAIR, (int)(m - r->m), mode);
    else
        run_schedule(r, r->now + dist_sample(&f->ttr, &m->frng[mode]), EV_REPAIR,
                     (int)(m - r->m), 0, mode);
}

void avail_repair(run *r, machine *m, int mode)
{
    const failure_mode *f = &r->p->stations[m->station].failures[mode];
    double ttf = dist_sample(&f->ttf, &m->frng[mode]);
    if (f->clock == CLOCK_OPERATING) m->rem_ttf[mode] = ttf;
    else run_schedule(r, r->now + ttf, EV_CALFAIL, (int)(m - r->m), 0, mode);
    m->down--;
    if (machine_available(r, m)) flow_resume(r, m);
    else run_account(r, m);
    if (f->repair_by >= 0) res_release(r, f->repair_by, 1);
}

/* Station i goes off (on = 0) or on (on = 1). */
static void station_switch(run *r, int i, int on)
{
    rstation *s = &r->s[i];
    if (!on == !!s->off) return;
    int before = s->off && !s->closed;
    for (int k = 0; k < s->n; k++) {
        machine *m = &r->m[s->first + k];
        if (!on && machine_available(r, m)) freeze(r, m);
    }
    s->off = !on;
    r->n_off += on ? -1 : 1;
    r->n_off_open += (s->off && !s->closed) - before;
    for (int k = 0; k < s->n; k++) {
        machine *m = &r->m[s->first + k];
        if (on && machine_available(r, m)) flow_resume(r, m);
        else run_account(r, m);
    }
    run_bn_check(r);
}

static int station_should_run(const run *r, int i)
{
    const rstation *s = &r->s[i];
    return !s->closed && (s->cal < 0 || r->cal_on[s->cal]);
}

/* Calendar c changes: switch its stations, schedule its next change. */
void avail_shift(run *r, int c)
{
    const takt_plant *p = r->p;
    r->cal_on[c] = (unsigned char)calendar_on(&p->calendars[c], p->start_day, r->now);
    for (int i = 0; i < p->nstations; i++)
        if (r->s[i].cal == c) station_switch(r, i, station_should_run(r, i));
    double next = calendar_next_change(&p->calendars[c], p->start_day, r->now);
    if (next < r->t_end) run_schedule(r, next, EV_SHIFT, c, 0, 0);
    if (p->nresources) res_shift(r, c);
}

void avail_open(run *r, int i)
{
    rstation *s = &r->s[i];
    int before = s->off && !s->closed;
    s->closed = 0;
    r->n_off_open += (s->off && !s->closed) - before;
    /* opening off shift: its machines go from closed to off shift now */
    if (!station_should_run(r, i))
        for (int k = 0; k < s->n; k++) run_account(r, &r->m[s->first + k]);
    station_switch(r, i, station_should_run(r, i));
    run_bn_check(r);
}

static double ramp_end(const ramp *rp)
{
    return rp->n ? rp->pts[rp->n - 1].t : -INFINITY;
}

double avail_ramp(run *r, int i)
{
    rstation *s = &r->s[i];
    if (s->ramp_cached_t == r->now || s->ramp_cached_t >= s->ramp_done)
        return s->ramp_cached;                 /* same instant, or flat for good */
    const station *st = &r->p->stations[i];
    double f = ramp_at(&r->p->ramp, r->now) * ramp_at(&st->ramp, r->now);
    if (st->workshop >= 0 && st->workshop < r->p->nworkshops)
        f *= ramp_at(&r->p->workshops[st->workshop].ramp, r->now);
    s->ramp_cached_t = r->now;
    s->ramp_cached = f;
    return f;
}

/* Calendars in force, openings and ramps per station; first events. */
int avail_setup(run *r)
{
    const takt_plant *p = r->p;
    r->cal_on = calloc((size_t)p->ncalendars + 1, 1);
    if (!r->cal_on) return -1;
    for (int i = 0; i < p->nstations; i++) {
        const station *st = &p->stations[i];
        const workshop *w = st->workshop >= 0 && st->workshop < p->nworkshops
                          ? &p->workshops[st->workshop] : NULL;
        rstation *s = &r->s[i];
        s->cal = station_calendar(p, i);
        double opens = station_opens(p, i);
        s->closed = opens > 0;
        if (s->closed) run_schedule(r, opens, EV_OPEN, i, 0, 0);
        s->has_ramp = p->ramp.n > 0 || st->ramp.n > 0 || (w && w->ramp.n > 0);
        s->ramp_cached_t = -1;
        s->ramp_done = fmax(ramp_end(&p->ramp), ramp_end(&st->ramp));
        if (w) s->ramp_done = fmax(s->ramp_done, ramp_end(&w->ramp));
    }
    for (int c = 0; c < p->ncalendars; c++)
        r->cal_on[c] = (unsigned char)calendar_on(&p->calendars[c], p->start_day, 0);
    for (int i = 0; i < p->nstations; i++) {
        r->s[i].off = !station_should_run(r, i);
        r->n_off += r->s[i].off;
        r->n_off_open += r->s[i].off && !r->s[i].closed;
    }
    for (int c = 0; c < p->ncalendars; c++) {
        double next = calendar_next_change(&p->calendars[c], p->start_day, 0);
        if (next < r->t_end) run_schedule(r, next, EV_SHIFT, c, 0, 0);
    }
    return 0;
}
