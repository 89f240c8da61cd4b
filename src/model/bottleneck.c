/*
 * bottleneck.c — the active-period method (Roser, Nakano & Tanaka), exact
 * and streaming, in O(1) amortised time per transition.
 *
 * Definitions.  An active period of a station is a maximal interval in
 * which it is active; a zero-length pause (inactive and active again at
 * the same instant, as when a machine hands a part on and takes the next)
 * does not end it.  Periods are ranked by duration, ties going to the
 * earlier start and then to the lower station index, so the order is
 * total.  At each moment the top-ranked period covering it is the
 * momentary bottleneck; the periods that are momentary bottlenecks at some
 * moment form a sequence P1, P2, ... in time, and both their starts and
 * their ends increase along it.  Station k is a shifting bottleneck over
 * the part of Pk that overlaps P(k-1) or P(k+1), and the sole bottleneck
 * over the rest of Pk.  A moment of overlap is shifting for both stations,
 * as in the method's papers; sole moments belong to one station only.
 *
 * Why it can stream.  Three facts keep the work and the memory small:
 *
 *  1. A period that closes while another one that opened no later is
 *     still open lies inside that one, which will end later and so be
 *     longer: it can never be a bottleneck and is dropped at once.  With
 *     an always-busy station this discards nearly every period.
 *  2. Periods close in time order, so each new period P ends last.  The
 *     bottleneck sequence of the closed periods is a stack ordered by
 *     start and end; P removes from its top the entries it outranks whose
 *     bottleneck segment starts at or after P's start, then either shortens
 *     the segment of the new top (which it outranks) or begins where the
 *     top (which outranks it) ends.  Each period is pushed and popped at
 *     most once.
 *  3. Let R be the start of the oldest still-open period (the current
 *     time if none is open).  Every later period starts at or after R, so
 *     a stack entry whose segment starts before R is never removed.  The
 *     bottom entry is settled — its neighbours are final — once the entry
 *     above it starts its segment before R (or once it ends by R); it is
 *     then counted and dropped.  Entries left above it all cover R, and
 *     a station has at most one period covering R (zero pauses merge), so
 *     the stack holds at most n + 1 entries, 2n + 1 while one instant's
 *     closings go in: its first size, 2n + 8, never needs to grow.
 *
 * The open stations are kept in a list in the order they opened, so the
 * oldest one (and R) is its head.  Closings are held until time moves on,
 * because a station may toggle any number of times at one instant.
 * Periods are clipped to the window: one active at t0 starts at t0, one
 * still active at the end ends there, which is where their length is
 * measured (the method cannot see beyond the window either way).
 */
#include <stdlib.h>
#include <string.h>
#include "bottleneck.h"
#include "series.h"

#if defined(__GNUC__)
#define SLOW_PATH __attribute__((noinline))
#else
#define SLOW_PATH
#endif

enum { BN_IDLE = 0, BN_ACTIVE, BN_CLOSING };

typedef struct bn_station {
    double start;                   /* of the open period                */
    int prev, next;                 /* open list, in order of opening    */
    int queued;                     /* place in the closing list, or -1  */
    int state;
} bn_station;

typedef struct bn_period {
    double s, e;                    /* active interval                   */
    double seg;                     /* where its bottleneck segment starts */
    int station;
} bn_period;

struct bn_tracker {
    int n;
    double t0, now;
    bn_station *st;
    int head, tail;                 /* open list                         */
    int *closing, nclosing;         /* stations to close at `now`        */
    bn_period *stack;               /* bottleneck stack, bottom at lo    */
    size_t lo, hi, cap;
    bn_period last;                 /* last settled bottleneck period    */
    int have_last;
    size_t held_max;                /* most periods held at once         */
    double *sole, *shifting;        /* seconds                           */
    series_obs *series;             /* periods to charge, or NULL        */
};

bn_tracker *bn_new(int n, double t0)
{
    if (n < 0) return NULL;
    bn_tracker *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->n = n; b->t0 = t0; b->now = t0;
    b->head = b->tail = -1;
    b->cap = 2 * (size_t)n + 8;
    b->st = calloc((size_t)n + 1, sizeof *b->st);
    b->closing = malloc(((size_t)n + 1) * sizeof *b->closing);
    b->stack = malloc(b->cap * sizeof *b->stack);
    b->sole = calloc((size_t)n + 1, sizeof *b->sole);
    b->shifting = calloc((size_t)n + 1, sizeof *b->shifting);
    if (!b->st || !b->closing || !b->stack || !b->sole || !b->shifting) {
        bn_free(b);
        return NULL;
    }
    for (int i = 0; i < n; i++) b->st[i].queued = -1;
    return b;
}

void bn_free(bn_tracker *b)
{
    if (!b) return;
    free(b->st); free(b->closing); free(b->stack);
    free(b->sole); free(b->shifting);
    free(b);
}

size_t bn_held_max(const bn_tracker *b) { return b->held_max; }

void bn_series(bn_tracker *b, series_obs *s) { b->series = s; }

/* Does period a rank above period b? */
static int outranks(const bn_period *a, const bn_period *b)
{
    double la = a->e - a->s, lb = b->e - b->s;
    if (la != lb) return la > lb;
    if (a->s != b->s) return a->s < b->s;
    return a->station < b->station;
}

static double positive(double x) { return x > 0 ? x : 0; }

/* Count a settled bottleneck period between its neighbours. */
static void account(bn_tracker *b, const bn_period *p, const bn_period *prev,
                    const bn_period *next)
{
    double before = prev ? positive(prev->e - p->s) : 0;
    double after = next ? positive(p->e - next->s) : 0;
    double both = prev && next ? positive(prev->e - next->s) : 0;
    double shift = before + after - both;
    b->shifting[p->station] += shift;
    b->sole[p->station] += positive(p->e - p->s - shift);
    /* sole and shifting together cover the whole period p */
    if (b->series)
        series_spread(b->series, b->series->bn + (size_t)p->station * (size_t)b->series->nperiods,
                      1, 1.0, p->s, p->e);
}

