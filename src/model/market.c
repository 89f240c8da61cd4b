/*
 * market.c — products released into the plant, customer orders, deliveries,
 * the daily series and the targets.
 *
 * A new part gets its product from the plant's release sequence (cyclic,
 * per releasing station) or by drawing from the product mix.  A car that
 * leaves the last station is matched at once to the oldest open order for
 * its product and delivered after the delivery lead time; with no open
 * order it waits in stock for the next one.  The customer's wait (order to
 * delivery) is therefore known when the match is made.  Orders arrive as
 * Poisson processes whose rates are given per date range, on top of an
 * initial backlog placed at time 0.
 *
 * Deliveries are not events: the delivery time is known when the car is
 * matched, so it is booked straight into the day it falls on.  Cumulative
 * deliveries, the backlog per day and the date a delivery target is met
 * follow from the daily counts at the end of the run (to the day, which is
 * the resolution they are reported in).  This keeps tens of thousands of
 * cars on their way to customers out of the event calendar.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "run_internal.h"

int market_release(run *r, int station)
{
    const takt_plant *p = r->p;
    if (p->nproducts <= 1) return 0;
    rstation *s = &r->s[station];
    if (p->nsequence > 0) {
        int k = p->sequence[s->nseq];
        if (++s->nseq == p->nsequence) s->nseq = 0;
        return k;
    }
    /* shares of the station's mix (or the plant's), among the products
     * released at this moment, renormalised */
    const double *mix = p->stations[station].mix;
    double w[64], tot = 0;
    int n = p->nproducts < 64 ? p->nproducts : 64, last = -1;
    for (int k = 0; k < n; k++) {
        const product *pr = &p->products[k];
        w[k] = r->now >= pr->from && r->now < pr->until ? (mix ? mix[k] : pr->share) : 0;
        tot += w[k];
        if (w[k] > 0) last = k;
    }
    if (last < 0) return 0;                    /* nothing on sale: the first */
    double u = rng_uniform(&s->mix_rng) * tot;
    for (int k = 0; k < last; k++) {
        u -= w[k];
        if (u < 0) return k;
    }
    return last;
}

static int book_push(run *r, order_book *b, double t)
{
    if (++r->open_orders > MAX_OPEN_ORDERS) {
        /* each open order is kept (its time gives the customer's wait):
         * demand this far beyond the plant's output is a problem of the
         * plant, and memory stays bounded (160 MB) */
        char *msg = malloc(256);
        if (msg) snprintf(msg, 256, "more than %ld open customer orders at %.6g h: the demand is "
                          "far beyond what the plant makes", (long)MAX_OPEN_ORDERS, r->now / 3600);
        free(r->error);
        r->error = msg;
        r->oom = msg ? RUN_FAILED : 1;
        return -1;
    }
    if (b->count == b->size) {
        long nsize = b->size ? b->size * 2 : 64;
        double *n = malloc((size_t)nsize * sizeof *n);
        if (!n) { r->oom = 1; return -1; }
        for (long i = 0; i < b->count; i++) n[i] = b->t[(b->head + i) % b->size];
        free(b->t);
        b->t = n; b->head = 0; b->size = nsize;
    }
    b->t[(b->head + b->count) % b->size] = t;
    b->count++;
    return 0;
}

static double book_pop(run *r, order_book *b)
{
    r->open_orders--;
    double t = b->t[b->head];
    if (++b->head == b->size) b->head = 0;
    b->count--;
    return t;
}

/* Production targets are met at the moment of the car that meets them;
 * delivery targets, to the day, in settle_days(). */
static void reach_produced(run *r)
{
    for (int i = 0; i < r->p->ntargets; i++) {
        const target *t = &r->p->targets[i];
        if (t->what == TARGET_PRODUCED && isnan(r->target_reached[i]) &&
            (double)r->produced >= t->value)
            r->target_reached[i] = r->now;
    }
}

static int day_of(const run *r)
{
    double d = floor(r->now / 86400.0);
    return d >= 0 && d < r->ndays ? (int)d : -1;
}

/* A car for the order placed at t_order leaves for its customer now. */
static void ship(run *r, double t_order)
{
    double arrive = r->now + dist_sample(&r->p->demand.delivery, &r->deliver_rng);
    if (arrive >= r->t_end) return;            /* after the horizon: not seen */
    double w = arrive - t_order;
    qhist_add(r->wait, w);
    r->wait_sum += w;
    r->wait_n++;
    r->delivered++;
    double d = floor(arrive / 86400.0);
    if (d >= 0 && d < r->ndays) r->day_delivered[(int)d]++;
}

