/*
 * resource.c — pools of people, tools and vehicles, and carrier loops,
 * during a run.
 *
 * Pools.  Whatever needs units of pools asks with a request: a station
 * about to start a cycle (all the units of its `needs`, together), a
 * failed machine whose repair is done by a crew (one unit), a planned
 * maintenance done by a crew (one unit), a part to be carried along a
 * buffer (one vehicle).  Requests are served first come, first served,
 * pool by pool: a request that cannot be served yet keeps the units it
 * asks for from every later request, so a request for two fitters is not
 * overtaken for ever by requests for one.  Units are taken all at once or
 * not at all, so no request holds some units while it waits for others
 * (no hold-and-wait, hence no deadlock between requests).  Off shift a
 * pool gives no unit; units in use are kept until their work ends.
 *
 * Carrier loops.  A station that is the `from` of loops takes a free
 * carrier of each of them (that the part does not ride already) before it
 * takes a part; with none free, the machine waits.  A part leaving the
 * `to` station (passed on, scrapped, or leaving the plant anywhere) gives
 * its carrier back, which is free again at `from` after the loop's
 * `return` time.  A part records its carriers in a bit mask, so nested
 * loops (a CONWIP card and a skid) need no allocation.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "run_internal.h"

/* ---- time-weighted levels -------------------------------------------- */

static void pool_level(run *r, rpool *q)
{
    if (r->measuring) {
        double dt = r->now - q->last_t;
        q->busy_area += (double)(q->count - q->free) * dt;
        q->wait_area += (double)q->nwait * dt;
    }
    q->last_t = r->now;
}

static void loop_level(run *r, rloop *l)
{
    if (r->measuring) {
        double dt = r->now - l->last_t;
        l->free_area += (double)l->free * dt;
        l->inuse_area += (double)l->inuse * dt;
        l->wait_area += (double)l->nwait * dt;
    }
    l->last_t = r->now;
}

/* ---- set-up ------------------------------------------------------------ */

static int rq_grow(run *r)
{
    int n = r->rq_size ? r->rq_size * 2 : 64;
    request *q = realloc(r->rq, (size_t)n * sizeof *q);
    if (!q) { r->oom = 1; return -1; }
    for (int i = r->rq_size; i < n; i++) q[i].next = i + 1 < n ? i + 1 : r->rq_free;
    r->rq_free = r->rq_size;
    r->rq = q;
    r->rq_size = n;
    return 0;
}

int res_setup(run *r)
{
    const takt_plant *p = r->p;
    r->rq_head = r->rq_tail = r->rq_free = -1;
    r->pool = calloc((size_t)p->nresources + 1, sizeof *r->pool);
    r->loop = calloc((size_t)p->ncarriers + 1, sizeof *r->loop);
    r->avail = calloc((size_t)p->nresources + 1, sizeof *r->avail);
    if (!r->pool || !r->loop || !r->avail) return -1;
    if (p->nresources > 0 && rq_grow(r) < 0) return -1;
    for (int i = 0; i < p->nresources; i++) {
        rpool *q = &r->pool[i];
        q->count = q->free = p->resources[i].count;
        q->cal = p->resources[i].calendar;
        q->off = q->cal >= 0 && !r->cal_on[q->cal];
        r->n_off += q->off;
    }
    for (int l = 0; l < p->ncarriers; l++) {
        const carrier_loop *c = &p->carriers[l];
        r->loop[l].free = c->count;
        rng_seed(&r->loop[l].rng, r->lim_seed, (uint64_t)r->rep, 0x4c4f, (uint64_t)l);
        r->s[c->from].loops_from |= (uint16_t)(1u << l);
        r->s[c->to].loops_to |= (uint16_t)(1u << l);
    }
    for (int i = 0; i < p->nstations; i++) {
        const station *st = &p->stations[i];
        rstation *s = &r->s[i];
        s->fast_in = st->nin == 1 && st->nsrc == 0 && r->b[st->in[0]].cap != 0 &&
                     !s->loops_from;
    }
    for (int i = 0; i < p->nbuffers; i++) {
        const buffer *b = &p->buffers[i];
        r->b[i].carry = b->transit > 0 ? b->carried_by : -1;
        r->b[i].stops = b->non_accumulating && b->transit > 0 && b->carried_by < 0;
    }
    for (int i = p->nbuffers; i < r->nb; i++) r->b[i].carry = -1;
    return 0;
}

void res_free(run *r)
{
    free(r->pool);
    free(r->loop);
    free(r->avail);
    free(r->rq);
}

/* ---- requests ------------------------------------------------------------ */

