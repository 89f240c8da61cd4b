/*
 * heap.h — the event calendar.
 *
 * A binary min-heap of small fixed-size entries keyed by (time, sequence):
 * the sequence number makes simultaneous events run in the order they were
 * scheduled (FIFO), which is what makes runs deterministic.  Entries are
 * stored inline in one growable array: no allocation per event.  Events are
 * never removed; a handler that must cancel one bumps a generation counter
 * on its target and the stale entry is skipped when it comes up.
 */
#ifndef TAKT_HEAP_H
#define TAKT_HEAP_H

#include <stdint.h>

typedef struct event {
    double t;
    uint64_t seq;
    uint32_t type;
    uint32_t id;     /* target (machine, source, buffer ...)         */
    uint32_t gen;    /* generation of the target when scheduled      */
    uint32_t arg;    /* extra argument (failure mode, ...)           */
} event;

typedef struct heap {
    event *v;
    uint32_t n, cap;
    uint64_t next_seq;
} heap;

int heap_init(heap *h, uint32_t cap);     /* 0 ok, -1 out of memory */
void heap_free(heap *h);
void heap_clear(heap *h);
/* Schedule at time t >= 0 (times are compared by their bit patterns, see
 * heap.c); returns 0, or -1 when the heap cannot grow (out of memory). */
int heap_push(heap *h, double t, uint32_t type, uint32_t id, uint32_t gen, uint32_t arg);
/* Remove the earliest event into *e; returns 0, or -1 when empty. */
int heap_pop(heap *h, event *e);
/* Remove the earliest event and schedule a new one in a single sift (the
 * common "handle one event, schedule the next" step).  The heap must not
 * be empty.  The order in which events come out is exactly as with
 * heap_pop followed by heap_push: keys (t, seq) are unique. */
void heap_replace_top(heap *h, double t, uint32_t type, uint32_t id, uint32_t gen, uint32_t arg);
static inline const event *heap_top(const heap *h) { return &h->v[0]; }
static inline int heap_empty(const heap *h) { return h->n == 0; }
static inline double heap_top_time(const heap *h) { return h->v[0].t; }

#endif
