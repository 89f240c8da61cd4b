/*
 * conveyor.c — parts in transit: conveyors (a constant transit, one
 * pending arrival event per conveyor since parts leave in the order they
 * came), buffers whose parts each wait for a vehicle of a pool, and
 * non-accumulating conveyors, which stand still while their head part
 * cannot leave.  Also parts arriving from sources.
 */
#include <math.h>
#include "run_internal.h"
#include "ring.h"

/* A non-accumulating conveyor stood still from the moment its head part
 * arrived until now, when that part left: every part behind it resumes
 * the transit it had left, and the pending arrival moves with them. */
void conveyor_restart(run *r, rbuf *b, double head_ready)
{
    double delta = r->now - head_ready;
    if (!(delta > 0) || b->count == 0) return;
    for (long i = 0, k = b->head; i < b->count; i++, k = k + 1 == b->size ? 0 : k + 1)
        b->ring[k].ready += delta;
    b->gen++;
    if (b->ready_idx < 0) r->n_transit++;
    b->ready_idx = b->popped;
    run_schedule(r, b->ring[b->head].ready, EV_READY, (int)(b - r->b), b->gen, 0);
}

/* The part at the end of a conveyor is through its transit.  One event
 * per conveyor is pending at a time: transit is constant, so parts come
 * out in the order they went in, and the next one is scheduled now. */
void flow_ready(run *r, int bi, uint32_t gen)
{
    rbuf *b = &r->b[bi];
    if (gen != b->gen) return;                 /* moved by a conveyor stop */
    long next = b->ready_idx + 1;
    r->n_transit--;
    b->ready_idx = -1;
    if (next < (b->carry >= 0 ? b->granted : b->pushed)) {
        long pos = (b->head + (next - b->popped)) % b->size;
        b->ready_idx = next;
        run_schedule(r, b->ring[pos].ready, EV_READY, bi, b->gen, 0);
        r->n_transit++;
    }
    if (b->carry >= 0) res_release(r, b->carry, 1);   /* the vehicle is there */
    if (r->s[b->to].nidle > 0) run_agenda(r, A_FEED, bi);
}

/* A vehicle was granted to the next part waiting in carried buffer bi:
 * vehicles are granted in the order parts came, so arrivals stay in order. */
void flow_carried(run *r, int bi)
{
    rbuf *b = &r->b[bi];
    long idx = b->granted++;
    long pos = (b->head + (idx - b->popped)) % b->size;
    b->ring[pos].ready = r->now + b->transit;
    if (b->ready_idx < 0) {
        b->ready_idx = idx;
        run_schedule(r, b->ring[pos].ready, EV_READY, bi, b->gen, 0);
        r->n_transit++;
    }
}

/* A part arrives from source `src` into its queue. */
void flow_arrive(run *r, int src)
{
    int bi = r->p->nbuffers + src;
    part pt = { r->now, market_release(r, r->p->sources[src].to), 0, 0 };
    if (r->measuring) r->sys_in++;
    run_wip(r, +1);
    buf_push(r, &r->b[bi], &pt);
    run_agenda(r, A_FEED, bi);
}
