/*
 * flow.c — how parts move through the plant during a run.
 *
 * A machine is idle (starved, possibly holding part of a batch), working
 * (changeover first when the product changes), blocked holding finished
 * parts (blocking after service), or waiting to start until it can reserve
 * room downstream (blocking before service); independently it may be
 * failed or off shift (avail.c).
 *
 * Movement follows three rules, applied through the run's agenda so that
 * long cascades never recurse:
 *   - a finished part is scrapped, sent to rework, or routed (by product,
 *     then by the station's rule: first free, round robin, random or by
 *     probability); into a buffer of capacity 0 only when a machine
 *     downstream is idle, which takes it at once (direct hand-over); with
 *     no room the machine blocks;
 *   - an idle machine takes the part that has waited longest among its
 *     inputs (buffer heads that finished their transit, and machines
 *     blocked on a capacity-0 buffer into it); an assembly station waits
 *     until every input has its parts; a station with no input is never
 *     starved;
 *   - room freed in a buffer goes to the machine upstream that blocked
 *     first (FIFO).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "run_internal.h"
#include "ring.h"

enum { FATE_PASS = 0, FATE_SCRAP, FATE_REWORK };

/* ---- idle machines and the blocked list ------------------------------ */

static void idle_add(run *r, machine *m)
{
    rstation *s = &r->s[m->station];
    if (m->idle_pos >= 0) return;
    m->idle_pos = s->nidle;
    s->idle[s->nidle++] = (int)(m - r->m);
}

void flow_idle_remove(run *r, machine *m)
{
    rstation *s = &r->s[m->station];
    if (m->idle_pos < 0) return;
    int last = s->idle[--s->nidle];
    s->idle[m->idle_pos] = last;
    r->m[last].idle_pos = m->idle_pos;
    m->idle_pos = -1;
}

static void blocked_add(run *r, machine *m, int target)
{
    rstation *s = &r->s[m->station];
    int id = (int)(m - r->m);
    m->target = target;
    m->blocked_at = r->now;
    m->next = -1;
    m->prev = s->btail;
    if (s->btail >= 0) r->m[s->btail].next = id; else s->bhead = id;
    s->btail = id;
}

static void blocked_remove(run *r, machine *m)
{
    rstation *s = &r->s[m->station];
    if (m->prev >= 0) r->m[m->prev].next = m->next; else s->bhead = m->next;
    if (m->next >= 0) r->m[m->next].prev = m->prev; else s->btail = m->prev;
    m->prev = m->next = -1;
}

/* ---- routing --------------------------------------------------------- */

static int has_room(run *r, const rbuf *b)
{
    if (b->cap == CAP_INF) return 1;
    if (b->cap > 0) return b->count + b->reserved < b->cap;
    return r->s[b->to].nidle > 0;              /* direct hand-over */
}

/* May a part of `product` leave station st through buffer bi as a normal
 * (not rework) move? */
static int allowed(const run *r, int st, int bi, int product)
{
    const buffer *b = &r->p->buffers[bi];
    if (bi == r->s[st].rework_buf) return 0;
    return !b->products || b->products[product];
}

/* May blocked machine m take room in buffer bi? */
static int waits_on(const run *r, const machine *m, int bi)
{
    if (m->target >= 0) return m->target == bi;
    return allowed(r, m->station, bi, m->held[m->nout].product);
}

/* Choose the output for a part.  Returns a buffer index with room, -1 to
 * wait on any allowed output, or -2 - b to wait on buffer b. */
