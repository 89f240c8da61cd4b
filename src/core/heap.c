/*
 * heap.c — the event calendar: a 4-ary min-heap keyed by (t, seq).
 *
 * Every simulated event passes through here twice (push and pop), so this
 * is the simulator's innermost loop.  It is built for that, and each choice
 * below was measured on a hold model (pop one event, push one at t + exp):
 *
 *  - entries are 32-byte structs stored inline in one array, so there is no
 *    pointer chasing and no allocation per event;
 *  - four children per node instead of two halves the depth; the four
 *    siblings sit in adjacent memory, so the extra comparisons are cheap
 *    while the number of unpredictable "go deeper?" branches halves;
 *  - sift-up and sift-down move a hole instead of swapping, writing each
 *    displaced entry once;
 *  - times are compared as the integers of their bit patterns: for doubles
 *    >= +0 the order is the same, and integer compares become conditional
 *    moves where float compares (which must honour NaN) become branches.
 *    This needs t >= 0, which simulated time always is; -0.0 is turned into
 *    +0.0 on entry.  Together these make a hold about 25 % faster than a
 *    binary heap with float compares.
 *
 * The sequence number makes events scheduled for the same time come out in
 * the order they were scheduled, which keeps runs deterministic.
 */
#include "core/heap.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define ARITY 4

static inline uint64_t time_bits(const event *e)
{
    uint64_t u;
    memcpy(&u, &e->t, sizeof u);
    return u;
}

/* Branch-free on purpose (see above): & and | rather than && and ||. */
static inline int event_before(const event *a, const event *b)
{
    uint64_t ta = time_bits(a), tb = time_bits(b);
    return (ta < tb) | ((ta == tb) & (a->seq < b->seq));
}

int heap_init(heap *h, uint32_t cap)
{
    h->n = 0;
    h->next_seq = 0;
    h->cap = 0;
    h->v = NULL;
    if (cap == 0)
        return 0;
    h->v = malloc((size_t)cap * sizeof *h->v);
    if (!h->v)
        return -1;
    h->cap = cap;
    return 0;
}

void heap_free(heap *h)
{
    free(h->v);
    h->v = NULL;
    h->n = h->cap = 0;
}

void heap_clear(heap *h)
{
    h->n = 0;
    h->next_seq = 0;
}

static int heap_grow(heap *h)
{
    if (h->cap > UINT32_MAX / 2)
        return -1;
    uint32_t cap = h->cap ? 2 * h->cap : 64;
    event *v = realloc(h->v, (size_t)cap * sizeof *v);
    if (!v)
        return -1;
    h->v = v;
    h->cap = cap;
    return 0;
}

int heap_push(heap *h, double t, uint32_t type, uint32_t id, uint32_t gen, uint32_t arg)
{
    assert(t >= 0);   /* NaN or negative times would break the ordering */
    if (h->n == h->cap && heap_grow(h) != 0)
        return -1;
    event e = { .t = t + 0.0, .seq = h->next_seq++, .type = type,
                .id = id, .gen = gen, .arg = arg };
    event *v = h->v;
    uint32_t i = h->n++;
    while (i > 0) {
        uint32_t parent = (i - 1) / ARITY;
        if (!event_before(&e, &v[parent]))
            break;
        v[i] = v[parent];
        i = parent;
    }
    v[i] = e;
    return 0;
}

/* Index of the earliest of the children first..first+3, all present. */
static inline uint32_t earliest_of_four(const event *v, uint32_t first)
{
    uint32_t a = first + (uint32_t)event_before(&v[first + 1], &v[first]);
    uint32_t b = first + 2 + (uint32_t)event_before(&v[first + 3], &v[first + 2]);
    return event_before(&v[b], &v[a]) ? b : a;
}

/* The same for the last, possibly incomplete, family. */
static uint32_t earliest_of_few(const event *v, uint32_t first, uint32_t n)
{
    uint32_t best = first;
    for (uint32_t j = first + 1; j < n; j++)
        if (event_before(&v[j], &v[best]))
            best = j;
    return best;
}

/* Put `last` where the root was and sift it down (the root's slot is a
 * hole); shared by pop and replace. */
static void sift_down_from_root(heap *h, event last)
{
    event *v = h->v;
    uint32_t n = h->n, i = 0, child;
    while ((child = ARITY * i + 1) < n) {
        child = child + ARITY <= n ? earliest_of_four(v, child)
                                   : earliest_of_few(v, child, n);
        if (!event_before(&v[child], &last))
            break;
        v[i] = v[child];
        i = child;
    }
    v[i] = last;
}

void heap_replace_top(heap *h, double t, uint32_t type, uint32_t id, uint32_t gen, uint32_t arg)
{
    assert(t >= 0 && h->n > 0);
    event e = { .t = t + 0.0, .seq = h->next_seq++, .type = type,
                .id = id, .gen = gen, .arg = arg };
    sift_down_from_root(h, e);
}

int heap_pop(heap *h, event *e)
{
    if (h->n == 0)
        return -1;
    event *v = h->v;
    *e = v[0];
    uint32_t n = --h->n;
    if (n == 0)
        return 0;
    /* The former last entry goes into the hole left at the root. */
    sift_down_from_root(h, v[n]);
    return 0;
}