void market_produced(run *r, const part *pt)
{
    int d = day_of(r);
    r->produced++;
    if (d >= 0) r->day_produced[d]++;
    reach_produced(r);
    if (!r->p->demand.enabled || r->lean) return;
    order_book *b = &r->book[pt->product];
    if (b->count > 0) ship(r, book_pop(r, b));
    else b->stock++;
}

static void next_order(run *r, int i)
{
    const order_rate *o = &r->p->demand.rates[i];
    double from = r->now > o->from ? r->now : o->from;
    double t = from - log(rng_uniform(&r->order_rng)) * 86400.0 / o->per_day;
    if (t < o->until && t < r->t_end) run_schedule(r, t, EV_ORDER, i, 0, 0);
}

void market_order(run *r, int i)
{
    int k = r->p->demand.rates[i].product;
    order_book *b = &r->book[k];
    int d = day_of(r);
    r->ordered++;
    if (d >= 0) r->day_ordered[d]++;
    if (b->stock > 0) { b->stock--; ship(r, r->now); }
    else book_push(r, b, r->now);
    next_order(r, i);
}

int market_setup(run *r)
{
    const takt_plant *p = r->p;
    int np = p->nproducts > 0 ? p->nproducts : 1;
    rng_seed(&r->order_rng, r->lim_seed, (uint64_t)r->rep, 7, 0);
    rng_seed(&r->deliver_rng, r->lim_seed, (uint64_t)r->rep, 8, 0);
    r->target_reached = malloc(((size_t)p->ntargets + 1) * sizeof *r->target_reached);
    r->book = calloc((size_t)np, sizeof *r->book);
    r->wait = p->demand.enabled ? malloc(sizeof *r->wait) : NULL;
    if (!r->target_reached || !r->book || (p->demand.enabled && !r->wait)) return -1;
    if (r->wait) qhist_init(r->wait, 60.0);
    for (int i = 0; i < p->ntargets; i++) r->target_reached[i] = NAN;
    if (p->has_start) {
        r->ndays = (int)ceil(r->t_end / 86400.0);
        r->day_produced = calloc((size_t)r->ndays + 1, sizeof(double));
        r->day_delivered = calloc((size_t)r->ndays + 1, sizeof(double));
        r->day_backlog = calloc((size_t)r->ndays + 1, sizeof(double));
        r->day_ordered = calloc((size_t)r->ndays + 1, sizeof(double));
        if (!r->day_produced || !r->day_delivered || !r->day_backlog || !r->day_ordered)
            return -1;
    }
    if (!p->demand.enabled || r->lean) return 0;   /* lean: orders move no part */
    for (int k = 0; k < np; k++) {
        long n = p->demand.backlog ? (long)p->demand.backlog[k] : 0;
        for (long j = 0; j < n; j++)
            if (book_push(r, &r->book[k], 0.0) < 0) return -1;
        r->ordered += n;
        if (r->ndays > 0) r->day_ordered[0] += (double)n;
    }
    for (int i = 0; i < p->demand.nrates; i++) {
        r->now = 0;
        next_order(r, i);
    }
    return 0;
}

void market_free(run *r)
{
    int np = r->p->nproducts > 0 ? r->p->nproducts : 1;
    for (int k = 0; r->book && k < np; k++) free(r->book[k].t);
    free(r->book);
    free(r->target_reached);
    free(r->wait);
    free(r->day_produced);
    free(r->day_delivered);
    free(r->day_backlog);
    free(r->day_ordered);
}

/* Backlog per day and delivery targets from the daily counts. */
static void settle_days(run *r)
{
    double ordered = 0, delivered = 0;
    for (int d = 0; d < r->ndays; d++) {
        ordered += r->day_ordered[d];
        delivered += r->day_delivered[d];
        r->day_backlog[d] = ordered - delivered;
        for (int i = 0; i < r->p->ntargets; i++) {
            const target *t = &r->p->targets[i];
            if (t->what == TARGET_DELIVERED && isnan(r->target_reached[i]) && delivered >= t->value)
                r->target_reached[i] = d * 86400.0 + 43200.0;    /* that day */
        }
    }
}

/* Move the series into the observation (the run gives them up). */
int market_collect(run *r, rep_obs *o)
{
    settle_days(r);
    o->ndays = r->ndays;
    o->day_produced = r->day_produced; r->day_produced = NULL;
    o->day_delivered = r->day_delivered; r->day_delivered = NULL;
    o->day_backlog = r->day_backlog; r->day_backlog = NULL;
    o->target_reached = r->target_reached; r->target_reached = NULL;
    o->wait = r->wait; r->wait = NULL;
    o->produced = r->produced;
    o->delivered = r->delivered;
    o->ordered = r->ordered;
    o->wait_n = r->wait_n;
    o->wait_mean_s = r->wait_n ? r->wait_sum / (double)r->wait_n : NAN;
    return 0;
}