static int route(run *r, machine *m, const part *pt)
{
    const station *st = &r->p->stations[m->station];
    rstation *s = &r->s[m->station];
    int cand[64], n = 0, pick = -1;
    if (st->nout == 1 && s->rework_buf < 0) {     /* the common case: a line */
        const buffer *b = &r->p->buffers[st->out[0]];
        if (!b->products || b->products[pt->product])
            return has_room(r, &r->b[st->out[0]]) ? st->out[0] : -2 - st->out[0];
        return -1;
    }
    for (int i = 0; i < st->nout && n < 64; i++)
        if (allowed(r, m->station, st->out[i], pt->product)) cand[n++] = st->out[i];
    if (n == 0) return -1;
    if (r->p->buffers[cand[0]].p > 0) {        /* by probability */
        double tot = 0, u;
        for (int i = 0; i < n; i++) tot += r->p->buffers[cand[i]].p;
        u = rng_uniform(&s->route_rng) * tot;
        pick = cand[n - 1];
        for (int i = 0; i < n; i++) {
            u -= r->p->buffers[cand[i]].p;
            if (u < 0) { pick = cand[i]; break; }
        }
    } else if (st->routing == ROUTE_ROUND_ROBIN) {
        pick = cand[s->rr++ % (unsigned)n];
    } else if (st->routing == ROUTE_RANDOM) {
        pick = cand[(int)(rng_uniform(&s->route_rng) * n)];
    } else {
        for (int i = 0; i < n; i++)
            if (has_room(r, &r->b[cand[i]])) return cand[i];
        return -1;
    }
    return has_room(r, &r->b[pick]) ? pick : -2 - pick;
}

/* ---- machines -------------------------------------------------------- */

static void receive(run *r, machine *m, part pt);

/* Put part pt, leaving machine m, into buffer bi (room is known). */
static void put(run *r, machine *m, int bi, part *pt)
{
    rbuf *b = &r->b[bi];
    if (pt->loops) loop_leave(r, m->station, pt, 0);
    if (r->measuring) r->s[m->station].parts_out++;
    if (b->cap == 0) {
        rstation *d = &r->s[b->to];
        if (r->measuring) b->parts_in++;
        receive(r, &r->m[d->idle[d->nidle - 1]], *pt);
        return;
    }
    buf_push(r, b, pt);
    if (b->transit > 0) {
        if (b->carry >= 0) {                   /* waits for a vehicle */
            long i = b->head + b->count - 1;
            b->ring[i >= b->size ? i - b->size : i].ready = INFINITY;
            res_request(r, RQ_CARRY, bi, 0);
        } else if (b->ready_idx < 0) {         /* the conveyor was empty */
            b->ready_idx = b->pushed - 1;
            run_schedule(r, b->ring[b->head + b->count - 1 < b->size ? b->head + b->count - 1
                                    : b->head + b->count - 1 - b->size].ready,
                         EV_READY, bi, b->gen, 0);
            r->n_transit++;
        }
    } else if (r->s[b->to].nidle > 0) {
        run_agenda(r, A_FEED, bi);
    }
}

/* The changeover from product `from` to `to`, or NULL for none. */
static const dist *changeover(const station *st, int np, int from, int to)
{
    if (from < 0 || from == to) return NULL;
    if (st->setup_matrix && st->setup_given[from * np + to]) return &st->setup_matrix[from * np + to];
    return st->has_setup ? &st->setup : NULL;
}

/* Draw the changeover and the work of the part(s) m holds. */
static inline void begin_cycle(run *r, machine *m, const station *st)
{
    rstation *s = &r->s[m->station];
    int product = m->held[0].product;
    m->rem_setup = 0;
    if (st->has_setup || st->setup_matrix) {
        const dist *c = changeover(st, r->p->nproducts, m->last_product, product);
        if (c) m->rem_setup = dist_sample(c, &s->cycle_rng);
    }
    m->last_product = product;
    const dist *d = st->cycle_by_product ? &st->cycle_by_product[product] : &st->cycle;
    m->rem_work = dist_sample(d, &s->cycle_rng);
    if (s->has_ramp) m->rem_work *= avail_ramp(r, m->station);
}

/* The machine has all its parts: reserve room downstream (blocking
 * before service), take the units it needs, then change over if the
 * product changed, and work. */
static void start_work(run *r, machine *m)
{
    const station *st = &r->p->stations[m->station];
    m->nout = 0;
    if (st->blocking == BLOCK_BEFORE && st->nout > 0 && m->phase != PH_WAIT_BBS) {
        int t = route(r, m, &m->held[0]);
        if (t < 0) {
            m->phase = PH_WAIT_BBS;
            run_account(r, m);
            blocked_add(r, m, t == -1 ? -1 : -2 - t);
            return;
        }
        r->b[t].reserved++;
        m->target = t;
    }
    if (st->nneeds) {
        m->phase = PH_WAIT_RES;
        run_account(r, m);
        res_request(r, RQ_CYCLE, (int)(m - r->m), 0);
        return;
    }
    begin_cycle(r, m, st);
    avail_begin_work(r, m);
}