/* The units a request needs: a list, or one unit of one pool. */
static int rq_needs(const run *r, const request *q, need *one, const need **list)
{
    const takt_plant *p = r->p;
    *list = one;
    one->units = 1;
    switch (q->kind) {
    case RQ_CYCLE: {
        const station *st = &p->stations[r->m[q->id].station];
        *list = st->needs;
        return st->nneeds;
    }
    case RQ_REPAIR: one->pool = p->stations[r->m[q->id].station].failures[q->arg].repair_by; break;
    case RQ_MAINT: one->pool = p->stations[r->m[q->id].station].maint[q->arg].by; break;
    default: one->pool = p->buffers[q->id].carried_by; break;
    }
    return 1;
}

static void grant(run *r, const request *q)
{
    machine *m = q->kind == RQ_CARRY ? NULL : &r->m[q->id];
    switch (q->kind) {
    case RQ_CYCLE: flow_begin_cycle(r, m); break;
    case RQ_REPAIR: {
        const failure_mode *f = &r->p->stations[m->station].failures[q->arg];
        run_schedule(r, r->now + dist_sample(&f->ttr, &m->frng[q->arg]), EV_REPAIR,
                     q->id, 0, q->arg);
        break;
    }
    case RQ_MAINT: maint_begin(r, m); break;
    default: flow_carried(r, q->id); break;
    }
}

/* Serve the waiting requests in order.  Nested calls (a grant that frees
 * units, a request made while serving) only ask for another pass. */
static void serve(run *r)
{
    if (r->serving) { r->serve_again = 1; return; }
    r->serving = 1;
    do {
        r->serve_again = 0;
        int left = 0;                   /* pools with units left to give */
        for (int k = 0; k < r->p->nresources; k++) {
            r->avail[k] = r->pool[k].off ? 0 : r->pool[k].free;
            left += r->avail[k] > 0;
        }
        for (int i = r->rq_head; i >= 0 && left > 0;) {
            request q = r->rq[i];
            need one; const need *nd;
            int n = rq_needs(r, &q, &one, &nd), ok = 1;
            for (int k = 0; k < n; k++) ok &= r->avail[nd[k].pool] >= nd[k].units;
            for (int k = 0; k < n; k++) {
                int *a = &r->avail[nd[k].pool];
                left -= *a > 0 && *a <= nd[k].units;
                *a -= nd[k].units;
            }
            if (!ok) { i = q.next; continue; }
            for (int k = 0; k < n; k++) {
                rpool *pl = &r->pool[nd[k].pool];
                pool_level(r, pl);
                pl->free -= nd[k].units;
                pl->nwait--;
                if (r->measuring) { pl->wait_sum += r->now - q.t; pl->wait_n++; }
            }
            if (q.prev >= 0) r->rq[q.prev].next = q.next; else r->rq_head = q.next;
            if (q.next >= 0) r->rq[q.next].prev = q.prev; else r->rq_tail = q.prev;
            r->rq[i].next = r->rq_free;
            r->rq_free = i;
            grant(r, &q);
            i = q.next;
        }
    } while (r->serve_again && !r->oom);
    r->serving = 0;
}

void res_request(run *r, int kind, int id, int arg)
{
    if (r->rq_free < 0 && rq_grow(r) < 0) return;
    int i = r->rq_free;
    request *q = &r->rq[i];
    r->rq_free = q->next;
    q->kind = kind; q->id = id; q->arg = arg; q->t = r->now;
    q->next = -1;
    q->prev = r->rq_tail;
    if (r->rq_tail >= 0) r->rq[r->rq_tail].next = i; else r->rq_head = i;
    r->rq_tail = i;
    need one; const need *nd;
    int n = rq_needs(r, q, &one, &nd);
    for (int k = 0; k < n; k++) {
        pool_level(r, &r->pool[nd[k].pool]);
        r->pool[nd[k].pool].nwait++;
    }
    serve(r);
}

void res_release(run *r, int pool, int units)
{
    pool_level(r, &r->pool[pool]);
    r->pool[pool].free += units;
    serve(r);
}

void res_release_needs(run *r, machine *m)
{
    const station *st = &r->p->stations[m->station];
    for (int k = 0; k < st->nneeds; k++) {
        pool_level(r, &r->pool[st->needs[k].pool]);
        r->pool[st->needs[k].pool].free += st->needs[k].units;
    }
    serve(r);
}

/* Calendar c changed: pools on it come or go. */
void res_shift(run *r, int c)
{
    int on_now = 0;
    for (int k = 0; k < r->p->nresources; k++) {
        rpool *q = &r->pool[k];
        if (q->cal != c || q->off == !r->cal_on[c]) continue;
        q->off = !r->cal_on[c];
        r->n_off += q->off ? 1 : -1;
        on_now |= !q->off;
    }
    if (on_now) serve(r);
}

/* ---- carriers ------------------------------------------------------------ */

