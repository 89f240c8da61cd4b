/*
 * maint.c — planned maintenance during a run.
 *
 * A plan falls due after `every` hours of operation (working time, as the
 * operating failure clock counts it), `every` hours of calendar time, or
 * `every` N parts finished, counted from the end of the previous
 * maintenance of that plan (from time 0 for the first).  It never
 * interrupts a cycle: a machine finds out a plan is due when it finishes
 * a part (or, on the calendar clock, at the due time if it is idle), and
 * starts the maintenance once it has passed its part(s) on.  A plan done
 * `by` a pool first waits for one unit of it; the time waiting for the
 * crew counts as maintenance too, as a failed machine waiting for its
 * repair crew counts as failed.  Maintenance carries on off shift and
 * through calendar failures, like repairs.
 */
#include <math.h>
#include <stdlib.h>
#include "run_internal.h"

static void plan_next(run *r, machine *m, int k)
{
    const maint_plan *mp = &r->p->stations[m->station].maint[k];
    if (mp->parts > 0) {
        m->maint_next[k] = (double)(m->parts_done + mp->parts);
    } else if (mp->clock == CLOCK_OPERATING) {
        m->maint_next[k] = m->op_time + mp->every;
    } else {
        m->maint_next[k] = r->now + mp->every;
        if (m->maint_next[k] < r->t_end)
            run_schedule(r, m->maint_next[k], EV_MAINT_DUE, (int)(m - r->m), 0, k);
    }
}

int maint_setup(run *r)
{
    const takt_plant *p = r->p;
    long n = 0;
    for (int i = 0; i < r->nm; i++) {
        r->m[i].maint_plan = -1;
        n += p->stations[r->m[i].station].nmaint;
    }
    r->maint_pool = calloc((size_t)n + 1, sizeof *r->maint_pool);
    if (!r->maint_pool) return -1;
    n = 0;
    for (int i = 0; i < p->nstations; i++)
        rng_seed(&r->s[i].maint_rng, r->lim_seed, (uint64_t)r->rep, 0x4d4e, (uint64_t)i);
    for (int i = 0; i < r->nm; i++) {
        machine *m = &r->m[i];
        m->maint_next = r->maint_pool + n;
        n += p->stations[m->station].nmaint;
        for (int k = 0; k < p->stations[m->station].nmaint; k++) plan_next(r, m, k);
    }
    return 0;
}

/* The first plan that is due, or -1. */
int maint_due(run *r, machine *m)
{
    const station *st = &r->p->stations[m->station];
    for (int k = 0; k < st->nmaint; k++) {
        const maint_plan *mp = &st->maint[k];
        double now = mp->parts > 0 ? (double)m->parts_done
                   : mp->clock == CLOCK_OPERATING ? m->op_time : r->now;
        /* operating time is summed from segments: allow rounding */
        if (now >= m->maint_next[k] - 1e-9 * fabs(m->maint_next[k])) return k;
    }
    return -1;
}

/* m has passed its parts on and m->maint_plan is due: stop for it. */
void maint_start(run *r, machine *m)
{
    const station *st = &r->p->stations[m->station];
    flow_idle_remove(r, m);
    loop_unwait(r, m);
    m->phase = PH_MAINT;
    run_account(r, m);
    if (st->maint[m->maint_plan].by >= 0)
        res_request(r, RQ_MAINT, (int)(m - r->m), m->maint_plan);
    else
        maint_begin(r, m);
}

void maint_begin(run *r, machine *m)
{
    const maint_plan *mp = &r->p->stations[m->station].maint[m->maint_plan];
    double d = dist_sample(&mp->duration, &r->s[m->station].maint_rng);
    run_schedule(r, r->now + d, EV_MAINT_END, (int)(m - r->m), 0, m->maint_plan);
}

void maint_end(run *r, machine *m)
{
    int k = m->maint_plan, by = r->p->stations[m->station].maint[k].by;
    plan_next(r, m, k);
    m->maint_plan = maint_due(r, m);
    if (by >= 0) res_release(r, by, 1);
    flow_idle(r, m);                    /* or the next plan, if due */
}

/* A calendar-clock plan falls due. */
void maint_calendar_due(run *r, machine *m, int k)
{
    if (m->maint_plan >= 0 || r->now < m->maint_next[k]) return;   /* busy, or stale */
    m->maint_plan = k;
    if (m->phase == PH_IDLE && m->nheld == 0) maint_start(r, m);
}