/* The units m asked for were granted (resource.c). */
void flow_begin_cycle(run *r, machine *m)
{
    begin_cycle(r, m, &r->p->stations[m->station]);
    if (machine_available(r, m)) {
        avail_begin_work(r, m);
    } else {                                   /* units came while it was down */
        m->phase = PH_WORK;
        run_account(r, m);
    }
}

/* Machine m (idle, available) receives a part; it starts when it holds a
 * full batch. */
static void receive(run *r, machine *m, part pt)
{
    const station *st = &r->p->stations[m->station];
    m->held[m->nheld++] = pt;
    if (m->nheld < st->batch) return;          /* batch 0 or 1: one part */
    flow_idle_remove(r, m);
    start_work(r, m);
}

/* m has passed on all its parts.  It looks for the next part at once and
 * is charged as starved only if it found none: a machine that goes
 * straight on to its next part never enters a zero-length starved state. */
void flow_idle(run *r, machine *m)
{
    m->phase = PH_IDLE;
    m->nheld = m->nout = 0;
    if (m->maint_plan >= 0) {                  /* planned maintenance is due */
        maint_start(r, m);
        return;
    }
    if (!machine_available(r, m)) {            /* resumes via flow_resume */
        run_account(r, m);
        return;
    }
    idle_add(r, m);
    run_agenda(r, A_PULL, (int)(m - r->m));    /* at once unless nested deep */
    if (m->phase == PH_IDLE) run_account(r, m);
}

/* The part leaves the plant at a sink. */
static void sink(run *r, machine *m, part *pt)
{
    if (pt->loops) loop_leave(r, m->station, pt, 1);
    if (r->measuring) {
        r->s[m->station].parts_out++;
        r->s[m->station].sunk++;
        r->sys_out++;
        r->lead_sum += r->now - pt->born;
        if (r->now >= r->t_recent) r->s[m->station].recent_out++;
    }
    run_wip(r, -1);
    market_produced(r, pt);
}

/* Pass on the finished parts of m, as far as there is room; block on the
 * first that finds none.  Idle when all have gone. */
static void release(run *r, machine *m)
{
    const station *st = &r->p->stations[m->station];
    rstation *s = &r->s[m->station];
    while (m->nout < m->nheld) {
        part *pt = &m->held[m->nout];
        int t;
        if (pt->flag == FATE_SCRAP) {
            if (pt->loops) loop_leave(r, m->station, pt, 1);
            if (r->measuring) { r->scrapped++; s->scrap_n++; }
            run_wip(r, -1);
            m->nout++;
            continue;
        }
        if (st->blocking == BLOCK_BEFORE && st->nout > 0) {
            t = m->target;                     /* room was reserved */
            r->b[t].reserved--;
        } else if (m->target >= 0) {           /* chosen before it blocked */
            t = has_room(r, &r->b[m->target]) ? m->target : -2 - m->target;
        } else if (pt->flag == FATE_REWORK) {
            t = has_room(r, &r->b[s->rework_buf]) ? s->rework_buf : -2 - s->rework_buf;
        } else if (s->line_end) {
            sink(r, m, pt);
            m->nout++;
            continue;
        } else {
            t = route(r, m, pt);
        }
        if (t < 0) {
            m->phase = PH_BLOCKED;
            run_account(r, m);
            blocked_add(r, m, t == -1 ? -1 : -2 - t);
            return;
        }
        if (pt->flag == FATE_REWORK && r->measuring) s->rework_n++;
        pt->flag = FATE_PASS;
        m->nout++;
        if (st->blocking != BLOCK_BEFORE) m->target = -1;
        put(r, m, t, pt);
    }
    flow_idle(r, m);
}

/* The cycle is over: the units it held go back, and a plan of
 * maintenance may be due now. */
static void cycle_over(run *r, machine *m, const station *st)
{
    if (st->nneeds) res_release_needs(r, m);
    if (st->nmaint) {
        m->parts_done += m->nheld;
        if (m->maint_plan < 0) m->maint_plan = maint_due(r, m);
    }
}