static int push(bn_tracker *b, const bn_period *p)
{
    if (b->hi == b->cap) {
        if (b->lo > 0) {
            memmove(b->stack, b->stack + b->lo, (b->hi - b->lo) * sizeof *b->stack);
            b->hi -= b->lo; b->lo = 0;
        } else {
            size_t ncap = b->cap * 2;
            bn_period *ns = realloc(b->stack, ncap * sizeof *ns);
            if (!ns) return -1;
            b->stack = ns; b->cap = ncap;
        }
    }
    b->stack[b->hi++] = *p;
    if (b->hi - b->lo > b->held_max) b->held_max = b->hi - b->lo;
    return 0;
}

/* Add a closed period to the bottleneck stack (fact 2). */
static int insert(bn_tracker *b, bn_period p)
{
    while (b->hi > b->lo) {
        const bn_period *top = &b->stack[b->hi - 1];
        if (!outranks(&p, top)) {
            p.seg = top->e > p.s ? top->e : p.s;
            return p.seg < p.e ? push(b, &p) : 0;
        }
        if (top->seg < p.s) break;
        b->hi--;
    }
    p.seg = p.s;
    return push(b, &p);
}

/* Count and drop the settled bottom entries (fact 3). */
static void settle(bn_tracker *b, double r, int final)
{
    while (b->hi > b->lo) {
        const bn_period *p = &b->stack[b->lo];
        const bn_period *next = b->hi - b->lo >= 2 ? p + 1 : NULL;
        if (!final && (next ? next->seg >= r : p->e > r)) break;
        account(b, p, b->have_last ? &b->last : NULL, next);
        b->last = *p; b->have_last = 1;
        b->lo++;
    }
    if (b->lo == b->hi) b->lo = b->hi = 0;
}

static void unlink_open(bn_tracker *b, int i)
{
    bn_station *s = &b->st[i];
    if (s->prev >= 0) b->st[s->prev].next = s->next; else b->head = s->next;
    if (s->next >= 0) b->st[s->next].prev = s->prev; else b->tail = s->prev;
}

static int close_period(bn_tracker *b, int i, double end)
{
    bn_period p = { b->st[i].start, end, 0, i };
    if (end <= p.s) return 0;
    if (b->head >= 0 && b->st[b->head].start <= p.s) return 0;  /* fact 1 */
    return insert(b, p);
}

/* Close the periods that ended at `now` and stayed closed.  All of them
 * leave the open list first, so that fact 1 sees only the periods still
 * open after this instant. */
static int flush(bn_tracker *b)
{
    int rc = 0;
    for (int j = 0; j < b->nclosing; j++) {
        bn_station *s = &b->st[b->closing[j]];
        s->queued = -1;
        s->state = BN_IDLE;
        unlink_open(b, b->closing[j]);
    }
    for (int j = 0; j < b->nclosing; j++) {
        int i = b->closing[j];
        double s = b->st[i].start;
        if (b->now > s && (b->head < 0 || b->st[b->head].start > s) &&
            close_period(b, i, b->now) < 0)
            rc = -1;
    }
    b->nclosing = 0;
    if (b->hi > b->lo) settle(b, b->head >= 0 ? b->st[b->head].start : b->now, 0);
    return rc;
}

static inline void update(bn_tracker *b, int i, int active)
{
    bn_station *s = &b->st[i];
    if (active) {
        if (s->state == BN_CLOSING) {       /* a pause of zero length */
            int last = b->closing[--b->nclosing];
            b->closing[s->queued] = last;
            b->st[last].queued = s->queued;
            s->queued = -1;
            s->state = BN_ACTIVE;
        } else if (s->state == BN_IDLE) {
            s->state = BN_ACTIVE;
            s->start = b->now;
            s->prev = b->tail; s->next = -1;
            if (b->tail >= 0) b->st[b->tail].next = i; else b->head = i;
            b->tail = i;
        }
    } else if (s->state == BN_ACTIVE) {
        s->state = BN_CLOSING;
        s->queued = b->nclosing;
        b->closing[b->nclosing++] = i;
    }
}

/* Time moved on with closings pending: settle them first.  Kept out of
 * bn_set so that its common path makes no call. */
SLOW_PATH static int set_later(bn_tracker *b, int i, int active, double t)
{
    int rc = flush(b);
    b->now = t;
    update(b, i, active);
    return rc;
}

int bn_set(bn_tracker *b, int i, int active, double t)
{
    if (t > b->now) {
        if (b->nclosing > 0) return set_later(b, i, active, t);
        b->now = t;
    }
    update(b, i, active);
    return 0;
}

void bn_finish(bn_tracker *b, double t_end, double *sole, double *shifting)
{
    if (b->nclosing > 0) flush(b);
    if (t_end > b->now) b->now = t_end;
    int k = 0;
    for (int i = b->head; i >= 0; i = b->st[i].next) b->closing[k++] = i;
    b->head = b->tail = -1;
    for (int j = 0; j < k; j++) {
        b->st[b->closing[j]].state = BN_IDLE;
        close_period(b, b->closing[j], b->now);   /* cannot run out: fact 3 */
    }
    settle(b, b->now, 1);
    double span = b->now - b->t0;
    for (int i = 0; i < b->n; i++) {
        sole[i] = span > 0 ? b->sole[i] / span : 0;
        shifting[i] = span > 0 ? b->shifting[i] / span : 0;
    }
}
