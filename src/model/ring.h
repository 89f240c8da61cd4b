/*
 * ring.h — the runtime buffers' rings of parts, shared by flow.c (parts
 * moving between machines) and conveyor.c (transits, vehicles, standing
 * conveyors).  Inline: they are on the hot path of every plant.
 *
 * A slot holds a part and the time it may leave (its transit done).  A
 * ring grows by doubling up to the buffer's capacity, the only allocation
 * a run makes after set-up.
 */
#ifndef TAKT_RING_H
#define TAKT_RING_H

#include <stdlib.h>
#include "run_internal.h"

/* conveyor.c: a non-accumulating conveyor whose head part has just left */
void conveyor_restart(run *r, rbuf *b, double head_ready);

static inline void buf_level(run *r, rbuf *b)
{
    if (r->measuring) {
        b->area += (double)b->count * (r->now - b->last_t);
        if (RUN_UNLIKELY(r->ser != NULL)) run_series_level(r, b);
    }
    b->last_t = r->now;
}

static inline int ring_grow(run *r, rbuf *b)
{
    long nsize = b->size ? b->size * 2 : 16;
    if (b->cap != CAP_INF && nsize > b->cap) nsize = b->cap;
    slot *n = malloc((size_t)nsize * sizeof *n);
    if (!n) { r->oom = 1; return -1; }
    for (long i = 0; i < b->count; i++)
        n[i] = b->ring[(b->head + i) % b->size];
    free(b->ring);
    b->ring = n; b->head = 0; b->size = nsize;
    return 0;
}

static inline void buf_push(run *r, rbuf *b, const part *p)
{
    if (b->count == b->size && ring_grow(r, b) < 0) return;
    buf_level(r, b);
    long i = b->head + b->count;
    if (i >= b->size) i -= b->size;
    double ready = r->now + b->transit;
    if (b->stops && b->count > 0 && b->ring[b->head].ready <= r->now)
        ready = b->ring[b->head].ready + b->transit;    /* it stands still */
    b->ring[i].p = *p;
    b->ring[i].ready = ready;
    b->count++;
    b->pushed++;
    if (r->measuring) {
        b->parts_in++;
        if (b->count > b->max) b->max = (double)b->count;
    }
}

static inline part buf_pop(run *r, rbuf *b)
{
    buf_level(r, b);
    long h = b->head;
    part p = b->ring[h].p;
    if (++b->head == b->size) b->head = 0;
    b->count--;
    b->popped++;
    if (b->stops) conveyor_restart(r, b, b->ring[h].ready);
    return p;
}

/* Parts at the head of b that finished their transit, up to `want`. */
static inline long buf_ready(const run *r, const rbuf *b, long want)
{
    if (b->count < want) return 0;
    long i = b->head + want - 1;               /* want <= count <= size:  */
    if (i >= b->size) i -= b->size;            /* no division on this path */
    return b->ring[i].ready <= r->now ? want : 0;
}

#endif