void flow_finish(run *r, machine *m)
{
    const station *st = &r->p->stations[m->station];
    rstation *s = &r->s[m->station];
    if (st->nneeds | st->nmaint) cycle_over(r, m, st);
    if (m->nheld == 1 && st->nout == 1 && s->rework_buf < 0 && st->scrap <= 0 &&
        st->blocking == BLOCK_AFTER) {         /* the common case: a line */
        int bi = st->out[0];
        const buffer *b = &r->p->buffers[bi];
        m->held[0].flag = FATE_PASS;
        if ((!b->products || b->products[m->held[0].product]) && has_room(r, &r->b[bi])) {
            m->nout = 1;
            m->target = -1;
            put(r, m, bi, &m->held[0]);
            flow_idle(r, m);
            return;
        }
    }
    if (st->blocking != BLOCK_BEFORE) m->target = -1;
    for (int i = 0; i < m->nheld; i++) {
        m->held[i].flag = FATE_PASS;
        if (st->scrap > 0 || st->rework_p > 0) {
            double u = rng_uniform(&s->route_rng);
            if (u < st->scrap) m->held[i].flag = FATE_SCRAP;
            else if (u < st->scrap + st->rework_p) m->held[i].flag = FATE_REWORK;
        }
    }
    release(r, m);
}

/* A blocked machine can act again: tell the buffer(s) it waits on. */
static void wake(run *r, int bi)
{
    rbuf *b = &r->b[bi];
    rstation *d = &r->s[b->to];
    if (b->cap != 0) run_agenda(r, A_SPACE, bi);
    else if (d->nidle > 0) run_agenda(r, A_PULL, d->idle[d->nidle - 1]);
}

/* After a repair or a shift start: carry on with whatever it was doing. */
void flow_resume(run *r, machine *m)
{
    switch (m->phase) {
    case PH_WORK:
        run_account(r, m);
        avail_begin_work(r, m);
        break;
    case PH_IDLE:
        run_account(r, m);
        idle_add(r, m);
        run_agenda(r, A_PULL, (int)(m - r->m));
        break;
    case PH_WAIT_RES:                          /* its request is still queued */
    case PH_MAINT:                             /* its end is scheduled */
        run_account(r, m);
        break;
    default:                                   /* blocked either way */
        run_account(r, m);
        if (m->target >= 0) wake(r, m->target);
        else {
            const station *st = &r->p->stations[m->station];
            for (int i = 0; i < st->nout; i++) wake(r, st->out[i]);
        }
        break;
    }
}

/* ---- agenda actions -------------------------------------------------- */

static int input_buffer(const run *r, const station *st, int i)
{
    return i < st->nin ? st->in[i] : r->p->nbuffers + st->src[i - st->nin];
}

/* Assembly: when every input has its parts, take them all and make one. */
static void assemble(run *r, machine *m)
{
    const station *st = &r->p->stations[m->station];
    int n = st->nin + st->nsrc;
    for (int i = 0; i < n; i++) {
        int bi = input_buffer(r, st, i);
        int k = bi < r->p->nbuffers && r->p->buffers[bi].take > 1 ? r->p->buffers[bi].take : 1;
        if (!buf_ready(r, &r->b[bi], k)) {
            loop_unwait(r, m);
            return;
        }
    }
    part made = { 0, 0, 0, 0 };
    if (r->s[m->station].loops_from && !loop_take(r, m, 0, &made.loops)) return;
    long used = 0;
    for (int i = 0; i < n; i++) {
        int bi = input_buffer(r, st, i);
        int k = bi < r->p->nbuffers && r->p->buffers[bi].take > 1 ? r->p->buffers[bi].take : 1;
        for (int j = 0; j < k; j++, used++) {
            part pt = buf_pop(r, &r->b[bi]);
            if (used == 0 || pt.born < made.born) made.born = pt.born;
            if (used == 0) made.product = pt.product;
            if (pt.loops & made.loops) loop_return(r, pt.loops & made.loops);  /* one each */
            made.loops |= pt.loops;
        }
    }
    if (r->measuring) r->merged += used - 1;
    run_wip(r, -(used - 1));
    receive(r, m, made);
    /* only now, with m no longer idle, may freed room cascade */
    for (int i = 0; i < n; i++) run_agenda(r, A_SPACE, input_buffer(r, st, i));
}