static void loop_wait_end(run *r, machine *m)
{
    for (int l = 0; l < r->p->ncarriers; l++)
        if (m->wait_loops & (1u << l)) {
            loop_level(r, &r->loop[l]);
            r->loop[l].nwait--;
        }
    m->wait_loops = 0;
    m->waiting = 0;
}

void loop_unwait(run *r, machine *m)
{
    if (!m->waiting) return;
    loop_wait_end(r, m);
    run_account(r, m);
}

int loop_take(run *r, machine *m, uint16_t have, uint16_t *got)
{
    uint16_t need = r->s[m->station].loops_from & (uint16_t)~have, lack = 0;
    *got = need;
    for (int l = 0; need >> l; l++)
        if ((need & (1u << l)) && r->loop[l].free == 0) lack |= (uint16_t)(1u << l);
    if (lack) {
        if (m->waiting && m->wait_loops == lack) return 0;
        if (m->waiting) loop_wait_end(r, m);
        for (int l = 0; lack >> l; l++)
            if (lack & (1u << l)) {
                loop_level(r, &r->loop[l]);
                r->loop[l].nwait++;
            }
        m->wait_loops = lack;
        m->waiting = 1;
        run_account(r, m);
        return 0;
    }
    for (int l = 0; need >> l; l++)
        if (need & (1u << l)) {
            loop_level(r, &r->loop[l]);
            r->loop[l].free--;
            r->loop[l].inuse++;
        }
    loop_unwait(r, m);
    return 1;
}

/* Carriers of `bits` start back to their `from`. */
void loop_return(run *r, uint16_t bits)
{
    for (int l = 0; bits >> l; l++) {
        if (!(bits & (1u << l))) continue;
        rloop *lp = &r->loop[l];
        loop_level(r, lp);
        lp->inuse--;
        if (r->measuring) lp->exits++;
        double t = dist_sample(&r->p->carriers[l].ret, &lp->rng);
        if (t > 0) {
            run_schedule(r, r->now + t, EV_CARRIER, l, 0, 0);
            r->n_transit++;
        } else {
            loop_back(r, l);
        }
    }
}

void loop_leave(run *r, int station, part *pt, int all)
{
    uint16_t bits = all ? pt->loops : pt->loops & r->s[station].loops_to;
    pt->loops &= (uint16_t)~bits;
    loop_return(r, bits);
}

/* A carrier of loop l is free at its `from` station. */
void loop_back(run *r, int l)
{
    rloop *lp = &r->loop[l];
    loop_level(r, lp);
    lp->free++;
    rstation *s = &r->s[r->p->carriers[l].from];
    if (s->nidle > 0) run_agenda(r, A_PULL, s->idle[s->nidle - 1]);
}

/* ---- statistics ------------------------------------------------------------ */

void res_window(run *r)
{
    for (int k = 0; k < r->p->nresources; k++) {
        rpool *q = &r->pool[k];
        q->busy_area = q->wait_area = q->wait_sum = 0;
        q->wait_n = 0;
        q->last_t = r->now;
    }
    for (int l = 0; l < r->p->ncarriers; l++) {
        rloop *lp = &r->loop[l];
        lp->free_area = lp->inuse_area = lp->wait_area = 0;
        lp->exits = 0;
        lp->last_t = r->now;
    }
}

int res_collect(run *r, rep_obs *o)
{
    const takt_plant *p = r->p;
    double h = r->t_end - r->t_warm;
    o->pools = calloc((size_t)p->nresources + 1, sizeof *o->pools);
    o->loops = calloc((size_t)p->ncarriers + 1, sizeof *o->loops);
    if (!o->pools || !o->loops) return -1;
    for (int k = 0; k < p->nresources; k++) {
        rpool *q = &r->pool[k];
        pool_level(r, q);
        o->pools[k].utilisation = q->busy_area / (h * q->count);
        o->pools[k].waiting = q->wait_area / h;
        o->pools[k].waited_h = q->wait_area / 3600;
        o->pools[k].wait_s = q->wait_n ? q->wait_sum / (double)q->wait_n : 0;
    }
    for (int l = 0; l < p->ncarriers; l++) {
        rloop *lp = &r->loop[l];
        loop_level(r, lp);
        double servers = p->stations[p->carriers[l].from].servers;
        o->loops[l].free = lp->free_area / h;
        o->loops[l].wip = lp->inuse_area / h;
        o->loops[l].lead_time_s = lp->exits ? lp->inuse_area / (double)lp->exits : 0;
        o->loops[l].from_waiting = lp->wait_area / (h * servers);
        o->loops[l].waited_h = lp->wait_area / 3600;
        o->loops[l].throughput_per_hour = (double)lp->exits / (h / 3600);
    }
    return 0;
}