/* Idle machine m takes the parts that have waited longest. */
static void pull(run *r, machine *m)
{
    const station *st = &r->p->stations[m->station];
    rstation *s = &r->s[m->station];
    if (m->idle_pos < 0 || !machine_available(r, m)) return;
    if (s->raw) {
        while (m->idle_pos >= 0) {
            uint16_t got = 0;
            if (s->loops_from && !loop_take(r, m, 0, &got)) return;
            part pt = { r->now, market_release(r, m->station), 0, got };
            if (r->measuring) r->sys_in++;
            run_wip(r, +1);
            receive(r, m, pt);
        }
        return;
    }
    if (st->assembly) { assemble(r, m); return; }
    if (s->fast_in) {
        int bi = st->in[0];                    /* the common case: a line */
        rbuf *b = &r->b[bi];
        while (m->idle_pos >= 0 && b->count > 0 && b->ring[b->head].ready <= r->now) {
            receive(r, m, buf_pop(r, b));
            if (b->from >= 0 && r->s[b->from].bhead >= 0) run_agenda(r, A_SPACE, bi);
        }
        return;
    }
    while (m->idle_pos >= 0) {
        int best = -1; machine *bm = NULL; double best_t = 0;
        for (int i = 0; i < st->nin + st->nsrc; i++) {
            int bi = input_buffer(r, st, i);
            rbuf *b = &r->b[bi];
            double t; machine *u = NULL;
            if (b->count > 0) {
                t = b->ring[b->head].ready;
                if (t > r->now) continue;
            } else if (b->cap == 0) {
                for (int id = r->s[b->from].bhead; id >= 0; id = r->m[id].next) {
                    machine *c = &r->m[id];
                    if (machine_available(r, c) && c->phase == PH_BLOCKED && waits_on(r, c, bi)) {
                        u = c;
                        break;
                    }
                }
                if (!u) continue;
                t = u->blocked_at;
            } else continue;
            if (best < 0 || t < best_t) { best = bi; best_t = t; bm = u; }
        }
        if (best < 0) {
            loop_unwait(r, m);
            return;
        }
        uint16_t got = 0;
        if (s->loops_from) {                   /* a carrier first */
            const part *h = bm ? &bm->held[bm->nout] : &r->b[best].ring[r->b[best].head].p;
            uint16_t have = h->loops & (uint16_t)~(bm ? r->s[bm->station].loops_to : 0);
            if (!loop_take(r, m, have, &got)) return;
        }
        if (bm) {                              /* direct hand-over */
            if (bm->held[bm->nout].loops) loop_leave(r, bm->station, &bm->held[bm->nout], 0);
            part pt = bm->held[bm->nout];
            pt.loops |= got;
            blocked_remove(r, bm);
            bm->nout++;
            bm->target = -1;
            if (r->measuring) { r->s[bm->station].parts_out++; r->b[best].parts_in++; }
            receive(r, m, pt);
            release(r, bm);                    /* its next parts, or idle */
            continue;
        }
        part pt = buf_pop(r, &r->b[best]);
        pt.loops |= got;
        receive(r, m, pt);
        if (r->b[best].from >= 0 && r->s[r->b[best].from].bhead >= 0)
            run_agenda(r, A_SPACE, best);
    }
}

/* Room in buffer bi: give it to the machine upstream that blocked first. */
static void space(run *r, int bi)
{
    rbuf *b = &r->b[bi];
    if (b->from < 0 || b->cap == 0 || !has_room(r, b)) return;
    int st = b->from;
    for (int id = r->s[st].bhead; id >= 0; id = r->m[id].next) {
        machine *u = &r->m[id];
        if (!machine_available(r, u) || !waits_on(r, u, bi)) continue;
        blocked_remove(r, u);
        if (u->phase == PH_WAIT_BBS) {
            b->reserved++;
            u->target = bi;
            start_work(r, u);
        } else {
            u->target = bi;
            release(r, u);
        }
        return;
    }
}

/* Parts became available in buffer bi: wake an idle machine downstream. */
static void feed(run *r, int bi)
{
    rbuf *b = &r->b[bi];
    rstation *d = &r->s[b->to];
    if (b->count == 0 || d->nidle == 0) return;
    pull(r, &r->m[d->idle[d->nidle - 1]]);
}

void flow_act(run *r, action a)
{
    switch (a.type) {
    case A_PULL: pull(r, &r->m[a.id]); break;
    case A_SPACE: space(r, a.id); break;
    case A_FEED: feed(r, a.id); break;
    }
}
